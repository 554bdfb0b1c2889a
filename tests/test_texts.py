"""The bilingual text value: both languages kept, chosen and round-tripped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.errors import ValidationError
from eschool_core.texts import Text

_words = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() != "")


@given(_words, _words)
def test_round_trip_and_choice(ru: str, en: str) -> None:
    text = Text(ru, en)
    assert Text.from_dict(text.to_dict()) == text
    assert str(text) == text.in_("ru") == ru
    assert text.in_("en") == en


@pytest.mark.parametrize(("ru", "en"), [("", "x"), ("x", "  "), ("x", "")])
def test_blank_language_is_refused(ru: str, en: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Text(ru, en)
    assert caught.value.code == "text.empty"


def test_format_fills_both_languages() -> None:
    template = Text("Класс {name}", "Class {name}")
    assert template.format(name="5А") == Text("Класс 5А", "Class 5А")


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="de"):
        Text("да", "yes").in_("de")
