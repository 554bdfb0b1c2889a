"""How the SQL store names and reaches its database: URLs, schema names, driver errors.

Shared by the store itself and by the readers that open its PostgreSQL database in place
(the analytics rules, the command line), so that they accept the same locations and speak
of failures in the same words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from eschool_core.errors import StorageError
from eschool_core.storage._schemes import POSTGRES_SCHEMES

__all__ = [
    "POSTGRES_SCHEMES",
    "SCHEMA_NAME",
    "database_error",
    "is_postgres_url",
    "not_a_store_error",
    "schema_version_error",
]


SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
"""A PostgreSQL schema name the store accepts: a plain lower-case identifier, no quoting."""


def is_postgres_url(location: str) -> bool:
    """Return whether ``location`` names a PostgreSQL database (else a SQLite file).

    >>> is_postgres_url("postgresql://db/school"), is_postgres_url("school.sqlite")
    (True, False)
    """
    return location.startswith(POSTGRES_SCHEMES)


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
