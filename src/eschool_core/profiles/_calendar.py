"""The profile's ``[calendar]`` section: period schemes, school weeks, vacations, overrides."""

from __future__ import annotations

from eschool_core.calendar import (
    ALL_PARALLELS,
    CalendarPolicy,
    MonthDay,
    PeriodScheme,
    ProductionCalendar,
    SplitPoint,
    VacationKind,
    VacationTemplate,
    decreed_years_from_tables,
)
from eschool_core.errors import ProfileError, ValidationError
from eschool_core.profiles._reader import TableReader

__all__ = ["parse_calendar"]


def _month_day(section: TableReader, key: str, value: str) -> MonthDay:
    try:
        return MonthDay.parse(value)
    except ValidationError as exc:
        raise ProfileError.at(section.key_path(key), str(exc), exc.message("en")) from None


def _per_parallel(section: TableReader, key: str, low: int, high: int) -> dict[int, int]:
    values = section.integer_list(key)
    if len(values) != 11 or not all(low <= value <= high for value in values):
        raise ProfileError.at(
            section.key_path(key),
            f"нужно 11 значений от {low} до {high} (параллели 1–11)",
            f"11 values from {low} to {high} are needed (parallels 1-11)",
            code="profile.out_of_range",
        )
    return {parallel: values[parallel - 1] for parallel in range(1, 12)}


def _split_point(section: TableReader, key: str, value: str) -> SplitPoint:
    if value in VacationKind.__members__.values():
        return VacationKind(value)
    return _month_day(section, key, value)


def parse_calendar(section: TableReader) -> CalendarPolicy:
    """Read the ``[calendar]`` section into a :class:`~eschool_core.calendar.CalendarPolicy`.

    Raises:
        ProfileError: Naming ``calendar.<key>`` for a missing, unknown or invalid key.
    """
    clause = section.text("clause")
    requirement = section.text("requirement")
    first_day = _month_day(section, "first_day", section.text("first_day"))
    last_day = _month_day(section, "last_day", section.text("last_day"))
    week_days = _per_parallel(section, "week_days", 5, 6)
    shifts = _per_parallel(section, "shifts", 1, 2)
    days_off = frozenset(section.date_list("extra_days_off"))
    working = frozenset(section.date_list("extra_working_days"))

    schemes_table = section.table("schemes")
    schemes: dict[PeriodScheme, tuple[SplitPoint, ...]] = {}
    for scheme in PeriodScheme:
        points = schemes_table.text_list(scheme.value)
        schemes[scheme] = tuple(
            _split_point(schemes_table, scheme.value, point) for point in points
        )
        if len(points) != len(scheme.codes) - 1:
            raise ProfileError.at(
                schemes_table.key_path(scheme.value),
                f"нужно {len(scheme.codes) - 1} точек деления",
                f"{len(scheme.codes) - 1} split points are needed",
                code="profile.out_of_range",
            )
    schemes_table.finish()

    parallels_table = section.table("parallels")
    parallel_schemes: dict[int, PeriodScheme] = {}
    for scheme in PeriodScheme:
        for parallel in parallels_table.integer_list(scheme.value):
            if parallel not in ALL_PARALLELS or parallel in parallel_schemes:
                raise ProfileError.at(
                    parallels_table.key_path(scheme.value),
                    f"параллель {parallel} вне 1–11 или указана дважды",
                    f"parallel {parallel} is outside 1-11 or listed twice",
                    code="profile.out_of_range",
                )
            parallel_schemes[parallel] = scheme
    parallels_table.finish()
    if set(parallel_schemes) != ALL_PARALLELS:
        missing = sorted(ALL_PARALLELS - set(parallel_schemes))
        raise ProfileError.at(
            parallels_table.path,
            f"не указана схема для параллелей {missing}",
            f"no scheme for parallels {missing}",
            code="profile.missing_key",
        )

    vacations = []
    for table in section.tables("vacations"):
        kind = table.text("kind")
        if kind not in VacationKind.__members__.values():
            raise ProfileError.at(
                table.key_path("kind"),
                f"неизвестный вид каникул «{kind}»",
                f"unknown vacation kind '{kind}'",
                code="profile.unknown_value",
            )
        vacations.append(
            VacationTemplate(
                kind=VacationKind(kind),
                start=_month_day(table, "start", table.text("start")),
                end=_month_day(table, "end", table.text("end")),
                parallels=_parallels(table),
            )
        )
        table.finish()
    decreed_tables = []
    for table in section.tables("production_year", optional=True):
        decreed_tables.append(
            {
                "year": table.integer("year", low=1991, high=2100),
                "decree": table.text("decree", ""),
                "days_off": list(table.date_list("days_off", ())),
                "working_days": list(table.date_list("working_days", ())),
            }
        )
        table.finish()
    section.finish()
    try:
        production = ProductionCalendar(
            extra_days_off=days_off,
            extra_working_days=working,
            decreed=decreed_years_from_tables(decreed_tables, "calendar.production_year"),
        )
        return CalendarPolicy(
            schemes=schemes,
            parallel_schemes=parallel_schemes,
            week_days=week_days,
            shifts=shifts,
            first_day=first_day,
            last_day=last_day,
            vacations=tuple(vacations),
            production=production,
            clause=clause,
            requirement=requirement,
        )
    except ValidationError as exc:
        if isinstance(exc, ProfileError):
            raise
        raise ProfileError.at(section.path, str(exc), exc.message("en")) from None


def _parallels(table: TableReader) -> frozenset[int]:
    values = table.integer_list("parallels")
    if not values or not set(values) <= ALL_PARALLELS:
        raise ProfileError.at(
            table.key_path("parallels"),
            "нужен непустой список параллелей 1–11",
            "a non-empty list of parallels 1-11 is needed",
            code="profile.out_of_range",
        )
    return frozenset(values)
