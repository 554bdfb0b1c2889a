"""Commands issuing and resetting credentials (R3.2.2b, R3.2.3a-b, R12.5)."""

from __future__ import annotations

from datetime import datetime

from eschool_core.accounts import Accounts, HolderKind, IssuedCredentials
from eschool_core.ids import AccountId
from eschool_core.rbac import Actor
from eschool_core.service._base import ServiceBase
from eschool_core.service._errors import SERVICE_NO_ACCOUNT_STORE
from eschool_core.service._unit import Unit

__all__: list[str] = []


class AccountCommands(ServiceBase):
    """Issuing credentials and resetting a start password, audited in the command's unit."""

    def _accounts_of(self, unit: Unit) -> Accounts:
        if self._accounts is None:
            raise SERVICE_NO_ACCOUNT_STORE.error()
        return Accounts(
            self._accounts,
            unit.authorizer,
            unit.audit,
            policy=self._profile.accounts,
            hasher=self._hasher,
        )

    def issue_credentials(
        self,
        actor: Actor,
        at: datetime,
        *,
        account_id: AccountId,
        login: str,
        holder_kind: HolderKind | str,
        holder_id: str,
    ) -> IssuedCredentials:
        """Create an account with a start password for a card of this school (R3.2.3a-b).

        The administrator issues staff credentials, the administrator or the class teacher
        (his own class) those of students and parents; the start password must be changed
        at the first login (R3.2.2b). The audit entry (without the password) is appended in
        the command's unit of work; the account goes to the service's account store, which
        keeps its own transaction: a host whose account store is its database passes one
        that joins it.

        Returns:
            The account and its start password (shown once, never stored).

        Raises:
            PermissionDenied: If the actor may not issue these credentials.
            ConflictError: If the id or login is taken.
            ValidationError: Without an account store.
        """
        with self._command(actor, at) as unit:
            return self._accounts_of(unit).issue(
                actor,
                account_id=account_id,
                login=login,
                holder_kind=HolderKind(holder_kind),
                holder_id=holder_id,
                school_id=unit.school_id,
                on=unit.on,
                at=unit.at,
            )

    def reset_credentials(
        self, actor: Actor, at: datetime, account_id: AccountId
    ) -> IssuedCredentials:
        """Give an account a new start password and lift its lock (R3.2.2b, R3.2.3a-b).

        Raises:
            PermissionDenied: If the actor may not issue the holder's credentials.
            NotFoundError: For an unknown account.
            ValidationError: Without an account store.
        """
        with self._command(actor, at) as unit:
            return self._accounts_of(unit).reset_password(actor, account_id, on=unit.on, at=unit.at)
