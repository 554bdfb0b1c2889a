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
from eschool_core.analytics._arrow import (
    attendance_table,
    attestation_table,
    lessons_table,
    marks_table,
)
from eschool_core.grading import PeriodSpan, ProposedMark
from eschool_core.journal import AttestationMark, Lesson, Mark
from eschool_core.profiles import default_profile
from tests.rules_helpers import DEADLINES

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


TRANSFER_CLASS = "c5b"
"""The second class of grade 5 (5Б), where a moved student goes."""


@attrs.frozen(kw_only=True)
class TinySchool:
    """A school of a few students in three classes (5А, 5Б and 10А), with its entities.

    Attributes:
        class_of: Each student's parallel: he starts the year in its «А» class.
        marks: Current marks.
        attestation: Period marks.
        moved_on: The grade-5 students who move from 5А to 5Б, with the day of the move:
            5А's membership ends the day before, 5Б's begins on it.
        lessons: Lessons of the three classes.
    """

    class_of: Mapping[str, int]
    marks: Sequence[Mark]
    attestation: Sequence[AttestationMark] = ()
    moved_on: Mapping[str, dt.date] = attrs.field(factory=dict)
    lessons: Sequence[Lesson] = ()

    def memberships(self) -> list[tuple[str, str, dt.date, dt.date | None]]:
        """Every membership: student, class, first day, last day (``None``: open)."""
        rows: list[tuple[str, str, dt.date, dt.date | None]] = []
        for student in sorted(self.class_of):
            home = f"c{self.class_of[student]}"
            moved = self.moved_on.get(student)
            if moved is None:
                rows.append((student, home, FIRST_DAY, None))
                continue
            if moved > FIRST_DAY:
                rows.append((student, home, FIRST_DAY, moved - dt.timedelta(days=1)))
            rows.append((student, TRANSFER_CLASS, moved, None))
        return rows

    def class_on(self, student: str, day: dt.date) -> str | None:
        """The student's class on ``day`` (the per-object roster's rule)."""
        for who, class_id, since, until in self.memberships():
            if who == student and since <= day and (until is None or day <= until):
                return class_id
        return None

    def roster(self, class_id: str, day: dt.date) -> list[str]:
        """The students of a class on ``day``."""
        return [s for s in sorted(self.class_of) if self.class_on(s, day) == class_id]

    def tables(self) -> dict[str, pa.Table]:
        """Return the school as analytics tables."""

        def table(name: str, columns: Mapping[str, Sequence[object]]) -> pa.Table:
            return pa.Table.from_pydict(columns, SCHEMAS[name])

        members = self.memberships()
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
                    "id": ["c5", TRANSFER_CLASS, "c10"],
                    "school_id": ["sc"] * 3,
                    "year": ["2025/2026"] * 3,
                    "parallel": [5, 5, 10],
                    "letter": ["А", "Б", "А"],
                    "class_teacher_id": [None] * 3,
                },
            ),
            "memberships": table(
                "memberships",
                {
                    "id": [f"m-{row[0]}-{row[1]}" for row in members],
                    "school_id": ["sc"] * len(members),
                    "student_id": [row[0] for row in members],
                    "class_id": [row[1] for row in members],
                    "since": [row[2] for row in members],
                    "until": [row[3] for row in members],
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
            "lessons": lessons_table(self.lessons, "sc"),
            "attendance": attendance_table((), "sc"),
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
    "timeliness": lambda data: timeliness(data, deadlines=DEADLINES),
    "late_marks": lambda data: late_marks(data, deadlines=DEADLINES),
    "completeness": completeness,
    "attendance_register": lambda data: attendance_register(data, deadlines=DEADLINES),
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
