"""The error codes of ``eschool_core.accounts``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, PermissionDenied, ValidationError
from eschool_core.texts import Text

ACCOUNT_LOCKED = ErrorCode(
    "account.locked",
    PermissionDenied,
    Text(
        "Учётная запись временно заблокирована",
        "The account is locked for a while",
    ),
    clause="3.2.2",
)

ACCOUNT_PASSWORD_CHANGE_REQUIRED = ErrorCode(
    "account.password_change_required",
    PermissionDenied,
    Text(
        "Сначала смените стартовый пароль",
        "Change the start password first",
    ),
    clause="3.2.2",
)

ACCOUNT_ROLE_MISMATCH = ErrorCode(
    "account.role_mismatch",
    ValidationError,
    Text(
        "Роль не соответствует владельцу учётной записи",
        "A role does not fit the account's holder",
    ),
    clause="3.2.1",
)

ACCOUNT_WRONG_CREDENTIALS = ErrorCode(
    "account.wrong_credentials",
    PermissionDenied,
    Text(
        "Неверный логин или пароль",
        "Wrong login or password",
    ),
    clause="3.2.2",
)

ACCOUNTS_SCRYPT_PARAMETERS = ErrorCode(
    "accounts.scrypt_parameters",
    ValidationError,
    Text(
        "Параметр scrypt «{parameter}» должен быть степенью двойки > 1: {value!r}",
        "Scrypt parameter '{parameter}' must be a power of two > 1, got {value!r}",
    ),
)
