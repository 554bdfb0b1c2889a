"""Closing an academic year and rolling the book over to the next one (R4.4a, R4.5, R4.7)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

import attrs

from eschool_core._validation import check_year_label
from eschool_core.ids import ClassId, StudentId
from eschool_core.movement._kinds import OrderKind
from eschool_core.movement._ledger import Ledger
from eschool_core.movement._orders import MovementError
from eschool_core.movement._rollover import (
    PlannedClass,
    RolloverMove,
    RolloverPlan,
    YearCloseProblem,
    YearCloseProblemKind,
)
from eschool_core.movement._state import StudentStatus
from eschool_core.school import SchoolClass
from eschool_core.texts import Text

__all__ = [
    "enrolled_in",
    "next_year_classes",
    "next_year_label",
    "plan_rollover",
    "roll_over",
    "year_close_problems",
]

_PROMOTIONS = frozenset((OrderKind.PROMOTION, OrderKind.CONDITIONAL_PROMOTION))
_DEPARTURES = frozenset((OrderKind.GRADUATION, OrderKind.WITHDRAWAL))


def next_year_label(year: str) -> str:
    """Return the academic year after ``year``.

    Raises:
        ValidationError: If ``year`` is not a label like ``"2025/2026"``.

    >>> next_year_label("2025/2026")
    '2026/2027'
    """
    first, second = check_year_label(year)
    return f"{first + 1}/{second + 1}"


def enrolled_in(ledger: Ledger, year: str) -> list[StudentStatus]:
    """Return the latest status of every student still in a class of ``year``, by student id."""
    return [
        status
        for status in (ledger.latest(student) for student in sorted(ledger.timelines))
        if status.kind.enrolled and status.year == year
    ]


def year_close_problems(
    ledger: Ledger, year: str, entered: Iterable[str], issued_numbers: Iterable[str]
) -> tuple[YearCloseProblem, ...]:
    """List the undecided students of ``year`` and its issued orders not entered (R4.7).

    Args:
        ledger: The book's state.
        year: The academic year.
        entered: The numbers of the year's orders entered into the book.
        issued_numbers: The numbers of the year's orders in the head's register.
    """
    check_year_label(year)
    problems = [
        _no_decision(ledger, year, status)
        for status in enrolled_in(ledger, year)
        if status.decision is None
    ]
    known = {number.casefold() for number in entered}
    problems.extend(
        YearCloseProblem(
            kind=YearCloseProblemKind.ORDER_NOT_ENTERED,
            year=year,
            clause="4.7",
            requirement="R4.7",
            message=Text(
                f"Приказ №{number} {year} учебного года не внесён в книгу движения",
                f"Order {number} of {year} is not entered into the movement book",
            ),
            order_number=number,
        )
        for number in sorted(set(issued_numbers))
        if number.strip().casefold() not in known
    )
    return tuple(problems)


def _no_decision(ledger: Ledger, year: str, status: StudentStatus) -> YearCloseProblem:
    student_id = status.student_id
    name = ledger.classes[status.class_id].name if status.class_id else "?"
    return YearCloseProblem(
        kind=YearCloseProblemKind.NO_DECISION,
        year=year,
        clause="4.7",
        requirement="R4.7",
        message=Text(
            f"Учащийся «{student_id}» ({name}): нет приказа о переводе, "
            "условном переводе, повторном обучении, выпуске или выбытии",
            f"Student '{student_id}' ({name}): no promotion, conditional "
            "promotion, repeat, graduation or withdrawal order",
        ),
        student_id=student_id,
        class_id=status.class_id,
    )


def _default_class_id(year: str, parallel: int, letter: str) -> ClassId:
    return ClassId(f"{year}-{parallel}{letter}")


_LAST_GRADE = 11


def next_year_classes(
    ledger: Ledger,
    year: str,
    class_id_for: Callable[[str, int, str], ClassId] | None,
    *,
    preliminary: bool = False,
    admissions: Iterable[tuple[StudentId, str]] = (),
) -> tuple[PlannedClass, ...]:
    """Build the preliminary class list of the year after ``year`` from the decisions (R4.4a).

    See :meth:`MovementBook.next_year_classes`.
    """
    next_year = next_year_label(year)
    make_id = class_id_for or _default_class_id
    existing = {(c.parallel, c.letter): c for c in ledger.classes.values() if c.year == next_year}
    planned: dict[tuple[int, str], tuple[SchoolClass, list[StudentId], set[ClassId]]] = {}

    def place(key: tuple[int, str], student: StudentId, source: SchoolClass | None) -> None:
        if key not in planned:
            target = existing.get(key) or SchoolClass(
                id=make_id(next_year, key[0], key[1]),
                year=next_year,
                parallel=key[0],
                letter=key[1],
                capacity=None if source is None else source.capacity,
                shift=1 if source is None else source.shift,
                week_days=None if source is None else source.week_days,
            )
            planned[key] = (target, [], set())
        planned[key][1].append(student)
        if source is not None:
            planned[key][2].add(source.id)

    for status in enrolled_in(ledger, year):
        if status.class_id is None or status.parallel is None:
            continue
        source = ledger.classes[status.class_id]
        if status.decision is None:
            # the list as of 1 February: the undecided move up, the last grade leaves
            if not preliminary or source.parallel == _LAST_GRADE:
                continue
            step = 1
        else:
            step = 1 if status.decision in _PROMOTIONS else 0
        place((source.parallel + step, source.letter), status.student_id, source)
    for student, letter in admissions:
        place((1, letter.strip().upper()), student, None)
    return tuple(
        PlannedClass(school_class=target, student_ids=students, source_class_ids=sorted(sources))
        for target, students, sources in (planned[key] for key in sorted(planned))
    )


def plan_rollover(
    ledger: Ledger,
    year: str,
    on: date,
    classes: Sequence[PlannedClass] | None,
    *,
    capacity: Callable[[SchoolClass], int],
    version: int,
) -> RolloverPlan:
    """Make the dry run of the rollover of ``year``; see :meth:`MovementBook.plan_rollover`.

    Raises:
        MovementError: If the class list is not a valid plan.
    """
    next_year = next_year_label(year)
    plan_classes = next_year_classes(ledger, year, None) if classes is None else tuple(classes)
    statuses = {status.student_id: status for status in enrolled_in(ledger, year)}
    moves: list[RolloverMove] = []
    stays: list[RolloverMove] = []
    seen: set[StudentId] = set()
    for planned in plan_classes:
        target = planned.school_class
        _check_target(ledger, planned, next_year, on, capacity)
        for student_id in planned.student_ids:
            status = statuses.get(student_id)
            if student_id in seen or status is None or status.decision is None:
                raise MovementError(
                    "учащийся указан дважды или не имеет решения на конец года",
                    "the student is listed twice or has no end-of-year decision",
                    rule="bad_plan",
                    clause="4.5",
                    student_id=student_id,
                )
            if status.since is not None and on < status.since:
                raise MovementError(
                    f"дата перевода раньше предыдущего движения ({status.since})",
                    f"the rollover is dated before the previous movement ({status.since})",
                    rule="dated_before_previous",
                    clause="10.1",
                    student_id=student_id,
                )
            seen.add(student_id)
            move = RolloverMove(
                student_id=student_id,
                from_class_id=ClassId(status.class_id or ""),
                to_class_id=target.id,
                decision=status.decision,
            )
            same = target.parallel == ledger.classes[move.from_class_id].parallel
            (stays if same else moves).append(move)
    return RolloverPlan(
        year=year,
        next_year=next_year,
        on=on,
        new_classes=tuple(
            p.school_class for p in plan_classes if p.school_class.id not in ledger.classes
        ),
        moves=tuple(moves),
        stays=tuple(stays),
        leaves=tuple(_leavers(ledger, year)),
        undecided=tuple(sorted(s for s, status in statuses.items() if status.decision is None)),
        carried_debts=ledger.debts.unsettled_of(seen),
        version=version,
    )


def _check_target(
    ledger: Ledger,
    planned: PlannedClass,
    next_year: str,
    on: date,
    capacity: Callable[[SchoolClass], int],
) -> None:
    """Refuse a planned class of another year, or one the plan fills beyond capacity on ``on``."""
    target = planned.school_class
    if target.year != next_year:
        raise MovementError(
            f"класс {target.name} не относится к {next_year} учебному году",
            f"class {target.name} does not belong to {next_year}",
            rule="wrong_year",
            clause="4.4",
        )
    if len(planned.student_ids) + ledger.peak_occupancy(target.id, on) > capacity(target):
        raise MovementError(
            f"класс {target.name} переполнен",
            f"class {target.name} is over capacity",
            rule="class_full",
            clause="4.4",
        )


def _leavers(ledger: Ledger, year: str) -> list[StudentId]:
    """The students who graduated or withdrew during ``year`` and are not back in a class."""
    return sorted(
        student_id
        for student_id, timeline in ledger.timelines.items()
        if any(entry.kind in _DEPARTURES and entry.status.year == year for entry in timeline)
        and not ledger.latest(student_id).kind.enrolled
    )


def roll_over(ledger: Ledger, plan: RolloverPlan) -> None:
    """Record the moves and stays of ``plan`` (its new classes are already known)."""
    for move in (*plan.moves, *plan.stays):
        current = ledger.latest(move.student_id)
        target = ledger.classes[move.to_class_id]
        new = attrs.evolve(
            current,
            since=plan.on,
            class_id=target.id,
            year=target.year,
            parallel=target.parallel,
            decision=None,
            order_id=None,
        )
        ledger.record(plan.on, move.decision, current, new)
