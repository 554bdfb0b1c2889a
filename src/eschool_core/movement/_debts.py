"""The academic debts a movement book records: arising, repayment, cancellation (R10.1c)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

import attrs
from dateutil.relativedelta import relativedelta

from eschool_core.ids import StudentId, SubjectId
from eschool_core.movement._orders import Order, OrderItem
from eschool_core.movement._state import AcademicDebt

__all__ = ["DebtLedger", "deadline"]


class DebtLedger:
    """Every academic debt in recording order, with an index of the open ones.

    A debt is opened by a conditional promotion, closed by a repayment order, or cancelled
    by a repeat-year decision (a repeat of grades 1-8 and 10, or a retention in grade 9).
    """

    def __init__(self) -> None:
        self._debts: list[AcademicDebt] = []
        self._open: dict[tuple[StudentId, SubjectId], int] = {}

    def copy(self) -> DebtLedger:
        """Return an independent copy (for undoing a rollover)."""
        other = DebtLedger()
        other._debts = list(self._debts)
        other._open = dict(self._open)
        return other

    def recorded(self) -> tuple[AcademicDebt, ...]:
        """Return every debt ever recorded, open or closed, in recording order."""
        return tuple(self._debts)

    def open_on(self, day: date) -> tuple[AcademicDebt, ...]:
        """Return the debts open on ``day``."""
        return tuple(debt for debt in self._debts if debt.is_open_on(day))

    def overdue_on(self, day: date, term_months: int) -> tuple[AcademicDebt, ...]:
        """Return the debts still open on ``day`` after their repayment term ended."""
        return tuple(
            debt
            for debt in self._debts
            if debt.is_open_on(day) and day > deadline(debt, term_months)
        )

    def unsettled_of(self, students: Collection[StudentId]) -> tuple[AcademicDebt, ...]:
        """Return the debts of ``students`` neither repaid nor cancelled (carried at rollover)."""
        return tuple(
            debt
            for debt in self._debts
            if debt.student_id in students and debt.repaid_on is None and debt.cancelled_on is None
        )

    def open_debt(self, student_id: StudentId, subject_id: SubjectId) -> AcademicDebt:
        """Return the student's open debt in a subject (the caller knows it is open)."""
        return self._debts[self._open[(student_id, subject_id)]]

    def add(self, debts: Iterable[AcademicDebt]) -> None:
        """Record newly arisen debts."""
        for debt in debts:
            self._open[(debt.student_id, debt.subject_id)] = len(self._debts)
            self._debts.append(debt)

    def repay(self, order: Order, item: OrderItem) -> None:
        """Close the debts ``item`` repays (on its ``repaid_on``, else the order's date)."""
        for subject in item.subjects:
            index = self._open.pop((item.student_id, subject))
            self._debts[index] = attrs.evolve(
                self._debts[index],
                repaid_on=item.repaid_on or order.issued_on,
                repayment_order_id=order.id,
                repayment_entered_at=order.entered_at,
            )

    def cancel_open(self, student_id: StudentId, day: date) -> None:
        """Cancel every open debt of the student from ``day`` (a repeat-year decision)."""
        for key in [key for key in self._open if key[0] == student_id]:
            index = self._open.pop(key)
            self._debts[index] = attrs.evolve(self._debts[index], cancelled_on=day)


def deadline(debt: AcademicDebt, term_months: int) -> date:
    """Return the last day to repay ``debt``: ``term_months`` after it arose (273-FZ art. 58)."""
    return debt.arose_on + relativedelta(months=term_months)
