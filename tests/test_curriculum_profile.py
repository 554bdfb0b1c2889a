from __future__ import annotations

import contextlib
import tomllib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.curriculum import ComponentKind
from eschool_core.errors import ProfileError
from eschool_core.profiles import default_profile, default_profile_text, parse_profile
from tests.test_profiles import _dump


def _data() -> dict[str, Any]:
    return tomllib.loads(default_profile_text())


class TestCurriculumSection:
    def test_default_sanitary_maximums(self) -> None:
        """R5.3e: the default profile holds СанПиН 1.2.3685-21 table 6.6, cited."""
        policy = default_profile().curriculum
        five = [policy.sanitary_max(p, 5) for p in range(1, 12)]
        six = [policy.sanitary_max(p, 6) for p in range(1, 12)]
        assert five == [21, 23, 23, 23, 29, 30, 32, 33, 33, 34, 34]
        assert six == [None, 26, 26, 26, 32, 33, 35, 36, 36, 37, 37]
        assert "1.2.3685-21" in policy.sanitary_source
        assert (policy.clause, policy.requirement) == ("5.3", "R5.3e")
        assert policy.component_name(ComponentKind.MANDATORY) == "Обязательная часть"
        assert policy.component_name(ComponentKind.MANDATORY, "en") == "Mandatory part"

    @pytest.mark.parametrize(
        ("key", "value", "code"),
        [
            ("max_weekly_load_5", [21, 23], "profile.out_of_range"),
            ("max_weekly_load_6", [70] * 11, "profile.out_of_range"),
            ("plan_tolerance_weeks", -1, "profile.out_of_range"),
            ("sanitary_source", 5, "profile.wrong_type"),
            ("extra", 1, "profile.unknown_key"),
        ],
    )
    def test_bad_values_name_the_key(self, key: str, value: object, code: str) -> None:
        """R5.3e: a bad value in [curriculum] is a ProfileError naming curriculum.key."""
        data = _data()
        data["curriculum"][key] = value
        with pytest.raises(ProfileError) as caught:
            parse_profile(_dump(data))
        assert caught.value.code == code
        assert f"curriculum.{key}" in caught.value.message("en")

    def test_component_names_are_pairs(self) -> None:
        """R5.3d: each component has a Russian and an English name."""
        data = _data()
        data["curriculum"]["components"]["mandatory"] = ["Обязательная часть"]
        with pytest.raises(ProfileError, match=r"curriculum\.components\.mandatory"):
            parse_profile(_dump(data))

    @given(st.one_of(st.integers(), st.text(max_size=5), st.booleans(), st.lists(st.integers())))
    def test_only_documented_errors(self, value: object) -> None:
        """R5.3e: whatever a [curriculum] key becomes, the loader accepts it or a ProfileError."""
        data = _data()
        for key in ("max_weekly_load_5", "plan_tolerance_weeks", "clause"):
            data["curriculum"][key] = value
            with contextlib.suppress(ProfileError):
                parse_profile(_dump(data))
