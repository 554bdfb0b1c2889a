"""What a store's tables share, whichever way they are read: one academic year of one school.

A store holds one school's data of every year it was used; the analytics tables of a store
are one academic year's (its classes, dated facts and the year's own records) and one
school's. Both readers of a store, in place on PostgreSQL (:mod:`._store`) and through the
repositories (:mod:`._entities`), scope the data with these helpers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pyarrow as pa

from eschool_core.analytics._arrow import calendar_table, periods_table
from eschool_core.calendar import AcademicYear
from eschool_core.errors import NotFoundError, ValidationError
from eschool_core.year_data import year_span

__all__ = [
    "CALENDAR_TAIL",
    "SHOWN_SCHOOLS",
    "only_school",
    "year_calendar",
    "year_periods",
    "year_span",
]

CALENDAR_TAIL = 60
"""Days of calendar kept after the data's last day (late entries, corrected reasons).

A store's year ends on 31 August; a generated school's data on its last school day.
"""

SHOWN_SCHOOLS = 10
"""How many of a store's schools the ``analytics.school_required`` error names."""


def year_periods(year: AcademicYear, school_id: str) -> pa.Table:
    """Return the study periods of each of the year's parallels as the ``periods`` table."""
    return periods_table(
        {parallel: year.periods(parallel) for parallel in year.parallels}, school_id
    )


def year_calendar(year: AcademicYear) -> pa.Table:
    """Return the ``calendar`` table of the year: its span and :data:`CALENDAR_TAIL` days more.

    Working days follow the year's production calendar.
    """
    first, last = year_span(year)
    return calendar_table(first, last + dt.timedelta(days=CALENDAR_TAIL), year.production)


def only_school(listed: Sequence[str]) -> str:
    """Return the id of a store's only school.

    Args:
        listed: The ids of the store's schools in order; the first ``SHOWN_SCHOOLS + 1`` are
            enough.

    Raises:
        NotFoundError: If there is none (``analytics.no_school``).
        ValidationError: If there are several (``analytics.school_required``; the details
            name the first :data:`SHOWN_SCHOOLS`).
    """
    if not listed:
        raise NotFoundError(
            "В хранилище нет ни одной школы",
            "The store holds no school",
            code="analytics.no_school",
        )
    if len(listed) > 1:
        raise ValidationError(
            "В хранилище несколько школ: укажите school_id",
            "The store holds several schools: pass school_id",
            code="analytics.school_required",
            details={"schools": list(listed[:SHOWN_SCHOOLS])},
        )
    return listed[0]
