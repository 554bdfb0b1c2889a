"""Tests of the profile's [calendar] section (R4.4b)."""

from __future__ import annotations

from datetime import date

import pytest

import eschool_core.calendar as school_calendar
from eschool_core.calendar import MonthDay, PeriodScheme, VacationKind
from eschool_core.errors import ProfileError, ValidationError
from eschool_core.profiles import default_profile, default_profile_text, parse_profile


def _replace(old: str, new: str) -> str:
    text = default_profile_text()
    assert old in text
    return text.replace(old, new, 1)


class TestCalendarSection:
    """R4.4b: the default profile carries schemes, weeks, vacations and overrides."""

    def test_default(self) -> None:
        """R4.4b: quarters for 1-9, half-years for 10-11, a 5-day week, four vacations."""
        policy = default_profile().calendar
        assert policy.parallel_schemes[1] is PeriodScheme.QUARTERS
        assert policy.parallel_schemes[10] is PeriodScheme.HALF_YEARS
        assert set(policy.week_days.values()) == {5}
        assert [t.kind for t in policy.vacations][-1] is VacationKind.ADDITIONAL
        assert policy.schemes[PeriodScheme.TRIMESTERS][0] == MonthDay(month=12, day=1)
        assert (policy.clause, policy.requirement) == ("4.4", "R4.4b")

    def test_overrides_reach_the_production_calendar(self) -> None:
        """R4.4b: a regional day off in the profile makes that day a non-working day."""
        text = _replace("extra_days_off = []", "extra_days_off = [2025-09-01]")
        policy = parse_profile(text).calendar
        assert not policy.production.is_working_day(date(2025, 9, 1))

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ('first_day = "09-01"', 'first_day = "9-1"', "calendar.first_day"),
            ('last_day = "05-26"', 'last_day = "02-30"', "calendar.last_day"),
            ("week_days = [5, 5, 5,", "week_days = [7, 5, 5,", "calendar.week_days"),
            ("shifts = [1, 1, 1, 1,", "shifts = [1, 1, 1,", "calendar.shifts"),
            ("extra_days_off = []", 'extra_days_off = ["2025-09-01"]', "calendar.extra_days_off"),
            ('half_years = ["winter"]', 'half_years = ["winter", "spring"]', "calendar.schemes"),
            ("half_years = [10, 11]", "half_years = [10]", "calendar.parallels"),
            ("half_years = [10, 11]", "half_years = [10, 11, 9]", "calendar.parallels"),
            ('kind = "autumn"', 'kind = "summer"', "calendar.vacations[0].kind"),
            ("parallels = [1]", "parallels = [12]", "calendar.vacations[3].parallels"),
            ('requirement = "R4.4b"', 'requirement = "R4.4b"\ncolour = 1', "calendar.colour"),
            (
                "extra_working_days = []",
                "extra_working_days = [2099-01-01]",
                "calendar",
            ),
        ],
    )
    def test_errors_name_the_key(self, old: str, new: str, key: str) -> None:
        """A bad [calendar] entry is a ProfileError naming section.key."""
        with pytest.raises(ProfileError) as info:
            parse_profile(_replace(old, new))
        assert f"'{key}" in info.value.message("en")


class TestPublicNames:
    """The calendar package exports exactly its public names."""

    def test_all(self) -> None:
        """__all__ has no duplicates and lists every public name of the package."""
        public = {
            name
            for name in dir(school_calendar)
            if not name.startswith("_")
            and getattr(getattr(school_calendar, name), "__module__", "").startswith(
                "eschool_core.calendar"
            )
        }
        assert len(set(school_calendar.__all__)) == len(school_calendar.__all__)
        assert public <= set(school_calendar.__all__)

    def test_month_day_errors(self) -> None:
        """MonthDay rejects malformed text and 29 February of a common year."""
        with pytest.raises(ValidationError):
            MonthDay.parse("1027")
        with pytest.raises(ValidationError):
            MonthDay(month=2, day=29).in_year(school_calendar.YearLabel(first=2024))
        assert MonthDay(month=2, day=29).in_year(school_calendar.YearLabel(first=2023)) == date(
            2024, 2, 29
        )
