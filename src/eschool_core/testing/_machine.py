"""A hypothesis state machine comparing any store with the in-memory reference store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from eschool_core.curriculum import Curriculum, SubjectHours, ThematicPlan, Topic
from eschool_core.errors import EschoolError
from eschool_core.journal import Lesson, Mark, MarkEdit
from eschool_core.movement import Order, OrderItem
from eschool_core.people import Employee, Person, Student
from eschool_core.school import Group, SchoolClass, Subject
from eschool_core.storage import MemoryStore, Store, UnitOfWork
from eschool_core.testing._contract import REPOSITORIES, snapshot
from eschool_core.timetable import Room, SchoolEvent, Timetable, TimetableEntry

__all__ = ["Operation", "operations", "store_comparison_machine", "versions"]

Operation = tuple[str, str, Any]
"""``(verb, repository name, payload)``: verb is add, add_many, update or remove, or (with
``operations(expected_versions=True)``) update_expecting or remove_expecting, whose payload
is ``(entity or id, expected version)``."""

_NAMES = st.sampled_from(["Иванов", "Петрова", "Smith", "Кузнецова-Орлова"])
_OFFSETS = st.sampled_from([0, 2, 3, 5, 12, -4]).map(
    lambda hours: dt.timezone(dt.timedelta(hours=hours))
)
_MOMENTS = st.builds(
    lambda day, seconds, micro, zone: (
        dt.datetime(2025, 9, 1, tzinfo=zone)
        + dt.timedelta(days=day, seconds=seconds, microseconds=micro)
    ),
    st.integers(0, 200),
    st.integers(0, 86_399),
    st.integers(0, 999_999),
    _OFFSETS,
)
_DATES = st.dates(dt.date(2025, 9, 1), dt.date(2025, 9, 5))


def _ids(prefix: str, count: int) -> st.SearchStrategy[str]:
    return st.sampled_from([f"{prefix}{index}" for index in range(count)])


def _entities() -> dict[str, st.SearchStrategy[Any]]:
    person = st.builds(Person, last_name=_NAMES, first_name=_NAMES)
    marks_values = st.sampled_from(["1", "2", "3", "4", "5", "н/а", "осв", "зач"])
    return {
        "students": st.builds(Student, id=_ids("s", 3), person=person),
        "employees": st.builds(
            Employee, id=_ids("t", 2), person=person, position=st.just("учитель")
        ),
        "subjects": st.builds(Subject, id=_ids("u", 2), name=_NAMES, order=st.integers(0, 10_000)),
        "classes": st.builds(
            SchoolClass,
            id=_ids("c", 2),
            year=st.just("2025/2026"),
            parallel=st.integers(1, 11),
            letter=st.sampled_from(["А", "Б"]),
            class_teacher_id=st.none() | _ids("t", 3),
        ),
        "groups": st.builds(
            Group,
            id=_ids("g", 2),
            year=st.just("2025/2026"),
            subject_id=_ids("u", 3),
            name=_NAMES,
            kind=st.just("cross_class"),
            class_ids=st.lists(_ids("c", 3), min_size=1, max_size=2),
            student_ids=st.frozensets(_ids("s", 4), max_size=3),
        ),
        "lessons": st.builds(
            Lesson,
            id=_ids("l", 2),
            date=_DATES,
            number=st.integers(1, 12),
            subject_id=_ids("u", 3),
            teacher_id=_ids("t", 3),
            class_id=_ids("c", 3),
            topic=st.none() | _NAMES,
        ),
        "marks": st.builds(
            Mark,
            id=_ids("k", 3),
            student_id=_ids("s", 4),
            subject_id=_ids("u", 3),
            date=_DATES,
            value=marks_values,
            work_type=st.just("test"),
            author_id=_ids("t", 3),
            entered_at=_MOMENTS,
            lesson_id=st.none() | _ids("l", 3),
            weight=st.none()
            | st.fractions(min_value=Fraction(1, 10), max_value=5, max_denominator=1000),
            edits=st.lists(
                st.builds(
                    MarkEdit,
                    at=_MOMENTS,
                    by=_ids("t", 3),
                    old_value=marks_values,
                    new_value=marks_values,
                ),
                max_size=2,
            ),
        ),
        "orders": st.builds(
            Order,
            id=_ids("o", 2),
            number=st.sampled_from(["1-у", "2-к"]),
            kind=st.sampled_from(["enrollment", "transfer", "conditional_promotion"]),
            issued_on=_DATES,
            entered_at=_MOMENTS,
            author_id=_ids("t", 3),
            year=st.sampled_from(["2024/2025", "2025/2026"]),
            items=st.lists(
                st.builds(
                    OrderItem,
                    student_id=_ids("s", 4),
                    class_id=st.none() | _ids("c", 3),
                    subjects=st.lists(_ids("u", 3), max_size=2),
                    parallel=st.none() | st.integers(1, 11),
                    repaid_on=st.none() | _DATES,
                ),
                min_size=1,
                max_size=3,
                unique_by=lambda item: item.student_id,
            ),
        ),
        **_planning(),
    }


def _planning() -> dict[str, st.SearchStrategy[Any]]:
    return {
        "rooms": st.builds(Room, id=_ids("r", 2), name=_NAMES),
        "curricula": st.builds(
            Curriculum,
            id=_ids("cu", 2),
            year=st.just("2025/2026"),
            hours=st.lists(
                st.builds(
                    SubjectHours,
                    class_id=_ids("c", 3),
                    subject_id=_ids("u", 3),
                    component=st.just("mandatory"),
                    hours=st.fractions(min_value=Fraction(1, 2), max_value=6, max_denominator=4),
                ),
                max_size=2,
                unique_by=lambda row: (row.class_id, row.subject_id),
            ),
            teachers=st.dictionaries(
                _ids("u", 3), st.frozensets(_ids("t", 3), min_size=1, max_size=2), max_size=2
            ),
            responsible_id=st.none() | _ids("t", 3),
        ),
        "thematic_plans": st.builds(
            ThematicPlan,
            id=_ids("p", 2),
            year=st.just("2025/2026"),
            teacher_id=_ids("t", 3),
            subject_id=_ids("u", 3),
            class_id=_ids("c", 3),
            topics=st.lists(
                st.builds(Topic, title=_NAMES, hours=st.integers(1, 40)), min_size=1, max_size=2
            ),
            entered_at=_MOMENTS,
        ),
        "timetables": st.builds(
            Timetable,
            id=_ids("tt", 2),
            year=st.just("2025/2026"),
            entries=st.lists(
                st.builds(
                    TimetableEntry,
                    weekday=st.integers(0, 5),
                    number=st.integers(1, 12),
                    subject_id=_ids("u", 3),
                    teacher_id=_ids("t", 3),
                    class_id=_ids("c", 3),
                    room_id=st.none() | _ids("r", 3),
                ),
                max_size=3,
                unique_by=lambda entry: (entry.weekday, entry.number, entry.class_id),
            ),
            entered_at=_MOMENTS,
        ),
        "events": st.builds(
            SchoolEvent,
            id=_ids("e", 2),
            year=st.just("2025/2026"),
            kind=st.just("class"),
            title=_NAMES,
            starts_on=_DATES,
            class_ids=st.frozensets(_ids("c", 3), min_size=1, max_size=2),
            entered_by=_ids("t", 3),
            entered_at=_MOMENTS,
        ),
    }


_PREFIXES = {
    "students": "s",
    "employees": "t",
    "subjects": "u",
    "classes": "c",
    "marks": "k",
    "curricula": "cu",
    "thematic_plans": "p",
    "timetables": "tt",
}


_VERSIONS = st.none() | st.integers(1, 3)
"""The expected version of an update or removal: none (the version read), or a guess."""


def _expecting(drawn: tuple[str, str, Any, int | None]) -> Operation:
    """An update or removal, with an expected version if one was drawn."""
    verb, name, payload, version = drawn
    if version is None:
        return verb, name, payload
    return f"{verb}_expecting", name, (payload, version)


def operations(*, expected_versions: bool = False) -> st.SearchStrategy[Operation]:
    """Return a strategy of random repository operations on a few small id pools.

    The pools overlap with ids that are never created, so duplicates, dangling
    references, missing entities and still-referenced removals all occur.

    Args:
        expected_versions: Also draw ``update_expecting`` and ``remove_expecting``
            operations, whose expected version (1 to 3) is often stale.
    """
    versions = _VERSIONS if expected_versions else st.none()
    choices = []
    for name, entity in _entities().items():
        prefix = _PREFIXES.get(name, name[0])
        choices.extend(
            [
                st.tuples(st.just("add"), st.just(name), entity),
                st.tuples(st.just("add_many"), st.just(name), st.lists(entity, max_size=3)),
                st.tuples(st.just("update"), st.just(name), entity, versions).map(_expecting),
                st.tuples(st.just("remove"), st.just(name), _ids(prefix, 3), versions).map(
                    _expecting
                ),
            ]
        )
    return st.one_of(choices)


def _apply(uow: UnitOfWork, operation: Operation) -> str:
    verb, name, payload = operation
    repository = getattr(uow, name)
    try:
        if verb.endswith("_expecting"):
            target, version = payload
            getattr(repository, verb.removesuffix("_expecting"))(target, expected_version=version)
        else:
            getattr(repository, verb)(payload)
    except EschoolError as error:
        return f"{type(error).__name__}:{error.code}"
    return "ok"


def store_comparison_machine(make_store: Callable[[], Store]) -> type[RuleBasedStateMachine]:
    """Build a state machine that runs random operations on a new store and a memory store.

    After every step both hold the same entities at the same versions (updates and
    removals with an ``expected_version``, often stale, are among the operations), every
    operation has the same outcome (success, or the same error class and code), the date
    queries (``between``) find the same entities, ordered by date, and a unit of work left
    without ``commit()`` — with random, often failing, operations inside — changes nothing,
    the versions included.

    Args:
        make_store: Returns a new, empty store of the adapter under test.

    Returns:
        A ``RuleBasedStateMachine`` class; run it with ``run_state_machine_as_test`` or
        take its ``TestCase`` attribute.
    """

    class StoreComparison(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.reference = MemoryStore()
            self.subject = make_store()

        @rule(operation=operations(expected_versions=True))
        def committed(self, operation: Operation) -> None:
            outcomes = []
            for store in (self.reference, self.subject):
                with store.unit_of_work() as uow:
                    outcomes.append(_apply(uow, operation))
                    uow.commit()
            assert outcomes[0] == outcomes[1], (operation, outcomes)

        @rule(
            batch=st.lists(operations(expected_versions=True), min_size=1, max_size=6),
            crash=st.booleans(),
        )
        def abandoned(self, batch: list[Operation], crash: bool) -> None:
            for store in (self.reference, self.subject):
                before = snapshot(store), versions(store)
                try:
                    with store.unit_of_work() as uow:
                        for operation in batch:
                            _apply(uow, operation)
                        _leave(crash=crash)
                except _Abandon:
                    pass
                assert (snapshot(store), versions(store)) == before

        @rule(start=_DATES, end=_DATES)
        def dated(self, start: dt.date, end: dt.date) -> None:
            found = []
            for store in (self.reference, self.subject):
                with store.unit_of_work() as uow:
                    found.append(
                        [_by_date(getattr(uow, name).between(start, end)) for name in _DATED]
                    )
            assert found[0] == found[1], (start, end)

        @invariant()
        def same_contents(self) -> None:
            assert snapshot(self.reference) == snapshot(self.subject)
            assert versions(self.reference) == versions(self.subject)

        def teardown(self) -> None:
            self.subject.close()

    return StoreComparison


def versions(store: Store) -> dict[str, dict[str, int]]:
    """Return the stored version of every entity of ``store``, by repository and id."""
    with store.unit_of_work() as uow:
        return {
            name: {
                str(entity.id): getattr(uow, name).version_of(entity.id)
                for entity in getattr(uow, name).all()
            }
            for name in REPOSITORIES
        }


_DATED = ("lessons", "marks")
"""The repositories with a date query among those the machine fills."""


def _by_date(entities: Sequence[Any]) -> list[Any]:
    """The entities sorted by date and id, checked to have come by date."""
    days = [entity.date for entity in entities]
    assert days == sorted(days), days
    return sorted(entities, key=lambda entity: (entity.date, entity.id))


def _leave(*, crash: bool) -> None:
    if crash:
        raise _Abandon


class _Abandon(Exception):
    """Raised inside a unit of work to leave it by an exception."""
