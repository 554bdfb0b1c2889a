"""Attestation marks that were never set: one duty per student, subject and mark due (R8.9)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from eschool_core.deadlines._duties import Context, Duty
from eschool_core.deadlines._findings import EntityKind
from eschool_core.deadlines._rules import DeadlineRule
from eschool_core.journal import FINAL_MARK_PARALLELS, AttestationKind
from eschool_core.school import SchoolClass

__all__ = ["missing_attestation"]

_Key = tuple[str, str, str, AttestationKind, str | None]


def _roster(ctx: Context, class_id: str, day: date) -> list[str]:
    """The students in ``class_id`` on ``day`` by their memberships, sorted."""
    return sorted(
        student
        for student, rows in ctx.student_classes.items()
        if any(
            c == class_id and since <= day and (until is None or day <= until)
            for since, until, c in rows
        )
    )


def _subjects(ctx: Context, year: str) -> dict[str, dict[str, frozenset[str] | None]]:
    """Per class, each subject of its curriculum and who studies it (``None``: everyone).

    A subject taught to the whole class, or in a group the data does not describe, is due
    for every student; one taught only in described groups is due for their students.
    """
    groups = {g.id: g for g in ctx.year_data.groups if g.year == year}
    found: dict[str, dict[str, set[str] | None]] = {}
    for curriculum in ctx.year_data.curricula:
        if curriculum.year != year:
            continue
        for row in curriculum.hours:
            subjects = found.setdefault(row.class_id, {})
            group = groups.get(row.group_id) if row.group_id else None
            if row.group_id is None or group is None:
                subjects[row.subject_id] = None
                continue
            current = subjects.setdefault(row.subject_id, set())
            if current is not None:
                current.update(group.student_ids)
    return {
        class_id: {s: (None if who is None else frozenset(who)) for s, who in subjects.items()}
        for class_id, subjects in found.items()
    }


def _teachers(ctx: Context, year: str) -> dict[tuple[str, str], str]:
    """The teacher answering for each class's subject.

    Its teaching assignment, else the curriculum's only teacher of the subject.
    """
    found: dict[tuple[str, str], str] = {}
    for assignment in sorted(ctx.year_data.assignments, key=lambda a: a.id):
        if assignment.year == year and assignment.class_id is not None:
            found.setdefault((assignment.class_id, assignment.subject_id), assignment.teacher_id)
    for curriculum in ctx.year_data.curricula:
        if curriculum.year != year:
            continue
        for row in curriculum.hours:
            teachers = sorted(curriculum.teachers.get(row.subject_id, ()))
            if len(teachers) == 1:
                found.setdefault((row.class_id, row.subject_id), teachers[0])
    return found


def _dues(
    ctx: Context, school_class: SchoolClass
) -> list[tuple[AttestationKind, str | None, date, str | None]]:
    """The attestation marks a class owes: kind, period, due day, subject (``None``: each)."""
    periods = ctx.periods(school_class.parallel)
    if not periods:
        return []
    dues: list[tuple[AttestationKind, str | None, date, str | None]] = [
        (AttestationKind.PERIOD, p.code.value, p.end, None) for p in periods
    ]
    dues.append((AttestationKind.ANNUAL, None, periods[-1].end, None))
    exams = [s for s in ctx.records.exam_sessions if s.parallel == school_class.parallel]
    dues.extend((AttestationKind.EXAM, None, s.ends_on, s.subject_id) for s in exams)
    if school_class.parallel in FINAL_MARK_PARALLELS:
        last = max((s.ends_on for s in exams), default=periods[-1].end)
        dues.append((AttestationKind.FINAL, None, last, None))
    return dues


def missing_attestation(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    """The period, annual, exam and final marks due by ``as_of`` and never set (R8.9).

    For every class of the checked year and every mark its parallel owes (each study
    period's, the annual one on the last period's end, an exam's on the exam's last day,
    the final one in grades 9 and 11 on the last exam day or the year's end), each student
    in the class on that day (his memberships) and each subject of the class's curriculum:
    a duty with no entry when no mark of that kind exists. A special mark («осв», «н/а»,
    «зач») is a mark; a recorded exemption (:class:`AttestationExemption`) removes the duty;
    an exam is owed by the students its session names (all of the parallel when it names
    none). Only the classes of the rule's ``parallels`` (all when it names none) owe marks.
    Without a year or curricula there are no such duties.
    """
    if ctx.year is None or not ctx.year_data.curricula:
        return
    year = str(ctx.year.label)
    subjects = _subjects(ctx, year)
    teachers = _teachers(ctx, year)
    have: set[_Key] = {
        (m.student_id, m.subject_id, m.year, m.kind, m.period)
        for m in ctx.year_data.attestation_marks
        if ctx.local_day(m.entered_at) is not None
    }
    exempt = {(e.student_id, e.subject_id, e.year) for e in ctx.records.exemptions}
    sitting = {
        (s.subject_id, s.parallel): s.student_ids
        for s in ctx.records.exam_sessions
        if s.student_ids
    }
    for school_class in sorted(ctx.classes.values(), key=lambda c: c.id):
        taught = subjects.get(school_class.id)
        if school_class.year != year or not taught:
            continue
        if rule.parallels and school_class.parallel not in rule.parallels:
            continue
        for kind, period, due, exam_subject in _dues(ctx, school_class):
            if due > ctx.as_of:
                continue
            owed = sorted(taught) if exam_subject is None else [exam_subject]
            roster = _roster(ctx, school_class.id, due)
            for subject in owed:
                who = taught.get(subject)
                examined = sitting.get((subject, school_class.parallel))
                for student in roster:
                    if who is not None and student not in who:
                        continue
                    if kind is AttestationKind.EXAM and examined and student not in examined:
                        continue
                    if (student, subject, year) in exempt:
                        continue
                    if (student, subject, year, kind, period) in have:
                        continue
                    suffix = f":{period}" if period else ""
                    yield (
                        EntityKind.ATTESTATION_MARK,
                        f"{student}:{subject}:{year}:{kind.value}{suffix}",
                        due,
                        None,
                        False,
                        teachers.get((school_class.id, subject)),
                        school_class.id,
                    )
