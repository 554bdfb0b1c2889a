"""Checkpoints of the audit log: numbered, chained witnesses of its head, and their sinks.

A :class:`Checkpoint` states the log's length and head hash at a moment. Checkpoints are
numbered from 1 and each names the digest of the one before it (``previous``), so that a
checkpoint removed from the store leaves a gap in the numbers or a broken link. A
checkpoint made before numbering existed has neither (``number`` is ``None``); it still
witnesses the head, but its removal cannot be told.

Every checkpoint can also be sent to a sink outside the store (a file the host keeps, or
any callback), as transparency logs publish their tree heads: a log cut past its last stored
checkpoint, with the stored checkpoints past the cut deleted as well, is then still found
against what the sink received.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import attrs

from eschool_core import _validation as v
from eschool_core.audit._entry import canonical_json, mac
from eschool_core.audit._errors import (
    AUDIT_BAD_CHECKPOINTS,
    AUDIT_CHECKPOINT_NUMBER,
    AUDIT_SINK_FAILED,
)
from eschool_core.errors import StorageError, ValidationError

__all__ = [
    "Checkpoint",
    "CheckpointSink",
    "FileCheckpointSink",
    "checkpoints_from_json",
    "checkpoints_to_json",
    "read_checkpoint_file",
    "sink_failed",
]


def _optional_number(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


@attrs.frozen(kw_only=True)
class Checkpoint:
    """A witness of the log's head at a moment, stored beside the log and sent to the sink.

    Attributes:
        length: Number of entries then (at least 1).
        head_hash: Hash of the entry at position ``length - 1``.
        at: When it was taken (timezone-aware).
        number: Its number, 1 for the log's first checkpoint; ``None`` for a checkpoint
            stored before checkpoints were numbered.
        previous: The :meth:`digest` of the checkpoint before it (:data:`GENESIS_HASH` for
            the first); ``None`` exactly when ``number`` is.
        mac: HMAC-SHA256 (hex) of the checkpoint's content under the school's key, ``None``
            when taken without a key.

    Raises:
        ValidationError: For a length or number below 1, a naive moment, or a number
            without ``previous`` (or the reverse) (``audit.checkpoint_number``).
    """

    length: int = attrs.field(validator=v.int_in_range(1, 2**62, "audit.checkpoint_length"))
    head_hash: str = attrs.field(validator=v.non_empty_text)
    at: datetime = attrs.field(validator=v.aware_datetime)
    number: int | None = attrs.field(default=None, converter=_optional_number)
    previous: str | None = None
    mac: str | None = None

    def __attrs_post_init__(self) -> None:
        if (self.number is None) != (self.previous is None) or (
            self.number is not None and self.number < 1
        ):
            raise AUDIT_CHECKPOINT_NUMBER.error(number=self.number, previous=self.previous)

    @property
    def numbered(self) -> bool:
        """Whether the checkpoint is numbered and chained (made by this version or later)."""
        return self.number is not None

    def content(self) -> dict[str, Any]:
        """Return the authenticated content (all fields but ``mac``) as JSON data.

        An unnumbered checkpoint's content is its length, head hash and moment only, as it
        was when it was made, so that its MAC still verifies.
        """
        content: dict[str, Any] = {
            "length": self.length,
            "head_hash": self.head_hash,
            "at": self.at.isoformat(),
        }
        if self.number is not None:
            content |= {"number": self.number, "previous": self.previous}
        return content

    def digest(self) -> str:
        """Return the SHA-256 (hex) of the content: what the next checkpoint links to."""
        return hashlib.sha256(canonical_json(self.content()).encode("utf-8")).hexdigest()

    def computed_mac(self, key: bytes) -> str:
        """Return the HMAC-SHA256 (hex) of the checkpoint's content under ``key``."""
        return mac(key, canonical_json(self.content()))

    def to_jsonable(self) -> dict[str, Any]:
        """Return the checkpoint as JSON data (its content and ``mac``)."""
        return {**self.content(), "mac": self.mac}

    @classmethod
    def from_jsonable(cls, item: Any) -> Checkpoint:  # noqa: ANN401 - JSON data
        """Return the checkpoint of JSON data :meth:`to_jsonable` made.

        Raises:
            ValidationError: For data that is not such a checkpoint.
            KeyError: For a missing field.
            TypeError: For a value of the wrong type.
        """
        return cls(
            length=item["length"],
            head_hash=item["head_hash"],
            at=datetime.fromisoformat(item["at"]),
            number=item.get("number"),
            previous=item.get("previous"),
            mac=item.get("mac"),
        )


CheckpointSink = Callable[[Checkpoint], None]
"""Where every new checkpoint is also sent: any callable taking it (a
:class:`FileCheckpointSink`, or the host's own, e.g. one that posts it to another server).
It is called after the checkpoint is stored; the service calls it after the command's unit
of work committed."""


class FileCheckpointSink:
    """A sink appending each checkpoint as one JSON line to a file the host keeps.

    The file is best kept on another machine or medium than the store; read it back with
    :func:`read_checkpoint_file` (or ``eschool audit verify --sink FILE``).

    Args:
        path: The file; created when missing, appended to otherwise.

    >>> import tempfile, pathlib
    >>> from datetime import timezone
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "checkpoints.jsonl"
    >>> sink = FileCheckpointSink(path)
    >>> at = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    >>> sink(Checkpoint(length=3, head_hash="ab", at=at, number=1, previous="0" * 64))
    >>> [c.number for c in read_checkpoint_file(path)]
    [1]
    """

    def __init__(self, path: str | Path) -> None:
        self._path = Path(path)

    @property
    def path(self) -> Path:
        """The file."""
        return self._path

    def __call__(self, checkpoint: Checkpoint) -> None:
        """Append ``checkpoint`` as one line and flush it to the disk.

        Raises:
            StorageError: If the file cannot be written (``audit.sink_failed``).
        """
        line = canonical_json(checkpoint.to_jsonable()) + "\n"
        try:
            with self._path.open("a", encoding="utf-8") as file:
                file.write(line)
                file.flush()
        except OSError as error:
            raise sink_failed(str(error)) from error


def sink_failed(problem: str) -> StorageError:
    """Return the error for a checkpoint the sink did not take (``audit.sink_failed``)."""
    return AUDIT_SINK_FAILED.error(problem=problem)


_CHECKPOINTS_FORMAT: Final = "eschool-audit-checkpoints"


def checkpoints_to_json(checkpoints: Iterable[Checkpoint]) -> str:
    """Return ``checkpoints`` as a JSON document a host keeps off the store.

    The document is ``{"format": "eschool-audit-checkpoints", "version": 2, "checkpoints":
    [{"length": ..., "head_hash": ..., "at": ..., "number": ..., "previous": ...,
    "mac": ...}, ...]}``, by length (``number`` and ``previous`` only for numbered
    checkpoints). Version 1 documents (without numbers) are still read.

    >>> at = datetime(2026, 3, 2, 9, 0).astimezone()
    >>> text = checkpoints_to_json([Checkpoint(length=1, head_hash="ab", at=at)])
    >>> checkpoints_from_json(text)[0].length
    1
    """
    ordered = sorted(checkpoints, key=lambda checkpoint: checkpoint.length)
    document = {
        "format": _CHECKPOINTS_FORMAT,
        "version": 2,
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
        if document.get("version") not in {1, 2}:
            raise ValueError(f"version {document.get('version')!r}")  # noqa: TRY301
        return tuple(Checkpoint.from_jsonable(item) for item in document["checkpoints"])
    except (ValueError, TypeError, KeyError, ValidationError) as error:
        raise _bad_checkpoints(str(error)) from error


def read_checkpoint_file(path: str | Path) -> tuple[Checkpoint, ...]:
    """Return the checkpoints of a file: a sink's JSON lines or a checkpoints document.

    The document is what :func:`checkpoints_to_json` writes.

    Raises:
        ValidationError: If the file cannot be read or holds something else
            (``audit.bad_checkpoints``).
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _bad_checkpoints(f"{path}: {error}") from error
    try:
        whole = json.loads(text)
    except ValueError:
        whole = None
    if isinstance(whole, dict) and "format" in whole:
        return checkpoints_from_json(text)
    checkpoints = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            checkpoints.append(Checkpoint.from_jsonable(json.loads(line)))
        except (ValueError, TypeError, KeyError, ValidationError) as error:
            raise _bad_checkpoints(f"{path}, line {number}: {error}") from error
    return tuple(checkpoints)


def _bad_checkpoints(problem: str) -> ValidationError:
    return AUDIT_BAD_CHECKPOINTS.error(problem=problem)
