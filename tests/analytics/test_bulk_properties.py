"""Bulk rules on DuckDB equal the per-object API on random tiny schools (R2.2j, R2.2k, R8.6)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.analytics import Dataset, class_statistics, late_marks, period_marks
from eschool_core.grading import (
    GradingPolicy,
    PeriodSpan,
    RoundingPolicy,
    WorkType,
    mark_statistics,
    propose_period_marks,
)
from eschool_core.journal import AttestationKind, AttestationMark, Mark, MarkValue
from tests.analytics.helpers import (
    FIRST_DAY,
    PERIODS,
    TinySchool,
    bulk_row,
    is_late_r86,
    proposal_row,
    schemes,
)
from tests.rules_helpers import DEADLINES

_VALUES = ["1", "2", "3", "4", "5", "5", "4", "3", "н/а", "осв", "зач", "незач"]
_WEIGHTS = [Fraction(1, 2), Fraction(2, 3), Fraction(1), Fraction(3, 2), Fraction(2), Fraction(5)]
_REASONS = [None, None, "болезнь учителя"]


@st.composite
def policies(draw: st.DrawFn) -> GradingPolicy:
    """Random grading policies: weights, rounding scheme, minimum marks per period kind."""
    weights = draw(st.lists(st.sampled_from(_WEIGHTS), min_size=3, max_size=3))
    rounding = draw(
        st.sampled_from(
            [
                RoundingPolicy.half_up(),
                RoundingPolicy.fraction("0.65"),
                RoundingPolicy.fraction(Fraction(1, 3)),
                RoundingPolicy.custom({2: "1.6", 3: "2.6", 4: "3.6", 5: "4.6"}),
            ]
        )
    )
    return GradingPolicy(
        work_types=tuple(
            WorkType(code=code, name_ru=code, name_en=code, weight=weight)
            for code, weight in zip(("answer", "test", "homework"), weights, strict=True)
        ),
        period_rounding=rounding,
        min_current_marks=draw(st.integers(0, 3)),
        min_current_marks_by_kind=draw(
            st.sampled_from([{}, {"half_year": 4}, {"quarter": 2, "half_year": 1}])
        ),
    )


@st.composite
def tiny_schools(draw: st.DrawFn) -> TinySchool:
    """Random tiny schools: 1-5 students in grades 5 and 10, marks entered on time or late.

    Some grade-5 students move from 5А to 5Б on a day of the data, in the middle of a
    period or on its first or last day.
    """
    count = draw(st.integers(1, 5))
    class_of = {f"st{i}": draw(st.sampled_from([5, 10])) for i in range(count)}
    students = sorted(class_of)
    moved_on = {
        student: FIRST_DAY + dt.timedelta(days=draw(st.integers(0, 34)))
        for student in students
        if class_of[student] == 5 and draw(st.booleans())
    }
    marks = []
    for index in range(draw(st.integers(0, 40))):
        day = FIRST_DAY + dt.timedelta(days=draw(st.integers(0, 34)))
        minutes = draw(st.integers(-600, 6 * 24 * 60))
        entered = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) + dt.timedelta(
            minutes=minutes
        )
        marks.append(
            Mark(
                id=f"mk{index}",
                student_id=draw(st.sampled_from(students)),
                subject_id=draw(st.sampled_from(["math", "rus"])),
                date=day,
                value=draw(st.sampled_from(_VALUES)),
                work_type=draw(st.sampled_from(["answer", "test", "homework"])),
                weight=draw(st.sampled_from([None, None, None, *_WEIGHTS])),
                author_id=draw(st.sampled_from(["t1", "t2"])),
                entered_at=entered,
                late_reason=draw(st.sampled_from(_REASONS)),
            )
        )
    attestation = []
    for student in students:
        for subject in ("math", "rus"):
            for span in PERIODS[class_of[student]]:
                value = draw(st.sampled_from([None, *_VALUES]))
                if value is None:
                    continue
                attestation.append(
                    AttestationMark(
                        id=f"am-{student}-{subject}-{span.key}",
                        student_id=student,
                        subject_id=subject,
                        year="2025/2026",
                        kind=AttestationKind.PERIOD,
                        period=span.key,
                        value=value,
                        author_id="t1",
                        entered_at=dt.datetime(2025, 10, 1, tzinfo=dt.UTC),
                    )
                )
    return TinySchool(class_of=class_of, marks=marks, attestation=attestation, moved_on=moved_on)


def _span(parallel: int, code: str) -> PeriodSpan:
    """The study period ``code`` of a parallel."""
    return next(span for span in PERIODS[parallel] if span.key == code)


class TestBulkEqualsPerObject:
    """The bulk path on DuckDB gives exactly the per-object results."""

    @settings(max_examples=15)
    @given(school=tiny_schools(), policy=policies())
    def test_period_marks(self, school: TinySchool, policy: GradingPolicy) -> None:
        """R2.2j: every bulk period-mark proposal equals propose_period_marks, key by key."""
        expected = propose_period_marks(
            school.marks, schemes(), policy, scheme_of=school.scheme_of()
        )
        data = Dataset.from_arrow(school.tables())
        rows = period_marks(data, policy).to_pyarrow().to_pylist()
        bulk = {(r["student_id"], r["subject_id"], r["period"]): bulk_row(r) for r in rows}
        assert bulk == {tuple(key): proposal_row(value) for key, value in expected.items()}

    @settings(max_examples=15)
    @given(school=tiny_schools())
    def test_late_marks(self, school: TinySchool) -> None:
        """R8.6: the bulk late marks are exactly the marks the per-mark rule finds late."""
        data = Dataset.from_arrow(school.tables())
        bulk = set(late_marks(data, deadlines=DEADLINES).to_pyarrow().column("id").to_pylist())
        assert bulk == {mark.id for mark in school.marks if is_late_r86(mark)}

    @settings(max_examples=15)
    @given(school=tiny_schools())
    def test_class_statistics(self, school: TinySchool) -> None:
        """R2.2k: the figures per class, subject and period equal mark_statistics of its roster.

        The roster is the class's students on the period's last day, as in the reports.
        """
        data = Dataset.from_arrow(school.tables())
        rows = class_statistics(data).to_pyarrow().to_pylist()
        keys = set()
        for m in school.attestation:
            span = _span(school.class_of[m.student_id], m.period)
            class_id = school.class_on(m.student_id, span.end)
            if class_id is not None:
                keys.add((m.subject_id, m.period, class_id))
        assert {(r["subject_id"], r["period"], r["class_id"]) for r in rows} == keys
        assert len(rows) == len(keys)
        for row in rows:
            parallel = 10 if row["class_id"] == "c10" else 5
            roster = school.roster(row["class_id"], _span(parallel, row["period"]).end)
            given_marks: dict[str, MarkValue] = {
                m.student_id: m.value
                for m in school.attestation
                if m.subject_id == row["subject_id"] and m.period == row["period"]
            }
            stats = mark_statistics([given_marks.get(student) for student in roster])
            assert row["students"] == stats.students
            assert row["without_marks"] == stats.without_marks
            assert row["considered"] == stats.considered
            assert row["scored"] == stats.scored
            exact = {
                "success_rate": (row["succeeding"], row["considered"]),
                "quality": (row["quality_count"], row["scored"]),
                "sou": (row["sou_points"], row["scored"]),
                "average": (row["score_sum"], row["score_count"]),
            }
            for name, (part, whole) in exact.items():
                assert (Fraction(part, whole) if whole else None) == getattr(stats, name)


class TestValidation:
    """The bulk path rejects what the per-object API rejects."""

    def test_unknown_work_type(self) -> None:
        """R2.2j: a mark of an unknown work type is the per-object API's ValidationError."""
        import pytest

        from eschool_core.errors import ValidationError

        mark = Mark(
            id="m1",
            student_id="st0",
            subject_id="math",
            date=FIRST_DAY,
            value=MarkValue.of(5),
            work_type="quiz",
            author_id="t1",
            entered_at=dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC),
        )
        data = Dataset.from_arrow(TinySchool(class_of={"st0": 5}, marks=[mark]).tables())
        with pytest.raises(ValidationError) as caught:
            period_marks(data, GradingPolicy.default())
        assert caught.value.code == "grading.unknown_work_type"


class TestTransfers:
    """A student moved between classes in the middle of a period counts where he ends it."""

    def test_class_statistics_count_the_roster_on_the_period_end(self) -> None:
        """R2.2k: a student moved from 5А to 5Б in Q2 is 5А's in Q1 and 5Б's in Q2, not both."""
        moved_on = dt.date(2025, 9, 22)  # in Q2 (16-30 September)
        attestation = [
            AttestationMark(
                id=f"am-{student}-{period}",
                student_id=student,
                subject_id="art",
                year="2025/2026",
                kind=AttestationKind.PERIOD,
                period=period,
                value=MarkValue.of(score),
                author_id="t1",
                entered_at=dt.datetime(2025, 10, 1, tzinfo=dt.UTC),
            )
            for student, score in (("st0", 5), ("st1", 3), ("st2", 4))
            for period in ("Q1", "Q2")
        ]
        school = TinySchool(
            class_of={"st0": 5, "st1": 5, "st2": 5},
            marks=[],
            attestation=attestation,
            moved_on={"st0": moved_on},
        )
        rows = class_statistics(Dataset.from_arrow(school.tables())).to_pyarrow().to_pylist()
        figures = {
            (r["class_id"], r["period"]): (r["students"], r["considered"], r["quality_count"])
            for r in rows
        }
        assert figures == {
            ("c5", "Q1"): (3, 3, 2),
            ("c5", "Q2"): (2, 2, 1),
            ("c5b", "Q2"): (1, 1, 1),
        }
