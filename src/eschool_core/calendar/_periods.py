"""Study periods, vacations and moved school days: the parts of an academic year."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.calendar._errors import (
    CALENDAR_MOVED_ONTO_ITSELF,
    CALENDAR_NO_PARALLELS,
    CALENDAR_UNKNOWN_PARALLEL,
    VALUE_END_BEFORE_START,
)
from eschool_core.calendar._production import require_date
from eschool_core.texts import Text

__all__ = [
    "ALL_PARALLELS",
    "MovedDay",
    "PeriodCode",
    "PeriodScheme",
    "StudyPeriod",
    "Vacation",
    "VacationKind",
    "check_parallel",
]

ALL_PARALLELS: frozenset[int] = frozenset(range(1, 12))
"""The parallels (grades) 1-11 of general education (R8.1)."""


def check_parallel(parallel: object) -> int:
    """Return ``parallel`` if it is an integer grade 1-11.

    Raises:
        ValidationError: ``calendar.unknown_parallel`` otherwise.

    >>> check_parallel(5)
    5
    """
    if isinstance(parallel, bool) or not isinstance(parallel, int) or parallel not in ALL_PARALLELS:
        raise CALENDAR_UNKNOWN_PARALLEL.error(
            details={"parallel": repr(parallel)},
            where=Text(": допустимы 1–11", ": grades are 1-11"),
            rule_clause="8.1",
        )
    return parallel


class PeriodScheme(StrEnum):
    """How a parallel's year is divided into study periods."""

    QUARTERS = "quarters"
    TRIMESTERS = "trimesters"
    HALF_YEARS = "half_years"

    @property
    def codes(self) -> tuple[PeriodCode, ...]:
        """The period codes of the scheme, in order.

        >>> PeriodScheme.HALF_YEARS.codes
        (<PeriodCode.H1: 'H1'>, <PeriodCode.H2: 'H2'>)
        """
        prefix = {"quarters": "Q", "trimesters": "T", "half_years": "H"}[self.value]
        return tuple(code for code in PeriodCode if code.value.startswith(prefix))

    @property
    def kind(self) -> str:
        """The kind of its periods, as profiles name it (``min_current_marks``).

        >>> [scheme.kind for scheme in PeriodScheme]
        ['quarter', 'trimester', 'half_year']
        """
        return {"quarters": "quarter", "trimesters": "trimester", "half_years": "half_year"}[
            self.value
        ]


class PeriodCode(StrEnum):
    """The stable code of a study period."""

    Q1 = "Q1"
    Q2 = "Q2"
    Q3 = "Q3"
    Q4 = "Q4"
    T1 = "T1"
    T2 = "T2"
    T3 = "T3"
    H1 = "H1"
    H2 = "H2"

    @property
    def scheme(self) -> PeriodScheme:
        """The scheme the code belongs to."""
        return {"Q": PeriodScheme.QUARTERS, "T": PeriodScheme.TRIMESTERS}.get(
            self.value[0], PeriodScheme.HALF_YEARS
        )

    @property
    def kind(self) -> str:
        """The kind of the period: ``"quarter"``, ``"trimester"`` or ``"half_year"``."""
        return self.scheme.kind

    @property
    def number(self) -> int:
        """The ordinal of the period in its scheme (1-based)."""
        return int(self.value[1])

    @property
    def name_ru(self) -> str:
        """The Russian name, e.g. ``"1-я четверть"``."""
        noun = {
            PeriodScheme.QUARTERS: "-я четверть",
            PeriodScheme.TRIMESTERS: "-й триместр",
            PeriodScheme.HALF_YEARS: "-е полугодие",
        }[self.scheme]
        return f"{self.number}{noun}"

    @property
    def name_en(self) -> str:
        """The English name, e.g. ``"1st quarter"``."""
        ordinal = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}[self.number]
        noun = {
            PeriodScheme.QUARTERS: "quarter",
            PeriodScheme.TRIMESTERS: "trimester",
            PeriodScheme.HALF_YEARS: "half-year",
        }[self.scheme]
        return f"{ordinal} {noun}"


def _check_span(instance: Any, start_name: str, end_name: str) -> None:  # noqa: ANN401
    start, end = getattr(instance, start_name), getattr(instance, end_name)
    if end < start:
        raise VALUE_END_BEFORE_START.error(start=start.isoformat(), end=end.isoformat())


def _date_field(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    require_date(value, attribute.name)


def _to_parallels(value: object) -> frozenset[int]:
    items = v.to_frozenset(value)
    for item in items:
        check_parallel(item)
    if not items:
        raise CALENDAR_NO_PARALLELS.error(details={}, what=Text("пустой список", "an empty list"))
    return frozenset(items)


@attrs.frozen(kw_only=True)
class StudyPeriod:
    """A study period (quarter, trimester or half-year) of one parallel.

    The one study-period type: the calendar's years, the synthetic school, the analytics'
    ``periods`` table and the reports' periods are made of it; grading's
    :class:`~eschool_core.grading.PeriodSpan` is built from it (``PeriodSpan.of``).

    Attributes:
        code: The stable code (``Q1``..``Q4``, ``T1``..``T3``, ``H1``, ``H2``).
        start: Its first day.
        end: Its last day (inclusive).

    Raises:
        ValidationError: If ``end`` precedes ``start`` or a date is a ``datetime``.

    >>> p = StudyPeriod(code=PeriodCode.Q1, start=date(2025, 9, 1), end=date(2025, 10, 24))
    >>> p.name_ru, p.name_en, p.contains(date(2025, 10, 1))
    ('1-я четверть', '1st quarter', True)
    >>> p.key, p.kind
    ('Q1', 'quarter')
    """

    code: PeriodCode = attrs.field(converter=PeriodCode)
    start: date = attrs.field(validator=_date_field)
    end: date = attrs.field(validator=_date_field)

    def __attrs_post_init__(self) -> None:
        _check_span(self, "start", "end")

    @property
    def key(self) -> str:
        """The code as text (``"Q1"``): the period of period marks and of reports."""
        return self.code.value

    @property
    def kind(self) -> str:
        """The kind: ``"quarter"``, ``"trimester"`` or ``"half_year"`` (R2.2j's minimum marks)."""
        return self.code.kind

    @property
    def name_ru(self) -> str:
        """The Russian name."""
        return self.code.name_ru

    @property
    def name_en(self) -> str:
        """The English name."""
        return self.code.name_en

    def contains(self, day: date) -> bool:
        """Return whether ``day`` lies within the period (both ends inclusive)."""
        return self.start <= day <= self.end


class VacationKind(StrEnum):
    """The kind of a vacation; ``ADDITIONAL`` is e.g. the February week of grade 1."""

    AUTUMN = "autumn"
    WINTER = "winter"
    SPRING = "spring"
    ADDITIONAL = "additional"

    @property
    def name_ru(self) -> str:
        """The Russian name, e.g. ``"осенние каникулы"``."""
        return {
            "autumn": "осенние каникулы",
            "winter": "зимние каникулы",
            "spring": "весенние каникулы",
            "additional": "дополнительные каникулы",
        }[self.value]

    @property
    def name_en(self) -> str:
        """The English name, e.g. ``"autumn vacation"``."""
        return f"{self.value} vacation"


@attrs.frozen(kw_only=True)
class Vacation:
    """A vacation of the parallels it applies to (R7.1, R4.4b).

    Attributes:
        kind: Autumn, winter, spring or additional.
        start: The first vacation day.
        end: The last vacation day (inclusive).
        parallels: The parallels it applies to (e.g. ``{1}`` for the February week of grade 1).

    Raises:
        ValidationError: If ``end`` precedes ``start``, or a parallel is not 1-11.
    """

    kind: VacationKind = attrs.field(converter=VacationKind)
    start: date = attrs.field(validator=_date_field)
    end: date = attrs.field(validator=_date_field)
    parallels: frozenset[int] = attrs.field(default=ALL_PARALLELS, converter=_to_parallels)

    def __attrs_post_init__(self) -> None:
        _check_span(self, "start", "end")

    @property
    def days(self) -> int:
        """Its length in calendar days."""
        return (self.end - self.start).days + 1

    def covers(self, day: date, parallel: int) -> bool:
        """Return whether ``day`` is a vacation day of ``parallel``."""
        return parallel in self.parallels and self.start <= day <= self.end


@attrs.frozen(kw_only=True)
class MovedDay:
    """A school day moved to another date (R7.2, R7.7c).

    The day ``source`` stops being a school day of the parallels; ``target`` becomes one (it
    may be a weekend or a vacation day, never a public holiday).

    Attributes:
        source: The school day that moves.
        target: The date it moves to.
        parallels: The parallels concerned.
        reason: Why (free text), if recorded.

    Raises:
        ValidationError: If ``source`` equals ``target`` or a date is a ``datetime``.
    """

    source: date = attrs.field(validator=_date_field)
    target: date = attrs.field(validator=_date_field)
    parallels: frozenset[int] = attrs.field(default=ALL_PARALLELS, converter=_to_parallels)
    reason: str | None = attrs.field(default=None, converter=v.strip_optional_text)

    def __attrs_post_init__(self) -> None:
        if self.source == self.target:
            raise CALENDAR_MOVED_ONTO_ITSELF.error(source=self.source.isoformat())
