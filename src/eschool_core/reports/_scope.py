"""How much of a school year each report reads, so that a store is read no more than needed."""

from __future__ import annotations

import datetime as dt

from eschool_core.calendar import AcademicYear
from eschool_core.ids import ClassId, StudentId
from eschool_core.reports._data import YEAR_PERIOD
from eschool_core.reports._table import ReportParams
from eschool_core.year_data import YearScope

__all__ = ["JUDGES_TIMELINESS", "needs_compliance", "report_scope"]

JUDGES_TIMELINESS = frozenset({"journal_keeping", "mark_timeliness"})
"""The reports whose columns the deadline checker's findings decide (R8.6, R11.3c)."""


def needs_compliance(code: str) -> bool:
    """Return whether report ``code`` needs the deadline checker's report on its data (R8.6).

    >>> needs_compliance("mark_timeliness"), needs_compliance("class_period_results")
    (True, False)
    """
    return code in JUDGES_TIMELINESS


def report_scope(code: str, params: ReportParams, year: AcademicYear | None = None) -> YearScope:
    """Return the part of the year report ``code`` reads with ``params`` (R11.1).

    A report of one class reads that class (its students, their marks, attendance and
    attestation marks, the class's lessons); a report of one student reads that student;
    with ``year`` given, a report of one study period reads the lessons, marks and
    attendance of that period only (on every parallel, the periods that overlap it). Every
    other report, and every report the checker's findings decide, reads the whole year. No
    report reads the year's planning or consents. The class may be named by id or by name
    (``"5А"``).

    >>> report_scope("class_period_results", ReportParams(class_id="5А", period="Q2")).class_id
    '5А'
    >>> report_scope("mark_timeliness", ReportParams()).whole
    True
    """
    if needs_compliance(code):
        return YearScope()
    start, end = _period_days(year, params.period)
    if params.class_id is not None:
        return YearScope(class_id=ClassId(params.class_id), start=start, end=end, planning=False)
    if params.student_id is not None:
        return YearScope(
            student_id=StudentId(params.student_id), start=start, end=end, planning=False
        )
    return YearScope(start=start, end=end, planning=False)


def _period_days(
    year: AcademicYear | None, code: str | None
) -> tuple[dt.date | None, dt.date | None]:
    """The days of every parallel's periods that overlap the periods coded ``code``."""
    if year is None or code is None or code == YEAR_PERIOD:
        return None, None
    periods = [p for parallel in year.parallels for p in year.periods(parallel)]
    coded = [p for p in periods if p.code == code]
    if not coded:
        return None, None
    first, last = min(p.start for p in coded), max(p.end for p in coded)
    overlapping = [p for p in periods if p.start <= last and first <= p.end]
    return min(p.start for p in overlapping), max(p.end for p in overlapping)
