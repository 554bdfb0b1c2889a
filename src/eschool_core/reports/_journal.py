"""Journal-keeping reports (R11.3c, R11.3d, R8.6, R8.10): completeness and timeliness."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from eschool_core.ids import ClassId, EmployeeId, SubjectId
from eschool_core.journal import Lesson, LessonState
from eschool_core.reports._common import Table, col, date_range, ratio
from eschool_core.reports._data import ReportData
from eschool_core.reports._table import Cell, ReportParams
from eschool_core.reports._timeliness import Timeliness

__all__ = ["journal_fill", "journal_keeping", "mark_timeliness_report"]


def _held(data: ReportData, params: ReportParams) -> tuple[list[Lesson], str, str]:
    start, end = date_range(data, params)
    class_id = None if params.class_id is None else data.get_class(params.class_id).id
    lessons = [
        lesson
        for lesson in data.lessons
        if start <= lesson.date <= end
        and lesson.state is LessonState.HELD
        and (class_id is None or lesson.class_id == class_id)
        and (params.teacher_id is None or _teacher(lesson) == params.teacher_id)
    ]
    return (
        lessons,
        f"{start:%d.%m.%Y} — {end:%d.%m.%Y}",
        f"{start.isoformat()} to {end.isoformat()}",
    )


def _teacher(lesson: Lesson) -> EmployeeId:
    return lesson.substitute_id or lesson.teacher_id


def _target_name(data: ReportData, lesson: Lesson) -> str:
    if lesson.class_id is not None:
        found = data.class_by_id.get(lesson.class_id)
        return lesson.class_id if found is None else found.name
    group = next((g for g in data.groups if g.id == lesson.group_id), None)
    return str(lesson.group_id) if group is None else group.name


def journal_keeping(data: ReportData, params: ReportParams) -> Table:
    """«Отчет по ведению электронных журналов»: per class, subject and teacher, what is missing.

    Lessons held in the range; those without a topic, without homework, without any mark
    (of the grades taught with marks only: a first-grade lesson has none by design, R8.9);
    marks entered late under R8.6 (:func:`~eschool_core.reports.mark_timeliness`).
    """
    lessons, ru, en = _held(data, params)
    keyed: dict[tuple[str, SubjectId, EmployeeId], list[int]] = defaultdict(lambda: [0] * 7)
    for lesson in lessons:
        key = (_target_name(data, lesson), lesson.subject_id, _teacher(lesson))
        counts = keyed[key]
        marks = data.marks_by_lesson.get(lesson.id, ())
        counts[0] += 1
        counts[1] += lesson.topic is None
        counts[2] += not lesson.has_homework
        counts[3] += not marks and _taught_with_marks(data, lesson)
        counts[4] += len(marks)
        counts[5] += sum(1 for m in marks if data.mark_is_late(m))
        counts[6] += data.late_lesson_entries(lesson)
    rows: list[list[Cell]] = []
    sums = [0] * 7
    order = {c.name: (c.parallel, c.letter) for c in data.classes}
    for (target, subject, teacher), counts in sorted(
        keyed.items(),
        key=lambda kv: (order.get(kv[0][0], (99, kv[0][0])), _subject_order(data, kv[0][1])),
    ):
        sums = [a + b for a, b in zip(sums, counts, strict=True)]
        rows.append(
            [
                target,
                data.subject_name(subject),
                data.employee_name(teacher) or teacher,
                *counts,
                _in_time_share(counts[4], counts[5]),
            ]
        )
    return Table(
        columns=(
            col("class", "Класс (группа)", "Class (group)", "text"),
            col("subject", "Предмет", "Subject", "text"),
            col("teacher", "Учитель", "Teacher", "text"),
            col("lessons", "Проведено уроков", "Lessons held"),
            col("no_topic", "Без темы", "Without topic"),
            col("no_homework", "Без домашнего задания", "Without homework"),
            col("no_marks", "Без отметок", "Without marks"),
            col("marks", "Отметок", "Marks"),
            col("late_marks", "Отметок с опозданием", "Marks entered late"),
            col("late_entries", "Тем и ДЗ внесено с опозданием", "Topics, homework entered late"),
            col("in_time", "Своевременность отметок", "Timeliness of marks", "percent"),
        ),
        rows=rows,
        totals=["Итого", None, None, *sums, _in_time_share(sums[4], sums[5])],
        subtitle_ru=ru,
        subtitle_en=en,
    )


def _taught_with_marks(data: ReportData, lesson: Lesson) -> bool:
    """Whether the lesson's grade is taught with marks (the profile's, R8.9)."""
    if lesson.class_id is not None:
        class_ids: tuple[ClassId, ...] = (lesson.class_id,)
    else:
        group = next((g for g in data.groups if g.id == lesson.group_id), None)
        class_ids = () if group is None else tuple(group.class_ids)
    parallels = {data.class_by_id[c].parallel for c in class_ids if c in data.class_by_id}
    return not parallels or bool(parallels & data.deadlines.marked_parallels)


def _subject_order(data: ReportData, subject: SubjectId) -> tuple[int, str]:
    found = data.subject_by_id.get(subject)
    return (found.order if found else 10_000, subject)


def _in_time_share(marks: int, late: int) -> Fraction | None:
    return ratio(marks - late, marks)


def _days_genitive(count: int) -> str:
    """«дня» or «дней» after «в течение N» (в течение 1 дня, 3 дней, 21 дня)."""
    return "дня" if count % 10 == 1 and count % 100 != 11 else "дней"


def mark_timeliness_report(data: ReportData, params: ReportParams) -> Table:
    """«Своевременность выставления текущих отметок»: per teacher, marks by timeliness (R8.6)."""
    start, end = date_range(data, params)
    counts: dict[EmployeeId, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for mark in data.marks:
        if not start <= mark.date <= end:
            continue
        if params.teacher_id is not None and mark.author_id != params.teacher_id:
            continue
        judged = data.mark_timeliness(mark)
        row = counts[mark.author_id]
        row[0] += 1
        row[1] += judged is Timeliness.ON_TIME
        row[2] += judged is Timeliness.EXTENDED
        row[3] += judged is Timeliness.LATE
    rows: list[list[Cell]] = []
    sums = [0] * 4
    days = data.deadlines.extension_days
    for teacher, row in sorted(
        counts.items(), key=lambda kv: (data.employee_name(kv[0]) or "", kv[0])
    ):
        sums = [a + b for a, b in zip(sums, row, strict=True)]
        rows.append([data.employee_name(teacher) or teacher, *row, _in_time_share(row[0], row[3])])
    return Table(
        columns=(
            col("teacher", "Учитель", "Teacher", "text"),
            col("marks", "Отметок всего", "Marks"),
            col("on_time", "В день урока", "On the lesson day"),
            col(
                "extended",
                f"В течение {days} {_days_genitive(days)} по уважительной причине",
                f"Within {days} days, valid reason",
            ),
            col("late", "С опозданием", "Late"),
            col("in_time", "Своевременность", "Timeliness", "percent"),
        ),
        rows=rows,
        totals=["Итого", *sums, _in_time_share(sums[0], sums[3])],
        subtitle_ru=f"{start:%d.%m.%Y} — {end:%d.%m.%Y}",
        subtitle_en=f"{start.isoformat()} to {end.isoformat()}",
    )


def journal_fill(data: ReportData, params: ReportParams) -> Table:
    """«Сводный отчет по заполняемости электронных журналов»: per class, how full the journal is."""
    lessons, ru, en = _held(data, params)
    by_class: dict[ClassId, list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        if lesson.class_id is not None:
            by_class[lesson.class_id].append(lesson)
    start, end = date_range(data, params)
    rows: list[list[Cell]] = []
    sums = [0, 0, 0, 0, 0, 0]
    for school_class in data.classes:
        own = by_class.get(school_class.id, [])
        if params.class_id is not None and not own:
            continue
        topics = sum(1 for lesson in own if lesson.topic is not None)
        homework = sum(1 for lesson in own if lesson.has_homework)
        marked = sum(1 for lesson in own if lesson.id in data.marked_lessons)
        students = len(data.roster(school_class.id, end))
        marks = sum(len(data.marks_by_lesson.get(lesson.id, ())) for lesson in own)
        cells = [len(own), topics, homework, marked]
        sums = [a + b for a, b in zip(sums, [*cells, students, marks], strict=True)]
        rows.append(
            [
                school_class.name,
                len(own),
                ratio(topics, len(own)),
                ratio(homework, len(own)),
                ratio(marked, len(own)),
                students,
                ratio(marks, students),
            ]
        )
    del start
    return Table(
        columns=(
            col("class", "Класс", "Class", "text"),
            col("lessons", "Проведено уроков", "Lessons held"),
            col("topics", "Заполнено тем", "Topics entered", "percent"),
            col("homework", "Задано домашних заданий", "Homework entered", "percent"),
            col("marked", "Уроков с отметками", "Lessons with marks", "percent"),
            col("students", "Учащихся", "Students"),
            col("marks_per_student", "Отметок на ученика", "Marks per student", "decimal"),
        ),
        rows=rows,
        totals=[
            "Итого",
            sums[0],
            ratio(sums[1], sums[0]),
            ratio(sums[2], sums[0]),
            ratio(sums[3], sums[0]),
            sums[4],
            ratio(sums[5], sums[4]),
        ],
        subtitle_ru=ru,
        subtitle_en=en,
    )
