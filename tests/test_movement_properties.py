"""Property tests of the movement book: balance, replay agreement, atomic rejection (R2.2d)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from eschool_core.ids import ClassId, StudentId
from eschool_core.movement import MovementBook, MovementError, Order, OrderItem, OrderKind
from tests.movement_helpers import START, book_with, order

_STUDENTS = [StudentId(f"s{i}") for i in range(8)]
_CLASSES = [ClassId(c) for c in ("5А", "5Б", "6А", "9А")]


@st.composite
def random_orders(draw: st.DrawFn) -> list[Order]:
    """Random orders of mixed validity, dated in non-decreasing order."""
    orders = []
    day = START
    for _ in range(draw(st.integers(1, 14))):
        day += timedelta(days=draw(st.integers(0, 20)))
        kind = draw(
            st.sampled_from(
                [
                    OrderKind.ENROLLMENT,
                    OrderKind.TRANSFER,
                    OrderKind.WITHDRAWAL,
                    OrderKind.PROMOTION,
                ]
            )
        )
        students = draw(st.lists(st.sampled_from(_STUDENTS), min_size=1, max_size=3, unique=True))
        items = [
            OrderItem(
                student_id=s,
                class_id=draw(st.sampled_from(_CLASSES)),
                destination="другая школа",
            )
            for s in students
        ]
        orders.append(order(kind, items, on=day))
    return orders


def _applied(orders: list[Order]) -> MovementBook:
    book = book_with(capacity=3)
    for candidate in orders:
        try:
            book.apply(candidate)
        except MovementError:
            continue
    return book


class TestMovementProperties:
    @given(random_orders(), st.integers(0, 120), st.integers(0, 120))
    def test_balance_holds_for_every_class_and_range(
        self, orders: list[Order], offset: int, length: int
    ) -> None:
        """R2.2d: start + arrived - left = end for every class and parallel, and matches rosters."""
        book = _applied(orders)
        start = START + timedelta(days=offset)
        end = start + timedelta(days=length)
        for row in book.movement(start, end):
            assert row.at_start + row.arrived_total - row.left_total == row.at_end
            if row.scope == "class":
                assert row.at_end == len(book.roster(row.key, end))

    @given(random_orders())
    def test_status_agrees_with_replay_from_scratch(self, orders: list[Order]) -> None:
        """R10.1: a book rebuilt from its orders gives the same status on every date."""
        book = _applied(orders)
        again = MovementBook.from_orders(book.orders, classes=book.classes, policy=book.policy)
        for student in _STUDENTS:
            for day in (START + timedelta(days=d) for d in range(0, 300, 7)):
                assert again.status_on(student, day) == book.status_on(student, day)
        assert again.memberships() == book.memberships()

    @given(random_orders(), random_orders())
    def test_rejected_order_changes_nothing(self, first: list[Order], more: list[Order]) -> None:
        """R10.1: an order that is rejected leaves the book exactly as it was."""
        book = _applied(first)
        for candidate in more:
            before = (book.orders, book.memberships(), book.debts(), book.version)
            try:
                book.apply(candidate)
            except MovementError:
                assert (book.orders, book.memberships(), book.debts(), book.version) == before

    @given(random_orders())
    def test_orders_in_date_order_never_overfill_a_class(self, orders: list[Order]) -> None:
        """R10.1: applied in date order, no class holds more than its capacity on any day."""
        book = _applied(orders)
        for candidate in book.orders:
            for class_id in _CLASSES:
                assert book.occupancy(class_id, candidate.issued_on) <= 3
