"""The directory of an actor's relations: assignments, guardian links, employment."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Generic, Protocol, TypeVar

from eschool_core.ids import ClassId, EmployeeId, GroupId, GuardianId, StudentId, SubjectId
from eschool_core.people import Employee, EmployeeStatus, GuardianLink
from eschool_core.rbac._catalogue import academic_year_of
from eschool_core.school import ClassMembership, Group, SchoolClass, TeachingAssignment

__all__ = [
    "Directory",
    "MemoryDirectory",
    "RelationDirectory",
    "RelationSource",
    "assignment_covers",
    "employee_is_active",
]

_K = TypeVar("_K")
_E = TypeVar("_E")


class Directory(Protocol):
    """Protocol: answers the questions the authorizer asks about an actor's relations.

    A host answers them from its own database; :class:`RelationDirectory` answers them
    from any unit of work of our storage, and :class:`MemoryDirectory` from lists. Every
    answer is for the day ``on``: relations end, and the rights they give end with them.
    """

    def employee_active(self, employee_id: EmployeeId, on: date) -> bool:
        """Return whether the employee works at the school (is not dismissed) on ``on``."""
        ...

    def is_class_teacher(self, employee_id: EmployeeId, class_id: ClassId, on: date) -> bool:
        """Return whether the employee is the class teacher of the class, in its year, on ``on``."""
        ...

    def class_parallel(self, class_id: ClassId) -> int | None:
        """Return the grade (1-11) of the class, or ``None`` for an unknown class."""
        ...

    def teaches(
        self,
        employee_id: EmployeeId,
        subject_id: SubjectId,
        on: date,
        *,
        class_id: ClassId | None = None,
        group_id: GroupId | None = None,
    ) -> bool:
        """Return whether a teaching assignment of the subject to the class or group holds."""
        ...

    def is_guardian(self, guardian_id: GuardianId, student_id: StudentId, on: date) -> bool:
        """Return whether a guardian link of the guardian to the student holds on ``on``."""
        ...

    def classes_of_student(self, student_id: StudentId, on: date) -> frozenset[ClassId]:
        """Return the classes the student belongs to on ``on``."""
        ...

    def children_of(self, guardian_id: GuardianId, on: date) -> frozenset[StudentId]:
        """Return the students linked to the guardian on ``on``."""
        ...

    def group_classes(self, group_id: GroupId, on: date) -> frozenset[ClassId]:
        """Return the classes a group belongs to, if it is a group of ``on``'s academic year.

        An unknown group, or a group of another year, belongs to no class (R5.3a).
        """
        ...

    def group_members(self, group_id: GroupId, on: date) -> frozenset[StudentId]:
        """Return the members of a group on ``on``.

        A member is listed in the group, the group is of ``on``'s academic year, and the
        student is in one of the group's classes on ``on`` (a student who left the class
        left its groups with it).
        """
        ...


class RelationSource(Protocol):
    """Protocol: the few look-ups :class:`RelationDirectory` needs.

    Every unit of work of :mod:`eschool_core.storage` fits (its repositories have these
    methods); :class:`MemoryDirectory` builds one from plain lists.
    """

    @property
    def employees(self) -> _Finder[EmployeeId, Employee]:
        """Staff cards by id."""
        ...

    @property
    def classes(self) -> _Finder[ClassId, SchoolClass]:
        """Classes by id (``class_teacher_id`` gives the class teacher)."""
        ...

    @property
    def assignments(self) -> _AssignmentLookup:
        """Teaching assignments by teacher."""
        ...

    @property
    def guardian_links(self) -> _GuardianLinkLookup:
        """Guardian links by guardian."""
        ...

    @property
    def memberships(self) -> _MembershipLookup:
        """Class memberships by student."""
        ...

    @property
    def groups(self) -> _Finder[GroupId, Group]:
        """Subgroups and cross-class groups by id."""
        ...


_K_contra = TypeVar("_K_contra", contravariant=True)
_E_co = TypeVar("_E_co", covariant=True)


class _Finder(Protocol[_K_contra, _E_co]):
    def find(self, entity_id: _K_contra, /) -> _E_co | None: ...


class _AssignmentLookup(Protocol):
    def for_teacher(self, teacher_id: EmployeeId, /) -> Sequence[TeachingAssignment]: ...


class _GuardianLinkLookup(Protocol):
    def for_guardian(self, guardian_id: GuardianId, /) -> Sequence[GuardianLink]: ...


class _MembershipLookup(Protocol):
    def for_student(self, student_id: StudentId, /) -> Sequence[ClassMembership]: ...


class RelationDirectory:
    """A :class:`Directory` answered from a :class:`RelationSource`.

    Class teachers come from ``classes.class_teacher_id`` (held in the class's year),
    teaching from ``assignments``, parents from ``guardian_links``, employment from
    ``employees``, class membership from ``memberships`` and groups from ``groups``.

    Args:
        source: Where the relations are looked up, e.g. an entered unit of work.
        first_month: The month an academic year starts (September).
    """

    def __init__(self, source: RelationSource, *, first_month: int = 9) -> None:
        self._source = source
        self._first_month = first_month

    def employee_active(self, employee_id: EmployeeId, on: date) -> bool:
        """Return whether the employee works at the school (is not dismissed) on ``on``."""
        employee = self._source.employees.find(employee_id)
        return employee is not None and employee_is_active(employee, on)

    def is_class_teacher(self, employee_id: EmployeeId, class_id: ClassId, on: date) -> bool:
        """Return whether the employee is the class teacher of the class, in its year, on ``on``."""
        school_class = self._source.classes.find(class_id)
        return (
            school_class is not None
            and school_class.class_teacher_id == employee_id
            and school_class.year == academic_year_of(on, first_month=self._first_month)
        )

    def class_parallel(self, class_id: ClassId) -> int | None:
        """Return the grade (1-11) of the class, or ``None`` for an unknown class."""
        school_class = self._source.classes.find(class_id)
        return None if school_class is None else school_class.parallel

    def teaches(
        self,
        employee_id: EmployeeId,
        subject_id: SubjectId,
        on: date,
        *,
        class_id: ClassId | None = None,
        group_id: GroupId | None = None,
    ) -> bool:
        """Return whether a teaching assignment of the subject to the class or group holds."""
        return any(
            assignment_covers(
                assignment,
                employee_id,
                subject_id,
                on,
                class_id=class_id,
                group_id=group_id,
                first_month=self._first_month,
            )
            for assignment in self._source.assignments.for_teacher(employee_id)
        )

    def is_guardian(self, guardian_id: GuardianId, student_id: StudentId, on: date) -> bool:
        """Return whether a guardian link of the guardian to the student holds on ``on``."""
        return student_id in self.children_of(guardian_id, on)

    def classes_of_student(self, student_id: StudentId, on: date) -> frozenset[ClassId]:
        """Return the classes the student belongs to on ``on``."""
        return frozenset(
            m.class_id for m in self._source.memberships.for_student(student_id) if m.holds_on(on)
        )

    def children_of(self, guardian_id: GuardianId, on: date) -> frozenset[StudentId]:
        """Return the students linked to the guardian on ``on``."""
        return frozenset(
            link.student_id
            for link in self._source.guardian_links.for_guardian(guardian_id)
            if link.holds_on(on)
        )

    def group_classes(self, group_id: GroupId, on: date) -> frozenset[ClassId]:
        """Return the classes a group belongs to, if it is a group of ``on``'s academic year."""
        group = self._group(group_id, on)
        return frozenset() if group is None else frozenset(group.class_ids)

    def group_members(self, group_id: GroupId, on: date) -> frozenset[StudentId]:
        """Return the students listed in the group who are in one of its classes on ``on``."""
        group = self._group(group_id, on)
        if group is None:
            return frozenset()
        classes = frozenset(group.class_ids)
        return frozenset(
            student_id
            for student_id in group.student_ids
            if self.classes_of_student(student_id, on) & classes
        )

    def _group(self, group_id: GroupId, on: date) -> Group | None:
        group = self._source.groups.find(group_id)
        if group is None or group.year != academic_year_of(on, first_month=self._first_month):
            return None
        return group


class _Index(Generic[_K, _E]):
    """Entities by id, and grouped by one of their fields."""

    def __init__(self, entities: Iterable[_E], key: Callable[[_E], _K | None]) -> None:
        self._by_id: dict[object, _E] = {}
        self._groups: dict[object, list[_E]] = {}
        for entity in entities:
            self._by_id[getattr(entity, "id", None)] = entity
            self._groups.setdefault(key(entity), []).append(entity)

    def find(self, entity_id: object, /) -> _E | None:
        return self._by_id.get(entity_id)

    def group(self, value: object) -> Sequence[_E]:
        return self._groups.get(value, ())


class _ListSource:
    """A :class:`RelationSource` over plain collections."""

    def __init__(
        self,
        employees: Iterable[Employee],
        classes: Iterable[SchoolClass],
        *,
        assignments: Iterable[TeachingAssignment],
        guardian_links: Iterable[GuardianLink],
        memberships: Iterable[ClassMembership],
        groups: Iterable[Group] = (),
    ) -> None:
        self.employees = _Index(employees, lambda e: e.id)
        self.groups = _Index(groups, lambda g: g.id)
        self.classes = _Index(classes, lambda c: c.id)
        by_teacher = _Index(assignments, lambda a: a.teacher_id)
        by_guardian = _Index(guardian_links, lambda link: link.guardian_id)
        by_student = _Index(memberships, lambda m: m.student_id)
        self.assignments = _GroupView(by_teacher.group)
        self.guardian_links = _GroupView(by_guardian.group)
        self.memberships = _GroupView(by_student.group)


class _GroupView(Generic[_E]):
    def __init__(self, group: Callable[[object], Sequence[_E]]) -> None:
        self._group = group

    def for_teacher(self, teacher_id: object, /) -> Sequence[_E]:
        return self._group(teacher_id)

    def for_guardian(self, guardian_id: object, /) -> Sequence[_E]:
        return self._group(guardian_id)

    def for_student(self, student_id: object, /) -> Sequence[_E]:
        return self._group(student_id)


class MemoryDirectory(RelationDirectory):
    """A :class:`Directory` over plain collections of entities (tests, notebooks).

    Args:
        employees: Staff cards.
        classes: Classes of any years (``class_teacher_id`` gives the class teacher).
        assignments: Teaching assignments.
        guardian_links: Links of guardians to students.
        memberships: Students' memberships of classes.
        groups: Subgroups and cross-class groups of any years.
        first_month: The month an academic year starts (September).

    >>> from eschool_core.school import SchoolClass
    >>> d = MemoryDirectory(classes=[SchoolClass(id="c", year="2025/2026", parallel=3,
    ...     letter="А", class_teacher_id="t")])
    >>> d.is_class_teacher("t", "c", date(2026, 3, 2))
    True
    >>> d.is_class_teacher("t", "c", date(2026, 9, 1))  # the next year: rights ended
    False
    """

    def __init__(
        self,
        *,
        employees: Iterable[Employee] = (),
        classes: Iterable[SchoolClass] = (),
        assignments: Iterable[TeachingAssignment] = (),
        guardian_links: Iterable[GuardianLink] = (),
        memberships: Iterable[ClassMembership] = (),
        groups: Iterable[Group] = (),
        first_month: int = 9,
    ) -> None:
        source = _ListSource(
            employees,
            classes,
            assignments=assignments,
            guardian_links=guardian_links,
            memberships=memberships,
            groups=groups,
        )
        super().__init__(source, first_month=first_month)


def employee_is_active(employee: Employee, on: date) -> bool:
    """Return whether ``employee`` holds rights on ``on``: hired by then, not dismissed before.

    A dismissed employee (status «уволен», R4.3) has no rights after the dismissal day.
    """
    if employee.status is EmployeeStatus.DISMISSED and employee.dismissed_on is None:
        return False
    return employee.is_active_on(on)


def assignment_covers(
    assignment: TeachingAssignment,
    employee_id: EmployeeId,
    subject_id: SubjectId,
    on: date,
    *,
    class_id: ClassId | None,
    group_id: GroupId | None,
    first_month: int = 9,
) -> bool:
    """Return whether ``assignment`` makes the employee teach the subject there on ``on``."""
    if (class_id is None) == (group_id is None):
        return False
    return (
        assignment.teacher_id == employee_id
        and assignment.subject_id == subject_id
        and (assignment.class_id == class_id if class_id is not None else True)
        and (assignment.group_id == group_id if group_id is not None else True)
        and assignment.year == academic_year_of(on, first_month=first_month)
        and assignment.holds_on(on)
    )
