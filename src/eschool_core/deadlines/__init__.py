"""Deadline compliance: every time rule of the regulation, checked, with findings citing the clause.

Rules are data (:class:`DeadlineRule`, the profile's ``[[deadlines.rules]]``): each names its
kind (on the same day, within *n* calendar or working days, by a day of the year, at least *n*
days before an event, after a study period, periodic), what it applies to, the clause and the
requirement id, the responsible role (R12.3) and a severity. :class:`ComplianceChecker` runs
them over a school's data as of a date and returns a :class:`ComplianceReport` of
:class:`Finding` records; :class:`EditPolicy` decides corrections after the edit window and in
closed periods.

"Within *n* working days of" a date ``d`` means due on
``ProductionCalendar.add_working_days(d, n)``; "on the day of the lesson" is judged in the
school's time zone: 23:59:59 on the lesson day is on time, 00:00:01 the next day is late.
"""

from eschool_core.deadlines._checker import ComplianceChecker
from eschool_core.deadlines._edits import EditDecision, EditPolicy
from eschool_core.deadlines._entry import EntryDeadlines
from eschool_core.deadlines._findings import (
    SCHEMA_VERSION,
    ComplianceReport,
    EntityKind,
    Finding,
    FindingStatus,
    UncheckedRule,
)
from eschool_core.deadlines._policy import DeadlinePolicy
from eschool_core.deadlines._records import (
    AttestationExemption,
    CardEntry,
    CardReconciliation,
    ComplianceData,
    ExamSession,
    HostRecords,
    Milestone,
    MilestoneKind,
    MovedDayEntry,
    PrintedSummary,
    ReportRun,
    StaffDismissal,
    StoreLike,
    SummaryRequest,
)
from eschool_core.deadlines._rules import (
    AppliesTo,
    DeadlineRule,
    DurationUnit,
    Periodicity,
    ReportScope,
    ResponsibleRole,
    RuleKind,
    Severity,
)

__all__ = [
    "SCHEMA_VERSION",
    "AppliesTo",
    "AttestationExemption",
    "CardEntry",
    "CardReconciliation",
    "ComplianceChecker",
    "ComplianceData",
    "ComplianceReport",
    "DeadlinePolicy",
    "DeadlineRule",
    "DurationUnit",
    "EditDecision",
    "EditPolicy",
    "EntityKind",
    "EntryDeadlines",
    "ExamSession",
    "Finding",
    "FindingStatus",
    "HostRecords",
    "Milestone",
    "MilestoneKind",
    "MovedDayEntry",
    "Periodicity",
    "PrintedSummary",
    "ReportRun",
    "ReportScope",
    "ResponsibleRole",
    "RuleKind",
    "Severity",
    "StaffDismissal",
    "StoreLike",
    "SummaryRequest",
    "UncheckedRule",
]
