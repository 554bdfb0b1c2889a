"""Validators and converters shared by the entity modules (attrs hooks)."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.texts import Text

PERSON_INVALID_NAME = ErrorCode(
    "person.invalid_name",
    ValidationError,
    Text(
        "Поле «{field}»: «{value}» не похоже на имя (допустимы буквы кириллицы или "
        "латиницы, пробел, дефис, апостроф)",
        "Field '{field}': '{value}' is not a valid name (Cyrillic or Latin letters, space, "
        "hyphen, apostrophe)",
    ),
)

SCHOOL_UNKNOWN_TIME_ZONE = ErrorCode(
    "school.unknown_time_zone",
    ValidationError,
    Text(
        "Неизвестный часовой пояс «{value}»",
        "Unknown time zone '{value}'",
    ),
)

VALUE_BAD_ID = ErrorCode(
    "value.bad_id",
    ValidationError,
    Text(
        "Идентификатор должен быть непустым текстом, получено {item!r}",
        "An id must be non-empty text, got {item!r}",
    ),
)

VALUE_EMPTY = ErrorCode(
    "value.empty",
    ValidationError,
    Text(
        "Поле «{field}» не может быть пустым",
        "Field '{field}' must not be empty",
    ),
)

VALUE_INEXACT_NUMBER = ErrorCode(
    "value.inexact_number",
    ValidationError,
    Text(
        "Нужно точное число (целое, дробь или строка «1.5»), получено {value}",
        "An exact number is required (int, Fraction or a string like '1.5'), got {value}",
    ),
)

VALUE_INSTANT_OUT_OF_RANGE = ErrorCode(
    "value.instant_out_of_range",
    ValidationError,
    Text(
        "Поле «{field}»: момент {value} вне годов 1-9999 по UTC",
        "Field '{field}': the moment {value} is outside the years 1-9999 in UTC, which not "
        "every store can hold",
    ),
)

VALUE_NOT_A_NUMBER = ErrorCode(
    "value.not_a_number",
    ValidationError,
    Text(
        "Не число: {value}",
        "Not a number: {value}",
    ),
)

VALUE_NOT_A_DATE = ErrorCode(
    "value.not_a_date",
    ValidationError,
    Text(
        "Поле «{field}» должно быть датой (date), получено: {value}",
        "Field '{field}' must be a date (not a datetime), got {value}",
    ),
)

VALUE_NOT_A_DATETIME = ErrorCode(
    "value.not_a_datetime",
    ValidationError,
    Text(
        "Поле «{field}» должно быть моментом времени (datetime): {value}",
        "Field '{field}' must be a datetime, got {value}",
    ),
)

VALUE_NAIVE_DATETIME = ErrorCode(
    "value.naive_datetime",
    ValidationError,
    Text(
        "Поле «{field}»: время без часового пояса недопустимо ({value})",
        "Field '{field}': a naive datetime is not allowed ({value}); attach a time zone",
    ),
)

VALUE_NUL_CHARACTER = ErrorCode(
    "value.nul_character",
    ValidationError,
    Text(
        "Поле «{field}» содержит символ NUL или непарный суррогат",
        "Field '{field}' contains a NUL character or a lone surrogate",
    ),
)

VALUE_NOT_A_SEQUENCE = ErrorCode(
    "value.not_a_sequence",
    ValidationError,
    Text(
        "Нужен список значений, получено {value}",
        "A sequence of values is required, got {value}",
    ),
)

YEAR_INVALID_LABEL = ErrorCode(
    "year.invalid_label",
    ValidationError,
    Text(
        "Поле «{field}»: учебный год записывается как «2025/2026», получено {value}",
        "Field '{field}': an academic year is written as '2025/2026', got {value}",
    ),
)


_NAME_RE = re.compile(r"^[A-Za-zА-ЯЁа-яё]+(?:[ '\-][A-Za-zА-ЯЁа-яё]+)*$")
_YEAR_RE = re.compile(r"^(\d{4})/(\d{4})$")


def check_time_zone(value: object) -> str:
    """Return ``value`` if it names a known IANA time zone (``school.unknown_time_zone``)."""
    try:
        zoneinfo.ZoneInfo(str(value))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: too long
        raise SCHOOL_UNKNOWN_TIME_ZONE.error(value=str(value)) from exc
    return str(value)


def time_zone(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse anything but a known IANA time-zone name (``school.unknown_time_zone``)."""
    check_time_zone(value)


def _field(attribute: attrs.Attribute[Any]) -> str:
    return attribute.name


def plain_date(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a ``datetime.date`` that is not a ``datetime`` (``datetime`` subclasses ``date``)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise VALUE_NOT_A_DATE.error(field=_field(attribute), value=repr(value))


def optional_plain_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like :func:`plain_date`, but ``None`` is allowed."""
    if value is not None:
        plain_date(instance, attribute, value)


def aware_datetime(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a timezone-aware ``datetime``: naive moments are ambiguous and rejected."""
    if not isinstance(value, datetime):
        raise VALUE_NOT_A_DATETIME.error(field=_field(attribute), value=repr(value))
    if value.tzinfo is None or value.utcoffset() is None:
        raise VALUE_NAIVE_DATETIME.error(field=_field(attribute), value=value.isoformat())
    if not instant_in_range(value):
        raise VALUE_INSTANT_OUT_OF_RANGE.error(field=_field(attribute), value=value.isoformat())


def instant_in_range(value: datetime) -> bool:
    """Whether the aware ``value`` falls in the years 1-9999 in UTC (what every store holds).

    ``datetime(9999, 12, 31, 23, tzinfo=UTC-5)`` is in the year 10000 in UTC: the SQL stores,
    which keep moments in UTC, could not hold it.
    """
    try:
        value.astimezone(UTC)
    except OverflowError:
        return False
    return True


def optional_aware_datetime(
    instance: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    """Like :func:`aware_datetime`, but ``None`` is allowed."""
    if value is not None:
        aware_datetime(instance, attribute, value)


def non_empty_text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a string with at least one non-space character, no NUL, no lone surrogate.

    NUL (U+0000) is refused in every text: PostgreSQL cannot store it, so the memory
    and SQLite stores refuse it too.
    """
    if not isinstance(value, str) or not value.strip():
        raise VALUE_EMPTY.error(field=_field(attribute))
    if not _storable(value):
        raise VALUE_NUL_CHARACTER.error(field=_field(attribute))


def optional_text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require ``None`` or a non-empty string (an empty string would hide a missing value)."""
    if value is not None:
        non_empty_text(_instance, attribute, value)


def person_name(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a name in Cyrillic or Latin letters, words joined by a space, hyphen or apostrophe.

    Mixed alphabets inside one word ("Ивaнов" with a Latin "a") are rejected: they are a
    typical typo that breaks search and sorting.
    """
    non_empty_text(_instance, attribute, value)
    assert isinstance(value, str)  # noqa: S101 - narrowed by non_empty_text
    mixed = any(
        re.search("[A-Za-z]", word) and re.search("[А-ЯЁа-яё]", word)
        for word in re.split(r"[ '\-]", value)
    )
    if not _NAME_RE.match(value) or mixed:
        raise PERSON_INVALID_NAME.error(field=_field(attribute), value=value)


def _storable(value: str) -> bool:
    """Whether every store can hold ``value``: no NUL, no lone surrogate (not UTF-8)."""
    if "\x00" in value:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refuse_nul(value: str) -> str:
    if not _storable(value):
        raise VALUE_NUL_CHARACTER.error(
            details={"value": value.encode("utf-8", "backslashreplace").decode("ascii", "replace")},
            field=Text("текст", "text"),
        )
    return value


def strip_text(value: str) -> str:
    """Converter: trim surrounding white space (a non-string is left for the validator).

    Raises:
        ValidationError: For a text with a NUL character (``value.nul_character``).
    """
    raw: object = value
    return _refuse_nul(raw.strip()) if isinstance(raw, str) else value


def strip_optional_text(value: str | None) -> str | None:
    """Converter: trim white space; an empty or blank string becomes ``None``.

    Raises:
        ValidationError: For a text with a NUL character (``value.nul_character``).
    """
    raw: object = value
    if isinstance(raw, str):
        return _refuse_nul(raw.strip()) or None
    return value


def year_label(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require an academic-year label ``"YYYY/YYYY"`` whose second year follows the first."""
    check_year_label(value, field=_field(attribute))


def check_year_label(value: object, *, field: str = "year") -> tuple[int, int]:
    """Return the two calendar years of an academic-year label such as ``"2025/2026"``.

    Raises:
        ValidationError: If the label is not ``"YYYY/YYYY+1"``.
    """
    match = _YEAR_RE.match(value) if isinstance(value, str) else None
    if match is None or int(match[2]) != int(match[1]) + 1:
        raise YEAR_INVALID_LABEL.error(field=field, value=repr(value))
    return int(match[1]), int(match[2])


def int_in_range(low: int, high: int, code: str) -> Any:  # noqa: ANN401 - attrs validator
    """Build a validator requiring an ``int`` (not ``bool``) with ``low <= value <= high``."""

    def _check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(
                f"Поле «{_field(attribute)}» должно быть целым от {low} до {high}: {value!r}",
                f"Field '{_field(attribute)}' must be an integer from {low} to {high}, "
                f"got {value!r}",
                code=code,
                details={"field": _field(attribute), "value": repr(value)},
            )

    return _check


def to_fraction(value: object) -> Fraction:
    """Converter: an exact ``Fraction`` from an int, a ``Fraction``, a ``Decimal`` or a string.

    Floats are rejected: ``0.1`` is not exactly one tenth, and weights must be exact.

    Raises:
        ValidationError: If the value is a float, a bool or not a number.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float | bool):
        raise VALUE_INEXACT_NUMBER.error(value=repr(value))
    if not isinstance(value, int | Decimal | str):
        raise VALUE_NOT_A_NUMBER.error(value=repr(value))
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise VALUE_NOT_A_NUMBER.error(value=repr(value)) from exc


def to_optional_fraction(value: object) -> Fraction | None:
    """Converter: like :func:`to_fraction`, ``None`` stays ``None``."""
    return None if value is None else to_fraction(value)


def to_tuple(value: object) -> tuple[Any, ...]:
    """Converter: any iterable (but not a string) becomes a tuple."""
    if type(value) is tuple:
        return value
    if type(value) is list:
        return tuple(value)
    if isinstance(value, str):
        raise VALUE_NOT_A_SEQUENCE.error(value=repr(value))
    if not isinstance(value, Iterable):
        raise VALUE_NOT_A_SEQUENCE.error(value=repr(value))
    return tuple(value)


def to_ids(value: object) -> tuple[Any, ...]:
    """Converter: a sequence of ids becomes a tuple; each id is non-empty text a store can hold.

    Raises:
        ValidationError: ``value.not_a_sequence`` for a string or a non-iterable,
            ``value.bad_id`` for an item that is not non-empty text, or holds a NUL.
    """
    items = to_tuple(value)
    for item in items:
        if not isinstance(item, str) or not item.strip() or not _storable(item):
            raise VALUE_BAD_ID.error(details={"value": repr(item)[:80]}, item=item)
    return items


def to_id_set(value: object) -> frozenset[Any]:
    """Converter: a collection of ids becomes a frozenset (see :func:`to_ids`)."""
    return frozenset(to_ids(value))


def to_frozenset(value: object) -> frozenset[Any]:
    """Converter: any iterable (but not a string) becomes a frozenset."""
    return frozenset(to_tuple(value))


_INT_TEXT = re.compile(r"-?[0-9]{1,18}")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTANT_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)"
)


def parse_int(text: str) -> int:
    """Parse an integer written in ASCII digits with an optional minus, at most 18 digits.

    Python's ``int`` also reads ``"1_0"``, ``" 7 "`` and Arabic-Indic digits; a text format
    must not, and 18 digits fit every store's 64-bit integer.

    Raises:
        ValueError: For any other text.
    """
    if not _INT_TEXT.fullmatch(text):
        raise ValueError(f"not an integer: {text!r}")
    return int(text)


def parse_date(text: str) -> date:
    """Parse a date written ``YYYY-MM-DD`` (ASCII digits; not ``20250901``, not a week date).

    Raises:
        ValueError: For any other text or an impossible date.
    """
    if not _DATE_TEXT.fullmatch(text):
        raise ValueError(f"not a date YYYY-MM-DD: {text!r}")
    return date.fromisoformat(text)


def parse_instant(text: str) -> datetime:
    """Parse a moment ``YYYY-MM-DDTHH:MM:SS[.ffffff]`` with ``Z`` or an offset ``+HH:MM``.

    Raises:
        ValueError: For any other text, an impossible moment, or one outside the years
            1-9999 in UTC.
    """
    if not _INSTANT_TEXT.fullmatch(text):
        raise ValueError(f"not an ISO 8601 moment with an offset: {text!r}")
    value = datetime.fromisoformat(text)
    if not instant_in_range(value):
        raise ValueError(f"outside the years 1-9999 in UTC: {text!r}")
    return value
