"""One shape for every finding and problem the library reports.

A deadline finding, a planning finding, a calendar warning, a problem that keeps a year
from being closed, a file that fails its manifest, a case due for the archive and a bad row
of a bundle differ in what they carry, but each answers the same questions the same way:
what (``code``), under which clause and requirement, how serious (``severity``), where it
stands (``status``, for duties that have one), what a school user reads (``message``, a
:class:`~eschool_core.texts.Text`), about which entity (``entity``) and the facts behind it
(``details``). Their JSON forms share these keys (docs/compliance.md):

>>> from eschool_core.texts import Text
>>> problem_dict(code="manifest.missing", clause="9.4", requirement="R9.4",
...     severity=Severity.ERROR, message=Text("Нет файла", "No file"),
...     entity_kind="file", entity_id="marks.csv")["message"]
{'ru': 'Нет файла', 'en': 'No file'}
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from eschool_core.texts import Text

__all__ = ["PROBLEM_KEYS", "Problem", "Severity", "problem_dict"]


class Severity(StrEnum):
    """How serious a finding is: errors make ``eschool check`` exit with status 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


PROBLEM_KEYS = (
    "code",
    "clause",
    "requirement",
    "severity",
    "status",
    "message",
    "entity",
    "details",
)
"""The keys of every finding's and problem's JSON form, in order (docs/compliance.md)."""


@runtime_checkable
class Problem(Protocol):
    """Protocol: a finding or problem, with the fields every kind of them shares.

    Each kind keeps its own data besides (a deadline finding's due date, a bundle row's
    line), but names the shared fields alike and serialises through :func:`problem_dict`.
    """

    @property
    def code(self) -> str:
        """What is wrong: a stable code (``"marks.entry"``, ``"manifest.missing"``)."""
        ...

    @property
    def clause(self) -> str | None:
        """The regulation's clause (``"8.6"``), or ``None`` where none applies."""
        ...

    @property
    def requirement(self) -> str | None:
        """The requirement id (``"R8.6"``), or ``None`` where none applies."""
        ...

    @property
    def severity(self) -> Severity:
        """How serious it is."""
        ...

    @property
    def message(self) -> Text:
        """What a school user reads, in Russian and English."""
        ...

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: :data:`PROBLEM_KEYS`, built by :func:`problem_dict`."""
        ...


def problem_dict(
    *,
    code: str,
    clause: str | None,
    requirement: str | None,
    severity: Severity,
    message: Text,
    entity_kind: str,
    entity_id: str,
    status: str | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the JSON form every finding and problem shares (keys :data:`PROBLEM_KEYS`).

    Args:
        code: What is wrong, a stable code.
        clause: The clause, or ``None``.
        requirement: The requirement id, or ``None``.
        severity: How serious it is.
        message: What a school user reads; written as ``{"ru": ..., "en": ...}``.
        entity_kind: The kind of the entity concerned (``"lesson"``, ``"file"``).
        entity_id: Its id; written with the kind as ``{"kind": ..., "id": ...}``.
        status: Where a duty stands (deadline findings), or ``None``.
        details: The kind's own facts, JSON-ready (``{}`` when none).
    """
    return {
        "code": code,
        "clause": clause,
        "requirement": requirement,
        "severity": severity.value,
        "status": status,
        "message": {"ru": message.ru, "en": message.en},
        "entity": {"kind": entity_kind, "id": entity_id},
        "details": {} if details is None else details,
    }
