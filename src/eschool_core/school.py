"""The school and its structure: classes, subjects, groups, memberships, teaching assignments."""

from __future__ import annotations

import zoneinfo
from datetime import date
from enum import StrEnum
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.ids import (
    AssignmentId,
    ClassId,
    EmployeeId,
    GroupId,
    MembershipId,
    SchoolId,
    StudentId,
    SubjectId,
)
from eschool_core.texts import Text

__all__ = [
    "Accreditation",
    "ClassMembership",
    "EducationLevel",
    "Group",
    "GroupKind",
    "Licence",
    "School",
    "SchoolClass",
    "Subject",
    "TeachingAssignment",
    "level_of_parallel",
]


ASSIGNMENT_ENDS_BEFORE_START = ErrorCode(
    "assignment.ends_before_start",
    ValidationError,
    Text(
        "Назначение учителя заканчивается раньше, чем начинается",
        "A teaching assignment cannot end before it starts",
    ),
)

ASSIGNMENT_TARGET = ErrorCode(
    "assignment.target",
    ValidationError,
    Text(
        "Назначение учителя указывает либо класс, либо группу",
        "A teaching assignment names either a class or a group, not both or neither",
    ),
)

CLASS_INVALID_LETTER = ErrorCode(
    "class.invalid_letter",
    ValidationError,
    Text(
        "Литера класса должна состоять из 1-3 букв: «{value}»",
        "A class letter must be 1-3 letters, got '{value}'",
    ),
)

CLASS_PARALLEL_OUT_OF_RANGE = ErrorCode(
    "class.parallel_out_of_range",
    ValidationError,
    Text(
        "Параллель должна быть от 1 до 11: {value}",
        "A parallel (grade) must be from 1 to 11, got {value}",
    ),
    clause="8.1",
)

GROUP_CLASSES = ErrorCode(
    "group.classes",
    ValidationError,
    Text(
        "Подгруппа относится ровно к одному классу, межклассная группа — к одному или нескольким",
        "A subgroup belongs to exactly one class, a cross-class group to one or more",
    ),
    clause="5.3",
)

MEMBERSHIP_ENDS_BEFORE_START = ErrorCode(
    "membership.ends_before_start",
    ValidationError,
    Text(
        "Членство в классе заканчивается раньше, чем начинается",
        "A class membership cannot end before it starts",
    ),
)


@attrs.frozen(kw_only=True)
class Licence:
    """The licence for educational activity (R2.2a).

    Attributes:
        number: Registration number of the licence.
        issued_on: Date of issue.
        issued_by: The licensing authority.
    """

    number: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    issued_on: date = attrs.field(validator=v.plain_date)
    issued_by: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)


@attrs.frozen(kw_only=True)
class Accreditation:
    """The state accreditation (R2.2a).

    Attributes:
        number: Registration number of the certificate.
        issued_on: Date of issue.
        valid_until: Last day of validity; ``None`` for an indefinite accreditation.
    """

    number: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    issued_on: date = attrs.field(validator=v.plain_date)
    valid_until: date | None = attrs.field(default=None, validator=v.optional_plain_date)


@attrs.frozen(kw_only=True)
class School:
    """The school profile (R2.2a).

    Attributes:
        id: The host's id of the school.
        name: Full official name.
        short_name: Short name for headers of printed reports.
        district: Municipal district.
        region: Region (subject of the Russian Federation).
        time_zone: IANA time zone in which "the day of the lesson" is judged: the one zone
            of the school, which the write service and the compliance checker both use (a
            new school takes its profile's, :meth:`Profile.new_school
            <eschool_core.profiles.Profile.new_school>`).
        week_days: School week length, 5 or 6 days (the default for classes).
        licence: The licence, if recorded.
        accreditation: The accreditation, if recorded.
        director: The director's name for certification lines of printed documents.

    Raises:
        ValidationError: For an empty name, an unknown time zone, or a week other than 5 or 6.
    """

    id: SchoolId = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    short_name: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    district: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    region: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    time_zone: str = attrs.field(validator=v.time_zone)
    week_days: int = attrs.field(default=5, validator=v.int_in_range(5, 6, "school.week_days"))
    licence: Licence | None = None
    accreditation: Accreditation | None = None
    director: str | None = attrs.field(default=None, converter=v.strip_optional_text)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The school's time zone as a ``ZoneInfo``."""
        return zoneinfo.ZoneInfo(self.time_zone)


class EducationLevel(StrEnum):
    """Level of general education (R8.1): primary 1-4, basic 5-9, secondary 10-11."""

    PRIMARY = "primary"
    BASIC = "basic"
    SECONDARY = "secondary"


def level_of_parallel(parallel: int) -> EducationLevel:
    """Return the level of education of a parallel (grade) 1-11.

    Raises:
        ValidationError: If the parallel is outside 1-11.

    >>> level_of_parallel(4), level_of_parallel(5), level_of_parallel(10)
    (<EducationLevel.PRIMARY: 'primary'>, <EducationLevel.BASIC: 'basic'>, \
<EducationLevel.SECONDARY: 'secondary'>)
    """
    raw: object = parallel
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 11:
        raise CLASS_PARALLEL_OUT_OF_RANGE.error(value=repr(parallel))
    if parallel <= 4:
        return EducationLevel.PRIMARY
    if parallel <= 9:
        return EducationLevel.BASIC
    return EducationLevel.SECONDARY


def _parallel(_instance: object, _attribute: attrs.Attribute[Any], value: int) -> None:
    level_of_parallel(value)


def _class_letter(_instance: object, _attribute: attrs.Attribute[Any], value: str) -> None:
    if not value or len(value) > 3 or not value.isalpha():
        raise CLASS_INVALID_LETTER.error(value=value)


def _upper(value: str) -> str:
    raw: object = value
    return raw.strip().upper() if isinstance(raw, str) else value


@attrs.frozen(kw_only=True)
class SchoolClass:
    """A class of one academic year: parallel 1-11 and letter, e.g. 5А of 2025/2026.

    Attributes:
        id: The host's id of the class.
        year: Academic year label, ``"2025/2026"``.
        parallel: Grade, 1-11 (R8.1).
        letter: Letter(s), e.g. ``"А"``.
        class_teacher_id: The class teacher (классный руководитель), if assigned.
        shift: School shift, 1 or 2.
        week_days: School week, 5 or 6 days; ``None`` takes the school's.
        capacity: The most students the class may hold; ``None`` takes the profile's.

    Raises:
        ValidationError: For a parallel outside 1-11, a bad letter, shift or year label.

    >>> SchoolClass(id="c1", year="2025/2026", parallel=5, letter="а").name
    '5А'
    """

    id: ClassId = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    parallel: int = attrs.field(validator=_parallel)
    letter: str = attrs.field(converter=_upper, validator=_class_letter)
    class_teacher_id: EmployeeId | None = None
    shift: int = attrs.field(default=1, validator=v.int_in_range(1, 2, "class.shift"))
    week_days: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(v.int_in_range(5, 6, "class.week_days")),
    )
    capacity: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(v.int_in_range(1, 60, "class.capacity")),
    )

    @property
    def name(self) -> str:
        """The class name as schools write it: ``"5А"``."""
        return f"{self.parallel}{self.letter}"

    @property
    def level(self) -> EducationLevel:
        """Level of education, derived from the parallel."""
        return level_of_parallel(self.parallel)

    @property
    def is_primary(self) -> bool:
        """Whether the class is in grades 1-4 (R8.7b, R8.8)."""
        return self.level is EducationLevel.PRIMARY


@attrs.frozen(kw_only=True)
class Subject:
    """A subject of the curriculum.

    Attributes:
        id: The host's id of the subject.
        name: Full name, e.g. ``"Русский язык"``.
        short_name: Abbreviation for narrow report columns, e.g. ``"Рус. яз."``.
        order: Position in the printed journal and in reports (R5.3c); lower comes first.
    """

    id: SubjectId = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    short_name: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    order: int = attrs.field(default=0, validator=v.int_in_range(0, 10_000, "subject.order"))


class GroupKind(StrEnum):
    """A subgroup of one class, or a group of students of several classes (ИУП, R5.2)."""

    SUBGROUP = "subgroup"
    CROSS_CLASS = "cross_class"


@attrs.frozen(kw_only=True)
class Group:
    """A subgroup of a class for a subject, or a cross-class group (R5.2, R5.3a).

    Attributes:
        id: The host's id of the group.
        year: Academic year label.
        subject_id: The subject taught to the group.
        name: Name, e.g. ``"5А, англ., 1 гр."``.
        kind: Subgroup (one class) or cross-class.
        class_ids: The classes its students come from (exactly one for a subgroup).
        student_ids: The students of the group.
        level: Mastery level for an individual curriculum (ИУП), e.g. ``"углублённый"``.

    Raises:
        ValidationError: If a subgroup names other than one class, or no class is named.
    """

    id: GroupId = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    subject_id: SubjectId = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    kind: GroupKind = attrs.field(converter=GroupKind)
    class_ids: tuple[ClassId, ...] = attrs.field(converter=v.to_ids)
    student_ids: frozenset[StudentId] = attrs.field(factory=frozenset, converter=v.to_id_set)
    level: str | None = attrs.field(default=None, converter=v.strip_optional_text)

    @class_ids.validator
    def _check_classes(
        self, _attribute: attrs.Attribute[tuple[ClassId, ...]], value: tuple[ClassId, ...]
    ) -> None:
        if not value or (self.kind is GroupKind.SUBGROUP and len(value) != 1):
            raise GROUP_CLASSES.error(id=self.id)


@attrs.frozen(kw_only=True)
class ClassMembership:
    """A student's membership of a class over a date range (what the movement book yields).

    Attributes:
        id: Id of the membership.
        student_id: The student.
        class_id: The class.
        since: First day in the class.
        until: Last day in the class; ``None`` while the student stays.

    Raises:
        ValidationError: If ``until`` is before ``since``.
    """

    id: MembershipId = attrs.field(validator=v.non_empty_text)
    student_id: StudentId = attrs.field(validator=v.non_empty_text)
    class_id: ClassId = attrs.field(validator=v.non_empty_text)
    since: date = attrs.field(validator=v.plain_date)
    until: date | None = attrs.field(default=None, validator=v.optional_plain_date)

    @until.validator
    def _check_until(self, _attribute: attrs.Attribute[date | None], value: date | None) -> None:
        if value is not None and value < self.since:
            raise MEMBERSHIP_ENDS_BEFORE_START.error(id=self.id)

    def holds_on(self, day: date) -> bool:
        """Return whether the student is in the class on ``day``."""
        return self.since <= day and (self.until is None or day <= self.until)


@attrs.frozen(kw_only=True)
class TeachingAssignment:
    """A teacher teaching a subject to a class or a group in an academic year (R4.6, R5.3b).

    Attributes:
        id: Id of the assignment.
        teacher_id: The teacher.
        year: Academic year label.
        subject_id: The subject.
        class_id: The class taught (exactly one of ``class_id`` and ``group_id``).
        group_id: The group taught.
        since: First day of the assignment within the year (``None``: the year's start).
        until: Last day of the assignment (``None``: the year's end).

    Raises:
        ValidationError: Unless exactly one of class and group is given, or if the dates
            are reversed.
    """

    id: AssignmentId = attrs.field(validator=v.non_empty_text)
    teacher_id: EmployeeId = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    subject_id: SubjectId = attrs.field(validator=v.non_empty_text)
    class_id: ClassId | None = None
    group_id: GroupId | None = None
    since: date | None = attrs.field(default=None, validator=v.optional_plain_date)
    until: date | None = attrs.field(default=None, validator=v.optional_plain_date)

    def __attrs_post_init__(self) -> None:
        if (self.class_id is None) == (self.group_id is None):
            raise ASSIGNMENT_TARGET.error(id=self.id)
        if self.since is not None and self.until is not None and self.until < self.since:
            raise ASSIGNMENT_ENDS_BEFORE_START.error(id=self.id)

    def holds_on(self, day: date) -> bool:
        """Return whether the assignment holds on ``day`` (within its own dates)."""
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )
