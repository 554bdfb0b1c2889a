# The example school uses literal ids ("s1"); wrapping each in its NewType adds only noise.
# mypy: disable-error-code="arg-type"
"""A tiny report and a tiny school for the examples in docstrings and docs."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from eschool_core.reports._data import ReportData
from eschool_core.reports._table import Column, Report, ReportParams

__all__ = ["example_data", "example_report"]


def example_report() -> Report:
    """Return a one-row report with a text, an int and a percent column.

    >>> example_report().cell(0, "quality")
    Fraction(2, 3)
    """
    return Report(
        code="example",
        title_ru="Пример отчёта",
        title_en="Example report",
        clause="11.1",
        requirement="R11.1",
        school_name="Школа № 1",
        params=ReportParams(),
        columns=(
            Column(code="class", title_ru="Класс", title_en="Class", type="text"),
            Column(code="students", title_ru="Учащихся", title_en="Students", type="int"),
            Column(code="quality", title_ru="Качество знаний", title_en="Quality", type="percent"),
        ),
        rows=[["5А", 3, Fraction(2, 3)]],
        generated_at=dt.datetime(2025, 11, 5, 9, 0, tzinfo=dt.UTC),
    )


def example_data() -> ReportData:
    """Return a tiny school: class 5А, two students, two marks each, one absence.

    >>> data = example_data()
    >>> [c.name for c in data.classes], len(data.marks)
    (['5А'], 4)
    """
    from eschool_core.calendar import standard_year  # noqa: PLC0415 - keeps the example compact
    from eschool_core.journal import Attendance, AttestationMark, Lesson, Mark  # noqa: PLC0415
    from eschool_core.people import Employee, Person, Student  # noqa: PLC0415
    from eschool_core.profiles import default_profile, rules_for  # noqa: PLC0415
    from eschool_core.school import (  # noqa: PLC0415
        ClassMembership,
        School,
        SchoolClass,
        Subject,
        TeachingAssignment,
    )
    from eschool_core.year_data import SchoolYearData  # noqa: PLC0415

    year = "2025/2026"
    entered = dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC)
    lesson = Lesson(
        id="l1",
        date=dt.date(2025, 9, 1),
        number=1,
        subject_id="math",
        teacher_id="t1",
        class_id="5a",
        topic="Натуральные числа",
    )
    marks = [
        Mark(
            id=f"m{n}",
            student_id=student,
            subject_id="math",
            date=dt.date(2025, 9, day),
            value=value,
            work_type="answer",
            author_id="t1",
            entered_at=entered + dt.timedelta(days=day - 1),
            lesson_id="l1" if day == 1 else None,
        )
        for n, (student, day, value) in enumerate(
            [("s1", 1, 5), ("s1", 2, 4), ("s2", 1, 3), ("s2", 2, 4)], start=1
        )
    ]
    profile = default_profile()
    school = School(id="school", name="Школа № 1", time_zone="Europe/Moscow")
    academic_year = standard_year(year, profile.calendar)
    data = SchoolYearData(
        year=academic_year,
        school=school,
        classes=[SchoolClass(id="5a", year=year, parallel=5, letter="А", class_teacher_id="t1")],
        students=[
            Student(id="s1", person=Person(last_name="Андреев", first_name="Антон", sex="m")),
            Student(id="s2", person=Person(last_name="Борисова", first_name="Вера", sex="f")),
        ],
        employees=[
            Employee(
                id="t1", person=Person(last_name="Иванова", first_name="Мария"), position="Учитель"
            )
        ],
        subjects=[Subject(id="math", name="Математика", order=1)],
        memberships=[
            ClassMembership(id=f"ms{s}", student_id=s, class_id="5a", since=dt.date(2025, 9, 1))
            for s in ("s1", "s2")
        ],
        assignments=[
            TeachingAssignment(
                id="as1", teacher_id="t1", year=year, subject_id="math", class_id="5a"
            )
        ],
        lessons=[lesson],
        marks=marks,
        attendance=[
            Attendance(
                id="a1",
                student_id="s2",
                lesson_id="l1",
                date=dt.date(2025, 9, 1),
                kind="absent",
                reason="illness",
                entered_by="t1",
                entered_at=entered,
            )
        ],
        attestation_marks=[
            AttestationMark(
                id=f"p{s}",
                student_id=s,
                subject_id="math",
                year=year,
                kind="period",
                period="Q1",
                value=value,
                author_id="t1",
                entered_at=entered,
            )
            for s, value in (("s1", 5), ("s2", 3))
        ],
    )
    return ReportData.from_year_data(data, rules_for(profile, academic_year, school))
