"""A year of the production calendar given as data: the decree's holidays and transfers.

The government decrees each year's transfers of days off some months ahead; the
``holidays`` library encodes them only in a later release. Until then a school adds the
year itself, from the decree, as data: in the profile's ``[calendar]`` section or in a small
TOML file of its own (``eschool calendar --production-calendar FILE``)::

    [[production_year]]
    year = 2028
    decree = "Постановление Правительства РФ от … № …"
    days_off = [2028-01-01, 2028-01-02, 2028-01-03]   # every non-working weekday and holiday
    working_days = []                                 # Saturdays or Sundays made working

A decreed year replaces the library for that year: its days off are exactly those listed
(weekends are days off anyway), its working weekend days exactly those listed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import attrs

from eschool_core.calendar._errors import CALENDAR_PRODUCTION_INVALID
from eschool_core.errors import ValidationError
from eschool_core.texts import Text

__all__ = ["DecreedYear", "decreed_years_from_tables", "decreed_years_from_toml"]

_DEFAULT_NAME = "Нерабочий день (постановление)"


def _bad(key: str, ru: str, en: str) -> ValidationError:
    return CALENDAR_PRODUCTION_INVALID.error(details={"key": key}, reason=Text(ru, en))


def _days_off(value: object) -> Mapping[date, str]:
    if isinstance(value, Mapping):
        return MappingProxyType(dict(value))
    return MappingProxyType(dict.fromkeys(value, _DEFAULT_NAME))  # type: ignore[call-overload]


def _date_set(value: Iterable[date]) -> frozenset[date]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class DecreedYear:
    """One calendar year's non-working days and working weekend days, from its decree.

    Attributes:
        year: The calendar year.
        days_off: Holidays and transferred days off, with their names.
        working_days: Saturdays and Sundays made working days.
        decree: The decree it comes from (for the record).

    Raises:
        ValidationError: If a date lies in another year, or is both a day off and a working
            day (code ``calendar.production_invalid``).
    """

    year: int
    days_off: Mapping[date, str] = attrs.field(factory=dict, converter=_days_off)
    working_days: frozenset[date] = attrs.field(default=frozenset(), converter=_date_set)
    decree: str = ""

    def __attrs_post_init__(self) -> None:
        key = f"production_year[{self.year}]"
        for day in [*self.days_off, *self.working_days]:
            if isinstance(day, datetime) or day.year != self.year:
                raise _bad(
                    key, f"дата {day} не из {self.year} года", f"{day} is not in {self.year}"
                )
        both = sorted(set(self.days_off) & self.working_days)
        if both:
            raise _bad(
                key,
                f"{both[0].isoformat()} и выходной, и рабочий день",
                f"{both[0].isoformat()} is both a day off and a working day",
            )


def _dates(table: Mapping[str, Any], key: str, path: str) -> list[date]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(item, date) and not isinstance(item, datetime) for item in value
    ):
        raise _bad(f"{path}.{key}", "ожидается массив дат", "expected an array of dates")
    return list(value)


def decreed_years_from_tables(
    tables: Iterable[Mapping[str, Any]], path: str = "production_year"
) -> tuple[DecreedYear, ...]:
    """Read ``[[production_year]]`` tables (as ``tomllib`` returns them) into decreed years.

    ``days_off`` is an array of dates, or a table of ``"YYYY-MM-DD" = "name"``.

    Raises:
        ValidationError: For a missing year, an unknown key, a bad date or a repeated year.
    """
    years: list[DecreedYear] = []
    for index, table in enumerate(tables):
        where = f"{path}[{index}]"
        unknown = sorted(set(table) - {"year", "decree", "days_off", "working_days"})
        if unknown:
            raise _bad(f"{where}.{unknown[0]}", "неизвестный ключ", "unknown key")
        year = table.get("year")
        if isinstance(year, bool) or not isinstance(year, int):
            raise _bad(f"{where}.year", "ожидается год (число)", "expected a year (integer)")
        raw = table.get("days_off", [])
        if isinstance(raw, Mapping):
            try:
                days: Mapping[date, str] = {
                    date.fromisoformat(str(k)): str(v) for k, v in raw.items()
                }
            except ValueError as exc:
                raise _bad(f"{where}.days_off", str(exc), str(exc)) from exc
        else:
            days = dict.fromkeys(_dates(table, "days_off", where), _DEFAULT_NAME)
        years.append(
            DecreedYear(
                year=year,
                days_off=days,
                working_days=frozenset(_dates(table, "working_days", where)),
                decree=str(table.get("decree", "")),
            )
        )
    seen = [y.year for y in years]
    if len(set(seen)) != len(seen):
        raise _bad(path, "год указан дважды", "a year is given twice")
    return tuple(years)


def decreed_years_from_toml(text: str) -> tuple[DecreedYear, ...]:
    """Read a production calendar TOML (``[[production_year]]`` tables) into decreed years.

    >>> years = decreed_years_from_toml('''
    ... [[production_year]]
    ... year = 2028
    ... days_off = [2028-01-03]
    ... ''')
    >>> years[0].year, sorted(years[0].days_off)
    (2028, [datetime.date(2028, 1, 3)])

    Raises:
        ValidationError: For bad TOML or a bad table (code ``calendar.production_invalid``).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _bad("(root)", f"не TOML: {exc}", f"not TOML: {exc}") from exc
    unknown = sorted(set(data) - {"production_year"})
    if unknown:
        raise _bad(unknown[0], "неизвестный ключ", "unknown key")
    tables = data.get("production_year", [])
    if not isinstance(tables, list):
        raise _bad(
            "production_year", "ожидается [[production_year]]", "expected [[production_year]]"
        )
    return decreed_years_from_tables(tables)
