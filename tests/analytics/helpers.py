"""Tiny schools as entities and as analytics tables, and the per-object references."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction
from zoneinfo import ZoneInfo

import attrs
import pyarrow as pa

from eschool_core.analytics import SCHEMAS, calendar_table
from eschool_core.analytics._arrow import attestation_table, marks_table
from eschool_core.grading import PeriodSpan, ProposedMark
from eschool_core.journal import AttestationMark, Mark

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
