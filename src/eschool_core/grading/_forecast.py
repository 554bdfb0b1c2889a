"""Forecasts of period marks for a student and a class (R2.2j).

The forecast "if nothing changes" is the period-mark proposal on the marks so far
(:func:`~eschool_core.grading.propose_period_mark`). :func:`marks_needed` answers "how many
more marks of this value and work type reach the target mark"; the number of lessons left
in the period is an argument (the calendar is not consulted).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType

import attrs

from eschool_core.grading._attestation import ProposedMark, propose_period_mark
from eschool_core.grading._errors import GRADING_BAD_COUNT
from eschool_core.grading._policy import GradingPolicy, require_score
from eschool_core.ids import StudentId
from eschool_core.journal import MAX_SCORE, MIN_SCORE, Mark, MarkValue

__all__ = ["ClassForecast", "MarksNeeded", "forecast_class", "marks_needed"]


@attrs.frozen(kw_only=True)
class MarksNeeded:
    """The answer of :func:`marks_needed`.

    Attributes:
        count: The fewest additional marks that reach the target; ``None`` when impossible.
        reachable: Whether the target can be reached within the lessons left.
        average: The weighted average after ``count`` marks (``None`` when impossible).
        limit: The most marks the remaining lessons allow.
    """

    count: int | None
    reachable: bool
    average: Fraction | None
    limit: int


def marks_needed(
    marks: Iterable[Mark],
    policy: GradingPolicy,
    *,
    target: int,
    value: MarkValue | int,
    work_type: str,
    remaining_lessons: int | Sequence[dt.date],
    weight: Fraction | None = None,
    marks_per_lesson: int = 1,
    period_kind: str | None = None,
) -> MarksNeeded:
    """Return the fewest more marks of ``value`` and ``work_type`` that reach ``target`` (R2.2j).

    The target is reached when the period proposal (weighted average, the policy's period
    rounding, and the minimum number of marks) is a score of at least ``target``. The
    answer is exact: ``count - 1`` such marks do not reach it, ``count`` do. When the target
    needs more marks than ``remaining_lessons × marks_per_lesson``, or cannot be reached by
    marks of this value at all, the answer is "impossible" (``count=None``).

    Args:
        marks: The student's current marks in the subject and period so far.
        policy: The grading policy.
        target: The mark wanted, 2-5.
        value: The value of each additional mark (a score).
        work_type: The work type of the additional marks.
        remaining_lessons: Lessons left in the period, as a count or as their dates (the
            caller takes them from the calendar).
        weight: An own weight for the additional marks, else the work type's.
        marks_per_lesson: How many marks one lesson can give (1 by default).
        period_kind: Kind of the period (selects the minimum number of marks).

    Raises:
        ValidationError: For a target or value off the scale, a special mark as ``value``,
            an unknown work type, a weight out of range, negative lesson counts.

    >>> from eschool_core.grading._examples import example_mark
    >>> marks = [example_mark(3), example_mark(3), example_mark(4)]
    >>> answer = marks_needed(
    ...     marks, GradingPolicy.default(), target=4, value=5, work_type="answer",
    ...     remaining_lessons=10,
    ... )
    >>> answer.count, answer.average
    (1, Fraction(15, 4))
    """
    if not isinstance(remaining_lessons, int):
        remaining_lessons = len(remaining_lessons)
    goal = require_score(target, what="target mark")
    score = require_score(value, what="additional mark")
    numbers: tuple[tuple[str, object], ...] = (
        ("remaining_lessons", remaining_lessons),
        ("marks_per_lesson", marks_per_lesson),
    )
    for name, number in numbers:
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise GRADING_BAD_COUNT.error(field=name, value=repr(number))
    each = policy.weight_of(work_type, weight)
    listed = list(marks)
    total = Fraction(0)
    weights = Fraction(0)
    count = 0
    for mark in listed:
        mark_weight = policy.weight_of(mark.work_type, mark.weight)
        if mark.value.score is not None:
            total += mark.value.score * mark_weight
            weights += mark_weight
            count += 1
    limit = remaining_lessons * marks_per_lesson
    needed = _fewest(
        total=total,
        weights=weights,
        count=count,
        goal=goal,
        score=score,
        each=each,
        policy=policy,
        period_kind=period_kind,
    )
    if needed is None or needed > limit:
        return MarksNeeded(count=None, reachable=False, average=None, limit=limit)
    average = (total + needed * score * each) / (weights + needed * each)
    return MarksNeeded(count=needed, reachable=True, average=average, limit=limit)


def _fewest(
    *,
    total: Fraction,
    weights: Fraction,
    count: int,
    goal: int,
    score: int,
    each: Fraction,
    policy: GradingPolicy,
    period_kind: str | None,
) -> int | None:
    # At least enough marks for a period mark at all.
    at_least = max(0, policy.min_marks_for(period_kind) - count, 0 if count else 1)
    if goal <= MIN_SCORE:
        return at_least
    limit = policy.period_rounding.thresholds[goal]
    # The average after n marks reaches the threshold iff
    # f(n) = (total - limit·weights) + n·each·(score - limit) >= 0, linear in n.
    deficit = limit * weights - total
    if score > limit:
        by_average = math.ceil(deficit / (each * (score - limit))) if deficit > 0 else 0
        return max(at_least, by_average)
    # f does not grow with n: the fewest allowed marks are the only chance.
    if total + at_least * score * each >= limit * (weights + at_least * each):
        return at_least
    return None


@attrs.frozen(kw_only=True)
class ClassForecast:
    """The expected period marks of a class if nothing changes (R2.2j).

    Attributes:
        proposals: Each student's proposal.
        distribution: How many students get each mark (``"5"``, ``"4"``, ..., ``"н/а"``,
            ``"осв"``); students without any proposal are not counted.
    """

    proposals: Mapping[StudentId, ProposedMark]
    distribution: Mapping[str, int]


def forecast_class(
    marks_by_student: Mapping[StudentId, Iterable[Mark]],
    policy: GradingPolicy,
    *,
    period_kind: str | None = None,
) -> ClassForecast:
    """Forecast the period marks of a class in one subject and period (R2.2j).

    Args:
        marks_by_student: Each student's current marks so far (an empty list for a student
            without marks gives «н/а»).
        policy: The grading policy.
        period_kind: Kind of the period.

    Raises:
        ValidationError: For an unknown work type or a weight outside the range.

    >>> from eschool_core.grading._examples import example_mark
    >>> forecast = forecast_class(
    ...     {"a": [example_mark(5)] * 3, "b": [example_mark(3)] * 2}, GradingPolicy.default()
    ... )
    >>> dict(forecast.distribution)
    {'5': 1, 'н/а': 1}
    """
    proposals = {
        student: propose_period_mark(marks, policy, period_kind=period_kind)
        for student, marks in marks_by_student.items()
    }
    counter = Counter(str(item.value) for item in proposals.values() if item.value is not None)
    order = [str(score) for score in range(MAX_SCORE, MIN_SCORE - 1, -1)]
    ranked = sorted(
        counter, key=lambda key: (order.index(key) if key in order else len(order), key)
    )
    return ClassForecast(
        proposals=MappingProxyType(proposals),
        distribution=MappingProxyType({key: counter[key] for key in ranked}),
    )
