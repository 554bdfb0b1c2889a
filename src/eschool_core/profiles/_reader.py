"""A strict reader of TOML tables: typed getters that name the section and key on error."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction
from typing import Any, Final

from eschool_core.errors import ProfileError

__all__ = ["MISSING", "TableReader"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


_Date = date
"""``datetime.date`` under a name that the ``date`` getter does not shadow."""

MISSING: Final = _Missing()
"""Sentinel: the key has no default and must be present."""

_TYPE_NAMES_RU = {
    "string": "строка",
    "integer": "целое число",
    "boolean": "логическое значение",
    "number": "число",
    "date": "дата",
    "table": "таблица",
    "array": "массив",
    "array of tables": "массив таблиц",
}


class TableReader:
    """Read one TOML table strictly.

    Each getter checks the type of its key; :meth:`finish` rejects keys no getter asked for.

    Args:
        data: The table as ``tomllib`` returns it.
        path: Its dotted location in the profile, for messages (``"grading.weights"``).
    """

    def __init__(self, data: Mapping[str, Any], path: str) -> None:
        self._data = data
        self._path = path
        self._used: set[str] = set()

    @property
    def path(self) -> str:
        """The dotted location of this table."""
        return self._path

    def key_path(self, key: str) -> str:
        """Return the dotted path of ``key`` in this table."""
        return f"{self._path}.{key}" if self._path else key

    def keys(self) -> tuple[str, ...]:
        """Return every key of the table (for tables whose keys are data, e.g. weights)."""
        return tuple(self._data)

    def has(self, key: str) -> bool:
        """Return whether ``key`` is present."""
        return key in self._data

    def _get(self, key: str, default: object, expected: str) -> object:
        self._used.add(key)
        if key in self._data:
            return self._data[key]
        if default is MISSING:
            raise ProfileError.at(
                self.key_path(key),
                f"обязательный ключ отсутствует (ожидается {_TYPE_NAMES_RU[expected]})",
                f"required key is missing (expected {expected})",
                code="profile.missing_key",
            )
        return default

    def _wrong_type(self, key: str, expected: str, value: object) -> ProfileError:
        return ProfileError.at(
            self.key_path(key),
            f"ожидается {_TYPE_NAMES_RU[expected]}, получено {value!r}",
            f"expected {expected}, got {value!r}",
            code="profile.wrong_type",
        )

    def text(self, key: str, default: str | _Missing | None = MISSING) -> Any:  # noqa: ANN401
        """Return a non-empty string (or ``default`` when absent)."""
        value = self._get(key, default, "string")
        if value is default and not isinstance(default, _Missing):
            return value
        if not isinstance(value, str) or not value.strip():
            raise self._wrong_type(key, "string", value)
        return value

    def integer(
        self,
        key: str,
        default: int | _Missing | None = MISSING,
        *,
        low: int | None = None,
        high: int | None = None,
    ) -> Any:  # noqa: ANN401
        """Return an integer within ``low..high`` (or ``default`` when absent)."""
        value = self._get(key, default, "integer")
        if value is default and not isinstance(default, _Missing):
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong_type(key, "integer", value)
        if (low is not None and value < low) or (high is not None and value > high):
            raise ProfileError.at(
                self.key_path(key),
                f"значение {value} вне допустимого диапазона {low}..{high}",
                f"value {value} is outside {low}..{high}",
                code="profile.out_of_range",
            )
        return value

    def boolean(self, key: str, default: bool | _Missing = MISSING) -> bool:
        """Return a boolean (or ``default`` when absent)."""
        value = self._get(key, default, "boolean")
        if not isinstance(value, bool):
            raise self._wrong_type(key, "boolean", value)
        return value

    def number(self, key: str, default: Fraction | _Missing = MISSING) -> Fraction:
        """Return an exact number.

        A TOML integer, a float read by its decimal digits (``1.5`` is exactly 3/2), or a
        string such as ``"2/3"``.
        """
        value = self._get(key, default, "number")
        if isinstance(value, Fraction):
            return value
        if isinstance(value, bool):
            raise self._wrong_type(key, "number", value)
        if isinstance(value, int):
            return Fraction(value)
        if isinstance(value, float):
            return Fraction(repr(value))
        if isinstance(value, str):
            try:
                return Fraction(value.strip())
            except (ValueError, ZeroDivisionError):
                raise self._wrong_type(key, "number", value) from None
        raise self._wrong_type(key, "number", value)

    def date(self, key: str, default: date | _Missing | None = MISSING) -> Any:  # noqa: ANN401
        """Return a TOML local date (``2025-09-01``), not a date-time."""
        value = self._get(key, default, "date")
        if value is default and not isinstance(default, _Missing):
            return value
        if isinstance(value, datetime) or not isinstance(value, date):
            raise self._wrong_type(key, "date", value)
        return value

    def text_list(self, key: str, default: tuple[str, ...] | _Missing = MISSING) -> tuple[str, ...]:
        """Return an array of non-empty strings."""
        value = self._get(key, default, "array")
        if isinstance(value, tuple):
            return value
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            raise self._wrong_type(key, "array", value)
        return tuple(value)

    def integer_list(
        self, key: str, default: tuple[int, ...] | _Missing = MISSING
    ) -> tuple[int, ...]:
        """Return an array of integers."""
        value = self._get(key, default, "array")
        if isinstance(value, tuple):
            return value
        if not isinstance(value, list) or not all(
            isinstance(item, int) and not isinstance(item, bool) for item in value
        ):
            raise self._wrong_type(key, "array", value)
        return tuple(value)

    def date_list(
        self, key: str, default: tuple[_Date, ...] | _Missing = MISSING
    ) -> tuple[_Date, ...]:
        """Return an array of TOML local dates (not date-times)."""
        value = self._get(key, default, "array")
        if isinstance(value, tuple):
            return value
        if not isinstance(value, list) or not all(
            isinstance(item, date) and not isinstance(item, datetime) for item in value
        ):
            raise self._wrong_type(key, "array", value)
        return tuple(value)

    def table(self, key: str, *, optional: bool = False) -> TableReader:
        """Return the sub-table ``key`` (an empty one when ``optional`` and absent)."""
        value = self._get(key, {} if optional else MISSING, "table")
        if not isinstance(value, Mapping):
            raise self._wrong_type(key, "table", value)
        return TableReader(value, self.key_path(key))

    def tables(self, key: str, *, optional: bool = False) -> list[TableReader]:
        """Return the array of tables ``key`` (``[[key]]`` in TOML)."""
        value = self._get(key, [] if optional else MISSING, "array of tables")
        if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
            raise self._wrong_type(key, "array of tables", value)
        return [
            TableReader(item, f"{self.key_path(key)}[{index}]") for index, item in enumerate(value)
        ]

    def finish(self) -> None:
        """Reject the keys that no getter read.

        Raises:
            ProfileError: Naming the first unknown key.
        """
        unknown = sorted(set(self._data) - self._used)
        if unknown:
            raise ProfileError.at(
                self.key_path(unknown[0]),
                "неизвестный ключ",
                "unknown key",
                code="profile.unknown_key",
            )
