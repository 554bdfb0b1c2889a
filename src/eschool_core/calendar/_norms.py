"""Federal norms of the academic year: warnings, not errors."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, Final

import attrs

from eschool_core.problems import Severity, problem_dict
from eschool_core.texts import Text

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
        message: The message in Russian and English.
    """

    code: WarningCode
    parallel: int
    norm: str
    message: Text

    clause: ClassVar[None] = None
    """No clause of the regulation: the norm is federal (:attr:`norm`)."""
    requirement: ClassVar[None] = None
    """No requirement id of the regulation."""
    severity: ClassVar[Severity] = Severity.WARNING
    """Always a warning: the year is kept, the school decides."""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form shared by every finding (docs/compliance.md).

        The entity is the parallel (``{"kind": "parallel", "id": "5"}``); the norm's source
        is in ``details``.
        """
        return problem_dict(
            code=self.code.value,
            clause=None,
            requirement=None,
            severity=self.severity,
            message=self.message,
            entity_kind="parallel",
            entity_id=str(self.parallel),
            details={"parallel": self.parallel, "norm": self.norm},
        )
