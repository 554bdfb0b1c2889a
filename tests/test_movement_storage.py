"""Orders in storage: references checked, rejected writes leave the store unchanged (R10.1)."""

from __future__ import annotations

import pytest

from eschool_core.errors import ConflictError, ValidationError
from eschool_core.ids import EmployeeId, StudentId
from eschool_core.movement import MovementBook
from eschool_core.people import Employee, Person, Student
from eschool_core.profiles import default_profile
from eschool_core.storage import MemoryStore
from tests.movement_helpers import enroll, school_classes


def _store() -> MemoryStore:
    store = MemoryStore()
    with store.unit_of_work() as uow:
        uow.employees.add(
            Employee(
                id=EmployeeId("secretary"),
                person=Person(last_name="Петрова", first_name="Анна"),
                position="секретарь",
            )
        )
        uow.classes.add_many(school_classes())
        uow.students.add(
            Student(id=StudentId("s1"), person=Person(last_name="Орлов", first_name="Иван"))
        )
        uow.commit()
    return store


class TestOrderStorage:
    def test_orders_round_trip_and_rebuild_the_book(self) -> None:
        """R10.1: a host stores orders and rebuilds the movement book from them."""
        store = _store()
        stored = enroll(("s1", "5А"))
        with store.unit_of_work() as uow:
            uow.orders.add(stored)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.orders.for_year("2025/2026") == [stored]
            assert uow.orders.for_student(StudentId("s1")) == [stored]
            book = MovementBook.from_orders(
                uow.orders.all(), classes=uow.classes.all(), policy=default_profile().movement
            )
        assert book.latest_status("s1").class_id == "5А"

    def test_order_naming_an_unknown_student_is_rejected(self) -> None:
        """R10.1: an order referring to a missing student is not stored."""
        store = _store()
        with store.unit_of_work() as uow:
            with pytest.raises(ValidationError):
                uow.orders.add(enroll(("ghost", "5А")))
            assert uow.orders.count() == 0

    def test_student_named_by_an_order_cannot_be_removed(self) -> None:
        """R10.1: the movement book keeps its students."""
        store = _store()
        with store.unit_of_work() as uow:
            uow.orders.add(enroll(("s1", "5А")))
            uow.commit()
        with store.unit_of_work() as uow, pytest.raises(ConflictError, match="order"):
            uow.students.remove(StudentId("s1"))


class TestMovementProfile:
    def test_default_profile_has_movement_section(self) -> None:
        """R10.1: the profile supplies capacity and the one-year debt term."""
        policy = default_profile().movement
        assert (policy.default_capacity, policy.debt_term_months, policy.clause) == (25, 12, "10.1")
