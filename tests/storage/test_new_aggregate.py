"""Adding an aggregate is its registry entry, its entity, its rows and its tests (R9.1).

A throwaway aggregate — lockers handed to students for a year — is added to a COPY of the
registry built here, not in the package. With no other change, the in-memory and the SQLite
store take it (``registry=``): the whole contract kit runs on them with lockers loaded, and
so do the queries, the reference checks, the SQL schema and the exchange bundle.
docs/storage.md walks through the same four pieces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import attrs
import pytest
import sqlalchemy as sa

from eschool_core.errors import ConflictError, NotFoundError, ValidationError, error_code
from eschool_core.ids import ClassId, StudentId
from eschool_core.school import SchoolClass
from eschool_core.storage import MemoryStore, Repository, Store
from eschool_core.storage.bundle import export_bundle, import_bundle
from eschool_core.storage.queries import YearQueries
from eschool_core.storage.registry import REGISTRY, AggregateSpec
from eschool_core.storage.rows import Aggregate, Column, Row, StoredType
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import StoreContract, sample_school, snapshot

# -- 1. the entity ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Locker:
    """A locker lent to a student for an academic year, open to the students of some classes."""

    id: str
    year: str
    student_id: StudentId
    number: int
    class_ids: tuple[ClassId, ...] = ()


# -- 2. the repository protocol and its query methods ------------------------------------------


class LockerRepository(Repository[str, Locker], Protocol):
    """Protocol: lockers."""

    def for_year(self, year: str) -> Sequence[Locker]:
        """Return the lockers of academic year ``year``."""
        ...

    def for_student(self, student_id: StudentId) -> Sequence[Locker]:
        """Return the lockers lent to a student."""
        ...


class LockerQueries:
    """Lockers by student, on the stores' ``_by`` primitive."""

    def for_student(self, student_id: StudentId) -> Sequence[Locker]:
        """Return the lockers lent to a student."""
        found: list[Locker] = self._by("student_id", student_id)  # type: ignore[attr-defined]
        return found


# -- 3. the rows -------------------------------------------------------------------------------


def _locker_row(locker: Locker) -> Row:
    return {
        "id": locker.id,
        "year": locker.year,
        "student_id": locker.student_id,
        "number": locker.number,
        "class_ids": list(locker.class_ids),
    }


def _locker(row: Mapping[str, Any]) -> Locker:
    return Locker(
        id=row["id"],
        year=row["year"],
        student_id=row["student_id"],
        number=row["number"],
        class_ids=tuple(row["class_ids"]),
    )


LOCKER_ROWS = Aggregate(
    name="lockers",
    kind="locker",
    columns=(
        Column(name="id", type=StoredType.TEXT, nullable=False, doc="The locker's id."),
        Column(name="year", type=StoredType.TEXT, nullable=False, doc="Academic year."),
        Column(name="student_id", type=StoredType.TEXT, nullable=False, doc="The student."),
        Column(name="number", type=StoredType.INT, nullable=False, doc="The number on it."),
        Column(name="class_ids", type=StoredType.LIST, nullable=False, doc="Classes it serves."),
    ),
    to_row=_locker_row,
    from_row=_locker,
)

# -- 4. the registry entry, in a copy of the registry ------------------------------------------

LOCKERS = AggregateSpec(
    name="lockers",
    kind="locker",
    entity=Locker,
    id_type=str,
    repository=LockerRepository,
    queries=(YearQueries, LockerQueries),
    rows=LOCKER_ROWS,
    indexed=("year",),
    indexes=(("year",), ("student_id",)),
    references={"student_id": "students"},
    collection_references={"class_ids": "classes"},
)

WITH_LOCKERS = MappingProxyType({**REGISTRY, "lockers": LOCKERS})

SAMPLE_LOCKERS = (
    Locker(id="l1", year="2025/2026", student_id=StudentId("s1"), number=12),
    Locker(
        id="l2",
        year="2025/2026",
        student_id=StudentId("s1"),
        number=13,
        class_ids=(ClassId("c5a"), ClassId("c5b")),
    ),
    Locker(id="l3", year="2024/2025", student_id=StudentId("s1"), number=7),
)


# -- the contract kit on memory and SQLite -----------------------------------------------------


class _WithLockers(StoreContract):
    registry = WITH_LOCKERS

    def sample(self) -> list[tuple[str, Sequence[Any]]]:
        return [*sample_school(), ("lockers", SAMPLE_LOCKERS)]


class TestLockersInMemory(_WithLockers):
    def make_store(self) -> Store:
        return MemoryStore(registry=WITH_LOCKERS)


class TestLockersInSqlite(_WithLockers):
    def make_store(self) -> Store:
        return SqlStore(":memory:", registry=WITH_LOCKERS, create=True)


class TestLockersInSqliteFile(_WithLockers):
    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path: Path) -> None:
        self.directory = tmp_path

    def make_store(self) -> Store:
        return SqlStore(str(self.directory / "school.sqlite"), registry=WITH_LOCKERS, create=True)


def _stores(tmp_path: Path) -> list[Store]:
    return [
        MemoryStore(registry=WITH_LOCKERS),
        SqlStore(str(tmp_path / "lockers.sqlite"), registry=WITH_LOCKERS, create=True),
    ]


def _loaded(store: Store) -> Store:
    with store.unit_of_work() as uow:
        for name, batch in sample_school():
            getattr(uow, name).add_many(batch)
        getattr(uow, "lockers").add_many(SAMPLE_LOCKERS)  # noqa: B009 - not in the protocol
        uow.commit()
    return store


class TestTheAddedAggregate:
    def test_the_registry_itself_is_unchanged(self) -> None:
        """R9.1: the copy is the test's own; the library's registry has no lockers."""
        assert "lockers" not in REGISTRY
        assert list(WITH_LOCKERS)[:-1] == list(REGISTRY)

    def test_its_queries_on_both_stores(self, tmp_path: Path) -> None:
        """R9.1: the query mixins of the entry make the repository's queries on every store."""
        for store in _stores(tmp_path):
            with _loaded(store).unit_of_work() as uow:
                lockers = getattr(uow, "lockers")  # noqa: B009
                assert sorted(x.id for x in lockers.for_year("2025/2026")) == ["l1", "l2"]
                assert sorted(x.id for x in lockers.for_student("s1")) == ["l1", "l2", "l3"]
                assert list(lockers.for_student("s2")) == []
                assert lockers.get("l2").class_ids == ("c5a", "c5b")
            store.close()

    def test_its_references_are_checked_both_ways(self, tmp_path: Path) -> None:
        """R9.1: a dangling reference is refused, and so is removing what a locker names."""
        for store in _stores(tmp_path):
            with _loaded(store).unit_of_work() as uow:
                lockers = getattr(uow, "lockers")  # noqa: B009
                with pytest.raises(ValidationError) as caught:
                    lockers.add(attrs.evolve(SAMPLE_LOCKERS[1], id="l9", class_ids=("c9",)))
                assert caught.value.code == "locker.dangling_reference"
                assert caught.value.details["field"] == "class_ids"
                with pytest.raises(NotFoundError):  # a host's kind stays out of the library's codes
                    error_code("locker.dangling_reference")
                uow.classes.add(SchoolClass(id="c7", year="2025/2026", parallel=7, letter="А"))
                lockers.add(attrs.evolve(SAMPLE_LOCKERS[1], id="l9", class_ids=("c7",)))
                with pytest.raises(ConflictError) as refused:
                    uow.classes.remove("c7")  # named only by the locker l9
                assert refused.value.code == "class.referenced"
                assert refused.value.details["referenced_by"] == "locker"
                lockers.remove("l9")
                uow.classes.remove("c7")  # named by nothing now
            assert snapshot(store, WITH_LOCKERS)["lockers"] == list(SAMPLE_LOCKERS)
            store.close()

    def test_its_sql_table_indexes_and_reference_table(self, tmp_path: Path) -> None:
        """R9.1: the SQL schema gains its table, its indexes and its reference table."""
        path = tmp_path / "lockers.sqlite"
        SqlStore(str(path), registry=WITH_LOCKERS, create=True).close()
        inspector = sa.inspect(sa.create_engine(f"sqlite:///{path}"))
        columns = [column["name"] for column in inspector.get_columns("lockers")]
        assert columns == ["id", "year", "student_id", "number", "class_ids", "version"]
        indexes = {index["name"] for index in inspector.get_indexes("lockers")}
        assert indexes == {"ix_lockers_year", "ix_lockers_student_id"}
        keys = {key["referred_table"] for key in inspector.get_foreign_keys("lockers")}
        assert keys == {"students"}
        assert "lockers_class_ids" in inspector.get_table_names()

    def test_its_bundle_file_round_trips(self, tmp_path: Path) -> None:
        """R9.1, R9.3: the exchange bundle writes and reads its file like any other."""
        source = _loaded(MemoryStore(registry=WITH_LOCKERS))
        manifest = export_bundle(source, tmp_path / "b", registry=WITH_LOCKERS)
        assert {"name": "lockers.csv", "entity": "lockers", "rows": 3} in manifest["files"]
        target = SqlStore(str(tmp_path / "copy.sqlite"), registry=WITH_LOCKERS, create=True)
        assert import_bundle(tmp_path / "b", target, registry=WITH_LOCKERS)["lockers"] == 3
        assert snapshot(target, WITH_LOCKERS) == snapshot(source, WITH_LOCKERS)
        target.close()
