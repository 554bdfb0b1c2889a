"""Year close and rollover values: problems before closing, the class plan, the diff."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

import attrs

from eschool_core._validation import to_ids
from eschool_core.ids import ClassId, StudentId
from eschool_core.movement._kinds import OrderKind
from eschool_core.movement._state import AcademicDebt
from eschool_core.problems import Severity, problem_dict
from eschool_core.school import SchoolClass
from eschool_core.texts import Text

__all__ = [
    "PlannedClass",
    "RolloverMove",
    "RolloverPlan",
    "YearCloseProblem",
    "YearCloseProblemKind",
]


class YearCloseProblemKind(StrEnum):
    """Why a year cannot be closed yet (R4.5, R4.7)."""

    NO_DECISION = "no_decision"
    """A student of the year has no promotion, repeat, graduation or withdrawal order."""
    ORDER_NOT_ENTERED = "order_not_entered"
    """An order of the year in the head's register is not in the movement book."""
    DEBT_NOT_REPAID = "debt_not_repaid"
    """A debt not repaid after the last retake or the term is still open: a repeat year, an
    adapted programme or an individual curriculum is to be decided (273-FZ art. 58 p. 9)."""
    REPAYMENT_NOT_ENTERED = "repayment_not_entered"
    """A retake was passed but no repayment order closes the debt (R10.1c)."""


@attrs.frozen(kw_only=True)
class YearCloseProblem:
    """One thing to settle before the administrator closes the year (R4.7).

    Attributes:
        kind: What is missing.
        year: The academic year.
        clause: The clause of the regulation (``"4.7"``).
        requirement: The requirement id (``"R4.7"``).
        message: The problem in Russian and English.
        student_id: The student without a decision (``NO_DECISION``).
        class_id: That student's class.
        order_number: The order not entered (``ORDER_NOT_ENTERED``).
    """

    kind: YearCloseProblemKind
    year: str
    clause: str
    requirement: str
    message: Text
    student_id: StudentId | None = None
    class_id: ClassId | None = None
    order_number: str | None = None

    severity: ClassVar[Severity] = Severity.ERROR
    """Always an error: the year cannot be closed until it is settled."""

    @property
    def code(self) -> str:
        """The stable code, ``"year_close.<kind>"`` (``"year_close.no_decision"``)."""
        return f"year_close.{self.kind.value}"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form shared by every finding (docs/compliance.md).

        The entity is the student, or the order not entered; the year, the class and the
        order number are in ``details``.
        """
        entity_kind, entity_id = (
            ("order", self.order_number)
            if self.order_number is not None and self.student_id is None
            else ("student", str(self.student_id or ""))
        )
        return problem_dict(
            code=self.code,
            clause=self.clause,
            requirement=self.requirement,
            severity=self.severity,
            message=self.message,
            entity_kind=entity_kind,
            entity_id=entity_id,
            details={
                "year": self.year,
                "student_id": self.student_id,
                "class_id": self.class_id,
                "order_number": self.order_number,
            },
        )


def _student_ids(value: object) -> tuple[StudentId, ...]:
    return tuple(to_ids(value))


def _class_ids(value: object) -> tuple[ClassId, ...]:
    return tuple(to_ids(value))


@attrs.frozen(kw_only=True)
class PlannedClass:
    """A class of the next year in the preliminary list (R4.4a), with the students it gets.

    The administrator corrects the list (``attrs.evolve``) before planning the rollover.

    Attributes:
        school_class: The class of the next year (an existing one, or a new one to add).
        student_ids: The students who go to it at the rollover.
        source_class_ids: The classes of the closing year they come from.
    """

    school_class: SchoolClass
    student_ids: tuple[StudentId, ...] = attrs.field(converter=_student_ids)
    source_class_ids: tuple[ClassId, ...] = attrs.field(converter=_class_ids)


@attrs.frozen(kw_only=True)
class RolloverMove:
    """One student's move at the rollover.

    Attributes:
        student_id: The student.
        from_class_id: The class of the closing year.
        to_class_id: The class of the new year.
        decision: The end-of-year decision that moves him (promotion, repeat, ...).
    """

    student_id: StudentId
    from_class_id: ClassId
    to_class_id: ClassId
    decision: OrderKind


@attrs.frozen(kw_only=True)
class RolloverPlan:
    """The dry run of a rollover: a diff to review, then to apply as one step (R4.4a, R4.5).

    Attributes:
        year: The closing academic year.
        next_year: The new academic year.
        on: The first day in the new classes (usually 1 September).
        new_classes: Classes the rollover adds to the book.
        moves: Students promoted (conditionally or not) to another class.
        stays: Students who repeat the year (in the same parallel).
        leaves: Students who graduated or withdrew during the closing year.
        undecided: Students still without a decision; they are not moved.
        carried_debts: Open academic debts that carry over into the new year.
        version: The book's version the plan was made from (a stale plan is refused).
    """

    year: str
    next_year: str
    on: date
    new_classes: tuple[SchoolClass, ...]
    moves: tuple[RolloverMove, ...]
    stays: tuple[RolloverMove, ...]
    leaves: tuple[StudentId, ...]
    undecided: tuple[StudentId, ...]
    carried_debts: tuple[AcademicDebt, ...]
    version: int
