"""Tiny schools as entities and as analytics tables, the per-object references, comparisons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import ibis.expr.types as ir
import pyarrow as pa
import pytest

from eschool_core.analytics import (
    SCHEMAS,
    Dataset,
    attendance_register,
    calendar_table,
    class_statistics,
    completeness,
    late_marks,
    period_marks,
    timeliness,
)
from eschool_core.analytics._arrow import attestation_table, marks_table
from eschool_core.grading import PeriodSpan, ProposedMark
from eschool_core.journal import AttestationMark, Mark
from eschool_core.profiles import default_profile

MOSCOW = ZoneInfo("Europe/Moscow")
FIRST_DAY = dt.date(2025, 9, 1)
LAST_DAY = dt.date(2025, 10, 5)
PERIODS: Mapping[int, tuple[PeriodSpan, ...]] = {
    5: (
        PeriodSpan(key="Q1", start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 15), kind="quarter"),
        PeriodSpan(key="Q2", start=dt.date(2025, 9, 16), end=dt.date(2025, 9, 30), kind="quarter"),
    ),
    10: (
        PeriodSpan(key="H1", start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 20), kind="half_year"),
        PeriodSpan(
            key="H2", start=dt.date(2025, 9, 21), end=dt.date(2025, 9, 30), kind="half_year"
        ),
    ),
}


@attrs.frozen(kw_only=True)
class TinySchool:
    """A school of a few students in two classes (grades 5 and 10), with its entities."""

    class_of: Mapping[str, int]
    marks: Sequence[Mark]
    attestation: Sequence[AttestationMark] = ()

    def tables(self) -> dict[str, pa.Table]:
        """Return the school as analytics tables."""

        def table(name: str, columns: Mapping[str, Sequence[object]]) -> pa.Table:
            return pa.Table.from_pydict(columns, SCHEMAS[name])

        students = sorted(self.class_of)
        return {
            "schools": table(
                "schools",
                {
                    "id": ["sc"],
                    "name": ["Школа"],
                    "district": [None],
                    "region": [None],
                    "time_zone": ["Europe/Moscow"],
                },
            ),
            "classes": table(
                "classes",
                {
                    "id": ["c5", "c10"],
                    "school_id": ["sc", "sc"],
                    "year": ["2025/2026"] * 2,
                    "parallel": [5, 10],
                    "letter": ["А", "А"],
                    "class_teacher_id": [None, None],
                },
            ),
            "memberships": table(
                "memberships",
                {
                    "id": [f"m-{s}" for s in students],
                    "school_id": ["sc"] * len(students),
                    "student_id": students,
                    "class_id": [f"c{self.class_of[s]}" for s in students],
                    "since": [FIRST_DAY] * len(students),
                    "until": [None] * len(students),
                },
            ),
            "periods": table(
                "periods",
                {
                    "school_id": ["sc"] * 4,
                    "parallel": [p for p, spans in PERIODS.items() for _ in spans],
                    "code": [s.key for spans in PERIODS.values() for s in spans],
                    "kind": [s.kind for spans in PERIODS.values() for s in spans],
                    "start": [s.start for spans in PERIODS.values() for s in spans],
                    "end": [s.end for spans in PERIODS.values() for s in spans],
                },
            ),
            "calendar": calendar_table(FIRST_DAY, LAST_DAY + dt.timedelta(days=30)),
            "marks": marks_table(self.marks, "sc"),
            "attestation_marks": attestation_table(self.attestation, "sc"),
        }

    def scheme_of(self) -> dict[str, str]:
        """Each student's period scheme: the parallel of his class."""
        return {student: str(parallel) for student, parallel in self.class_of.items()}


def schemes() -> dict[str, tuple[PeriodSpan, ...]]:
    """The period schemes by name (the parallel)."""
    return {str(parallel): spans for parallel, spans in PERIODS.items()}


def is_late_r86(mark: Mark, extension_days: int = 3) -> bool:
    """R8.6 per mark: entered after the lesson day (school time), or after 3 days with a reason."""
    entered = mark.entered_at.astimezone(MOSCOW).date()
    due = mark.date + dt.timedelta(days=extension_days if mark.late_reason else 0)
    return entered > due


def proposal_row(proposal: ProposedMark) -> tuple[str | None, int, Fraction | None]:
    """The comparable part of a per-object proposal."""
    value = None if proposal.value is None else str(proposal.value)
    return value, proposal.count, proposal.average


def bulk_row(row: Mapping[str, object]) -> tuple[str | None, int, Fraction | None]:
    """The comparable part of a bulk proposal."""
    count = int(row["count"])  # type: ignore[call-overload]
    average = (
        Fraction(int(row["weighted_sum"]), int(row["weight_sum"]))  # type: ignore[call-overload]
        if count
        else None
    )
    return row["value"], count, average  # type: ignore[return-value]


_POLICY = default_profile().grading

RULES: Mapping[str, Callable[[Dataset], ir.Table]] = {
    "period_marks": lambda data: period_marks(data, _POLICY),
    "class_statistics": class_statistics,
    "quality": lambda data: class_statistics(data, period_marks(data, _POLICY)),
    "timeliness": timeliness,
    "late_marks": late_marks,
    "completeness": completeness,
    "attendance_register": attendance_register,
}
"""Every bulk rule over a dataset, with the default profile's grading policy."""


def _comparable(table: pa.Table) -> tuple[list[str], list[tuple[Any, ...]], list[list[float]]]:
    """The column names, the exact columns' rows (sorted) and their floats, row by row."""
    floats = [field.name for field in table.schema if pa.types.is_floating(field.type)]
    exact = [name for name in table.column_names if name not in floats]
    rows = sorted(table.to_pylist(), key=lambda row: tuple(repr(row[n]) for n in exact))
    return (
        table.column_names,
        [tuple(row[n] for n in exact) for row in rows],
        [[row[n] for n in floats] for row in rows],
    )


def assert_same_rows(actual: ir.Table, expected: ir.Table) -> int:
    """Assert equal results, rows in any order (floats to 1e-12); return the number of rows."""
    got, want = actual.to_pyarrow(), expected.to_pyarrow()
    names, rows, floats = _comparable(got)
    want_names, want_rows, want_floats = _comparable(want)
    assert names == want_names
    assert [field.type for field in got.schema] == [field.type for field in want.schema]
    assert rows == want_rows
    for line, want_line in zip(floats, want_floats, strict=True):
        assert line == pytest.approx(want_line, rel=1e-12, abs=0, nan_ok=False)
    return len(rows)


def assert_same_table(actual: pa.Table, expected: pa.Table) -> None:
    """Assert that two analytics tables hold the same rows, in any order, column by column."""
    assert actual.schema.names == expected.schema.names
    assert [f.type for f in actual.schema] == [f.type for f in expected.schema]
    order = [
        (n, "ascending")
        for n in ("id", "parallel", "code", "student_id")
        if n in actual.column_names
    ]
    actual, expected = actual.sort_by(order), expected.sort_by(order)
    for column in expected.column_names:
        got, want = actual.column(column), expected.column(column)
        assert got.equals(want), (column, got.to_pylist()[:5], want.to_pylist()[:5])
