"""Any store's data of one academic year, read through its repositories, as analytics tables.

The embedded SQLite store and the in-memory store cannot be read in place by the engines
(DuckDB has no SQLite reader here, and the rules are not written for SQLite), so their
entities are read in one unit of work, converted to Arrow with the converters of
:mod:`._arrow`, and put on the engine. The year is scoped as :mod:`._store` scopes it on
PostgreSQL (:mod:`._year`).
"""

from __future__ import annotations

import pyarrow as pa

from eschool_core.analytics._arrow import school_tables
from eschool_core.analytics._year import year_calendar
from eschool_core.calendar import AcademicYear
from eschool_core.storage import Store
from eschool_core.year_data import SchoolYearData, require_school

__all__ = ["entity_tables"]


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

    The year is read as one :class:`~eschool_core.year_data.SchoolYearData` (queries scoped
    to the year: the store's other years are not read) and converted by
    :func:`~eschool_core.analytics.school_tables`, as a generated school's year is.

    Args:
        store: Any :class:`~eschool_core.storage.Store`.
        year: The academic year: its label, study periods and production calendar.
        school_id: The school, required if the store holds several.

    Returns:
        Arrow tables by name, in the schema of :data:`~eschool_core.analytics.SCHEMAS`.

    Raises:
        NotFoundError: If the store has no school (``store.no_school``) or not the one
            named (``school.not_found``).
        ValidationError: If it has several and ``school_id`` is not given
            (``store.school_required``: :func:`~eschool_core.year_data.choose_school`).
        StorageError: If the store cannot be read.
    """
    with store.unit_of_work() as uow:
        school = require_school(uow, school_id)
        data = SchoolYearData.read(uow, year, school_id=school.id)
    tables = school_tables(data, orders=data.orders)
    tables["calendar"] = year_calendar(year)
    return tables
