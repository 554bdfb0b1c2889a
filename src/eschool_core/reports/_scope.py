"""How much of a school year each report reads, so that a store is read no more than needed."""

from __future__ import annotations

from eschool_core.ids import ClassId, StudentId
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


def report_scope(code: str, params: ReportParams) -> YearScope:
    """Return the part of the year report ``code`` reads with ``params`` (R11.1).

    A report of one class reads that class (its students, their marks, attendance and
    attestation marks, the class's lessons); a report of one student reads that student;
    every other report, and every report the checker's findings decide, reads the whole
    year. The class may be named by id or by name (``"5А"``).

    >>> report_scope("class_period_results", ReportParams(class_id="5А", period="Q2")).class_id
    '5А'
    >>> report_scope("mark_timeliness", ReportParams()).whole
    True
    """
    if needs_compliance(code):
        return YearScope()
    if params.class_id is not None:
        return YearScope(class_id=ClassId(params.class_id))
    if params.student_id is not None:
        return YearScope(student_id=StudentId(params.student_id))
    return YearScope()
