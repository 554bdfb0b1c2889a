"""The printed form of the class journal: one subject of one class over a period (R5.3c, R9.3).

Clause 5.3 makes the curriculum fix the order of subjects in the printed form of the class
journal; clause 9.3 has the printed journal certified. Like the paper journal it replaces,
a page has the students down the side and the lesson dates across, with the marks and
absences («н», late «оп») of each lesson and the period mark; under the grid come the
lessons' topics and homework. The report set prints one per subject of a class, in the
curriculum's order (``Subject.order``).
"""

from __future__ import annotations

from collections import defaultdict

from eschool_core.ids import LessonId, StudentId, SubjectId
from eschool_core.journal import AttendanceKind, Lesson, LessonState
from eschool_core.reports._common import Table, col, date_range, require
from eschool_core.reports._data import ReportData
from eschool_core.reports._errors import REPORT_SUBJECT_NOT_FOUND
from eschool_core.reports._table import Cell, Column, ReportParams
from eschool_core.reports._wording import period_name

__all__ = ["class_journal"]

_MONTHS = ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _lessons(
    data: ReportData, class_id: str, subject_id: str, params: ReportParams
) -> list[Lesson]:
    school_class = data.get_class(class_id)
    start, end = date_range(data, params, school_class.parallel)
    return [
        lesson
        for lesson in data.lessons_by_class.get(school_class.id, ())
        if lesson.subject_id == subject_id
        and start <= lesson.date <= end
        and lesson.state is LessonState.HELD
    ]


def class_journal(data: ReportData, params: ReportParams) -> Table:
    """«Печатная форма классного журнала»: students × lesson dates of one subject (R5.3c).

    A cell holds the lesson's marks («5», «4 5») and attendance («н» absent, «оп» late);
    the last column is the period mark. The lines after the grid list each lesson's date,
    topic and homework.

    Raises:
        ValidationError: Without ``class_id`` or ``subject_id``.
        NotFoundError: For an unknown class, subject or period.
    """
    class_id, subject_id = require(params, "class_id", "subject_id")
    school_class = data.get_class(class_id)
    subject = data.subject_by_id.get(SubjectId(subject_id))
    if subject is None:
        raise REPORT_SUBJECT_NOT_FOUND.error(subject=subject_id)
    lessons = _lessons(data, school_class.id, subject.id, params)
    start, end = date_range(data, params, school_class.parallel)
    roster = data.roster(school_class.id, end) or data.students_ever_in(school_class.id)
    absent: dict[tuple[LessonId, StudentId], str] = {}
    lesson_ids = {lesson.id for lesson in lessons}
    for student in roster:
        for record in data.attendance_of(student, start, end):
            if record.lesson_id in lesson_ids:
                sign = "оп" if record.kind is AttendanceKind.LATE else "н"
                absent[(record.lesson_id, student)] = sign
    marks: dict[tuple[LessonId, StudentId], list[str]] = defaultdict(list)
    for lesson in lessons:
        for mark in data.marks_by_lesson.get(lesson.id, ()):
            marks[(lesson.id, mark.student_id)].append(str(mark.value))
    columns: list[Column] = [
        col("number", "№", "No."),
        col("student", "Учащийся", "Student", "text"),
    ]
    for index, lesson in enumerate(lessons, start=1):
        day = lesson.date
        columns.append(
            col(
                f"l{index}",
                f"{day.day:02d} {_MONTHS[day.month - 1]}",
                f"{day.day:02d} {_MONTHS_EN[day.month - 1]}",
                "mark",
            )
        )
    period_key = params.period
    columns.append(col("period_mark", "Итог", "Period", "mark"))
    rows: list[list[Cell]] = []
    for number, student in enumerate(roster, start=1):
        row: list[Cell] = [number, data.get_student(student).person.full_name]
        for lesson in lessons:
            cell = " ".join(
                part
                for part in (absent.get((lesson.id, student)), *marks[(lesson.id, student)])
                if part
            )
            row.append(cell)
        final = None
        if period_key is not None:
            found = data.attestation_of(student, data.period(school_class.parallel, period_key).key)
            given = found.get(subject.id)
            final = None if given is None else str(given.value)
        row.append(final)
        rows.append(row)
    teacher = data.employee_name(data.teacher_of(school_class.id, subject.id)) or "—"
    after_ru = ["Содержание уроков и домашние задания:"]
    after_en = ["Lesson topics and homework:"]
    for lesson in lessons:
        moment = f"{lesson.date:%d.%m}, урок {lesson.number}"
        topic = lesson.topic or "—"
        homework = lesson.homework or "—"
        after_ru.append(f"{moment}: {topic}. Д/з: {homework}")
        after_en.append(
            f"{lesson.date:%d.%m}, lesson {lesson.number}: {topic}. Homework: {homework}"
        )
    when_ru = (
        f"{period_name(period_key)} {data.year} учебного года"
        if period_key is not None
        else f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"
    )
    when_en = (
        f"{period_name(period_key, 'en')}, {data.year}"
        if period_key is not None
        else f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"
    )
    return Table(
        columns=columns,
        rows=rows,
        subtitle_ru=f"{school_class.name}, {subject.name}, {when_ru}; учитель: {teacher}",
        subtitle_en=f"{school_class.name}, {subject.name}, {when_en}; teacher: {teacher}",
        after_ru=after_ru,
        after_en=after_en,
    )
