"""The repositories' query methods, written once for every store.

Each store's repository implements one primitive, ``_by(field, value)`` (the entities whose
``field`` equals ``value``); these mixins turn it into the query methods the protocols name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from eschool_core.curriculum import ThematicPlan
from eschool_core.ids import ClassId, EmployeeId, GroupId, GuardianId, LessonId, StudentId
from eschool_core.journal import Attendance, AttestationMark, Lesson, Mark
from eschool_core.people import Consent, GuardianLink
from eschool_core.school import ClassMembership, TeachingAssignment

__all__ = [
    "AssignmentQueries",
    "AttendanceQueries",
    "AttestationMarkQueries",
    "ConsentQueries",
    "GuardianLinkQueries",
    "LessonQueries",
    "MarkQueries",
    "MembershipQueries",
    "ThematicPlanQueries",
    "YearQueries",
]


class _Lookup(Protocol):
    def _by(self, field: str, value: object) -> list[Any]: ...


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
