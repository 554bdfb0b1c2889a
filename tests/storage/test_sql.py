# mypy: disable-error-code="arg-type"
# Sample ids are string literals; wrapping each in its NewType would only add noise.
"""SQL-specific behaviour: schema version, error translation, concurrency, the core import."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

from eschool_core.errors import ConflictError, StorageError, ValidationError
from eschool_core.journal import Mark
from eschool_core.storage.rows import AGGREGATES
from eschool_core.storage.sql import SCHEMA_VERSION, SqlStore
from eschool_core.storage.sql._schema import ROW_VERSION, TABLES
from eschool_core.testing import load, sample_school, snapshot

POSTGRES_DSN = os.environ.get("ESCHOOL_TEST_POSTGRES_DSN", "")


def _marks(prefix: str, count: int) -> list[Mark]:
    moment = dt.datetime(2025, 9, 1, 10, tzinfo=dt.UTC)
    return [
        Mark(
            id=f"{prefix}{index}",
            student_id="s1",
            subject_id="math",
            date=dt.date(2025, 9, 1),
            value=index % 5 + 1,
            work_type="oral",
            author_id="t1",
            entered_at=moment,
        )
        for index in range(count)
    ]


class TestSchema:
    def test_a_file_store_keeps_its_data(self, tmp_path: Path) -> None:
        """A SQLite file reopened holds what was committed (R2.2e, stored for the whole period)."""
        path = str(tmp_path / "school.sqlite")
        store = SqlStore(path, create=True)
        load(store, sample_school())
        before = snapshot(store)
        store.close()
        assert snapshot(SqlStore(path, create=True)) == before

    def test_another_schema_version_is_refused(self, tmp_path: Path) -> None:
        """Opening a database of another schema version raises StorageError saying so."""
        path = tmp_path / "old.sqlite"
        SqlStore(str(path), create=True).close()
        engine = sa.create_engine(f"sqlite:///{path}")
        with engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE eschool_schema SET version = :v"), {"v": SCHEMA_VERSION + 1}
            )
        engine.dispose()
        with pytest.raises(StorageError) as caught:
            SqlStore(str(path), create=True)
        assert caught.value.code == "storage.schema_version"
        assert f"schema version {SCHEMA_VERSION + 1}" in caught.value.message("en")

    def test_check_constraints_mirror_validators(self) -> None:
        """A row written around the library with a parallel of 12 is refused by the database."""
        store = SqlStore(":memory:")
        with store._engine.connect() as conn, pytest.raises(sa.exc.IntegrityError):
            conn.exec_driver_sql(
                "INSERT INTO classes (id, year, parallel, letter, shift) "
                "VALUES ('c', '2025/2026', 12, 'А', 1)"
            )

    def test_driver_errors_become_storage_errors(self, tmp_path: Path) -> None:
        """A database that cannot be opened is a StorageError with the driver error as cause."""
        with pytest.raises(StorageError) as caught:
            SqlStore(str(tmp_path / "missing" / "dir" / "x.sqlite"), create=True)
        assert isinstance(caught.value.__cause__, sa.exc.SQLAlchemyError)

    def test_moments_are_exact_instants(self) -> None:
        """Moments come back as the same instant, in UTC, to the microsecond."""
        store = SqlStore(":memory:")
        load(store, sample_school())
        with store.unit_of_work() as uow:
            mark = uow.marks.get("mk2")
        assert mark.entered_at == dt.datetime(2025, 9, 1, 20, 59, 59, 999999, tzinfo=dt.UTC)
        assert mark.entered_at.utcoffset() == dt.timedelta(0)


def _table_contents(store: SqlStore, table: str) -> list[tuple[object, ...]]:
    with store._engine.connect() as conn:
        return list(conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id"))  # noqa: S608


class TestBulkInsert:
    def test_driver_rows_equal_sqlalchemy_rows(self) -> None:
        """add_many's plain driver tuples store exactly what SQLAlchemy's column types write."""
        fast = SqlStore(":memory:")
        load(fast, sample_school())
        typed = SqlStore(":memory:")
        with typed._engine.begin() as conn:
            for name, entities in sample_school():
                table = TABLES[name]
                rows = [AGGREGATES[name].to_row(entity) for entity in entities]
                columns = [c for c in table.columns if c.name != ROW_VERSION]
                conn.execute(
                    table.insert(), [{c.name: row[c.name] for c in columns} for row in rows]
                )
        for name, _ in sample_school():
            assert _table_contents(fast, name) == _table_contents(typed, name), name

    def test_large_batches_keep_the_errors_of_the_memory_store(self) -> None:
        """A 1,200-mark batch with one stored id or one dangling lesson stores nothing (R2.2e)."""
        store = SqlStore(":memory:")
        load(store, sample_school())
        before = snapshot(store)
        batch = _marks("b", 1200)
        with store.unit_of_work() as uow:
            with pytest.raises(ConflictError) as conflict:
                uow.marks.add_many([*batch[:700], attrs.evolve(batch[0], id="mk1"), *batch[700:]])
            assert (conflict.value.code, conflict.value.details["id"]) == ("mark.duplicate", "mk1")
            with pytest.raises(ValidationError) as dangling:
                uow.marks.add_many([*batch, attrs.evolve(batch[0], id="b-x", lesson_id="l404")])
            assert dangling.value.code == "mark.dangling_reference"
            assert (dangling.value.details["field"], dangling.value.details["value"]) == (
                "lesson_id",
                "l404",
            )
            uow.commit()
        assert snapshot(store) == before
        with store.unit_of_work() as uow:
            uow.marks.add_many(batch)
            uow.commit()
            assert uow.marks.count() == 2 + 1200


def test_core_import_does_not_load_sqlalchemy() -> None:
    """``import eschool_core`` loads neither SQLAlchemy nor psycopg nor pytest."""
    code = (
        "import sys, eschool_core, eschool_core.storage;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'sqlalchemy', 'psycopg', 'pytest', 'hypothesis'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.postgres
class TestPostgres:
    def test_concurrent_writers_lose_nothing(self, postgres_schema: Callable[[], str]) -> None:
        """Two writers, each with its own store, insert disjoint marks at once; all are kept."""
        schema = postgres_schema()
        setup = SqlStore(POSTGRES_DSN, schema=schema, create=True)
        load(setup, sample_school())
        errors: list[BaseException] = []

        def writer(prefix: str) -> None:
            store = SqlStore(POSTGRES_DSN, schema=schema, create=True)
            try:
                for start in range(0, 200, 20):
                    with store.unit_of_work() as uow:
                        uow.marks.add_many(_marks(prefix, 200)[start : start + 20])
                        uow.commit()
            except BaseException as error:
                errors.append(error)
            finally:
                store.close()

        threads = [threading.Thread(target=writer, args=(p,)) for p in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with setup.unit_of_work() as uow:
            assert uow.marks.count() == 2 + 400
        setup.close()

    def test_schema_version_on_postgres(self, postgres_schema: Callable[[], str]) -> None:
        """A PostgreSQL schema of another version is refused as well."""
        schema = postgres_schema()
        store = SqlStore(POSTGRES_DSN, schema=schema, create=True)
        with store._engine.begin() as conn:
            conn.exec_driver_sql("UPDATE eschool_schema SET version = 0")
        store.close()
        with pytest.raises(StorageError) as caught:
            SqlStore(POSTGRES_DSN, schema=schema, create=True)
        assert caught.value.code == "storage.schema_version"


_DATED = ("lessons", "marks", "attendance")


def _between_plans(store: SqlStore) -> dict[str, str]:
    """The database's plan of each repository's ``between`` query on ``store``, by repository."""
    sent: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        sent.append((args[2], args[3]))

    queries = {}
    sa.event.listen(store._engine, "before_cursor_execute", record)
    try:
        with store.unit_of_work() as uow:
            for name in _DATED:
                getattr(uow, name).between(dt.date(2025, 9, 1), dt.date(2025, 9, 30))
                queries[name] = sent[-1]
    finally:
        sa.event.remove(store._engine, "before_cursor_execute", record)
    sqlite = store.dialect == "sqlite"
    plans = {}
    with store._engine.connect() as conn:
        if not sqlite:
            # The sample tables are tiny; without this PostgreSQL would rightly scan them.
            conn.exec_driver_sql("SET enable_seqscan = off")
        for name, (statement, parameters) in queries.items():
            explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            rows = conn.exec_driver_sql(explain + statement, parameters).all()
            plans[name] = " ".join(str(value) for row in rows for value in row)
    return plans


class TestDateQueries:
    @pytest.mark.parametrize(
        "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
    )
    def test_between_reads_the_date_index(
        self, database: str, request: pytest.FixtureRequest
    ) -> None:
        """Lessons, marks and attendance ``between`` a range are found through ix_<table>_date."""
        if database == "sqlite":
            store = SqlStore(":memory:")
        else:
            schema: Callable[[], str] = request.getfixturevalue("postgres_schema")
            store = SqlStore(POSTGRES_DSN, schema=schema(), create=True)
        try:
            load(store, sample_school())
            plans = _between_plans(store)
        finally:
            store.close()
        for name in _DATED:
            if database == "sqlite":
                assert f"ix_{name}_date" in plans[name], plans[name]
            else:
                # On tiny tables PostgreSQL may pick another index that leads with the date
                # range (ix_lessons_teacher_id_date costs the same): what matters is that the
                # range is an index condition, not a filter on a scan.
                assert "Seq Scan" not in plans[name], plans[name]
                assert "Index Cond: ((date >=" in plans[name], plans[name]

    def test_a_store_made_before_the_date_indexes_still_works(self, tmp_path: Path) -> None:
        """A store lacking ix_marks_date and ix_attendance_date answers ``between`` and bulk loads.

        The bulk load (which drops and rebuilds the indexes) creates the missing ones.
        """
        path = str(tmp_path / "old.sqlite")
        store = SqlStore(path, create=True)
        with store._engine.begin() as conn:
            conn.exec_driver_sql("DROP INDEX ix_marks_date")
            conn.exec_driver_sql("DROP INDEX ix_attendance_date")
        store.close()
        store = SqlStore(path, create=True)
        try:
            with store.bulk_load() as uow:
                for name, batch in sample_school():
                    getattr(uow, name).add_many(batch)
                uow.commit()
            with store.unit_of_work() as uow:
                day = dt.date(2025, 9, 1)
                assert {mark.id for mark in uow.marks.between(day, day)} == {"mk1", "mk2"}
                assert [record.id for record in uow.attendance.between(day, day)] == ["at1"]
            plans = _between_plans(store)
        finally:
            store.close()
        assert "ix_marks_date" in plans["marks"]
        assert "ix_attendance_date" in plans["attendance"]
