"""The repositories' query methods, written once for every store.

Each store's repository implements four primitives: ``_by(field, value)`` (the entities
whose ``field`` equals ``value``), ``_between(start, end)`` (the entities dated ``start`` to
``end``, both included, ordered by date), ``_students_between(student_ids, start, end)``
(the same for some students only) and ``_containing(field, value)`` (the entities whose
collection ``field`` holds ``value``). These mixins turn them into the query methods the
repository protocols name. Each registry entry lists its mixins
(:attr:`AggregateSpec.queries <eschool_core.storage.registry.AggregateSpec.queries>`), and
an adapter builds each repository class from its own base class and them; a host's own
adapter does the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Protocol

from eschool_core.curriculum import ThematicPlan
from eschool_core.ids import ClassId, EmployeeId, GroupId, GuardianId, LessonId, StudentId
from eschool_core.journal import Attendance, AttestationMark, Lesson, Mark
from eschool_core.movement import Order
from eschool_core.people import Consent, GuardianLink
from eschool_core.school import ClassMembership, TeachingAssignment

__all__ = [
    "AssignmentQueries",
    "AttendanceQueries",
    "AttestationMarkQueries",
    "ConsentQueries",
    "DateRangeQueries",
    "GuardianLinkQueries",
    "LessonQueries",
    "MarkQueries",
    "MembershipQueries",
    "OrderQueries",
    "StudentRangeQueries",
    "ThematicPlanQueries",
    "YearQueries",
]


class _Lookup(Protocol):
    def _by(self, field: str, value: object) -> list[Any]: ...

    def _between(self, start: date, end: date) -> list[Any]: ...

    def _students_between(
        self, students: Iterable[StudentId], start: date, end: date
    ) -> list[Any]: ...

    def _containing(self, field: str, value: object) -> list[Any]: ...


class GuardianLinkQueries:
    """Guardian links by student and by guardian."""

    def for_student(self: _Lookup, student_id: StudentId) -> Sequence[GuardianLink]:
        """Return the links of a student's guardians."""
        return self._by("student_id", student_id)

    def for_guardian(self: _Lookup, guardian_id: GuardianId) -> Sequence[GuardianLink]:
        """Return the links of a guardian to his children."""
        return self._by("guardian_id", guardian_id)


class ConsentQueries:
    """Consents by data subject."""

    def for_subject(self: _Lookup, subject_id: str) -> Sequence[Consent]:
        """Return the consents whose data subject is ``subject_id``."""
        return self._by("subject_id", subject_id)


class YearQueries:
    """Entities of one academic year (classes, groups, orders, planning records)."""

    def for_year(self: _Lookup, year: str) -> Sequence[Any]:
        """Return the entities of academic year ``year``."""
        return self._by("year", year)


class MembershipQueries:
    """Class memberships by class and by student."""

    def for_class(self: _Lookup, class_id: ClassId) -> Sequence[ClassMembership]:
        """Return the memberships of a class."""
        return self._by("class_id", class_id)

    def for_student(self: _Lookup, student_id: StudentId) -> Sequence[ClassMembership]:
        """Return the memberships of a student."""
        return self._by("student_id", student_id)


class AssignmentQueries:
    """Teaching assignments by teacher."""

    def for_teacher(self: _Lookup, teacher_id: EmployeeId) -> Sequence[TeachingAssignment]:
        """Return the assignments of a teacher."""
        return self._by("teacher_id", teacher_id)


class LessonQueries:
    """Lessons by class and by group (``between`` is each store's own)."""

    def for_class(self: _Lookup, class_id: ClassId) -> Sequence[Lesson]:
        """Return the lessons given to a class as a whole."""
        return self._by("class_id", class_id)

    def for_group(self: _Lookup, group_id: GroupId) -> Sequence[Lesson]:
        """Return the lessons given to a group."""
        return self._by("group_id", group_id)


class MarkQueries:
    """Current marks by student and by lesson."""

    def for_student(self: _Lookup, student_id: StudentId) -> Sequence[Mark]:
        """Return a student's marks."""
        return self._by("student_id", student_id)

    def for_lesson(self: _Lookup, lesson_id: LessonId) -> Sequence[Mark]:
        """Return the marks of a lesson."""
        return self._by("lesson_id", lesson_id)


class AttendanceQueries:
    """Attendance records by student and by lesson."""

    def for_student(self: _Lookup, student_id: StudentId) -> Sequence[Attendance]:
        """Return a student's attendance records."""
        return self._by("student_id", student_id)

    def for_lesson(self: _Lookup, lesson_id: LessonId) -> Sequence[Attendance]:
        """Return the attendance records of a lesson."""
        return self._by("lesson_id", lesson_id)


class AttestationMarkQueries:
    """Attestation marks by student."""

    def for_student(self: _Lookup, student_id: StudentId) -> Sequence[AttestationMark]:
        """Return a student's attestation marks."""
        return self._by("student_id", student_id)


class ThematicPlanQueries(YearQueries):
    """Thematic plans by year and by teacher."""

    def for_teacher(self: _Lookup, teacher_id: EmployeeId) -> Sequence[ThematicPlan]:
        """Return the plans of a teacher."""
        return self._by("teacher_id", teacher_id)


class DateRangeQueries:
    """Dated entities (lessons, marks, attendance) by a range of dates."""

    def between(self: _Lookup, start: date, end: date) -> Sequence[Any]:
        """Return the entities dated ``start`` to ``end``, both included, ordered by date.

        Those of one date come in no particular order; a range with ``start`` after ``end``
        is empty.
        """
        return self._between(start, end)


class StudentRangeQueries:
    """Dated entities of some students (marks, attendance) by a range of dates."""

    def for_students(
        self: _Lookup, student_ids: Iterable[StudentId], start: date, end: date
    ) -> Sequence[Any]:
        """Return the students' entities dated ``start`` to ``end``, both included, by date."""
        return self._students_between(student_ids, start, end)


class OrderQueries:
    """Movement orders by a student they name."""

    def for_student(self: _Lookup, student_id: StudentId) -> Sequence[Order]:
        """Return the orders that name a student."""
        return self._containing("student_ids", student_id)
