"""Reports the movement book derives: movement over a date range, class memberships (R2.2d)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import attrs

from eschool_core.ids import MembershipId
from eschool_core.movement._errors import MOVEMENT_BAD_RANGE
from eschool_core.movement._kinds import OrderKind
from eschool_core.movement._ledger import ClassEvent, Ledger
from eschool_core.movement._state import MovementRow, MovementScope
from eschool_core.school import ClassMembership, SchoolClass

__all__ = ["class_memberships", "movement_rows"]


@attrs.define
class _Tally:
    """Running counts of one class or parallel over a date range."""

    at_start: int = 0
    arrived: Counter[OrderKind] = attrs.Factory(Counter)
    left: Counter[OrderKind] = attrs.Factory(Counter)
    at_end: int = 0

    def count(self, event: ClassEvent) -> None:
        """Count an arrival or a departure by the kind that caused it."""
        (self.arrived if event.delta > 0 else self.left)[event.kind] += 1

    def row(self, scope: MovementScope, key: str, name: str) -> MovementRow:
        """Return the counts as a movement row."""
        return MovementRow(
            scope=scope,
            key=key,
            name=name,
            at_start=self.at_start,
            arrived=self.arrived,
            left=self.left,
            at_end=self.at_end,
        )


def movement_rows(ledger: Ledger, start: date, end: date) -> tuple[MovementRow, ...]:
    """Return the movement of every class, then of every parallel, from ``start`` to ``end``.

    Raises:
        ValidationError: If ``end`` is before ``start``.
    """
    if end < start:
        raise MOVEMENT_BAD_RANGE.error()
    before = start - timedelta(days=1)
    rows: list[MovementRow] = []
    per_parallel: defaultdict[int, _Tally] = defaultdict(_Tally)
    for class_id in sorted(ledger.classes):
        school_class = ledger.classes[class_id]
        tally = _Tally(
            at_start=ledger.occupancy(class_id, before), at_end=ledger.occupancy(class_id, end)
        )
        parallel = per_parallel[school_class.parallel]
        for event in ledger.events(class_id):
            if start <= event.day <= end:
                tally.count(event)
                other = _other_class(ledger, event)
                if other is None or other.parallel != school_class.parallel:
                    parallel.count(event)
        parallel.at_start += tally.at_start
        parallel.at_end += tally.at_end
        rows.append(tally.row(MovementScope.CLASS, class_id, school_class.name))
    rows.extend(
        tally.row(MovementScope.PARALLEL, str(parallel), str(parallel))
        for parallel, tally in sorted(per_parallel.items())
    )
    return tuple(rows)


def _other_class(ledger: Ledger, event: ClassEvent) -> SchoolClass | None:
    """The class at the other end of a move (where the student came from or went)."""
    for entry in ledger.timelines[event.student_id]:
        if entry.seq == event.seq:
            other = entry.to_class if event.delta < 0 else entry.from_class
            return None if other is None else ledger.classes[other]
    return None  # pragma: no cover - every class event has its entry


def class_memberships(ledger: Ledger) -> tuple[ClassMembership, ...]:
    """Return the class memberships the timelines imply, by student, then date.

    A membership runs from the day a student entered a class to the day before he left it;
    a stay that ended on the day it began is not a membership.
    """
    result: list[ClassMembership] = []
    for student_id in sorted(ledger.timelines):
        timeline = ledger.timelines[student_id]
        for position, entry in enumerate(timeline):
            class_id = entry.status.class_id
            if class_id is None or class_id == entry.from_class:
                continue
            until = None
            for later in timeline[position + 1 :]:
                if later.status.class_id != class_id:
                    until = later.day - timedelta(days=1)
                    break
            if until is not None and until < entry.day:
                continue
            result.append(
                ClassMembership(
                    id=MembershipId(f"{student_id}@{class_id}@{entry.day.isoformat()}"),
                    student_id=student_id,
                    class_id=class_id,
                    since=entry.day,
                    until=until,
                )
            )
    return tuple(result)
