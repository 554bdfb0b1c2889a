"""One school year's data as one immutable value, read from any store with scoped queries.

A :class:`SchoolYearData` is what every reader of a school's year works from: the deadline
checker's data (:meth:`eschool_core.deadlines.ComplianceData.from_year_data`), the reports'
view (:meth:`eschool_core.reports.ReportData.from_year_data`), the analytics' entity tables and
the synthetic school (:attr:`eschool_core.synth.SyntheticSchool.year_data`) are built from it.

It is read in one unit of work with queries scoped to the year (the year's classes, their
memberships, the lessons, marks and attendance dated in the year, the year's attestation
marks, orders and planning), never with a scan of every stored year. A :class:`YearScope`
narrows the read further to one class, one student or a range of days, for a report that
needs no more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

import attrs

from eschool_core import _validation as v
from eschool_core.calendar import AcademicYear
from eschool_core.closures import PeriodClosure
from eschool_core.curriculum import Curriculum, ThematicPlan
from eschool_core.errors import NotFoundError, ValidationError
from eschool_core.ids import ClassId, GroupId, SchoolId, StudentId
from eschool_core.journal import Attendance, AttestationMark, Lesson, Mark
from eschool_core.movement import Order, RetakeAttempt
from eschool_core.people import Consent, Employee, Guardian, GuardianLink, Student
from eschool_core.report_runs import ReportRun
from eschool_core.school import (
    ClassMembership,
    Group,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from eschool_core.timetable import BellSchedule, Room, SchoolEvent, Timetable

if TYPE_CHECKING:
    from eschool_core.storage import Store, UnitOfWork

__all__ = [
    "SHOWN_SCHOOLS",
    "SchoolYearData",
    "YearScope",
    "choose_school",
    "choose_school_id",
    "no_school",
    "require_school",
    "year_span",
]

_E = TypeVar("_E")


def year_span(year: AcademicYear) -> tuple[dt.date, dt.date]:
    """Return the days a store's year covers: 1 September to 31 August, or wider if its days are.

    >>> from eschool_core.calendar import standard_year
    >>> from eschool_core.profiles import default_profile
    >>> year_span(standard_year("2025/2026", default_profile().calendar))
    (datetime.date(2025, 9, 1), datetime.date(2026, 8, 31))
    """
    first = dt.date(year.label.first, 9, 1)
    last = dt.date(year.label.second, 8, 31)
    return min(first, year.first_day), max(last, year.last_day)


@attrs.frozen(kw_only=True)
class YearScope:
    """How much of a school year a reader needs: all of it, or one class, one student, some days.

    Attributes:
        class_id: Only this class (its id, or its name such as ``"5А"``): its memberships
            and students, the lessons given to it (as a whole or to its groups), its
            students' marks, attendance and attestation marks.
        student_id: Only this student: his memberships and classes, their lessons, his marks,
            attendance, attestation marks and guardians.
        start: The first day of the dated facts (lessons, marks, attendance) to read; the
            year's first day when ``None``.
        end: The last such day; the year's last day when ``None``.
        planning: Whether to read the year's planning and the consents (curricula,
            thematic plans, rooms, bell schedules, timetables, events, consents), which the
            deadline checker needs and the reports do not.
        dated: Whether to read the dated facts (lessons, marks, attendance), which a
            roster exchange (OneRoster) does not carry.

    The year's classes, groups, assignments, orders, staff and subjects are always read
    whole (they are small, and rosters and names need them).

    Raises:
        ValidationError: If both a class and a student are named (``year_data.scope``).
    """

    class_id: ClassId | None = None
    student_id: StudentId | None = None
    start: dt.date | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.plain_date)
    )
    end: dt.date | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.plain_date)
    )
    planning: bool = True
    dated: bool = True

    def __attrs_post_init__(self) -> None:
        if self.class_id is not None and self.student_id is not None:
            raise ValidationError(
                "Выберите либо класс, либо ученика",
                "Scope a year to a class or to a student, not both",
                code="year_data.scope",
            )

    @property
    def whole(self) -> bool:
        """Whether the scope is the whole year."""
        return self == YearScope()


def _in_year(items: Iterable[_E], label: str) -> tuple[_E, ...]:
    return tuple(item for item in items if getattr(item, "year", None) == label)


@attrs.frozen(kw_only=True)
class SchoolYearData:
    """One academic year of one school: every entity a reader of the year needs, as values.

    Build it with :meth:`read` (or :meth:`from_store`) from any store, or by hand.

    Attributes:
        year: The academic year (its label, study periods, school days, production calendar).
        school: The school, ``None`` for a store that holds none.
        scope: What of the year was read (the whole year by default).
        classes: The year's classes.
        memberships: The memberships of those classes.
        students: Student cards.
        employees: Staff cards.
        guardians: Parents' and legal guardians' cards.
        guardian_links: Links of guardians to students.
        consents: Consents to personal-data processing.
        subjects: Subjects.
        groups: The year's subgroups and cross-class groups.
        assignments: The year's teaching assignments.
        lessons: Lessons dated in the year (or the scope's days).
        marks: Current marks dated in the year (or the scope's days).
        attendance: Absences and late arrivals dated in the year (or the scope's days).
        attestation_marks: The year's period, annual, exam and final marks.
        orders: The year's movement orders.
        curricula: The year's curricula.
        thematic_plans: The year's thematic plans.
        rooms: Rooms.
        bell_schedules: The year's bell schedules.
        timetables: The year's timetables.
        events: The year's school and class events.
        period_closures: The year's closings and reopenings of study periods (R8.9).
        retake_attempts: The year's retake attempts of academic debts (R10.1c).
        report_runs: The year's produced reports (R11.3, R11.4, R4.2b).
    """

    year: AcademicYear
    school: School | None = None
    scope: YearScope = attrs.field(factory=YearScope)
    classes: tuple[SchoolClass, ...] = attrs.field(default=(), converter=v.to_tuple)
    memberships: tuple[ClassMembership, ...] = attrs.field(default=(), converter=v.to_tuple)
    students: tuple[Student, ...] = attrs.field(default=(), converter=v.to_tuple)
    employees: tuple[Employee, ...] = attrs.field(default=(), converter=v.to_tuple)
    guardians: tuple[Guardian, ...] = attrs.field(default=(), converter=v.to_tuple)
    guardian_links: tuple[GuardianLink, ...] = attrs.field(default=(), converter=v.to_tuple)
    consents: tuple[Consent, ...] = attrs.field(default=(), converter=v.to_tuple)
    subjects: tuple[Subject, ...] = attrs.field(default=(), converter=v.to_tuple)
    groups: tuple[Group, ...] = attrs.field(default=(), converter=v.to_tuple)
    assignments: tuple[TeachingAssignment, ...] = attrs.field(default=(), converter=v.to_tuple)
    lessons: tuple[Lesson, ...] = attrs.field(default=(), converter=v.to_tuple)
    marks: tuple[Mark, ...] = attrs.field(default=(), converter=v.to_tuple)
    attendance: tuple[Attendance, ...] = attrs.field(default=(), converter=v.to_tuple)
    attestation_marks: tuple[AttestationMark, ...] = attrs.field(default=(), converter=v.to_tuple)
    orders: tuple[Order, ...] = attrs.field(default=(), converter=v.to_tuple)
    curricula: tuple[Curriculum, ...] = attrs.field(default=(), converter=v.to_tuple)
    thematic_plans: tuple[ThematicPlan, ...] = attrs.field(default=(), converter=v.to_tuple)
    rooms: tuple[Room, ...] = attrs.field(default=(), converter=v.to_tuple)
    bell_schedules: tuple[BellSchedule, ...] = attrs.field(default=(), converter=v.to_tuple)
    timetables: tuple[Timetable, ...] = attrs.field(default=(), converter=v.to_tuple)
    events: tuple[SchoolEvent, ...] = attrs.field(default=(), converter=v.to_tuple)
    period_closures: tuple[PeriodClosure, ...] = attrs.field(default=(), converter=v.to_tuple)
    retake_attempts: tuple[RetakeAttempt, ...] = attrs.field(default=(), converter=v.to_tuple)
    report_runs: tuple[ReportRun, ...] = attrs.field(default=(), converter=v.to_tuple)

    @property
    def label(self) -> str:
        """The academic year's label (``"2025/2026"``)."""
        return str(self.year.label)

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        """The days of the dated facts held: the scope's, else :func:`year_span`'s."""
        first, last = year_span(self.year)
        return self.scope.start or first, self.scope.end or last

    @classmethod
    def from_store(
        cls,
        store: Store,
        year: AcademicYear,
        *,
        school_id: str | None = None,
        scope: YearScope | None = None,
    ) -> SchoolYearData:
        """Read one school year from a store in its own unit of work (see :meth:`read`)."""
        with store.unit_of_work() as uow:
            return cls.read(uow, year, school_id=school_id, scope=scope)

    @classmethod
    def read(
        cls,
        uow: UnitOfWork,
        year: AcademicYear,
        *,
        school_id: str | None = None,
        scope: YearScope | None = None,
    ) -> SchoolYearData:
        """Read one school year from an entered unit of work; nothing is written.

        Every query is scoped: ``for_year`` for the year's aggregates, ``between`` for the
        dated facts, ``for_class``/``for_student``/``for_students`` under a narrower
        ``scope``.

        Args:
            uow: An entered unit of work of any store.
            year: The academic year to read.
            school_id: The school; the store's only one by default.
            scope: What of the year to read (the whole year by default).

        Raises:
            ValidationError: If the store holds several schools and none is named
                (``store.school_required``, :func:`choose_school`).
            NotFoundError: If the named school is not there (``school.not_found``).
        """
        scope = scope or YearScope()
        label = str(year.label)
        first, last = year_span(year)
        start, end = scope.start or first, scope.end or last
        school = choose_school(uow, school_id)
        classes = tuple(uow.classes.for_year(label))
        groups = tuple(uow.groups.for_year(label))
        if scope.class_id is not None:
            scope = attrs.evolve(scope, class_id=_class_key(classes, scope.class_id))
        if scope.class_id is not None:
            memberships = tuple(uow.memberships.for_class(scope.class_id))
            class_ids = {scope.class_id}
        elif scope.student_id is not None:
            year_classes = {c.id for c in classes}
            memberships = tuple(
                m
                for m in uow.memberships.for_student(scope.student_id)
                if m.class_id in year_classes
            )
            class_ids = {m.class_id for m in memberships}
        else:
            memberships = tuple(m for c in classes for m in uow.memberships.for_class(c.id))
            class_ids = None
        if class_ids is None:
            students: tuple[Student, ...] = tuple(uow.students.all())
            links = tuple(uow.guardian_links.all())
            guardians: tuple[Guardian, ...] = tuple(uow.guardians.all())
            lessons: tuple[Lesson, ...] = ()
            marks: tuple[Mark, ...] = ()
            attendance: tuple[Attendance, ...] = ()
            if scope.dated:
                lessons = tuple(uow.lessons.between(start, end))
                marks = tuple(uow.marks.between(start, end))
                attendance = tuple(uow.attendance.between(start, end))
            attestation = tuple(uow.attestation_marks.for_year(label))
        else:
            student_ids = sorted(
                {scope.student_id} if scope.student_id else {m.student_id for m in memberships}
            )
            students = tuple(s for sid in student_ids if (s := uow.students.find(sid)) is not None)
            links = tuple(
                link for sid in student_ids for link in uow.guardian_links.for_student(sid)
            )
            guardians = tuple(
                g
                for gid in sorted({link.guardian_id for link in links})
                if (g := uow.guardians.find(gid)) is not None
            )
            if scope.dated:
                lessons = _class_lessons(uow, class_ids, groups, start, end)
                marks = tuple(uow.marks.for_students(student_ids, start, end))
                attendance = tuple(uow.attendance.for_students(student_ids, start, end))
            attestation = _in_year(
                (a for sid in student_ids for a in uow.attestation_marks.for_student(sid)), label
            )
        return cls(
            year=year,
            school=school,
            scope=scope,
            classes=classes,
            memberships=memberships,
            students=students,
            employees=uow.employees.all(),
            guardians=guardians,
            guardian_links=links,
            consents=uow.consents.all() if scope.planning else (),
            subjects=uow.subjects.all(),
            groups=groups,
            assignments=uow.assignments.for_year(label),
            lessons=lessons,
            marks=marks,
            attendance=attendance,
            attestation_marks=attestation,
            orders=uow.orders.for_year(label),
            period_closures=uow.period_closures.for_year(label),
            retake_attempts=uow.retake_attempts.for_year(label),
            report_runs=uow.report_runs.for_year(label),
            **(_planning(uow, label) if scope.planning else {}),
        )


def _planning(uow: UnitOfWork, label: str) -> dict[str, Sequence[object]]:
    """The year's planning: curricula, thematic plans, rooms, bells, timetables, events."""
    return {
        "curricula": uow.curricula.for_year(label),
        "thematic_plans": uow.thematic_plans.for_year(label),
        "rooms": uow.rooms.all(),
        "bell_schedules": uow.bell_schedules.for_year(label),
        "timetables": uow.timetables.for_year(label),
        "events": uow.events.for_year(label),
    }


def _class_key(classes: Sequence[SchoolClass], key: ClassId) -> ClassId:
    """The id of the class ``key`` names: an id of the year's classes or a name (``"5А"``)."""
    if any(school_class.id == key for school_class in classes):
        return key
    wanted = key.strip().upper()
    for school_class in classes:
        if school_class.name == wanted:
            return school_class.id
    return key


def _class_lessons(
    uow: UnitOfWork,
    class_ids: set[ClassId],
    groups: Sequence[Group],
    start: dt.date,
    end: dt.date,
) -> tuple[Lesson, ...]:
    """The lessons dated ``start`` to ``end`` given to the classes or to a group of theirs."""
    group_ids: list[GroupId] = sorted(
        g.id for g in groups if any(class_id in class_ids for class_id in g.class_ids)
    )
    found = [
        lesson
        for class_id in sorted(class_ids)
        for lesson in uow.lessons.for_class(class_id)
        if start <= lesson.date <= end
    ]
    found.extend(
        lesson
        for group_id in group_ids
        for lesson in uow.lessons.for_group(group_id)
        if start <= lesson.date <= end
    )
    return tuple(found)


SHOWN_SCHOOLS = 10
"""How many of a store's schools the ``store.school_required`` error names."""


def choose_school_id(school_ids: Iterable[str], school_id: str | None = None) -> str | None:
    """Return the school a reader of a store works for: the one rule every reader follows.

    Args:
        school_ids: With ``school_id``, the store's schools of that id (empty if there is
            none); without it, the store's school ids in order (the first
            :data:`SHOWN_SCHOOLS` + 1 are enough).
        school_id: The school the caller named, if any.

    Returns:
        The named school's id, else the store's only school's, else ``None`` for a store
        that holds no school.

    Raises:
        NotFoundError: ``school.not_found`` if the named school is not in the store.
        ValidationError: ``store.school_required`` if the store holds several schools and
            none is named (never the first of them); the details name the first
            :data:`SHOWN_SCHOOLS`.

    >>> choose_school_id(["sch"]), choose_school_id([]), choose_school_id(["b"], "b")
    ('sch', None, 'b')
    >>> choose_school_id(["a", "b"])
    Traceback (most recent call last):
    ...
    eschool_core.errors.ValidationError: Укажите школу: в хранилище их несколько
    """
    listed = list(school_ids)
    if school_id is not None:
        if school_id not in listed:
            raise NotFoundError.for_id("school", school_id)
        return school_id
    if len(listed) > 1:
        raise ValidationError(
            "Укажите школу: в хранилище их несколько",
            "Name the school: the store holds several",
            code="store.school_required",
            details={"schools": sorted(listed)[:SHOWN_SCHOOLS]},
        )
    return listed[0] if listed else None


def choose_school(uow: UnitOfWork, school_id: str | None = None) -> School | None:
    """Return the school of a store a reader works for (see :func:`choose_school_id`).

    Args:
        uow: An entered unit of work of any store.
        school_id: The school the caller named, if any.

    Returns:
        The school, or ``None`` for a store that holds none.

    Raises:
        NotFoundError: ``school.not_found`` for a named school that is not there.
        ValidationError: ``store.school_required`` for several schools and none named.
    """
    if school_id is not None:
        found = uow.schools.find(SchoolId(school_id))
        choose_school_id([] if found is None else [found.id], school_id)
        return found
    schools = {school.id: school for school in uow.schools.all()}
    chosen = choose_school_id(sorted(schools))
    return None if chosen is None else schools[SchoolId(chosen)]


def require_school(uow: UnitOfWork, school_id: str | None = None) -> School:
    """Return the school of a store a reader works for, which must hold one.

    Raises:
        NotFoundError: ``store.no_school`` for a store without a school;
            ``school.not_found`` for a named school that is not there.
        ValidationError: ``store.school_required`` for several schools and none named.
    """
    school = choose_school(uow, school_id)
    if school is None:
        raise no_school()
    return school


def no_school() -> NotFoundError:
    """Return the error for a store that holds no school (``store.no_school``)."""
    return NotFoundError(
        "В хранилище нет ни одной школы",
        "The store holds no school",
        code="store.no_school",
    )
