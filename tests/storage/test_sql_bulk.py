# mypy: disable-error-code="arg-type"
# Sample ids are string literals; wrapping each in its NewType would only add noise.
"""The SQL store's bulk load: same rows as a normal load, same errors, indexes rebuilt."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

from eschool_core import synth
from eschool_core.errors import ConflictError, EschoolError, ValidationError
from eschool_core.journal import Mark
from eschool_core.school import SchoolClass
from eschool_core.storage import BulkLoadStore, MemoryStore, loading_unit_of_work
from eschool_core.storage.bundle import export_bundle, import_bundle
from eschool_core.storage.sql import SqlStore, SqlUnitOfWork
from eschool_core.storage.sql._schema import METADATA
from eschool_core.testing import load, sample_school, snapshot
from tests.conftest import POSTGRES_DSN

StoreFactory = Callable[[], SqlStore]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def new_store(request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    """Hand out empty SQL stores of one database; each is closed after the test.

    On PostgreSQL each new store empties the test schema, so a test uses one store at a time.
    """
    opened: list[SqlStore] = []

    def make() -> SqlStore:
        if request.param == "sqlite":
            store = SqlStore(":memory:")
        else:
            schema: Callable[[], str] = request.getfixturevalue("postgres_schema")
            store = SqlStore(POSTGRES_DSN or "", schema=schema(), create=True)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture(scope="module")
def small_school() -> synth.SyntheticSchool:
    """A small synthetic school, generated once for the module."""
    return synth.generate("small", 3)


def _bulk(store: SqlStore, entities: Sequence[tuple[str, Sequence[Any]]]) -> None:
    with store.bulk_load() as uow:
        for name, batch in entities:
            getattr(uow, name).add_many(batch)
        uow.commit()


def _indexes(store: SqlStore) -> set[str]:
    with store._engine.connect() as conn:
        inspector = sa.inspect(conn)
        return {
            str(index["name"])
            for table in inspector.get_table_names()
            for index in inspector.get_indexes(table)
        }


def _expected_indexes() -> set[str]:
    return {str(index.name) for table in METADATA.tables.values() for index in table.indexes}


def _with_one_change(
    entities: Sequence[tuple[str, Sequence[Any]]], name: str, change: Callable[[Any], Any]
) -> list[tuple[str, Sequence[Any]]]:
    """The sample school with the last entity of ``name`` changed by ``change``."""
    return [
        (key, [*batch[:-1], change(batch[-1])] if key == name else batch) for key, batch in entities
    ]


class TestBulkLoad:
    def test_a_bulk_load_reads_back_like_a_normal_load(self, new_store: StoreFactory) -> None:
        """The sample school loaded in bulk reads back exactly as when loaded normally."""
        normal = new_store()
        load(normal, sample_school())
        expected = snapshot(normal)
        normal.close()
        bulk = new_store()  # on PostgreSQL the same schema, emptied
        _bulk(bulk, sample_school())
        assert snapshot(bulk) == expected

    def test_indexes_exist_after_a_bulk_load(self, new_store: StoreFactory) -> None:
        """After a committed bulk load every index of the schema is there again."""
        store = new_store()
        _bulk(store, sample_school())
        assert _expected_indexes() <= _indexes(store)

    @pytest.mark.postgres
    def test_postgresql_knows_the_loaded_tables_sizes(
        self, postgres_schema: Callable[[], str]
    ) -> None:
        """On PostgreSQL a committed bulk load leaves the loaded tables analysed."""
        store = SqlStore(POSTGRES_DSN or "", schema=postgres_schema(), create=True)
        try:
            _bulk(store, sample_school())
            with store._engine.connect() as conn:
                rows = conn.execute(
                    sa.text(
                        "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables "
                        "WHERE schemaname = current_schema() AND relname IN ('marks', 'students')"
                    )
                ).all()
        finally:
            store.close()
        assert sorted(rows) == [("marks", True), ("students", True)]

    def test_a_synthetic_school_loads_in_bulk(self, small_school: synth.SyntheticSchool) -> None:
        """write_to_store takes the bulk path of a SQL store and stores every generated row."""
        school = small_school
        store = SqlStore(":memory:")
        written = synth.write_to_store(school, store, batch_size=20_000)
        memory = MemoryStore()
        synth.write_to_store(school, memory)
        assert written == school.entity_counts()
        with store.unit_of_work() as uow, memory.unit_of_work() as expected:
            assert uow.marks.count() == expected.marks.count() == written["marks"]
            assert uow.marks.for_lesson(school.marks[7].lesson_id) == expected.marks.for_lesson(
                school.marks[7].lesson_id
            )
        assert _expected_indexes() <= _indexes(store)
        store.close()

    def test_the_loaders_take_the_bulk_path(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        small_school: synth.SyntheticSchool,
    ) -> None:
        """write_to_store and import_bundle open a SQL store's bulk unit of work."""
        opened: list[SqlUnitOfWork] = []
        original = SqlStore.bulk_load

        def spy(store: SqlStore) -> SqlUnitOfWork:
            opened.append(original(store))
            return opened[-1]

        monkeypatch.setattr(SqlStore, "bulk_load", spy)
        source = MemoryStore()
        load(source, sample_school())
        export_bundle(source, tmp_path / "bundle")
        store = SqlStore(":memory:")
        import_bundle(tmp_path / "bundle", store)
        assert len(opened) == 1
        assert snapshot(store) == snapshot(source)
        store.close()
        store = SqlStore(":memory:")
        synth.write_to_store(small_school, store)
        assert len(opened) == 2
        store.close()

    def test_stores_without_a_bulk_path_get_their_unit_of_work(self) -> None:
        """loading_unit_of_work falls back to unit_of_work for a store without bulk_load."""
        assert isinstance(SqlStore(":memory:"), BulkLoadStore)
        assert not isinstance(MemoryStore(), BulkLoadStore)
        with loading_unit_of_work(MemoryStore()) as uow:
            assert uow.marks.count() == 0


class TestBulkLoadErrors:
    @pytest.mark.parametrize(
        ("name", "field", "change"),
        [
            ("marks", "lesson_id", lambda mark: attrs.evolve(mark, lesson_id="nowhere")),
            ("marks", "student_id", lambda mark: attrs.evolve(mark, student_id="nobody")),
            ("groups", "class_ids", lambda group: attrs.evolve(group, class_ids=("nowhere",))),
            ("events", "class_ids", lambda event: attrs.evolve(event, class_ids=("nowhere",))),
        ],
    )
    def test_a_dangling_reference_is_refused_and_nothing_is_stored(
        self, new_store: StoreFactory, name: str, field: str, change: Callable[[Any], Any]
    ) -> None:
        """One dangling reference raises the memory store's typed error; the store stays empty."""
        entities = _with_one_change(sample_school(), name, change)
        memory = MemoryStore()
        with pytest.raises(ValidationError) as expected:
            load(memory, entities)
        store = new_store()
        before = snapshot(store)
        with pytest.raises(ValidationError) as caught:
            _bulk(store, entities)
        assert caught.value.code == expected.value.code == f"{name[:-1]}.dangling_reference"
        assert caught.value.details["field"] == expected.value.details["field"] == field
        assert caught.value.details["id"] == expected.value.details["id"]
        assert snapshot(store) == before
        assert _expected_indexes() <= _indexes(store)

    def test_a_duplicate_id_is_refused_and_nothing_is_stored(self, new_store: StoreFactory) -> None:
        """A duplicate mark id raises ConflictError naming it; the store keeps its data."""
        store = new_store()
        load(store, sample_school()[:3])
        before = snapshot(store)
        entities = sample_school()
        marks = next(batch for name, batch in entities if name == "marks")
        duplicated = [*entities[3:], ("marks", [attrs.evolve(marks[0], value=2)])]
        with pytest.raises(ConflictError) as caught:
            _bulk(store, duplicated)
        assert caught.value.code == "mark.duplicate"
        assert caught.value.details["id"] == marks[0].id
        assert snapshot(store) == before

    def test_removing_what_is_referenced_is_refused(self, new_store: StoreFactory) -> None:
        """In a bulk load, removing a class that others name raises the usual ConflictError."""
        store = new_store()
        _bulk(store, sample_school())
        before = snapshot(store)
        with store.bulk_load() as uow:
            class_id = uow.classes.all()[0].id
            with pytest.raises(ConflictError) as caught:
                uow.classes.remove(class_id)
            uow.commit()
        assert caught.value.code == "class.referenced"
        assert snapshot(store) == before

    def test_a_removal_cascades_to_child_rows(self, new_store: StoreFactory) -> None:
        """Removing an unreferenced event in a bulk load removes its reference rows too."""
        store = new_store()
        _bulk(store, sample_school())
        with store.bulk_load() as uow:
            event = uow.events.all()[0]
            uow.events.remove(event.id)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.events.find(event.id) is None

    def test_a_failed_bulk_load_leaves_an_ordinary_store_behind(
        self, new_store: StoreFactory
    ) -> None:
        """After a refused bulk load, ordinary units of work (new stores' too) check references."""
        store = new_store()
        entities = sample_school()
        with pytest.raises(EschoolError):
            _bulk(store, _with_one_change(entities, "marks", _nowhere))
        fresh = SqlStore(":memory:")
        for checked in (store, fresh):
            with checked.unit_of_work() as uow, pytest.raises(ValidationError) as caught:
                uow.classes.add(
                    SchoolClass(
                        id="c9", year="2025/2026", parallel=5, letter="Б", class_teacher_id="x"
                    )
                )
            assert caught.value.code == "class.dangling_reference"
        fresh.close()


def _nowhere(mark: Mark) -> Mark:
    return attrs.evolve(mark, lesson_id="nowhere")
