"""Authorization: who (actor) may do what (action) to what (target) on which day."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.audit import AuditKind, AuditLog
from eschool_core.errors import ACCESS_DENIED, Language
from eschool_core.ids import (
    AccountId,
    ClassId,
    EmployeeId,
    GroupId,
    GuardianId,
    SchoolId,
    StudentId,
    SubjectId,
)
from eschool_core.rbac._catalogue import Action, Role, Scope, to_action, to_role
from eschool_core.rbac._directory import Directory
from eschool_core.rbac._errors import AUDIT_MISSING_MOMENT
from eschool_core.rbac._matrix import Grant, RoleMatrix
from eschool_core.texts import Text

__all__ = ["Actor", "Authorizer", "Decision", "Target"]


def _to_roles(value: object) -> frozenset[Role]:
    return frozenset(to_role(item) for item in v.to_tuple(value))


@attrs.frozen(kw_only=True)
class Actor:
    """Who acts: an authenticated account with its roles and the cards it belongs to.

    Attributes:
        account_id: The account (every decision and change is attributed to it, R12.5).
        roles: The roles the administrator assigned (R3.2.1).
        school_id: The school of a school user.
        district: The municipal district (district coordinators, and school users).
        region: The region (regional coordinators, and everyone else).
        employee_id: The staff card of a staff user.
        student_id: The student card of a student user.
        guardian_id: The guardian card of a parent user.
    """

    account_id: AccountId = attrs.field(validator=v.non_empty_text)
    roles: frozenset[Role] = attrs.field(converter=_to_roles)
    school_id: SchoolId | None = None
    district: str | None = None
    region: str | None = None
    employee_id: EmployeeId | None = None
    student_id: StudentId | None = None
    guardian_id: GuardianId | None = None


@attrs.frozen(kw_only=True)
class Target:
    """What is acted on: as many ids as the action needs.

    Attributes:
        school_id: The school.
        district: The district of the school (for district-level rights).
        region: The region of the school (for region-level rights).
        class_id: The class.
        subject_id: The subject.
        group_id: The group or subgroup.
        student_id: The student.
        employee_id: The employee.
        guardian_id: The parent or legal guardian.
        year: The academic year label, recorded with the decision; relations themselves
            are judged on the decision's day ``on``.

    >>> Target(school_id="s1", class_id="5a").to_json()
    {'school_id': 's1', 'class_id': '5a'}
    """

    school_id: SchoolId | None = None
    district: str | None = None
    region: str | None = None
    class_id: ClassId | None = None
    subject_id: SubjectId | None = None
    group_id: GroupId | None = None
    student_id: StudentId | None = None
    employee_id: EmployeeId | None = None
    guardian_id: GuardianId | None = None
    year: str | None = attrs.field(default=None, validator=attrs.validators.optional(v.year_label))

    def to_json(self) -> dict[str, str]:
        """Return the ids that are set, as JSON data."""
        return {
            field.name: getattr(self, field.name)
            for field in attrs.fields(Target)
            if getattr(self, field.name) is not None
        }


@attrs.frozen(kw_only=True)
class Decision:
    """The answer of :meth:`Authorizer.check`, able to explain itself.

    Attributes:
        allowed: Whether the action is allowed.
        actor: The actor.
        action: The action.
        target: The target.
        on: The day the relations were judged on.
        grant: The matrix cell that allowed it (``None`` when denied).
        role: The role that allowed it.
        relation_ru: The relation that put the target in scope (Russian).
        relation_en: The same in English.
        reasons_ru: Why each role failed, when denied (Russian).
        reasons_en: The same in English.
    """

    allowed: bool
    actor: Actor
    action: Action
    target: Target
    on: date
    grant: Grant | None = None
    role: Role | None = None
    relation_ru: str | None = None
    relation_en: str | None = None
    reasons_ru: tuple[str, ...] = ()
    reasons_en: tuple[str, ...] = ()

    @property
    def clause(self) -> str:
        """The clause of the granting cell, or ``"3.1"`` (least privilege) when denied."""
        return self.grant.clause if self.grant is not None else "3.1"

    @property
    def requirement(self) -> str:
        """The requirement of the granting cell, or ``"R3.1c"`` when denied."""
        return self.grant.requirement if self.grant is not None else "R3.1c"

    def explain(self, language: Language | str = Language.RU) -> str:
        """Return which role, relation and matrix cell granted it, or why nothing did."""
        ru = Language(language) is Language.RU
        action = self.action.label(language)
        if self.allowed and self.grant is not None and self.role is not None:
            relation = self.relation_ru if ru else self.relation_en
            if ru:
                return (
                    f"Разрешено: «{action}» — роль «{self.role.label('ru')}», область "
                    f"«{self.grant.scope.label('ru')}» ({relation}); п. {self.grant.clause} "
                    f"({self.grant.requirement})"
                )
            return (
                f"Allowed: '{action}' — role '{self.role.label('en')}', scope "
                f"'{self.grant.scope.label('en')}' ({relation}); clause {self.grant.clause} "
                f"({self.grant.requirement})"
            )
        reasons = "; ".join(self.reasons_ru if ru else self.reasons_en)
        if ru:
            return f"Запрещено: «{action}» — {reasons} (п. 3.1, R3.1c)"
        return f"Denied: '{action}' — {reasons} (clause 3.1, R3.1c)"

    def to_json(self) -> dict[str, Any]:
        """Return the decision as JSON data for the audit log."""
        return {
            "allowed": self.allowed,
            "role": None if self.role is None else self.role.value,
            "scope": None if self.grant is None else self.grant.scope.value,
            "clause": self.clause,
            "requirement": self.requirement,
            "on": self.on.isoformat(),
            "explanation": self.explain(Language.EN),
        }


class Authorizer:
    """Decides by the role matrix and the actor's relations; denies what no cell grants.

    Args:
        matrix: The role matrix (the profile's ``rbac`` section).
        directory: Answers the actor's relations (assignments, links, employment).
        audit: If given, every decision is appended to it (R3.1b); ``check`` then needs
            the moment ``at``.

    >>> from eschool_core.rbac import Grant, MemoryDirectory, RoleMatrix
    >>> matrix = RoleMatrix(grants=[Grant(role="secretary", action="movement_book.write",
    ...     scope="school", clause="10.1", requirement="R10.1")])
    >>> authorizer = Authorizer(matrix, MemoryDirectory())
    >>> actor = Actor(account_id="a1", roles=["secretary"], school_id="s1")
    >>> decision = authorizer.check(actor, Action.MOVEMENT_BOOK_WRITE, Target(school_id="s1"),
    ...     on=date(2026, 3, 2))
    >>> decision.allowed
    False
    >>> print(decision.explain("en"))  # doctest: +NORMALIZE_WHITESPACE
    Denied: 'Edit the movement book' — role 'Secretary': the actor has no staff card
    (clause 3.1, R3.1c)
    """

    def __init__(
        self, matrix: RoleMatrix, directory: Directory, *, audit: AuditLog | None = None
    ) -> None:
        self._matrix = matrix
        self._directory = directory
        self._audit = audit

    @property
    def matrix(self) -> RoleMatrix:
        """The role matrix."""
        return self._matrix

    def check(
        self,
        actor: Actor,
        action: Action,
        target: Target,
        *,
        on: date,
        at: datetime | None = None,
    ) -> Decision:
        """Decide whether ``actor`` may do ``action`` to ``target`` on the day ``on``.

        Args:
            actor: Who acts.
            action: What he wants to do.
            target: What he acts on.
            on: The day whose relations count (assignments, links and employment end).
            at: The moment of the decision, required when the authorizer keeps an audit log.

        Returns:
            The decision, with its explanation.

        A target that names a group is judged within the group: a named student counts
        only while he is a member of the group on ``on``, a named class only if the group
        belongs to it, a named guardian only through his children in the group.

        Raises:
            ValidationError: If ``on`` is not a date, ``action`` is not in the catalogue
                (``rbac.unknown_action``), or ``at`` is missing or naive while an audit log
                is kept.
        """
        _require_date(on)
        decision = self._decide(actor, to_action(action), target, on)
        if self._audit is not None:
            if at is None:
                raise AUDIT_MISSING_MOMENT.error()
            self._audit.append(
                kind=AuditKind.DECISION,
                account_id=actor.account_id,
                at=at,
                action=decision.action.value,
                target=target.to_json(),
                after=decision.to_json(),
            )
        return decision

    def require(
        self,
        actor: Actor,
        action: Action,
        target: Target,
        *,
        on: date,
        at: datetime | None = None,
    ) -> Decision:
        """Like :meth:`check`, but raise unless allowed.

        Raises:
            PermissionDenied: With the decision's explanation, when denied.
        """
        decision = self.check(actor, action, target, on=on, at=at)
        if not decision.allowed:
            raise ACCESS_DENIED.error(
                details={"action": decision.action.value, "account_id": actor.account_id},
                reason=Text(decision.explain(Language.RU), decision.explain(Language.EN)),
            )
        return decision

    def _decide(self, actor: Actor, action: Action, target: Target, on: date) -> Decision:
        reasons_ru: list[str] = []
        reasons_en: list[str] = []
        if not actor.roles:
            reasons_ru.append("у пользователя нет ролей")
            reasons_en.append("the actor has no roles")
        for role in sorted(actor.roles, key=list(Role).index):
            blocked = self._blocked(actor, role, action, on)
            if blocked is not None:
                reasons_ru.append(f"роль «{role.label('ru')}»: {blocked[0]}")
                reasons_en.append(f"role '{role.label('en')}': {blocked[1]}")
                continue
            cells = self._matrix.cells(role, action)
            if not cells:
                reasons_ru.append(f"роль «{role.label('ru')}»: матрица не даёт это право")
                reasons_en.append(f"role '{role.label('en')}': the matrix grants no such right")
                continue
            for grant in cells:
                relation = self._relation(grant.scope, actor, target, on)
                if relation is not None:
                    return Decision(
                        allowed=True,
                        actor=actor,
                        action=action,
                        target=target,
                        on=on,
                        grant=grant,
                        role=role,
                        relation_ru=relation[0],
                        relation_en=relation[1],
                    )
            scopes_ru = ", ".join(grant.scope.label("ru") for grant in cells)
            scopes_en = ", ".join(grant.scope.label("en") for grant in cells)
            reasons_ru.append(
                f"роль «{role.label('ru')}»: объект вне области права ({scopes_ru}) на {on}"
            )
            reasons_en.append(
                f"role '{role.label('en')}': the target is outside the granted scope "
                f"({scopes_en}) on {on}"
            )
        return Decision(
            allowed=False,
            actor=actor,
            action=action,
            target=target,
            on=on,
            reasons_ru=tuple(reasons_ru),
            reasons_en=tuple(reasons_en),
        )

    def _blocked(
        self, actor: Actor, role: Role, action: Action, on: date
    ) -> tuple[str, str] | None:
        if role.reads_only and action.is_write:
            return (
                "ученик и родитель только просматривают данные",
                "students and parents only read",
            )
        if role.is_staff:
            if actor.employee_id is None:
                return ("нет карточки сотрудника", "the actor has no staff card")
            if not self._directory.employee_active(actor.employee_id, on):
                return (
                    f"сотрудник не работает (уволен) на {on}",
                    f"the employee is not active (dismissed) on {on}",
                )
        if role is Role.PARENT and actor.guardian_id is None:
            return ("нет карточки родителя", "the actor has no parent card")
        if role is Role.STUDENT and actor.student_id is None:
            return ("нет карточки обучающегося", "the actor has no student card")
        return None

    def _relation(
        self, scope: Scope, actor: Actor, target: Target, on: date
    ) -> tuple[str, str] | None:
        d = self._directory
        if scope is Scope.OWN:
            return _own(actor, target)
        if scope is Scope.LINKED_CHILDREN:
            if (
                actor.guardian_id is not None
                and target.student_id is not None
                and target.employee_id is None
                and target.guardian_id in (None, actor.guardian_id)
                and d.is_guardian(actor.guardian_id, target.student_id, on)
            ):
                return ("ребёнок прикреплён к родителю", "the student is linked to the parent")
            return None
        if scope in (Scope.OWN_CLASS, Scope.OWN_PRIMARY_CLASS):
            if actor.employee_id is None or target.employee_id is not None:
                return None
            for class_id in sorted(self._classes_of(target, on)):
                if not d.is_class_teacher(actor.employee_id, class_id, on):
                    continue
                if scope is Scope.OWN_CLASS:
                    return (
                        f"классный руководитель класса {class_id}",
                        f"class teacher of class {class_id}",
                    )
                parallel = d.class_parallel(class_id)
                if parallel is not None and parallel <= 4:
                    return (
                        f"классный руководитель {parallel}-го класса {class_id}",
                        f"class teacher of grade-{parallel} class {class_id}",
                    )
            return None
        if scope is Scope.TAUGHT:
            return self._taught(actor, target, on)
        if scope is Scope.SCHOOL:
            if actor.school_id is not None and target.school_id == actor.school_id:
                return (f"школа {actor.school_id}", f"school {actor.school_id}")
            return None
        if scope is Scope.DISTRICT:
            if actor.district is not None and target.district == actor.district:
                return (f"район «{actor.district}»", f"district '{actor.district}'")
            return None
        if actor.region is not None and target.region == actor.region:
            return (f"регион «{actor.region}»", f"region '{actor.region}'")
        return None

    def _classes_of(self, target: Target, on: date) -> frozenset[ClassId]:
        d = self._directory
        if target.student_id is not None:
            classes = d.classes_of_student(target.student_id, on)
            if target.class_id is not None:
                classes &= {target.class_id}
        elif target.class_id is not None:
            classes = frozenset({target.class_id})
        elif target.guardian_id is not None:
            classes = frozenset(
                class_id
                for child in self._children_in_scope(target, on)
                for class_id in d.classes_of_student(child, on)
            )
        else:
            return frozenset()
        if target.group_id is None:
            return classes
        # A group narrows the target to its own classes and members (R3.1c, R5.3a).
        if target.student_id is not None and target.student_id not in d.group_members(
            target.group_id, on
        ):
            return frozenset()
        return classes & d.group_classes(target.group_id, on)

    def _children_in_scope(self, target: Target, on: date) -> frozenset[StudentId]:
        assert target.guardian_id is not None  # noqa: S101 - callers check
        children = self._directory.children_of(target.guardian_id, on)
        if target.group_id is None:
            return children
        return children & self._directory.group_members(target.group_id, on)

    def _taught(self, actor: Actor, target: Target, on: date) -> tuple[str, str] | None:
        d = self._directory
        if actor.employee_id is None or target.subject_id is None:
            return None
        if target.employee_id not in (None, actor.employee_id):
            # Another teacher's data is his, not the class's: teaching the same class and
            # subject gives no right to it (R3.1c).
            return None
        if target.group_id is not None:
            names_more = (
                target.student_id is not None
                or target.class_id is not None
                or target.guardian_id is not None
            )
            if names_more and not self._classes_of(target, on):
                return None
            if d.teaches(actor.employee_id, target.subject_id, on, group_id=target.group_id):
                return (
                    f"преподаёт предмет {target.subject_id} группе {target.group_id}",
                    f"teaches subject {target.subject_id} to group {target.group_id}",
                )
            return None
        for class_id in sorted(self._classes_of(target, on)):
            if d.teaches(actor.employee_id, target.subject_id, on, class_id=class_id):
                return (
                    f"преподаёт предмет {target.subject_id} в классе {class_id}",
                    f"teaches subject {target.subject_id} in class {class_id}",
                )
        return None


def _own(actor: Actor, target: Target) -> tuple[str, str] | None:
    pairs = (
        (target.student_id, actor.student_id),
        (target.guardian_id, actor.guardian_id),
        (target.employee_id, actor.employee_id),
    )
    named = [(wanted, mine) for wanted, mine in pairs if wanted is not None]
    if named and all(wanted == mine for wanted, mine in named):
        return ("собственные данные", "own data")
    return None


def _require_date(on: object) -> None:
    if isinstance(on, datetime) or not isinstance(on, date):
        raise v.VALUE_NOT_A_DATE.error(field="on", value=repr(on))
