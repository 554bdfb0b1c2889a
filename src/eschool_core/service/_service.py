"""The write service: every change of a school's data as one authorized, audited command."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from fractions import Fraction

import attrs

from eschool_core.audit import AuditKind, AuditLog
from eschool_core.calendar import AcademicYear, StudyPeriod
from eschool_core.closures import PeriodClosure, closure_id, current_closure
from eschool_core.deadlines import ComplianceChecker, EditPolicy
from eschool_core.errors import NotFoundError, RuleViolation, ValidationError
from eschool_core.ids import AttendanceId, GuardianId, LessonId, MarkId, SchoolId, StudentId
from eschool_core.journal import (
    AbsenceReason,
    Attendance,
    AttendanceKind,
    AttestationKind,
    AttestationMark,
    IndividualHomework,
    Lesson,
    Mark,
    MarkEdit,
    MarkValue,
)
from eschool_core.movement import Order
from eschool_core.people import CardCategory, Consent, Guardian, Student
from eschool_core.profiles import Profile, default_profile
from eschool_core.rbac import Action, Actor, Decision, Target
from eschool_core.service import _rules
from eschool_core.service._unit import DirectoryFactory, Unit, not_found_school, require_moment
from eschool_core.storage import Store, UnitOfWork, UnitOfWorkDirectory

__all__ = ["MarkEntry", "SchoolService"]

_NO_REASON = ""


@attrs.frozen(kw_only=True)
class MarkEntry:
    """One current mark to enter for a lesson (R8.4.1).

    Attributes:
        mark_id: The id the host gives the new mark.
        student_id: The student.
        value: The mark (``5``, ``"н/а"``...).
        work_type: Code of the work type in the profile (``"answer"``).
        weight: The mark's own weight, if it overrides the work type's.
        late_reason: The valid reason of a late entry (R8.6), if one is stated.
    """

    mark_id: MarkId
    student_id: StudentId
    value: MarkValue | int | str
    work_type: str
    weight: Fraction | None = None
    late_reason: str | None = None


class SchoolService:
    """Every change a school's users make, as a command: write through it, read the store.

    Each command takes the acting account (:class:`~eschool_core.rbac.Actor`) and the
    moment (an aware ``datetime``) and, in **one** unit of work: authorizes it by the
    profile's role matrix (a denial raises ``PermissionDenied`` with the decision's
    explanation, R3.1c); applies the edit window and the period lock through the one
    :class:`~eschool_core.deadlines.EditPolicy` the compliance checker also uses (R8.6,
    R8.9; closed periods are stored state, :mod:`eschool_core.closures`); validates the
    change against the domain (a mark's history matches its value, the movement book
    accepts an order, R10.1); writes it and appends exactly one audit entry naming the
    account, the values before and after, the reason and the clause (R3.1b, R12.5). A
    command that raises leaves neither the change nor the entry.

    Args:
        store: Where the school's data lives; its units of work must have ``audit``.
        year: The academic year (its study periods place marks in periods).
        profile: The regulation profile (the role matrix, the deadline rules and the edit
            policy, the movement rules); the default profile by default.
        school_id: The school the commands act for; by default the store's only school.
        directory: Builds the authorizer's relation directory from a unit of work (default:
            :class:`~eschool_core.storage.UnitOfWorkDirectory`, reading through it).
        audit_key: The school's secret for the keyed audit chain, if the host keeps one.
    """

    def __init__(
        self,
        store: Store,
        *,
        year: AcademicYear,
        profile: Profile | None = None,
        school_id: SchoolId | None = None,
        directory: DirectoryFactory | None = None,
        audit_key: bytes | None = None,
    ) -> None:
        self._store = store
        self._year = year
        self._label = str(year.label)
        self._profile = profile or default_profile()
        self._school_id = school_id
        self._directory: DirectoryFactory = directory or UnitOfWorkDirectory
        self._audit_key = audit_key
        self._policy = self._profile.deadlines.edit_policy

    @property
    def store(self) -> Store:
        """The store (read through it; write through the service)."""
        return self._store

    @property
    def year(self) -> AcademicYear:
        """The academic year."""
        return self._year

    @property
    def profile(self) -> Profile:
        """The regulation profile."""
        return self._profile

    @property
    def edit_policy(self) -> EditPolicy:
        """The edit window and period lock every correction is judged by (R8.6, R8.9)."""
        return self._policy

    def compliance_checker(self) -> ComplianceChecker:
        """Return the compliance checker that judges corrections with :attr:`edit_policy`.

        Its verdicts on stored corrections are the service's: what the service refuses it
        reports unauthorised, what the service audits it reports audited (R8.6, R8.9).
        """
        return ComplianceChecker(
            self._profile.deadlines.rules,
            self._year.production,
            year=self._year,
            time_zone=self._policy.time_zone,
            edit_policy=self._policy,
        )

    def audit_log(self, uow: UnitOfWork) -> AuditLog:
        """Return the audit log over an entered unit of work's ``audit`` repository."""
        return AuditLog(uow.audit)

    # -- the command frame ----------------------------------------------------------------

    @contextmanager
    def _command(self, actor: Actor, at: datetime) -> Iterator[Unit]:
        moment = require_moment(at)
        if not isinstance(actor, Actor):
            raise ValidationError(
                f"Команду выполняет пользователь (Actor), получено {actor!r}",
                f"A command is done by an Actor, got {actor!r}",
                code="service.not_an_actor",
            )
        on = moment.astimezone(zoneinfo.ZoneInfo(self._policy.time_zone)).date()
        with self._store.unit_of_work() as uow:
            unit = Unit(
                uow,
                matrix=self._profile.rbac,
                directory=self._directory(uow),
                audit=self.audit_log(uow),
                actor=actor,
                at=moment,
                school_id=self._school(uow),
                on=on,
            )
            yield unit
            uow.commit()

    def _school(self, uow: UnitOfWork) -> SchoolId:
        if self._school_id is None:
            schools = uow.schools.all()
            if len(schools) != 1:
                raise not_found_school()
            self._school_id = schools[0].id
        return self._school_id

    def _lesson_target(self, unit: Unit, lesson: Lesson, student_id: StudentId | None) -> Target:
        return unit.target(
            class_id=lesson.class_id,
            group_id=lesson.group_id,
            subject_id=lesson.subject_id,
            student_id=student_id,
        )

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
                entry or a bad value; ``ConflictError`` for an id that exists.
            NotFoundError: For an unknown lesson.
        """
        with self._command(actor, at) as unit:
            marks = self._enter_marks(unit, lesson_id, entries)
        return marks

    def enter_mark(
        self, actor: Actor, at: datetime, lesson_id: LessonId, entry: MarkEntry
    ) -> Mark:
        """Enter one current mark (see :meth:`enter_marks`; R8.4.1, R8.6)."""
        return self.enter_marks(actor, at, lesson_id, (entry,))[0]

    def _enter_marks(
        self, unit: Unit, lesson_id: LessonId, entries: Sequence[MarkEntry]
    ) -> tuple[Mark, ...]:
        lesson = _rules.require_lesson(unit.uow, lesson_id)
        students = [entry.student_id for entry in entries]
        if not entries or len(set(students)) != len(students):
            raise ValidationError(
                "Нужна хотя бы одна отметка, не больше одной на ученика за команду",
                "At least one mark is needed, and at most one per student in a command",
                code="service.bad_entries",
                clause="8.4.1",
            )
        if lesson.date > unit.on:
            raise ValidationError(
                f"Урок {lesson.id} ({lesson.date}) ещё не прошёл: отметки за него не ставятся",
                f"Lesson {lesson.id} ({lesson.date}) is still to come: no marks for it yet",
                code="mark.future_lesson",
                clause="8.6",
                details={"lesson_id": lesson.id},
            )
        author = unit.staff_card()
        decision: Decision | None = None
        marks = []
        for entry in entries:
            decision = unit.authorize(
                Action.MARK_WRITE, self._lesson_target(unit, lesson, entry.student_id)
            )
            period = _rules.mark_period(unit.uow, self._year, entry.student_id, lesson.date, lesson)
            self._lock(unit, period, entry.late_reason)
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
        assert decision is not None  # noqa: S101 - entries are not empty
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

    def _lock(self, unit: Unit, period: StudyPeriod | None, reason: str | None) -> None:
        """Refuse a new entry into a closed period unless the deputy head reopens it (R8.9)."""
        if not _rules.period_closed(unit.uow, self._year, period, unit.at):
            return
        assert period is not None  # noqa: S101 - a closed period is a period
        verdict = self._policy.judge_mark_edit(
            period.end, unit.at, reason, True, {role.value for role in unit.actor.roles}
        )
        verdict.raise_if_refused({"period": str(period.code)})

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
        (audited, R8.6). In a closed study period only the deputy head corrects, with a
        reason (R8.9), under the right to reopen a period (``study_period.close``).

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
                without a correction; ``mark.unchanged`` for the same value.
            NotFoundError: For an unknown mark.
        """
        with self._command(actor, at) as unit:
            mark = unit.uow.marks.find(mark_id)
            if mark is None:
                raise NotFoundError.for_id("mark", mark_id)
            _rules.require_history(mark)
            edit_value = attrs.evolve(mark, value=value).value
            if edit_value == mark.value:
                raise ValidationError(
                    f"Отметка {mark.id} уже равна {mark.value}",
                    f"Mark {mark.id} is {mark.value} already",
                    code="mark.unchanged",
                    details={"id": mark.id},
                )
            lesson = unit.uow.lessons.find(mark.lesson_id) if mark.lesson_id else None
            period = _rules.mark_period(unit.uow, self._year, mark.student_id, mark.date, lesson)
            closed = _rules.period_closed(unit.uow, self._year, period, unit.at)
            decision, role = self._correction_right(unit, mark, lesson, closed)
            verdict = self._policy.judge_mark_edit(mark.date, unit.at, reason, closed, role)
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
        """The decision that grants a correction, and the role it is made under."""
        if lesson is not None:
            target = self._lesson_target(unit, lesson, mark.student_id)
        else:
            target = unit.target(subject_id=mark.subject_id, student_id=mark.student_id)
        if closed:
            reopen = unit.check(Action.STUDY_PERIOD_CLOSE, unit.target(year=self._label))
            if reopen.allowed and reopen.role is not None:
                return reopen, reopen.role.value
        decision = unit.authorize(Action.MARK_WRITE, target)
        assert decision.role is not None  # noqa: S101 - an allowed decision names its role
        return decision, decision.role.value

    # -- study periods (R8.9) ---------------------------------------------------------------

    def close_period(self, actor: Actor, at: datetime, period: str) -> PeriodClosure:
        """Close a study period of the year: its marks are then locked (R8.9).

        Args:
            actor: The deputy head (``study_period.close``).
            at: The moment of closing; not before the period's last day.
            period: The period's code (``"Q1"``).

        Returns:
            The stored closure.

        Raises:
            PermissionDenied: If the actor may not close periods.
            ValidationError: For a code no parallel of the year has.
            RuleViolation: ``period.already_closed``, or ``period.not_ended`` before the
                period's last day.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(
                Action.STUDY_PERIOD_CLOSE, unit.target(year=self._label)
            )
            last_day = self._period_end(period)
            closures = unit.uow.period_closures.for_year(self._label)
            if current_closure(closures, self._label, period) is not None:
                raise _period_rule("period.already_closed", period, "уже закрыт", "is closed")
            if unit.on < last_day:
                raise _period_rule(
                    "period.not_ended", period, f"идёт до {last_day}", f"lasts until {last_day}"
                )
            number = 1 + sum(1 for c in closures if c.period == period)
            closure = PeriodClosure(
                id=closure_id(self._label, period, number),
                year=self._label,
                period=period,
                closed_at=unit.at,
                closed_by=unit.staff_card(),
            )
            unit.uow.period_closures.add(closure)
            unit.record(
                action="study_period.close",
                entity="period_closure",
                entity_id=closure.id,
                before=None,
                after=closure,
                decision=decision,
            )
        return closure

    def reopen_period(
        self, actor: Actor, at: datetime, period: str, *, reason: str
    ) -> PeriodClosure:
        """Reopen a closed study period, with a stated reason (R8.9).

        Raises:
            PermissionDenied: If the actor may not reopen periods.
            RuleViolation: ``period.not_closed``, or ``deadlines.reopen_without_reason``.
            ValidationError: For an unknown period code.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(
                Action.STUDY_PERIOD_CLOSE, unit.target(year=self._label)
            )
            self._period_end(period)
            closures = unit.uow.period_closures.for_year(self._label)
            closure = current_closure(closures, self._label, period)
            if closure is None:
                raise _period_rule("period.not_closed", period, "не закрыт", "is not closed")
            if not (reason or _NO_REASON).strip():
                raise RuleViolation(
                    "Открытие закрытого периода требует указать причину",
                    "Reopening a closed period requires a stated reason",
                    code="deadlines.reopen_without_reason",
                    clause=self._policy.lock_clause,
                    details={"period": period},
                )
            reopened = attrs.evolve(
                closure, reopened_at=unit.at, reopened_by=unit.staff_card(), reopen_reason=reason
            )
            unit.uow.period_closures.update(reopened)
            unit.record(
                action="study_period.reopen",
                entity="period_closure",
                entity_id=closure.id,
                before=closure,
                after=reopened,
                decision=decision,
                reason=reopened.reopen_reason,
            )
        return reopened

    def _period_end(self, period: str) -> date:
        ends = [
            p.end
            for parallel in sorted(self._year.parallels)
            for p in self._year.periods(parallel)
            if str(p.code) == period
        ]
        if not ends:
            raise ValidationError(
                f"В учебном году {self._label} нет периода «{period}»",
                f"The academic year {self._label} has no period '{period}'",
                code="period.unknown",
                clause="8.9",
                details={"period": period},
            )
        return min(ends)

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
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(Action.MOVEMENT_BOOK_WRITE, unit.target(year=order.year))
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

        Raises:
            PermissionDenied: Unless the actor teaches the lesson's class or group.
            RuleViolation: ``deadlines.period_locked`` in a closed period (R8.9).
            ValidationError: For a lesson still to come or a bad kind or reason.
            NotFoundError: For an unknown lesson.
        """
        with self._command(actor, at) as unit:
            lesson = _rules.require_lesson(unit.uow, lesson_id)
            decision = unit.authorize(
                Action.ATTENDANCE_WRITE, self._lesson_target(unit, lesson, student_id)
            )
            if lesson.date > unit.on:
                raise ValidationError(
                    f"Урок {lesson.id} ({lesson.date}) ещё не прошёл",
                    f"Lesson {lesson.id} ({lesson.date}) is still to come",
                    code="attendance.future_lesson",
                    clause="8.6",
                    details={"lesson_id": lesson.id},
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
            PermissionDenied: Unless the actor is the student's class teacher.
            ValidationError: For the same reason, or a bad one.
            NotFoundError: For an unknown record.
        """
        with self._command(actor, at) as unit:
            record = unit.uow.attendance.find(attendance_id)
            if record is None:
                raise NotFoundError.for_id("attendance", attendance_id)
            decision = unit.authorize(
                Action.ABSENCE_REASON_WRITE, unit.target(student_id=record.student_id)
            )
            corrected = attrs.evolve(
                record,
                reason=AbsenceReason(reason),
                reason_corrected_at=unit.at,
                document_presented_on=document_presented_on or record.document_presented_on,
            )
            if corrected.reason == record.reason:
                raise ValidationError(
                    f"Причина пропуска {record.id} уже «{record.reason.value}»",
                    f"The absence {record.id} already has the reason '{record.reason.value}'",
                    code="attendance.unchanged",
                    clause="8.5.1",
                )
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
    ) -> Lesson:
        """Enter a lesson's topic, material and homework (R8.4.2, R8.6).

        Only what is given changes; a newly given topic or homework gets ``at`` as its
        entry moment.

        Raises:
            PermissionDenied: Unless the actor teaches the lesson's class or group.
            ValidationError: If nothing is given.
            NotFoundError: For an unknown lesson.
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
            if homework is not None or individual_homework:
                changes["homework_entered_at"] = unit.at
                if homework is not None:
                    changes["homework"] = homework
                if individual_homework:
                    changes["individual_homework"] = tuple(individual_homework)
            if not changes:
                raise ValidationError(
                    "Не указано ни темы, ни материала, ни задания",
                    "No topic, material or homework is given",
                    code="lesson.nothing_to_record",
                    clause="8.4.2",
                )
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

    # -- period, annual, exam and final marks (R8.7-R8.9) ------------------------------------

    def set_attestation_mark(
        self, actor: Actor, at: datetime, mark: AttestationMark, *, reason: str | None = None
    ) -> AttestationMark:
        """Set a period, annual, exam or final mark, or correct it (R8.4.1, R8.7, R8.8, R8.9).

        A mark with a new id is set; one with a stored id corrects it (a :class:`MarkEdit`
        records the change). The service stamps ``author_id`` and ``entered_at`` of a new
        mark. A period mark of a closed period is set or corrected only by the deputy head,
        with a reason (R8.9).

        Raises:
            PermissionDenied: Unless ``period_mark.write`` (period marks) or
                ``final_mark.write`` (the others) is granted for the student and subject.
            RuleViolation: ``deadlines.period_locked`` / ``deadlines.reopen_without_reason``.
            ValidationError: For another student, subject, kind or period under a stored id;
                ``mark.history_mismatch``; ``mark.unchanged``.
        """
        with self._command(actor, at) as unit:
            action = (
                Action.PERIOD_MARK_WRITE
                if mark.kind is AttestationKind.PERIOD
                else Action.FINAL_MARK_WRITE
            )
            target = unit.target(
                subject_id=mark.subject_id, student_id=mark.student_id, year=mark.year
            )
            stored = unit.uow.attestation_marks.find(mark.id)
            closed = self._attestation_closed(unit, mark)
            decision: Decision | None = None
            if closed:
                reopen = unit.check(Action.STUDY_PERIOD_CLOSE, unit.target(year=self._label))
                decision = reopen if reopen.allowed else None
            if decision is None:
                decision = unit.authorize(action, target)
            role = decision.role.value if decision.role is not None else ""
            verdict = self._policy.judge_mark_edit(
                unit.on, unit.at, reason, closed, {role} if closed else set()
            )
            if closed:
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
                clause=verdict.clause if closed else None,
                requirement=verdict.requirement if closed else None,
                reason=reason,
            )
        return result

    def _attestation_closed(self, unit: Unit, mark: AttestationMark) -> bool:
        if mark.kind is not AttestationKind.PERIOD or mark.period is None:
            return False
        if mark.year != self._label:
            return False
        closures = unit.uow.period_closures.for_year(self._label)
        return current_closure(closures, self._label, mark.period) is not None

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
            raise ValidationError(
                f"Отметка {stored.id} — другого ученика, предмета, года или вида",
                f"Mark {stored.id} is of another student, subject, year or kind",
                code="attestation.identity_changed",
                clause="8.9",
                details={"id": stored.id},
            )
        _rules.require_history(stored)
        if wanted.value == stored.value:
            raise ValidationError(
                f"Отметка {stored.id} уже равна {stored.value}",
                f"Mark {stored.id} is {stored.value} already",
                code="mark.unchanged",
                details={"id": stored.id},
            )
        edit = MarkEdit(
            at=unit.at,
            by=unit.staff_card(),
            old_value=stored.value,
            new_value=wanted.value,
            reason=reason,
            role=role or None,
        )
        return attrs.evolve(stored, value=wanted.value, edits=(*stored.edits, edit))

    # -- personal cards and consents (R6.1-R6.5, R3.1b) -----------------------------------------

    def update_student_card(self, actor: Actor, at: datetime, student: Student) -> Student:
        """Replace a stored student's card (the class teacher keeps it up to date, R6.4).

        Raises:
            PermissionDenied: Unless ``student_card.write`` is granted for the student.
            NotFoundError: For an unknown student.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(
                Action.STUDENT_CARD_WRITE, unit.target(student_id=student.id)
            )
            before = unit.uow.students.get(student.id)
            unit.uow.students.update(student)
            unit.record(
                action="student_card.write",
                entity="student",
                entity_id=student.id,
                before=before,
                after=student,
                decision=decision,
            )
        return student

    def update_guardian_card(self, actor: Actor, at: datetime, guardian: Guardian) -> Guardian:
        """Replace a stored parent's card (the class teacher of a child keeps it, R6.4).

        Raises:
            PermissionDenied: Unless ``parent_card.write`` is granted for the guardian.
            NotFoundError: For an unknown guardian.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(
                Action.PARENT_CARD_WRITE, unit.target(guardian_id=guardian.id)
            )
            before = unit.uow.guardians.get(guardian.id)
            unit.uow.guardians.update(guardian)
            unit.record(
                action="parent_card.write",
                entity="guardian",
                entity_id=guardian.id,
                before=before,
                after=guardian,
                decision=decision,
            )
        return guardian

    def record_consent(self, actor: Actor, at: datetime, consent: Consent) -> Consent:
        """Store a consent to personal-data processing, new or changed (withdrawn) (R6.1).

        The right is that of keeping the data subject's card: ``student_card.write``,
        ``parent_card.write`` or ``staff_card.write``.

        Raises:
            PermissionDenied: Unless the actor keeps the subject's card.
        """
        with self._command(actor, at) as unit:
            action, target = {
                CardCategory.STUDENT: (
                    Action.STUDENT_CARD_WRITE,
                    unit.target(student_id=consent.subject_id),
                ),
                CardCategory.GUARDIAN: (
                    Action.PARENT_CARD_WRITE,
                    unit.target(guardian_id=consent.subject_id),
                ),
                CardCategory.EMPLOYEE: (
                    Action.STAFF_CARD_WRITE,
                    unit.target(employee_id=consent.subject_id),
                ),
            }[consent.category]
            decision = unit.authorize(action, target)
            before = unit.uow.consents.find(consent.id)
            if before is None:
                unit.uow.consents.add(consent)
            else:
                unit.uow.consents.update(consent)
            unit.record(
                action="consent.write",
                entity="consent",
                entity_id=consent.id,
                before=before,
                after=consent,
                decision=decision,
                clause="6.1",
                requirement="R6.1",
            )
        return consent

    def read_student_card(self, actor: Actor, at: datetime, student_id: StudentId) -> Student:
        """Return a student's card; the access is logged (R3.1b, 152-FZ).

        The read is an audit entry of kind ``decision`` (who read which card, under which
        matrix cell), committed with nothing else.

        Raises:
            PermissionDenied: Unless ``student_card.read`` is granted for the student.
            NotFoundError: For an unknown student.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(Action.STUDENT_CARD_READ, unit.target(student_id=student_id))
            student = unit.uow.students.get(student_id)
            unit.record(
                action="student_card.read",
                entity="student",
                entity_id=student_id,
                before=None,
                after=decision.to_json(),
                decision=decision,
                kind=AuditKind.DECISION,
            )
        return student

    def read_guardian_card(self, actor: Actor, at: datetime, guardian_id: GuardianId) -> Guardian:
        """Return a parent's card; the access is logged (R3.1b).

        Raises:
            PermissionDenied: Unless ``parent_card.read`` is granted for the guardian.
            NotFoundError: For an unknown guardian.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(Action.PARENT_CARD_READ, unit.target(guardian_id=guardian_id))
            guardian = unit.uow.guardians.get(guardian_id)
            unit.record(
                action="parent_card.read",
                entity="guardian",
                entity_id=guardian_id,
                before=None,
                after=decision.to_json(),
                decision=decision,
                kind=AuditKind.DECISION,
            )
        return guardian


def _period_rule(code: str, period: str, ru: str, en: str) -> RuleViolation:
    return RuleViolation(
        f"Учебный период {period} {ru}",
        f"Study period {period} {en}",
        code=code,
        clause="8.9",
        details={"period": period},
    )
