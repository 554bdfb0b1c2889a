"""Forecasts of period marks for a student and a class (R2.2j)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.errors import ValidationError
from eschool_core.grading import (
    GradingPolicy,
    RoundingPolicy,
    forecast_class,
    marks_needed,
    propose_period_mark,
)
from eschool_core.ids import StudentId
from eschool_core.journal import Mark, MarkValue
from tests._grading_support import current_marks, mark, policy, roundings


def reaches(marks: list[Mark], rules: GradingPolicy, target: int) -> bool:
    value = propose_period_mark(marks, rules).value
    return value is not None and value.score is not None and value.score >= target


class TestMarksNeeded:
    def test_example(self) -> None:
        """R2.2j: 3, 3, 4 need one 5 to reach a 4 (15/4 = 3.75)."""
        answer = marks_needed(
            [mark(3), mark(3), mark(4)],
            policy(),
            target=4,
            value=5,
            work_type="answer",
            remaining_lessons=5,
        )
        assert (answer.count, answer.reachable, answer.average) == (1, True, Fraction(15, 4))

    def test_heavier_work_type_needs_fewer(self) -> None:
        """R2.2j: a test (weight 2) lifts the average faster than an answer."""
        marks = [mark(3)] * 6
        common = {"target": 4, "value": 5, "remaining_lessons": 20}
        by_answer = marks_needed(marks, policy(), work_type="answer", **common)
        by_test = marks_needed(marks, policy(), work_type="test", **common)
        assert (by_answer.count, by_test.count) == (2, 1)

    def test_impossible_with_few_lessons(self) -> None:
        """R2.2j: when the period has too few lessons left, the target is impossible."""
        answer = marks_needed(
            [mark(2)] * 10, policy(), target=4, value=5, work_type="answer", remaining_lessons=3
        )
        assert (answer.count, answer.reachable, answer.limit) == (None, False, 3)

    def test_remaining_lesson_dates(self) -> None:
        """R2.2j: the lessons left may be given as their dates."""
        import datetime as dt

        days = [dt.date(2025, 10, day) for day in (20, 21, 23)]
        marks = [mark(2)] * 3
        answer = marks_needed(
            marks, policy(), target=3, value=5, work_type="answer", remaining_lessons=days
        )
        assert (answer.count, answer.limit) == (1, 3)
        answer = marks_needed(
            marks, policy(), target=4, value=5, work_type="answer", remaining_lessons=days[:2]
        )
        assert not answer.reachable

    def test_impossible_with_low_value(self) -> None:
        """R2.2j: marks below the target's threshold can never lift the average to it."""
        answer = marks_needed(
            [mark(3)], policy(), target=5, value=4, work_type="answer", remaining_lessons=100
        )
        assert not answer.reachable

    def test_already_reached(self) -> None:
        """R2.2j: no marks are needed when the target is already the proposal."""
        answer = marks_needed(
            [mark(5)] * 3, policy(), target=5, value=5, work_type="answer", remaining_lessons=0
        )
        assert answer.count == 0

    def test_minimum_count(self) -> None:
        """R2.2j: the minimum number of marks per period must be reached too."""
        answer = marks_needed(
            [mark(5)],
            policy(min_current_marks=3),
            target=5,
            value=5,
            work_type="answer",
            remaining_lessons=5,
        )
        assert answer.count == 2

    @pytest.mark.parametrize(
        "changes",
        [
            {"value": MarkValue.parse("зач")},
            {"value": 6},
            {"target": 0},
            {"work_type": "quiz"},
            {"weight": Fraction(9)},
            {"remaining_lessons": -1},
        ],
    )
    def test_bad_input(self, changes: dict[str, object]) -> None:
        """R2.2j: special marks, marks off the scale, unknown work types are typed errors."""
        arguments: dict[str, object] = {
            "target": 4,
            "value": 5,
            "work_type": "answer",
            "remaining_lessons": 5,
        }
        arguments.update(changes)
        with pytest.raises(ValidationError):
            marks_needed([mark(3)], policy(), **arguments)

    @given(
        marks=st.lists(current_marks(), max_size=15),
        rounding=roundings,
        target=st.integers(min_value=1, max_value=5),
        value=st.integers(min_value=1, max_value=5),
        work_type=st.sampled_from(["answer", "test", "essay"]),
        minimum=st.integers(min_value=0, max_value=4),
    )
    def test_minimal_and_sufficient(
        self,
        *,
        marks: list[Mark],
        rounding: RoundingPolicy,
        target: int,
        value: int,
        work_type: str,
        minimum: int,
    ) -> None:
        """R2.2j: the answer reaches the target, and one mark fewer does not."""
        rules = policy(period_rounding=rounding, min_current_marks=minimum)
        answer = marks_needed(
            marks, rules, target=target, value=value, work_type=work_type, remaining_lessons=40
        )
        extra = [mark(value, work_type=work_type) for _ in range(41)]
        if answer.count is None:
            assert not any(reaches(marks + extra[:n], rules, target) for n in range(41))
            return
        assert reaches(marks + extra[: answer.count], rules, target)
        if answer.count > 0:
            assert not reaches(marks + extra[: answer.count - 1], rules, target)


class TestClassForecast:
    def test_distribution(self) -> None:
        """R2.2j: the class forecast counts the expected period marks."""
        marks = {
            StudentId("a"): [mark(5), mark(5), mark(4)],
            StudentId("b"): [mark(3), mark(4), mark(3)],
            StudentId("c"): [mark(5), mark(4), mark(5)],
            StudentId("d"): [mark(5)],
            StudentId("e"): [mark("осв")],
        }
        forecast = forecast_class(marks, policy(min_current_marks=3))
        assert dict(forecast.distribution) == {"5": 2, "3": 1, "н/а": 1, "осв": 1}
        assert forecast.proposals[StudentId("b")].average == Fraction(10, 3)
