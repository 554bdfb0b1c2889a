"""Class statistics: успеваемость, качество знаний, СОУ, average (R2.2k, R11.5)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from eschool_core.grading import all_subjects_statistics, mark_statistics
from eschool_core.ids import StudentId
from eschool_core.journal import MarkValue

ALL = ("5", "4", "3", "2", "н/а", "осв", "зач", "незач")


def marks(*texts: str | None) -> list[MarkValue | None]:
    return [None if text is None else MarkValue.parse(text) for text in texts]


class TestMarkStatistics:
    def test_worked_example(self) -> None:
        """R2.2k: a class of 10 with 2 «5», 3 «4», 2 «3», 1 «2», 1 «н/а», 1 «осв»."""
        stats = mark_statistics(marks("5", "5", "4", "4", "4", "3", "3", "2", "н/а", "осв"))
        assert stats.considered == 9
        assert stats.success_rate == Fraction(7, 9)
        assert stats.quality == Fraction(5, 9)
        assert stats.sou == Fraction(100 * 2 + 64 * 3 + 36 * 2 + 16 + 7, 9)
        assert stats.average == Fraction(5 * 2 + 4 * 3 + 3 * 2 + 2, 8)
        assert dict(stats.summary()) == {
            "Средний балл": "3,75",
            "Успеваемость": "77,78 %",
            "Качество знаний": "55,56 %",
            "СОУ": "54,11 %",
        }

    def test_without_marks_and_exempt_leave_n(self) -> None:
        """R2.2k: N = students − exempt − students without marks."""
        stats = mark_statistics(marks("5", None, "осв", "3"))
        assert (stats.students, stats.considered, stats.without_marks) == (4, 2, 1)
        assert stats.success_rate == 1
        assert stats.quality == Fraction(1, 2)

    def test_empty(self) -> None:
        """R2.2k: with nobody to count the figures are undefined, shown as a dash."""
        stats = mark_statistics(marks("осв", None))
        assert stats.success_rate is None
        assert stats.quality is None
        assert stats.sou is None
        assert stats.summary("en")["Success rate"] == "—"

    def test_pass_fail(self) -> None:
        """R2.2k: «незач» fails, «зач» succeeds; a pass/fail subject has no quality."""
        stats = mark_statistics(marks("зач", "зач", "незач"))
        assert stats.success_rate == Fraction(2, 3)
        assert stats.quality is None

    @given(st.lists(st.one_of(st.none(), st.sampled_from(ALL)), max_size=40))
    def test_shares_are_bounded(self, texts: list[str | None]) -> None:
        """R2.2k: shares lie in 0..1, quality ≤ success rate for scores, 7 ≤ СОУ ≤ 100."""
        stats = mark_statistics(marks(*texts))
        for share in (stats.success_rate, stats.quality):
            assert share is None or 0 <= share <= 1
        if (
            stats.quality is not None
            and stats.success_rate is not None
            and not (stats.count("зач") or stats.count("незач"))
        ):
            assert stats.quality <= stats.success_rate
        assert stats.sou is None or 7 <= stats.sou <= 100
        assert sum(stats.counts.values()) + stats.without_marks == stats.students


class TestAllSubjects:
    def test_worst_mark_per_student(self) -> None:
        """R2.2k: over all subjects a student succeeds only without any «2» or «н/а»."""
        stats = all_subjects_statistics(
            {
                StudentId("a"): marks("5", "5", "осв"),
                StudentId("b"): marks("5", "4"),
                StudentId("c"): marks("4", "2"),
                StudentId("d"): marks("осв"),
                StudentId("e"): [],
            }
        )
        assert stats.by_student.considered == 3
        assert stats.by_student.success_rate == Fraction(2, 3)
        assert stats.by_student.quality == Fraction(2, 3)
        assert stats.by_mark.average == Fraction(25, 6)
