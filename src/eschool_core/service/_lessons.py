"""Commands on attendance, topics and homework, movement orders and the rollover (R8.4, R10.1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import attrs

from eschool_core.errors import NotFoundError
from eschool_core.ids import AttendanceId, LessonId, StudentId
from eschool_core.journal import (
    AbsenceReason,
    Attendance,
    AttendanceKind,
    IndividualHomework,
    Lesson,
)
from eschool_core.movement import Order, PlannedClass
from eschool_core.rbac import Action, Actor
from eschool_core.rollovers import RolledClass, RolloverRecord
from eschool_core.service import _rules
from eschool_core.service._base import ServiceBase
from eschool_core.service._decisions import check_transfers, check_year_end_decisions
from eschool_core.service._errors import (
    ATTENDANCE_FUTURE_LESSON,
    ATTENDANCE_UNCHANGED,
    HOMEWORK_DUE_ELSEWHERE,
    HOMEWORK_DUE_NOT_LATER,
    LESSON_NOTHING_TO_RECORD,
    ROLLOVER_DONE,
)

__all__: list[str] = ["LessonCommands"]


class LessonCommands(ServiceBase):
    """Absences and their reasons, topics and homework, movement orders, the rollover."""

    # -- attendance (R8.4.1, R8.5.1) --------------------------------------------------------

    def enter_absence(
        self,
        actor: Actor,
        at: datetime,
        attendance_id: AttendanceId,
        lesson_id: LessonId,
        student_id: StudentId,
        *,
        kind: AttendanceKind | str = AttendanceKind.ABSENT,
        reason: AbsenceReason | str = AbsenceReason.UNKNOWN,
        late_reason: str | None = None,
    ) -> Attendance:
        """Record a student's absence or late arrival at a lesson (R8.4.1, R8.6).

        The student is judged on the lesson's day: he must have been in the lesson's class
        or group then, wherever he is now.

        Raises:
            PermissionDenied: Unless the actor teaches the lesson's class or group.
            RuleViolation: ``deadlines.period_locked`` in a closed period (R8.9).
            ValidationError: For a lesson still to come, a bad kind or reason, or
                ``attendance.not_in_class`` for a student not in the class or group that day.
            NotFoundError: For an unknown lesson.
        """
        with self._command(actor, at) as unit:
            lesson = _rules.require_lesson(unit.uow, lesson_id)
            decision = self._seated(
                unit, Action.ATTENDANCE_WRITE, lesson, (student_id,), "attendance.not_in_class"
            )
            if lesson.date > unit.on:
                raise ATTENDANCE_FUTURE_LESSON.error(
                    details={"lesson_id": lesson.id}, date=lesson.date
                )
            period = _rules.mark_period(unit.uow, self._year, student_id, lesson.date, lesson)
            self._lock(unit, period, late_reason)
            record = Attendance(
                id=attendance_id,
                student_id=student_id,
                lesson_id=lesson.id,
                date=lesson.date,
                kind=kind,
                reason=reason,
                entered_by=unit.staff_card(),
                entered_at=unit.at,
                late_reason=late_reason,
            )
            unit.uow.attendance.add(record)
            unit.record(
                action="attendance.enter",
                entity="attendance",
                entity_id=record.id,
                before=None,
                after=record,
                decision=decision,
            )
        return record

    def correct_absence_reason(
        self,
        actor: Actor,
        at: datetime,
        attendance_id: AttendanceId,
        reason: AbsenceReason | str,
        *,
        document_presented_on: date | None = None,
    ) -> Attendance:
        """Correct the reason of an absence when a document comes (the class teacher, R8.5.1).

        Raises:
            PermissionDenied: Unless the actor is the class teacher of the class the student
                was in on the day of the lesson.
            ValidationError: For the same reason, or a bad one.
            NotFoundError: For an unknown record.
        """
        with self._command(actor, at) as unit:
            record = unit.uow.attendance.find(attendance_id)
            if record is None:
                raise NotFoundError.for_id("attendance", attendance_id)
            # The class teacher of the class the student was in on the lesson's day (R8.5.1).
            lesson = unit.uow.lessons.find(record.lesson_id)
            class_id = lesson.class_id if lesson is not None else None
            if class_id is None:
                class_id = _rules.class_on(unit.uow, record.student_id, record.date)
            decision = unit.authorize(
                Action.ABSENCE_REASON_WRITE,
                unit.target(
                    class_id=class_id,
                    student_id=record.student_id if class_id is None else None,
                ),
            )
            corrected = attrs.evolve(
                record,
                reason=AbsenceReason(reason),
                reason_corrected_at=unit.at,
                document_presented_on=document_presented_on or record.document_presented_on,
            )
            if corrected.reason == record.reason:
                raise ATTENDANCE_UNCHANGED.error(record_id=record.id, reason=record.reason.value)
            unit.uow.attendance.update(corrected)
            unit.record(
                action="absence_reason.correct",
                entity="attendance",
                entity_id=record.id,
                before=record,
                after=corrected,
                decision=decision,
            )
        return corrected

    # -- lesson topics and homework (R8.4.2) ------------------------------------------------

    def record_lesson_content(
        self,
        actor: Actor,
        at: datetime,
        lesson_id: LessonId,
        *,
        topic: str | None = None,
        material: str | None = None,
        homework: str | None = None,
        individual_homework: Sequence[IndividualHomework] = (),
        homework_due_lesson_id: LessonId | None = None,
    ) -> Lesson:
        """Enter a lesson's topic, material and homework (R8.4.2, R8.6).

        Only what is given changes; a newly given topic or homework gets ``at`` as its
        entry moment. The homework may name the lesson it is due for: a later lesson of the
        same subject and the same class or group.

        Raises:
            PermissionDenied: Unless the actor teaches the lesson's class or group.
            ValidationError: If nothing is given; ``homework.due_not_later`` for a due lesson
                that is not after the lesson (an earlier day, or the same day and not a later
                period); ``homework.due_elsewhere`` for a due lesson of another subject,
                class or group; ``lesson.homework_details`` for a due lesson without
                homework.
            NotFoundError: For an unknown lesson or due lesson.
        """
        with self._command(actor, at) as unit:
            lesson = _rules.require_lesson(unit.uow, lesson_id)
            decision = unit.authorize(
                Action.LESSON_CONTENT_WRITE, self._lesson_target(unit, lesson, None)
            )
            changes: dict[str, object] = {}
            if topic is not None:
                changes.update(topic=topic, topic_entered_at=unit.at)
            if material is not None:
                changes["material"] = material
            if homework_due_lesson_id is not None:
                _check_due_lesson(lesson, _rules.require_lesson(unit.uow, homework_due_lesson_id))
                changes["homework_due_lesson_id"] = homework_due_lesson_id
            if homework is not None or individual_homework:
                changes["homework_entered_at"] = unit.at
                if homework is not None:
                    changes["homework"] = homework
                if individual_homework:
                    changes["individual_homework"] = tuple(individual_homework)
            if not changes:
                raise LESSON_NOTHING_TO_RECORD.error()
            updated = attrs.evolve(lesson, **changes)  # type: ignore[arg-type]
            unit.uow.lessons.update(updated)
            unit.record(
                action="lesson.content",
                entity="lesson",
                entity_id=lesson.id,
                before=lesson,
                after=updated,
                decision=decision,
            )
        return updated

    # -- movement orders (R10.1) ----------------------------------------------------------

    def apply_order(self, actor: Actor, at: datetime, order: Order) -> Order:
        """Enter a movement order: the book rebuilt from the stored orders must accept it (R10.1).

        The service stamps the order with the moment (``entered_at``) and the acting
        employee (``author_id``), stores it and makes the stored class memberships of its
        students those the book implies, so the stored orders always rebuild the book.

        Args:
            actor: The secretary, the deputy head or the administrator (``movement_book.write``).
            at: The moment of entry.
            order: The order.

        Returns:
            The stored order.

        Raises:
            PermissionDenied: If the actor may not edit the movement book.
            MovementError: If the book refuses the order (a withdrawal of a student never
                enrolled, a full class, a repeated number...); nothing is stored.
            ValidationError: For a year-end decision that disagrees with the annual marks
                of the order's year (R10.1c): a conditional promotion with a debt in a
                subject with a satisfactory annual mark (``order.debt_not_failing``), a
                promotion despite an unsatisfactory annual mark
                (``order.promotion_with_failing_mark``), a repeat year with every annual
                mark satisfactory (``order.repeat_without_failure``); a transfer into a
                class of another parallel (``order.transfer_to_other_parallel``, R10.1e);
                nothing is stored.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(Action.MOVEMENT_BOOK_WRITE, unit.target(year=order.year))
            check_year_end_decisions(unit.uow, order)
            check_transfers(unit.uow, order)
            stamped = attrs.evolve(order, entered_at=unit.at, author_id=unit.staff_card())
            book = _rules.rebuild_book(unit.uow, self._profile.movement)
            book.apply(stamped)
            unit.uow.orders.add(stamped)
            _rules.sync_memberships(unit.uow, book, stamped.student_ids)
            unit.record(
                action="order.apply",
                entity="order",
                entity_id=stamped.id,
                before=None,
                after=stamped,
                decision=decision,
            )
        return stamped

    # -- the rollover to the next year (R4.1, R4.4a, R4.5) ---------------------------------

    def roll_over(
        self,
        actor: Actor,
        at: datetime,
        *,
        on: date,
        classes: Sequence[PlannedClass] | None = None,
    ) -> RolloverRecord:
        """Move the year's decided students into the next year's classes, in one step (R4.4a).

        The book rebuilt from the stored orders plans the rollover with ``classes`` (by
        default the preliminary list, :meth:`~eschool_core.movement.MovementBook
        .next_year_classes`); the new classes are stored, the students' memberships follow
        the book, and the applied class list is stored as a
        :class:`~eschool_core.rollovers.RolloverRecord`, so the stored orders and rollovers
        always rebuild the book (:func:`~eschool_core.service.rebuild_book`).

        Args:
            actor: The administrator (``year.close``, R4.1).
            at: The moment.
            on: The first day in the new classes (1 September).
            classes: The corrected class list of the next year.

        Returns:
            The stored record.

        Raises:
            PermissionDenied: Unless the actor may close the year.
            RuleViolation: ``rollover.done`` if the year was rolled over already.
            MovementError: If the book refuses the plan (a full class, a student twice...).
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(Action.YEAR_CLOSE, unit.target(year=self._label))
            if unit.uow.rollovers.find(self._label) is not None:
                raise ROLLOVER_DONE.error(year=self._label)
            book = _rules.rebuild_book(unit.uow, self._profile.movement)
            wanted = list(classes) if classes is not None else book.next_year_classes(self._label)
            plan = book.plan_rollover(self._label, on, wanted)
            book.apply_rollover(plan)
            unit.uow.classes.add_many(plan.new_classes)
            record = RolloverRecord(
                id=self._label,
                year=self._label,
                on=on,
                classes=[
                    RolledClass(
                        class_id=item.school_class.id,
                        student_ids=item.student_ids,
                        source_class_ids=item.source_class_ids,
                    )
                    for item in wanted
                ],
                done_at=unit.at,
                done_by=unit.staff_card(),
            )
            unit.uow.rollovers.add(record)
            _rules.sync_memberships(unit.uow, book, book.students())
            unit.record(
                action="year.rollover",
                entity="rollover",
                entity_id=record.id,
                before=None,
                after=record,
                decision=decision,
            )
        return record


def _check_due_lesson(lesson: Lesson, due: Lesson) -> None:
    """Refuse a due lesson that is not a later lesson of the same subject, class or group.

    Raises:
        ValidationError: ``homework.due_elsewhere`` or ``homework.due_not_later``.
    """
    same = (due.subject_id, due.class_id, due.group_id)
    if same != (lesson.subject_id, lesson.class_id, lesson.group_id):
        raise HOMEWORK_DUE_ELSEWHERE.error(lesson_id=lesson.id, due_lesson_id=due.id)
    if (due.date, due.number) <= (lesson.date, lesson.number):
        raise HOMEWORK_DUE_NOT_LATER.error(
            lesson_id=lesson.id,
            date=lesson.date,
            number=lesson.number,
            due_lesson_id=due.id,
            due_date=due.date,
            due_number=due.number,
        )
