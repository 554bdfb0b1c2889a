"""The error codes of ``eschool_core.audit``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ConflictError, ErrorCode, StorageError, ValidationError
from eschool_core.texts import Text

AUDIT_BAD_CHECKPOINTS = ErrorCode(
    "audit.bad_checkpoints",
    ValidationError,
    Text(
        "Файл контрольных точек журнала изменений не читается: {problem}",
        "The audit checkpoints document cannot be read: {problem}",
    ),
)

AUDIT_CHECKPOINT_CONFLICT = ErrorCode(
    "audit.checkpoint_conflict",
    ConflictError,
    Text(
        "Контрольная точка журнала изменений на {length} записях уже сохранена",
        "An audit checkpoint at {length} entries is stored already",
    ),
    clause="3.1",
)

AUDIT_CHECKPOINT_EVERY = ErrorCode(
    "audit.checkpoint_every",
    ValidationError,
    Text(
        "Контрольная точка каждые {checkpoint_every} записей невозможна",
        "A checkpoint every {checkpoint_every} entries is impossible",
    ),
)

AUDIT_CHECKPOINT_NUMBER = ErrorCode(
    "audit.checkpoint_number",
    ValidationError,
    Text(
        "Номер контрольной точки {number!r} и ссылка на предыдущую не согласованы",
        "The checkpoint's number {number!r} and its link to the previous one do not agree",
    ),
)

AUDIT_EMPTY_KEY = ErrorCode(
    "audit.empty_key",
    ValidationError,
    Text(
        "Ключ журнала изменений не может быть пустым",
        "The audit key must not be empty",
    ),
)

AUDIT_NOT_JSONABLE = ErrorCode(
    "audit.not_jsonable",
    ValidationError,
    Text(
        "Значение нельзя записать в журнал изменений: {value}",
        "The value cannot be written to the audit log: {value}",
    ),
)

AUDIT_POSITION_CONFLICT = ErrorCode(
    "audit.position_conflict",
    ConflictError,
    Text(
        "Запись журнала изменений №{position} не следует за последней ({length} записей)",
        "Audit entry {position} does not follow the last one ({length} entries)",
    ),
    clause="3.1",
)

AUDIT_SINK_FAILED = ErrorCode(
    "audit.sink_failed",
    StorageError,
    Text(
        "Контрольная точка журнала изменений не передана во внешнее хранилище: {problem}",
        "The audit checkpoint was not sent to the sink: {problem}",
    ),
    clause="3.1",
)

AUDIT_UNREADABLE_ENTRY = ErrorCode(
    "audit.unreadable_entry",
    StorageError,
    Text(
        "Запись журнала изменений №{position} не читается: {problem}",
        "Audit entry {position} cannot be read: {problem}",
    ),
    clause="3.1",
)
