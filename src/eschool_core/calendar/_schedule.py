"""The study periods, school week and shifts of one parallel in one year."""

from __future__ import annotations

from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.calendar._errors import CALENDAR_BAD_SCHEME
from eschool_core.calendar._periods import PeriodScheme, StudyPeriod
from eschool_core.texts import Text

__all__ = ["ParallelSchedule"]


def _week_days(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    v.int_in_range(5, 6, "calendar.week_days")(_instance, attribute, value)


@attrs.frozen(kw_only=True)
class ParallelSchedule:
    """The study periods, school week and shifts of one parallel in one year.

    Attributes:
        periods: The study periods in date order, all of one scheme.
        week_days: School days a week: 5 (Monday-Friday) or 6 (Monday-Saturday).
        shifts: The number of shifts the parallel studies in (1 or 2).

    Raises:
        ValidationError: If the periods are not exactly the codes of one scheme in order.
    """

    periods: tuple[StudyPeriod, ...] = attrs.field(converter=v.to_tuple)
    week_days: int = attrs.field(default=5, validator=_week_days)
    shifts: int = attrs.field(default=1, validator=v.int_in_range(1, 2, "calendar.shifts"))

    def __attrs_post_init__(self) -> None:
        codes = tuple(period.code for period in self.periods)
        if not codes or codes != codes[0].scheme.codes:
            raise CALENDAR_BAD_SCHEME.error(
                details={},
                reason=Text(
                    f"периоды {[str(c) for c in codes]} не образуют схему "
                    "(четверти Q1–Q4, триместры T1–T3 или полугодия H1–H2, по порядку)",
                    f"the periods {[str(c) for c in codes]} do not form a scheme "
                    "(quarters Q1-Q4, trimesters T1-T3 or half-years H1-H2, in order)",
                ),
            )

    @property
    def scheme(self) -> PeriodScheme:
        """The scheme of the periods."""
        return self.periods[0].code.scheme
