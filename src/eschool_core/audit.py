"""The append-only, hash-chained audit log (R3.1b, R12.5).

Every authorization decision and every change is an :class:`AuditEntry`: who (the
authenticated account), when (an aware ``datetime``), what action on which target, and the
values before and after as JSON-able data. Each entry holds the SHA-256 of its predecessor
and its own SHA-256 over a canonical JSON encoding (sorted keys, no spaces, UTF-8), so
:meth:`AuditLog.verify` finds the first entry that was edited, removed or moved.

A chain alone cannot tell that entries were cut off its end, nor that the whole log was
rewritten with recomputed hashes. A :class:`Checkpoint` witnesses the head at a moment (the
length and the last hash); :meth:`AuditLog.checkpoint` stores one in the log's store (and
``checkpoint_every=N`` one every N entries), and :func:`checkpoints_to_json` exports them so
that the host keeps copies off the store. :meth:`AuditLog.verify` checks the chain against
the stored checkpoints and those it is given: a log shorter than a checkpoint is
``truncated``, a log whose entry at a checkpoint's head hashes otherwise is ``rewritten``
(located between the last checkpoint that still matches and that one).

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

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum, StrEnum
from fractions import Fraction
from typing import Any, Final, Protocol, runtime_checkable

import attrs

from eschool_core import _validation as v
from eschool_core.errors import ConflictError, StorageError, ValidationError

__all__ = [
    "GENESIS_HASH",
    "Anchor",
    "AuditEntry",
    "AuditKind",
    "AuditLog",
    "AuditLogStore",
    "ChainProblem",
    "Checkpoint",
    "CheckpointStore",
    "MemoryAuditLogStore",
    "Verification",
    "canonical_json",
    "checkpoint_conflict",
    "checkpoints_from_json",
    "checkpoints_to_json",
    "position_conflict",
    "to_jsonable",
    "unreadable_entry",
]

GENESIS_HASH: Final = "0" * 64
"""The predecessor hash of the first entry."""


class AuditKind(StrEnum):
    """What an entry records."""

    DECISION = "decision"
    """An authorization decision (allowed or denied)."""
    CHANGE = "change"
    """A change of data (before and after)."""
    LOGIN = "login"
    """An authentication event (success, failure, lock)."""


def to_jsonable(value: object) -> Any:  # noqa: ANN401 - JSON data is untyped by nature
    """Return ``value`` as JSON data: dicts with string keys, lists, str, int, bool, ``None``.

    Dates and aware datetimes become ISO strings, fractions ``"n/d"`` strings, enums their
    values, attrs instances dicts of their fields, tuples and sets lists (sets sorted).

    Raises:
        ValidationError: For floats (inexact), naive datetimes, non-string keys and other
            types.

    >>> to_jsonable({"on": date(2026, 3, 2), "avg": Fraction(9, 2), "ids": ("b", "a")})
    {'on': '2026-03-02', 'avg': '9/2', 'ids': ['b', 'a']}
    """
    if isinstance(value, Enum):
        return to_jsonable(value.value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise _not_jsonable(value)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Mapping):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise _not_jsonable(key)
            result[key] = to_jsonable(item)
        return result
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((to_jsonable(item) for item in value), key=canonical_json)
    if attrs.has(type(value)):
        return {
            field.name.lstrip("_"): to_jsonable(getattr(value, field.name))
            for field in attrs.fields(type(value))  # type: ignore[arg-type]
        }
    raise _not_jsonable(value)


def _not_jsonable(value: object) -> ValidationError:
    return ValidationError(
        f"Значение нельзя записать в журнал изменений: {value!r}",
        f"The value cannot be written to the audit log: {value!r}",
        code="audit.not_jsonable",
        details={"value": repr(value)},
    )


def canonical_json(value: object) -> str:
    """Return the canonical JSON text of JSON data: sorted keys, no spaces, UTF-8 as is.

    >>> canonical_json({"b": 1, "a": ["ё", None]})
    '{"a":["ё",null],"b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _jsonable_converter(value: object) -> Any:  # noqa: ANN401 - JSON data
    return to_jsonable(value)


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One entry of the audit log.

    Attributes:
        position: The 0-based position in the log.
        at: When it happened (timezone-aware).
        account_id: The authenticated account that acted (R12.5).
        kind: Decision, change or login.
        action: The action code (``"mark.write"``).
        target: What was acted on, as JSON data.
        before: The value before a change (``None`` for a creation or a decision).
        after: The value after a change, or the decision (allowed, reason, clause).
        previous_hash: SHA-256 (hex) of the predecessor, :data:`GENESIS_HASH` for the first.
        hash: SHA-256 (hex) of this entry's canonical JSON (all fields but ``hash`` and
            ``mac``).
        mac: HMAC-SHA256 (hex) of ``hash`` under the school's key, ``None`` in a log kept
            without a key.
    """

    position: int = attrs.field(validator=v.int_in_range(0, 2**62, "audit.position"))
    at: datetime = attrs.field(validator=v.aware_datetime)
    account_id: str = attrs.field(validator=v.non_empty_text)
    kind: AuditKind = attrs.field(converter=AuditKind)
    action: str = attrs.field(validator=v.non_empty_text)
    target: Any = attrs.field(converter=_jsonable_converter)
    before: Any = attrs.field(converter=_jsonable_converter)
    after: Any = attrs.field(converter=_jsonable_converter)
    previous_hash: str
    hash: str
    mac: str | None = None

    def content(self) -> dict[str, Any]:
        """Return the hashed content: every field except ``hash`` and ``mac``, as JSON data."""
        return {
            "position": self.position,
            "at": self.at.isoformat(),
            "account_id": self.account_id,
            "kind": self.kind.value,
            "action": self.action,
            "target": self.target,
            "before": self.before,
            "after": self.after,
            "previous_hash": self.previous_hash,
        }

    def computed_hash(self) -> str:
        """Return the SHA-256 that the entry's content has now."""
        return hashlib.sha256(canonical_json(self.content()).encode("utf-8")).hexdigest()

    def computed_mac(self, key: bytes) -> str:
        """Return the HMAC-SHA256 (hex) of the entry's content now, under ``key``."""
        return _mac(key, self.computed_hash())


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


@attrs.frozen(kw_only=True)
class Checkpoint:
    """A witness of the log's head at a moment, stored beside the log and kept by the host.

    Attributes:
        length: Number of entries then (at least 1).
        head_hash: Hash of the entry at position ``length - 1``.
        at: When it was taken (timezone-aware).
        mac: HMAC-SHA256 (hex) of the checkpoint's content under the school's key, ``None``
            when taken without a key.
    """

    length: int = attrs.field(validator=v.int_in_range(1, 2**62, "audit.checkpoint_length"))
    head_hash: str = attrs.field(validator=v.non_empty_text)
    at: datetime = attrs.field(validator=v.aware_datetime)
    mac: str | None = None

    def content(self) -> dict[str, Any]:
        """Return the authenticated content (all fields but ``mac``) as JSON data."""
        return {"length": self.length, "head_hash": self.head_hash, "at": self.at.isoformat()}

    def computed_mac(self, key: bytes) -> str:
        """Return the HMAC-SHA256 (hex) of the checkpoint's content under ``key``."""
        return _mac(key, canonical_json(self.content()))

    def to_jsonable(self) -> dict[str, Any]:
        """Return the checkpoint as JSON data (its content and ``mac``)."""
        return {**self.content(), "mac": self.mac}


_CHECKPOINTS_FORMAT: Final = "eschool-audit-checkpoints"


def checkpoints_to_json(checkpoints: Iterable[Checkpoint]) -> str:
    """Return ``checkpoints`` as a JSON document a host keeps off the store.

    The document is ``{"format": "eschool-audit-checkpoints", "version": 1, "checkpoints":
    [{"length": ..., "head_hash": ..., "at": ..., "mac": ...}, ...]}``, by length.

    >>> at = datetime(2026, 3, 2, 9, 0).astimezone()
    >>> text = checkpoints_to_json([Checkpoint(length=1, head_hash="ab", at=at)])
    >>> checkpoints_from_json(text)[0].length
    1
    """
    ordered = sorted(checkpoints, key=lambda checkpoint: checkpoint.length)
    document = {
        "format": _CHECKPOINTS_FORMAT,
        "version": 1,
        "checkpoints": [checkpoint.to_jsonable() for checkpoint in ordered],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def checkpoints_from_json(text: str) -> tuple[Checkpoint, ...]:
    """Return the checkpoints of a document :func:`checkpoints_to_json` wrote.

    Raises:
        ValidationError: If ``text`` is not such a document (``audit.bad_checkpoints``).
    """
    try:
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("format") != _CHECKPOINTS_FORMAT:
            raise ValueError("not a checkpoints document")  # noqa: TRY301 - one error below
        if document.get("version") != 1:
            raise ValueError(f"version {document.get('version')!r}")  # noqa: TRY301
        return tuple(
            Checkpoint(
                length=item["length"],
                head_hash=item["head_hash"],
                at=datetime.fromisoformat(item["at"]),
                mac=item.get("mac"),
            )
            for item in document["checkpoints"]
        )
    except (ValueError, TypeError, KeyError, ValidationError) as error:
        raise ValidationError(
            f"Файл контрольных точек журнала изменений не читается: {error}",
            f"The audit checkpoints document cannot be read: {error}",
            code="audit.bad_checkpoints",
            details={"problem": str(error)},
        ) from error


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


def position_conflict(position: int, length: int) -> ConflictError:
    """Return the error for appending entry ``position`` to a log of ``length`` entries.

    Every :class:`AuditLogStore` raises it (code ``audit.position_conflict``) when an entry
    does not follow the last one, e.g. when another writer appended first.

    >>> position_conflict(3, 4).code
    'audit.position_conflict'
    """
    return ConflictError(
        f"Запись журнала изменений №{position} не следует за последней ({length} записей)",
        f"Audit entry {position} does not follow the last one ({length} entries)",
        code="audit.position_conflict",
        clause="3.1",
        details={"position": position, "length": length},
    )


def checkpoint_conflict(length: int) -> ConflictError:
    """Return the error for a second checkpoint at ``length`` (``audit.checkpoint_conflict``).

    >>> checkpoint_conflict(3).code
    'audit.checkpoint_conflict'
    """
    return ConflictError(
        f"Контрольная точка журнала изменений на {length} записях уже сохранена",
        f"An audit checkpoint at {length} entries is stored already",
        code="audit.checkpoint_conflict",
        clause="3.1",
        details={"length": length},
    )


def unreadable_entry(position: int, problem: str) -> StorageError:
    """Return the error for a stored entry at ``position`` that cannot be read back.

    A store raises it (code ``audit.unreadable_entry``) from ``read`` and ``last`` when a row
    no longer makes an entry (a moment or JSON text edited into garbage);
    :meth:`AuditLog.verify` reports it as the entry ``edited`` at ``position``.

    >>> unreadable_entry(2, "bad moment").details["position"]
    2
    """
    return StorageError(
        f"Запись журнала изменений №{position} не читается: {problem}",
        f"Audit entry {position} cannot be read: {problem}",
        code="audit.unreadable_entry",
        clause="3.1",
        details={"position": position, "problem": problem},
    )


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


class ChainProblem(StrEnum):
    """What :meth:`AuditLog.verify` found wrong at a position."""

    EDITED = "edited"
    """The entry's content no longer matches its hash."""
    BROKEN_LINK = "broken_link"
    """The entry does not point to the hash of the entry before it (an entry was removed,
    inserted or moved)."""
    WRONG_POSITION = "wrong_position"
    """The entry's recorded position differs from where it is (removed or reordered)."""
    TRUNCATED = "truncated"
    """The log is shorter than an anchor or a checkpoint: entries from this position on are
    missing."""
    REWRITTEN = "rewritten"
    """The chain is intact but the entry at a checkpoint's head hashes otherwise: entries
    from this position to ``through`` were replaced, with their hashes recomputed."""
    UNSIGNED = "unsigned"
    """Verified with the key: the entry has no MAC (appended without the key)."""
    FORGED = "forged"
    """Verified with the key: the entry's MAC is wrong (made without the key, or edited)."""
    FORGED_CHECKPOINT = "forged_checkpoint"
    """Verified with the key: a checkpoint ending at this position has no MAC or a wrong one."""


@attrs.frozen(kw_only=True)
class Anchor:
    """A witness of the log's head, kept apart from the log to detect a cut-off end.

    Attributes:
        length: Number of entries.
        head_hash: Hash of the last entry (:data:`GENESIS_HASH` for an empty log).
    """

    length: int
    head_hash: str


@attrs.frozen(kw_only=True)
class Verification:
    """The result of checking the chain.

    Attributes:
        ok: Whether the chain is intact.
        checked: How many entries were checked.
        position: The first position where something is wrong, ``None`` when intact.
        problem: What is wrong there.
        through: For a rewrite, the last position that may have been replaced (the first
            checkpoint that no longer matches ends there); ``None`` otherwise.
        checkpoints: How many checkpoints (and anchors) the log was checked against.
    """

    ok: bool
    checked: int
    position: int | None = None
    problem: ChainProblem | None = None
    through: int | None = None
    checkpoints: int = 0

    def explain(self) -> str:
        """Return a one-line English description of the result."""
        if self.ok:
            against = f", {self.checkpoints} checkpoints" if self.checkpoints else ""
            return f"intact: {self.checked} entries{against}"
        if self.through is not None and self.through != self.position:
            return f"{self.problem} at positions {self.position} to {self.through}"
        return f"{self.problem} at position {self.position}"


class AuditLog:
    """Appends entries to an :class:`AuditLogStore` with their hashes, and verifies the chain.

    Args:
        store: Where the entries live (and the checkpoints, when it is a
            :class:`CheckpointStore`).
        key: The school's secret for the keyed chain (HMAC-SHA256), supplied by the host and
            kept out of the store; ``None`` for a plain hash chain.
        checkpoint_every: Take a checkpoint after every this many entries (at the entry's
            moment); ``None`` for checkpoints only on :meth:`checkpoint`.

    Raises:
        ValidationError: For an empty key or a ``checkpoint_every`` below 1.
    """

    def __init__(
        self,
        store: AuditLogStore,
        *,
        key: bytes | None = None,
        checkpoint_every: int | None = None,
    ) -> None:
        if key is not None and not key:
            raise ValidationError(
                "Ключ журнала изменений не может быть пустым",
                "The audit key must not be empty",
                code="audit.empty_key",
            )
        if checkpoint_every is not None and checkpoint_every < 1:
            raise ValidationError(
                f"Контрольная точка каждые {checkpoint_every} записей невозможна",
                f"A checkpoint every {checkpoint_every} entries is impossible",
                code="audit.checkpoint_every",
                details={"checkpoint_every": checkpoint_every},
            )
        self._store = store
        self._key = key
        self._every = checkpoint_every

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
        mac = None if self._key is None else _mac(self._key, digest)
        entry = attrs.evolve(draft, hash=digest, mac=mac)
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
        """Take a checkpoint of the current head at moment ``at`` and store it.

        It is stored when the store is a :class:`CheckpointStore` and returned in any case,
        for the host to keep (see :func:`checkpoints_to_json`); with a key it carries its
        MAC. When a checkpoint of the current length is stored already, that one is
        returned. An empty log has no head: ``None``.

        Raises:
            ValidationError: For a naive ``at``.
        """
        last = self._store.last()
        if last is None:
            return None
        length = last.position + 1
        if isinstance(self._store, CheckpointStore):
            for stored in reversed(self._store.checkpoints()):
                if stored.length == length:
                    return stored
        draft = Checkpoint(length=length, head_hash=last.hash, at=at)
        checkpoint = (
            draft if self._key is None else attrs.evolve(draft, mac=draft.computed_mac(self._key))
        )
        if isinstance(self._store, CheckpointStore):
            self._store.add_checkpoint(checkpoint)
        return checkpoint

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
        """Check the whole chain, against the checkpoints, and return the first problem found.

        The entries are checked in order (position, link, hash and, with a key, MAC from
        ``keyed_from`` on); then the log is checked against ``anchor``, the stored checkpoints
        and ``checkpoints`` (with a key, each checkpoint's MAC first). Of the problems found
        the one at the lowest position is reported (a chain problem before a checkpoint's at
        the same position).

        Args:
            anchor: A head witness taken earlier; entries cut off the end are found only
                with it or with a checkpoint.
            checkpoints: Checkpoints the host kept (e.g. read back with
                :func:`checkpoints_from_json`), checked besides the stored ones.
            keyed_from: With a key, the first position that must carry a MAC (for a log
                kept without a key before).

        >>> AuditLog(MemoryAuditLogStore()).verify()
        Verification(ok=True, checked=0, position=None, problem=None, through=None, checkpoints=0)
        """
        unreadable: _Found | None = None
        try:
            entries = self._store.read()
        except StorageError as error:
            if error.code != "audit.unreadable_entry":
                raise
            position = int(error.details["position"])
            unreadable = (position, ChainProblem.EDITED, None)
            entries = self._store.read(0, position)
        found = _earliest(self._chain_problem(entries, keyed_from), unreadable)
        witnesses = [*self.checkpoints(), *checkpoints]
        heads = [(w.length, w.head_hash) for w in witnesses]
        if anchor is not None and anchor.length > 0:
            heads.append((anchor.length, anchor.head_hash))
        if self._key is not None:
            for witness in witnesses:
                if witness.mac is None or not hmac.compare_digest(
                    witness.mac, witness.computed_mac(self._key)
                ):
                    found = _earliest(
                        found, (witness.length - 1, ChainProblem.FORGED_CHECKPOINT, None)
                    )
        found = _earliest(found, _head_problem(entries, heads))
        if found is None:
            return Verification(ok=True, checked=len(entries), checkpoints=len(heads))
        position, problem, through = found
        return Verification(
            ok=False,
            checked=min(position, len(entries)),
            position=position,
            problem=problem,
            through=through,
            checkpoints=len(heads),
        )

    def _chain_problem(
        self, entries: Sequence[AuditEntry], keyed_from: int
    ) -> tuple[int, ChainProblem, int | None] | None:
        """The first entry that is out of place, unlinked, edited or (with the key) not signed."""
        previous = GENESIS_HASH
        for index, entry in enumerate(entries):
            problem: ChainProblem | None = None
            if entry.position != index:
                problem = ChainProblem.WRONG_POSITION
            elif entry.previous_hash != previous:
                problem = ChainProblem.BROKEN_LINK
            elif entry.computed_hash() != entry.hash:
                problem = ChainProblem.EDITED
            elif self._key is not None and index >= keyed_from:
                if entry.mac is None:
                    problem = ChainProblem.UNSIGNED
                elif not hmac.compare_digest(entry.mac, _mac(self._key, entry.hash)):
                    problem = ChainProblem.FORGED
            if problem is not None:
                return (index, problem, None)
            previous = entry.hash
        return None


_Found = tuple[int, ChainProblem, int | None]


def _earliest(first: _Found | None, second: _Found | None) -> _Found | None:
    """The problem at the lower position (``first`` on a tie)."""
    if first is None:
        return second
    if second is None or first[0] <= second[0]:
        return first
    return second


def _head_problem(entries: Sequence[AuditEntry], heads: Iterable[tuple[int, str]]) -> _Found | None:
    """The first place where the log differs from a witnessed head (length, head hash).

    A log shorter than a head is truncated from its length on. A head whose entry hashes
    otherwise was rewritten after the longest head below it that still matches.
    """
    matched = [0]
    for length, head_hash in sorted(set(heads)):
        if length <= 0:
            continue
        if len(entries) < length:
            return (len(entries), ChainProblem.TRUNCATED, None)
        if entries[length - 1].hash != head_hash:
            below = max(good for good in matched if good < length)
            return (below, ChainProblem.REWRITTEN, length - 1)
        matched.append(length)
    return None
