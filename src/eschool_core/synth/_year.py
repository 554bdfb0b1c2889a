"""The school days and study periods of a synthetic year (5-day week)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import holidays

from eschool_core.calendar import (
    AcademicYear,
    ParallelSchedule,
    StudyPeriod,
    Vacation,
    VacationKind,
    YearLabel,
)
from eschool_core.synth._model import SyntheticSchool

__all__ = ["SchoolYearPlan", "academic_year_of", "plan_year"]


class SchoolYearPlan:
    """The school days of a year and the study periods of each parallel.

    Args:
        first_year: The calendar year in which the academic year starts.
    """

    def __init__(self, first_year: int) -> None:
        self.start = _first_weekday(date(first_year, 9, 1))
        self.end = date(first_year + 1, 5, 26)
        # the pattern of the federal calendar: autumn, winter and spring vacations
        self.vacations = (
            (date(first_year, 10, 27), date(first_year, 11, 4)),
            (date(first_year, 12, 29), date(first_year + 1, 1, 11)),
            (date(first_year + 1, 3, 23), date(first_year + 1, 3, 31)),
        )
        state_holidays = holidays.country_holidays("RU", years=(first_year, first_year + 1))
        days = []
        day = self.start
        while day <= self.end:
            in_vacation = any(first <= day <= last for first, last in self.vacations)
            if day.weekday() < 5 and day not in state_holidays and not in_vacation:
                days.append(day)
            day += timedelta(days=1)
        self.school_days: tuple[date, ...] = tuple(days)
        self.periods = _periods(self.school_days, self.vacations)


def plan_year(first_year: int) -> SchoolYearPlan:
    """Return the plan of the academic year that starts in ``first_year``."""
    return SchoolYearPlan(first_year)


def _first_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _periods(
    school_days: Sequence[date], vacations: Sequence[tuple[date, date]]
) -> dict[int, tuple[StudyPeriod, ...]]:
    """Quarters between the vacations for grades 1-9, half-years for grades 10-11."""
    bounds = [school_days[0]]
    for vacation_start, vacation_end in vacations:
        bounds.append(max(day for day in school_days if day < vacation_start))
        bounds.append(min(day for day in school_days if day > vacation_end))
    bounds.append(school_days[-1])
    quarters = tuple(
        StudyPeriod(code=f"Q{index + 1}", start=bounds[2 * index], end=bounds[2 * index + 1])
        for index in range(4)
    )
    halves = (
        StudyPeriod(code="H1", start=quarters[0].start, end=quarters[1].end),
        StudyPeriod(code="H2", start=quarters[2].start, end=quarters[3].end),
    )
    return {parallel: quarters if parallel <= 9 else halves for parallel in range(1, 12)}


def academic_year_of(school: SyntheticSchool) -> AcademicYear:
    """Return the :class:`~eschool_core.calendar.AcademicYear` a synthetic school studies in.

    Its periods are the school's ``periods_by_parallel`` and its vacations those of the
    synthetic plan, so the deadline rules judge the school by its own calendar.

    >>> from eschool_core.synth import generate
    >>> school = generate("small")
    >>> academic_year_of(school).periods(5)[0].end == school.periods_by_parallel[5][0].end
    True
    """
    first_year = int(school.year[:4])
    plan = plan_year(first_year)
    return AcademicYear(
        label=YearLabel.parse(school.year),
        first_day=school.school_days[0],
        last_day=school.school_days[-1],
        parallels={
            parallel: ParallelSchedule(periods=periods)
            for parallel, periods in school.periods_by_parallel.items()
        },
        vacations=[
            Vacation(kind=kind, start=start, end=end)
            for kind, (start, end) in zip(
                (VacationKind.AUTUMN, VacationKind.WINTER, VacationKind.SPRING),
                plan.vacations,
                strict=True,
            )
        ],
    )
