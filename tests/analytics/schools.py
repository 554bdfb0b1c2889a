"""Random tiny schools with mid-period transfers, and the per-object results of each bulk rule.

Each ``expected_*`` function computes, from the entities alone and with the per-object API
(``propose_period_marks``, ``mark_statistics``, ``entry_timeliness``, the lessons' own
fields), what the matching bulk rule must return; each ``bulk_*`` function puts a bulk
result into the same shape. The DuckDB and the Spark tests compare the two.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import ibis.expr.types as ir
from hypothesis import strategies as st

from eschool_core.deadlines import EntryDeadlines
from eschool_core.grading import GradingPolicy, PeriodSpan, mark_statistics, propose_period_marks
from eschool_core.journal import (
    AttestationKind,
    AttestationMark,
    Lesson,
    LessonState,
    Mark,
    MarkValue,
)
from eschool_core.reports import Timeliness, mark_timeliness
from tests.analytics.helpers import (
    FIRST_DAY,
    MOSCOW,
    PERIODS,
    TRANSFER_CLASS,
    TinySchool,
    bulk_row,
    proposal_row,
    schemes,
)

_VALUES = ["1", "2", "3", "4", "5", "5", "4", "3", "н/а", "осв", "зач", "незач"]
_WORK_TYPES = ["answer", "test", "homework"]
_WEIGHTS = [Fraction(1, 2), Fraction(1), Fraction(3, 2), Fraction(2)]
_REASONS = [None, None, "болезнь учителя"]
_DAYS = 34
"""The data's days: 1 September to 5 October, across both periods of each parallel."""


@st.composite
def journal_schools(draw: st.DrawFn) -> TinySchool:
    """Random tiny schools: grade-5 students moving from 5А to 5Б, lessons, marks, period marks.

    A move falls on any day of the data: in the middle of a period, on its first or its
    last day. Marks are entered on time, a few days late with or without a valid reason,
    and belong to a lesson or to none.
    """
    count = draw(st.integers(1, 5))
    class_of = {f"st{i}": draw(st.sampled_from([5, 10])) for i in range(count)}
    students = sorted(class_of)
    moved_on = {
        student: FIRST_DAY + dt.timedelta(days=draw(st.integers(1, _DAYS)))
        for student in students
        if class_of[student] == 5 and draw(st.booleans())
    }
    lessons = [
        _lesson(draw, index, draw(st.sampled_from(["c5", TRANSFER_CLASS, "c10"])))
        for index in range(draw(st.integers(0, 8)))
    ]
    marks = []
    for index in range(draw(st.integers(0, 30))):
        day = FIRST_DAY + dt.timedelta(days=draw(st.integers(0, _DAYS)))
        entered = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) + dt.timedelta(
            minutes=draw(st.integers(-600, 8 * 24 * 60))
        )
        marks.append(
            Mark(
                id=f"mk{index}",
                student_id=draw(st.sampled_from(students)),
                subject_id=draw(st.sampled_from(["math", "rus"])),
                date=day,
                value=draw(st.sampled_from(_VALUES)),
                work_type=draw(st.sampled_from(_WORK_TYPES)),
                weight=draw(st.sampled_from([None, None, None, *_WEIGHTS])),
                author_id=draw(st.sampled_from(["t1", "t2"])),
                entered_at=entered,
                late_reason=draw(st.sampled_from(_REASONS)),
                lesson_id=draw(st.sampled_from([None, *(lesson.id for lesson in lessons)])),
            )
        )
    attestation = [
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
        for student in students
        for subject in ("math", "rus")
        for span in PERIODS[class_of[student]]
        if (value := draw(st.sampled_from([None, *_VALUES]))) is not None
    ]
    return TinySchool(
        class_of=class_of,
        marks=marks,
        attestation=attestation,
        moved_on=moved_on,
        lessons=lessons,
    )


def _lesson(draw: st.DrawFn, index: int, class_id: str) -> Lesson:
    day = FIRST_DAY + dt.timedelta(days=draw(st.integers(0, _DAYS)))
    held = draw(st.booleans()) or draw(st.booleans())
    return Lesson(
        id=f"ls{index}",
        date=day,
        number=1 + index % 6,
        subject_id=draw(st.sampled_from(["math", "rus"])),
        teacher_id=draw(st.sampled_from(["t1", "t2"])),
        class_id=class_id,
        substitute_id=draw(st.sampled_from([None, None, "t3"])),
        topic=draw(st.sampled_from([None, "Дроби"])),
        homework=draw(st.sampled_from([None, "№ 12"])),
        state=LessonState.HELD if held else LessonState.CANCELLED,
        cancelled_at=None if held else dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC),
    )


def _span(parallel: int, code: str) -> PeriodSpan:
    return next(span for span in PERIODS[parallel] if span.key == code)


def _parallel(class_id: str) -> int:
    return 10 if class_id == "c10" else 5


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


# -- period marks ---------------------------------------------------------------------


def expected_period_marks(school: TinySchool, policy: GradingPolicy) -> dict[Any, Any]:
    """R2.2j: every proposal of ``propose_period_marks``, keyed by student, subject, period."""
    proposals = propose_period_marks(school.marks, schemes(), policy, scheme_of=school.scheme_of())
    return {tuple(key): proposal_row(value) for key, value in proposals.items()}


def bulk_period_marks(table: ir.Table) -> dict[Any, Any]:
    """The bulk proposals in the shape of :func:`expected_period_marks`."""
    rows = table.to_pyarrow().to_pylist()
    return {(r["student_id"], r["subject_id"], r["period"]): bulk_row(r) for r in rows}


# -- class statistics -----------------------------------------------------------------


def expected_class_statistics(
    school: TinySchool, marks: Mapping[tuple[str, str, str], str | None] | None = None
) -> dict[Any, Any]:
    """R2.2k: ``mark_statistics`` of each class's roster on the period's last day.

    Args:
        school: The school.
        marks: One mark per student, subject and period; by default its period marks.
    """
    given: Mapping[tuple[str, str, str], str | None] = (
        {(m.student_id, m.subject_id, m.period or ""): str(m.value) for m in school.attestation}
        if marks is None
        else marks
    )
    keys = set()
    for student, subject, period in given:
        class_id = school.class_on(student, _span(school.class_of[student], period).end)
        if class_id is not None:
            keys.add((class_id, subject, period))
    expected = {}
    for class_id, subject, period in keys:
        roster = school.roster(class_id, _span(_parallel(class_id), period).end)
        values = [given.get((student, subject, period)) for student in roster]
        stats = mark_statistics(
            [None if value is None else MarkValue.parse(value) for value in values]
        )
        expected[(class_id, subject, period)] = (
            stats.students,
            stats.without_marks,
            stats.considered,
            stats.scored,
            stats.success_rate,
            stats.quality,
            stats.sou,
            stats.average,
        )
    return expected


def bulk_class_statistics(table: ir.Table) -> dict[Any, Any]:
    """The bulk statistics in the shape of :func:`expected_class_statistics` (exact ratios)."""

    def exact(part: int, whole: int) -> Fraction | None:
        return Fraction(part, whole) if whole else None

    return {
        (r["class_id"], r["subject_id"], r["period"]): (
            r["students"],
            r["without_marks"],
            r["considered"],
            r["scored"],
            exact(r["succeeding"], r["considered"]),
            exact(r["quality_count"], r["scored"]),
            exact(r["sou_points"], r["scored"]),
            exact(r["score_sum"], r["score_count"]),
        )
        for r in table.to_pyarrow().to_pylist()
    }


def proposed_values(expected: Mapping[Any, Any]) -> dict[tuple[str, str, str], str | None]:
    """The values of :func:`expected_period_marks`, as marks for the class statistics."""
    return {key: value[0] for key, value in expected.items()}


# -- timeliness -----------------------------------------------------------------------


def expected_timeliness(school: TinySchool, deadlines: EntryDeadlines) -> dict[Any, Any]:
    """R8.6: per teacher, class on the mark's day and month, the marks, late and excused."""
    counts: dict[tuple[str, str, dt.date], list[int]] = defaultdict(lambda: [0, 0, 0])
    for mark in school.marks:
        class_id = school.class_on(mark.student_id, mark.date)
        if class_id is None:
            continue
        judged = mark_timeliness(mark, MOSCOW, deadlines)
        row = counts[(mark.author_id, class_id, _month(mark.date))]
        row[0] += 1
        row[1] += judged is Timeliness.LATE
        row[2] += judged is Timeliness.EXTENDED
    return {key: tuple(value) for key, value in counts.items()}


def bulk_timeliness(table: ir.Table) -> dict[Any, Any]:
    """The bulk timeliness in the shape of :func:`expected_timeliness`."""
    return {
        (r["teacher_id"], r["class_id"], r["month"]): (r["marks"], r["late"], r["excused"])
        for r in table.to_pyarrow().to_pylist()
    }


# -- completeness ---------------------------------------------------------------------


def expected_completeness(school: TinySchool) -> dict[Any, Any]:
    """R8.10: per class, subject, answering teacher and month, what the lessons lack."""
    entered = {mark.lesson_id for mark in school.marks if mark.lesson_id is not None}
    counts: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * 5)
    for lesson in school.lessons:
        key = (
            lesson.class_id,
            lesson.subject_id,
            lesson.substitute_id or lesson.teacher_id,
            _month(lesson.date),
        )
        row = counts[key]
        held = lesson.state is LessonState.HELD
        row[0] += held
        row[1] += not held
        row[2] += held and lesson.topic is None
        row[3] += held and not lesson.has_homework
        row[4] += held and lesson.id not in entered
    return {key: tuple(value) for key, value in counts.items()}


def bulk_completeness(table: ir.Table) -> dict[Any, Any]:
    """The bulk completeness in the shape of :func:`expected_completeness`."""
    columns: Sequence[str] = (
        "held",
        "cancelled",
        "without_topic",
        "without_homework",
        "without_entries",
    )
    return {
        (r["class_id"], r["subject_id"], r["teacher_id"], r["month"]): tuple(
            r[name] for name in columns
        )
        for r in table.to_pyarrow().to_pylist()
    }
