"""The movement book (книга движения учащихся): orders applied in date order (R10.1, R2.2d).

The book keeps its state in a :class:`~eschool_core.movement._ledger.Ledger`; checking and
committing orders, the reports, and year close and rollover live in their own modules, and
:class:`MovementBook` is their one public face.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

import attrs

from eschool_core.ids import ClassId, OrderId, StudentId
from eschool_core.movement import _queries, _year_close
from eschool_core.movement._debts import deadline
from eschool_core.movement._errors import MOVEMENT_BAD_CLASS, MOVEMENT_BAD_STUDENT
from eschool_core.movement._kinds import UnrepaidDecision
from eschool_core.movement._ledger import Ledger, Snapshot
from eschool_core.movement._orders import (
    MOVEMENT_EDIT,
    MovementAuthorizer,
    MovementError,
    MovementPolicy,
    Order,
)
from eschool_core.movement._retakes import DebtOutcome, DebtResolution, RetakeAttempt, resolve_debt
from eschool_core.movement._rollover import (
    PlannedClass,
    RolloverPlan,
    YearCloseProblem,
    YearCloseProblemKind,
)
from eschool_core.movement._state import AcademicDebt, MovementRow, StudentStatus
from eschool_core.movement._transitions import check_order, commit_order
from eschool_core.movement._year_close import next_year_label
from eschool_core.school import ClassMembership, SchoolClass
from eschool_core.texts import Text

__all__ = ["MovementBook", "next_year_label"]


@attrs.frozen
class _Undo:
    """What undoing a rollover needs: the book's version right after it, the state before."""

    version: int
    snapshot: Snapshot


def _student_key(student: Any) -> StudentId:  # noqa: ANN401 - a Student or an id
    key = getattr(student, "id", student)
    if not isinstance(key, str):
        raise MOVEMENT_BAD_STUDENT.error(student=student)
    return StudentId(key)


def _class_key(school_class: Any) -> ClassId:  # noqa: ANN401 - a SchoolClass or an id
    key = getattr(school_class, "id", school_class)
    if not isinstance(key, str):
        raise MOVEMENT_BAD_CLASS.error(school_class=school_class)
    return ClassId(key)


class MovementBook:
    """The movement book: every student's status on any date, from the orders (R10.1, R2.2d).

    Orders are applied one at a time with :meth:`apply`, each all or nothing; an order may
    not be dated before a student's previous movement. The book also closes the year and
    rolls it over (R4.4a, R4.5, R4.7).

    Args:
        classes: The classes orders may name (more can be added with :meth:`add_classes`).
        policy: The configurable rules (default capacity, debt term).

    >>> from datetime import UTC, date, datetime
    >>> from eschool_core.movement import Order, OrderItem
    >>> from eschool_core.school import SchoolClass
    >>> book = MovementBook([SchoolClass(id="5a", year="2025/2026", parallel=5, letter="А")])
    >>> book.apply(Order(id="o1", number="1", kind="enrollment", issued_on=date(2025, 9, 1),
    ...     entered_at=datetime(2025, 9, 1, 10, tzinfo=UTC), author_id="e1", year="2025/2026",
    ...     items=[OrderItem(student_id="s1", class_id="5a")]))
    >>> book.status_on("s1", date(2025, 9, 1)).kind, book.occupancy("5a", date(2025, 9, 2))
    (<StatusKind.IN_CLASS: 'in_class'>, 1)
    """

    def __init__(
        self, classes: Iterable[SchoolClass] = (), *, policy: MovementPolicy | None = None
    ) -> None:
        self._policy = policy or MovementPolicy()
        self._ledger = Ledger()
        self._orders: dict[OrderId, Order] = {}
        self._numbers: set[tuple[str, str]] = set()
        self._version = 0
        self._rollovers: list[_Undo] = []
        self._rollover_plans: list[RolloverPlan] = []
        self.add_classes(classes)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_orders(
        cls,
        orders: Iterable[Order],
        *,
        classes: Iterable[SchoolClass] = (),
        policy: MovementPolicy | None = None,
        rollovers: Iterable[RolloverPlan] = (),
    ) -> MovementBook:
        """Rebuild a book by replaying stored orders (and applied rollovers) in date order.

        A rollover is replayed before the orders of its own day.

        Raises:
            MovementError: If the stored orders break a movement rule.
        """
        book = cls(classes, policy=policy)
        steps: list[tuple[tuple[Any, ...], Order | RolloverPlan]] = [
            ((order.issued_on, 1, *order.sort_key[1:]), order) for order in orders
        ]
        steps.extend(((plan.on, 0, plan.year), plan) for plan in rollovers)
        for _key, step in sorted(steps, key=lambda pair: pair[0]):
            if isinstance(step, Order):
                book.apply(step)
            else:
                book.apply_rollover(step, check_version=False)
        return book

    def add_classes(self, classes: Iterable[SchoolClass]) -> None:
        """Make classes known to the book (a class id already known is replaced)."""
        for school_class in classes:
            self._ledger.classes[school_class.id] = school_class
        self._version += 1

    @property
    def policy(self) -> MovementPolicy:
        """The rules the book applies."""
        return self._policy

    @property
    def classes(self) -> tuple[SchoolClass, ...]:
        """The classes known to the book."""
        return tuple(self._ledger.classes.values())

    @property
    def orders(self) -> tuple[Order, ...]:
        """The applied orders, in replay order."""
        return tuple(sorted(self._orders.values(), key=lambda order: order.sort_key))

    @property
    def rollovers(self) -> tuple[RolloverPlan, ...]:
        """The applied rollovers (to store beside the orders), oldest first."""
        return tuple(self._rollover_plans)

    @property
    def version(self) -> int:
        """A counter that grows with every change (plans remember it)."""
        return self._version

    def capacity(self, school_class: SchoolClass) -> int:
        """Return the most students ``school_class`` may hold (its own, else the policy's)."""
        return school_class.capacity or self._policy.default_capacity

    # -- applying orders ----------------------------------------------------------------

    def apply(
        self,
        order: Order,
        *,
        authorizer: MovementAuthorizer | None = None,
        actor: object = None,
    ) -> None:
        """Apply an order, all or nothing (R10.1).

        A repeat-year decision (:attr:`OrderKind.REPEAT`, or :attr:`OrderKind.RETENTION` in
        grade 9) cancels the student's open academic debts: each gets ``cancelled_on`` = the
        order's date, is no longer open, overdue or carried over at the rollover, and the
        student's status has no open debts (273-FZ art. 58 p. 9: an unrepaid debt leads to a
        repeat year instead).

        Capacity (R10.1) is checked from the order's date on: the class may hold at most
        :meth:`capacity` students after that day's movements and after those of every later
        day on which the book already records movements (orders applied out of date order
        cannot overfill a class later).

        Args:
            order: The order.
            authorizer: If given, asked whether ``actor`` may edit the book (R10.1: the
                secretary, the deputy head or the administrator).
            actor: Who applies the order.

        Raises:
            PermissionDenied: If the authorizer refuses.
            MovementError: If any item breaks a rule; nothing is changed.
        """
        if authorizer is not None:
            authorizer.require(actor, MOVEMENT_EDIT, order)
        if order.id in self._orders:
            raise MovementError(
                "приказ с таким идентификатором уже внесён",
                "an order with this id is already entered",
                rule="duplicate_order",
                clause="10.1",
                order=order,
            )
        number = (order.year, order.number.casefold())
        if number in self._numbers:
            raise MovementError(
                f"номер приказа повторяется в {order.year} учебном году",
                f"the order number repeats within the academic year {order.year}",
                rule="duplicate_number",
                clause="10.1",
                order=order,
            )
        changes = check_order(order, self._ledger, self.capacity)
        commit_order(order, changes, self._ledger)
        self._orders[order.id] = order
        self._numbers.add(number)
        self._version += 1

    # -- queries ------------------------------------------------------------------------

    def latest_status(self, student: Any) -> StudentStatus:  # noqa: ANN401 - Student or id
        """Return the student's status after every applied order."""
        return self._ledger.latest(_student_key(student))

    def status_on(self, student: Any, day: date) -> StudentStatus:  # noqa: ANN401
        """Return the student's status on ``day`` (after that day's orders).

        Args:
            student: A ``Student`` or a student id.
            day: The date.
        """
        return self._ledger.status_on(_student_key(student), day)

    def students(self) -> tuple[StudentId, ...]:
        """Return every student some order or rollover concerns, sorted."""
        return tuple(sorted(self._ledger.timelines))

    def roster(self, school_class: Any, day: date) -> tuple[StudentId, ...]:  # noqa: ANN401
        """Return the students in a class on ``day``, sorted (a ``SchoolClass`` or an id)."""
        return self._ledger.roster(_class_key(school_class), day)

    def occupancy(self, school_class: Any, day: date) -> int:  # noqa: ANN401
        """Return how many students a class has on ``day`` (наполняемость)."""
        return self._ledger.occupancy(_class_key(school_class), day)

    def movement(self, start: date, end: date) -> tuple[MovementRow, ...]:
        """Return the movement of every class and parallel from ``start`` to ``end``.

        ``at_start`` counts the students before the movements of ``start``; ``at_end``
        after those of ``end``. Moves inside a parallel do not count for the parallel.

        Raises:
            ValidationError: If ``end`` is before ``start``.
        """
        return _queries.movement_rows(self._ledger, start, end)

    def memberships(self) -> tuple[ClassMembership, ...]:
        """Return the class memberships the book implies, for a host to store.

        A membership runs from the day a student entered a class to the day before he
        left it; a stay that ended on the day it began is not a membership.
        """
        return _queries.class_memberships(self._ledger)

    # -- academic debts -----------------------------------------------------------------

    def debts(self) -> tuple[AcademicDebt, ...]:
        """Return every academic debt ever recorded, open or closed, in recording order."""
        return self._ledger.debts.recorded()

    def open_debts(self, as_of: date) -> tuple[AcademicDebt, ...]:
        """Return the debts open on ``as_of`` (neither repaid nor cancelled by then)."""
        return self._ledger.debts.open_on(as_of)

    def debt_deadline(self, debt: AcademicDebt) -> date:
        """Return the last day to repay ``debt`` (273-FZ art. 58: one year from arising)."""
        return deadline(debt, self._policy.debt_term_months)

    def overdue_debts(self, as_of: date) -> tuple[AcademicDebt, ...]:
        """Return the debts still open on ``as_of`` after their repayment term ended."""
        return self._ledger.debts.overdue_on(as_of, self._policy.debt_term_months)

    def resolve_debts(
        self, attempts: Iterable[RetakeAttempt], as_of: date
    ) -> tuple[DebtResolution, ...]:
        """Judge every recorded debt on ``as_of`` from its retake attempts (273-FZ art. 58).

        A debt repaid (a passed attempt or a repayment order) leaves the conditional
        promotion standing; one not repaid after the last attempt or the term leaves the
        decisions of the profile's ``[movement].unrepaid_decisions``.

        Raises:
            MovementError: If a debt's attempts break the law's order (see
                :func:`eschool_core.movement.resolve_debt`).
        """
        chosen = tuple(attempts)
        return tuple(
            resolve_debt(debt, chosen, as_of, self._policy)
            for debt in self._ledger.debts.recorded()
        )

    # -- year close and rollover --------------------------------------------------------

    def year_close_problems(
        self,
        year: str,
        *,
        issued_numbers: Iterable[str] = (),
        attempts: Iterable[RetakeAttempt] | None = None,
        as_of: date | None = None,
    ) -> tuple[YearCloseProblem, ...]:
        """List what must be settled before closing ``year`` (R4.5, R4.7).

        Args:
            year: The academic year.
            issued_numbers: The numbers of the year's orders in the head's register; those
                not entered into the book are reported.
            attempts: Retake attempts, if the host keeps them: a debt still open though not
                repaid after its last attempt or term (a decision is due), and a passed
                retake no repayment order records, are reported too.
            as_of: The day the attempts are judged on (default: the year's last day,
                31 August).

        Raises:
            MovementError: If a debt's attempts break the law's order.
        """
        entered = (number for order_year, number in self._numbers if order_year == year)
        problems = list(
            _year_close.year_close_problems(self._ledger, year, entered, issued_numbers)
        )
        if attempts is not None:
            day = as_of or date(int(year[-4:]), 8, 31)
            problems.extend(
                problem
                for resolution in self.resolve_debts(attempts, day)
                if (problem := _debt_problem(resolution, year, day)) is not None
            )
        return tuple(problems)

    def next_year_classes(
        self,
        year: str,
        *,
        class_id_for: Callable[[str, int, str], ClassId] | None = None,
        preliminary: bool = False,
        admissions: Iterable[tuple[StudentId, str]] = (),
    ) -> tuple[PlannedClass, ...]:
        """Build the preliminary class list of the next year from the decisions (R4.4a).

        5А goes to 6А, repeaters stay in their parallel (to 5А of the next year),
        graduates leave. A class of the next year already known to the book (same parallel
        and letter) is reused; otherwise a new one is proposed with the capacity of its
        source and the id ``class_id_for(next_year, parallel, letter)``.

        Args:
            year: The closing academic year.
            class_id_for: Makes ids for new classes (default ``"2026/2027-6А"``).
            preliminary: The list as approved on 1 February, before the decisions: a student
                without a decision is placed as promoted (grade 11 leaves).
            admissions: The new first grade from the admission campaign: (student, letter)
                pairs placed in grade 1 of the next year (1А, 1Б...).
        """
        return _year_close.next_year_classes(
            self._ledger, year, class_id_for, preliminary=preliminary, admissions=admissions
        )

    def plan_rollover(
        self, year: str, on: date, classes: Sequence[PlannedClass] | None = None
    ) -> RolloverPlan:
        """Make the dry run of the rollover of ``year``: who moves where, who stays, who leaves.

        Capacity is checked from ``on`` on (the students a class has that day or any later
        day, plus those the plan sends to it), as :meth:`apply` does for orders.

        Args:
            year: The closing academic year.
            on: The first day in the new classes.
            classes: The corrected class list (default: :meth:`next_year_classes`).

        Raises:
            MovementError: If the list names a student without a decision, twice, into a
                class of another year or beyond its capacity, or ``on`` precedes a movement.
        """
        return _year_close.plan_rollover(
            self._ledger, year, on, classes, capacity=self.capacity, version=self._version
        )

    def apply_rollover(self, plan: RolloverPlan, *, check_version: bool = True) -> None:
        """Apply a planned rollover as one step; :meth:`undo_rollover` reverts it.

        Raises:
            MovementError: If the book changed since the plan was made.
        """
        if check_version and plan.version != self._version:
            raise MovementError(
                "книга движения изменилась после подготовки перевода; подготовьте его заново",
                "the movement book changed after the rollover was planned; plan it again",
                rule="stale_plan",
                clause="4.4",
            )
        snapshot = self._ledger.snapshot()
        self.add_classes(plan.new_classes)
        _year_close.roll_over(self._ledger, plan)
        self._version += 1
        self._rollovers.append(_Undo(self._version, snapshot))
        self._rollover_plans.append(plan)

    def undo_rollover(self) -> RolloverPlan:
        """Revert the last rollover and return its plan.

        Raises:
            MovementError: If there is none, or the book changed since it was applied.
        """
        if not self._rollovers or self._rollovers[-1].version != self._version:
            raise MovementError(
                "нет перевода на новый год, который можно отменить (или после него внесены "
                "приказы)",
                "there is no rollover to undo (or orders were entered after it)",
                rule="no_rollover",
                clause="4.4",
            )
        self._ledger.restore(self._rollovers.pop().snapshot)
        self._version += 1
        return self._rollover_plans.pop()


def _debt_problem(resolution: DebtResolution, year: str, day: date) -> YearCloseProblem | None:
    """The year-close problem a debt's resolution gives, if any (273-FZ art. 58 p. 9)."""
    debt = resolution.debt
    if not debt.is_open_on(day):
        return None
    subject = debt.subject_id
    if resolution.outcome is DebtOutcome.NOT_REPAID:
        ru = ", ".join(UnrepaidDecision(d).label_ru for d in resolution.decisions)
        return YearCloseProblem(
            kind=YearCloseProblemKind.DEBT_NOT_REPAID,
            year=year,
            clause="10.1c",
            requirement="R10.1c",
            message=Text(
                f"Учащийся «{debt.student_id}»: задолженность по предмету «{subject}» "
                f"не ликвидирована (срок {resolution.deadline}); решение: {ru}",
                f"Student '{debt.student_id}': the debt in '{subject}' is not repaid "
                f"(term {resolution.deadline}); decide: {', '.join(resolution.decisions)}",
            ),
            student_id=debt.student_id,
        )
    if resolution.outcome is DebtOutcome.REPAID:
        return YearCloseProblem(
            kind=YearCloseProblemKind.REPAYMENT_NOT_ENTERED,
            year=year,
            clause="10.1c",
            requirement="R10.1c",
            message=Text(
                f"Учащийся «{debt.student_id}»: пересдача по предмету «{subject}» "
                "сдана, но приказ о ликвидации задолженности не внесён",
                f"Student '{debt.student_id}': the retake in '{subject}' is passed "
                "but no repayment order is entered",
            ),
            student_id=debt.student_id,
        )
    return None
