"""The rows of the calendar: the academic years a store keeps (R4.4b).

A year is stored whole as the TOML text :meth:`~eschool_core.calendar.AcademicYear.to_toml`
writes (its days, parallels and periods, vacations, moved days and production-calendar
overrides), keyed by its label: it is read back to an equal year.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eschool_core.calendar import AcademicYear
from eschool_core.storage.rows._layout import _ID, _T, Aggregate, Row, _aggregate, _col

__all__ = ["AGGREGATES"]


def _year_row(year: AcademicYear) -> Row:
    return {"id": year.id, "calendar": year.to_toml()}


def _year(row: Mapping[str, Any]) -> AcademicYear:
    return AcademicYear.from_toml(row["calendar"])


AGGREGATES: tuple[Aggregate, ...] = (
    _aggregate(
        "academic_years",
        "academic_year",
        (
            _ID,
            _col(
                "calendar",
                _T,
                "The year as TOML (`AcademicYear.to_toml`): days, periods, vacations, moved "
                "days, production-calendar overrides. The id is its label, `2025/2026`.",
            ),
        ),
        _year_row,
        _year,
    ),
)
