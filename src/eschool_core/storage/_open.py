"""Opening a store by its location: a SQLite file path or a ``postgresql://`` URL.

Every command of the command line opens its store here, so that they all refuse the same
locations in the same words, and a reading command never creates or alters a file.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from eschool_core._extras import require
from eschool_core.errors import StorageError
from eschool_core.storage._protocols import Store
from eschool_core.storage._schemes import POSTGRES_SCHEMES

__all__ = ["POSTGRES_SCHEMES", "is_sqlite_store", "open_store", "sqlite_writable"]

_SQLITE_HEADER = b"SQLite format 3\x00"
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")


def open_store(spec: str, *, create: bool = False, read_only: bool = False) -> Store:
    """Open the store at ``spec``: a SQLite file path, ``":memory:"`` or a PostgreSQL URL.

    Every constructor of a store has the same default: opening never creates a store that
    is not there (``create=False``); ``eschool demo`` and ``eschool import`` create one
    explicitly.

    Args:
        spec: The location. A URL must be ``postgresql://`` (or ``postgres://``,
            ``postgresql+psycopg://``); a ``schema`` query parameter names the PostgreSQL
            schema of the store (``postgresql://host/district?schema=school_42``); anything
            without ``://`` is a SQLite file.
        create: Whether a store may be created: a new SQLite file, or the store's tables in
            a PostgreSQL database (schema) without them. With ``False`` (what reading does)
            nothing is created or altered.
        read_only: Whether to open the store for reading only, e.g. an archive on a
            read-only mount (see :class:`~eschool_core.storage.sql.SqlStore`): writes
            through it raise ``storage.read_only``.

    Returns:
        The SQL store (:class:`~eschool_core.storage.sql.SqlStore`); close it after use.

    Raises:
        StorageError: ``storage.unsupported_url`` for another URL scheme (``mysql://``);
            ``storage.is_a_directory`` for a directory; ``storage.not_found`` for a missing
            file when ``create`` is false; ``storage.not_a_store`` for a file or database
            that is not an eschool store (it is never changed); ``storage.database`` or
            ``storage.schema_version`` when the database cannot be opened;
            ``storage.read_only_create`` for ``read_only`` with ``create``.
        MissingExtraError: If the ``sql`` extra is not installed.

    >>> open_store("mysql://db/school")
    Traceback (most recent call last):
    ...
    eschool_core.errors.StorageError: Адрес «mysql://db/school» не поддерживается: ...
    """
    scheme = _URL.match(spec)
    if scheme is not None and not spec.startswith(POSTGRES_SCHEMES):
        raise StorageError(
            f"Адрес «{spec}» не поддерживается: схема {scheme[1]}://, а хранилище — файл "
            "SQLite или адрес postgresql://",
            f"The location '{spec}' is not supported: the scheme is {scheme[1]}://, but a "
            "store is a SQLite file or a postgresql:// URL",
            code="storage.unsupported_url",
            details={"store": spec, "scheme": scheme[1]},
        )
    if scheme is None and spec not in {"", ":memory:"}:
        _check_sqlite_location(Path(spec), create=create)
    require("sqlalchemy", "sql")
    from eschool_core.storage.sql import SqlStore  # noqa: PLC0415 - the `sql` extra

    return SqlStore(spec, create=create, read_only=read_only)


def sqlite_writable(spec: str) -> bool:
    """Whether this process may write the SQLite store at ``spec`` (its file and its folder).

    SQLite writes a journal beside the file, so a store in a folder that cannot be written
    (a read-only mount, an archive's folder) cannot be written either. A URL, ``":memory:"``
    and a missing file are taken as writable (the database or the opener decides).

    >>> sqlite_writable(":memory:")
    True
    """
    if _URL.match(spec) is not None or spec in {"", ":memory:"}:
        return True
    path = Path(spec)
    if not path.exists():
        return True
    folder = path.resolve().parent
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _check_sqlite_location(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise StorageError(
            f"«{path}» — папка, а не файл хранилища SQLite",
            f"'{path}' is a directory, not a SQLite store file",
            code="storage.is_a_directory",
            details={"store": str(path)},
        )
    if not path.exists():
        if not create:
            raise StorageError(
                f"SQL-хранилище «{path}» не найдено",
                f"The SQL store '{path}' does not exist",
                code="storage.not_found",
                details={"store": str(path)},
            )
        if not path.parent.is_dir():
            raise StorageError(
                f"Папки «{path.parent}» для хранилища нет",
                f"The folder '{path.parent}' of the store does not exist",
                code="storage.not_found",
                details={"store": str(path)},
            )
        return
    if not is_sqlite_store(path):
        raise StorageError(
            f"«{path}» — не хранилище eschool (база SQLite с таблицей eschool_schema)",
            f"'{path}' is not an eschool store (a SQLite database with an eschool_schema table)",
            code="storage.not_a_store",
            details={"store": str(path)},
        )


def is_sqlite_store(path: Path) -> bool:
    """Whether ``path`` is a SQLite database with the store's tables (read, never written).

    Opening another database with the store would create the store's tables in it.
    """
    try:
        with path.open("rb") as file:
            if file.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                return False
    except OSError:
        return False
    # A read-only connection to a database in WAL mode makes its -wal and -shm files and
    # cannot remove them: those that it made are removed after it, so nothing is left.
    # Without a -wal file the database is read as immutable, which makes none (and so
    # reads a store in a folder that cannot be written, an archive's).
    companions = [Path(f"{path}{end}") for end in ("-wal", "-shm")]
    made = [companion for companion in companions if not companion.exists()]
    immutable = "" if companions[0].exists() else "&immutable=1"
    uri = f"{path.resolve().as_uri()}?mode=ro{immutable}"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return False
    try:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'eschool_schema'"
        ).fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
        for companion in made:
            companion.unlink(missing_ok=True)
    return found is not None
