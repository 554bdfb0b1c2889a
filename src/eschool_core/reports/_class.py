"""Reports of a class and a teacher (R11.4a-d, R11.5): marks of a period, attendance, rosters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from eschool_core.grading import (
    OFFICIAL_STATISTICS,
    MarkStatistics,
    all_subjects_statistics,
    mark_statistics,
    propose_period_mark,
    weighted_average,
)
from eschool_core.ids import StudentId, SubjectId
from eschool_core.journal import Attendance, AttendanceKind, LessonState, MarkValue
from eschool_core.people import Sex
from eschool_core.reports._common import (
    ABSENCE_COLUMNS,
    Absences,
    StudentCategory,
    Table,
    absences,
    category_of,
    col,
    date_range,
    require,
)
from eschool_core.reports._data import YEAR_PERIOD, ReportData
from eschool_core.reports._table import Cell, Column, ReportParams
from eschool_core.reports._wording import period_name
from eschool_core.school import SchoolClass

__all__ = [
    "STAT_COLUMNS",
    "attendance_sheet",
    "class_attendance",
    "class_period_results",
    "class_teacher_period",
    "class_teacher_preliminary",
    "performance_quality",
    "performance_sheet",
    "period_subtitle",
    "stat_cells",
    "statistics_notes",
    "student_final_data",
    "student_general_info",
    "subject_teacher",
]

STAT_COLUMNS: tuple[Column, ...] = (
    col("n5", "«5»", "«5»"),
    col("n4", "«4»", "«4»"),
    col("n3", "«3»", "«3»"),
    col("n2", "«2»", "«2»"),
    col("na", "н/а", "n/a"),
    col("success", "Успеваемость", "Success rate", "percent"),
    col("quality", "Качество знаний", "Quality", "percent"),
    col("sou", "СОУ", "Degree of learning", "percent"),
    col("average", "Средний балл", "Average mark", "decimal"),
)
"""The statistics columns of a set of attestation marks (R2.2k)."""


def stat_cells(stats: MarkStatistics, by_student: MarkStatistics | None = None) -> list[Cell]:
    """Return the cells of :data:`STAT_COLUMNS` (success and quality by student if given)."""
    people = by_student or stats
    sou = stats.sou
    return [
        stats.count("5"),
        stats.count("4"),
        stats.count("3"),
        stats.count("2") + stats.count("1"),
        stats.count("н/а"),
        people.success_rate,
        people.quality,
        None if sou is None else sou / 100,
        stats.average,
    ]


def statistics_notes(language: str) -> tuple[str, ...]:
    """The note naming the definition of the figures an official report prints (R2.2k).

    >>> statistics_notes("ru")[0].startswith("Показатели по учащимся, по отметкам за период")
    True
    """
    return (OFFICIAL_STATISTICS.label(language),)


def period_subtitle(
    school_class: SchoolClass | None, key: str, data: ReportData
) -> tuple[str, str]:
    """Return the Russian and English subtitle of a class and a period."""
    name = "" if school_class is None else f"{school_class.name}, "
    if key == YEAR_PERIOD:
        return f"{name}{data.year} учебный год", f"{name}academic year {data.year}"
    return (
        f"{name}{period_name(key)} {data.year} учебного года",
        f"{name}{period_name(key, 'en')}, {data.year}",
    )


def _student_name(data: ReportData, student_id: StudentId) -> str:
    return data.get_student(student_id).person.full_name


def _class_marks(
    data: ReportData, key: str, roster: Sequence[StudentId]
) -> dict[StudentId, Mapping[SubjectId, MarkValue]]:
    result: dict[StudentId, Mapping[SubjectId, MarkValue]] = {}
    for student in roster:
        own = data.attestation_of(student, key)
        result[student] = {subject: mark.value for subject, mark in own.items()}
    return result


def class_period_results(data: ReportData, params: ReportParams) -> Table:
    """«Итоги успеваемости класса за учебный период»: per subject, the period marks' figures."""
    class_id, period = require(params, "class_id", "period")
    school_class = data.get_class(class_id)
    span = data.period(school_class.parallel, period)
    roster = data.roster(school_class.id, span.end)
    marks = _class_marks(data, span.key, roster)
    rows: list[list[Cell]] = []
    for subject in data.subjects_of_class(school_class.id):
        stats = mark_statistics(marks[s].get(subject.id) for s in roster)
        rows.append(
            [
                subject.name,
                data.employee_name(data.teacher_of(school_class.id, subject.id)),
                len(roster),
                *stat_cells(stats),
            ]
        )
    everything = all_subjects_statistics({s: list(marks[s].values()) for s in roster})
    totals: list[Cell] = [
        "Итого",
        None,
        len(roster),
        *stat_cells(everything.by_mark, everything.by_student),
    ]
    ru, en = period_subtitle(school_class, span.key, data)
    return Table(
        columns=(
            col("subject", "Предмет", "Subject", "text"),
            col("teacher", "Учитель", "Teacher", "text"),
            col("students", "Учащихся", "Students"),
            *STAT_COLUMNS,
        ),
        rows=rows,
        totals=totals,
        subtitle_ru=ru,
        subtitle_en=en,
        notes_ru=statistics_notes("ru"),
        notes_en=statistics_notes("en"),
    )


_PERIOD_STUDENT_COLUMNS: tuple[Column, ...] = (
    col("number", "№", "No."),
    col("student", "Ученик", "Student", "text"),
    col("n5", "«5»", "«5»"),
    col("n4", "«4»", "«4»"),
    col("n3", "«3»", "«3»"),
    col("n2", "«2»", "«2»"),
    col("na", "н/а", "n/a"),
    col("average", "Средний балл", "Average mark", "decimal"),
    col("category", "Категория", "Category", "text"),
)


def _count_row(values: Sequence[MarkValue]) -> list[Cell]:
    stats = mark_statistics(values)
    return [
        stats.count("5"),
        stats.count("4"),
        stats.count("3"),
        stats.count("2") + stats.count("1"),
        stats.count("н/а"),
        stats.average,
    ]


def _category_totals(categories: Sequence[StudentCategory]) -> str:
    parts = [
        f"{category.label_ru}: {categories.count(category)}"
        for category in StudentCategory
        if categories.count(category)
    ]
    return "; ".join(parts)


def class_teacher_period(data: ReportData, params: ReportParams) -> Table:
    """«Отчёт классного руководителя за учебный период»: period marks and absences per student."""
    class_id, period = require(params, "class_id", "period")
    school_class = data.get_class(class_id)
    span = data.period(school_class.parallel, period)
    roster = data.roster(school_class.id, span.end)
    marks = _class_marks(data, span.key, roster)
    rows: list[list[Cell]] = []
    categories: list[StudentCategory] = []
    total_absences = Absences()
    for number, student in enumerate(roster, start=1):
        values = list(marks[student].values())
        category = category_of(values)
        categories.append(category)
        missed = absences(data.attendance_of(student, span.start, span.end))
        total_absences += missed
        rows.append(
            [
                number,
                _student_name(data, student),
                *_count_row(values),
                category.label_ru,
                *missed.cells(),
            ]
        )
    every = [value for student in roster for value in marks[student].values()]
    totals: list[Cell] = [
        None,
        "Итого",
        *_count_row(every),
        _category_totals(categories),
        *total_absences.cells(),
    ]
    ru, en = period_subtitle(school_class, span.key, data)
    return Table(
        columns=(*_PERIOD_STUDENT_COLUMNS, *ABSENCE_COLUMNS),
        rows=rows,
        totals=totals,
        subtitle_ru=ru,
        subtitle_en=en,
    )


def class_teacher_preliminary(data: ReportData, params: ReportParams) -> Table:
    """«Предварительный отчёт классного руководителя за учебный период»: proposed period marks.

    The current marks from the period's first day to ``as_of`` (the period's last day when
    not given) give each subject's proposed mark by the grading policy.
    """
    class_id, period = require(params, "class_id", "period")
    school_class = data.get_class(class_id)
    span = data.period(school_class.parallel, period)
    until = min(params.as_of or span.end, span.end)
    roster = data.roster(school_class.id, until)
    subjects = data.subjects_of_class(school_class.id)
    rows: list[list[Cell]] = []
    categories: list[StudentCategory] = []
    pooled_all: list[MarkValue] = []
    total_absences = Absences()
    for number, student in enumerate(roster, start=1):
        own = data.marks_of(student, span.start, until)
        proposals: list[MarkValue] = []
        for subject in subjects:
            proposal = propose_period_mark(
                [m for m in own if m.subject_id == subject.id], data.policy, period_kind=span.kind
            )
            if proposal.value is not None:
                proposals.append(proposal.value)
        category = category_of(proposals)
        categories.append(category)
        pooled_all.extend(proposals)
        missed = absences(data.attendance_of(student, span.start, until))
        total_absences += missed
        rows.append(
            [
                number,
                _student_name(data, student),
                weighted_average(own, data.policy),
                *_count_row(proposals),
                category.label_ru,
                *missed.cells(),
            ]
        )
    totals: list[Cell] = [
        None,
        "Итого",
        None,
        *_count_row(pooled_all),
        _category_totals(categories),
        *total_absences.cells(),
    ]
    ru, en = period_subtitle(school_class, span.key, data)
    return Table(
        columns=(
            _PERIOD_STUDENT_COLUMNS[0],
            _PERIOD_STUDENT_COLUMNS[1],
            col("weighted", "Средневзвешенный балл", "Weighted average", "decimal"),
            *_PERIOD_STUDENT_COLUMNS[2:],
            *ABSENCE_COLUMNS,
        ),
        rows=rows,
        totals=totals,
        subtitle_ru=f"{ru}, на {until:%d.%m.%Y}",
        subtitle_en=f"{en}, as of {until.isoformat()}",
    )


def performance_sheet(data: ReportData, params: ReportParams) -> Table:
    """«Сводная ведомость учёта успеваемости»: students × subjects, the marks of a period."""
    class_id, period = require(params, "class_id", "period")
    school_class = data.get_class(class_id)
    span = data.period(school_class.parallel, period)
    roster = data.roster(school_class.id, span.end)
    subjects = data.subjects_of_class(school_class.id)
    marks = _class_marks(data, span.key, roster)
    rows: list[list[Cell]] = []
    for number, student in enumerate(roster, start=1):
        own = marks[student]
        cells: list[Cell] = [
            None if subject.id not in own else str(own[subject.id]) for subject in subjects
        ]
        rows.append(
            [
                number,
                _student_name(data, student),
                *cells,
                mark_statistics(own.values()).average,
            ]
        )
    ru, en = period_subtitle(school_class, span.key, data)
    return Table(
        columns=(
            col("number", "№", "No."),
            col("student", "Ученик", "Student", "text"),
            *(
                col(f"s_{subject.id}", subject.short_name or subject.name, subject.id, "mark")
                for subject in subjects
            ),
            col("average", "Средний балл", "Average mark", "decimal"),
        ),
        rows=rows,
        subtitle_ru=ru,
        subtitle_en=en,
    )


def attendance_sheet(data: ReportData, params: ReportParams) -> Table:
    """«Сводная ведомость учёта посещаемости»: each student's missed lessons by reason."""
    (class_id,) = require(params, "class_id")
    school_class = data.get_class(class_id)
    start, end = date_range(data, params, school_class.parallel)
    roster = data.students_ever_in(school_class.id) if params.period is None else None
    roster = roster or data.roster(school_class.id, end)
    rows: list[list[Cell]] = []
    total = Absences()
    for number, student in enumerate(roster, start=1):
        missed = absences(data.attendance_of(student, start, end))
        total += missed
        rows.append([number, _student_name(data, student), *missed.cells()])
    return Table(
        columns=(
            col("number", "№", "No."),
            col("student", "Ученик", "Student", "text"),
            *ABSENCE_COLUMNS,
        ),
        rows=rows,
        totals=[None, "Итого", *total.cells()],
        subtitle_ru=f"{school_class.name}, {start:%d.%m.%Y} — {end:%d.%m.%Y}",
        subtitle_en=f"{school_class.name}, {start.isoformat()} to {end.isoformat()}",
    )


def class_attendance(data: ReportData, params: ReportParams) -> Table:
    """«Отчёт о посещаемости класса»: day by day, lessons held and lessons missed."""
    (class_id,) = require(params, "class_id")
    school_class = data.get_class(class_id)
    start, end = date_range(data, params, school_class.parallel)
    lessons_on: dict[dt.date, int] = {}
    for lesson in data.lessons_by_class.get(school_class.id, ()):
        if start <= lesson.date <= end and lesson.state is LessonState.HELD:
            lessons_on[lesson.date] = lessons_on.get(lesson.date, 0) + 1
    class_lessons = {lesson.id for lesson in data.lessons_by_class.get(school_class.id, ())}
    records_on: dict[dt.date, list[Attendance]] = {}
    for record in data.attendance:
        if start <= record.date <= end and record.lesson_id in class_lessons:
            records_on.setdefault(record.date, []).append(record)
    rows: list[list[Cell]] = []
    total = Absences()
    for day in sorted(set(lessons_on) | set(records_on)):
        records = records_on.get(day, [])
        missed = absences(records)
        total += missed
        absent_students = len({r.student_id for r in records if r.kind is AttendanceKind.ABSENT})
        rows.append([day, lessons_on.get(day, 0), absent_students, *missed.cells()])
    return Table(
        columns=(
            col("date", "Дата", "Date", "date"),
            col("lessons", "Уроков", "Lessons"),
            col("absent_students", "Отсутствовало учеников", "Students absent"),
            *ABSENCE_COLUMNS,
        ),
        rows=rows,
        totals=[None, sum(lessons_on.values()), None, *total.cells()],
        subtitle_ru=f"{school_class.name}, {start:%d.%m.%Y} — {end:%d.%m.%Y}",
        subtitle_en=f"{school_class.name}, {start.isoformat()} to {end.isoformat()}",
    )


def student_final_data(data: ReportData, params: ReportParams) -> Table:
    """«Итоговые данные по учащимся»: annual marks, debts and the end-of-year decision.

    The decision is the movement book's, with the subjects of the debts it records beside it
    (a repaid debt with its day), so the sheet shows what the order decided and why.
    """
    (class_id,) = require(params, "class_id")
    school_class = data.get_class(class_id)
    roster = data.students_ever_in(school_class.id)
    rows: list[list[Cell]] = []
    every: list[MarkValue] = []
    for number, student in enumerate(roster, start=1):
        annual = data.attestation_of(student, YEAR_PERIOD)
        values = [mark.value for mark in annual.values()]
        every.extend(values)
        debts = [
            data.subject_name(subject)
            for subject, mark in sorted(annual.items(), key=lambda kv: _order(data, kv[0]))
            if mark.value.unsatisfactory
        ]
        decision: str | None = None
        if data.orders:
            status = data.book.latest_status(student)
            decision = status.decision.label_ru if status.decision else status.kind.label_ru
            owed = _debts_of_decision(data, student)
            if owed:
                decision = f"{decision}: {owed}"
        rows.append(
            [
                number,
                _student_name(data, student),
                *_count_row(values),
                ", ".join(debts) or None,
                decision,
            ]
        )
    return Table(
        columns=(
            col("number", "№", "No."),
            col("student", "Ученик", "Student", "text"),
            col("n5", "Годовых «5»", "Annual «5»"),
            col("n4", "Годовых «4»", "Annual «4»"),
            col("n3", "Годовых «3»", "Annual «3»"),
            col("n2", "Годовых «2»", "Annual «2»"),
            col("na", "н/а", "n/a"),
            col("average", "Средний годовой балл", "Annual average", "decimal"),
            col("debts", "Академическая задолженность", "Academic debts", "text"),
            col("decision", "Решение (движение)", "Decision (movement)", "text"),
        ),
        rows=rows,
        totals=[None, "Итого", *_count_row(every), None, None],
        subtitle_ru=f"{school_class.name}, {data.year} учебный год",
        subtitle_en=f"{school_class.name}, academic year {data.year}",
    )


def _debts_of_decision(data: ReportData, student: StudentId) -> str:
    """The subjects of a student's academic debts as the book records them, repaid ones dated."""
    debts = sorted(
        (debt for debt in data.book.debts() if debt.student_id == student),
        key=lambda debt: _order(data, debt.subject_id),
    )
    return ", ".join(
        data.subject_name(debt.subject_id)
        + ("" if debt.repaid_on is None else f" (ликвидирована {debt.repaid_on:%d.%m.%Y})")
        for debt in debts
    )


def _order(data: ReportData, subject: SubjectId) -> tuple[int, str]:
    found = data.subject_by_id.get(subject)
    return (found.order if found else 10_000, subject)


_SEX = {Sex.MALE: ("м", "m"), Sex.FEMALE: ("ж", "f")}


def student_general_info(data: ReportData, params: ReportParams) -> Table:
    """«Общие сведения об обучающихся»: the roster with birth dates, ages, sex and parents."""
    (class_id,) = require(params, "class_id")
    school_class = data.get_class(class_id)
    day = params.as_of or data.year_span[0]
    roster = data.roster(school_class.id, day)
    guardians = {g.id: g for g in data.guardians}
    parents: dict[StudentId, list[str]] = {}
    for link in data.guardian_links:
        guardian = guardians.get(link.guardian_id)
        if guardian is not None:
            parents.setdefault(link.student_id, []).append(guardian.person.full_name)
    rows: list[list[Cell]] = []
    for number, student_id in enumerate(roster, start=1):
        person = data.get_student(student_id).person
        sex = None if person.sex is None else _SEX[person.sex][0]
        rows.append(
            [
                number,
                person.full_name,
                person.birth_date,
                person.age_on(day),
                sex,
                data.get_student(student_id).personal_file_number,
                "; ".join(sorted(parents.get(student_id, []))) or None,
            ]
        )
    return Table(
        columns=(
            col("number", "№", "No."),
            col("student", "ФИО обучающегося", "Student", "text"),
            col("birth_date", "Дата рождения", "Date of birth", "date"),
            col("age", "Возраст (полных лет)", "Age (years)"),
            col("sex", "Пол", "Sex", "text"),
            col("file", "№ личного дела", "Personal file no.", "text"),
            col("parents", "Родители (законные представители)", "Parents (guardians)", "text"),
        ),
        rows=rows,
        subtitle_ru=f"{school_class.name}, на {day:%d.%m.%Y}",
        subtitle_en=f"{school_class.name}, as of {day.isoformat()}",
    )


def performance_quality(data: ReportData, params: ReportParams) -> Table:
    """«Итоги успеваемости и качества знаний»: per subject, success and quality per period.

    With a ``period``, the columns run from the year's first period up to that one (the
    year's column only once the period ends the year); without one, the whole year.
    """
    (class_id,) = require(params, "class_id")
    school_class = data.get_class(class_id)
    spans = data.periods[school_class.parallel]
    keys = [span.key for span in spans] + [YEAR_PERIOD]
    subtitle_ru = f"{school_class.name}, {data.year} учебный год"
    subtitle_en = f"{school_class.name}, academic year {data.year}"
    if params.period is not None and params.period != YEAR_PERIOD:
        last = data.period(school_class.parallel, params.period)
        keys = [span.key for span in spans if span.end <= last.end]
        if last == spans[-1]:
            keys.append(YEAR_PERIOD)
        else:
            subtitle_ru += f", по итогам: {period_name(last.key)}"
            subtitle_en += f", up to: {period_name(last.key, 'en')}"
    subjects = data.subjects_of_class(school_class.id)
    by_key: dict[str, dict[StudentId, Mapping[SubjectId, MarkValue]]] = {}
    for key in keys:
        span = data.period(school_class.parallel, key)
        roster = data.roster(school_class.id, span.end)
        by_key[key] = _class_marks(data, key, roster)
    columns: list[Column] = [col("subject", "Предмет", "Subject", "text")]
    for key in keys:
        ru = "Год" if key == YEAR_PERIOD else period_name(key)
        en = "Year" if key == YEAR_PERIOD else period_name(key, "en")
        columns.append(col(f"{key}_success", f"{ru}: успеваемость", f"{en}: success", "percent"))
        columns.append(col(f"{key}_quality", f"{ru}: качество", f"{en}: quality", "percent"))
    rows: list[list[Cell]] = []
    for subject in subjects:
        row: list[Cell] = [subject.name]
        for key in keys:
            marks = by_key[key]
            stats = mark_statistics(marks[s].get(subject.id) for s in marks)
            row.extend([stats.success_rate, stats.quality])
        rows.append(row)
    totals: list[Cell] = ["Итого по всем предметам"]
    for key in keys:
        marks = by_key[key]
        everything = all_subjects_statistics({s: list(marks[s].values()) for s in marks})
        totals.extend([everything.by_student.success_rate, everything.by_student.quality])
    return Table(
        columns=columns,
        rows=rows,
        totals=totals,
        subtitle_ru=subtitle_ru,
        subtitle_en=subtitle_en,
        notes_ru=statistics_notes("ru"),
        notes_en=statistics_notes("en"),
    )


def subject_teacher(data: ReportData, params: ReportParams) -> Table:
    """«Отчёт учителя-предметника»: the period marks' figures in each class and subject taught."""
    teacher_id, period = require(params, "teacher_id", "period")
    teacher = data.get_employee(teacher_id)
    groups = {g.id: g for g in data.groups}
    rows: list[list[Cell]] = []
    pooled: dict[StudentId, list[MarkValue | None]] = {}
    keyed: list[tuple[tuple[int, str, int, str], list[Cell]]] = []
    for assignment in data.assignments:
        if assignment.teacher_id != teacher.id:
            continue
        if assignment.class_id is not None:
            school_class = data.class_by_id.get(assignment.class_id)
            if school_class is None:
                continue
            span = data.period(school_class.parallel, period)
            students: Sequence[StudentId] = data.roster(school_class.id, span.end)
            name, parallel = school_class.name, school_class.parallel
        else:
            group = groups.get(assignment.group_id) if assignment.group_id else None
            if group is None or not group.class_ids:
                continue
            first = data.class_by_id.get(group.class_ids[0])
            if first is None:
                continue
            span = data.period(first.parallel, period)
            students = sorted(group.student_ids)
            name, parallel = group.name, first.parallel
        values = [
            (
                mark.value
                if (mark := data.attestation_of(s, span.key).get(assignment.subject_id))
                else None
            )
            for s in students
        ]
        for student, value in zip(students, values, strict=True):
            pooled.setdefault(student, []).append(value)
        subject = data.subject_by_id.get(assignment.subject_id)
        keyed.append(
            (
                (parallel, name, subject.order if subject else 0, assignment.subject_id),
                [
                    name,
                    data.subject_name(assignment.subject_id),
                    period_name(span.key),
                    len(students),
                    *stat_cells(mark_statistics(values)),
                ],
            )
        )
    rows = [row for _key, row in sorted(keyed, key=lambda pair: pair[0])]
    everything = all_subjects_statistics(pooled)
    students_total = sum(int(row[3]) for row in rows if isinstance(row[3], int))
    return Table(
        columns=(
            col("class", "Класс (группа)", "Class (group)", "text"),
            col("subject", "Предмет", "Subject", "text"),
            col("period", "Период", "Period", "text"),
            col("students", "Учащихся", "Students"),
            *STAT_COLUMNS,
        ),
        rows=rows,
        totals=[
            "Итого",
            None,
            None,
            students_total,
            *stat_cells(everything.by_mark, everything.by_student),
        ],
        subtitle_ru=(
            f"{teacher.person.full_name}, {period_name(period)} {data.year} учебного года"
        ),
        subtitle_en=f"{teacher.person.full_name}, {period_name(period, 'en')}, {data.year}",
        notes_ru=statistics_notes("ru"),
        notes_en=statistics_notes("en"),
    )
