"""Values the movement book reports: a student's status, academic debts, movement rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

import attrs

from eschool_core.ids import ClassId, OrderId, StudentId, SubjectId
from eschool_core.movement._kinds import EducationForm, OrderKind, StatusKind

__all__ = ["AcademicDebt", "MovementRow", "MovementScope", "StudentStatus"]


@attrs.frozen(kw_only=True)
class StudentStatus:
    """Where a student stands in the movement book from a date on (R2.2d).

    Attributes:
        student_id: The student.
        kind: Not enrolled, in a class, conditional, attached, withdrawn or graduated.
        since: The day this status began (``None`` for "not enrolled" from the start).
        class_id: The class, while the student learns in one.
        year: The academic year of that class.
        parallel: The grade (of the class, or in which an attached student is attested).
        decision: The end-of-year decision taken for the current class, if any.
        open_debts: Subjects with open academic debts.
        education_form: Family education or self-education, while attached.
        destination: Where a withdrawn or detached student went.
        order_id: The order that set this status (``None``: a rollover or no order).
    """

    student_id: StudentId
    kind: StatusKind
    since: date | None = None
    class_id: ClassId | None = None
    year: str | None = None
    parallel: int | None = None
    decision: OrderKind | None = None
    open_debts: frozenset[SubjectId] = frozenset()
    education_form: EducationForm | None = None
    destination: str | None = None
    order_id: OrderId | None = None


@attrs.frozen(kw_only=True)
class AcademicDebt:
    """An academic debt in one subject (273-FZ art. 58; R10.1c).

    Attributes:
        student_id: The student.
        subject_id: The subject.
        arose_on: The date of the conditional-promotion order that recorded it.
        order_id: That order.
        repaid_on: The day the debt was repaid, once it is.
        repayment_order_id: The order recording the repayment.
        repayment_entered_at: When the repayment was entered (R10.1c: within one working
            day of ``repaid_on``; the deadline rules check it).
        cancelled_on: The day a repeat-year decision cancelled the debt, if one did.
    """

    student_id: StudentId
    subject_id: SubjectId
    arose_on: date
    order_id: OrderId
    repaid_on: date | None = None
    repayment_order_id: OrderId | None = None
    repayment_entered_at: datetime | None = None
    cancelled_on: date | None = None

    def is_open_on(self, day: date) -> bool:
        """Return whether the debt is open on ``day`` (arisen, not yet repaid or cancelled)."""
        closed = self.repaid_on if self.repaid_on is not None else self.cancelled_on
        return self.arose_on <= day and (closed is None or day < closed)


class MovementScope(StrEnum):
    """What a movement row counts: one class, or a whole parallel (grade)."""

    CLASS = "class"
    PARALLEL = "parallel"


def _frozen_counts(value: Mapping[OrderKind, int]) -> Mapping[OrderKind, int]:
    return MappingProxyType(dict(sorted(value.items())))


@attrs.frozen(kw_only=True)
class MovementRow:
    """Movement of one class or parallel over a date range (движение учащихся, R2.2d).

    ``at_start + arrived_total - left_total == at_end`` always holds.

    Attributes:
        scope: Class or parallel.
        key: The class id, or the parallel as a string (``"5"``).
        name: The class name (``"5А"``) or the parallel (``"5"``).
        at_start: Students at the start of the first day, before its movements.
        arrived: Arrivals by the kind of order (or decision) that brought them.
        left: Departures by the kind of order that took them away.
        at_end: Students at the end of the last day.
    """

    scope: MovementScope
    key: str
    name: str
    at_start: int
    arrived: Mapping[OrderKind, int] = attrs.field(converter=_frozen_counts)
    left: Mapping[OrderKind, int] = attrs.field(converter=_frozen_counts)
    at_end: int

    @property
    def arrived_total(self) -> int:
        """All arrivals."""
        return sum(self.arrived.values())

    @property
    def left_total(self) -> int:
        """All departures."""
        return sum(self.left.values())
