"""Benchmarks of the stored audit log: a keyed append committed on SQLite, read and verify."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

from eschool_core.audit import AuditLog
from eschool_core.storage.sql import SqlStore, read_audit_log

KEY = b"0123456789abcdef0123456789abcdef"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _fill(store: SqlStore, n: int) -> None:
    with store.unit_of_work() as uow:
        log = AuditLog(uow.audit, key=KEY, checkpoint_every=1000)
        for i in range(n):
            log.record_change(
                account_id=f"acc{i % 40}",
                at=T0 + timedelta(seconds=i),
                action="mark.write",
                target={"student_id": f"s{i % 900}", "mark_id": f"m{i}"},
                before={"value": "4"},
                after={"value": "5", "reason": "исправление"},
            )
        uow.commit()


def test_keyed_append_committed_sqlite(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    """One keyed entry appended and committed in its own unit of work, on a SQLite file."""
    store = SqlStore(str(tmp_path / "audit.sqlite"), create=True)
    _fill(store, 1000)
    counter = itertools.count()

    def append() -> None:
        with store.unit_of_work() as uow:
            AuditLog(uow.audit, key=KEY).record_change(
                account_id="acc1",
                at=T0 + timedelta(days=1, seconds=next(counter)),
                action="mark.write",
                target={"mark_id": "m1"},
                before={"value": "4"},
                after={"value": "5"},
            )
            uow.commit()

    benchmark(append)
    store.close()


def test_read_and_verify_10000_keyed_sqlite(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    """read_audit_log of 10,000 keyed entries (10 checkpoints) and verify them with the key."""
    path = tmp_path / "audit.sqlite"
    store = SqlStore(str(path), create=True)
    _fill(store, 10_000)
    store.close()

    def verify() -> bool:
        return AuditLog(read_audit_log(str(path)), key=KEY).verify().ok

    assert benchmark(verify)
