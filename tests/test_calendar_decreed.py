"""A year's production calendar as data from its decree: profile, TOML, CLI (R4.4b, R7.1)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.calendar import (
    DecreedYear,
    ProductionCalendar,
    decreed_years_from_toml,
    standard_year,
)
from eschool_core.cli._app import app
from eschool_core.errors import ProfileError, ValidationError
from eschool_core.profiles import default_profile_text, parse_profile

_TOML = """
[[production_year]]
year = 2028
decree = "example"
days_off = [2028-01-03, 2028-01-04, 2028-01-05, 2028-01-06, 2028-01-07, 2028-03-08]
working_days = [2028-01-08]
"""


class TestDecreedYear:
    def test_unknown_year_says_how_to_add_it(self) -> None:
        """R4.4b: a year past the calendar's last names the profile table and the CLI option."""
        with pytest.raises(ValidationError) as info:
            ProductionCalendar().is_working_day(date(2028, 3, 8))
        assert info.value.code == "calendar.year_not_supported"
        for text in (str(info.value), info.value.message("en")):
            assert "[[calendar.production_year]]" in text
            assert "--production-calendar" in text

    def test_toml_adds_the_year(self) -> None:
        """R4.4b: a TOML of the decree's days off and working weekend days adds the year."""
        calendar = ProductionCalendar().with_decreed(decreed_years_from_toml(_TOML))
        assert not calendar.is_working_day(date(2028, 3, 8))
        assert calendar.is_working_day(date(2028, 1, 8))  # a Saturday made working
        assert calendar.is_working_day(date(2028, 3, 9))
        assert not calendar.is_working_day(date(2028, 3, 11))  # a Saturday
        assert 2028 in calendar.supported_years

    @settings(max_examples=30, deadline=None)
    @given(
        offsets=st.sets(st.integers(0, 365), max_size=20),
        probe=st.integers(0, 365),
    )
    def test_days_off_agree_with_an_oracle(self, offsets: set[int], probe: int) -> None:
        """R7.1: in a decreed year a weekday is working exactly when it is not listed."""
        first = date(2028, 1, 1)
        days = {
            first + timedelta(days=o) for o in offsets if (first + timedelta(days=o)).year == 2028
        }
        calendar = ProductionCalendar().with_decreed([DecreedYear(year=2028, days_off=days)])
        day = first + timedelta(days=probe)
        if day.year == 2028:
            expected = day.weekday() < 5 and day not in days
            assert calendar.is_working_day(day) is expected

    def test_bad_tables(self) -> None:
        """R4.4b: a date of another year, an unknown key or a repeated year is refused."""
        for text in (
            "[[production_year]]\nyear = 2028\ndays_off = [2029-01-01]\n",
            "[[production_year]]\nyear = 2028\nholidays = []\n",
            "[[production_year]]\nyear = 2028\n[[production_year]]\nyear = 2028\n",
            (
                "[[production_year]]\nyear = 2028\ndays_off = [2028-01-03]\n"
                "working_days = [2028-01-03]\n"
            ),
        ):
            with pytest.raises(ValidationError) as info:
                decreed_years_from_toml(text)
            assert info.value.code == "calendar.production_invalid"


class TestProfileAndCli:
    def test_profile_section(self) -> None:
        """R4.4b: [[calendar.production_year]] in the profile builds the 2027/2028 year."""
        text = default_profile_text() + (
            "\n[[calendar.production_year]]\nyear = 2028\n"
            "days_off = [2028-01-03, 2028-01-04, 2028-01-05, 2028-01-06, 2028-01-07]\n"
        )
        policy = parse_profile(text).calendar
        year = standard_year("2027/2028", policy)
        assert not policy.production.is_working_day(date(2028, 1, 3))
        assert year.periods(5)[-1].end.year == 2028

    def test_profile_error_names_the_key(self) -> None:
        """A bad production year in the profile is a ProfileError naming its key."""
        text = default_profile_text() + "\n[[calendar.production_year]]\nyear = 2028\nx = 1\n"
        with pytest.raises(ProfileError) as info:
            parse_profile(text)
        assert "calendar.production_year[0].x" in info.value.message("en")

    def test_cli_option(self, tmp_path: Path) -> None:
        """R4.4b: eschool calendar 2027/2028 works with --production-calendar FILE."""
        path = tmp_path / "2028.toml"
        path.write_text(_TOML, encoding="utf-8")
        failed = CliRunner().invoke(app, ["calendar", "2027/2028"])
        assert failed.exit_code == 2
        assert "--production-calendar" in failed.output
        result = CliRunner().invoke(
            app, ["calendar", "2027/2028", "--production-calendar", str(path)]
        )
        assert result.exit_code == 0, result.output
        assert "2027/2028" in result.output
