"""A tiny hand-made school for the report tests; every figure is worked out in the tests.

Class 5А (class teacher t1) and 6А, year 2025/2026, quarters Q1 (1 Sep - 24 Oct), Q2, Q3, Q4.
Work types: «answer» weight 1, «test» weight 2.

Current marks of 5А (lesson, value, weight, entry):
  L1 math 01.09 (test):   s1 5 (w2), s2 3 (w2), s3 5 (w2)        all on the day
  L2 math 02.09 (answer): s1 4 (w1) entered 03.09 no reason       -> late
                          s2 4 (own weight 3) entered 04.09, reason -> within 3 days
  L3 rus 01.09 (answer):  s1 5, s2 2, s3 4 (w1)                   on the day
  L4 rus 03.09 (answer):  s3 3 (own weight 2) entered 08.09, reason -> late (5 days)
  L5 math 04.09: no marks, no homework.
Lessons with homework: L1 only. L4 has no topic.

Absences: s1 L4 valid, L5 unknown; s2 L4 illness, L5 unexcused; s3 late at L3.
Period marks Q1: s1 math 5, rus 5; s2 math 4, rus 2; s3 math 5, rus 4.
6А: one student s4 (Q1: math 3, rus 3), no current marks.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from eschool_core.calendar import AcademicYear, ParallelSchedule, StudyPeriod, Vacation, YearLabel
from eschool_core.grading import GradingPolicy, WorkType
from eschool_core.journal import Attendance, AttestationMark, Lesson, Mark
from eschool_core.people import Employee, Person, Student
from eschool_core.reports import ReportData
from eschool_core.school import ClassMembership, School, SchoolClass, Subject, TeachingAssignment
from eschool_core.year_data import SchoolYearData
from tests.rules_helpers import DEADLINES

MSK = ZoneInfo("Europe/Moscow")
YEAR = "2025/2026"
GENERATED = dt.datetime(2025, 11, 5, 9, 0, tzinfo=MSK)


def _at(day: int, month: int = 9, hour: int = 15) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=MSK)


def hand_year() -> AcademicYear:
    """The year of grades 5 and 6: quarters Q1 (1 Sep - 24 Oct), Q2 (5 Nov - 26 Dec), Q3, Q4."""
    days = [
        (dt.date(2025, 9, 1), dt.date(2025, 10, 24)),
        (dt.date(2025, 11, 5), dt.date(2025, 12, 26)),
        (dt.date(2026, 1, 12), dt.date(2026, 3, 27)),
        (dt.date(2026, 4, 6), dt.date(2026, 5, 26)),
    ]
    quarters = [
        StudyPeriod(code=f"Q{n}", start=start, end=end)
        for n, (start, end) in enumerate(days, start=1)
    ]
    breaks = [
        ("autumn", dt.date(2025, 10, 25), dt.date(2025, 11, 4)),
        ("winter", dt.date(2025, 12, 27), dt.date(2026, 1, 11)),
        ("spring", dt.date(2026, 3, 28), dt.date(2026, 4, 5)),
    ]
    vacations = [
        Vacation(kind=kind, start=start, end=end, parallels={5, 6}) for kind, start, end in breaks
    ]
    return AcademicYear(
        label=YearLabel.parse(YEAR),
        first_day=dt.date(2025, 9, 1),
        last_day=dt.date(2026, 5, 26),
        parallels={5: ParallelSchedule(periods=quarters), 6: ParallelSchedule(periods=quarters)},
        vacations=vacations,
    )


def _student(sid: str, last: str, first: str, sex: str, born: dt.date) -> Student:
    return Student(
        id=sid,
        person=Person(last_name=last, first_name=first, sex=sex, birth_date=born),
        personal_file_number=f"Д-{sid}",
    )


def _lesson(lid: str, day: int, subject: str, teacher: str, **extra: object) -> Lesson:
    return Lesson(
        id=lid,
        date=dt.date(2025, 9, day),
        number=1,
        subject_id=subject,
        teacher_id=teacher,
        class_id="c5a",
        topic=extra.get("topic", f"Тема {lid}"),
        homework=extra.get("homework"),
        work_types=extra.get("work_types", ()),
    )


def _mark(  # noqa: PLR0917 - one journal entry per line reads as a table
    mid: str,
    student: str,
    lesson: Lesson,
    value: int,
    work_type: str,
    entered: dt.datetime,
    *,
    weight: int | None = None,
    late_reason: str | None = None,
) -> Mark:
    return Mark(
        id=mid,
        student_id=student,
        subject_id=lesson.subject_id,
        date=lesson.date,
        lesson_id=lesson.id,
        value=value,
        work_type=work_type,
        weight=weight,
        author_id=lesson.teacher_id,
        entered_at=entered,
        late_reason=late_reason,
    )


def _absence(
    aid: str, student: str, lesson: Lesson, reason: str, kind: str = "absent"
) -> Attendance:
    return Attendance(
        id=aid,
        student_id=student,
        lesson_id=lesson.id,
        date=lesson.date,
        kind=kind,
        reason=reason,
        entered_by=lesson.teacher_id,
        entered_at=_at(lesson.date.day),
    )


def _period_mark(aid: str, student: str, subject: str, value: int) -> AttestationMark:
    return AttestationMark(
        id=aid,
        student_id=student,
        subject_id=subject,
        year=YEAR,
        kind="period",
        period="Q1",
        value=value,
        author_id="t1",
        entered_at=_at(24, 10),
    )


def hand_school() -> ReportData:
    """Return the hand-made school described in the module docstring."""
    l1 = _lesson("L1", 1, "math", "t1", homework="§1", work_types=("test",))
    l2 = _lesson("L2", 2, "math", "t1")
    l3 = _lesson("L3", 1, "rus", "t2")
    l4 = _lesson("L4", 3, "rus", "t2", topic=None)
    l5 = _lesson("L5", 4, "math", "t1")
    marks = [
        _mark("m1", "s1", l1, 5, "test", _at(1)),
        _mark("m2", "s2", l1, 3, "test", _at(1)),
        _mark("m3", "s3", l1, 5, "test", _at(1)),
        _mark("m4", "s1", l2, 4, "answer", _at(3, hour=10)),
        _mark("m5", "s2", l2, 4, "answer", _at(4), weight=3, late_reason="болезнь учителя"),
        _mark("m6", "s1", l3, 5, "answer", _at(1)),
        _mark("m7", "s2", l3, 2, "answer", _at(1)),
        _mark("m8", "s3", l3, 4, "answer", _at(1)),
        _mark("m9", "s3", l4, 3, "answer", _at(8), weight=2, late_reason="сбой связи"),
    ]
    attendance = [
        _absence("a1", "s1", l4, "valid"),
        _absence("a2", "s1", l5, "unknown"),
        _absence("a3", "s2", l4, "illness"),
        _absence("a4", "s2", l5, "unexcused"),
        _absence("a5", "s3", l3, "unexcused", kind="late"),
    ]
    period_marks = [
        _period_mark("p1", "s1", "math", 5),
        _period_mark("p2", "s1", "rus", 5),
        _period_mark("p3", "s2", "math", 4),
        _period_mark("p4", "s2", "rus", 2),
        _period_mark("p5", "s3", "math", 5),
        _period_mark("p6", "s3", "rus", 4),
        _period_mark("p7", "s4", "math", 3),
        _period_mark("p8", "s4", "rus", 3),
    ]
    teacher = Person(last_name="Иванова", first_name="Мария", patronymic="Петровна")
    policy = GradingPolicy(
        work_types=[
            WorkType(code="answer", name_ru="Ответ на уроке", name_en="Answer", weight=1),
            WorkType(code="test", name_ru="Контрольная работа", name_en="Test", weight=2),
        ]
    )
    data = SchoolYearData(
        year=hand_year(),
        school=School(
            id="sch",
            name="МБОУ «Тестовая СОШ»",
            director="Петров П. П.",
            time_zone="Europe/Moscow",
        ),
        classes=[
            SchoolClass(id="c5a", year=YEAR, parallel=5, letter="А", class_teacher_id="t1"),
            SchoolClass(id="c6a", year=YEAR, parallel=6, letter="А", capacity=20),
        ],
        students=[
            _student("s1", "Андреев", "Антон", "m", dt.date(2014, 3, 10)),
            _student("s2", "Борисова", "Вера", "f", dt.date(2014, 11, 20)),
            _student("s3", "Волков", "Глеб", "m", dt.date(2013, 12, 31)),
            _student("s4", "Громова", "Дарья", "f", dt.date(2013, 5, 5)),
        ],
        employees=[
            Employee(id="t1", person=teacher, position="Учитель математики"),
            Employee(
                id="t2",
                person=Person(last_name="Сидоров", first_name="Олег"),
                position="Учитель русского языка",
            ),
        ],
        subjects=[
            Subject(id="rus", name="Русский язык", order=2),
            Subject(id="math", name="Математика", order=1),
        ],
        memberships=[
            ClassMembership(
                id=f"ms{n}", student_id=f"s{n}", class_id="c5a", since=dt.date(2025, 9, 1)
            )
            for n in (1, 2, 3)
        ]
        + [ClassMembership(id="ms4", student_id="s4", class_id="c6a", since=dt.date(2025, 9, 1))],
        assignments=[
            TeachingAssignment(
                id="as1", teacher_id="t1", year=YEAR, subject_id="math", class_id="c5a"
            ),
            TeachingAssignment(
                id="as2", teacher_id="t2", year=YEAR, subject_id="rus", class_id="c5a"
            ),
            TeachingAssignment(
                id="as3", teacher_id="t1", year=YEAR, subject_id="math", class_id="c6a"
            ),
            TeachingAssignment(
                id="as4", teacher_id="t2", year=YEAR, subject_id="rus", class_id="c6a"
            ),
        ],
        lessons=[l1, l2, l3, l4, l5],
        marks=marks,
        attendance=attendance,
        attestation_marks=period_marks,
    )
    return ReportData(year_data=data, policy=policy, deadlines=DEADLINES)
