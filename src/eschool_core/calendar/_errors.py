"""The error codes of ``eschool_core.calendar``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.texts import Text

CALENDAR_BAD_RANGE = ErrorCode(
    "calendar.bad_range",
    ValidationError,
    Text(
        "Последний год календаря {last_year} раньше первого {first_year}",
        "The calendar's last year {last_year} precedes its first {first_year}",
    ),
)

CALENDAR_MOVED_ONTO_ITSELF = ErrorCode(
    "calendar.moved_onto_itself",
    ValidationError,
    Text(
        "Учебный день {source} переносится сам на себя",
        "The school day {source} is moved onto itself",
    ),
    clause="7.7",
)

CALENDAR_OVERRIDE_CONFLICT = ErrorCode(
    "calendar.override_conflict",
    ValidationError,
    Text(
        "Дата {date} указана и как выходной, и как рабочий день",
        "Date {date} is both an extra day off and an extra working day",
    ),
)

CALENDAR_PRODUCTION_INVALID = ErrorCode(
    "calendar.production_invalid",
    ValidationError,
    Text(
        "Производственный календарь (TOML), ключ «{key}»: {reason}",
        "Production calendar (TOML), key '{key}': {reason}",
    ),
)

CALENDAR_YEAR_NOT_SUPPORTED = ErrorCode(
    "calendar.year_not_supported",
    ValidationError,
    Text(
        "Производственный календарь на {year} год неизвестен (поддерживаются "
        "{first_year}–{last_year}{added}). Добавьте год по постановлению Правительства: "
        "таблица [[calendar.production_year]] в профиле или файл с [[production_year]] "
        "(eschool calendar --production-calendar FILE.toml); см. docs/calendar.md",
        "The production calendar of {year} is not known (supported: "
        "{first_year}-{last_year}{added}). Add the year from its decree: a "
        "[[calendar.production_year]] table in the profile or a file of "
        "[[production_year]] tables (eschool calendar --production-calendar FILE.toml); "
        "see docs/calendar.md",
    ),
)

VALUE_NOT_A_MAPPING = ErrorCode(
    "value.not_a_mapping",
    ValidationError,
    Text(
        "Нужна таблица, получено {value!r}",
        "A mapping is required, got {value!r}",
    ),
)

VALUE_NOT_AN_INTEGER = ErrorCode(
    "value.not_an_integer",
    ValidationError,
    Text(
        "Число рабочих дней должно быть целым: {n!r}",
        "The number of working days must be an integer, got {n!r}",
    ),
)


CALENDAR_NO_PARALLELS = ErrorCode(
    "calendar.no_parallels",
    ValidationError,
    Text("Не заданы параллели ({what})", "No parallels are given ({what})"),
)

CALENDAR_UNKNOWN_PARALLEL = ErrorCode(
    "calendar.unknown_parallel",
    ValidationError,
    Text("Неизвестная параллель {parallel}{where}", "Unknown parallel {parallel}{where}"),
)

VALUE_END_BEFORE_START = ErrorCode(
    "value.end_before_start",
    ValidationError,
    Text("Конец {end} раньше начала {start}", "The end {end} precedes the start {start}"),
)


CALENDAR_BAD_SCHEME = ErrorCode(
    "calendar.bad_scheme",
    ValidationError,
    Text("Схема учебных периодов: {reason}", "Scheme of study periods: {reason}"),
    clause="4.4",
)

CALENDAR_MONTH_DAY = ErrorCode(
    "calendar.month_day",
    ValidationError,
    Text("День года: {reason}", "Day of the year: {reason}"),
)

CALENDAR_TOML_INVALID = ErrorCode(
    "calendar.toml_invalid",
    ValidationError,
    Text("Учебный год (TOML): {reason}", "Academic year (TOML): {reason}"),
)
