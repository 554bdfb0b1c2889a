"""The result of the generator: a synthetic school year and what was planted in it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import cached_property

import attrs

from eschool_core.calendar import AcademicYear, StudyPeriod
from eschool_core.curriculum import Curriculum, ThematicPlan
from eschool_core.journal import Attendance, AttestationMark, Lesson, Mark
from eschool_core.movement import Order
from eschool_core.people import Consent, Employee, Guardian, GuardianLink, Student
from eschool_core.school import (
    ClassMembership,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from eschool_core.timetable import BellSchedule, Room, Timetable
from eschool_core.year_data import SchoolYearData

__all__ = ["ProgressCallback", "SynthStats", "SyntheticSchool"]

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while a school is generated or written."""


@attrs.frozen(kw_only=True)
class SynthStats:
    """What the generator planted, for tests and benchmarks to check against.

    Attributes:
        marks: Current marks.
        marks_on_time: Marks entered on the day of the lesson (school time).
        marks_late_with_valid_reason_in_time: Marks entered 1-3 calendar days late with a
            valid reason: on time under R8.6's extension.
        marks_late: Marks late under R8.6 (after the day without a valid reason, or after
            3 calendar days with one).
        lessons: Lessons.
        lessons_cancelled: Cancelled lessons.
        lessons_without_topic: Held lessons whose topic was never entered.
        absences: Attendance records.
        thematic_plans_late: Thematic plans entered after 15 August (R5.6).
        cards_without_consent: Parent and staff cards with no consent to data processing
            in force at the end of the year (R6.1); every student has one.
    """

    marks: int
    marks_on_time: int
    marks_late_with_valid_reason_in_time: int
    marks_late: int
    lessons: int
    lessons_cancelled: int
    lessons_without_topic: int
    absences: int
    thematic_plans_late: int = 0
    cards_without_consent: int = 0


@attrs.frozen(kw_only=True)
class SyntheticSchool:
    """A generated school year, entity by entity, in a deterministic order.

    Attributes:
        year: Academic-year label.
        school: The school.
        employees: Administration, class teachers and subject teachers.
        subjects: Subjects in the order of the printed journal.
        classes: Classes of the year.
        students: Students.
        guardians: Parents.
        guardian_links: Parent-student links.
        consents: Consents to data processing (a student's signed by a parent).
        memberships: Class memberships, as the movement book derives them from ``orders``.
        orders: The movement orders of the year (R10.1): enrollment on the first school day,
            arrivals, departures and transfers during the year, the end-of-year decisions.
        assignments: Teaching assignments.
        lessons: Lessons of the whole year.
        marks: Current marks.
        attendance: Absences.
        attestation_marks: Period and annual marks.
        periods_by_parallel: Study periods per parallel (quarters 1-9, half-years 10-11).
        academic_year: The academic year (school days, vacations, periods) as the calendar
            module models it; the lessons are generated from it and the timetable.
        curriculum: The curriculum, complete before 1 August (R5.4).
        rooms: The rooms, one per class.
        bell_schedules: The bell schedules of the two shifts and grade 1's variant.
        timetable: The weekly timetable, free of double booking, complete by 15 September.
        thematic_plans: One plan per class and subject (a few entered after 15 August).
        school_days: The school days of the year (5-day week).
        stats: What was planted.
        seed: The seed the school was generated with.
    """

    year: str
    school: School
    employees: tuple[Employee, ...]
    subjects: tuple[Subject, ...]
    classes: tuple[SchoolClass, ...]
    students: tuple[Student, ...]
    guardians: tuple[Guardian, ...]
    guardian_links: tuple[GuardianLink, ...]
    consents: tuple[Consent, ...]
    memberships: tuple[ClassMembership, ...]
    orders: tuple[Order, ...]
    assignments: tuple[TeachingAssignment, ...]
    lessons: tuple[Lesson, ...]
    marks: tuple[Mark, ...]
    attendance: tuple[Attendance, ...]
    attestation_marks: tuple[AttestationMark, ...]
    periods_by_parallel: dict[int, tuple[StudyPeriod, ...]]
    academic_year: AcademicYear
    curriculum: Curriculum
    rooms: tuple[Room, ...]
    bell_schedules: tuple[BellSchedule, ...]
    timetable: Timetable
    thematic_plans: tuple[ThematicPlan, ...]
    school_days: tuple[date, ...]
    stats: SynthStats
    seed: int

    def tables(self) -> Iterator[tuple[str, Sequence[object]]]:
        """Yield ``(repository name, entities)`` in an order that respects references."""
        yield "schools", (self.school,)
        yield "employees", self.employees
        yield "subjects", self.subjects
        yield "classes", self.classes
        yield "rooms", self.rooms
        yield "bell_schedules", self.bell_schedules
        yield "students", self.students
        yield "guardians", self.guardians
        yield "guardian_links", self.guardian_links
        yield "consents", self.consents
        yield "memberships", self.memberships
        yield "orders", self.orders
        yield "assignments", self.assignments
        yield "curricula", (self.curriculum,)
        yield "timetables", (self.timetable,)
        yield "thematic_plans", self.thematic_plans
        yield "lessons", self.lessons
        yield "marks", self.marks
        yield "attendance", self.attendance
        yield "attestation_marks", self.attestation_marks
        yield "academic_years", (self.academic_year,)

    @cached_property
    def year_data(self) -> SchoolYearData:
        """The generated year as the one value every reader of a year takes (built once).

        The deadline checker's data, the reports' view and the analytics' tables of a
        generated school are built from it, as they are from a store's
        :meth:`SchoolYearData.read <eschool_core.year_data.SchoolYearData.read>`.

        >>> from eschool_core.synth import generate
        >>> school = generate("small")
        >>> school.year_data.label, len(school.year_data.marks) == len(school.marks)
        ('2025/2026', True)
        """
        return SchoolYearData(
            year=self.academic_year,
            school=self.school,
            classes=self.classes,
            memberships=self.memberships,
            students=self.students,
            employees=self.employees,
            guardians=self.guardians,
            guardian_links=self.guardian_links,
            consents=self.consents,
            subjects=self.subjects,
            assignments=self.assignments,
            lessons=self.lessons,
            marks=self.marks,
            attendance=self.attendance,
            attestation_marks=self.attestation_marks,
            orders=self.orders,
            curricula=(self.curriculum,),
            thematic_plans=self.thematic_plans,
            rooms=self.rooms,
            bell_schedules=self.bell_schedules,
            timetables=(self.timetable,),
        )

    def entity_counts(self) -> dict[str, int]:
        """Return how many entities of each kind the school has, in writing order."""
        return {name: len(rows) for name, rows in self.tables()}
