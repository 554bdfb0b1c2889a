"""The rows of a pseudonymised bundle: no direct identifiers, coarse quasi-identifiers.

Used by :func:`~eschool_core.storage.bundle.export_bundle` when it is given an export key
(R6.1, 152-FZ art. 3 p. 9 «обезличивание»):

- the ids of students, guardians and employees become stable pseudonyms (HMAC-SHA-256 under
  the key), wherever they appear: as ids, references, list items, and as a part of a
  composite id (``st-1@class-5a@2025-09-01``, parts split at ``@ : / | . , ; # =`` and
  spaces) or of a report run's scope (``class_id=5a; student_id=st-1``), so references stay
  consistent across files;
- names, СНИЛС, identity documents, addresses, phones, e-mails, personal file numbers and
  places of work are left out, and so is the school's director's name;
- the birth date (and an employee's hiring and dismissal dates) is coarsened to the year;
  citizenship to ``RU`` or ``other``;
- free text written about a person's case (late-entry reasons, correction reasons, the
  destination of a leaving student) is left empty, and any other text (topics, homework,
  names of groups, rooms and events) has every word that is one of the school's people's
  names, every number that is one of their СНИЛС, document or phone numbers, every e-mail
  and every address replaced by ``***``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from types import MappingProxyType
from typing import Final

from eschool_core.privacy import Pseudonymiser
from eschool_core.storage.rows import Column, Row

__all__ = ["ANONYMISED_MARK", "YEAR_COLUMNS", "Anonymiser"]

ANONYMISED_MARK: Final = "***"
"""What replaces a personal value found in free text."""

_PEOPLE: Final = {"employees": "E", "students": "S", "guardians": "G"}
_DIRECT: Final = frozenset(
    {
        "last_name",
        "first_name",
        "patronymic",
        "snils",
        "document_number",
        "document_issued_on",
        "document_issued_by",
        "address",
        "phone",
        "email",
        "personal_file_number",
        "work_place",
    }
)
_DROPPED_ELSEWHERE: Final = {"schools": frozenset({"director"})}
YEAR_COLUMNS: Final = MappingProxyType(
    {"birth_date": "birth_year", "hired_on": "hired_year", "dismissed_on": "dismissed_year"}
)
"""The dates of a card written as years, and the column each is written as."""
_BLANKED: Final = frozenset({"late_reason", "destination", "reason"})
"""Columns (and keys of list items) of free text about a person's case."""
_COMPOSITE: Final = frozenset({"id", "scope"})
"""Columns whose parts may be ids of people (an id, a report run's scope)."""

_SEPARATORS = re.compile(r"([@:/|.,;#=\s]+)")
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\+?\d[\d\s()\-]{4,}\d")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_ADDRESS_HINT = re.compile(r"ул\.|д\.|пр\.|пер\.|г\.|кв\.")
_NON_DIGITS = re.compile(r"\D")
_CAPITAL = re.compile(r"[A-ZА-ЯЁ]")
_CACHE_SIZE = 200_000


class Anonymiser:
    """Turns the rows of one export into pseudonymised rows (see the module's docstring).

    Tables must be given in :data:`~eschool_core.storage.registry.REGISTRY` order: people
    come before every table that refers to them.

    Args:
        pseudonymiser: The keyed pseudonym function.
    """

    def __init__(self, pseudonymiser: Pseudonymiser) -> None:
        self._p = pseudonymiser
        self._ids: dict[str, str] = {}
        self._words: set[str] = set()
        self._numbers: set[str] = set()
        self._addresses: set[str] = set()
        self._scrubbed: dict[str, str] = {}

    @property
    def key_id(self) -> str:
        """The fingerprint of the export key (for the manifest)."""
        return self._p.key_id

    def columns(self, table: str, columns: Sequence[Column]) -> list[Column]:
        """Return the columns that a pseudonymised ``table`` keeps."""
        dropped = _DIRECT if table in _PEOPLE else _DROPPED_ELSEWHERE.get(table, frozenset())
        return [column for column in columns if column.name not in dropped]

    @staticmethod
    def header(column: Column) -> str:
        """Return the name ``column`` has in a pseudonymised file (a date coarsened to a year)."""
        return YEAR_COLUMNS.get(column.name, column.name)

    def row(self, table: str, row: Row) -> Row:
        """Return the pseudonymised ``row`` of ``table`` (the kept columns, see :meth:`columns`)."""
        if table in _PEOPLE:
            return self._person_row(table, row)
        result: Row = {}
        ids = self._ids
        for name, value in row.items():
            if isinstance(value, str):
                if name in _COMPOSITE:
                    result[name] = self._own_id(value)
                elif name in _BLANKED:
                    result[name] = None
                else:
                    known = ids.get(value)
                    result[name] = known if known is not None else self._scrub(value)
            elif isinstance(value, (list, dict)):
                result[name] = self._walk(value)
            else:
                result[name] = value
        return result

    def _person_row(self, table: str, row: Row) -> Row:
        self._learn(row)
        result: Row = {}
        for name, value in row.items():
            if name == "id":
                pseudonym = self._p.pseudonym(_PEOPLE[table], str(value))
                self._ids[str(value)] = pseudonym
                result[name] = pseudonym
            elif name in YEAR_COLUMNS:
                result[name] = value.year if isinstance(value, date) else None
            elif name == "citizenship":
                result[name] = None if value is None else ("RU" if value == "RU" else "other")
            else:
                result[name] = value
        return result

    def _learn(self, row: Row) -> None:
        for name in ("last_name", "first_name", "patronymic"):
            value = row.get(name)
            if isinstance(value, str):
                self._words.update(word for word in _WORD.findall(value) if len(word) > 1)
        for name in ("snils", "document_number", "phone"):
            value = row.get(name)
            if isinstance(value, str):
                digits = _NON_DIGITS.sub("", value)
                if len(digits) >= 6:
                    self._numbers.add(digits)
        for name in ("address", "document_issued_by", "email", "document_number", "work_place"):
            value = row.get(name)
            if isinstance(value, str) and len(value) >= 6:
                self._addresses.add(value)

    def _own_id(self, value: str) -> str:
        known = self._ids.get(value)
        if known is not None:
            return known
        parts = _SEPARATORS.split(value)
        if any(part in self._ids for part in parts):
            replaced = "".join(self._ids.get(part, part) for part in parts)
            self._ids[value] = replaced
            return replaced
        return value

    def _walk(self, value: object) -> object:
        if isinstance(value, str):
            known = self._ids.get(value)
            return known if known is not None else self._scrub(value)
        if isinstance(value, list):
            return [self._walk(item) for item in value]
        if isinstance(value, dict):
            return {
                key: None if key in _BLANKED and isinstance(item, str) else self._walk(item)
                for key, item in value.items()
            }
        return value

    def _scrub(self, text: str) -> str:
        done = self._scrubbed.get(text)
        if done is not None:
            return done
        out = text
        if _CAPITAL.search(out):  # names are written with a capital letter
            words = self._words
            out = _WORD.sub(lambda m: ANONYMISED_MARK if m.group() in words else m.group(), out)
        if _NUMBER.search(out):
            out = _NUMBER.sub(
                lambda m: (
                    ANONYMISED_MARK
                    if _NON_DIGITS.sub("", m.group()) in self._numbers
                    else m.group()
                ),
                out,
            )
        if "@" in out:
            out = _EMAIL.sub(ANONYMISED_MARK, out)
        if _ADDRESS_HINT.search(out):
            for secret in self._addresses:
                if secret in out:
                    out = out.replace(secret, ANONYMISED_MARK)
        if len(self._scrubbed) < _CACHE_SIZE:
            self._scrubbed[text] = out
        return out
