"""Benchmarks of the access layer: authorization decisions, the audit chain, password hashing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pytest_benchmark.fixture import BenchmarkFixture

from eschool_core.accounts import ScryptHasher
from eschool_core.audit import AuditLog, MemoryAuditLogStore
from eschool_core.ids import AccountId, AssignmentId, ClassId, EmployeeId, SchoolId, SubjectId
from eschool_core.people import Employee, Person
from eschool_core.profiles import default_profile
from eschool_core.rbac import Action, Actor, Authorizer, MemoryDirectory, Role, Target
from eschool_core.school import SchoolClass, TeachingAssignment

ON = date(2026, 3, 2)
PERSON = Person(last_name="Иванов", first_name="Иван")


def _authorizer() -> Authorizer:
    teachers = [
        Employee(id=EmployeeId(f"t{i}"), person=PERSON, position="учитель") for i in range(60)
    ]
    classes = [
        SchoolClass(
            id=ClassId(f"c{i}"),
            year="2025/2026",
            parallel=i % 11 + 1,
            letter="А",
            class_teacher_id=EmployeeId(f"t{i}"),
        )
        for i in range(33)
    ]
    assignments = [
        TeachingAssignment(
            id=AssignmentId(f"a{i}"),
            teacher_id=EmployeeId(f"t{i % 60}"),
            year="2025/2026",
            subject_id=SubjectId(f"subj{i % 15}"),
            class_id=ClassId(f"c{i % 33}"),
        )
        for i in range(600)
    ]
    directory = MemoryDirectory(employees=teachers, classes=classes, assignments=assignments)
    return Authorizer(default_profile().rbac, directory)


def test_decision(benchmark: BenchmarkFixture) -> None:
    authorizer = _authorizer()
    actor = Actor(
        account_id=AccountId("a"),
        roles=[Role.TEACHER],
        school_id=SchoolId("s"),
        employee_id=EmployeeId("t5"),
    )
    target = Target(school_id=SchoolId("s"), class_id=ClassId("c5"), subject_id=SubjectId("subj5"))
    result = benchmark(authorizer.check, actor, Action.MARK_WRITE, target, on=ON)
    assert result.allowed


def test_verify_10000_entries(benchmark: BenchmarkFixture) -> None:
    log = AuditLog(MemoryAuditLogStore())
    start = datetime(2026, 3, 2, tzinfo=UTC)
    for i in range(10_000):
        log.record_change(
            account_id=f"a{i % 50}",
            at=start + timedelta(seconds=i),
            action="mark.write",
            target={"student_id": f"s{i}"},
            before=None,
            after={"value": i % 5 + 1},
        )
    result = benchmark(log.verify)
    assert result.ok


def test_scrypt_default_parameters(benchmark: BenchmarkFixture) -> None:
    hasher = ScryptHasher()
    encoded = hasher.hash("Пароль-2026")
    assert benchmark(hasher.verify, "Пароль-2026", encoded)
