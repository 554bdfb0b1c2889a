"""The error codes of ``eschool_core.interop``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.texts import Text

ONEROSTER_NO_SOURCE = ErrorCode(
    "oneroster.no_source",
    ValidationError,
    Text(
        "Нет папки или zip-файла OneRoster: {source}",
        "No OneRoster folder or zip file: {source}",
    ),
)
