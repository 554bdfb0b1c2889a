from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.errors import ValidationError
from eschool_core.profiles import default_profile
from eschool_core.school import (
    ClassMembership,
    EducationLevel,
    Group,
    GroupKind,
    School,
    SchoolClass,
    TeachingAssignment,
    level_of_parallel,
)


class TestSchool:
    def test_time_zone_is_required(self) -> None:
        """R2.2a: a school names its own time zone; the code has no default zone."""
        with pytest.raises(TypeError):
            School(id="sch", name="МБОУ «СОШ №2»")  # type: ignore[call-arg]

    def test_new_school_takes_the_profile_defaults(self) -> None:
        """R2.2a: a new school takes the profile's time zone and week, unless it names its own."""
        profile = default_profile()
        school = profile.new_school(id="sch", name="МБОУ «СОШ №2»")
        assert (school.time_zone, school.zone.key) == (profile.time_zone, profile.time_zone)
        assert school.week_days == profile.week_days == 5
        own = profile.new_school(id="sch", name="СОШ", time_zone="Asia/Vladivostok")
        assert own.time_zone == "Asia/Vladivostok"

    def test_unknown_time_zone(self) -> None:
        """An unknown time zone is a typed error."""
        with pytest.raises(ValidationError) as caught:
            School(id="sch", name="СОШ", time_zone="Mars/Olympus")
        assert caught.value.code == "school.unknown_time_zone"

    @pytest.mark.parametrize("days", [4, 7])
    def test_week_is_five_or_six_days(self, days: int) -> None:
        """A school week has 5 or 6 days."""
        with pytest.raises(ValidationError):
            School(id="sch", name="СОШ", time_zone="Europe/Moscow", week_days=days)


class TestSchoolClass:
    @given(st.integers(min_value=1, max_value=11))
    def test_level_follows_parallel(self, parallel: int) -> None:
        """R8.1: grades 1-4 are primary, 5-9 basic, 10-11 secondary."""
        school_class = SchoolClass(id="c", year="2025/2026", parallel=parallel, letter="Б")
        expected = (
            EducationLevel.PRIMARY
            if parallel <= 4
            else EducationLevel.BASIC
            if parallel <= 9
            else EducationLevel.SECONDARY
        )
        assert school_class.level is expected
        assert school_class.is_primary == (parallel <= 4)
        assert school_class.name == f"{parallel}Б"

    @given(st.integers().filter(lambda n: not 1 <= n <= 11))
    def test_parallel_out_of_range(self, parallel: int) -> None:
        """R8.1: a parallel outside 1-11 (e.g. 12) is rejected with clause 8.1."""
        with pytest.raises(ValidationError) as caught:
            SchoolClass(id="c", year="2025/2026", parallel=parallel, letter="А")
        assert caught.value.code == "class.parallel_out_of_range"
        assert caught.value.clause == "8.1"

    def test_bool_is_not_a_parallel(self) -> None:
        """True is not grade 1."""
        with pytest.raises(ValidationError):
            level_of_parallel(True)

    @pytest.mark.parametrize("year", ["2025-2026", "2025/2027", "25/26", ""])
    def test_year_label(self, year: str) -> None:
        """An academic year is written YYYY/YYYY+1."""
        with pytest.raises(ValidationError) as caught:
            SchoolClass(id="c", year=year, parallel=5, letter="А")
        assert caught.value.code == "year.invalid_label"

    @pytest.mark.parametrize("letter", ["", "5", "АБВГ"])
    def test_letter(self, letter: str) -> None:
        """A class letter is one to three letters."""
        with pytest.raises(ValidationError):
            SchoolClass(id="c", year="2025/2026", parallel=5, letter=letter)


class TestGroupsAndAssignments:
    def test_subgroup_has_one_class(self) -> None:
        """R5.3a: a subgroup splits exactly one class."""
        with pytest.raises(ValidationError):
            Group(
                id="g",
                year="2025/2026",
                subject_id="eng",
                name="англ. 1",
                kind=GroupKind.SUBGROUP,
                class_ids=["c1", "c2"],
            )
        group = Group(
            id="g",
            year="2025/2026",
            subject_id="eng",
            name="мат. проф.",
            kind="cross_class",
            class_ids=["c1", "c2"],
            student_ids=["s1"],
            level="углублённый",
        )
        assert group.class_ids == ("c1", "c2")

    def test_assignment_names_class_or_group(self) -> None:
        """An assignment is to a class or to a group, never both or neither."""
        with pytest.raises(ValidationError):
            TeachingAssignment(id="a", teacher_id="t", year="2025/2026", subject_id="m")
        with pytest.raises(ValidationError):
            TeachingAssignment(
                id="a",
                teacher_id="t",
                year="2025/2026",
                subject_id="m",
                class_id="c",
                group_id="g",
            )

    def test_assignment_dates(self) -> None:
        """An assignment holds within its own dates."""
        assignment = TeachingAssignment(
            id="a",
            teacher_id="t",
            year="2025/2026",
            subject_id="m",
            class_id="c",
            since=date(2025, 9, 1),
            until=date(2025, 12, 31),
        )
        assert assignment.holds_on(date(2025, 12, 31))
        assert not assignment.holds_on(date(2026, 1, 1))
        with pytest.raises(ValidationError):
            TeachingAssignment(
                id="a",
                teacher_id="t",
                year="2025/2026",
                subject_id="m",
                class_id="c",
                since=date(2025, 9, 1),
                until=date(2025, 8, 31),
            )

    def test_membership(self) -> None:
        """A class membership holds from since to until."""
        membership = ClassMembership(id="m", student_id="s", class_id="c", since=date(2025, 9, 1))
        assert membership.holds_on(date(2030, 1, 1))
        assert not membership.holds_on(date(2025, 8, 31))
        with pytest.raises(ValidationError):
            ClassMembership(
                id="m",
                student_id="s",
                class_id="c",
                since=date(2025, 9, 1),
                until=date(2025, 8, 1),
            )
