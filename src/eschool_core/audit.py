"""The append-only, hash-chained audit log (R3.1b, R12.5).

Every authorization decision and every change is an :class:`AuditEntry`: who (the
authenticated account), when (an aware ``datetime``), what action on which target, and the
values before and after as JSON-able data. Each entry holds the SHA-256 of its predecessor
and its own SHA-256 over a canonical JSON encoding (sorted keys, no spaces, UTF-8), so
:meth:`AuditLog.verify` finds the first entry that was edited, removed or moved.

A chain alone cannot tell that entries were cut off its end; keep the :class:`Anchor` of
the head (its length and last hash) somewhere else and pass it to ``verify``.

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
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum, StrEnum
from fractions import Fraction
from typing import Any, Final, Protocol

import attrs

from eschool_core import _validation as v
from eschool_core.errors import ConflictError, ValidationError

__all__ = [
    "GENESIS_HASH",
    "Anchor",
    "AuditEntry",
    "AuditKind",
    "AuditLog",
    "AuditLogStore",
    "ChainProblem",
    "MemoryAuditLogStore",
    "Verification",
    "canonical_json",
    "position_conflict",
    "to_jsonable",
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
        hash: SHA-256 (hex) of this entry's canonical JSON (all fields but ``hash``).
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

    def content(self) -> dict[str, Any]:
        """Return the hashed content: every field except ``hash``, as JSON data."""
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


class MemoryAuditLogStore:
    """An :class:`AuditLogStore` in memory.

    Args:
        entries: Entries to start with, taken as they are (e.g. loaded from an export);
            :meth:`AuditLog.verify` tells whether they form an intact chain.
    """

    def __init__(self, entries: Iterable[AuditEntry] = ()) -> None:
        self._entries = list(entries)

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
    """The log is shorter than, or its head differs from, the anchor."""


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
    """

    ok: bool
    checked: int
    position: int | None = None
    problem: ChainProblem | None = None

    def explain(self) -> str:
        """Return a one-line English description of the result."""
        if self.ok:
            return f"intact: {self.checked} entries"
        return f"{self.problem} at position {self.position}"


class AuditLog:
    """Appends entries to an :class:`AuditLogStore` with their hashes, and verifies the chain.

    Args:
        store: Where the entries live.
    """

    def __init__(self, store: AuditLogStore) -> None:
        self._store = store

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
        """Append an entry chained to the current head and return it.

        Raises:
            ValidationError: For a naive ``at``, an empty account or non-JSON-able values.
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
        entry = attrs.evolve(draft, hash=draft.computed_hash())
        self._store.append(entry)
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

    def verify(self, anchor: Anchor | None = None) -> Verification:
        """Check the whole chain and return the first problem found.

        Args:
            anchor: A head witness taken earlier; entries cut off the end are found only
                with it.

        >>> AuditLog(MemoryAuditLogStore()).verify()
        Verification(ok=True, checked=0, position=None, problem=None)
        """
        entries = self._store.read()
        previous = GENESIS_HASH
        for index, entry in enumerate(entries):
            if entry.position != index:
                return Verification(
                    ok=False, checked=index, position=index, problem=ChainProblem.WRONG_POSITION
                )
            if entry.previous_hash != previous:
                return Verification(
                    ok=False, checked=index, position=index, problem=ChainProblem.BROKEN_LINK
                )
            if entry.computed_hash() != entry.hash:
                return Verification(
                    ok=False, checked=index, position=index, problem=ChainProblem.EDITED
                )
            previous = entry.hash
        if anchor is not None and anchor.length > 0:
            cut = len(entries) < anchor.length
            if cut or entries[anchor.length - 1].hash != anchor.head_hash:
                position = min(len(entries), anchor.length - 1)
                return Verification(
                    ok=False,
                    checked=len(entries),
                    position=position,
                    problem=ChainProblem.TRUNCATED,
                )
        return Verification(ok=True, checked=len(entries))
