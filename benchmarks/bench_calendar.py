"""Benchmarks of the calendar: working-day arithmetic and building a standard year."""

from __future__ import annotations

from datetime import date

from pytest_benchmark.fixture import BenchmarkFixture

from eschool_core.calendar import ProductionCalendar, standard_year
from eschool_core.profiles import default_profile


def test_add_working_days(benchmark: BenchmarkFixture) -> None:
    cal = ProductionCalendar()
    cal.working_days_by_month(2025)  # warm the per-year cache

    def run() -> date:
        return cal.add_working_days(date(2025, 4, 30), 3)

    assert benchmark(run) == date(2025, 5, 7)


def test_working_days_year(benchmark: BenchmarkFixture) -> None:
    cal = ProductionCalendar()
    cal.working_days_by_month(2024)
    cal.working_days_by_month(2025)

    def run() -> int:
        return cal.working_days(date(2024, 9, 1), date(2025, 8, 31))

    assert benchmark(run) > 0


def test_standard_year(benchmark: BenchmarkFixture) -> None:
    policy = default_profile().calendar

    def run() -> int:
        year = standard_year("2025/2026", policy)
        return len(year.school_days(year.first_day, year.last_day, 5))

    assert benchmark(run) == 168
