"""Reports of one student (R11.5, R8.11, R8.12, R2.2n): averages, report card, diary, letters."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import attrs

from eschool_core.grading import average_dynamics, propose_period_mark, weighted_average
from eschool_core.ids import LessonId, StudentId, SubjectId
from eschool_core.journal import (
    AbsenceReason,
    Attendance,
    AttendanceKind,
    AttestationKind,
    Lesson,
    LessonState,
    Mark,
)
from eschool_core.reports._common import Absences, Table, absences, col, date_range, require
from eschool_core.reports._data import YEAR_PERIOD, ReportData
from eschool_core.reports._errors import REPORT_STUDENT_WITHOUT_CLASS
from eschool_core.reports._grammar import GrammaticalCase, date_in_words, decline_name, pupil_noun
from eschool_core.reports._table import Cell, Column, ReportParams
from eschool_core.reports._wording import period_name
from eschool_core.school import SchoolClass, Subject

__all__ = [
    "diary",
    "parent_letter",
    "student_average",
    "student_average_dynamics",
    "student_performance_attendance",
    "student_report_card",
    "weekly_summary",
]


def _span_text(start: dt.date, end: dt.date) -> tuple[str, str]:
    return f"{start:%d.%m.%Y} — {end:%d.%m.%Y}", f"{start.isoformat()} to {end.isoformat()}"


def _student_class(data: ReportData, student: StudentId, day: dt.date) -> SchoolClass:
    found = data.class_of(student, day) or data.class_of(student, data.year_span[0])
    if found is None:
        for school_class in data.classes:
            if student in data.students_ever_in(school_class.id):
                return school_class
        raise REPORT_STUDENT_WITHOUT_CLASS.error(details={"student": student}, year=data.year)
    return found


def _marks_text(marks: Sequence[Mark]) -> str | None:
    return " ".join(str(m.value) for m in marks) or None


def _student_context(
    data: ReportData, params: ReportParams
) -> tuple[StudentId, SchoolClass, dt.date, dt.date]:
    (student_id,) = require(params, "student_id")
    student = data.get_student(student_id).id
    probe = params.as_of or params.end or params.start or data.year_span[0]
    school_class = _student_class(data, student, probe)
    start, end = date_range(data, params, school_class.parallel)
    return student, school_class, start, end


def _name(data: ReportData, student: StudentId) -> str:
    return data.get_student(student).person.full_name


def student_average(data: ReportData, params: ReportParams) -> Table:
    """«Средний балл ученика»: each student's weighted average per subject and over all."""
    if params.student_id is not None:
        student, school_class, start, end = _student_context(data, params)
        roster: Sequence[StudentId] = (student,)
    else:
        (class_id,) = require(params, "class_id")
        school_class = data.get_class(class_id)
        start, end = date_range(data, params, school_class.parallel)
        roster = data.roster(school_class.id, end)
    subjects = data.subjects_of_class(school_class.id)
    rows: list[list[Cell]] = []
    by_subject: dict[SubjectId, list[Mark]] = defaultdict(list)
    pooled: list[Mark] = []
    for number, student in enumerate(roster, start=1):
        own = data.marks_of(student, start, end)
        pooled.extend(own)
        per_subject: dict[SubjectId, list[Mark]] = defaultdict(list)
        for mark in own:
            per_subject[mark.subject_id].append(mark)
            by_subject[mark.subject_id].append(mark)
        rows.append(
            [
                number,
                _name(data, student),
                *(weighted_average(per_subject.get(s.id, ()), data.policy) for s in subjects),
                weighted_average(own, data.policy),
                sum(1 for m in own if m.value.is_score),
            ]
        )
    totals: list[Cell] = [
        None,
        "По классу" if params.student_id is None else "Итого",
        *(weighted_average(by_subject.get(s.id, ()), data.policy) for s in subjects),
        weighted_average(pooled, data.policy),
        sum(1 for m in pooled if m.value.is_score),
    ]
    ru, en = _span_text(start, end)
    return Table(
        columns=(
            col("number", "№", "No."),
            col("student", "Ученик", "Student", "text"),
            *(_subject_column(s, "decimal") for s in subjects),
            col("average", "Средневзвешенный балл", "Weighted average", "decimal"),
            col("marks", "Отметок", "Marks"),
        ),
        rows=rows,
        totals=totals,
        subtitle_ru=f"{school_class.name}, {ru}",
        subtitle_en=f"{school_class.name}, {en}",
    )


def _subject_column(subject: Subject, kind: str) -> Column:
    return col(f"s_{subject.id}", subject.short_name or subject.name, subject.id, kind)


def student_average_dynamics(data: ReportData, params: ReportParams) -> Table:
    """«Динамика среднего балла ученика»: the running weighted average after each day's marks.

    With ``subject_id``, the dynamics of one subject; without, of all marks pooled.
    """
    student, school_class, start, end = _student_context(data, params)
    marks = data.marks_of(student, start, end, params.subject_id)  # type: ignore[arg-type]
    by_day: dict[dt.date, list[Mark]] = defaultdict(list)
    for mark in marks:
        by_day[mark.date].append(mark)
    rows: list[list[Cell]] = [
        [point.date, _marks_text(by_day[point.date]), point.count, point.average]
        for point in average_dynamics(marks, data.policy)
    ]
    ru, en = _span_text(start, end)
    subject = "" if params.subject_id is None else f", {data.subject_name(params.subject_id)}"  # type: ignore[arg-type]
    return Table(
        columns=(
            col("date", "Дата", "Date", "date"),
            col("day_marks", "Отметки за день", "Marks of the day", "mark"),
            col("count", "Отметок с начала периода", "Marks so far"),
            col("average", "Средний балл", "Average mark", "decimal"),
        ),
        rows=rows,
        subtitle_ru=f"{_name(data, student)}, {school_class.name}{subject}, {ru}",
        subtitle_en=f"{_name(data, student)}, {school_class.name}{subject}, {en}",
    )


def student_report_card(data: ReportData, params: ReportParams) -> Table:
    """«Табель успеваемости учащегося»: per subject, period, annual, exam and final marks."""
    (student_id,) = require(params, "student_id")
    student = data.get_student(student_id).id
    school_class = _student_class(data, student, params.as_of or data.year_span[1])
    keys = [span.key for span in data.periods[school_class.parallel]]
    cells: dict[tuple[SubjectId, str], str] = {}
    for mark in data.attestation_by_student.get(student, ()):
        slot = mark.period if mark.kind is AttestationKind.PERIOD else mark.kind.value
        cells[(mark.subject_id, str(slot))] = str(mark.value)
    slots = [*keys, AttestationKind.ANNUAL.value, AttestationKind.EXAM.value]
    slots.append(AttestationKind.FINAL.value)
    rows: list[list[Cell]] = [
        [subject.name, *(cells.get((subject.id, slot)) for slot in slots)]
        for subject in data.subjects_of_class(school_class.id)
    ]
    return Table(
        columns=(
            col("subject", "Предмет", "Subject", "text"),
            *(col(key, period_name(key), period_name(key, "en"), "mark") for key in keys),
            col("annual", "Годовая", "Annual", "mark"),
            col("exam", "Экзамен", "Exam", "mark"),
            col("final", "Итоговая", "Final", "mark"),
        ),
        rows=rows,
        subtitle_ru=f"{_name(data, student)}, {school_class.name}, {data.year} учебный год",
        subtitle_en=f"{_name(data, student)}, {school_class.name}, academic year {data.year}",
    )


def _absences_by_subject(
    data: ReportData, records: Sequence[Attendance]
) -> dict[SubjectId, Absences]:
    grouped: dict[SubjectId, list[Attendance]] = defaultdict(list)
    for record in records:
        lesson = data.lesson_by_id.get(record.lesson_id)
        if lesson is not None:
            grouped[lesson.subject_id].append(record)
    return {subject: absences(items) for subject, items in grouped.items()}


def student_performance_attendance(data: ReportData, params: ReportParams) -> Table:
    """«Отчёт об успеваемости и посещаемости ученика»: per subject, marks, average, absences."""
    student, school_class, start, end = _student_context(data, params)
    marks = data.marks_of(student, start, end)
    missed = _absences_by_subject(data, data.attendance_of(student, start, end))
    rows: list[list[Cell]] = []
    total = Absences()
    for subject in data.subjects_of_class(school_class.id):
        own = [m for m in marks if m.subject_id == subject.id]
        gone = missed.get(subject.id, Absences())
        total += gone
        rows.append(
            [
                subject.name,
                _marks_text(own),
                weighted_average(own, data.policy),
                gone.total,
                gone.illness + gone.valid,
                gone.unexcused + gone.unknown,
                gone.late,
            ]
        )
    ru, en = _span_text(start, end)
    return Table(
        columns=(
            col("subject", "Предмет", "Subject", "text"),
            col("marks", "Отметки", "Marks", "mark"),
            col("average", "Средневзвешенный балл", "Weighted average", "decimal"),
            col("absent", "Пропущено уроков", "Lessons missed"),
            col("excused", "По уважительной причине", "Excused"),
            col("unexcused", "Без уважительной причины", "Unexcused"),
            col("late", "Опозданий", "Late arrivals"),
        ),
        rows=rows,
        totals=[
            "Итого",
            None,
            weighted_average(marks, data.policy),
            total.total,
            total.illness + total.valid,
            total.unexcused + total.unknown,
            total.late,
        ],
        subtitle_ru=f"{_name(data, student)}, {school_class.name}, {ru}",
        subtitle_en=f"{_name(data, student)}, {school_class.name}, {en}",
    )


def parent_letter(data: ReportData, params: ReportParams) -> Table:
    """«Информационное письмо для родителей»: a letter with marks, averages, expected marks (R2.2n).

    The expected period mark is the grading policy's proposal from the marks so far.
    """
    student, school_class, start, end = _student_context(data, params)
    span = data.period(school_class.parallel, params.period) if params.period else None
    kind = None if span is None else span.kind
    marks = data.marks_of(student, start, end)
    missed = _absences_by_subject(data, data.attendance_of(student, start, end))
    rows: list[list[Cell]] = []
    for subject in data.subjects_of_class(school_class.id):
        own = [m for m in marks if m.subject_id == subject.id]
        proposal = propose_period_mark(own, data.policy, period_kind=kind).value
        gone = missed.get(subject.id, Absences())
        rows.append(
            [
                subject.name,
                _marks_text(own),
                weighted_average(own, data.policy),
                None if proposal is None else str(proposal),
                gone.total,
            ]
        )
    person = data.get_student(student).person
    teacher = data.employee_name(school_class.class_teacher_id) or "________________"
    period = _letter_period(data, school_class.parallel, params.period, start, end)
    addressee = (
        f"{pupil_noun(person, GrammaticalCase.GENITIVE)} {school_class.name} класса "
        f"{decline_name(person, GrammaticalCase.GENITIVE)}"
    )
    return Table(
        columns=(
            col("subject", "Предмет", "Subject", "text"),
            col("marks", "Текущие отметки", "Current marks", "mark"),
            col("average", "Средневзвешенный балл", "Weighted average", "decimal"),
            col("expected", "Ожидаемая отметка за период", "Expected period mark", "mark"),
            col("absent", "Пропущено уроков", "Lessons missed"),
        ),
        rows=rows,
        subtitle_ru=f"{person.full_name}, {school_class.name}, {period.heading_ru}",
        subtitle_en=f"{person.full_name}, {school_class.name}, {period.heading_en}",
        notes_ru=(
            f"Уважаемые родители (законные представители) {addressee}!",
            f"Сообщаем сведения об успеваемости и посещаемости {period.over_ru}".removesuffix(".")
            + ".",
            f"Классный руководитель: {teacher}",
        ),
        notes_en=(
            f"Dear parents (legal guardians) of {person.full_name}, class {school_class.name},",
            f"here are the marks and attendance {period.over_en}.",
            f"Class teacher: {teacher}",
        ),
    )


@attrs.frozen(kw_only=True)
class _LetterPeriod:
    """What a letter covers, in words: as a heading names it and as a sentence does."""

    heading_ru: str
    heading_en: str
    over_ru: str
    over_en: str


def _letter_period(
    data: ReportData, parallel: int, code: str | None, start: dt.date, end: dt.date
) -> _LetterPeriod:
    """«2-я четверть 2025/2026 учебного года» and «за 2-ю четверть …», or the days in words.

    A range that is exactly one of the parallel's study periods is named as that period.
    """
    if code is None:
        code = next(
            (s.key for s in data.periods.get(parallel, ()) if (s.start, s.end) == (start, end)),
            None,
        )
    if code == YEAR_PERIOD:
        ru, en = f"{data.year} учебный год", f"academic year {data.year}"
        return _LetterPeriod(heading_ru=ru, heading_en=en, over_ru=f"за {ru}", over_en=f"for {en}")
    if code is not None:
        named = period_name(code)
        # «2-я четверть» is «за 2-ю четверть»; the other period names keep their form.
        accusative = named.replace("-я четверть", "-ю четверть")
        en = f"{period_name(code, 'en')} of {data.year}"
        return _LetterPeriod(
            heading_ru=f"{named} {data.year} учебного года",
            heading_en=en,
            over_ru=f"за {accusative} {data.year} учебного года",
            over_en=f"for the {en}",
        )
    ru = f"с {date_in_words(start)} по {date_in_words(end)}"
    en = f"from {start.isoformat()} to {end.isoformat()}"
    return _LetterPeriod(heading_ru=ru, heading_en=en, over_ru=ru, over_en=en)


_ABSENCE_CODES = {
    AbsenceReason.ILLNESS: "Б",
    AbsenceReason.VALID: "УП",
    AbsenceReason.UNEXCUSED: "НП",
    AbsenceReason.UNKNOWN: "Н",
}


def _lessons_of(data: ReportData, student: StudentId, start: dt.date, end: dt.date) -> list[Lesson]:
    group_ids = {g.id for g in data.groups if student in g.student_ids}
    result = []
    for lesson in data.lessons:
        if not start <= lesson.date <= end or lesson.state is not LessonState.HELD:
            continue
        if lesson.group_id is not None:
            if lesson.group_id in group_ids:
                result.append(lesson)
            continue
        school_class = data.class_of(student, lesson.date)
        if school_class is not None and lesson.class_id == school_class.id:
            result.append(lesson)
    return sorted(result, key=lambda lesson: (lesson.date, lesson.number))


def _work_type_names(data: ReportData, codes: Sequence[str]) -> str | None:
    names = []
    for code in codes:
        known = data.policy.work_types.get(code)
        names.append(code if known is None else known.name())
    return ", ".join(names) or None


def diary(data: ReportData, params: ReportParams) -> Table:
    """The pupil's diary (R8.11): lessons with topics, work types, marks, attendance, homework.

    Without a range, the week (Monday to Sunday) of ``start``/``as_of`` is shown.
    """
    (student_id,) = require(params, "student_id")
    student = data.get_student(student_id).id
    anchor = params.start or params.as_of or data.year_span[0]
    start = params.start or anchor - dt.timedelta(days=anchor.weekday())
    end = params.end or start + dt.timedelta(days=6)
    marks: dict[LessonId, list[Mark]] = defaultdict(list)
    for mark in data.marks_of(student, start, end):
        if mark.lesson_id is not None:
            marks[mark.lesson_id].append(mark)
    presence: dict[LessonId, str] = {}
    for record in data.attendance_of(student, start, end):
        presence[record.lesson_id] = (
            "ОП" if record.kind is AttendanceKind.LATE else _ABSENCE_CODES[record.reason]
        )
    rows: list[list[Cell]] = []
    for lesson in _lessons_of(data, student, start, end):
        own_homework = [h.text for h in lesson.individual_homework if h.student_id == student]
        homework = "; ".join(filter(None, [lesson.homework, *own_homework])) or None
        rows.append(
            [
                lesson.date,
                lesson.number,
                data.subject_name(lesson.subject_id),
                lesson.topic,
                _work_type_names(data, lesson.work_types),
                _marks_text(marks.get(lesson.id, [])),
                presence.get(lesson.id),
                homework,
            ]
        )
    ru, en = _span_text(start, end)
    name = _name(data, student)
    return Table(
        columns=(
            col("date", "Дата", "Date", "date"),
            col("lesson", "Урок", "Lesson"),
            col("subject", "Предмет", "Subject", "text"),
            col("topic", "Тема урока", "Topic", "text"),
            col("work_types", "Виды работ", "Work types", "text"),
            col("marks", "Отметки", "Marks", "mark"),
            col("attendance", "Посещаемость", "Attendance", "text"),
            col("homework", "Домашнее задание", "Homework", "text"),
        ),
        rows=rows,
        subtitle_ru=f"{name}, {ru}",
        subtitle_en=f"{name}, {en}",
    )


def weekly_summary(data: ReportData, params: ReportParams) -> Table:
    """The weekly printed summary for a parent (R8.12): the week's marks and absences per subject.

    The week runs from ``start`` (default: the Monday of ``as_of``) for 7 days; the average
    column covers the study period up to the week's end.
    """
    (student_id,) = require(params, "student_id")
    student = data.get_student(student_id).id
    anchor = params.start or params.as_of or data.year_span[0]
    start = params.start or anchor - dt.timedelta(days=anchor.weekday())
    end = params.end or start + dt.timedelta(days=6)
    school_class = _student_class(data, student, start)
    period_start = next(
        (s.start for s in data.periods[school_class.parallel] if s.start <= end <= s.end), start
    )
    week = data.marks_of(student, start, end)
    so_far = data.marks_of(student, period_start, end)
    missed = _absences_by_subject(data, data.attendance_of(student, start, end))
    rows: list[list[Cell]] = []
    for subject in data.subjects_of_class(school_class.id):
        gone = missed.get(subject.id, Absences())
        rows.append(
            [
                subject.name,
                _marks_text([m for m in week if m.subject_id == subject.id]),
                gone.total,
                gone.late,
                weighted_average([m for m in so_far if m.subject_id == subject.id], data.policy),
            ]
        )
    ru, en = _span_text(start, end)
    name = _name(data, student)
    return Table(
        columns=(
            col("subject", "Предмет", "Subject", "text"),
            col("marks", "Отметки за неделю", "Marks of the week", "mark"),
            col("absent", "Пропущено уроков", "Lessons missed"),
            col("late", "Опозданий", "Late arrivals"),
            col("average", "Средний балл за период", "Period average so far", "decimal"),
        ),
        rows=rows,
        subtitle_ru=f"{name}, {school_class.name}, неделя {ru}",
        subtitle_en=f"{name}, {school_class.name}, week {en}",
        notes_ru=(
            "Выдаётся по письменному заявлению родителя (законного представителя), п. 8.12.",
            "Подпись родителя: ________________",
        ),
        notes_en=(
            "Issued on the written request of a parent (legal guardian), clause 8.12.",
            "Parent's signature: ________________",
        ),
    )
