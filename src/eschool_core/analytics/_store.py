"""The SQL store's own PostgreSQL tables as the analytics tables, read in place.

The store (:mod:`eschool_core.storage.sql`) keeps one school's aggregates in tables of its
own shape: facts carry no ``school_id``, a lesson's individual homework is a JSON list, an
order's items are the child table ``order_items``, moments are ``timestamptz`` and there
is no ``periods`` or ``calendar`` table. :func:`store_tables` maps each store table, column
by column, onto the analytics schema (:data:`~eschool_core.analytics.SCHEMAS`) as an Ibis
expression that PostgreSQL runs; only the two small dimensions of the academic year (its
study periods and its calendar) are built in Python and sent as temporary tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.datatypes as dt_type
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from eschool_core._extras import require
from eschool_core.analytics._errors import ANALYTICS_NO_STORE, ANALYTICS_STORE_URL
from eschool_core.analytics._schema import SCHEMAS
from eschool_core.analytics._year import year_calendar, year_periods, year_span
from eschool_core.calendar import AcademicYear
from eschool_core.errors import ValidationError
from eschool_core.year_data import SHOWN_SCHOOLS, choose_school_id, no_school

__all__ = ["connect_store", "store_tables"]


@ibis.udf.scalar.builtin(name="json_array_length")  # type: ignore[untyped-decorator]
def _json_array_length(value: dt_type.JSON) -> dt_type.int32:
    """PostgreSQL's length of a JSON array (no array is built per row)."""


def _shaped(name: str, table: ir.Table, columns: Mapping[str, Any]) -> ir.Table:
    """``table`` projected to the analytics table ``name``: its columns, order and types.

    ``columns`` gives each column as an expression over ``table``; a cast is added only
    where the store's type differs (an ``integer`` weight becomes a ``bigint``).
    """
    values = {}
    for column, dtype in ibis.Schema.from_pyarrow(SCHEMAS[name]).items():
        value = columns[column]
        wanted = dtype.copy(nullable=True)
        if value.type().copy(nullable=True) != wanted:
            value = value.cast(wanted)
        values[column] = value
    return table.select(**values)


def _choose_school(backend: BaseBackend, school_id: str | None) -> str:
    """The id of the store's school: the only one, or ``school_id`` if it is there."""
    schools = backend.table("schools")
    if school_id is not None:
        named = schools.filter(schools.id == school_id).select("id").limit(1).to_pyarrow()
        listed = named.column("id").to_pylist()
    else:
        ids = schools.select("id").order_by("id").limit(SHOWN_SCHOOLS + 1).to_pyarrow()
        listed = ids.column("id").to_pylist()
    chosen = choose_school_id([str(sid) for sid in listed], school_id)
    if chosen is None:
        raise no_school()
    return chosen


def store_tables(
    backend: BaseBackend, year: AcademicYear, *, school_id: str | None = None
) -> dict[str, ir.Table]:
    """Return the analytics tables of one academic year over the store's own tables.

    Every table but ``periods`` and ``calendar`` is a projection of the store's tables that
    PostgreSQL computes when a rule runs; those two are built from ``year`` and sent as
    temporary tables. The year's data are: its classes (``classes.year``) and their
    memberships, its attestation marks and orders (``year``), and the lessons, current marks
    and attendance dated within the year (1 September to 31 August). Every row belongs to
    the store's school (a store holds one school; its facts name none).

    Args:
        backend: An Ibis PostgreSQL connection whose search path holds the store's tables.
        year: The academic year: its study periods and production calendar.
        school_id: The school, required if the ``schools`` table has several rows.

    Returns:
        Ibis tables by name, in the columns and types of
        :data:`~eschool_core.analytics.SCHEMAS`.

    Raises:
        NotFoundError: If the store has no school (``store.no_school``) or not the one
            named (``school.not_found``).
        ValidationError: If it has several schools and ``school_id`` is not given
            (``store.school_required``: :func:`~eschool_core.year_data.choose_school_id`).
    """
    sid = _choose_school(backend, school_id)
    school = ibis.literal(sid, type="string")
    label = str(year.label)
    first, last = year_span(year)
    tables: dict[str, ir.Table] = {}

    schools = backend.table("schools")
    tables["schools"] = _same_named("schools", schools.filter(schools.id == sid))
    tables["subjects"] = _same_named("subjects", backend.table("subjects"))
    classes = backend.table("classes")
    classes = classes.filter(classes.year == label)
    tables["classes"] = _with_school("classes", classes, school)
    tables["students"] = _with_school("students", backend.table("students"), school)
    memberships = backend.table("memberships")
    memberships = memberships.filter(memberships.class_id.isin(classes.id))
    tables["memberships"] = _with_school("memberships", memberships, school)

    lessons = backend.table("lessons")
    lessons = lessons.filter(lessons.date.between(first, last))
    tables["lessons"] = _with_school(
        "lessons",
        lessons,
        school,
        individual_homework=_json_array_length(lessons.individual_homework.cast("json")),
    )
    for name in ("marks", "attendance"):
        facts = backend.table(name)
        tables[name] = _with_school(name, facts.filter(facts.date.between(first, last)), school)
    attestation = backend.table("attestation_marks")
    tables["attestation_marks"] = _with_school(
        "attestation_marks", attestation.filter(attestation.year == label), school
    )
    tables["orders"] = _orders(backend, label, school)

    tables["periods"] = ibis.memtable(year_periods(year, sid))
    tables["calendar"] = ibis.memtable(year_calendar(year))
    return tables


def _same_named(name: str, table: ir.Table, **columns: ir.Value) -> ir.Table:
    """A store table as the analytics table ``name``: its same-named columns and ``columns``."""
    same = {column: table[column] for column in SCHEMAS[name].names if column in table.columns}
    return _shaped(name, table, {**same, **columns})


def _with_school(name: str, table: ir.Table, school: ir.Value, **columns: ir.Value) -> ir.Table:
    """A fact or roster table of the store with the school's id as ``school_id``."""
    return _same_named(name, table, school_id=school, **columns)


def _orders(backend: BaseBackend, label: str, school: ir.Value) -> ir.Table:
    """The year's orders, one row per item (``order_items``)."""
    orders = backend.table("orders")
    orders = orders.filter(orders.year == label)
    items = backend.table("order_items")
    return _with_school("orders", orders.join(items, orders.id == items.order_id), school)


def _url(location: str) -> str:
    """The URL for Ibis's PostgreSQL backend (``postgres://``), or an error."""
    from eschool_core.storage.sql import is_postgres_url  # noqa: PLC0415 - `sql`

    if not is_postgres_url(location):
        raise ANALYTICS_STORE_URL.error(scheme=location.split(":", 1)[0] if ":" in location else "")
    return "postgres://" + location.split("://", 1)[1]


def connect_store(location: str, *, schema: str | None = None) -> BaseBackend:
    """Connect Ibis to the PostgreSQL store at ``location`` and check its schema version.

    Args:
        location: A ``postgresql://`` (or ``postgres://``, ``postgresql+psycopg://``) URL;
            its ``schema`` query parameter names the store's schema, as for every store
            (``?schema=school_42``); other query parameters (``?sslmode=require``) go to the
            driver.
        schema: The PostgreSQL schema the store lives in (as ``SqlStore(url, schema=...)``
            was given); the URL's ``schema``, else the server's default search path
            (``public``), without it.

    Raises:
        ValidationError: For a URL that is not PostgreSQL's (``analytics.store_url``) or a bad
            schema name (``storage.schema_name``; a :class:`StorageError` for the URL's).
        NotFoundError: If the database (schema) holds no store (``analytics.no_store``).
        StorageError: If the server cannot be reached (``storage.database``) or the store
            has another schema version (``storage.schema_version``).
    """
    # The SQL store's schema needs SQLAlchemy and psycopg (the `sql` extra) anyway.
    require("psycopg", "sql")
    import psycopg  # noqa: PLC0415 - the `sql` extra

    from eschool_core.storage.sql import (  # noqa: PLC0415 - the `sql` extra
        SCHEMA_NAME,
        SCHEMA_VERSION,
        database_error,
        split_schema,
    )

    if schema is not None and not SCHEMA_NAME.match(schema):
        raise ValidationError(
            f"Недопустимое имя схемы «{schema}»",
            f"Invalid schema name '{schema}'",
            code="storage.schema_name",
        )
    location, schema = split_schema(location, schema)
    url = _url(location)
    try:
        backend = ibis.connect(url, **({} if schema is None else {"schema": schema}))
    except psycopg.Error as error:
        raise database_error(error) from error
    try:
        _check_version(backend, schema, SCHEMA_VERSION)
        # Ibis fetches through a server-side cursor, which PostgreSQL plans for the first
        # rows (nested loops); a rule reads every row, so plan for all of them.
        backend.raw_sql("SET cursor_tuple_fraction = 1").close()
    except psycopg.Error as error:
        backend.disconnect()
        raise database_error(error) from error
    except BaseException:
        backend.disconnect()
        raise
    return backend


def _check_version(backend: BaseBackend, schema: str | None, expected: int) -> None:
    """Refuse a database without a store or with a store of another schema version."""
    from eschool_core.storage.sql import (  # noqa: PLC0415 - the `sql` extra
        schema_version_error,
    )

    # Resolved through the search path, as the store itself resolves its tables.
    with backend.raw_sql("SELECT to_regclass('eschool_schema') IS NOT NULL") as cursor:
        (present,) = cursor.fetchone()
    if not present:
        raise ANALYTICS_NO_STORE.error(schema=schema or "")
    with backend.raw_sql("SELECT version FROM eschool_schema") as cursor:
        found = [row[0] for row in cursor.fetchall()]
    problem = schema_version_error(found, expected)
    if problem is not None:
        raise problem
