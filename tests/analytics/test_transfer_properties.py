"""Bulk on DuckDB = per object, with transfers mid-period and a school's own profile.

The profile is not the default: 0.65 rounding, other work-type weights, another R8.6
extension (tests/profile_variants.py). Spark runs the same comparison (test_spark.py).
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings

from eschool_core.analytics import (
    Dataset,
    class_statistics,
    completeness,
    period_marks,
    timeliness,
)
from eschool_core.grading import mark_statistics
from eschool_core.reports import ReportData
from eschool_core.synth import generate
from tests.analytics.helpers import TinySchool
from tests.analytics.schools import (
    bulk_class_statistics,
    bulk_completeness,
    bulk_period_marks,
    bulk_timeliness,
    expected_class_statistics,
    expected_completeness,
    expected_period_marks,
    expected_timeliness,
    journal_schools,
    proposed_values,
)
from tests.profile_variants import variant_profile
from tests.rules_helpers import synthetic_rules

_PROFILE = variant_profile()
_POLICY = _PROFILE.grading
_DEADLINES = _PROFILE.deadlines.entry_deadlines


class TestTransfersAndAnotherProfile:
    """Every bulk figure equals the per-object one when students change class mid-period."""

    @settings(max_examples=15)
    @given(school=journal_schools())
    def test_period_marks(self, school: TinySchool) -> None:
        """R2.2j: the proposals of moved students equal propose_period_marks, 0.65 rounding."""
        data = Dataset.from_arrow(school.tables())
        assert bulk_period_marks(period_marks(data, _POLICY)) == expected_period_marks(
            school, _POLICY
        )

    @settings(max_examples=15)
    @given(school=journal_schools())
    def test_class_statistics(self, school: TinySchool) -> None:
        """R2.2k: set period marks count in the class each student is in at the period's end."""
        data = Dataset.from_arrow(school.tables())
        assert bulk_class_statistics(class_statistics(data)) == expected_class_statistics(school)

    @settings(max_examples=15)
    @given(school=journal_schools())
    def test_quality_of_the_proposals(self, school: TinySchool) -> None:
        """R2.2k, R2.2j: the statistics of the proposals equal mark_statistics of the rosters."""
        data = Dataset.from_arrow(school.tables())
        proposals = proposed_values(expected_period_marks(school, _POLICY))
        bulk = bulk_class_statistics(class_statistics(data, period_marks(data, _POLICY)))
        assert bulk == expected_class_statistics(school, proposals)

    @settings(max_examples=15)
    @given(school=journal_schools())
    def test_timeliness(self, school: TinySchool) -> None:
        """R8.6: marks count for the class of their day; the profile's 5-day extension holds."""
        data = Dataset.from_arrow(school.tables())
        bulk = bulk_timeliness(timeliness(data, deadlines=_DEADLINES))
        assert bulk == expected_timeliness(school, _DEADLINES)

    @settings(max_examples=15)
    @given(school=journal_schools())
    def test_completeness(self, school: TinySchool) -> None:
        """R8.10: held, cancelled and incomplete lessons per class, subject, teacher, month."""
        data = Dataset.from_arrow(school.tables())
        assert bulk_completeness(completeness(data)) == expected_completeness(school)


class TestSyntheticSchoolWithTransfers:
    """On a generated school, whose year has transfers, bulk statistics equal the reports'."""

    def test_class_statistics_equal_the_reports_rosters(self) -> None:
        """R2.2k: each class's figures are mark_statistics of its roster at the period's end."""
        school = generate("small", seed=5)
        view = ReportData.from_synthetic(school, synthetic_rules(school))
        rows = class_statistics(Dataset.from_school(school)).to_pyarrow().to_pylist()
        bulk = {(r["class_id"], r["subject_id"], r["period"]): r for r in rows}
        expected = {}
        moved_out = 0
        for school_class in view.classes:
            for span in view.periods[school_class.parallel]:
                roster = view.roster(school_class.id, span.end)
                moved_out += len(
                    {
                        m.student_id
                        for m in school.memberships
                        if m.class_id == school_class.id
                        and m.since <= span.end
                        and m.until is not None
                        and span.start <= m.until < span.end
                    }
                    - set(roster)
                )
                marks = {s: view.attestation_of(s, span.key) for s in roster}
                for subject in {subject for own in marks.values() for subject in own}:
                    stats = mark_statistics(
                        [m.value if (m := marks[s].get(subject)) else None for s in roster]
                    )
                    expected[(school_class.id, subject, span.key)] = stats
        assert moved_out > 0, "no student left a class during a period: nothing is tested"
        assert set(bulk) == set(expected)
        for key, stats in expected.items():
            row = bulk[key]
            assert (row["students"], row["without_marks"], row["considered"]) == (
                stats.students,
                stats.without_marks,
                stats.considered,
            ), key
            assert Fraction(row["quality_count"], row["scored"] or 1) == (stats.quality or 0), key
