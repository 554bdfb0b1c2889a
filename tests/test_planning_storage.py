from __future__ import annotations

import datetime as dt

import pytest

from eschool_core.curriculum import ThematicPlan, Topic
from eschool_core.errors import ConflictError, ValidationError
from eschool_core.people import Employee, Person
from eschool_core.school import SchoolClass, Subject
from eschool_core.storage import MemoryStore, UnitOfWork
from eschool_core.timetable import SchoolEvent, Timetable, TimetableEntry
from tests.planning_helpers import YEAR, at, bells, curriculum, hours, room


def _seeded() -> MemoryStore:
    store = MemoryStore()
    with store.unit_of_work() as uow:
        uow.employees.add_many(
            Employee(
                id=tid, person=Person(last_name="Иванова", first_name="Анна"), position="учитель"
            )
            for tid in ("t-math", "t-rus", "deputy")
        )
        uow.subjects.add_many(
            [Subject(id="math", name="Математика"), Subject(id="rus", name="Русский")]
        )
        uow.classes.add(SchoolClass(id="5a", year=YEAR, parallel=5, letter="А"))
        uow.commit()
    return store


def _timetable(room_id: str = "r1") -> Timetable:
    entry = TimetableEntry(
        weekday=0, number=1, subject_id="math", teacher_id="t-math", class_id="5a", room_id=room_id
    )
    return Timetable(id="tt", year=YEAR, entries=[entry], entered_at=at(2025, 8, 28))


def _plan() -> ThematicPlan:
    return ThematicPlan(
        id="p1",
        year=YEAR,
        teacher_id="t-math",
        subject_id="math",
        class_id="5a",
        topics=[Topic(title="Дроби", hours=170)],
        entered_at=at(2025, 8, 10),
    )


def _event() -> SchoolEvent:
    return SchoolEvent(
        id="e1",
        year=YEAR,
        kind="class",
        title="Экскурсия",
        starts_on=dt.date(2025, 10, 10),
        class_ids=["5a"],
        entered_by="deputy",
        entered_at=at(2025, 10, 1),
    )


def _counts(uow: UnitOfWork) -> tuple[int, ...]:
    return (
        uow.curricula.count(),
        uow.thematic_plans.count(),
        uow.rooms.count(),
        uow.bell_schedules.count(),
        uow.timetables.count(),
        uow.events.count(),
    )


class TestPlanningStorage:
    def test_round_trip(self) -> None:
        """R5.1, R5.5, R7.1, R7.5: curricula, plans, rooms, bells, timetables, events are kept."""
        store = _seeded()
        up = curriculum(hours("5a", "math", 5), responsible_id="deputy")
        with store.unit_of_work() as uow:
            uow.curricula.add(up)
            uow.thematic_plans.add(_plan())
            uow.rooms.add(room("r1"))
            uow.bell_schedules.add(bells(1, class_ids=["5a"]))
            uow.timetables.add(_timetable())
            uow.events.add(_event())
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.curricula.for_year(YEAR) == [up]
            assert uow.thematic_plans.for_teacher("t-math") == [_plan()]
            assert uow.thematic_plans.for_year(YEAR) == [_plan()]
            assert uow.bell_schedules.for_year(YEAR)[0].id == "bells-1"
            assert uow.timetables.for_year(YEAR) == [_timetable()]
            assert uow.events.for_year("2024/2025") == []
            assert uow.events.get("e1") == _event()
            assert uow.rooms.get("r1").name == "каб. r1"

    @pytest.mark.parametrize(
        ("repository", "build"),
        [
            ("curricula", lambda: curriculum(hours("5a", "chem", 2))),
            ("curricula", lambda: curriculum(hours("9z", "math", 2))),
            (
                "curricula",
                lambda: curriculum(hours("5a", "math", 2), teachers={"math": ["nobody"]}),
            ),
            ("timetables", lambda: _timetable(room_id="nowhere")),
            ("events", lambda: SchoolEvent(**{**_event_kwargs(), "class_ids": ["9z"]})),
        ],
    )
    def test_dangling_references_rejected(self, repository: str, build: object) -> None:
        """R5.3, R7.5: a reference to a missing class, subject, teacher or room is refused."""
        store = _seeded()
        with store.unit_of_work() as uow:
            uow.rooms.add(room("r1"))
            uow.commit()
        with store.unit_of_work() as uow:
            before = _counts(uow)
            with pytest.raises(ValidationError):
                getattr(uow, repository).add(build())  # type: ignore[operator]
            assert _counts(uow) == before

    def test_referenced_room_cannot_be_removed(self) -> None:
        """R7.5: a room the timetable uses cannot be removed; the store stays as it was."""
        store = _seeded()
        with store.unit_of_work() as uow:
            uow.rooms.add(room("r1"))
            uow.timetables.add(_timetable())
            uow.commit()
        with store.unit_of_work() as uow:
            with pytest.raises(ConflictError):
                uow.rooms.remove("r1")
            assert uow.rooms.count() == 1

    def test_rollback_without_commit(self) -> None:
        """R5.1: an uncommitted curriculum is rolled back."""
        store = _seeded()
        with store.unit_of_work() as uow:
            uow.curricula.add(curriculum(hours("5a", "math", 5)))
        with store.unit_of_work() as uow:
            assert uow.curricula.count() == 0


def _event_kwargs() -> dict[str, object]:
    event = _event()
    return {
        "id": event.id,
        "year": event.year,
        "kind": event.kind,
        "title": event.title,
        "starts_on": event.starts_on,
        "class_ids": event.class_ids,
        "entered_by": event.entered_by,
        "entered_at": event.entered_at,
    }
