"""Tests of the state production calendar (working days; R6.6, R10.1a and every deadline)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.calendar import (
    FIRST_SUPPORTED_YEAR,
    LAST_SUPPORTED_YEAR,
    ProductionCalendar,
    RussianHolidays,
)
from eschool_core.errors import ValidationError

CAL = ProductionCalendar()

# Leave room for counting up to 300 working days (about 14 months) without leaving the range.
days = st.dates(min_value=date(2015, 3, 1), max_value=date(2026, 6, 30))
counts = st.integers(min_value=0, max_value=300)


@attrs.frozen
class _WrongSource:
    """A holiday source that disagrees with the decree: it forgets 9 May 2025."""

    def days_off(self, year: int) -> Mapping[date, str]:
        real = dict(RussianHolidays().days_off(year))
        real.pop(date(2025, 5, 9), None)
        return real

    def working_weekend_days(self, year: int) -> frozenset[date]:
        return RussianHolidays().working_weekend_days(year)


class TestOfficialCounts:
    """Working days per month against the official production calendar (5-day week)."""

    def test_2024(self) -> None:
        """2024 matches the production calendar of Government Decree No. 1314 of 10.08.2023.

        Transfers: 6 Jan -> 10 May, 7 Jan -> 31 Dec, Sat 27 Apr -> 29 Apr, Sat 2 Nov -> 30 Apr,
        Sat 28 Dec -> 30 Dec. November has 21 working days (Saturday 2 November works) and the
        year 248, not the 20 and 247 of the lead's notes: the decree and the published
        calendar agree with the library here.
        """
        assert CAL.working_days_by_month(2024) == (
            17, 20, 20, 21, 20, 19, 23, 22, 21, 23, 21, 21,
        )  # fmt: skip
        assert CAL.working_days(date(2024, 1, 1), date(2024, 12, 31)) == 248
        assert CAL.is_working_day(date(2024, 11, 2))

    def test_2025(self) -> None:
        """2025 matches Government Decree No. 1335 of 04.10.2024 (247 working days)."""
        assert CAL.working_days_by_month(2025) == (
            17, 20, 21, 22, 18, 19, 23, 21, 22, 23, 19, 22,
        )  # fmt: skip
        assert CAL.working_days(date(2025, 1, 1), date(2025, 12, 31)) == 247

    def test_2026(self) -> None:
        """2026 matches the Government Decree of 24.09.2025 on the transfer of days off (247).

        3 and 4 January (Saturday, Sunday) move to Friday 9 January and Thursday 31 December.
        """
        assert CAL.working_days_by_month(2026) == (
            15, 19, 21, 22, 19, 21, 23, 21, 22, 22, 20, 22,
        )  # fmt: skip
        assert CAL.working_days(date(2026, 1, 1), date(2026, 12, 31)) == 247
        assert not CAL.is_working_day(date(2026, 1, 9))
        assert not CAL.is_working_day(date(2026, 12, 31))

    def test_working_saturday_2024(self) -> None:
        """Saturday 2024-04-27 is a working day by transfer; Monday 2024-04-29 is not."""
        assert CAL.is_working_day(date(2024, 4, 27))
        assert not CAL.is_working_day(date(2024, 4, 29))

    def test_override_wins_over_the_library(self) -> None:
        """Where the library and the decree disagree, the profile's override restores the decree."""
        wrong = ProductionCalendar(source=_WrongSource())
        assert wrong.is_working_day(date(2025, 5, 9))
        assert wrong.working_days_by_month(2025)[4] == 19
        fixed = wrong.with_overrides(days_off=[date(2025, 5, 9)])
        assert not fixed.is_working_day(date(2025, 5, 9))
        assert fixed.working_days_by_month(2025) == CAL.working_days_by_month(2025)

    def test_regional_working_day_override(self) -> None:
        """An extra working day makes a day off a working day (a regional decree)."""
        cal = CAL.with_overrides(working_days=[date(2025, 5, 2)])
        assert cal.is_working_day(date(2025, 5, 2))
        assert cal.working_days_by_month(2025)[4] == 19

    def test_extra_day_off_on_a_working_saturday(self) -> None:
        """An extra day off cancels the state's working Saturday."""
        cal = CAL.with_overrides(days_off=[date(2024, 4, 27)])
        assert not cal.is_working_day(date(2024, 4, 27))


class TestDueDates:
    """What "within n working days of the order" means (R6.6, R10.1a, R10.1b, R10.1e)."""

    def test_three_working_days_across_may_holidays(self) -> None:
        """R10.1a: an order of 2025-04-30 is due on 2025-05-07, the 3rd working day after it."""
        assert CAL.add_working_days(date(2025, 4, 30), 3) == date(2025, 5, 7)

    def test_order_on_a_day_off(self) -> None:
        """R10.1a: an order dated on a holiday counts from the next working days."""
        assert CAL.add_working_days(date(2025, 5, 1), 1) == date(2025, 5, 5)

    def test_zero_and_next_working_day(self) -> None:
        """n = 0 keeps a working day and moves a day off to the next working day."""
        assert CAL.add_working_days(date(2025, 5, 5), 0) == date(2025, 5, 5)
        assert CAL.next_working_day(date(2025, 5, 8)) == date(2025, 5, 12)

    def test_negative(self) -> None:
        """R7.7c: 3 working days before Monday 2025-05-12 is Tuesday 2025-05-05."""
        assert CAL.add_working_days(date(2025, 5, 12), -3) == date(2025, 5, 5)

    def test_crosses_years(self) -> None:
        """Counting crosses the new year holidays into the next year."""
        assert CAL.add_working_days(date(2025, 12, 30), 1) == date(2026, 1, 12)
        assert CAL.add_working_days(date(2026, 1, 12), -1) == date(2025, 12, 30)


class TestProperties:
    """Laws that tie the working-day functions together."""

    @given(days, counts)
    def test_add_and_count_agree(self, day: date, n: int) -> None:
        """The count from next_working_day(d) to the due date is n + 1 on a working day or n = 0.

        Otherwise n: the day of the order is never counted, so it only adds one when it is a
        working day itself (or when n = 0 and the due date is that first working day).
        """
        due = CAL.add_working_days(day, n)
        expected = n + 1 if CAL.is_working_day(day) or n == 0 else n
        assert CAL.working_days(CAL.next_working_day(day), due) == expected
        assert CAL.is_working_day(due)
        assert due >= day

    @given(days, counts)
    def test_days_after_the_order_count_n(self, day: date, n: int) -> None:
        """For n >= 1, exactly n working days lie after the order date up to the due date."""
        if n == 0:
            return
        due = CAL.add_working_days(day, n)
        assert CAL.working_days(day + timedelta(days=1), due) == n

    @given(days, counts)
    def test_negative_inverts_positive(self, day: date, n: int) -> None:
        """On working days, going back n working days undoes going forward n."""
        start = CAL.next_working_day(day)
        assert CAL.add_working_days(CAL.add_working_days(start, n), -n) == start

    @given(days, st.integers(min_value=0, max_value=400))
    def test_count_matches_day_by_day(self, start: date, length: int) -> None:
        """working_days equals the number of days for which is_working_day holds."""
        end = start + timedelta(days=length)
        expected = sum(CAL.is_working_day(start + timedelta(days=i)) for i in range(length + 1))
        assert CAL.working_days(start, end) == expected

    @given(days)
    def test_weekday_rule(self, day: date) -> None:
        """A working day is a weekday unless the state made that weekend day a working day."""
        if CAL.is_working_day(day) and day.weekday() >= 5:
            assert day in RussianHolidays().working_weekend_days(day.year)
        if CAL.is_day_off(day):
            assert not CAL.is_working_day(day)


class TestBadInput:
    """Bad input raises a typed error with a clear message."""

    def test_year_not_supported(self) -> None:
        """A year beyond the encoded decrees is an error, not a guess."""
        with pytest.raises(ValidationError) as info:
            CAL.is_working_day(date(LAST_SUPPORTED_YEAR + 1, 3, 3))
        assert info.value.code == "calendar.year_not_supported"
        assert str(LAST_SUPPORTED_YEAR + 1) in info.value.message("en")
        with pytest.raises(ValidationError):
            CAL.working_days(date(FIRST_SUPPORTED_YEAR - 1, 12, 1), date(2015, 1, 31))

    def test_counting_out_of_range(self) -> None:
        """Counting past the last supported year raises instead of guessing."""
        with pytest.raises(ValidationError) as info:
            CAL.add_working_days(date(LAST_SUPPORTED_YEAR, 12, 1), 40)
        assert info.value.code == "calendar.year_not_supported"

    def test_end_before_start(self) -> None:
        """working_days rejects an end before the start."""
        with pytest.raises(ValidationError) as info:
            CAL.working_days(date(2025, 5, 2), date(2025, 5, 1))
        assert info.value.code == "value.end_before_start"

    def test_naive_datetime(self) -> None:
        """A naive datetime is rejected, and so is an aware one: a date is needed."""
        with pytest.raises(ValidationError) as info:
            CAL.is_working_day(datetime(2025, 5, 5, 10, 0))
        assert info.value.code == "value.naive_datetime"
        with pytest.raises(ValidationError) as info:
            CAL.add_working_days(datetime(2025, 5, 5, tzinfo=UTC), 1)
        assert info.value.code == "value.not_a_date"

    def test_non_integer_count(self) -> None:
        """The number of working days must be an int, not a bool or float."""
        with pytest.raises(ValidationError):
            CAL.add_working_days(date(2025, 5, 5), True)
        with pytest.raises(ValidationError):
            CAL.add_working_days(date(2025, 5, 5), 1.5)

    def test_conflicting_overrides(self) -> None:
        """A date cannot be both an extra day off and an extra working day."""
        with pytest.raises(ValidationError) as info:
            ProductionCalendar(
                extra_days_off=[date(2025, 6, 2)], extra_working_days=[date(2025, 6, 2)]
            )
        assert info.value.code == "calendar.override_conflict"

    def test_override_outside_range(self) -> None:
        """An override in an unsupported year is rejected when the calendar is built."""
        with pytest.raises(ValidationError):
            ProductionCalendar(extra_days_off=[date(2040, 1, 2)])

    def test_bad_range(self) -> None:
        """The last supported year cannot precede the first."""
        with pytest.raises(ValidationError):
            ProductionCalendar(first_year=2026, last_year=2025)
