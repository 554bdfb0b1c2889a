"""Builders and hypothesis strategies for the grading tests."""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction

from hypothesis import strategies as st

from eschool_core.grading import GradingPolicy, RoundingPolicy, WorkType
from eschool_core.ids import EmployeeId, MarkId, StudentId, SubjectId
from eschool_core.journal import Mark, MarkValue

_IDS = itertools.count(1)
ENTERED = dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC)
START = dt.date(2025, 9, 1)


def mark(
    value: int | str | MarkValue,
    *,
    work_type: str = "answer",
    weight: Fraction | int | str | None = None,
    on: dt.date = START,
    student: str = "s1",
    subject: str = "math",
) -> Mark:
    """Build a current mark with a fresh id."""
    return Mark(
        id=MarkId(f"m{next(_IDS)}"),
        student_id=StudentId(student),
        subject_id=SubjectId(subject),
        date=on,
        value=value,
        work_type=work_type,
        weight=weight,
        author_id=EmployeeId("t1"),
        entered_at=ENTERED,
    )


def policy(**changes: object) -> GradingPolicy:
    """A policy with answer (1), test (2) and essay (3/2), weights 1/2..5, half-up."""
    arguments: dict[str, object] = {
        "work_types": (
            WorkType(code="answer", name_ru="Ответ", name_en="Answer", weight=1),
            WorkType(code="test", name_ru="Контрольная", name_en="Test", weight=2),
            WorkType(code="essay", name_ru="Сочинение", name_en="Essay", weight="3/2"),
        ),
        "min_current_marks": 0,
    }
    arguments.update(changes)
    return GradingPolicy(**arguments)


SPECIALS = ("н/а", "осв", "зач", "незач")
WORK_TYPES = ("answer", "test", "essay")

scores = st.integers(min_value=1, max_value=5)
own_weights = st.one_of(
    st.none(),
    st.fractions(min_value=Fraction(1, 2), max_value=5, max_denominator=12),
)
days = st.dates(min_value=START, max_value=START + dt.timedelta(days=120))


@st.composite
def current_marks(draw: st.DrawFn, *, specials: bool = True) -> Mark:
    """A current mark: a score (or a special mark) with a work type and maybe an own weight."""
    values = st.one_of(scores, st.sampled_from(SPECIALS)) if specials else scores
    return mark(
        draw(values),
        work_type=draw(st.sampled_from(WORK_TYPES)),
        weight=draw(own_weights),
        on=draw(days),
        student=draw(st.sampled_from(("s1", "s2", "s3"))),
        subject=draw(st.sampled_from(("math", "rus"))),
    )


roundings = st.one_of(
    st.just(RoundingPolicy.half_up()),
    st.fractions(min_value=Fraction(1, 100), max_value=1, max_denominator=100).map(
        RoundingPolicy.fraction
    ),
    st.lists(
        st.fractions(min_value=Fraction(1, 20), max_value=1, max_denominator=20),
        min_size=4,
        max_size=4,
    ).map(
        lambda parts: RoundingPolicy.custom(
            {mark: mark - 1 + part for mark, part in zip(range(2, 6), parts, strict=True)}
        )
    ),
)
