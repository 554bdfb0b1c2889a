"""The error codes of ``eschool_core.rbac``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.texts import Text

AUDIT_MISSING_MOMENT = ErrorCode(
    "audit.missing_moment",
    ValidationError,
    Text(
        "Для записи решения в журнал нужен момент времени (at)",
        "Recording a decision in the audit log needs its moment (at)",
    ),
    clause="3.1",
)

RBAC_DUPLICATE_GRANT = ErrorCode(
    "rbac.duplicate_grant",
    ValidationError,
    Text(
        "Ячейка матрицы ролей повторяется: {role}, {action}, {scope}",
        "A role-matrix cell is granted twice: {role}, {action}, {scope}",
    ),
    clause="3.2.1",
)

RBAC_NOT_A_GRANT = ErrorCode(
    "rbac.not_a_grant",
    ValidationError,
    Text(
        "Ячейка матрицы ролей должна быть Grant: {grant!r}",
        "A role-matrix cell must be a Grant, got {grant!r}",
    ),
)

RBAC_UNKNOWN_FORMAT = ErrorCode(
    "rbac.unknown_format",
    ValidationError,
    Text(
        "Неизвестный формат матрицы «{fmt}» (допустимы md, csv)",
        "Unknown matrix format '{fmt}' (md or csv)",
    ),
)

RBAC_WRITE_FOR_READ_ONLY_ROLE = ErrorCode(
    "rbac.write_for_read_only_role",
    ValidationError,
    Text(
        "Роль «{role_label}» только просматривает данные: "
        "право «{action_label}» ей не предоставляется",
        "Role '{role_label}' only reads: it cannot be granted '{action_label}'",
    ),
    clause="3.2.4",
)
