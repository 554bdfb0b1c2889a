"""The rows of produced reports (R11.3, R11.4, R4.2b)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eschool_core.report_runs import ReportRun
from eschool_core.storage.rows._layout import _ID, _M, _T, Aggregate, Row, _aggregate, _col

__all__ = ["AGGREGATES"]


def _run_row(run: ReportRun) -> Row:
    return {
        "id": run.id,
        "year": run.year,
        "report_code": run.report_code,
        "produced_at": run.produced_at,
        "by": run.by,
        "scope": run.scope,
    }


def _run(row: Mapping[str, Any]) -> ReportRun:
    return ReportRun(
        id=row["id"],
        year=row["year"],
        report_code=row["report_code"],
        produced_at=row["produced_at"],
        by=row["by"],
        scope=row["scope"] or "",
    )


AGGREGATES: tuple[Aggregate, ...] = (
    _aggregate(
        "report_runs",
        "report_run",
        (
            _ID,
            _col(
                "year",
                _T,
                "Academic year, `2025/2026`; empty in a record that does not say.",
                null=True,
            ),
            _col(
                "report_code",
                _T,
                "The report as the profile's deadline rules name it (its Russian title).",
            ),
            _col("produced_at", _M, "When it was produced."),
            _col("by", _T, "The employee who produced it.", null=True),
            _col(
                "scope",
                _T,
                "What it was produced for, `class_id=5a; period=Q2`; empty for the whole school.",
                null=True,
            ),
        ),
        _run_row,
        _run,
    ),
)
"""The aggregates of this module, in dependency order."""
