"""The rows of the journal: lessons, marks, attendance and attestation marks."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from eschool_core._validation import check_year_label
from eschool_core.errors import ValidationError
from eschool_core.journal import (
    AbsenceReason,
    Attachment,
    Attendance,
    AttendanceKind,
    AttestationKind,
    AttestationMark,
    IndividualHomework,
    Lesson,
    LessonState,
    Mark,
    MarkEdit,
    MarkValue,
)
from eschool_core.storage.rows._builder import EntityBuilder
from eschool_core.storage.rows._layout import (
    _D,
    _I,
    _ID,
    _L,
    _M,
    _T,
    _YEAR,
    Aggregate,
    Row,
    _aggregate,
    _col,
    _zipped,
)
from eschool_core.storage.rows._trusted import (
    CheckedTexts,
    StoredDates,
    each_from_stored,
    is_checked_text,
    optional_stored_moment,
    optional_stored_text,
    stored_moment,
    trusted_constructor,
)

__all__ = ["AGGREGATES"]


_EDITS = _col(
    "edits",
    _L,
    "Corrections, oldest first: objects with `at` (ISO 8601 moment with offset), `by` "
    "(employee id), `old_value`, `new_value` (written marks), `reason` (or null) and, when "
    "known, `role` (the role code the correction was made under).",
)

_MARK_VALUE = _col("value", _T, "The mark as written: `1`-`5`, `н/а`, `осв`, `зач`, `незач`.")


def _edits_row(edits: Sequence[MarkEdit]) -> list[dict[str, Any]]:
    if not edits:
        return []
    return [_edit_row(edit) for edit in edits]


def _edit_row(edit: MarkEdit) -> dict[str, Any]:
    row: dict[str, Any] = {
        "at": edit.at.isoformat(),
        "by": edit.by,
        "old_value": str(edit.old_value),
        "new_value": str(edit.new_value),
        "reason": edit.reason,
    }
    if edit.role is not None:
        row["role"] = edit.role
    return row


def _edits(items: Sequence[Mapping[str, Any]]) -> tuple[MarkEdit, ...]:
    if not items:
        return ()
    return tuple(
        MarkEdit(
            at=dt.datetime.fromisoformat(item["at"]),
            by=item["by"],
            old_value=item["old_value"],
            new_value=item["new_value"],
            reason=item.get("reason"),
            role=item.get("role"),
        )
        for item in items
    )


def _value(text: str) -> MarkValue:
    return MarkValue.parse(text)


def _stored_value(text: object) -> object:
    """The written mark, left for the entity's converter (remembered) to parse.

    A value that is not text is refused as :meth:`MarkValue.parse` refuses it.
    """
    return text if type(text) is str else _value(text)  # type: ignore[arg-type]


def _weight(numerator: int | None, denominator: int | None) -> Fraction | None:
    if numerator is None and denominator is None:
        return None
    if numerator is None or not denominator:
        raise ValidationError(
            "Вес отметки задаётся числителем и ненулевым знаменателем",
            "A mark's weight needs a numerator and a non-zero denominator",
            code="mark.weight_incomplete",
            details={"field": "weight_den" if numerator is not None else "weight_num"},
        )
    return Fraction(numerator, denominator)


def _lesson_row(lesson: Lesson) -> Row:
    return {
        "id": lesson.id,
        "date": lesson.date,
        "number": lesson.number,
        "subject_id": lesson.subject_id,
        "teacher_id": lesson.teacher_id,
        "class_id": lesson.class_id,
        "group_id": lesson.group_id,
        "substitute_id": lesson.substitute_id,
        "topic": lesson.topic,
        "material": lesson.material,
        "work_types": list(lesson.work_types),
        "homework": lesson.homework,
        "individual_homework": [
            {"student_id": item.student_id, "text": item.text}
            for item in lesson.individual_homework
        ],
        "state": lesson.state.value,
        "topic_entered_at": lesson.topic_entered_at,
        "homework_entered_at": lesson.homework_entered_at,
        "substitute_entered_at": lesson.substitute_entered_at,
        "cancelled_at": lesson.cancelled_at,
        "late_reason": lesson.late_reason,
        "homework_due_lesson_id": lesson.homework_due_lesson_id,
        "homework_attachments": [
            {
                "name": item.name,
                "size_bytes": item.size_bytes,
                "media_type": item.media_type,
                "sha256": item.sha256,
            }
            for item in lesson.homework_attachments
        ],
    }


def _lesson(row: Mapping[str, Any]) -> Lesson:
    return Lesson(
        id=row["id"],
        date=row["date"],
        number=row["number"],
        subject_id=row["subject_id"],
        teacher_id=row["teacher_id"],
        class_id=row["class_id"],
        group_id=row["group_id"],
        substitute_id=row["substitute_id"],
        topic=row["topic"],
        material=row["material"],
        work_types=row["work_types"],
        homework=row["homework"],
        individual_homework=[
            IndividualHomework(student_id=item["student_id"], text=item["text"])
            for item in row["individual_homework"]
        ],
        state=row["state"],
        topic_entered_at=row["topic_entered_at"],
        homework_entered_at=row["homework_entered_at"],
        substitute_entered_at=row["substitute_entered_at"],
        cancelled_at=row["cancelled_at"],
        late_reason=row["late_reason"],
        homework_due_lesson_id=row["homework_due_lesson_id"],
        homework_attachments=[
            Attachment(
                name=item["name"],
                size_bytes=item["size_bytes"],
                media_type=item["media_type"],
                sha256=item["sha256"],
            )
            for item in row["homework_attachments"]
        ],
    )


def _mark_values(mark: Mark) -> tuple[Any, ...]:
    weight = mark.weight
    return (
        mark.id,
        mark.student_id,
        mark.subject_id,
        mark.date,
        mark.lesson_id,
        str(mark.value),
        mark.work_type,
        None if weight is None else weight.numerator,
        None if weight is None else weight.denominator,
        mark.author_id,
        mark.entered_at,
        mark.late_reason,
        _edits_row(mark.edits),
    )


_MARK = EntityBuilder(Mark, unique=("id",)).build
_ATTENDANCE = EntityBuilder(Attendance, unique=("id",)).build
_ATTESTATION_MARK = EntityBuilder(AttestationMark, unique=("id",)).build


def _mark(row: Mapping[str, Any]) -> Mark:
    return _mark_from_values([row[name] for name in _MARK_NAMES])


def _mark_from_values(values: Sequence[Any]) -> Mark:
    edits = values[12]
    numerator, denominator = values[7], values[8]
    return _MARK(
        id=values[0],
        student_id=values[1],
        subject_id=values[2],
        date=values[3],
        lesson_id=values[4],
        value=_stored_value(values[5]),
        work_type=values[6],
        weight=None
        if numerator is None and denominator is None
        else _weight(numerator, denominator),
        author_id=values[9],
        entered_at=values[10],
        late_reason=values[11],
        edits=_edits(edits) if edits else (),
    )


_MARK_TEXTS = ("1", "2", "3", "4", "5", "н/а", "осв", "зач", "незач")
_STORED_MARK_VALUES: Mapping[object, MarkValue] = {
    str(value): value for value in map(MarkValue.parse, _MARK_TEXTS)
}
"""The marks of the scale by their stored text (``str`` of the value, as written)."""

_TRUSTED_MARK = trusted_constructor(Mark)
_TRUSTED_ATTENDANCE = trusted_constructor(Attendance)
_TRUSTED_ATTESTATION_MARK = trusted_constructor(AttestationMark)
_DATES = StoredDates()
_TEXTS = CheckedTexts()
_SEEN = _TEXTS.seen
_CHECKED_YEARS: set[object] = set()
_KINDS: Mapping[object, AttendanceKind] = {kind.value: kind for kind in AttendanceKind}
_REASONS: Mapping[object, AbsenceReason] = {reason.value: reason for reason in AbsenceReason}
_ATTESTATION_KINDS: Mapping[object, AttestationKind] = {
    kind.value: kind for kind in AttestationKind
}
_MOMENT = dt.datetime.fromisoformat
_TRUSTED_LESSON = trusted_constructor(Lesson)
_LESSON_STATES: Mapping[object, LessonState] = {state.value: state for state in LessonState}
_WORK_TYPES: dict[object, tuple[Any, ...]] = {}
"""The work types of a lesson by their stored JSON text (a school has a few combinations)."""
_MAX_WORK_TYPE_LISTS = 4_096


def _marks_from_stored(
    rows: Iterable[Sequence[Any]], validated: Callable[[Sequence[Any]], Mark | None]
) -> list[Mark]:
    """The marks of SQLite rows in column order as stored (ISO texts, JSON text).

    A row is built unchecked when every value has the form the store writes (see
    ``rows._trusted``); a weight, an edit, or a value of any other form goes to
    ``validated`` (``None`` from it: the row is left out). One loop, no call per value: this
    is most of the time of reading a year.
    """
    found: list[Mark] = []
    append = found.append
    seen, check, dates, parse_date = _SEEN, _TEXTS.check, _DATES.dates, _DATES
    values, build, moment_of, utc = _STORED_MARK_VALUES, _TRUSTED_MARK, _MOMENT, dt.UTC
    moments: dict[object, dt.datetime] = {}  # marks entered together share their moment
    for row in rows:
        mark: Mark | None = None
        try:
            (key, student, subject, day, lesson, text, work_type) = row[:7]
            (numerator, denominator, author, entered, late, edits) = row[7:13]
            if numerator is None and denominator is None and edits == "[]":
                if not (student in seen and subject in seen and work_type in seen):
                    check(student, subject, work_type)
                if author not in seen:
                    check(author)
                moment = moments.get(entered)
                if moment is None:
                    moment = moments[entered] = moment_of(entered)
                if (
                    moment.tzinfo is utc
                    and type(key) is str
                    and key
                    and not key.isspace()
                    and "\x00" not in key
                    and (late is None or optional_stored_text(late) is late)
                ):
                    mark = build(
                        key,
                        student,
                        subject,
                        dates.get(day) or parse_date(day),
                        values[text],
                        work_type,
                        author,
                        moment,
                        lesson,
                        None,
                        late,
                        (),
                    )
        except (ValueError, TypeError, KeyError):
            mark = None
        if mark is None:
            mark = validated(row)
            if mark is None:
                continue
        append(mark)
    return found


def _lesson_from_stored(row: Sequence[Any]) -> Lesson | None:
    """The lesson of a SQLite row as stored, unchecked but for its own cross-field checks.

    ``None`` (or an error) for a lesson with individual homework or attachments, or any value
    of another form: left to the validators.
    """
    if row[12] != "[]" or row[20] != "[]":
        return None
    if not (row[3] in _SEEN and row[4] in _SEEN):
        _TEXTS.check(row[3], row[4])
    number, due = row[2], row[19]
    if not (
        is_checked_text(row[0])
        and type(number) is int
        and 1 <= number <= 12
        and (due is None or is_checked_text(due))
    ):
        return None
    work_types = _WORK_TYPES.get(row[10])
    if work_types is None:
        parsed = json.loads(row[10])
        if type(parsed) is not list:
            return None
        work_types = tuple(parsed)
        if len(_WORK_TYPES) < _MAX_WORK_TYPE_LISTS:
            _WORK_TYPES[row[10]] = work_types
    lesson = _TRUSTED_LESSON(
        row[0],
        _DATES(row[1]),
        number,
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        optional_stored_text(row[8]),
        optional_stored_text(row[9]),
        work_types,
        optional_stored_text(row[11]),
        (),
        _LESSON_STATES[row[13]],
        optional_stored_moment(row[14]),
        optional_stored_moment(row[15]),
        optional_stored_moment(row[16]),
        optional_stored_moment(row[17]),
        optional_stored_text(row[18]),
        due,
        (),
    )
    lesson.__attrs_post_init__()
    return lesson


def _attendance_from_stored(row: Sequence[Any]) -> Attendance | None:
    """The attendance record of a SQLite row as stored, unchecked; ``None``: to the validators."""
    if not (row[1] in _SEEN and row[6] in _SEEN and row[2] in _SEEN):
        _TEXTS.check(row[1], row[6], row[2])
    if not is_checked_text(row[0]):
        return None
    entered_at = stored_moment(row[7])
    corrected_at = optional_stored_moment(row[9])
    if corrected_at is not None and corrected_at < entered_at:
        return None
    presented = row[8]
    return _TRUSTED_ATTENDANCE(
        row[0],
        row[1],
        row[2],
        _DATES(row[3]),
        _KINDS[row[4]],
        _REASONS[row[5]],
        row[6],
        entered_at,
        None if presented is None else _DATES(presented),
        corrected_at,
        optional_stored_text(row[10]),
    )


def _attestation_from_stored(row: Sequence[Any]) -> AttestationMark | None:
    """The attestation mark of a SQLite row as stored, unchecked; ``None``: to the validators."""
    if not (row[1] in _SEEN and row[2] in _SEEN and row[7] in _SEEN):
        _TEXTS.check(row[1], row[2], row[7])
    if not is_checked_text(row[0]):
        return None
    year, kind, period = row[3], _ATTESTATION_KINDS[row[4]], optional_stored_text(row[5])
    if row[9] != "[]" or (kind is AttestationKind.PERIOD) != (period is not None):
        return None
    if year not in _CHECKED_YEARS:
        check_year_label(year)
        _CHECKED_YEARS.add(year)
    return _TRUSTED_ATTESTATION_MARK(
        row[0],
        row[1],
        row[2],
        year,
        kind,
        _STORED_MARK_VALUES[row[6]],
        row[7],
        stored_moment(row[8]),
        period,
        (),
    )


def _attendance_values(record: Attendance) -> tuple[Any, ...]:
    return (
        record.id,
        record.student_id,
        record.lesson_id,
        record.date,
        record.kind.value,
        record.reason.value,
        record.entered_by,
        record.entered_at,
        record.document_presented_on,
        record.reason_corrected_at,
        record.late_reason,
    )


def _attendance(row: Mapping[str, Any]) -> Attendance:
    return _attendance_from_values([row[name] for name in _ATTENDANCE_NAMES])


def _attendance_from_values(values: Sequence[Any]) -> Attendance:
    return _ATTENDANCE(
        id=values[0],
        student_id=values[1],
        lesson_id=values[2],
        date=values[3],
        kind=values[4],
        reason=values[5],
        entered_by=values[6],
        entered_at=values[7],
        document_presented_on=values[8],
        reason_corrected_at=values[9],
        late_reason=values[10],
    )


def _attestation_row(mark: AttestationMark) -> Row:
    return {
        "id": mark.id,
        "student_id": mark.student_id,
        "subject_id": mark.subject_id,
        "year": mark.year,
        "kind": mark.kind.value,
        "period": mark.period,
        "value": str(mark.value),
        "author_id": mark.author_id,
        "entered_at": mark.entered_at,
        "edits": _edits_row(mark.edits),
    }


def _attestation(row: Mapping[str, Any]) -> AttestationMark:
    return _ATTESTATION_MARK(
        id=row["id"],
        student_id=row["student_id"],
        subject_id=row["subject_id"],
        year=row["year"],
        kind=row["kind"],
        period=row["period"],
        value=_stored_value(row["value"]),
        author_id=row["author_id"],
        entered_at=row["entered_at"],
        edits=_edits(row["edits"]),
    )


_MARK_COLUMNS = (
    _ID,
    _col("student_id", _T, "The student."),
    _col("subject_id", _T, "The subject."),
    _col("date", _D, "Day of the lesson the mark is for."),
    _col("lesson_id", _T, "The lesson.", null=True),
    _MARK_VALUE,
    _col("work_type", _T, "Work type code of the profile."),
    _col("weight_num", _I, "Own weight, numerator (with weight_den).", null=True),
    _col("weight_den", _I, "Own weight, denominator.", null=True),
    _col("author_id", _T, "The teacher who entered it."),
    _col("entered_at", _M, "When it was entered."),
    _col("late_reason", _T, "Valid reason for a late entry.", null=True),
    _EDITS,
)

_MARK_NAMES = tuple(column.name for column in _MARK_COLUMNS)

_ATTENDANCE_COLUMNS = (
    _ID,
    _col("student_id", _T, "The student."),
    _col("lesson_id", _T, "The lesson."),
    _col("date", _D, "Day of the lesson."),
    _col("kind", _T, "`absent` or `late`."),
    _col("reason", _T, "`illness`, `valid`, `unexcused` or `unknown`."),
    _col("entered_by", _T, "Who entered it."),
    _col("entered_at", _M, "When it was entered."),
    _col("document_presented_on", _D, "Day a document was shown.", null=True),
    _col("reason_corrected_at", _M, "When the reason was corrected.", null=True),
    _col("late_reason", _T, "Valid reason for a late entry.", null=True),
)

_ATTENDANCE_NAMES = tuple(column.name for column in _ATTENDANCE_COLUMNS)


AGGREGATES: tuple[Aggregate, ...] = (
    _aggregate(
        "lessons",
        "lesson",
        (
            _ID,
            _col("date", _D, "Day of the lesson."),
            _col("number", _I, "Number in the day, 1-12."),
            _col("subject_id", _T, "The subject."),
            _col("teacher_id", _T, "The timetable's teacher."),
            _col("class_id", _T, "The class (or a group).", null=True),
            _col("group_id", _T, "The group (or a class).", null=True),
            _col("substitute_id", _T, "The substituting teacher.", null=True),
            _col("topic", _T, "Topic.", null=True),
            _col("material", _T, "Material covered.", null=True),
            _col("work_types", _L, "Codes of the work types done."),
            _col("homework", _T, "General homework.", null=True),
            _col(
                "individual_homework",
                _L,
                "Objects with `student_id` and `text`.",
            ),
            _col("state", _T, "`held` or `cancelled`."),
            _col("topic_entered_at", _M, "When the topic was entered.", null=True),
            _col("homework_entered_at", _M, "When homework was entered.", null=True),
            _col("substitute_entered_at", _M, "When the substitution was entered.", null=True),
            _col("cancelled_at", _M, "When the cancellation was entered.", null=True),
            _col("late_reason", _T, "Valid reason for late entries.", null=True),
            _col(
                "homework_due_lesson_id",
                _T,
                "The lesson the homework is due for (lessons.csv).",
                null=True,
            ),
            _col(
                "homework_attachments",
                _L,
                "Objects with `name`, `size_bytes`, `media_type` and `sha256` (the bytes stay "
                "with the host).",
            ),
        ),
        _lesson_row,
        _lesson,
        from_stored=each_from_stored(_lesson_from_stored),
    ),
    _aggregate(
        "marks",
        "mark",
        _MARK_COLUMNS,
        _zipped(_MARK_COLUMNS, _mark_values),
        _mark,
        to_values=_mark_values,
        from_values=_mark_from_values,
        from_stored=_marks_from_stored,
    ),
    _aggregate(
        "attendance",
        "attendance",
        _ATTENDANCE_COLUMNS,
        _zipped(_ATTENDANCE_COLUMNS, _attendance_values),
        _attendance,
        to_values=_attendance_values,
        from_values=_attendance_from_values,
        from_stored=each_from_stored(_attendance_from_stored),
    ),
    _aggregate(
        "attestation_marks",
        "attestation_mark",
        (
            _ID,
            _col("student_id", _T, "The student."),
            _col("subject_id", _T, "The subject."),
            _YEAR,
            _col("kind", _T, "`period`, `annual`, `exam` or `final`."),
            _col("period", _T, "Study period code (period marks only).", null=True),
            _MARK_VALUE,
            _col("author_id", _T, "Who set it."),
            _col("entered_at", _M, "When it was set."),
            _EDITS,
        ),
        _attestation_row,
        _attestation,
        from_stored=each_from_stored(_attestation_from_stored),
    ),
)
"""The aggregates of this module, in dependency order."""
