"""Results that fit a notebook: pandas, Arrow, HTML display, names, one unit, Figures (R11.1)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from eschool_core.analytics import Dataset, analyze
from eschool_core.deadlines import ComplianceChecker, ComplianceData
from eschool_core.profiles import default_profile
from eschool_core.reports import ReportData, ReportParams, run_report
from eschool_core.synth import SyntheticSchool, academic_year_of, generate
from eschool_core.year_data import SchoolYearData
from tests.rules_helpers import synthetic_rules

MOMENT = dt.datetime(2025, 12, 29, 13, 21, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def school() -> SyntheticSchool:
    return generate("small", seed=4)


@pytest.fixture(scope="module")
def data(school: SyntheticSchool) -> ReportData:
    return ReportData.from_synthetic(school, synthetic_rules(school))


class TestReportFrames:
    def test_to_pandas_and_arrow(self, data: ReportData) -> None:
        """R11.1: a report becomes a typed DataFrame: shares as floats 0..1, counts as ints."""
        report = run_report(
            "class_period_results",
            data,
            ReportParams(class_id="5А", period="Q2"),
            generated_at=MOMENT,
        )
        frame = report.to_pandas()
        assert list(frame.columns) == [c.code for c in report.columns]
        assert len(frame) == len(report.rows)
        quality = report.rows[0][report.index("quality")]
        assert isinstance(quality, Fraction)
        assert frame["quality"].iloc[0] == pytest.approx(float(quality))
        assert str(frame["students"].dtype) == "int64"
        table = report.to_arrow(totals=True)
        assert table.num_rows == len(report.rows) + 1
        assert str(table.schema.field("average").type) == "double"
        assert list(report.to_pandas(headings=True).columns) == report.headings()

    def test_html_display(self, data: ReportData) -> None:
        """R11.1: a report shows itself as an HTML table with its title and a bold totals row."""
        report = run_report("class_occupancy", data, generated_at=MOMENT)
        shown = report._repr_html_()
        assert report.title_ru in shown
        assert "<b>" in shown.rsplit("<tr>", 1)[1]
        assert all(heading in shown for heading in report.headings())


class TestComplianceFrames:
    def test_findings_as_a_frame(self, school: SyntheticSchool) -> None:
        """R8.6: the deadline checker's findings become a DataFrame, one row per finding."""
        profile = default_profile()
        year = academic_year_of(school)
        checker = ComplianceChecker(
            profile.deadlines.rules, year.production, year=year, time_zone=profile.time_zone
        )
        report = checker.check(
            ComplianceData(
                year_data=SchoolYearData(
                    year=year,
                    school=school.school,
                    classes=school.classes,
                    memberships=school.memberships,
                    lessons=school.lessons,
                    marks=school.marks,
                )
            ),
            dt.date(2025, 12, 29),
        )
        frame = report.to_pandas()
        assert len(frame) == len(report.findings)
        assert {"rule_id", "clause", "due", "late_days", "status"} <= set(frame.columns)
        assert set(frame["status"]) <= {"late", "missing", "not_yet_due", "on_time"}
        assert str(frame["late_days"].dtype) == "int64"
        shown = report._repr_html_()
        assert next(iter(report.by_rule())) in shown


class TestAnalyticsResults:
    def test_names_units_and_figure(self, school: SyntheticSchool, tmp_path: Path) -> None:
        """R11.1, R2.2k: results carry names beside ids, shares 0..1 (СОУ too), and a Figure."""
        from matplotlib.figure import Figure

        dataset = Dataset.from_school(school)
        rules = synthetic_rules(school)
        quality = analyze(dataset, "quality", rules)
        frame = quality.to_pandas()
        names = {c.id: c.name for c in school.classes}
        assert all(
            names[i] == n for i, n in zip(frame["class_id"], frame["class_name"], strict=True)
        )
        subjects = {s.id: s.name for s in school.subjects}
        assert all(
            subjects[i] == n
            for i, n in zip(frame["subject_id"], frame["subject_name"], strict=True)
        )
        for row in quality.to_pandas().itertuples():
            if row.scored:
                assert row.sou == pytest.approx(row.sou_points / (100 * row.scored))
                assert 0 <= row.sou <= 1
                assert 0 <= row.quality <= 1
        assert quality.title() in quality._repr_html_()
        timeliness = analyze(dataset, "timeliness", rules)
        figure = timeliness.plot()
        assert isinstance(figure, Figure)
        target = tmp_path / "late.png"
        assert isinstance(timeliness.plot(target), Figure)
        assert target.read_bytes()[:4] == b"\x89PNG"

    def test_with_names_for_people(self, school: SyntheticSchool) -> None:
        """R11.1: a notebook adds student names, which the analytics schema does not hold."""
        marks = analyze(Dataset.from_school(school), "period-marks", synthetic_rules(school))
        people = {str(s.id): s.person.full_name for s in school.students}
        named = marks.with_names({"student_id": people})
        columns = named.columns
        assert columns[columns.index("student_id") + 1] == "student_name"
        row = named.rows()[0]
        assert row["student_name"] == people[str(row["student_id"])]
