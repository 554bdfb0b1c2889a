"""Tests of the academic year (R4.2a, R4.4b, R7.1, R7.7c)."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from eschool_core.calendar import (
    AcademicYear,
    CalendarPolicy,
    MonthDay,
    MovedDay,
    ParallelSchedule,
    PeriodCode,
    PeriodScheme,
    StudyPeriod,
    Vacation,
    VacationKind,
    WarningCode,
    YearLabel,
    standard_year,
)
from eschool_core.errors import ValidationError
from eschool_core.profiles import default_profile

POLICY: CalendarPolicy = default_profile().calendar
YEAR = standard_year("2025/2026", POLICY)


def _problem_code(build: object) -> str:
    assert callable(build)
    with pytest.raises(ValidationError) as info:
        build()
    return info.value.code


def _evolve_parallel(year: AcademicYear, parallel: int, **changes: Any) -> AcademicYear:
    parallels = dict(year.parallels)
    parallels[parallel] = attrs.evolve(parallels[parallel], **changes)
    return attrs.evolve(year, parallels=parallels)


class TestLabel:
    """The label of a year and its formation window (R4.2a)."""

    def test_parse(self) -> None:
        """AcademicYear.parse reads the label "2025/2026"."""
        label = AcademicYear.parse("2025/2026")
        assert (label.first, label.second, str(label)) == (2025, 2026, "2025/2026")

    @pytest.mark.parametrize("text", ["2025/2027", "2025-2026", "25/26", ""])
    def test_bad_label(self, text: str) -> None:
        """A malformed label is a typed error."""
        with pytest.raises(ValidationError) as info:
            YearLabel.parse(text)
        assert info.value.code == "year.invalid_label"

    def test_formation_window(self) -> None:
        """R4.2a: formation of 2025/2026 runs from 2025-04-01 to 2025-09-20."""
        assert YEAR.formation_window == (date(2025, 4, 1), date(2025, 9, 20))
        assert YEAR.in_formation_window(date(2025, 9, 20))
        assert not YEAR.in_formation_window(date(2025, 9, 21))
        assert not YEAR.in_formation_window(date(2025, 3, 31))


class TestStandardYear:
    """The standard year built from the default profile (R4.4b, R7.1)."""

    def test_bounds(self) -> None:
        """2025/2026 runs from 1 September 2025 to 26 May 2026."""
        assert (YEAR.first_day, YEAR.last_day) == (date(2025, 9, 1), date(2026, 5, 26))

    def test_schemes(self) -> None:
        """Grades 1-9 study in quarters and 10-11 in half-years, with stable codes."""
        assert [p.code for p in YEAR.periods(5)] == list(PeriodScheme.QUARTERS.codes)
        assert [p.code for p in YEAR.periods(11)] == [PeriodCode.H1, PeriodCode.H2]
        assert YEAR.periods(5)[0].name_ru == "1-я четверть"
        assert YEAR.periods(10)[1].name_en == "2nd half-year"

    def test_quarters_split_at_vacations(self) -> None:
        """The 1st quarter ends the day before the autumn vacation, the 2nd starts after it."""
        q1, q2, *_ = YEAR.periods(5)
        autumn = next(v for v in YEAR.vacations if v.kind is VacationKind.AUTUMN)
        assert q1.end == autumn.start - timedelta(days=1)
        assert q2.start == autumn.end + timedelta(days=1)

    def test_grade_one_february_vacation(self) -> None:
        """R7.1: grade 1 has the extra February vacation, grade 2 studies then."""
        day = date(2026, 2, 16)
        assert not YEAR.is_school_day(day, 1)
        assert YEAR.is_school_day(day, 2)
        assert YEAR.vacation_days(1) == YEAR.vacation_days(2) + 9

    def test_holidays_are_kept(self) -> None:
        """R7.1: public holidays of the year come from the production calendar."""
        holidays = dict(YEAR.holidays())
        assert date(2025, 11, 4) in holidays
        assert date(2026, 5, 11) in holidays
        assert not YEAR.is_school_day(date(2026, 2, 23), 5)

    def test_period_of(self) -> None:
        """period_of finds the quarter of a day, and None in a vacation."""
        period = YEAR.period_of(date(2025, 11, 10), 5)
        assert period is not None
        assert period.code is PeriodCode.Q2
        assert YEAR.period_of(date(2025, 10, 28), 5) is None

    def test_school_days_and_weeks(self) -> None:
        """School days of grade 5 and the exact length of study in weeks."""
        total = len(YEAR.school_days(YEAR.first_day, YEAR.last_day, 5))
        assert total == 168
        assert YEAR.weeks_of_study(5) == Fraction(YEAR.study_days(5), 5)
        assert YEAR.weeks_of_study(5) >= 34

    def test_six_day_week(self) -> None:
        """A Saturday is a school day of a 6-day parallel, not of a 5-day one."""
        year = _evolve_parallel(YEAR, 7, week_days=6)
        saturday = date(2025, 9, 6)
        assert year.is_school_day(saturday, 7)
        assert not year.is_school_day(saturday, 6)
        assert not year.is_school_day(date(2026, 3, 7) + timedelta(days=0), 6)

    def test_no_norm_warnings(self) -> None:
        """The default profile's 2025/2026 meets the federal norms."""
        assert YEAR.norm_warnings() == ()

    def test_unsupported_year(self) -> None:
        """A year the production calendar does not know is an error."""
        with pytest.raises(ValidationError) as info:
            standard_year("2030/2031", POLICY)
        assert info.value.code == "calendar.year_not_supported"


class TestMovedDays:
    """Moved school days (R7.2, R7.7c)."""

    def test_move_to_saturday(self) -> None:
        """R7.7c: a school day moved to a Saturday swaps which day is a school day."""
        moved = MovedDay(
            source=date(2025, 11, 7), target=date(2025, 11, 15), parallels=[5], reason="ремонт"
        )
        year = attrs.evolve(YEAR, moved_days=(moved,))
        assert not year.is_school_day(date(2025, 11, 7), 5)
        assert year.is_school_day(date(2025, 11, 15), 5)
        assert year.is_school_day(date(2025, 11, 7), 6)

    def test_onto_holiday_rejected(self) -> None:
        """R7.7c: a school day cannot move onto a public holiday."""
        moved = MovedDay(source=date(2025, 11, 7), target=date(2025, 11, 4), parallels=[5])
        assert _problem_code(lambda: attrs.evolve(YEAR, moved_days=(moved,))) == (
            "calendar.moved_onto_holiday"
        )

    def test_from_non_school_day_rejected(self) -> None:
        """R7.7c: only a school day can be moved."""
        moved = MovedDay(source=date(2025, 11, 8), target=date(2025, 11, 15), parallels=[5])
        assert _problem_code(lambda: attrs.evolve(YEAR, moved_days=(moved,))) == (
            "calendar.moved_from_non_school_day"
        )

    def test_onto_school_day_rejected(self) -> None:
        """R7.7c: moving onto a day that is a school day already is an error."""
        moved = MovedDay(source=date(2025, 11, 7), target=date(2025, 11, 10), parallels=[5])
        assert _problem_code(lambda: attrs.evolve(YEAR, moved_days=(moved,))) == (
            "calendar.moved_onto_school_day"
        )

    def test_onto_itself_rejected(self) -> None:
        """R7.7c: a day cannot move onto itself."""
        with pytest.raises(ValidationError):
            MovedDay(source=date(2025, 11, 7), target=date(2025, 11, 7))


class TestValidation:
    """A year with broken structure raises a typed error (R4.4b)."""

    def test_overlap(self) -> None:
        """Periods that overlap are rejected."""
        q1, q2, q3, q4 = YEAR.periods(5)
        bad = (q1, attrs.evolve(q2, start=q1.end), q3, q4)
        assert _problem_code(lambda: _evolve_parallel(YEAR, 5, periods=bad)) == (
            "calendar.periods_overlap"
        )

    def test_gap(self) -> None:
        """A school day that no period covers is a gap."""
        q1, q2, q3, q4 = YEAR.periods(5)
        bad = (q1, attrs.evolve(q2, start=q2.start + timedelta(days=7)), q3, q4)
        assert _problem_code(lambda: _evolve_parallel(YEAR, 5, periods=bad)) == (
            "calendar.periods_gap"
        )

    def test_outside_year(self) -> None:
        """A period beyond the last day of the year is rejected."""
        q1, q2, q3, q4 = YEAR.periods(5)
        bad = (q1, q2, q3, attrs.evolve(q4, end=date(2026, 6, 30)))
        assert _problem_code(lambda: _evolve_parallel(YEAR, 5, periods=bad)) == (
            "calendar.period_outside_year"
        )

    def test_period_bound_in_vacation(self) -> None:
        """A period that ends inside a vacation is rejected."""
        q1, q2, q3, q4 = YEAR.periods(5)
        bad = (attrs.evolve(q1, end=date(2025, 10, 28)), q2, q3, q4)
        assert _problem_code(lambda: _evolve_parallel(YEAR, 5, periods=bad)) == (
            "calendar.vacation_in_period_bounds"
        )

    def test_bad_scheme(self) -> None:
        """Periods must be the codes of one scheme, in order."""
        q1, q2, q3, q4 = YEAR.periods(5)
        with pytest.raises(ValidationError) as info:
            ParallelSchedule(periods=(q1, q3, q2, q4))
        assert info.value.code == "calendar.bad_scheme"

    def test_vacations_overlap(self) -> None:
        """Two vacations of one parallel may not overlap."""
        extra = Vacation(kind="additional", start=date(2025, 10, 28), end=date(2025, 11, 2))
        assert _problem_code(lambda: attrs.evolve(YEAR, vacations=(*YEAR.vacations, extra))) == (
            "calendar.vacations_overlap"
        )

    def test_vacation_outside_year(self) -> None:
        """A vacation after the last day of the year is rejected."""
        extra = Vacation(kind="additional", start=date(2026, 6, 1), end=date(2026, 6, 9))
        assert _problem_code(lambda: attrs.evolve(YEAR, vacations=(*YEAR.vacations, extra))) == (
            "calendar.vacation_outside_year"
        )

    def test_end_before_start(self) -> None:
        """A period, a vacation or a year ending before it starts is rejected."""
        with pytest.raises(ValidationError):
            StudyPeriod(code="Q1", start=date(2025, 9, 2), end=date(2025, 9, 1))
        with pytest.raises(ValidationError):
            Vacation(kind="autumn", start=date(2025, 9, 2), end=date(2025, 9, 1))
        assert _problem_code(lambda: attrs.evolve(YEAR, last_day=date(2025, 8, 1))) == (
            "value.end_before_start"
        )
        with pytest.raises(ValidationError):
            YEAR.school_days(date(2025, 9, 2), date(2025, 9, 1), 5)

    def test_dates_not_in_label(self) -> None:
        """The first and last day must fall in the label's years."""
        assert (
            _problem_code(lambda: attrs.evolve(YEAR, label=YearLabel(first=2024)))
            == "calendar.dates_not_in_label"
        )

    def test_unknown_parallel(self) -> None:
        """A parallel outside 1-11, or one the year lacks, is a typed error."""
        with pytest.raises(ValidationError) as info:
            YEAR.is_school_day(date(2025, 9, 1), 12)
        assert info.value.code == "calendar.unknown_parallel"
        small = attrs.evolve(
            YEAR,
            parallels={5: YEAR.parallels[5]},
            vacations=[attrs.evolve(v, parallels={5}) for v in YEAR.vacations if 5 in v.parallels],
        )
        with pytest.raises(ValidationError) as info:
            small.periods(6)
        assert info.value.code == "calendar.unknown_parallel"

    def test_naive_datetime(self) -> None:
        """A naive datetime is rejected by queries and by constructors."""
        with pytest.raises(ValidationError) as info:
            YEAR.is_school_day(datetime(2025, 9, 1, 8, 30), 5)
        assert info.value.code == "value.naive_datetime"
        with pytest.raises(ValidationError):
            StudyPeriod(code="Q1", start=datetime(2025, 9, 1), end=date(2025, 10, 1))


class TestNormWarnings:
    """Warnings for years that break the federal norms (ФОП, федеральный календарный график)."""

    def test_short_year(self) -> None:
        """A year ending in April is too short: a warning naming the norm, not an error."""
        year = standard_year("2025/2026", attrs.evolve(POLICY, last_day=MonthDay(month=4, day=30)))
        codes = {(w.code, w.parallel) for w in year.norm_warnings()}
        assert (WarningCode.SHORT_YEAR, 5) in codes
        warning = next(w for w in year.norm_warnings() if w.code is WarningCode.SHORT_YEAR)
        assert "ФОП" in warning.norm
        assert "34" in warning.message.ru or "33" in warning.message.ru
        assert "norm" in warning.message.en

    def test_short_summer(self) -> None:
        """A year ending in late June leaves a summer under 8 weeks (not for grades 9, 11)."""
        year = standard_year("2025/2026", attrs.evolve(POLICY, last_day=MonthDay(month=7, day=10)))
        summer = {w.parallel for w in year.norm_warnings() if w.code is WarningCode.SHORT_SUMMER}
        assert 5 in summer
        assert 9 not in summer
        assert 11 not in summer

    def test_short_vacations(self) -> None:
        """Vacations under 30 days during the year give a warning."""
        year = standard_year(
            "2025/2026",
            attrs.evolve(
                POLICY,
                schemes={
                    **POLICY.schemes,
                    PeriodScheme.QUARTERS: tuple(
                        MonthDay.parse(t) for t in ("11-01", "01-01", "04-01")
                    ),
                    PeriodScheme.HALF_YEARS: (MonthDay.parse("01-01"),),
                },
                vacations=(),
            ),
        )
        assert {w.code for w in year.norm_warnings()} >= {WarningCode.SHORT_VACATIONS}


class TestToml:
    """An academic year read from TOML and written back unchanged (R4.4b)."""

    def test_round_trip_text(self) -> None:
        """Writing, reading and writing again gives the same text and an equal year."""
        moved = MovedDay(
            source=date(2025, 11, 7),
            target=date(2025, 11, 15),
            parallels=[5, 6],
            reason='ремонт "кабинета"\\',
        )
        year = attrs.evolve(
            YEAR,
            moved_days=(moved,),
            production=YEAR.production.with_overrides(days_off=[date(2025, 9, 1)]),
            first_day=date(2025, 9, 2),
            parallels={
                k: attrs.evolve(
                    s, periods=(attrs.evolve(s.periods[0], start=date(2025, 9, 2)), *s.periods[1:])
                )
                for k, s in YEAR.parallels.items()
            },
        )
        text = year.to_toml()
        again = AcademicYear.from_toml(text)
        assert again == year
        assert again.to_toml() == text

    def test_unknown_key(self) -> None:
        """An unknown key is named in the error."""
        text = YEAR.to_toml().replace("shifts = 1", "shifts = 1\ncolour = 1", 1)
        with pytest.raises(ValidationError) as info:
            AcademicYear.from_toml(text)
        assert info.value.code == "calendar.toml_invalid"
        assert "parallels.1.colour" in info.value.message("en")

    @pytest.mark.parametrize(
        ("old", "new"),
        [
            ('year = "2025/2026"', "year = 2025"),
            ("first_day = 2025-09-01", 'first_day = "2025-09-01"'),
            ("week_days = 5", 'week_days = "5"'),
            ('code = "Q1"', 'code = "Q9"'),
            ("[parallels.1]", "[parallels.x]"),
            ('year = "2025/2026"', "year = ["),
        ],
    )
    def test_bad_values(self, old: str, new: str) -> None:
        """Wrong types and values are typed errors, never crashes."""
        with pytest.raises(ValidationError):
            AcademicYear.from_toml(YEAR.to_toml().replace(old, new, 1))

    @given(st.text(max_size=200))
    def test_fuzz_only_documented_errors(self, text: str) -> None:
        """Any text either reads or raises ValidationError."""
        with contextlib.suppress(ValidationError):
            AcademicYear.from_toml(text)


_labels = st.integers(min_value=2015, max_value=2026).map(lambda first: f"{first}/{first + 1}")


@st.composite
def _years(draw: st.DrawFn) -> AcademicYear:
    label = draw(_labels)
    six = draw(st.frozensets(st.integers(min_value=1, max_value=11)))
    policy = attrs.evolve(POLICY, week_days={p: 6 if p in six else 5 for p in range(1, 12)})
    year = standard_year(label, policy)
    moves = draw(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), max_size=3))
    moved: list[MovedDay] = []
    for source_offset, target_offset in moves:
        source = year.first_day + timedelta(days=source_offset)
        target = year.first_day + timedelta(days=target_offset)
        parallel = draw(st.integers(min_value=1, max_value=11))
        if source == target:
            continue
        moved.append(MovedDay(source=source, target=target, parallels=[parallel]))
    try:
        return attrs.evolve(year, moved_days=tuple(moved))
    except ValidationError:
        return year


class TestProperties:
    """Laws of school days over generated years."""

    @given(_years(), st.integers(min_value=1, max_value=11))
    def test_school_days_avoid_holidays_and_vacations(self, year: AcademicYear, p: int) -> None:
        """A school day is never a holiday, and a vacation or weekend only when moved there."""
        targets = {m.target for m in year.moved_days if p in m.parallels}
        week = year.parallels[p].week_days
        for day in year.school_days(year.first_day, year.last_day, p):
            assert not year.production.is_day_off(day)
            if day not in targets:
                assert day.weekday() < week
                assert not any(v.covers(day, p) for v in year.vacations)

    @given(_years(), st.integers(min_value=1, max_value=11))
    def test_each_school_day_in_exactly_one_period(self, year: AcademicYear, p: int) -> None:
        """Every school day of a parallel falls in exactly one of its periods."""
        periods = year.periods(p)
        for day in year.school_days(year.first_day, year.last_day, p):
            assert sum(period.contains(day) for period in periods) == 1
            found = year.period_of(day, p)
            assert found is not None
            assert found.contains(day)

    @given(_years())
    def test_toml_round_trip(self, year: AcademicYear) -> None:
        """Every generated year survives the TOML round trip."""
        assert AcademicYear.from_toml(year.to_toml()) == year

    @given(_labels, st.dates(min_value=date(2015, 1, 1), max_value=date(2027, 12, 31)))
    def test_moved_day_validity(self, label: str, target: date) -> None:
        """Moving onto a holiday is always rejected; a valid move makes the target a school day."""
        year = standard_year(label, POLICY)
        source = year.school_days(year.first_day, year.last_day, 5)[10]
        assume(target != source)
        onto_holiday = year.first_day <= target <= year.last_day and year.production.is_day_off(
            target
        )
        try:
            moved = attrs.evolve(year, moved_days=(MovedDay(source=source, target=target),))
        except ValidationError as exc:
            code = exc.code
            assert code == "calendar.moved_onto_holiday" or not onto_holiday
            return
        assert not year.production.is_day_off(target)
        assert moved.is_school_day(target, 5)
        assert not moved.is_school_day(source, 5)
