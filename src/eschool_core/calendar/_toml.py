"""Reading and writing an academic year as TOML (a small writer of our own).

This module knows the TOML form, not the year: :class:`~eschool_core.calendar.AcademicYear`
hands it its constructor to read and itself to write, so that the year's module imports this
one and never the other way round.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from eschool_core.calendar._errors import CALENDAR_TOML_INVALID
from eschool_core.calendar._label import YearLabel
from eschool_core.calendar._periods import (
    MovedDay,
    PeriodCode,
    StudyPeriod,
    Vacation,
    VacationKind,
)
from eschool_core.calendar._production import ProductionCalendar
from eschool_core.calendar._schedule import ParallelSchedule
from eschool_core.errors import EschoolError, ValidationError
from eschool_core.texts import Text

__all__ = ["read_year", "write_year"]

_Year = TypeVar("_Year")


class _WrittenYear(Protocol):
    """Protocol: what :func:`write_year` reads of an ``AcademicYear``."""

    @property
    def label(self) -> YearLabel: ...

    @property
    def first_day(self) -> date: ...

    @property
    def last_day(self) -> date: ...

    @property
    def parallels(self) -> Mapping[int, ParallelSchedule]: ...

    @property
    def vacations(self) -> tuple[Vacation, ...]: ...

    @property
    def moved_days(self) -> tuple[MovedDay, ...]: ...

    @property
    def production(self) -> ProductionCalendar: ...


def _bad(path: str, ru: str, en: str) -> ValidationError:
    return CALENDAR_TOML_INVALID.error(
        details={"key": path}, reason=Text(f"ключ «{path}»: {ru}", f"key '{path}': {en}")
    )


class _Table:
    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise _bad(path or "(root)", "ожидается таблица", "expected a table")
        self.data: Mapping[str, Any] = data
        self.path = path
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def get(self, name: str, default: object = ...) -> Any:  # noqa: ANN401
        self.used.add(name)
        if name not in self.data:
            if default is ...:
                raise _bad(self.key(name), "обязательный ключ отсутствует", "required key missing")
            return default
        return self.data[name]

    def day(self, name: str) -> date:
        value = self.get(name)
        if isinstance(value, datetime) or not isinstance(value, date):
            raise _bad(self.key(name), f"ожидается дата, получено {value!r}", "expected a date")
        return value

    def integer(self, name: str, default: object = ...) -> int:
        value = self.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(self.key(name), f"ожидается целое, получено {value!r}", "expected an int")
        return value

    def text(self, name: str, default: object = ...) -> Any:  # noqa: ANN401
        value = self.get(name, default)
        if value is not default and not isinstance(value, str):
            raise _bad(self.key(name), f"ожидается строка, получено {value!r}", "expected text")
        return value

    def array(self, name: str, default: object = ...) -> list[Any]:
        value = self.get(name, default)
        if not isinstance(value, list):
            raise _bad(self.key(name), f"ожидается массив, получено {value!r}", "expected array")
        return value

    def dates(self, name: str) -> list[date]:
        values = self.array(name, [])
        if not all(isinstance(x, date) and not isinstance(x, datetime) for x in values):
            raise _bad(self.key(name), "ожидается массив дат", "expected an array of dates")
        return values

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise _bad(self.key(unknown[0]), "неизвестный ключ", "unknown key")


def read_year(
    text: str, build: Callable[..., _Year], *, production: ProductionCalendar | None = None
) -> _Year:
    """Read an academic year from TOML text (the format :func:`write_year` writes).

    Args:
        text: The TOML document.
        build: The year's constructor, called with the year's fields as keywords.
        production: The production calendar to start from (default: the state's); the file's
            ``extra_days_off`` and ``extra_working_days`` are added to it.

    Returns:
        The validated year.

    Raises:
        ValidationError: For invalid TOML (nested too deep included), a missing, unknown or
            mistyped key or value (``calendar.toml_invalid``, naming the key) or an invalid
            year.
    """
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        reason = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        raise CALENDAR_TOML_INVALID.error(
            details={}, reason=Text(f"некорректный TOML: {reason}", f"invalid TOML: {reason}")
        ) from exc
    try:
        return _year(data, production, build)
    except EschoolError:
        raise
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
        # A value of the right TOML type that an entity's converter refuses.
        raise CALENDAR_TOML_INVALID.error(
            details={}, reason=Text(f"недопустимое значение: {exc}", f"invalid value: {exc}")
        ) from exc


def _year(
    data: Mapping[str, Any], production: ProductionCalendar | None, build: Callable[..., _Year]
) -> _Year:
    root = _Table(data, "")
    label = YearLabel.parse(root.text("year"))
    first_day = root.day("first_day")
    last_day = root.day("last_day")
    base = production if production is not None else ProductionCalendar()
    cal = base.with_overrides(
        days_off=root.dates("extra_days_off"), working_days=root.dates("extra_working_days")
    )
    parallels_table = _Table(root.get("parallels"), "parallels")
    parallels: dict[int, ParallelSchedule] = {}
    for key in parallels_table.data:
        if not (key.isascii() and key.isdigit()):
            raise _bad(parallels_table.key(key), "ожидается номер параллели", "expected a grade")
        table = _Table(parallels_table.get(key), parallels_table.key(key))
        periods = []
        for index, item in enumerate(table.array("periods")):
            row = _Table(item, f"{table.key('periods')}[{index}]")
            code = row.text("code")
            if code not in PeriodCode.__members__:
                raise _bad(row.key("code"), f"неизвестный код {code!r}", f"unknown code {code!r}")
            periods.append(
                StudyPeriod(code=PeriodCode(code), start=row.day("start"), end=row.day("end"))
            )
            row.finish()
        parallels[int(key)] = ParallelSchedule(
            periods=periods,
            week_days=table.integer("week_days"),
            shifts=table.integer("shifts", 1),
        )
        table.finish()
    vacations = []
    for index, item in enumerate(root.array("vacations", [])):
        row = _Table(item, f"vacations[{index}]")
        kind = row.text("kind")
        if kind not in {member.value for member in VacationKind}:
            raise _bad(
                row.key("kind"), f"неизвестный вид каникул {kind!r}", f"unknown kind {kind!r}"
            )
        vacations.append(
            Vacation(
                kind=kind,
                start=row.day("start"),
                end=row.day("end"),
                parallels=row.array("parallels"),
            )
        )
        row.finish()
    moved = []
    for index, item in enumerate(root.array("moved_days", [])):
        row = _Table(item, f"moved_days[{index}]")
        moved.append(
            MovedDay(
                source=row.day("source"),
                target=row.day("target"),
                parallels=row.array("parallels"),
                reason=row.text("reason", None),
            )
        )
        row.finish()
    root.finish()
    return build(
        label=label,
        first_day=first_day,
        last_day=last_day,
        parallels=parallels,
        vacations=vacations,
        moved_days=moved,
        production=cal,
    )


def _dates(values: Iterable[date]) -> str:
    return "[" + ", ".join(day.isoformat() for day in sorted(values)) + "]"


def _ints(values: Iterable[int]) -> str:
    return "[" + ", ".join(str(value) for value in sorted(values)) + "]"


def write_year(year: _WrittenYear) -> str:
    """Write ``year`` as TOML that :func:`read_year` reads back to an equal year.

    The production calendar is written as its overrides only (the state's calendar is implied).
    """
    lines = [
        "# Календарный учебный график / academic calendar (eschool_core)",
        f'year = "{year.label}"',
        f"first_day = {year.first_day.isoformat()}",
        f"last_day = {year.last_day.isoformat()}",
        f"extra_days_off = {_dates(year.production.extra_days_off)}",
        f"extra_working_days = {_dates(year.production.extra_working_days)}",
    ]
    for parallel, schedule in year.parallels.items():
        lines += [
            "",
            f"[parallels.{parallel}]",
            f"week_days = {schedule.week_days}",
            f"shifts = {schedule.shifts}",
            "periods = [",
        ]
        lines += [
            f'    {{ code = "{p.code}", start = {p.start}, end = {p.end} }},'
            for p in schedule.periods
        ]
        lines.append("]")
    for vacation in year.vacations:
        lines += [
            "",
            "[[vacations]]",
            f'kind = "{vacation.kind}"',
            f"start = {vacation.start.isoformat()}",
            f"end = {vacation.end.isoformat()}",
            f"parallels = {_ints(vacation.parallels)}",
        ]
    for moved in year.moved_days:
        lines += [
            "",
            "[[moved_days]]",
            f"source = {moved.source.isoformat()}",
            f"target = {moved.target.isoformat()}",
            f"parallels = {_ints(moved.parallels)}",
        ]
        if moved.reason is not None:
            lines.append(f"reason = {json.dumps(moved.reason, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
