"""Retake attempts of academic debts and what they decide (273-FZ art. 58 p. 5-9; R10.1c).

A student with an academic debt may retake the subject at most twice within the term the
school sets (the profile's ``[movement]``: ``debt_term_months``, ``retake_attempts``); the
second attempt is held before a commission the school forms (``retake_commission_min``
members). A passed attempt repays the debt: the conditional promotion stands. A debt not
repaid after the last attempt, or by the end of the term, leaves the decisions the law
gives, at the parents' choice (``unrepaid_decisions``): repeating the year, an adapted
programme, or an individual curriculum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

import attrs

from eschool_core import _validation as v
from eschool_core.ids import EmployeeId, OrderId, StudentId, SubjectId
from eschool_core.movement._debts import deadline
from eschool_core.movement._errors import RETAKE_COMMISSION
from eschool_core.movement._kinds import UnrepaidDecision
from eschool_core.movement._orders import MovementError, MovementPolicy
from eschool_core.movement._state import AcademicDebt

__all__ = [
    "DebtOutcome",
    "DebtResolution",
    "RetakeAttempt",
    "RetakeOutcome",
    "UnrepaidDecision",
    "resolve_debt",
]


class RetakeOutcome(StrEnum):
    """How a retake attempt ended."""

    PASSED = "passed"
    """The subject was passed: the debt is repaid."""
    FAILED = "failed"
    """The subject was not passed: the attempt is used."""
    ABSENT = "absent"
    """The student did not come without a valid reason: the attempt is used."""


class DebtOutcome(StrEnum):
    """Where an academic debt stands on a day."""

    OPEN = "open"
    """Not repaid; an attempt remains within the term."""
    REPAID = "repaid"
    """Repaid (a passed attempt, or a repayment order): the conditional promotion stands."""
    NOT_REPAID = "not_repaid"
    """Every attempt used, or the term over, without passing: a decision of
    :class:`UnrepaidDecision` is due."""
    CANCELLED = "cancelled"
    """Cancelled by a repeat-year decision."""


def _commission(value: object) -> tuple[EmployeeId, ...]:
    return tuple(sorted({EmployeeId(item) for item in v.to_ids(value)}))


@attrs.frozen(kw_only=True)
class RetakeAttempt:
    """One attempt to repay an academic debt (273-FZ art. 58 p. 5-6).

    Attributes:
        id: Id of the attempt.
        student_id: The student.
        subject_id: The subject of the debt.
        debt_order_id: The conditional-promotion order that recorded the debt.
        year: The academic year the attempt is held in.
        number: 1 or 2 (the law allows at most two).
        held_on: The day of the attempt.
        outcome: Passed, failed or absent.
        commission_ids: The commission's members (employees), sorted; required for the
            second attempt.
        entered_at: When the result was entered (timezone-aware), if it is.
        entered_by: Who entered it.

    Raises:
        ValidationError: If the number is not 1 or 2, or a second attempt has no commission.

    >>> RetakeAttempt(id="r1", student_id="s1", subject_id="math", debt_order_id="o1",
    ...     year="2026/2027", number=1, held_on=dt.date(2026, 9, 20), outcome="failed").outcome
    <RetakeOutcome.FAILED: 'failed'>
    """

    id: str = attrs.field(validator=v.non_empty_text)
    student_id: StudentId = attrs.field(validator=v.non_empty_text)
    subject_id: SubjectId = attrs.field(validator=v.non_empty_text)
    debt_order_id: OrderId = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    number: int = attrs.field(validator=v.int_in_range(1, 2, "retake.number"))
    held_on: dt.date = attrs.field(validator=v.plain_date)
    outcome: RetakeOutcome = attrs.field(converter=RetakeOutcome)
    commission_ids: tuple[EmployeeId, ...] = attrs.field(default=(), converter=_commission)
    entered_at: dt.datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    entered_by: EmployeeId | None = attrs.field(default=None, validator=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if self.number == 2 and not self.commission_ids:
            raise RETAKE_COMMISSION.error(id=self.id)


@attrs.frozen(kw_only=True)
class DebtResolution:
    """An academic debt, its attempts and where it stands on a day.

    Attributes:
        debt: The debt.
        attempts: Its attempts, by number.
        outcome: Open, repaid, not repaid or cancelled.
        deadline: The last day of the term.
        decisions: The decisions now due: none while the debt is open or cancelled, the
            conditional promotion standing (``"promotion"``) once repaid, the policy's
            :class:`UnrepaidDecision` values once not repaid.
    """

    debt: AcademicDebt
    attempts: tuple[RetakeAttempt, ...]
    outcome: DebtOutcome
    deadline: dt.date
    decisions: tuple[str, ...]


def _refuse(debt: AcademicDebt, rule: str, ru: str, en: str) -> MovementError:
    return MovementError(
        f"задолженность по предмету «{debt.subject_id}»: {ru}",
        f"debt in '{debt.subject_id}': {en}",
        rule=rule,
        clause="10.1c",
        student_id=debt.student_id,
    )


def _check(
    debt: AcademicDebt, attempts: list[RetakeAttempt], last: dt.date, policy: MovementPolicy
) -> None:
    numbers = [a.number for a in attempts]
    if numbers != list(range(1, len(attempts) + 1)) or len(attempts) > policy.retake_attempts:
        raise _refuse(
            debt,
            "retake_numbers",
            f"пересдачи нумеруются с 1, не более {policy.retake_attempts}",
            f"retakes are numbered from 1, at most {policy.retake_attempts}",
        )
    previous: dt.date | None = None
    for attempt in attempts:
        if not debt.arose_on < attempt.held_on <= last:
            raise _refuse(
                debt,
                "retake_out_of_term",
                f"пересдача {attempt.held_on} вне срока ликвидации (до {last})",
                f"the retake on {attempt.held_on} is outside the term (until {last})",
            )
        if previous is not None and attempt.held_on <= previous:
            raise _refuse(
                debt,
                "retake_order",
                "повторная пересдача проводится после первой",
                "the second retake is held after the first",
            )
        if attempt.number == 2 and len(attempt.commission_ids) < policy.retake_commission_min:
            raise _refuse(
                debt,
                "retake_commission",
                f"в комиссии менее {policy.retake_commission_min} членов",
                f"the commission has fewer than {policy.retake_commission_min} members",
            )
        if previous is not None and attempts[attempt.number - 2].outcome is RetakeOutcome.PASSED:
            raise _refuse(
                debt,
                "retake_after_pass",
                "после сданной пересдачи новая не проводится",
                "no retake follows a passed one",
            )
        previous = attempt.held_on


def resolve_debt(
    debt: AcademicDebt,
    attempts: Iterable[RetakeAttempt],
    as_of: dt.date,
    policy: MovementPolicy,
) -> DebtResolution:
    """Judge where ``debt`` stands on ``as_of`` from its retake attempts (273-FZ art. 58).

    Attempts of other debts are ignored, as are those held after ``as_of``.

    Args:
        debt: The debt (from :meth:`MovementBook.debts`).
        attempts: Retake attempts (any student's).
        as_of: The day of the judgement.
        policy: The term, the number of attempts, the commission's size, the decisions.

    Returns:
        The debt's resolution.

    Raises:
        MovementError: If the attempts break the law's order: more attempts than allowed,
            numbers not 1, 2, an attempt outside the term or before the previous one, a
            second attempt before a commission smaller than the policy's, or an attempt
            after a passed one.
    """
    own = sorted(
        (
            a
            for a in attempts
            if a.student_id == debt.student_id
            and a.subject_id == debt.subject_id
            and a.debt_order_id == debt.order_id
            and a.held_on <= as_of
        ),
        key=lambda a: (a.number, a.held_on),
    )
    last = deadline(debt, policy.debt_term_months)
    _check(debt, own, last, policy)
    repaid_on = debt.repaid_on if debt.repaid_on is not None and debt.repaid_on <= as_of else None
    passed = any(a.outcome is RetakeOutcome.PASSED for a in own)
    if debt.cancelled_on is not None and debt.cancelled_on <= as_of:
        outcome = DebtOutcome.CANCELLED
    elif passed or repaid_on is not None:
        outcome = DebtOutcome.REPAID
    elif len(own) >= policy.retake_attempts or as_of > last:
        outcome = DebtOutcome.NOT_REPAID
    else:
        outcome = DebtOutcome.OPEN
    decisions: tuple[str, ...] = ()
    if outcome is DebtOutcome.REPAID:
        decisions = ("promotion",)
    elif outcome is DebtOutcome.NOT_REPAID:
        decisions = tuple(d.value for d in policy.unrepaid_decisions)
    return DebtResolution(
        debt=debt, attempts=tuple(own), outcome=outcome, deadline=last, decisions=decisions
    )
