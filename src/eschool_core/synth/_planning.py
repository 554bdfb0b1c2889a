"""The synthetic school's planning: academic year, curriculum, rooms, bells, timetable, plans."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import attrs

from eschool_core.calendar import (
    AcademicYear,
    ParallelSchedule,
    Vacation,
    VacationKind,
)
from eschool_core.curriculum import (
    ComponentKind,
    ComponentLimit,
    Curriculum,
    ParallelProfile,
    SubjectHours,
    ThematicPlan,
    Topic,
)
from eschool_core.ids import (
    BellScheduleId,
    ClassId,
    CurriculumId,
    EmployeeId,
    RoomId,
    SubjectId,
    ThematicPlanId,
    TimetableId,
)
from eschool_core.school import SchoolClass
from eschool_core.synth._catalogue import SUBJECTS, TIME_ZONE, TOPIC_WORDS
from eschool_core.synth._year import SchoolYearPlan
from eschool_core.timetable import (
    Bell,
    BellSchedule,
    Room,
    Timetable,
    TimetableEntry,
    bell_schedule_for,
)

__all__ = ["SchoolPlanning", "academic_year_of", "plan_school", "thematic_plans"]

_SANITARY_5_DAY = (21, 23, 23, 23, 29, 30, 32, 33, 33, 34, 34)
"""СанПиН 1.2.3685-21, table 6.6, 5-day week: the synthetic curriculum's mandatory maximum."""
_DAY_CAP = 8
"""The last lesson number the timetable builder may use."""
_PLAN_LATE_EVERY = 13
"""Every 13th thematic plan is entered after 15 August (R5.6), for the deadline checks."""


def academic_year_of(label: str, plan: SchoolYearPlan) -> AcademicYear:
    """Return the :class:`AcademicYear` with the plan's days, vacations and periods."""
    kinds = (VacationKind.AUTUMN, VacationKind.WINTER, VacationKind.SPRING)
    return AcademicYear(
        label=AcademicYear.parse(label),
        first_day=plan.start,
        last_day=plan.end,
        parallels={
            parallel: ParallelSchedule(periods=periods)
            for parallel, periods in plan.periods.items()
        },
        vacations=[
            Vacation(kind=kind, start=start, end=end)
            for kind, (start, end) in zip(kinds, plan.vacations, strict=True)
        ],
    )


@attrs.frozen(kw_only=True)
class SchoolPlanning:
    """What the deputy head enters before the year: the curriculum, rooms, bells, timetable.

    Attributes:
        curriculum: The curriculum of the year.
        rooms: One room per class.
        bell_schedules: The two shifts' schedules and grade 1's variant.
        timetable: The weekly timetable, free of double booking.
    """

    curriculum: Curriculum
    rooms: tuple[Room, ...]
    bell_schedules: tuple[BellSchedule, ...]
    timetable: Timetable


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TIME_ZONE)


def _bells(start: time, minutes: int) -> tuple[Bell, ...]:
    bells = []
    moment = datetime.combine(date(2000, 1, 1), start)
    for number in range(1, _DAY_CAP + 1):
        end = moment + timedelta(minutes=minutes)
        bells.append(Bell(number=number, start=moment.time(), end=end.time()))
        moment = end + timedelta(minutes=20 if number in (2, 3) else 10)
    return tuple(bells)


def _bell_schedules(year: str, first_year: int) -> tuple[BellSchedule, ...]:
    entered = _moment(date(first_year, 8, 25), 10)
    return (
        BellSchedule(
            id=BellScheduleId("bells-1"),
            year=year,
            shift=1,
            name="1 смена",
            bells=_bells(time(8, 30), 45),
            entered_at=entered,
        ),
        BellSchedule(
            id=BellScheduleId("bells-1-grade1"),
            year=year,
            shift=1,
            name="1 смена, 1 класс",
            bells=_bells(time(8, 30), 35),
            parallels=[1],
            entered_at=entered,
        ),
        BellSchedule(
            id=BellScheduleId("bells-2"),
            year=year,
            shift=2,
            name="2 смена",
            bells=_bells(time(13, 30), 45),
            entered_at=entered,
        ),
    )


def _curriculum(
    year: str,
    first_year: int,
    classes: Sequence[SchoolClass],
    teacher_of: dict[tuple[ClassId, str], EmployeeId],
) -> Curriculum:
    teachers: dict[SubjectId, set[EmployeeId]] = {}
    for (_class_id, code), teacher_id in teacher_of.items():
        teachers.setdefault(SubjectId(code), set()).add(teacher_id)
    return Curriculum(
        id=CurriculumId(f"curriculum-{first_year}"),
        year=year,
        subject_order=[SubjectId(code) for code, *_ in SUBJECTS],
        limits=[
            ComponentLimit(parallel=p, component=ComponentKind.MANDATORY, max_hours=limit)
            for p, limit in enumerate(_SANITARY_5_DAY, start=1)
        ],
        profiles=[
            ParallelProfile(parallel=p, name="универсальный" if p >= 10 else "базовый")
            for p in range(1, 12)
        ],
        hours=[
            SubjectHours(
                class_id=c.id,
                subject_id=SubjectId(code),
                component=ComponentKind.MANDATORY,
                hours=hours[c.parallel - 1],
            )
            for c in classes
            for code, _name, _short, hours in SUBJECTS
            if hours[c.parallel - 1]
        ],
        teachers=teachers,
        responsible_id=EmployeeId("emp-deputy-1"),
        completed_at=_moment(date(first_year, 7, 25), 15),
    )


def _day_sizes(rng: random.Random, total: int) -> list[int]:
    sizes = [total // 5] * 5
    for day in rng.sample(range(5), total % 5):
        sizes[day] += 1
    return sizes


class _Placer:
    """Places a class's weekly lessons so that no teacher is in two places at once."""

    def __init__(self, teacher_of: dict[tuple[ClassId, str], EmployeeId]) -> None:
        self.teacher_of = teacher_of
        self.busy: dict[tuple[EmployeeId, int], list[tuple[time, time]]] = {}
        self.entries: list[TimetableEntry] = []

    def start(self, school_class: SchoolClass, schedule: BellSchedule) -> dict[str, int]:
        self.school_class = school_class
        self.schedule = schedule
        self.room = RoomId(f"room-{school_class.id.removeprefix('class-')}")
        self.taken: set[tuple[int, int]] = set()
        self.left = {
            code: hours[school_class.parallel - 1]
            for code, _name, _short, hours in SUBJECTS
            if hours[school_class.parallel - 1]
        }
        return self.left

    def _bell(self, number: int) -> Bell:
        bell = self.schedule.bell(number)
        assert bell is not None  # noqa: S101 - numbers stay within the schedule
        return bell

    def free(self, code: str, weekday: int, number: int) -> bool:
        bell = self._bell(number)
        teacher = self.teacher_of[(self.school_class.id, code)]
        return (weekday, number) not in self.taken and all(
            bell.end <= start or end <= bell.start
            for start, end in self.busy.get((teacher, weekday), ())
        )

    def place(self, code: str, weekday: int, number: int) -> None:
        bell = self._bell(number)
        teacher = self.teacher_of[(self.school_class.id, code)]
        self.busy.setdefault((teacher, weekday), []).append((bell.start, bell.end))
        self.taken.add((weekday, number))
        self.left[code] -= 1
        self.entries.append(
            TimetableEntry(
                weekday=weekday,
                number=number,
                subject_id=SubjectId(code),
                teacher_id=teacher,
                class_id=self.school_class.id,
                room_id=self.room,
            )
        )


def _timetable_entries(
    rng: random.Random,
    classes: Sequence[SchoolClass],
    teacher_of: dict[tuple[ClassId, str], EmployeeId],
    schedules: Sequence[BellSchedule],
) -> list[TimetableEntry]:
    """Place every weekly lesson so that no teacher is in two places at once.

    Day by day, each lesson number takes a random subject still to place whose teacher is
    free then, preferring subjects not yet taught that day; what does not fit goes to the
    first free slot afterwards.
    """
    placer = _Placer(teacher_of)
    for school_class in classes:
        schedule = bell_schedule_for(school_class, schedules)
        assert schedule is not None  # noqa: S101 - every shift has a schedule
        left = placer.start(school_class, schedule)
        for weekday, size in enumerate(_day_sizes(rng, sum(left.values()))):
            today: set[str] = set()
            for number in range(1, size + 1):
                fitting = [c for c in left if left[c] and placer.free(c, weekday, number)]
                pool = [c for c in fitting if c not in today] or fitting
                if pool:
                    code = rng.choice(pool)
                    today.add(code)
                    placer.place(code, weekday, number)
        for code in sorted(left):
            while left[code]:
                slot = next(
                    (
                        (weekday, number)
                        for number in range(1, _DAY_CAP + 1)
                        for weekday in range(5)
                        if placer.free(code, weekday, number)
                    ),
                    None,
                )
                if slot is None:  # pragma: no cover - the loads leave free slots
                    raise RuntimeError(f"no free slot for {school_class.id}/{code}")
                placer.place(code, *slot)
    return placer.entries


def plan_school(
    rng: random.Random,
    *,
    year: str,
    first_year: int,
    classes: Sequence[SchoolClass],
    teacher_of: dict[tuple[ClassId, str], EmployeeId],
) -> SchoolPlanning:
    """Plan the year: curriculum, one room per class, bell schedules, a clash-free timetable."""
    schedules = _bell_schedules(year, first_year)
    rooms = tuple(
        Room(
            id=RoomId(f"room-{c.id.removeprefix('class-')}"),
            name=f"каб. {index}",
            capacity=34,
            entered_at=_moment(date(first_year, 8, 20), 11),
        )
        for index, c in enumerate(classes, start=1)
    )
    timetable = Timetable(
        id=TimetableId(f"timetable-{first_year}"),
        year=year,
        entries=_timetable_entries(rng, classes, teacher_of, schedules),
        entered_at=_moment(date(first_year, 8, 28), 12),
        completed_at=_moment(date(first_year, 9, 5), 16),
    )
    return SchoolPlanning(
        curriculum=_curriculum(year, first_year, classes, teacher_of),
        rooms=rooms,
        bell_schedules=schedules,
        timetable=timetable,
    )


def thematic_plans(
    *,
    year: str,
    first_year: int,
    curriculum: Curriculum,
    academic_year: AcademicYear,
    classes: Sequence[SchoolClass],
    teacher_of: dict[tuple[ClassId, str], EmployeeId],
) -> tuple[tuple[ThematicPlan, ...], int]:
    """One plan per class and subject, and how many are entered late.

    A plan has the curriculum's weekly hours times the whole weeks of study (R5.5), in
    topics of 8 lessons (the last takes the rest). Every 13th plan is entered after
    15 August (R5.6); the others between 5 and 15 August.
    """
    parallel_of = {c.id: c.parallel for c in classes}
    counts: dict[tuple[ClassId, str], int] = {}
    for row in curriculum.hours:
        weeks = int(academic_year.weeks_of_study(parallel_of[row.class_id]))
        counts[(row.class_id, row.subject_id)] = int(row.hours) * weeks
    plans = []
    late = 0
    for index, ((class_id, code), total) in enumerate(sorted(counts.items())):
        topics = [
            Topic(
                title=f"{TOPIC_WORDS[n % len(TOPIC_WORDS)]}: раздел {n + 1}",
                hours=min(8, total - 8 * n),
            )
            for n in range((total + 7) // 8)
        ]
        is_late = index % _PLAN_LATE_EVERY == _PLAN_LATE_EVERY - 1
        late += is_late
        day = (
            date(first_year, 8, 16 + index % 5) if is_late else date(first_year, 8, 5 + index % 11)
        )
        plans.append(
            ThematicPlan(
                id=ThematicPlanId(f"ktp-{class_id.removeprefix('class-')}-{code}"),
                year=year,
                teacher_id=teacher_of[(class_id, code)],
                subject_id=SubjectId(code),
                class_id=class_id,
                topics=topics,
                entered_at=_moment(day, 14),
            )
        )
    return tuple(plans), late
