"""Closed study periods as stored records (R8.9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.closures import PeriodClosure, closed_at, closure_id, current_closure
from eschool_core.errors import ValidationError

START = datetime(2025, 10, 27, 9, tzinfo=UTC)


def closure(number: int, closed: int, reopened: int | None) -> PeriodClosure:
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
