"""The read-only data view every report is built from, loaded once (R11.1).

A :class:`ReportData` holds one academic year of one school — classes, students, staff,
subjects, memberships, lessons, marks, attendance, attestation marks, movement orders and the
study periods — with the indexes the reports need. Every report is a pure function of a
``ReportData`` and its parameters.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import Protocol

import attrs

from eschool_core.calendar import AcademicYear
from eschool_core.deadlines import ComplianceReport, EntityKind, EntryDeadlines, FindingStatus
from eschool_core.grading import GradingPolicy, PeriodSpan
from eschool_core.ids import ClassId, EmployeeId, LessonId, StudentId, SubjectId
from eschool_core.journal import Attendance, AttestationKind, AttestationMark, Lesson, Mark
from eschool_core.movement import MovementBook, Order
from eschool_core.people import Employee, Guardian, GuardianLink, Student
from eschool_core.profiles import ProfileRules
from eschool_core.reports._errors import (
    REPORT_CLASS_NOT_FOUND,
    REPORT_EMPLOYEE_NOT_FOUND,
    REPORT_NO_PERIODS,
    REPORT_PERIOD_NOT_FOUND,
    REPORT_SCHOOL_UNKNOWN,
    REPORT_STUDENT_NOT_FOUND,
)
from eschool_core.reports._timeliness import Timeliness, entry_timeliness, mark_timeliness
from eschool_core.school import (
    ClassMembership,
    Group,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from eschool_core.year_data import SchoolYearData

__all__ = ["YEAR_PERIOD", "ReportData", "periods_of_year"]

YEAR_PERIOD = "year"
"""The period code that stands for the whole academic year (annual marks)."""


class _HoldsYear(Protocol):
    """Protocol: a value holding a school year's data, as a generated ``SyntheticSchool`` does.

    Typed structurally: reports never import the generator (it is a layer above them).
    """

    @property
    def year_data(self) -> SchoolYearData: ...


def periods_of_year(year: AcademicYear) -> dict[int, list[PeriodSpan]]:
    """Return the study periods of every parallel of an academic year, as report periods.

    Each span is computed from the calendar's :class:`~eschool_core.calendar.StudyPeriod`
    (:meth:`PeriodSpan.of <eschool_core.grading.PeriodSpan.of>`), in date order.

    >>> from eschool_core.calendar import standard_year
    >>> from eschool_core.profiles import default_profile
    >>> spans = periods_of_year(standard_year("2025/2026", default_profile().calendar))
    >>> [span.key for span in spans[10]], spans[5][0].kind
    (['H1', 'H2'], 'quarter')
    """
    return {
        parallel: sorted(
            (PeriodSpan.of(period) for period in year.periods(parallel)), key=lambda s: s.start
        )
        for parallel in year.parallels
    }


@attrs.frozen(kw_only=True)
class ReportData:
    """One school year's data with the indexes reports need; read-only once built.

    The year is the one snapshot every reader works from
    (:class:`~eschool_core.year_data.SchoolYearData`), held as it is: the view adds only
    what judges it (the profile's grading policy and entry deadlines, the checker's report)
    and indexes computed from it. Its rosters' names (:attr:`classes`, :attr:`subjects`,
    :attr:`marks`, ...) read the year; its study periods are the year's calendar's
    (:attr:`periods`).

    Attributes:
        year_data: The school's year; its ``orders``, when there are any, decide rosters
            and occupancy through the movement book they build.
        policy: The grading policy (weights and rounding): the profile's
            (:attr:`ProfileRules.grading <eschool_core.profiles.ProfileRules>`).
        deadlines: The entry deadlines that judge timeliness without a checker's report
            (R8.6): the profile's (:attr:`ProfileRules.deadlines
            <eschool_core.profiles.ProfileRules>`).
        compliance: The deadline checker's report over the same data; when given, its
            late findings decide the timeliness columns of the journal reports (R8.6).

    Raises:
        NotFoundError: If the year names no school (``report.school_unknown``).
        ValidationError: If a parallel of a class has no study periods (``report.no_periods``).
        TypeError: If ``year_data`` is not a ``SchoolYearData``.
    """

    year_data: SchoolYearData = attrs.field(validator=attrs.validators.instance_of(SchoolYearData))
    policy: GradingPolicy = attrs.field(validator=attrs.validators.instance_of(GradingPolicy))
    deadlines: EntryDeadlines = attrs.field(validator=attrs.validators.instance_of(EntryDeadlines))
    compliance: ComplianceReport | None = None

    def __attrs_post_init__(self) -> None:
        if self.year_data.school is None:
            raise REPORT_SCHOOL_UNKNOWN.error()
        for school_class in self.classes:
            if not self.periods.get(school_class.parallel):
                raise REPORT_NO_PERIODS.error(parallel=str(school_class.parallel))

    # -- named constructors -------------------------------------------------------------

    @classmethod
    def from_year_data(
        cls,
        data: SchoolYearData,
        rules: ProfileRules,
        *,
        orders: Iterable[Order] | None = None,
        compliance: ComplianceReport | None = None,
    ) -> ReportData:
        """Build the view of one school year: the one place a year's data becomes a report view.

        Args:
            data: The year's data (from a store, or a synthetic school's ``year_data``).
            rules: The profile's rules of the year (:func:`~eschool_core.profiles.rules_for`):
                its grading policy and entry deadlines judge the view.
            orders: Movement orders in place of the year's own (``data.orders``), if given.
            compliance: The deadline checker's report on the same data (``rules.checker``'s),
                if computed.

        Raises:
            NotFoundError: If the data has no school (``report.school_unknown``).
            ValidationError: If a parallel of a class has no study periods.
        """
        if orders is not None:
            data = attrs.evolve(data, orders=orders)
        return cls(
            year_data=data, policy=rules.grading, deadlines=rules.deadlines, compliance=compliance
        )

    @classmethod
    def from_synthetic(
        cls,
        school: _HoldsYear,
        rules: ProfileRules,
        *,
        orders: Iterable[Order] | None = None,
        compliance: ComplianceReport | None = None,
    ) -> ReportData:
        """Build the view of a generated school (with its own movement orders by default).

        Args:
            school: A school from :func:`eschool_core.synth.generate`.
            rules: The profile's rules of the school's year
                (``rules_for(profile, school.academic_year)``).
            orders: Movement orders; by default the school's own (``school.orders``).
            compliance: The deadline checker's report on the school, if computed.
        """
        return cls.from_year_data(school.year_data, rules, orders=orders, compliance=compliance)

    # -- the year, read through -----------------------------------------------------------

    @property
    def school(self) -> School:
        """The school (a report view always has one)."""
        school = self.year_data.school
        assert school is not None  # noqa: S101 - refused when built
        return school

    @property
    def year(self) -> str:
        """The academic-year label (``"2025/2026"``)."""
        return self.year_data.label

    @cached_property
    def classes(self) -> tuple[SchoolClass, ...]:
        """The year's classes, by parallel, letter and id (those of other years left out)."""
        return tuple(
            sorted(
                (c for c in self.year_data.classes if c.year == self.year),
                key=lambda c: (c.parallel, c.letter, c.id),
            )
        )

    @cached_property
    def subjects(self) -> tuple[Subject, ...]:
        """Subjects in the order reports list them (``Subject.order``, R5.3c)."""
        return tuple(sorted(self.year_data.subjects, key=lambda s: (s.order, s.name, s.id)))

    @cached_property
    def assignments(self) -> tuple[TeachingAssignment, ...]:
        """The year's teaching assignments."""
        return tuple(a for a in self.year_data.assignments if a.year == self.year)

    @cached_property
    def attestation_marks(self) -> tuple[AttestationMark, ...]:
        """The year's period, annual, exam and final marks."""
        return tuple(m for m in self.year_data.attestation_marks if m.year == self.year)

    @cached_property
    def groups(self) -> tuple[Group, ...]:
        """The year's subgroups and cross-class groups."""
        return tuple(g for g in self.year_data.groups if g.year == self.year)

    @cached_property
    def periods(self) -> Mapping[int, tuple[PeriodSpan, ...]]:
        """The study periods of each parallel of the year, in date order (from its calendar)."""
        return MappingProxyType(
            {
                parallel: tuple(spans)
                for parallel, spans in periods_of_year(self.year_data.year).items()
            }
        )

    @property
    def students(self) -> tuple[Student, ...]:
        """Student cards (``year_data.students``)."""
        return self.year_data.students

    @property
    def employees(self) -> tuple[Employee, ...]:
        """Staff cards (``year_data.employees``)."""
        return self.year_data.employees

    @property
    def memberships(self) -> tuple[ClassMembership, ...]:
        """Class memberships, the rosters when there are no orders (``year_data.memberships``)."""
        return self.year_data.memberships

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        """Lessons (``year_data.lessons``)."""
        return self.year_data.lessons

    @property
    def marks(self) -> tuple[Mark, ...]:
        """Current marks (``year_data.marks``)."""
        return self.year_data.marks

    @property
    def attendance(self) -> tuple[Attendance, ...]:
        """Absences and late arrivals (``year_data.attendance``)."""
        return self.year_data.attendance

    @property
    def guardians(self) -> tuple[Guardian, ...]:
        """Parents' and legal guardians' cards (``year_data.guardians``)."""
        return self.year_data.guardians

    @property
    def guardian_links(self) -> tuple[GuardianLink, ...]:
        """Links of guardians to students (``year_data.guardian_links``)."""
        return self.year_data.guardian_links

    @property
    def orders(self) -> tuple[Order, ...]:
        """Movement orders (``year_data.orders``)."""
        return self.year_data.orders

    # -- lookups -------------------------------------------------------------------------

    @cached_property
    def class_by_id(self) -> Mapping[ClassId, SchoolClass]:
        """Classes of the year by id."""
        return MappingProxyType({c.id: c for c in self.classes})

    @cached_property
    def student_by_id(self) -> Mapping[StudentId, Student]:
        """Students by id."""
        return MappingProxyType({s.id: s for s in self.students})

    @cached_property
    def employee_by_id(self) -> Mapping[EmployeeId, Employee]:
        """Staff by id."""
        return MappingProxyType({e.id: e for e in self.employees})

    @cached_property
    def subject_by_id(self) -> Mapping[SubjectId, Subject]:
        """Subjects by id."""
        return MappingProxyType({s.id: s for s in self.subjects})

    @cached_property
    def lesson_by_id(self) -> Mapping[LessonId, Lesson]:
        """Lessons by id."""
        return MappingProxyType({lesson.id: lesson for lesson in self.lessons})

    @cached_property
    def book(self) -> MovementBook:
        """The movement book built from the orders (empty without orders)."""
        return MovementBook.from_orders(self.orders, classes=self.classes)

    def get_class(self, key: str) -> SchoolClass:
        """Return a class of the year by id or by name (``"5А"``).

        Raises:
            NotFoundError: If there is none.
        """
        found = self.class_by_id.get(ClassId(key))
        if found is not None:
            return found
        wanted = key.strip().upper()
        for school_class in self.classes:
            if school_class.name == wanted:
                return school_class
        raise REPORT_CLASS_NOT_FOUND.error(details={"class": key}, year=self.year)

    def get_student(self, key: str) -> Student:
        """Return a student by id.

        Raises:
            NotFoundError: If there is none.
        """
        found = self.student_by_id.get(StudentId(key))
        if found is None:
            raise REPORT_STUDENT_NOT_FOUND.error(student=key)
        return found

    def get_employee(self, key: str) -> Employee:
        """Return an employee by id.

        Raises:
            NotFoundError: If there is none.
        """
        found = self.employee_by_id.get(EmployeeId(key))
        if found is None:
            raise REPORT_EMPLOYEE_NOT_FOUND.error(employee=key)
        return found

    def employee_name(self, employee_id: EmployeeId | None) -> str | None:
        """Return an employee's short name (``"Иванова М. П."``), ``None`` if unknown."""
        employee = None if employee_id is None else self.employee_by_id.get(employee_id)
        return None if employee is None else employee.person.short_name

    def subject_name(self, subject_id: SubjectId) -> str:
        """Return a subject's name (its id if the subject is unknown)."""
        subject = self.subject_by_id.get(subject_id)
        return subject_id if subject is None else subject.name

    def period(self, parallel: int | str, code: str) -> PeriodSpan:
        """Return the study period ``code`` of a parallel, or the whole year for ``"year"``.

        A code the parallel does not use (``"Q2"`` for a half-year parallel) selects the
        parallel's period that contains the end of the period of that code elsewhere.

        Raises:
            NotFoundError: If no parallel has a period ``code``.
        """
        spans = self.periods.get(int(parallel), ())
        if code == YEAR_PERIOD and spans:
            return PeriodSpan(key=YEAR_PERIOD, start=spans[0].start, end=spans[-1].end)
        for span in spans:
            if span.key == code:
                return span
        for other in self.periods.values():
            for span in other:
                if span.key == code:
                    for own in spans:
                        if own.start <= span.end <= own.end:
                            return own
        raise REPORT_PERIOD_NOT_FOUND.error(period=code)

    @cached_property
    def year_span(self) -> tuple[dt.date, dt.date]:
        """The first and last day of the year's study periods."""
        spans = [span for spans in self.periods.values() for span in spans]
        return min(s.start for s in spans), max(s.end for s in spans)

    # -- rosters -------------------------------------------------------------------------

    @cached_property
    def _members_by_class(self) -> Mapping[ClassId, tuple[ClassMembership, ...]]:
        grouped: dict[ClassId, list[ClassMembership]] = defaultdict(list)
        for membership in self.memberships:
            grouped[membership.class_id].append(membership)
        return MappingProxyType({key: tuple(value) for key, value in grouped.items()})

    def _name_key(self, student_id: StudentId) -> tuple[str, str]:
        student = self.student_by_id.get(student_id)
        return (student.person.full_name if student else "", student_id)

    def roster(self, class_id: ClassId, day: dt.date) -> tuple[StudentId, ...]:
        """Return the students of a class on ``day``, in alphabetical order.

        With movement orders, the movement book says who is in the class; without them,
        the stored class memberships do.
        """
        if self.orders:
            ids: Iterable[StudentId] = self.book.roster(class_id, day)
        else:
            ids = {
                m.student_id for m in self._members_by_class.get(class_id, ()) if m.holds_on(day)
            }
        return tuple(sorted(ids, key=self._name_key))

    def class_of(self, student_id: StudentId, day: dt.date) -> SchoolClass | None:
        """Return the student's class on ``day``, or ``None``."""
        if self.orders:
            status = self.book.status_on(student_id, day)
            return None if status.class_id is None else self.class_by_id.get(status.class_id)
        for membership in self.memberships:
            if membership.student_id == student_id and membership.holds_on(day):
                return self.class_by_id.get(membership.class_id)
        return None

    def students_ever_in(self, class_id: ClassId) -> tuple[StudentId, ...]:
        """Return every student who was in the class at some day of the year."""
        first, last = self.year_span
        if self.orders:
            seen: set[StudentId] = set()
            events = sorted({first, last, *(o.issued_on for o in self.orders)})
            for day in events:
                seen.update(self.book.roster(class_id, day))
            return tuple(sorted(seen, key=self._name_key))
        ids = {m.student_id for m in self._members_by_class.get(class_id, ())}
        return tuple(sorted(ids, key=self._name_key))

    # -- journal indexes -----------------------------------------------------------------

    @cached_property
    def marks_by_student(self) -> Mapping[StudentId, tuple[Mark, ...]]:
        """Current marks per student, by date."""
        grouped: dict[StudentId, list[Mark]] = defaultdict(list)
        for mark in self.marks:
            grouped[mark.student_id].append(mark)
        return MappingProxyType(
            {k: tuple(sorted(v, key=lambda m: (m.date, m.id))) for k, v in grouped.items()}
        )

    @cached_property
    def attendance_by_student(self) -> Mapping[StudentId, tuple[Attendance, ...]]:
        """Absences and late arrivals per student, by date."""
        grouped: dict[StudentId, list[Attendance]] = defaultdict(list)
        for record in self.attendance:
            grouped[record.student_id].append(record)
        return MappingProxyType(
            {k: tuple(sorted(v, key=lambda a: (a.date, a.id))) for k, v in grouped.items()}
        )

    @cached_property
    def attestation_by_student(self) -> Mapping[StudentId, tuple[AttestationMark, ...]]:
        """Attestation marks per student."""
        grouped: dict[StudentId, list[AttestationMark]] = defaultdict(list)
        for mark in self.attestation_marks:
            grouped[mark.student_id].append(mark)
        return MappingProxyType({k: tuple(v) for k, v in grouped.items()})

    @cached_property
    def lessons_by_class(self) -> Mapping[ClassId, tuple[Lesson, ...]]:
        """Lessons per class (a group's lessons count for each class of the group), by date."""
        group_classes = {g.id: g.class_ids for g in self.groups}
        grouped: dict[ClassId, list[Lesson]] = defaultdict(list)
        for lesson in self.lessons:
            if lesson.class_id is not None:
                grouped[lesson.class_id].append(lesson)
            elif lesson.group_id is not None:
                for class_id in group_classes.get(lesson.group_id, ()):
                    grouped[class_id].append(lesson)
        return MappingProxyType(
            {k: tuple(sorted(v, key=lambda s: (s.date, s.number))) for k, v in grouped.items()}
        )

    @cached_property
    def marked_lessons(self) -> frozenset[LessonId]:
        """Lessons that have at least one current mark."""
        return frozenset(m.lesson_id for m in self.marks if m.lesson_id is not None)

    @cached_property
    def marks_by_lesson(self) -> Mapping[LessonId, tuple[Mark, ...]]:
        """Current marks per lesson."""
        grouped: dict[LessonId, list[Mark]] = defaultdict(list)
        for mark in self.marks:
            if mark.lesson_id is not None:
                grouped[mark.lesson_id].append(mark)
        return MappingProxyType({k: tuple(v) for k, v in grouped.items()})

    def marks_of(
        self,
        student_id: StudentId,
        start: dt.date,
        end: dt.date,
        subject_id: SubjectId | None = None,
    ) -> list[Mark]:
        """Return a student's current marks dated ``start`` to ``end`` (of one subject if given)."""
        return [
            m
            for m in self.marks_by_student.get(student_id, ())
            if start <= m.date <= end and (subject_id is None or m.subject_id == subject_id)
        ]

    def attendance_of(
        self, student_id: StudentId, start: dt.date, end: dt.date
    ) -> list[Attendance]:
        """Return a student's attendance records dated ``start`` to ``end``."""
        return [a for a in self.attendance_by_student.get(student_id, ()) if start <= a.date <= end]

    def attestation_of(
        self, student_id: StudentId, period: str
    ) -> Mapping[SubjectId, AttestationMark]:
        """Return a student's period marks of ``period`` (annual ones for ``"year"``) by subject."""
        result: dict[SubjectId, AttestationMark] = {}
        for mark in self.attestation_by_student.get(student_id, ()):
            if period == YEAR_PERIOD:
                if mark.kind is AttestationKind.ANNUAL:
                    result[mark.subject_id] = mark
            elif mark.kind is AttestationKind.PERIOD and mark.period == period:
                result[mark.subject_id] = mark
        return result

    def subjects_of_class(self, class_id: ClassId) -> tuple[Subject, ...]:
        """Return the subjects taught to a class (by assignments, else by lessons), in order."""
        ids = {a.subject_id for a in self.assignments if a.class_id == class_id}
        if not ids:
            ids = {lesson.subject_id for lesson in self.lessons_by_class.get(class_id, ())}
        return tuple(s for s in self.subjects if s.id in ids)

    def teacher_of(self, class_id: ClassId, subject_id: SubjectId) -> EmployeeId | None:
        """Return the teacher assigned to a subject in a class, if any."""
        for assignment in self.assignments:
            if assignment.class_id == class_id and assignment.subject_id == subject_id:
                return assignment.teacher_id
        return None

    # -- timeliness (R8.6) -----------------------------------------------------------------

    @cached_property
    def _late(self) -> Mapping[EntityKind, frozenset[str]]:
        late: dict[EntityKind, set[str]] = defaultdict(set)
        if self.compliance is not None:
            for finding in self.compliance.findings:
                if finding.status is FindingStatus.LATE:
                    late[finding.entity_kind].add(finding.entity_id)
        return MappingProxyType({kind: frozenset(ids) for kind, ids in late.items()})

    def mark_timeliness(self, mark: Mark) -> Timeliness:
        """Judge a current mark's entry by R8.6: by the checker's findings when present."""
        own = mark_timeliness(mark, self.school.zone, self.deadlines)
        if self.compliance is None:
            return own
        if mark.id in self._late.get(EntityKind.MARK, frozenset()):
            return Timeliness.LATE
        return Timeliness.ON_TIME if own is Timeliness.ON_TIME else Timeliness.EXTENDED

    def mark_is_late(self, mark: Mark) -> bool:
        """Return whether a current mark was entered late by R8.6 (see :meth:`mark_timeliness`)."""
        if self.compliance is not None:
            return mark.id in self._late.get(EntityKind.MARK, frozenset())
        return mark_timeliness(mark, self.school.zone, self.deadlines) is Timeliness.LATE

    def late_lesson_entries(self, lesson: Lesson) -> int:
        """Return how many of a lesson's topic and homework entries are late by R8.6.

        With the checker's report, its late findings on the lesson count (one per rule);
        without it, the topic's and the homework's entry moments are judged directly.
        """
        if self.compliance is not None:
            return sum(
                1
                for finding in self._lesson_findings.get(lesson.id, ())
                if finding in {"journal.topics", "journal.homework"}
            )
        late = 0
        for moment in (lesson.topic_entered_at, lesson.homework_entered_at):
            if moment is not None:
                judged = entry_timeliness(
                    moment, lesson.date, lesson.late_reason, self.school.zone, self.deadlines
                )
                late += judged is Timeliness.LATE
        return late

    @cached_property
    def _lesson_findings(self) -> Mapping[str, tuple[str, ...]]:
        grouped: dict[str, list[str]] = defaultdict(list)
        if self.compliance is not None:
            for finding in self.compliance.findings:
                if finding.entity_kind is EntityKind.LESSON and finding.status is (
                    FindingStatus.LATE
                ):
                    grouped[finding.entity_id].append(finding.rule_id)
        return MappingProxyType({key: tuple(value) for key, value in grouped.items()})
