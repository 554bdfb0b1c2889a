"""The rows of movement orders and their items (child rows)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eschool_core.movement import Order, OrderItem
from eschool_core.storage._rows._layout import (
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
)
"""The aggregates of this module, in dependency order."""
