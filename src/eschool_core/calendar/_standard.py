"""A school's calendar policy (from its profile) and the standard academic year it implies."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.calendar._errors import (
    CALENDAR_BAD_SCHEME,
    CALENDAR_MONTH_DAY,
    VALUE_NOT_A_MAPPING,
)
from eschool_core.calendar._label import YearLabel
from eschool_core.calendar._periods import (
    ALL_PARALLELS,
    PeriodScheme,
    StudyPeriod,
    Vacation,
    VacationKind,
    check_parallel,
)
from eschool_core.calendar._production import ProductionCalendar
from eschool_core.calendar._year import AcademicYear, ParallelSchedule
from eschool_core.texts import Text

__all__ = ["CalendarPolicy", "MonthDay", "VacationTemplate", "standard_year"]


@attrs.frozen(kw_only=True, order=True)
class MonthDay:
    """A day of the year without the year (``"10-27"``), placed into an academic year.

    Months August to December fall in the year's first calendar year, January to July in the
    second.

    Attributes:
        month: 1-12.
        day: 1-31 (checked against the month).

    >>> MonthDay.parse("12-31").in_year(YearLabel(first=2025))
    datetime.date(2025, 12, 31)
    """

    month: int = attrs.field(validator=v.int_in_range(1, 12, "calendar.month_day"))
    day: int = attrs.field(validator=v.int_in_range(1, 31, "calendar.month_day"))

    def __attrs_post_init__(self) -> None:
        try:
            date(2024, self.month, self.day)  # a leap year admits 02-29
        except ValueError:
            raise CALENDAR_MONTH_DAY.error(
                details={}, reason=Text(f"нет такого дня: {self}", f"no such day: {self}")
            ) from None

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """Read ``"MM-DD"``.

        Raises:
            ValidationError: If the text is not a valid month and day.
        """
        raw: object = text
        parts = raw.split("-") if isinstance(raw, str) else []
        if len(parts) != 2 or not all(part.isdigit() and len(part) == 2 for part in parts):
            raise CALENDAR_MONTH_DAY.error(
                details={},
                reason=Text(
                    f"записывается как «10-27» (ММ-ДД), получено {text!r}",
                    f"written '10-27' (MM-DD), got {text!r}",
                ),
            )
        return cls(month=int(parts[0]), day=int(parts[1]))

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"

    def in_year(self, label: YearLabel) -> date:
        """Return the date of this day in the academic year ``label``.

        Raises:
            ValidationError: For 29 February in a year that has none.
        """
        year = label.first if self.month >= 8 else label.second
        try:
            return date(year, self.month, self.day)
        except ValueError:
            raise CALENDAR_MONTH_DAY.error(
                details={},
                reason=Text(f"в {year} году нет дня {self}", f"the year {year} has no day {self}"),
            ) from None


def _to_parallels(value: object) -> frozenset[int]:
    return frozenset(check_parallel(item) for item in v.to_frozenset(value))


@attrs.frozen(kw_only=True)
class VacationTemplate:
    """A vacation of the standard year, by days of the year.

    Attributes:
        kind: The kind of vacation.
        start: Its first day.
        end: Its last day.
        parallels: The parallels it applies to.
    """

    kind: VacationKind = attrs.field(converter=VacationKind)
    start: MonthDay
    end: MonthDay
    parallels: frozenset[int] = attrs.field(default=ALL_PARALLELS, converter=_to_parallels)


SplitPoint = VacationKind | MonthDay
"""Where one study period ends and the next begins: at a vacation, or on a day of the year."""


def _mapping(value: object) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise VALUE_NOT_A_MAPPING.error(value=value)
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class CalendarPolicy:
    """A school's calendar rules (the profile's ``[calendar]`` section, R4.4b).

    Attributes:
        schemes: Where each scheme splits the year into periods (``len = periods - 1``).
        parallel_schemes: The scheme of each parallel.
        week_days: School days a week per parallel (5 or 6).
        shifts: Shifts per parallel (1 or 2).
        first_day: The nominal first day of the year (``09-01``; moved to the next working
            day when it is not one).
        last_day: The nominal last day (moved back to the last working day on or before it).
        vacations: The vacations of the standard year.
        production: The production calendar with the profile's regional overrides.
        clause: The regulation clause (``"4.4"``).
        requirement: The requirement id (``"R4.4b"``).

    Raises:
        ValidationError: If a scheme's split points do not match its number of periods or a
            parallel has no scheme or week.
    """

    schemes: Mapping[PeriodScheme, tuple[SplitPoint, ...]] = attrs.field(converter=_mapping)
    parallel_schemes: Mapping[int, PeriodScheme] = attrs.field(converter=_mapping)
    week_days: Mapping[int, int] = attrs.field(converter=_mapping)
    shifts: Mapping[int, int] = attrs.field(converter=_mapping)
    first_day: MonthDay
    last_day: MonthDay
    vacations: tuple[VacationTemplate, ...] = attrs.field(converter=v.to_tuple)
    production: ProductionCalendar = attrs.field(factory=ProductionCalendar)
    clause: str = "4.4"
    requirement: str = "R4.4b"

    def __attrs_post_init__(self) -> None:
        for scheme, points in self.schemes.items():
            if len(points) != len(scheme.codes) - 1:
                raise CALENDAR_BAD_SCHEME.error(
                    details={},
                    reason=Text(
                        f"«{scheme}» делится {len(points)} точками, нужно {len(scheme.codes) - 1}",
                        f"'{scheme}' has {len(points)} split points, "
                        f"{len(scheme.codes) - 1} are needed",
                    ),
                    rule_clause=self.clause,
                )
        for parallel, scheme in self.parallel_schemes.items():
            check_parallel(parallel)
            if scheme not in self.schemes or parallel not in self.week_days:
                raise CALENDAR_BAD_SCHEME.error(
                    details={},
                    reason=Text(
                        f"для параллели {parallel} не задана схема «{scheme}» или учебная неделя",
                        f"parallel {parallel}: the scheme '{scheme}' or its school week is missing",
                    ),
                    rule_clause=self.clause,
                )


def standard_year(label: YearLabel | str, policy: CalendarPolicy) -> AcademicYear:
    """Build the standard academic year of ``label`` from the profile's calendar policy.

    Args:
        label: The year, e.g. ``"2025/2026"``.
        policy: The calendar policy of the profile.

    Returns:
        The validated year.

    Raises:
        ValidationError: For a bad label, a year the production calendar does not know, or a
            policy whose dates do not make a valid year.
    """
    if not isinstance(label, YearLabel):
        label = YearLabel.parse(label)
    cal = policy.production
    first_day = cal.next_working_day(policy.first_day.in_year(label))
    last_day = cal.add_working_days(policy.last_day.in_year(label) + timedelta(days=1), -1)
    vacations = tuple(
        Vacation(
            kind=template.kind,
            start=template.start.in_year(label),
            end=template.end.in_year(label),
            parallels=template.parallels,
        )
        for template in policy.vacations
        if template.parallels & set(policy.parallel_schemes)
    )
    vacations = tuple(
        attrs.evolve(vac, parallels=vac.parallels & set(policy.parallel_schemes))
        for vac in vacations
    )
    parallels: dict[int, ParallelSchedule] = {}
    for parallel, scheme in sorted(policy.parallel_schemes.items()):
        starts = [first_day]
        ends: list[date] = []
        for point in policy.schemes[scheme]:
            if isinstance(point, MonthDay):
                begin = point.in_year(label)
                ends.append(begin - timedelta(days=1))
                starts.append(begin)
                continue
            vacation = next(
                (vac for vac in vacations if vac.kind == point and parallel in vac.parallels),
                None,
            )
            if vacation is None:
                raise CALENDAR_BAD_SCHEME.error(
                    details={},
                    reason=Text(
                        f"параллель {parallel}: схема «{scheme}» делится по каникулам «{point}», "
                        "которых у неё нет",
                        f"parallel {parallel}: scheme '{scheme}' splits at the {point} vacation, "
                        "which the parallel does not have",
                    ),
                    rule_clause=policy.clause,
                )
            ends.append(vacation.start - timedelta(days=1))
            starts.append(vacation.end + timedelta(days=1))
        ends.append(last_day)
        periods = tuple(
            StudyPeriod(code=code, start=start, end=end)
            for code, start, end in zip(scheme.codes, starts, ends, strict=True)
        )
        parallels[parallel] = ParallelSchedule(
            periods=periods,
            week_days=policy.week_days[parallel],
            shifts=policy.shifts.get(parallel, 1),
        )
    return AcademicYear(
        label=label,
        first_day=first_day,
        last_day=last_day,
        parallels=parallels,
        vacations=vacations,
        production=cal,
    )
