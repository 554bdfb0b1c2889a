from __future__ import annotations

import contextlib
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.errors import ProfileError
from eschool_core.people import CardCategory, CardField
from eschool_core.profiles import (
    default_profile,
    default_profile_text,
    load_profile,
    parse_profile,
)


def _dump(data: dict[str, Any], prefix: str = "") -> str:
    """A small TOML writer for the test documents: scalars, arrays, tables, arrays of tables."""
    scalars = [(k, v) for k, v in data.items() if not _is_table(v) and not _is_table_array(v)]
    lines = [f"{key} = {_value(value)}" for key, value in scalars]
    for key, value in data.items():
        path = f"{prefix}{key}"
        if _is_table(value):
            lines.append(f"\n[{path}]")
            lines.append(_dump(value, f"{path}."))
        elif _is_table_array(value):
            for item in value:
                lines.append(f"\n[[{path}]]")
                lines.append(_dump(item, f"{path}."))
    return "\n".join(lines) + "\n"


def _is_table(value: object) -> bool:
    return isinstance(value, dict)


def _is_table_array(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _default_data() -> dict[str, Any]:
    return tomllib.loads(default_profile_text())


class TestDefaultProfile:
    def test_loads(self) -> None:
        """The default profile encodes the regulation: Moscow time, 5-day week, R6.5 cards."""
        profile = default_profile()
        assert profile.time_zone == "Europe/Moscow"
        assert profile.week_days == 5
        assert profile.cards.clause == "6.5"
        assert profile.cards.requirement == "R6.5"
        assert CardField.SNILS in profile.cards.required[CardCategory.STUDENT]

    def test_load_from_file(self, tmp_path: Path) -> None:
        """A profile file reads the same as its text."""
        path = tmp_path / "school.toml"
        path.write_text(default_profile_text(), encoding="utf-8")
        assert load_profile(path) == default_profile()

    def test_unreadable_file(self, tmp_path: Path) -> None:
        """A missing file is a ProfileError, not an OSError."""
        with pytest.raises(ProfileError) as caught:
            load_profile(tmp_path / "missing.toml")
        assert caught.value.code == "profile.unreadable"


class TestStrictness:
    def test_unknown_key_names_section_and_key(self) -> None:
        """An unknown key is an error naming section.key."""
        data = _default_data()
        data["school"]["weekdays"] = 5
        with pytest.raises(ProfileError) as caught:
            parse_profile(_dump(data))
        assert caught.value.code == "profile.unknown_key"
        assert "school.weekdays" in str(caught.value)
        assert "school.weekdays" in caught.value.message("en")

    def test_unknown_section(self) -> None:
        """An unknown section is an error too."""
        data = _default_data()
        data["gradng"] = {"x": 1}
        with pytest.raises(ProfileError, match="gradng"):
            parse_profile(_dump(data))

    def test_wrong_type(self) -> None:
        """A value of the wrong type names the key and the expected type."""
        data = _default_data()
        data["school"]["week_days"] = "five"
        with pytest.raises(ProfileError) as caught:
            parse_profile(_dump(data))
        assert caught.value.code == "profile.wrong_type"
        assert "school.week_days" in caught.value.message("en")
        assert "integer" in caught.value.message("en")

    def test_missing_key(self) -> None:
        """A missing required key is named."""
        data = _default_data()
        del data["classes"]["capacity"]
        with pytest.raises(ProfileError) as caught:
            parse_profile(_dump(data))
        assert caught.value.code == "profile.missing_key"
        assert "classes.capacity" in str(caught.value)

    def test_out_of_range_and_bad_values(self) -> None:
        """Numbers out of range, unknown time zones and card fields are rejected."""
        for section, key, value in [
            ("school", "week_days", 7),
            ("school", "time_zone", "Mars/Base"),
            ("cards", "guardian", ["shoe_size"]),
        ]:
            data = _default_data()
            data[section][key] = value
            with pytest.raises(ProfileError, match=f"{section}.{key}"):
                parse_profile(_dump(data))

    def test_not_toml(self) -> None:
        """Text that is not TOML is a ProfileError."""
        with pytest.raises(ProfileError) as caught:
            parse_profile("[profile\nversion = ")
        assert caught.value.code == "profile.not_toml"

    @given(
        st.sampled_from(["profile", "school", "classes", "cards"]),
        st.one_of(st.integers(), st.text(max_size=5), st.booleans(), st.lists(st.integers())),
    )
    def test_only_documented_errors(self, section: str, value: object) -> None:
        """Whatever a key is replaced with, the loader accepts it or raises ProfileError."""
        data = _default_data()
        key = sorted(data[section])[0]
        data[section][key] = value
        with contextlib.suppress(ProfileError):
            parse_profile(_dump(data))
