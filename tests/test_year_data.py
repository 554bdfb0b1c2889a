"""One school year's data: read from a store with scoped queries, the same as the generated year."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import attrs
import pytest

from eschool_core import synth
from eschool_core.calendar import standard_year
from eschool_core.deadlines import ComplianceData, EntryDeadlines, HostRecords
from eschool_core.errors import NotFoundError, ValidationError
from eschool_core.profiles import (
    ProfileRules,
    default_profile,
    default_profile_text,
    parse_profile,
    rules_for,
)
from eschool_core.reports import (
    CATALOGUE,
    ReportData,
    ReportParams,
    needs_compliance,
    report_scope,
    run_report,
)
from eschool_core.school import SchoolClass
from eschool_core.storage import MemoryStore
from eschool_core.year_data import SchoolYearData, YearScope

_E = TypeVar("_E")
_MOMENT = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
_AS_OF = dt.date(2026, 8, 31)


@pytest.fixture(scope="module")
def school() -> synth.SyntheticSchool:
    """The small generated school."""
    return synth.generate("small", 1)


@pytest.fixture(scope="module")
def store(school: synth.SyntheticSchool) -> MemoryStore:
    """The small school in a memory store, with a class and a day of the next year beside it."""
    found = MemoryStore()
    synth.write_to_store(school, found)
    with found.unit_of_work() as uow:
        mark = school.marks[0]
        lesson = next(lesson for lesson in school.lessons if lesson.id == mark.lesson_id)
        old = next(c for c in school.classes if c.id == lesson.class_id)
        uow.classes.add(attrs.evolve(old, id="next-year-class", year="2026/2027"))
        uow.lessons.add(_shifted(lesson, id="next-year-lesson", class_id="next-year-class"))
        uow.marks.add(_shifted(mark, id="next-year-mark", lesson_id="next-year-lesson"))
        uow.commit()
    return found


def _shifted(entity: _E, **changes: object) -> _E:
    """``entity`` a year later: every date and moment of it moved by 365 days."""
    year = dt.timedelta(days=365)
    moved = {
        field.name: value + year
        for field in attrs.fields(type(entity))
        if isinstance(value := getattr(entity, field.name), dt.date)
    }
    return attrs.evolve(entity, **moved, **changes)  # type: ignore[misc]


def _ids(items: tuple[object, ...]) -> list[str]:
    return sorted(str(getattr(item, "id", "")) for item in items)


class TestSchoolYearData:
    def test_a_store_read_equals_the_generated_year(
        self, school: synth.SyntheticSchool, store: MemoryStore
    ) -> None:
        """A store's year, read with scoped queries, holds exactly the generated year (R4.4b)."""
        read = SchoolYearData.from_store(store, school.academic_year)
        own = school.year_data
        for field in attrs.fields(SchoolYearData):
            if field.name in {"year", "school", "scope"}:
                assert getattr(read, field.name) == getattr(own, field.name)
            else:
                assert _ids(getattr(read, field.name)) == _ids(getattr(own, field.name)), field
        assert "next-year-mark" not in {m.id for m in read.marks}

    def test_the_check_of_a_store_is_the_check_of_its_year(
        self, school: synth.SyntheticSchool, store: MemoryStore
    ) -> None:
        """The checker on a store with another year's data gives the year's findings (R8.6)."""
        checker = rules_for(default_profile(), school.academic_year).checker
        from_store = checker.check(store, _AS_OF)
        generated = checker.check(ComplianceData.from_year_data(school.year_data), _AS_OF)
        assert from_store.to_json() == generated.to_json()
        assert "next-year-mark" not in {f.entity_id for f in from_store.findings}

    def test_a_scope_names_a_class_or_a_student(self) -> None:
        """A scope of both a class and a student is refused with a typed error (R11.1)."""
        with pytest.raises(ValidationError) as raised:
            YearScope(class_id="c1", student_id="s1")
        assert raised.value.code == "year_data.scope"

    def test_a_class_scope_reads_the_class(
        self, school: synth.SyntheticSchool, store: MemoryStore
    ) -> None:
        """A class scope reads its members' marks, by the class's name (R11.1)."""
        five_a = next(c for c in school.classes if c.name == "5А")
        scope = YearScope(class_id="5А")
        read = SchoolYearData.from_store(store, school.academic_year, scope=scope)
        members = {m.student_id for m in school.memberships if m.class_id == five_a.id}
        assert read.scope.class_id == five_a.id
        assert {s.id for s in read.students} == members
        assert {m.id for m in read.marks} == {m.id for m in school.marks if m.student_id in members}


def _params(school: synth.SyntheticSchool, five_a: SchoolClass, accepted: set[str]) -> ReportParams:
    roster = sorted(m.student_id for m in school.memberships if m.class_id == five_a.id)
    values = {
        "class_id": five_a.name,
        "student_id": roster[3],
        "subject_id": min(a.subject_id for a in school.assignments if a.class_id == five_a.id),
        "period": "Q2",
        "as_of": dt.date(2025, 12, 20),
        "start": dt.date(2025, 11, 10),
        "end": dt.date(2025, 12, 20),
    }
    return ReportParams(**{name: value for name, value in values.items() if name in accepted})


class TestOneSnapshot:
    def test_no_reader_declares_a_field_of_the_year_again(self) -> None:
        """The checker's data and the report view hold the year; none re-declares its fields."""
        year_fields = {field.name for field in attrs.fields(SchoolYearData)}
        assert [field.name for field in attrs.fields(ComplianceData)] == ["year_data", "records"]
        for held in (ComplianceData, HostRecords, ReportData):
            assert not {field.name for field in attrs.fields(held)} & year_fields, held
        assert {field.name for field in attrs.fields(ReportData)} == {
            "year_data",
            "policy",
            "deadlines",
            "compliance",
        }

    def test_the_readers_hold_the_year_itself(self, school: synth.SyntheticSchool) -> None:
        """Nothing is copied: the checker's data and the view read the same year's values."""
        data = school.year_data
        rules = rules_for(default_profile(), data.year, data.school)
        compliance = ComplianceData.from_year_data(data)
        view = ReportData.from_year_data(data, rules)
        assert compliance.year_data is data
        assert view.year_data is data
        assert view.marks is data.marks
        assert view.students is data.students
        assert view.orders is data.orders

    def test_the_view_s_periods_are_the_year_s(self, school: synth.SyntheticSchool) -> None:
        """A report's study periods are spans of the calendar's periods, for every parallel."""
        data = school.year_data
        view = ReportData.from_year_data(data, rules_for(default_profile(), data.year, data.school))
        assert set(view.periods) == set(data.year.parallels)
        for parallel, spans in view.periods.items():
            periods = data.year.periods(parallel)
            assert [(s.key, s.start, s.end) for s in spans] == [
                (str(p.code), p.start, p.end) for p in periods
            ]

    def test_orders_given_to_the_view_replace_the_year_s(
        self, school: synth.SyntheticSchool
    ) -> None:
        """Orders passed to the view are its year's orders; the year read stays as it was."""
        data = school.year_data
        rules = rules_for(default_profile(), data.year, data.school)
        view = ReportData.from_year_data(data, rules, orders=())
        assert view.orders == ()
        assert data.orders
        assert view.marks is data.marks

    def test_a_view_needs_a_school(self, school: synth.SyntheticSchool) -> None:
        """A year without a school is no report's: report.school_unknown."""
        data = attrs.evolve(school.year_data, school=None)
        rules = rules_for(default_profile(), data.year)
        with pytest.raises(NotFoundError) as caught:
            ReportData.from_year_data(data, rules)
        assert caught.value.code == "report.school_unknown"

    def test_host_runs_win_and_stored_runs_stand_in(self, school: synth.SyntheticSchool) -> None:
        """R11.3: the host's own report runs replace the stored ones; without them the year's
        runs are judged, and a year of none leaves the report duties unchecked (None)."""
        data = attrs.evolve(school.year_data, report_runs=())
        assert ComplianceData.from_year_data(data).report_runs is None
        own = HostRecords(host_report_runs=[])
        assert ComplianceData.from_year_data(data, own).report_runs == ()


class TestReportScope:
    @pytest.mark.parametrize(
        "code",
        sorted(
            code
            for code, definition in CATALOGUE.items()
            if {"class_id", "student_id", "period"} & {*definition.required, *definition.optional}
            and "teacher_id" not in definition.required
        ),
    )
    def test_a_scoped_report_equals_the_whole_years(
        self, school: synth.SyntheticSchool, store: MemoryStore, code: str
    ) -> None:
        """Every report read with its scope equals the report on the whole year (R11.1)."""
        definition = CATALOGUE[code]
        five_a = next(c for c in school.classes if c.name == "5А")
        params = _params(school, five_a, {*definition.required, *definition.optional})
        year = school.academic_year
        rules = rules_for(default_profile(), year, school.school)
        whole = ReportData.from_year_data(SchoolYearData.from_store(store, year), rules)
        scope = report_scope(code, params, year)
        scoped = ReportData.from_year_data(
            SchoolYearData.from_store(store, year, scope=scope), rules
        )
        expected = run_report(code, whole, params, generated_at=_MOMENT)
        assert run_report(code, scoped, params, generated_at=_MOMENT) == expected
        assert not needs_compliance(code) or scope.whole

    def test_a_period_scope_reads_the_overlapping_periods(
        self, school: synth.SyntheticSchool
    ) -> None:
        """A Q2 report reads Q2's days, and the half-year that holds them on 10-11 (R4.4b)."""
        scope = report_scope(
            "class_period_results", ReportParams(period="Q2"), school.academic_year
        )
        quarter = school.academic_year.periods(5)[1]
        half = school.academic_year.periods(10)[0]
        assert scope.start == min(quarter.start, half.start)
        assert scope.end == max(quarter.end, half.end)


class TestProfileRules:
    def test_the_profile_gives_every_rule(self) -> None:
        """rules_for takes the checker, R8.6/R8.5.1 limits and grading from the profile (R8.6)."""
        text = default_profile_text().replace("extension_days = 3", "extension_days = 5", 1)
        profile = parse_profile(text)
        year = standard_year("2025/2026", profile.calendar)
        rules = rules_for(profile, year)
        assert isinstance(rules, ProfileRules)
        assert rules.deadlines == EntryDeadlines(
            extension_days=5,
            reason_correction_working_days=2,
            extension_clause="8.6",
            extension_requirement="R8.6",
            correction_clause="8.5.1",
            correction_requirement="R8.5.1",
            marked_parallels=frozenset(range(2, 12)),
        )
        assert rules.checker.rules == tuple(profile.deadlines.rules)
        assert rules.checker.year == year
        assert rules.grading == profile.grading
        assert rules_for(default_profile(), year).deadlines.extension_days == 3
