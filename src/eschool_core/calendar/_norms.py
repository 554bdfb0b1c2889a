"""Federal norms of the academic year: warnings, not errors."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import attrs

__all__ = ["NORM_SOURCE", "CalendarWarning", "WarningCode"]

NORM_SOURCE: Final = (
    "ФОП НОО, ФОП ООО, ФОП СОО (приказы Минпросвещения России от 18.05.2023 № 372, 370, 371), "
    "федеральный календарный учебный график; ч. 6.1 ст. 12 Федерального закона № 273-ФЗ"
)
"""The federal norms of the length of the school year and of vacations."""


class WarningCode(StrEnum):
    """What federal norm an academic year breaks (a warning, not an error)."""

    SHORT_YEAR = "calendar.norm.short_year"
    SHORT_VACATIONS = "calendar.norm.short_vacations"
    SHORT_SUMMER = "calendar.norm.short_summer"


@attrs.frozen(kw_only=True)
class CalendarWarning:
    """A federal norm an academic year breaks, for one parallel.

    Attributes:
        code: What is broken.
        parallel: The parallel concerned.
        norm: The norm's source (:data:`NORM_SOURCE`).
        message_ru: The message in Russian.
        message_en: The message in English.
    """

    code: WarningCode
    parallel: int
    norm: str
    message_ru: str
    message_en: str

    def message(self, language: str = "ru") -> str:
        """Return the message in ``language`` (``"ru"`` or ``"en"``)."""
        return self.message_en if language == "en" else self.message_ru
