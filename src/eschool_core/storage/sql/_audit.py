"""The SQL store's audit log: ``audit_entries`` rows written in the unit of work's transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.pool import NullPool

from eschool_core.audit import (
    AuditEntry,
    Checkpoint,
    MemoryAuditLogStore,
    canonical_json,
    checkpoint_conflict,
    position_conflict,
    unreadable_entry,
)
from eschool_core.errors import EschoolError, NotFoundError, StorageError
from eschool_core.storage.sql._connection import (
    SCHEMA_NAME,
    database_error,
    is_postgres_url,
    postgres_engine_url,
    schema_version_error,
    split_schema,
    sqlite_read_only_connect,
)
from eschool_core.storage.sql._schema import (
    AUDIT_CHECKPOINTS,
    AUDIT_ENTRIES,
    LEGACY_CHECKPOINT_COLUMNS,
    SCHEMA_VERSION,
    VERSION,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["read_audit_log"]

_POSITION = AUDIT_ENTRIES.c.position
_UNNUMBERED_VERSION = 4
"""The schema version before checkpoints were numbered: still read as it is, read-only."""


def entry_row(entry: AuditEntry) -> dict[str, Any]:
    """The row of ``entry``: its moment and values as the exact text that was hashed."""
    return {
        "position": entry.position,
        "at": entry.at.isoformat(),
        "account_id": entry.account_id,
        "kind": entry.kind.value,
        "action": entry.action,
        "target": canonical_json(entry.target),
        "value_before": canonical_json(entry.before),
        "value_after": canonical_json(entry.after),
        "previous_hash": entry.previous_hash,
        "hash": entry.hash,
        "mac": entry.mac,
    }


def row_entry(row: Mapping[Any, Any]) -> AuditEntry:
    """The entry stored in ``row`` (as :func:`entry_row` wrote it)."""
    return AuditEntry(
        position=row["position"],
        at=datetime.fromisoformat(row["at"]),
        account_id=row["account_id"],
        kind=row["kind"],
        action=row["action"],
        target=json.loads(row["target"]),
        before=json.loads(row["value_before"]),
        after=json.loads(row["value_after"]),
        previous_hash=row["previous_hash"],
        hash=row["hash"],
        mac=row["mac"],
    )


def _loaded(row: Mapping[Any, Any], index: int) -> AuditEntry:
    """The entry of ``row``, the ``index``-th in position order.

    Raises:
        StorageError: If the row no longer makes an entry (``audit.unreadable_entry``).
    """
    try:
        return row_entry(row)
    except (ValueError, TypeError, EschoolError) as error:
        raise unreadable_entry(index, str(error)) from error


def read_entries(conn: Connection, start: int = 0, stop: int | None = None) -> list[AuditEntry]:
    """The entries in position order from the ``start``-th to before the ``stop``-th row.

    Raises:
        StorageError: For a row that no longer makes an entry (``audit.unreadable_entry``,
            naming its place in position order).
    """
    first = max(start, 0)
    query = sa.select(AUDIT_ENTRIES).order_by(_POSITION).offset(first)
    if stop is not None:
        query = query.limit(max(stop - first, 0))
    rows = conn.execute(query).mappings()
    return [_loaded(row, index) for index, row in enumerate(rows, start=first)]


def checkpoint_row(checkpoint: Checkpoint) -> dict[str, Any]:
    """The row of ``checkpoint``: its moment as the exact text its MAC covers."""
    return {
        "length": checkpoint.length,
        "head_hash": checkpoint.head_hash,
        "at": checkpoint.at.isoformat(),
        "mac": checkpoint.mac,
        "number": checkpoint.number,
        "previous": checkpoint.previous,
    }


def read_checkpoints(conn: Connection, *, legacy: bool = False) -> list[Checkpoint]:
    """The stored checkpoints, by length.

    Args:
        conn: The connection.
        legacy: Whether the store has schema version 4 (checkpoints without numbers).
    """
    columns = (
        [AUDIT_CHECKPOINTS.c[name] for name in LEGACY_CHECKPOINT_COLUMNS]
        if legacy
        else list(AUDIT_CHECKPOINTS.c)
    )
    query = sa.select(*columns).order_by(AUDIT_CHECKPOINTS.c.length)
    return [
        Checkpoint(
            length=row["length"],
            head_hash=row["head_hash"],
            at=datetime.fromisoformat(row["at"]),
            number=row.get("number"),
            previous=row.get("previous"),
            mac=row["mac"],
        )
        for row in conn.execute(query).mappings()
    ]


class _Transaction(Protocol):
    """Protocol: what the audit repository needs of a ``SqlUnitOfWork``.

    Typed structurally so that this module does not import the store that imports it.
    """

    def _connection(self) -> Connection: ...

    def _write_connection(self) -> Connection: ...


class _SqlAudit:
    """The ``audit`` repository of a :class:`~eschool_core.storage.sql.SqlUnitOfWork`.

    An append is an ``INSERT`` in the unit of work's transaction (in a savepoint, so that a
    refused append leaves the unit of work usable); it is committed or rolled back with it.

    Appenders queue rather than collide: on PostgreSQL reading the head (:meth:`last`, which
    :class:`~eschool_core.audit.AuditLog` does before each append) or appending takes a
    transaction-scoped advisory lock of the store's schema, so a second unit of work waits
    until the first commits or rolls back and then chains to the head it left. SQLite
    serializes writers already (``BEGIN IMMEDIATE``).
    """

    def __init__(self, uow: _Transaction) -> None:
        self._uow = uow

    def _lock_head(self, conn: Connection) -> None:
        """On PostgreSQL, hold the audit log's advisory lock until the transaction ends."""
        if conn.dialect.name != "postgresql":
            return
        conn.exec_driver_sql(
            "SELECT pg_advisory_xact_lock(hashtext('eschool_audit'), hashtext(current_schema()))"
        )

    def append(self, entry: AuditEntry) -> None:
        """Store ``entry`` after the last one (see :class:`~eschool_core.storage.AuditRepository`).

        Raises:
            ConflictError: If ``entry.position`` does not follow the last stored entry, also
                when another unit of work appended that position first.
        """
        conn = self._uow._write_connection()
        try:
            self._lock_head(conn)
            top = conn.execute(sa.select(sa.func.max(_POSITION))).scalar()
            length = 0 if top is None else int(top) + 1
            if entry.position != length:
                raise position_conflict(entry.position, length)
            with conn.begin_nested():
                conn.execute(AUDIT_ENTRIES.insert().values(entry_row(entry)))
        except exc.IntegrityError as error:
            raise position_conflict(entry.position, self.count()) from error
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error

    def read(self, start: int = 0, stop: int | None = None) -> Sequence[AuditEntry]:
        """Return the entries at positions ``start`` to ``stop`` (excluded; ``None``: all)."""
        try:
            return read_entries(self._uow._connection(), start, stop)
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error

    def last(self) -> AuditEntry | None:
        """Return the last entry, or ``None`` for an empty log."""
        query = sa.select(AUDIT_ENTRIES).order_by(_POSITION.desc()).limit(1)
        conn = self._uow._connection()
        try:
            self._lock_head(conn)
            row = conn.execute(query).mappings().first()
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error
        if row is None:
            return None
        return _loaded(row, int(row["position"]))

    def count(self) -> int:
        """Return how many entries are stored."""
        query = sa.select(sa.func.count()).select_from(AUDIT_ENTRIES)
        try:
            return int(self._uow._connection().execute(query).scalar_one())
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Store ``checkpoint`` (see :class:`~eschool_core.storage.AuditRepository`).

        Raises:
            ConflictError: If a checkpoint of the same length is stored.
        """
        conn = self._uow._write_connection()
        try:
            with conn.begin_nested():
                conn.execute(AUDIT_CHECKPOINTS.insert().values(checkpoint_row(checkpoint)))
        except exc.IntegrityError as error:
            raise checkpoint_conflict(checkpoint.length) from error
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error

    def checkpoints(self) -> Sequence[Checkpoint]:
        """Return the stored checkpoints, by length."""
        try:
            return read_checkpoints(self._uow._connection())
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error


def read_audit_log(target: str, *, schema: str | None = None) -> MemoryAuditLogStore:
    """Read the audit log and its checkpoints of the SQL store at ``target``, read-only.

    Nothing is created or written: a SQLite file is opened read-only (as immutable when it
    has no write-ahead log beside it, so that not even the ``-wal`` and ``-shm`` files appear)
    and a PostgreSQL database in a read-only transaction. What is read is returned as a
    :class:`~eschool_core.audit.MemoryAuditLogStore`, for :class:`~eschool_core.audit.AuditLog`
    to verify; an entry that no longer reads back raises ``audit.unreadable_entry`` from its
    ``read``, which :meth:`~eschool_core.audit.AuditLog.verify` reports as edited. A store of
    schema version 4 (made before checkpoints were numbered) is read as it is, without
    migrating it: its checkpoints are unnumbered.

    Args:
        target: A SQLite file path or a ``postgresql://`` URL (its ``schema`` query
            parameter names the schema, as for every store: ``?schema=school_42``).
        schema: For PostgreSQL, the schema holding the store (default: the URL's
            ``schema``, else the search path).

    Raises:
        StorageError: If the SQLite file does not exist (``storage.not_found``), the database
            cannot be read, or the store has another schema version
            (``storage.schema_version``).
        NotFoundError: If the database holds no eschool store (``storage.no_store``).

    >>> import tempfile, pathlib
    >>> from eschool_core.storage.sql import SqlStore
    >>> path = str(pathlib.Path(tempfile.mkdtemp()) / "school.sqlite")
    >>> SqlStore(path, create=True).close()
    >>> read_audit_log(path).count()
    0
    """
    engine = _read_only_engine(target, schema)
    try:
        with engine.connect() as conn, conn.begin():
            if not sa.inspect(conn).has_table(VERSION.name):
                raise NotFoundError(
                    f"«{target}» не содержит хранилища eschool",
                    f"'{target}' holds no eschool store",
                    code="storage.no_store",
                    details={"store": target},
                )
            found = conn.execute(sa.select(VERSION.c.version)).scalars().all()
            legacy = list(found) == [_UNNUMBERED_VERSION]
            problem = None if legacy else schema_version_error(found, SCHEMA_VERSION)
            if problem is not None:
                raise problem
            rows = list(conn.execute(sa.select(AUDIT_ENTRIES).order_by(_POSITION)).mappings())
            checkpoints = read_checkpoints(conn, legacy=legacy)
    except exc.SQLAlchemyError as error:
        raise database_error(error) from error
    finally:
        engine.dispose()
    return _ReadLog(rows, checkpoints)


def _read_only_engine(target: str, schema: str | None) -> sa.Engine:
    """An engine that cannot write: SQLite opened read-only, PostgreSQL read-only sessions."""
    target, schema = split_schema(target, schema)
    if is_postgres_url(target):
        options = ["-cdefault_transaction_read_only=on"]
        if schema is not None:
            if not SCHEMA_NAME.match(schema):
                raise StorageError(
                    f"Недопустимое имя схемы «{schema}»",
                    f"Invalid schema name '{schema}'",
                    code="storage.schema_name",
                )
            options.append(f"-csearch_path={schema}")
        url, arguments = postgres_engine_url(target, *options)
        return sa.create_engine(url, connect_args=arguments, poolclass=NullPool)
    path = Path(target)
    if not path.is_file():
        raise StorageError(
            f"SQL-хранилище «{target}» не найдено",
            f"The SQL store '{target}' does not exist",
            code="storage.not_found",
            details={"store": target},
        )
    return sa.create_engine(
        "sqlite://", creator=lambda: sqlite_read_only_connect(path), poolclass=NullPool
    )


class _ReadLog(MemoryAuditLogStore):
    """Rows read from a store, turned into entries when they are read."""

    def __init__(
        self, rows: Sequence[Mapping[Any, Any]], checkpoints: Sequence[Checkpoint]
    ) -> None:
        super().__init__((), checkpoints)
        self._rows = list(rows)

    def read(self, start: int = 0, stop: int | None = None) -> Sequence[AuditEntry]:
        """Return the entries at positions ``start`` to ``stop`` (excluded; ``None``: all).

        Raises:
            StorageError: For a row that no longer makes an entry (``audit.unreadable_entry``).
        """
        first, end, _ = slice(start, stop).indices(len(self._rows))
        return tuple(_loaded(self._rows[index], index) for index in range(first, end))

    def last(self) -> AuditEntry | None:
        """Return the last entry, or ``None`` for an empty log."""
        return _loaded(self._rows[-1], len(self._rows) - 1) if self._rows else None

    def count(self) -> int:
        """Return how many entries were read."""
        return len(self._rows)

    def append(self, entry: AuditEntry) -> None:
        """Refuse: what was read from a store is read-only.

        Raises:
            StorageError: Always (``audit.read_only``).
        """
        del entry
        raise _read_only()

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Refuse: what was read from a store is read-only.

        Raises:
            StorageError: Always (``audit.read_only``).
        """
        del checkpoint
        raise _read_only()


def _read_only() -> StorageError:
    return StorageError(
        "Журнал изменений открыт только для чтения",
        "The audit log was opened read-only",
        code="audit.read_only",
    )
