"""Numbered, chained checkpoints on SQLite and PostgreSQL: every kind of damage is named.

An intruder with direct access to the database (the append-only triggers lifted, as in
``test_audit_store``) deletes, cuts, swaps and edits entries and checkpoints; each test
checks that :meth:`AuditLog.verify` names what he did, with the stored checkpoints alone
where they suffice and against the host's sink (a file of JSON lines) where they cannot
(R3.1b, R12.5).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

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
    Damage,
    FileCheckpointSink,
    Verification,
    read_checkpoint_file,
)
from eschool_core.closures import PeriodClosure
from eschool_core.storage.sql import SCHEMA_VERSION, SqlStore, read_audit_log
from eschool_core.testing import load
from tests.service_helpers import school_data
from tests.storage.test_audit_store import KEY, T0, Database, databases

__all__ = ["databases"]  # the fixture, shared with the append-only tests

_TAMPER = settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
EVERY = 3


def write(
    database: Database, n: int, sink: FileCheckpointSink, *, key: bytes | None = None
) -> list[AuditEntry]:
    """Append ``n`` changes with a checkpoint every :data:`EVERY`, each sent to ``sink``."""
    with database.store.unit_of_work() as uow:
        log = AuditLog(uow.audit, key=key, checkpoint_every=EVERY, sink=sink)
        for i in range(n):
            log.record_change(
                account_id=f"acc{i % 2}",
                at=T0 + dt.timedelta(minutes=i),
                action="mark.write",
                target={"mark_id": f"m{i}"},
                before=None,
                after={"value": str(i % 5 + 1)},
            )
        uow.commit()
        return list(uow.audit.read())


def kinds(result: Verification) -> set[ChainProblem]:
    return {damage.problem for damage in result.damages}


def named(result: Verification, problem: ChainProblem) -> list[Damage]:
    return [damage for damage in result.damages if damage.problem is problem]


@pytest.fixture
def sink(tmp_path: Path) -> FileCheckpointSink:
    return FileCheckpointSink(tmp_path / "sink" / "checkpoints.jsonl")


@pytest.fixture
def fresh(sink: FileCheckpointSink) -> Callable[[Callable[[], Database]], FileCheckpointSink]:
    def reset(_: Callable[[], Database]) -> FileCheckpointSink:
        sink.path.parent.mkdir(exist_ok=True)
        sink.path.write_text("")
        return sink

    return reset


class TestNumbering:
    def test_checkpoints_are_numbered_chained_and_sent_to_the_sink(
        self, databases: Callable[[], Database], sink: FileCheckpointSink
    ) -> None:
        """R3.1b: stored checkpoints are numbered from 1, each linked to the one before, and
        the sink received each of them exactly as stored."""
        sink.path.parent.mkdir()
        database = databases()
        write(database, 7, sink, key=KEY)
        with database.store.unit_of_work() as uow:
            stored = list(uow.audit.checkpoints())
        assert [(c.number, c.length) for c in stored] == [(1, 3), (2, 6)]
        assert stored[1].previous == stored[0].digest()
        assert read_checkpoint_file(sink.path) == tuple(stored)
        result = database.verify(key=KEY, checkpoints=read_checkpoint_file(sink.path))
        assert (result.ok, result.unnumbered) == (True, 0)


class TestNamedDamage:
    @_TAMPER
    @given(n=st.integers(7, 12), data=st.data())
    def test_a_deleted_stored_checkpoint_is_missing(
        self,
        databases: Callable[[], Database],
        fresh: Callable[[Callable[[], Database]], FileCheckpointSink],
        n: int,
        data: st.DataObject,
    ) -> None:
        """R3.1b: deleting any stored checkpoint is reported as checkpoint_missing: from the
        gap in the numbers when a later one remains, against the sink when it was the last."""
        sink = fresh(databases)
        database = databases()
        write(database, n, sink)
        count = n // EVERY
        number = data.draw(st.integers(1, count), label="deleted")
        database.tamper(("DELETE FROM audit_checkpoints WHERE number = :n", {"n": number}))
        alone = database.verify()
        with_sink = database.verify(checkpoints=read_checkpoint_file(sink.path))
        if number < count:
            assert kinds(alone) == {ChainProblem.CHECKPOINT_MISSING}
            assert [d.checkpoint for d in alone.damages] == [number]
        else:
            assert alone.ok  # the last one leaves no gap: only the sink can tell
        assert kinds(with_sink) == {ChainProblem.CHECKPOINT_MISSING}
        assert [d.checkpoint for d in with_sink.damages] == [number]

    @_TAMPER
    @given(n=st.integers(4, 12).filter(lambda n: n % EVERY), data=st.data())
    def test_a_tail_cut_past_the_last_stored_checkpoint_is_found_against_the_sink(
        self,
        databases: Callable[[], Database],
        fresh: Callable[[Callable[[], Database]], FileCheckpointSink],
        n: int,
        data: st.DataObject,
    ) -> None:
        """R3.1b: entries cut after the last stored checkpoint leave an intact log, which
        the stored checkpoints cannot tell; the head the host exported (``eschool audit
        checkpoints --head``), or a sink checkpoint deleted from the store with the tail,
        finds it truncated where the cut begins."""
        sink = fresh(databases)
        database = databases()
        entries = write(database, n, sink)
        with database.store.unit_of_work() as uow:
            last = uow.audit.checkpoints()[-1].length
        exported = Checkpoint(length=n, head_hash=entries[-1].hash, at=T0 + dt.timedelta(days=1))
        cut = data.draw(st.integers(last, n - 1), label="cut")
        database.tamper(("DELETE FROM audit_entries WHERE position >= :cut", {"cut": cut}))
        assert database.verify().ok  # the stored checkpoints see nothing
        result = database.verify(checkpoints=[exported, *read_checkpoint_file(sink.path)])
        assert (result.ok, result.damages) == (
            False,
            (Damage(problem=ChainProblem.TRUNCATED, position=cut),),
        )
        # Cut below the last stored checkpoint, deleting it too: the sink still has it.
        database.tamper(
            ("DELETE FROM audit_entries WHERE position >= :cut", {"cut": last - 1}),
            ("DELETE FROM audit_checkpoints WHERE length >= :cut", {"cut": last}),
        )
        assert database.verify().ok
        result = database.verify(checkpoints=read_checkpoint_file(sink.path))
        assert (result.position, result.problem) == (last - 1, ChainProblem.TRUNCATED)
        assert kinds(result) == {ChainProblem.TRUNCATED, ChainProblem.CHECKPOINT_MISSING}

    @_TAMPER
    @given(n=st.integers(7, 14), data=st.data())
    def test_a_cut_tail_with_its_checkpoints_deleted_is_found_with_the_key(
        self,
        databases: Callable[[], Database],
        fresh: Callable[[Callable[[], Database]], FileCheckpointSink],
        n: int,
        data: st.DataObject,
    ) -> None:
        """R3.1b: cutting the tail and every stored checkpoint past the cut leaves a log that
        is consistent on its own; with the key, the sink's signed checkpoints find it both
        truncated and missing its checkpoints (and a forged sink line is refused)."""
        sink = fresh(databases)
        database = databases()
        write(database, n, sink, key=KEY)
        cut = data.draw(st.integers(1, EVERY * (n // EVERY) - 1), label="cut")
        database.tamper(
            ("DELETE FROM audit_entries WHERE position >= :cut", {"cut": cut}),
            ("DELETE FROM audit_checkpoints WHERE length > :cut", {"cut": cut}),
        )
        assert database.verify(key=KEY).ok
        result = database.verify(key=KEY, checkpoints=read_checkpoint_file(sink.path))
        assert kinds(result) == {ChainProblem.TRUNCATED, ChainProblem.CHECKPOINT_MISSING}
        assert named(result, ChainProblem.TRUNCATED)[0].position == cut
        gone = {d.checkpoint for d in named(result, ChainProblem.CHECKPOINT_MISSING)}
        assert gone == set(range(cut // EVERY + 1, n // EVERY + 1))
        # The intruder cannot make the sink's copies agree with him without the key.
        forged = [
            Checkpoint(length=c.length, head_hash=c.head_hash, at=c.at, number=c.number,
                       previous=c.previous, mac="0" * 64)
            for c in read_checkpoint_file(sink.path)
        ]  # fmt: skip
        assert ChainProblem.CHECKPOINT_EDITED in kinds(database.verify(key=KEY, checkpoints=forged))

    @_TAMPER
    @given(n=st.integers(9, 12), data=st.data())
    def test_swapped_checkpoints_are_named_edited(
        self,
        databases: Callable[[], Database],
        fresh: Callable[[Callable[[], Database]], FileCheckpointSink],
        n: int,
        data: st.DataObject,
    ) -> None:
        """R3.1b: two stored checkpoints that trade numbers are reported as edited."""
        sink = fresh(databases)
        database = databases()
        write(database, n, sink)
        i, j = sorted(
            data.draw(st.lists(st.integers(1, n // EVERY), min_size=2, max_size=2, unique=True))
        )
        database.tamper(
            (
                (
                    "UPDATE audit_checkpoints SET number = CASE number WHEN :i THEN :j ELSE :i END "
                    "WHERE number IN (:i, :j)"
                ),
                {"i": i, "j": j},
            )
        )
        result = database.verify()
        assert kinds(result) == {ChainProblem.CHECKPOINT_EDITED}
        assert named(result, ChainProblem.CHECKPOINT_EDITED)[0].position == EVERY * i - 1

    @_TAMPER
    @given(
        n=st.integers(7, 12),
        column=st.sampled_from(["head_hash", "at"]),
        keyed=st.booleans(),
        data=st.data(),
    )
    def test_an_edited_checkpoint_is_named_edited(  # noqa: PLR0917 - hypothesis arguments
        self,
        databases: Callable[[], Database],
        fresh: Callable[[Callable[[], Database]], FileCheckpointSink],
        n: int,
        column: str,
        keyed: bool,
        data: st.DataObject,
    ) -> None:
        """R3.1b: a stored checkpoint's head or moment changed is checkpoint_edited, not a
        rewrite of the entries: by its MAC with the key, by the next checkpoint's link, and
        by the sink's copy also for the last one. Without the key or the sink, the last
        checkpoint's head changed cannot be told from entries rewritten (it is reported
        rewritten), and its moment changed is not seen."""
        sink = fresh(databases)
        database = databases()
        write(database, n, sink, key=KEY if keyed else None)
        count = n // EVERY
        number = data.draw(st.integers(1, count), label="edited")
        value = "f" * 64 if column == "head_hash" else (T0 + dt.timedelta(days=9)).isoformat()
        database.tamper(
            (
                f"UPDATE audit_checkpoints SET {column} = :v WHERE number = :n",  # noqa: S608
                {"v": value, "n": number},
            )
        )
        key = KEY if keyed else None
        with_sink = database.verify(key=key, checkpoints=read_checkpoint_file(sink.path))
        assert kinds(with_sink) == {ChainProblem.CHECKPOINT_EDITED}, with_sink.explain()
        assert [d.checkpoint for d in with_sink.damages] == [number]
        alone = database.verify(key=key)
        if keyed or number < count:
            assert alone.damages == with_sink.damages
        elif column == "head_hash":
            assert kinds(alone) == {ChainProblem.REWRITTEN}
        else:
            assert alone.ok

    @_TAMPER
    @given(n=st.integers(3, 9), data=st.data())
    def test_edited_entries_are_named_edited(
        self,
        databases: Callable[[], Database],
        fresh: Callable[[Callable[[], Database]], FileCheckpointSink],
        n: int,
        data: st.DataObject,
    ) -> None:
        """R3.1b, R12.5: an entry's value edited in place is named edited at its position."""
        sink = fresh(databases)
        database = databases()
        write(database, n, sink)
        i = data.draw(st.integers(0, n - 1), label="position")
        database.tamper(
            (
                "UPDATE audit_entries SET value_after = :v WHERE position = :i",
                {"v": '{"value":"edited"}', "i": i},
            )
        )
        result = database.verify(checkpoints=read_checkpoint_file(sink.path))
        assert (result.position, result.problem) == (i, ChainProblem.EDITED)


class TestStoresBeforeNumbering:
    def test_a_version_4_store_is_read_migrated_and_numbered_on(self, tmp_path: Path) -> None:
        """R3.1b: a store of schema version 4 with unnumbered checkpoints still verifies (read
        as it is, and reported unnumbered); opened for writing it migrates in place, keeps
        them, and numbers the checkpoints taken after them."""
        path = tmp_path / "old.sqlite"
        database = Database(SqlStore(str(path), create=True), sa.create_engine(f"sqlite:///{path}"))
        entries = write(database, 4, FileCheckpointSink(tmp_path / "unused.jsonl"))
        database.close()
        downgrade_to_version_4(path, entries)
        old = AuditLog(read_audit_log(str(path))).verify()
        assert (old.ok, old.checkpoints, old.unnumbered) == (True, 1, 1)
        store = SqlStore(str(path), create=True)  # migrates to the current version
        with store.unit_of_work() as uow:
            log = AuditLog(uow.audit)
            log.record_change(
                account_id="acc0", at=T0, action="mark.write", target={}, before=None, after=None
            )
            taken = log.checkpoint(T0)
            first = log.checkpoints()[0]
            uow.commit()
        assert taken is not None
        assert (first.number, taken.number, taken.previous) == (None, 2, first.digest())
        store.close()
        result = AuditLog(read_audit_log(str(path))).verify()
        assert (result.ok, result.checkpoints, result.unnumbered) == (True, 2, 1)
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT version FROM eschool_schema").fetchall() == [
                (SCHEMA_VERSION,)
            ]

    def test_a_version_4_store_gains_the_reopening_scope(self, tmp_path: Path) -> None:
        """R8.9: migrated in place, a version 4 store's reopened closure is read without a
        class, subject and teacher, and one reopened now keeps them."""
        path = tmp_path / "old.sqlite"
        database = Database(SqlStore(str(path), create=True), sa.create_engine(f"sqlite:///{path}"))
        entries = write(database, 4, FileCheckpointSink(tmp_path / "unused.jsonl"))
        database.close()
        school = SqlStore(str(path), create=True)
        load(school, school_data())
        with school.unit_of_work() as uow:
            uow.period_closures.add(_REOPENED)
            uow.commit()
        school.close()
        downgrade_to_version_4(path, entries)
        store = SqlStore(str(path), create=True)
        with store.unit_of_work() as uow:
            old = uow.period_closures.get(_REOPENED.id)
            uow.period_closures.update(attrs.evolve(old, **_SCOPE))
            uow.commit()
        with store.unit_of_work() as uow:
            scoped = uow.period_closures.get(_REOPENED.id)
        store.close()
        assert old == attrs.evolve(_REOPENED, **dict.fromkeys(_SCOPE))
        assert scoped == _REOPENED


_SCOPE = {
    "reopened_class_id": "5a",
    "reopened_subject_id": "math",
    "reopened_teacher_id": "t1",
}
_REOPENED = PeriodClosure(
    id="2025/2026:Q1",
    year="2025/2026",
    period="Q1",
    closed_at=T0,
    closed_by="dh",
    reopened_at=T0 + dt.timedelta(days=1),
    reopened_by="dh",
    reopen_reason="апелляция",
    **_SCOPE,
)
"""A reopened closure of Q1 (R8.9)."""


def downgrade_to_version_4(path: Path, entries: list[AuditEntry]) -> None:
    """Make ``path`` what schema version 4 stored: checkpoints without number columns,
    period closures without the reopening's class, subject and teacher."""
    head = entries[2]
    conn = sqlite3.connect(path)
    _without_the_reopening_scope(conn)
    conn.executescript(
        "DROP TABLE audit_checkpoints;"
        "CREATE TABLE audit_checkpoints (length INTEGER PRIMARY KEY, head_hash TEXT NOT NULL,"
        " at TEXT NOT NULL, mac TEXT, CHECK (length >= 1));"
        "UPDATE eschool_schema SET version = 4;"
    )
    conn.execute(
        "INSERT INTO audit_checkpoints VALUES (3, ?, ?, NULL)", (head.hash, head.at.isoformat())
    )
    conn.commit()
    conn.close()


def _without_the_reopening_scope(conn: sqlite3.Connection) -> None:
    """Rebuild ``period_closures`` as version 4 had it: no reopening class, subject, teacher."""
    scoped = ("reopened_class_id", "reopened_subject_id", "reopened_teacher_id")
    [(table,)] = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'period_closures'")
    indexes = [
        sql
        for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'period_closures'"
            " AND sql IS NOT NULL"
        )
    ]
    kept = [line for line in table.splitlines() if not any(name in line for name in scoped)]
    old_table = re.sub(r",\s*\)\s*$", "\n)", "\n".join(kept))
    columns = [
        name
        for (_cid, name, *_rest) in conn.execute("PRAGMA table_info(period_closures)")
        if name not in scoped
    ]
    listed = ", ".join(columns)
    conn.execute("ALTER TABLE period_closures RENAME TO period_closures_v5")
    conn.execute(old_table)
    conn.execute(
        f"INSERT INTO period_closures ({listed}) SELECT {listed} FROM period_closures_v5"  # noqa: S608
    )
    conn.execute("DROP TABLE period_closures_v5")
    for sql in indexes:
        conn.execute(sql)
