"""Period, annual and final marks and deviations (R2.2j, R8.4.1, R8.9, R8.10)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.errors import ValidationError
from eschool_core.grading import (
    PeriodKey,
    PeriodSpan,
    RoundingPolicy,
    check_deviation,
    find_deviations,
    propose_annual_mark,
    propose_final_mark_basic,
    propose_final_mark_secondary,
    propose_period_mark,
    propose_period_marks,
)
from eschool_core.ids import AttestationMarkId, EmployeeId, StudentId, SubjectId
from eschool_core.journal import AttestationKind, AttestationMark, Mark, MarkValue
from tests._grading_support import ENTERED, START, current_marks, mark, policy

Q1 = PeriodSpan(key="Q1", start=START, end=START + dt.timedelta(days=55), kind="quarter")
Q2 = PeriodSpan(
    key="Q2",
    start=START + dt.timedelta(days=65),
    end=START + dt.timedelta(days=119),
    kind="quarter",
)


def set_mark(value: str, *, period: str | None = "Q1", kind: str = "period") -> AttestationMark:
    return AttestationMark(
        id=AttestationMarkId("a1"),
        student_id=StudentId("s1"),
        subject_id=SubjectId("math"),
        year="2025/2026",
        kind=AttestationKind(kind),
        period=period,
        value=value,
        author_id=EmployeeId("t1"),
        entered_at=ENTERED,
    )


class TestPeriodMark:
    def test_worked_example(self) -> None:
        """R2.2j: 5 (w 2), 4, 5 → 19/4 → a period mark of 5."""
        proposal = propose_period_mark([mark(5, weight=2), mark(4), mark(5)], policy())
        assert (proposal.value, proposal.average, proposal.count) == (
            MarkValue.of(5),
            Fraction(19, 4),
            3,
        )

    def test_exactly_at_threshold(self) -> None:
        """R2.2j: an average of exactly 4.65 is a 5 under the .65 scheme, 4.64 is a 4."""
        strict = policy(period_rounding=RoundingPolicy.fraction("0.65"))
        at = [mark(5)] * 13 + [mark(4)] * 7
        below = [mark(5)] * 16 + [mark(4)] * 9
        assert propose_period_mark(at, strict).average == Fraction("4.65")
        assert propose_period_mark(at, strict).value == MarkValue.of(5)
        assert propose_period_mark(below, strict).average == Fraction("4.64")
        assert propose_period_mark(below, strict).value == MarkValue.of(4)
        assert propose_period_mark(below, policy()).value == MarkValue.of(5)

    def test_exactly_half(self) -> None:
        """R2.2j: an average of exactly 4.5 is a 5 under half-up, a 4 under .65."""
        marks = [mark(5), mark(4)]
        assert propose_period_mark(marks, policy()).value == MarkValue.of(5)
        strict = policy(period_rounding=RoundingPolicy.fraction("0.65"))
        assert propose_period_mark(marks, strict).value == MarkValue.of(4)

    def test_too_few_marks(self) -> None:
        """R2.2j: below the minimum number of marks the proposal is «н/а»."""
        proposal = propose_period_mark([mark(5), mark(5)], policy(min_current_marks=3))
        assert str(proposal.value) == "н/а"
        assert proposal.average == 5

    def test_exempt_only(self) -> None:
        """R8.2: a student with only «осв» marks gets «осв» proposed."""
        assert str(propose_period_mark([mark("осв")], policy()).value) == "осв"

    def test_pass_fail_only(self) -> None:
        """R8.2: only pass/fail marks give no numeric proposal."""
        assert propose_period_mark([mark("зач")], policy()).value is None

    def test_no_marks(self) -> None:
        """R2.2j: no marks at all give «н/а»."""
        assert str(propose_period_mark([], policy()).value) == "н/а"

    def test_half_year_minimum(self) -> None:
        """R2.2j: the minimum of marks follows the period kind."""
        rules = policy(min_current_marks=3, min_current_marks_by_kind={"half_year": 5})
        marks = [mark(4)] * 4
        assert propose_period_mark(marks, rules).value == MarkValue.of(4)
        assert str(propose_period_mark(marks, rules, period_kind="half_year").value) == "н/а"


class TestBulkProposals:
    @given(st.lists(current_marks(), max_size=60), st.integers(min_value=0, max_value=4))
    def test_bulk_equals_per_object(self, marks: list[Mark], minimum: int) -> None:
        """R2.2j: the one-pass bulk proposal equals the per-group proposal."""
        rules = policy(min_current_marks=minimum)
        bulk = propose_period_marks(marks, [Q1, Q2], rules)
        groups: dict[PeriodKey, list[Mark]] = {}
        for item in marks:
            span = next((s for s in (Q1, Q2) if s.start <= item.date <= s.end), None)
            if span is not None:
                key = PeriodKey(item.student_id, item.subject_id, span.key)
                groups.setdefault(key, []).append(item)
        assert set(bulk) == set(groups)
        for key, items in groups.items():
            assert bulk[key] == propose_period_mark(items, rules, period_kind="quarter")

    def test_mixed_denominators(self) -> None:
        """R2.2j: own weights with new denominators rescale the integer sums exactly."""
        marks = [mark(5), mark(3, weight="1/2"), mark(4, weight="5/3"), mark(2, work_type="essay")]
        bulk = propose_period_marks(marks, [Q1], policy())
        assert bulk[PeriodKey(StudentId("s1"), SubjectId("math"), "Q1")].average == weighted(marks)

    def test_unknown_work_type(self) -> None:
        """R2.2j: the bulk path rejects unknown work types and out-of-range weights."""
        with pytest.raises(ValidationError):
            propose_period_marks([mark(5, work_type="quiz")], [Q1], policy())
        with pytest.raises(ValidationError):
            propose_period_marks([mark(5, weight=9)], [Q1], policy())

    def test_overlap(self) -> None:
        """R2.2j: overlapping periods are rejected."""
        other = PeriodSpan(key="X", start=Q1.end, end=Q1.end + dt.timedelta(days=3))
        with pytest.raises(ValidationError) as caught:
            propose_period_marks([], [Q1, other], policy())
        assert caught.value.code == "grading.periods_overlap"

    def test_bad_span(self) -> None:
        """R2.2j: a period cannot end before it starts."""
        with pytest.raises(ValidationError):
            PeriodSpan(key="Q", start=START, end=START - dt.timedelta(days=1))

    def test_periods_by_scheme(self) -> None:
        """R2.2j: quarters for one student and half-years for another, in one pass."""
        h1 = PeriodSpan(key="H1", start=START, end=Q2.end, kind="half_year")
        marks = [
            mark(5, student="s1"),
            mark(4, student="s1", on=Q2.start),
            mark(3, student="s2"),
            mark(4, student="s2", on=Q2.start),
        ]
        schemes = {"quarters": [Q1, Q2], "halves": [h1]}
        scheme_of = {StudentId("s1"): "quarters", StudentId("s2"): "halves"}
        bulk = propose_period_marks(marks, schemes, policy(), scheme_of=scheme_of)
        assert set(bulk) == {
            PeriodKey(StudentId("s1"), SubjectId("math"), "Q1"),
            PeriodKey(StudentId("s1"), SubjectId("math"), "Q2"),
            PeriodKey(StudentId("s2"), SubjectId("math"), "H1"),
        }
        assert bulk[PeriodKey(StudentId("s2"), SubjectId("math"), "H1")].average == Fraction(7, 2)

    def test_scheme_errors(self) -> None:
        """R2.2j: periods by scheme need every student's scheme and one kind per code."""
        schemes = {"quarters": [Q1, Q2]}
        with pytest.raises(ValidationError) as caught:
            propose_period_marks([mark(5)], schemes, policy())
        assert caught.value.code == "grading.scheme_required"
        with pytest.raises(ValidationError) as caught:
            propose_period_marks([mark(5, student="s9")], schemes, policy(), scheme_of={})
        assert caught.value.code == "grading.scheme_required"
        clash = PeriodSpan(key="Q1", start=Q1.start, end=Q1.end, kind="trimester")
        with pytest.raises(ValidationError) as caught:
            propose_period_marks([], {"a": [Q1], "b": [clash]}, policy(), scheme_of={})
        assert caught.value.code == "grading.period_kind_clash"

    def test_outside_periods_ignored(self) -> None:
        """R2.2j: marks in the vacation between periods belong to no period."""
        gap = START + dt.timedelta(days=60)
        assert propose_period_marks([mark(5, on=gap)], [Q1, Q2], policy()) == {}


def weighted(marks: list[Mark]) -> Fraction:
    rules = policy()
    total = sum(
        (item.value.score or 0) * rules.weight_of(item.work_type, item.weight) for item in marks
    )
    return Fraction(total) / sum(rules.weight_of(i.work_type, i.weight) for i in marks)


class TestAnnualMark:
    def test_in_favour_of_student(self) -> None:
        """R8.4.1: an annual average exactly between two marks goes up (4, 5, 4, 5 → 5)."""
        proposal = propose_annual_mark([4, 5, 4, 5], policy())
        assert (proposal.value, proposal.average) == (MarkValue.of(5), Fraction(9, 2))

    def test_below_half(self) -> None:
        """R8.4.1: 4, 4, 4, 5 → 4.25 → 4."""
        assert propose_annual_mark([4, 4, 4, 5], policy()).value == MarkValue.of(4)

    def test_halves(self) -> None:
        """R8.4.1: two half-year marks 3 and 4 give 4 (in favour of the student)."""
        assert propose_annual_mark([3, 4], policy()).value == MarkValue.of(4)

    def test_special_periods(self) -> None:
        """R8.2: «осв» periods are left out; any «н/а» gives «н/а»; pass/fail give «зач»/«незач»."""
        exempt = MarkValue.parse("осв")
        assert propose_annual_mark([exempt, 4, 5], policy()).value == MarkValue.of(5)
        assert str(propose_annual_mark([exempt, exempt], policy()).value) == "осв"
        assert str(propose_annual_mark([MarkValue.parse("н/а"), 5], policy()).value) == "н/а"
        passed, failed = MarkValue.parse("зач"), MarkValue.parse("незач")
        assert str(propose_annual_mark([passed, passed], policy()).value) == "зач"
        assert str(propose_annual_mark([passed, failed], policy()).value) == "незач"

    def test_bad_input(self) -> None:
        """R8.4.1: no marks, or scores mixed with pass/fail, are typed errors."""
        with pytest.raises(ValidationError):
            propose_annual_mark([], policy())
        with pytest.raises(ValidationError) as caught:
            propose_annual_mark([MarkValue.parse("зач"), 4], policy())
        assert caught.value.code == "grading.mixed_marks"
        with pytest.raises(ValidationError):
            propose_annual_mark([6], policy())


class TestFinalMark:
    @pytest.mark.parametrize(
        ("annual", "exam", "expected"), [(4, 5, 5), (4, 3, 4), (3, 3, 3), (5, 2, 4), (4, None, 4)]
    )
    def test_grade_nine(self, annual: int, exam: int | None, expected: int) -> None:
        """R8.4.1: grade 9: the mean of annual and exam marks, a half rounded up."""
        assert propose_final_mark_basic(annual, exam, policy()).value == MarkValue.of(expected)

    def test_grade_nine_special_exam(self) -> None:
        """R8.4.1: a special mark as the exam mark is a typed error."""
        with pytest.raises(ValidationError) as caught:
            propose_final_mark_basic(4, MarkValue.parse("н/а"), policy())
        assert caught.value.code == "grading.score_required"

    def test_grade_eleven(self) -> None:
        """R8.4.1: grade 11: the mean of half-year and annual marks of grades 10-11."""
        proposal = propose_final_mark_secondary([4, 4, 4, 5, 5, 5], policy())
        assert (proposal.value, proposal.average) == (MarkValue.of(5), Fraction(9, 2))
        assert propose_final_mark_secondary([4, 4, 5, 4, 5, 4], policy()).value == MarkValue.of(4)
        with pytest.raises(ValidationError):
            propose_final_mark_secondary([], policy())


class TestDeviation:
    def test_deviation_is_a_finding(self) -> None:
        """R8.10: a set mark differing from the proposal is a typed finding citing 8.10."""
        found = check_deviation(set_mark("3"), MarkValue.of(4), policy())
        assert found is not None
        assert (found.clause, found.requirement, found.difference) == ("8.10", "R8.10", -1)
        assert found.to_dict()["details"]["proposed"] == "4"
        assert found.to_dict()["code"] == "grading.mark_deviation"
        assert "8.10" in found.message.ru
        assert "8.10" in found.message.en

    def test_allowed_deviation(self) -> None:
        """R8.10: a difference within the allowed deviation is no finding."""
        assert check_deviation(set_mark("3"), MarkValue.of(4), policy(allowed_deviation=1)) is None
        assert check_deviation(set_mark("4"), MarkValue.of(4), policy()) is None
        assert check_deviation(set_mark("4"), None, policy()) is None

    def test_special_versus_score(self) -> None:
        """R8.10: «н/а» set where a score is proposed is always a finding."""
        found = check_deviation(set_mark("н/а"), MarkValue.of(3), policy(allowed_deviation=4))
        assert found is not None
        assert found.difference is None

    def test_find_deviations_in_bulk(self) -> None:
        """R8.10: set period marks are compared with the bulk proposals."""
        marks = [mark(5), mark(5), mark(4)]
        proposals = propose_period_marks(marks, [Q1], policy())
        annual = set_mark("3", period=None, kind="annual")
        found = find_deviations(
            [set_mark("3"), set_mark("5", period="Q2"), annual], proposals, policy()
        )
        assert [(d.period, str(d.proposed), str(d.set)) for d in found] == [("Q1", "5", "3")]
