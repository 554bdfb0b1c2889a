"""The movement book's state: classes, each student's timeline, class events and debts."""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import date
from typing import NamedTuple

import attrs

from eschool_core.ids import ClassId, StudentId
from eschool_core.movement._debts import DebtLedger
from eschool_core.movement._kinds import OrderKind, StatusKind
from eschool_core.movement._state import StudentStatus
from eschool_core.school import SchoolClass

__all__ = ["ClassEvent", "Entry", "Ledger", "Snapshot"]


@attrs.frozen
class Entry:
    """A change of one student's status: the day, a global sequence number, the result.

    Attributes:
        day: The day the change takes effect.
        seq: Its place among all changes the book recorded (ties within a day).
        status: The student's status from then on.
        kind: The order (or rollover decision) that made the change.
        from_class: The class the student was in before it.
        to_class: The class the student is in after it.
    """

    day: date
    seq: int
    status: StudentStatus
    kind: OrderKind
    from_class: ClassId | None
    to_class: ClassId | None


class ClassEvent(NamedTuple):
    """A student entering (``delta`` 1) or leaving (``delta`` -1) a class; sorts by day, seq."""

    day: date
    seq: int
    delta: int
    student_id: StudentId
    kind: OrderKind


@attrs.frozen
class Snapshot:
    """A copy of the movement state a rollover changes, to restore on undo.

    Attributes:
        classes: The known classes.
        timelines: Every student's timeline.
        class_events: Every class's events.
        debts: The debts.
    """

    classes: dict[ClassId, SchoolClass]
    timelines: dict[StudentId, list[Entry]]
    class_events: dict[ClassId, list[ClassEvent]]
    debts: DebtLedger


class Ledger:
    """The state of a movement book: what every query and rule reads, and the one way to write.

    Attributes:
        classes: The classes known to the book, by id.
        timelines: Each student's status changes, oldest first.
        class_events: Each class's arrivals and departures, sorted by day and sequence.
        debts: The academic debts.
    """

    def __init__(self) -> None:
        self.classes: dict[ClassId, SchoolClass] = {}
        self.timelines: dict[StudentId, list[Entry]] = {}
        self.class_events: defaultdict[ClassId, list[ClassEvent]] = defaultdict(list)
        self.debts = DebtLedger()
        self._seq = 0

    def latest(self, student_id: StudentId) -> StudentStatus:
        """Return the student's status after every recorded change."""
        timeline = self.timelines.get(student_id)
        if not timeline:
            return StudentStatus(student_id=student_id, kind=StatusKind.NOT_ENROLLED)
        return timeline[-1].status

    def status_on(self, student_id: StudentId, day: date) -> StudentStatus:
        """Return the student's status after the changes of ``day``."""
        timeline = self.timelines.get(student_id, [])
        position = bisect.bisect_right(timeline, day, key=lambda entry: entry.day)
        if position == 0:
            return StudentStatus(student_id=student_id, kind=StatusKind.NOT_ENROLLED)
        return timeline[position - 1].status

    def events(self, class_id: ClassId) -> list[ClassEvent]:
        """Return the class's events (empty for a class without any)."""
        return self.class_events.get(class_id, [])

    def occupancy(self, class_id: ClassId, day: date) -> int:
        """Return how many students the class has after the changes of ``day``."""
        events = self.events(class_id)
        end = bisect.bisect_right(events, day, key=lambda event: event.day)
        return sum(event.delta for event in events[:end])

    def peak_occupancy(self, class_id: ClassId, day: date) -> int:
        """Return the most students the class has after the changes of ``day`` or any later day."""
        events = self.events(class_id)
        start = bisect.bisect_right(events, day, key=lambda event: event.day)
        current = peak = sum(event.delta for event in events[:start])
        for index in range(start, len(events)):
            current += events[index].delta
            last_of_day = index + 1 == len(events) or events[index + 1].day != events[index].day
            if last_of_day:
                peak = max(peak, current)
        return peak

    def roster(self, class_id: ClassId, day: date) -> tuple[StudentId, ...]:
        """Return the students in the class after the changes of ``day``, sorted."""
        inside: dict[StudentId, bool] = {}
        for event in self.events(class_id):
            if event.day > day:
                break
            inside[event.student_id] = event.delta > 0
        return tuple(sorted(student for student, present in inside.items() if present))

    def record(
        self, day: date, kind: OrderKind, current: StudentStatus, new: StudentStatus
    ) -> None:
        """Record that the student goes from ``current`` to ``new`` on ``day`` by ``kind``."""
        self._seq += 1
        entry = Entry(day, self._seq, new, kind, current.class_id, new.class_id)
        self.timelines.setdefault(new.student_id, []).append(entry)
        if current.class_id != new.class_id:
            if current.class_id is not None:
                bisect.insort(
                    self.class_events[current.class_id],
                    ClassEvent(day, self._seq, -1, new.student_id, kind),
                )
            if new.class_id is not None:
                bisect.insort(
                    self.class_events[new.class_id],
                    ClassEvent(day, self._seq, 1, new.student_id, kind),
                )

    def snapshot(self) -> Snapshot:
        """Return a copy of the classes, timelines, class events and debts."""
        return Snapshot(
            classes=dict(self.classes),
            timelines={key: list(value) for key, value in self.timelines.items()},
            class_events={key: list(value) for key, value in self.class_events.items()},
            debts=self.debts.copy(),
        )

    def restore(self, snapshot: Snapshot) -> None:
        """Put back the state of ``snapshot`` (the sequence counter keeps growing)."""
        self.classes = snapshot.classes
        self.timelines = snapshot.timelines
        self.class_events = defaultdict(list, snapshot.class_events)
        self.debts = snapshot.debts
