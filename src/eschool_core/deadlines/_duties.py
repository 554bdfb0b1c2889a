"""The duties each kind of entry gives: what is due, from which anchor date, done when, by whom."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterator
from datetime import date, datetime

from eschool_core.calendar import AcademicYear, StudyPeriod
from eschool_core.curriculum import SubjectHours
from eschool_core.deadlines._findings import EntityKind
from eschool_core.deadlines._records import ComplianceData, MilestoneKind
from eschool_core.deadlines._rules import AppliesTo, DeadlineRule, RuleKind
from eschool_core.journal import AttestationKind, AttestationMark, Lesson
from eschool_core.movement import OrderKind
from eschool_core.people import CardCategory, EmployeeStatus
from eschool_core.school import SchoolClass
from eschool_core.timetable import EventKind

__all__ = ["HOST_RECORDS", "POINT_SOURCES", "Context", "Duty", "needs", "preparation_start"]

Duty = tuple[EntityKind, str, date, "date | None", bool, "str | None", "str | None"]
"""One duty: entity kind, entity id, anchor date, day done (or None), valid reason stated,
responsible employee, class."""


class Context:
    """The data of one check, indexed once: lookups the duty sources share."""

    def __init__(
        self,
        data: ComplianceData,
        as_of: date,
        zone: zoneinfo.ZoneInfo,
        year: AcademicYear | None,
    ) -> None:
        self.data = data
        self.year_data = data.year_data
        self.records = data.records
        self.as_of = as_of
        self.zone = zone
        self.local_days: dict[datetime, date] = {}
        """The school-time day of each moment seen (a year of marks repeats its moments:
        ~137,000 distinct among ~800,000); equal instants share their day."""
        self.year = year
        self.lessons = {lesson.id: lesson for lesson in self.year_data.lessons}
        self.classes: dict[str, SchoolClass] = {str(c.id): c for c in self.year_data.classes}
        self.student_classes: dict[str, list[tuple[date, date | None, str]]] = {}
        for membership in sorted(self.year_data.memberships, key=lambda m: (m.since, m.id)):
            self.student_classes.setdefault(membership.student_id, []).append(
                (membership.since, membership.until, membership.class_id)
            )

    def local_day(self, moment: datetime | None) -> date | None:
        """The school-time day of a moment; ``None`` if absent or after ``as_of``."""
        if moment is None:
            return None
        day = self.local_days.get(moment)
        if day is None:
            day = self.local_days[moment] = moment.astimezone(self.zone).date()
        return None if day > self.as_of else day

    def class_of(self, student_id: str, day: date) -> str | None:
        """The student's class on ``day`` (or his latest class before it)."""
        found = None
        for since, until, class_id in self.student_classes.get(student_id, ()):
            if since <= day and (until is None or day <= until):
                return class_id
            if since <= day:
                found = class_id
        return found

    def class_in_year(self, student_id: str, year: str) -> SchoolClass | None:
        """The student's last class of an academic year."""
        found = None
        for _since, _until, class_id in self.student_classes.get(student_id, ()):
            school_class = self.classes.get(class_id)
            if school_class is not None and school_class.year == year:
                found = school_class
        return found

    def periods(self, parallel: int) -> tuple[StudyPeriod, ...]:
        """The study periods of a parallel in the checked year (none without a year)."""
        if self.year is None:
            return ()
        try:
            return self.year.periods(parallel)
        except (KeyError, ValueError):
            return ()

    def class_teacher(self, class_id: str | None) -> str | None:
        """The class teacher of a class, where known."""
        school_class = self.classes.get(class_id) if class_id else None
        return None if school_class is None else school_class.class_teacher_id

    def lesson_class(self, lesson: Lesson | None) -> str | None:
        """The class a lesson was given to (``None`` for a group lesson)."""
        return None if lesson is None else lesson.class_id


def _marks(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    as_of, zone, lessons, days = ctx.as_of, ctx.zone, ctx.lessons, ctx.local_days
    # every kind but "before an event" is due on or after the anchor: skip the many marks
    # entered on the lesson day before looking anything up
    skip_on_anchor = rule.kind is not RuleKind.BEFORE_EVENT
    for mark in ctx.year_data.marks:
        if mark.date > as_of:
            continue
        moment = mark.entered_at
        done = days.get(moment)
        if done is None:
            done = days[moment] = moment.astimezone(zone).date()
        if done > as_of or (skip_on_anchor and done <= mark.date):
            continue  # not entered yet on as_of, or entered on time
        lesson = lessons.get(mark.lesson_id) if mark.lesson_id else None
        person: str | None
        class_id: str | None
        if lesson is not None:
            person, class_id = lesson.responsible_teacher_id, lesson.class_id
        else:
            person, class_id = mark.author_id, ctx.class_of(mark.student_id, mark.date)
        yield (
            EntityKind.MARK,
            mark.id,
            mark.date,
            done,
            mark.late_reason is not None,
            person,
            class_id,
        )


def _lesson_entries(field: str) -> Callable[[DeadlineRule, Context], Iterator[Duty]]:
    def source(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
        del rule
        for lesson in ctx.year_data.lessons:
            if not lesson.is_held or lesson.date > ctx.as_of:
                continue
            yield (
                EntityKind.LESSON,
                lesson.id,
                lesson.date,
                ctx.local_day(getattr(lesson, field)),
                lesson.late_reason is not None,
                lesson.responsible_teacher_id,
                lesson.class_id,
            )

    return source


def _attendance(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    del rule
    for record in ctx.year_data.attendance:
        done = ctx.local_day(record.entered_at)
        if record.date > ctx.as_of or done is None:
            continue
        lesson = ctx.lessons.get(record.lesson_id)
        person = lesson.responsible_teacher_id if lesson is not None else record.entered_by
        class_id = ctx.lesson_class(lesson) or ctx.class_of(record.student_id, record.date)
        yield (
            EntityKind.ATTENDANCE,
            record.id,
            record.date,
            done,
            record.late_reason is not None,
            person,
            class_id,
        )


def _absence_reasons(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    del rule
    for record in ctx.year_data.attendance:
        presented = record.document_presented_on
        if presented is None or presented > ctx.as_of or ctx.local_day(record.entered_at) is None:
            continue
        lesson = ctx.lessons.get(record.lesson_id)
        class_id = ctx.lesson_class(lesson) or ctx.class_of(record.student_id, record.date)
        yield (
            EntityKind.ATTENDANCE,
            record.id,
            presented,
            ctx.local_day(record.reason_corrected_at),
            False,
            ctx.class_teacher(class_id),
            class_id,
        )


def _attestation_anchor(mark: AttestationMark, parallel: int, ctx: Context) -> date | None:
    periods = ctx.periods(parallel)
    exams = [
        s.ends_on
        for s in ctx.records.exam_sessions
        if s.parallel == parallel
        and (mark.kind is AttestationKind.FINAL or s.subject_id == mark.subject_id)
    ]
    if mark.kind is AttestationKind.PERIOD:
        return next((p.end for p in periods if p.code.value == mark.period), None)
    if mark.kind is AttestationKind.EXAM:
        return max(exams, default=None)
    if mark.kind is AttestationKind.FINAL and exams:
        return max(exams)
    return periods[-1].end if periods else None


def _attestation(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    del rule
    anchors: dict[tuple[object, ...], date | None] = {}
    classes: dict[tuple[str, str], SchoolClass | None] = {}
    for mark in ctx.year_data.attestation_marks:
        done = ctx.local_day(mark.entered_at)
        class_key = (mark.student_id, mark.year)
        if class_key not in classes:
            classes[class_key] = ctx.class_in_year(mark.student_id, mark.year)
        school_class = classes[class_key]
        if done is None or school_class is None:
            continue
        key = (mark.kind, mark.period, mark.subject_id, school_class.parallel)
        if key not in anchors:
            anchors[key] = _attestation_anchor(mark, school_class.parallel, ctx)
        anchor = anchors[key]
        if anchor is None or anchor > ctx.as_of:
            continue
        yield (
            EntityKind.ATTESTATION_MARK,
            mark.id,
            anchor,
            done,
            False,
            mark.author_id,
            school_class.id,
        )


def _orders(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    kinds = {OrderKind(kind) for kind in rule.order_kinds} or (
        set(OrderKind) - {OrderKind.DEBT_REPAYMENT}
    )
    for order in ctx.year_data.orders:
        if order.kind not in kinds or order.issued_on > ctx.as_of:
            continue
        classes = sorted(order.class_ids)
        yield (
            EntityKind.ORDER,
            order.id,
            order.issued_on,
            ctx.local_day(order.entered_at),
            False,
            order.author_id,
            classes[0] if len(classes) == 1 else None,
        )


def _repayments(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    del rule
    for order in ctx.year_data.orders:
        if order.kind is not OrderKind.DEBT_REPAYMENT:
            continue
        done = ctx.local_day(order.entered_at)
        for item in order.items:
            repaid = item.repaid_on or order.issued_on
            if repaid > ctx.as_of:
                continue
            yield (
                EntityKind.ORDER_ITEM,
                f"{order.id}/{item.student_id}",
                repaid,
                done,
                False,
                order.author_id,
                None,
            )


def _cards(
    categories: frozenset[CardCategory],
) -> Callable[[DeadlineRule, Context], Iterator[Duty]]:
    def source(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
        for entry in ctx.records.card_entries or ():
            if entry.category not in categories or entry.admitted_on > ctx.as_of:
                continue
            yield (
                EntityKind.CARD,
                f"{entry.category.value}:{entry.card_id}",
                entry.admitted_on,
                ctx.local_day(entry.entered_at),
                False,
                entry.by or ctx.records.designations.get(rule.role.value),
                None,
            )

    return source


def _moved_days(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    for entry in ctx.records.moved_days or ():
        done = ctx.local_day(entry.entered_at)
        if done is None:
            continue
        yield (
            EntityKind.MOVED_DAY,
            entry.id,
            entry.moved_day.target,
            done,
            False,
            entry.by or ctx.records.designations.get(rule.role.value),
            None,
        )


def _cancellations(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    for lesson in ctx.year_data.lessons:
        done = ctx.local_day(lesson.cancelled_at)
        if lesson.is_held or done is None or lesson.date > ctx.as_of:
            continue
        yield (
            EntityKind.LESSON,
            lesson.id,
            lesson.date,
            done,
            False,
            ctx.records.designations.get(rule.role.value),
            lesson.class_id,
        )


def _substitutions(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    for lesson in ctx.year_data.lessons:
        if lesson.substitute_id is None or not lesson.is_held or lesson.date > ctx.as_of:
            continue
        yield (
            EntityKind.LESSON,
            lesson.id,
            lesson.date,
            ctx.local_day(lesson.substitute_entered_at),
            False,
            ctx.records.designations.get(rule.role.value),
            lesson.class_id,
        )


def _milestones(kind: MilestoneKind) -> Callable[[DeadlineRule, Context], Iterator[Duty]]:
    def source(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
        for milestone in ctx.records.milestones or ():
            start = preparation_start(milestone.year)
            if milestone.kind is not kind or start > ctx.as_of:
                continue
            yield (
                EntityKind.MILESTONE,
                milestone.id,
                start,
                ctx.local_day(milestone.done_at),
                False,
                milestone.by or ctx.records.designations.get(rule.role.value),
                None,
            )

    return source


def _dismissals(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    """Each dismissal, due by the next 1 April; not done while the stored card is active."""
    cards = {employee.id: employee for employee in ctx.year_data.employees}
    for dismissal in ctx.records.staff_dismissals or ():
        if dismissal.dismissed_on > ctx.as_of:
            continue
        card = cards.get(dismissal.employee_id)
        done = ctx.local_day(dismissal.entered_at)
        if card is not None and card.status is not EmployeeStatus.DISMISSED:
            done = None
        yield (
            EntityKind.CARD,
            dismissal.id,
            dismissal.dismissed_on,
            done,
            False,
            dismissal.by or ctx.records.designations.get(rule.role.value),
            None,
        )


def preparation_start(year: str) -> date:
    """The day preparation of academic year ``year`` starts: 1 April before it (R4.2a).

    The yearly planning duties (R4.2a, R4.4b, R5.4, R5.6, R7.7a) are anchored there, so a
    rule "by 1 August" means 1 August of the year's first calendar year.

    >>> preparation_start("2025/2026")
    datetime.date(2025, 4, 1)
    """
    return date(int(year[:4]), 4, 1)


def _absent(kind: EntityKind, years: set[str], person: str | None, ctx: Context) -> Iterator[Duty]:
    """The checked year's duty when it has no entity of ``kind`` at all."""
    if ctx.year is None:
        return
    label = str(ctx.year.label)
    start = preparation_start(label)
    if label in years or start > ctx.as_of:
        return
    yield (kind, f"{kind.value}:{label}", start, None, False, person, None)


def _curricula(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    deputy = ctx.records.designations.get(rule.role.value)
    years: set[str] = set()
    for curriculum in ctx.year_data.curricula:
        years.add(curriculum.year)
        start = preparation_start(curriculum.year)
        if start > ctx.as_of:
            continue
        yield (
            EntityKind.CURRICULUM,
            curriculum.id,
            start,
            ctx.local_day(curriculum.completed_at),
            False,
            curriculum.responsible_id or deputy,
            None,
        )
    yield from _absent(EntityKind.CURRICULUM, years, deputy, ctx)


def _timetables(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    deputy = ctx.records.designations.get(rule.role.value)
    by_year: dict[str, list[tuple[date, str]]] = {}
    for timetable in ctx.year_data.timetables:
        first = timetable.valid_from or date.min
        by_year.setdefault(timetable.year, []).append((first, timetable.id))
    # only the timetables the year starts with: a later replacement is not due by R7.7a
    starting: set[str] = set()
    for rows in by_year.values():
        earliest = min(first for first, _tid in rows)
        starting.update(tid for first, tid in rows if first == earliest)
    for timetable in ctx.year_data.timetables:
        start = preparation_start(timetable.year)
        if timetable.id not in starting or start > ctx.as_of:
            continue
        yield (
            EntityKind.TIMETABLE,
            timetable.id,
            start,
            ctx.local_day(timetable.completed_at),
            False,
            deputy,
            None,
        )
    yield from _absent(EntityKind.TIMETABLE, set(by_year), deputy, ctx)


def _plan_covers(covered: set[tuple[str, str, str]], year: str, row: SubjectHours) -> bool:
    """Whether a plan covers a curriculum row (a class plan covers its groups too)."""
    return (year, row.subject_id, f"class:{row.class_id}") in covered or (
        row.group_id is not None and (year, row.subject_id, f"group:{row.group_id}") in covered
    )


def _thematic_plans(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    del rule
    plans = [p for p in ctx.year_data.thematic_plans if preparation_start(p.year) <= ctx.as_of]
    for plan in plans:
        yield (
            EntityKind.THEMATIC_PLAN,
            plan.id,
            preparation_start(plan.year),
            ctx.local_day(plan.entered_at),
            False,
            plan.teacher_id,
            plan.class_id,
        )
    # a class (or group) and subject the curriculum gives hours to, with no plan at all
    covered: set[tuple[str, str, str]] = {
        (p.year, p.subject_id, f"class:{p.class_id}" if p.class_id else f"group:{p.group_id}")
        for p in plans
    }
    teachers: dict[tuple[str, str, str | None], str] = {}
    for assignment in sorted(ctx.year_data.assignments, key=lambda a: a.id):
        key = (assignment.year, assignment.subject_id, assignment.class_id or assignment.group_id)
        teachers.setdefault(key, assignment.teacher_id)
    absent: dict[str, tuple[date, str | None, str | None]] = {}
    for curriculum in ctx.year_data.curricula:
        start = preparation_start(curriculum.year)
        if start > ctx.as_of:
            continue
        for row in curriculum.hours:
            if _plan_covers(covered, curriculum.year, row):
                continue
            target = row.group_id or row.class_id
            teacher = teachers.get((curriculum.year, row.subject_id, target))
            if teacher is None:
                subject_teachers = sorted(curriculum.teachers.get(row.subject_id, ()))
                teacher = subject_teachers[0] if len(subject_teachers) == 1 else None
            plan_id = f"{curriculum.year}:{target}:{row.subject_id}"
            absent.setdefault(plan_id, (start, teacher, row.class_id))
    for plan_id, (start, teacher, class_id) in sorted(absent.items()):
        yield (EntityKind.THEMATIC_PLAN, plan_id, start, None, False, teacher, class_id)


def _events(kind: EventKind) -> Callable[[DeadlineRule, Context], Iterator[Duty]]:
    def source(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
        for event in ctx.year_data.events:
            done = ctx.local_day(event.entered_at)
            if event.kind is not kind or done is None:
                continue  # an event not entered by as_of is not known yet
            classes = sorted(event.class_ids)
            class_id = classes[0] if len(classes) == 1 else None
            person: str | None
            if kind is EventKind.CLASS:
                person = ctx.class_teacher(class_id) or event.entered_by
            else:
                person = ctx.records.designations.get(rule.role.value) or event.entered_by
            yield (
                EntityKind.EVENT,
                event.id,
                event.reference_date,
                done,
                False,
                person,
                class_id,
            )

    return source


POINT_SOURCES: dict[AppliesTo, Callable[[DeadlineRule, Context], Iterator[Duty]]] = {
    AppliesTo.MARK: _marks,
    AppliesTo.LESSON_TOPIC: _lesson_entries("topic_entered_at"),
    AppliesTo.LESSON_HOMEWORK: _lesson_entries("homework_entered_at"),
    AppliesTo.ATTENDANCE: _attendance,
    AppliesTo.ABSENCE_REASON: _absence_reasons,
    AppliesTo.ATTESTATION_MARK: _attestation,
    AppliesTo.ORDER: _orders,
    AppliesTo.DEBT_REPAYMENT: _repayments,
    AppliesTo.STUDENT_CARD: _cards(frozenset({CardCategory.STUDENT, CardCategory.GUARDIAN})),
    AppliesTo.STAFF_CARD: _cards(frozenset({CardCategory.EMPLOYEE})),
    AppliesTo.MOVED_DAY: _moved_days,
    AppliesTo.LESSON_CANCELLATION: _cancellations,
    AppliesTo.LESSON_SUBSTITUTION: _substitutions,
    AppliesTo.YEAR_FORMATION: _milestones(MilestoneKind.YEAR_FORMATION),
    AppliesTo.FORMATION_START: _milestones(MilestoneKind.FORMATION_START),
    AppliesTo.STAFF_DISMISSAL: _dismissals,
    AppliesTo.CALENDAR_SETUP: _milestones(MilestoneKind.CALENDAR_SETUP),
    AppliesTo.CURRICULUM: _curricula,
    AppliesTo.THEMATIC_PLAN: _thematic_plans,
    AppliesTo.TIMETABLE: _timetables,
    AppliesTo.SCHOOL_EVENT: _events(EventKind.SCHOOL),
    AppliesTo.CLASS_EVENT: _events(EventKind.CLASS),
}
"""Where the duties of each point rule come from."""


HOST_RECORDS: dict[str, tuple[str, str]] = {
    "card_entries": (
        (
            "карточки принятых с моментом их внесения (deadlines.CardEntry) передаёт приложение: "
            "HostRecords(card_entries=...)"
        ),
        (
            "cards of admitted persons with their entry moments (deadlines.CardEntry), supplied by "
            "the host: HostRecords(card_entries=...)"
        ),
    ),
    "reconciliations": (
        (
            "сверки карточек (deadlines.CardReconciliation: вид карточек, класс, момент) передаёт "
            "приложение: HostRecords(reconciliations=...)"
        ),
        (
            "card reconciliations (deadlines.CardReconciliation: card kind, class, moment), "
            "supplied by the host: HostRecords(reconciliations=...)"
        ),
    ),
    "moved_days": (
        (
            "переносы учебных дней с моментом внесения (deadlines.MovedDayEntry) передаёт "
            "приложение: HostRecords(moved_days=...)"
        ),
        (
            "moved school days with their entry moments (deadlines.MovedDayEntry), supplied by "
            "the host: HostRecords(moved_days=...)"
        ),
    ),
    "report_runs": (
        (
            "сформированные отчёты (deadlines.ReportRun: код, кто, когда): их записывает "
            "сервис, SchoolService.produce_report, или передаёт приложение: "
            "HostRecords(host_report_runs=...)"
        ),
        (
            "produced reports (deadlines.ReportRun: code, who, when), recorded by the service "
            "(SchoolService.produce_report) or supplied by the host: "
            "HostRecords(host_report_runs=...)"
        ),
    ),
    "milestones": (
        (
            "этапы подготовки года (deadlines.Milestone: formation_start, year_formation, "
            "calendar_setup) передаёт приложение: HostRecords(milestones=...)"
        ),
        (
            "yearly preparation steps (deadlines.Milestone: formation_start, year_formation, "
            "calendar_setup), supplied by the host: HostRecords(milestones=...)"
        ),
    ),
    "staff_dismissals": (
        (
            "увольнения из кадрового учёта с моментом присвоения статуса «уволен» "
            "(deadlines.StaffDismissal) передаёт приложение: "
            "HostRecords(staff_dismissals=...)"
        ),
        (
            "dismissals from the HR register with the moment the card got the status "
            "(deadlines.StaffDismissal), supplied by the host: "
            "HostRecords(staff_dismissals=...)"
        ),
    ),
    "summary_requests": (
        (
            "письменные заявления родителей о печатной сводке (deadlines.SummaryRequest) и "
            "выданные сводки (deadlines.PrintedSummary) передаёт приложение: "
            "HostRecords(summary_requests=..., printed_summaries=...)"
        ),
        (
            "parents' written requests for printed summaries (deadlines.SummaryRequest) and the "
            "summaries handed over (deadlines.PrintedSummary), supplied by the host: "
            "HostRecords(summary_requests=..., printed_summaries=...)"
        ),
    ),
}
"""What each host record is and how a host passes it, for the unchecked rules' reasons."""


def needs(applies_to: AppliesTo, data: ComplianceData) -> str | None:
    """Return which host record a rule needs and the data lacks (``None``: nothing).

    The planning rules (R5.4, R5.6, R7.7a, R7.7b, R7.7e) are unchecked, not clean, when the
    data holds no curricula, plans, timetables or events at all, and the consent rules (R6.1)
    when it holds no consents: a host that keeps them elsewhere gets no false "missing"
    findings. :data:`HOST_RECORDS` explains the records a host supplies.
    """
    records, year = data.records, data.year_data
    missing = {
        AppliesTo.STUDENT_CARD: ("card_entries", records.card_entries),
        AppliesTo.STAFF_CARD: ("card_entries", records.card_entries),
        AppliesTo.CARD_RECONCILIATION: ("reconciliations", records.reconciliations),
        AppliesTo.MOVED_DAY: ("moved_days", records.moved_days),
        AppliesTo.REPORT: ("report_runs", data.report_runs),
        AppliesTo.YEAR_FORMATION: ("milestones", records.milestones),
        AppliesTo.CALENDAR_SETUP: ("milestones", records.milestones),
        AppliesTo.FORMATION_START: ("milestones", records.milestones),
        AppliesTo.STAFF_DISMISSAL: ("staff_dismissals", records.staff_dismissals),
        AppliesTo.PRINTED_SUMMARY: ("summary_requests", records.summary_requests),
        AppliesTo.CURRICULUM: ("curricula", year.curricula or None),
        AppliesTo.THEMATIC_PLAN: ("thematic_plans", year.thematic_plans or year.curricula or None),
        AppliesTo.TIMETABLE: ("timetables", year.timetables or None),
        AppliesTo.SCHOOL_EVENT: ("events", year.events or None),
        AppliesTo.CLASS_EVENT: ("events", year.events or None),
        AppliesTo.STUDENT_CONSENT: ("consents", year.consents or None),
        AppliesTo.STAFF_CONSENT: ("consents", year.consents or None),
    }.get(applies_to)
    if missing is not None and missing[1] is None:
        return missing[0]
    return None
