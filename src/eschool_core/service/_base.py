"""The write service's frame: its settings and the one unit of work of each command."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from eschool_core.accounts import AccountStore, PasswordHasher
from eschool_core.audit import AuditLog, CheckpointSink
from eschool_core.calendar import AcademicYear, StudyPeriod
from eschool_core.deadlines import ComplianceChecker, EditPolicy
from eschool_core.errors import ValidationError
from eschool_core.ids import SchoolId, StudentId
from eschool_core.journal import (
    Lesson,
)
from eschool_core.profiles import Profile, default_profile
from eschool_core.rbac import Action, Actor, Decision, Target
from eschool_core.service import _rules
from eschool_core.service._unit import DirectoryFactory, Unit, not_found_school, require_moment
from eschool_core.storage import Store, UnitOfWork, UnitOfWorkDirectory

__all__: list[str] = ["ServiceBase"]


class ServiceBase:
    """The service's construction, its settings and the frame every command runs in.

    See :class:`~eschool_core.service.SchoolService` for the arguments.
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
        accounts: AccountStore | None = None,
        hasher: PasswordHasher | None = None,
        checkpoint_sink: CheckpointSink | None = None,
    ) -> None:
        self._store = store
        self._accounts = accounts
        self._hasher = hasher
        self._year = year
        self._label = str(year.label)
        self._profile = profile or default_profile()
        self._school_id = school_id
        self._directory: DirectoryFactory = directory or UnitOfWorkDirectory
        self._audit_key = audit_key
        self._policy = self._profile.deadlines.edit_policy
        self._sink = checkpoint_sink

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
        """Return the audit log over an entered unit of work's ``audit`` repository.

        With the service's ``audit_key`` the entries are keyed (HMAC-SHA256, R3.1b), so an
        append made without the key is detected by :meth:`AuditLog.verify` with it. A
        checkpoint is taken after every ``checkpoint_every`` entries of the profile's
        ``[audit]`` section; the command sends what it took (:attr:`AuditLog.taken`) to
        the checkpoint sink once it committed.
        """
        return AuditLog(
            uow.audit,
            key=self._audit_key,
            checkpoint_every=self._profile.audit.checkpoint_every,
        )

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
        if self._sink is not None:
            for checkpoint in unit.audit.taken:  # only what was committed reaches the sink
                self._sink(checkpoint)

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

    def _seated(
        self, unit: Unit, action: Action, lesson: Lesson, students: Sequence[StudentId], code: str
    ) -> Decision:
        """Authorize ``action`` at a lesson for its students, judging them on the lesson's day.

        The actor must teach the lesson's class or group and subject (on the command's day),
        and every student must have been in that class or group on the day of the lesson,
        wherever he is now (R8.4.1): a pupil moved to another class keeps his marks and
        absences of his former class with its teacher, and gains none before he came.

        Raises:
            PermissionDenied: If the actor does not teach the lesson's class or group.
            ValidationError: ``code`` for a student who was not there that day.
        """
        decision = unit.authorize(action, self._lesson_target(unit, lesson, None))
        if lesson.class_id is not None:
            _rules.require_members(unit.uow, lesson, students, code=code)
        else:
            for student_id in students:
                _rules.require_group_member(unit.directory, lesson, student_id, code=code)
        return decision

    def _lock(self, unit: Unit, period: StudyPeriod | None, reason: str | None) -> None:
        """Refuse a new entry into a closed period unless the deputy head reopens it (R8.9)."""
        key = ("closed", None if period is None else str(period.code))
        closed = unit.memo(key, lambda: _rules.period_closed(unit.uow, self._year, period, unit.at))
        if not closed:
            return
        assert period is not None  # noqa: S101 - a closed period is a period
        verdict = self._policy.judge_mark_edit(
            period.end,
            unit.at,
            reason,
            period_closed=True,
            roles={role.value for role in unit.actor.roles},
        )
        verdict.raise_if_refused({"period": str(period.code)})
