# mypy: disable-error-code="arg-type"
# Sample ids are string literals; wrapping each in its NewType would only add noise.
"""The storage contract: pytest tests written once, run against any store.

Subclass :class:`StoreContract` in a test module, name the subclass ``Test...`` and
implement :meth:`StoreContract.make_store`; pytest then runs every test on that store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs
import pytest

from eschool_core.audit import AuditLog
from eschool_core.errors import ConflictError, NotFoundError, StorageError, ValidationError
from eschool_core.movement import OrderItem
from eschool_core.people import Person, Student
from eschool_core.school import Group, Subject
from eschool_core.storage import Store, UnitOfWork
from eschool_core.storage.registry import REGISTRY, Registry
from eschool_core.testing._samples import sample_school

__all__ = ["REPOSITORIES", "StoreContract", "load", "snapshot"]

REPOSITORIES: tuple[str, ...] = tuple(REGISTRY)
"""The repositories of a unit of work, in the registry's loading order (each refers only to
earlier ones)."""


def _key(entity: Any) -> str:  # noqa: ANN401 - any entity
    return str(entity.id)


def snapshot(store: Store, registry: Registry = REGISTRY) -> dict[str, list[Any]]:
    """Return every stored entity of ``store``, by repository of ``registry``, sorted by id."""
    with store.unit_of_work() as uow:
        return {name: sorted(getattr(uow, name).all(), key=_key) for name in registry}


def load(store: Store, entities: Sequence[tuple[str, Sequence[Any]]]) -> None:
    """Add ``(repository name, entities)`` pairs to ``store`` in one committed unit of work."""
    with store.unit_of_work() as uow:
        for name, batch in entities:
            getattr(uow, name).add_many(batch)
        uow.commit()


def _dated(entities: Sequence[Any]) -> list[tuple[dt.date, str]]:
    """``(date, id)`` of entities a ``between`` query returned, checked to come by date."""
    days = [entity.date for entity in entities]
    assert days == sorted(days), days
    return sorted((entity.date, str(entity.id)) for entity in entities)


_AUDIT_AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def _audit_change(uow: UnitOfWork, index: int) -> None:
    """Append the ``index``-th sample change to ``uow``'s audit log."""
    AuditLog(uow.audit).record_change(
        account_id=f"acc{index % 2}",
        at=_AUDIT_AT + dt.timedelta(minutes=index),
        action="mark.write",
        target={"student_id": "s1", "mark_id": f"m{index}"},
        before=None if index % 2 == 0 else {"value": "4"},
        after={"value": "5", "reason": "исправление"},
    )


def _audit_then_fail(store: Store) -> None:
    with store.unit_of_work() as uow:
        _audit_change(uow, 1)
        raise RuntimeError


def _student(student_id: str) -> Student:
    return Student(id=student_id, person=Person(last_name="Новиков", first_name="Пётр"))


def _add_then_fail(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.students.add(_student("s2"))
        raise RuntimeError


class StoreContract:
    """The behaviour every store must show; subclass it and implement :meth:`make_store`.

    The tests use ids of :func:`~eschool_core.testing.sample_school`. A store built with a
    registry of its own (a host's aggregates added to a copy of
    :data:`~eschool_core.storage.registry.REGISTRY`) sets :attr:`registry` and adds sample
    entities of its aggregates in :meth:`sample`: every aggregate of the registry is then
    stored, read back, counted and removed, and each of its references checked.
    """

    registry: Registry = REGISTRY
    """The aggregates of the store under test."""

    def sample(self) -> list[tuple[str, Sequence[Any]]]:
        """Return the ``(repository name, entities)`` pairs loaded into a store (override to add).

        The default is :func:`~eschool_core.testing.sample_school`.
        """
        return list(sample_school())

    def make_store(self) -> Store:
        """Return a new, empty store (override this)."""
        raise NotImplementedError

    @pytest.fixture
    def store(self) -> Iterator[Store]:
        """An empty store, closed after the test."""
        store = self.make_store()
        try:
            yield store
        finally:
            store.close()

    @pytest.fixture
    def school(self, store: Store) -> Store:
        """The store holding the sample school."""
        load(store, self.sample())
        return store

    # -- round trips ------------------------------------------------------------------------

    def test_round_trip_of_every_aggregate(self, school: Store) -> None:
        """Every aggregate comes back equal to what was stored (R2.2e, R9.1)."""
        stored = snapshot(school, self.registry)
        loaded = dict(self.sample())
        assert set(loaded) <= set(self.registry)
        for name in self.registry:
            assert stored[name] == sorted(loaded.get(name, ()), key=_key), name

    def test_get_find_count(self, school: Store) -> None:
        """Get and find return the entity by id; count counts; a missing id is NotFoundError."""
        with school.unit_of_work() as uow:
            for name, entities in self.sample():
                repository = getattr(uow, name)
                assert repository.count() == len(entities)
                for entity in entities:
                    assert repository.get(entity.id) == entity
                    assert repository.find(entity.id) == entity
                assert repository.find("missing") is None
                with pytest.raises(NotFoundError) as caught:
                    repository.get("missing")
                assert caught.value.code.endswith(".not_found")

    def test_queries(self, school: Store) -> None:
        """The secondary queries return exactly the matching entities."""
        with school.unit_of_work() as uow:
            assert {m.id for m in uow.marks.for_student("s1")} == {"mk1"}
            assert {m.id for m in uow.marks.for_lesson("l1")} == {"mk1"}
            assert {a.id for a in uow.attendance.for_student("s2")} == {"at1"}
            assert {a.id for a in uow.attendance.for_lesson("l1")} == {"at1"}
            assert {a.id for a in uow.attestation_marks.for_student("s2")} == {"am2"}
            assert {c.id for c in uow.classes.for_year("2025/2026")} == {"c5a", "c5b"}
            assert uow.classes.for_year("2024/2025") == []
            assert {g.id for g in uow.groups.for_year("2025/2026")} == {"g5a-eng-1"}
            assert {m.id for m in uow.memberships.for_class("c5b")} == {"m2"}
            assert {m.id for m in uow.memberships.for_student("s1")} == {"m1"}
            assert {a.id for a in uow.assignments.for_teacher("t2")} == {"a2"}
            assert {a.id for a in uow.assignments.for_year("2025/2026")} == {
                a.id for a in uow.assignments.all() if a.year == "2025/2026"
            }
            assert uow.assignments.for_year("2024/2025") == []
            assert {a.id for a in uow.attestation_marks.for_year("2025/2026")} == {
                a.id for a in uow.attestation_marks.all() if a.year == "2025/2026"
            }
            assert uow.attestation_marks.for_year("2024/2025") == []
            assert {lesson.id for lesson in uow.lessons.for_class("c5a")} == {"l1", "l3"}
            assert {lesson.id for lesson in uow.lessons.for_group("g5a-eng-1")} == {"l2"}
            assert [
                lesson.id
                for lesson in uow.lessons.between(dt.date(2025, 9, 1), dt.date(2025, 9, 1))
            ] == ["l1"]
            assert [
                lesson.id
                for lesson in uow.lessons.between(dt.date(2025, 9, 1), dt.date(2025, 9, 2))
            ] == ["l1", "l2"]
            assert {c.id for c in uow.consents.for_subject("s1")} == {"cn1"}
            assert {link.id for link in uow.guardian_links.for_guardian("g1")} == {"gl1"}
            assert {link.id for link in uow.guardian_links.for_student("s1")} == {"gl1"}
            assert {o.id for o in uow.orders.for_year("2025/2026")} == {"o1", "o3", "o4"}
            assert {o.id for o in uow.orders.for_year("2024/2025")} == {"o2"}
            assert {o.id for o in uow.orders.for_student("s1")} == {"o1", "o2", "o3", "o4"}
            assert uow.orders.for_student("s2") == []
            assert {c.id for c in uow.curricula.for_year("2025/2026")} == {"up"}
            assert {c.id for c in uow.curricula.for_year("2024/2025")} == {"up-old"}
            assert {p.id for p in uow.thematic_plans.for_year("2025/2026")} == {"tp1"}
            assert {p.id for p in uow.thematic_plans.for_teacher("t1")} == {"tp1"}
            assert uow.thematic_plans.for_teacher("t2") == []
            assert {b.id for b in uow.bell_schedules.for_year("2025/2026")} == {"b1", "b2"}
            assert {t.id for t in uow.timetables.for_year("2025/2026")} == {"tt1"}
            assert uow.timetables.for_year("2024/2025") == []
            assert {e.id for e in uow.events.for_year("2025/2026")} == {"ev1", "ev2"}
            homework = uow.lessons.get("l1")
            assert homework.homework_due_lesson_id == "l3"
            assert [a.sha256[:8] for a in homework.homework_attachments] == ["9f86d081"]
            assert {r.id for r in uow.retake_attempts.for_year("2025/2026")} == {"rt1", "rt2"}
            assert uow.retake_attempts.get("rt2").commission_ids == ("t1", "t2")
            assert [r.by for r in uow.report_runs.for_year("2025/2026")] == ["t1"]
            assert uow.report_runs.for_year("2024/2025") == []
            assert {r.report_code for r in uow.report_runs.all()} == {
                "Отчёт о посещаемости класса",
                "Наполняемость классов",
            }

    def test_marks_and_attendance_between(self, school: Store) -> None:
        """``between`` returns the marks and records dated from start to end, both included."""
        first, second, third = (dt.date(2025, 9, day) for day in (1, 2, 3))
        before = dt.date(2025, 8, 31)
        with school.unit_of_work() as uow:
            mark = uow.marks.get("mk2")
            uow.marks.add_many(
                attrs.evolve(mark, id=f"mk-{day.isoformat()}", date=day)
                for day in (third, before, second)
            )
            record = uow.attendance.get("at1")
            uow.attendance.add_many(
                attrs.evolve(record, id=f"at-{day.isoformat()}", date=day)
                for day in (third, before, second)
            )
            uow.commit()
        with school.unit_of_work() as uow:
            assert _dated(uow.marks.between(first, second)) == [
                (first, "mk1"),
                (first, "mk2"),
                (second, "mk-2025-09-02"),
            ]
            assert _dated(uow.marks.between(first, first)) == [(first, "mk1"), (first, "mk2")]
            assert _dated(uow.marks.between(before, third)) == sorted(
                (m.date, m.id) for m in uow.marks.all()
            )
            assert _dated(uow.attendance.between(second, third)) == [
                (second, "at-2025-09-02"),
                (third, "at-2025-09-03"),
            ]
            assert _dated(uow.attendance.between(first, first)) == [(first, "at1")]
            # An update moves the entity to its new date.
            uow.marks.update(attrs.evolve(uow.marks.get("mk1"), date=third))
            assert _dated(uow.marks.between(first, first)) == [(first, "mk2")]
            assert _dated(uow.marks.between(third, third)) == [
                (third, "mk-2025-09-03"),
                (third, "mk1"),
            ]

    def test_marks_and_attendance_for_students(self, school: Store) -> None:
        """``for_students`` returns the students' marks and records dated start to end (R8.6)."""
        days = [dt.date(2025, 9, day) for day in (1, 2, 3)]
        with school.unit_of_work() as uow:
            mark = uow.marks.get("mk2")
            uow.marks.add_many(
                attrs.evolve(mark, id=f"mk-s-{day.isoformat()}", date=day) for day in days[1:]
            )
            record = uow.attendance.get("at1")
            uow.attendance.add_many(
                attrs.evolve(record, id=f"at-s-{day.isoformat()}", date=day) for day in days[1:]
            )
            uow.commit()
        with school.unit_of_work() as uow:
            marks, records = uow.marks.all(), uow.attendance.all()
            students = sorted({m.student_id for m in marks} | {a.student_id for a in records})
            for wanted in ([], students[:1], students, [*students, "nobody"]):
                for start, end in ((days[0], days[2]), (days[1], days[1]), (days[2], days[0])):
                    assert _dated(uow.marks.for_students(wanted, start, end)) == sorted(
                        (m.date, str(m.id))
                        for m in marks
                        if m.student_id in wanted and start <= m.date <= end
                    )
                    assert _dated(uow.attendance.for_students(wanted, start, end)) == sorted(
                        (a.date, str(a.id))
                        for a in records
                        if a.student_id in wanted and start <= a.date <= end
                    )

    def test_between_an_empty_or_reversed_range(self, school: Store) -> None:
        """A range without entities, or with start after end, gives an empty list."""
        with school.unit_of_work() as uow:
            for repository in (uow.lessons, uow.marks, uow.attendance):
                assert list(repository.between(dt.date(2025, 9, 10), dt.date(2025, 9, 20))) == []
                assert list(repository.between(dt.date(2025, 8, 31), dt.date(2025, 8, 31))) == []
                assert list(repository.between(dt.date(2025, 9, 2), dt.date(2025, 9, 1))) == []
                assert len(repository.between(dt.date(2025, 9, 1), dt.date(2025, 9, 1))) > 0

    # -- rejected writes --------------------------------------------------------------------

    def test_duplicate_id_is_a_conflict(self, school: Store) -> None:
        """Adding an existing id raises ConflictError ``<kind>.duplicate`` and changes nothing."""
        before = snapshot(school)
        with school.unit_of_work() as uow:
            with pytest.raises(ConflictError) as caught:
                uow.students.add(_student("s1"))
            assert caught.value.code == "student.duplicate"
            uow.commit()
        assert snapshot(school) == before

    def test_add_many_is_all_or_none(self, school: Store) -> None:
        """A batch with a repeated id or one bad reference stores none of its entities."""
        before = snapshot(school)
        with school.unit_of_work() as uow:
            with pytest.raises(ConflictError):
                uow.students.add_many([_student("s9"), _student("s9")])
            with pytest.raises(ValidationError) as caught:
                uow.memberships.add_many(
                    [
                        attrs.evolve(uow.memberships.get("m1"), id="m8"),
                        attrs.evolve(uow.memberships.get("m1"), id="m9", class_id="nope"),
                    ]
                )
            assert caught.value.code == "membership.dangling_reference"
            assert caught.value.details["field"] == "class_id"
            uow.commit()
        assert snapshot(school) == before

    def test_every_reference_of_the_registry_is_checked(self, school: Store) -> None:
        """Each reference field of each registered aggregate refuses an id that is not stored.

        Built from the registry: a copy of a sample entity that names something there (a new
        id) naming ``nowhere`` instead raises ``<kind>.dangling_reference`` for that field (R9.1).
        """
        fields_checked = 0
        with school.unit_of_work() as uow:
            for name, entities in self.sample():
                spec = self.registry[name]
                if not entities:
                    continue
                own = attrs.fields_dict(type(entities[0]))
                for field in spec.references:
                    named = [e for e in entities if getattr(e, field) is not None]
                    if field not in own or "id" not in own or not named:
                        continue
                    entity = attrs.evolve(named[0], id="contract-new", **{field: "nowhere"})
                    with pytest.raises(ValidationError) as caught:
                        getattr(uow, name).add(entity)
                    assert caught.value.code == f"{spec.kind}.dangling_reference", (name, field)
                    assert caught.value.details["field"] == field, (name, field)
                    fields_checked += 1
        assert fields_checked > 0

    def test_every_referenced_entity_is_kept(self, school: Store) -> None:
        """An entity a stored entity names (by any reference of the registry) is not removable.

        Built from the registry: removing it raises ``<kind>.referenced`` and keeps it (R9.1).
        """
        before = snapshot(school, self.registry)
        checked = 0
        for name, entities in self.sample():
            spec = self.registry[name]
            for field, target in spec.references.items():
                named = next((v for e in entities if (v := getattr(e, field)) is not None), None)
                if named is None or target == name:
                    continue
                with school.unit_of_work() as uow:
                    with pytest.raises(ConflictError) as caught:
                        getattr(uow, target).remove(named)
                    assert caught.value.code == f"{self.registry[target].kind}.referenced"
                checked += 1
        assert checked > 0
        assert snapshot(school, self.registry) == before

    def test_dangling_collection_reference(self, school: Store) -> None:
        """A group naming a missing student is a dangling reference."""
        with school.unit_of_work() as uow:
            group = uow.groups.get("g5a-eng-1")
            with pytest.raises(ValidationError) as caught:
                uow.groups.add(attrs.evolve(group, id="g2", student_ids=frozenset({"s1", "zz"})))
            assert caught.value.code == "group.dangling_reference"
            assert caught.value.details["value"] == "zz"

    def test_orders_check_their_references(self, school: Store) -> None:
        """An order naming a missing student, class, debt subject or author stores nothing."""
        before = snapshot(school)
        with school.unit_of_work() as uow:
            order = uow.orders.get("o2")
            item = order.items[0]
            bad = {
                "student_ids": attrs.evolve(item, student_id="zz"),
                "class_ids": attrs.evolve(item, class_id="zz"),
                "subject_ids": attrs.evolve(item, subjects=("math", "zz")),
            }
            for field, wrong in bad.items():
                with pytest.raises(ValidationError) as caught:
                    uow.orders.add_many([attrs.evolve(order, id="o9", items=(wrong,))])
                assert caught.value.code == "order.dangling_reference"
                assert (caught.value.details["field"], caught.value.details["value"]) == (
                    field,
                    "zz",
                )
                with pytest.raises(ValidationError):
                    uow.orders.update(attrs.evolve(order, items=(wrong,)))
            with pytest.raises(ValidationError) as caught:
                uow.orders.add(attrs.evolve(order, id="o9", author_id="zz"))
            assert caught.value.details["field"] == "author_id"
            uow.commit()
        assert snapshot(school) == before

    def test_orders_keep_what_they_name(self, school: Store) -> None:
        """A subject named as a debt cannot be removed until the order is changed or removed."""
        with school.unit_of_work() as uow:
            with pytest.raises(ConflictError) as caught:
                uow.subjects.remove("eng")
            assert caught.value.code == "subject.referenced"
            uow.lessons.remove("l2")
            uow.assignments.remove("a2")
            uow.groups.remove("g5a-eng-1")
            uow.attestation_marks.remove("am2")
            with pytest.raises(ConflictError):
                uow.subjects.remove("eng")
            uow.orders.remove("o3")
            changed = attrs.evolve(
                uow.orders.get("o2"),
                items=(OrderItem(student_id="s1", class_id="c5b", subjects=("math",)),),
            )
            uow.orders.update(changed)
            uow.subjects.remove("eng")
            uow.commit()
        with school.unit_of_work() as uow:
            assert uow.orders.get("o2") == changed
            assert uow.orders.find("o3") is None
            assert uow.subjects.find("eng") is None

    def test_planning_checks_its_references(self, school: Store) -> None:
        """Curricula, plans, schedules, timetables and events refuse dangling references."""
        before = snapshot(school)
        with school.unit_of_work() as uow:
            curriculum = uow.curricula.get("up")
            timetable = uow.timetables.get("tt1")
            entry = timetable.entries[1]
            bad: list[tuple[str, Any, str]] = [
                (
                    "curricula",
                    attrs.evolve(curriculum, id="x", teachers={"math": {"zz"}}),
                    "teacher_ids",
                ),
                (
                    "curricula",
                    attrs.evolve(curriculum, id="x", responsible_id="zz"),
                    "responsible_id",
                ),
                ("curricula", attrs.evolve(curriculum, id="x", group_ids=("zz",)), "all_group_ids"),
                (
                    "thematic_plans",
                    attrs.evolve(uow.thematic_plans.get("tp1"), id="x", teacher_id="zz"),
                    "teacher_id",
                ),
                (
                    "bell_schedules",
                    attrs.evolve(uow.bell_schedules.get("b2"), id="x", class_ids={"zz"}),
                    "class_ids",
                ),
                (
                    "timetables",
                    attrs.evolve(timetable, id="x", entries=(attrs.evolve(entry, room_id="zz"),)),
                    "room_ids",
                ),
                (
                    "events",
                    attrs.evolve(uow.events.get("ev1"), id="x", class_ids={"zz"}),
                    "class_ids",
                ),
                (
                    "retake_attempts",
                    attrs.evolve(uow.retake_attempts.get("rt2"), id="x", commission_ids=("zz",)),
                    "commission_ids",
                ),
                (
                    "retake_attempts",
                    attrs.evolve(uow.retake_attempts.get("rt1"), id="x", debt_order_id="zz"),
                    "debt_order_id",
                ),
                (
                    "report_runs",
                    attrs.evolve(uow.report_runs.all()[0], id="x", by="zz"),
                    "by",
                ),
            ]
            for name, wrong, field in bad:
                kind = name[:-1] if name != "curricula" else "curriculum"
                with pytest.raises(ValidationError) as caught:
                    getattr(uow, name).add(wrong)
                assert caught.value.code == f"{kind}.dangling_reference", name
                assert (caught.value.details["field"], caught.value.details["value"]) == (
                    field,
                    "zz",
                )
                with pytest.raises(ValidationError):
                    getattr(uow, name).update(
                        attrs.evolve(wrong, id=getattr(uow, name).all()[0].id)
                    )
            uow.commit()
        assert snapshot(school) == before

    def test_planning_keeps_what_it_names(self, school: Store) -> None:
        """A room, class or teacher named by planning data cannot be removed while named."""
        with school.unit_of_work() as uow:
            with pytest.raises(ConflictError) as caught:
                uow.rooms.remove("r21")
            assert (caught.value.code, caught.value.details["referenced_by"]) == (
                "room.referenced",
                "timetable",
            )
            timetable = uow.timetables.get("tt1")
            moved = attrs.evolve(
                timetable, entries=[attrs.evolve(e, room_id="gym") for e in timetable.entries]
            )
            uow.timetables.update(moved)
            uow.rooms.remove("r21")
            with pytest.raises(ConflictError):
                uow.rooms.remove("gym")
            uow.events.remove("ev1")
            uow.bell_schedules.update(attrs.evolve(uow.bell_schedules.get("b2"), class_ids=()))
            uow.commit()
        with school.unit_of_work() as uow:
            assert uow.timetables.get("tt1") == moved
            assert uow.rooms.find("r21") is None
            assert uow.bell_schedules.get("b2").class_ids == frozenset()
            uow.timetables.remove("tt1")
            uow.rooms.remove("gym")
            uow.commit()

    def test_update(self, school: Store) -> None:
        """Update replaces the entity; a missing one is NotFoundError; a bad reference fails."""
        with school.unit_of_work() as uow:
            group = uow.groups.get("g5a-eng-1")
            changed = attrs.evolve(group, kind="cross_class", class_ids=("c5b", "c5a"))
            uow.groups.update(changed)
            with pytest.raises(NotFoundError):
                uow.subjects.update(Subject(id="none", name="Нет"))
            with pytest.raises(ValidationError) as caught:
                uow.groups.update(attrs.evolve(changed, subject_id="nope"))
            assert caught.value.code == "group.dangling_reference"
            uow.commit()
        with school.unit_of_work() as uow:
            assert uow.groups.get("g5a-eng-1") == changed

    def test_remove(self, school: Store) -> None:
        """Remove deletes; a missing id is NotFoundError; a referenced entity is a conflict."""
        with school.unit_of_work() as uow:
            with pytest.raises(ConflictError) as caught:
                uow.students.remove("s1")
            assert caught.value.code == "student.referenced"
            with pytest.raises(ConflictError) as caught:
                uow.classes.remove("c5a")
            assert caught.value.code == "class.referenced"
            with pytest.raises(NotFoundError):
                uow.marks.remove("missing")
            uow.marks.remove("mk2")
            uow.commit()
        with school.unit_of_work() as uow:
            assert uow.marks.find("mk2") is None
            assert uow.marks.count() == 1

    def test_removing_a_group_member_is_a_conflict(self, school: Store) -> None:
        """A student in a group cannot be removed while the group lists him."""
        with school.unit_of_work() as uow:
            uow.guardian_links.remove("gl1")
            uow.consents.remove("cn1")
            uow.memberships.remove("m2")
            for mark in uow.marks.for_student("s2"):
                uow.marks.remove(mark.id)
            for record in uow.attendance.for_student("s2"):
                uow.attendance.remove(record.id)
            uow.attestation_marks.remove("am2")
            with pytest.raises(ConflictError) as caught:
                uow.students.remove("s2")
            assert caught.value.code == "student.referenced"
            group = uow.groups.get("g5a-eng-1")
            uow.groups.update(attrs.evolve(group, student_ids=frozenset({"s1"})))
            uow.students.remove("s2")
            assert uow.students.find("s2") is None

    # -- the unit of work ---------------------------------------------------------------------

    def test_use_outside_a_unit_of_work_is_an_error(self, store: Store) -> None:
        """Repositories refuse to work before the unit of work is entered or after it ends."""
        uow: UnitOfWork = store.unit_of_work()
        with pytest.raises(StorageError):
            uow.students.count()
        with uow:
            uow.students.add(_student("s1"))
            uow.commit()
        with pytest.raises(StorageError):
            uow.students.get("s1")

    def test_leaving_without_commit_rolls_back(self, store: Store) -> None:
        """Changes not committed are gone after the block, also after an exception."""
        with store.unit_of_work() as uow:
            uow.students.add(_student("s1"))
        with pytest.raises(RuntimeError):
            _add_then_fail(store)
        with store.unit_of_work() as uow:
            assert uow.students.count() == 0

    def test_commit_then_rollback(self, store: Store) -> None:
        """Rollback undoes only what follows the last commit."""
        with store.unit_of_work() as uow:
            uow.students.add(_student("s1"))
            uow.commit()
            uow.students.add(_student("s2"))
            uow.rollback()
            assert {s.id for s in uow.students.all()} == {"s1"}
            uow.students.add(_student("s3"))
            uow.commit()
        with store.unit_of_work() as uow:
            assert {s.id for s in uow.students.all()} == {"s1", "s3"}

    def test_a_refused_write_keeps_earlier_writes(self, store: Store) -> None:
        """A rejected operation undoes itself only; the unit of work goes on."""
        with store.unit_of_work() as uow:
            uow.students.add(_student("s1"))
            with pytest.raises(ConflictError):
                uow.students.add(_student("s1"))
            uow.students.add(_student("s2"))
            uow.commit()
        with store.unit_of_work() as uow:
            assert {s.id for s in uow.students.all()} == {"s1", "s2"}

    def test_group_members_round_trip(self, school: Store) -> None:
        """A cross-class group keeps its classes in order and its students."""
        group = Group(
            id="x",
            year="2025/2026",
            subject_id="math",
            name="Профиль",
            kind="cross_class",
            class_ids=("c5b", "c5a"),
            student_ids=frozenset(),
        )
        with school.unit_of_work() as uow:
            uow.groups.add(group)
            uow.commit()
        with school.unit_of_work() as uow:
            assert uow.groups.get("x") == group

    # -- the audit log ------------------------------------------------------------------------

    def test_audit_append_is_kept_on_commit(self, store: Store) -> None:
        """R3.1b, R12.5: committed audit entries come back equal, in order, as a verified chain."""
        with store.unit_of_work() as uow:
            assert (uow.audit.count(), uow.audit.last(), list(uow.audit.read())) == (0, None, [])
            for index in range(3):
                _audit_change(uow, index)
            written = list(uow.audit.read())
            uow.commit()
        with store.unit_of_work() as uow:
            assert list(uow.audit.read()) == written
            assert [e.at.isoformat() for e in uow.audit.read()] == [
                e.at.isoformat() for e in written
            ]
            assert list(uow.audit.read(1, 2)) == written[1:2]
            assert uow.audit.last() == written[-1]
            assert uow.audit.count() == 3
            assert AuditLog(uow.audit).verify().ok

    def test_audit_append_rolls_back_with_the_unit_of_work(self, store: Store) -> None:
        """R3.1b: an entry not committed is gone with the change it records, as after rollback()."""
        with store.unit_of_work() as uow:
            _audit_change(uow, 0)
            uow.commit()
        with store.unit_of_work() as uow:
            uow.students.add(_student("s1"))
            _audit_change(uow, 1)
        with pytest.raises(RuntimeError):
            _audit_then_fail(store)
        with store.unit_of_work() as uow:
            _audit_change(uow, 1)
            uow.rollback()
            assert uow.audit.count() == 1
            _audit_change(uow, 1)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.students.count() == 0
            assert [entry.position for entry in uow.audit.read()] == [0, 1]
            assert AuditLog(uow.audit).verify().ok

    def test_audit_append_checks_position(self, store: Store) -> None:
        """R3.1b: an entry that does not follow the last one is a conflict and changes nothing."""
        with store.unit_of_work() as uow:
            _audit_change(uow, 0)
            entry = uow.audit.read()[0]
            for position in (0, 2):
                with pytest.raises(ConflictError) as caught:
                    uow.audit.append(attrs.evolve(entry, position=position))
                assert caught.value.code == "audit.position_conflict"
            _audit_change(uow, 1)
            uow.commit()
        with store.unit_of_work() as uow:
            assert [entry.position for entry in uow.audit.read()] == [0, 1]

    def test_audit_checkpoints_are_kept_with_the_transaction(self, store: Store) -> None:
        """R3.1b: checkpoints are stored by length, rolled back and committed with the uow."""
        with store.unit_of_work() as uow:
            _audit_change(uow, 0)
            AuditLog(uow.audit).checkpoint(_AUDIT_AT)
            assert [c.length for c in uow.audit.checkpoints()] == [1]
        with store.unit_of_work() as uow:
            assert (uow.audit.count(), list(uow.audit.checkpoints())) == (0, [])
            log = AuditLog(uow.audit)
            _audit_change(uow, 0)
            first = log.checkpoint(_AUDIT_AT)
            _audit_change(uow, 1)
            second = log.checkpoint(_AUDIT_AT + dt.timedelta(hours=1))
            assert log.checkpoint(_AUDIT_AT + dt.timedelta(hours=2)) == second
            assert second is not None
            with pytest.raises(ConflictError) as caught:
                uow.audit.add_checkpoint(second)
            assert caught.value.code == "audit.checkpoint_conflict"
            uow.commit()
        with store.unit_of_work() as uow:
            assert list(uow.audit.checkpoints()) == [first, second]
            assert [c.at.isoformat() for c in uow.audit.checkpoints()] == [
                _AUDIT_AT.isoformat(),
                (_AUDIT_AT + dt.timedelta(hours=1)).isoformat(),
            ]
            assert AuditLog(uow.audit).verify().checkpoints == 2

    def test_audit_keyed_entries_round_trip(self, store: Store) -> None:
        """R3.1b, R12.5: entries and checkpoints of a keyed log keep their MACs and verify."""
        key = b"school secret"
        with store.unit_of_work() as uow:
            log = AuditLog(uow.audit, key=key, checkpoint_every=2)
            for index in range(5):
                log.record_change(
                    account_id="acc1",
                    at=_AUDIT_AT,
                    action="mark.write",
                    target={"mark_id": f"m{index}"},
                    before=None,
                    after={"value": "5"},
                )
            uow.commit()
        with store.unit_of_work() as uow:
            assert all(entry.mac is not None for entry in uow.audit.read())
            assert [c.length for c in uow.audit.checkpoints()] == [2, 4]
            result = AuditLog(uow.audit, key=key).verify()
            assert (result.ok, result.checked, result.checkpoints) == (True, 5, 2)
            wrong = AuditLog(uow.audit, key=b"another").verify()
            assert (wrong.ok, wrong.position) == (False, 0)

    # -- versions (no lost updates) -----------------------------------------------------------

    interleaved_units_of_work = False
    """Set to ``True`` when two units of work of the store can be open at once in one thread
    (PostgreSQL, a server database): the contract then also interleaves two of them."""

    def test_versions_count_the_writes(self, school: Store) -> None:
        """Every stored entity has version 1 when added and one more per update (R3.1b, R12.5)."""
        with school.unit_of_work() as uow:
            for name, entities in sample_school():
                repository = getattr(uow, name)
                for entity in entities:
                    assert repository.version_of(entity.id) == 1, name
                repository.update(entities[0])
                assert repository.version_of(entities[0].id) == 2, name
                with pytest.raises(NotFoundError) as caught:
                    repository.version_of("missing")
                assert caught.value.code.endswith(".not_found")
            uow.commit()
        with school.unit_of_work() as uow:
            mark = uow.marks.get("mk1")
            with pytest.raises(ValidationError):
                uow.marks.update(attrs.evolve(mark, lesson_id="nowhere"))
            assert uow.marks.version_of("mk1") == 2
            uow.marks.remove("mk1")
            with pytest.raises(NotFoundError):
                uow.marks.version_of("mk1")
            uow.marks.add(mark)
            assert uow.marks.version_of("mk1") == 1
            uow.commit()

    def test_a_stale_expected_version_is_a_conflict(self, school: Store) -> None:
        """A write based on a version someone else has since changed is refused (R3.1b, R8.6)."""
        with school.unit_of_work() as uow:
            shown = uow.marks.version_of("mk2")
        with school.unit_of_work() as uow:
            mark = uow.marks.get("mk2")
            uow.marks.update(attrs.evolve(mark, value="5"))
            uow.commit()
        before = snapshot(school)
        with school.unit_of_work() as uow:
            writes: tuple[Callable[[], None], ...] = (
                lambda: uow.marks.update(attrs.evolve(mark, value="2"), expected_version=shown),
                lambda: uow.marks.remove("mk2", expected_version=shown),
            )
            for write in writes:
                with pytest.raises(ConflictError) as caught:
                    write()
                error = caught.value
                assert error.code == "storage.stale_version"
                assert (error.details["kind"], error.details["id"]) == ("mark", "mk2")
                assert (error.details["expected"], error.details["found"]) == (shown, shown + 1)
                assert str(error) != error.message("en")
                assert "mk2" in str(error)
                assert "mk2" in error.message("en")
            uow.commit()
        assert snapshot(school) == before
        with school.unit_of_work() as uow:
            uow.marks.update(attrs.evolve(mark, value="2"), expected_version=shown + 1)
            assert uow.marks.version_of("mk2") == shown + 2
            uow.marks.remove("mk1", expected_version=1)
            uow.commit()
        with school.unit_of_work() as uow:
            assert uow.marks.get("mk2").value == attrs.evolve(mark, value="2").value
            assert uow.marks.find("mk1") is None

    def test_rollback_restores_versions(self, school: Store) -> None:
        """A rolled-back update leaves the version as it was, and what was read stays current."""
        with school.unit_of_work() as uow:
            mark = uow.marks.get("mk2")
            uow.marks.update(attrs.evolve(mark, value="4"))
            uow.marks.remove("mk1")
            uow.rollback()
            assert uow.marks.version_of("mk2") == 1
            assert uow.marks.version_of("mk1") == 1
            uow.marks.update(attrs.evolve(mark, value="3"))
            uow.commit()
        with school.unit_of_work() as uow:
            assert uow.marks.version_of("mk2") == 2
            assert uow.marks.get("mk2") == attrs.evolve(mark, value="3")

    def test_interleaved_units_of_work_refuse_the_stale_write(self, school: Store) -> None:
        """Of two units of work that read a mark, the second to write it is refused (R3.1b)."""
        if not self.interleaved_units_of_work:
            pytest.skip("the store runs one unit of work at a time")
        with school.unit_of_work() as first, school.unit_of_work() as second:
            stale = first.marks.get("mk2")
            fresh = second.marks.get("mk2")
            second.marks.update(attrs.evolve(fresh, value="5"))
            second.commit()
            writes: tuple[Callable[[], None], ...] = (
                lambda: first.marks.update(attrs.evolve(stale, value="2")),
                lambda: first.marks.remove("mk2"),
            )
            for write in writes:
                with pytest.raises(ConflictError) as caught:
                    write()
                assert caught.value.code == "storage.stale_version"
            # Reading it again does not make the first read current.
            assert first.marks.get("mk2").value == attrs.evolve(fresh, value="5").value
            with pytest.raises(ConflictError):
                first.marks.update(attrs.evolve(stale, value="2"))
            first.commit()
        with school.unit_of_work() as uow:
            assert uow.marks.get("mk2") == attrs.evolve(fresh, value="5")
            assert uow.marks.version_of("mk2") == 2
