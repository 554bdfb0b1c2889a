"""The error codes of ``eschool_core.cli``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, NotFoundError, StorageError, ValidationError
from eschool_core.texts import Text

AUDIT_KEY_UNREADABLE = ErrorCode(
    "audit.key_unreadable",
    ValidationError,
    Text(
        "Не удалось прочитать файл ключа «{path}»: {strerror}",
        "Cannot read the key file '{path}': {strerror}",
    ),
)

CALENDAR_LABEL_MISMATCH = ErrorCode(
    "calendar.label_mismatch",
    ValidationError,
    Text(
        "Файл описывает год {found}, а запрошен {asked}",
        "The file describes the year {found}, but {asked} was asked for",
    ),
)

CALENDAR_NOT_UTF8 = ErrorCode(
    "calendar.not_utf8",
    ValidationError,
    Text(
        "Файл «{file}» не в кодировке UTF-8 (байт {start})",
        "The file '{file}' is not UTF-8 (byte {start})",
    ),
)

CALENDAR_YEAR_NOT_STORED = ErrorCode(
    "calendar.year_not_stored",
    NotFoundError,
    Text(
        "Хранилище не содержит учебного года{asked} (есть: {kept}); сохраните его "
        "(eschool demo, eschool import) или укажите --year-file",
        "The store keeps no academic year{asked} (it keeps: {kept}); store it (eschool "
        "demo, eschool import) or pass --year-file",
    ),
)

CALENDAR_YEAR_REQUIRED = ErrorCode(
    "calendar.year_required",
    ValidationError,
    Text(
        "Укажите учебный год или файл учебного года",
        "Give an academic year or an academic year file",
    ),
)

CLI_AMBIGUOUS = ErrorCode(
    "cli.ambiguous",
    ValidationError,
    Text(
        "{option}: «{value}» подходит нескольким: {shown}; укажите точнее (или id)",
        "{option}: '{value}' matches several: {shown}; be more precise (or give the id)",
    ),
)

CLI_BAD_MARK = ErrorCode(
    "cli.bad_mark",
    ValidationError,
    Text(
        "Отметка «{item}»: ожидается ОТМЕТКА[:ВИД[:ВЕС]]",
        "Mark '{item}': expected VALUE[:WORK_TYPE[:WEIGHT]]",
    ),
)

CLI_BAD_SOURCE = ErrorCode(
    "cli.bad_source",
    ValidationError,
    Text(
        "Для --engine postgres укажите адрес postgresql://",
        "--engine postgres needs a postgresql:// URL",
    ),
)

CLI_IS_A_DIRECTORY = ErrorCode(
    "cli.is_a_directory",
    ValidationError,
    Text(
        "«{path}» — папка, а не файл хранилища",
        "'{path}' is a directory, not a store file",
    ),
)

CLI_NO_SOURCE = ErrorCode(
    "cli.no_source",
    NotFoundError,
    Text(
        "«{source}» — не папка с файлами Parquet и не хранилище: такого пути нет",
        "'{source}' is neither a folder of Parquet files nor a store: no such path",
    ),
)

CLI_NO_YEAR = ErrorCode(
    "cli.no_year",
    ValidationError,
    Text(
        "В данных нет ни классов, ни календаря: учебный год не определить",
        "The data holds neither classes nor a calendar: no academic year to judge by",
    ),
)

CLI_NOT_OURS = ErrorCode(
    "cli.not_ours",
    ValidationError,
    Text(
        "Файл «{path}» — не хранилище eschool; он не будет удалён или перезаписан (укажите "
        "--force, чтобы заменить его)",
        "The file '{path}' is not an eschool store; it is not deleted or overwritten (give "
        "--force to replace it)",
    ),
)

CLI_OUTPUT_REQUIRED = ErrorCode(
    "cli.output_required",
    ValidationError,
    Text(
        "Для формата parquet укажите --output",
        "The parquet format needs --output",
    ),
)

CLI_STORE_ONLY = ErrorCode(
    "cli.store_only",
    ValidationError,
    Text(
        "--year, --year-file и --school-id относятся к таблицам хранилища (--tables store)",
        "--year, --year-file and --school-id apply to the store's tables (--tables store)",
    ),
)

CLI_UNWRITABLE = ErrorCode(
    "cli.unwritable",
    StorageError,
    Text(
        "Не удалось записать «{output}»: {strerror}",
        "Cannot write '{output}': {strerror}",
    ),
)

STORAGE_UNAVAILABLE = ErrorCode(
    "storage.unavailable",
    StorageError,
    Text(
        "Не удалось открыть хранилище «{spec}»: постоянное хранилище (SQL) не установлено",
        "Cannot open store '{spec}': no persistent (SQL) store is installed",
    ),
)


CALENDAR_UNREADABLE = ErrorCode(
    "calendar.unreadable",
    ValidationError,
    Text("Не удалось прочитать файл «{file}»: {reason}", "Cannot read file '{file}': {reason}"),
)
