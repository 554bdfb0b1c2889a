"""Any store's data of one academic year, read through its repositories, as analytics tables.

The embedded SQLite store and the in-memory store cannot be read in place by the engines
(DuckDB has no SQLite reader here, and the rules are not written for SQLite), so their
entities are read in one unit of work, converted to Arrow with the converters of
:mod:`._arrow`, and put on the engine. The year is scoped as :mod:`._store` scopes it on
PostgreSQL (:mod:`._year`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import TypeVar

import pyarrow as pa

from eschool_core.analytics._arrow import (
    attendance_table,
    attestation_table,
    classes_table,
    lessons_table,
    marks_table,
    memberships_table,
    orders_table,
    schools_table,
    students_table,
    subjects_table,
)
from eschool_core.analytics._year import only_school, year_calendar, year_periods, year_span
from eschool_core.calendar import AcademicYear
from eschool_core.errors import NotFoundError
from eschool_core.ids import SchoolId
from eschool_core.school import School
from eschool_core.storage import Store, UnitOfWork

__all__ = ["entity_tables"]

BATCH_ROWS = 100_000
"""Entities converted to Arrow at a time: the Python column lists stay this short."""

_E = TypeVar("_E")


def _batched(
    convert: Callable[[list[_E], str], pa.Table], rows: Iterable[_E], school_id: str
) -> pa.Table:
    """``convert`` applied to ``rows`` :data:`BATCH_ROWS` at a time, as one table."""
    found = iter(rows)
    parts = []
    while batch := list(islice(found, BATCH_ROWS)):
        parts.append(convert(batch, school_id))
    if not parts:
        return convert([], school_id)
    return pa.concat_tables(parts)


def _choose_school(uow: UnitOfWork, school_id: str | None) -> School:
    """The store's school: the only one, or ``school_id`` if it is there."""
    if school_id is not None:
        found = uow.schools.find(SchoolId(school_id))
        if found is None:
            raise NotFoundError.for_id("school", school_id)
        return found
    schools = sorted(uow.schools.all(), key=lambda school: school.id)
    only_school([school.id for school in schools])
    return schools[0]


def entity_tables(
    store: Store, year: AcademicYear, *, school_id: str | None = None
) -> dict[str, pa.Table]:
    """Return one academic year of a store's data as the analytics tables (Arrow).

    The store is read in one unit of work that writes nothing (it is left without a
    commit). The year's data are those :meth:`Dataset.from_store` reads on PostgreSQL: the
    classes of ``year.label`` and their memberships, the lessons, current marks and
    attendance dated from 1 September to 31 August, the year's attestation marks and
    orders (one row per order item), every subject and student; ``periods`` and
    ``calendar`` come from ``year``. Every row is the chosen school's.

    One kind of entity is held at a time, and converted :data:`BATCH_ROWS` at a time.
    Lessons, marks and attendance are read with the repositories' date query
    (``between``), so the store's other years are not read.

    Args:
        store: Any :class:`~eschool_core.storage.Store`.
        year: The academic year: its label, study periods and production calendar.
        school_id: The school, required if the store holds several.

    Returns:
        Arrow tables by name, in the schema of :data:`~eschool_core.analytics.SCHEMAS`.

    Raises:
        NotFoundError: If the store has no school (``analytics.no_school``) or not the one
            named (``school.not_found``).
        ValidationError: If it has several and ``school_id`` is not given
            (``analytics.school_required``).
        StorageError: If the store cannot be read.
    """
    label = str(year.label)
    first, last = year_span(year)

    with store.unit_of_work() as uow:
        school = _choose_school(uow, school_id)
        sid = school.id
        classes = uow.classes.for_year(label)
        # Built one after another, so that one kind of entity is in memory at a time.
        tables = {
            "schools": schools_table((school,)),
            "subjects": subjects_table(uow.subjects.all()),
            "classes": classes_table(classes, sid),
            "students": students_table(uow.students.all(), sid),
            "memberships": memberships_table(
                (m for c in classes for m in uow.memberships.for_class(c.id)), sid
            ),
            "lessons": _batched(lessons_table, uow.lessons.between(first, last), sid),
            "marks": _batched(marks_table, uow.marks.between(first, last), sid),
            "attendance": _batched(attendance_table, uow.attendance.between(first, last), sid),
            "attestation_marks": attestation_table(
                (a for a in uow.attestation_marks.all() if a.year == label), sid
            ),
            "orders": orders_table(uow.orders.for_year(label), sid),
        }
    tables["periods"] = year_periods(year, sid)
    tables["calendar"] = year_calendar(year)
    return tables
