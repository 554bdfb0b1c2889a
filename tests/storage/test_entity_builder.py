"""The row builder and the entity constructors agree on every input, good or bad (R8.2).

``EntityBuilder`` remembers values that passed a field's checks; whatever the order of the
inputs, it must build what the class's ``__init__`` builds and refuse what it refuses,
with the same error code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.errors import EschoolError
from eschool_core.journal import Attendance, AttestationMark, Mark
from eschool_core.storage.rows._builder import EntityBuilder

_MSK = dt.timezone(dt.timedelta(hours=3))

_texts = st.sampled_from(["s1", " s1", "s1 ", "", "   ", "\t", "a\x00b", "\ud800", "учитель"])
_any_values = st.one_of(
    _texts,
    st.none(),
    st.sampled_from([0, 1, 7, True, 2.5]),
    st.sampled_from([dt.date(2025, 9, 1), dt.datetime(2025, 9, 1, 10, tzinfo=dt.UTC)]),
)
_days = st.sampled_from(
    [dt.date(2025, 9, 1), dt.date(2025, 9, 2), dt.datetime(2025, 9, 1, 9), "2025-09-01"]
)
_moments = st.sampled_from(
    [
        dt.datetime(2025, 9, 1, 10, tzinfo=dt.UTC),
        dt.datetime(2025, 9, 1, 13, tzinfo=_MSK),
        dt.datetime(2025, 9, 1, 10),
        dt.date(2025, 9, 1),
        None,
    ]
)
_mark_texts = st.sampled_from(["5", "4", "1", "0", "6", "н/а", "осв", "зач", "x", 5, 9, None])


def _outcome(build: Callable[..., Any], values: dict[str, Any]) -> tuple[str, object]:
    try:
        return ("built", build(**values))
    except EschoolError as error:
        return ("refused", error.code)
    except (TypeError, ValueError) as error:
        return ("refused", type(error).__name__)


def _agree(cls: type[Any], inputs: list[dict[str, Any]]) -> None:
    build = EntityBuilder(cls, unique=("id",)).build
    for values in inputs:
        assert _outcome(build, values) == _outcome(cls, values), values


@st.composite
def _mark_inputs(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "id": draw(st.one_of(_texts, st.sampled_from(["m1", "m2"]))),
        "student_id": draw(st.one_of(_texts, _any_values)),
        "subject_id": draw(_texts),
        "date": draw(_days),
        "lesson_id": draw(st.one_of(st.none(), _texts)),
        "value": draw(_mark_texts),
        "work_type": draw(st.one_of(_texts, _any_values)),
        "weight": draw(st.sampled_from([None, Fraction(1, 2), 0, -1, 2, 0.5, "1.5"])),
        "author_id": draw(_texts),
        "entered_at": draw(_moments),
        "late_reason": draw(st.sampled_from([None, "", " болел ", "a\x00"])),
        "edits": draw(st.sampled_from([(), [], "x"])),
    }


@st.composite
def _attendance_inputs(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "id": draw(_texts),
        "student_id": draw(_texts),
        "lesson_id": draw(_texts),
        "date": draw(_days),
        "kind": draw(st.sampled_from(["absent", "late", "gone", 1])),
        "reason": draw(st.sampled_from(["illness", "valid", "unexcused", "unknown", "x"])),
        "entered_by": draw(_texts),
        "entered_at": draw(_moments),
        "document_presented_on": draw(st.one_of(st.none(), _days)),
        "reason_corrected_at": draw(_moments),
        "late_reason": draw(st.sampled_from([None, " ", "x"])),
    }


@st.composite
def _attestation_inputs(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "id": draw(_texts),
        "student_id": draw(_texts),
        "subject_id": draw(_texts),
        "year": draw(st.sampled_from(["2025/2026", "2025/2027", "x", 2025])),
        "kind": draw(st.sampled_from(["period", "annual", "exam", "final", "other"])),
        "period": draw(st.sampled_from([None, "Q1", " ", "H1"])),
        "value": draw(_mark_texts),
        "author_id": draw(_texts),
        "entered_at": draw(_moments),
        "edits": draw(st.sampled_from([(), []])),
    }


class TestAgreement:
    @settings(max_examples=60, deadline=None)
    @given(st.lists(_mark_inputs(), min_size=1, max_size=8))
    def test_marks(self, inputs: list[dict[str, Any]]) -> None:
        """R8.2: a mark is built or refused (same code) as ``Mark(**values)`` does it."""
        _agree(Mark, inputs)

    @settings(max_examples=60, deadline=None)
    @given(st.lists(_attendance_inputs(), min_size=1, max_size=8))
    def test_attendance(self, inputs: list[dict[str, Any]]) -> None:
        """R8.2: attendance, with its check of a correction after the entry (post-init)."""
        _agree(Attendance, inputs)

    @settings(max_examples=60, deadline=None)
    @given(st.lists(_attestation_inputs(), min_size=1, max_size=8))
    def test_attestation_marks(self, inputs: list[dict[str, Any]]) -> None:
        """R8.9: attestation marks, whose period must match their kind (post-init)."""
        _agree(AttestationMark, inputs)


def test_a_missing_argument_is_a_type_error() -> None:
    """A required field left out is refused as the constructor refuses it."""
    build = EntityBuilder(Mark).build
    outcome = _outcome(build, {"id": "m1"})
    assert outcome == ("refused", "TypeError")
    assert _outcome(Mark, {"id": "m1"}) == outcome


def test_a_value_once_valid_is_remembered_converted() -> None:
    """R8.2: a repeated written mark gives the same parsed value, parsed once."""
    build = EntityBuilder(Mark).build
    values = {
        "id": "m1",
        "student_id": "s1",
        "subject_id": "math",
        "date": dt.date(2025, 9, 1),
        "value": "5",
        "work_type": "test",
        "author_id": "t1",
        "entered_at": dt.datetime(2025, 9, 1, 10, tzinfo=dt.UTC),
    }
    first, second = build(**values), build(**values)
    assert first == second == Mark(**values)
    assert first.value is second.value


def test_an_equal_moment_in_another_zone_keeps_its_zone() -> None:
    """R8.6: a remembered moment never replaces an equal one given in another time zone."""
    build = EntityBuilder(Mark).build
    values = {
        "id": "m1",
        "student_id": "s1",
        "subject_id": "math",
        "date": dt.date(2025, 9, 1),
        "value": "5",
        "work_type": "test",
        "author_id": "t1",
        "entered_at": dt.datetime(2025, 9, 1, 10, tzinfo=dt.UTC),
    }
    moscow = dt.datetime(2025, 9, 1, 13, tzinfo=_MSK)
    build(**values)
    again = build(**{**values, "entered_at": moscow})
    assert again.entered_at == values["entered_at"]
    assert again.entered_at.tzinfo is _MSK
