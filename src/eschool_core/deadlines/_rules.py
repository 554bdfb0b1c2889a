"""Deadline rules as data: their kinds, what they apply to, who answers, and their due dates."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.calendar import ProductionCalendar
from eschool_core.deadlines._errors import (
    DEADLINES_CARD_KINDS,
    DEADLINES_MONTH_DAY,
    DEADLINES_NO_DUE_DATE,
    DEADLINES_PARALLELS,
    DEADLINES_RULE_INVALID,
)
from eschool_core.problems import Severity
from eschool_core.rbac import Role
from eschool_core.texts import Text

__all__ = [
    "AppliesTo",
    "DeadlineRule",
    "DurationUnit",
    "Periodicity",
    "ReportScope",
    "ResponsibleRole",
    "RuleKind",
    "Severity",
]


class RuleKind(StrEnum):
    """How a rule's due date is computed from its anchor (the lesson day, the order date...)."""

    SAME_DAY = "same_day"
    """Due on the anchor's day, judged in the school's time zone (``extension_days`` with a
    stated valid reason)."""
    WITHIN_CALENDAR_DAYS = "within_calendar_days"
    """Due ``days`` calendar days after the anchor."""
    WITHIN_WORKING_DAYS = "within_working_days"
    """Due on the ``days``-th working day strictly after the anchor."""
    BY_DAY_OF_YEAR = "by_day_of_year"
    """Due on the first ``by`` day of the year (``"07-01"``) on or after the anchor."""
    BEFORE_EVENT = "before_event"
    """Due ``days`` calendar days, weeks or working days (``unit``) before the event."""
    AFTER_PERIOD = "after_period"
    """Due ``days`` working days after a study period ends."""
    PERIODIC = "periodic"
    """Done at least once in every window of a schedule (``every``)."""
    EDIT_WINDOW = "edit_window"
    """Corrections after ``days`` calendar days need a stated reason and are audited."""
    PERIOD_LOCK = "period_lock"
    """Marks of a closed study period are locked; only the deputy head reopens, with a reason."""
    IN_FORCE = "in_force"
    """A state that must hold on the day of the check (a consent in force for every card);
    its findings are due on that day."""


POINT_KINDS = frozenset(
    {
        RuleKind.SAME_DAY,
        RuleKind.WITHIN_CALENDAR_DAYS,
        RuleKind.WITHIN_WORKING_DAYS,
        RuleKind.BY_DAY_OF_YEAR,
        RuleKind.BEFORE_EVENT,
        RuleKind.AFTER_PERIOD,
    }
)
"""Kinds that give one due date per duty, from the duty's anchor date."""


class ResponsibleRole(StrEnum):
    """The duty a finding is routed to (R12.3).

    Most duties are roles of :class:`eschool_core.rbac.Role` with the same code; the subject
    teacher's and the class teacher's are duties of the role «Учитель» that come from
    assignments (see :attr:`role`).
    """

    ADMINISTRATOR = "administrator"
    DEPUTY_HEAD = "deputy_head"
    SUBJECT_TEACHER = "subject_teacher"
    CLASS_TEACHER = "class_teacher"
    SECRETARY = "secretary"
    CLERK = "clerk"
    HR_SPECIALIST = "hr_specialist"
    DISTRICT_COORDINATOR = "district_coordinator"

    @property
    def role(self) -> Role:
        """The access role that carries this duty.

        >>> ResponsibleRole.CLASS_TEACHER.role
        <Role.TEACHER: 'teacher'>
        """
        if self in (ResponsibleRole.SUBJECT_TEACHER, ResponsibleRole.CLASS_TEACHER):
            return Role.TEACHER
        return Role(self.value)

    @property
    def label_ru(self) -> str:
        """The role's name in Russian."""
        return _ROLE_NAMES[self][0]

    @property
    def label_en(self) -> str:
        """The role's name in English."""
        return _ROLE_NAMES[self][1]


_ROLE_NAMES = {
    ResponsibleRole.ADMINISTRATOR: ("Администратор", "Administrator"),
    ResponsibleRole.DEPUTY_HEAD: ("Заместитель директора", "Deputy head"),
    ResponsibleRole.SUBJECT_TEACHER: ("Учитель-предметник", "Subject teacher"),
    ResponsibleRole.CLASS_TEACHER: ("Классный руководитель", "Class teacher"),
    ResponsibleRole.SECRETARY: ("Секретарь", "Secretary"),
    ResponsibleRole.CLERK: ("Делопроизводитель", "Clerk"),
    ResponsibleRole.HR_SPECIALIST: ("Специалист по кадрам", "HR specialist"),
    ResponsibleRole.DISTRICT_COORDINATOR: ("Районный координатор", "District coordinator"),
}


class AppliesTo(StrEnum):
    """What a rule checks: which entries of the journal or the host's records."""

    MARK = "mark"
    """Current marks (``Mark.entered_at``; ``Mark.late_reason``)."""
    LESSON_TOPIC = "lesson_topic"
    """Topics of held lessons (``Lesson.topic_entered_at``)."""
    LESSON_HOMEWORK = "lesson_homework"
    """Homework of held lessons (``Lesson.homework_entered_at``)."""
    ATTENDANCE = "attendance"
    """Absences and late arrivals (``Attendance.entered_at``)."""
    ABSENCE_REASON = "absence_reason"
    """Corrections of absence reasons after a document (``Attendance.reason_corrected_at``)."""
    ATTESTATION_MARK = "attestation_mark"
    """Period, annual, exam and final marks (``AttestationMark.entered_at``)."""
    ORDER = "order"
    """Movement orders (``Order.entered_at`` against ``Order.issued_on``)."""
    DEBT_REPAYMENT = "debt_repayment"
    """Repayments of academic debts (``OrderItem.repaid_on``)."""
    STUDENT_CARD = "student_card"
    """Cards of admitted students and parents (:class:`CardEntry`)."""
    STAFF_CARD = "staff_card"
    """Cards of admitted staff (:class:`CardEntry`)."""
    CARD_RECONCILIATION = "card_reconciliation"
    """Reconciliations of the cards (:class:`CardReconciliation`)."""
    MOVED_DAY = "moved_day"
    """Moved school days (:class:`MovedDayEntry`)."""
    LESSON_CANCELLATION = "lesson_cancellation"
    """Cancellations of lessons (``Lesson.cancelled_at``)."""
    LESSON_SUBSTITUTION = "lesson_substitution"
    """Substitutions of teachers (``Lesson.substitute_entered_at``)."""
    REPORT = "report"
    """Runs of the named reports (:class:`ReportRun`)."""
    YEAR_FORMATION = "year_formation"
    """Formation of the new academic year (:class:`Milestone`)."""
    CALENDAR_SETUP = "calendar_setup"
    """The new year's calendar: periods, vacations, holidays (:class:`Milestone`)."""
    MARK_EDIT = "mark_edit"
    """Corrections of current marks (``Mark.edits``)."""
    CURRICULUM = "curriculum"
    """Completion of the year's curricula (``Curriculum.completed_at``), from 1 April."""
    THEMATIC_PLAN = "thematic_plan"
    """Thematic plans (``ThematicPlan.entered_at``), one for every class (or group) and
    subject the curricula give hours to, from 1 April."""
    TIMETABLE = "timetable"
    """Completion of the year's first timetable (``Timetable.completed_at``), from 1 April."""
    SCHOOL_EVENT = "school_event"
    """School events (``SchoolEvent.entered_at`` against ``reference_date``)."""
    CLASS_EVENT = "class_event"
    """Class events (``SchoolEvent.entered_at`` against ``reference_date``)."""
    STUDENT_CONSENT = "student_consent"
    """Student and guardian cards, each with a consent to keep the personal file (R6.1)."""
    STAFF_CONSENT = "staff_consent"
    """Cards of the staff working on the day of the check, each with such a consent (R6.1)."""
    FORMATION_START = "formation_start"
    """The start of the new year's formation (:class:`Milestone`, R4.2a)."""
    STAFF_DISMISSAL = "staff_dismissal"
    """Dismissed staff given the status «уволен» (:class:`StaffDismissal`, R4.3)."""
    CLASS_LIST = "class_list"
    """The next year's preliminary class list, a first grade included (R4.4a), from 1 April."""
    PRINTED_SUMMARY = "printed_summary"
    """Weekly printed summaries on a parent's request (:class:`SummaryRequest`,
    :class:`PrintedSummary`, R8.12)."""


class DurationUnit(StrEnum):
    """The unit of ``days`` for a rule that counts before an event."""

    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"


class Periodicity(StrEnum):
    """The schedule of a periodic rule."""

    WEEKLY = "weekly"
    """Once in every week, Monday to Sunday."""
    TWO_WEEKS = "two_weeks"
    """At least once in every 14 days counted from the first school day."""
    MONTHLY = "monthly"
    """At least once in every calendar month."""
    MONTH_END = "month_end"
    """On the last day of every month."""
    TWICE_A_YEAR = "twice_a_year"
    """At least once in each half of the academic year."""
    YEARLY = "yearly"
    """Once a year, by the ``by`` day."""


class ReportScope(StrEnum):
    """Who must produce a report: the school once, or every teacher of a kind."""

    SCHOOL = "school"
    SUBJECT_TEACHER = "subject_teacher"
    CLASS_TEACHER = "class_teacher"


def _month_day(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    parts = value.split("-") if isinstance(value, str) else []
    ok = len(parts) == 2 and all(part.isdigit() and len(part) == 2 for part in parts)
    if ok:
        try:
            date(2024, int(parts[0]), int(parts[1]))
        except ValueError:
            ok = False
    if not ok:
        raise DEADLINES_MONTH_DAY.error(value=value)


def _to_kind(value: str) -> RuleKind:
    return RuleKind(value)


def _to_applies(value: str) -> AppliesTo:
    return AppliesTo(value)


def _to_role(value: str) -> ResponsibleRole:
    return ResponsibleRole(value)


def _to_controller(value: str | None) -> ResponsibleRole | None:
    return None if value is None else ResponsibleRole(value)


def _to_severity(value: str) -> Severity:
    return Severity(value)


def _to_unit(value: str) -> DurationUnit:
    return DurationUnit(value)


def _to_every(value: str | None) -> Periodicity | None:
    return None if value is None else Periodicity(value)


def _to_scope(value: str) -> ReportScope:
    return ReportScope(value)


def _to_parallels(value: object) -> tuple[int, ...]:
    parallels = tuple(sorted({int(str(item)) for item in v.to_tuple(value)}))
    if any(not 1 <= parallel <= 11 for parallel in parallels):
        raise DEADLINES_PARALLELS.error(parallels=parallels)
    return parallels


def _to_card_kinds(value: object) -> tuple[str, ...]:
    kinds = tuple(str(item) for item in v.to_tuple(value))
    known = {"student", "guardian", "employee"}
    if not set(kinds) <= known:
        raise DEADLINES_CARD_KINDS.error(kinds=kinds)
    return kinds


def _to_texts(value: object) -> tuple[str, ...]:
    return tuple(str(item) for item in v.to_tuple(value))


_SUBJECTS_OF_KIND: dict[RuleKind, frozenset[AppliesTo]] = {
    RuleKind.PERIODIC: frozenset(
        {AppliesTo.REPORT, AppliesTo.CARD_RECONCILIATION, AppliesTo.PRINTED_SUMMARY}
    ),
    RuleKind.AFTER_PERIOD: frozenset({AppliesTo.REPORT, AppliesTo.ATTESTATION_MARK}),
    RuleKind.EDIT_WINDOW: frozenset({AppliesTo.MARK_EDIT}),
    RuleKind.PERIOD_LOCK: frozenset({AppliesTo.MARK_EDIT}),
    RuleKind.IN_FORCE: frozenset(
        {AppliesTo.STUDENT_CONSENT, AppliesTo.STAFF_CONSENT, AppliesTo.CLASS_LIST}
    ),
}
_POINT_SUBJECTS = frozenset(AppliesTo) - {
    AppliesTo.REPORT,
    AppliesTo.CARD_RECONCILIATION,
    AppliesTo.MARK_EDIT,
    AppliesTo.STUDENT_CONSENT,
    AppliesTo.STAFF_CONSENT,
    AppliesTo.CLASS_LIST,
    AppliesTo.PRINTED_SUMMARY,
}


@attrs.frozen(kw_only=True)
class DeadlineRule:
    """One time rule of the regulation, as the profile's ``[[deadlines.rules]]`` gives it.

    Attributes:
        id: Stable id of the rule (``"marks.same_day"``); findings name it.
        kind: How the due date is computed.
        applies_to: What the rule checks.
        clause: The clause of the regulation (``"8.6"``).
        requirement: The requirement id (``"R8.6"``).
        role: The role that answers for the rule's findings (R12.3).
        severity: Error, warning or info.
        title_ru: What the rule demands, in Russian.
        title_en: The same in English.
        days: The number of days (calendar or working, by kind) or of ``unit`` units.
        unit: The unit of ``days`` for :attr:`RuleKind.BEFORE_EVENT`.
        extension_days: Calendar days added to the due date when a valid reason is stated
            (R8.6: 3); ``None``: no extension.
        by: The day of the year (``"07-01"``) for :attr:`RuleKind.BY_DAY_OF_YEAR` and a
            yearly periodic rule.
        every: The schedule of a periodic rule.
        reports: Report codes (titles) a report rule expects.
        scope: Who must produce the reports.
        order_kinds: Order kinds an order rule covers (empty: all).
        missing_is_finding: Whether a duty with no entry at all is a finding once due.
        reopen_role_corrects: For a period-lock rule: whether its role (the deputy head)
            corrects a closed period's marks himself, with a reason; by default (the
            regulation, 8.4.1, 8.10) he reopens the period and the subject teacher corrects.
        controller: The role that controls the timeliness and correctness of the entries
            (R10.2: the deputy head for movement); findings name it beside :attr:`role`.
        parallels: The grades whose classes owe the duties (empty: every grade); grade 1,
            taught without marks, owes no attestation marks.
        card_kinds: The kinds of cards a reconciliation rule covers (``student``,
            ``guardian``, ``employee``; empty: every kind).
        starts: The first day (``"04-15"``) of a periodic rule's span, in the calendar year
            the academic year ends in (empty: the year's first day).
        ends: The last day (``"09-20"``) of that span, the first such day after ``starts``
            (empty: the academic year's last day).

    Raises:
        ValidationError: If a field the kind needs is missing, or the kind does not fit
            what the rule applies to.

    >>> rule = DeadlineRule(id="orders.enrollment", kind="within_working_days",
    ...     applies_to="order", clause="10.1a", requirement="R10.1a", role="secretary",
    ...     severity="error", title_ru="Приказ о зачислении вносится в течение 3 рабочих дней",
    ...     title_en="Enrollment orders are entered within 3 working days", days=3)
    >>> rule.due(date(2025, 4, 30), ProductionCalendar())
    datetime.date(2025, 5, 7)
    """

    id: str = attrs.field(validator=v.non_empty_text)
    kind: RuleKind = attrs.field(converter=_to_kind)
    applies_to: AppliesTo = attrs.field(converter=_to_applies)
    clause: str = attrs.field(validator=v.non_empty_text)
    requirement: str = attrs.field(validator=v.non_empty_text)
    role: ResponsibleRole = attrs.field(converter=_to_role)
    severity: Severity = attrs.field(converter=_to_severity)
    title_ru: str = attrs.field(validator=v.non_empty_text)
    title_en: str = attrs.field(validator=v.non_empty_text)
    days: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.int_in_range(0, 366, "rule.days"))
    )
    unit: DurationUnit = attrs.field(default=DurationUnit.CALENDAR_DAYS, converter=_to_unit)
    extension_days: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(v.int_in_range(1, 366, "rule.extension_days")),
    )
    by: str | None = attrs.field(default=None, validator=_month_day)
    every: Periodicity | None = attrs.field(default=None, converter=_to_every)
    reports: tuple[str, ...] = attrs.field(default=(), converter=_to_texts)
    scope: ReportScope = attrs.field(default=ReportScope.SCHOOL, converter=_to_scope)
    order_kinds: tuple[str, ...] = attrs.field(default=(), converter=_to_texts)
    missing_is_finding: bool = True
    reopen_role_corrects: bool = False
    controller: ResponsibleRole | None = attrs.field(default=None, converter=_to_controller)
    parallels: tuple[int, ...] = attrs.field(default=(), converter=_to_parallels)
    card_kinds: tuple[str, ...] = attrs.field(default=(), converter=_to_card_kinds)
    starts: str | None = attrs.field(default=None, validator=_month_day)
    ends: str | None = attrs.field(default=None, validator=_month_day)

    def __attrs_post_init__(self) -> None:
        problem = self._problem()
        if problem is not None:
            ru, en = problem
            raise DEADLINES_RULE_INVALID.error(
                details={"id": self.id}, reason=Text(ru, en), rule_clause=self.clause
            )

    def _problem(self) -> tuple[str, str] | None:
        allowed = _SUBJECTS_OF_KIND.get(self.kind, _POINT_SUBJECTS)
        if self.applies_to not in allowed:
            return (
                f"вид «{self.kind}» не применим к «{self.applies_to}»",
                f"kind '{self.kind}' does not apply to '{self.applies_to}'",
            )
        needs_days = {
            RuleKind.WITHIN_CALENDAR_DAYS,
            RuleKind.WITHIN_WORKING_DAYS,
            RuleKind.BEFORE_EVENT,
            RuleKind.AFTER_PERIOD,
            RuleKind.EDIT_WINDOW,
        }
        if self.kind in needs_days and self.days is None:
            return ("не указано число дней (days)", "the number of days (days) is missing")
        if self.kind is RuleKind.BY_DAY_OF_YEAR and self.by is None:
            return ("не указан день года (by)", "the day of the year (by) is missing")
        if self.kind is RuleKind.PERIODIC:
            if self.every is None:
                return ("не указано расписание (every)", "the schedule (every) is missing")
            if self.every is Periodicity.YEARLY and self.by is None:
                return ("не указан день года (by)", "the day of the year (by) is missing")
        if self.applies_to is AppliesTo.REPORT and not self.reports:
            return ("не указаны отчёты (reports)", "the reports (reports) are missing")
        return None

    def due(self, anchor: date, calendar: ProductionCalendar, *, with_reason: bool = False) -> date:
        """Return the due date of a duty anchored at ``anchor`` (a point rule's kinds).

        Args:
            anchor: The lesson day, the date of the order, the event, the period's end.
            calendar: The production calendar for working days.
            with_reason: Whether a valid reason is stated (adds ``extension_days``).

        Raises:
            ValidationError: For a kind that has no single due date, or a year the
                production calendar does not know.
        """
        kind = self.kind
        days = self.days or 0
        if kind is RuleKind.SAME_DAY:
            due = anchor
        elif kind is RuleKind.WITHIN_CALENDAR_DAYS:
            due = anchor + timedelta(days=days)
        elif kind in (RuleKind.WITHIN_WORKING_DAYS, RuleKind.AFTER_PERIOD):
            due = calendar.add_working_days(anchor, days)
        elif kind is RuleKind.BY_DAY_OF_YEAR:
            due = next_month_day(anchor, self.by or "")
        elif kind is RuleKind.BEFORE_EVENT:
            if self.unit is DurationUnit.WORKING_DAYS:
                due = calendar.add_working_days(anchor, -days)
            else:
                due = anchor - timedelta(days=days * (7 if self.unit is DurationUnit.WEEKS else 1))
        else:
            raise DEADLINES_NO_DUE_DATE.error(id=self.id, rule_clause=self.clause)
        if with_reason and self.extension_days is not None:
            due = max(due, anchor + timedelta(days=self.extension_days))
        return due


def next_month_day(anchor: date, month_day: str) -> date:
    """Return the first ``"MM-DD"`` day on or after ``anchor`` (29 February: 28th elsewhere).

    >>> next_month_day(date(2026, 5, 29), "07-01"), next_month_day(date(2026, 7, 2), "07-01")
    (datetime.date(2026, 7, 1), datetime.date(2027, 7, 1))
    """
    month, day = (int(part) for part in month_day.split("-"))
    for year in (anchor.year, anchor.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = date(year, month, day - 1)
        if candidate >= anchor:
            return candidate
    raise AssertionError  # pragma: no cover - the next year's day is always later
