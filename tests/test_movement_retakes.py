"""Retake attempts of academic debts and the decisions they lead to (R10.1c, 273-FZ art. 58)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.errors import ValidationError
from eschool_core.movement import (
    AcademicDebt,
    DebtOutcome,
    MovementBook,
    MovementError,
    MovementPolicy,
    OrderItem,
    OrderKind,
    RetakeAttempt,
    RetakeOutcome,
    UnrepaidDecision,
    YearCloseProblemKind,
    resolve_debt,
)
from eschool_core.profiles import default_profile
from tests.movement_helpers import NEXT, YEAR, YEAR_END, book_with, order, simple

POLICY = MovementPolicy()
_FIRST = YEAR_END + timedelta(days=100)  # 6 September 2026
_SECOND = _FIRST + timedelta(days=30)
_AFTER = date(2026, 12, 1)
_COMMISSION = ("t1", "t2", "t3")


def _debt(book_debts: tuple[AcademicDebt, ...]) -> AcademicDebt:
    [debt] = book_debts
    return debt


def _attempt(
    debt: AcademicDebt, number: int, outcome: str, held_on: date, **fields: object
) -> RetakeAttempt:
    base: dict[str, object] = {
        "id": f"r{number}-{held_on.isoformat()}",
        "student_id": debt.student_id,
        "subject_id": debt.subject_id,
        "debt_order_id": debt.order_id,
        "year": NEXT,
        "number": number,
        "held_on": held_on,
        "outcome": outcome,
        "commission_ids": _COMMISSION if number == 2 else (),
    }
    base.update(fields)
    return RetakeAttempt(**base)


def _conditional() -> tuple[MovementBook, AcademicDebt]:
    book = book_with(("s1", "6А"))
    book.apply(simple(OrderKind.CONDITIONAL_PROMOTION, "s1", subjects=["math"]))
    return book, _debt(book.debts())


class TestRetakeOutcomes:
    def test_second_attempt_before_a_commission_repays(self) -> None:
        """R10.1c: a failed first retake and a passed second one repay the debt: promotion."""
        book, debt = _conditional()
        attempts = [
            _attempt(debt, 1, "failed", _FIRST),
            _attempt(debt, 2, "passed", _SECOND),
        ]
        [resolution] = book.resolve_debts(attempts, _AFTER)
        assert resolution.outcome is DebtOutcome.REPAID
        assert resolution.decisions == ("promotion",)
        assert [a.number for a in resolution.attempts] == [1, 2]

    def test_two_failed_attempts_leave_the_laws_decisions(self) -> None:
        """R10.1c: two failed retakes leave a repeat year, an adapted programme or an own plan."""
        book, debt = _conditional()
        attempts = [_attempt(debt, 1, "failed", _FIRST), _attempt(debt, 2, "absent", _SECOND)]
        [resolution] = book.resolve_debts(attempts, _AFTER)
        assert resolution.outcome is DebtOutcome.NOT_REPAID
        assert resolution.decisions == ("repeat", "adapted_programme", "individual_plan")

    def test_one_failed_attempt_leaves_the_debt_open(self) -> None:
        """R10.1c: after one failed retake within the term the debt is still open."""
        _book, debt = _conditional()
        resolution = resolve_debt(debt, [_attempt(debt, 1, "failed", _FIRST)], _AFTER, POLICY)
        assert (resolution.outcome, resolution.decisions) == (DebtOutcome.OPEN, ())

    def test_the_term_ending_without_attempts_is_not_repaid(self) -> None:
        """R10.1c: no attempt passed by the end of the term (12 months) is not repaid."""
        _book, debt = _conditional()
        assert resolve_debt(debt, [], debt.arose_on + timedelta(days=365), POLICY).outcome is (
            DebtOutcome.OPEN
        )
        late = resolve_debt(debt, [], debt.arose_on + timedelta(days=366), POLICY)
        assert late.outcome is DebtOutcome.NOT_REPAID
        assert late.deadline == date(2027, 5, 29)

    def test_a_repeat_order_cancels(self) -> None:
        """R10.1c: a repeat decision cancels the debt, which then needs no decision."""
        book, _ = _conditional()
        book.apply_rollover(book.plan_rollover(YEAR, date(2026, 9, 1)))
        book.apply(
            order(OrderKind.REPEAT, [OrderItem(student_id="s1")], on=date(2027, 5, 28), year=NEXT)
        )
        [resolution] = book.resolve_debts([], date(2027, 6, 1))
        assert (resolution.outcome, resolution.decisions) == (DebtOutcome.CANCELLED, ())


class TestRetakeRules:
    def test_the_second_attempt_needs_a_commission(self) -> None:
        """R10.1c: a second retake without a commission is refused (273-FZ art. 58 p. 6)."""
        _book, debt = _conditional()
        with pytest.raises(ValidationError) as caught:
            _attempt(debt, 2, "passed", _SECOND, commission_ids=())
        assert caught.value.code == "retake.commission"

    def test_at_most_two_attempts(self) -> None:
        """R10.1c: a third retake does not exist (273-FZ art. 58 p. 5)."""
        _book, debt = _conditional()
        with pytest.raises(ValidationError):
            _attempt(debt, 3, "passed", _SECOND)

    @pytest.mark.parametrize(
        ("attempts", "rule"),
        [
            ([(2, "failed", 0)], "retake_numbers"),
            ([(1, "failed", 0), (2, "passed", -1)], "retake_order"),
            ([(1, "failed", 400)], "retake_out_of_term"),
            ([(1, "passed", 0), (2, "failed", 10)], "retake_after_pass"),
        ],
    )
    def test_attempts_out_of_order_are_refused(
        self, attempts: list[tuple[int, str, int]], rule: str
    ) -> None:
        """R10.1c: attempts numbered 1, 2, in order, within the term, none after a pass."""
        _book, debt = _conditional()
        chosen = [_attempt(debt, n, o, _FIRST + timedelta(days=d)) for n, o, d in attempts]
        with pytest.raises(MovementError) as caught:
            resolve_debt(debt, chosen, date(2027, 12, 31), POLICY)
        assert caught.value.rule == rule
        assert caught.value.clause == "10.1c"

    def test_a_small_commission_is_refused(self) -> None:
        """R10.1c: the second retake's commission has the profile's fewest members (3)."""
        _book, debt = _conditional()
        attempts = [
            _attempt(debt, 1, "failed", _FIRST),
            _attempt(debt, 2, "passed", _SECOND, commission_ids=("t1", "t2")),
        ]
        with pytest.raises(MovementError) as caught:
            resolve_debt(debt, attempts, _AFTER, POLICY)
        assert caught.value.rule == "retake_commission"


class TestProfileAndYearClose:
    def test_the_default_profile_gives_the_laws_terms(self) -> None:
        """R10.1c: two attempts, a commission of three, the three decisions of art. 58 p. 9."""
        policy = default_profile().movement
        assert (policy.debt_term_months, policy.retake_attempts) == (12, 2)
        assert policy.retake_commission_min == 3
        assert policy.unrepaid_decisions == tuple(UnrepaidDecision)

    def test_one_attempt_allowed_by_the_school(self) -> None:
        """R10.1c: a school allowing one attempt judges the debt after it."""
        _book, debt = _conditional()
        policy = MovementPolicy(retake_attempts=1, unrepaid_decisions=["repeat"])
        resolution = resolve_debt(debt, [_attempt(debt, 1, "failed", _FIRST)], _AFTER, policy)
        assert (resolution.outcome, resolution.decisions) == (DebtOutcome.NOT_REPAID, ("repeat",))

    def test_year_close_reports_debts_to_decide_and_repayments_to_enter(self) -> None:
        """R10.1c: the year cannot close over a debt not repaid, or a pass without its order."""
        book, debt = _conditional()
        book.apply_rollover(book.plan_rollover(YEAR, date(2026, 9, 1)))
        failed = [_attempt(debt, 1, "failed", _FIRST), _attempt(debt, 2, "failed", _SECOND)]
        problems = book.year_close_problems(NEXT, attempts=failed)
        kinds = [p.kind for p in problems if p.kind is not YearCloseProblemKind.NO_DECISION]
        assert kinds == [YearCloseProblemKind.DEBT_NOT_REPAID]
        assert "повторное обучение" in problems[-1].message.ru
        passed = [_attempt(debt, 1, "passed", _FIRST)]
        problems = book.year_close_problems(NEXT, attempts=passed)
        assert [p.kind for p in problems if p.kind is not YearCloseProblemKind.NO_DECISION] == [
            YearCloseProblemKind.REPAYMENT_NOT_ENTERED
        ]
        book.apply(
            order(
                OrderKind.DEBT_REPAYMENT,
                [simple(OrderKind.DEBT_REPAYMENT, "s1", subjects=["math"]).items[0]],
                on=_FIRST,
                year=NEXT,
            )
        )
        problems = book.year_close_problems(NEXT, attempts=passed)
        assert [p.kind for p in problems if p.kind is not YearCloseProblemKind.NO_DECISION] == []


_OUTCOMES = st.sampled_from(list(RetakeOutcome))


class TestRetakeStateMachine:
    @settings(max_examples=60, deadline=None)
    @given(
        outcomes=st.lists(_OUTCOMES, max_size=2),
        gaps=st.lists(st.integers(1, 150), min_size=2, max_size=2),
        as_of_days=st.integers(0, 800),
    )
    def test_outcome_matches_an_oracle(
        self, outcomes: list[RetakeOutcome], gaps: list[int], as_of_days: int
    ) -> None:
        """R10.1c: debt → attempts → outcome agrees with the law read independently."""
        _book, debt = _conditional()
        if RetakeOutcome.PASSED in outcomes[:-1]:
            outcomes = outcomes[: outcomes.index(RetakeOutcome.PASSED) + 1]
        days = [debt.arose_on + timedelta(days=gaps[0])]
        days.append(days[0] + timedelta(days=gaps[1]))
        attempts = [_attempt(debt, n + 1, o.value, days[n]) for n, o in enumerate(outcomes)]
        as_of = debt.arose_on + timedelta(days=as_of_days)
        resolution = resolve_debt(debt, attempts, as_of, POLICY)
        held = [o for o, day in zip(outcomes, days, strict=False) if day <= as_of]
        term_end = date(2027, 5, 29)
        if RetakeOutcome.PASSED in held:
            expected = DebtOutcome.REPAID
        elif len(held) == 2 or as_of > term_end:
            expected = DebtOutcome.NOT_REPAID
        else:
            expected = DebtOutcome.OPEN
        assert resolution.outcome is expected
        assert len(resolution.attempts) == len(held)
