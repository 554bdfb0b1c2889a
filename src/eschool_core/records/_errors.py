"""The error codes of ``eschool_core.records``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.texts import Text

MANIFEST_ABSENT = ErrorCode(
    "manifest.absent",
    ValidationError,
    Text(
        "В выгрузке нет описи «{MANIFEST_NAME}»",
        "The export has no manifest '{MANIFEST_NAME}'",
    ),
    clause="9.4",
)

MANIFEST_BAD_DIGEST = ErrorCode(
    "manifest.bad_digest",
    ValidationError,
    Text(
        "Контрольная сумма SHA-256 — 64 шестнадцатеричные цифры, получено {value!r}",
        "A SHA-256 digest is 64 lowercase hex digits, got {value!r}",
    ),
    clause="9.4",
)

MANIFEST_BAD_NAMES = ErrorCode(
    "manifest.bad_names",
    ValidationError,
    Text(
        "В описи файлы повторяются или файл назван как сама опись",
        "The manifest repeats a file name or lists a file named like itself",
    ),
    clause="9.4",
)

MANIFEST_UNREADABLE = ErrorCode(
    "manifest.unreadable",
    ValidationError,
    Text(
        "Опись файлов повреждена или имеет неизвестный формат",
        "The file manifest is damaged or of an unknown format",
    ),
    clause="9.4",
)

RECORDS_DUPLICATE_KIND = ErrorCode(
    "records.duplicate_kind",
    ValidationError,
    Text(
        "Вид дел «{twice}» указан в номенклатуре дважды",
        "Record kind '{twice}' is given twice in the records schedule",
    ),
    clause="9.2",
)

RECORDS_PERMANENT_WITHOUT_ARCHIVE = ErrorCode(
    "records.permanent_without_archive",
    ValidationError,
    Text(
        "Дела «{title}» хранятся постоянно: укажите срок передачи в архив",
        "Records '{title}' are permanent: give the years to archive transfer",
    ),
)

RECORDS_UNSCHEDULED = ErrorCode(
    "records.unscheduled",
    ValidationError,
    Text(
        "Вида дел «{code}» нет в номенклатуре дел",
        "Record kind '{code}' is not in the records schedule",
    ),
    clause="9.2",
)
