"""The e-journal: lessons, current marks, attendance and attestation marks (R8.2).

Mark values follow the 5-point scale with the journal's special marks; see
:class:`MarkValue`. Every entry carries the timezone-aware moment it was entered, from
which the deadline rules (R8.6, R8.9) judge timeliness.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from fractions import Fraction
from functools import cache
from types import MappingProxyType
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.ids import (
    AttendanceId,
    AttestationMarkId,
    ClassId,
    EmployeeId,
    GroupId,
    LessonId,
    MarkId,
    StudentId,
    SubjectId,
)
from eschool_core.texts import Text

__all__ = [
    "FINAL_MARK_PARALLELS",
    "MAX_SCORE",
    "MIN_SCORE",
    "AbsenceReason",
    "Attachment",
    "Attendance",
    "AttendanceKind",
    "AttestationKind",
    "AttestationMark",
    "IndividualHomework",
    "Lesson",
    "LessonState",
    "Mark",
    "MarkEdit",
    "MarkKind",
    "MarkValue",
]


ATTENDANCE_CORRECTED_BEFORE_ENTERED = ErrorCode(
    "attendance.corrected_before_entered",
    ValidationError,
    Text(
        "Причина пропуска исправлена раньше, чем пропуск внесён",
        "The absence reason was corrected before the absence was entered",
    ),
    clause="8.5.1",
)

ATTESTATION_PERIOD = ErrorCode(
    "attestation.period",
    ValidationError,
    Text(
        "Период указывается для отметки за период, и только для неё",
        "A study period is given for a period mark, and only for it",
    ),
    clause="8.9",
)

_MARK_CODES = {
    code: ErrorCode(
        code,
        ValidationError,
        Text("Недопустимая отметка «{value}»: {reason}", "Invalid mark '{value}': {reason}"),
    )
    for code in (
        "mark.not_special",
        "mark.not_text",
        "mark.out_of_scale",
        "mark.special_with_score",
        "mark.unparseable",
    )
}

_ATTACHMENT_CODES = {
    code: ErrorCode(
        code,
        ValidationError,
        Text("Вложение: {what}, получено {value}", "Attachment: {what}, got {value}"),
        clause="8.2",
    )
    for code in ("attachment.media_type", "attachment.sha256")
}

_LESSON_CODES = {
    code: ErrorCode(
        code,
        ValidationError,
        Text("Урок {id}: {reason}", "Lesson {id}: {reason}"),
        clause="8.2",
    )
    for code in (
        "lesson.cancellation",
        "lesson.homework_details",
        "lesson.homework_due",
        "lesson.homework_moment",
        "lesson.substitute_moment",
        "lesson.target",
        "lesson.topic_moment",
    )
}

MARK_WEIGHT_NOT_POSITIVE = ErrorCode(
    "mark.weight_not_positive",
    ValidationError,
    Text(
        "Вес отметки должен быть положительным: {value}",
        "A mark's weight must be positive, got {value}",
    ),
)

MIN_SCORE = 1
"""The lowest mark of the 5-point scale."""
MAX_SCORE = 5
"""The highest mark of the 5-point scale."""


class MarkKind(StrEnum):
    """What a journal cell holds: a score or one of the special marks.

    The value is the written form used in Russian journals (``"н/а"``, ``"осв"``, ...).
    """

    SCORE = "score"
    """A number on the 5-point scale."""
    NOT_ATTESTED = "н/а"
    """Not attested: no number; counts in the denominators of class statistics."""
    EXEMPT = "осв"
    """Exempt (освобождён): excluded from every figure."""
    PASS = "зач"  # noqa: S105 - a mark, not a password
    """Pass (зачёт): never in averages."""
    FAIL = "незач"
    """Fail (незачёт): never in averages."""


_LAST_UNSATISFACTORY = 2
_UNSATISFACTORY_KINDS = frozenset((MarkKind.NOT_ATTESTED, MarkKind.FAIL))

_SPECIAL_SPELLINGS: Mapping[str, MarkKind] = MappingProxyType(
    {
        "н/а": MarkKind.NOT_ATTESTED,
        "на": MarkKind.NOT_ATTESTED,
        "осв": MarkKind.EXEMPT,
        "зач": MarkKind.PASS,
        "зачет": MarkKind.PASS,
        "зачёт": MarkKind.PASS,
        "незач": MarkKind.FAIL,
        "незачет": MarkKind.FAIL,
        "незачёт": MarkKind.FAIL,
    }
)


def _mark_error(text: object, reason_ru: str, reason_en: str, code: str) -> ValidationError:
    return _MARK_CODES[code].error(details={"value": str(text)}, reason=Text(reason_ru, reason_en))


@attrs.frozen
class MarkValue:
    """One journal mark: a score 1-5, or «н/а», «осв», «зач», «незач».

    Use :meth:`of` for a score and :meth:`parse` for the written form; a double mark
    such as «5/4» is two marks, see :meth:`parse_many`.

    Attributes:
        kind: Score or a special mark.
        score: The number for a score, ``None`` for a special mark.

    Raises:
        ValidationError: For a score outside 1-5 (code ``mark.out_of_scale``), or a score
            given for a special mark.

    >>> MarkValue.parse("5"), str(MarkValue.parse("Н/А"))
    (MarkValue(kind=<MarkKind.SCORE: 'score'>, score=5), 'н/а')
    """

    kind: MarkKind
    score: int | None = None

    def __attrs_post_init__(self) -> None:
        score: object = self.score
        if self.kind is MarkKind.SCORE:
            if (
                isinstance(score, bool)
                or not isinstance(score, int)
                or not MIN_SCORE <= score <= MAX_SCORE
            ):
                raise _mark_error(
                    self.score,
                    f"по пятибалльной шкале допустимы целые от {MIN_SCORE} до {MAX_SCORE}",
                    f"the 5-point scale allows whole numbers {MIN_SCORE} to {MAX_SCORE}",
                    "mark.out_of_scale",
                )
        elif self.score is not None:
            raise _mark_error(
                self.kind.value,
                "у специальной отметки нет числа",
                "a special mark has no number",
                "mark.special_with_score",
            )

    @classmethod
    def of(cls, score: int) -> MarkValue:
        """Return the mark for a score 1-5 (shared instances: marks are plentiful).

        Raises:
            ValidationError: If the score is outside 1-5.
        """
        raw: object = score
        if isinstance(raw, int) and not isinstance(raw, bool):
            return _score(raw)
        return cls(MarkKind.SCORE, score)

    @classmethod
    def special(cls, kind: MarkKind) -> MarkValue:
        """Return a special mark («н/а», «осв», «зач», «незач»).

        Raises:
            ValidationError: If ``kind`` is :attr:`MarkKind.SCORE`.
        """
        if MarkKind(kind) is MarkKind.SCORE:
            raise _mark_error(
                kind, "это не специальная отметка", "not a special mark", "mark.not_special"
            )
        return cls(MarkKind(kind))

    @classmethod
    def parse(cls, text: str) -> MarkValue:
        """Parse one mark from its written form: ``"4"``, ``"н/а"``, ``"осв"``, ``"зач"``.

        Case and surrounding spaces are ignored; «зачёт», «незачет» are accepted too.

        Raises:
            ValidationError: For anything else, including a double mark (use
                :meth:`parse_many`).
        """
        raw: object = text
        if not isinstance(raw, str):
            raise _mark_error(text, "ожидалась строка", "a string is expected", "mark.not_text")
        cleaned = raw.strip().lower()
        if cleaned.isdigit():
            return cls.of(int(cleaned))
        kind = _SPECIAL_SPELLINGS.get(cleaned)
        if kind is None:
            raise _mark_error(
                text,
                "ожидалось число 1-5 или «н/а», «осв», «зач», «незач»",
                "expected a number 1-5 or «н/а», «осв», «зач», «незач»",
                "mark.unparseable",
            )
        return cls(kind)

    @classmethod
    def parse_many(cls, text: str) -> tuple[MarkValue, ...]:
        """Parse a cell that may hold a double mark: ``"5/4"`` gives two independent marks.

        Raises:
            ValidationError: If any part is not a mark.

        >>> [str(mark) for mark in MarkValue.parse_many("5/4")]
        ['5', '4']
        """
        raw: object = text
        cleaned = raw.strip().lower() if isinstance(raw, str) else ""
        if cleaned in _SPECIAL_SPELLINGS:
            return (cls.parse(cleaned),)
        if not cleaned:
            raise _mark_error(text, "пустое значение", "empty value", "mark.unparseable")
        return tuple(cls.parse(part) for part in cleaned.split("/"))

    @property
    def is_score(self) -> bool:
        """Whether the mark is a number on the scale."""
        return self.kind is MarkKind.SCORE

    @property
    def unsatisfactory(self) -> bool:
        """Whether the mark leaves an academic debt: «2», «1», «н/а» or «незач» (R10.1c).

        >>> [MarkValue.parse(t).unsatisfactory for t in ("2", "3", "н/а", "зач", "осв")]
        [True, False, True, False, False]
        """
        if self.score is not None:
            return self.score <= _LAST_UNSATISFACTORY
        return self.kind in _UNSATISFACTORY_KINDS

    def __str__(self) -> str:
        return str(self.score) if self.kind is MarkKind.SCORE else self.kind.value


@cache
def _score(score: int) -> MarkValue:
    return MarkValue(MarkKind.SCORE, score)


def _to_mark_value(value: object) -> MarkValue:
    if isinstance(value, MarkValue):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return MarkValue.of(value)
    if isinstance(value, str):
        return MarkValue.parse(value)
    raise _mark_error(value, "неизвестный тип значения", "unknown value type", "mark.not_text")


def _positive_weight(
    _instance: object, _attribute: attrs.Attribute[Any], value: Fraction | None
) -> None:
    if value is not None and value <= 0:
        raise MARK_WEIGHT_NOT_POSITIVE.error(value=str(value))


@attrs.frozen(kw_only=True)
class MarkEdit:
    """One correction of a mark: who changed what, when and why.

    Attributes:
        at: When the correction was entered (timezone-aware).
        by: Who entered it (an employee id).
        old_value: The value before.
        new_value: The value after.
        reason: The stated reason (required after the edit window, see the deadlines rules).
        role: The role code the correction was made under (``"deputy_head"`` for a
            correction in a closed period, R8.9); the write service records it, ``None``
            when unknown.
    """

    at: dt.datetime = attrs.field(validator=v.aware_datetime)
    by: EmployeeId = attrs.field(validator=v.non_empty_text)
    old_value: MarkValue = attrs.field(converter=_to_mark_value)
    new_value: MarkValue = attrs.field(converter=_to_mark_value)
    reason: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    role: str | None = attrs.field(default=None, converter=v.strip_optional_text)


@attrs.frozen(kw_only=True)
class Mark:
    """A current mark in the journal (R8.2, R8.4.1).

    Attributes:
        id: Id of the mark.
        student_id: The student.
        subject_id: The subject.
        date: The day of the lesson the mark is for.
        lesson_id: The lesson, when the mark belongs to one.
        value: The mark (see :class:`MarkValue`); ints and written forms are converted.
        work_type: Code of the work type in the profile (e.g. ``"test"``).
        weight: The mark's own weight, overriding the work type's; ``None`` uses the
            profile's weight. Exact (``Fraction``); floats are rejected.
        author_id: The teacher who entered it.
        entered_at: When it was entered (timezone-aware).
        late_reason: The valid reason for a late entry (R8.6), if one was stated.
        edits: Corrections, oldest first.

    Raises:
        ValidationError: For a value off the scale, a non-positive or inexact weight, an
            empty work type, a naive ``entered_at``.
    """

    id: MarkId = attrs.field(validator=v.non_empty_text)
    student_id: StudentId = attrs.field(validator=v.non_empty_text)
    subject_id: SubjectId = attrs.field(validator=v.non_empty_text)
    date: dt.date = attrs.field(validator=v.plain_date)
    value: MarkValue = attrs.field(converter=_to_mark_value)
    work_type: str = attrs.field(validator=v.non_empty_text)
    author_id: EmployeeId = attrs.field(validator=v.non_empty_text)
    entered_at: dt.datetime = attrs.field(validator=v.aware_datetime)
    lesson_id: LessonId | None = None
    weight: Fraction | None = attrs.field(
        default=None, converter=v.to_optional_fraction, validator=_positive_weight
    )
    late_reason: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    edits: tuple[MarkEdit, ...] = attrs.field(default=(), converter=v.to_tuple)


class LessonState(StrEnum):
    """Whether a lesson took place."""

    HELD = "held"
    CANCELLED = "cancelled"


@attrs.frozen(kw_only=True)
class IndividualHomework:
    """Homework for one student (R8.2).

    Attributes:
        student_id: The student.
        text: The assignment.
    """

    student_id: StudentId = attrs.field(validator=v.non_empty_text)
    text: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)


_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _attachment_field(
    pattern: re.Pattern[str], code: str, what_ru: str, what_en: str
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or pattern.fullmatch(value) is None:
            raise _ATTACHMENT_CODES[code].error(
                details={}, what=Text(what_ru, what_en), value=repr(value)
            )

    return check


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


@attrs.frozen(kw_only=True)
class Attachment:
    """A reference to a file attached to homework; the bytes stay with the host (R8.2).

    Attributes:
        name: The file name shown to students (``"задание.pdf"``).
        size_bytes: Its size in bytes.
        media_type: Its media type (``"application/pdf"``), lower case.
        sha256: The SHA-256 digest of its bytes, 64 lower-case hex digits.

    Raises:
        ValidationError: For an empty name, a negative size, or a malformed media type or
            digest.

    >>> Attachment(name="задание.pdf", size_bytes=1024, media_type="Application/PDF",
    ...     sha256="ab" * 32).media_type
    'application/pdf'
    """

    name: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    size_bytes: int = attrs.field(validator=v.int_in_range(0, 2**53, "attachment.size"))
    media_type: str = attrs.field(
        converter=_lower,
        validator=_attachment_field(
            _MEDIA_TYPE, "attachment.media_type", "тип вида «type/subtype»", "a 'type/subtype'"
        ),
    )
    sha256: str = attrs.field(
        converter=_lower,
        validator=_attachment_field(
            _SHA256, "attachment.sha256", "64 шестнадцатеричные цифры", "64 hex digits"
        ),
    )


@attrs.frozen(kw_only=True)
class Lesson:
    """A lesson in the journal (R8.2, R8.4.2).

    Attributes:
        id: Id of the lesson.
        date: The day of the lesson.
        number: Number of the lesson in the day (1-12).
        subject_id: The subject.
        teacher_id: The teacher of the timetable.
        class_id: The class taught (exactly one of class and group).
        group_id: The subgroup or cross-class group taught.
        substitute_id: The substituting teacher, if any; the lesson is then his (R7.7d).
        topic: The lesson topic.
        material: The material covered.
        work_types: Codes of the work types done in the lesson.
        homework: General homework.
        individual_homework: Homework for individual students.
        state: Held or cancelled.
        topic_entered_at: When the topic was entered (timezone-aware).
        homework_entered_at: When the homework was entered (timezone-aware).
        substitute_entered_at: When the substitution was entered.
        cancelled_at: When the cancellation was entered.
        late_reason: A valid reason for late entries of this lesson (R8.6).
        homework_due_lesson_id: The lesson the homework is due for (a later lesson of the
            same subject), if given.
        homework_attachments: Files attached to the homework, by reference.

    Raises:
        ValidationError: Unless exactly one of class and group is given; if an entry moment
            is naive or given without its entry; if a cancelled lesson has no cancellation
            moment.
    """

    id: LessonId = attrs.field(validator=v.non_empty_text)
    date: dt.date = attrs.field(validator=v.plain_date)
    number: int = attrs.field(validator=v.int_in_range(1, 12, "lesson.number"))
    subject_id: SubjectId = attrs.field(validator=v.non_empty_text)
    teacher_id: EmployeeId = attrs.field(validator=v.non_empty_text)
    class_id: ClassId | None = None
    group_id: GroupId | None = None
    substitute_id: EmployeeId | None = None
    topic: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    material: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    work_types: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple)
    homework: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    individual_homework: tuple[IndividualHomework, ...] = attrs.field(
        default=(), converter=v.to_tuple
    )
    state: LessonState = attrs.field(default=LessonState.HELD, converter=LessonState)
    topic_entered_at: dt.datetime | None = attrs.field(
        default=None, validator=v.optional_aware_datetime
    )
    homework_entered_at: dt.datetime | None = attrs.field(
        default=None, validator=v.optional_aware_datetime
    )
    substitute_entered_at: dt.datetime | None = attrs.field(
        default=None, validator=v.optional_aware_datetime
    )
    cancelled_at: dt.datetime | None = attrs.field(
        default=None, validator=v.optional_aware_datetime
    )
    late_reason: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    homework_due_lesson_id: LessonId | None = attrs.field(default=None, validator=v.optional_text)
    homework_attachments: tuple[Attachment, ...] = attrs.field(default=(), converter=v.to_tuple)

    def __attrs_post_init__(self) -> None:
        problems = []
        if self.homework_due_lesson_id == self.id:
            problems.append(
                (
                    "lesson.homework_due",
                    "задание задано к этому же уроку",
                    "homework due for itself",
                )
            )
        if (self.homework_due_lesson_id is not None or self.homework_attachments) and (
            not self.has_homework
        ):
            problems.append(
                (
                    "lesson.homework_details",
                    "срок или вложения без задания",
                    "a due lesson or attachments without homework",
                )
            )
        if (self.class_id is None) == (self.group_id is None):
            problems.append(("lesson.target", "класс или группа", "a class or a group"))
        if self.topic_entered_at is not None and self.topic is None:
            problems.append(("lesson.topic_moment", "тема не указана", "no topic was entered"))
        if self.homework_entered_at is not None and not self.has_homework:
            problems.append(
                ("lesson.homework_moment", "задание не указано", "no homework was entered")
            )
        if self.substitute_entered_at is not None and self.substitute_id is None:
            problems.append(
                ("lesson.substitute_moment", "замена не указана", "no substitute was given")
            )
        if (self.state is LessonState.CANCELLED) != (self.cancelled_at is not None):
            problems.append(
                (
                    "lesson.cancellation",
                    "отменённый урок требует момента отмены, и только он",
                    "a cancelled lesson, and only one, has a cancellation moment",
                )
            )
        if problems:
            code, ru, en = problems[0]
            raise _LESSON_CODES[code].error(details={"id": self.id}, reason=Text(ru, en))

    @property
    def has_homework(self) -> bool:
        """Whether general or individual homework is given."""
        return self.homework is not None or bool(self.individual_homework)

    @property
    def responsible_teacher_id(self) -> EmployeeId:
        """The teacher who answers for the lesson's entries: the substitute, if any."""
        return self.substitute_id or self.teacher_id

    @property
    def is_held(self) -> bool:
        """Whether the lesson took place (a cancelled lesson needs no entries)."""
        return self.state is LessonState.HELD


class AttendanceKind(StrEnum):
    """An absence («н») or a late arrival («оп»)."""

    ABSENT = "absent"
    LATE = "late"


class AbsenceReason(StrEnum):
    """The reason category of an absence, as the journal codes it."""

    ILLNESS = "illness"
    """Illness (Б), with a medical document."""
    VALID = "valid"
    """Another valid reason (УП), e.g. a family application or a competition."""
    UNEXCUSED = "unexcused"
    """No valid reason (НП)."""
    UNKNOWN = "unknown"
    """Not yet known (Н): the class teacher corrects it when a document comes (R8.5.1)."""

    @property
    def is_valid(self) -> bool:
        """Whether the reason excuses the absence."""
        return self in (AbsenceReason.ILLNESS, AbsenceReason.VALID)


@attrs.frozen(kw_only=True)
class Attendance:
    """An absence or late arrival of a student at a lesson (R8.2, R8.5.1).

    Attributes:
        id: Id of the record.
        student_id: The student.
        lesson_id: The lesson.
        date: The day of the lesson.
        kind: Absent or late.
        reason: The reason category.
        entered_by: Who entered it.
        entered_at: When it was entered (timezone-aware).
        document_presented_on: The day the student presented a supporting document.
        reason_corrected_at: When the class teacher corrected the reason (R8.5.1).
        late_reason: A valid reason for a late entry (R8.6).

    Raises:
        ValidationError: For naive moments, or a correction before the entry.
    """

    id: AttendanceId = attrs.field(validator=v.non_empty_text)
    student_id: StudentId = attrs.field(validator=v.non_empty_text)
    lesson_id: LessonId = attrs.field(validator=v.non_empty_text)
    date: dt.date = attrs.field(validator=v.plain_date)
    kind: AttendanceKind = attrs.field(converter=AttendanceKind)
    reason: AbsenceReason = attrs.field(converter=AbsenceReason)
    entered_by: EmployeeId = attrs.field(validator=v.non_empty_text)
    entered_at: dt.datetime = attrs.field(validator=v.aware_datetime)
    document_presented_on: dt.date | None = attrs.field(
        default=None, validator=v.optional_plain_date
    )
    reason_corrected_at: dt.datetime | None = attrs.field(
        default=None, validator=v.optional_aware_datetime
    )
    late_reason: str | None = attrs.field(default=None, converter=v.strip_optional_text)

    def __attrs_post_init__(self) -> None:
        if self.reason_corrected_at is not None and self.reason_corrected_at < self.entered_at:
            raise ATTENDANCE_CORRECTED_BEFORE_ENTERED.error(id=self.id)


class AttestationKind(StrEnum):
    """The kind of an attestation mark (R8.4.1, R8.9)."""

    PERIOD = "period"
    """For a study period: quarter, trimester or half-year."""
    ANNUAL = "annual"
    """For the year."""
    EXAM = "exam"
    """For the state final examination (grades 9 and 11)."""
    FINAL = "final"
    """The final (certificate) mark."""


FINAL_MARK_PARALLELS = frozenset({9, 11})
"""The grades whose students get final (certificate) marks: 9, the end of basic general
education, and 11, the end of secondary general education (273-FZ art. 59)."""


@attrs.frozen(kw_only=True)
class AttestationMark:
    """A period, annual, exam or final mark (R8.4.1, R8.7, R8.8, R8.9).

    Attributes:
        id: Id of the mark.
        student_id: The student.
        subject_id: The subject.
        year: Academic year label.
        kind: Period, annual, exam or final.
        period: Code of the study period (e.g. ``"Q2"``) for a period mark, else ``None``.
        value: The mark; special marks («н/а», «осв», «зач») are allowed.
        author_id: Who set it.
        entered_at: When it was set (timezone-aware).
        edits: Corrections, oldest first.

    Raises:
        ValidationError: If a period mark has no period, or another kind has one.
    """

    id: AttestationMarkId = attrs.field(validator=v.non_empty_text)
    student_id: StudentId = attrs.field(validator=v.non_empty_text)
    subject_id: SubjectId = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    kind: AttestationKind = attrs.field(converter=AttestationKind)
    value: MarkValue = attrs.field(converter=_to_mark_value)
    author_id: EmployeeId = attrs.field(validator=v.non_empty_text)
    entered_at: dt.datetime = attrs.field(validator=v.aware_datetime)
    period: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    edits: tuple[MarkEdit, ...] = attrs.field(default=(), converter=v.to_tuple)

    def __attrs_post_init__(self) -> None:
        if (self.kind is AttestationKind.PERIOD) != (self.period is not None):
            raise ATTESTATION_PERIOD.error(id=self.id, kind=self.kind.value)
