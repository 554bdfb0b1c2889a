"""Audit entries: their JSON values, canonical text, hashes and the errors stores raise."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum, StrEnum
from fractions import Fraction
from typing import Any, Final

import attrs

from eschool_core import _validation as v
from eschool_core.audit._errors import (
    AUDIT_CHECKPOINT_CONFLICT,
    AUDIT_NOT_JSONABLE,
    AUDIT_POSITION_CONFLICT,
    AUDIT_UNREADABLE_ENTRY,
)
from eschool_core.errors import ConflictError, StorageError, ValidationError

__all__ = [
    "GENESIS_HASH",
    "AuditEntry",
    "AuditKind",
    "canonical_json",
    "checkpoint_conflict",
    "mac",
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
    return AUDIT_NOT_JSONABLE.error(value=repr(value))


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
        return mac(key, self.computed_hash())


def mac(key: bytes, text: str) -> str:
    """Return the HMAC-SHA256 (hex) of ``text`` under ``key``."""
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def position_conflict(position: int, length: int) -> ConflictError:
    """Return the error for appending entry ``position`` to a log of ``length`` entries.

    Every :class:`AuditLogStore` raises it (code ``audit.position_conflict``) when an entry
    does not follow the last one, e.g. when another writer appended first.

    >>> position_conflict(3, 4).code
    'audit.position_conflict'
    """
    return AUDIT_POSITION_CONFLICT.error(position=position, length=length)


def checkpoint_conflict(length: int) -> ConflictError:
    """Return the error for a second checkpoint at ``length`` (``audit.checkpoint_conflict``).

    >>> checkpoint_conflict(3).code
    'audit.checkpoint_conflict'
    """
    return AUDIT_CHECKPOINT_CONFLICT.error(length=length)


def unreadable_entry(position: int, problem: str) -> StorageError:
    """Return the error for a stored entry at ``position`` that cannot be read back.

    A store raises it (code ``audit.unreadable_entry``) from ``read`` and ``last`` when a row
    no longer makes an entry (a moment or JSON text edited into garbage);
    :meth:`AuditLog.verify` reports it as the entry ``edited`` at ``position``.

    >>> unreadable_entry(2, "bad moment").details["position"]
    2
    """
    return AUDIT_UNREADABLE_ENTRY.error(position=position, problem=problem)
