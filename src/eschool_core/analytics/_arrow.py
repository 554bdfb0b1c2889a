"""Entities to Arrow tables of the analytics schema: a school, its calendar, its periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Protocol

import pyarrow as pa

from eschool_core.analytics._errors import ANALYTICS_NO_SCHOOL
from eschool_core.analytics._schema import SCHEMAS
from eschool_core.calendar import PeriodCode, ProductionCalendar, StudyPeriod
from eschool_core.journal import Attendance, AttestationMark, Lesson, Mark
from eschool_core.movement import Order
from eschool_core.people import Student
from eschool_core.school import ClassMembership, School, SchoolClass, Subject
from eschool_core.year_data import SchoolYearData

__all__ = ["PERIOD_KINDS", "calendar_table", "period_kind", "school_tables"]

PERIOD_KINDS: Mapping[str, str] = MappingProxyType({code.value: code.kind for code in PeriodCode})
"""The kind of each study period's code (``Q1`` is a quarter), from ``PeriodCode.kind``."""


def period_kind(code: str) -> str | None:
    """Return the kind of a study period from its code (``"H2"`` → ``"half_year"``).

    >>> period_kind("Q3"), period_kind("H1"), period_kind("X")
    ('quarter', 'half_year', None)
    """
    return PERIOD_KINDS.get(code)


def _table(name: str, columns: Mapping[str, Sequence[Any]]) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.Table.from_pydict({field.name: columns[field.name] for field in schema}, schema)


def _columns(
    rows: Iterable[Any], getters: Mapping[str, Callable[[Any], Any]]
) -> dict[str, list[Any]]:
    items = list(rows)
    return {name: [get(item) for item in items] for name, get in getters.items()}


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(dt.UTC)


def _weight(mark: Mark, part: str) -> int | None:
    if mark.weight is None:
        return None
    return mark.weight.numerator if part == "num" else mark.weight.denominator


class _WithYearData(Protocol):
    """Anything that carries one school year as :class:`SchoolYearData` (a generated school)."""

    @property
    def year_data(self) -> SchoolYearData: ...


def school_tables(
    school: SchoolYearData | _WithYearData,
    *,
    school_id: str | None = None,
    prefix: str = "",
    orders: Sequence[Order] = (),
) -> dict[str, pa.Table]:
    """Return the tables of one school in the analytics schema (without ``calendar``).

    Args:
        school: One school year's data (a store's), or what carries it as ``year_data``
            (a generated school).
        school_id: The ``school_id`` column; the school's own id by default.
        prefix: Put before every id of the school (students, classes, teachers, lessons,
            marks...), so that many schools share one folder without clashes. Subject ids
            are shared codes and keep no prefix.
        orders: Movement orders of the school, one row per order item.

    Returns:
        Arrow tables by name, in the schema of :data:`SCHEMAS`.

    See :func:`~eschool_core.analytics.write_parquet`, which calls it per school.
    """
    data = school if isinstance(school, SchoolYearData) else school.year_data
    if data.school is None:
        raise ANALYTICS_NO_SCHOOL.error()
    sid = school_id or data.school.id
    year = data.year
    return {
        "schools": schools_table((data.school,), sid),
        "subjects": subjects_table(data.subjects),
        "classes": classes_table(data.classes, sid, prefix),
        "students": students_table(data.students, sid, prefix),
        "memberships": memberships_table(data.memberships, sid, prefix),
        "lessons": lessons_table(data.lessons, sid, prefix),
        "marks": marks_table(data.marks, sid, prefix),
        "attendance": attendance_table(data.attendance, sid, prefix),
        "attestation_marks": attestation_table(data.attestation_marks, sid, prefix),
        "orders": orders_table(orders, sid, prefix),
        "periods": periods_table(
            {parallel: year.periods(parallel) for parallel in year.parallels}, sid
        ),
    }


def _prefixed(prefix: str) -> Callable[[str | None], str | None]:
    """The id with ``prefix`` put before it (``None`` stays ``None``)."""

    def pid(value: str | None) -> str | None:
        return None if value is None else prefix + value

    return pid


def schools_table(schools: Iterable[School], school_id: str | None = None) -> pa.Table:
    """Return schools as the ``schools`` table.

    ``school_id`` replaces the id (of one school: many schools in one folder get their own).
    """
    return _table(
        "schools",
        _columns(
            schools,
            {
                "id": lambda s: school_id or s.id,
                "name": lambda s: s.name,
                "district": lambda s: s.district,
                "region": lambda s: s.region,
                "time_zone": lambda s: s.time_zone,
            },
        ),
    )


def subjects_table(subjects: Iterable[Subject]) -> pa.Table:
    """Return subjects as the ``subjects`` table (subject ids are shared codes: no prefix)."""
    return _table(
        "subjects",
        _columns(
            subjects,
            {
                "id": lambda s: s.id,
                "name": lambda s: s.name,
                "short_name": lambda s: s.short_name,
                "sort_order": lambda s: s.order,
            },
        ),
    )


def classes_table(classes: Iterable[SchoolClass], school_id: str, prefix: str = "") -> pa.Table:
    """Return classes as the ``classes`` table."""
    pid = _prefixed(prefix)
    return _table(
        "classes",
        _columns(
            classes,
            {
                "id": lambda c: pid(c.id),
                "school_id": lambda _c: school_id,
                "year": lambda c: c.year,
                "parallel": lambda c: c.parallel,
                "letter": lambda c: c.letter,
                "class_teacher_id": lambda c: pid(c.class_teacher_id),
            },
        ),
    )


def students_table(students: Iterable[Student], school_id: str, prefix: str = "") -> pa.Table:
    """Return students as the ``students`` table (no names: sex and birth date only)."""
    pid = _prefixed(prefix)
    return _table(
        "students",
        _columns(
            students,
            {
                "id": lambda s: pid(s.id),
                "school_id": lambda _s: school_id,
                "sex": lambda s: None if s.person.sex is None else s.person.sex.value,
                "birth_date": lambda s: s.person.birth_date,
            },
        ),
    )


def memberships_table(
    memberships: Iterable[ClassMembership], school_id: str, prefix: str = ""
) -> pa.Table:
    """Return class memberships as the ``memberships`` table."""
    pid = _prefixed(prefix)
    return _table(
        "memberships",
        _columns(
            memberships,
            {
                "id": lambda m: pid(m.id),
                "school_id": lambda _m: school_id,
                "student_id": lambda m: pid(m.student_id),
                "class_id": lambda m: pid(m.class_id),
                "since": lambda m: m.since,
                "until": lambda m: m.until,
            },
        ),
    )


def lessons_table(lessons: Iterable[Lesson], school_id: str, prefix: str = "") -> pa.Table:
    """Return lessons as the ``lessons`` table."""
    pid = _prefixed(prefix)
    return _table(
        "lessons",
        _columns(
            lessons,
            {
                "id": lambda x: pid(x.id),
                "school_id": lambda _x: school_id,
                "date": lambda x: x.date,
                "number": lambda x: x.number,
                "subject_id": lambda x: x.subject_id,
                "teacher_id": lambda x: pid(x.teacher_id),
                "class_id": lambda x: pid(x.class_id),
                "group_id": lambda x: pid(x.group_id),
                "substitute_id": lambda x: pid(x.substitute_id),
                "topic": lambda x: x.topic,
                "homework": lambda x: x.homework,
                "individual_homework": lambda x: len(x.individual_homework),
                "state": lambda x: x.state.value,
                "topic_entered_at": lambda x: _utc(x.topic_entered_at),
                "homework_entered_at": lambda x: _utc(x.homework_entered_at),
                "late_reason": lambda x: x.late_reason,
            },
        ),
    )


def marks_table(marks: Iterable[Mark], school_id: str, prefix: str = "") -> pa.Table:
    """Return current marks as the ``marks`` table (own weights as numerator/denominator)."""
    return _table(
        "marks",
        _columns(
            marks,
            {
                "id": lambda x: prefix + x.id,
                "school_id": lambda _x: school_id,
                "student_id": lambda x: prefix + x.student_id,
                "subject_id": lambda x: x.subject_id,
                "date": lambda x: x.date,
                "lesson_id": lambda x: None if x.lesson_id is None else prefix + x.lesson_id,
                "value": lambda x: str(x.value),
                "work_type": lambda x: x.work_type,
                "weight_num": lambda x: _weight(x, "num"),
                "weight_den": lambda x: _weight(x, "den"),
                "author_id": lambda x: prefix + x.author_id,
                "entered_at": lambda x: x.entered_at.astimezone(dt.UTC),
                "late_reason": lambda x: x.late_reason,
            },
        ),
    )


def attendance_table(rows: Iterable[Attendance], school_id: str, prefix: str = "") -> pa.Table:
    """Return attendance records as the ``attendance`` table."""
    return _table(
        "attendance",
        _columns(
            rows,
            {
                "id": lambda x: prefix + x.id,
                "school_id": lambda _x: school_id,
                "student_id": lambda x: prefix + x.student_id,
                "lesson_id": lambda x: prefix + x.lesson_id,
                "date": lambda x: x.date,
                "kind": lambda x: x.kind.value,
                "reason": lambda x: x.reason.value,
                "entered_by": lambda x: prefix + x.entered_by,
                "entered_at": lambda x: x.entered_at.astimezone(dt.UTC),
                "document_presented_on": lambda x: x.document_presented_on,
                "reason_corrected_at": lambda x: _utc(x.reason_corrected_at),
                "late_reason": lambda x: x.late_reason,
            },
        ),
    )


def attestation_table(
    rows: Iterable[AttestationMark], school_id: str, prefix: str = ""
) -> pa.Table:
    """Return period, annual, exam and final marks as the ``attestation_marks`` table."""
    return _table(
        "attestation_marks",
        _columns(
            rows,
            {
                "id": lambda x: prefix + x.id,
                "school_id": lambda _x: school_id,
                "student_id": lambda x: prefix + x.student_id,
                "subject_id": lambda x: x.subject_id,
                "year": lambda x: x.year,
                "kind": lambda x: x.kind.value,
                "period": lambda x: x.period,
                "value": lambda x: str(x.value),
                "author_id": lambda x: prefix + x.author_id,
                "entered_at": lambda x: x.entered_at.astimezone(dt.UTC),
            },
        ),
    )


def orders_table(orders: Iterable[Order], school_id: str, prefix: str = "") -> pa.Table:
    """Return movement orders as the ``orders`` table, one row per order item."""
    items = [(order, item) for order in orders for item in order.items]
    return _table(
        "orders",
        _columns(
            items,
            {
                "id": lambda x: prefix + x[0].id,
                "school_id": lambda _x: school_id,
                "number": lambda x: x[0].number,
                "kind": lambda x: x[0].kind.value,
                "issued_on": lambda x: x[0].issued_on,
                "entered_at": lambda x: x[0].entered_at.astimezone(dt.UTC),
                "author_id": lambda x: prefix + x[0].author_id,
                "year": lambda x: x[0].year,
                "student_id": lambda x: prefix + x[1].student_id,
                "class_id": lambda x: None if x[1].class_id is None else prefix + x[1].class_id,
                "destination": lambda x: x[1].destination,
            },
        ),
    )


def periods_table(
    periods_by_parallel: Mapping[int, Sequence[StudyPeriod]], school_id: str
) -> pa.Table:
    """Return the study periods of each parallel as the ``periods`` table."""
    rows = [
        (parallel, period)
        for parallel, plan in sorted(periods_by_parallel.items())
        for period in plan
    ]
    return _table(
        "periods",
        _columns(
            rows,
            {
                "school_id": lambda _x: school_id,
                "parallel": lambda x: x[0],
                "code": lambda x: x[1].key,
                "kind": lambda x: x[1].kind,
                "start": lambda x: x[1].start,
                "end": lambda x: x[1].end,
            },
        ),
    )


def calendar_table(
    start: dt.date, end: dt.date, production: ProductionCalendar | None = None
) -> pa.Table:
    """Return the calendar dimension: each date, whether it is a working day, its ordinal.

    ``working_day_ordinal`` counts the working days from ``start`` up to and including the
    date, so "the n-th working day after d" is the working day whose ordinal is the
    ordinal of d plus n.

    >>> table = calendar_table(dt.date(2025, 4, 30), dt.date(2025, 5, 7))
    >>> table.column("working_day_ordinal").to_pylist()
    [1, 1, 1, 1, 1, 2, 3, 4]
    """
    production = production or ProductionCalendar()
    dates, flags, ordinals = [], [], []
    ordinal = 0
    day = start
    while day <= end:
        working = production.is_working_day(day)
        ordinal += working
        dates.append(day)
        flags.append(working)
        ordinals.append(ordinal)
        day += dt.timedelta(days=1)
    return _table(
        "calendar",
        {"date": dates, "is_working_day": flags, "working_day_ordinal": ordinals},
    )
