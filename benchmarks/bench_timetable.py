"""Benchmark: lessons from the timetable and timetable validation on the `large` school."""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from eschool_core import synth
from eschool_core.timetable import generate_lessons, validate_timetable


@pytest.fixture(scope="module")
def large() -> synth.SyntheticSchool:
    return synth.generate("large", 1)


def test_generate_year_of_lessons(
    benchmark: BenchmarkFixture, large: synth.SyntheticSchool
) -> None:
    lessons = benchmark(
        generate_lessons, large.timetable, large.academic_year, classes=list(large.classes)
    )
    benchmark.extra_info["lessons"] = len(lessons)
    assert len(lessons) == len(large.lessons)


def test_validate_timetable(benchmark: BenchmarkFixture, large: synth.SyntheticSchool) -> None:
    findings = benchmark(
        validate_timetable,
        large.timetable,
        curriculum=large.curriculum,
        classes=large.classes,
        rooms=large.rooms,
        bell_schedules=large.bell_schedules,
    )
    benchmark.extra_info["entries"] = len(large.timetable.entries)
    assert findings == ()
