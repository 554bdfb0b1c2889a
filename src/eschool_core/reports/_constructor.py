"""The report constructor (R11.6): a dataset, filters, grouping and measures give a typed table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import attrs

from eschool_core.errors import ValidationError
from eschool_core.grading import mark_statistics, plain_average, weighted_average
from eschool_core.ids import StudentId
from eschool_core.journal import Attendance, Lesson, Mark
from eschool_core.movement import Order, OrderItem
from eschool_core.rbac import Action, Actor, Authorizer
from eschool_core.reports._catalogue import authorize_report
from eschool_core.reports._common import Absences, absences, col
from eschool_core.reports._data import ReportData
from eschool_core.reports._errors import REPORT_CONSTRUCTOR_QUERY
from eschool_core.reports._table import Cell, Column, Report, ReportParams
from eschool_core.school import SchoolClass
from eschool_core.texts import Text

__all__ = ["DIMENSIONS", "Dataset", "Measure", "Query", "build_custom_report"]


class Dataset(StrEnum):
    """What the constructor counts."""

    MARKS = "marks"
    ATTENDANCE = "attendance"
    STUDENTS = "students"
    LESSONS = "lessons"
    ORDERS = "orders"


class Measure(StrEnum):
    """A figure the constructor computes for each group."""

    COUNT = "count"
    """Number of records."""
    AVERAGE = "average"
    """Plain mean of the scores (marks)."""
    WEIGHTED_AVERAGE = "weighted_average"
    """Weighted average of the scores by the grading policy (marks)."""
    SUCCESS_RATE = "success_rate"
    """Успеваемость of the marks, each mark counted once (marks)."""
    QUALITY = "quality"
    """Качество знаний of the marks (marks)."""
    DEGREE_OF_LEARNING = "degree_of_learning"
    """СОУ of the marks (marks)."""
    ABSENCES_BY_REASON = "absences_by_reason"
    """Missed lessons by reason and late arrivals (attendance)."""


DIMENSIONS: Mapping[Dataset, tuple[str, ...]] = MappingProxyType(
    {
        Dataset.MARKS: ("class", "parallel", "subject", "teacher", "student", "month", "work_type"),
        Dataset.ATTENDANCE: ("class", "parallel", "subject", "student", "month", "reason", "kind"),
        Dataset.STUDENTS: ("class", "parallel", "sex", "age"),
        Dataset.LESSONS: ("class", "subject", "teacher", "month", "state"),
        Dataset.ORDERS: ("kind", "class", "month"),
    }
)
"""The dimensions each dataset can be filtered and grouped by."""

_MEASURES: Mapping[Dataset, frozenset[Measure]] = MappingProxyType(
    {
        Dataset.MARKS: frozenset(Measure) - {Measure.ABSENCES_BY_REASON},
        Dataset.ATTENDANCE: frozenset({Measure.COUNT, Measure.ABSENCES_BY_REASON}),
        Dataset.STUDENTS: frozenset({Measure.COUNT}),
        Dataset.LESSONS: frozenset({Measure.COUNT}),
        Dataset.ORDERS: frozenset({Measure.COUNT}),
    }
)

_DIMENSION_TITLES = {
    "class": ("Класс", "Class"),
    "parallel": ("Параллель", "Grade"),
    "subject": ("Предмет", "Subject"),
    "teacher": ("Учитель", "Teacher"),
    "student": ("Ученик", "Student"),
    "month": ("Месяц", "Month"),
    "work_type": ("Вид работы", "Work type"),
    "reason": ("Причина", "Reason"),
    "kind": ("Вид", "Kind"),
    "sex": ("Пол", "Sex"),
    "age": ("Возраст", "Age"),
    "state": ("Состояние", "State"),
}


def _to_dimensions(value: Sequence[str]) -> tuple[str, ...]:
    return tuple(value)


def _to_dataset(value: Dataset | str) -> Dataset:
    try:
        return Dataset(value)
    except ValueError as exc:
        known = ", ".join(Dataset)
        raise _query_error(
            f"неизвестный набор данных «{value}» (есть: {known})",
            f"unknown dataset '{value}' ({known})",
        ) from exc


def _to_measures(value: Sequence[Measure | str]) -> tuple[Measure, ...]:
    try:
        return tuple(Measure(item) for item in value)
    except ValueError as exc:
        known = ", ".join(Measure)
        raise _query_error(
            f"неизвестный показатель (есть: {known})", f"unknown measure ({known})"
        ) from exc


def _to_filters(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Query:
    """A constructor query (R11.6).

    Attributes:
        dataset: What to count.
        group_by: Dimensions to group by (in order); none gives one row.
        measures: Figures per group (at least one).
        filters: Dimension values a record must have (``{"class": "5А"}``).
        start: First day of records (by their date), if limited.
        end: Last day, if limited.

    Raises:
        ValidationError: For an unknown dimension, a measure the dataset has not, no
            measure, or a reversed range.

    >>> Query(dataset="marks", group_by=["subject"], measures=["count", "quality"]).measures
    (<Measure.COUNT: 'count'>, <Measure.QUALITY: 'quality'>)
    """

    dataset: Dataset = attrs.field(converter=_to_dataset)
    measures: tuple[Measure, ...] = attrs.field(converter=_to_measures)
    group_by: tuple[str, ...] = attrs.field(default=(), converter=_to_dimensions)
    filters: Mapping[str, str] = attrs.field(factory=dict, converter=_to_filters)
    start: dt.date | None = None
    end: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        known = DIMENSIONS[self.dataset]
        for name in (*self.group_by, *self.filters):
            if name not in known:
                raise _query_error(
                    f"у набора «{self.dataset}» нет измерения «{name}» (есть: {', '.join(known)})",
                    f"dataset '{self.dataset}' has no dimension '{name}' ({', '.join(known)})",
                )
        if not self.measures:
            raise _query_error("не выбрано ни одного показателя", "no measure is chosen")
        for measure in self.measures:
            if measure not in _MEASURES[self.dataset]:
                raise _query_error(
                    f"показатель «{measure}» неприменим к набору «{self.dataset}»",
                    f"measure '{measure}' does not apply to dataset '{self.dataset}'",
                )
        if self.start is not None and self.end is not None and self.end < self.start:
            raise _query_error("конец периода раньше начала", "the range ends before it starts")


def _query_error(ru: str, en: str) -> ValidationError:
    return REPORT_CONSTRUCTOR_QUERY.error(details={}, reason=Text(ru, en))


class _Dims:
    """Computes dimension values of records lazily, with caches."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self._class_cache: dict[tuple[StudentId, dt.date], SchoolClass | None] = {}

    def class_of(self, student: StudentId, day: dt.date) -> SchoolClass | None:
        key = (student, day)
        if key not in self._class_cache:
            self._class_cache[key] = self.data.class_of(student, day)
        return self._class_cache[key]

    def lesson_class(self, lesson: Lesson) -> SchoolClass | None:
        return None if lesson.class_id is None else self.data.class_by_id.get(lesson.class_id)


def _class_name(school_class: SchoolClass | None) -> str:
    return "—" if school_class is None else school_class.name


def _parallel(school_class: SchoolClass | None) -> str:
    return "—" if school_class is None else str(school_class.parallel)


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


Record = tuple[dt.date | None, Callable[[str], str], Any]


def _records(data: ReportData, dataset: Dataset, dims: _Dims, day: dt.date) -> Iterator[Record]:
    if dataset is Dataset.MARKS:
        for mark in data.marks:
            yield mark.date, _mark_dim(data, dims, mark), mark
    elif dataset is Dataset.ATTENDANCE:
        for record in data.attendance:
            yield record.date, _attendance_dim(data, dims, record), record
    elif dataset is Dataset.STUDENTS:
        for school_class in data.classes:
            for student in data.roster(school_class.id, day):
                yield None, _student_dim(data, school_class, student, day), student
    elif dataset is Dataset.LESSONS:
        for lesson in data.lessons:
            yield lesson.date, _lesson_dim(data, dims, lesson), lesson
    else:
        for order in data.orders:
            for item in order.items:
                yield order.issued_on, _order_dim(data, order, item), item


def _mark_dim(data: ReportData, dims: _Dims, mark: Mark) -> Callable[[str], str]:
    def value(name: str) -> str:
        if name in {"class", "parallel"}:
            found = dims.class_of(mark.student_id, mark.date)
            return _class_name(found) if name == "class" else _parallel(found)
        if name == "subject":
            return data.subject_name(mark.subject_id)
        if name == "teacher":
            return data.employee_name(mark.author_id) or mark.author_id
        if name == "student":
            return data.get_student(mark.student_id).person.full_name
        if name == "month":
            return _month(mark.date)
        return mark.work_type

    return value


def _attendance_dim(data: ReportData, dims: _Dims, record: Attendance) -> Callable[[str], str]:
    def value(name: str) -> str:
        if name in {"class", "parallel"}:
            found = dims.class_of(record.student_id, record.date)
            return _class_name(found) if name == "class" else _parallel(found)
        if name == "subject":
            lesson = data.lesson_by_id.get(record.lesson_id)
            return "—" if lesson is None else data.subject_name(lesson.subject_id)
        if name == "student":
            return data.get_student(record.student_id).person.full_name
        if name == "month":
            return _month(record.date)
        if name == "reason":
            return record.reason.value
        return record.kind.value

    return value


def _student_dim(
    data: ReportData, school_class: SchoolClass, student: StudentId, day: dt.date
) -> Callable[[str], str]:
    def value(name: str) -> str:
        person = data.get_student(student).person
        if name == "class":
            return school_class.name
        if name == "parallel":
            return str(school_class.parallel)
        if name == "sex":
            return "—" if person.sex is None else person.sex.value
        age = person.age_on(day)
        return "—" if age is None else str(age)

    return value


def _lesson_dim(data: ReportData, dims: _Dims, lesson: Lesson) -> Callable[[str], str]:
    def value(name: str) -> str:
        if name == "class":
            return _class_name(dims.lesson_class(lesson))
        if name == "subject":
            return data.subject_name(lesson.subject_id)
        if name == "teacher":
            teacher = lesson.substitute_id or lesson.teacher_id
            return data.employee_name(teacher) or teacher
        if name == "month":
            return _month(lesson.date)
        return lesson.state.value

    return value


def _order_dim(data: ReportData, order: Order, item: OrderItem) -> Callable[[str], str]:
    def value(name: str) -> str:
        if name == "kind":
            return order.kind.label_ru
        if name == "class":
            found = None if item.class_id is None else data.class_by_id.get(item.class_id)
            return _class_name(found)
        return _month(order.issued_on)

    return value


def _measure_columns(measure: Measure) -> list[Column]:
    if measure is Measure.COUNT:
        return [col("count", "Количество", "Count")]
    if measure is Measure.AVERAGE:
        return [col("average", "Средний балл", "Average mark", "decimal")]
    if measure is Measure.WEIGHTED_AVERAGE:
        return [col("weighted_average", "Средневзвешенный балл", "Weighted average", "decimal")]
    if measure is Measure.SUCCESS_RATE:
        return [col("success", "Успеваемость", "Success rate", "percent")]
    if measure is Measure.QUALITY:
        return [col("quality", "Качество знаний", "Quality", "percent")]
    if measure is Measure.DEGREE_OF_LEARNING:
        return [col("sou", "СОУ", "Degree of learning", "percent")]
    return [
        col("absent", "Пропущено уроков", "Lessons missed"),
        col("illness", "По болезни", "Illness"),
        col("valid", "По уважительной причине", "Valid reason"),
        col("unexcused", "Без уважительной причины", "Unexcused"),
        col("unknown", "Причина не указана", "Reason unknown"),
        col("late", "Опозданий", "Late arrivals"),
    ]


def _measure_cells(data: ReportData, measure: Measure, items: list[Any]) -> list[Cell]:
    if measure is Measure.COUNT:
        return [len(items)]
    if measure is Measure.ABSENCES_BY_REASON:
        counted: Absences = absences(items)
        return counted.cells()
    if measure is Measure.AVERAGE:
        return [plain_average(items)]
    if measure is Measure.WEIGHTED_AVERAGE:
        return [weighted_average(items, data.policy)]
    stats = mark_statistics(mark.value for mark in items)
    if measure is Measure.SUCCESS_RATE:
        return [stats.success_rate]
    if measure is Measure.QUALITY:
        return [stats.quality]
    sou = stats.sou
    return [None if sou is None else sou / 100]


def build_custom_report(
    data: ReportData,
    query: Query,
    *,
    generated_at: dt.datetime,
    actor: Actor | None = None,
    authorizer: Authorizer | None = None,
) -> Report:
    """Build a custom report with the constructor (R11.6).

    Only the administrator, the deputy head, the clerk and the HR specialist may (by the
    role matrix's ``report.constructor`` cells) when an actor is given.

    Raises:
        PermissionDenied: If the actor may not use the constructor.
        ValidationError: If an actor is given without an authorizer.
    """
    params = ReportParams(start=query.start, end=query.end)
    if actor is not None:
        authorize_report(
            Action.REPORT_CONSTRUCTOR,
            data,
            params,
            actor=actor,
            authorizer=authorizer,
            generated_at=generated_at,
        )
    day = query.end or query.start or data.year_span[0]
    groups: dict[tuple[str, ...], list[Any]] = {}
    for when, dim, item in _records(data, query.dataset, _Dims(data), day):
        if when is not None and (
            (query.start is not None and when < query.start)
            or (query.end is not None and when > query.end)
        ):
            continue
        if any(dim(name) != wanted for name, wanted in query.filters.items()):
            continue
        key = tuple(dim(name) for name in query.group_by)
        groups.setdefault(key, []).append(item)
    columns: list[Column] = [col(name, *_DIMENSION_TITLES[name], "text") for name in query.group_by]
    for measure in query.measures:
        columns.extend(_measure_columns(measure))
    rows: list[list[Cell]] = []
    for key in sorted(groups, key=_natural):
        cells: list[Cell] = list(key)
        for measure in query.measures:
            cells.extend(_measure_cells(data, measure, groups[key]))
        rows.append(cells)
    everything = [item for items in groups.values() for item in items]
    totals: list[Cell] = ["Итого" if i == 0 else None for i in range(len(query.group_by))]
    for measure in query.measures:
        totals.extend(_measure_cells(data, measure, everything))
    filters = ", ".join(f"{k} = {v}" for k, v in query.filters.items())
    grouped = ", ".join(query.group_by) or "—"
    return Report(
        code="constructor",
        title_ru="Конструктор отчетов",
        title_en="Report constructor",
        clause="11.6",
        requirement="R11.6",
        school_name=data.school.short_name or data.school.name,
        params=params,
        columns=columns,
        rows=rows,
        totals=totals if query.group_by else None,
        generated_at=generated_at,
        subtitle_ru=f"набор: {query.dataset}; группировка: {grouped}; отбор: {filters or '—'}",
        subtitle_en=f"dataset: {query.dataset}; group by: {grouped}; filters: {filters or '—'}",
    )


def _natural(key: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    def part(text: str) -> tuple[int, int, str]:
        digits = "".join(ch for ch in text if ch.isdigit())
        prefix_is_number = bool(text) and text[0].isdigit()
        return (0 if prefix_is_number else 1, int(digits) if prefix_is_number else 0, text)

    return tuple(part(text) for text in key)
