"""The academic year: periods, vacations, holidays, moved days and school weeks per parallel."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from fractions import Fraction
from types import MappingProxyType

import attrs

from eschool_core import _validation as v
from eschool_core.calendar._errors import CALENDAR_NO_PARALLELS, CALENDAR_UNKNOWN_PARALLEL
from eschool_core.calendar._label import YearLabel
from eschool_core.calendar._norms import NORM_SOURCE, CalendarWarning, WarningCode
from eschool_core.calendar._periods import (
    MovedDay,
    StudyPeriod,
    Vacation,
    check_parallel,
)
from eschool_core.calendar._production import ProductionCalendar, require_date
from eschool_core.calendar._schedule import ParallelSchedule
from eschool_core.calendar._toml import read_year, write_year
from eschool_core.errors import ValidationError
from eschool_core.texts import Text

__all__ = ["AcademicYear", "ParallelSchedule", "year_from_toml", "year_to_toml"]


def _to_schedules(value: object) -> Mapping[int, ParallelSchedule]:
    if not isinstance(value, Mapping) or not value:
        raise CALENDAR_NO_PARALLELS.error(details={}, what=Text("учебный год", "the academic year"))
    return MappingProxyType({check_parallel(key): value[key] for key in sorted(value)})


def _problem(
    code: str, ru: str, en: str, clause: str = "4.4", **details: object
) -> ValidationError:
    return ValidationError(ru, en, code=code, clause=clause, details=details)


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


@attrs.frozen(kw_only=True)
class AcademicYear:
    """An academic year of a school: the calendar data the administrator sets (R4.4b, R7.1).

    A date is a *school day* of a parallel when it lies between ``first_day`` and
    ``last_day``, falls in the parallel's school week (Monday-Friday, or Monday-Saturday for a
    6-day week), is not a public holiday or transferred day off of the production calendar and
    not a vacation day of the parallel; a moved school day (R7.7c) removes its source date and
    adds its target date. A Saturday the state makes a working day is not a school day of a
    5-day parallel unless a moved day says so.

    The year is validated when built; federal norms are checked by :meth:`norm_warnings`.

    Attributes:
        label: The year's label.
        first_day: The first school day.
        last_day: The last school day.
        parallels: Periods, school week and shifts per parallel.
        vacations: The vacations.
        moved_days: The moved school days.
        production: The production calendar (public holidays and transfers).

    Raises:
        ValidationError: For the first structural problem found (the codes of all are in
            ``details["problems"]``): overlapping periods, a gap, a period outside the year or
            starting or ending in a vacation, overlapping or out-of-year vacations, a moved
            day onto a holiday or a school day, or from a non-school day.
    """

    label: YearLabel
    first_day: date = attrs.field(validator=v.plain_date)
    last_day: date = attrs.field(validator=v.plain_date)
    parallels: Mapping[int, ParallelSchedule] = attrs.field(converter=_to_schedules)
    vacations: tuple[Vacation, ...] = attrs.field(default=(), converter=v.to_tuple)
    moved_days: tuple[MovedDay, ...] = attrs.field(default=(), converter=v.to_tuple)
    production: ProductionCalendar = attrs.field(factory=ProductionCalendar)
    _cache: dict[int, frozenset[date]] = attrs.field(
        factory=dict, init=False, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        found = self._find_problems()
        if found:
            first = found[0]
            raise ValidationError(
                str(first),
                first.message("en"),
                code=first.code,
                clause=first.clause,
                details={**first.details, "problems": tuple(p.code for p in found)},
            )

    @property
    def id(self) -> str:
        """The year's key in a store: its label (``"2025/2026"``).

        >>> from eschool_core.calendar import standard_year
        >>> from eschool_core.profiles import default_profile
        >>> standard_year("2025/2026", default_profile().calendar).id
        '2025/2026'
        """
        return str(self.label)

    @staticmethod
    def parse(text: str) -> YearLabel:
        """Read an academic year's label such as ``"2025/2026"``.

        >>> AcademicYear.parse("2025/2026").first
        2025
        """
        return YearLabel.parse(text)

    @classmethod
    def from_toml(cls, text: str, *, production: ProductionCalendar | None = None) -> AcademicYear:
        """Read a year from TOML (see :func:`~eschool_core.calendar.year_from_toml`)."""
        return read_year(text, cls, production=production)

    def to_toml(self) -> str:
        """Write the year as TOML that :meth:`from_toml` reads back to an equal year."""
        return write_year(self)

    # -- queries ---------------------------------------------------------------------------

    def _schedule(self, parallel: int) -> ParallelSchedule:
        check_parallel(parallel)
        schedule = self.parallels.get(parallel)
        if schedule is None:
            raise CALENDAR_UNKNOWN_PARALLEL.error(
                details={"parallel": parallel},
                where=Text(f" в учебном году {self.label}", f" in the academic year {self.label}"),
            )
        return schedule

    def _base_school_day(self, day: date, parallel: int, schedule: ParallelSchedule) -> bool:
        return (
            self.first_day <= day <= self.last_day
            and day.weekday() < schedule.week_days
            and not self.production.is_day_off(day)
            and not any(vacation.covers(day, parallel) for vacation in self.vacations)
        )

    def _school_days(self, parallel: int) -> frozenset[date]:
        cached = self._cache.get(parallel)
        if cached is not None:
            return cached
        schedule = self._schedule(parallel)
        days = {
            day
            for day in _days(self.first_day, self.last_day)
            if self._base_school_day(day, parallel, schedule)
        }
        for moved in self.moved_days:
            if parallel in moved.parallels:
                days.discard(moved.source)
                days.add(moved.target)
        result = frozenset(days)
        self._cache[parallel] = result
        return result

    def is_school_day(self, day: date, parallel: int) -> bool:
        """Return whether ``day`` is a school day of ``parallel``.

        Raises:
            ValidationError: For a ``datetime`` or a parallel the year does not have.
        """
        day = require_date(day, "day")
        return day in self._school_days(parallel)

    def school_days(self, start: date, end: date, parallel: int) -> tuple[date, ...]:
        """Return the school days of ``parallel`` from ``start`` to ``end`` (inclusive).

        Raises:
            ValidationError: If ``end`` precedes ``start``, for a ``datetime`` or an unknown
                parallel.
        """
        start = require_date(start, "start")
        end = require_date(end, "end")
        if end < start:
            raise _problem(
                "value.end_before_start",
                f"Конец {end.isoformat()} раньше начала {start.isoformat()}",
                f"The end {end.isoformat()} precedes the start {start.isoformat()}",
            )
        return tuple(sorted(d for d in self._school_days(parallel) if start <= d <= end))

    def periods(self, parallel: int) -> tuple[StudyPeriod, ...]:
        """Return the study periods of ``parallel`` in order."""
        return self._schedule(parallel).periods

    def period_of(self, day: date, parallel: int) -> StudyPeriod | None:
        """Return the study period of ``parallel`` containing ``day``, or ``None``."""
        day = require_date(day, "day")
        return next((p for p in self.periods(parallel) if p.contains(day)), None)

    def vacations_of(self, parallel: int) -> tuple[Vacation, ...]:
        """Return the vacations that apply to ``parallel``, in date order."""
        self._schedule(parallel)
        return tuple(
            sorted(
                (vac for vac in self.vacations if parallel in vac.parallels),
                key=lambda vac: vac.start,
            )
        )

    def holidays(self) -> tuple[tuple[date, str], ...]:
        """Return the public holidays and transferred days off from the first to the last day."""
        return self.production.days_off(self.first_day, self.last_day)

    def study_days(self, parallel: int) -> int:
        """Return the days of study time of ``parallel``: school days plus public holidays.

        A public holiday that falls on a day of the school week inside the year, outside the
        parallel's vacations, belongs to a study week though no lessons are held.
        """
        schedule = self._schedule(parallel)
        holidays = sum(
            1
            for day, _name in self.holidays()
            if day.weekday() < schedule.week_days
            and not any(vac.covers(day, parallel) for vac in self.vacations)
        )
        return len(self._school_days(parallel)) + holidays

    def weeks_of_study(self, parallel: int) -> Fraction:
        """Return the length of study of ``parallel`` in school weeks.

        The days of study time (:meth:`study_days`) divided by the days of its school week:
        exact, so 169 school days and 5 holidays at a 5-day week are ``Fraction(174, 5)``.
        """
        return Fraction(self.study_days(parallel), self._schedule(parallel).week_days)

    def vacation_days(self, parallel: int) -> int:
        """Return the calendar days of vacation of ``parallel`` during the year (not summer)."""
        days: set[date] = set()
        for vacation in self.vacations_of(parallel):
            days.update(_days(vacation.start, vacation.end))
        return len(days)

    def summer_days(self) -> int:
        """Return the calendar days from the day after ``last_day`` to 31 August."""
        return (date(self.label.second, 8, 31) - self.last_day).days

    @property
    def formation_window(self) -> tuple[date, date]:
        """The formation window of this year, 1 April to 20 September (R4.2a)."""
        return self.label.formation_window

    def in_formation_window(self, day: date) -> bool:
        """Return whether ``day`` lies in the formation window of this year (R4.2a)."""
        day = require_date(day, "day")
        start, end = self.formation_window
        return start <= day <= end

    # -- validation ------------------------------------------------------------------------

    def _find_problems(self) -> list[ValidationError]:
        label = str(self.label)
        problems: list[ValidationError] = []
        if self.last_day < self.first_day:
            return [
                _problem(
                    "value.end_before_start",
                    f"Последний день года {self.last_day} раньше первого {self.first_day}",
                    f"The last day {self.last_day} precedes the first day {self.first_day}",
                )
            ]
        if self.first_day.year != self.label.first or self.last_day.year != self.label.second:
            problems.append(
                _problem(
                    "calendar.dates_not_in_label",
                    f"Даты {self.first_day}–{self.last_day} не соответствуют году {label}",
                    f"The dates {self.first_day}-{self.last_day} do not match the year {label}",
                )
            )
        for vacation in self.vacations:
            problems.extend(
                _problem(
                    "calendar.unknown_parallel",
                    f"Каникулы {vacation.start} относятся к параллели {parallel}, "
                    "которой нет в году",
                    f"The vacation from {vacation.start} names parallel {parallel}, "
                    "which the year does not have",
                    parallel=parallel,
                )
                for parallel in sorted(vacation.parallels)
                if parallel not in self.parallels
            )
            if vacation.start < self.first_day or vacation.end > self.last_day:
                problems.append(
                    _problem(
                        "calendar.vacation_outside_year",
                        f"Каникулы {vacation.start}–{vacation.end} выходят за пределы года",
                        f"The vacation {vacation.start}-{vacation.end} lies outside the year",
                    )
                )
        if problems:
            return problems
        for parallel, schedule in self.parallels.items():
            problems.extend(self._period_problems(parallel, schedule))
        problems.extend(self._vacation_overlaps())
        if not problems:
            problems.extend(self._moved_problems())
        if not problems:
            for parallel, schedule in self.parallels.items():
                problems.extend(self._gap_problems(parallel, schedule))
        return problems

    def _period_problems(self, parallel: int, schedule: ParallelSchedule) -> list[ValidationError]:
        problems: list[ValidationError] = []
        previous: StudyPeriod | None = None
        for period in schedule.periods:
            if period.start < self.first_day or period.end > self.last_day:
                problems.append(
                    _problem(
                        "calendar.period_outside_year",
                        f"Параллель {parallel}: период {period.code} ({period.start}–"
                        f"{period.end}) выходит за пределы года {self.first_day}–{self.last_day}",
                        f"Parallel {parallel}: period {period.code} ({period.start}-"
                        f"{period.end}) lies outside the year {self.first_day}-{self.last_day}",
                        parallel=parallel,
                        period=str(period.code),
                    )
                )
            if previous is not None and period.start <= previous.end:
                problems.append(
                    _problem(
                        "calendar.periods_overlap",
                        f"Параллель {parallel}: периоды {previous.code} и {period.code} "
                        "пересекаются",
                        f"Parallel {parallel}: periods {previous.code} and {period.code} overlap",
                        parallel=parallel,
                        period=str(period.code),
                    )
                )
            problems.extend(
                _problem(
                    "calendar.vacation_in_period_bounds",
                    f"Параллель {parallel}: период {period.code} начинается или "
                    f"заканчивается в каникулы ({edge})",
                    f"Parallel {parallel}: period {period.code} starts or ends inside a "
                    f"vacation ({edge})",
                    parallel=parallel,
                    period=str(period.code),
                )
                for edge in (period.start, period.end)
                if any(vac.covers(edge, parallel) for vac in self.vacations)
            )
            previous = period
        return problems

    def _vacation_overlaps(self) -> list[ValidationError]:
        problems: list[ValidationError] = []
        ordered = sorted(self.vacations, key=lambda vac: vac.start)
        for index, first in enumerate(ordered):
            for second in ordered[index + 1 :]:
                shared = first.parallels & second.parallels
                if shared and second.start <= first.end:
                    problems.append(
                        _problem(
                            "calendar.vacations_overlap",
                            f"Каникулы {first.start}–{first.end} и {second.start}–{second.end} "
                            f"пересекаются для параллелей {sorted(shared)}",
                            f"The vacations {first.start}-{first.end} and {second.start}-"
                            f"{second.end} overlap for parallels {sorted(shared)}",
                        )
                    )
        return problems

    def _moved_problems(self) -> list[ValidationError]:
        problems: list[ValidationError] = []
        seen: set[tuple[int, date]] = set()
        for moved in self.moved_days:
            for parallel in sorted(moved.parallels):
                schedule = self.parallels.get(parallel)
                if schedule is None:
                    problems.append(
                        _problem(
                            "calendar.unknown_parallel",
                            f"Перенос {moved.source}→{moved.target}: параллели {parallel} "
                            "нет в году",
                            f"Moved day {moved.source}->{moved.target}: the year has no "
                            f"parallel {parallel}",
                            clause="7.7",
                            parallel=parallel,
                        )
                    )
                    continue
                for day in (moved.source, moved.target):
                    if (parallel, day) in seen:
                        problems.append(
                            _problem(
                                "calendar.moved_twice",
                                f"Параллель {parallel}: дата {day} участвует в двух переносах",
                                f"Parallel {parallel}: {day} takes part in two moved days",
                                clause="7.7",
                                parallel=parallel,
                            )
                        )
                    seen.add((parallel, day))
                if not self._base_school_day(moved.source, parallel, schedule):
                    problems.append(
                        _problem(
                            "calendar.moved_from_non_school_day",
                            f"Параллель {parallel}: переносимый день {moved.source} не учебный",
                            f"Parallel {parallel}: the moved day {moved.source} is not a school "
                            "day",
                            clause="7.7",
                            parallel=parallel,
                        )
                    )
                if not self.first_day <= moved.target <= self.last_day:
                    problems.append(
                        _problem(
                            "calendar.moved_outside_year",
                            f"Перенос на {moved.target}: дата вне учебного года",
                            f"Moved onto {moved.target}: the date lies outside the year",
                            clause="7.7",
                            parallel=parallel,
                        )
                    )
                elif self.production.is_day_off(moved.target):
                    problems.append(
                        _problem(
                            "calendar.moved_onto_holiday",
                            f"Учебный день нельзя перенести на праздник {moved.target}",
                            f"A school day cannot move onto the public holiday {moved.target}",
                            clause="7.7",
                            parallel=parallel,
                        )
                    )
                elif self._base_school_day(moved.target, parallel, schedule):
                    problems.append(
                        _problem(
                            "calendar.moved_onto_school_day",
                            f"Параллель {parallel}: {moved.target} уже учебный день",
                            f"Parallel {parallel}: {moved.target} is a school day already",
                            clause="7.7",
                            parallel=parallel,
                        )
                    )
        return problems

    def _gap_problems(self, parallel: int, schedule: ParallelSchedule) -> list[ValidationError]:
        for day in sorted(self._school_days(parallel)):
            if not any(period.contains(day) for period in schedule.periods):
                return [
                    _problem(
                        "calendar.periods_gap",
                        f"Параллель {parallel}: учебный день {day} не входит ни в один период",
                        f"Parallel {parallel}: the school day {day} lies in no study period",
                        parallel=parallel,
                        day=day.isoformat(),
                    )
                ]
        return []

    def norm_warnings(self) -> tuple[CalendarWarning, ...]:
        """Check the federal norms of :data:`NORM_SOURCE` for every parallel.

        Norms: study lasts at least 33 weeks in grade 1 and 34 in grades 2-11; vacations
        during the year total at least 30 calendar days; the summer vacation lasts at least
        8 weeks (grades 1-8 and 10; grades 9 and 11 end with the state exams).

        Returns:
            The warnings, by parallel.
        """
        warnings: list[CalendarWarning] = []
        for parallel in self.parallels:
            weeks = self.weeks_of_study(parallel)
            minimum = 33 if parallel == 1 else 34
            if weeks < minimum:
                shown = f"{float(weeks):.1f}"
                warnings.append(
                    CalendarWarning(
                        code=WarningCode.SHORT_YEAR,
                        parallel=parallel,
                        norm=NORM_SOURCE,
                        message=Text(
                            f"Параллель {parallel}: учебный год {shown} недели, "
                            f"меньше нормы {minimum} ({NORM_SOURCE})",
                            f"Parallel {parallel}: the year lasts {shown} weeks, "
                            f"under the norm of {minimum} ({NORM_SOURCE})",
                        ),
                    )
                )
            vacation = self.vacation_days(parallel)
            if vacation < 30:
                warnings.append(
                    CalendarWarning(
                        code=WarningCode.SHORT_VACATIONS,
                        parallel=parallel,
                        norm=NORM_SOURCE,
                        message=Text(
                            f"Параллель {parallel}: каникулы в течение года {vacation} "
                            f"дн., меньше 30 календарных дней ({NORM_SOURCE})",
                            f"Parallel {parallel}: vacations during the year total "
                            f"{vacation} days, under 30 calendar days ({NORM_SOURCE})",
                        ),
                    )
                )
            summer = self.summer_days()
            if parallel not in {9, 11} and summer < 56:
                warnings.append(
                    CalendarWarning(
                        code=WarningCode.SHORT_SUMMER,
                        parallel=parallel,
                        norm=NORM_SOURCE,
                        message=Text(
                            f"Параллель {parallel}: летние каникулы {summer} дн., "
                            f"меньше 8 недель ({NORM_SOURCE})",
                            f"Parallel {parallel}: the summer vacation lasts {summer} "
                            f"days, under 8 weeks ({NORM_SOURCE})",
                        ),
                    )
                )
        return tuple(warnings)


def year_from_toml(text: str, *, production: ProductionCalendar | None = None) -> AcademicYear:
    """Read an academic year from TOML text (the format :func:`year_to_toml` writes).

    Args:
        text: The TOML document.
        production: The production calendar to start from (default: the state's); the file's
            ``extra_days_off`` and ``extra_working_days`` are added to it.

    Returns:
        The validated year.

    Raises:
        ValidationError: For invalid TOML (nested too deep included), a missing, unknown or
            mistyped key or value (``calendar.toml_invalid``, naming the key) or an invalid
            year.
    """
    return AcademicYear.from_toml(text, production=production)


def year_to_toml(year: AcademicYear) -> str:
    """Write ``year`` as TOML that :func:`year_from_toml` reads back to an equal year.

    The production calendar is written as its overrides only (the state's calendar is implied).
    """
    return year.to_toml()
