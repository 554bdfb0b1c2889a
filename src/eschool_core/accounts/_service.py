"""The account service: issuing credentials, roles, logins, password changes, ESIA."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import attrs

from eschool_core import _validation as v
from eschool_core.accounts._errors import (
    ACCOUNT_LOCKED,
    ACCOUNT_ROLE_MISMATCH,
    ACCOUNT_WRONG_CREDENTIALS,
)
from eschool_core.accounts._hashing import PasswordHasher, ScryptHasher
from eschool_core.accounts._model import (
    _HOLDER_ROLE,
    _ISSUE_ACTION,
    _UNSET_HASH,
    Account,
    AccountStore,
    HolderKind,
    IssuedCredentials,
    LoginResult,
    LoginStatus,
    _to_roles,
)
from eschool_core.accounts._policy import AccountPolicy
from eschool_core.audit import AuditKind, AuditLog
from eschool_core.errors import PermissionDenied, RuleViolation
from eschool_core.ids import AccountId, SchoolId
from eschool_core.rbac import Action, Actor, Authorizer, Role, Target

__all__ = ["UNKNOWN_LOGIN", "Accounts"]

UNKNOWN_LOGIN = "login:unknown"
"""The audit's account id for a login attempt with a login no account has (R12.5)."""


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
        self._dummy: str | None = None

    @property
    def _dummy_hash(self) -> str:
        # An unknown login is checked against this hash, so that it costs what a wrong
        # password costs (R3.2.2a): the time of an answer does not tell which logins exist.
        # Made on first need, so that issuing credentials does not pay for it.
        if self._dummy is None:
            self._dummy = self._hasher.hash(secrets.token_urlsafe(24))
        return self._dummy

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
            raise ACCOUNT_ROLE_MISMATCH.error(roles=sorted(r.value for r in wanted))
        account = attrs.evolve(before, roles=wanted)
        self._save(issuer.account_id, at, Action.ROLE_ASSIGN.value, before, account)
        return account

    def login(self, login: str, password: str, *, at: datetime) -> LoginResult:
        """Authenticate by login and password (R3.2.2a).

        A start password authenticates but yields ``CHANGE_REQUIRED`` and no actor
        (R3.2.2b). Failed logins in a row lock the account (the policy's numbers); a locked
        account refuses even the right password until the lock ends.

        Every attempt verifies exactly one password hash: an unknown login is checked
        against a dummy hash, so that it costs the time a wrong password costs. The audit
        entry of an unknown login names no account and keeps nothing of the typed text
        (it may be a password typed into the wrong field, R12.5).
        """
        account = self._store.find_by_login(login)
        if account is None:
            _require_aware(at)
            self._hasher.verify(password, self._dummy_hash)
            self._audit.append(
                kind=AuditKind.LOGIN,
                account_id=UNKNOWN_LOGIN,
                at=at,
                action="login",
                target={},
                after={"status": LoginStatus.WRONG_CREDENTIALS.value, "known_login": False},
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
            self._hasher.verify(current, self._dummy_hash)
            raise _wrong_credentials()
        # A rejected change must leave the account as it was: the reset of the failure
        # count is saved only together with the new password.
        checked = self._check_password(account, current, at, persist_success=False)
        if checked.status is LoginStatus.LOCKED:
            raise ACCOUNT_LOCKED.error()
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

    def _check_password(
        self, account: Account, password: str, at: datetime, *, persist_success: bool = True
    ) -> LoginResult:
        _require_aware(at)
        if account.locked_until is not None and at < account.locked_until:
            # Verified and ignored: a locked account answers in the time of any attempt.
            self._hasher.verify(password, account.password_hash)
            return self._login_entry(
                LoginResult(
                    status=LoginStatus.LOCKED, account=account, locked_until=account.locked_until
                ),
                at,
            )
        if self._hasher.verify(password, account.password_hash):
            renewed = account.password_hash
            if persist_success and self._hasher.needs_rehash(renewed):
                # A hash of an older cost is renewed with the current one on a login that
                # knows the password (the only moment the password is at hand).
                renewed = self._hasher.hash(password)
            if (
                account.failed_logins
                or account.locked_until is not None
                or (renewed != account.password_hash)
            ):
                fresh = attrs.evolve(
                    account, failed_logins=0, locked_until=None, password_hash=renewed
                )
                if persist_success:
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
    return ACCOUNT_WRONG_CREDENTIALS.error()


def _require_aware(at: object) -> None:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise v.VALUE_NAIVE_DATETIME.error(field="at", value=repr(at))
