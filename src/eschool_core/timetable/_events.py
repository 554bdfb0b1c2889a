"""School and class events, with who entered them and when (R7.1-R7.3, R7.7b, R7.7e)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from enum import StrEnum

import attrs

from eschool_core import _validation as v
from eschool_core.ids import ClassId, EmployeeId, EventId
from eschool_core.timetable._errors import EVENT_ENDS_BEFORE_START, EVENT_NO_CLASS

__all__ = ["EventKind", "SchoolEvent"]


class EventKind(StrEnum):
    """A school event (kept by the deputy head) or a class event (by the class teacher)."""

    SCHOOL = "school"
    CLASS = "class"

    @property
    def requirement(self) -> str:
        """The requirement on the event's entry moment: R7.7b or R7.7e."""
        return "R7.7b" if self is EventKind.SCHOOL else "R7.7e"

    @property
    def responsible_requirement(self) -> str:
        """The requirement naming who keeps such events: R7.2 or R7.3."""
        return "R7.2" if self is EventKind.SCHOOL else "R7.3"


@attrs.frozen(kw_only=True)
class SchoolEvent:
    """A school or class event in the timetable (R7.1-R7.3).

    Attributes:
        id: Id of the event.
        year: Academic-year label.
        kind: School or class event.
        title: What happens.
        starts_on: The date of the event.
        ends_on: The last day, for an event of several days.
        class_ids: The classes of a class event (one or more); empty for a school event of
            the whole school.
        vacation_start: For a school event before a vacation, the vacation's first day: the
            lead time of R7.7b counts to it.
        entered_by: Who entered the event.
        entered_at: When it was entered (timezone-aware).

    Raises:
        ValidationError: If a class event names no class, the dates are reversed, or the
            entry moment is naive.

    >>> e = SchoolEvent(id="e1", year="2025/2026", kind="class", title="Экскурсия",
    ...     starts_on=dt.date(2025, 10, 10), class_ids=["5a"], entered_by="t1",
    ...     entered_at=dt.datetime(2025, 10, 1, 9, tzinfo=dt.UTC))
    >>> e.lead_days(zoneinfo.ZoneInfo("Europe/Moscow")), e.kind.requirement
    (9, 'R7.7e')
    """

    id: EventId = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    kind: EventKind = attrs.field(converter=EventKind)
    title: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    starts_on: dt.date = attrs.field(validator=v.plain_date)
    entered_by: EmployeeId = attrs.field(validator=v.non_empty_text)
    entered_at: dt.datetime = attrs.field(validator=v.aware_datetime)
    ends_on: dt.date | None = attrs.field(default=None, validator=v.optional_plain_date)
    class_ids: frozenset[ClassId] = attrs.field(factory=frozenset, converter=v.to_id_set)
    vacation_start: dt.date | None = attrs.field(default=None, validator=v.optional_plain_date)

    def __attrs_post_init__(self) -> None:
        if self.kind is EventKind.CLASS and not self.class_ids:
            raise EVENT_NO_CLASS.error(details={"id": self.id}, title=self.title)
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise EVENT_ENDS_BEFORE_START.error(details={"id": self.id}, title=self.title)

    @property
    def reference_date(self) -> dt.date:
        """The date the entry lead time counts to: the vacation's start, else the event's."""
        if self.vacation_start is not None:
            return min(self.vacation_start, self.starts_on)
        return self.starts_on

    def entered_on(self, zone: zoneinfo.ZoneInfo) -> dt.date:
        """Return the school-local date the event was entered."""
        return self.entered_at.astimezone(zone).date()

    def lead_days(self, zone: zoneinfo.ZoneInfo) -> int:
        """Return the calendar days from the entry date to the reference date (R7.7b, R7.7e).

        Negative when the event was entered after it happened.
        """
        return (self.reference_date - self.entered_on(zone)).days
