"""The error codes of ``eschool_core.profiles``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, ProfileError
from eschool_core.texts import Text

PROFILE_NOT_TOML = ErrorCode(
    "profile.not_toml",
    ProfileError,
    Text(
        "Профиль не является корректным TOML: {reason}",
        "The profile is not valid TOML: {reason}",
    ),
)

PROFILE_NOT_UTF8 = ErrorCode(
    "profile.not_utf8",
    ProfileError,
    Text(
        "Профиль «{file}» не в кодировке UTF-8 (байт {start})",
        "The profile '{file}' is not UTF-8 (byte {start})",
    ),
)

PROFILE_UNREADABLE = ErrorCode(
    "profile.unreadable",
    ProfileError,
    Text(
        "Не удалось прочитать профиль «{file}»: {strerror}",
        "Cannot read profile '{file}': {strerror}",
    ),
)


def _at_key(code: str) -> ErrorCode[ProfileError]:
    """Define a code of :meth:`ProfileError.at`: the key's dotted path and what is wrong."""
    return ErrorCode(
        code,
        ProfileError,
        Text("Профиль, ключ «{key}»: {reason}", "Profile, key '{key}': {reason}"),
    )


PROFILE_DUPLICATE_RECORD_KIND = _at_key("profile.duplicate_record_kind")
PROFILE_DUPLICATE_RULE = _at_key("profile.duplicate_rule")
PROFILE_INVALID_RETENTION = _at_key("profile.invalid_retention")
PROFILE_INVALID_RULE = _at_key("profile.invalid_rule")
PROFILE_MISSING_KEY = _at_key("profile.missing_key")
PROFILE_OUT_OF_RANGE = _at_key("profile.out_of_range")
PROFILE_UNKNOWN_DECISION = _at_key("profile.unknown_decision")
PROFILE_UNKNOWN_KEY = _at_key("profile.unknown_key")
PROFILE_UNKNOWN_VALUE = _at_key("profile.unknown_value")
PROFILE_WRONG_TYPE = _at_key("profile.wrong_type")
