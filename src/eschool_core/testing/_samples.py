# mypy: disable-error-code="arg-type"
# Sample ids are string literals; wrapping each in its NewType would only add noise.
"""A small school touching every aggregate and every nested value, for the conformance kit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from eschool_core.calendar import standard_year
from eschool_core.closures import PeriodClosure, closure_id
from eschool_core.curriculum import (
    ComponentLimit,
    Curriculum,
    ParallelProfile,
    SubjectGroup,
    SubjectHours,
    ThematicPlan,
    Topic,
)
from eschool_core.journal import (
    Attachment,
    Attendance,
    AttestationMark,
    IndividualHomework,
    Lesson,
    Mark,
    MarkEdit,
    MarkValue,
)
from eschool_core.movement import Order, OrderItem, RetakeAttempt
from eschool_core.people import (
    Consent,
    Employee,
    Guardian,
    GuardianLink,
    IdentityDocument,
    Person,
    Student,
)
from eschool_core.profiles import default_profile
from eschool_core.report_runs import ReportRun
from eschool_core.rollovers import RolledClass, RolloverRecord
from eschool_core.school import (
    Accreditation,
    ClassMembership,
    Group,
    Licence,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from eschool_core.timetable import (
    Bell,
    BellSchedule,
    Room,
    SchoolEvent,
    Timetable,
    TimetableEntry,
)

__all__ = ["sample_school"]

_MSK = dt.timezone(dt.timedelta(hours=3))
_YEKT = dt.timezone(dt.timedelta(hours=5))


def sample_school() -> Sequence[tuple[str, Sequence[Any]]]:
    """Return a small school as ``(repository name, entities)`` pairs in dependency order.

    Every aggregate of a unit of work appears, with documents, a licence, a fractional
    weight, mark edits, individual homework, moments in several UTC offsets and movement
    orders whose items fill every field (debt subjects in a set order, an attachment), and
    the planning of the year: rooms, a curriculum with fractional hours, a thematic plan,
    bell schedules (a shift's and a class variant), a timetable and events.

    >>> [name for name, _ in sample_school()][:3]
    ['schools', 'employees', 'students']
    """
    moment = dt.datetime(2025, 9, 1, 9, 30, tzinfo=_MSK)
    teacher = Employee(
        id="t1",
        person=Person(
            last_name="Иванова",
            first_name="Мария",
            patronymic="Петровна",
            birth_date=dt.date(1980, 5, 17),
            sex="f",
            snils="112-233-445 95",
            document=IdentityDocument(
                kind="passport", number="4510 123456", issued_on=dt.date(2005, 6, 1)
            ),
            phone="+7 (495) 123-45-67",
            email="ivanova@school.example",
        ),
        position="учитель",
        hired_on=dt.date(2010, 8, 25),
        education="высшее педагогическое",
    )
    former = Employee(
        id="t2",
        person=Person(last_name="Сидоров", first_name="Олег"),
        position="учитель",
        status="dismissed",
        hired_on=dt.date(2015, 9, 1),
        dismissed_on=dt.date(2025, 6, 30),
    )
    students = [
        Student(
            id="s1",
            person=Person(last_name="Орлов", first_name="Иван", birth_date=dt.date(2014, 3, 2)),
            personal_file_number="О-15",
        ),
        Student(id="s2", person=Person(last_name="Белова", first_name="Анна", sex="f")),
    ]
    guardian = Guardian(
        id="g1", person=Person(last_name="Орлова", first_name="Елена"), work_place="больница"
    )
    math = Subject(id="math", name="Математика", short_name="Мат.", order=2)
    english = Subject(id="eng", name="Английский язык", order=5)
    physics = Subject(id="phys", name="Физика", order=7)
    class_5a = SchoolClass(
        id="c5a", year="2025/2026", parallel=5, letter="А", class_teacher_id="t1"
    )
    class_5b = SchoolClass(id="c5b", year="2025/2026", parallel=5, letter="Б", week_days=6)
    group = Group(
        id="g5a-eng-1",
        year="2025/2026",
        subject_id="eng",
        name="5А, англ., 1 гр.",
        kind="subgroup",
        class_ids=("c5a",),
        student_ids=frozenset({"s1", "s2"}),
    )
    lesson = Lesson(
        id="l1",
        date=dt.date(2025, 9, 1),
        number=2,
        subject_id="math",
        teacher_id="t1",
        class_id="c5a",
        topic="Натуральные числа",
        work_types=("oral", "test"),
        homework="№ 1-5",
        individual_homework=(IndividualHomework(student_id="s2", text="№ 6"),),
        topic_entered_at=moment,
        homework_entered_at=moment,
        homework_due_lesson_id="l3",
        homework_attachments=(
            Attachment(
                name="Задачи.pdf",
                size_bytes=48213,
                media_type="application/pdf",
                sha256="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            ),
        ),
    )
    cancelled = Lesson(
        id="l2",
        date=dt.date(2025, 9, 2),
        number=1,
        subject_id="eng",
        teacher_id="t2",
        group_id="g5a-eng-1",
        state="cancelled",
        cancelled_at=dt.datetime(2025, 9, 2, 6, 0, tzinfo=dt.UTC),
    )
    due = Lesson(
        id="l3",
        date=dt.date(2025, 9, 8),
        number=2,
        subject_id="math",
        teacher_id="t1",
        class_id="c5a",
    )
    return (
        (
            "schools",
            [
                School(
                    id="sch",
                    name="Средняя школа № 1",
                    time_zone="Europe/Moscow",
                    licence=Licence(
                        number="Л035-01", issued_on=dt.date(2016, 1, 1), issued_by="Минобрнауки"
                    ),
                    accreditation=Accreditation(number="А007", issued_on=dt.date(2017, 2, 2)),
                )
            ],
        ),
        ("employees", [teacher, former]),
        ("students", students),
        ("guardians", [guardian]),
        ("subjects", [math, english, physics]),
        (
            "guardian_links",
            [GuardianLink(id="gl1", guardian_id="g1", student_id="s1", kind="mother")],
        ),
        (
            "consents",
            [
                Consent(
                    id="cn1",
                    category="student",
                    subject_id="s1",
                    given_on=dt.date(2025, 8, 30),
                    purposes=("journal", "personal_file"),
                    given_by="g1",
                )
            ],
        ),
        ("classes", [class_5a, class_5b]),
        (
            "memberships",
            [
                ClassMembership(
                    id="m1", student_id="s1", class_id="c5a", since=dt.date(2025, 9, 1)
                ),
                ClassMembership(
                    id="m2",
                    student_id="s2",
                    class_id="c5b",
                    since=dt.date(2025, 9, 1),
                    until=dt.date(2025, 12, 31),
                ),
            ],
        ),
        ("groups", [group]),
        (
            "assignments",
            [
                TeachingAssignment(
                    id="a1", teacher_id="t1", year="2025/2026", subject_id="math", class_id="c5a"
                ),
                TeachingAssignment(
                    id="a2",
                    teacher_id="t2",
                    year="2025/2026",
                    subject_id="eng",
                    group_id="g5a-eng-1",
                    until=dt.date(2025, 6, 30) + dt.timedelta(days=1),
                ),
            ],
        ),
        ("lessons", [due, lesson, cancelled]),  # l1 names l3: l3 first for plain inserts
        (
            "marks",
            [
                Mark(
                    id="mk1",
                    student_id="s1",
                    subject_id="math",
                    date=dt.date(2025, 9, 1),
                    lesson_id="l1",
                    value=5,
                    work_type="test",
                    weight=Fraction(3, 2),
                    author_id="t1",
                    entered_at=moment,
                    edits=(
                        MarkEdit(
                            at=dt.datetime(2025, 9, 3, 12, 0, tzinfo=_YEKT),
                            by="t1",
                            old_value=MarkValue.of(4),
                            new_value=MarkValue.of(5),
                            reason="ошибка ввода",
                        ),
                    ),
                ),
                Mark(
                    id="mk2",
                    student_id="s2",
                    subject_id="math",
                    date=dt.date(2025, 9, 1),
                    value="н/а",
                    work_type="oral",
                    author_id="t1",
                    entered_at=dt.datetime(2025, 9, 1, 23, 59, 59, 999999, tzinfo=_MSK),
                ),
            ],
        ),
        (
            "attendance",
            [
                Attendance(
                    id="at1",
                    student_id="s2",
                    lesson_id="l1",
                    date=dt.date(2025, 9, 1),
                    kind="absent",
                    reason="unknown",
                    entered_by="t1",
                    entered_at=moment,
                    reason_corrected_at=moment + dt.timedelta(days=1),
                )
            ],
        ),
        (
            "attestation_marks",
            [
                AttestationMark(
                    id="am1",
                    student_id="s1",
                    subject_id="math",
                    year="2025/2026",
                    kind="period",
                    period="Q1",
                    value=5,
                    author_id="t1",
                    entered_at=moment,
                ),
                AttestationMark(
                    id="am2",
                    student_id="s2",
                    subject_id="eng",
                    year="2025/2026",
                    kind="annual",
                    value="осв",
                    author_id="t2",
                    entered_at=moment,
                ),
            ],
        ),
        ("orders", _orders(moment)),
        *_planning(moment),
    )


def _planning(moment: dt.datetime) -> list[tuple[str, Sequence[Any]]]:
    curriculum = Curriculum(
        id="up",
        year="2025/2026",
        subject_order=("math", "phys"),
        subject_groups=(SubjectGroup(id="sg1", name="Точные науки", subject_ids={"math", "phys"}),),
        limits=(ComponentLimit(parallel=5, component="mandatory", max_hours=29),),
        profiles=(ParallelProfile(parallel=5, name="базовый", components={"mandatory"}),),
        hours=(
            SubjectHours(class_id="c5a", subject_id="math", component="mandatory", hours=5),
            SubjectHours(
                class_id="c5b",
                subject_id="math",
                component="participants",
                hours=Fraction(1, 2),
                level="углублённый",
            ),
        ),
        teachers={"math": {"t1", "t2"}},
        responsible_id="t1",
        completed_at=dt.datetime(2025, 8, 20, 17, 0, tzinfo=_YEKT),
    )
    bells = (
        Bell(number=1, start=dt.time(8, 30), end=dt.time(9, 15)),
        Bell(number=2, start=dt.time(9, 25), end=dt.time(10, 10)),
    )
    return [
        (
            "rooms",
            [
                Room(id="r21", name="каб. 21", capacity=30, entered_at=moment),
                Room(id="gym", name="Спортзал"),
            ],
        ),
        ("curricula", [curriculum, Curriculum(id="up-old", year="2024/2025")]),
        (
            "thematic_plans",
            [
                ThematicPlan(
                    id="tp1",
                    year="2025/2026",
                    teacher_id="t1",
                    subject_id="math",
                    class_id="c5a",
                    topics=(
                        Topic(title="Натуральные числа", hours=20),
                        Topic(title="Обыкновенные дроби", hours=150),
                    ),
                    entered_at=moment,
                    entered_by="t2",
                )
            ],
        ),
        (
            "bell_schedules",
            [
                BellSchedule(id="b1", year="2025/2026", shift=1, name="1 смена", bells=bells),
                BellSchedule(
                    id="b2",
                    year="2025/2026",
                    shift=1,
                    name="5А",
                    bells=bells[:1],
                    parallels={5},
                    class_ids={"c5a"},
                    entered_at=moment,
                ),
            ],
        ),
        (
            "timetables",
            [
                Timetable(
                    id="tt1",
                    year="2025/2026",
                    entries=(
                        TimetableEntry(
                            weekday=4,
                            number=2,
                            subject_id="math",
                            teacher_id="t2",
                            class_id="c5b",
                        ),
                        TimetableEntry(
                            weekday=0,
                            number=1,
                            subject_id="math",
                            teacher_id="t1",
                            class_id="c5a",
                            room_id="r21",
                        ),
                    ),
                    entered_at=moment,
                    completed_at=moment + dt.timedelta(days=2),
                    valid_from=dt.date(2025, 9, 1),
                )
            ],
        ),
        (
            "events",
            [
                SchoolEvent(
                    id="ev1",
                    year="2025/2026",
                    kind="class",
                    title="Экскурсия",
                    starts_on=dt.date(2025, 10, 10),
                    ends_on=dt.date(2025, 10, 11),
                    class_ids={"c5a", "c5b"},
                    entered_by="t1",
                    entered_at=moment,
                ),
                SchoolEvent(
                    id="ev2",
                    year="2025/2026",
                    kind="school",
                    title="Осенние каникулы",
                    starts_on=dt.date(2025, 10, 27),
                    vacation_start=dt.date(2025, 10, 27),
                    entered_by="t2",
                    entered_at=dt.datetime(2025, 10, 1, 8, 0, tzinfo=dt.UTC),
                ),
            ],
        ),
        (
            "period_closures",
            [
                PeriodClosure(
                    id=closure_id("2025/2026", "Q1"),
                    year="2025/2026",
                    period="Q1",
                    closed_at=dt.datetime(2025, 10, 24, 18, 0, tzinfo=_MSK),
                    closed_by="t1",
                    reopened_at=dt.datetime(2025, 11, 5, 9, 0, tzinfo=_YEKT),
                    reopened_by="t1",
                    reopen_reason="ошибка в отметке за четверть",
                    reopened_class_id="c5a",
                    reopened_subject_id="math",
                    reopened_teacher_id="t1",
                ),
                PeriodClosure(
                    id=closure_id("2025/2026", "Q1", 2),
                    year="2025/2026",
                    period="Q1",
                    closed_at=dt.datetime(2025, 11, 5, 12, 0, tzinfo=_MSK),
                    closed_by="t2",
                ),
            ],
        ),
        (
            "rollovers",
            [
                RolloverRecord(
                    id="2024/2025",
                    year="2024/2025",
                    on=dt.date(2025, 9, 1),
                    classes=[
                        RolledClass(
                            class_id="c5a", student_ids=("s2", "s1"), source_class_ids=("c4a",)
                        ),
                        RolledClass(class_id="c5b", student_ids=(), source_class_ids=()),
                    ],
                    done_at=dt.datetime(2025, 8, 31, 20, 0, tzinfo=_YEKT),
                    done_by="t1",
                )
            ],
        ),
        ("academic_years", [standard_year("2025/2026", default_profile().calendar)]),
        (
            "retake_attempts",
            [
                RetakeAttempt(
                    id="rt1",
                    student_id="s1",
                    subject_id="math",
                    debt_order_id="o2",
                    year="2025/2026",
                    number=1,
                    held_on=dt.date(2025, 9, 15),
                    outcome="failed",
                    entered_at=moment,
                    entered_by="t1",
                ),
                RetakeAttempt(
                    id="rt2",
                    student_id="s1",
                    subject_id="math",
                    debt_order_id="o2",
                    year="2025/2026",
                    number=2,
                    held_on=dt.date(2025, 10, 10),
                    outcome="passed",
                    commission_ids=("t2", "t1"),
                ),
            ],
        ),
        (
            "report_runs",
            [
                ReportRun(
                    report_code="Отчёт о посещаемости класса",
                    produced_at=dt.datetime(2025, 9, 30, 15, 0, tzinfo=_MSK),
                    by="t1",
                    year="2025/2026",
                    scope="class_id=c5a; start=2025-09-01; end=2025-09-30",
                ),
                ReportRun(
                    report_code="Наполняемость классов",
                    produced_at=dt.datetime(2025, 9, 8, 8, 0, tzinfo=_YEKT),
                ),
            ],
        ),
    ]


def _orders(moment: dt.datetime) -> list[Order]:
    return [
        Order(
            id="o1",
            number="1-у",
            kind="enrollment",
            issued_on=dt.date(2025, 8, 29),
            entered_at=moment,
            author_id="t1",
            year="2025/2026",
            items=(OrderItem(student_id="s1", class_id="c5a"),),
        ),
        Order(
            id="o2",
            number="2-у",
            kind="conditional_promotion",
            issued_on=dt.date(2025, 5, 30),
            entered_at=dt.datetime(2025, 5, 30, 15, 0, tzinfo=_YEKT),
            author_id="t2",
            year="2024/2025",
            items=(OrderItem(student_id="s1", class_id="c5a", subjects=("math", "eng")),),
        ),
        Order(
            id="o3",
            number="3-у",
            kind="debt_repayment",
            issued_on=dt.date(2025, 10, 1),
            entered_at=moment + dt.timedelta(days=30),
            author_id="t1",
            year="2025/2026",
            items=(OrderItem(student_id="s1", subjects=("eng",), repaid_on=dt.date(2025, 9, 30)),),
        ),
        Order(
            id="o4",
            number="4-у",
            kind="attachment",
            issued_on=dt.date(2025, 11, 5),
            entered_at=moment + dt.timedelta(days=65),
            author_id="t1",
            year="2025/2026",
            items=(
                OrderItem(
                    student_id="s1",
                    destination="семейное образование",
                    education_form="family",
                    parallel=5,
                ),
            ),
        ),
    ]
