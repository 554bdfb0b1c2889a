"""Accounts, their store, and the results of issuing and logging in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

import attrs

from eschool_core import _validation as v
from eschool_core.accounts._errors import ACCOUNT_PASSWORD_CHANGE_REQUIRED
from eschool_core.errors import ConflictError, NotFoundError
from eschool_core.ids import AccountId, EmployeeId, GuardianId, SchoolId, StudentId
from eschool_core.rbac import Action, Actor, Role, Target, to_role

__all__ = [
    "Account",
    "AccountStore",
    "HolderKind",
    "IssuedCredentials",
    "LoginResult",
    "LoginStatus",
    "MemoryAccountStore",
]


class HolderKind(StrEnum):
    """Whose account it is: a staff member, a student or a parent."""

    EMPLOYEE = "employee"
    STUDENT = "student"
    GUARDIAN = "guardian"


_ISSUE_ACTION = {
    HolderKind.EMPLOYEE: Action.STAFF_CREDENTIALS_ISSUE,
    HolderKind.STUDENT: Action.STUDENT_CREDENTIALS_ISSUE,
    HolderKind.GUARDIAN: Action.PARENT_CREDENTIALS_ISSUE,
}
_UNSET_HASH = "!"
"""A placeholder hash that no password matches (an account being drafted)."""
_HOLDER_ROLE = {HolderKind.STUDENT: Role.STUDENT, HolderKind.GUARDIAN: Role.PARENT}


def _to_roles(value: Iterable[Role | str]) -> frozenset[Role]:
    return frozenset(to_role(item) for item in v.to_tuple(value))


@attrs.frozen(kw_only=True)
class Account:
    """A user account: login, password hash, holder, roles and the lock state.

    Attributes:
        id: The account id.
        login: The individual login (R3.2.2a).
        holder_kind: Staff member, student or parent.
        holder_id: The id of the employee, student or guardian card.
        school_id: The school.
        district: The municipal district.
        region: The region.
        roles: Assigned roles (R3.2.1).
        password_hash: The encoded hash (never the password).
        must_change_password: Whether the start password is still in use (R3.2.2b).
        failed_logins: Failed logins in a row.
        locked_until: The end of a lockout, if locked.
        esia_id: The linked state identity (ЕСИА), if any (R3.2.2c).
    """

    id: AccountId = attrs.field(validator=v.non_empty_text)
    login: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    holder_kind: HolderKind = attrs.field(converter=HolderKind)
    holder_id: str = attrs.field(validator=v.non_empty_text)
    school_id: SchoolId | None = None
    district: str | None = None
    region: str | None = None
    roles: frozenset[Role] = attrs.field(factory=frozenset, converter=_to_roles)
    password_hash: str = attrs.field(repr=False, validator=v.non_empty_text)
    must_change_password: bool = True
    failed_logins: int = attrs.field(default=0, validator=v.int_in_range(0, 1000, "accounts.f"))
    locked_until: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    esia_id: str | None = attrs.field(default=None, validator=v.optional_text)

    def actor(self) -> Actor:
        """Return the actor acting under this account.

        Raises:
            PermissionDenied: While the start password has not been changed (R3.2.2b).
        """
        if self.must_change_password:
            raise ACCOUNT_PASSWORD_CHANGE_REQUIRED.error(account_id=self.id)
        return Actor(
            account_id=self.id,
            roles=self.roles,
            school_id=self.school_id,
            district=self.district,
            region=self.region,
            employee_id=(
                EmployeeId(self.holder_id) if self.holder_kind is HolderKind.EMPLOYEE else None
            ),
            student_id=(
                StudentId(self.holder_id) if self.holder_kind is HolderKind.STUDENT else None
            ),
            guardian_id=(
                GuardianId(self.holder_id) if self.holder_kind is HolderKind.GUARDIAN else None
            ),
        )

    def target(self) -> Target:
        """Return the account's holder as an authorization target."""
        kind = self.holder_kind
        return Target(
            school_id=self.school_id,
            employee_id=EmployeeId(self.holder_id) if kind is HolderKind.EMPLOYEE else None,
            student_id=StudentId(self.holder_id) if kind is HolderKind.STUDENT else None,
            guardian_id=GuardianId(self.holder_id) if kind is HolderKind.GUARDIAN else None,
        )

    def audit_view(self) -> dict[str, Any]:
        """Return the account for the audit log, without the password hash."""
        return {
            "id": self.id,
            "login": self.login,
            "holder_kind": self.holder_kind.value,
            "holder_id": self.holder_id,
            "roles": sorted(role.value for role in self.roles),
            "must_change_password": self.must_change_password,
            "locked_until": None if self.locked_until is None else self.locked_until.isoformat(),
            "esia_id": self.esia_id,
        }


class AccountStore(Protocol):
    """Protocol: where accounts live."""

    def add(self, account: Account) -> None:
        """Store a new account.

        Raises:
            ConflictError: If the id, the login or the ESIA id is taken.
        """
        ...

    def update(self, account: Account) -> None:
        """Replace the account with the same id.

        Raises:
            NotFoundError: If there is none.
            ConflictError: If the new login or ESIA id is another account's.
        """
        ...

    def get(self, account_id: AccountId) -> Account:
        """Return the account.

        Raises:
            NotFoundError: If there is none.
        """
        ...

    def find_by_login(self, login: str) -> Account | None:
        """Return the account with ``login`` (case-insensitive), or ``None``."""
        ...

    def find_by_esia(self, esia_id: str) -> Account | None:
        """Return the account linked to the ESIA identity, or ``None``."""
        ...


class MemoryAccountStore:
    """An :class:`AccountStore` in memory."""

    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}

    def _clash(self, account: Account) -> str | None:
        for other in self._accounts.values():
            if other.id == account.id:
                continue
            if other.login.casefold() == account.login.casefold():
                return "login"
            if account.esia_id is not None and other.esia_id == account.esia_id:
                return "esia_id"
        return None

    def add(self, account: Account) -> None:
        """Store a new account.

        Raises:
            ConflictError: If the id, the login or the ESIA id is taken.
        """
        if account.id in self._accounts:
            raise ConflictError.duplicate("account", account.id)
        clash = self._clash(account)
        if clash is not None:
            raise ConflictError.duplicate(f"account {clash}", getattr(account, clash))
        self._accounts[account.id] = account

    def update(self, account: Account) -> None:
        """Replace the account with the same id.

        Raises:
            NotFoundError: If there is none.
            ConflictError: If the new login or ESIA id is another account's.
        """
        if account.id not in self._accounts:
            raise NotFoundError.for_id("account", account.id)
        clash = self._clash(account)
        if clash is not None:
            raise ConflictError.duplicate(f"account {clash}", getattr(account, clash))
        self._accounts[account.id] = account

    def get(self, account_id: AccountId) -> Account:
        """Return the account.

        Raises:
            NotFoundError: If there is none.
        """
        account = self._accounts.get(account_id)
        if account is None:
            raise NotFoundError.for_id("account", account_id)
        return account

    def find_by_login(self, login: str) -> Account | None:
        """Return the account with ``login`` (case-insensitive), or ``None``."""
        wanted = login.strip().casefold()
        return next((a for a in self._accounts.values() if a.login.casefold() == wanted), None)

    def find_by_esia(self, esia_id: str) -> Account | None:
        """Return the account linked to the ESIA identity, or ``None``."""
        return next((a for a in self._accounts.values() if a.esia_id == esia_id), None)


class LoginStatus(StrEnum):
    """The outcome of a login."""

    OK = "ok"
    CHANGE_REQUIRED = "change_required"
    """The password was right, but it is a start password: change it first (R3.2.2b)."""
    WRONG_CREDENTIALS = "wrong_credentials"
    LOCKED = "locked"


@attrs.frozen(kw_only=True)
class LoginResult:
    """The outcome of a login.

    Attributes:
        status: What happened.
        account: The account (``None`` for an unknown login).
        actor: The actor to act as, only when the status is ``OK``.
        locked_until: The end of the lockout, when locked.
    """

    status: LoginStatus
    account: Account | None = None
    actor: Actor | None = None
    locked_until: datetime | None = None


@attrs.frozen(kw_only=True)
class IssuedCredentials:
    """A login and start password to hand to the holder.

    Attributes:
        account: The account.
        start_password: The generated start password (shown once, never stored).
    """

    account: Account
    start_password: str = attrs.field(repr=False)
