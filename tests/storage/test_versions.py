"""Row versions of the SQL store: the schema, PostgreSQL row locks, SQLite writers, bulk loads."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from eschool_core.errors import ConflictError, NotFoundError
from eschool_core.journal import Mark
from eschool_core.storage import MemoryStore, loading_unit_of_work
from eschool_core.storage.sql import SqlStore
from eschool_core.storage.sql._schema import ROW_VERSION, TABLES
from eschool_core.testing import load, sample_school

POSTGRES_DSN = os.environ.get("ESCHOOL_TEST_POSTGRES_DSN", "")

_BLOCKED = 0.5
"""Seconds a write is given to show that it waits for another transaction's lock."""


class _Writer(threading.Thread):
    """Runs one write in a thread of its own and keeps its outcome."""

    def __init__(self, write: Callable[[], None]) -> None:
        super().__init__(daemon=True)
        self._write = write
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._write()
        except BaseException as error:  # kept for the test to look at
            self.error = error


class TestSchema:
    def test_every_aggregate_table_has_a_version(self) -> None:
        """Each aggregate's table has a ``version`` column the database sets to 1 (R3.1b)."""
        for name, table in TABLES.items():
            column = table.c[ROW_VERSION]
            assert not column.nullable, name
            assert column.server_default is not None, name


@pytest.fixture
def postgres(postgres_schema: Callable[[], str]) -> SqlStore:
    store = SqlStore(POSTGRES_DSN, schema=postgres_schema(), create=True)
    load(store, sample_school())
    return store


@pytest.mark.postgres
class TestPostgresRowLocks:
    def test_a_waiting_update_sees_the_committed_change(self, postgres: SqlStore) -> None:
        """An update waiting for a row lock is refused once the holder commits (R3.1b, R8.6)."""
        try:
            with postgres.unit_of_work() as first, postgres.unit_of_work() as second:
                stale = first.marks.get("mk2")
                fresh = second.marks.get("mk2")
                second.marks.update(attrs.evolve(fresh, value="5"))
                writer = _Writer(lambda: first.marks.update(attrs.evolve(stale, value="2")))
                writer.start()
                time.sleep(_BLOCKED)
                assert writer.is_alive(), "the update did not wait for the row lock"
                second.commit()
                writer.join(timeout=30)
                assert isinstance(writer.error, ConflictError), writer.error
                assert writer.error.code == "storage.stale_version"
                assert writer.error.details["found"] == 2
            with postgres.unit_of_work() as uow:
                assert uow.marks.get("mk2") == attrs.evolve(fresh, value="5")
        finally:
            postgres.close()

    def test_a_waiting_update_goes_through_when_the_other_rolls_back(
        self, postgres: SqlStore
    ) -> None:
        """If the transaction holding the lock rolls back, the waiting update is current (R8.6)."""
        try:
            with postgres.unit_of_work() as first, postgres.unit_of_work() as second:
                mark = first.marks.get("mk2")
                second.marks.update(attrs.evolve(second.marks.get("mk2"), value="5"))
                writer = _Writer(lambda: first.marks.update(attrs.evolve(mark, value="2")))
                writer.start()
                time.sleep(_BLOCKED)
                assert writer.is_alive(), "the update did not wait for the row lock"
                second.rollback()
                writer.join(timeout=30)
                assert writer.error is None
                first.commit()
            with postgres.unit_of_work() as uow:
                assert uow.marks.get("mk2") == attrs.evolve(mark, value="2")
                assert uow.marks.version_of("mk2") == 2
        finally:
            postgres.close()


class TestSqliteWriters:
    def test_a_second_writer_waits_and_reads_the_first_ones_change(self, tmp_path: Path) -> None:
        """On a SQLite file a second unit of work waits for the first, so both edits stay (R8.6)."""
        target = str(tmp_path / "school.sqlite")
        store = SqlStore(target, create=True)
        other = SqlStore(target, create=True)
        try:
            load(store, sample_school())
            seen: list[Mark] = []

            def second() -> None:
                with other.unit_of_work() as uow:
                    mark = uow.marks.get("mk2")
                    seen.append(mark)
                    uow.marks.update(attrs.evolve(mark, value="3"))
                    uow.commit()

            with store.unit_of_work() as uow:
                mark = uow.marks.get("mk2")
                writer = _Writer(second)
                writer.start()
                time.sleep(_BLOCKED)
                assert writer.is_alive(), "the second unit of work did not wait"
                uow.marks.update(attrs.evolve(mark, value="5"))
                uow.commit()
            writer.join(timeout=30)
            assert writer.error is None
            assert seen[0].value == attrs.evolve(mark, value="5").value
            with store.unit_of_work() as uow:
                assert uow.marks.version_of("mk2") == 3
        finally:
            store.close()
            other.close()


class TestBulkLoad:
    def test_a_stale_removal_in_a_bulk_load_is_a_conflict(self) -> None:
        """A bulk load refuses a stale removal as stale before its reference check (R3.1b)."""
        for store in (MemoryStore(), SqlStore(":memory:")):
            load(store, sample_school())
            with loading_unit_of_work(store) as uow:
                with pytest.raises(ConflictError) as caught:
                    uow.students.remove("s1", expected_version=5)
                assert caught.value.code == "storage.stale_version", store
                with pytest.raises(ConflictError) as caught:
                    uow.students.remove("s1", expected_version=1)
                assert caught.value.code == "student.referenced", store
                with pytest.raises(NotFoundError):
                    uow.students.remove("nobody", expected_version=1)
            store.close()
