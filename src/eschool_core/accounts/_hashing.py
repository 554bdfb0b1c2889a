"""Password hashing: the pluggable hasher protocol and the scrypt hasher."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from typing import Protocol

import attrs

from eschool_core import _validation as v
from eschool_core.accounts._errors import ACCOUNTS_SCRYPT_PARAMETERS

__all__ = ["PasswordHasher", "ScryptHasher"]


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


DEFAULT_SCRYPT_COST = 2**17
"""The scrypt ``n`` of new hashes: OWASP's password storage guidance (``n = 2**17, r = 8``)."""

_MAX_VERIFY_COST = 2**20
"""The largest scrypt ``n`` a stored hash may name (1 GiB at ``r=8``): more is refused."""

_SCRYPT_RE = re.compile(r"^scrypt\$n=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$")


def _power_of_two(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 2 or value & (value - 1):
        raise ACCOUNTS_SCRYPT_PARAMETERS.error(parameter=attribute.name, value=value)


def _derive(password: str, salt: bytes, *, n: int, r: int, p: int, length: int) -> bytes:
    maxmem = 128 * r * (n + p + 2) + 1024 * 1024
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=length
    )


@attrs.frozen(kw_only=True)
class ScryptHasher:
    """The standard :class:`PasswordHasher`: ``hashlib.scrypt``, memory-hard.

    Attributes:
        n: CPU/memory cost, a power of two (default 2**17, OWASP's current minimum for
            scrypt; memory is about 128 * n * r bytes, 128 MiB at the defaults). Hashes made
            with another cost still verify; :meth:`needs_rehash` names them.
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

    n: int = attrs.field(default=DEFAULT_SCRYPT_COST, validator=_power_of_two)
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
        """Return whether ``password`` matches ``encoded``, using the parameters it names.

        A malformed stored hash (not a string, not of the ``scrypt$...`` form, bad
        base64, a salt or key of an impossible length, a cost above 2**20) and a
        password that cannot be encoded as UTF-8 verify ``False``; nothing is raised.
        """
        stored: object = encoded  # hosts may hand over anything read from a column
        typed: object = password
        match = _SCRYPT_RE.match(stored) if isinstance(stored, str) else None
        if match is None or not isinstance(typed, str):
            return False
        n, r, p = int(match[1]), int(match[2]), int(match[3])
        if n < 2 or n & (n - 1) or n > _MAX_VERIFY_COST or not 1 <= r <= 64 or not 1 <= p <= 16:
            return False
        try:
            salt = base64.b64decode(match[4], validate=True)
            key = base64.b64decode(match[5], validate=True)
        except (binascii.Error, ValueError):
            return False
        if not salt or not 16 <= len(key) <= 64:
            return False
        try:
            derived = _derive(password, salt, n=n, r=r, p=p, length=len(key))
        except (UnicodeEncodeError, ValueError, MemoryError):
            return False
        return hmac.compare_digest(derived, key)

    def needs_rehash(self, encoded: str) -> bool:
        """Return whether ``encoded`` used other parameters than this hasher's."""
        match = _SCRYPT_RE.match(encoded)
        if match is None:
            return True
        return (int(match[1]), int(match[2]), int(match[3])) != (self.n, self.r, self.p)
