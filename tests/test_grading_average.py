"""Weighted and plain averages, their explanation and dynamics (R2.2j, R11.5)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.errors import ValidationError
from eschool_core.grading import (
    average_dynamics,
    average_dynamics_by_subject,
    counts_in_average,
    explain_average,
    plain_average,
    weighted_average,
)
from eschool_core.journal import Mark
from tests._grading_support import START, current_marks, mark, policy


class TestWorkedExamples:
    def test_five_weight_two_and_three(self) -> None:
        """R2.2j: 5 (weight 2) and 3 (weight 1) average to exactly 13/3."""
        marks = [mark(5, weight=2), mark(3)]
        assert weighted_average(marks, policy()) == Fraction(13, 3)

    def test_five_four_five(self) -> None:
        """R2.2j: 5 (w 2), 4 (w 1), 5 (w 1) average to exactly 19/4."""
        marks = [mark(5, weight=2), mark(4), mark(5)]
        assert weighted_average(marks, policy()) == Fraction(19, 4)

    def test_work_type_weight_is_used(self) -> None:
        """R2.2j: a test (weight 2 in the profile) counts twice as much as an answer."""
        marks = [mark(5, work_type="test"), mark(2)]
        assert weighted_average(marks, policy()) == 4

    def test_plain_average_ignores_weights(self) -> None:
        """R2.2j: the plain average is the arithmetic mean of the scores."""
        assert plain_average([mark(5, weight=2), mark(4), mark(3)]) == 4


class TestSpecialMarks:
    @pytest.mark.parametrize("special", ["н/а", "осв", "зач", "незач"])
    def test_special_marks_are_not_averaged(self, special: str) -> None:
        """R8.2: «н/а», «осв», «зач» and «незач» never enter an average."""
        marks = [mark(5), mark(special), mark(4)]
        assert weighted_average(marks, policy()) == Fraction(9, 2)
        assert plain_average(marks) == Fraction(9, 2)
        assert not counts_in_average(marks[1])

    def test_no_counted_mark_gives_none(self) -> None:
        """R2.2j: without a counted mark there is no average."""
        assert weighted_average([mark("осв"), mark("зач")], policy()) is None
        assert plain_average([]) is None

    def test_double_mark_is_two_marks(self) -> None:
        """R8.2: «5/4» becomes two independent marks of the same lesson."""
        from eschool_core.journal import MarkValue

        marks = [mark(value) for value in MarkValue.parse_many("5/4")]
        assert weighted_average(marks, policy()) == Fraction(9, 2)


class TestBadInput:
    def test_unknown_work_type(self) -> None:
        """R2.2j: a mark with a work type the profile does not know is a typed error."""
        with pytest.raises(ValidationError) as caught:
            weighted_average([mark(5, work_type="quiz")], policy())
        assert caught.value.code == "grading.unknown_work_type"

    def test_unknown_work_type_of_special_mark(self) -> None:
        """R2.2j: work types are checked even for marks that do not count."""
        with pytest.raises(ValidationError):
            weighted_average([mark("осв", work_type="quiz")], policy())

    @pytest.mark.parametrize("weight", ["0.4", 6, "11/2"])
    def test_weight_out_of_range(self, weight: object) -> None:
        """R2.2j: an own weight outside the profile's range is a typed error."""
        with pytest.raises(ValidationError) as caught:
            weighted_average([mark(5, weight=weight)], policy())
        assert caught.value.code == "grading.weight_out_of_range"

    def test_zero_weight(self) -> None:
        """R2.2j: a weight of 0 is rejected when the mark is built."""
        with pytest.raises(ValidationError):
            mark(5, weight=0)

    def test_mark_six(self) -> None:
        """R8.2: a mark 6 is off the 5-point scale."""
        with pytest.raises(ValidationError) as caught:
            mark(6)
        assert caught.value.code == "mark.out_of_scale"


class TestAverageProperties:
    @given(st.lists(current_marks(), min_size=1, max_size=30))
    def test_between_lowest_and_highest(self, marks: list[Mark]) -> None:
        """R2.2j: the weighted average lies between the lowest and highest counted mark."""
        average = weighted_average(marks, policy())
        counted = [item.value.score for item in marks if item.value.score is not None]
        if not counted:
            assert average is None
        else:
            assert average is not None
            assert min(counted) <= average <= max(counted)

    @given(st.lists(current_marks(), max_size=30), st.randoms())
    def test_order_does_not_matter(self, marks: list[Mark], rnd: object) -> None:
        """R2.2j: the weighted average does not depend on the order of marks."""
        import random

        assert isinstance(rnd, random.Random)
        shuffled = list(marks)
        rnd.shuffle(shuffled)
        assert weighted_average(shuffled, policy()) == weighted_average(marks, policy())

    @given(st.lists(current_marks(), min_size=1, max_size=30), st.sampled_from(["answer", "test"]))
    def test_adding_the_average_keeps_it(self, marks: list[Mark], work_type: str) -> None:
        """R2.2j: adding a mark equal to a whole-mark average leaves the average unchanged."""
        average = weighted_average(marks, policy())
        if average is None or average.denominator != 1:
            return
        more = [*marks, mark(int(average), work_type=work_type)]
        assert weighted_average(more, policy()) == average

    @given(st.lists(current_marks(), max_size=30))
    def test_explanation_agrees(self, marks: list[Mark]) -> None:
        """R2.2j: the explanation's sums give the same average as weighted_average."""
        why = explain_average(marks, policy())
        assert why.average == weighted_average(marks, policy())
        assert why.plain_average == plain_average(marks)
        assert len(why.contributions) + len(why.excluded) == len(marks)
        assert why.weighted_sum == sum(item.value * item.weight for item in why.contributions)


class TestExplanation:
    def test_parent_facing_russian(self) -> None:
        """R2.2j: the explanation lists each mark, the sums and the result in Russian."""
        marks = [
            mark(5, work_type="test", on=dt.date(2025, 9, 3)),
            mark(3, on=dt.date(2025, 9, 2)),
            mark("осв", on=dt.date(2025, 9, 4)),
        ]
        text = explain_average(marks, policy()).render()
        assert text.splitlines() == [
            "Средневзвешенный балл: 4,33",
            "Дата | Отметка | Вид работы | Вес | Отметка × вес",
            "02.09.2025 | 3 | Ответ | 1 | 3",
            "03.09.2025 | 5 | Контрольная | 2 | 10",
            "Сумма: 13; сумма весов: 3; 13 / 3 = 4,33",
            "Отметка по правилу округления (5 от 4,5; 4 от 3,5; 3 от 2,5; 2 от 1,5): 4",
            "Не учтена: 04.09.2025 «осв» — освобождён: не учитывается",
        ]

    def test_without_dates(self) -> None:
        """R2.2j: the explanation can leave out the dates (marks typed in by hand)."""
        text = explain_average([mark(5), mark("осв")], policy()).render("en", dates=False)
        assert text.splitlines()[1:3] == [
            "Mark | Work type | Weight | Mark × weight",
            "5 | Answer | 1 | 5",
        ]
        assert text.splitlines()[-1] == "Left out: «осв» — exempt: excluded"

    def test_english_without_marks(self) -> None:
        """R2.2j: an explanation without counted marks says so."""
        why = explain_average([mark("н/а")], policy())
        assert why.mark is None
        assert why.render("en").splitlines()[0] == "No mark counts."

    def test_fractional_weight_shown_exactly(self) -> None:
        """R2.2j: a weight of 3/2 is shown as 1.5, its product as 7.5."""
        text = explain_average([mark(5, work_type="essay")], policy()).render("en")
        assert "| 5 | Essay | 1.5 | 7.5" in text


class TestDynamics:
    def test_running_average_by_date(self) -> None:
        """R11.5: the dynamics give the weighted average after each day."""
        marks = [
            mark(5, on=START),
            mark(3, work_type="test", on=START + dt.timedelta(days=2)),
            mark("осв", on=START + dt.timedelta(days=3)),
            mark(4, on=START + dt.timedelta(days=2)),
        ]
        points = average_dynamics(marks, policy())
        assert [(p.date, p.average, p.count) for p in points] == [
            (START, Fraction(5), 1),
            (START + dt.timedelta(days=2), Fraction(15, 4), 3),
        ]

    @given(st.lists(current_marks(), max_size=30))
    def test_last_point_is_the_average(self, marks: list[Mark]) -> None:
        """R11.5: the last point of the dynamics is the overall weighted average."""
        points = average_dynamics(marks, policy())
        expected = weighted_average(marks, policy())
        assert (points[-1].average if points else None) == expected
        for subject, subject_points in average_dynamics_by_subject(marks, policy()).items():
            own = [item for item in marks if item.subject_id == subject]
            assert (subject_points[-1].average if subject_points else None) == weighted_average(
                own, policy()
            )
