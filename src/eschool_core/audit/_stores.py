"""Where audit entries and checkpoints live: the store protocols and the in-memory store."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from eschool_core.audit._checkpoints import Checkpoint
from eschool_core.audit._entry import AuditEntry, checkpoint_conflict, position_conflict

__all__ = ["AuditLogStore", "CheckpointStore", "MemoryAuditLogStore"]


class AuditLogStore(Protocol):
    """Protocol: where audit entries live; append-only.

    An implementation stores entries in position order and never changes or drops one.
    """

    def append(self, entry: AuditEntry) -> None:
        """Store ``entry`` after the last one.

        Raises:
            ConflictError: If ``entry.position`` is not the number of stored entries.
        """
        ...

    def read(self, start: int = 0, stop: int | None = None) -> Sequence[AuditEntry]:
        """Return the entries at positions ``start`` to ``stop`` (excluded; ``None``: all)."""
        ...

    def last(self) -> AuditEntry | None:
        """Return the last entry, or ``None`` for an empty log."""
        ...

    def count(self) -> int:
        """Return how many entries are stored."""
        ...


@runtime_checkable
class CheckpointStore(Protocol):
    """Protocol: an :class:`AuditLogStore` that also keeps checkpoints; append-only too."""

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Store ``checkpoint``.

        Raises:
            ConflictError: If a checkpoint of the same length is stored
                (``audit.checkpoint_conflict``).
        """
        ...

    def checkpoints(self) -> Sequence[Checkpoint]:
        """Return the stored checkpoints, by length."""
        ...


class MemoryAuditLogStore:
    """An :class:`AuditLogStore` and :class:`CheckpointStore` in memory.

    Args:
        entries: Entries to start with, taken as they are (e.g. loaded from an export);
            :meth:`AuditLog.verify` tells whether they form an intact chain.
        checkpoints: Checkpoints to start with, taken as they are.
    """

    def __init__(
        self, entries: Iterable[AuditEntry] = (), checkpoints: Iterable[Checkpoint] = ()
    ) -> None:
        self._entries = list(entries)
        self._checkpoints = {checkpoint.length: checkpoint for checkpoint in checkpoints}

    def append(self, entry: AuditEntry) -> None:
        """Store ``entry`` after the last one.

        Raises:
            ConflictError: If ``entry.position`` is not the number of stored entries.
        """
        if entry.position != len(self._entries):
            raise position_conflict(entry.position, len(self._entries))
        self._entries.append(entry)

    def read(self, start: int = 0, stop: int | None = None) -> Sequence[AuditEntry]:
        """Return the entries at positions ``start`` to ``stop`` (excluded; ``None``: all)."""
        return tuple(self._entries[start:stop])

    def last(self) -> AuditEntry | None:
        """Return the last entry, or ``None`` for an empty log."""
        return self._entries[-1] if self._entries else None

    def count(self) -> int:
        """Return how many entries are stored."""
        return len(self._entries)

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Store ``checkpoint``.

        Raises:
            ConflictError: If a checkpoint of the same length is stored.
        """
        if checkpoint.length in self._checkpoints:
            raise checkpoint_conflict(checkpoint.length)
        self._checkpoints[checkpoint.length] = checkpoint

    def checkpoints(self) -> Sequence[Checkpoint]:
        """Return the stored checkpoints, by length."""
        return tuple(self._checkpoints[length] for length in sorted(self._checkpoints))
