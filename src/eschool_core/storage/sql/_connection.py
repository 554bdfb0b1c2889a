"""How the SQL store names and reaches its database: URLs, schema names, driver errors.

Shared by the store itself and by the readers that open its PostgreSQL database in place
(the analytics rules, the command line), so that they accept the same locations and speak
of failures in the same words.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from eschool_core.errors import StorageError
from eschool_core.storage._errors import (
    STORAGE_READ_ONLY,
    STORAGE_SCHEMA_CONFLICT,
    STORAGE_SCHEMA_NAME,
)
from eschool_core.storage._schemes import POSTGRES_SCHEMES

__all__ = [
    "POSTGRES_SCHEMES",
    "SCHEMA_NAME",
    "database_error",
    "is_postgres_url",
    "not_a_store_error",
    "postgres_engine_url",
    "read_only_error",
    "schema_version_error",
    "split_schema",
    "sqlite_read_only_connect",
]


SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
"""A PostgreSQL schema name the store accepts: a plain lower-case identifier, no quoting."""


def is_postgres_url(location: str) -> bool:
    """Return whether ``location`` names a PostgreSQL database (else a SQLite file).

    >>> is_postgres_url("postgresql://db/school"), is_postgres_url("school.sqlite")
    (True, False)
    """
    return location.startswith(POSTGRES_SCHEMES)


def split_schema(location: str, schema: str | None = None) -> tuple[str, str | None]:
    """Return ``location`` without its ``schema`` query parameter, and the schema it names.

    A PostgreSQL store kept in a schema of its own is addressed by one URL everywhere
    (``postgresql://host/district?schema=school_42``): the store, ``open_store``, the
    audit log's reader and every command of the command line take the schema from there.
    A SQLite path is returned as it is.

    Args:
        location: A SQLite path or a PostgreSQL URL.
        schema: A schema given besides the URL (``SqlStore(url, schema=...)``).

    Returns:
        The URL without ``schema`` (its other parameters kept) and the schema, or ``None``.

    Raises:
        StorageError: If the URL and ``schema`` name different schemas
            (``storage.schema_conflict``), or the URL's schema is not a plain lower-case
            identifier (``storage.schema_name``); a ``schema`` given besides is the
            caller's to check.

    >>> split_schema("postgresql://db/district?schema=school_42&sslmode=require")
    ('postgresql://db/district?sslmode=require', 'school_42')
    >>> split_schema("school.sqlite")
    ('school.sqlite', None)
    """
    if not is_postgres_url(location):
        return location, schema
    url = sa.engine.make_url(location)
    named = url.query.get("schema")
    if isinstance(named, tuple):  # the parameter given twice: not a name
        named = ",".join(named)
    if named is not None:
        if schema is not None and schema != named:
            raise STORAGE_SCHEMA_CONFLICT.error(url_schema=named, schema=schema)
        if not SCHEMA_NAME.match(named):
            raise STORAGE_SCHEMA_NAME.error(schema=named)
        schema = named
        location = url.difference_update_query(["schema"]).render_as_string(hide_password=False)
    return location, schema


def postgres_engine_url(location: str, *options: str) -> tuple[str, dict[str, str]]:
    """The psycopg URL of ``location`` and the connection's arguments with ``options`` added.

    A libpq ``options`` parameter of the URL (``?options=-csearch_path%3Dother``) is kept,
    the given server settings (``-csearch_path=school``) appended after it, so that the
    store's settings add to the URL's instead of replacing them.
    """
    url = sa.engine.make_url("postgresql+psycopg://" + location.split("://", 1)[1])
    given = url.query.get("options")
    kept = [given] if isinstance(given, str) else list(given or ())
    arguments = {"options": " ".join([*kept, *options])} if kept or options else {}
    rendered = url.difference_update_query(["options"]).render_as_string(hide_password=False)
    return rendered, arguments


def sqlite_read_only_connect(path: Path) -> sqlite3.Connection:
    """Connect to the SQLite file ``path`` read-only, writing nothing beside it.

    Without a write-ahead log beside the file (``-wal``) it is opened as immutable
    (``immutable=1``): read as it is, locking nothing and making no ``-wal`` or ``-shm``
    file, which an archive on a read-only mount cannot hold. With one, it is opened with
    ``mode=ro``, so that what the log holds is read too (SQLite then needs the ``-shm``
    file beside it, or a folder where it can make one).
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    if not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def read_only_error(location: str) -> StorageError:
    """Return the error for a write through a store opened read-only (``storage.read_only``).

    >>> read_only_error("archive.sqlite").code
    'storage.read_only'
    """
    shown = _without_password(location)
    return STORAGE_READ_ONLY.error(store=shown)


def database_error(error: Exception) -> StorageError:
    """Return the store's error for a driver error (code ``storage.database``).

    The message is the driver's own first line, without SQLAlchemy's SQL text and links.
    """
    cause: object = getattr(error, "orig", None) or error
    text = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    return StorageError(
        f"Ошибка базы данных: {text}",
        f"Database error: {text}",
        code="storage.database",
        details={"driver_error": type(cause).__name__},
    )


def not_a_store_error(location: str) -> StorageError:
    """Return the error for a database or file that holds no eschool store."""
    shown = _without_password(location)
    return StorageError(
        f"«{shown}» — не хранилище eschool (нет таблицы eschool_schema)",
        f"'{shown}' is not an eschool store (it has no eschool_schema table)",
        code="storage.not_a_store",
        details={"store": shown},
    )


def _without_password(location: str) -> str:
    """``location`` with the password of a URL replaced by ``***``."""
    return re.sub(r"^([a-z+]+://[^:/@]*):[^@/]*@", r"\1:***@", location)


def schema_version_error(found: Sequence[int], expected: int) -> StorageError | None:
    """Return the error for a database whose ``eschool_schema`` holds ``found``, if wrong.

    Returns:
        ``None`` when ``found`` is exactly ``[expected]``; otherwise the
        ``storage.schema_version`` error naming both versions.
    """
    if list(found) == [expected]:
        return None
    shown = ", ".join(str(version) for version in found) or "—"
    return StorageError(
        f"База данных имеет версию схемы {shown}, а эта версия eschool_core работает "
        f"со схемой {expected}",
        f"The database has schema version {shown}, but this eschool_core works with "
        f"schema version {expected}",
        code="storage.schema_version",
        details={"found": shown, "expected": expected},
    )
