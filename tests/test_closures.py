"""Closed study periods as stored records (R8.9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.closures import (
    PeriodClosure,
    closed_at,
    closure_id,
    current_closure,
    locked_for,
)
from eschool_core.errors import ValidationError

START = datetime(2025, 10, 27, 9, tzinfo=UTC)


SCOPE = ("5a", "math", "t1")
"""The class, subject and teacher the closings of these tests are reopened for."""


def closure(
    number: int, closed: int, reopened: int | None, scope: tuple[str, str, str] = SCOPE
) -> PeriodClosure:
    """The ``number``-th closing of Q1, ``closed`` and ``reopened`` hours after START."""
    return PeriodClosure(
        id=closure_id("2025/2026", "Q1", number),
        year="2025/2026",
        period="Q1",
        closed_at=START + timedelta(hours=closed),
        closed_by="dh",
        reopened_at=None if reopened is None else START + timedelta(hours=reopened),
        reopened_by=None if reopened is None else "dh",
        reopen_reason=None if reopened is None else "апелляция",
        reopened_class_id=None if reopened is None else scope[0],
        reopened_subject_id=None if reopened is None else scope[1],
        reopened_teacher_id=None if reopened is None else scope[2],
    )


class TestPeriodClosure:
    def test_a_reopening_needs_its_author_and_reason(self) -> None:
        """R8.9: a reopening without its reason is refused."""
        with pytest.raises(ValidationError) as caught:
            PeriodClosure(
                id="x",
                year="2025/2026",
                period="Q1",
                closed_at=START,
                closed_by="dh",
                reopened_at=START,
                reopened_by="dh",
            )
        assert caught.value.code == "period_closure.reopening"

    def test_no_reopening_before_the_closing(self) -> None:
        """R8.9: a period is not reopened before it was closed."""
        with pytest.raises(ValidationError) as caught:
            closure(1, 5, 4)
        assert caught.value.code == "period_closure.reopened_before_closed"

    def test_a_naive_moment_is_refused(self) -> None:
        """R8.9: whether a period is closed is asked for an aware moment only."""
        with pytest.raises(ValidationError):
            closed_at([closure(1, 0, None)], "2025/2026", "Q1", datetime(2025, 11, 1))

    def test_the_current_closure_is_the_one_not_reopened(self) -> None:
        """R8.9: after a reopening and a new closing, the new closing is in force."""
        closures = [closure(1, 0, 2), closure(2, 3, None)]
        assert current_closure(closures, "2025/2026", "Q1") == closures[1]
        assert current_closure(closures, "2025/2026", "Q2") is None

    @given(
        spans=st.lists(st.tuples(st.integers(0, 50), st.none() | st.integers(0, 20)), max_size=4),
        hour=st.integers(-5, 80),
    )
    @settings(max_examples=80)
    def test_closed_at_is_inside_one_closing(
        self, spans: list[tuple[int, int | None]], hour: int
    ) -> None:
        """R8.9: a period is closed at a moment iff some closing covers it (an interval oracle)."""
        closures = [
            closure(n + 1, start, None if length is None else start + length)
            for n, (start, length) in enumerate(spans)
        ]
        inside = any(
            start <= hour and (length is None or hour < start + length) for start, length in spans
        )
        moment = START + timedelta(hours=hour)
        assert closed_at(closures, "2025/2026", "Q1", moment) is inside
        assert not closed_at(closures, "2024/2025", "Q1", moment)


_SCOPES = st.tuples(
    st.sampled_from(["5a", "5b", None]),
    st.sampled_from(["math", "phys"]),
    st.sampled_from(["t1", "t2", None]),
)


class TestReopeningScope:
    @pytest.mark.parametrize(
        "given_scope",
        [
            {"reopened_class_id": "5a"},
            {"reopened_class_id": "5a", "reopened_subject_id": "math"},
            {"reopened_class_id": "5a", "reopened_subject_id": "math", "reopened_teacher_id": "t1"},
        ],
    )
    def test_the_scope_is_given_whole_and_only_with_a_reopening(
        self, given_scope: dict[str, str]
    ) -> None:
        """R8.9: class, subject and teacher come together, and only with a reopening."""
        with pytest.raises(ValidationError) as caught:
            PeriodClosure(
                id="x",
                year="2025/2026",
                period="Q1",
                closed_at=START,
                closed_by="dh",
                **given_scope,
            )
        assert (caught.value.code, caught.value.clause) == ("period_closure.reopening", "8.9")
        if len(given_scope) < 3:  # a reopening with part of its scope
            with pytest.raises(ValidationError):
                PeriodClosure(
                    id="x",
                    year="2025/2026",
                    period="Q1",
                    closed_at=START,
                    closed_by="dh",
                    reopened_at=START,
                    reopened_by="dh",
                    reopen_reason="апелляция",
                    **given_scope,
                )

    @given(
        spans=st.lists(st.tuples(st.integers(0, 50), st.none() | st.integers(0, 20)), max_size=4),
        hour=st.integers(-5, 80),
        scope=_SCOPES,
    )
    @settings(max_examples=80)
    def test_locked_for_against_an_oracle(
        self,
        spans: list[tuple[int, int | None]],
        hour: int,
        scope: tuple[str | None, str, str | None],
    ) -> None:
        """R8.9, R8.10: a write is locked while a closing is in force, and after the last
        reopening unless it is of the reopening's class, subject and teacher."""
        closures = [
            closure(n + 1, start, None if length is None else start + length)
            for n, (start, length) in enumerate(spans)
        ]
        moment = START + timedelta(hours=hour)
        reopenings = [start + length for start, length in spans if length is not None]
        past = [end for end in reopenings if end <= hour]
        if closed_at(closures, "2025/2026", "Q1", moment):
            expected = True
        elif past:
            expected = scope != SCOPE
        else:
            expected = False
        assert locked_for(closures, "2025/2026", "Q1", moment, scope) is expected
        assert not locked_for(closures, "2025/2026", "Q2", moment, scope)

    def test_a_reopening_stored_without_its_scope_admits_nothing(self) -> None:
        """R8.9: a reopening stored before reopenings named their scope admits no write."""
        old = PeriodClosure(
            id="x",
            year="2025/2026",
            period="Q1",
            closed_at=START,
            closed_by="dh",
            reopened_at=START,
            reopened_by="dh",
            reopen_reason="апелляция",
        )
        assert not old.admits(*SCOPE)
        assert locked_for([old], "2025/2026", "Q1", START + timedelta(hours=1), SCOPE)
