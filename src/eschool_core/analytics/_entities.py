"""Any store's data of one academic year, read through its repositories, as analytics tables.

The embedded SQLite store and the in-memory store cannot be read in place by the engines
(DuckDB has no SQLite reader here, and the rules are not written for SQLite), so their
entities are read in one unit of work, converted to Arrow with the converters of
:mod:`._arrow`, and put on the engine. The year is scoped as :mod:`._store` scopes it on
PostgreSQL (:mod:`._year`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from eschool_core.analytics._arrow import school_tables
from eschool_core.analytics._year import year_calendar
from eschool_core.calendar import AcademicYear
from eschool_core.people import Employee, Student
from eschool_core.school import School
from eschool_core.storage import Store
from eschool_core.year_data import SchoolYearData, YearScope, no_school

__all__ = ["entity_tables", "names_of", "read_year"]


def read_year(store: Store, year: AcademicYear, *, school_id: str | None = None) -> SchoolYearData:
    """Read one academic year of a store as the analytics read it: one ``SchoolYearData``.

    Queries scoped to the year (the store's other years are not read), in one unit of work
    that writes nothing; the year's planning is not read (no analysis uses it). The school
    is chosen as every reader chooses it (:func:`~eschool_core.year_data.choose_school`).

    Raises:
        NotFoundError: If the store has no school (``store.no_school``) or not the one
            named (``school.not_found``).
        ValidationError: If it has several and ``school_id`` is not given
            (``store.school_required``).
        StorageError: If the store cannot be read.
    """
    data = SchoolYearData.from_store(
        store, year, school_id=school_id, scope=YearScope(planning=False)
    )
    if data.school is None:
        raise no_school()
    return data


def entity_tables(data: SchoolYearData) -> dict[str, pa.Table]:
    """Return one academic year of a store's data as the analytics tables (Arrow).

    The year's data are those :meth:`Dataset.from_store` reads on PostgreSQL
    (:func:`read_year`): the classes of the year and their memberships, the lessons,
    current marks and attendance dated from 1 September to 31 August, the year's
    attestation marks and orders (one row per order item), every subject and student;
    ``periods`` and ``calendar`` come from the year's calendar. They are converted by
    :func:`~eschool_core.analytics.school_tables`, as a generated school's year is.

    Args:
        data: The year, as :func:`read_year` reads it.

    Returns:
        Arrow tables by name, in the schema of :data:`~eschool_core.analytics.SCHEMAS`.
    """
    tables = school_tables(data, orders=data.orders)
    tables["calendar"] = year_calendar(data.year)
    return tables


def names_of(
    students: Iterable[Student], employees: Iterable[Employee], school: School | None
) -> dict[str, dict[str, str]]:
    """Return the names the analytics schema leaves out, by id column.

    ``student_id`` and ``teacher_id`` map to full names, ``school_id`` to the school's
    short name (a row of every result carries it).
    """
    staff = {str(e.id): e.person.full_name for e in employees}
    names = {
        "student_id": {str(s.id): s.person.full_name for s in students},
        "teacher_id": staff,
    }
    if school is not None:
        names["school_id"] = {str(school.id): school.short_name or school.name}
    return names
