"""Benchmark: one mark entered, and one mark corrected, in a unit of work of its own (R8.6).

A correction reads the mark, appends a ``MarkEdit`` (keeping the history at three) and
updates it, so the SQL store runs its version-checked ``UPDATE ... WHERE id = :id AND
version = :read`` and commits. On a SQLite file (WAL, ``synchronous=NORMAL``) and in memory.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from eschool_core.ids import EmployeeId, MarkId
from eschool_core.journal import MarkEdit, MarkValue
from eschool_core.storage import MemoryStore, Store
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import load, sample_school

_MOMENT = dt.datetime(2025, 9, 2, 9, tzinfo=dt.UTC)


@pytest.fixture(params=["memory", "sqlite-file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store = (
        MemoryStore()
        if request.param == "memory"
        else SqlStore(str(tmp_path / "s.db"), create=True)
    )
    load(made, sample_school())
    yield made
    made.close()


def test_enter_one_mark(benchmark: Any, store: Store) -> None:
    numbers = itertools.count()
    with store.unit_of_work() as uow:
        template = uow.marks.get(MarkId("mk2"))

    def enter() -> None:
        with store.unit_of_work() as uow:
            uow.marks.add(attrs.evolve(template, id=MarkId(f"b{next(numbers)}")))
            uow.commit()

    benchmark(enter)


def test_correct_one_mark(benchmark: Any, store: Store) -> None:
    values = itertools.cycle((2, 3, 4, 5))

    def correct() -> None:
        with store.unit_of_work() as uow:
            mark = uow.marks.get(MarkId("mk2"))
            value = MarkValue.of(next(values))
            edit = MarkEdit(at=_MOMENT, by=EmployeeId("t1"), old_value=mark.value, new_value=value)
            uow.marks.update(attrs.evolve(mark, value=value, edits=(*mark.edits[-2:], edit)))
            uow.commit()

    benchmark.pedantic(correct, rounds=300, iterations=1)
