"""The append-only, hash-chained audit log with numbered checkpoints (R3.1b, R12.5).

Every authorization decision and every change is an :class:`AuditEntry`: who (the
authenticated account), when (an aware ``datetime``), what action on which target, and the
values before and after as JSON-able data. Each entry holds the SHA-256 of its predecessor
and its own SHA-256 over a canonical JSON encoding (sorted keys, no spaces, UTF-8), so
:meth:`AuditLog.verify` finds an entry that was edited, removed or moved.

A chain alone cannot tell that entries were cut off its end, nor that the whole log was
rewritten with recomputed hashes. A :class:`Checkpoint` witnesses the head at a moment (the
length and the last hash). Checkpoints are numbered and chained (each names the digest of
the one before), so a checkpoint deleted from the store is reported as missing;
:meth:`AuditLog.checkpoint` stores one (and ``checkpoint_every=N`` one every N entries) and
sends it to the host's sink (:class:`FileCheckpointSink`, or any callable), and
:func:`checkpoints_to_json` exports them. :meth:`AuditLog.verify` checks the chain, the
stored checkpoints and the witnesses it is given, and names every damage it finds
(:class:`ChainProblem`): a log shorter than a checkpoint is ``truncated``, a log whose
entry at a checkpoint's head hashes otherwise is ``rewritten``, a gap in the numbers is
``checkpoint_missing``, a checkpoint that no longer matches its successor's link, its MAC
or the sink's copy is ``checkpoint_edited``.

The keyed chain. Whoever can write to the store can append an entry with a correct hash and
link. Given the school's secret (``key``, bytes the host keeps out of the store),
:class:`AuditLog` also writes ``mac``, the HMAC-SHA256 of the entry's hash under the key,
into every entry and checkpoint it writes; verifying with the key then finds an entry
without a MAC (``unsigned``) or with a wrong one (``forged``). The MAC is a separate field,
outside the hashed content, so the hash chain is the same with or without a key: a log
written without a key verifies without one, and a log that was started without a key can be
verified with the key from the first keyed position on (``keyed_from``).

>>> from datetime import datetime, timezone
>>> log = AuditLog(MemoryAuditLogStore())
>>> at = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
>>> _ = log.record_change(account_id="a1", at=at, action="mark.write",
...     target={"student_id": "s1"}, before=None, after={"value": 5})
>>> log.verify().ok
True
"""

from eschool_core.audit._checkpoints import (
    Checkpoint,
    CheckpointSink,
    FileCheckpointSink,
    checkpoints_from_json,
    checkpoints_to_json,
    read_checkpoint_file,
    sink_failed,
)
from eschool_core.audit._entry import (
    GENESIS_HASH,
    AuditEntry,
    AuditKind,
    canonical_json,
    checkpoint_conflict,
    position_conflict,
    to_jsonable,
    unreadable_entry,
)
from eschool_core.audit._log import AuditLog
from eschool_core.audit._policy import AuditPolicy
from eschool_core.audit._stores import AuditLogStore, CheckpointStore, MemoryAuditLogStore
from eschool_core.audit._verify import Anchor, ChainProblem, Damage, Verification

__all__ = [
    "GENESIS_HASH",
    "Anchor",
    "AuditEntry",
    "AuditKind",
    "AuditLog",
    "AuditLogStore",
    "AuditPolicy",
    "ChainProblem",
    "Checkpoint",
    "CheckpointSink",
    "CheckpointStore",
    "Damage",
    "FileCheckpointSink",
    "MemoryAuditLogStore",
    "Verification",
    "canonical_json",
    "checkpoint_conflict",
    "checkpoints_from_json",
    "checkpoints_to_json",
    "position_conflict",
    "read_checkpoint_file",
    "sink_failed",
    "to_jsonable",
    "unreadable_entry",
]
