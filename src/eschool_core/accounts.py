"""Accounts and credentials (R3.2.1-R3.2.3b, R12.5).

An account is an individual login and password (R3.2.2a). Passwords are stored as
``hashlib.scrypt`` hashes: memory-hard, in the standard library. The default parameters
are n = 2**15, r = 8, p = 1 (about 32 MiB of memory per hash), a 16-byte random salt and a
32-byte key; they are written into every encoded hash
(``scrypt$n=32768,r=8,p=1$<salt>$<key>``, base64), so they can be raised later and old
hashes still verify (:meth:`ScryptHasher.needs_rehash` tells which to renew).

On creation or reset the holder gets a generated start password that must be changed at
the first login before anything else is allowed (R3.2.2b). Who may issue credentials to
whom is decided by the :class:`~eschool_core.rbac.Authorizer` (R3.2.3a-b), only the
administrator assigns roles (R3.2.1), and every change is written to the audit log under
the account that made it (R12.5). Repeated failed logins lock the account for a while
(the default profile: 5 failures in a row, 15 minutes). Clocks are passed in (``at``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import string
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

import attrs

from eschool_core import _validation as v
from eschool_core.audit import AuditKind, AuditLog
from eschool_core.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    RuleViolation,
    ValidationError,
)
from eschool_core.ids import AccountId, EmployeeId, GuardianId, SchoolId, StudentId
from eschool_core.rbac import Action, Actor, Authorizer, Role, Target

__all__ = [
    "Account",
    "AccountPolicy",
    "AccountStore",
    "Accounts",
    "HolderKind",
    "IssuedCredentials",
    "LoginResult",
    "LoginStatus",
    "MemoryAccountStore",
    "PasswordHasher",
    "ScryptHasher",
]


class PasswordHasher(Protocol):
    """Protocol: turns a password into a self-describing encoded hash and checks it."""

    def hash(self, password: str) -> str:
        """Return the encoded hash of ``password`` with a fresh salt."""
        ...

    def verify(self, password: str, encoded: str) -> bool:
        """Return whether ``password`` matches the encoded hash (in constant time)."""
        ...

    def needs_rehash(self, encoded: str) -> bool:
        """Return whether ``encoded`` was made with weaker parameters than the current."""
        ...


_SCRYPT_RE = re.compile(r"^scrypt\$n=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$")


def _power_of_two(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 2 or value & (value - 1):
        raise ValidationError(
            f"Параметр scrypt «{attribute.name}» должен быть степенью двойки > 1: {value!r}",
            f"Scrypt parameter '{attribute.name}' must be a power of two > 1, got {value!r}",
            code="accounts.scrypt_parameters",
        )


def _derive(password: str, salt: bytes, *, n: int, r: int, p: int, length: int) -> bytes:
    maxmem = 128 * r * (n + p + 2) + 1024 * 1024
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=length
    )


@attrs.frozen(kw_only=True)
class ScryptHasher:
    """The standard :class:`PasswordHasher`: ``hashlib.scrypt``, memory-hard.

    Attributes:
        n: CPU/memory cost, a power of two (default 2**15; memory is about 128 * n * r bytes).
        r: Block size (default 8).
        p: Parallelism (default 1).
        salt_length: Bytes of random salt (default 16).
        key_length: Bytes of derived key (default 32).

    >>> hasher = ScryptHasher(n=2**4)  # cheap parameters, for examples and tests only
    >>> encoded = hasher.hash("секрет-2026")
    >>> encoded.startswith("scrypt$n=16,r=8,p=1$"), hasher.verify("секрет-2026", encoded)
    (True, True)
    >>> ScryptHasher().needs_rehash(encoded)
    True
    """

    n: int = attrs.field(default=2**15, validator=_power_of_two)
    r: int = attrs.field(default=8, validator=v.int_in_range(1, 64, "accounts.scrypt_r"))
    p: int = attrs.field(default=1, validator=v.int_in_range(1, 16, "accounts.scrypt_p"))
    salt_length: int = attrs.field(
        default=16, validator=v.int_in_range(8, 64, "accounts.salt_length")
    )
    key_length: int = attrs.field(
        default=32, validator=v.int_in_range(16, 64, "accounts.key_length")
    )

    def hash(self, password: str) -> str:
        """Return the encoded hash of ``password`` with a fresh random salt."""
        salt = secrets.token_bytes(self.salt_length)
        key = _derive(password, salt, n=self.n, r=self.r, p=self.p, length=self.key_length)
        return (
            f"scrypt$n={self.n},r={self.r},p={self.p}$"
            f"{base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"
        )

    def verify(self, password: str, encoded: str) -> bool:
        """Return whether ``password`` matches ``encoded``, using the parameters it names."""
        match = _SCRYPT_RE.match(encoded)
        if match is None:
            return False
        n, r, p = int(match[1]), int(match[2]), int(match[3])
        salt, key = base64.b64decode(match[4]), base64.b64decode(match[5])
        if n < 2 or n & (n - 1) or not 1 <= r <= 64 or not 1 <= p <= 16:
            return False
        derived = _derive(password, salt, n=n, r=r, p=p, length=len(key))
        return hmac.compare_digest(derived, key)

    def needs_rehash(self, encoded: str) -> bool:
        """Return whether ``encoded`` used other parameters than this hasher's."""
        match = _SCRYPT_RE.match(encoded)
        if match is None:
            return True
        return (int(match[1]), int(match[2]), int(match[3])) != (self.n, self.r, self.p)


@attrs.frozen(kw_only=True)
class AccountPolicy:
    """Password and lockout rules (the profile's ``[accounts]`` section).

    Attributes:
        min_length: The shortest accepted password.
        require_letter: Whether a password needs a letter.
        require_digit: Whether a password needs a digit.
        start_password_length: Length of a generated start password.
        max_failed_logins: Failed logins in a row that lock the account.
        lockout_minutes: How long a locked account stays locked.
        clause: The regulation clause (``"3.2.2"``).
        requirement: The requirement id (``"R3.2.2a"``).

    >>> AccountPolicy().problems("abc")
    ('too_short', 'no_digit')
    """

    min_length: int = attrs.field(default=10, validator=v.int_in_range(6, 128, "accounts.min"))
    require_letter: bool = True
    require_digit: bool = True
    start_password_length: int = attrs.field(
        default=12, validator=v.int_in_range(8, 64, "accounts.start_length")
    )
    max_failed_logins: int = attrs.field(
        default=5, validator=v.int_in_range(1, 100, "accounts.max_failed")
    )
    lockout_minutes: int = attrs.field(
        default=15, validator=v.int_in_range(1, 24 * 60, "accounts.lockout")
    )
    clause: str = "3.2.2"
    requirement: str = "R3.2.2a"

    def problems(self, password: str) -> tuple[str, ...]:
        """Return the codes of the rules ``password`` breaks (empty when acceptable)."""
        found: list[str] = []
        if len(password) < self.min_length:
            found.append("too_short")
        if self.require_letter and not any(ch.isalpha() for ch in password):
            found.append("no_letter")
        if self.require_digit and not any(ch.isdigit() for ch in password):
            found.append("no_digit")
        return tuple(found)

    def generate_start_password(self) -> str:
        """Return a random start password (``secrets``) that satisfies the policy."""
        alphabet = string.ascii_letters + string.digits
        while True:
            candidate = "".join(secrets.choice(alphabet) for _ in range(self.start_password_length))
            if not self.problems(candidate):
                return candidate


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
    return frozenset(Role(item) for item in v.to_tuple(value))


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
            raise PermissionDenied(
                "Сначала смените стартовый пароль",
                "Change the start password first",
                code="account.password_change_required",
                clause="3.2.2",
                details={"account_id": self.id},
            )
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


class Accounts:
    """Issues credentials, assigns roles, authenticates and audits every change.

    Args:
        store: Where accounts live.
        authorizer: Decides who may issue credentials and assign roles.
        audit: The audit log (every change and login is an entry, R3.1b, R12.5).
        policy: The password and lockout rules.
        hasher: The password hasher (``ScryptHasher()`` by default).
    """

    def __init__(
        self,
        store: AccountStore,
        authorizer: Authorizer,
        audit: AuditLog,
        *,
        policy: AccountPolicy | None = None,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._store = store
        self._authorizer = authorizer
        self._audit = audit
        self._policy = policy or AccountPolicy()
        self._hasher: PasswordHasher = hasher or ScryptHasher()

    @property
    def policy(self) -> AccountPolicy:
        """The password and lockout rules."""
        return self._policy

    def issue(
        self,
        issuer: Actor,
        *,
        account_id: AccountId,
        login: str,
        holder_kind: HolderKind,
        holder_id: str,
        school_id: SchoolId | None,
        on: date,
        at: datetime,
        district: str | None = None,
        region: str | None = None,
    ) -> IssuedCredentials:
        """Create an account with a start password (R3.2.2b, R3.2.3a-b).

        A student's account gets the role «Ученик», a parent's «Родитель»; a staff account
        gets no role until the administrator assigns one (R3.2.1).

        Raises:
            PermissionDenied: If the issuer may not issue credentials to this holder.
            ConflictError: If the id or login is taken.
        """
        kind = HolderKind(holder_kind)
        role = _HOLDER_ROLE.get(kind)
        draft = Account(
            id=account_id,
            login=login,
            holder_kind=kind,
            holder_id=holder_id,
            school_id=school_id,
            district=district,
            region=region,
            roles=() if role is None else (role,),
            password_hash=_UNSET_HASH,
        )
        action = _ISSUE_ACTION[kind]
        self._authorizer.require(issuer, action, draft.target(), on=on, at=at)
        start = self._policy.generate_start_password()
        account = attrs.evolve(draft, password_hash=self._hasher.hash(start))
        self._store.add(account)
        self._audit.record_change(
            account_id=issuer.account_id,
            at=at,
            action=action.value,
            target={"account_id": account.id, **account.target().to_json()},
            before=None,
            after=account.audit_view(),
        )
        return IssuedCredentials(account=account, start_password=start)

    def reset_password(
        self, issuer: Actor, account_id: AccountId, *, on: date, at: datetime
    ) -> IssuedCredentials:
        """Give the account a new start password and lift any lock (R3.2.2b).

        Raises:
            NotFoundError: For an unknown account.
            PermissionDenied: If the issuer may not issue credentials to the holder.
        """
        before = self._store.get(account_id)
        action = _ISSUE_ACTION[before.holder_kind]
        self._authorizer.require(issuer, action, before.target(), on=on, at=at)
        start = self._policy.generate_start_password()
        account = attrs.evolve(
            before,
            password_hash=self._hasher.hash(start),
            must_change_password=True,
            failed_logins=0,
            locked_until=None,
        )
        self._save(issuer.account_id, at, action.value, before, account)
        return IssuedCredentials(account=account, start_password=start)

    def assign_roles(
        self,
        issuer: Actor,
        account_id: AccountId,
        roles: Iterable[Role],
        *,
        on: date,
        at: datetime,
    ) -> Account:
        """Set the account's roles; only the administrator may (R3.2.1).

        Raises:
            PermissionDenied: If the issuer may not assign roles.
            ValidationError: If a role does not fit the holder (a student gets only
                «Ученик», a parent only «Родитель», staff neither).
        """
        before = self._store.get(account_id)
        wanted = _to_roles(roles)
        self._authorizer.require(
            issuer, Action.ROLE_ASSIGN, Target(school_id=before.school_id), on=on, at=at
        )
        role = _HOLDER_ROLE.get(before.holder_kind)
        fits = wanted <= {role} if role is not None else not any(r.reads_only for r in wanted)
        if not fits:
            raise ValidationError(
                "Роль не соответствует владельцу учётной записи",
                "A role does not fit the account's holder",
                code="account.role_mismatch",
                clause="3.2.1",
                details={"roles": sorted(r.value for r in wanted)},
            )
        account = attrs.evolve(before, roles=wanted)
        self._save(issuer.account_id, at, Action.ROLE_ASSIGN.value, before, account)
        return account

    def login(self, login: str, password: str, *, at: datetime) -> LoginResult:
        """Authenticate by login and password (R3.2.2a).

        A start password authenticates but yields ``CHANGE_REQUIRED`` and no actor
        (R3.2.2b). Failed logins in a row lock the account (the policy's numbers); a locked
        account refuses even the right password until the lock ends.
        """
        account = self._store.find_by_login(login)
        if account is None:
            self._audit.append(
                kind=AuditKind.LOGIN,
                account_id=f"login:{login.strip() or '-'}",
                at=at,
                action="login",
                target={"login": login},
                after={"status": LoginStatus.WRONG_CREDENTIALS.value},
            )
            return LoginResult(status=LoginStatus.WRONG_CREDENTIALS)
        checked = self._check_password(account, password, at)
        if checked.status is not LoginStatus.OK:
            return checked
        account = checked.account or account
        if account.must_change_password:
            return self._login_entry(
                LoginResult(status=LoginStatus.CHANGE_REQUIRED, account=account), at
            )
        return self._login_entry(
            LoginResult(status=LoginStatus.OK, account=account, actor=account.actor()), at
        )

    def change_password(self, login: str, current: str, new: str, *, at: datetime) -> Account:
        """Replace the password after checking the current one; clears the start password.

        Raises:
            PermissionDenied: For a wrong current password or a locked account.
            RuleViolation: If the new password breaks the policy or equals the current one
                (a start password is never accepted as the final password, R3.2.2b).
        """
        account = self._store.find_by_login(login)
        if account is None:
            raise _wrong_credentials()
        checked = self._check_password(account, current, at)
        if checked.status is LoginStatus.LOCKED:
            raise PermissionDenied(
                "Учётная запись временно заблокирована",
                "The account is locked for a while",
                code="account.locked",
                clause="3.2.2",
            )
        if checked.status is not LoginStatus.OK or checked.account is None:
            raise _wrong_credentials()
        account = checked.account
        problems = list(self._policy.problems(new))
        if hmac.compare_digest(new.encode(), current.encode()):
            problems.append("same_as_current")
        if problems:
            raise RuleViolation(
                "Новый пароль не соответствует требованиям: " + ", ".join(problems),
                "The new password breaks the password policy: " + ", ".join(problems),
                code="account.weak_password",
                clause=self._policy.clause,
                details={"problems": problems},
            )
        changed = attrs.evolve(
            account, password_hash=self._hasher.hash(new), must_change_password=False
        )
        self._save(account.id, at, "password.change", account, changed)
        return changed

    def link_esia(
        self, issuer: Actor, account_id: AccountId, esia_id: str, *, on: date, at: datetime
    ) -> Account:
        """Link a state identity (ЕСИА) to the account (R3.2.2c); no network is involved.

        The holder links his own account; otherwise the issuer needs the right to issue
        credentials to the holder.

        Raises:
            PermissionDenied: If the issuer may do neither.
            ConflictError: If the identity is linked to another account.
        """
        before = self._store.get(account_id)
        if issuer.account_id != account_id:
            action = _ISSUE_ACTION[before.holder_kind]
            self._authorizer.require(issuer, action, before.target(), on=on, at=at)
        account = attrs.evolve(before, esia_id=esia_id)
        self._save(issuer.account_id, at, "esia.link", before, account)
        return account

    def login_esia(self, esia_id: str, *, at: datetime) -> LoginResult:
        """Authenticate through a linked ESIA identity (R3.2.2c).

        The state identity provider has authenticated the person, so no start password is
        involved; a locked account stays locked.
        """
        account = self._store.find_by_esia(esia_id)
        if account is None:
            return LoginResult(status=LoginStatus.WRONG_CREDENTIALS)
        if account.locked_until is not None and at < account.locked_until:
            return self._login_entry(
                LoginResult(
                    status=LoginStatus.LOCKED, account=account, locked_until=account.locked_until
                ),
                at,
            )
        actor = attrs.evolve(account, must_change_password=False).actor()
        return self._login_entry(
            LoginResult(status=LoginStatus.OK, account=account, actor=actor), at
        )

    def actor_for(self, account_id: AccountId) -> Actor:
        """Return the actor of a stored account.

        Raises:
            NotFoundError: For an unknown account.
            PermissionDenied: While the start password has not been changed (R3.2.2b).
        """
        return self._store.get(account_id).actor()

    def _check_password(self, account: Account, password: str, at: datetime) -> LoginResult:
        _require_aware(at)
        if account.locked_until is not None and at < account.locked_until:
            return self._login_entry(
                LoginResult(
                    status=LoginStatus.LOCKED, account=account, locked_until=account.locked_until
                ),
                at,
            )
        if self._hasher.verify(password, account.password_hash):
            if account.failed_logins or account.locked_until is not None:
                fresh = attrs.evolve(account, failed_logins=0, locked_until=None)
                self._store.update(fresh)
                account = fresh
            return LoginResult(status=LoginStatus.OK, account=account)
        failures = account.failed_logins + 1
        if failures >= self._policy.max_failed_logins:
            until = at + timedelta(minutes=self._policy.lockout_minutes)
            locked = attrs.evolve(account, failed_logins=0, locked_until=until)
            self._store.update(locked)
            return self._login_entry(
                LoginResult(status=LoginStatus.LOCKED, account=locked, locked_until=until), at
            )
        failed = attrs.evolve(account, failed_logins=failures, locked_until=None)
        self._store.update(failed)
        return self._login_entry(
            LoginResult(status=LoginStatus.WRONG_CREDENTIALS, account=failed), at
        )

    def _login_entry(self, result: LoginResult, at: datetime) -> LoginResult:
        assert result.account is not None  # noqa: S101 - callers pass a known account
        self._audit.append(
            kind=AuditKind.LOGIN,
            account_id=result.account.id,
            at=at,
            action="login",
            target={"account_id": result.account.id},
            after={
                "status": result.status.value,
                "locked_until": None if result.locked_until is None else result.locked_until,
            },
        )
        return result

    def _save(
        self, by: AccountId, at: datetime, action: str, before: Account, after: Account
    ) -> None:
        self._store.update(after)
        self._audit.record_change(
            account_id=by,
            at=at,
            action=action,
            target={"account_id": after.id},
            before=before.audit_view(),
            after=after.audit_view(),
        )


def _wrong_credentials() -> PermissionDenied:
    return PermissionDenied(
        "Неверный логин или пароль",
        "Wrong login or password",
        code="account.wrong_credentials",
        clause="3.2.2",
    )


def _require_aware(at: object) -> None:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError(
            f"Нужен момент времени с часовым поясом, получено {at!r}",
            f"A timezone-aware datetime is required, got {at!r}",
            code="value.naive_datetime",
        )
