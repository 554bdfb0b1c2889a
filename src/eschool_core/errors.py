"""The exception tree of eschool_core.

Every error the library raises on purpose is an :class:`EschoolError`. Each carries a stable
dotted ``code`` (``"mark.out_of_scale"``) that hosts can match on, the regulation ``clause``
that the input breaks (when a rule is broken), and a message in Russian and in English.
``str(err)`` is the Russian message; ``err.message("en")`` the English one.

Subclasses also inherit the matching builtin, so ``except ValueError`` keeps working::

    EschoolError(Exception)
    ├── ValidationError(EschoolError, ValueError)     bad value or shape of input
    │   └── ProfileError                              a regulation profile is malformed
    ├── NotFoundError(EschoolError, LookupError)      no entity with that id
    ├── ConflictError(EschoolError)                   the entity exists already / state clash
    ├── PermissionDenied(EschoolError, PermissionError)  the role matrix does not grant it
    ├── RuleViolation(EschoolError)                   a regulation rule forbids the operation
    ├── StorageError(EschoolError)                    the storage backend failed
    └── MissingExtraError(EschoolError, ImportError)  an optional extra is not installed
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar

__all__ = [
    "ConflictError",
    "EschoolError",
    "Language",
    "MissingExtraError",
    "NotFoundError",
    "PermissionDenied",
    "ProfileError",
    "RuleViolation",
    "StorageError",
    "ValidationError",
]


class Language(StrEnum):
    """A language of user-facing text: Russian is the default."""

    RU = "ru"
    EN = "en"


class EschoolError(Exception):
    """The root of every error raised by eschool_core.

    Args:
        ru: The message in Russian (what ``str(err)`` returns).
        en: The same message in English.
        code: A stable dotted identifier of the error, e.g. ``"person.empty_name"``.
        clause: The clause of the regulation that the input breaks, e.g. ``"8.6"``.
        details: Structured facts about the error (the offending value, the entity id).

    Attributes:
        code: The stable dotted identifier of the error.
        clause: The regulation clause, or ``None`` when no rule of the regulation is involved.
        details: A read-only mapping of structured facts.

    >>> err = EschoolError("Пусто", "Empty", code="demo.empty")
    >>> str(err), err.message("en"), err.code
    ('Пусто', 'Empty', 'demo.empty')
    """

    default_code: ClassVar[str] = "error"

    def __init__(
        self,
        ru: str,
        en: str,
        *,
        code: str | None = None,
        clause: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(ru)
        self.code = code or self.default_code
        self.clause = clause
        self.details: Mapping[str, Any] = MappingProxyType(dict(details or {}))
        self._messages = {Language.RU: ru, Language.EN: en}

    def message(self, language: Language | str = Language.RU) -> str:
        """Return the message in ``language`` (``"ru"`` or ``"en"``).

        Raises:
            ValueError: If the language is neither Russian nor English.
        """
        return self._messages[Language(language)]

    def __str__(self) -> str:
        return self._messages[Language.RU]

    def __repr__(self) -> str:
        clause = f", clause={self.clause!r}" if self.clause else ""
        return f"{type(self).__name__}(code={self.code!r}{clause}, en={self.message('en')!r})"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready form: code, clause, both messages and the details."""
        return {
            "error": type(self).__name__,
            "code": self.code,
            "clause": self.clause,
            "message_ru": self.message(Language.RU),
            "message_en": self.message(Language.EN),
            "details": {key: _jsonable(value) for key, value in self.details.items()},
        }


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | frozenset | set):
        return [_jsonable(item) for item in value]
    return str(value)


class ValidationError(EschoolError, ValueError):
    """A value or a combination of values is not acceptable (a mark of 6, an empty surname)."""

    default_code = "validation"


class ProfileError(ValidationError):
    """A regulation profile (TOML) is malformed: unknown key, wrong type, missing key.

    The message names the section and the key, e.g. ``grading.weights.test``.
    """

    default_code = "profile.invalid"

    @classmethod
    def at(cls, path: str, ru: str, en: str, *, code: str = "profile.invalid") -> ProfileError:
        """Build the error for the profile key at dotted ``path``."""
        return cls(
            f"Профиль, ключ «{path}»: {ru}",
            f"Profile, key '{path}': {en}",
            code=code,
            details={"key": path},
        )


class NotFoundError(EschoolError, LookupError):
    """No entity with the given id exists."""

    default_code = "not_found"

    @classmethod
    def for_id(cls, kind: str, entity_id: object) -> NotFoundError:
        """Build the error for an entity of ``kind`` (e.g. ``"student"``) with ``entity_id``."""
        return cls(
            f"Не найдено: {kind} с идентификатором «{entity_id}»",
            f"Not found: {kind} with id '{entity_id}'",
            code=f"{kind}.not_found",
            details={"kind": kind, "id": str(entity_id)},
        )


class ConflictError(EschoolError):
    """The operation clashes with what exists (a duplicate id, a duplicate order number).

    Also raised for a write based on a stale read (code ``storage.stale_version``, see
    :meth:`stale`): the entity was changed by someone else since it was read.
    """

    default_code = "conflict"

    @classmethod
    def duplicate(cls, kind: str, entity_id: object) -> ConflictError:
        """Build the error for adding a second ``kind`` with the same ``entity_id``."""
        return cls(
            f"Уже существует: {kind} с идентификатором «{entity_id}»",
            f"Already exists: {kind} with id '{entity_id}'",
            code=f"{kind}.duplicate",
            details={"kind": kind, "id": str(entity_id)},
        )

    @classmethod
    def stale(cls, kind: str, entity_id: object, *, expected: int, found: int) -> ConflictError:
        """Build the error for writing a ``kind`` from a read that is no longer current.

        The update or removal was based on version ``expected`` of the entity, but the store
        holds version ``found``: someone else changed it in between. Code
        ``storage.stale_version``; ``details`` name the ``kind``, the ``id`` and both
        versions (``expected``, ``found``). Nothing was written: read the entity again and
        decide anew.
        """
        return cls(
            f"{kind} «{entity_id}»: запись изменена другим пользователем после чтения "
            f"(прочитана версия {expected}, сохранена {found}); перечитайте её и повторите",
            f"{kind} '{entity_id}' was changed by someone else after it was read "
            f"(version {expected} read, {found} stored); read it again and retry",
            code="storage.stale_version",
            details={"kind": kind, "id": str(entity_id), "expected": expected, "found": found},
        )


class PermissionDenied(EschoolError, PermissionError):
    """The role matrix does not grant the actor this action on this target."""

    default_code = "access.denied"


class RuleViolation(EschoolError):
    """A rule of the regulation forbids the operation; ``clause`` names the rule."""

    default_code = "rule.violated"


class StorageError(EschoolError):
    """The storage backend failed; the driver's exception is the ``__cause__``."""

    default_code = "storage.failed"


class MissingExtraError(EschoolError, ImportError):
    """An optional dependency is not installed; the message names the extra to install.

    Attributes:
        extra: The extra of ``eschool-core`` that brings the module (``"sql"``).
        module: The module that could not be imported (``"sqlalchemy"``).

    >>> err = MissingExtraError.for_module("sqlalchemy", "sql")
    >>> err.message("en")
    "This needs the optional module 'sqlalchemy': pip install 'eschool-core[sql]'"
    """

    default_code = "extra.missing"

    def __init__(self, ru: str, en: str, *, extra: str, module: str) -> None:
        super().__init__(ru, en, code="extra.missing", details={"extra": extra, "module": module})
        self.extra = extra
        self.module = module

    @classmethod
    def for_module(cls, module: str, extra: str) -> MissingExtraError:
        """Build the error for ``module``, which the ``extra`` of eschool-core installs."""
        command = f"pip install 'eschool-core[{extra}]'"
        return cls(
            f"Нужен дополнительный модуль «{module}»: {command}",
            f"This needs the optional module '{module}': {command}",
            extra=extra,
            module=module,
        )
