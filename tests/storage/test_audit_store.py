"""The stored audit log on SQLite and PostgreSQL: append-only tables and tamper detection.

The tamper tests play an intruder with direct access to the database. The append-only
triggers would refuse his UPDATE and DELETE, so each test lifts them on purpose first
(SQLite: ``DROP TRIGGER``; PostgreSQL: ``ALTER TABLE ... DISABLE TRIGGER USER``) through a
raw connection beside the store, and then checks that :meth:`AuditLog.verify` still finds
the change and where it is (R3.1b, R12.5).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eschool_core.audit import (
    AuditEntry,
    AuditLog,
    ChainProblem,
    Checkpoint,
    MemoryAuditLogStore,
    Verification,
    checkpoints_from_json,
    checkpoints_to_json,
)
from eschool_core.errors import NotFoundError, StorageError
from eschool_core.storage.sql import SqlStore, read_audit_log
from eschool_core.storage.sql._audit import checkpoint_row, entry_row
from eschool_core.storage.sql._schema import APPEND_ONLY_MESSAGE

POSTGRES_DSN = os.environ.get("ESCHOOL_TEST_POSTGRES_DSN", "")
KEY = b"school-42 secret, kept by the host"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
_TAMPER = settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_TABLES = ("audit_entries", "audit_checkpoints")


class Database:
    """A store and a raw connection to its database, for playing the intruder."""

    def __init__(self, store: SqlStore, engine: sa.Engine, schema: str | None = None) -> None:
        self.store = store
        self.engine = engine
        self.schema = schema

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        """Run ``sql`` in its own transaction, with the append-only triggers in place."""
        with self.engine.begin() as conn:
            conn.execute(sa.text(sql), params or {})

    def tamper(self, *statements: tuple[str, dict[str, Any]]) -> None:
        """Run ``statements`` in one transaction with the append-only triggers lifted."""
        with self.engine.begin() as conn:
            if self.store.dialect == "sqlite":
                for table in _TABLES:
                    for operation in ("update", "delete"):
                        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
            else:
                for table in _TABLES:
                    conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            for sql, params in statements:
                conn.execute(sa.text(sql), params)
            if self.store.dialect == "postgresql":
                for table in _TABLES:
                    conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")

    def entries(self) -> list[AuditEntry]:
        """The stored entries, through the store."""
        with self.store.unit_of_work() as uow:
            return list(uow.audit.read())

    def verify(self, *, key: bytes | None = None, **options: Any) -> Verification:
        """Verify the stored log through the store."""
        with self.store.unit_of_work() as uow:
            return AuditLog(uow.audit, key=key).verify(**options)

    def close(self) -> None:
        """Close the store and the raw engine."""
        self.store.close()
        self.engine.dispose()


_counter = itertools.count()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Database]]:
    """A factory of new, empty stores with raw access, on SQLite files or on PostgreSQL."""
    opened: list[Database] = []
    if request.param == "postgres":
        new_schema: Callable[[], str] = request.getfixturevalue("postgres_schema")

    def make() -> Database:
        for database in opened:
            database.close()
        opened.clear()
        if request.param == "sqlite":
            path = tmp_path / f"school{next(_counter)}.sqlite"
            database = Database(
                SqlStore(str(path), create=True), sa.create_engine(f"sqlite:///{path}")
            )
        else:
            schema = new_schema()
            url = "postgresql+psycopg://" + POSTGRES_DSN.split("://", 1)[1]
            engine = sa.create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
            database = Database(SqlStore(POSTGRES_DSN, schema=schema, create=True), engine, schema)
        opened.append(database)
        return database

    yield make
    for database in opened:
        database.close()


def fill(
    database: Database,
    n: int,
    *,
    key: bytes | None = None,
    checkpoint_every: int | None = None,
) -> list[AuditEntry]:
    """Append ``n`` changes in one committed unit of work and return them."""
    with database.store.unit_of_work() as uow:
        log = AuditLog(uow.audit, key=key, checkpoint_every=checkpoint_every)
        for i in range(n):
            log.record_change(
                account_id=f"acc{i % 3}",
                at=T0 + dt.timedelta(minutes=i),
                action="mark.write",
                target={"student_id": f"s{i}", "subject_id": "math"},
                before=None if i % 2 else {"value": "4"},
                after={"value": str(i % 5 + 1)},
            )
        uow.commit()
        return list(uow.audit.read())


def _insert(table: str, row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A raw INSERT of ``row`` into the audit table ``table``, with its parameters."""
    columns = ", ".join(row)
    values = ", ".join(f":{name}" for name in row)
    return (f"INSERT INTO {table} ({columns}) VALUES ({values})", row)  # noqa: S608 - our names


def located(result: Verification) -> tuple[bool, int | None, ChainProblem | None]:
    return (result.ok, result.position, result.problem)


class TestAppendOnly:
    def test_update_of_an_entry_is_refused(self, databases: Callable[[], Database]) -> None:
        """R3.1b: a direct SQL UPDATE of an audit row is refused by the database's trigger."""
        database = databases()
        before = fill(database, 3)
        with pytest.raises(sa.exc.DBAPIError, match=APPEND_ONLY_MESSAGE):
            database.execute("UPDATE audit_entries SET account_id = 'intruder' WHERE position = 1")
        with pytest.raises(sa.exc.DBAPIError, match=APPEND_ONLY_MESSAGE):
            database.execute("UPDATE audit_entries SET position = position + 10")
        assert database.entries() == before
        assert database.verify().ok

    def test_delete_of_an_entry_is_refused(self, databases: Callable[[], Database]) -> None:
        """R3.1b: a direct SQL DELETE of audit rows, one or all, is refused by the trigger."""
        database = databases()
        before = fill(database, 3)
        for sql in (
            "DELETE FROM audit_entries WHERE position = 2",
            "DELETE FROM audit_entries",
        ):
            with pytest.raises(sa.exc.DBAPIError, match=APPEND_ONLY_MESSAGE):
                database.execute(sql)
        assert database.entries() == before

    def test_checkpoints_are_append_only(self, databases: Callable[[], Database]) -> None:
        """R3.1b: stored checkpoints can be neither changed nor removed by direct SQL."""
        database = databases()
        fill(database, 4, checkpoint_every=2)
        for sql in (
            "UPDATE audit_checkpoints SET head_hash = 'x'",
            "DELETE FROM audit_checkpoints WHERE length = 4",
        ):
            with pytest.raises(sa.exc.DBAPIError, match=APPEND_ONLY_MESSAGE):
                database.execute(sql)
        assert database.verify().checkpoints == 2

    @pytest.mark.postgres
    def test_truncate_is_refused_on_postgres(self, postgres_schema: Callable[[], str]) -> None:
        """R3.1b: on PostgreSQL a TRUNCATE of the audit tables is refused as well."""
        schema = postgres_schema()
        url = "postgresql+psycopg://" + POSTGRES_DSN.split("://", 1)[1]
        engine = sa.create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
        database = Database(SqlStore(POSTGRES_DSN, schema=schema, create=True), engine)
        try:
            fill(database, 2)
            for table in _TABLES:
                with pytest.raises(sa.exc.DBAPIError, match=APPEND_ONLY_MESSAGE):
                    database.execute(f"TRUNCATE {table}")
            assert len(database.entries()) == 2
        finally:
            database.close()

    def test_appends_go_on_after_a_refused_change(self, databases: Callable[[], Database]) -> None:
        """R3.1b: the triggers refuse changes only; the log keeps growing through the store."""
        database = databases()
        fill(database, 2)
        with pytest.raises(sa.exc.DBAPIError):
            database.execute("DELETE FROM audit_entries WHERE position = 1")
        with database.store.unit_of_work() as uow:
            AuditLog(uow.audit).record_change(
                account_id="acc9", at=T0, action="mark.write", target={}, before=None, after={}
            )
            uow.commit()
        assert database.verify().checked == 3


class TestTamper:
    @_TAMPER
    @given(n=st.integers(2, 8), data=st.data())
    def test_an_edited_field_is_found(
        self, databases: Callable[[], Database], n: int, data: st.DataObject
    ) -> None:
        """R3.1b, R12.5: a changed account, action or value of any entry is found there."""
        database = databases()
        fill(database, n)
        i = data.draw(st.integers(0, n - 1), label="position")
        column, value = data.draw(
            st.sampled_from(
                [
                    ("account_id", "intruder"),
                    ("action", "final_mark.write"),
                    ("value_after", '{"value":"5","edited":true}'),
                    ("target", '{"student_id":"other"}'),
                ]
            ),
            label="field",
        )
        database.tamper(
            (
                f"UPDATE audit_entries SET {column} = :value WHERE position = :i",  # noqa: S608 - the test's own column
                {"value": value, "i": i},
            )
        )
        assert located(database.verify()) == (False, i, ChainProblem.EDITED)

    @_TAMPER
    @given(n=st.integers(2, 8), data=st.data())
    def test_an_edited_timestamp_is_found(
        self, databases: Callable[[], Database], n: int, data: st.DataObject
    ) -> None:
        """R3.1b: moving any entry's moment, even by a second, is found at that entry."""
        database = databases()
        entries = fill(database, n)
        i = data.draw(st.integers(0, n - 1), label="position")
        moved = (entries[i].at + dt.timedelta(seconds=1)).isoformat()
        database.tamper(
            ("UPDATE audit_entries SET at = :at WHERE position = :i", {"at": moved, "i": i})
        )
        assert located(database.verify()) == (False, i, ChainProblem.EDITED)

    @_TAMPER
    @given(n=st.integers(3, 8), data=st.data())
    def test_a_removed_middle_entry_is_found(
        self, databases: Callable[[], Database], n: int, data: st.DataObject
    ) -> None:
        """R3.1b: deleting an entry from the middle is found where it was, named removed."""
        database = databases()
        fill(database, n)
        i = data.draw(st.integers(1, n - 2), label="position")
        database.tamper(("DELETE FROM audit_entries WHERE position = :i", {"i": i}))
        assert located(database.verify()) == (False, i, ChainProblem.REMOVED)

    @_TAMPER
    @given(n=st.integers(2, 8), data=st.data())
    def test_two_swapped_entries_are_found(
        self, databases: Callable[[], Database], n: int, data: st.DataObject
    ) -> None:
        """R3.1b: two entries that trade places are found at the first of them, named moved."""
        database = databases()
        fill(database, n)
        i, j = sorted(
            data.draw(
                st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True),
                label="positions",
            )
        )
        # The position is the key, so trading places is trading positions (through a spare
        # range, since the key is unique at every statement).
        params = {"i": i, "j": j, "spare": 1_000_000}
        database.tamper(
            (
                "UPDATE audit_entries SET position = position + :spare WHERE position IN (:i, :j)",
                params,
            ),
            (
                (
                    "UPDATE audit_entries SET position = CASE position WHEN :i + :spare THEN :j "
                    "ELSE :i END WHERE position >= :spare"
                ),
                params,
            ),
        )
        assert located(database.verify()) == (False, i, ChainProblem.MOVED)

    @_TAMPER
    @given(n=st.integers(2, 9), data=st.data())
    def test_the_last_entries_dropped_are_found_by_a_checkpoint(
        self, databases: Callable[[], Database], n: int, data: st.DataObject
    ) -> None:
        """R3.1b: dropping the last entries leaves an intact chain, but the stored checkpoint
        finds the log truncated where the dropped entries began."""
        database = databases()
        fill(database, n)
        with database.store.unit_of_work() as uow:
            AuditLog(uow.audit).checkpoint(T0 + dt.timedelta(days=1))
            uow.commit()
        dropped = data.draw(st.integers(1, n - 1), label="dropped")
        database.tamper(("DELETE FROM audit_entries WHERE position >= :cut", {"cut": n - dropped}))
        with database.store.unit_of_work() as uow:
            assert AuditLog(MemoryAuditLogStore(uow.audit.read())).verify().ok  # the chain alone
        assert located(database.verify()) == (False, n - dropped, ChainProblem.TRUNCATED)

    @_TAMPER
    @given(n=st.integers(2, 9), data=st.data())
    def test_a_full_rewrite_is_found_by_an_exported_checkpoint(
        self, databases: Callable[[], Database], n: int, data: st.DataObject
    ) -> None:
        """R3.1b: a log rewritten from some entry on, hashes recomputed and the stored
        checkpoints replaced, is intact as a chain; the checkpoints the host exported find it
        rewritten, between the last one that still matches and the first that does not."""
        database = databases()
        fill(database, n, checkpoint_every=3)
        with database.store.unit_of_work() as uow:
            log = AuditLog(uow.audit)
            log.checkpoint(T0 + dt.timedelta(days=1))
            uow.commit()
            exported = checkpoints_to_json(log.checkpoints())
        kept = checkpoints_from_json(exported)
        p = data.draw(st.integers(0, n - 1), label="first rewritten")
        original = database.entries()
        forged = AuditLog(MemoryAuditLogStore(original[:p]))
        for entry in original[p:]:
            forged.record_change(
                account_id=entry.account_id,
                at=entry.at,
                action=entry.action,
                target=entry.target,
                before=entry.before,
                after={"value": "2", "by": "intruder"} if entry.position == p else entry.after,
            )
        rewritten = list(forged.store.read())
        assert rewritten[p].hash != original[p].hash
        statements: list[tuple[str, dict[str, Any]]] = [
            ("DELETE FROM audit_checkpoints", {}),
            ("DELETE FROM audit_entries WHERE position >= :p", {"p": p}),
        ]
        statements += [_insert("audit_entries", entry_row(entry)) for entry in rewritten[p:]]
        checkpoint = forged.checkpoint(T0 + dt.timedelta(days=1))
        assert checkpoint is not None
        statements.append(_insert("audit_checkpoints", checkpoint_row(checkpoint)))
        database.tamper(*statements)
        assert database.verify().ok  # the stored witness was replaced too
        result = database.verify(checkpoints=kept)
        (rewrite,) = [d for d in result.damages if d.problem is ChainProblem.REWRITTEN]
        assert rewrite.through is not None
        assert rewrite.position <= p <= rewrite.through
        assert rewrite.position == p - p % 3  # the last exported checkpoint that still matches
        assert rewrite.through == min(p - p % 3 + 3, n) - 1

    @_TAMPER
    @given(n=st.integers(1, 8), forger_key=st.sampled_from([None, b"a guessed key"]))
    def test_a_forged_append_is_found_with_the_key(
        self, databases: Callable[[], Database], n: int, forger_key: bytes | None
    ) -> None:
        """R3.1b, R12.5: an append made without the school's key, correctly chained, is a
        valid chain; verified with the key it is found at its position."""
        database = databases()
        fill(database, n, key=KEY)
        with database.store.unit_of_work() as uow:
            AuditLog(uow.audit, key=forger_key).record_change(
                account_id="acc0",
                at=T0 + dt.timedelta(hours=5),
                action="final_mark.write",
                target={"student_id": "s1"},
                before={"value": "3"},
                after={"value": "5"},
            )
            uow.commit()
        assert database.verify().ok  # the chain alone cannot tell
        expected = ChainProblem.UNSIGNED if forger_key is None else ChainProblem.FORGED
        assert located(database.verify(key=KEY)) == (False, n, expected)

    def test_a_forged_checkpoint_is_found_with_the_key(
        self, databases: Callable[[], Database]
    ) -> None:
        """R3.1b: a checkpoint added without the key is found at its head: with the key (no
        MAC), and without it too (unnumbered among numbered ones)."""
        database = databases()
        entries = fill(database, 4, key=KEY, checkpoint_every=2)
        with database.store.unit_of_work() as uow:
            uow.audit.add_checkpoint(Checkpoint(length=3, head_hash=entries[2].hash, at=T0))
            uow.commit()
        assert located(database.verify()) == (False, 2, ChainProblem.FORGED_CHECKPOINT)
        assert located(database.verify(key=KEY)) == (False, 2, ChainProblem.FORGED_CHECKPOINT)

    def test_an_entry_edited_with_its_hash_recomputed_is_found_with_the_key(
        self, databases: Callable[[], Database]
    ) -> None:
        """R3.1b: re-hashing an edited last entry hides it from the chain, not from the key."""
        database = databases()
        entries = fill(database, 3, key=KEY)
        edited = attrs.evolve(entries[2], account_id="intruder")
        database.tamper(
            (
                "UPDATE audit_entries SET account_id = 'intruder', hash = :hash WHERE position = 2",
                {"hash": edited.computed_hash()},
            )
        )
        assert database.verify().ok
        assert located(database.verify(key=KEY)) == (False, 2, ChainProblem.FORGED)


class TestReadOnlyReader:
    def test_reads_what_the_store_holds(self, databases: Callable[[], Database]) -> None:
        """R3.1b: read_audit_log returns the stored entries and checkpoints and refuses writes."""
        database = databases()
        entries = fill(database, 5, key=KEY, checkpoint_every=2)
        with database.store.unit_of_work() as uow:
            checkpoints = list(uow.audit.checkpoints())
        if database.store.dialect == "sqlite":
            read = read_audit_log(database.store.target)
        else:
            read = read_audit_log(POSTGRES_DSN, schema=database.schema)
        assert (list(read.read()), list(read.checkpoints())) == (entries, checkpoints)
        assert AuditLog(read, key=KEY).verify().ok
        with pytest.raises(StorageError) as caught:
            AuditLog(read).checkpoint(T0)
        assert caught.value.code == "audit.read_only"

    @pytest.mark.postgres
    def test_a_schema_without_a_store_is_not_created(
        self, postgres_schema: Callable[[], str]
    ) -> None:
        """R3.1b: reading a PostgreSQL schema that holds no store raises and creates nothing."""
        schema = postgres_schema() + "_empty"
        url = "postgresql+psycopg://" + POSTGRES_DSN.split("://", 1)[1]
        engine = sa.create_engine(url)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            with pytest.raises(NotFoundError) as caught:
                read_audit_log(POSTGRES_DSN, schema=schema)
            assert caught.value.code == "storage.no_store"
            with engine.connect() as conn:
                assert sa.inspect(conn).get_table_names(schema=schema) == []
        finally:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            engine.dispose()


class TestConcurrentAppends:
    def test_two_writers_queue_and_lose_nothing(self, databases: Callable[[], Database]) -> None:
        """R3.1b: two threads appending in their own units of work at once keep every entry
        in one intact chain: the second appender waits for the first to commit."""
        database = databases()
        target = database.store.target
        problems: list[BaseException] = []

        def writer(name: str) -> None:
            store = SqlStore(target, schema=database.schema, create=True)
            try:
                for i in range(15):
                    with store.unit_of_work() as uow:
                        AuditLog(uow.audit).record_change(
                            account_id=name,
                            at=T0,
                            action="mark.write",
                            target={"i": i},
                            before=None,
                            after=None,
                        )
                        time.sleep(0.002)  # widen the window between reading the head and commit
                        uow.commit()
            except BaseException as error:
                problems.append(error)
            finally:
                store.close()

        threads = [threading.Thread(target=writer, args=(f"acc{n}",)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert problems == []
        result = database.verify()
        assert (result.ok, result.checked) == (True, 30)
        accounts = [entry.account_id for entry in database.entries()]
        assert sorted(set(accounts)) == ["acc0", "acc1"]
        assert accounts.count("acc0") == accounts.count("acc1") == 15
