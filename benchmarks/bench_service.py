"""Benchmarks of the write service on a SQLite file: one mark, a lesson's 30 marks, the overhead.

Each command authorizes, applies the edit window and the period lock, writes, appends its
audit entry and commits, in one unit of work (R3.1b, R8.6, R8.9).
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from tests.service_helpers import LESSON_DAY, STUDENTS, TEACHER, YEAR, at, school_data

from eschool_core.ids import EmployeeId, LessonId, MarkId, StudentId, SubjectId
from eschool_core.journal import Mark
from eschool_core.service import MarkEntry, SchoolService
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import load

_IDS = itertools.count()
_AT = at(LESSON_DAY + timedelta(days=1))
_LESSON = LessonId("l0")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    """A SQLite file holding the service tests' school (30 students of class 5a)."""
    sql = SqlStore(str(tmp_path / "school.sqlite"), create=True)
    load(sql, school_data())
    yield sql
    sql.close()


def _entry(student: str) -> MarkEntry:
    return MarkEntry(
        mark_id=MarkId(f"b{next(_IDS)}"), student_id=StudentId(student), value=5, work_type="answer"
    )


def test_enter_one_mark(benchmark: BenchmarkFixture, store: SqlStore) -> None:
    """One mark through the service (authorize, window and lock, audit, commit); target < 5 ms."""
    service = SchoolService(store, year=YEAR)
    benchmark(lambda: service.enter_mark(TEACHER, _AT, _LESSON, _entry("s1")))


def test_enter_a_lessons_30_marks(benchmark: BenchmarkFixture, store: SqlStore) -> None:
    """A lesson's 30 marks in one command (one audit entry, one commit); target < 20 ms."""
    service = SchoolService(store, year=YEAR)
    benchmark(lambda: service.enter_marks(TEACHER, _AT, _LESSON, [_entry(s) for s in STUDENTS]))


def _bare_write(store: SqlStore) -> None:
    mark = Mark(
        id=MarkId(f"b{next(_IDS)}"),
        student_id=StudentId("s1"),
        subject_id=SubjectId("math"),
        date=LESSON_DAY,
        lesson_id=_LESSON,
        value=5,
        work_type="answer",
        author_id=EmployeeId("t1"),
        entered_at=_AT,
    )
    with store.unit_of_work() as uow:
        uow.marks.add(mark)
        uow.commit()


def _times_ms(action: Callable[[], object], rounds: int) -> tuple[float, float]:
    """The median and the minimum of ``rounds`` calls, in milliseconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def test_overhead_over_a_bare_store_write(benchmark: BenchmarkFixture, store: SqlStore) -> None:
    """The service's one mark against the same mark added in a bare unit of work, in one run."""
    service = SchoolService(store, year=YEAR)
    rounds = 200
    bare, bare_min = _times_ms(lambda: _bare_write(store), rounds)
    through, through_min = _times_ms(
        lambda: service.enter_mark(TEACHER, _AT, _LESSON, _entry("s1")), rounds
    )
    benchmark.extra_info.update(
        bare_ms=round(bare, 3),
        service_ms=round(through, 3),
        ratio=round(through / bare, 2),
        ratio_of_minimums=round(through_min / bare_min, 2),
    )
    print(  # the figures of the one run, for benchmarks/README.md
        f"\nmedian: bare {bare:.3f} ms, service {through:.3f} ms, ratio {through / bare:.1f}; "
        f"minimum: bare {bare_min:.3f} ms, service {through_min:.3f} ms, "
        f"ratio {through_min / bare_min:.1f}"
    )
    benchmark.pedantic(lambda: _bare_write(store), rounds=1, iterations=1)
