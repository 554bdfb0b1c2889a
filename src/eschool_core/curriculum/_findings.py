"""Findings of the planning checks: what is wrong with a curriculum, a plan or a timetable."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.problems import Severity, problem_dict
from eschool_core.texts import Text

__all__ = ["FindingCode", "PlanFinding"]


class FindingCode(StrEnum):
    """Stable codes of the planning findings (curriculum, thematic plans, timetable)."""

    COMPONENT_OVER_LIMIT = "curriculum.component_over_limit"
    """A class's hours in a component exceed the parallel's maximum for it (R5.3e)."""
    SANITARY_OVER_LIMIT = "curriculum.sanitary_over_limit"
    """A class's weekly load exceeds the sanitary maximum for its grade and week (R5.3e)."""
    SUBJECT_WITHOUT_TEACHER = "curriculum.subject_without_teacher"
    """A subject has hours but no teacher (R5.3b)."""
    COMPONENT_NOT_IN_PROFILE = "curriculum.component_not_in_profile"
    """A class has hours in a component its parallel's profile does not include (R5.3d)."""
    GROUP_STUDENT_OUTSIDE_YEAR = "curriculum.group_student_outside_year"
    """A group has a student who belongs to no class of the year (R5.2)."""
    UNKNOWN_CLASS = "curriculum.unknown_class"
    """Hours are given for a class that is not a class of the year (R5.3f)."""
    UNKNOWN_SUBJECT = "curriculum.unknown_subject"
    """Hours are given for a subject that does not exist (R5.3a)."""
    PLAN_HOURS_MISMATCH = "plan.hours_mismatch"
    """A thematic plan's total differs from the curriculum's hours times weeks (R5.5)."""
    PLAN_NOT_IN_CURRICULUM = "plan.not_in_curriculum"
    """A thematic plan is for a class and subject the curriculum gives no hours (R5.5)."""
    TEACHER_DOUBLE_BOOKED = "timetable.teacher_double_booked"
    """A teacher has two lessons at the same time (R7.1)."""
    ROOM_DOUBLE_BOOKED = "timetable.room_double_booked"
    """A room hosts two lessons at the same time (R7.1)."""
    CLASS_DOUBLE_BOOKED = "timetable.class_double_booked"
    """A class (or a group of it) has two lessons at the same time (R7.1)."""
    HOURS_MISMATCH = "timetable.hours_mismatch"
    """The weekly lessons of a class and subject differ from the curriculum's hours (R7.4)."""
    BEFORE_CURRICULUM = "timetable.before_curriculum"
    """The timetable was entered before the curriculum was complete (R7.4)."""
    UNKNOWN_ROOM = "timetable.unknown_room"
    """An entry names a room that is not in the list of rooms (R7.5)."""
    ROOM_AFTER_TIMETABLE = "timetable.room_after_timetable"
    """A room was entered after the timetable (R7.5)."""
    NO_BELL_SCHEDULE = "timetable.no_bell_schedule"
    """No bell schedule of the class's shift covers an entry's lesson number (R7.5, R7.6)."""
    BELLS_AFTER_TIMETABLE = "timetable.bells_after_timetable"
    """The bell schedule used was entered after the timetable (R7.5)."""


def _details(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class PlanFinding:
    """One problem found in a curriculum, a thematic plan or a timetable.

    Attributes:
        code: What is wrong (a stable code).
        clause: The clause of the regulation (or of the sanitary rules) that is broken.
        requirement: The requirement id, e.g. ``"R5.3e"``.
        message: The message in Russian and English.
        entity_kind: The kind of the entity concerned (``"class"``, ``"subject"``, ...).
        entity_id: The id of the entity concerned.
        details: Structured facts (the hours, the limit, the clashing entries).

    >>> f = PlanFinding(code=FindingCode.SUBJECT_WITHOUT_TEACHER, clause="5.3",
    ...     requirement="R5.3b", message=Text("Нет учителя", "No teacher"),
    ...     entity_kind="subject", entity_id="math")
    >>> f.message.in_("en"), f.requirement
    ('No teacher', 'R5.3b')
    """

    code: FindingCode = attrs.field(converter=FindingCode)
    clause: str = attrs.field(validator=v.non_empty_text)
    requirement: str = attrs.field(validator=v.non_empty_text)
    message: Text = attrs.field(validator=attrs.validators.instance_of(Text))
    entity_kind: str = attrs.field(validator=v.non_empty_text)
    entity_id: str = attrs.field(validator=v.non_empty_text)
    details: Mapping[str, Any] = attrs.field(factory=dict, converter=_details)

    @property
    def severity(self) -> Severity:
        """Always :attr:`Severity.ERROR`: a plan that breaks a limit is to be corrected."""
        return Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form shared by every finding (docs/compliance.md)."""
        return problem_dict(
            code=self.code.value,
            clause=self.clause,
            requirement=self.requirement,
            severity=self.severity,
            message=self.message,
            entity_kind=self.entity_kind,
            entity_id=self.entity_id,
            details={key: str(value) for key, value in self.details.items()},
        )
