"""Small builders shared by the curriculum and timetable tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from eschool_core.curriculum import (
    ComponentKind,
    Curriculum,
    LoadPolicy,
    SubjectHours,
)
from eschool_core.profiles import default_profile
from eschool_core.school import SchoolClass, Subject
from eschool_core.timetable import Bell, BellSchedule, Room

MSK = ZoneInfo("Europe/Moscow")
YEAR = "2025/2026"


def at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    """An aware Moscow moment."""
    return dt.datetime(year, month, day, hour, tzinfo=MSK)


def policy() -> LoadPolicy:
    """The default profile's load policy."""
    return default_profile().curriculum


def school_class(class_id: str, parallel: int, letter: str = "А", **kw: object) -> SchoolClass:
    """A class of 2025/2026."""
    return SchoolClass(id=class_id, year=YEAR, parallel=parallel, letter=letter, **kw)


def subjects() -> list[Subject]:
    """Four subjects with journal order."""
    return [
        Subject(id="rus", name="Русский язык", order=1),
        Subject(id="math", name="Математика", order=2),
        Subject(id="eng", name="Английский язык", order=3),
        Subject(id="ger", name="Немецкий язык", order=4),
    ]


def hours(
    class_id: str, subject: str, count: int, component: str = "mandatory", **kw: object
) -> SubjectHours:
    """One hours row."""
    return SubjectHours(
        class_id=class_id,
        subject_id=subject,
        component=ComponentKind(component),
        hours=count,
        **kw,
    )


def curriculum(*rows: SubjectHours, **kw: object) -> Curriculum:
    """A curriculum of 2025/2026 with teachers for every subject named."""
    teachers = {row.subject_id: {f"t-{row.subject_id}"} for row in rows}
    base: dict[str, object] = {"id": "up", "year": YEAR, "hours": rows, "teachers": teachers}
    base.update(kw)
    return Curriculum(**base)


def bells(shift: int = 1, **kw: object) -> BellSchedule:
    """A bell schedule of six 45-minute lessons from 8:30 (shift 1) or 13:30 (shift 2)."""
    start = dt.datetime(2000, 1, 1, 8 if shift == 1 else 13, 30)
    rows = []
    for number in range(1, 7):
        end = start + dt.timedelta(minutes=45)
        rows.append(Bell(number=number, start=start.time(), end=end.time()))
        start = end + dt.timedelta(minutes=10)
    base: dict[str, object] = {
        "id": f"bells-{shift}",
        "year": YEAR,
        "shift": shift,
        "name": f"{shift} смена",
        "bells": rows,
        "entered_at": at(2025, 8, 20),
    }
    base.update(kw)
    return BellSchedule(**base)


def room(room_id: str = "r1", **kw: object) -> Room:
    """A room entered on 20 August."""
    base: dict[str, object] = {
        "id": room_id,
        "name": f"каб. {room_id}",
        "entered_at": at(2025, 8, 20),
    }
    base.update(kw)
    return Room(**base)
