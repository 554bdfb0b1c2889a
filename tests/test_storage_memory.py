from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.errors import (
    ConflictError,
    EschoolError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from eschool_core.ids import StudentId
from eschool_core.journal import Mark
from eschool_core.people import Employee, Person, Student
from eschool_core.school import Subject
from eschool_core.storage import MemoryStore, Store, UnitOfWork
from eschool_core.testing import REPOSITORIES, Operation, operations

MOMENT = datetime(2025, 9, 1, 12, tzinfo=UTC)


def _student(number: int) -> Student:
    return Student(id=StudentId(f"s{number}"), person=Person(last_name="Орлов", first_name="Иван"))


def _seeded() -> MemoryStore:
    store = MemoryStore()
    with store.unit_of_work() as uow:
        uow.employees.add(
            Employee(
                id="t1", person=Person(last_name="Лебедева", first_name="Анна"), position="учитель"
            )
        )
        uow.subjects.add(Subject(id="math", name="Математика"))
        uow.students.add(_student(1))
        uow.commit()
    return store


def _mark(number: int, student: str = "s1", score: int = 5) -> Mark:
    return Mark(
        id=f"m{number}",
        student_id=student,
        subject_id="math",
        date=date(2025, 9, 1),
        value=score,
        work_type="answer",
        author_id="t1",
        entered_at=MOMENT,
    )


def _snapshot(store: MemoryStore) -> dict[str, list[Student] | list[Mark]]:
    with store.unit_of_work() as uow:
        return {
            "students": sorted(uow.students.all(), key=lambda s: s.id),
            "marks": sorted(uow.marks.all(), key=lambda m: m.id),
            "by_student": sorted(uow.marks.for_student(StudentId("s1")), key=lambda m: m.id),
        }


class TestMemoryRepository:
    def test_memory_store_is_a_store(self) -> None:
        """The memory store satisfies the Store protocol."""
        store: Store = MemoryStore()
        store.close()

    def test_add_get_update_remove(self) -> None:
        """R2.2e: entities are kept, found, replaced and deleted by id."""
        store = _seeded()
        with store.unit_of_work() as uow:
            uow.marks.add(_mark(1))
            assert uow.marks.get("m1").value.score == 5
            uow.marks.update(_mark(1, score=3))
            assert uow.marks.get("m1").value.score == 3
            assert [m.id for m in uow.marks.for_student(StudentId("s1"))] == ["m1"]
            uow.marks.remove("m1")
            assert uow.marks.find("m1") is None
            assert uow.marks.count() == 0
            uow.commit()

    def test_errors(self) -> None:
        """Missing ids, duplicates and dangling references are typed errors."""
        store = _seeded()
        with store.unit_of_work() as uow:
            with pytest.raises(NotFoundError) as missing:
                uow.students.get(StudentId("nobody"))
            assert missing.value.code == "student.not_found"
            with pytest.raises(ConflictError):
                uow.students.add(_student(1))
            with pytest.raises(ValidationError) as dangling:
                uow.marks.add(_mark(1, student="ghost"))
            assert dangling.value.code == "mark.dangling_reference"
            with pytest.raises(NotFoundError):
                uow.marks.update(_mark(9))
            with pytest.raises(NotFoundError):
                uow.marks.remove("m9")

    def test_referenced_entity_cannot_be_removed(self) -> None:
        """A student with marks cannot be deleted: nothing may dangle."""
        store = _seeded()
        with store.unit_of_work() as uow:
            uow.marks.add(_mark(1))
            with pytest.raises(ConflictError) as caught:
                uow.students.remove(StudentId("s1"))
            assert caught.value.code == "student.referenced"

    def test_add_many_is_all_or_nothing(self) -> None:
        """A batch with one duplicate id adds nothing."""
        store = _seeded()
        with store.unit_of_work() as uow:
            with pytest.raises(ConflictError):
                uow.marks.add_many([_mark(1), _mark(2), _mark(1)])
            assert uow.marks.count() == 0

    def test_outside_unit_of_work(self) -> None:
        """Repositories are usable only inside an entered unit of work."""
        uow = MemoryStore().unit_of_work()
        with pytest.raises(StorageError) as caught:
            uow.students.count()
        assert caught.value.code == "storage.uow_inactive"

    def test_nested_unit_of_work_is_refused(self) -> None:
        """A unit of work inside another on the same thread would deadlock: refused."""
        store = MemoryStore()
        with store.unit_of_work(), pytest.raises(StorageError) as caught:
            store.unit_of_work().__enter__()
        assert caught.value.code == "storage.uow_nested"

    def test_units_of_work_are_serialized(self) -> None:
        """Two threads adding marks concurrently lose nothing."""
        store = _seeded()

        def writer(offset: int) -> None:
            for number in range(offset, offset + 50):
                with store.unit_of_work() as uow:
                    uow.marks.add(_mark(number))
                    uow.commit()

        threads = [threading.Thread(target=writer, args=(start,)) for start in (0, 1000)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with store.unit_of_work() as uow:
            assert uow.marks.count() == 100


_operations = st.lists(
    st.tuples(
        st.sampled_from(["add_mark", "add_student", "update_mark", "remove_mark", "fail"]),
        st.integers(min_value=1, max_value=6),
    ),
    max_size=25,
)


class TestUnitOfWork:
    @given(_operations, st.booleans())
    def test_failure_or_no_commit_leaves_store_unchanged(
        self, operations: list[tuple[str, int]], commit_before_failing: bool
    ) -> None:
        """A unit of work that raises, or is left without commit, changes nothing."""
        store = _seeded()
        with store.unit_of_work() as uow:
            uow.marks.add(_mark(100))
            uow.commit()
        before = _snapshot(store)
        with pytest.raises(RuntimeError), store.unit_of_work() as uow:
            for operation, number in operations:
                try:
                    if operation == "add_mark":
                        uow.marks.add(_mark(number))
                    elif operation == "add_student":
                        uow.students.add(_student(number + 1))
                    elif operation == "update_mark":
                        uow.marks.update(_mark(number, score=2))
                    elif operation == "remove_mark":
                        uow.marks.remove(f"m{number}")
                    else:
                        uow.marks.add(_mark(number, student="ghost"))
                except (ConflictError, NotFoundError, ValidationError):
                    pass  # a rejected operation is part of the sequence
            if commit_before_failing:
                uow.rollback()
            raise RuntimeError("boom")
        assert _snapshot(store) == before
        with store.unit_of_work() as uow:
            for number in sorted({number for _, number in operations}):
                uow.marks.add(_mark(number + 1000))
            # leaving without commit rolls back as well
        assert _snapshot(store) == before

    def test_commit_then_failure_keeps_committed_part(self) -> None:
        """What was committed stays even if the rest of the unit of work fails."""
        store = _seeded()
        with pytest.raises(RuntimeError), store.unit_of_work() as uow:
            uow.marks.add(_mark(1))
            uow.commit()
            uow.marks.add(_mark(2))
            raise RuntimeError("boom")
        with store.unit_of_work() as uow:
            assert [m.id for m in uow.marks.all()] == ["m1"]


_QUERIES: tuple[tuple[str, Callable[[UnitOfWork], Sequence[Any]]], ...] = (
    *(
        (f"marks.for_student({student})", lambda uow, s=student: uow.marks.for_student(s))
        for student in ("s0", "s1", "s2", "s3")
    ),
    *(
        (f"marks.for_lesson({lesson})", lambda uow, lesson=lesson: uow.marks.for_lesson(lesson))
        for lesson in ("l0", "l1", "l2")
    ),
    *(
        (f"lessons.for_class({klass})", lambda uow, c=klass: uow.lessons.for_class(c))
        for klass in ("c0", "c1", "c2")
    ),
    ("marks.between", lambda uow: uow.marks.between(date(2025, 9, 1), date(2025, 9, 5))),
    ("lessons.between", lambda uow: uow.lessons.between(date(2025, 9, 1), date(2025, 9, 5))),
    ("classes.for_year", lambda uow: uow.classes.for_year("2025/2026")),
    ("groups.for_year", lambda uow: uow.groups.for_year("2025/2026")),
    ("orders.for_year", lambda uow: uow.orders.for_year("2025/2026")),
    ("orders.for_student", lambda uow: uow.orders.for_student(StudentId("s1"))),
    ("thematic_plans.for_teacher", lambda uow: uow.thematic_plans.for_teacher("t1")),
    ("events.for_year", lambda uow: uow.events.for_year("2025/2026")),
)
"""Query methods whose answers come from the memory store's indexes, in their order."""


def _in_order(store: Store) -> dict[str, list[Any]]:
    """Every repository's ``all()`` and the queries' answers, in the order they come."""
    with store.unit_of_work() as uow:
        view = {name: list(getattr(uow, name).all()) for name in REPOSITORIES}
        view.update({label: list(query(uow)) for label, query in _QUERIES})
        return view


def _try(uow: UnitOfWork, operation: Operation) -> None:
    verb, name, payload = operation
    repository = getattr(uow, name)
    try:
        if verb.endswith("_expecting"):
            target, version = payload
            getattr(repository, verb.removesuffix("_expecting"))(target, expected_version=version)
        else:
            getattr(repository, verb)(payload)
    except EschoolError:
        pass  # a refused operation is part of the sequence


class TestRollbackOrder:
    def test_an_undone_update_or_removal_keeps_the_row_in_its_place(self) -> None:
        """After a rollback ``all()`` and the queries list the rows in their old order (R2.2e)."""
        store = _seeded()
        with store.unit_of_work() as uow:
            uow.students.add_many([_student(2), _student(3)])
            uow.marks.add_many([_mark(1), _mark(2), _mark(3)])
            uow.commit()
        before = _in_order(store)
        with store.unit_of_work() as uow:
            first = uow.students.get("s1")
            uow.students.update(
                attrs.evolve(first, person=attrs.evolve(first.person, patronymic="Петрович"))
            )
            uow.marks.update(_mark(1, score=2))
            uow.marks.update(_mark(2, student="s2"))
            uow.marks.remove("m3")
            uow.students.remove("s3")
            uow.marks.add(_mark(3, student="s2"))
            uow.marks.update(_mark(3, student="s1"))
            uow.rollback()
            assert [m.id for m in uow.marks.all()] == ["m1", "m2", "m3"]
            assert [m.id for m in uow.marks.for_student(StudentId("s1"))] == ["m1", "m2", "m3"]
        assert _in_order(store) == before

    def test_an_update_keeps_the_row_in_its_place(self) -> None:
        """A committed update leaves the entity where it was in ``all()`` (R2.2e)."""
        store = _seeded()
        with store.unit_of_work() as uow:
            uow.marks.add_many([_mark(1), _mark(2), _mark(3)])
            uow.marks.update(_mark(1, score=3))
            uow.commit()
            assert [m.id for m in uow.marks.all()] == ["m1", "m2", "m3"]

    @settings(max_examples=40)
    @given(
        st.lists(operations(expected_versions=True), min_size=5, max_size=30),
        st.lists(operations(expected_versions=True), min_size=1, max_size=10),
        st.booleans(),
    )
    def test_rollback_restores_every_order(
        self, committed: list[Operation], abandoned: list[Operation], crash: bool
    ) -> None:
        """After any writes and a rollback every ``all()`` and query is as before, in order."""
        store = MemoryStore()
        for operation in committed:
            with store.unit_of_work() as uow:
                _try(uow, operation)
                uow.commit()
        before = _in_order(store)
        try:
            with store.unit_of_work() as uow:
                for operation in abandoned:
                    _try(uow, operation)
                _leave(crash=crash)
        except _Abandon:
            pass
        assert _in_order(store) == before


class _Abandon(Exception):
    """Leaves a unit of work by an exception."""


def _leave(*, crash: bool) -> None:
    if crash:
        raise _Abandon
