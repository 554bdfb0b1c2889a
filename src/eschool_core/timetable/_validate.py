"""Checking a timetable: double booking, hours against the curriculum, order of entry."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from fractions import Fraction

from eschool_core.curriculum import Curriculum, FindingCode, PlanFinding
from eschool_core.school import Group, GroupKind, SchoolClass
from eschool_core.texts import Text
from eschool_core.timetable._model import (
    WEEKDAY_NAMES,
    BellSchedule,
    Room,
    Timetable,
    TimetableEntry,
    bell_schedule_for,
)

__all__ = ["validate_timetable"]

_Slot = tuple[int, dt.time, dt.time]


def _slot_name(entry: TimetableEntry) -> tuple[str, str]:
    ru, en = WEEKDAY_NAMES[entry.weekday]
    return f"{ru}, {entry.number}-й урок", f"{en}, lesson {entry.number}"


def validate_timetable(
    timetable: Timetable,
    *,
    curriculum: Curriculum | None,
    classes: Iterable[SchoolClass],
    rooms: Iterable[Room],
    bell_schedules: Iterable[BellSchedule],
    groups: Iterable[Group] = (),
) -> tuple[PlanFinding, ...]:
    """Check a timetable and return every finding, in a stable order.

    Two entries clash when their lessons overlap in time on the same weekday (times come
    from each class's bell schedule, so the shifts do not clash with each other): a teacher
    or a room in two places, or a class in two places. Subgroups of one class, and groups
    with no common student, may run side by side; a whole-class lesson clashes with any
    lesson of a group of that class.

    Args:
        timetable: The timetable.
        curriculum: The curriculum of the year (``None`` if there is none yet: R7.4).
        classes: The classes of the school.
        rooms: The list of rooms (R7.5).
        bell_schedules: The bell schedules (R7.5, R7.6).
        groups: The groups with entries in the timetable.

    Returns:
        Findings: double bookings (R7.1), weekly lessons that differ from the curriculum's
        hours (R7.4), a timetable entered before the curriculum was complete (R7.4), rooms
        or bells missing or entered after the timetable (R7.5).
    """
    class_of: dict[str, SchoolClass] = {c.id: c for c in classes if c.year == timetable.year}
    group_of: dict[str, Group] = {g.id: g for g in groups}
    room_of: dict[str, Room] = {r.id: r for r in rooms}
    schedules = [s for s in bell_schedules if s.year == timetable.year]
    findings: list[PlanFinding] = []
    findings.extend(_order_findings(timetable, curriculum, room_of, schedules))
    slots: list[tuple[TimetableEntry, _Slot]] = []
    used_schedules: dict[str, BellSchedule] = {}
    for entry in sorted(timetable.entries, key=_entry_key):
        class_ids = (
            (entry.class_id,)
            if entry.class_id is not None
            else group_of[entry.group_id].class_ids
            if entry.group_id in group_of
            else ()
        )
        school_class = next((class_of[c] for c in class_ids if c in class_of), None)
        schedule = None if school_class is None else bell_schedule_for(school_class, schedules)
        bell = None if schedule is None else schedule.bell(entry.number)
        if bell is None or schedule is None:
            ru, en = _slot_name(entry)
            findings.append(
                PlanFinding(
                    code=FindingCode.NO_BELL_SCHEDULE,
                    clause="7.5",
                    requirement="R7.5",
                    message=Text(
                        f"«{entry.target}», {ru}: нет расписания звонков для этого урока",
                        f"'{entry.target}', {en}: no bell schedule covers this lesson",
                    ),
                    entity_kind="timetable",
                    entity_id=timetable.id,
                    details={"target": entry.target, "number": entry.number},
                )
            )
            # Without bells, a lesson is placed at a moment no real lesson takes (just after
            # midnight), so it clashes only with lessons of the same shift and number.
            shift = school_class.shift if school_class else 1
            start = dt.time(0, shift * 12 + entry.number)
            slots.append((entry, (entry.weekday, start, start)))
            continue
        used_schedules[schedule.id] = schedule
        slots.append((entry, (entry.weekday, bell.start, bell.end)))
    findings.extend(_bells_after(timetable, used_schedules))
    findings.extend(_clashes(timetable, slots, group_of))
    if curriculum is not None:
        findings.extend(_hours_findings(timetable, curriculum, group_of))
    return tuple(findings)


def _entry_key(entry: TimetableEntry) -> tuple[int, int, str, str, str]:
    return (entry.weekday, entry.number, entry.target, entry.subject_id, entry.teacher_id)


def _order_findings(
    timetable: Timetable,
    curriculum: Curriculum | None,
    room_of: dict[str, Room],
    schedules: list[BellSchedule],
) -> list[PlanFinding]:
    findings: list[PlanFinding] = []
    if (
        curriculum is None
        or curriculum.completed_at is None
        or (curriculum.completed_at > timetable.entered_at)
    ):
        findings.append(
            PlanFinding(
                code=FindingCode.BEFORE_CURRICULUM,
                clause="7.4",
                requirement="R7.4",
                message=Text(
                    f"Расписание {timetable.id} внесено раньше, чем завершён учебный план",
                    f"Timetable {timetable.id} was entered before the curriculum was complete",
                ),
                entity_kind="timetable",
                entity_id=timetable.id,
            )
        )
    for room_id in sorted(timetable.room_ids):
        room = room_of.get(room_id)
        if room is None:
            findings.append(
                PlanFinding(
                    code=FindingCode.UNKNOWN_ROOM,
                    clause="7.5",
                    requirement="R7.5",
                    message=Text(
                        f"Кабинета «{room_id}» нет в списке кабинетов",
                        f"Room '{room_id}' is not in the list of rooms",
                    ),
                    entity_kind="room",
                    entity_id=room_id,
                )
            )
        elif room.entered_at is not None and room.entered_at > timetable.entered_at:
            findings.append(
                PlanFinding(
                    code=FindingCode.ROOM_AFTER_TIMETABLE,
                    clause="7.5",
                    requirement="R7.5",
                    message=Text(
                        f"Кабинет «{room.name}» внесён после расписания",
                        f"Room '{room.name}' was entered after the timetable",
                    ),
                    entity_kind="room",
                    entity_id=room_id,
                )
            )
    if not schedules:
        findings.append(
            PlanFinding(
                code=FindingCode.NO_BELL_SCHEDULE,
                clause="7.5",
                requirement="R7.5",
                message=Text(
                    f"Нет расписания звонков учебного года {timetable.year}",
                    f"There is no bell schedule for {timetable.year}",
                ),
                entity_kind="timetable",
                entity_id=timetable.id,
            )
        )
    return findings


def _bells_after(timetable: Timetable, used: dict[str, BellSchedule]) -> list[PlanFinding]:
    return [
        PlanFinding(
            code=FindingCode.BELLS_AFTER_TIMETABLE,
            clause="7.5",
            requirement="R7.5",
            message=Text(
                f"Расписание звонков «{schedule.name}» внесено после расписания уроков",
                f"Bell schedule '{schedule.name}' was entered after the timetable",
            ),
            entity_kind="bell_schedule",
            entity_id=schedule.id,
        )
        for _, schedule in sorted(used.items())
        if schedule.entered_at is not None and schedule.entered_at > timetable.entered_at
    ]


def _same_students(a: TimetableEntry, b: TimetableEntry, group_of: dict[str, Group]) -> bool:
    """Whether two lessons at the same time take some of the same students."""
    if a.class_id is not None and b.class_id is not None:
        return a.class_id == b.class_id
    if a.class_id is not None or b.class_id is not None:
        whole, part = (a, b) if a.class_id is not None else (b, a)
        group = group_of.get(part.group_id or "")
        return group is not None and whole.class_id in group.class_ids
    if a.group_id == b.group_id:
        return True
    first, second = group_of.get(a.group_id or ""), group_of.get(b.group_id or "")
    if first is None or second is None:
        return False
    return bool(first.student_ids & second.student_ids)


def _clashes(
    timetable: Timetable,
    slots: list[tuple[TimetableEntry, _Slot]],
    group_of: dict[str, Group],
) -> list[PlanFinding]:
    findings: list[PlanFinding] = []
    by_day: dict[int, list[tuple[TimetableEntry, _Slot]]] = {}
    for entry, slot in slots:
        by_day.setdefault(slot[0], []).append((entry, slot))
    for day in sorted(by_day):
        items = sorted(by_day[day], key=lambda item: (item[1][1], _entry_key(item[0])))
        for index, (a, slot_a) in enumerate(items):
            for b, slot_b in items[index + 1 :]:
                if slot_b[1] != slot_a[1] and slot_b[1] >= slot_a[2]:
                    break
                findings.extend(_pair_findings(timetable, a, b, group_of))
    return findings


def _pair_findings(
    timetable: Timetable, a: TimetableEntry, b: TimetableEntry, group_of: dict[str, Group]
) -> list[PlanFinding]:
    ru, en = _slot_name(a)
    found: list[tuple[FindingCode, str, str, str, str]] = []
    details = {"first": f"{a.target}/{a.subject_id}", "second": f"{b.target}/{b.subject_id}"}
    if a.teacher_id == b.teacher_id:
        found.append(
            (
                FindingCode.TEACHER_DOUBLE_BOOKED,
                "employee",
                a.teacher_id,
                f"Учитель «{a.teacher_id}» ведёт два урока одновременно ({ru})",
                f"Teacher '{a.teacher_id}' has two lessons at once ({en})",
            )
        )
    if a.room_id is not None and a.room_id == b.room_id:
        found.append(
            (
                FindingCode.ROOM_DOUBLE_BOOKED,
                "room",
                a.room_id,
                f"В кабинете «{a.room_id}» два урока одновременно ({ru})",
                f"Room '{a.room_id}' hosts two lessons at once ({en})",
            )
        )
    if _same_students(a, b, group_of):
        found.append(
            (
                FindingCode.CLASS_DOUBLE_BOOKED,
                "class" if a.class_id else "group",
                a.target,
                f"«{a.target}» и «{b.target}»: у одних учащихся два урока одновременно ({ru})",
                (
                    f"'{a.target}' and '{b.target}': the same students have two lessons at "
                    f"once ({en})"
                ),
            )
        )
    return [
        PlanFinding(
            code=code,
            clause="7.1",
            requirement="R7.1",
            message=Text(ru_message, en_message),
            entity_kind=kind,
            entity_id=entity_id,
            details={**details, "timetable": timetable.id},
        )
        for code, kind, entity_id, ru_message, en_message in found
    ]


def _hours_findings(
    timetable: Timetable, curriculum: Curriculum, group_of: dict[str, Group]
) -> list[PlanFinding]:
    counts: Counter[tuple[str, str]] = Counter(
        (e.target, str(e.subject_id)) for e in timetable.entries
    )
    subgroups: dict[tuple[str, str], list[str]] = {}
    for group in group_of.values():
        if group.kind is GroupKind.SUBGROUP:
            subgroups.setdefault((group.class_ids[0], group.subject_id), []).append(group.id)
    expected: dict[tuple[str, str], Fraction] = {}
    for row in curriculum.hours:
        if row.group_id is not None:
            expected[(row.group_id, row.subject_id)] = row.hours
        elif row.level is None:
            key: tuple[str, str] = (row.class_id, row.subject_id)
            hours = curriculum.subject_load(row.class_id, row.subject_id)
            split = subgroups.get(key, [])
            if counts.get(key, 0) == 0 and any(counts.get((g, row.subject_id)) for g in split):
                for group_id in split:
                    expected[(group_id, row.subject_id)] = hours
            else:
                expected[key] = hours
    for counted in counts:
        expected.setdefault(counted, Fraction(0))
    findings = []
    for (target, subject), hours in sorted(expected.items()):
        given = counts.get((target, subject), 0)
        if hours != given and hours.denominator == 1:
            findings.append(
                PlanFinding(
                    code=FindingCode.HOURS_MISMATCH,
                    clause="7.4",
                    requirement="R7.4",
                    message=Text(
                        f"«{target}», предмет «{subject}»: в расписании {given} ч в "
                        f"неделю, по учебному плану {hours}",
                        f"'{target}', subject '{subject}': {given} lessons a week in "
                        f"the timetable, {hours} in the curriculum",
                    ),
                    entity_kind="timetable",
                    entity_id=timetable.id,
                    details={
                        "target": target,
                        "subject": subject,
                        "given": given,
                        "hours": hours,
                    },
                )
            )
    return findings
