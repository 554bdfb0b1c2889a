from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.errors import ValidationError
from eschool_core.journal import (
    AbsenceReason,
    Attendance,
    AttestationKind,
    AttestationMark,
    IndividualHomework,
    Lesson,
    LessonState,
    Mark,
    MarkKind,
    MarkValue,
)

MOMENT = datetime(2025, 9, 1, 12, 0, tzinfo=UTC)


def _mark(**changes: object) -> Mark:
    fields: dict[str, object] = {
        "id": "m1",
        "student_id": "s1",
        "subject_id": "math",
        "date": date(2025, 9, 1),
        "value": 5,
        "work_type": "answer",
        "author_id": "t1",
        "entered_at": MOMENT,
    }
    fields.update(changes)
    return Mark(**fields)


class TestMarkValue:
    @given(st.integers(min_value=1, max_value=5))
    def test_scores_round_trip(self, score: int) -> None:
        """R8.2: every score on the 5-point scale parses from and formats to its digit."""
        value = MarkValue.of(score)
        assert MarkValue.parse(str(value)) is value
        assert value.is_score

    @given(st.integers().filter(lambda n: not 1 <= n <= 5))
    def test_off_the_scale(self, score: int) -> None:
        """R8.2: a mark of 6 (or 0) on the 5-point scale is a typed error."""
        with pytest.raises(ValidationError) as caught:
            MarkValue.of(score)
        assert caught.value.code == "mark.out_of_scale"

    @pytest.mark.parametrize(
        ("text", "kind"),
        [
            ("н/а", MarkKind.NOT_ATTESTED),
            ("Н/А", MarkKind.NOT_ATTESTED),
            ("осв", MarkKind.EXEMPT),
            ("зачёт", MarkKind.PASS),
            (" незач ", MarkKind.FAIL),
        ],
    )
    def test_special_marks(self, text: str, kind: MarkKind) -> None:
        """The journal's special marks parse to their kinds and format canonically."""
        value = MarkValue.parse(text)
        assert value.kind is kind
        assert value.score is None
        assert str(value) == kind.value
        assert MarkValue.parse(str(value)) == value

    def test_double_mark(self) -> None:
        """A double mark «5/4» is two independent marks."""
        assert MarkValue.parse_many("5/4") == (MarkValue.of(5), MarkValue.of(4))
        assert MarkValue.parse_many("н/а") == (MarkValue.special(MarkKind.NOT_ATTESTED),)

    @pytest.mark.parametrize("text", ["", "6", "5+", "отл", "5//4", "2.5"])
    def test_unparseable(self, text: str) -> None:
        """Anything else is a typed error, never a guess."""
        with pytest.raises(ValidationError):
            MarkValue.parse_many(text)

    def test_special_with_score(self) -> None:
        """A special mark carries no number, and a score is not special."""
        with pytest.raises(ValidationError):
            MarkValue(MarkKind.EXEMPT, 4)
        with pytest.raises(ValidationError):
            MarkValue.special(MarkKind.SCORE)


class TestMark:
    def test_converts_values(self) -> None:
        """An int or a written form becomes a MarkValue; a weight becomes exact."""
        mark = _mark(value="4", weight="1.5")
        assert mark.value == MarkValue.of(4)
        assert mark.weight == Fraction(3, 2)

    def test_naive_entered_at(self) -> None:
        """R8.6: a naive entry moment is rejected: the day is judged in school time."""
        with pytest.raises(ValidationError) as caught:
            _mark(entered_at=datetime(2025, 9, 1, 12, 0))
        assert caught.value.code == "value.naive_datetime"

    @pytest.mark.parametrize("weight", [0, -1, "0"])
    def test_weight_must_be_positive(self, weight: object) -> None:
        """A weight of zero or less is rejected."""
        with pytest.raises(ValidationError) as caught:
            _mark(weight=weight)
        assert caught.value.code == "mark.weight_not_positive"

    def test_float_weight_is_inexact(self) -> None:
        """Floats are rejected as weights: 0.1 is not one tenth."""
        with pytest.raises(ValidationError) as caught:
            _mark(weight=0.1)
        assert caught.value.code == "value.inexact_number"

    def test_empty_work_type(self) -> None:
        """A mark names its work type."""
        with pytest.raises(ValidationError):
            _mark(work_type=" ")


class TestLesson:
    def _lesson(self, **changes: object) -> Lesson:
        fields: dict[str, object] = {
            "id": "l1",
            "date": date(2025, 9, 1),
            "number": 2,
            "subject_id": "math",
            "teacher_id": "t1",
            "class_id": "c1",
        }
        fields.update(changes)
        return Lesson(**fields)

    def test_substitute_is_responsible(self) -> None:
        """R7.7d: a substituted lesson's entries are the substitute's."""
        lesson = self._lesson(substitute_id="t2", substitute_entered_at=MOMENT)
        assert lesson.responsible_teacher_id == "t2"
        assert self._lesson().responsible_teacher_id == "t1"

    def test_class_or_group(self) -> None:
        """A lesson is given to a class or to a group."""
        with pytest.raises(ValidationError):
            self._lesson(class_id=None)
        with pytest.raises(ValidationError):
            self._lesson(group_id="g1")

    def test_entry_moment_needs_the_entry(self) -> None:
        """R8.2: a topic moment without a topic is inconsistent."""
        with pytest.raises(ValidationError) as caught:
            self._lesson(topic_entered_at=MOMENT)
        assert caught.value.code == "lesson.topic_moment"
        with pytest.raises(ValidationError):
            self._lesson(homework_entered_at=MOMENT)

    def test_individual_homework_counts(self) -> None:
        """R8.2: individual homework is homework."""
        lesson = self._lesson(
            individual_homework=[IndividualHomework(student_id="s1", text="упр. 5")],
            homework_entered_at=MOMENT,
        )
        assert lesson.has_homework

    def test_cancellation_moment(self) -> None:
        """A cancelled lesson records when it was cancelled, and needs no entries."""
        with pytest.raises(ValidationError):
            self._lesson(state=LessonState.CANCELLED)
        lesson = self._lesson(state="cancelled", cancelled_at=MOMENT)
        assert not lesson.is_held

    @pytest.mark.parametrize("number", [0, 13])
    def test_number_in_day(self, number: int) -> None:
        """A lesson is number 1 to 12 of its day."""
        with pytest.raises(ValidationError):
            self._lesson(number=number)


class TestAttendanceAndAttestation:
    def test_reason_validity(self) -> None:
        """R8.5.1: illness and other valid reasons excuse an absence."""
        assert AbsenceReason.ILLNESS.is_valid
        assert AbsenceReason.VALID.is_valid
        assert not AbsenceReason.UNEXCUSED.is_valid
        assert not AbsenceReason.UNKNOWN.is_valid

    def test_correction_after_entry(self) -> None:
        """R8.5.1: a reason cannot be corrected before the absence was entered."""
        with pytest.raises(ValidationError) as caught:
            Attendance(
                id="a1",
                student_id="s1",
                lesson_id="l1",
                date=date(2025, 9, 1),
                kind="absent",
                reason="illness",
                entered_by="t1",
                entered_at=MOMENT,
                reason_corrected_at=datetime(2025, 8, 31, tzinfo=UTC),
            )
        assert caught.value.clause == "8.5.1"

    def test_period_mark_needs_period(self) -> None:
        """R8.9: a period mark names its period; an annual mark does not."""
        common = {
            "id": "am1",
            "student_id": "s1",
            "subject_id": "math",
            "year": "2025/2026",
            "value": "н/а",
            "author_id": "t1",
            "entered_at": MOMENT,
        }
        with pytest.raises(ValidationError):
            AttestationMark(kind=AttestationKind.PERIOD, **common)
        with pytest.raises(ValidationError):
            AttestationMark(kind=AttestationKind.ANNUAL, period="Q1", **common)
        mark = AttestationMark(kind="period", period="Q1", **common)
        assert mark.value.kind is MarkKind.NOT_ATTESTED
