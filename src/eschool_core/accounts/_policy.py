"""The password policy and the login lockout numbers (the profile's ``[accounts]``)."""

from __future__ import annotations

import secrets
import string

import attrs

from eschool_core import _validation as v

__all__ = ["AccountPolicy"]


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
