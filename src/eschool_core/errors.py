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

Every code the library raises is defined once, as an :class:`ErrorCode`: the code, the class
of the exception, the clause and the message template in both languages. Defining a code
registers it, so a second definition of the same code fails at import; the raise site only
fills in the facts::

    MARK_OUT_OF_SCALE = ErrorCode(
        "mark.out_of_scale", ValidationError,
        Text("Отметка {value} вне шкалы", "The mark {value} is outside the scale"), clause="5.2",
    )
    raise MARK_OUT_OF_SCALE.error(value=7)

:func:`registered_codes` lists every definition and :func:`code_table` renders them as the
table of ``docs/errors.md``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import attrs

__all__ = [
    "ACCESS_DENIED",
    "PROFILE_INVALID",
    "STALE_VERSION",
    "ConflictError",
    "ErrorCode",
    "EschoolError",
    "Language",
    "MissingExtraError",
    "NotFoundError",
    "PermissionDenied",
    "ProfileError",
    "RuleViolation",
    "StorageError",
    "ValidationError",
    "code_table",
    "error_code",
    "registered_codes",
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
        """Return a JSON-ready form: code, clause, the message and the details.

        The message is ``{"ru": ..., "en": ...}``, as in every finding and problem.
        """
        return {
            "error": type(self).__name__,
            "code": self.code,
            "clause": self.clause,
            "message": {
                Language.RU.value: self.message(Language.RU),
                Language.EN.value: self.message(Language.EN),
            },
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
        """Build the error for the profile key at dotted ``path``; ``ru``/``en`` say what is wrong.

        ``code`` names a profile code defined with the ``{key}`` and ``{reason}`` placeholders
        (``profile.invalid`` is), or the code of the error found in the key's value, which
        the profile error then carries; ``details`` are ``{"key": path}``.
        """
        known = _REGISTRY.get(code)
        template: ErrorCode[EschoolError] = PROFILE_INVALID
        if known is not None and issubclass(known.error_type, cls) and "reason" in known.fields():
            template = known
        filled = template.error(details={"key": path}, reason=_Message(ru, en))
        return cls(
            filled.message(Language.RU),
            filled.message(Language.EN),
            code=code,
            details={"key": path},
        )


class NotFoundError(EschoolError, LookupError):
    """No entity with the given id exists."""

    default_code = "not_found"

    @classmethod
    def for_id(cls, kind: str, entity_id: object) -> NotFoundError:
        """Build the error for an entity of ``kind`` (e.g. ``"student"``) with ``entity_id``.

        The code is ``<kind>.not_found``; the library defines one per kind it raises
        (:meth:`ErrorCode.not_found`), a host may pass kinds of its own.
        """
        known = _REGISTRY.get(f"{kind}.not_found")
        if known is not None and issubclass(known.error_type, cls):
            return known.error(id=str(entity_id))  # type: ignore[return-value]
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
        """Build the error for adding a second ``kind`` with the same ``entity_id``.

        The code is ``<kind>.duplicate``; the library defines one per kind it raises
        (:meth:`ErrorCode.duplicate`), a host may pass kinds of its own.
        """
        known = _REGISTRY.get(f"{kind}.duplicate")
        if known is not None and issubclass(known.error_type, cls):
            return known.error(id=str(entity_id))  # type: ignore[return-value]
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
        return STALE_VERSION.error(kind=kind, id=str(entity_id), expected=expected, found=found)


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

    def __init__(
        self,
        ru: str,
        en: str,
        *,
        extra: str = "",
        module: str = "",
        code: str | None = None,
        clause: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        facts = dict(details or {})
        self.extra: str = extra or str(facts.get("extra", ""))
        self.module: str = module or str(facts.get("module", ""))
        super().__init__(
            ru,
            en,
            code=code or "extra.missing",
            clause=clause,
            details={"extra": self.extra, "module": self.module},
        )

    @classmethod
    def for_module(cls, module: str, extra: str) -> MissingExtraError:
        """Build the error for ``module``, which the ``extra`` of eschool-core installs."""
        return EXTRA_MISSING.error(module=module, extra=extra)


class _Bilingual(Protocol):
    """Protocol: a text in Russian and in English (:class:`eschool_core.texts.Text`)."""

    @property
    def ru(self) -> str: ...

    @property
    def en(self) -> str: ...


_E_co = TypeVar("_E_co", bound=EschoolError, covariant=True)
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")
_REGISTRY: dict[str, ErrorCode[EschoolError]] = {}


def _field_value(value: object, language: Language) -> object:
    if isinstance(getattr(value, "ru", None), str) and isinstance(getattr(value, "en", None), str):
        return getattr(value, language.value)
    return value


def _read_only(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen(slots=True, eq=False)
class ErrorCode(Generic[_E_co]):
    """One error code defined once: its class, clause and message template.

    Creating an ``ErrorCode`` registers it; a second definition of the same code raises
    :class:`ConflictError` (``error_code.duplicate``) at import.

    Attributes:
        code: The stable dotted identifier, e.g. ``"mark.out_of_scale"``.
        error_type: The :class:`EschoolError` subclass raised with this code.
        message: The message in Russian and English (a ``texts.Text``) with ``{name}``
            placeholders filled from the fields of :meth:`error`.
        clause: The regulation clause the error reports, or ``None``.
        preset: Fields every error of this code carries (the ``kind`` of a shape such as
            :meth:`not_found`); they fill the message and head the details.
        registered: Whether the definition joins the registry (the library's codes and the
            table of the docs); ``False`` for a code made on the fly for a host's own kind.

    Raises:
        ValidationError: ``error_code.malformed`` if the code is not dotted lowercase.
        ConflictError: ``error_code.duplicate`` if the code is defined already.
    """

    code: str
    error_type: type[_E_co]
    message: _Bilingual
    clause: str | None = None
    preset: Mapping[str, str] = attrs.field(factory=dict, converter=_read_only)
    registered: bool = attrs.field(default=True, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not _CODE_RE.match(self.code):
            raise ERROR_CODE_MALFORMED.error(code=self.code)
        if not self.registered:
            return
        if self.code in _REGISTRY:
            raise ERROR_CODE_DUPLICATE.error(code=self.code)
        _REGISTRY[self.code] = self

    def error(
        self,
        *,
        details: Mapping[str, Any] | None = None,
        rule_clause: str | None = None,
        **fields: object,
    ) -> _E_co:
        """Build the exception of this code with its message filled from ``fields``.

        A field may be a bilingual text (``texts.Text``): each language takes its own.
        The fields are the error's ``details`` unless ``details`` is given; then the
        details fill the message too and ``fields`` only add to the message.
        ``rule_clause`` names the clause where the profile, not the code, decides it
        (a policy's own clause); otherwise the code's ``clause`` is used.

        Raises:
            KeyError: If a placeholder of the message has no value.
        """
        values: dict[str, object] = {**self.preset, **(details or {}), **fields}
        facts = {**self.preset, **(fields if details is None else details)}
        messages = [
            template.format(
                **{name: _field_value(value, language) for name, value in values.items()}
            )
            for template, language in (
                (self.message.ru, Language.RU),
                (self.message.en, Language.EN),
            )
        ]
        return self.error_type(
            messages[0],
            messages[1],
            code=self.code,
            clause=rule_clause or self.clause,
            details=facts,
        )

    def fields(self) -> frozenset[str]:
        """Return the names of the message's placeholders in both languages (presets excluded)."""
        names = {
            name.split(".")[0].split("[")[0]
            for template in (self.message.ru, self.message.en)
            for _, name, _, _ in string.Formatter().parse(template)
            if name
        }
        return frozenset(names - set(self.preset))

    @classmethod
    def not_found(cls, kind: str, *, registered: bool = True) -> ErrorCode[NotFoundError]:
        """Define ``<kind>.not_found``: no ``kind`` with the given ``id`` exists."""
        return ErrorCode(
            f"{kind}.not_found",
            NotFoundError,
            _Message(
                "Не найдено: {kind} с идентификатором «{id}»", "Not found: {kind} with id '{id}'"
            ),
            preset={"kind": kind},
            registered=registered,
        )

    @classmethod
    def duplicate(cls, kind: str, *, registered: bool = True) -> ErrorCode[ConflictError]:
        """Define ``<kind>.duplicate``: a second ``kind`` with the same ``id``."""
        return ErrorCode(
            f"{kind}.duplicate",
            ConflictError,
            _Message(
                "Уже существует: {kind} с идентификатором «{id}»",
                "Already exists: {kind} with id '{id}'",
            ),
            preset={"kind": kind},
            registered=registered,
        )

    @classmethod
    def dangling_reference(
        cls, kind: str, *, registered: bool = True
    ) -> ErrorCode[ValidationError]:
        """Define ``<kind>.dangling_reference``: a ``field`` of ``id`` names a missing ``value``."""
        return ErrorCode(
            f"{kind}.dangling_reference",
            ValidationError,
            _Message(
                "{kind} «{id}»: поле «{field}» ссылается на несуществующий объект «{value}»",
                "{kind} '{id}': field '{field}' refers to '{value}', which does not exist",
            ),
            preset={"kind": kind},
            registered=registered,
        )

    @classmethod
    def referenced(cls, kind: str, *, registered: bool = True) -> ErrorCode[ConflictError]:
        """Define ``<kind>.referenced``: ``id`` cannot go, records ``referenced_by`` name it."""
        return ErrorCode(
            f"{kind}.referenced",
            ConflictError,
            _Message(
                "Нельзя удалить {kind} «{id}»: на него ссылаются записи вида {referenced_by}",
                "Cannot remove {kind} '{id}': {referenced_by} records refer to it",
            ),
            preset={"kind": kind},
            registered=registered,
        )


@attrs.frozen(slots=True)
class _Message:
    """The message templates of the codes this module defines (it cannot import ``texts``)."""

    ru: str
    en: str


def registered_codes() -> tuple[ErrorCode[EschoolError], ...]:
    """Return every defined error code, sorted by code.

    Only the codes of imported modules are registered: import ``eschool_core`` and the
    packages in question first (the documentation's table imports every module).
    """
    return tuple(_REGISTRY[code] for code in sorted(_REGISTRY))


def error_code(code: str) -> ErrorCode[EschoolError]:
    """Return the definition of ``code``.

    Raises:
        NotFoundError: ``error_code.not_found`` if no module defines it (or is not imported).
    """
    try:
        return _REGISTRY[code]
    except KeyError:
        raise ERROR_CODE_NOT_FOUND.error(id=code) from None


def _cell(text: str, preset: Mapping[str, str]) -> str:
    for name, value in preset.items():
        text = text.replace("{" + name + "}", value)
    return text.replace("|", "\\|").replace("\n", " ")


def code_table(codes: tuple[ErrorCode[EschoolError], ...] | None = None) -> str:
    """Return the Markdown table of ``codes`` (default: every registered code).

    One row a code: the code, the exception class, the clause, the Russian and the English
    message with their ``{placeholders}``.
    """
    rows = [
        "| Code | Exception | Clause | Russian | English |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows.extend(
        f"| `{item.code}` | {item.error_type.__name__} | {item.clause or ''} "
        f"| {_cell(item.message.ru, item.preset)} | {_cell(item.message.en, item.preset)} |"
        for item in (registered_codes() if codes is None else codes)
    )
    return "\n".join(rows) + "\n"


ERROR_CODE_MALFORMED = ErrorCode(
    "error_code.malformed",
    ValidationError,
    _Message(
        "Код ошибки «{code}» должен состоять из слов через точку (строчные латинские буквы)",
        "The error code '{code}' must be dotted lowercase words",
    ),
)
ERROR_CODE_DUPLICATE = ErrorCode(
    "error_code.duplicate",
    ConflictError,
    _Message("Код ошибки «{code}» определён дважды", "The error code '{code}' is defined twice"),
)
ERROR_CODE_NOT_FOUND = ErrorCode.not_found("error_code")
STALE_VERSION = ErrorCode(
    "storage.stale_version",
    ConflictError,
    _Message(
        "{kind} «{id}»: запись изменена другим пользователем после чтения "
        "(прочитана версия {expected}, сохранена {found}); перечитайте её и повторите",
        "{kind} '{id}' was changed by someone else after it was read "
        "(version {expected} read, {found} stored); read it again and retry",
    ),
)
EXTRA_MISSING = ErrorCode(
    "extra.missing",
    MissingExtraError,
    _Message(
        "Нужен дополнительный модуль «{module}»: pip install 'eschool-core[{extra}]'",
        "This needs the optional module '{module}': pip install 'eschool-core[{extra}]'",
    ),
)
ACCESS_DENIED = ErrorCode(
    "access.denied",
    PermissionDenied,
    _Message("{reason}", "{reason}"),
    clause="3.1",
)
PROFILE_INVALID = ErrorCode(
    "profile.invalid",
    ProfileError,
    _Message("Профиль, ключ «{key}»: {reason}", "Profile, key '{key}': {reason}"),
)
