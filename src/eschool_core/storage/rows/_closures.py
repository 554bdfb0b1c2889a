"""The rows of closed study periods (R8.9)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eschool_core.closures import PeriodClosure
from eschool_core.storage.rows._layout import _ID, _M, _T, _YEAR, Aggregate, Row, _aggregate, _col

__all__ = ["AGGREGATES"]


def _closure_row(closure: PeriodClosure) -> Row:
    return {
        "id": closure.id,
        "year": closure.year,
        "period": closure.period,
        "closed_at": closure.closed_at,
        "closed_by": closure.closed_by,
        "reopened_at": closure.reopened_at,
        "reopened_by": closure.reopened_by,
        "reopen_reason": closure.reopen_reason,
        "reopened_class_id": closure.reopened_class_id,
        "reopened_subject_id": closure.reopened_subject_id,
        "reopened_teacher_id": closure.reopened_teacher_id,
    }


def _closure(row: Mapping[str, Any]) -> PeriodClosure:
    return PeriodClosure(
        id=row["id"],
        year=row["year"],
        period=row["period"],
        closed_at=row["closed_at"],
        closed_by=row["closed_by"],
        reopened_at=row["reopened_at"],
        reopened_by=row["reopened_by"],
        reopen_reason=row["reopen_reason"],
        reopened_class_id=row.get("reopened_class_id"),
        reopened_subject_id=row.get("reopened_subject_id"),
        reopened_teacher_id=row.get("reopened_teacher_id"),
    )


AGGREGATES: tuple[Aggregate, ...] = (
    _aggregate(
        "period_closures",
        "period_closure",
        (
            _ID,
            _YEAR,
            _col("period", _T, "Study period code, e.g. `Q2`."),
            _col("closed_at", _M, "When the period was closed."),
            _col("closed_by", _T, "The employee who closed it."),
            _col("reopened_at", _M, "When it was reopened.", null=True),
            _col("reopened_by", _T, "The employee who reopened it.", null=True),
            _col("reopen_reason", _T, "The stated reason of the reopening.", null=True),
            _col("reopened_class_id", _T, "The class it was reopened for.", null=True),
            _col("reopened_subject_id", _T, "The subject it was reopened for.", null=True),
            _col("reopened_teacher_id", _T, "The teacher who corrects while reopened.", null=True),
        ),
        _closure_row,
        _closure,
    ),
)
"""The aggregates of this module, in dependency order."""
