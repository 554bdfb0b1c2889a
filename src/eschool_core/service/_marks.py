"""Commands on current and attestation marks (R8.4.1, R8.6-R8.9)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from eschool_core.closures import locked_for
from eschool_core.errors import NotFoundError
from eschool_core.ids import LessonId, MarkId
from eschool_core.journal import (
    FINAL_MARK_PARALLELS,
    AttestationKind,
    AttestationMark,
    Lesson,
    Mark,
    MarkEdit,
    MarkValue,
)
from eschool_core.rbac import Action, Actor, Decision
from eschool_core.service import _rules
from eschool_core.service._base import ServiceBase
from eschool_core.service._errors import (
    ATTESTATION_IDENTITY_CHANGED,
    ATTESTATION_KIND_NOT_FOR_PARALLEL,
    ATTESTATION_PERIOD_NOT_IN_SCHEME,
    MARK_CORRECTED_BEFORE_ENTERED,
    MARK_FUTURE_LESSON,
    MARK_UNCHANGED,
    SERVICE_BAD_ENTRIES,
)
from eschool_core.service._inputs import MarkEntry
from eschool_core.service._unit import Unit, denial

__all__: list[str] = ["MarkCommands"]


class MarkCommands(ServiceBase):
    """Entering and correcting current marks; setting period, annual, exam and final marks."""

    # -- current marks (R8.4.1, R8.6, R8.9) ---------------------------------------------------

    def enter_marks(
        self, actor: Actor, at: datetime, lesson_id: LessonId, entries: Sequence[MarkEntry]
    ) -> tuple[Mark, ...]:
        """Enter a lesson's current marks in one command (R8.4.1, R8.6).

        Args:
            actor: The subject teacher (``mark.write`` for each student, R8.4.1).
            at: The moment of entry; it is each mark's ``entered_at``.
            lesson_id: The lesson the marks are for (their subject and day).
            entries: The marks; at least one, each student once.

        Returns:
            The stored marks.

        Raises:
            PermissionDenied: If the actor may not set one of the marks.
            RuleViolation: ``deadlines.period_locked`` if the lesson's period is closed and
                the actor is not the deputy head (R8.9).
            ValidationError: For no entries, a student twice, a lesson after the day of
                entry or a value off the scale (``mark.out_of_scale``); a work type the
                profile's grading policy does not know (``grading.unknown_work_type``) or
                an own weight outside its range (``grading.weight_out_of_range``);
                ``ConflictError`` for an id that exists.
            NotFoundError: For an unknown lesson.
        """
        with self._command(actor, at) as unit:
            return self._enter_marks(unit, lesson_id, entries)

    def enter_mark(self, actor: Actor, at: datetime, lesson_id: LessonId, entry: MarkEntry) -> Mark:
        """Enter one current mark (see :meth:`enter_marks`; R8.4.1, R8.6)."""
        return self.enter_marks(actor, at, lesson_id, (entry,))[0]

    def _enter_marks(
        self, unit: Unit, lesson_id: LessonId, entries: Sequence[MarkEntry]
    ) -> tuple[Mark, ...]:
        lesson = _rules.require_lesson(unit.uow, lesson_id)
        students = [entry.student_id for entry in entries]
        if not entries or len(set(students)) != len(students):
            raise SERVICE_BAD_ENTRIES.error()
        if lesson.date > unit.on:
            raise MARK_FUTURE_LESSON.error(details={"lesson_id": lesson.id}, date=lesson.date)
        author = unit.staff_card()
        decision = self._seated(unit, Action.MARK_WRITE, lesson, students, "mark.not_in_class")
        class_period = None
        if lesson.class_id is not None:
            class_period = _rules.mark_period(
                unit.uow, self._year, students[0], lesson.date, lesson
            )
        grading = unit.rules.grading
        for entry in entries:  # the profile's work types and weights (R8.2, R2.2j)
            grading.weight_of(entry.work_type, entry.weight)
        marks = []
        for entry in entries:
            if lesson.class_id is None:
                period = _rules.mark_period(
                    unit.uow, self._year, entry.student_id, lesson.date, lesson
                )
            else:
                period = class_period
            class_id = lesson.class_id or _rules.class_on(unit.uow, entry.student_id, lesson.date)
            scope = (class_id, lesson.subject_id, unit.actor.employee_id)
            self._lock(unit, period, entry.late_reason, scope)
            marks.append(
                Mark(
                    id=entry.mark_id,
                    student_id=entry.student_id,
                    subject_id=lesson.subject_id,
                    date=lesson.date,
                    lesson_id=lesson.id,
                    value=entry.value,
                    work_type=entry.work_type,
                    weight=entry.weight,
                    author_id=author,
                    entered_at=unit.at,
                    late_reason=entry.late_reason,
                )
            )
        unit.uow.marks.add_many(marks)
        unit.record(
            action="mark.enter",
            entity="mark",
            entity_id=[mark.id for mark in marks],
            before=None,
            after=marks,
            decision=decision,
        )
        return tuple(marks)

    def correct_mark(
        self,
        actor: Actor,
        at: datetime,
        mark_id: MarkId,
        value: MarkValue | int | str,
        *,
        reason: str | None = None,
    ) -> Mark:
        """Correct a current mark: its value changes and a :class:`MarkEdit` records it.

        Within the edit window the subject teacher corrects freely; after it, with a reason
        (audited, R8.6). A closed study period is reopened first (:meth:`reopen_period`),
        then the subject teacher corrects (R8.4.1, R8.9, R8.10); a profile whose period-lock
        rule has ``reopen_role_corrects`` lets the deputy head correct it himself, with a
        reason, under the right to reopen it (``study_period.reopen``).

        Args:
            actor: Who corrects.
            at: The moment of the correction.
            mark_id: The mark.
            value: The new value.
            reason: The stated reason.

        Returns:
            The stored mark, its history ending in the new value.

        Raises:
            PermissionDenied: If the actor may not correct it.
            RuleViolation: ``deadlines.edit_without_reason``, ``deadlines.period_locked`` or
                ``deadlines.reopen_without_reason`` (the edit policy's verdicts).
            ValidationError: ``mark.history_mismatch`` if the stored value was changed
                without a correction; ``mark.unchanged`` for the same value;
                ``mark.corrected_before_entered`` for a moment before the mark's entry.
            NotFoundError: For an unknown mark.
        """
        with self._command(actor, at) as unit:
            mark = unit.uow.marks.find(mark_id)
            if mark is None:
                raise NotFoundError.for_id("mark", mark_id)
            _rules.require_history(mark)
            if unit.at < mark.entered_at:
                raise MARK_CORRECTED_BEFORE_ENTERED.error(
                    details={"id": mark.id}, entered_at=mark.entered_at
                )
            edit_value = attrs.evolve(mark, value=value).value
            if edit_value == mark.value:
                raise MARK_UNCHANGED.error(details={"id": mark.id}, value=mark.value)
            lesson = unit.uow.lessons.find(mark.lesson_id) if mark.lesson_id else None
            period = _rules.mark_period(unit.uow, self._year, mark.student_id, mark.date, lesson)
            class_id = lesson.class_id if lesson is not None and lesson.class_id else None
            scope = (
                class_id or _rules.class_on(unit.uow, mark.student_id, mark.date),
                mark.subject_id,
                unit.actor.employee_id,
            )
            closed = _rules.period_locked(unit.uow, self._year, period, unit.at, scope)
            decision, role = self._correction_right(unit, mark, lesson, closed)
            verdict = unit.rules.edit_policy.judge_mark_edit(
                mark.date, unit.at, reason, closed, role
            )
            verdict.raise_if_refused({"mark_id": mark.id, "by": unit.actor.account_id})
            edit = MarkEdit(
                at=unit.at,
                by=unit.staff_card(),
                old_value=mark.value,
                new_value=edit_value,
                reason=reason,
                role=role,
            )
            corrected = attrs.evolve(mark, value=edit_value, edits=(*mark.edits, edit))
            unit.uow.marks.update(corrected)
            unit.record(
                action="mark.correct",
                entity="mark",
                entity_id=mark.id,
                before=mark,
                after=corrected,
                decision=decision,
                clause=verdict.clause,
                requirement=verdict.requirement,
                reason=edit.reason,
            )
        return corrected

    def _correction_right(
        self, unit: Unit, mark: Mark, lesson: Lesson | None, closed: bool
    ) -> tuple[Decision, str]:
        """The decision that grants a correction, and the role it is made under.

        The student is judged on the lesson's day: the teacher of the class or group he was
        in then corrects it, wherever he is now (R8.4.1).
        """
        if closed and unit.rules.edit_policy.reopen_role_corrects:
            reopen = unit.check(Action.STUDY_PERIOD_REOPEN, unit.target(year=self._label))
            if reopen.allowed and reopen.role is not None:
                return reopen, reopen.role.value
        if lesson is not None:
            decision = self._seated(
                unit, Action.MARK_WRITE, lesson, (mark.student_id,), "mark.not_in_class"
            )
        else:
            class_id = _rules.class_on(unit.uow, mark.student_id, mark.date)
            target = unit.target(
                subject_id=mark.subject_id,
                class_id=class_id,
                student_id=mark.student_id if class_id is None else None,
            )
            decision = unit.authorize(Action.MARK_WRITE, target)
        assert decision.role is not None  # noqa: S101 - an allowed decision names its role
        return decision, decision.role.value

    # -- period, annual, exam and final marks (R8.7-R8.9) ------------------------------------

    def set_attestation_mark(
        self, actor: Actor, at: datetime, mark: AttestationMark, *, reason: str | None = None
    ) -> AttestationMark:
        """Set a period, annual, exam or final mark, or correct it (R8.4.1, R8.7, R8.8, R8.9).

        A mark with a new id is set; one with a stored id corrects it (a :class:`MarkEdit`
        records the change). The service stamps ``author_id`` and ``entered_at`` of a new
        mark. A period mark of a closed period is set or corrected after the period is
        reopened (R8.9, R8.10), or, where the profile lets him (``reopen_role_corrects``), by
        the deputy head with a reason. A subgroup's or cross-class group's teacher sets the
        marks of its members (R8.7a, R8.8).

        Raises:
            PermissionDenied: Unless ``period_mark.write`` (period marks) or
                ``final_mark.write`` (the others) is granted for the student and subject.
            RuleViolation: ``deadlines.period_locked`` / ``deadlines.reopen_without_reason``.
            ValidationError: For another student, subject, kind or period under a stored id;
                ``mark.history_mismatch``; ``mark.unchanged``;
                ``attestation.kind_not_for_parallel`` for an exam or final mark of a
                student outside grades 9 and 11 (R8.4.1);
                ``attestation.period_not_in_scheme`` for a period that the study-period
                scheme of the student's parallel does not have (R8.7).
        """
        with self._command(actor, at) as unit:
            action = (
                Action.PERIOD_MARK_WRITE
                if mark.kind is AttestationKind.PERIOD
                else Action.FINAL_MARK_WRITE
            )
            stored = unit.uow.attestation_marks.find(mark.id)
            closed = self._attestation_closed(unit, mark)
            decision: Decision | None = None
            if closed and unit.rules.edit_policy.reopen_role_corrects:
                reopen = unit.check(Action.STUDY_PERIOD_REOPEN, unit.target(year=self._label))
                decision = reopen if reopen.allowed else None
            if decision is None:
                decision = self._attestation_right(unit, action, mark)
            role = decision.role.value if decision.role is not None else ""
            self._check_attestation(unit, mark)
            verdict = None
            if closed:  # the period lock (R8.9): reopened first, or the deputy head if allowed
                verdict = unit.rules.edit_policy.judge_mark_edit(
                    unit.on, unit.at, reason, period_closed=True, roles={role}
                )
                verdict.raise_if_refused({"mark_id": mark.id})
            if stored is None:
                result = attrs.evolve(
                    mark, author_id=unit.staff_card(), entered_at=unit.at, edits=()
                )
                unit.uow.attestation_marks.add(result)
            else:
                result = self._correct_attestation(unit, stored, mark, reason, role)
                unit.uow.attestation_marks.update(result)
            unit.record(
                action="attestation_mark.set",
                entity="attestation_mark",
                entity_id=mark.id,
                before=stored,
                after=result,
                decision=decision,
                clause=None if verdict is None else verdict.clause,
                requirement=None if verdict is None else verdict.requirement,
                reason=reason,
            )
        return result

    def _check_attestation(self, unit: Unit, mark: AttestationMark) -> None:
        """Refuse a kind or a period the student's parallel does not have (R8.4.1, R8.7).

        The parallel is that of the student's class in the mark's year: the class he is in on
        the day of the command, else the last he was in that year. A student with no class
        that year (taught in groups only) is judged by no parallel. The periods are checked
        for the service's own year, whose calendar the service holds.

        Raises:
            ValidationError: ``attestation.kind_not_for_parallel`` or
                ``attestation.period_not_in_scheme``.
        """
        parallel = _parallel_in_year(unit, mark)
        if parallel is None:
            return
        exam_or_final = mark.kind in (AttestationKind.EXAM, AttestationKind.FINAL)
        if exam_or_final and parallel not in FINAL_MARK_PARALLELS:
            raise ATTESTATION_KIND_NOT_FOR_PARALLEL.error(
                kind=mark.kind.value, student_id=mark.student_id, parallel=parallel
            )
        if mark.period is None or mark.year != self._label:
            return
        known = (
            [period.code for period in self._year.periods(parallel)]
            if parallel in self._year.parallels
            else []
        )
        if mark.period not in known:
            raise ATTESTATION_PERIOD_NOT_IN_SCHEME.error(
                period=mark.period, parallel=parallel, known=", ".join(known) or "—"
            )

    def _attestation_right(self, unit: Unit, action: Action, mark: AttestationMark) -> Decision:
        """Authorize an attestation mark through the student's class, else one of his groups.

        A subject taught to a subgroup or a cross-class group is the group teacher's: he
        sets its members' period, annual, exam and final marks (R8.7a, R8.8).

        Raises:
            PermissionDenied: The class decision's denial if no group grants it either.
        """
        target = unit.target(subject_id=mark.subject_id, student_id=mark.student_id, year=mark.year)
        decision = unit.check(action, target)
        if decision.allowed:
            return decision
        for group in unit.uow.groups.for_year(mark.year):
            if group.subject_id != mark.subject_id or mark.student_id not in group.student_ids:
                continue
            by_group = unit.check(action, attrs.evolve(target, group_id=group.id))
            if by_group.allowed:
                return by_group
        raise denial(decision)

    def _attestation_closed(self, unit: Unit, mark: AttestationMark) -> bool:
        if mark.kind is not AttestationKind.PERIOD or mark.period is None:
            return False
        if mark.year != self._label:
            return False
        closures = unit.uow.period_closures.for_year(self._label)
        class_id = _rules.class_on(unit.uow, mark.student_id, unit.on)
        scope = (class_id, mark.subject_id, unit.actor.employee_id)
        return locked_for(closures, self._label, mark.period, unit.at, scope)

    def _correct_attestation(
        self,
        unit: Unit,
        stored: AttestationMark,
        wanted: AttestationMark,
        reason: str | None,
        role: str,
    ) -> AttestationMark:
        same = (stored.student_id, stored.subject_id, stored.year, stored.kind, stored.period)
        if same != (wanted.student_id, wanted.subject_id, wanted.year, wanted.kind, wanted.period):
            raise ATTESTATION_IDENTITY_CHANGED.error(id=stored.id)
        _rules.require_history(stored)
        if wanted.value == stored.value:
            raise MARK_UNCHANGED.error(details={"id": stored.id}, value=stored.value)
        edit = MarkEdit(
            at=unit.at,
            by=unit.staff_card(),
            old_value=stored.value,
            new_value=wanted.value,
            reason=reason,
            role=role or None,
        )
        return attrs.evolve(stored, value=wanted.value, edits=(*stored.edits, edit))


def _parallel_in_year(unit: Unit, mark: AttestationMark) -> int | None:
    """The parallel of the student's class in the mark's year, or ``None`` if he has none.

    The class held on the day of the command wins; else the one he joined last that year.
    """
    classes = []
    for membership in unit.uow.memberships.for_student(mark.student_id):
        school_class = unit.uow.classes.find(membership.class_id)
        if school_class is not None and school_class.year == mark.year:
            held = membership.holds_on(unit.on)
            classes.append((held, membership.since, membership.id, school_class.parallel))
    return max(classes)[3] if classes else None
