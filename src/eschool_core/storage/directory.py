"""A :class:`~eschool_core.rbac.Directory` answered from a unit of work of our storage."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from eschool_core.ids import ClassId, EmployeeId, GroupId, GuardianId, StudentId, SubjectId
from eschool_core.rbac import academic_year_of, assignment_covers, employee_is_active
from eschool_core.storage._protocols import (
    AssignmentRepository,
    ClassRepository,
    EmployeeRepository,
    GuardianLinkRepository,
    MembershipRepository,
)

__all__ = ["DirectorySource", "UnitOfWorkDirectory"]


class DirectorySource(Protocol):
    """Protocol: the repositories of a unit of work that the directory reads.

    Every :class:`~eschool_core.storage.UnitOfWork` has them; the members are read-only
    here, so any unit of work whose repositories satisfy the repository protocols fits.
    """

    @property
    def employees(self) -> EmployeeRepository:
        """Staff cards."""
        ...

    @property
    def classes(self) -> ClassRepository:
        """Classes (``class_teacher_id``)."""
        ...

    @property
    def assignments(self) -> AssignmentRepository:
        """Teaching assignments."""
        ...

    @property
    def guardian_links(self) -> GuardianLinkRepository:
        """Links of guardians to students."""
        ...

    @property
    def memberships(self) -> MembershipRepository:
        """Students' memberships of classes."""
        ...


class UnitOfWorkDirectory:
    """Answers the authorizer's questions from an entered unit of work.

    Class teachers come from ``classes.class_teacher_id`` (held in the class's year),
    teaching from ``assignments``, parents from ``guardian_links``, employment from
    ``employees`` and class membership from ``memberships``.

    Args:
        uow: An entered unit of work (the directory reads through it).
        first_month: The month an academic year starts (September).
    """

    def __init__(self, uow: DirectorySource, *, first_month: int = 9) -> None:
        self._uow = uow
        self._first_month = first_month

    def employee_active(self, employee_id: EmployeeId, on: date) -> bool:
        """Return whether the employee works at the school (is not dismissed) on ``on``."""
        employee = self._uow.employees.find(employee_id)
        return employee is not None and employee_is_active(employee, on)

    def is_class_teacher(self, employee_id: EmployeeId, class_id: ClassId, on: date) -> bool:
        """Return whether the employee is the class teacher of the class, in its year, on ``on``."""
        school_class = self._uow.classes.find(class_id)
        return (
            school_class is not None
            and school_class.class_teacher_id == employee_id
            and school_class.year == academic_year_of(on, first_month=self._first_month)
        )

    def class_parallel(self, class_id: ClassId) -> int | None:
        """Return the grade (1-11) of the class, or ``None`` for an unknown class."""
        school_class = self._uow.classes.find(class_id)
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
            for assignment in self._uow.assignments.for_teacher(employee_id)
        )

    def is_guardian(self, guardian_id: GuardianId, student_id: StudentId, on: date) -> bool:
        """Return whether a guardian link of the guardian to the student holds on ``on``."""
        return any(
            link.student_id == student_id and link.holds_on(on)
            for link in self._uow.guardian_links.for_guardian(guardian_id)
        )

    def classes_of_student(self, student_id: StudentId, on: date) -> frozenset[ClassId]:
        """Return the classes the student belongs to on ``on``."""
        return frozenset(
            m.class_id for m in self._uow.memberships.for_student(student_id) if m.holds_on(on)
        )

    def children_of(self, guardian_id: GuardianId, on: date) -> frozenset[StudentId]:
        """Return the students linked to the guardian on ``on``."""
        return frozenset(
            link.student_id
            for link in self._uow.guardian_links.for_guardian(guardian_id)
            if link.holds_on(on)
        )
