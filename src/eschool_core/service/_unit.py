"""One command's unit of work: the transaction, the authorizer over it and its audit entry."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar, cast

from eschool_core import _validation as v
from eschool_core.audit import AuditKind, AuditLog, to_jsonable
from eschool_core.errors import ACCESS_DENIED, Language, PermissionDenied
from eschool_core.ids import (
    ClassId,
    EmployeeId,
    GroupId,
    GuardianId,
    SchoolId,
    StudentId,
    SubjectId,
)
from eschool_core.profiles import ProfileRules
from eschool_core.rbac import Action, Actor, Authorizer, Decision, Directory, RoleMatrix, Target
from eschool_core.service._errors import SERVICE_DOUBLE_RECORD
from eschool_core.storage import UnitOfWork
from eschool_core.texts import Text

__all__ = ["Unit", "require_moment"]

_T = TypeVar("_T")


def require_moment(at: object) -> datetime:
    """Return ``at`` if it is a timezone-aware ``datetime``.

    Raises:
        ValidationError: ``value.naive_datetime`` or ``value.not_a_datetime``.
    """
    if not isinstance(at, datetime):
        raise v.VALUE_NOT_A_DATETIME.error(field="at", value=repr(at))
    if at.tzinfo is None or at.utcoffset() is None:
        raise v.VALUE_NAIVE_DATETIME.error(field="at", value=at.isoformat())
    return at


class Unit:
    """The entered unit of work of one command, with its authorizer and audit log.

    A command calls :meth:`authorize` (a denial raises before anything is written), reads
    and writes through :attr:`uow`, and calls :meth:`record` exactly once; the service
    commits only after the command returned, so a command that raises leaves neither its
    change nor its entry.

    Args:
        uow: The entered unit of work.
        matrix: The role matrix.
        directory: The actor's relations, answered from ``uow``.
        audit: The audit log over ``uow.audit`` (the same transaction).
        actor: Who acts.
        at: The moment of the command.
        school_id: The school the command belongs to.
        on: The school-time day of ``at`` (relations are judged on it).
        rules: The profile's rules in the school's time zone (the edit policy the command
            enforces, the checker of its reports).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        matrix: RoleMatrix,
        directory: Directory,
        audit: AuditLog,
        actor: Actor,
        at: datetime,
        school_id: SchoolId,
        on: date,
        rules: ProfileRules,
    ) -> None:
        self.uow = uow
        self.directory: Directory = _CachedDirectory(directory)
        self.authorizer = Authorizer(matrix, self.directory)
        self._memo: dict[Hashable, Any] = {}
        self.audit = audit
        self.actor = actor
        self.at = at
        self.school_id = school_id
        self.on = on
        self.rules = rules
        self.recorded = 0

    def memo(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """Return ``compute()``, computed once per command for ``key``."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast("_T", self._memo[key])

    def target(self, **ids: Any) -> Target:  # noqa: ANN401 - Target's optional ids
        """Return a :class:`~eschool_core.rbac.Target` in this school."""
        return Target(school_id=self.school_id, **ids)

    def check(self, action: Action, target: Target) -> Decision:
        """Return the authorizer's decision on ``action`` for this command's actor and day."""
        return self.authorizer.check(self.actor, action, target, on=self.on)

    def authorize(self, action: Action, target: Target) -> Decision:
        """Return the granting decision, or raise the denial (R3.1c).

        Raises:
            PermissionDenied: ``access.denied`` with the decision's explanation.
        """
        decision = self.check(action, target)
        if not decision.allowed:
            raise denial(decision)
        return decision

    def authorize_any(self, actions: Sequence[Action], target: Target) -> Decision:
        """Return the decision of the first of ``actions`` granted, or raise the first denial.

        Raises:
            PermissionDenied: ``access.denied`` if none is granted (R3.1c).
        """
        decisions = [self.check(action, target) for action in actions]
        granted = next((decision for decision in decisions if decision.allowed), None)
        if granted is None:
            raise denial(decisions[0])
        return granted

    def staff_card(self) -> EmployeeId:
        """Return the acting employee's id (corrections and orders name the employee).

        Raises:
            PermissionDenied: If the actor has no staff card.
        """
        if self.actor.employee_id is None:
            raise ACCESS_DENIED.error(
                details={"account_id": self.actor.account_id},
                reason=Text(
                    "Действие выполняет только сотрудник (нет карточки сотрудника)",
                    "Only an employee may do this (the actor has no staff card)",
                ),
            )
        return self.actor.employee_id

    def record(
        self,
        *,
        action: str,
        entity: str,
        entity_id: str | list[str],
        before: object,
        after: object,
        decision: Decision,
        clause: str | None = None,
        requirement: str | None = None,
        reason: str | None = None,
        kind: AuditKind = AuditKind.CHANGE,
        changed_fields: list[str] | None = None,
    ) -> None:
        """Append the command's audit entry: who, what, old → new, why and under which clause.

        The entry's ``target`` names the entity, the clause and requirement the change was
        made under (the granting matrix cell's unless a rule's is given), the stated reason
        and the role that granted it, and, for a personal card, the names of the fields
        that changed (``changed_fields``); ``before`` and ``after`` are the entities as JSON
        data (a card's as :func:`~eschool_core.audit_privacy.card_for_log` gives it).

        Raises:
            StorageError: If a command records twice (a defect of the command).
        """
        if self.recorded:
            raise SERVICE_DOUBLE_RECORD.error()
        target = {
            "entity": entity,
            "id": entity_id,
            "school_id": self.school_id,
            "clause": clause or decision.clause,
            "requirement": requirement or decision.requirement,
            "reason": reason,
            "role": None if decision.role is None else decision.role.value,
        }
        if changed_fields is not None:
            target["changed_fields"] = changed_fields
        self.audit.append(
            kind=kind,
            account_id=self.actor.account_id,
            at=self.at,
            action=action,
            target=target,
            before=to_jsonable(before),
            after=to_jsonable(after),
        )
        self.recorded += 1


class _CachedDirectory:
    """A :class:`~eschool_core.rbac.Directory` that asks each question once per command.

    A command's relations do not change while it is authorized, so the answers for a
    lesson's thirty students share the teacher's employment and assignments.
    """

    def __init__(self, directory: Directory) -> None:
        self._directory = directory
        self._answers: dict[tuple[Hashable, ...], Any] = {}

    def _ask(self, key: tuple[Hashable, ...], answer: Callable[[], _T]) -> _T:
        if key not in self._answers:
            self._answers[key] = answer()
        return cast("_T", self._answers[key])

    def employee_active(self, employee_id: EmployeeId, on: date) -> bool:
        d = self._directory
        return self._ask(("active", employee_id, on), lambda: d.employee_active(employee_id, on))

    def is_class_teacher(self, employee_id: EmployeeId, class_id: ClassId, on: date) -> bool:
        d = self._directory
        return self._ask(
            ("class_teacher", employee_id, class_id, on),
            lambda: d.is_class_teacher(employee_id, class_id, on),
        )

    def class_parallel(self, class_id: ClassId) -> int | None:
        d = self._directory
        return self._ask(("parallel", class_id), lambda: d.class_parallel(class_id))

    def teaches(
        self,
        employee_id: EmployeeId,
        subject_id: SubjectId,
        on: date,
        *,
        class_id: ClassId | None = None,
        group_id: GroupId | None = None,
    ) -> bool:
        d = self._directory
        return self._ask(
            ("teaches", employee_id, subject_id, on, class_id, group_id),
            lambda: d.teaches(employee_id, subject_id, on, class_id=class_id, group_id=group_id),
        )

    def is_guardian(self, guardian_id: GuardianId, student_id: StudentId, on: date) -> bool:
        d = self._directory
        return self._ask(
            ("guardian", guardian_id, student_id, on),
            lambda: d.is_guardian(guardian_id, student_id, on),
        )

    def classes_of_student(self, student_id: StudentId, on: date) -> frozenset[ClassId]:
        d = self._directory
        return self._ask(("classes", student_id, on), lambda: d.classes_of_student(student_id, on))

    def children_of(self, guardian_id: GuardianId, on: date) -> frozenset[StudentId]:
        d = self._directory
        return self._ask(("children", guardian_id, on), lambda: d.children_of(guardian_id, on))

    def group_classes(self, group_id: GroupId, on: date) -> frozenset[ClassId]:
        d = self._directory
        return self._ask(("group_classes", group_id, on), lambda: d.group_classes(group_id, on))

    def group_members(self, group_id: GroupId, on: date) -> frozenset[StudentId]:
        d = self._directory
        return self._ask(("group_members", group_id, on), lambda: d.group_members(group_id, on))


def denial(decision: Decision) -> PermissionDenied:
    """Return the :class:`PermissionDenied` that explains a denied decision."""
    return ACCESS_DENIED.error(
        details={"action": decision.action.value, "account_id": decision.actor.account_id},
        reason=Text(decision.explain(Language.RU), decision.explain(Language.EN)),
    )


DirectoryFactory = Callable[[UnitOfWork], Directory]
"""Builds the relation directory of one unit of work (default: read through it)."""
