"""The [grading] section of the profile (R2.2j)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from eschool_core.errors import ProfileError
from eschool_core.grading import RoundingScheme
from eschool_core.profiles import default_profile, default_profile_text, parse_profile


def with_grading(old: str, new: str) -> str:
    text = default_profile_text()
    assert old in text
    return text.replace(old, new, 1)


class TestDefaultGrading:
    def test_default_policy(self) -> None:
        """R2.2j: the default profile defines weighted work types, half-up rounding, 3 marks."""
        grading = default_profile().grading
        assert grading.weight_of("test") == 2
        assert grading.weight_of("independent") == Fraction(3, 2)
        assert grading.period_rounding.scheme is RoundingScheme.HALF_UP
        assert grading.min_marks_for("quarter") == 3
        assert grading.min_marks_for("half_year") == 5
        assert (grading.clause, grading.requirement) == ("2.2", "R2.2j")
        assert grading.final_rounding.clause == "8.4.1"

    def test_fraction_scheme(self) -> None:
        """R2.2j: a school can choose the .65 scheme."""
        text = with_grading(
            'requirement = "R2.2j"\nscheme = "half_up"',
            'requirement = "R2.2j"\nscheme = "fraction"\nfraction = 0.65',
        )
        rounding = parse_profile(text).grading.period_rounding
        assert rounding.to_mark(Fraction("4.65")) == 5
        assert rounding.to_mark(Fraction("4.64")) == 4

    def test_custom_scheme(self) -> None:
        """R2.2j: a school can set a threshold per mark."""
        text = with_grading(
            'requirement = "R8.4.1"\nscheme = "half_up"',
            'requirement = "R8.4.1"\nscheme = "custom"\n[grading.annual_rounding.thresholds]\n'
            '"2" = 1.6\n"3" = 2.6\n"4" = 3.6\n"5" = 4.6',
        )
        rounding = parse_profile(text).grading.annual_rounding
        assert [rounding.to_mark(Fraction(x)) for x in ("2.6", "3.59", "4.6")] == [3, 3, 5]


class TestBadGrading:
    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ("[grading]\n", "[grading]\ncolour = 1\n", "grading.colour"),
            (
                'name_en = "Test"\nweight = 2',
                'name_en = "Test"\nweight = 9',
                "grading.work_types.test.weight",
            ),
            (
                'name_en = "Test"\nweight = 2',
                'name_en = "Test"\nweight = "heavy"',
                "grading.work_types.test.weight",
            ),
            ("default = 3\n", 'default = "three"\n', "grading.min_current_marks.default"),
            ("allowed = 0\n", "allowed = 7\n", "grading.deviation.allowed"),
        ],
    )
    def test_errors_name_the_key(self, old: str, new: str, key: str) -> None:
        """R2.2j: an unknown key, a weight out of range or a wrong type names section.key."""
        with pytest.raises(ProfileError) as caught:
            parse_profile(with_grading(old, new))
        assert caught.value.details["key"] == key

    def test_unknown_scheme(self) -> None:
        """R2.2j: an unknown rounding scheme is a profile error."""
        text = with_grading(
            'requirement = "R8.4.1"\nscheme = "half_up"',
            'requirement = "R8.4.1"\nscheme = "banker"',
        )
        with pytest.raises(ProfileError) as caught:
            parse_profile(text)
        assert caught.value.code == "profile.unknown_value"

    def test_bad_threshold(self) -> None:
        """R2.2j: an invalid fraction threshold is a profile error naming the table."""
        text = with_grading(
            'requirement = "R8.4.1"\nscheme = "half_up"',
            'requirement = "R8.4.1"\nscheme = "fraction"\nfraction = 1.5',
        )
        with pytest.raises(ProfileError) as caught:
            parse_profile(text)
        assert caught.value.details["key"] == "grading.annual_rounding"
