"""The error codes of ``eschool_core.deadlines``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.texts import Text

DEADLINES_CARD_KINDS = ErrorCode(
    "deadlines.card_kinds",
    ValidationError,
    Text(
        "Виды карточек — student, guardian, employee; получено {kinds!r}",
        "Card kinds are student, guardian, employee; got {kinds!r}",
    ),
)

DEADLINES_DUPLICATE_RULE = ErrorCode(
    "deadlines.duplicate_rule",
    ValidationError,
    Text(
        "Правило «{twice}» указано дважды",
        "Rule '{twice}' is given twice",
    ),
)

DEADLINES_ENTRY_RULE_MISSING = ErrorCode(
    "deadlines.entry_rule_missing",
    ValidationError,
    Text(
        "В правилах сроков нет правила вида «{kind}» для «{applies_to}»",
        "The deadline rules have no '{kind}' rule for '{applies_to}'",
    ),
)

DEADLINES_MONTH_DAY = ErrorCode(
    "deadlines.month_day",
    ValidationError,
    Text(
        "День года записывается как «07-01» (ММ-ДД), получено {value!r}",
        "A day of the year is written '07-01' (MM-DD), got {value!r}",
    ),
)

DEADLINES_NO_DUE_DATE = ErrorCode(
    "deadlines.no_due_date",
    ValidationError,
    Text(
        "У правила «{id}» нет единственного срока",
        "Rule '{id}' has no single due date",
    ),
)

DEADLINES_PARALLELS = ErrorCode(
    "deadlines.parallels",
    ValidationError,
    Text(
        "Параллели правила — от 1 до 11, получено {parallels!r}",
        "A rule's parallels are 1 to 11, got {parallels!r}",
    ),
)

DEADLINES_RULE_INVALID = ErrorCode(
    "deadlines.rule_invalid",
    ValidationError,
    Text(
        "Правило «{id}»: {reason}",
        "Rule '{id}': {reason}",
    ),
)

DEADLINES_TIME_ZONE_UNKNOWN = ErrorCode(
    "deadlines.time_zone_unknown",
    ValidationError,
    Text(
        "Неизвестен часовой пояс школы: в данных нет школы, и проверке он не задан",
        "The school's time zone is unknown: the data holds no school and the checker was "
        "given no zone",
    ),
)

DEADLINES_YEAR_REQUIRED = ErrorCode(
    "deadlines.year_required",
    ValidationError,
    Text(
        "Чтобы проверить хранилище, задайте проверке учебный год",
        "Give the checker an academic year to check a store",
    ),
)
