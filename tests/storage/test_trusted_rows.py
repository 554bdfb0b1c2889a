"""Rows built without their validators agree with the validators on every stored row (R8.2).

A SQLite read builds a row of marks, attendance, attestation marks or lessons unchecked when
its row mapping vouches for it (``from_stored``, ``storage._rows._trusted``) and passes any
other row to the entity's validators. Whatever a row holds — what the library writes, or
what another tool wrote behind its back — an entity built unchecked must equal, field for
field and type for type, the one the validators build; a row the validators refuse must
never be built unchecked.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.journal import Mark
from eschool_core.storage.rows import AGGREGATES
from eschool_core.storage.rows._trusted import trusted_constructor
from eschool_core.storage.sql._repositories import _read_plan
from eschool_core.storage.sql._schema import ROW_VERSION, TABLES

_LEFT = object()
"""What the test's ``validated`` returns: the row was left to the validators."""

_UTC = "2025-09-01T07:30:00.000000+00:00"
_texts = st.sampled_from(
    ["s1", "учитель", "", " ", "  s1", "s1 ", "\t", "\u3000", "\u2003x", "a\x00b", 7, 2.5, None]
)
_ids = st.sampled_from(["mk-1", "x", "", "   ", "\u00a0", "a\x00", 5, None])
_days = st.sampled_from(
    ["2025-09-01", "2025-02-30", "20250901", "2025-9-1", "2025-09-01T00:00", 20250901, None]
)
_moments = st.sampled_from(
    [
        _UTC,
        "2025-09-01T07:30:00",
        "2025-09-01T10:30:00+03:00",
        "9999-12-31T23:00:00-05:00",
        "0001-01-01T00:00:00+00:00",
        "2025-09-01",
        "later",
        5,
        None,
    ]
)
_optional_moments = st.one_of(st.none(), _moments)
_optional_texts = st.sampled_from([None, "причина", " причина ", "", "  ", "a\x00b", 3])
_mark_values = st.sampled_from(["5", "4", "1", "н/а", "осв", "зач", "незач", "0", "7", " 5", 5])
_edits = st.sampled_from(
    [
        "[]",
        json.dumps(
            [
                {
                    "at": "2025-09-02T07:00:00+00:00",
                    "by": "t1",
                    "old_value": "4",
                    "new_value": "5",
                    "reason": None,
                }
            ]
        ),
        "[1]",
        "{}",
        "",
    ]
)
_numbers = st.sampled_from([None, 1, 2, 0, -1, "1", 13, True])


_VALID: dict[str, tuple[Any, ...]] = {
    "marks": (
        "mk-1",
        "s1",
        "math",
        "2025-09-01",
        "les-1",
        "5",
        "test",
        None,
        None,
        "t1",
        _UTC,
        None,
        "[]",
    ),
    "attendance": (
        "att-1",
        "s1",
        "les-1",
        "2025-09-01",
        "absent",
        "illness",
        "t1",
        _UTC,
        None,
        None,
        None,
    ),
    "attestation_marks": ("am-1", "s1", "math", "2025/2026", "period", "Q1", "5", "t1", _UTC, "[]"),
    "lessons": (
        "les-1",
        "2025-09-01",
        1,
        "math",
        "t1",
        "c-5a",
        None,
        None,
        "Дроби",
        None,
        '["answer"]',
        None,
        "[]",
        "held",
        _UTC,
        None,
        None,
        None,
        None,
        None,
        "[]",
    ),
}
"""A row of each table as the library writes it."""


@st.composite
def _near_valid(
    draw: st.DrawFn, name: str, columns: st.SearchStrategy[tuple[Any, ...]]
) -> tuple[Any, ...]:
    """A valid row with none, one or a few columns taken from ``columns`` (often tampered)."""
    row = list(_VALID[name])
    other = draw(columns)
    for index in draw(st.sets(st.integers(0, len(row) - 1), max_size=3)):
        row[index] = other[index]
    return tuple(row)


def _rows(name: str) -> st.SearchStrategy[tuple[Any, ...]]:
    columns = {
        "marks": _mark_rows,
        "attendance": _attendance_rows,
        "attestation_marks": _attestation_rows,
        "lessons": _lesson_rows,
    }[name]()
    return st.one_of(columns, _near_valid(name, columns))


def _mark_rows() -> st.SearchStrategy[tuple[Any, ...]]:
    return st.tuples(
        _ids,
        _texts,
        _texts,
        _days,
        st.sampled_from([None, "les-1", 3]),
        _mark_values,
        _texts,
        _numbers,
        _numbers,
        _texts,
        _moments,
        _optional_texts,
        _edits,
    )


def _attendance_rows() -> st.SearchStrategy[tuple[Any, ...]]:
    return st.tuples(
        _ids,
        _texts,
        _texts,
        _days,
        st.sampled_from(["absent", "late", "gone", None]),
        st.sampled_from(["illness", "valid", "unexcused", "unknown", "why", None]),
        _texts,
        _moments,
        st.one_of(st.none(), _days),
        _optional_moments,
        _optional_texts,
    )


def _attestation_rows() -> st.SearchStrategy[tuple[Any, ...]]:
    return st.tuples(
        _ids,
        _texts,
        _texts,
        st.sampled_from(["2025/2026", "2025/2027", "2025", "", None]),
        st.sampled_from(["period", "annual", "exam", "final", "other"]),
        st.sampled_from([None, "Q1", " Q1", "", "H2"]),
        _mark_values,
        _texts,
        _moments,
        _edits,
    )


def _lesson_rows() -> st.SearchStrategy[tuple[Any, ...]]:
    homework = st.sampled_from([None, "§ 12", " § 12 ", "", "a\x00"])
    return st.tuples(
        _ids,
        _days,
        _numbers,
        _texts,
        _texts,
        st.sampled_from([None, "c-5a", 4]),
        st.sampled_from([None, "g-1"]),
        st.sampled_from([None, "t2"]),
        _optional_texts,
        _optional_texts,
        st.sampled_from(['["answer","test"]', "[]", "{}", '"answer"', "[1]"]),
        homework,
        st.sampled_from(["[]", '[{"student_id":"s1","text":"упр. 3"}]', '[{"student_id":""}]']),
        st.sampled_from(["held", "cancelled", "postponed"]),
        _optional_moments,
        _optional_moments,
        _optional_moments,
        _optional_moments,
        _optional_texts,
        st.sampled_from([None, "les-2", "mk-1", "", " "]),
        st.sampled_from(
            [
                "[]",
                (
                    '[{"name":"a.pdf","size_bytes":1,"media_type":"application/pdf",'
                    f'"sha256":"{"ab" * 32}"}}]'
                ),
            ]
        ),
    )


def _validated(name: str, row: Sequence[Any]) -> tuple[str, object]:
    """What the validating path of the SQL store makes of ``row``: the entity or the refusal."""
    aggregate, table = AGGREGATES[name], TABLES[name]
    names = (*aggregate.column_names, ROW_VERSION)
    mapping = dict(zip(names, row, strict=True))
    try:
        for column, convert in _read_plan(table, names):
            if mapping[column] is not None:
                mapping[column] = convert(mapping[column])
        return ("built", aggregate.from_row(mapping))
    except (ValueError, TypeError) as error:
        return ("refused", type(error).__name__)


_BUILT_UNCHECKED: dict[str, int] = {}


def _assert_agree(name: str, rows: list[tuple[Any, ...]]) -> None:
    stored = [(*row, 1) for row in rows]
    from_stored = AGGREGATES[name].from_stored
    assert from_stored is not None
    built = from_stored(stored, lambda _row: _LEFT)
    assert len(built) == len(stored)
    for row, entity in zip(stored, built, strict=True):
        if entity is _LEFT:
            continue  # the validators decide, as they always did
        _BUILT_UNCHECKED[name] = _BUILT_UNCHECKED.get(name, 0) + 1
        outcome = _validated(name, row)
        assert outcome == ("built", entity), row
        assert repr(outcome[1]) == repr(entity), row  # same types, same zones


def _run(name: str, test: Any) -> None:
    _BUILT_UNCHECKED.pop(name, None)
    test()
    assert _BUILT_UNCHECKED.get(name, 0) > 0  # the unchecked path was exercised


class TestAgreement:
    def test_marks(self) -> None:
        """R8.2: a mark built unchecked is the validators' mark; none they refuse is built."""

        @settings(max_examples=400)
        @given(st.lists(_rows("marks"), min_size=1, max_size=6))
        def agree(rows: list[tuple[Any, ...]]) -> None:
            _assert_agree("marks", rows)

        _run("marks", agree)

    def test_attendance(self) -> None:
        """R8.5.1: an absence built unchecked is the validators' absence."""

        @settings(max_examples=300)
        @given(st.lists(_rows("attendance"), min_size=1, max_size=6))
        def agree(rows: list[tuple[Any, ...]]) -> None:
            _assert_agree("attendance", rows)

        _run("attendance", agree)

    def test_attestation_marks(self) -> None:
        """R8.9: an attestation mark built unchecked is the validators' attestation mark."""

        @settings(max_examples=300)
        @given(st.lists(_rows("attestation_marks"), min_size=1, max_size=6))
        def agree(rows: list[tuple[Any, ...]]) -> None:
            _assert_agree("attestation_marks", rows)

        _run("attestation_marks", agree)

    def test_lessons(self) -> None:
        """R8.2: a lesson built unchecked is the validators' lesson."""

        @settings(max_examples=300)
        @given(st.lists(_rows("lessons"), min_size=1, max_size=6))
        def agree(rows: list[tuple[Any, ...]]) -> None:
            _assert_agree("lessons", rows)

        _run("lessons", agree)


class TestWhatTheLibraryWrites:
    def test_a_row_as_the_store_writes_it_is_built_unchecked(self) -> None:
        """R8.2: the common row (no weight, no edits, UTC moment) is not left to validators."""
        row = (
            "mk-1",
            "s1",
            "math",
            "2025-09-01",
            "les-1",
            "5",
            "test",
            None,
            None,
            "t1",
            _UTC,
            None,
            "[]",
            1,
        )
        from_stored = AGGREGATES["marks"].from_stored
        assert from_stored is not None
        (mark,) = from_stored([row], lambda _row: pytest.fail("left to the validators"))
        assert mark == _validated("marks", row)[1]
        assert mark.entered_at.tzinfo is dt.UTC


class TestTrustedConstructor:
    def test_it_sets_every_field_in_order(self) -> None:
        """The constructor sets the slots of a frozen class from its fields, in order."""
        build = trusted_constructor(Mark)
        moment = dt.datetime(2025, 9, 1, 7, tzinfo=dt.UTC)
        expected = Mark(
            id="m",
            student_id="s",
            subject_id="x",
            date=dt.date(2025, 9, 1),
            value="5",
            work_type="test",
            author_id="t",
            entered_at=moment,
        )
        values = [getattr(expected, field.name) for field in attrs.fields(Mark)]
        assert build(*values) == expected

    def test_a_class_without_slots_is_refused(self) -> None:
        """A class whose fields are not slots cannot be built this way."""

        @attrs.define(slots=False)
        class Plain:
            value: int

        with pytest.raises(TypeError):
            trusted_constructor(Plain)
