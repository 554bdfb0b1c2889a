"""Builders for movement tests: classes of two years and orders with few keystrokes."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from eschool_core.ids import ClassId, EmployeeId, OrderId, StudentId
from eschool_core.movement import (
    MovementBook,
    MovementError,
    MovementPolicy,
    Order,
    OrderItem,
    OrderKind,
)
from eschool_core.school import SchoolClass

YEAR = "2025/2026"
NEXT = "2026/2027"
START = date(2025, 9, 1)
YEAR_END = date(2026, 5, 29)

_numbers = itertools.count(1)


def school_classes(year: str = YEAR, capacity: int | None = None) -> list[SchoolClass]:
    """Classes 1А-11А and 5Б of ``year``, ids like ``"5А"`` (or ``"n5А"`` for the next year)."""
    prefix = "" if year == YEAR else "n"
    classes = [
        SchoolClass(
            id=ClassId(f"{prefix}{p}А"), year=year, parallel=p, letter="А", capacity=capacity
        )
        for p in range(1, 12)
    ]
    classes.append(
        SchoolClass(id=ClassId(f"{prefix}5Б"), year=year, parallel=5, letter="Б", capacity=capacity)
    )
    return classes


def order(
    kind: OrderKind | str,
    items: Iterable[OrderItem],
    *,
    on: date = START,
    number: str | None = None,
    year: str = YEAR,
    entered_after: timedelta = timedelta(hours=1),
) -> Order:
    """An order entered ``entered_after`` the start of its day."""
    serial = next(_numbers)
    return Order(
        id=OrderId(f"o{serial}"),
        number=number or str(serial),
        kind=kind,
        issued_on=on,
        entered_at=datetime(on.year, on.month, on.day, 9, tzinfo=UTC) + entered_after,
        author_id=EmployeeId("secretary"),
        year=year,
        items=list(items),
    )


def enroll(*pairs: tuple[str, str], on: date = START, number: str | None = None) -> Order:
    """Enrollment of (student, class) pairs."""
    return order(
        OrderKind.ENROLLMENT,
        [OrderItem(student_id=StudentId(s), class_id=ClassId(c)) for s, c in pairs],
        on=on,
        number=number,
    )


def simple(kind: OrderKind, *students: str, on: date = YEAR_END, **fields: object) -> Order:
    """An order of ``kind`` with the same item fields for every student."""
    return order(kind, [OrderItem(student_id=s, **fields) for s in students], on=on)


def book_with(*pairs: tuple[str, str], capacity: int = 25) -> MovementBook:
    """A book with this and next year's classes and the given students enrolled on 1 September."""
    book = MovementBook(
        [*school_classes(YEAR), *school_classes(NEXT)],
        policy=MovementPolicy(default_capacity=capacity),
    )
    if pairs:
        book.apply(enroll(*pairs))
    return book


def book_state(book: MovementBook) -> tuple[Any, ...]:
    """Everything observable about a book, to prove a rejected order changed nothing."""
    return (
        book.orders,
        book.memberships(),
        book.debts(),
        tuple(book.latest_status(s) for s in book.students()),
    )


def assert_rejected(book: MovementBook, bad: Any, rule: str, clause: str) -> MovementError:
    """Apply ``bad``, expect a MovementError with ``rule`` and ``clause``, and no change."""
    before = book_state(book)
    with pytest.raises(MovementError) as caught:
        book.apply(bad)
    assert caught.value.rule == rule
    assert caught.value.clause == clause
    assert caught.value.code == f"movement.{rule}"
    assert book_state(book) == before
    return caught.value
