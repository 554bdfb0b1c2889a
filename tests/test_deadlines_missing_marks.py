"""Attestation marks never set: findings per student, subject and mark due (R8.9, R8.10)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core import synth
from eschool_core.calendar import AcademicYear
from eschool_core.curriculum import Curriculum, SubjectHours
from eschool_core.deadlines import (
    AttestationExemption,
    ComplianceData,
    ExamSession,
    FindingStatus,
    ResponsibleRole,
    Severity,
)
from eschool_core.journal import FINAL_MARK_PARALLELS, AttestationKind, AttestationMark
from eschool_core.profiles import default_profile, rules_for
from eschool_core.school import ClassMembership, Group, SchoolClass, TeachingAssignment
from tests.deadline_helpers import CLASS, MEMBERSHIP, at, check, half_year

_RULE = "journal.attestation"
_YEAR = "2025/2026"


def _curriculum(*subjects: str, class_id: str = "5a", **row: Any) -> Curriculum:
    return Curriculum(
        id="up",
        year=_YEAR,
        hours=[
            SubjectHours(class_id=class_id, subject_id=s, component="mandatory", hours=2, **row)
            for s in subjects
        ],
    )


def _mark(subject: str = "math", student: str = "s1", **fields: Any) -> AttestationMark:
    base: dict[str, Any] = {
        "id": f"am-{student}-{subject}-{fields.get('period', 'H1')}-{fields.get('kind', 'p')}",
        "student_id": student,
        "subject_id": subject,
        "year": _YEAR,
        "kind": "period",
        "period": "H1",
        "value": 4,
        "author_id": "t1",
        "entered_at": at(date(2025, 12, 30)),
    }
    base.update(fields)
    return AttestationMark(**base)


def _missing(as_of: date, **fields: Any) -> list[str]:
    report = check(as_of, _RULE, **fields)
    return sorted(f.entity_id for f in report.findings if f.done is None)


_ASSIGN = TeachingAssignment(
    id="a1", teacher_id="t-rus", year=_YEAR, subject_id="rus", class_id="5a"
)


class TestMissingPeriodMarks:
    def test_a_subject_without_a_period_mark_is_missing(self) -> None:
        """R8.9: a student in the class at the period's end without its mark gets a finding."""
        report = check(
            date(2026, 1, 10),
            _RULE,
            curricula=[_curriculum("math", "rus")],
            attestation_marks=[_mark("math")],
            assignments=[_ASSIGN],
        )
        [finding] = report.findings
        assert finding.entity_id == "s1:rus:2025/2026:period:H1"
        assert finding.status is FindingStatus.MISSING
        assert finding.due == date(2025, 12, 31)
        assert finding.role is ResponsibleRole.SUBJECT_TEACHER
        assert finding.person_id == "t-rus"
        assert finding.class_id == "5a"
        assert finding.severity is Severity.ERROR
        assert "п. 8.9" in finding.message.ru

    def test_on_the_due_day_it_is_not_yet_due(self) -> None:
        """R8.9: on the period's last day the mark is still due, not missing."""
        report = check(date(2025, 12, 31), _RULE, curricula=[_curriculum("math")])
        [finding] = report.findings
        assert finding.status is FindingStatus.NOT_YET_DUE
        assert finding.severity is Severity.INFO

    def test_before_the_period_ends_nothing_is_owed(self) -> None:
        """R8.9: a period still running owes no marks."""
        assert _missing(date(2025, 12, 30), curricula=[_curriculum("math")]) == []

    def test_only_students_in_the_class_on_the_day(self) -> None:
        """R8.9: who left before the period's end owes nothing; who joined before it owes."""
        left = ClassMembership(
            id="ms2",
            student_id="s2",
            class_id="5a",
            since=date(2025, 9, 1),
            until=date(2025, 12, 1),
        )
        joined = ClassMembership(id="ms3", student_id="s3", class_id="5a", since=date(2025, 12, 20))
        found = _missing(
            date(2026, 1, 10),
            curricula=[_curriculum("math")],
            memberships=[MEMBERSHIP, left, joined],
            attestation_marks=[_mark("math")],
        )
        assert found == ["s3:math:2025/2026:period:H1"]

    def test_special_marks_count_as_set(self) -> None:
        """R8.9: «осв» and «н/а» are marks: the duty is done."""
        marks = [_mark("math", value="осв"), _mark("rus", value="н/а")]
        assert (
            _missing(
                date(2026, 1, 10), curricula=[_curriculum("math", "rus")], attestation_marks=marks
            )
            == []
        )

    def test_an_exempted_subject_owes_nothing(self) -> None:
        """R8.9: a subject the student is exempted from for the year has no missing marks."""
        exemption = AttestationExemption(student_id="s1", subject_id="rus", year=_YEAR)
        found = _missing(
            date(2026, 6, 10),
            curricula=[_curriculum("math", "rus")],
            exemptions=[exemption],
        )
        assert found == [
            "s1:math:2025/2026:annual",
            "s1:math:2025/2026:period:H1",
            "s1:math:2025/2026:period:H2",
        ]

    def test_a_group_subject_is_owed_by_its_students(self) -> None:
        """R8.9: a subject taught only in a group is owed by the group's students."""
        group = Group(
            id="g-eng",
            year=_YEAR,
            subject_id="eng",
            name="Англ. 1",
            kind="subgroup",
            class_ids=["5a"],
            student_ids=["s2"],
        )
        other = ClassMembership(id="ms2", student_id="s2", class_id="5a", since=date(2025, 9, 1))
        found = _missing(
            date(2026, 1, 10),
            curricula=[_curriculum("eng", group_id="g-eng")],
            groups=[group],
            memberships=[MEMBERSHIP, other],
        )
        assert found == ["s2:eng:2025/2026:period:H1"]

    def test_without_curricula_nothing_is_reported_missing(self) -> None:
        """R8.9: with no curriculum the subjects owed are unknown: no missing findings."""
        assert _missing(date(2026, 6, 30)) == []


_NINE = SchoolClass(id="9a", year=_YEAR, parallel=9, letter="А", class_teacher_id="ct9")


def _year_nine() -> AcademicYear:
    year = half_year()
    return AcademicYear(
        label=year.label,
        first_day=year.first_day,
        last_day=year.last_day,
        parallels={9: year.parallels[5]},
    )


class TestMissingAnnualExamFinal:
    def test_annual_mark_due_at_the_last_period_end(self) -> None:
        """R8.9: the annual mark is owed on the last period's end."""
        marks = [_mark("math"), _mark("math", period="H2")]
        found = check(
            date(2026, 5, 27), _RULE, curricula=[_curriculum("math")], attestation_marks=marks
        )
        [finding] = [f for f in found.findings if f.done is None]
        assert finding.entity_id == "s1:math:2025/2026:annual"
        assert finding.due == date(2026, 5, 26)

    def test_exam_and_final_marks_in_grade_nine(self) -> None:
        """R8.9: exam marks are owed by who sits the exam, final marks on the last exam day."""
        members = [
            ClassMembership(id="m1", student_id="s1", class_id="9a", since=date(2025, 9, 1)),
            ClassMembership(id="m2", student_id="s2", class_id="9a", since=date(2025, 9, 1)),
        ]
        sessions = [
            ExamSession(subject_id="math", parallel=9, ends_on=date(2026, 6, 3)),
            ExamSession(
                subject_id="phys", parallel=9, ends_on=date(2026, 6, 10), student_ids=["s2"]
            ),
        ]
        marks = [
            _mark("math", student=s, kind=k, period=p, id=f"{s}{k}{p}")
            for s in ("s1", "s2")
            for k, p in (("period", "H1"), ("period", "H2"), ("annual", None))
        ]
        report = check(
            date(2026, 6, 20),
            _RULE,
            year=_year_nine(),
            classes=[_NINE],
            memberships=members,
            curricula=[_curriculum("math", class_id="9a")],
            attestation_marks=marks,
            exam_sessions=sessions,
        )
        missing = {(f.entity_id, f.due) for f in report.findings if f.done is None}
        assert missing == {
            ("s1:math:2025/2026:exam", date(2026, 6, 3)),
            ("s2:math:2025/2026:exam", date(2026, 6, 3)),
            ("s2:phys:2025/2026:exam", date(2026, 6, 10)),
            ("s1:math:2025/2026:final", date(2026, 6, 10)),
            ("s2:math:2025/2026:final", date(2026, 6, 10)),
        }

    def test_no_final_marks_below_grade_nine(self) -> None:
        """R8.9: grade 5 owes period and annual marks, not final ones."""
        found = _missing(date(2026, 6, 30), curricula=[_curriculum("math")])
        assert not any(entity.endswith(":final") for entity in found)


_FIRST = date(2025, 9, 1)


@st.composite
def _spans(draw: st.DrawFn) -> list[tuple[date, date | None]]:
    spans: list[tuple[date, date | None]] = []
    for _ in range(draw(st.integers(1, 4))):
        since = _FIRST + timedelta(days=draw(st.integers(0, 300)))
        length = draw(st.none() | st.integers(0, 200))
        spans.append((since, None if length is None else since + timedelta(days=length)))
    return spans


class TestMissingProperty:
    @settings(max_examples=40, deadline=None)
    @given(
        spans=_spans(),
        marked=st.sets(st.tuples(st.integers(0, 3), st.sampled_from(["H1", "H2"]))),
        as_of_offset=st.integers(0, 320),
    )
    def test_missing_equals_the_roster_oracle(
        self, spans: list[tuple[date, date | None]], marked: set[tuple[int, str]], as_of_offset: int
    ) -> None:
        """R8.9: missing period marks are exactly the students in the class on an ended period's
        last day without a mark, by an independent oracle."""
        year = half_year()
        as_of = _FIRST + timedelta(days=as_of_offset)
        members = [
            ClassMembership(id=f"m{i}", student_id=f"s{i}", class_id="5a", since=s, until=u)
            for i, (s, u) in enumerate(spans)
        ]
        marks = [
            _mark("math", student=f"s{i}", period=p, id=f"x{i}{p}")
            for i, p in marked
            if i < len(spans)
        ]
        found = {
            f.entity_id
            for f in check(
                as_of,
                _RULE,
                curricula=[_curriculum("math")],
                memberships=members,
                attestation_marks=marks,
                classes=[CLASS],
            ).findings
            if f.done is None and ":period:" in f.entity_id
        }
        expected = set()
        for period in year.periods(5):
            if period.end > as_of:
                continue
            for i, (since, until) in enumerate(spans):
                inside = since <= period.end and (until is None or period.end <= until)
                if inside and (i, period.code.value) not in marked:
                    expected.add(f"s{i}:math:2025/2026:period:{period.code.value}")
        assert found == expected


class TestGradeOne:
    def test_grade_one_owes_no_attestation_marks(self) -> None:
        """R8.9: the default profile's rule leaves out grade 1, taught without marks."""
        first = SchoolClass(id="1a", year=_YEAR, parallel=1, letter="А")
        year = half_year()
        one = AcademicYear(
            label=year.label,
            first_day=year.first_day,
            last_day=year.last_day,
            parallels={1: year.parallels[5]},
        )
        member = ClassMembership(id="m1", student_id="s1", class_id="1a", since=date(2025, 9, 1))
        report = check(
            date(2026, 6, 30),
            _RULE,
            year=one,
            classes=[first],
            memberships=[member],
            curricula=[_curriculum("math", class_id="1a")],
        )
        assert report.findings == ()


class TestSyntheticSchool:
    def test_the_generated_school_owes_no_attestation_mark(self) -> None:
        """R8.9: the synthetic school sets every period, annual and (grades 9, 11) final mark.

        Its only attestation findings are the planted late entries; final marks were once
        never generated, so 540 were reported missing in the demo.
        """
        school = synth.generate("small", seed=1)
        rules = rules_for(default_profile(), school.academic_year)
        data = ComplianceData.from_year_data(school.year_data)
        report = rules.checker.check(data, date(2026, 8, 31))
        attestation = [f for f in report.violations if f.rule_id == "journal.attestation"]
        assert attestation
        assert {f.status for f in attestation} == {FindingStatus.LATE}
        marks = school.attestation_marks
        finals = {(m.student_id, m.subject_id) for m in marks if m.kind is AttestationKind.FINAL}
        parallel = {c.id: c.parallel for c in school.classes}
        leavers = {
            m.student_id for m in school.memberships if parallel[m.class_id] in FINAL_MARK_PARALLELS
        }
        annual = {
            (m.student_id, m.subject_id)
            for m in marks
            if m.kind is AttestationKind.ANNUAL and m.student_id in leavers
        }
        assert finals
        assert finals == annual
