"""The write service's frame: its settings and the one unit of work of each command."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from eschool_core.accounts import AccountStore, PasswordHasher
from eschool_core.audit import AuditLog, CheckpointSink
from eschool_core.calendar import AcademicYear, StudyPeriod
from eschool_core.deadlines import ComplianceChecker, EditPolicy
from eschool_core.ids import SchoolId, StudentId
from eschool_core.journal import (
    Lesson,
)
from eschool_core.profiles import Profile, ProfileRules, default_profile, rules_for
from eschool_core.rbac import Action, Actor, Decision, Target
from eschool_core.school import School
from eschool_core.service import _rules
from eschool_core.service._errors import SERVICE_NOT_AN_ACTOR
from eschool_core.service._unit import DirectoryFactory, Unit, require_moment
from eschool_core.storage import Store, UnitOfWork, UnitOfWorkDirectory
from eschool_core.year_data import require_school

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
        self._rules: ProfileRules | None = None
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

    def rules(self) -> ProfileRules:
        """Return the profile's rules in the school's time zone, read from the store.

        The school is the store's (:func:`~eschool_core.year_data.require_school`), so its
        own ``time_zone`` is the one every command and the checker judge a day in.

        Raises:
            NotFoundError: ``store.no_school`` for a store without a school,
                ``school.not_found`` for a ``school_id`` the store does not hold.
            ValidationError: ``store.school_required`` for several schools and no
                ``school_id``.
        """
        with self._store.unit_of_work() as uow:
            return self._rules_of(self._school(uow))

    @property
    def edit_policy(self) -> EditPolicy:
        """The edit window and period lock every correction is judged by (R8.6, R8.9).

        It judges days in the school's time zone (see :meth:`rules`).
        """
        return self.rules().edit_policy

    def compliance_checker(self) -> ComplianceChecker:
        """Return the compliance checker that judges corrections with :attr:`edit_policy`.

        It is :meth:`rules`' checker, so its verdicts on stored corrections are the
        service's: what the service refuses it reports unauthorised, what the service
        audits it reports audited (R8.6, R8.9), in the same time zone.
        """
        return self.rules().checker

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
            raise SERVICE_NOT_AN_ACTOR.error(actor=actor)
        with self._store.unit_of_work() as uow:
            school = self._school(uow)
            rules = self._rules_of(school)
            unit = Unit(
                uow,
                matrix=self._profile.rbac,
                directory=self._directory(uow),
                audit=self.audit_log(uow),
                actor=actor,
                at=moment,
                school_id=school.id,
                on=moment.astimezone(school.zone).date(),
                rules=rules,
            )
            yield unit
            uow.commit()
        if self._sink is not None:
            for checkpoint in unit.audit.taken:  # only what was committed reaches the sink
                self._sink(checkpoint)

    def _school(self, uow: UnitOfWork) -> School:
        school = require_school(uow, self._school_id)
        self._school_id = school.id
        return school

    def _rules_of(self, school: School) -> ProfileRules:
        """The rules in ``school``'s zone, rebuilt only when the zone changed."""
        if self._rules is None or self._rules.time_zone != school.time_zone:
            self._rules = rules_for(self._profile, self._year, school)
        return self._rules

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

    def _lock(
        self,
        unit: Unit,
        period: StudyPeriod | None,
        reason: str | None,
        scope: tuple[str | None, str, str | None] | None = None,
    ) -> None:
        """Refuse a new entry into a closed period unless the deputy head reopens it (R8.9).

        A reopened period admits only the marks of the class, subject and teacher it was
        reopened for (``scope``: class, subject, teacher; R8.10); an entry without a
        ``scope`` (attendance) is refused while the period is reopened as well.
        """
        key = ("closed", None if period is None else str(period.code), scope)
        wanted = scope if scope is not None else (None, "", None)
        closed = unit.memo(
            key, lambda: _rules.period_locked(unit.uow, self._year, period, unit.at, wanted)
        )
        if not closed:
            return
        assert period is not None  # noqa: S101 - a closed period is a period
        verdict = unit.rules.edit_policy.judge_mark_edit(
            period.end,
            unit.at,
            reason,
            period_closed=True,
            roles={role.value for role in unit.actor.roles},
        )
        verdict.raise_if_refused({"period": str(period.code)})
