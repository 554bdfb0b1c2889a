"""Lessons from the timetable and the academic calendar; substitutions and cancellations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from eschool_core.calendar import AcademicYear
from eschool_core.errors import ValidationError
from eschool_core.ids import ClassId, EmployeeId, GroupId, LessonId
from eschool_core.journal import Lesson, LessonState
from eschool_core.school import Group, SchoolClass
from eschool_core.texts import Text
from eschool_core.timetable._errors import (
    TIMETABLE_ALREADY_CANCELLED,
    TIMETABLE_OTHER_YEAR,
    TIMETABLE_SUBSTITUTE_CANCELLED,
    TIMETABLE_SUBSTITUTE_SELF,
    TIMETABLE_UNKNOWN_TARGET,
)
from eschool_core.timetable._model import Timetable, TimetableEntry

__all__ = ["cancel_lesson", "generate_lessons", "lesson_id_for", "substitute_teacher"]


def lesson_id_for(
    day: dt.date, number: int, *, class_id: ClassId | None = None, group_id: GroupId | None = None
) -> LessonId:
    """Return the deterministic id of a lesson: from its date, class or group, and number.

    >>> lesson_id_for(dt.date(2025, 9, 1), 3, class_id="5a")
    'les:c.5a:2025-09-01:3'
    """
    target = f"c.{class_id}" if class_id is not None else f"g.{group_id}"
    return LessonId(f"les:{target}:{day.isoformat()}:{number}")


def _timetable_weekdays(
    year: AcademicYear, parallel: int, start: dt.date, end: dt.date
) -> dict[dt.date, int]:
    """The school days of a parallel and whose weekday's timetable each follows.

    A moved school day follows the timetable of the day it replaces (R7.7c).
    """
    moved = {m.target: m.source for m in year.moved_days if parallel in m.parallels}
    return {day: moved.get(day, day).weekday() for day in year.school_days(start, end, parallel)}


def generate_lessons(
    timetable: Timetable,
    year: AcademicYear,
    *,
    classes: Sequence[SchoolClass],
    groups: Iterable[Group] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[Lesson, ...]:
    """Generate the lessons of a date range from the timetable and the academic calendar.

    A lesson is generated for each timetable entry on each school day of its class's
    parallel (for a group: of all its classes' parallels) whose weekday matches, within the
    range and the timetable's own dates. Vacations and public holidays have no lessons; a
    moved school day takes the lessons of the day it was moved from. Ids come from
    :func:`lesson_id_for`, so generating again gives the same lessons.

    Args:
        timetable: The weekly timetable.
        year: The academic year (school days, vacations, moved days).
        classes: The classes; lessons of a day follow their order.
        groups: The groups with entries in the timetable.
        start: First day (``None``: the year's first day).
        end: Last day (``None``: the year's last day).

    Returns:
        Lessons ordered by date, then class (in the order given; groups after classes), then
        lesson number.

    Raises:
        ValidationError: If the timetable is of another year, or an entry names a class or
            group that is not given.

    >>> from eschool_core.calendar import standard_year
    >>> from eschool_core.profiles import default_profile
    >>> from eschool_core.timetable import TimetableEntry, Timetable
    >>> year = standard_year("2025/2026", default_profile().calendar)
    >>> c = SchoolClass(id="5a", year="2025/2026", parallel=5, letter="А")
    >>> tt = Timetable(id="tt", year="2025/2026",
    ...     entered_at=dt.datetime(2025, 8, 20, tzinfo=dt.UTC), entries=[
    ...     TimetableEntry(weekday=0, number=1, subject_id="math", teacher_id="t1",
    ...                    class_id="5a")])
    >>> [l.id for l in generate_lessons(tt, year, classes=[c],
    ...     start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 14))]
    ['les:c.5a:2025-09-01:1', 'les:c.5a:2025-09-08:1']
    """
    if str(year.label) != timetable.year:
        raise TIMETABLE_OTHER_YEAR.error(
            timetable_id=timetable.id, year=timetable.year, label=year.label
        )
    first = max(d for d in (start, timetable.valid_from, year.first_day) if d is not None)
    last = min(d for d in (end, timetable.valid_until, year.last_day) if d is not None)
    if last < first:
        return ()
    order = {c.id: index for index, c in enumerate(classes)}
    parallel_of = {c.id: c.parallel for c in classes}
    group_of: dict[str, Group] = {g.id: g for g in groups}
    weekdays: dict[int, dict[dt.date, int]] = {}

    def days_of(parallel: int) -> dict[dt.date, int]:
        if parallel not in weekdays:
            weekdays[parallel] = _timetable_weekdays(year, parallel, first, last)
        return weekdays[parallel]

    planned: list[tuple[tuple[dt.date, int, str, int], TimetableEntry]] = []
    for entry in timetable.entries:
        parallels, rank = _parallels_of(entry, parallel_of, group_of, order)
        calendars = [days_of(p) for p in sorted(parallels)]
        for day, weekday in calendars[0].items():
            if weekday != entry.weekday:
                continue
            if any(other.get(day) != weekday for other in calendars[1:]):
                continue
            planned.append(((day, rank, entry.target, entry.number), entry))
    planned.sort(key=lambda item: item[0])
    return tuple(
        Lesson(
            id=lesson_id_for(day, entry.number, class_id=entry.class_id, group_id=entry.group_id),
            date=day,
            number=entry.number,
            subject_id=entry.subject_id,
            teacher_id=entry.teacher_id,
            class_id=entry.class_id,
            group_id=entry.group_id,
        )
        for (day, _rank, _target, _number), entry in planned
    )


def _parallels_of(
    entry: TimetableEntry,
    parallel_of: dict[ClassId, int],
    group_of: dict[str, Group],
    order: dict[ClassId, int],
) -> tuple[set[int], int]:
    if entry.class_id is not None:
        if entry.class_id not in parallel_of:
            raise _unknown("класс", "class", entry.class_id)
        return {parallel_of[entry.class_id]}, order[entry.class_id]
    group = group_of.get(entry.group_id or "")
    if group is None or not all(c in parallel_of for c in group.class_ids):
        raise _unknown("группа", "group", entry.group_id or "")
    return {parallel_of[c] for c in group.class_ids}, len(order)


def _unknown(kind_ru: str, kind_en: str, entity_id: str) -> ValidationError:
    return TIMETABLE_UNKNOWN_TARGET.error(details={"id": entity_id}, kind=Text(kind_ru, kind_en))


def substitute_teacher(lesson: Lesson, teacher_id: EmployeeId, *, at: dt.datetime) -> Lesson:
    """Return the lesson given by a substitute teacher, the substitution entered at ``at``.

    The moment is recorded in ``substitute_entered_at`` so that R7.7d (on the day of the
    lesson) can be checked.

    Raises:
        RuleViolation: If the lesson is cancelled, or the substitute is the lesson's teacher.
        ValidationError: If ``at`` is naive.

    >>> lesson = Lesson(id="l1", date=dt.date(2025, 9, 1), number=1, subject_id="math",
    ...     teacher_id="t1", class_id="5a")
    >>> substitute_teacher(lesson, "t2", at=dt.datetime(2025, 9, 1, 7, tzinfo=dt.UTC)
    ...     ).responsible_teacher_id
    't2'
    """
    if not lesson.is_held:
        raise TIMETABLE_SUBSTITUTE_CANCELLED.error(id=lesson.id)
    if teacher_id == lesson.teacher_id:
        raise TIMETABLE_SUBSTITUTE_SELF.error(id=lesson.id)
    return attrs.evolve(lesson, substitute_id=teacher_id, substitute_entered_at=at)


def cancel_lesson(lesson: Lesson, *, at: dt.datetime) -> Lesson:
    """Return the lesson cancelled, the cancellation entered at ``at`` (for R7.7d).

    Raises:
        RuleViolation: If the lesson is already cancelled.
        ValidationError: If ``at`` is naive.

    >>> lesson = Lesson(id="l1", date=dt.date(2025, 9, 1), number=1, subject_id="math",
    ...     teacher_id="t1", class_id="5a")
    >>> cancel_lesson(lesson, at=dt.datetime(2025, 9, 1, 7, tzinfo=dt.UTC)).state.value
    'cancelled'
    """
    if not lesson.is_held:
        raise TIMETABLE_ALREADY_CANCELLED.error(id=lesson.id)
    return attrs.evolve(lesson, state=LessonState.CANCELLED, cancelled_at=at)
