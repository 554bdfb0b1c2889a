"""The audit log: appending chained entries, taking numbered checkpoints, verifying."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from eschool_core.audit._checkpoints import Checkpoint, CheckpointSink
from eschool_core.audit._entry import GENESIS_HASH, AuditEntry, AuditKind, mac
from eschool_core.audit._errors import AUDIT_CHECKPOINT_EVERY, AUDIT_EMPTY_KEY
from eschool_core.audit._stores import AuditLogStore, CheckpointStore
from eschool_core.audit._verify import Anchor, Verification, find_damage
from eschool_core.errors import StorageError

__all__ = ["AuditLog"]


class AuditLog:
    """Appends entries to an :class:`AuditLogStore` with their hashes, and verifies the chain.

    Args:
        store: Where the entries live (and the checkpoints, when it is a
            :class:`CheckpointStore`).
        key: The school's secret for the keyed chain (HMAC-SHA256), supplied by the host and
            kept out of the store; ``None`` for a plain hash chain.
        checkpoint_every: Take a checkpoint after every this many entries (at the entry's
            moment); ``None`` for checkpoints only on :meth:`checkpoint`.
        sink: Where every new checkpoint is also sent once stored (see
            :data:`CheckpointSink`); ``None`` for none.

    Raises:
        ValidationError: For an empty key or a ``checkpoint_every`` below 1.
    """

    def __init__(
        self,
        store: AuditLogStore,
        *,
        key: bytes | None = None,
        checkpoint_every: int | None = None,
        sink: CheckpointSink | None = None,
    ) -> None:
        if key is not None and not key:
            raise AUDIT_EMPTY_KEY.error()
        if checkpoint_every is not None and checkpoint_every < 1:
            raise AUDIT_CHECKPOINT_EVERY.error(checkpoint_every=checkpoint_every)
        self._store = store
        self._key = key
        self._every = checkpoint_every
        self._sink = sink
        self._taken: list[Checkpoint] = []

    @property
    def store(self) -> AuditLogStore:
        """The underlying store."""
        return self._store

    def append(
        self,
        *,
        kind: AuditKind,
        account_id: str,
        at: datetime,
        action: str,
        target: object,
        before: object = None,
        after: object = None,
    ) -> AuditEntry:
        """Append an entry chained to the current head (with its MAC under the key) and return it.

        Raises:
            ValidationError: For a naive ``at``, an empty account or non-JSON-able values.
            ConflictError: If another writer appended first (``audit.position_conflict``).
        """
        last = self._store.last()
        previous = GENESIS_HASH if last is None else last.hash
        position = 0 if last is None else last.position + 1
        draft = AuditEntry(
            position=position,
            at=at,
            account_id=account_id,
            kind=kind,
            action=action,
            target=target,
            before=before,
            after=after,
            previous_hash=previous,
            hash="",
        )
        digest = draft.computed_hash()
        signature = None if self._key is None else mac(self._key, digest)
        entry = attrs.evolve(draft, hash=digest, mac=signature)
        self._store.append(entry)
        if self._every is not None and (position + 1) % self._every == 0:
            self.checkpoint(at)
        return entry

    def record_change(
        self,
        *,
        account_id: str,
        at: datetime,
        action: str,
        target: object,
        before: object,
        after: object,
    ) -> AuditEntry:
        """Append a change made by ``account_id`` (R12.5): the values before and after."""
        return self.append(
            kind=AuditKind.CHANGE,
            account_id=account_id,
            at=at,
            action=action,
            target=target,
            before=before,
            after=after,
        )

    def anchor(self) -> Anchor:
        """Return the witness of the current head, to keep outside the log."""
        last = self._store.last()
        if last is None:
            return Anchor(length=0, head_hash=GENESIS_HASH)
        return Anchor(length=last.position + 1, head_hash=last.hash)

    def checkpoint(self, at: datetime) -> Checkpoint | None:
        """Take a checkpoint of the current head at moment ``at``, store it and send it to the sink.

        The checkpoint is numbered after the last stored one and links to its digest (the
        first links to :data:`GENESIS_HASH`); with a key it carries its MAC. It is stored
        when the store is a :class:`CheckpointStore`, sent to the sink, and returned in any
        case, for the host to keep (see :func:`checkpoints_to_json`). When a checkpoint of
        the current length is stored already, that one is returned (and not sent again).
        An empty log has no head: ``None``.

        Raises:
            ValidationError: For a naive ``at``.
            StorageError: If the sink fails (``audit.sink_failed``); the checkpoint is
                stored.
        """
        last = self._store.last()
        if last is None:
            return None
        length = last.position + 1
        stored = self.checkpoints()
        for checkpoint in reversed(stored):
            if checkpoint.length == length:
                return checkpoint
        before = stored[-1] if stored else None
        if before is None:
            number, link = 1, GENESIS_HASH
        else:
            number = len(stored) + 1 if before.number is None else before.number + 1
            link = before.digest()
        draft = Checkpoint(length=length, head_hash=last.hash, at=at, number=number, previous=link)
        checkpoint = (
            draft if self._key is None else attrs.evolve(draft, mac=draft.computed_mac(self._key))
        )
        if isinstance(self._store, CheckpointStore):
            self._store.add_checkpoint(checkpoint)
        self._taken.append(checkpoint)
        if self._sink is not None:
            self._sink(checkpoint)
        return checkpoint

    @property
    def taken(self) -> tuple[Checkpoint, ...]:
        """The checkpoints this log object took, in order (to send once they are committed)."""
        return tuple(self._taken)

    def checkpoints(self) -> tuple[Checkpoint, ...]:
        """Return the stored checkpoints, by length (none when the store keeps none)."""
        if isinstance(self._store, CheckpointStore):
            return tuple(self._store.checkpoints())
        return ()

    def verify(
        self,
        anchor: Anchor | None = None,
        *,
        checkpoints: Iterable[Checkpoint] = (),
        keyed_from: int = 0,
    ) -> Verification:
        """Check the whole log and return every damage found, each named and located.

        The entries are checked in order (position, link, hash and, with a key, MAC from
        ``keyed_from`` on): an entry edited, removed, moved or not signed. The stored
        checkpoints are checked as a numbered chain (a missing or edited checkpoint), the
        witnesses kept elsewhere (``checkpoints``: a sink's file or an export) against the
        stored ones by number, and the log against every witnessed head and ``anchor``
        (cut short, or rewritten). See :class:`ChainProblem` for the kinds.

        Args:
            anchor: A head witness taken earlier.
            checkpoints: Checkpoints the host kept (read back with
                :func:`read_checkpoint_file` or :func:`checkpoints_from_json`), checked
                besides the stored ones; a log cut past its last stored checkpoint is found
                only against them (or the anchor).
            keyed_from: With a key, the first position that must carry a MAC (for a log
                kept without a key before).

        >>> from eschool_core.audit import MemoryAuditLogStore
        >>> AuditLog(MemoryAuditLogStore()).verify()
        Verification(ok=True, checked=0, position=None, problem=None, through=None,
                     checkpoints=0, damages=(), unnumbered=0)
        """
        unreadable: int | None = None
        try:
            entries = self._store.read()
        except StorageError as error:
            if error.code != "audit.unreadable_entry":
                raise
            unreadable = int(error.details["position"])
            entries = self._store.read(0, unreadable)
        return find_damage(
            entries,
            stored=self.checkpoints(),
            given=tuple(checkpoints),
            anchor=anchor,
            key=self._key,
            keyed_from=keyed_from,
            unreadable=unreadable,
        )
