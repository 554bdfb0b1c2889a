"""The error codes of ``eschool_core.movement``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.texts import Text

MOVEMENT_BAD_CLASS = ErrorCode(
    "movement.bad_class",
    ValidationError,
    Text(
        "Нужен класс или его идентификатор: {school_class!r}",
        "A class or a class id is required, got {school_class!r}",
    ),
)

MOVEMENT_BAD_RANGE = ErrorCode(
    "movement.bad_range",
    ValidationError,
    Text(
        "Конец периода раньше начала",
        "The end of the range is before its start",
    ),
)

MOVEMENT_BAD_STUDENT = ErrorCode(
    "movement.bad_student",
    ValidationError,
    Text(
        "Нужен учащийся или его идентификатор: {student!r}",
        "A student or a student id is required, got {student!r}",
    ),
)

ORDER_DUPLICATE_STUDENT = ErrorCode(
    "order.duplicate_student",
    ValidationError,
    Text(
        "Приказ №{number}: учащийся «{student_id}» указан дважды",
        "Order {number}: student '{student_id}' is named twice",
    ),
)

ORDER_NO_ITEMS = ErrorCode(
    "order.no_items",
    ValidationError,
    Text(
        "Приказ №{number}: нужен хотя бы один пункт (OrderItem)",
        "Order {number}: at least one item (OrderItem) is required",
    ),
)

RETAKE_COMMISSION = ErrorCode(
    "retake.commission",
    ValidationError,
    Text(
        "Повторная пересдача проводится комиссией: укажите её членов",
        "The second retake is held before a commission: name its members",
    ),
    clause="10.1c",
)
