"""The synthetic school's end-of-year decisions, derived from the annual marks (R10.1c, R10.1d).

The decisions follow the marks as a pedagogical council takes them: a pupil whose annual mark
in a subject he studies is unsatisfactory («2», «1», «незач», «н/а») or missing has an
academic debt in it (273-FZ art. 58 p. 2). With no debt he is promoted (grades 1-8, 10) or
graduates (grades 9, 11 — no state examinations are generated); with one or two debts he is
promoted conditionally, the debts named in the order; a pupil failing
:data:`REPEAT_FROM_DEBTS` subjects or more is left to repeat the year; a pupil of grade 9 with
a debt is not admitted to the state examination and is retained in grade 9. A pupil of grade
11 with a debt is not admitted either, and the movement book has no year-end order for him
(it only graduates grade 11): he gets none. Grade 1 is taught without marks, and is promoted.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta

import attrs

from eschool_core.ids import StudentId, SubjectId
from eschool_core.journal import AttestationKind, AttestationMark, MarkValue
from eschool_core.movement import OrderItem, OrderKind

__all__ = ["REPEAT_FROM_DEBTS", "YearEndDecision", "decide_year_end", "issue_year_end"]

REPEAT_FROM_DEBTS = 3
"""Debts from which a pupil repeats the year instead of a conditional promotion."""

_WITHOUT_MARKS = 1
"""The grade taught without marks."""
_GRADUATING = (9, 11)


@attrs.frozen(kw_only=True)
class YearEndDecision:
    """One pupil's end-of-year decision and the subjects that decided it.

    Attributes:
        kind: Promotion, conditional promotion, repeat, retention or graduation; ``None``
            for a grade-11 pupil with a debt (no year-end order).
        debts: The subjects with an unsatisfactory or missing annual mark, in the order given.
    """

    kind: OrderKind | None
    debts: tuple[SubjectId, ...] = ()


def decide_year_end(
    parallel: int, annual: Mapping[SubjectId, MarkValue], studied: Sequence[SubjectId]
) -> YearEndDecision:
    """Return the decision the annual marks of a pupil call for (R10.1c, R10.1d).

    Args:
        parallel: The pupil's grade (1-11).
        annual: His annual marks by subject.
        studied: The subjects his class studies, in the curriculum's order.

    Returns:
        The decision, with the debt subjects.

    >>> five, two = MarkValue.of(5), MarkValue.of(2)
    >>> decide_year_end(5, {"math": five, "art": two}, ["math", "art"])
    YearEndDecision(kind=<OrderKind.CONDITIONAL_PROMOTION: 'conditional_promotion'>, debts=('art',))
    >>> decide_year_end(9, {"math": five}, ["math"]).kind.value
    'graduation'
    """
    if parallel == _WITHOUT_MARKS:
        return YearEndDecision(kind=OrderKind.PROMOTION)
    debts = tuple(
        subject for subject in studied if subject not in annual or annual[subject].unsatisfactory
    )
    if parallel in _GRADUATING:
        if not debts:
            return YearEndDecision(kind=OrderKind.GRADUATION)
        kind = OrderKind.RETENTION if parallel == _GRADUATING[0] else None
        return YearEndDecision(kind=kind, debts=debts)
    if not debts:
        return YearEndDecision(kind=OrderKind.PROMOTION)
    if len(debts) >= REPEAT_FROM_DEBTS:
        return YearEndDecision(kind=OrderKind.REPEAT, debts=debts)
    return YearEndDecision(kind=OrderKind.CONDITIONAL_PROMOTION, debts=debts)


def issue_year_end(
    rng: random.Random,
    decision_day: date,
    *,
    pupils: Mapping[StudentId, tuple[int, Sequence[SubjectId]]],
    attestation: Iterable[AttestationMark],
    issue: Callable[[OrderKind, date, Sequence[OrderItem]], None],
) -> None:
    """Issue the decisions of the annual marks, some repayments of debts, then graduation.

    Args:
        rng: The random source of which debts are repaid (about half, two weeks later).
        decision_day: The last school day, when the council decides.
        pupils: Each pupil in a class on that day: his grade and the subjects he studies.
        attestation: The year's attestation marks (the annual ones decide).
        issue: Issues one order of a kind, on a day, with its items.
    """
    annual: dict[StudentId, dict[SubjectId, MarkValue]] = {}
    for mark in attestation:
        if mark.kind is AttestationKind.ANNUAL:
            annual.setdefault(mark.student_id, {})[mark.subject_id] = mark.value
    by_kind: dict[OrderKind, list[OrderItem]] = {}
    repay: list[OrderItem] = []
    repaid_on = decision_day + timedelta(days=14)
    for student in sorted(pupils):
        parallel, studied = pupils[student]
        decision = decide_year_end(parallel, annual.get(student, {}), studied)
        if decision.kind is None:
            continue
        subjects = decision.debts if decision.kind is OrderKind.CONDITIONAL_PROMOTION else ()
        by_kind.setdefault(decision.kind, []).append(
            OrderItem(student_id=student, subjects=subjects)
        )
        if subjects and rng.random() < 0.5:
            repay.append(OrderItem(student_id=student, subjects=subjects, repaid_on=repaid_on))
    graduates = by_kind.pop(OrderKind.GRADUATION, [])
    for kind in (
        OrderKind.PROMOTION,
        OrderKind.CONDITIONAL_PROMOTION,
        OrderKind.REPEAT,
        OrderKind.RETENTION,
    ):
        if by_kind.get(kind):
            issue(kind, decision_day, by_kind[kind])
    for item in repay:
        issue(OrderKind.DEBT_REPAYMENT, repaid_on, [item])
    if graduates:
        # after the state examinations: graduates are in their class to the last school day
        graduation_day = decision_day + timedelta(days=28)
        while graduation_day.weekday() >= 5:
            graduation_day += timedelta(days=1)
        issue(OrderKind.GRADUATION, graduation_day, graduates)
