"""On the large synthetic school, bulk and per-object results agree exactly (R2.2j, R8.6)."""

from __future__ import annotations

import datetime as dt

import pytest

from eschool_core.analytics import Dataset, late_marks, period_marks, timeliness
from eschool_core.calendar import ProductionCalendar, standard_year
from eschool_core.deadlines import ComplianceChecker, ComplianceData
from eschool_core.grading import PeriodSpan, propose_period_marks
from eschool_core.profiles import default_profile
from eschool_core.synth import SyntheticSchool, generate
from eschool_core.year_data import SchoolYearData
from tests.analytics.helpers import bulk_row, is_late_r86, proposal_row
from tests.rules_helpers import DEADLINES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def school() -> SyntheticSchool:
    """The large school, generated once for the module."""
    return generate("large", seed=7)


@pytest.fixture(scope="module")
def data(school: SyntheticSchool) -> Dataset:
    """The large school on DuckDB."""
    return Dataset.from_school(school)


class TestLargeSchool:
    """The bulk path on the large school (~800,000 marks)."""

    def test_period_marks(self, school: SyntheticSchool, data: Dataset) -> None:
        """R2.2j: every bulk proposal equals propose_period_marks over the whole school."""
        policy = default_profile().grading
        schemes = {
            str(parallel): [PeriodSpan.of(period) for period in plan]
            for parallel, plan in school.periods_by_parallel.items()
        }
        parallel = {c.id: c.parallel for c in school.classes}
        scheme_of = {m.student_id: str(parallel[m.class_id]) for m in school.memberships}
        expected = propose_period_marks(school.marks, schemes, policy, scheme_of=scheme_of)
        rows = period_marks(data, policy).to_pyarrow().to_pylist()
        bulk = {(r["student_id"], r["subject_id"], r["period"]): bulk_row(r) for r in rows}
        assert len(bulk) == len(expected) > 50_000
        assert bulk == {tuple(key): proposal_row(value) for key, value in expected.items()}

    def test_late_marks(self, school: SyntheticSchool, data: Dataset) -> None:
        """R8.6: the bulk late marks are the marks the per-mark rule finds late, as planted."""
        bulk = set(late_marks(data, deadlines=DEADLINES).to_pyarrow().column("id").to_pylist())
        expected = {mark.id for mark in school.marks if is_late_r86(mark)}
        assert bulk == expected
        assert len(bulk) == school.stats.marks_late

    def test_timeliness_totals(self, school: SyntheticSchool, data: Dataset) -> None:
        """R8.6: per teacher, class and month, the counts add up to the planted figures."""
        table = timeliness(data, deadlines=DEADLINES).to_pyarrow()
        assert sum(table.column("marks").to_pylist()) == school.stats.marks
        assert sum(table.column("late").to_pylist()) == school.stats.marks_late
        assert (
            sum(table.column("excused").to_pylist())
            == school.stats.marks_late_with_valid_reason_in_time
        )

    def test_late_marks_equal_compliance_checker(
        self, school: SyntheticSchool, data: Dataset
    ) -> None:
        """R8.6: the bulk late marks are the deadlines module's late-mark findings, mark by mark."""
        profile = default_profile()
        rules = [rule for rule in profile.deadlines.rules if rule.id == "journal.marks"]
        year = standard_year(school.year, profile.calendar)
        checker = ComplianceChecker(rules, ProductionCalendar(), year=year)
        report = checker.check(
            ComplianceData(
                year_data=SchoolYearData(
                    year=year, school=school.school, lessons=school.lessons, marks=school.marks
                )
            ),
            dt.date(2026, 8, 31),
        )
        findings = {f.entity_id for f in report.violations if f.rule_id == "journal.marks"}
        bulk = set(late_marks(data, deadlines=DEADLINES).to_pyarrow().column("id").to_pylist())
        assert bulk == findings
