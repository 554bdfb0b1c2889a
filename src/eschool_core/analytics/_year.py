"""What a store's tables share, whichever way they are read: one academic year of one school.

A store holds one school's data of every year it was used; the analytics tables of a store
are one academic year's (its classes, dated facts and the year's own records) and one
school's. Both readers of a store, in place on PostgreSQL (:mod:`._store`) and through the
repositories (:mod:`._entities`), scope the data with these helpers, and choose the store's
school with :func:`eschool_core.year_data.choose_school_id`.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from eschool_core.analytics._arrow import calendar_table, periods_table
from eschool_core.calendar import AcademicYear
from eschool_core.year_data import year_span

__all__ = ["CALENDAR_TAIL", "year_calendar", "year_periods", "year_span"]

CALENDAR_TAIL = 60
"""Days of calendar kept after the data's last day (late entries, corrected reasons).

A store's year ends on 31 August; a generated school's data on its last school day.
"""


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
