"""Opaque identifiers of the entities.

Ids are strings chosen by the host application (a UUID, a database key, a code from
another system). ``NewType`` keeps a student id from being passed where a class id is
expected, at no run-time cost.
"""

from __future__ import annotations

from typing import NewType

__all__ = [
    "AccountId",
    "AssignmentId",
    "AttendanceId",
    "AttestationMarkId",
    "BellScheduleId",
    "ClassId",
    "ConsentId",
    "CurriculumId",
    "EmployeeId",
    "EventId",
    "GroupId",
    "GuardianId",
    "GuardianLinkId",
    "LessonId",
    "MarkId",
    "MembershipId",
    "OrderId",
    "RoomId",
    "SchoolId",
    "StudentId",
    "SubjectId",
    "ThematicPlanId",
    "TimetableId",
]

SchoolId = NewType("SchoolId", str)
"""Id of a school."""
StudentId = NewType("StudentId", str)
"""Id of a student."""
GuardianId = NewType("GuardianId", str)
"""Id of a parent or legal guardian."""
GuardianLinkId = NewType("GuardianLinkId", str)
"""Id of a link between a guardian and a student."""
EmployeeId = NewType("EmployeeId", str)
"""Id of a staff member."""
ConsentId = NewType("ConsentId", str)
"""Id of a consent to personal-data processing."""
ClassId = NewType("ClassId", str)
"""Id of a class (e.g. 5А of 2025/2026)."""
MembershipId = NewType("MembershipId", str)
"""Id of a student's membership in a class."""
SubjectId = NewType("SubjectId", str)
"""Id of a subject."""
GroupId = NewType("GroupId", str)
"""Id of a subgroup or a cross-class group."""
AssignmentId = NewType("AssignmentId", str)
"""Id of a teaching assignment."""
LessonId = NewType("LessonId", str)
"""Id of a lesson."""
MarkId = NewType("MarkId", str)
"""Id of a current mark."""
AttendanceId = NewType("AttendanceId", str)
"""Id of an attendance record (an absence or a late arrival)."""
AttestationMarkId = NewType("AttestationMarkId", str)
"""Id of a period, annual, exam or final mark."""
OrderId = NewType("OrderId", str)
"""Id of a movement order."""
AccountId = NewType("AccountId", str)
"""Id of a user account."""
BellScheduleId = NewType("BellScheduleId", str)
"""Id of a bell schedule."""
CurriculumId = NewType("CurriculumId", str)
"""Id of a curriculum (учебный план) of an academic year."""
EventId = NewType("EventId", str)
"""Id of a school or class event."""
RoomId = NewType("RoomId", str)
"""Id of a room (кабинет)."""
ThematicPlanId = NewType("ThematicPlanId", str)
"""Id of a thematic plan (КТП)."""
TimetableId = NewType("TimetableId", str)
"""Id of a lesson timetable."""
