"""The error codes of ``eschool_core.storage``: each defined once (see ``docs/errors.md``).

The codes of the repeated shapes are defined per kind of aggregate of the registry:
``<kind>.not_found``, ``<kind>.duplicate``, ``<kind>.dangling_reference`` and
``<kind>.referenced``.
"""

from __future__ import annotations

from types import MappingProxyType

from eschool_core.errors import (
    ConflictError,
    ErrorCode,
    NotFoundError,
    StorageError,
    ValidationError,
)
from eschool_core.storage.registry import REGISTRY
from eschool_core.texts import Text

_KINDS = sorted({spec.kind for spec in REGISTRY.values()})

NOT_FOUND: MappingProxyType[str, ErrorCode[NotFoundError]] = MappingProxyType(
    {kind: ErrorCode.not_found(kind) for kind in _KINDS}
)
DUPLICATE: MappingProxyType[str, ErrorCode[ConflictError]] = MappingProxyType(
    {kind: ErrorCode.duplicate(kind) for kind in _KINDS}
)
DANGLING_REFERENCE: MappingProxyType[str, ErrorCode[ValidationError]] = MappingProxyType(
    {kind: ErrorCode.dangling_reference(kind) for kind in _KINDS}
)
REFERENCED: MappingProxyType[str, ErrorCode[ConflictError]] = MappingProxyType(
    {kind: ErrorCode.referenced(kind) for kind in _KINDS}
)

STORAGE_FILE_NOT_FOUND = ErrorCode(
    "storage.not_found",
    StorageError,
    Text("SQL-хранилище «{store}» не найдено", "The SQL store '{store}' does not exist"),
)
STORAGE_FOREIGN_KEYS_OFF = ErrorCode(
    "storage.foreign_keys_off",
    StorageError,
    Text(
        "В соединении SQLite отключены внешние ключи, а транзакция уже начата: "
        "включите PRAGMA foreign_keys = ON до неё",
        "The SQLite connection has foreign keys off inside a transaction already "
        "begun: switch PRAGMA foreign_keys = ON before it",
    ),
)
STORAGE_READ_ONLY = ErrorCode(
    "storage.read_only",
    StorageError,
    Text(
        "Хранилище «{store}» открыто только для чтения: изменения не сохраняются",
        "The store '{store}' is opened read-only: changes are refused",
    ),
)
STORAGE_READ_ONLY_CREATE = ErrorCode(
    "storage.read_only_create",
    StorageError,
    Text(
        "Хранилище только для чтения не создаётся",
        "A store opened read-only cannot be created",
    ),
)
STORAGE_SCHEMA_NAME = ErrorCode(
    "storage.schema_name",
    StorageError,
    Text("Недопустимое имя схемы «{schema}»", "Invalid schema name '{schema}'"),
)
STORAGE_SCHEMA_CONFLICT = ErrorCode(
    "storage.schema_conflict",
    StorageError,
    Text(
        "Адрес называет схему «{url_schema}», а параметр schema — «{schema}»",
        "The URL names the schema '{url_schema}', the schema argument '{schema}'",
    ),
)
BUNDLE_AUDIT_LOG_NOT_EMPTY = ErrorCode(
    "bundle.audit_log_not_empty",
    ConflictError,
    Text(
        "Журнал изменений хранилища не пуст (записей {entries}): журнал пакета "
        "переносится только в хранилище с пустым журналом",
        "The store's audit log is not empty ({entries} entries): a bundle's log is "
        "imported only into a store whose log is empty",
    ),
    clause="3.1",
)
