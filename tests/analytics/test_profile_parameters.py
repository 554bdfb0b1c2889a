"""The bulk rules and the reports take the R8.6 and R8.5.1 parameters from the profile."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from eschool_core.analytics import Dataset, analyze, attendance_register, late_marks, timeliness
from eschool_core.deadlines import (
    ComplianceChecker,
    ComplianceData,
    DeadlinePolicy,
    EntryDeadlines,
    FindingStatus,
)
from eschool_core.errors import ValidationError
from eschool_core.profiles import Profile, default_profile
from eschool_core.reports import ReportData, ReportParams, Timeliness, run_report
from eschool_core.synth import SyntheticSchool, academic_year_of, generate
from eschool_core.year_data import SchoolYearData
from tests.profile_variants import CORRECTION_WORKING_DAYS, EXTENSION_DAYS, variant_profile
from tests.rules_helpers import synthetic_rules

_PROFILES = {"default": default_profile(), "variant": variant_profile()}


@pytest.fixture(scope="module")
def school() -> SyntheticSchool:
    """A small synthetic school."""
    return generate("small", seed=5)


@pytest.fixture(scope="module")
def data(school: SyntheticSchool) -> Dataset:
    """The school on DuckDB."""
    return Dataset.from_school(school)


def _report_late(school: SyntheticSchool, profile: Profile) -> tuple[set[str], Counter[str]]:
    """The marks the reports judge late, and the count of each judgement (no checker report)."""
    view = ReportData.from_synthetic(school, synthetic_rules(school, profile))
    judged = {mark.id: view.mark_timeliness(mark) for mark in school.marks}
    late: set[str] = {key for key, value in judged.items() if value is Timeliness.LATE}
    return late, Counter(value.value for value in judged.values())


class TestEntryDeadlines:
    """The two numbers are read from the deadline rules of a profile."""

    def test_regulation_is_the_default_profile(self) -> None:
        """R8.6, R8.5.1: the regulation's 3 calendar days and 2 working days are the default's."""
        deadlines = default_profile().deadlines.entry_deadlines
        assert (deadlines.extension_days, deadlines.reason_correction_working_days) == (3, 2)
        assert (deadlines.extension_clause, deadlines.correction_clause) == ("8.6", "8.5.1")

    def test_variant_profile(self) -> None:
        """R8.6, R8.5.1: a profile's own extension and correction term are read from its rules."""
        deadlines = variant_profile().deadlines.entry_deadlines
        assert deadlines.extension_days == EXTENSION_DAYS
        assert deadlines.reason_correction_working_days == CORRECTION_WORKING_DAYS

    def test_missing_rule(self) -> None:
        """R8.6: rules without a same-day rule for marks give a typed error, not a default."""
        rules = [r for r in default_profile().deadlines.rules if r.id != "journal.marks"]
        with pytest.raises(ValidationError) as caught:
            _ = DeadlinePolicy(rules=rules).entry_deadlines
        assert caught.value.code == "deadlines.entry_rule_missing"
        assert caught.value.details["applies_to"] == "mark"

    def test_negative_days(self) -> None:
        """R8.6: a negative extension is rejected."""
        with pytest.raises(ValidationError):
            EntryDeadlines(
                extension_days=-1,
                reason_correction_working_days=2,
                extension_clause="8.6",
                extension_requirement="R8.6",
                correction_clause="8.5.1",
                correction_requirement="R8.5.1",
            )


class TestSameResultsForAnyProfile:
    """A profile with another extension changes the analytics and the reports identically."""

    @pytest.mark.parametrize("name", sorted(_PROFILES))
    def test_late_marks_equal_the_reports(
        self, name: str, school: SyntheticSchool, data: Dataset
    ) -> None:
        """R8.6: the bulk late marks and timeliness counts are the reports' judgements."""
        profile = _PROFILES[name]
        deadlines = profile.deadlines.entry_deadlines
        expected, counts = _report_late(school, profile)
        bulk = set(late_marks(data, deadlines=deadlines).to_pyarrow().column("id").to_pylist())
        assert bulk == expected
        table = timeliness(data, deadlines=deadlines).to_pyarrow()
        assert sum(table.column("late").to_pylist()) == counts["late"]
        assert sum(table.column("excused").to_pylist()) == counts["extended"]
        result = analyze(data, "timeliness", synthetic_rules(school, profile))
        assert sum(result.data.column("late").to_pylist()) == counts["late"]

    def test_the_extension_changes_the_results(self, school: SyntheticSchool) -> None:
        """R8.6: a longer extension finds fewer marks late, in the reports as in the analytics."""
        default, _ = _report_late(school, _PROFILES["default"])
        variant, _ = _report_late(school, _PROFILES["variant"])
        assert variant < default

    def test_report_heading_names_the_extension(self, school: SyntheticSchool) -> None:
        """R8.6: the timeliness report's heading gives the profile's extension in days."""
        profile = _PROFILES["variant"]
        view = ReportData.from_synthetic(school, synthetic_rules(school, profile))
        first, last = view.year_span
        report = run_report(
            "mark_timeliness",
            view,
            ReportParams(start=first, end=last),
            generated_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
        )
        headings = {column.code: column.title_ru for column in report.columns}
        assert headings["extended"] == "В течение 5 дней по уважительной причине"

    @pytest.mark.parametrize("name", sorted(_PROFILES))
    def test_corrected_reasons_equal_the_checker(
        self, name: str, school: SyntheticSchool, data: Dataset
    ) -> None:
        """R8.5.1: the bulk late corrections are the checker's findings under the same rules."""
        profile = _PROFILES[name]
        rules = [r for r in profile.deadlines.rules if r.id == "journal.absence_reasons"]
        year = academic_year_of(school)
        report = ComplianceChecker(rules, year.production, year=year).check(
            ComplianceData(
                year_data=SchoolYearData(
                    year=year, school=school.school, attendance=school.attendance
                )
            ),
            dt.date(2026, 8, 31),
        )
        late = sum(1 for f in report.findings if f.status is FindingStatus.LATE)
        deadlines = profile.deadlines.entry_deadlines
        register = attendance_register(data, deadlines=deadlines).to_pyarrow()
        assert sum(register.column("corrected_late").to_pylist()) == late > 0
