"""The rows of applied rollovers (R4.4a, R4.5)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eschool_core.rollovers import RolledClass, RolloverRecord
from eschool_core.storage.rows._layout import (
    _D,
    _ID,
    _L,
    _M,
    _T,
    _YEAR,
    Aggregate,
    Row,
    _aggregate,
    _col,
)

__all__ = ["AGGREGATES"]


def _rollover_row(record: RolloverRecord) -> Row:
    return {
        "id": record.id,
        "year": record.year,
        "first_day": record.on,
        "classes": [
            {
                "class_id": rolled.class_id,
                "student_ids": list(rolled.student_ids),
                "source_class_ids": list(rolled.source_class_ids),
            }
            for rolled in record.classes
        ],
        "done_at": record.done_at,
        "done_by": record.done_by,
    }


def _rollover(row: Mapping[str, Any]) -> RolloverRecord:
    return RolloverRecord(
        id=row["id"],
        year=row["year"],
        on=row["first_day"],
        classes=[
            RolledClass(
                class_id=item["class_id"],
                student_ids=item["student_ids"],
                source_class_ids=item["source_class_ids"],
            )
            for item in row["classes"]
        ],
        done_at=row["done_at"],
        done_by=row["done_by"],
    )


AGGREGATES: tuple[Aggregate, ...] = (
    _aggregate(
        "rollovers",
        "rollover",
        (
            _ID,
            _YEAR,
            _col("first_day", _D, "The first day in the new classes."),
            _col(
                "classes",
                _L,
                "The applied class list: objects with `class_id`, `student_ids` and "
                "`source_class_ids`.",
            ),
            _col("done_at", _M, "When the rollover was applied."),
            _col("done_by", _T, "The employee who applied it."),
        ),
        _rollover_row,
        _rollover,
    ),
)
"""The aggregates of this module, in dependency order."""
