"""Orders (приказы) of the movement book, the movement error, the policy and the rights check."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

import attrs

from eschool_core import _validation as v
from eschool_core.errors import RuleViolation
from eschool_core.ids import ClassId, EmployeeId, OrderId, StudentId, SubjectId
from eschool_core.movement._errors import ORDER_DUPLICATE_STUDENT, ORDER_NO_ITEMS
from eschool_core.movement._kinds import EducationForm, OrderKind, UnrepaidDecision

__all__ = [
    "MOVEMENT_EDIT",
    "MovementAuthorizer",
    "MovementError",
    "MovementPolicy",
    "Order",
    "OrderItem",
]

MOVEMENT_EDIT = "movement.edit"
"""The action an authorizer is asked about before an order is applied (R10.1)."""


def _to_kind(value: OrderKind | str) -> OrderKind:
    return OrderKind(value)


def _to_optional_form(value: EducationForm | str | None) -> EducationForm | None:
    return None if value is None else EducationForm(value)


def _to_subjects(value: object) -> tuple[SubjectId, ...]:
    return tuple(v.to_ids(value))


@attrs.frozen(kw_only=True)
class OrderItem:
    """One student's line of an order.

    Which fields matter depends on the order's kind: the target ``class_id`` for enrollment
    and transfer, ``destination`` for withdrawal and detachment, ``subjects`` for a
    conditional promotion (the debts) and for a repayment (the debts repaid),
    ``education_form`` and ``parallel`` for an attachment.

    Attributes:
        student_id: The student.
        class_id: The class the student goes to (enrollment, transfer).
        destination: Where the student goes (withdrawal, detachment), e.g. another school.
        subjects: Subjects of academic debts (conditional promotion, repayment).
        education_form: Family education or self-education (attachment).
        parallel: The grade in which an attached student is attested (attachment).
        repaid_on: The day a debt was repaid (repayment; default: the order's date).
    """

    student_id: StudentId = attrs.field(validator=v.non_empty_text)
    class_id: ClassId | None = attrs.field(default=None, validator=v.optional_text)
    destination: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    subjects: tuple[SubjectId, ...] = attrs.field(default=(), converter=_to_subjects)
    education_form: EducationForm | None = attrs.field(default=None, converter=_to_optional_form)
    parallel: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.int_in_range(1, 11, "order.parallel"))
    )
    repaid_on: date | None = attrs.field(default=None, validator=v.optional_plain_date)


def _items(value: object) -> tuple[OrderItem, ...]:
    return tuple(v.to_tuple(value))


@attrs.frozen(kw_only=True)
class Order:
    """An order (приказ) of the school's head about student movement (R10.1).

    Attributes:
        id: The host's id of the order.
        number: The order's number as printed (unique within an academic year).
        kind: What the order does.
        issued_on: Date of issue (the deadlines of R10.1a-e run from it).
        entered_at: The aware moment the order was entered into the book.
        author_id: The employee who entered it.
        year: The academic year the order belongs to, ``"2025/2026"``.
        items: One line per student.

    Raises:
        ValidationError: For a naive ``entered_at``, a bad year label, no items, or a
            student named twice.

    >>> from datetime import UTC, date, datetime
    >>> order = Order(id="o1", number="12-у", kind="enrollment", issued_on=date(2025, 9, 1),
    ...     entered_at=datetime(2025, 9, 2, 9, tzinfo=UTC), author_id="e1", year="2025/2026",
    ...     items=[OrderItem(student_id="s1", class_id="5a")])
    >>> order.kind.label_ru, sorted(order.student_ids)
    ('Зачисление', ['s1'])
    """

    id: OrderId = attrs.field(validator=v.non_empty_text)
    number: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    kind: OrderKind = attrs.field(converter=_to_kind)
    issued_on: date = attrs.field(validator=v.plain_date)
    entered_at: datetime = attrs.field(validator=v.aware_datetime)
    author_id: EmployeeId = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    items: tuple[OrderItem, ...] = attrs.field(converter=_items)

    @items.validator
    def _check_items(
        self, _attribute: attrs.Attribute[tuple[OrderItem, ...]], value: tuple[OrderItem, ...]
    ) -> None:
        if not value or not all(isinstance(item, OrderItem) for item in value):
            raise ORDER_NO_ITEMS.error(details={"id": self.id}, number=self.number)
        students = [item.student_id for item in value]
        if len(set(students)) != len(students):
            twice = next(s for s in students if students.count(s) > 1)
            raise ORDER_DUPLICATE_STUDENT.error(
                details={"id": self.id, "student_id": twice}, number=self.number
            )

    @property
    def student_ids(self) -> frozenset[StudentId]:
        """The students the order concerns."""
        return frozenset(item.student_id for item in self.items)

    @property
    def class_ids(self) -> frozenset[ClassId]:
        """The classes the order's items name."""
        return frozenset(item.class_id for item in self.items if item.class_id is not None)

    @property
    def subject_ids(self) -> frozenset[SubjectId]:
        """The subjects of the debts the order's items name."""
        return frozenset(subject for item in self.items for subject in item.subjects)

    @property
    def sort_key(self) -> tuple[date, datetime, str, str]:
        """The order in which a book replays orders: date of issue, entry moment, number."""
        return (self.issued_on, self.entered_at, self.number, self.id)


def _decisions(value: object) -> tuple[UnrepaidDecision, ...]:
    return tuple(dict.fromkeys(UnrepaidDecision(str(item)) for item in v.to_tuple(value)))


@attrs.frozen(kw_only=True)
class MovementPolicy:
    """The movement rules a school may configure (built from the profile's ``[movement]``).

    Attributes:
        default_capacity: The most students in a class that does not set its own capacity.
        debt_term_months: Months within which an academic debt must be repaid (273-FZ
            art. 58: one year).
        retake_attempts: Retake attempts allowed within the term (273-FZ art. 58 p. 5: two).
        retake_commission_min: The fewest members of the commission of the second attempt
            (273-FZ art. 58 p. 6: the school forms it).
        unrepaid_decisions: The decisions that may follow a debt not repaid (273-FZ art. 58
            p. 9: repeating the year, an adapted programme, an individual curriculum).
        clause: The clause of the regulation (``"10.1"``).
        requirement: The requirement id (``"R10.1"``).
    """

    default_capacity: int = attrs.field(
        default=25, validator=v.int_in_range(1, 60, "movement.capacity")
    )
    debt_term_months: int = attrs.field(
        default=12, validator=v.int_in_range(1, 60, "movement.debt_term")
    )
    retake_attempts: int = attrs.field(
        default=2, validator=v.int_in_range(1, 2, "movement.retake_attempts")
    )
    retake_commission_min: int = attrs.field(
        default=3, validator=v.int_in_range(1, 20, "movement.retake_commission_min")
    )
    unrepaid_decisions: tuple[UnrepaidDecision, ...] = attrs.field(
        default=tuple(UnrepaidDecision), converter=_decisions
    )
    clause: str = "10.1"
    requirement: str = "R10.1"


class MovementAuthorizer(Protocol):
    """Protocol: the rights check the book asks before applying an order (R10.1).

    Only the secretary, the deputy head and the administrator may edit the movement book;
    the host's authorizer knows who holds which role.
    """

    def require(self, actor: Any, action: str, target: Any) -> None:  # noqa: ANN401
        """Return if ``actor`` may do ``action`` on ``target``.

        Raises:
            PermissionDenied: Otherwise.
        """
        ...


class MovementError(RuleViolation):
    """An order breaks a movement rule; the book is left unchanged.

    Attributes:
        order_id: The order (``None`` for a rollover).
        item_index: The position of the offending item in the order (``None``: the order).
        student_id: The student concerned, if one is.
        rule: A short stable name of the rule broken (also the last part of ``code``).
    """

    default_code = "movement.invalid"

    def __init__(
        self,
        ru: str,
        en: str,
        *,
        rule: str,
        clause: str,
        order: Order | None = None,
        item_index: int | None = None,
        student_id: StudentId | None = None,
    ) -> None:
        if order is not None and item_index is not None:
            student_id = order.items[item_index].student_id
        where_ru = f"приказ №{order.number}" if order is not None else "перевод на новый год"
        where_en = f"order {order.number}" if order is not None else "rollover"
        if item_index is not None:
            where_ru += f", пункт {item_index + 1}"
            where_en += f", item {item_index + 1}"
        if student_id is not None:
            where_ru += f", учащийся «{student_id}»"
            where_en += f", student '{student_id}'"
        super().__init__(
            f"{where_ru}: {ru} (п. {clause})",
            f"{where_en}: {en} (clause {clause})",
            code=f"movement.{rule}",
            clause=clause,
            details={
                "order_id": None if order is None else order.id,
                "order_number": None if order is None else order.number,
                "item": item_index,
                "student_id": student_id,
                "rule": rule,
            },
        )
        self.order_id = None if order is None else order.id
        self.item_index = item_index
        self.student_id = student_id
        self.rule = rule
