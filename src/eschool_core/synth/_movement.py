"""The movement of a synthetic school year (R10.1): planned before the journal is written.

The orders are generated with the year, so the class memberships, the journal's rosters and
the movement book always agree: everyone is enrolled on the first school day, some students
arrive, leave or change class during the year, and the year ends with the decisions.
"""

from __future__ import annotations

import random
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta

import attrs

from eschool_core.calendar import StudyPeriod
from eschool_core.ids import ClassId, EmployeeId, OrderId, StudentId
from eschool_core.movement import MovementBook, Order, OrderItem, OrderKind
from eschool_core.school import SchoolClass
from eschool_core.synth._catalogue import TIME_ZONE
from eschool_core.synth._model import SyntheticSchool

__all__ = ["MIN_TRANSFERS", "MovementPlan", "issue_order", "movement_orders", "plan_movement"]

_SECRETARY = EmployeeId("emp-secretary")
MIN_TRANSFERS = 3
"""Fewest transfers between two classes of a parallel in a year, whatever the school's size."""
_TRANSFER_MARGIN = 5
"""School days of the period a transfer keeps on each side: it falls in the middle of one."""

Arrival = Callable[[SchoolClass, date], StudentId]
"""Makes a new student (with his family) who joins a class on a day, and returns his id."""


@attrs.frozen(kw_only=True)
class MovementPlan:
    """The movement of the year: its orders and the book they make.

    Attributes:
        orders: The orders planned, in the book's replay order.
        book: The movement book with every order applied (the year's end is issued into it
            later, see :func:`issue_order`).
    """

    orders: tuple[Order, ...]
    book: MovementBook


def plan_movement(
    rng: random.Random,
    *,
    year: str,
    classes: Sequence[SchoolClass],
    school_days: Sequence[date],
    home: Mapping[StudentId, ClassId],
    arrive: Arrival,
    periods: Mapping[int, Sequence[StudyPeriod]] | None = None,
) -> MovementPlan:
    """Plan a realistic, valid year of movement orders, up to the end-of-year decisions.

    Every student of ``home`` is enrolled on the first school day; about 2% more arrive
    later in the year (made by ``arrive``), about 2% leave, about 1% (at least
    :data:`MIN_TRANSFERS` where a parallel has two classes) change class within their
    parallel on a day in the middle of one of its study periods (with at least 5 of the
    period's school days before and after it). The decisions at the year's end follow the
    annual marks, so they are issued once the journal is written
    (:func:`~eschool_core.synth._year_end.issue_year_end`, with :func:`issue_order`).
    Orders are entered one day after issue. Every order is applied to the book as it is
    issued, so all are valid.

    Args:
        rng: The generator's random source.
        year: The academic-year label.
        classes: The classes of the year.
        school_days: The school days, in order.
        home: Each student's class on the first school day.
        arrive: Makes an arriving student for a class and a day.
        periods: The study periods of each parallel; without them a transfer falls on any
            day of the middle of the year.

    Returns:
        The orders and the book.
    """
    days = tuple(school_days)
    first, last = days[0], days[-1]
    by_id = {c.id: c for c in classes}
    students = sorted(home)
    book = MovementBook(classes)

    def issue(kind: OrderKind, day: date, items: Sequence[OrderItem]) -> None:
        issue_order(book, year, kind, day, items)

    issue(
        OrderKind.ENROLLMENT,
        first,
        [OrderItem(student_id=s, class_id=home[s]) for s in students],
    )
    where = dict(home)
    mid_year = [d for d in days if first < d < last - timedelta(days=30)]
    events: list[tuple[date, str, str]] = [
        (rng.choice(mid_year), "arrive", f"{index:05d}") for index in range(len(students) // 50)
    ]
    leaving = rng.sample(students, len(students) // 50)
    events += [(rng.choice(mid_year), "leave", s) for s in leaving]
    staying = [s for s in students if s not in set(leaving)]
    parallel_of = {c.id: c.parallel for c in classes}
    shared = {p for p, n in Counter(parallel_of.values()).items() if n > 1}
    movable = [s for s in staying if parallel_of[home[s]] in shared]
    moving = rng.sample(movable, min(len(movable), max(MIN_TRANSFERS, len(staying) // 100)))
    inner = {
        parallel: _mid_period_days(days, mid_year, (periods or {}).get(parallel, ()))
        for parallel in shared
    }
    events += [(rng.choice(inner[parallel_of[home[s]]]), "move", s) for s in moving]
    for day, what, key in sorted(events):
        student = StudentId(key)
        if what == "arrive":
            parallel = rng.choice(classes).parallel
            target = min(
                (c for c in classes if c.parallel == parallel),
                key=lambda c: book.occupancy(c.id, day),
            )
            if book.occupancy(target.id, day) >= book.capacity(target):
                continue
            newcomer = arrive(target, day)
            issue(OrderKind.ENROLLMENT, day, [OrderItem(student_id=newcomer, class_id=target.id)])
            where[newcomer] = target.id
        elif what == "leave":
            issue(
                OrderKind.WITHDRAWAL,
                day,
                [OrderItem(student_id=student, destination="другая школа")],
            )
            where.pop(student)
        else:
            current = by_id[where[student]]
            options = [
                c.id
                for c in classes
                if c.parallel == current.parallel
                and c.id != current.id
                and book.occupancy(c.id, day) < book.capacity(c)
            ]
            if options:
                target_id = rng.choice(options)
                issue(OrderKind.TRANSFER, day, [OrderItem(student_id=student, class_id=target_id)])
                where[student] = target_id
    return MovementPlan(orders=book.orders, book=book)


def _mid_period_days(
    days: Sequence[date], mid_year: Sequence[date], periods: Sequence[StudyPeriod]
) -> list[date]:
    """The days of ``mid_year`` with enough school days of their period on either side."""
    allowed = set(mid_year)
    inner = []
    for period in periods:
        own = [d for d in days if period.start <= d <= period.end]
        inner += [d for d in own[_TRANSFER_MARGIN:-_TRANSFER_MARGIN] if d in allowed]
    return sorted(inner) or list(mid_year)


def issue_order(
    book: MovementBook, year: str, kind: OrderKind, day: date, items: Sequence[OrderItem]
) -> None:
    """Issue the book's next order (numbered in turn, entered the next morning) and apply it.

    Raises:
        MovementError: If the order is not valid for the book (a generator's defect).
    """
    serial = len(book.orders) + 1
    entered = datetime.combine(day + timedelta(days=1), time(10), TIME_ZONE) + timedelta(
        seconds=serial
    )
    book.apply(
        Order(
            id=OrderId(f"order-{year[:4]}-{serial:04d}"),
            number=f"{serial}-у",
            kind=kind,
            issued_on=day,
            entered_at=entered,
            author_id=_SECRETARY,
            year=year,
            items=tuple(items),
        )
    )


def movement_orders(school: SyntheticSchool, *, seed: int | None = None) -> tuple[Order, ...]:
    """Return the movement orders of a synthetic school's year (R10.1).

    Deprecated: the orders are now generated with the year and are ``school.orders``; use
    that. This function returns them; the orders of another seed are no longer made after
    the fact (they could not agree with the school's rosters and journal), so a ``seed``
    other than the school's own gives a :class:`DeprecationWarning` and the school's
    orders all the same.

    Args:
        school: A school from :func:`~eschool_core.synth.generate`.
        seed: The school's seed, or ``None``.

    Returns:
        ``school.orders``.

    >>> from eschool_core.synth import generate
    >>> school = generate("small")
    >>> movement_orders(school) == school.orders, school.orders[0].kind.value
    (True, 'enrollment')
    """
    if seed is not None and seed != school.seed:
        warnings.warn(
            f"movement_orders(seed={seed}) no longer generates orders after the fact: the "
            f"school's own orders (seed {school.seed}) are returned; use school.orders",
            DeprecationWarning,
            stacklevel=2,
        )
    return school.orders
