"""The data the checker reads: the journal, the orders, and the records a host keeps beside them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Protocol

import attrs

from eschool_core import _validation as v
from eschool_core.calendar import AcademicYear, MovedDay
from eschool_core.closures import PeriodClosure
from eschool_core.curriculum import Curriculum, ThematicPlan
from eschool_core.ids import EmployeeId
from eschool_core.journal import Attendance, AttestationMark, Lesson, Mark
from eschool_core.movement import Order
from eschool_core.people import CardCategory, Consent, Employee, Guardian, GuardianLink, Student
from eschool_core.report_runs import ReportRun
from eschool_core.school import (
    ClassMembership,
    Group,
    School,
    SchoolClass,
    TeachingAssignment,
)
from eschool_core.timetable import SchoolEvent, Timetable
from eschool_core.year_data import SchoolYearData

__all__ = [
    "AttestationExemption",
    "CardEntry",
    "CardReconciliation",
    "ComplianceData",
    "ExamSession",
    "Milestone",
    "MilestoneKind",
    "MovedDayEntry",
    "PrintedSummary",
    "ReportRun",
    "StaffDismissal",
    "StoreLike",
    "SummaryRequest",
]


class StoreLike(Protocol):
    """Protocol: anything that hands out units of work (a :mod:`eschool_core.storage` store).

    Rule modules do not import storage; any object with ``unit_of_work()`` whose unit of work
    has the repositories of :class:`eschool_core.storage.UnitOfWork` will do.
    """

    def unit_of_work(self) -> Any:  # noqa: ANN401 - the storage UnitOfWork, not imported here
        """Return a new, not yet entered, unit of work."""
        ...


@attrs.frozen(kw_only=True)
class CardEntry:
    """A personal card of a newly admitted person, and when it was entered (R6.6).

    Attributes:
        category: Student, guardian or employee card.
        card_id: Id of the student, guardian or employee.
        admitted_on: Date of the admission order (enrollment or hiring).
        entered_at: When the card was entered; ``None`` while it is not.
        by: Who entered it.
    """

    category: CardCategory = attrs.field(converter=CardCategory)
    card_id: str = attrs.field(validator=v.non_empty_text)
    admitted_on: date = attrs.field(validator=v.plain_date)
    entered_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    by: EmployeeId | None = None


def _optional_category(value: str | None) -> CardCategory | None:
    return None if value is None else CardCategory(value)


@attrs.frozen(kw_only=True)
class CardReconciliation:
    """A reconciliation of the personal cards (R6.7).

    Attributes:
        done_at: When it was done (timezone-aware).
        by: Who did it.
        category: The kind of cards reconciled (``None``: every kind).
        class_id: The class whose student and guardian cards were reconciled (``None``:
            the whole school's).
    """

    done_at: datetime = attrs.field(validator=v.aware_datetime)
    by: EmployeeId | None = None
    category: CardCategory | None = attrs.field(default=None, converter=_optional_category)
    class_id: str | None = attrs.field(default=None, validator=v.optional_text)


@attrs.frozen(kw_only=True)
class StaffDismissal:
    """A dismissal from the staff register and when the card got the status (R4.3).

    Attributes:
        employee_id: The employee.
        dismissed_on: The day of dismissal (the order's).
        entered_at: When the card was given the status «уволен» (timezone-aware), if it was.
        by: Who entered it.
    """

    employee_id: EmployeeId = attrs.field(validator=v.non_empty_text)
    dismissed_on: date = attrs.field(validator=v.plain_date)
    entered_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    by: EmployeeId | None = None

    @property
    def id(self) -> str:
        """A stable id: ``"employee:t7"``."""
        return f"employee:{self.employee_id}"


@attrs.frozen(kw_only=True)
class SummaryRequest:
    """A parent's written request for a printed summary of results every week (R8.12).

    Attributes:
        id: Id of the request.
        student_id: The child.
        guardian_id: The parent (or legal guardian) who wrote it.
        requested_on: The day the request was received.
        withdrawn_on: The day the parent withdrew it, if he did.
    """

    id: str = attrs.field(validator=v.non_empty_text)
    student_id: str = attrs.field(validator=v.non_empty_text)
    guardian_id: str = attrs.field(validator=v.non_empty_text)
    requested_on: date = attrs.field(validator=v.plain_date)
    withdrawn_on: date | None = attrs.field(default=None, validator=v.optional_plain_date)


@attrs.frozen(kw_only=True)
class PrintedSummary:
    """A printed summary of a student's results handed to the parent (R8.12).

    Attributes:
        student_id: The student.
        issued_at: When it was printed and handed over (timezone-aware).
        by: Who handed it.
    """

    student_id: str = attrs.field(validator=v.non_empty_text)
    issued_at: datetime = attrs.field(validator=v.aware_datetime)
    by: EmployeeId | None = None


@attrs.frozen(kw_only=True)
class MovedDayEntry:
    """A moved school day and when it was entered into the timetable (R7.7c).

    Attributes:
        moved_day: The move.
        entered_at: When it was entered (timezone-aware).
        by: Who entered it.
    """

    moved_day: MovedDay
    entered_at: datetime = attrs.field(validator=v.aware_datetime)
    by: EmployeeId | None = None

    @property
    def id(self) -> str:
        """A stable id of the move: ``"2025-11-07>2025-11-15"``."""
        return f"{self.moved_day.source.isoformat()}>{self.moved_day.target.isoformat()}"


class MilestoneKind(StrEnum):
    """A once-a-year step of preparing a new academic year."""

    YEAR_FORMATION = "year_formation"
    """Formation of the new year finished (R4.2a)."""
    FORMATION_START = "formation_start"
    """Formation of the new year started (R4.2a: from 1 April)."""
    CALENDAR_SETUP = "calendar_setup"
    """Study periods, vacations and holidays of the new year set (R4.4b)."""


@attrs.frozen(kw_only=True)
class Milestone:
    """A host's record of a yearly step: which academic year, and when it was done.

    Attributes:
        kind: The step.
        year: The academic year being prepared, ``"2026/2027"``.
        done_at: When the step was done; ``None`` while it is not.
        by: Who did it.
    """

    kind: MilestoneKind = attrs.field(converter=MilestoneKind)
    year: str = attrs.field(validator=v.year_label)
    done_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    by: EmployeeId | None = None

    @property
    def id(self) -> str:
        """A stable id: ``"calendar_setup:2026/2027"``."""
        return f"{self.kind.value}:{self.year}"


@attrs.frozen(kw_only=True)
class ExamSession:
    """The last day of an exam, on which exam and final marks are due (R8.9).

    Attributes:
        subject_id: The subject examined.
        parallel: The grade (9 or 11).
        ends_on: The exam's last day.
        student_ids: The students who sit it (an exam chosen by some); empty: every student
            of the parallel.
    """

    subject_id: str = attrs.field(validator=v.non_empty_text)
    parallel: int = attrs.field(validator=v.int_in_range(1, 11, "exam.parallel"))
    ends_on: date = attrs.field(validator=v.plain_date)
    student_ids: frozenset[str] = attrs.field(factory=frozenset, converter=v.to_frozenset)


@attrs.frozen(kw_only=True)
class AttestationExemption:
    """A student who owes no attestation marks in a subject for a year (R8.9).

    For a subject the student does not study (an individual curriculum, an exemption by an
    order of the head); a subject he studies but is exempt from in class is marked «осв»,
    which is a mark and needs no exemption record.

    Attributes:
        student_id: The student.
        subject_id: The subject.
        year: The academic year, ``"2025/2026"``.
    """

    student_id: str = attrs.field(validator=v.non_empty_text)
    subject_id: str = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)


def _tuple(value: object) -> tuple[object, ...]:
    return v.to_tuple(value)


def _designations(value: Mapping[str, EmployeeId]) -> Mapping[str, EmployeeId]:
    return MappingProxyType(dict(value))


def _optional_tuple(value: object) -> tuple[object, ...] | None:
    return None if value is None else v.to_tuple(value)


@attrs.frozen(kw_only=True)
class ComplianceData:
    """Everything the checker reads, as plain values (build it from a store or by hand).

    Host records (report runs, card entries, reconciliations, moved days, milestones) are
    ``None`` when the host does not keep them (report runs also come from the store, once
    the write service has recorded one): the rules that need them are then listed as
    unchecked in the report, not reported as missing.

    Attributes:
        school: The school (its time zone judges "the day of the lesson").
        classes: Classes.
        memberships: Students' class memberships.
        employees: Staff cards (to name persons that exist; R6.1 consents).
        students: Student cards (R6.1 consents).
        guardians: Parent and legal-guardian cards (R6.1 consents).
        guardian_links: Links of guardians to students (a guardian's card is judged once
            one of his children is at school).
        consents: Consents to personal-data processing (R6.1); with none at all, the consent
            rules are unchecked.
        assignments: Teaching assignments (who must produce subject-teacher reports).
        lessons: Lessons.
        marks: Current marks.
        attendance: Absences and late arrivals.
        attestation_marks: Period, annual, exam and final marks.
        orders: Movement orders.
        exam_sessions: Last days of exams.
        curricula: Curricula, with their completion moments (R5.4).
        thematic_plans: Thematic plans, with their entry moments (R5.6).
        timetables: Lesson timetables, with their completion moments (R7.7a).
        events: School and class events, with their entry moments (R7.7b, R7.7e).
        report_runs: Produced reports (the store's, which the write service records, or
            the host's), or ``None``.
        card_entries: Cards of admitted persons, or ``None``.
        reconciliations: Card reconciliations, or ``None``.
        moved_days: Moved school days with their entry moments, or ``None``.
        milestones: Yearly preparation steps, or ``None``.
        designations: The employee designated for each role (R12.3), by role code.
        period_closures: Closings and reopenings of study periods (R8.9), or ``None`` when
            the host keeps none: a study period then counts as closed once it has ended.
        groups: Subgroups and cross-class groups (who studies a subject taught in groups).
        exemptions: Subjects students owe no attestation marks in (R8.9).
        staff_dismissals: Dismissals from the staff register, or ``None`` (R4.3).
        summary_requests: Parents' written requests for weekly printed summaries, or
            ``None`` (R8.12).
        printed_summaries: Printed summaries handed to parents (R8.12).
    """

    school: School | None = None
    classes: tuple[SchoolClass, ...] = attrs.field(default=(), converter=_tuple)
    memberships: tuple[ClassMembership, ...] = attrs.field(default=(), converter=_tuple)
    employees: tuple[Employee, ...] = attrs.field(default=(), converter=_tuple)
    students: tuple[Student, ...] = attrs.field(default=(), converter=_tuple)
    guardians: tuple[Guardian, ...] = attrs.field(default=(), converter=_tuple)
    guardian_links: tuple[GuardianLink, ...] = attrs.field(default=(), converter=_tuple)
    consents: tuple[Consent, ...] = attrs.field(default=(), converter=_tuple)
    assignments: tuple[TeachingAssignment, ...] = attrs.field(default=(), converter=_tuple)
    lessons: tuple[Lesson, ...] = attrs.field(default=(), converter=_tuple)
    marks: tuple[Mark, ...] = attrs.field(default=(), converter=_tuple)
    attendance: tuple[Attendance, ...] = attrs.field(default=(), converter=_tuple)
    attestation_marks: tuple[AttestationMark, ...] = attrs.field(default=(), converter=_tuple)
    orders: tuple[Order, ...] = attrs.field(default=(), converter=_tuple)
    exam_sessions: tuple[ExamSession, ...] = attrs.field(default=(), converter=_tuple)
    curricula: tuple[Curriculum, ...] = attrs.field(default=(), converter=_tuple)
    thematic_plans: tuple[ThematicPlan, ...] = attrs.field(default=(), converter=_tuple)
    timetables: tuple[Timetable, ...] = attrs.field(default=(), converter=_tuple)
    events: tuple[SchoolEvent, ...] = attrs.field(default=(), converter=_tuple)
    report_runs: tuple[ReportRun, ...] | None = attrs.field(default=None, converter=_optional_tuple)
    card_entries: tuple[CardEntry, ...] | None = attrs.field(
        default=None, converter=_optional_tuple
    )
    reconciliations: tuple[CardReconciliation, ...] | None = attrs.field(
        default=None, converter=_optional_tuple
    )
    moved_days: tuple[MovedDayEntry, ...] | None = attrs.field(
        default=None, converter=_optional_tuple
    )
    milestones: tuple[Milestone, ...] | None = attrs.field(default=None, converter=_optional_tuple)
    designations: Mapping[str, EmployeeId] = attrs.field(factory=dict, converter=_designations)
    period_closures: tuple[PeriodClosure, ...] | None = attrs.field(
        default=None, converter=_optional_tuple
    )
    groups: tuple[Group, ...] = attrs.field(default=(), converter=_tuple)
    exemptions: tuple[AttestationExemption, ...] = attrs.field(default=(), converter=_tuple)
    staff_dismissals: tuple[StaffDismissal, ...] | None = attrs.field(
        default=None, converter=_optional_tuple
    )
    summary_requests: tuple[SummaryRequest, ...] | None = attrs.field(
        default=None, converter=_optional_tuple
    )
    printed_summaries: tuple[PrintedSummary, ...] = attrs.field(default=(), converter=_tuple)

    @classmethod
    def from_store(
        cls,
        store: StoreLike,
        *,
        year: AcademicYear,
        school_id: str | None = None,
        report_runs: Iterable[ReportRun] | None = None,
        card_entries: Iterable[CardEntry] | None = None,
        reconciliations: Iterable[CardReconciliation] | None = None,
        moved_days: Iterable[MovedDayEntry] | None = None,
        milestones: Iterable[Milestone] | None = None,
        exam_sessions: Iterable[ExamSession] = (),
        designations: Mapping[str, EmployeeId] | None = None,
        exemptions: Iterable[AttestationExemption] = (),
        staff_dismissals: Iterable[StaffDismissal] | None = None,
        summary_requests: Iterable[SummaryRequest] | None = None,
        printed_summaries: Iterable[PrintedSummary] = (),
    ) -> ComplianceData:
        """Read one school year of a store and add the host's records.

        The year is read as one :class:`~eschool_core.year_data.SchoolYearData`
        (:meth:`SchoolYearData.read <eschool_core.year_data.SchoolYearData.read>`: queries
        scoped to the year, never a scan of the store's other years), the school chosen as
        every reader chooses it (:func:`~eschool_core.year_data.choose_school`), and turned
        into the checker's data by :meth:`from_year_data`.

        Args:
            store: Any store.
            year: The academic year to read.
            school_id: The school, required if the store holds several.
            report_runs: Produced reports, if the host keeps its own; ``None``: the store's
                (``uow.report_runs``, which the write service fills), or ``None`` for a store
                holding not a single run.
            card_entries: Cards of admitted persons, if the host keeps them.
            reconciliations: Card reconciliations, if the host keeps them.
            moved_days: Moved days with their entry moments, if the host keeps them.
            milestones: Yearly preparation steps, if the host keeps them.
            exam_sessions: Last days of exams.
            designations: The employee designated for each role (R12.3).
            exemptions: Subjects students owe no attestation marks in (R8.9).
            staff_dismissals: Dismissals from the staff register, if the host keeps them.
            summary_requests: Parents' requests for printed summaries, if the host keeps them.
            printed_summaries: Printed summaries handed to parents.

        Returns:
            The data, read in one unit of work; the store's closed periods are its
            ``period_closures`` (``None`` for a year without a single closure record, which
            is judged as if each period closed when it ended), and, unless the host passed
            its own, the store's produced reports are its ``report_runs`` (``None`` for a
            year without a single run, whose report duties stay unchecked).

        Raises:
            ValidationError: ``store.school_required`` for several schools and no
                ``school_id``.
            NotFoundError: ``school.not_found`` for a ``school_id`` the store lacks.
        """
        with store.unit_of_work() as uow:
            data = SchoolYearData.read(uow, year, school_id=school_id)
        return cls.from_year_data(
            data,
            report_runs=report_runs,
            card_entries=card_entries,
            reconciliations=reconciliations,
            moved_days=moved_days,
            milestones=milestones,
            exam_sessions=exam_sessions,
            designations=designations,
            exemptions=exemptions,
            staff_dismissals=staff_dismissals,
            summary_requests=summary_requests,
            printed_summaries=printed_summaries,
        )

    @classmethod
    def from_year_data(
        cls,
        data: SchoolYearData,
        *,
        report_runs: Iterable[ReportRun] | None = None,
        card_entries: Iterable[CardEntry] | None = None,
        reconciliations: Iterable[CardReconciliation] | None = None,
        moved_days: Iterable[MovedDayEntry] | None = None,
        milestones: Iterable[Milestone] | None = None,
        exam_sessions: Iterable[ExamSession] = (),
        designations: Mapping[str, EmployeeId] | None = None,
        exemptions: Iterable[AttestationExemption] = (),
        staff_dismissals: Iterable[StaffDismissal] | None = None,
        summary_requests: Iterable[SummaryRequest] | None = None,
        printed_summaries: Iterable[PrintedSummary] = (),
    ) -> ComplianceData:
        """Return the checker's data of one school year, with the host's records added.

        The one place where a :class:`~eschool_core.year_data.SchoolYearData` (from a store,
        a bundle or the synthetic school) becomes what the checker reads. The host's
        ``report_runs`` win; without them the year's stored runs are used
        (``data.report_runs``), and a year without a single run gives ``None``: its report
        duties are unchecked, not violated.

        >>> from eschool_core.calendar import standard_year
        >>> from eschool_core.profiles import default_profile
        >>> year = standard_year("2025/2026", default_profile().calendar)
        >>> ComplianceData.from_year_data(SchoolYearData(year=year)).report_runs is None
        True
        """
        return cls(
            school=data.school,
            classes=data.classes,
            memberships=data.memberships,
            employees=data.employees,
            students=data.students,
            guardians=data.guardians,
            guardian_links=data.guardian_links,
            consents=data.consents,
            assignments=data.assignments,
            lessons=data.lessons,
            marks=data.marks,
            attendance=data.attendance,
            attestation_marks=data.attestation_marks,
            orders=data.orders,
            curricula=data.curricula,
            thematic_plans=data.thematic_plans,
            timetables=data.timetables,
            events=data.events,
            exam_sessions=exam_sessions,
            report_runs=(data.report_runs or None) if report_runs is None else report_runs,
            card_entries=card_entries,
            reconciliations=reconciliations,
            moved_days=moved_days,
            milestones=milestones,
            designations=designations or {},
            period_closures=data.period_closures or None,
            groups=data.groups,
            exemptions=exemptions,
            staff_dismissals=staff_dismissals,
            summary_requests=summary_requests,
            printed_summaries=printed_summaries,
        )
