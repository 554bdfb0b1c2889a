"""What the bulk rules compute: the analyses, their key columns and titles."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from eschool_core.errors import Language
from eschool_core.grading import STATISTIC_DEFINITIONS, StatisticBasis

__all__ = ["Analysis"]


class Analysis(StrEnum):
    """What ``eschool analyze`` computes."""

    PERIOD_MARKS = "period-marks"
    QUALITY = "quality"
    TIMELINESS = "timeliness"
    COMPLETENESS = "completeness"
    ATTENDANCE = "attendance"

    def title(self, language: Language | str = Language.RU) -> str:
        """Return the title of the result in ``language``."""
        ru, en = _TITLES[self]
        return ru if Language(language) is Language.RU else en

    @property
    def keys(self) -> tuple[str, ...]:
        """The columns that identify a row of the result, in reading order.

        >>> Analysis.TIMELINESS.keys
        ('school_id', 'teacher_id', 'class_id', 'month')
        """
        return _KEYS[self]


_KEYS: Mapping[Analysis, tuple[str, ...]] = MappingProxyType(
    {
        Analysis.PERIOD_MARKS: ("school_id", "student_id", "subject_id", "period"),
        Analysis.QUALITY: ("school_id", "class_id", "subject_id", "period"),
        Analysis.TIMELINESS: ("school_id", "teacher_id", "class_id", "month"),
        Analysis.COMPLETENESS: ("school_id", "class_id", "subject_id", "teacher_id", "month"),
        Analysis.ATTENDANCE: ("school_id", "class_id", "month", "kind", "reason"),
    }
)

_PROPOSED = STATISTIC_DEFINITIONS[StatisticBasis.PER_PROPOSED_MARK]
"""The definition of the quality analysis' figures: it counts the proposed period marks."""

_TITLES: Mapping[Analysis, tuple[str, str]] = MappingProxyType(
    {
        Analysis.PERIOD_MARKS: ("Предлагаемые отметки за периоды", "Proposed period marks"),
        Analysis.QUALITY: (
            "Итоги успеваемости: успеваемость, качество знаний, СОУ. " + _PROPOSED.label("ru"),
            "Attainment: success rate, quality, degree of learning. " + _PROPOSED.label("en"),
        ),
        Analysis.TIMELINESS: (
            "Своевременность выставления текущих отметок",
            "Timeliness of current marks",
        ),
        Analysis.COMPLETENESS: (
            "Заполняемость электронных журналов",
            "Completeness of the e-journals",
        ),
        Analysis.ATTENDANCE: ("Пропуски уроков по причинам", "Absences by reason"),
    }
)
