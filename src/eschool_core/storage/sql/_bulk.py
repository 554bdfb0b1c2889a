"""Bulk writes of the SQL store: rows bound as plain tuples through the driver."""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eschool_core._extras import require
from eschool_core.storage.sql._schema import Instant, JsonList

__all__: list[str] = []

_CHUNK = 500


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


# -- bulk inserts ------------------------------------------------------------------------------


def _sqlite_instant(value: dt.datetime) -> str:
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return value.isoformat(timespec="microseconds")


def _postgres_instant(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def _json_list(value: list[Any]) -> str:
    if not value:
        return "[]"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _iso_date(value: date) -> str:
    return value.isoformat()


class _Insert:
    """A prepared multi-row INSERT into one table for one database.

    Rows are bound as plain tuples through the driver (``executemany``): each value is
    converted by a converter chosen once per column, as the column types of
    :mod:`~eschool_core.storage.sql._schema` would (moments to UTC, lists to JSON, dates to
    ISO text on SQLite), so the database holds exactly what a SQLAlchemy insert writes.
    """

    def __init__(self, table: sa.Table, dialect: str) -> None:
        # Columns the database fills (a row's version) are not bound.
        columns = [column for column in table.columns if column.server_default is None]
        names = [column.name for column in columns]
        marker = "?" if dialect == "sqlite" else "%s"
        # Table and column names come from the schema, never from input.
        self.sql = (
            f"INSERT INTO {table.name} ({', '.join(names)}) "  # noqa: S608 - names of the schema
            f"VALUES ({', '.join(marker for _ in names)})"
        )
        self.copy_sql = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
        self._get = operator.itemgetter(*names)
        self._single = len(names) == 1
        converters: list[tuple[int, Callable[[Any], Any]]] = []
        for index, column in enumerate(columns):
            converter = self._converter(column.type, dialect)
            if converter is not None:
                converters.append((index, converter))
        self._converters = tuple(converters)

    @staticmethod
    def _converter(kind: object, dialect: str) -> Callable[[Any], Any] | None:
        if isinstance(kind, Instant):
            return _sqlite_instant if dialect != "postgresql" else _postgres_instant
        if isinstance(kind, JsonList):
            return _json_list
        if isinstance(kind, sa.Date) and dialect == "sqlite":
            return _iso_date
        return None

    def values(self, rows: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """Return the parameter tuples of ``rows`` (each a mapping with at least the columns)."""
        get = self._get
        if self._single:
            return [(get(row),) for row in rows]
        return self.convert([get(row) for row in rows])

    def convert(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Return ``rows`` (tuples of the columns' values, in order) converted for the driver."""
        converters = self._converters
        if not converters or not rows:
            return rows
        result: list[tuple[Any, ...]] = []
        append = result.append
        for row in rows:
            values = list(row)
            for index, convert in converters:
                value = values[index]
                if value is not None:
                    values[index] = convert(value)
            append(tuple(values))
        return result


def _prepared(conn: Connection, table: sa.Table) -> _Insert:
    key = (table.name, conn.dialect.name)
    insert = _INSERTS.get(key)
    if insert is None:
        insert = _INSERTS[key] = _Insert(table, conn.dialect.name)
    return insert


def _execute(conn: Connection, insert: _Insert, rows: list[tuple[Any, ...]]) -> None:
    """Insert the driver's ``rows``: ``executemany`` on SQLite, ``COPY`` on PostgreSQL."""
    if conn.dialect.name != "postgresql":
        conn.exec_driver_sql(insert.sql, rows)
        return
    require("psycopg", "sql")
    import psycopg  # noqa: PLC0415 - only installed with the postgres extra

    raw: Any = conn.connection.dbapi_connection
    try:
        with raw.cursor() as cursor, cursor.copy(insert.copy_sql) as copy:
            write = copy.write_row
            for row in rows:
                write(row)
    except psycopg.errors.IntegrityError as error:
        raise sa.exc.IntegrityError(insert.copy_sql, None, error) from error
    except psycopg.Error as error:
        raise sa.exc.DBAPIError(insert.copy_sql, None, error) from error


def _bulk_insert(conn: Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        insert = _prepared(conn, table)
        _execute(conn, insert, insert.values(rows))


_INSERTS: dict[tuple[str, str], _Insert] = {}
