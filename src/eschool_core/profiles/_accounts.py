"""The ``[accounts]`` section: password policy and login lockout."""

from __future__ import annotations

from eschool_core.accounts import AccountPolicy
from eschool_core.profiles._reader import TableReader

__all__ = ["parse_accounts"]


def parse_accounts(section: TableReader) -> AccountPolicy:
    """Read the password policy and lockout numbers from the ``[accounts]`` section.

    Raises:
        ProfileError: For a missing, unknown or out-of-range key, naming it.
    """
    policy = AccountPolicy(
        clause=section.text("clause"),
        requirement=section.text("requirement"),
        min_length=section.integer("min_length", low=6, high=128),
        require_letter=section.boolean("require_letter"),
        require_digit=section.boolean("require_digit"),
        start_password_length=section.integer("start_password_length", low=8, high=64),
        max_failed_logins=section.integer("max_failed_logins", low=1, high=100),
        lockout_minutes=section.integer("lockout_minutes", low=1, high=24 * 60),
    )
    section.finish()
    return policy
