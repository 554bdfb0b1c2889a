"""Benchmark: period-mark proposals for a whole synthetic school, through the public API.

Generates the ``large`` synthetic school (deterministic, seed 1), writes it into the
in-memory store, reads every current mark back, and times
:func:`eschool_core.grading.propose_period_marks` for every student × subject × period
(quarters in grades 1-9, half-years in 10-11) with the default profile's policy
(target < 1 s for ~800,000 marks).

Run with ``make bench``, or as a script that also prints marks per second:
``.venv/bin/python benchmarks/bench_grading.py [size] [repeats]``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from eschool_core.grading import (
    GradingPolicy,
    PeriodKey,
    PeriodSpan,
    ProposedMark,
    propose_period_marks,
)
from eschool_core.ids import StudentId
from eschool_core.journal import Mark
from eschool_core.profiles import default_profile
from eschool_core.storage import MemoryStore
from eschool_core.synth import generate, write_to_store

Inputs = tuple[
    Sequence[Mark], Mapping[str, Sequence[PeriodSpan]], Mapping[StudentId, str], GradingPolicy
]


def school_inputs(size: str = "large") -> Inputs:
    """Generate the school into a store and read back what the proposals need."""
    school = generate(size, seed=1)
    store = MemoryStore()
    write_to_store(school, store)
    with store.unit_of_work() as uow:
        marks = uow.marks.all()
        memberships = uow.memberships.all()
        classes = {item.id: item for item in uow.classes.all()}
    periods = {
        str(parallel): [
            PeriodSpan(
                key=plan.code,
                start=plan.start,
                end=plan.end,
                kind="quarter" if plan.code.startswith("Q") else "half_year",
            )
            for plan in plans
        ]
        for parallel, plans in school.periods_by_parallel.items()
    }
    scheme_of = {item.student_id: str(classes[item.class_id].parallel) for item in memberships}
    return marks, periods, scheme_of, default_profile().grading


@pytest.fixture(scope="module")
def large_school() -> Inputs:
    return school_inputs("large")


def test_period_marks_large(benchmark: Any, large_school: Inputs) -> None:
    marks, periods, scheme_of, policy = large_school
    result = benchmark(propose_period_marks, marks, periods, policy, scheme_of=scheme_of)
    assert len(result) > 40_000


def main(size: str = "large", repeats: int = 5) -> None:
    started = time.perf_counter()
    marks, periods, scheme_of, policy = school_inputs(size)
    print(f"setup ({size}): {time.perf_counter() - started:.1f} s, {len(marks):,} marks")
    timings = []
    cpu = []
    result: Mapping[PeriodKey, ProposedMark] = {}
    for _ in range(repeats):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        result = propose_period_marks(marks, periods, policy, scheme_of=scheme_of)
        timings.append(time.perf_counter() - begin)
        cpu.append(time.process_time() - begin_cpu)
    best = min(timings)
    print(
        f"propose_period_marks: {len(result):,} proposals from {len(marks):,} marks; "
        f"wall best {best:.3f} s, median {statistics.median(timings):.3f} s; "
        f"CPU best {min(cpu):.3f} s, median {statistics.median(cpu):.3f} s ({repeats} runs); "
        f"{len(marks) / best:,.0f} marks/s"
    )


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "large",
        int(sys.argv[2]) if len(sys.argv) > 2 else 5,
    )
