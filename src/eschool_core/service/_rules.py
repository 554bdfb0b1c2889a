"""The domain checks the write service runs inside a command's unit of work."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from eschool_core.calendar import AcademicYear, StudyPeriod
from eschool_core.closures import PeriodClosure, locked_for
from eschool_core.errors import NotFoundError, ValidationError
from eschool_core.ids import ClassId, LessonId, StudentId
from eschool_core.journal import AttestationMark, Lesson, Mark
from eschool_core.movement import MovementBook, MovementPolicy, Order, PlannedClass
from eschool_core.rbac import Directory
from eschool_core.rollovers import RolloverRecord
from eschool_core.school import SchoolClass
from eschool_core.service._errors import MARK_HISTORY_MISMATCH
from eschool_core.storage import UnitOfWork

__all__ = [
    "class_on",
    "history_matches",
    "mark_period",
    "period_locked",
    "planned",
    "rebuild_book",
    "require_group_member",
    "require_history",
    "require_lesson",
    "require_members",
    "sync_memberships",
]


def history_matches(mark: Mark | AttestationMark) -> bool:
    """Return whether a mark's corrections chain up to its value (R3.1b).

    Each correction starts from the value the one before left, and the last leaves the
    mark's value; a mark without corrections always matches.

    >>> from datetime import UTC, date, datetime
    >>> import attrs
    >>> from eschool_core.journal import MarkEdit
    >>> mark = Mark(id="m1", student_id="s1", subject_id="math", date=date(2025, 9, 1),
    ...     value=2, work_type="answer", author_id="t1",
    ...     entered_at=datetime(2025, 9, 1, 10, tzinfo=UTC))
    >>> history_matches(mark)
    True
    >>> history_matches(attrs.evolve(mark, edits=[MarkEdit(at=datetime(2025, 9, 2, tzinfo=UTC),
    ...     by="t1", old_value=5, new_value=4)]))  # the value 2 was written around the journal
    False
    """
    edits = mark.edits
    if not edits:
        return True
    chained = all(a.new_value == b.old_value for a, b in itertools.pairwise(edits))
    return chained and edits[-1].new_value == mark.value


def require_history(mark: Mark | AttestationMark) -> None:
    """Raise unless the mark's corrections chain up to its value.

    Raises:
        ValidationError: ``mark.history_mismatch`` (R3.1b): the stored value was changed
            without a correction record, so no correction is built on it.
    """
    if not history_matches(mark):
        raise MARK_HISTORY_MISMATCH.error(id=mark.id, value=str(mark.value))


def class_on(uow: UnitOfWork, student_id: StudentId, day: date) -> ClassId | None:
    """Return the class the student belongs to on ``day`` (the latest joined), or ``None``."""
    held = sorted(
        (m for m in uow.memberships.for_student(student_id) if m.holds_on(day)),
        key=lambda m: (m.since, m.id),
    )
    return held[-1].class_id if held else None


def mark_period(
    uow: UnitOfWork,
    year: AcademicYear,
    student_id: StudentId,
    day: date,
    lesson: Lesson | None = None,
) -> StudyPeriod | None:
    """Return the study period a student's mark of ``day`` belongs to, or ``None``.

    The parallel is the lesson's class's, else the class the student belongs to that day.
    """
    class_id = lesson.class_id if lesson is not None and lesson.class_id else None
    if class_id is None:
        class_id = class_on(uow, student_id, day)
    school_class = uow.classes.find(class_id) if class_id is not None else None
    if school_class is None or school_class.parallel not in year.parallels:
        return None
    return year.period_of(day, school_class.parallel)


def period_locked(
    uow: UnitOfWork,
    year: AcademicYear,
    period: StudyPeriod | None,
    at: datetime,
    scope: tuple[str | None, str, str | None],
) -> bool:
    """Return whether a write of ``scope`` (class, subject, teacher) is locked at ``at``.

    A closed period locks every write; a reopened one every write outside the class,
    subject and teacher it was reopened for (R8.9, R8.10).
    """
    if period is None:
        return False
    return locked_for(period_closures(uow, year), str(year.label), str(period.code), at, scope)


_FEW = 3


def require_members(
    uow: UnitOfWork,
    lesson: Lesson,
    students: Iterable[StudentId],
    *,
    code: str = "mark.not_in_class",
) -> None:
    """Raise unless every student belongs to the lesson's class on the lesson's day.

    Raises:
        ValidationError: ``code`` (``mark.not_in_class``, R8.4.1) naming the first outsider.
    """
    if lesson.class_id is None:
        return
    wanted = list(students)
    class_id, day = lesson.class_id, lesson.date
    if len(wanted) <= _FEW:  # a mark or two: the students' memberships, not the class's
        held = [m for s in wanted for m in uow.memberships.for_student(s)]
    else:
        held = list(uow.memberships.for_class(class_id))
    members = {m.student_id for m in held if m.class_id == class_id and m.holds_on(day)}
    outsider = next((s for s in wanted if s not in members), None)
    if outsider is not None:
        raise ValidationError(
            f"Ученик {outsider} не в классе {lesson.class_id} на {lesson.date}",
            f"Student {outsider} is not in class {lesson.class_id} on {lesson.date}",
            code=code,
            clause="8.4.1",
            details={"student_id": outsider, "class_id": lesson.class_id},
        )


def period_closures(uow: UnitOfWork, year: AcademicYear) -> Sequence[PeriodClosure]:
    """Return the stored closures of ``year``."""
    return uow.period_closures.for_year(str(year.label))


def rebuild_book(uow: UnitOfWork, policy: MovementPolicy | None = None) -> MovementBook:
    """Rebuild the movement book from a unit of work's orders and applied rollovers (R10.1).

    The orders are replayed in date order; on a rollover's day, before that day's orders,
    the rollover is planned again with the class list it applied and applied.

    Args:
        uow: An entered unit of work.
        policy: The movement rules (the profile's ``movement``); the defaults without it.

    Raises:
        MovementError: If the stored orders no longer form a valid book.
    """
    classes = {c.id: c for c in uow.classes.all()}
    book = MovementBook(classes.values(), policy=policy)
    steps: list[tuple[tuple[Any, ...], Order | RolloverRecord]] = [
        ((order.issued_on, 1, *order.sort_key[1:]), order) for order in uow.orders.all()
    ]
    steps.extend(((record.on, 0, record.year), record) for record in uow.rollovers.all())
    for _key, step in sorted(steps, key=lambda pair: pair[0]):
        if isinstance(step, Order):
            book.apply(step)
        else:
            book.apply_rollover(book.plan_rollover(step.year, step.on, planned(step, classes)))
    return book


def planned(record: RolloverRecord, classes: Mapping[ClassId, SchoolClass]) -> list[PlannedClass]:
    """Return the class list a stored rollover applied, as the book plans it."""
    return [
        PlannedClass(
            school_class=classes[rolled.class_id],
            student_ids=rolled.student_ids,
            source_class_ids=rolled.source_class_ids,
        )
        for rolled in record.classes
    ]


def sync_memberships(uow: UnitOfWork, book: MovementBook, students: Iterable[StudentId]) -> None:
    """Make the stored class memberships of ``students`` those the movement book implies."""
    wanted = {m.id: m for m in book.memberships()}
    for student_id in dict.fromkeys(students):
        implied = {key: m for key, m in wanted.items() if m.student_id == student_id}
        for stored in uow.memberships.for_student(student_id):
            if stored.id not in implied:
                uow.memberships.remove(stored.id)
            elif stored != implied[stored.id]:
                uow.memberships.update(implied[stored.id])
        present = {m.id for m in uow.memberships.for_student(student_id)}
        uow.memberships.add_many(m for key, m in implied.items() if key not in present)


def require_lesson(uow: UnitOfWork, lesson_id: LessonId) -> Lesson:
    """Return the stored lesson.

    Raises:
        NotFoundError: If there is none.
    """
    lesson = uow.lessons.find(lesson_id)
    if lesson is None:
        raise NotFoundError.for_id("lesson", lesson_id)
    return lesson


def require_group_member(
    directory: Directory, lesson: Lesson, student_id: StudentId, *, code: str
) -> None:
    """Raise unless the student is a member of the lesson's group on the lesson's day.

    Raises:
        ValidationError: ``code`` (R8.4.1) if he is not.
    """
    if lesson.group_id is None or student_id in directory.group_members(
        lesson.group_id, lesson.date
    ):
        return
    raise ValidationError(
        f"Ученик {student_id} не в группе {lesson.group_id} на {lesson.date}",
        f"Student {student_id} is not in group {lesson.group_id} on {lesson.date}",
        code=code,
        clause="8.4.1",
        details={"student_id": student_id, "group_id": lesson.group_id},
    )
