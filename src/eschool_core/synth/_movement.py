"""The movement orders of a synthetic school year (R10.1): deterministic, and all valid."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta

from eschool_core.ids import ClassId, EmployeeId, OrderId, StudentId, SubjectId
from eschool_core.movement import MovementBook, Order, OrderItem, OrderKind
from eschool_core.school import SchoolClass
from eschool_core.synth._catalogue import TIME_ZONE
from eschool_core.synth._model import SyntheticSchool

__all__ = ["movement_orders"]

_SECRETARY = EmployeeId("emp-secretary")


def movement_orders(school: SyntheticSchool, *, seed: int = 1) -> tuple[Order, ...]:
    """Return a realistic, valid year of movement orders for ``school``.

    Most students are enrolled on the first school day; about 2% arrive later in the year,
    about 2% leave, about 1% change class within their parallel, and the year ends with
    promotion (about 4% conditional, with one or two debts, some repaid in June), repeats,
    retention in grade 9 and graduation of grades 9 and 11. Orders are entered one working
    day after issue. The same school and seed always give the same orders.

    >>> from eschool_core.synth import generate
    >>> orders = movement_orders(generate("small"))
    >>> orders[0].kind.value, len(orders) > 10
    ('enrollment', True)
    """
    rng = random.Random(f"movement-{seed}-{school.year}")
    days = school.school_days
    first, last = days[0], days[-1]
    classes = {c.id: c for c in school.classes}
    home = {m.student_id: m.class_id for m in school.memberships}
    students = sorted(home)
    late = set(rng.sample(students, len(students) // 50))
    counter = iter(range(1, 1_000_000))
    orders: list[Order] = []

    book = MovementBook(school.classes)

    def issue(kind: OrderKind, day: date, items: Sequence[OrderItem]) -> None:
        serial = next(counter)
        entered = datetime.combine(day + timedelta(days=1), time(10), TIME_ZONE) + timedelta(
            seconds=serial
        )
        candidate = Order(
            id=OrderId(f"order-{school.year[:4]}-{serial:04d}"),
            number=f"{serial}-у",
            kind=kind,
            issued_on=day,
            entered_at=entered,
            author_id=_SECRETARY,
            year=school.year,
            items=tuple(items),
        )
        book.apply(candidate)  # every generated order must be valid
        orders.append(candidate)

    issue(
        OrderKind.ENROLLMENT,
        first,
        [OrderItem(student_id=s, class_id=home[s]) for s in students if s not in late],
    )
    where = {s: home[s] for s in students if s not in late}
    mid_year = [d for d in days if first < d < last - timedelta(days=30)]
    events: list[tuple[date, str, StudentId]] = [
        (rng.choice(mid_year), "arrive", s) for s in sorted(late)
    ]
    movable = [s for s in students if s not in late]
    leaving = rng.sample(movable, len(movable) // 50)
    events += [(rng.choice(mid_year), "leave", s) for s in leaving]
    staying = [s for s in movable if s not in set(leaving)]
    events += [(rng.choice(mid_year), "move", s) for s in rng.sample(staying, len(staying) // 100)]
    for day, what, student in sorted(events):
        if what == "arrive":
            parallel = classes[home[student]].parallel
            target = min(
                (c.id for c in school.classes if c.parallel == parallel),
                key=lambda class_id: (book.occupancy(class_id, day), class_id != home[student]),
            )
            if book.occupancy(target, day) >= book.capacity(classes[target]):
                continue
            issue(OrderKind.ENROLLMENT, day, [OrderItem(student_id=student, class_id=target)])
            where[student] = target
        elif what == "leave" and student in where:
            issue(
                OrderKind.WITHDRAWAL,
                day,
                [OrderItem(student_id=student, destination="другая школа")],
            )
            where.pop(student)
        elif what == "move" and student in where:
            current = classes[where[student]]
            options = [
                c.id
                for c in school.classes
                if c.parallel == current.parallel
                and c.id != current.id
                and book.occupancy(c.id, day) < book.capacity(c)
            ]
            if options:
                target = rng.choice(options)
                issue(OrderKind.TRANSFER, day, [OrderItem(student_id=student, class_id=target)])
                where[student] = target
    _year_end(school, rng, where, classes, issue)
    return tuple(orders)


def _year_end(
    school: SyntheticSchool,
    rng: random.Random,
    where: dict[StudentId, ClassId],
    classes: Mapping[ClassId, SchoolClass],
    issue: Callable[[OrderKind, date, Sequence[OrderItem]], None],
) -> None:
    """Issue the end-of-year decisions and some repayments in June."""
    decision_day = school.school_days[-1]
    subjects = [SubjectId(s.id) for s in school.subjects]
    by_kind: dict[OrderKind, list[OrderItem]] = {kind: [] for kind in OrderKind}
    repay: list[OrderItem] = []
    for student in sorted(where):
        school_class = classes[where[student]]
        roll = rng.random()
        if school_class.parallel in (9, 11):
            kind = (
                OrderKind.RETENTION
                if school_class.parallel == 9 and roll < 0.01
                else OrderKind.GRADUATION
            )
            by_kind[kind].append(OrderItem(student_id=student))
        elif roll < 0.01:
            by_kind[OrderKind.REPEAT].append(OrderItem(student_id=student))
        elif roll < 0.05:
            debts = tuple(sorted(rng.sample(subjects, rng.choice((1, 1, 2)))))
            by_kind[OrderKind.CONDITIONAL_PROMOTION].append(
                OrderItem(student_id=student, subjects=debts)
            )
            if rng.random() < 0.5:
                repay.append(
                    OrderItem(
                        student_id=student,
                        subjects=debts,
                        repaid_on=decision_day + timedelta(days=14),
                    )
                )
        else:
            by_kind[OrderKind.PROMOTION].append(OrderItem(student_id=student))
    for kind, items in by_kind.items():
        if items:
            issue(kind, decision_day, items)
    for item in repay:
        issue(OrderKind.DEBT_REPAYMENT, decision_day + timedelta(days=14), [item])
