"""The rows of movement orders and their items (child rows)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eschool_core.movement import Order, OrderItem, RetakeAttempt
from eschool_core.storage.rows._layout import (
    _D,
    _I,
    _ID,
    _L,
    _M,
    _T,
    _YEAR,
    Aggregate,
    ChildRows,
    Row,
    _aggregate,
    _col,
)

__all__ = ["AGGREGATES"]


def _order_row(order: Order) -> Row:
    return {
        "id": order.id,
        "number": order.number,
        "kind": order.kind.value,
        "issued_on": order.issued_on,
        "entered_at": order.entered_at,
        "author_id": order.author_id,
        "year": order.year,
        "items": [
            {
                "order_id": order.id,
                "position": position,
                "student_id": item.student_id,
                "class_id": item.class_id,
                "destination": item.destination,
                "subjects": list(item.subjects),
                "education_form": None
                if item.education_form is None
                else item.education_form.value,
                "parallel": item.parallel,
                "repaid_on": item.repaid_on,
            }
            for position, item in enumerate(order.items)
        ],
    }


def _order(row: Mapping[str, Any]) -> Order:
    return Order(
        id=row["id"],
        number=row["number"],
        kind=row["kind"],
        issued_on=row["issued_on"],
        entered_at=row["entered_at"],
        author_id=row["author_id"],
        year=row["year"],
        items=[
            OrderItem(
                student_id=item["student_id"],
                class_id=item["class_id"],
                destination=item["destination"],
                subjects=item["subjects"],
                education_form=item["education_form"],
                parallel=item["parallel"],
                repaid_on=item["repaid_on"],
            )
            for item in sorted(row["items"], key=lambda item: int(item["position"]))
        ],
    )


_ORDER_ITEMS = ChildRows(
    name="order_items",
    field="items",
    parent_column="order_id",
    columns=(
        _col("order_id", _T, "The order (orders.csv)."),
        _col("position", _I, "Position of the item in the order, from 0."),
        _col("student_id", _T, "The student."),
        _col("class_id", _T, "The class the student goes to (enrollment, transfer).", null=True),
        _col("destination", _T, "Where the student goes (withdrawal, detachment).", null=True),
        _col(
            "subjects",
            _L,
            "Subject ids of academic debts, in order (conditional promotion, repayment).",
        ),
        _col("education_form", _T, "`family` or `self` (attachment).", null=True),
        _col("parallel", _I, "Grade 1-11 of an attached student's attestation.", null=True),
        _col("repaid_on", _D, "Day a debt was repaid (repayment).", null=True),
    ),
)


def _retake_row(attempt: RetakeAttempt) -> Row:
    return {
        "id": attempt.id,
        "student_id": attempt.student_id,
        "subject_id": attempt.subject_id,
        "debt_order_id": attempt.debt_order_id,
        "year": attempt.year,
        "number": attempt.number,
        "held_on": attempt.held_on,
        "outcome": attempt.outcome.value,
        "commission_ids": list(attempt.commission_ids),
        "entered_at": attempt.entered_at,
        "entered_by": attempt.entered_by,
    }


def _retake(row: Mapping[str, Any]) -> RetakeAttempt:
    return RetakeAttempt(
        id=row["id"],
        student_id=row["student_id"],
        subject_id=row["subject_id"],
        debt_order_id=row["debt_order_id"],
        year=row["year"],
        number=row["number"],
        held_on=row["held_on"],
        outcome=row["outcome"],
        commission_ids=row["commission_ids"],
        entered_at=row["entered_at"],
        entered_by=row["entered_by"],
    )


AGGREGATES: tuple[Aggregate, ...] = (
    _aggregate(
        "orders",
        "order",
        (
            _ID,
            _col("number", _T, "Number as printed (unique within a year)."),
            _col("kind", _T, "Order kind, e.g. `enrollment`, `transfer`, `withdrawal`."),
            _col("issued_on", _D, "Date of issue."),
            _col("entered_at", _M, "When it was entered into the movement book."),
            _col("author_id", _T, "The employee who entered it."),
            _YEAR,
        ),
        _order_row,
        _order,
        _ORDER_ITEMS,
    ),
    _aggregate(
        "retake_attempts",
        "retake_attempt",
        (
            _ID,
            _col("student_id", _T, "The student."),
            _col("subject_id", _T, "The subject of the academic debt."),
            _col("debt_order_id", _T, "The conditional-promotion order that recorded the debt."),
            _YEAR,
            _col("number", _I, "Attempt 1 or 2 (273-FZ art. 58 p. 5)."),
            _col("held_on", _D, "Day of the attempt."),
            _col("outcome", _T, "`passed`, `failed` or `absent`."),
            _col("commission_ids", _L, "Employees of the commission, sorted (second attempt)."),
            _col("entered_at", _M, "When the result was entered.", null=True),
            _col("entered_by", _T, "Who entered it.", null=True),
        ),
        _retake_row,
        _retake,
    ),
)
"""The aggregates of this module, in dependency order."""
