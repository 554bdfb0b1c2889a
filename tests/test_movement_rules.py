"""Movement rules pinned by scenario and property: debts a repeat year cancels, capacity dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.ids import ClassId, StudentId, SubjectId
from eschool_core.movement import (
    AcademicDebt,
    MovementBook,
    MovementError,
    Order,
    OrderItem,
    OrderKind,
    StatusKind,
)
from tests.movement_helpers import (
    NEXT,
    START,
    YEAR,
    assert_rejected,
    book_with,
    enroll,
    order,
    simple,
)

_ROLLOVER = date(2026, 9, 1)
_NEXT_END = date(2027, 5, 28)
_SUBJECTS = [SubjectId(s) for s in ("bio", "chem", "math", "rus")]


def _next_year(kind: OrderKind, student: str, *, on: date, **fields: object) -> Order:
    """An order of the next academic year for one student."""
    return order(kind, [OrderItem(student_id=StudentId(student), **fields)], on=on, year=NEXT)


def _carried_into_next_year(klass: str, subjects: list[str]) -> MovementBook:
    """s1 (in ``klass``) is promoted with debts in ``subjects``, s2 (5А) with a debt in math,
    and the year is rolled over, so both start the next year with their debts open."""
    book = book_with(("s1", klass), ("s2", "5А"))
    book.apply(simple(OrderKind.CONDITIONAL_PROMOTION, "s1", subjects=subjects))
    book.apply(simple(OrderKind.CONDITIONAL_PROMOTION, "s2", subjects=["math"]))
    book.apply_rollover(book.plan_rollover(YEAR, _ROLLOVER))
    assert book.latest_status("s1").open_debts == frozenset(subjects)
    return book


class TestRepeatYearCancelsDebts:
    @pytest.mark.parametrize(
        ("klass", "kind"),
        [("6А", OrderKind.REPEAT), ("8А", OrderKind.RETENTION)],
    )
    def test_repeat_cancels_the_open_debts_on_the_order_date(
        self, klass: str, kind: OrderKind
    ) -> None:
        """R10.1c, R10.1d: a repeat year (or a grade-9 retention) cancels the open debts."""
        book = _carried_into_next_year(klass, ["math", "rus"])
        book.apply(
            _next_year(OrderKind.DEBT_REPAYMENT, "s1", on=date(2026, 10, 5), subjects=["math"])
        )
        book.apply(_next_year(kind, "s1", on=_NEXT_END))
        status = book.latest_status("s1")
        assert (status.kind, status.decision, status.open_debts) == (
            StatusKind.IN_CLASS,
            kind,
            frozenset(),
        )
        debts: dict[tuple[str, str], AcademicDebt] = {
            (d.student_id, d.subject_id): d for d in book.debts()
        }
        assert (debts["s1", "rus"].cancelled_on, debts["s1", "rus"].repaid_on) == (_NEXT_END, None)
        assert (debts["s1", "math"].cancelled_on, debts["s1", "math"].repaid_on) == (
            None,
            date(2026, 10, 5),
        )
        assert debts["s2", "math"].cancelled_on is None
        assert [(d.student_id, d.subject_id) for d in book.open_debts(date(2027, 5, 27))] == [
            ("s1", "rus"),
            ("s2", "math"),
        ]
        assert [d.student_id for d in book.open_debts(_NEXT_END)] == ["s2"]
        assert [d.student_id for d in book.overdue_debts(date(2027, 6, 1))] == ["s2"]

    def test_a_cancelled_debt_cannot_be_repaid_nor_is_carried(self) -> None:
        """R10.1c: after a repeat year the debt is closed: no repayment, no carry-over."""
        book = _carried_into_next_year("6А", ["rus"])
        book.apply(_next_year(OrderKind.REPEAT, "s1", on=_NEXT_END))
        assert_rejected(
            book,
            _next_year(OrderKind.DEBT_REPAYMENT, "s1", on=date(2027, 6, 2), subjects=["rus"]),
            "debt_not_open",
            "10.1c",
        )
        book.apply(
            _next_year(OrderKind.CONDITIONAL_PROMOTION, "s2", on=_NEXT_END, subjects=["bio"])
        )
        plan = book.plan_rollover(NEXT, date(2027, 9, 1))
        assert [(m.student_id, m.decision) for m in plan.stays] == [("s1", OrderKind.REPEAT)]
        assert [(d.student_id, d.subject_id) for d in plan.carried_debts] == [
            ("s2", "math"),
            ("s2", "bio"),
        ]

    @given(st.sets(st.sampled_from(_SUBJECTS), min_size=1), st.data())
    def test_after_a_repeat_every_debt_is_repaid_or_cancelled(
        self, owed: set[SubjectId], data: st.DataObject
    ) -> None:
        """R10.1c: the debts repaid before a repeat stay repaid; all the others are cancelled."""
        book = _carried_into_next_year("6А", sorted(owed))
        repaid = data.draw(st.sets(st.sampled_from(sorted(owed)), max_size=len(owed) - 1))
        if repaid:
            book.apply(
                _next_year(
                    OrderKind.DEBT_REPAYMENT, "s1", on=date(2026, 10, 5), subjects=sorted(repaid)
                )
            )
        book.apply(_next_year(OrderKind.REPEAT, "s1", on=_NEXT_END))
        mine = [d for d in book.debts() if d.student_id == "s1"]
        assert {d.subject_id for d in mine if d.repaid_on is not None} == repaid
        assert {d.subject_id for d in mine if d.cancelled_on == _NEXT_END} == owed - repaid
        assert not any(d.is_open_on(_NEXT_END) for d in mine)


class TestCapacityOnTheOrderDate:
    def test_departures_up_to_the_order_date_free_places(self) -> None:
        """R10.1: capacity counts the class as it is after the movements of the order's date."""
        book = book_with(("s1", "5А"), ("s2", "5А"), capacity=2)
        book.apply(simple(OrderKind.WITHDRAWAL, "s1", on=date(2025, 10, 10), destination="x"))
        assert_rejected(book, enroll(("s3", "5А"), on=date(2025, 10, 9)), "class_full", "10.1")
        book.apply(enroll(("s3", "5А"), on=date(2025, 10, 10)))
        assert book.roster("5А", date(2025, 10, 10)) == ("s2", "s3")

    def test_later_arrivals_count(self) -> None:
        """R10.1: an order dated before recorded arrivals may not overfill the class on
        their dates, so a replay in date order reaches the same book."""
        book = book_with(capacity=2)
        book.apply(enroll(("s1", "5А"), ("s2", "5А"), on=date(2025, 10, 1)))
        assert_rejected(book, enroll(("s3", "5А"), on=date(2025, 9, 15)), "class_full", "10.1")
        book.apply(simple(OrderKind.WITHDRAWAL, "s1", on=date(2025, 10, 20), destination="x"))
        assert_rejected(book, enroll(("s3", "5А"), on=date(2025, 9, 15)), "class_full", "10.1")
        book.apply(enroll(("s3", "5А"), on=date(2025, 10, 20)))
        assert book.occupancy("5А", date(2025, 10, 20)) == 2

    def test_rollover_capacity_counts_later_arrivals(self) -> None:
        """R4.4a: a planned class is checked on the rollover's day and every later day."""
        book = book_with(("s1", "5А"), capacity=1)
        book.apply(simple(OrderKind.PROMOTION, "s1"))
        book.apply(
            order(
                OrderKind.ENROLLMENT,
                [OrderItem(student_id=StudentId("s9"), class_id=ClassId("n6А"))],
                on=date(2026, 9, 2),
                year=NEXT,
            )
        )
        for day in (date(2026, 9, 2), _ROLLOVER):
            with pytest.raises(MovementError) as full:
                book.plan_rollover(YEAR, day)
            assert (full.value.rule, full.value.clause) == ("class_full", "4.4")
        assert book.occupancy("n6А", START) == 0
