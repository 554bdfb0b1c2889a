"""Concurrent writers in real processes: no correction of a mark is lost (R3.1b, R12.5, R8.6)."""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from eschool_core.storage.sql import SqlStore
from eschool_core.testing import load, sample_school
from tests.storage import concurrency_helpers

POSTGRES_DSN = os.environ.get("ESCHOOL_TEST_POSTGRES_DSN", "")

_MARKS = ("mk1", "mk2")
_CORRECTIONS = 200
_WORKERS = 2
_TIMEOUT = 120.0


def _run(
    target: Callable[..., None], jobs: list[tuple[tuple[Any, ...], dict[str, Any]]]
) -> list[Any]:
    """Run ``target`` once per job in processes of their own (spawn), all released at once."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(jobs))
    results: Any = context.Queue()
    processes = [
        context.Process(
            target=target, args=args, kwargs={**kwargs, "start": start, "results": results}
        )
        for args, kwargs in jobs
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=_TIMEOUT) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=_TIMEOUT)
            if process.is_alive():
                process.kill()
    return outcomes


def _corrections(target: str, schema: str | None) -> tuple[set[str], int, set[str]]:
    """Two processes × 200 corrections of the sample's two marks.

    Returns the reasons of the corrections reported kept, how many were refused, and the
    reasons of the corrections found in the marks' edit histories afterwards.
    """
    store = SqlStore(target, schema=schema, create=True)
    try:
        load(store, sample_school())
        with store.unit_of_work() as uow:
            before = {mark_id: len(uow.marks.get(mark_id).edits) for mark_id in _MARKS}
        outcomes = _run(
            concurrency_helpers.correct_marks,
            [
                (
                    (target, schema),
                    {"mark_ids": _MARKS, "worker": worker, "count": _CORRECTIONS},
                )
                for worker in range(_WORKERS)
            ],
        )
        failures = [outcome for outcome in outcomes if outcome[0] != "ok"]
        assert not failures, failures
        kept = {reason for outcome in outcomes for reason in outcome[2]}
        refused = sum(outcome[3] for outcome in outcomes)
        with store.unit_of_work() as uow:
            found = [
                edit.reason
                for mark_id in _MARKS
                for edit in uow.marks.get(mark_id).edits[before[mark_id] :]
            ]
            assert set(found) == kept, f"{len(kept - set(found))} of {len(kept)} kept were lost"
            assert len(found) == len(set(found)), "a correction was stored twice"
            # Each mark's version counts its kept corrections on top of the one load.
            versions = [uow.marks.version_of(mark_id) for mark_id in _MARKS]
            assert sum(versions) == len(_MARKS) + len(found)
    finally:
        store.close()
    return kept, refused, {reason for reason in found if reason is not None}


@pytest.fixture
def fresh_schema() -> Iterator[str]:
    """A PostgreSQL schema name nobody has created yet; dropped after the test."""
    if not POSTGRES_DSN:
        pytest.skip("ESCHOOL_TEST_POSTGRES_DSN is not set: PostgreSQL tests are skipped")
    import sqlalchemy as sa

    name = f"eschool_test_{uuid.uuid4().hex[:10]}_new"
    try:
        yield name
    finally:
        engine = sa.create_engine("postgresql+psycopg://" + POSTGRES_DSN.split("://", 1)[1])
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        finally:
            engine.dispose()


class TestNoLostCorrections:
    def test_sqlite_two_processes(self, tmp_path: Path) -> None:
        """SQLite: of 2 × 200 concurrent corrections none is lost (R3.1b, R12.5, R8.6)."""
        kept, refused, found = _corrections(str(tmp_path / "school.sqlite"), None)
        assert found == kept
        assert len(kept) + refused == _WORKERS * _CORRECTIONS

    @pytest.mark.postgres
    def test_postgres_two_processes(self, postgres_schema: Callable[[], str]) -> None:
        """PostgreSQL: each of 2 × 200 corrections is kept or refused, none lost (R3.1b, R12.5)."""
        kept, refused, found = _corrections(POSTGRES_DSN, postgres_schema())
        assert found == kept
        assert len(kept) + refused == _WORKERS * _CORRECTIONS


@pytest.mark.postgres
class TestOpeningANewSchema:
    def test_six_processes_open_one_new_schema(self, fresh_schema: str) -> None:
        """Six processes opening one new PostgreSQL schema at once all succeed (R2.2e)."""
        outcomes = _run(
            concurrency_helpers.open_schema,
            [((POSTGRES_DSN, fresh_schema), {"worker": worker}) for worker in range(6)],
        )
        assert [outcome for outcome in outcomes if outcome[0] != "ok"] == []
        store = SqlStore(POSTGRES_DSN, schema=fresh_schema, create=True)
        try:
            with store.unit_of_work() as uow:
                assert uow.marks.count() == 0
        finally:
            store.close()
