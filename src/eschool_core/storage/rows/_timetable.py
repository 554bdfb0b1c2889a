"""The rows of the timetable: rooms, bell schedules, timetables and events.

A schedule's bells are a value of the schedule: a list of small records (JSON), times of day
as ``HH:MM``. A timetable's entries each name a class or group, a subject, a teacher and a
room, so they are child rows (``timetable_entries``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from eschool_core.storage.rows._layout import (
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
from eschool_core.timetable import (
    Bell,
    BellSchedule,
    Room,
    SchoolEvent,
    Timetable,
    TimetableEntry,
)

__all__ = ["AGGREGATES"]


def _room_row(room: Room) -> Row:
    return {
        "id": room.id,
        "name": room.name,
        "capacity": room.capacity,
        "entered_at": room.entered_at,
    }


def _room(row: Mapping[str, Any]) -> Room:
    return Room(
        id=row["id"], name=row["name"], capacity=row["capacity"], entered_at=row["entered_at"]
    )


def _bell_schedule_row(schedule: BellSchedule) -> Row:
    return {
        "id": schedule.id,
        "year": schedule.year,
        "shift": schedule.shift,
        "name": schedule.name,
        "bells": [
            {
                "number": bell.number,
                "start": bell.start.isoformat(timespec="minutes"),
                "end": bell.end.isoformat(timespec="minutes"),
            }
            for bell in schedule.bells
        ],
        "parallels": sorted(schedule.parallels),
        "class_ids": sorted(schedule.class_ids),
        "entered_at": schedule.entered_at,
    }


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _bell_schedule(row: Mapping[str, Any]) -> BellSchedule:
    return BellSchedule(
        id=row["id"],
        year=row["year"],
        shift=row["shift"],
        name=row["name"],
        bells=[
            Bell(number=item["number"], start=_time(item["start"]), end=_time(item["end"]))
            for item in row["bells"]
        ],
        parallels=row["parallels"],
        class_ids=row["class_ids"],
        entered_at=row["entered_at"],
    )


def _timetable_row(timetable: Timetable) -> Row:
    return {
        "id": timetable.id,
        "year": timetable.year,
        "entered_at": timetable.entered_at,
        "completed_at": timetable.completed_at,
        "valid_from": timetable.valid_from,
        "valid_until": timetable.valid_until,
        "entries": [
            {
                "timetable_id": timetable.id,
                "position": position,
                "weekday": entry.weekday,
                "number": entry.number,
                "subject_id": entry.subject_id,
                "teacher_id": entry.teacher_id,
                "class_id": entry.class_id,
                "group_id": entry.group_id,
                "room_id": entry.room_id,
            }
            for position, entry in enumerate(timetable.entries)
        ],
    }


def _timetable(row: Mapping[str, Any]) -> Timetable:
    return Timetable(
        id=row["id"],
        year=row["year"],
        entered_at=row["entered_at"],
        completed_at=row["completed_at"],
        valid_from=row["valid_from"],
        valid_until=row["valid_until"],
        entries=[
            TimetableEntry(
                weekday=item["weekday"],
                number=item["number"],
                subject_id=item["subject_id"],
                teacher_id=item["teacher_id"],
                class_id=item["class_id"],
                group_id=item["group_id"],
                room_id=item["room_id"],
            )
            for item in sorted(row["entries"], key=lambda item: int(item["position"]))
        ],
    )


def _event_row(event: SchoolEvent) -> Row:
    return {
        "id": event.id,
        "year": event.year,
        "kind": event.kind.value,
        "title": event.title,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "vacation_start": event.vacation_start,
        "class_ids": sorted(event.class_ids),
        "entered_by": event.entered_by,
        "entered_at": event.entered_at,
    }


def _event(row: Mapping[str, Any]) -> SchoolEvent:
    return SchoolEvent(
        id=row["id"],
        year=row["year"],
        kind=row["kind"],
        title=row["title"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        vacation_start=row["vacation_start"],
        class_ids=row["class_ids"],
        entered_by=row["entered_by"],
        entered_at=row["entered_at"],
    )


_TIMETABLE_ENTRIES = ChildRows(
    name="timetable_entries",
    field="entries",
    parent_column="timetable_id",
    columns=(
        _col("timetable_id", _T, "The timetable (timetables.csv)."),
        _col("position", _I, "Position of the entry in the timetable, from 0."),
        _col("weekday", _I, "0 (Monday) to 5 (Saturday)."),
        _col("number", _I, "Lesson number in the day, 1-12."),
        _col("subject_id", _T, "The subject."),
        _col("teacher_id", _T, "The teacher."),
        _col("class_id", _T, "The class (or a group).", null=True),
        _col("group_id", _T, "The group (or a class).", null=True),
        _col("room_id", _T, "The room (rooms.csv).", null=True),
    ),
)

AGGREGATES: tuple[Aggregate, ...] = (
    _aggregate(
        "rooms",
        "room",
        (
            _ID,
            _col("name", _T, "Name or number, e.g. `каб. 21`."),
            _col("capacity", _I, "Seats (1-1000).", null=True),
            _col("entered_at", _M, "When the room was entered in the list.", null=True),
        ),
        _room_row,
        _room,
    ),
    _aggregate(
        "bell_schedules",
        "bell_schedule",
        (
            _ID,
            _YEAR,
            _col("shift", _I, "Shift 1 or 2."),
            _col("name", _T, "Name, e.g. `1 смена`."),
            _col(
                "bells",
                _L,
                "Lessons in order: objects with `number`, `start` and `end` (`HH:MM`, local).",
            ),
            _col("parallels", _L, "Parallels of this variant, sorted (empty: the shift's)."),
            _col("class_ids", _L, "Classes of this variant, sorted."),
            _col("entered_at", _M, "When the schedule was entered.", null=True),
        ),
        _bell_schedule_row,
        _bell_schedule,
    ),
    _aggregate(
        "timetables",
        "timetable",
        (
            _ID,
            _YEAR,
            _col("entered_at", _M, "When entering the timetable began."),
            _col("completed_at", _M, "When it was declared complete.", null=True),
            _col("valid_from", _D, "First day it applies.", null=True),
            _col("valid_until", _D, "Last day it applies.", null=True),
        ),
        _timetable_row,
        _timetable,
        _TIMETABLE_ENTRIES,
    ),
    _aggregate(
        "events",
        "event",
        (
            _ID,
            _YEAR,
            _col("kind", _T, "`school` or `class`."),
            _col("title", _T, "Title."),
            _col("starts_on", _D, "First day."),
            _col("ends_on", _D, "Last day.", null=True),
            _col("vacation_start", _D, "Start of the vacation it precedes.", null=True),
            _col("class_ids", _L, "Classes of a class event, sorted."),
            _col("entered_by", _T, "Who entered it."),
            _col("entered_at", _M, "When it was entered."),
        ),
        _event_row,
        _event,
    ),
)
"""The aggregates of this module, in dependency order."""
