"""School-level reports (R11.3a-b, R11.3e, R4.2b): summaries, occupancy, movement, ОО-1."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from eschool_core.grading import all_subjects_statistics
from eschool_core.ids import StudentId
from eschool_core.journal import MarkValue
from eschool_core.movement import EducationForm, OrderKind, StatusKind
from eschool_core.people import EmployeeStatus, Sex
from eschool_core.reports._class import (
    STAT_COLUMNS,
    period_subtitle,
    stat_cells,
    statistics_notes,
)
from eschool_core.reports._common import (
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
from eschool_core.school import SchoolClass

__all__ = [
    "class_occupancy",
    "class_teachers_summary",
    "oo1_by_age",
    "oo1_by_form",
    "oo1_by_grade",
    "school_movement",
    "school_performance",
    "transition_state",
]

_CATEGORY_COLUMNS: tuple[Column, ...] = (
    col("excellent", "Отличников", "Excellent"),
    col("good", "Хорошистов", "Good"),
    col("one_three", "С одной «3»", "One «3»"),
    col("failing", "Неуспевающих", "Failing"),
    col("not_attested", "Не аттестовано", "Not attested"),
)


def _class_figures(
    data: ReportData, school_class: SchoolClass, period: str
) -> tuple[list[StudentId], dict[StudentId, list[MarkValue]], Counter[StudentCategory], str]:
    span = data.period(school_class.parallel, period)
    roster = list(data.roster(school_class.id, span.end))
    marks = {s: [m.value for m in data.attestation_of(s, span.key).values()] for s in roster}
    categories = Counter(category_of(marks[s]) for s in roster)
    return roster, marks, categories, span.key


def _category_cells(categories: Counter[StudentCategory]) -> list[Cell]:
    return [
        categories[StudentCategory.EXCELLENT],
        categories[StudentCategory.GOOD],
        categories[StudentCategory.ONE_THREE],
        categories[StudentCategory.FAILING],
        categories[StudentCategory.NOT_ATTESTED],
    ]


def class_teachers_summary(data: ReportData, params: ReportParams) -> Table:
    """«Сводный отчёт классного руководителя» (по школе): every class's period results."""
    (period,) = require(params, "period")
    rows: list[list[Cell]] = []
    all_marks: dict[StudentId, list[MarkValue]] = {}
    all_categories: Counter[StudentCategory] = Counter()
    all_absences = Absences()
    student_total = 0
    for school_class in data.classes:
        roster, marks, categories, key = _class_figures(data, school_class, period)
        span = data.period(school_class.parallel, key)
        missed = Absences()
        for student in roster:
            missed += absences(data.attendance_of(student, span.start, span.end))
        stats = all_subjects_statistics(marks)
        all_marks.update(marks)
        all_categories.update(categories)
        all_absences += missed
        student_total += len(roster)
        rows.append(
            [
                school_class.name,
                data.employee_name(school_class.class_teacher_id),
                len(roster),
                *_category_cells(categories),
                stats.by_student.success_rate,
                stats.by_student.quality,
                stats.by_mark.average,
                missed.total,
                missed.illness + missed.valid,
                missed.unexcused + missed.unknown,
            ]
        )
    everything = all_subjects_statistics(all_marks)
    totals: list[Cell] = [
        "Итого по школе",
        None,
        student_total,
        *_category_cells(all_categories),
        everything.by_student.success_rate,
        everything.by_student.quality,
        everything.by_mark.average,
        all_absences.total,
        all_absences.illness + all_absences.valid,
        all_absences.unexcused + all_absences.unknown,
    ]
    ru, en = period_subtitle(None, period, data)
    return Table(
        columns=(
            col("class", "Класс", "Class", "text"),
            col("class_teacher", "Классный руководитель", "Class teacher", "text"),
            col("students", "Учащихся", "Students"),
            *_CATEGORY_COLUMNS,
            col("success", "Успеваемость", "Success rate", "percent"),
            col("quality", "Качество знаний", "Quality", "percent"),
            col("average", "Средний балл", "Average mark", "decimal"),
            col("absent", "Пропущено уроков", "Lessons missed"),
            col("excused", "По уважительной причине", "Excused"),
            col("unexcused", "Без уважительной причины", "Unexcused"),
        ),
        rows=rows,
        totals=totals,
        subtitle_ru=ru,
        subtitle_en=en,
        notes_ru=statistics_notes("ru"),
        notes_en=statistics_notes("en"),
    )


def school_performance(data: ReportData, params: ReportParams) -> Table:
    """«Сводный отчёт об успеваемости по школе»: per parallel, categories and figures."""
    (period,) = require(params, "period")
    by_parallel: dict[int, tuple[dict[StudentId, list[MarkValue]], Counter[StudentCategory]]] = {}
    for school_class in data.classes:
        _roster, marks, categories, _key = _class_figures(data, school_class, period)
        own_marks, own_categories = by_parallel.setdefault(school_class.parallel, ({}, Counter()))
        own_marks.update(marks)
        own_categories.update(categories)
    rows: list[list[Cell]] = []
    all_marks: dict[StudentId, list[MarkValue]] = {}
    all_categories: Counter[StudentCategory] = Counter()
    for parallel, (marks, categories) in sorted(by_parallel.items()):
        stats = all_subjects_statistics(marks)
        all_marks.update(marks)
        all_categories.update(categories)
        rows.append(
            [
                str(parallel),
                len(marks),
                *_category_cells(categories),
                *stat_cells(stats.by_mark, stats.by_student),
            ]
        )
    everything = all_subjects_statistics(all_marks)
    totals: list[Cell] = [
        "Итого по школе",
        len(all_marks),
        *_category_cells(all_categories),
        *stat_cells(everything.by_mark, everything.by_student),
    ]
    ru, en = period_subtitle(None, period, data)
    return Table(
        columns=(
            col("parallel", "Параллель", "Grade", "text"),
            col("students", "Учащихся", "Students"),
            *_CATEGORY_COLUMNS,
            *STAT_COLUMNS,
        ),
        rows=rows,
        totals=totals,
        subtitle_ru=ru,
        subtitle_en=en,
        notes_ru=statistics_notes("ru"),
        notes_en=statistics_notes("en"),
    )


def _as_of(data: ReportData, params: ReportParams) -> dt.date:
    return params.as_of or params.end or data.year_span[0]


def _sex_counts(data: ReportData, students: list[StudentId]) -> tuple[int, int]:
    sexes = Counter(data.get_student(s).person.sex for s in students)
    return sexes[Sex.MALE], sexes[Sex.FEMALE]


def class_occupancy(data: ReportData, params: ReportParams) -> Table:
    """«Наполняемость классов»: students per class on a day, by sex, against capacity."""
    day = _as_of(data, params)
    rows: list[list[Cell]] = []
    totals = [0, 0, 0, 0, 0]
    for school_class in data.classes:
        roster = list(data.roster(school_class.id, day))
        boys, girls = _sex_counts(data, roster)
        capacity = data.book.capacity(school_class)
        free = max(capacity - len(roster), 0)
        rows.append(
            [
                school_class.name,
                data.employee_name(school_class.class_teacher_id),
                school_class.shift,
                len(roster),
                boys,
                girls,
                capacity,
                free,
            ]
        )
        for index, value in enumerate((len(roster), boys, girls, capacity, free)):
            totals[index] += value
    return Table(
        columns=(
            col("class", "Класс", "Class", "text"),
            col("class_teacher", "Классный руководитель", "Class teacher", "text"),
            col("shift", "Смена", "Shift"),
            col("students", "Учащихся", "Students"),
            col("boys", "Мальчиков", "Boys"),
            col("girls", "Девочек", "Girls"),
            col("capacity", "Предельная наполняемость", "Capacity"),
            col("free", "Свободных мест", "Free places"),
        ),
        rows=rows,
        totals=["Итого", None, None, *totals],
        subtitle_ru=f"на {day:%d.%m.%Y}",
        subtitle_en=f"as of {day.isoformat()}",
    )


_ARRIVALS = (OrderKind.ENROLLMENT, OrderKind.ATTACHMENT, OrderKind.TRANSFER)
_DEPARTURES = (
    OrderKind.WITHDRAWAL,
    OrderKind.DETACHMENT,
    OrderKind.TRANSFER,
    OrderKind.FAMILY_EDUCATION,
    OrderKind.SELF_EDUCATION,
    OrderKind.GRADUATION,
)


def school_movement(data: ReportData, params: ReportParams) -> Table:
    """«Движение учащихся по школе»: per class, students at the start, arrivals, departures, end."""
    start, end = date_range(data, params)
    rows: list[list[Cell]] = []
    sums = [0] * 11
    for row in data.book.movement(start, end):
        if row.scope.value != "class":
            continue
        other_in = row.arrived_total - sum(row.arrived.get(kind, 0) for kind in _ARRIVALS)
        other_out = row.left_total - sum(row.left.get(kind, 0) for kind in _DEPARTURES)
        cells = [
            row.at_start,
            row.arrived.get(OrderKind.ENROLLMENT, 0) + row.arrived.get(OrderKind.ATTACHMENT, 0),
            row.arrived.get(OrderKind.TRANSFER, 0),
            other_in,
            row.left.get(OrderKind.WITHDRAWAL, 0) + row.left.get(OrderKind.DETACHMENT, 0),
            row.left.get(OrderKind.TRANSFER, 0),
            row.left.get(OrderKind.FAMILY_EDUCATION, 0) + row.left.get(OrderKind.SELF_EDUCATION, 0),
            row.left.get(OrderKind.GRADUATION, 0),
            other_out,
            row.at_end,
            row.at_end - row.at_start,
        ]
        rows.append([row.name, *cells])
        sums = [a + b for a, b in zip(sums, cells, strict=True)]
    return Table(
        columns=(
            col("class", "Класс", "Class", "text"),
            col("at_start", "На начало периода", "At start"),
            col("enrolled", "Прибыло (зачислено)", "Enrolled"),
            col("transferred_in", "Переведено из др. класса", "Transferred in"),
            col("other_in", "Прибыло по др. основаниям", "Other arrivals"),
            col("withdrawn", "Выбыло", "Withdrawn"),
            col("transferred_out", "Переведено в др. класс", "Transferred out"),
            col("family", "На семейное обучение / самообразование", "Family / self education"),
            col("graduated", "Выпущено", "Graduated"),
            col("other_out", "Выбыло по др. основаниям", "Other departures"),
            col("at_end", "На конец периода", "At end"),
            col("change", "Изменение", "Change"),
        ),
        rows=rows,
        totals=["Итого (сумма по классам)", *sums],
        subtitle_ru=f"{start:%d.%m.%Y} — {end:%d.%m.%Y}",
        subtitle_en=f"{start.isoformat()} to {end.isoformat()}",
    )


def transition_state(data: ReportData, params: ReportParams) -> Table:
    """«Состояние перехода на следующий учебный год»: the steps of R4.1-R4.7 and their state."""
    day = params.as_of or data.year_span[1]
    first_year = int(data.year[:4])
    stale_staff = sum(
        1
        for e in data.employees
        if e.dismissed_on is not None
        and e.dismissed_on <= day
        and e.status is not EmployeeStatus.DISMISSED
    )
    problems = data.book.year_close_problems(data.year) if data.orders else ()
    open_debts = len(data.book.open_debts(day)) if data.orders else 0
    missing_annual = 0
    for school_class in data.classes:
        subjects = data.subjects_of_class(school_class.id)
        for student in data.roster(school_class.id, data.year_span[1]):
            annual = data.attestation_of(student, YEAR_PERIOD)
            missing_annual += sum(1 for s in subjects if s.id not in annual)

    def state(done: bool, due: dt.date | None = None) -> str:
        if done:
            return "выполнено"
        return "срок не наступил" if due is not None and day < due else "не выполнено"

    steps: list[list[Cell]] = [
        [
            "Уволенные сотрудники имеют статус «уволен»",
            "R4.3",
            dt.date(first_year + 1, 4, 1),
            stale_staff,
            state(stale_staff == 0, dt.date(first_year + 1, 4, 1)),
        ],
        [
            "Годовые отметки выставлены (недостающих)",
            "R8.9",
            data.year_span[1],
            missing_annual,
            state(missing_annual == 0, data.year_span[1]),
        ],
        [
            "Приказы о переводе и выпуске внесены (замечаний)",
            "R4.7",
            dt.date(first_year + 1, 7, 1),
            len(problems),
            state(not problems and bool(data.orders), dt.date(first_year + 1, 7, 1)),
        ],
        [
            "Открытые академические задолженности",
            "R10.1c",
            None,
            open_debts,
            state(open_debts == 0),
        ],
        [
            "Формирование нового учебного года завершено",
            "R4.2a",
            dt.date(first_year + 1, 9, 20),
            None,
            state(
                not problems and bool(data.orders) and missing_annual == 0 and stale_staff == 0,
                dt.date(first_year + 1, 9, 20),
            ),
        ],
    ]
    return Table(
        columns=(
            col("step", "Этап", "Step", "text"),
            col("requirement", "Требование", "Requirement", "text"),
            col("due", "Срок", "Due", "date"),
            col("count", "Количество", "Count"),
            col("state", "Состояние", "State", "text"),
        ),
        rows=steps,
        subtitle_ru=f"{data.year}, на {day:%d.%m.%Y}",
        subtitle_en=f"{data.year}, as of {day.isoformat()}",
    )


def _enrolled(data: ReportData, day: dt.date) -> list[tuple[SchoolClass, StudentId]]:
    return [(c, s) for c in data.classes for s in data.roster(c.id, day)]


def oo1_by_grade(data: ReportData, params: ReportParams) -> Table:
    """Form ОО-1: classes and students by grade, with girls, on the reporting day (R11.3e)."""
    day = _as_of(data, params)
    rows: list[list[Cell]] = []
    totals = [0, 0, 0]
    for parallel in range(1, 12):
        classes = [c for c in data.classes if c.parallel == parallel]
        if not classes:
            continue
        students = [s for c in classes for s in data.roster(c.id, day)]
        _boys, girls = _sex_counts(data, students)
        rows.append([str(parallel), len(classes), len(students), girls])
        totals = [a + b for a, b in zip(totals, (len(classes), len(students), girls), strict=True)]
    return Table(
        columns=(
            col("grade", "Класс (параллель)", "Grade", "text"),
            col("classes", "Число классов", "Classes"),
            col("students", "Численность обучающихся", "Students"),
            col("girls", "из них девочек", "of them girls"),
        ),
        rows=rows,
        totals=["Итого", *totals],
        subtitle_ru=f"на {day:%d.%m.%Y}",
        subtitle_en=f"as of {day.isoformat()}",
    )


def oo1_by_age(data: ReportData, params: ReportParams) -> Table:
    """Form ОО-1: students by age (full years on 1 January of the next year) and sex."""
    day = _as_of(data, params)
    reference = dt.date(day.year + 1 if day.month >= 9 else day.year, 1, 1)
    counts: Counter[tuple[int | None, Sex | None]] = Counter()
    for _school_class, student in _enrolled(data, day):
        person = data.get_student(student).person
        counts[(person.age_on(reference), person.sex)] += 1
    ages = sorted({age for age, _sex in counts if age is not None})
    rows: list[list[Cell]] = []
    for age in ages:
        boys, girls = counts[(age, Sex.MALE)], counts[(age, Sex.FEMALE)]
        rows.append([age, boys + girls + counts[(age, None)], boys, girls])
    unknown = sum(n for (age, _sex), n in counts.items() if age is None)
    if unknown:
        rows.append([None, unknown, None, None])
    return Table(
        columns=(
            col("age", "Возраст, полных лет", "Age, full years"),
            col("students", "Численность обучающихся", "Students"),
            col("boys", "юношей", "boys"),
            col("girls", "девушек", "girls"),
        ),
        rows=rows,
        totals=[
            None,
            sum(counts.values()),
            sum(n for (_a, sex), n in counts.items() if sex is Sex.MALE),
            sum(n for (_a, sex), n in counts.items() if sex is Sex.FEMALE),
        ],
        subtitle_ru=f"возраст на {reference:%d.%m.%Y}, контингент на {day:%d.%m.%Y}",
        subtitle_en=f"age on {reference.isoformat()}, students as of {day.isoformat()}",
    )


def oo1_by_form(data: ReportData, params: ReportParams) -> Table:
    """Form ОО-1: students by form of education (in class, family education, self-education)."""
    day = _as_of(data, params)
    in_class = len(_enrolled(data, day))
    forms: Counter[EducationForm] = Counter()
    if data.orders:
        for student in data.book.students():
            status = data.book.status_on(student, day)
            if status.kind is StatusKind.ATTACHED and status.education_form is not None:
                forms[status.education_form] += 1
    rows: list[list[Cell]] = [
        ["Очная (в классах)", in_class],
        ["Семейное образование", forms[EducationForm.FAMILY]],
        ["Самообразование", forms[EducationForm.SELF]],
    ]
    return Table(
        columns=(
            col("form", "Форма получения образования", "Form of education", "text"),
            col("students", "Численность обучающихся", "Students"),
        ),
        rows=rows,
        totals=["Итого", in_class + forms.total()],
        subtitle_ru=f"на {day:%d.%m.%Y}",
        subtitle_en=f"as of {day.isoformat()}",
    )
