"""The indented JSON writer agrees with ``json.dumps`` character for character.

The compliance report's JSON (R8.6 findings) is written by it; hypothesis compares the two
on arbitrary JSON values.
"""

from __future__ import annotations

import json
import math
from enum import IntEnum, StrEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core._json_text import dumps_indented


class _Kind(StrEnum):
    A = "a\u2028"


class _Level(IntEnum):
    ONE = 1


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.sampled_from([_Kind.A, _Level.ONE, -0.0, math.inf, -math.inf]),
)
_keys = st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none())
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(_keys, inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(_values, st.integers(min_value=0, max_value=4))
def test_agrees_with_json_dumps(value: object, indent: int) -> None:
    """R8.6: the text equals json.dumps(value, ensure_ascii=False, indent=indent)."""
    assert dumps_indented(value, indent=indent) == json.dumps(
        value, ensure_ascii=False, indent=indent
    )


@pytest.mark.parametrize("value", [{1, 2}, {"a": object()}, {(1, 2): 3}, b"x"])
def test_what_json_cannot_hold_is_a_type_error(value: object) -> None:
    """A set, an object, a tuple key or bytes raise TypeError, as json.dumps does."""
    with pytest.raises(TypeError):
        json.dumps(value, ensure_ascii=False, indent=2)
    with pytest.raises(TypeError):
        dumps_indented(value)
