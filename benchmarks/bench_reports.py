"""Benchmark: every named report of the ``large`` synthetic school for one period, as text.

Generates the ``large`` school (seed 1) with its movement orders and the deadline checker's
findings, builds the :class:`~eschool_core.reports.ReportData` once, then times each report of
the catalogue (study period Q2; class 5А, its first student, the first teacher; school-wide
reports without filters) from building to rendering as a rich text table (target < 2 s
each). The first report to need an index (marks by lesson, rosters) pays for building it.

Run with ``make bench``, or as a script that prints one line per report:
``.venv/bin/python benchmarks/bench_reports.py [size]``.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from functools import cache

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from eschool_core.deadlines import ComplianceData
from eschool_core.profiles import default_profile, rules_for
from eschool_core.reports import CATALOGUE, ReportData, ReportParams, render_text, run_report
from eschool_core.synth import academic_year_of, generate
from eschool_core.year_data import SchoolYearData

GENERATED = dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC)


@cache
def school_data(size: str = "large") -> ReportData:
    """Generate a school and build its report data with the checker's findings."""
    school = generate(size, seed=1)
    orders = school.orders
    rules = rules_for(default_profile(), academic_year_of(school), school.school)
    compliance = rules.checker.check(
        ComplianceData(
            year_data=SchoolYearData(
                year=school.year_data.year,
                school=school.school,
                classes=school.classes,
                memberships=school.memberships,
                lessons=school.lessons,
                marks=school.marks,
                attendance=school.attendance,
                orders=orders,
            )
        ),
        dt.date(2026, 8, 31),
    )
    return ReportData.from_synthetic(school, rules, orders=orders, compliance=compliance)


def params_for(code: str, data: ReportData) -> ReportParams:
    """Return the parameters of one report: period Q2, class 5А, its first student."""
    definition = CATALOGUE[code]
    school_class = data.get_class("5А")
    span = data.period(school_class.parallel, "Q2")
    values: dict[str, object] = {
        "class_id": school_class.id,
        "student_id": data.roster(school_class.id, span.end)[0],
        "teacher_id": data.assignments[0].teacher_id,
        "period": "Q2",
        "as_of": span.end,
    }
    # Optional filters stay off, so the school-wide reports cover the whole school.
    optional = [n for n in definition.optional if n in {"period", "as_of"}]
    if code == "student_average":
        optional.append("class_id")
    names = [*definition.required, *optional]
    return ReportParams(**{k: v for k, v in values.items() if k in names})  # type: ignore[arg-type]


def build_and_render(code: str, data: ReportData) -> str:
    """Build one report and render it as text."""
    report = run_report(code, data, params_for(code, data), generated_at=GENERATED)
    return render_text(report)


@pytest.mark.slow
@pytest.mark.parametrize("code", list(CATALOGUE))
def test_report_as_text(benchmark: BenchmarkFixture, code: str) -> None:
    data = school_data()
    text = benchmark.pedantic(build_and_render, args=(code, data), rounds=3, iterations=1)
    assert CATALOGUE[code].title.ru in text


def main(size: str = "large") -> None:
    """Print the build-and-render time of every report."""
    started = time.perf_counter()
    data = school_data(size)
    print(f"data: {time.perf_counter() - started:.1f} s ({len(data.marks):,} marks)")
    worst = 0.0
    for code in CATALOGUE:
        started = time.perf_counter()
        build_and_render(code, data)
        elapsed = time.perf_counter() - started
        worst = max(worst, elapsed)
        print(f"{code:34s} {elapsed * 1000:8.1f} ms")
    print(f"slowest: {worst * 1000:.1f} ms")


if __name__ == "__main__":
    main(*sys.argv[1:2])
