"""The synthetic journal: lessons from a weekly timetable, marks, absences, period marks."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta

from eschool_core.calendar import StudyPeriod
from eschool_core.ids import (
    AttendanceId,
    AttestationMarkId,
    ClassId,
    EmployeeId,
    LessonId,
    MarkId,
    StudentId,
    SubjectId,
)
from eschool_core.journal import (
    FINAL_MARK_PARALLELS,
    AbsenceReason,
    Attendance,
    AttendanceKind,
    AttestationKind,
    AttestationMark,
    Lesson,
    LessonState,
    Mark,
    MarkKind,
    MarkValue,
)
from eschool_core.people import Student
from eschool_core.school import ClassMembership, SchoolClass
from eschool_core.synth._catalogue import (
    SUBJECTS,
    TEST_WORK_TYPE,
    TIME_ZONE,
    TOPIC_WORDS,
    VALID_LATE_REASONS,
    WORK_TYPES,
)
from eschool_core.synth._model import ProgressCallback, SynthStats

__all__ = ["JournalWriter"]

_MARK_CHANCE = 0.84
"""Chance that a present student gets a mark in an ordinary lesson (grades 2-11)."""
_LATE_MARK_SHARE = 0.07
_LATE_WITH_REASON_SHARE = 0.035


def _half_up_mean(values: Sequence[int]) -> int:
    """The mean of whole marks rounded half up, exactly: floor(sum / n + 1/2)."""
    return (2 * sum(values) + len(values)) // (2 * len(values))


class JournalWriter:
    """Fills the journal of a year, day by day, class by class, lesson by lesson.

    A student is in a lesson's class list only on the days his class membership covers;
    period and annual marks go to the students in the class at the period's end. A
    struggling student's marks in the subjects named for him are mostly «2», so that his
    period and annual marks there are unsatisfactory.
    """

    def __init__(
        self,
        rng: random.Random,
        *,
        year: str,
        school_days: Sequence[date],
        periods: dict[int, tuple[StudyPeriod, ...]],
        students: Sequence[Student],
        memberships: Sequence[ClassMembership],
        teacher_of: dict[tuple[ClassId, str], EmployeeId],
        mark_chance: float = _MARK_CHANCE,
        struggling: Mapping[StudentId, frozenset[str]] | None = None,
        struggling_rng: random.Random | None = None,
    ) -> None:
        self.rng = rng
        self.struggling = dict(struggling or {})
        self._struggling_rng = struggling_rng or random.Random(0)
        self.year = year
        self.school_days = tuple(school_days)
        self.periods = periods
        self.students = tuple(students)
        by_id = {student.id: student for student in self.students}
        self._stays: dict[ClassId, list[tuple[Student, date, date | None]]] = {}
        for membership in sorted(memberships, key=lambda m: (m.student_id, m.since)):
            self._stays.setdefault(membership.class_id, []).append(
                (by_id[membership.student_id], membership.since, membership.until)
            )
        self._rosters: dict[tuple[ClassId, date], tuple[Student, ...]] = {}
        self.teacher_of = teacher_of
        self.mark_chance = mark_chance
        self.teachers = sorted(set(teacher_of.values()))
        self.lessons: list[Lesson] = []
        self.marks: list[Mark] = []
        self.attendance: list[Attendance] = []
        self.attestation: list[AttestationMark] = []
        self._scores: dict[tuple[StudentId, str, str], list[int]] = {}
        self._period_marks: dict[tuple[StudentId, str], list[int]] = {}
        self._lesson_count: dict[tuple[ClassId, str], int] = {}
        self._topics: Mapping[tuple[ClassId, str], Sequence[str]] = {}
        self._planted = {"on_time": 0, "reason_in_time": 0, "late": 0}
        self._cancelled = 0
        self._without_topic = 0
        self._ability: dict[StudentId, float] = {}
        self._sick: dict[StudentId, set[date]] = {}
        self._period_of: dict[int, dict[date, str]] = {
            parallel: {
                day: period.key
                for period in plan
                for day in self.school_days
                if period.start <= day <= period.end
            }
            for parallel, plan in periods.items()
        }

    def write(
        self,
        classes: Sequence[SchoolClass],
        skeleton: Sequence[Lesson],
        progress: ProgressCallback,
        *,
        topics: Mapping[tuple[ClassId, str], Sequence[str]] | None = None,
    ) -> SynthStats:
        """Fill the lessons generated from the timetable, and return what was planted.

        Args:
            classes: The classes, in order.
            skeleton: The year's lessons from the timetable, by date, class and number.
            progress: Progress callback.
            topics: Per class and subject, the planned topic of each lesson in turn (from
                the thematic plans).
        """
        self._topics = topics or {}
        class_of = {c.id: c for c in classes}
        for student in self.students:
            self._ability[student.id] = self.rng.uniform(2.9, 4.9)
            self._sick[student.id] = self._sick_days()
        day_index = {day: index for index, day in enumerate(self.school_days)}
        total = len(self.school_days)
        reported = -1
        for lesson in skeleton:
            index = day_index[lesson.date]
            if index != reported and index % 10 == 0:
                progress("journal", index, total)
                reported = index
            assert lesson.class_id is not None  # noqa: S101 - whole-class lessons only
            self._lesson(class_of[lesson.class_id], lesson, index)
        progress("journal", total, total)
        for school_class in classes:
            self._attest_periods(school_class)
        for school_class in classes:
            self._attest_year(school_class)
        return SynthStats(
            marks=len(self.marks),
            marks_on_time=self._planted["on_time"],
            marks_late_with_valid_reason_in_time=self._planted["reason_in_time"],
            marks_late=self._planted["late"],
            lessons=len(self.lessons),
            lessons_cancelled=self._cancelled,
            lessons_without_topic=self._without_topic,
            absences=len(self.attendance),
        )

    def roster(self, class_id: ClassId, day: date) -> tuple[Student, ...]:
        """Return the students in a class on ``day``, by id (from the memberships)."""
        key = (class_id, day)
        found = self._rosters.get(key)
        if found is None:
            found = self._rosters[key] = tuple(
                student
                for student, since, until in self._stays.get(class_id, ())
                if since <= day and (until is None or day <= until)
            )
        return found

    def _sick_days(self) -> set[date]:
        days = self.school_days
        sick: set[date] = set()
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            first = self.rng.randrange(len(days) - 8)
            sick.update(days[first : first + self.rng.randint(3, 7)])
        return sick

    def _lesson(self, school_class: SchoolClass, skeleton: Lesson, day_index: int) -> None:
        rng = self.rng
        code = skeleton.subject_id
        day = skeleton.date
        number = skeleton.number
        key = (school_class.id, code)
        count = self._lesson_count[key] = self._lesson_count.get(key, 0) + 1
        teacher_id = skeleton.teacher_id
        lesson_id = skeleton.id
        end = datetime.combine(day, time(8, 0), tzinfo=TIME_ZONE) + timedelta(minutes=55 * number)
        if rng.random() < 0.003:
            self._cancelled += 1
            self.lessons.append(
                Lesson(
                    id=lesson_id,
                    date=day,
                    number=number,
                    subject_id=SubjectId(code),
                    teacher_id=teacher_id,
                    class_id=school_class.id,
                    state=LessonState.CANCELLED,
                    cancelled_at=datetime.combine(day, time(7, 30), tzinfo=TIME_ZONE),
                )
            )
            return
        substitute = rng.choice(self.teachers) if rng.random() < 0.015 else None
        if substitute == teacher_id:
            substitute = None
        is_test = count % 9 == 0
        roll = rng.random()
        topic = topic_at = late_reason = None
        if roll < 0.01:
            self._without_topic += 1
        else:
            planned = self._topics.get(key, ())
            title = planned[count - 1] if count <= len(planned) else rng.choice(TOPIC_WORDS)
            topic = f"{title} ({count})"
            delay = rng.randint(1, 4) if roll < 0.03 else 0
            topic_at = end + timedelta(days=delay, minutes=rng.randrange(0, 180))
            if delay and roll < 0.02:
                late_reason = rng.choice(VALID_LATE_REASONS)
        homework = None if rng.random() < 0.15 else f"§{count}, упр. {rng.randrange(1, 300)}"
        self.lessons.append(
            Lesson(
                id=lesson_id,
                date=day,
                number=number,
                subject_id=SubjectId(code),
                teacher_id=teacher_id,
                class_id=school_class.id,
                substitute_id=substitute,
                substitute_entered_at=(
                    datetime.combine(day, time(7, 45), tzinfo=TIME_ZONE) if substitute else None
                ),
                topic=topic,
                work_types=(TEST_WORK_TYPE,) if is_test else (),
                homework=homework,
                topic_entered_at=topic_at,
                homework_entered_at=topic_at if homework and topic_at else None,
                late_reason=late_reason,
            )
        )
        author = substitute or teacher_id
        for student in self.roster(school_class.id, day):
            if day in self._sick[student.id] or rng.random() < 0.01:
                self._absence(
                    student_id=student.id,
                    lesson_id=lesson_id,
                    day=day,
                    day_index=day_index,
                    author=author,
                    end=end,
                )
            elif school_class.parallel > 1 and (is_test or rng.random() < self.mark_chance):
                self._mark(
                    student_id=student.id,
                    parallel=school_class.parallel,
                    code=code,
                    lesson_id=lesson_id,
                    day=day,
                    author=author,
                    end=end,
                    is_test=is_test,
                )

    def _absence(
        self,
        *,
        student_id: StudentId,
        lesson_id: LessonId,
        day: date,
        day_index: int,
        author: EmployeeId,
        end: datetime,
    ) -> None:
        rng = self.rng
        sick = self._sick[student_id]
        returned = (
            next((d for d in self.school_days[day_index:] if d not in sick), None)
            if day in sick
            else None
        )
        corrected = (
            datetime.combine(returned, time(15, 0), tzinfo=TIME_ZONE)
            + timedelta(days=rng.choice((0, 0, 1, 1, 2, 4)))
            if returned
            else None
        )
        if corrected:
            reason = AbsenceReason.ILLNESS
        elif day in sick:
            reason = AbsenceReason.UNKNOWN
        else:
            reason = rng.choice((AbsenceReason.UNEXCUSED, AbsenceReason.VALID))
        self.attendance.append(
            Attendance(
                id=AttendanceId(f"att-{len(self.attendance) + 1:07d}"),
                student_id=student_id,
                lesson_id=lesson_id,
                date=day,
                kind=AttendanceKind.ABSENT,
                reason=reason,
                entered_by=author,
                entered_at=end + timedelta(minutes=5),
                document_presented_on=returned if corrected else None,
                reason_corrected_at=corrected,
            )
        )

    def _mark(
        self,
        *,
        student_id: StudentId,
        parallel: int,
        code: str,
        lesson_id: LessonId,
        day: date,
        author: EmployeeId,
        end: datetime,
        is_test: bool,
    ) -> None:
        rng = self.rng
        score = min(5, max(2, round(rng.gauss(self._ability[student_id], 0.75))))
        if score == 2 and rng.random() < 0.02:
            score = 1
        if code in self.struggling.get(student_id, ()):
            # A subject the student fails: mostly «2». Drawn from a source of its own, so the
            # rest of the journal is the same with or without struggling students.
            score = 2 if self._struggling_rng.random() < 0.75 else 3
        work = (
            TEST_WORK_TYPE
            if is_test
            else rng.choices([c for c, _ in WORK_TYPES], [w for _, w in WORK_TYPES])[0]
        )
        entered_at, reason = self._entry_moment(end)
        self.marks.append(
            Mark(
                id=MarkId(f"mk-{len(self.marks) + 1:08d}"),
                student_id=student_id,
                subject_id=SubjectId(code),
                date=day,
                lesson_id=lesson_id,
                value=MarkValue.of(score),
                work_type=work,
                author_id=author,
                entered_at=entered_at,
                late_reason=reason,
            )
        )
        period = self._period_of[parallel][day]
        self._scores.setdefault((student_id, code, period), []).append(score)

    def _entry_moment(self, end: datetime) -> tuple[datetime, str | None]:
        """When a mark is entered, and the valid reason if it is late (R8.6)."""
        rng = self.rng
        roll = rng.random()
        last_minute = datetime.combine(end.date(), time(23, 59), tzinfo=TIME_ZONE)
        if roll >= _LATE_MARK_SHARE:
            self._planted["on_time"] += 1
            if roll < _LATE_MARK_SHARE + 0.005:  # the edge: the last minute of the lesson day
                return last_minute + timedelta(seconds=rng.randrange(0, 60)), None
            return min(end + timedelta(minutes=rng.randrange(0, 300)), last_minute), None
        delay = rng.randint(1, 6)
        late_moment = datetime.combine(
            end.date() + timedelta(days=delay),
            time(rng.randrange(0, 24), rng.randrange(0, 60)),
            tzinfo=TIME_ZONE,
        )
        if roll < _LATE_WITH_REASON_SHARE:
            self._planted["reason_in_time" if delay <= 3 else "late"] += 1
            return late_moment, rng.choice(VALID_LATE_REASONS)
        self._planted["late"] += 1
        return late_moment, None

    def _attest_periods(self, school_class: SchoolClass) -> None:
        """Period marks as a teacher sets them, for the students in the class at its end.

        The rounded plain mean of the student's marks of the period (in any class of the
        parallel), «н/а» below three marks; set on the period's last day, a few late.
        Grade 1 is taught without marks.
        """
        if school_class.parallel == 1:
            return
        for period in self.periods[school_class.parallel]:
            for student in self.roster(school_class.id, period.end):
                for code, _name, _short, hours in SUBJECTS:
                    if hours[school_class.parallel - 1] == 0:
                        continue
                    values = self._scores.get((student.id, code, period.key), [])
                    if len(values) >= 3:
                        score = _half_up_mean(values)
                        self._period_marks.setdefault((student.id, code), []).append(score)
                        value = MarkValue.of(score)
                    else:
                        value = MarkValue.special(MarkKind.NOT_ATTESTED)
                    self._attestation_mark(
                        student_id=student.id,
                        code=code,
                        teacher=self.teacher_of[(school_class.id, code)],
                        value=value,
                        day=period.end,
                        period=period.key,
                    )

    def _attest_year(self, school_class: SchoolClass) -> None:
        """Annual marks at the year's end, and final marks in grades 9 and 11 (R8.9).

        For the students in the class on the last day: the rounded mean of the period marks
        a student has (an arrival's are those of the periods he was attested in; with none,
        the mark he brought from his former school).
        """
        if school_class.parallel == 1:
            return
        last = self.periods[school_class.parallel][-1].end
        for student in self.roster(school_class.id, last):
            for code, _name, _short, hours in SUBJECTS:
                if hours[school_class.parallel - 1] == 0:
                    continue
                period_scores = self._period_marks.get((student.id, code))
                if period_scores:
                    annual = _half_up_mean(period_scores)
                else:
                    # An arrival attested «н/а» here in every period: his annual mark is the
                    # one of the statement of marks he brought from his former school.
                    annual = min(5, max(3, round(self._ability[student.id])))
                    period_scores = [annual]
                self._attestation_mark(
                    student_id=student.id,
                    code=code,
                    teacher=self.teacher_of[(school_class.id, code)],
                    value=MarkValue.of(annual),
                    day=last,
                    period=None,
                )
                if school_class.parallel in FINAL_MARK_PARALLELS:
                    # No exams are generated: grade 9's final mark is the annual one; grade
                    # 11's is the mean of the half-year and annual marks of the years the
                    # generator has (one), rounded half up (order No. 546, p. 21-22).
                    final = (
                        annual
                        if school_class.parallel == 9
                        else _half_up_mean([*period_scores, annual])
                    )
                    self._attestation_mark(
                        student_id=student.id,
                        code=code,
                        teacher=self.teacher_of[(school_class.id, code)],
                        value=MarkValue.of(final),
                        day=last,
                        period=None,
                        kind=AttestationKind.FINAL,
                    )

    def _attestation_mark(
        self,
        *,
        student_id: StudentId,
        code: str,
        teacher: EmployeeId,
        value: MarkValue,
        day: date,
        period: str | None,
        kind: AttestationKind | None = None,
    ) -> None:
        late_days = self.rng.randint(1, 3) if self.rng.random() < 0.04 else 0
        self.attestation.append(
            AttestationMark(
                id=AttestationMarkId(f"am-{len(self.attestation) + 1:07d}"),
                student_id=student_id,
                subject_id=SubjectId(code),
                year=self.year,
                kind=kind or (AttestationKind.PERIOD if period else AttestationKind.ANNUAL),
                period=period,
                value=value,
                author_id=teacher,
                entered_at=datetime.combine(day, time(16, 0), tzinfo=TIME_ZONE)
                + timedelta(days=late_days),
            )
        )
