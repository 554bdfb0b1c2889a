"""The in-memory store's audit log: entries appended in the unit of work's transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from eschool_core.audit import AuditEntry, Checkpoint, checkpoint_conflict, position_conflict

__all__: list[str] = []


class _AuditLists(Protocol):
    """Protocol: the in-memory store's lists of audit entries and checkpoints."""

    _audit_entries: list[AuditEntry]
    _audit_checkpoints: dict[int, Checkpoint]


class _Transaction(Protocol):
    """Protocol: what the audit repository needs of a ``MemoryUnitOfWork``.

    Typed structurally so that this module does not import the store that imports it.
    """

    @property
    def _store(self) -> _AuditLists: ...

    def _require_active(self) -> None: ...

    def _journal(self, undo: Callable[[], object]) -> None: ...


class _MemoryAudit:
    """The ``audit`` repository of a :class:`~eschool_core.storage.MemoryUnitOfWork`.

    An append is journaled like any other write: leaving the unit of work without
    ``commit()`` takes it back.
    """

    def __init__(self, uow: _Transaction) -> None:
        self._uow = uow

    def _entries(self) -> list[AuditEntry]:
        self._uow._require_active()
        return self._uow._store._audit_entries

    def append(self, entry: AuditEntry) -> None:
        """Store ``entry`` after the last one (see :class:`~eschool_core.storage.AuditRepository`).

        Raises:
            ConflictError: If ``entry.position`` is not the number of stored entries.
        """
        entries = self._entries()
        if entry.position != len(entries):
            raise position_conflict(entry.position, len(entries))
        entries.append(entry)
        self._uow._journal(entries.pop)

    def read(self, start: int = 0, stop: int | None = None) -> Sequence[AuditEntry]:
        """Return the entries at positions ``start`` to ``stop`` (excluded; ``None``: all)."""
        return tuple(self._entries()[start:stop])

    def last(self) -> AuditEntry | None:
        """Return the last entry, or ``None`` for an empty log."""
        entries = self._entries()
        return entries[-1] if entries else None

    def count(self) -> int:
        """Return how many entries are stored."""
        return len(self._entries())

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Store ``checkpoint`` (see :class:`~eschool_core.storage.AuditRepository`).

        Raises:
            ConflictError: If a checkpoint of the same length is stored.
        """
        self._uow._require_active()
        stored = self._uow._store._audit_checkpoints
        if checkpoint.length in stored:
            raise checkpoint_conflict(checkpoint.length)
        stored[checkpoint.length] = checkpoint
        self._uow._journal(lambda: stored.pop(checkpoint.length))

    def checkpoints(self) -> Sequence[Checkpoint]:
        """Return the stored checkpoints, by length."""
        self._uow._require_active()
        stored = self._uow._store._audit_checkpoints
        return tuple(stored[length] for length in sorted(stored))
