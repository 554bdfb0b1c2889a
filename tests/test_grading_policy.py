"""Grading policy and rounding schemes (R2.2j)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.errors import ValidationError
from eschool_core.grading import (
    GradingPolicy,
    RoundingPolicy,
    RoundingScheme,
    WorkType,
    exact_text,
    format_decimal,
    format_percent,
    require_score,
)
from eschool_core.journal import MarkValue
from tests._grading_support import policy, roundings

averages = st.fractions(min_value=1, max_value=5, max_denominator=1000)


class TestRoundingSchemes:
    @pytest.mark.parametrize(
        ("average", "expected"),
        [("4.5", 5), ("4.49", 4), ("3.5", 4), ("1.5", 2), ("1.49", 1), ("5", 5), ("1", 1)],
    )
    def test_half_up(self, average: str, expected: int) -> None:
        """R2.2j: half-up rounds an average exactly at .5 up."""
        assert RoundingPolicy.half_up().to_mark(Fraction(average)) == expected

    @pytest.mark.parametrize(
        ("average", "expected"), [("4.65", 5), ("4.64", 4), ("3.65", 4), ("3.6499", 3)]
    )
    def test_point_sixty_five(self, average: str, expected: int) -> None:
        """R2.2j: the stricter .65 scheme: 4.65 → 5, 4.64 → 4."""
        assert RoundingPolicy.fraction("0.65").to_mark(Fraction(average)) == expected

    def test_custom_thresholds(self) -> None:
        """R2.2j: a custom threshold per mark: 2.6 → 3, 3.6 → 4, 4.6 → 5."""
        rule = RoundingPolicy.custom({2: "1.5", 3: "2.6", 4: "3.6", 5: "4.6"})
        assert rule.scheme is RoundingScheme.CUSTOM
        got = [rule.to_mark(Fraction(x)) for x in ("2.59", "2.6", "3.6", "4.59", "4.6")]
        assert got == [2, 3, 4, 4, 5]

    def test_thirteen_thirds_is_four(self) -> None:
        """R2.2j: 13/3 (4.33) is a 4 under half-up and under .65."""
        assert RoundingPolicy.half_up().to_mark(Fraction(13, 3)) == 4
        assert RoundingPolicy.fraction("0.65").to_mark(Fraction(13, 3)) == 4

    def test_nineteen_quarters(self) -> None:
        """R2.2j: 19/4 (4.75) is a 5 under .65 and under a 4.8 custom threshold it is a 4."""
        assert RoundingPolicy.fraction("0.65").to_mark(Fraction(19, 4)) == 5
        strict = RoundingPolicy.custom({2: 2, 3: 3, 4: 4, 5: "4.8"})
        assert strict.to_mark(Fraction(19, 4)) == 4

    @given(roundings, averages, averages)
    def test_monotonic(self, rule: RoundingPolicy, a: Fraction, b: Fraction) -> None:
        """R2.2j: a higher average never gives a lower mark."""
        low, high = sorted((a, b))
        assert rule.to_mark(low) <= rule.to_mark(high)

    @given(roundings, averages)
    def test_rounded_mark_is_a_neighbour(self, rule: RoundingPolicy, average: Fraction) -> None:
        """R2.2j: rounding gives the floor or the ceiling of the average."""
        assert average - 1 < rule.to_mark(average) < average + 1

    @given(
        roundings,
        st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=20),
        st.integers(min_value=1, max_value=7),
    )
    def test_sums_agree_with_average(
        self, rule: RoundingPolicy, scores: list[int], weight: int
    ) -> None:
        """R2.2j: rounding integer sums without dividing equals rounding the exact average."""
        total = sum(scores) * weight
        weights = len(scores) * weight
        assert rule.mark_for_sums(total, weights) == rule.to_mark(Fraction(total, weights))

    def test_sums_need_weight(self) -> None:
        """R2.2j: a sum of weights of 0 has no average."""
        with pytest.raises(ValidationError):
            RoundingPolicy.half_up().mark_for_sums(0, 0)

    @pytest.mark.parametrize(
        "thresholds",
        [
            {2: "1.5", 3: "2.5", 4: "3.5"},
            {2: "1.5", 3: "2.5", 4: "3.5", 5: "4"},
            {2: 1, 3: 3, 4: 4, 5: 5},
        ],
    )
    def test_bad_thresholds(self, thresholds: dict[int, object]) -> None:
        """R2.2j: thresholds must cover 2-5, each within (k-1, k]."""
        with pytest.raises(ValidationError) as caught:
            RoundingPolicy.custom(thresholds)
        assert caught.value.code == "grading.bad_threshold"

    def test_average_off_scale(self) -> None:
        """R2.2j: an average outside 1-5 cannot be rounded to a mark."""
        with pytest.raises(ValidationError):
            RoundingPolicy.half_up().to_mark(Fraction(11, 2))

    def test_float_rejected(self) -> None:
        """R2.2j: a float average is inexact and rejected."""
        with pytest.raises(ValidationError):
            RoundingPolicy.half_up().to_mark(4.5)


class TestPolicy:
    def test_weight_range(self) -> None:
        """R2.2j: a work type's weight must lie within the profile's range."""
        heavy = WorkType(code="exam", name_ru="Экзамен", name_en="Exam", weight=6)
        with pytest.raises(ValidationError) as caught:
            GradingPolicy(work_types=(heavy,))
        assert caught.value.code == "grading.weight_out_of_range"

    def test_zero_weight_work_type(self) -> None:
        """R2.2j: a work type of weight 0 is rejected."""
        with pytest.raises(ValidationError):
            WorkType(code="x", name_ru="X", name_en="X", weight=0)

    def test_duplicate_and_empty(self) -> None:
        """R2.2j: a catalogue needs work types, each code once."""
        item = WorkType(code="x", name_ru="X", name_en="X")
        with pytest.raises(ValidationError):
            GradingPolicy(work_types=(item, item))
        with pytest.raises(ValidationError):
            GradingPolicy(work_types=())

    def test_bad_weight_range(self) -> None:
        """R2.2j: min_weight must be positive and not above max_weight."""
        with pytest.raises(ValidationError):
            policy(min_weight=3, max_weight=2)

    def test_min_marks_by_kind(self) -> None:
        """R2.2j: the minimum of marks may differ per period kind."""
        rules = policy(min_current_marks=3, min_current_marks_by_kind={"half_year": 5})
        assert rules.min_marks_for("half_year") == 5
        assert rules.min_marks_for("quarter") == 3
        assert rules.min_marks_for(None) == 3
        with pytest.raises(ValidationError):
            policy(min_current_marks_by_kind={"quarter": -1})

    def test_names(self) -> None:
        """R2.2j: a work type has a Russian and an English name."""
        test = GradingPolicy.default().work_type("test")
        assert (test.name(), test.name("en")) == ("Контрольная работа", "Test")

    def test_require_score(self) -> None:
        """R2.2j: a special mark where a number is required is a typed error."""
        assert require_score(MarkValue.of(3)) == 3
        with pytest.raises(ValidationError) as caught:
            require_score(MarkValue.parse("зач"))
        assert caught.value.code == "grading.score_required"
        with pytest.raises(ValidationError):
            require_score(6)
        with pytest.raises(ValidationError):
            require_score("5")


class TestFormatting:
    @pytest.mark.parametrize(
        ("share", "ru", "en"),
        [
            (Fraction(2, 3), "66,67 %", "66.67%"),
            (Fraction(1, 8), "12,50 %", "12.50%"),
            (Fraction(1, 800), "0,13 %", "0.13%"),
            (Fraction(1), "100,00 %", "100.00%"),
            (Fraction(0), "0,00 %", "0.00%"),
        ],
    )
    def test_percent_half_up(self, share: Fraction, ru: str, en: str) -> None:
        """R2.2k: percentages have two decimals, a tie rounded up."""
        assert format_percent(share) == ru
        assert format_percent(share, "en") == en

    @given(st.fractions(min_value=-100, max_value=100, max_denominator=10_000))
    def test_decimal_is_close(self, value: Fraction) -> None:
        """R2.2k: the two-decimal display is within half a hundredth of the exact value."""
        shown = Fraction(format_decimal(value, 2, "en"))
        assert abs(shown - value) <= Fraction(1, 200)

    def test_exact_text(self) -> None:
        """R2.2j: a finite decimal is shown as one, a repeating one as a fraction."""
        assert exact_text(Fraction(3, 2), "en") == "1.5"
        assert exact_text(Fraction(1, 3)) == "1/3"
        assert exact_text(Fraction(4)) == "4"
