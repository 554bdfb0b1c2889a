"""Accounts and credentials (R3.2.1-R3.2.3b, R12.5).

An account is an individual login and password (R3.2.2a). Passwords are stored as
``hashlib.scrypt`` hashes: memory-hard, in the standard library. The default parameters
are n = 2**17, r = 8, p = 1 (OWASP's current minimum; about 128 MiB of memory per hash), a
16-byte random salt and a 32-byte key; they are written into every encoded hash
(``scrypt$n=131072,r=8,p=1$<salt>$<key>``, base64), so old hashes (n = 2**15 before) still
verify, and a successful login renews a hash of other parameters
(:meth:`ScryptHasher.needs_rehash`).

On creation or reset the holder gets a generated start password that must be changed at
the first login before anything else is allowed (R3.2.2b). Who may issue credentials to
whom is decided by the :class:`~eschool_core.rbac.Authorizer` (R3.2.3a-b), only the
administrator assigns roles (R3.2.1), and every change is written to the audit log under
the account that made it (R12.5). Repeated failed logins lock the account for a while
(the default profile: 5 failures in a row, 15 minutes). Clocks are passed in (``at``).
"""

from eschool_core.accounts._hashing import PasswordHasher, ScryptHasher
from eschool_core.accounts._model import (
    Account,
    AccountStore,
    HolderKind,
    IssuedCredentials,
    LoginResult,
    LoginStatus,
    MemoryAccountStore,
)
from eschool_core.accounts._policy import AccountPolicy
from eschool_core.accounts._service import UNKNOWN_LOGIN, Accounts

__all__ = [
    "UNKNOWN_LOGIN",
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
