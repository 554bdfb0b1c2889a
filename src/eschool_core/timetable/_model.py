"""Rooms, bell schedules and the weekly lesson timetable (R7.1, R7.2, R7.4-R7.6)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.ids import (
    BellScheduleId,
    ClassId,
    EmployeeId,
    GroupId,
    RoomId,
    SubjectId,
    TimetableId,
)
from eschool_core.school import SchoolClass, level_of_parallel
from eschool_core.timetable._errors import (
    BELL_ENDS_BEFORE_START,
    BELL_SCHEDULE_ORDER,
    TIMETABLE_DUPLICATE_ENTRY,
    TIMETABLE_ENDS_BEFORE_START,
    TIMETABLE_ENTRY_TARGET,
    VALUE_NOT_A_TIME,
)

__all__ = [
    "WEEKDAY_NAMES",
    "Bell",
    "BellSchedule",
    "Room",
    "Timetable",
    "TimetableEntry",
    "bell_schedule_for",
]

WEEKDAY_NAMES = (
    ("Понедельник", "Monday"),
    ("Вторник", "Tuesday"),
    ("Среда", "Wednesday"),
    ("Четверг", "Thursday"),
    ("Пятница", "Friday"),
    ("Суббота", "Saturday"),
)
"""Russian and English names of the school weekdays 0 (Monday) to 5 (Saturday)."""


def _time(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.time) or value.tzinfo is not None:
        raise VALUE_NOT_A_TIME.error(details={"field": attribute.name}, value=value)


@attrs.frozen(kw_only=True)
class Room:
    """A room (кабинет) of the school (R7.5).

    Attributes:
        id: Id of the room.
        name: Name or number, e.g. ``"каб. 21"``.
        capacity: Seats, if known.
        entered_at: When the room was entered in the list (timezone-aware), if recorded.
    """

    id: RoomId = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    capacity: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.int_in_range(1, 1000, "room.seats"))
    )
    entered_at: dt.datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)


@attrs.frozen(kw_only=True)
class Bell:
    """One lesson of a bell schedule: its number and local start and end time (R7.1).

    Attributes:
        number: Lesson number in the day (1-12).
        start: Local start time.
        end: Local end time.

    Raises:
        ValidationError: If the lesson does not end after it starts.
    """

    number: int = attrs.field(validator=v.int_in_range(1, 12, "bell.number"))
    start: dt.time = attrs.field(validator=_time)
    end: dt.time = attrs.field(validator=_time)

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise BELL_ENDS_BEFORE_START.error(number=self.number)


def _parallels(value: object) -> frozenset[int]:
    parallels = frozenset(v.to_tuple(value))
    for parallel in parallels:
        level_of_parallel(parallel)
    return parallels


@attrs.frozen(kw_only=True)
class BellSchedule:
    """The bell schedule of a shift, or a parallel's or a class's own variant (R7.5, R7.6).

    Attributes:
        id: Id of the schedule.
        year: Academic-year label.
        shift: The school shift, 1 or 2.
        name: Name, e.g. ``"1 смена"``.
        bells: The lessons in order.
        parallels: The parallels of this variant (empty: the shift's base schedule).
        class_ids: The classes of this variant (empty: not class-specific).
        entered_at: When the schedule was entered (timezone-aware), if recorded.

    Raises:
        ValidationError: For no bells, repeated numbers, or lessons that overlap or are not in
            number order.

    >>> schedule = BellSchedule(id="b1", year="2025/2026", shift=1, name="1 смена", bells=[
    ...     Bell(number=1, start=dt.time(8, 30), end=dt.time(9, 15)),
    ...     Bell(number=2, start=dt.time(9, 25), end=dt.time(10, 10))])
    >>> schedule.bell(2).start
    datetime.time(9, 25)
    """

    id: BellScheduleId = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    shift: int = attrs.field(validator=v.int_in_range(1, 2, "bell_schedule.shift"))
    name: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    bells: tuple[Bell, ...] = attrs.field(converter=v.to_tuple)
    parallels: frozenset[int] = attrs.field(factory=frozenset, converter=_parallels)
    class_ids: frozenset[ClassId] = attrs.field(factory=frozenset, converter=v.to_id_set)
    entered_at: dt.datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)

    def __attrs_post_init__(self) -> None:
        ordered = all(
            a.number < b.number and a.end <= b.start
            for a, b in zip(self.bells, self.bells[1:], strict=False)
        )
        if not self.bells or not ordered:
            raise BELL_SCHEDULE_ORDER.error(details={"id": self.id}, name=self.name)

    def bell(self, number: int) -> Bell | None:
        """Return the bell of lesson ``number``, or ``None`` if the schedule has none."""
        return next((bell for bell in self.bells if bell.number == number), None)

    @property
    def specificity(self) -> int:
        """2 for a class's variant, 1 for a parallel's, 0 for the shift's base schedule."""
        return 2 if self.class_ids else 1 if self.parallels else 0


def bell_schedule_for(
    school_class: SchoolClass, schedules: Iterable[BellSchedule]
) -> BellSchedule | None:
    """Return the bell schedule of a class: its own variant, its parallel's, or its shift's.

    Only schedules of the class's year and shift are considered (R7.6).

    >>> base = BellSchedule(id="b1", year="2025/2026", shift=1, name="1 смена",
    ...     bells=[Bell(number=1, start=dt.time(8, 30), end=dt.time(9, 15))])
    >>> first = BellSchedule(id="b2", year="2025/2026", shift=1, name="1 класс",
    ...     parallels=[1], bells=[Bell(number=1, start=dt.time(9, 0), end=dt.time(9, 35))])
    >>> c = SchoolClass(id="1a", year="2025/2026", parallel=1, letter="А")
    >>> bell_schedule_for(c, [base, first]).id
    'b2'
    """
    best: BellSchedule | None = None
    for schedule in schedules:
        if schedule.year != school_class.year or schedule.shift != school_class.shift:
            continue
        if schedule.class_ids and school_class.id not in schedule.class_ids:
            continue
        if schedule.parallels and school_class.parallel not in schedule.parallels:
            continue
        if best is None or (schedule.specificity, best.id) > (best.specificity, schedule.id):
            best = schedule
    return best


@attrs.frozen(kw_only=True)
class TimetableEntry:
    """One weekly lesson of the timetable (R7.1).

    Attributes:
        weekday: 0 (Monday) to 5 (Saturday).
        number: Lesson number in the day (1-12).
        subject_id: The subject.
        teacher_id: The teacher.
        class_id: The class (exactly one of class and group).
        group_id: The subgroup or cross-class group.
        room_id: The room, if assigned.

    Raises:
        ValidationError: Unless exactly one of class and group is given.
    """

    weekday: int = attrs.field(validator=v.int_in_range(0, 5, "timetable.weekday"))
    number: int = attrs.field(validator=v.int_in_range(1, 12, "timetable.number"))
    subject_id: SubjectId = attrs.field(validator=v.non_empty_text)
    teacher_id: EmployeeId = attrs.field(validator=v.non_empty_text)
    class_id: ClassId | None = attrs.field(default=None, validator=v.optional_text)
    group_id: GroupId | None = attrs.field(default=None, validator=v.optional_text)
    room_id: RoomId | None = attrs.field(default=None, validator=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if (self.class_id is None) == (self.group_id is None):
            raise TIMETABLE_ENTRY_TARGET.error()

    @property
    def target(self) -> str:
        """The class or group id."""
        return self.class_id or self.group_id or ""


@attrs.frozen(kw_only=True)
class Timetable:
    """The weekly lesson timetable of an academic year, kept by the deputy head (R7.1, R7.2).

    Attributes:
        id: Id of the timetable.
        year: Academic-year label.
        entries: The weekly lessons.
        entered_at: When entering the timetable began (timezone-aware): it must follow the
            curriculum's completion (R7.4) and the rooms and bells (R7.5).
        completed_at: When the timetable was declared complete (R7.7a), or ``None``.
        valid_from: First day the timetable applies (``None``: the year's first day).
        valid_until: Last day it applies (``None``: the year's last day).

    Raises:
        ValidationError: For a repeated entry, reversed dates, or naive moments.
    """

    id: TimetableId = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    entries: tuple[TimetableEntry, ...] = attrs.field(converter=v.to_tuple)
    entered_at: dt.datetime = attrs.field(validator=v.aware_datetime)
    completed_at: dt.datetime | None = attrs.field(
        default=None, validator=v.optional_aware_datetime
    )
    valid_from: dt.date | None = attrs.field(default=None, validator=v.optional_plain_date)
    valid_until: dt.date | None = attrs.field(default=None, validator=v.optional_plain_date)

    def __attrs_post_init__(self) -> None:
        if len(set(self.entries)) != len(self.entries):
            raise TIMETABLE_DUPLICATE_ENTRY.error(id=self.id)
        if (
            self.valid_from is not None
            and self.valid_until is not None
            and self.valid_until < self.valid_from
        ):
            raise TIMETABLE_ENDS_BEFORE_START.error(id=self.id)

    @property
    def class_ids(self) -> frozenset[ClassId]:
        """The classes with whole-class entries."""
        return frozenset(e.class_id for e in self.entries if e.class_id is not None)

    @property
    def group_ids(self) -> frozenset[GroupId]:
        """The groups with entries."""
        return frozenset(e.group_id for e in self.entries if e.group_id is not None)

    @property
    def subject_ids(self) -> frozenset[SubjectId]:
        """The subjects taught."""
        return frozenset(e.subject_id for e in self.entries)

    @property
    def teacher_ids(self) -> frozenset[EmployeeId]:
        """The teachers."""
        return frozenset(e.teacher_id for e in self.entries)

    @property
    def room_ids(self) -> frozenset[RoomId]:
        """The rooms used."""
        return frozenset(e.room_id for e in self.entries if e.room_id is not None)

    @property
    def is_complete(self) -> bool:
        """Whether the timetable was declared complete (R7.7a)."""
        return self.completed_at is not None

    def complete(self, at: dt.datetime) -> Timetable:
        """Return the timetable declared complete at the aware moment ``at`` (R7.7a)."""
        return attrs.evolve(self, completed_at=at)

    def completed_on(self, zone: zoneinfo.ZoneInfo) -> dt.date | None:
        """Return the school-local date of completion (R7.7a), or ``None``."""
        return None if self.completed_at is None else self.completed_at.astimezone(zone).date()

    def applies_on(self, day: dt.date) -> bool:
        """Return whether the timetable applies on ``day`` (within its own dates)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def entries_of(self, target: str) -> tuple[TimetableEntry, ...]:
        """Return the entries of a class or group, by weekday and number."""
        return tuple(
            sorted(
                (e for e in self.entries if e.target == target),
                key=lambda e: (e.weekday, e.number, e.subject_id),
            )
        )
