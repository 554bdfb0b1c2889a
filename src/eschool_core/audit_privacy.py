"""Personal data kept out of the audit log, and the log read through the privacy matrix.

The audit log is append-only: what enters it can never be erased. So a personal card's
change (R6.4, R12.5) enters it as what changed and who changed it, never with the values of
restricted fields in plain text (152-FZ art. 5 p. 5, minimisation): every
:class:`~eschool_core.people.CardField` but the name (the privacy matrix's
:data:`~eschool_core.privacy.ALWAYS_SHOWN`) is replaced by a keyed digest,
``hmac-sha256:`` and the HMAC-SHA256 of the field and its value under a key derived from the
school's audit key, or by :data:`REDACTED` when the log is kept without a key. The digest
tells whether a value changed, and lets whoever holds the key and a candidate value check it,
without holding the value. The names of the fields that changed are kept beside it.

Reading the log goes through the privacy matrix: :func:`mask_entry` blanks (``None``) the
card fields the reader's row does not show, in entries written so (whose values are digests)
and in entries written before (whose values were kept in plain text), so that nobody reads
in the log what he may not read on the card.

>>> from eschool_core.people import Person, Student
>>> card = Student(id="st1", person=Person(last_name="Ершова", first_name="Мария",
...     snils="112-233-445 95", phone="+7 900 000-00-00"))
>>> logged = card_for_log(card, key=b"the school's audit key")
>>> logged["person"]["last_name"], logged["person"]["snils"][:12]
('Ершова', 'hmac-sha256:')
>>> card_for_log(card, key=None)["person"]["phone"]
'***'
>>> changed_fields(card, attrs.evolve(card, person=attrs.evolve(card.person, phone=None)))
['phone']
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from eschool_core.audit import AuditEntry, canonical_json, to_jsonable
from eschool_core.people import CardCategory, CardField, Employee, Guardian, Student
from eschool_core.privacy import ALWAYS_SHOWN, DEFAULT_PRIVACY_MATRIX, Audience, PrivacyMatrix
from eschool_core.rbac import Role

__all__ = [
    "CARD_ENTITIES",
    "DIGEST_PREFIX",
    "REDACTED",
    "card_for_log",
    "changed_fields",
    "mask_entry",
    "personal_data_key",
]

DIGEST_PREFIX: Final = "hmac-sha256:"
"""The start of a restricted value's keyed digest in the log."""

REDACTED: Final = "***"
"""What stands for a restricted value in a log kept without a key."""

CARD_ENTITIES: Final[Mapping[str, CardCategory]] = MappingProxyType(
    {
        "student": CardCategory.STUDENT,
        "guardian": CardCategory.GUARDIAN,
        "employee": CardCategory.EMPLOYEE,
    }
)
"""The card entity named in an entry's ``target["entity"]``, and its card category."""

_PERSON_FIELDS: Final = {
    "birth_date": CardField.BIRTH_DATE,
    "sex": CardField.SEX,
    "snils": CardField.SNILS,
    "citizenship": CardField.CITIZENSHIP,
    "document": CardField.DOCUMENT,
    "address": CardField.ADDRESS,
    "phone": CardField.PHONE,
    "email": CardField.EMAIL,
}
_CARD_FIELDS: Final[Mapping[CardCategory, Mapping[str, CardField]]] = MappingProxyType(
    {
        CardCategory.STUDENT: {"personal_file_number": CardField.PERSONAL_FILE_NUMBER},
        CardCategory.GUARDIAN: {"work_place": CardField.WORK_PLACE},
        CardCategory.EMPLOYEE: {
            "position": CardField.POSITION,
            "hired_on": CardField.HIRED_ON,
            "education": CardField.EDUCATION,
            "qualification_category": CardField.EDUCATION,
        },
    }
)


def _restricted(category: CardCategory) -> list[tuple[str | None, str, CardField]]:
    """The restricted fields of a card's JSON: (``"person"`` or ``None``, key, field)."""
    fields: list[tuple[str | None, str, CardField]] = [
        ("person", key, field) for key, field in _PERSON_FIELDS.items()
    ]
    fields += [(None, key, field) for key, field in _CARD_FIELDS[category].items()]
    return [entry for entry in fields if entry[2] not in ALWAYS_SHOWN]


def _category(card: Student | Guardian | Employee) -> CardCategory:
    if isinstance(card, Student):
        return CardCategory.STUDENT
    if isinstance(card, Guardian):
        return CardCategory.GUARDIAN
    return CardCategory.EMPLOYEE


def personal_data_key(audit_key: bytes) -> bytes:
    """Return the key of personal-data digests, derived from the school's audit key.

    A key of its own (HMAC-SHA256 of a fixed label under the audit key), so that a digest
    is never also a valid MAC of the chain.
    """
    return hmac.new(audit_key, b"eschool:audit:personal-data", hashlib.sha256).digest()


def _digest(key: bytes | None, key_name: str, value: object) -> str:
    if key is None:
        return REDACTED
    text = canonical_json([key_name, value])
    return DIGEST_PREFIX + hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def card_for_log(card: Student | Guardian | Employee | None, *, key: bytes | None) -> Any:  # noqa: ANN401 - JSON data
    """Return a card as JSON data for the audit log, restricted values replaced.

    Args:
        card: A student's, guardian's or employee's card (``None`` stays ``None``).
        key: The school's audit key (digests are keyed with :func:`personal_data_key` of
            it); ``None`` replaces each restricted value by :data:`REDACTED`.

    Returns:
        The card's JSON data with the name and the non-personal attributes as they are,
        and every other card field that has a value as its keyed digest.
    """
    if card is None:
        return None
    data: dict[str, Any] = to_jsonable(card)
    digest_key = None if key is None else personal_data_key(key)
    for parent, name, _field in _restricted(_category(card)):
        holder = data if parent is None else data[parent]
        if holder.get(name) is not None:
            holder[name] = _digest(digest_key, name, holder[name])
    return data


def changed_fields(
    before: Student | Guardian | Employee | None, after: Student | Guardian | Employee
) -> list[str]:
    """Return the names of a card's attributes that differ (all that have a value, when new).

    Person attributes are named by themselves (``"snils"``), the card's own by theirs
    (``"personal_file_number"``); sorted.
    """
    old: dict[str, Any] = {} if before is None else to_jsonable(before)
    new: dict[str, Any] = to_jsonable(after)
    names = {
        f"person.{key}"
        for key in {*old.get("person", {}), *new["person"]}
        if old.get("person", {}).get(key) != new["person"].get(key)
    }
    names |= {key for key in {*old, *new} - {"person"} if old.get(key) != new.get(key)}
    return sorted(name.removeprefix("person.") for name in names)


def mask_entry(
    entry: AuditEntry,
    audiences: Iterable[Audience | Role | str],
    *,
    matrix: PrivacyMatrix = DEFAULT_PRIVACY_MATRIX,
) -> AuditEntry:
    """Return ``entry`` as ``audiences`` may read it: card fields their row hides blanked.

    An entry of a card (``target["entity"]`` in :data:`CARD_ENTITIES`) has, in ``before``
    and ``after``, every restricted field the privacy matrix does not show the audiences set
    to ``None`` — digests of entries written with :func:`card_for_log` and plain values of
    entries written before. Other entries are returned as they are. The copy is for
    reading: it no longer hashes to ``entry.hash`` (verify the stored log, not a copy).

    Args:
        entry: An entry of the log.
        audiences: Who reads (audiences or bare roles; see
            :meth:`~eschool_core.privacy.PrivacyMatrix.visible`).
        matrix: The privacy matrix.
    """
    target = entry.target
    entity = target.get("entity") if isinstance(target, dict) else None
    category = CARD_ENTITIES.get(entity) if isinstance(entity, str) else None
    if category is None:
        return entry
    shown = matrix.visible(audiences, category)
    hidden = [(parent, name) for parent, name, field in _restricted(category) if field not in shown]
    return attrs.evolve(
        entry, before=_blanked(entry.before, hidden), after=_blanked(entry.after, hidden)
    )


def _blanked(value: object, hidden: list[tuple[str | None, str]]) -> Any:  # noqa: ANN401 - JSON data
    if not isinstance(value, dict):
        return value
    data = {key: dict(item) if isinstance(item, dict) else item for key, item in value.items()}
    for parent, name in hidden:
        holder = data if parent is None else data.get(parent)
        if isinstance(holder, dict) and holder.get(name) is not None:
            holder[name] = None
    return data
