"""The directory of an actor's relations: assignments, guardian links, employment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from eschool_core.ids import ClassId, EmployeeId, GroupId, GuardianId, StudentId, SubjectId
from eschool_core.people import Employee, EmployeeStatus, GuardianLink
from eschool_core.rbac._catalogue import academic_year_of
from eschool_core.school import ClassMembership, SchoolClass, TeachingAssignment

__all__ = ["Directory", "MemoryDirectory", "assignment_covers", "employee_is_active"]


class Directory(Protocol):
    """Protocol: answers the questions the authorizer asks about an actor's relations.

    A host answers them from its own database; :class:`MemoryDirectory` answers them from
    lists, and :class:`eschool_core.storage.UnitOfWorkDirectory` from our storage. Every
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


class MemoryDirectory:
    """A :class:`Directory` over plain collections of entities (tests, notebooks).

    Args:
        employees: Staff cards.
        classes: Classes of any years (``class_teacher_id`` gives the class teacher).
        assignments: Teaching assignments.
        guardian_links: Links of guardians to students.
        memberships: Students' memberships of classes.
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
        first_month: int = 9,
    ) -> None:
        self._employees = {employee.id: employee for employee in employees}
        self._classes = {school_class.id: school_class for school_class in classes}
        self._assignments = tuple(assignments)
        self._links = tuple(guardian_links)
        self._memberships = tuple(memberships)
        self._first_month = first_month

    def employee_active(self, employee_id: EmployeeId, on: date) -> bool:
        """Return whether the employee works at the school (is not dismissed) on ``on``."""
        employee = self._employees.get(employee_id)
        return employee is not None and employee_is_active(employee, on)

    def is_class_teacher(self, employee_id: EmployeeId, class_id: ClassId, on: date) -> bool:
        """Return whether the employee is the class teacher of the class, in its year, on ``on``."""
        school_class = self._classes.get(class_id)
        return (
            school_class is not None
            and school_class.class_teacher_id == employee_id
            and school_class.year == academic_year_of(on, first_month=self._first_month)
        )

    def class_parallel(self, class_id: ClassId) -> int | None:
        """Return the grade (1-11) of the class, or ``None`` for an unknown class."""
        school_class = self._classes.get(class_id)
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
            for assignment in self._assignments
        )

    def is_guardian(self, guardian_id: GuardianId, student_id: StudentId, on: date) -> bool:
        """Return whether a guardian link of the guardian to the student holds on ``on``."""
        return any(
            link.guardian_id == guardian_id and link.student_id == student_id and link.holds_on(on)
            for link in self._links
        )

    def classes_of_student(self, student_id: StudentId, on: date) -> frozenset[ClassId]:
        """Return the classes the student belongs to on ``on``."""
        return frozenset(
            m.class_id for m in self._memberships if m.student_id == student_id and m.holds_on(on)
        )

    def children_of(self, guardian_id: GuardianId, on: date) -> frozenset[StudentId]:
        """Return the students linked to the guardian on ``on``."""
        return frozenset(
            link.student_id
            for link in self._links
            if link.guardian_id == guardian_id and link.holds_on(on)
        )


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
