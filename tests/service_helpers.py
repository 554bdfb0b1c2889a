"""A small school for the write-service tests, on any store."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

from eschool_core.accounts import MemoryAccountStore, ScryptHasher
from eschool_core.audit import AuditEntry
from eschool_core.calendar import AcademicYear, standard_year
from eschool_core.journal import Lesson
from eschool_core.people import Employee, Guardian, GuardianLink, Person, Student
from eschool_core.profiles import Profile, default_profile, default_profile_text, parse_profile
from eschool_core.rbac import Actor
from eschool_core.school import (
    ClassMembership,
    Group,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from eschool_core.service import SchoolService
from eschool_core.storage import MemoryStore, Store
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import load, snapshot

POSTGRES_DSN = os.environ.get("ESCHOOL_TEST_POSTGRES_DSN", "")
MSK = timezone(timedelta(hours=3))
YEAR = standard_year("2025/2026", default_profile().calendar)
"""The default profile's 2025/2026: Q1 is 1 September to 26 October for grade 5."""

LESSON_DAY = date(2025, 10, 6)
STUDENTS = tuple(f"s{n}" for n in range(1, 31))
"""Thirty students of class 5a (a lesson's marks)."""

TEACHER = Actor(account_id="acc-t1", roles=["teacher"], school_id="sch", employee_id="t1")
OTHER_TEACHER = Actor(account_id="acc-t2", roles=["teacher"], school_id="sch", employee_id="t2")
DEPUTY = Actor(account_id="acc-dh", roles=["deputy_head"], school_id="sch", employee_id="dh")
SECRETARY = Actor(account_id="acc-sec", roles=["secretary"], school_id="sch", employee_id="sec")
ADMIN = Actor(account_id="acc-adm", roles=["administrator"], school_id="sch", employee_id="adm")
REOPEN_SCOPE = {"class_id": "5a", "subject_id": "math", "teacher_id": "t1"}
"""What a period is reopened for in these tests: 5a's maths, corrected by t1 (R8.9)."""
PARENT = Actor(account_id="acc-g1", roles=["parent"], school_id="sch", guardian_id="g1")


def at(day: date, hour: int = 10) -> datetime:
    """A moment of school time (Moscow) on ``day``."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=MSK)


_NAMES = {"t1": "Мария", "t2": "Олег", "dh": "Анна", "sec": "Ирина", "adm": "Пётр"}


def _employee(employee_id: str, position: str) -> Employee:
    return Employee(
        id=employee_id,
        person=Person(last_name="Сотрудник", first_name=_NAMES[employee_id]),
        position=position,
        hired_on=date(2020, 8, 25),
    )


def school_data() -> list[tuple[str, list[Any]]]:
    """The school: a class 5a of 30 students taught maths by t1 (its class teacher), lessons."""
    lessons = [
        Lesson(
            id=f"l{offset}",
            date=LESSON_DAY + timedelta(days=offset),
            number=2,
            subject_id="math",
            teacher_id="t1",
            class_id="5a",
        )
        for offset in range(3)
    ]
    lessons.append(
        Lesson(
            id="l-group",
            date=LESSON_DAY,
            number=3,
            subject_id="math",
            teacher_id="t2",
            group_id="g-5a-1",
        )
    )
    lessons.append(
        Lesson(
            id="l-q2",
            date=date(2025, 11, 10),
            number=1,
            subject_id="math",
            teacher_id="t1",
            class_id="5a",
        )
    )
    return [
        ("schools", [School(id="sch", name="Школа №2", time_zone="Europe/Moscow")]),
        (
            "employees",
            [
                _employee("t1", "учитель"),
                _employee("t2", "учитель"),
                _employee("dh", "заместитель директора"),
                _employee("sec", "секретарь"),
                _employee("adm", "администратор"),
            ],
        ),
        (
            "students",
            [
                Student(id=s, person=Person(last_name="Ученик", first_name="Иван"))
                for s in (*STUDENTS, *(f"n{n}" for n in range(1, 7)))
            ],
        ),
        ("guardians", [Guardian(id="g1", person=Person(last_name="Родитель", first_name="Г"))]),
        ("subjects", [Subject(id="math", name="Математика")]),
        (
            "guardian_links",
            [GuardianLink(id="gl1", guardian_id="g1", student_id="s1", kind="mother")],
        ),
        (
            "classes",
            [
                SchoolClass(
                    id="5a", year="2025/2026", parallel=5, letter="А", class_teacher_id="t1"
                ),
                SchoolClass(id="5b", year="2025/2026", parallel=5, letter="Б", capacity=3),
            ],
        ),
        (
            "memberships",
            [
                ClassMembership(id=f"{s}@5a", student_id=s, class_id="5a", since=date(2025, 9, 1))
                for s in STUDENTS
            ],
        ),
        (
            "groups",
            [
                Group(
                    id="g-5a-1",
                    year="2025/2026",
                    subject_id="math",
                    name="5А, математика, 1 гр.",
                    kind="subgroup",
                    class_ids=["5a"],
                    student_ids=STUDENTS[:5],
                )
            ],
        ),
        (
            "assignments",
            [
                TeachingAssignment(
                    id="a1", teacher_id="t1", year="2025/2026", subject_id="math", class_id="5a"
                ),
                TeachingAssignment(
                    id="a2", teacher_id="t2", year="2025/2026", subject_id="math", group_id="g-5a-1"
                ),
            ],
        ),
        ("lessons", lessons),
    ]


def make_store(kind: str, new_schema: Callable[[], str] | None = None) -> Store:
    """A new store of ``kind`` (``memory``, ``sqlite``, ``postgres``) holding the school."""
    if kind == "memory":
        store: Store = MemoryStore()
    elif kind == "sqlite":
        store = SqlStore(":memory:")
    else:
        assert new_schema is not None
        store = SqlStore(POSTGRES_DSN, schema=new_schema(), create=True)
    load(store, school_data())
    return store


def service(
    store: Store, profile: Profile | None = None, year: AcademicYear = YEAR
) -> SchoolService:
    """The write service over ``store`` with ``profile`` (the default), cheap password hashes."""
    return SchoolService(
        store,
        year=year,
        profile=profile,
        accounts=MemoryAccountStore(),
        hasher=ScryptHasher(n=2**4),
    )


def deputy_corrects_profile() -> Profile:
    """The default profile, but the deputy head corrects a closed period himself (R8.9)."""
    text = default_profile_text()
    switch = "reopen_role_corrects = false"
    assert text.count(switch) == 1
    return parse_profile(text.replace(switch, "reopen_role_corrects = true"))


def audit_entries(store: Store) -> tuple[AuditEntry, ...]:
    """Every entry of the store's audit log."""
    with store.unit_of_work() as uow:
        return tuple(uow.audit.read())


def state(store: Store) -> tuple[dict[str, list[Any]], tuple[AuditEntry, ...]]:
    """Everything stored: the entities and the audit log."""
    return snapshot(store), audit_entries(store)
