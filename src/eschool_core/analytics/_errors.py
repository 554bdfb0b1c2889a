"""The error codes of ``eschool_core.analytics``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, NotFoundError, ValidationError
from eschool_core.texts import Text

ANALYTICS_CLASS_NOT_FOUND = ErrorCode(
    "analytics.class_not_found",
    NotFoundError,
    Text(
        "Класса «{class}» нет в {label} учебном году (есть: {names})",
        "No class '{class}' in {label} (there are: {names})",
    ),
)

ANALYTICS_ENGINE = ErrorCode(
    "analytics.engine",
    ValidationError,
    Text(
        "Движок «{engine}» читает таблицы базы данных: используйте Dataset.from_store "
        "(таблицы хранилища) или Dataset.from_backend (таблицы схемы аналитики)",
        "The engine '{engine}' reads a database's tables: use Dataset.from_store (a "
        "store's tables) or Dataset.from_backend (tables of the analytics schema)",
    ),
)

ANALYTICS_FORMAT = ErrorCode(
    "analytics.format",
    ValidationError,
    Text(
        "Неизвестный формат «{format}»",
        "Unknown format '{format}'",
    ),
)

ANALYTICS_NO_SCHOOL = ErrorCode(
    "analytics.no_school",
    NotFoundError,
    Text(
        "В хранилище нет ни одной школы",
        "The store holds no school",
    ),
)

ANALYTICS_NO_STORE = ErrorCode(
    "analytics.no_store",
    NotFoundError,
    Text(
        "По этому адресу нет хранилища eschool (таблицы eschool_schema)",
        "No eschool store at this location (no eschool_schema table)",
    ),
)

ANALYTICS_PLOT_FORMAT = ErrorCode(
    "analytics.plot_format",
    ValidationError,
    Text(
        "График пишется в файл .png или .svg, а не «{name}»",
        "A plot is written as .png or .svg, not '{name}'",
    ),
)

ANALYTICS_SCHEMA_WITH_BACKEND = ErrorCode(
    "analytics.schema_with_backend",
    ValidationError,
    Text(
        "Схему указывают только вместе с адресом хранилища",
        "A schema is given only with the store's URL",
    ),
)

ANALYTICS_STORE_URL = ErrorCode(
    "analytics.store_url",
    ValidationError,
    Text(
        "Таблицы хранилища читаются только из PostgreSQL: нужен адрес postgresql://",
        "A store's tables are read from PostgreSQL only: a postgresql:// URL is needed",
    ),
)

ANALYTICS_UNKNOWN_TABLE = ErrorCode(
    "analytics.unknown_table",
    ValidationError,
    Text(
        "Неизвестная таблица «{table}»",
        "Unknown table '{table}'",
    ),
)

ANALYTICS_UNREADABLE = ErrorCode(
    "analytics.unreadable",
    ValidationError,
    Text(
        "Данные не читаются: {error}",
        "The data cannot be read: {error}",
    ),
)

ANALYTICS_ZONE_OFFSET_CHANGES = ErrorCode(
    "analytics.zone_offset_changes",
    ValidationError,
    Text(
        "Часовой пояс {time_zone} меняет смещение от UTC за период данных",
        "The time zone {time_zone} changes its UTC offset within the data's dates",
    ),
)


ANALYTICS_BAD_PARQUET = ErrorCode(
    "analytics.bad_parquet",
    ValidationError,
    Text(
        "Файл Parquet «{file}» не читается: {reason}",
        "The Parquet file '{file}' cannot be read: {reason}",
    ),
)

ANALYTICS_NO_PLOT = ErrorCode(
    "analytics.no_plot",
    ValidationError,
    Text("Для «{analysis}» нет графика", "There is no plot for '{analysis}'"),
)
