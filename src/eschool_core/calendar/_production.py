"""The state production calendar of Russia for a 5-day working week.

A working day is a day of the official production calendar: Monday to Friday, except the
public holidays and the days off the government moves onto weekdays, plus the Saturdays and
Sundays the government makes working days (e.g. Saturday 2024-04-27). The holidays and the
transfers come from the ``holidays`` library (through :class:`HolidaySource`); a profile may
add regional or decree overrides, which always win over the library.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final, Protocol

import attrs

from eschool_core import _validation as v
from eschool_core.calendar._decree import DecreedYear
from eschool_core.calendar._errors import (
    CALENDAR_BAD_RANGE,
    CALENDAR_OVERRIDE_CONFLICT,
    CALENDAR_YEAR_NOT_SUPPORTED,
    VALUE_END_BEFORE_START,
    VALUE_NOT_AN_INTEGER,
)
from eschool_core.errors import ValidationError

__all__ = [
    "FIRST_SUPPORTED_YEAR",
    "LAST_SUPPORTED_YEAR",
    "HolidaySource",
    "ProductionCalendar",
    "RussianHolidays",
    "require_date",
]

FIRST_SUPPORTED_YEAR: Final = 2015
"""The first calendar year whose transfers of days off are encoded (decree of 27.05.2014)."""

LAST_SUPPORTED_YEAR: Final = 2027
"""The last calendar year whose government decree on transfers of days off is encoded."""


def require_date(value: object, field: str) -> date:
    """Return ``value`` if it is a ``date`` and not a ``datetime``.

    Args:
        value: The value to check.
        field: Its name, for the message.

    Returns:
        The date.

    Raises:
        ValidationError: For a ``datetime`` (naive or aware) or a non-date.

    >>> require_date(date(2025, 9, 1), "day")
    datetime.date(2025, 9, 1)
    """
    if isinstance(value, datetime):
        naive = value.tzinfo is None
        raise ValidationError(
            f"«{field}»: нужна дата (date), а не момент времени"
            + (" без часового пояса" if naive else "")
            + f": {value.isoformat()}",
            f"'{field}': a date is required, not a{' naive' if naive else ''} datetime: "
            f"{value.isoformat()}",
            code="value.naive_datetime" if naive else "value.not_a_date",
            details={"field": field, "value": value.isoformat()},
        )
    if not isinstance(value, date):
        raise v.VALUE_NOT_A_DATE.error(field=field, value=repr(value))
    return value


class HolidaySource(Protocol):
    """Protocol: where the state's holidays and transfers of days off for a year come from."""

    def days_off(self, year: int) -> Mapping[date, str]:
        """Return the non-working holidays and transferred days off of ``year``, with names."""

    def working_weekend_days(self, year: int) -> frozenset[date]:
        """Return the Saturdays and Sundays of ``year`` the state made working days."""


@attrs.frozen(kw_only=True)
class RussianHolidays:
    """The Russian holidays and transfers of days off, read from the ``holidays`` library.

    Only ``holidays.country_holidays("RU", ...)`` is used; holiday names are in Russian.

    Attributes:
        language: The language of holiday names (``"ru"`` or ``"en_US"``).
    """

    language: str = "ru"

    def _load(self, year: int) -> Any:  # noqa: ANN401 - the library's HolidayBase
        import holidays  # noqa: PLC0415 - imported when a year is first needed

        return holidays.country_holidays("RU", years=year, language=self.language)

    def days_off(self, year: int) -> Mapping[date, str]:
        """Return the non-working holidays and transferred days off of ``year``, with names.

        >>> RussianHolidays().days_off(2025)[date(2025, 5, 2)][:8]
        'Выходной'
        """
        loaded = self._load(year)
        return MappingProxyType({day: str(name) for day, name in loaded.items()})

    def working_weekend_days(self, year: int) -> frozenset[date]:
        """Return the Saturdays and Sundays of ``year`` the state made working days.

        >>> sorted(RussianHolidays().working_weekend_days(2024))[0]
        datetime.date(2024, 4, 27)
        """
        return frozenset(self._load(year).weekend_workdays)


def _to_dates(value: object) -> frozenset[date]:
    items = v.to_frozenset(value)
    for item in items:
        require_date(item, "override")
    return frozenset(items)


def _decreed_tuple(value: Iterable[DecreedYear]) -> tuple[DecreedYear, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class _Year:
    working: tuple[int, ...]
    days_off: Mapping[date, str]


@attrs.frozen(kw_only=True)
class ProductionCalendar:
    """The official production calendar (5-day week) with a profile's overrides.

    Supported years: :data:`FIRST_SUPPORTED_YEAR` to :data:`LAST_SUPPORTED_YEAR` (2015-2027 by
    default), the years whose government decree on transfers of days off the pinned
    ``holidays`` library encodes. A date outside them raises :class:`ValidationError`
    (``calendar.year_not_supported``) instead of guessing transfers that no decree set yet.

    A later year is added as data from its decree (:class:`DecreedYear`, ``decreed``): the
    profile's ``[[calendar.production_year]]`` tables or a TOML file of its own
    (:func:`~eschool_core.calendar.decreed_years_from_toml`). A decreed year replaces the
    library for that year.

    Overrides win over the library: ``extra_days_off`` are days off a region or a decree adds
    (or days the library misses); ``extra_working_days`` are working days the library gets
    wrong or a decree adds (e.g. a working Saturday).

    Attributes:
        source: Where holidays and transfers come from (:class:`RussianHolidays`).
        extra_days_off: Additional non-working days.
        extra_working_days: Additional working days.
        first_year: The first supported calendar year.
        last_year: The last supported calendar year.
        decreed: Years given as data from their decrees (beyond ``last_year``, or replacing
            the library's).

    Raises:
        ValidationError: If a date is both an extra day off and an extra working day, or an
            override lies outside the supported years.

    >>> cal = ProductionCalendar()
    >>> cal.is_working_day(date(2024, 4, 27))  # a Saturday made a working day
    True
    >>> cal.add_working_days(date(2025, 4, 30), 3)  # across the May holidays
    datetime.date(2025, 5, 7)
    """

    source: HolidaySource = attrs.field(factory=RussianHolidays)
    extra_days_off: frozenset[date] = attrs.field(default=frozenset(), converter=_to_dates)
    extra_working_days: frozenset[date] = attrs.field(default=frozenset(), converter=_to_dates)
    first_year: int = attrs.field(
        default=FIRST_SUPPORTED_YEAR, validator=v.int_in_range(1991, 2100, "calendar.year")
    )
    last_year: int = attrs.field(
        default=LAST_SUPPORTED_YEAR, validator=v.int_in_range(1991, 2100, "calendar.year")
    )
    decreed: tuple[DecreedYear, ...] = attrs.field(default=(), converter=_decreed_tuple)
    _cache: dict[int, _Year] = attrs.field(
        factory=dict, init=False, eq=False, repr=False, hash=False
    )

    @last_year.validator
    def _check(self, _attribute: attrs.Attribute[Any], _value: int) -> None:
        if self.last_year < self.first_year:
            raise CALENDAR_BAD_RANGE.error(last_year=self.last_year, first_year=self.first_year)
        both = sorted(self.extra_days_off & self.extra_working_days)
        if both:
            raise CALENDAR_OVERRIDE_CONFLICT.error(date=both[0].isoformat())
        for day in sorted(self.extra_days_off | self.extra_working_days):
            self._check_year(day.year)

    @property
    def years(self) -> range:
        """The calendar years the library encodes (decreed years may add later ones)."""
        return range(self.first_year, self.last_year + 1)

    @property
    def supported_years(self) -> tuple[int, ...]:
        """Every supported calendar year: the library's and the decreed ones, in order."""
        return tuple(sorted({*self.years, *(y.year for y in self.decreed)}))

    def _decreed(self, year: int) -> DecreedYear | None:
        for entry in self.decreed:
            if entry.year == year:
                return entry
        return None

    def _check_year(self, year: int) -> None:
        if year not in self.years and self._decreed(year) is None:
            added = "".join(f", {y.year}" for y in self.decreed if y.year not in self.years)
            raise CALENDAR_YEAR_NOT_SUPPORTED.error(
                details={"year": year},
                first_year=self.first_year,
                last_year=self.last_year,
                added=added,
            )

    def with_decreed(self, years: Iterable[DecreedYear]) -> ProductionCalendar:
        """Return a copy with more years given as data (a later one replaces an earlier).

        >>> from eschool_core.calendar import DecreedYear
        >>> decree = DecreedYear(year=2028, days_off=[date(2028, 1, 3)])
        >>> cal = ProductionCalendar().with_decreed([decree])
        >>> cal.is_working_day(date(2028, 1, 3)), cal.is_working_day(date(2028, 1, 4))
        (False, True)
        """
        added = {y.year: y for y in (*self.decreed, *years)}
        return attrs.evolve(self, decreed=tuple(added[year] for year in sorted(added)))

    def _year(self, year: int) -> _Year:
        cached = self._cache.get(year)
        if cached is not None:
            return cached
        self._check_year(year)
        decreed = self._decreed(year)
        decreed_weekend_work: set[date] = set()
        if decreed is not None:
            days_off = dict(decreed.days_off)
            decreed_weekend_work = set(decreed.working_days)
        else:
            days_off = {
                day: name for day, name in self.source.days_off(year).items() if day.year == year
            }
        for day in self.extra_days_off:
            if day.year == year:
                days_off.setdefault(day, "Дополнительный выходной (профиль)")
        for day in self.extra_working_days:
            days_off.pop(day, None)
        weekend_work = (
            decreed_weekend_work
            if decreed is not None
            else {d for d in self.source.working_weekend_days(year) if d.year == year}
        )
        weekend_work = (weekend_work - self.extra_days_off) | {
            d for d in self.extra_working_days if d.year == year
        }
        working: list[int] = []
        day = date(year, 1, 1)
        while day.year == year:
            if day in weekend_work or (day.weekday() < 5 and day not in days_off):
                working.append(day.toordinal())
            day += timedelta(days=1)
        entry = _Year(working=tuple(working), days_off=MappingProxyType(days_off))
        self._cache[year] = entry
        return entry

    def _ordinals(self, year: int) -> tuple[int, ...]:
        return self._year(year).working

    def is_working_day(self, day: date) -> bool:
        """Return whether ``day`` is a working day of the production calendar.

        Raises:
            ValidationError: For a ``datetime`` or a year outside the supported range.

        >>> ProductionCalendar().is_working_day(date(2025, 11, 4))  # Unity Day
        False
        """
        day = require_date(day, "day")
        ordinals = self._ordinals(day.year)
        index = bisect.bisect_left(ordinals, day.toordinal())
        return index < len(ordinals) and ordinals[index] == day.toordinal()

    def is_day_off(self, day: date) -> bool:
        """Return whether ``day`` is a public holiday or a transferred day off (not a weekend).

        A Saturday or Sunday counts only if it is itself a holiday (8 March 2025).

        >>> ProductionCalendar().is_day_off(date(2025, 5, 2)), ProductionCalendar().is_day_off(
        ...     date(2025, 5, 3))
        (True, False)
        """
        day = require_date(day, "day")
        return day in self._year(day.year).days_off

    def days_off(self, start: date, end: date) -> tuple[tuple[date, str], ...]:
        """Return the public holidays and transferred days off from ``start`` to ``end``.

        Args:
            start: The first day (inclusive).
            end: The last day (inclusive).

        Returns:
            ``(date, name)`` pairs in date order; names in Russian.

        Raises:
            ValidationError: If ``end`` precedes ``start`` or a year is not supported.
        """
        start, end = _check_range(start, end)
        found: list[tuple[date, str]] = []
        for year in range(start.year, end.year + 1):
            found.extend(
                (day, name)
                for day, name in self._year(year).days_off.items()
                if start <= day <= end
            )
        return tuple(sorted(found))

    def next_working_day(self, day: date) -> date:
        """Return ``day`` if it is a working day, otherwise the first working day after it.

        >>> ProductionCalendar().next_working_day(date(2026, 1, 1))
        datetime.date(2026, 1, 12)
        """
        return self.add_working_days(day, 0)

    def add_working_days(self, day: date, n: int) -> date:
        """Return the ``n``-th working day after ``day`` (before it, for negative ``n``).

        ``n = 0`` returns ``day`` if it is a working day, else the next working day. For
        ``n > 0`` the count starts on the day after ``day``: the result is the ``n``-th working
        day strictly after ``day``. For ``n < 0`` it is the ``|n|``-th working day strictly
        before ``day``; on a working day ``d``, ``add_working_days(add_working_days(d, n), -n)
        == d``.

        Args:
            day: The day to count from (e.g. the date of an order).
            n: How many working days to move.

        Returns:
            The working day reached.

        Raises:
            ValidationError: For a ``datetime``, a non-integer ``n``, or if the count leaves the
                supported years.

        >>> ProductionCalendar().add_working_days(date(2025, 5, 12), -1)
        datetime.date(2025, 5, 7)
        """
        day = require_date(day, "day")
        if isinstance(n, bool) or not isinstance(n, int):
            raise VALUE_NOT_AN_INTEGER.error(n=n)
        year = day.year
        ordinals = self._ordinals(year)
        target = day.toordinal()
        if n >= 0:
            # index of the first working day >= day (n = 0) or > day (n > 0)
            index = (
                bisect.bisect_left(ordinals, target)
                if n == 0
                else bisect.bisect_right(ordinals, target)
            )
            index += max(n - 1, 0)
            while index >= len(ordinals):
                index -= len(ordinals)
                year += 1
                ordinals = self._ordinals(year)
            return date.fromordinal(ordinals[index])
        index = bisect.bisect_left(ordinals, target) + n
        while index < 0:
            year -= 1
            ordinals = self._ordinals(year)
            index += len(ordinals)
        return date.fromordinal(ordinals[index])

    def working_days(self, start: date, end: date) -> int:
        """Return how many working days lie from ``start`` to ``end``, both inclusive.

        Raises:
            ValidationError: If ``end`` precedes ``start``, for a ``datetime``, or a year
                outside the supported range.

        >>> ProductionCalendar().working_days(date(2025, 5, 1), date(2025, 5, 31))
        18
        """
        start, end = _check_range(start, end)
        total = 0
        for year in range(start.year, end.year + 1):
            ordinals = self._ordinals(year)
            low = bisect.bisect_left(ordinals, start.toordinal())
            high = bisect.bisect_right(ordinals, end.toordinal())
            total += high - low
        return total

    def working_days_by_month(self, year: int) -> tuple[int, ...]:
        """Return the 12 monthly counts of working days of ``year``.

        >>> sum(ProductionCalendar().working_days_by_month(2025))
        247
        """
        counts = [0] * 12
        for ordinal in self._ordinals(year):
            counts[date.fromordinal(ordinal).month - 1] += 1
        return tuple(counts)

    def with_overrides(
        self, *, days_off: Iterable[date] = (), working_days: Iterable[date] = ()
    ) -> ProductionCalendar:
        """Return a copy with more overrides added.

        >>> ProductionCalendar().with_overrides(days_off=[date(2025, 9, 1)]).is_working_day(
        ...     date(2025, 9, 1))
        False
        """
        return attrs.evolve(
            self,
            extra_days_off=self.extra_days_off | frozenset(days_off),
            extra_working_days=self.extra_working_days | frozenset(working_days),
        )


def _check_range(start: date, end: date) -> tuple[date, date]:
    start = require_date(start, "start")
    end = require_date(end, "end")
    if end < start:
        raise VALUE_END_BEFORE_START.error(start=start.isoformat(), end=end.isoformat())
    return start, end
