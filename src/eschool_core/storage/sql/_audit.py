"""The SQL store's audit log: ``audit_entries`` rows written in the unit of work's transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import exc

from eschool_core.audit import AuditEntry, canonical_json, position_conflict
from eschool_core.storage.sql._connection import database_error
from eschool_core.storage.sql._schema import AUDIT_ENTRIES

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from eschool_core.storage.sql._store import SqlUnitOfWork

__all__: list[str] = []

_POSITION = AUDIT_ENTRIES.c.position


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
    )


def read_entries(conn: Connection, start: int = 0, stop: int | None = None) -> list[AuditEntry]:
    """The entries in position order from the ``start``-th to before the ``stop``-th row."""
    query = sa.select(AUDIT_ENTRIES).order_by(_POSITION).offset(max(start, 0))
    if stop is not None:
        query = query.limit(max(stop - max(start, 0), 0))
    return [row_entry(row) for row in conn.execute(query).mappings()]


class _SqlAudit:
    """The ``audit`` repository of a :class:`~eschool_core.storage.sql.SqlUnitOfWork`.

    An append is an ``INSERT`` in the unit of work's transaction (in a savepoint, so that a
    refused append leaves the unit of work usable); it is committed or rolled back with it.
    """

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def append(self, entry: AuditEntry) -> None:
        """Store ``entry`` after the last one (see :class:`~eschool_core.storage.AuditRepository`).

        Raises:
            ConflictError: If ``entry.position`` does not follow the last stored entry, also
                when another unit of work appended that position first.
        """
        conn = self._uow._connection()
        try:
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
        try:
            row = self._uow._connection().execute(query).mappings().first()
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error
        return None if row is None else row_entry(row)

    def count(self) -> int:
        """Return how many entries are stored."""
        query = sa.select(sa.func.count()).select_from(AUDIT_ENTRIES)
        try:
            return int(self._uow._connection().execute(query).scalar_one())
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error
