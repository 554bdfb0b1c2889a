"""Timeliness of journal entries for the journal reports (R8.6, R11.3c).

When a :class:`~eschool_core.reports.ReportData` carries the deadline checker's
:class:`~eschool_core.deadlines.ComplianceReport`, its findings decide what is late (the
profile's ``journal.*`` rules); without one, :func:`entry_timeliness` applies R8.6 directly,
with the extension of the profile's :class:`~eschool_core.deadlines.EntryDeadlines`. Both
agree on the default profile (a test proves it on a synthetic school).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from enum import StrEnum

from eschool_core.deadlines import EntryDeadlines
from eschool_core.journal import Mark

__all__ = ["Timeliness", "entry_timeliness", "mark_timeliness"]


class Timeliness(StrEnum):
    """How a current mark was entered, judged by R8.6."""

    ON_TIME = "on_time"
    """On the day of the lesson (or before), in the school's time zone."""
    EXTENDED = "extended"
    """After the day, within the extension (3 calendar days by the regulation), with a reason."""
    LATE = "late"
    """After the day without a valid reason, or after the extension with one."""

    @property
    def in_time(self) -> bool:
        """Whether the entry meets R8.6."""
        return self is not Timeliness.LATE


def mark_timeliness(mark: Mark, zone: zoneinfo.ZoneInfo, deadlines: EntryDeadlines) -> Timeliness:
    """Judge when a current mark was entered against the day of its lesson (R8.6).

    Args:
        mark: The mark.
        zone: The school's time zone: the day of entry is judged there.
        deadlines: The profile's entry deadlines (``rules_for(profile, year).deadlines``).

    >>> import datetime as dt
    >>> from eschool_core.grading._examples import example_mark
    >>> import attrs
    >>> zone = zoneinfo.ZoneInfo("Europe/Moscow")
    >>> mark = example_mark(5, on=dt.date(2025, 9, 1))
    >>> late = attrs.evolve(mark, entered_at=dt.datetime(2025, 9, 1, 22, tzinfo=dt.UTC))
    >>> from eschool_core.profiles import default_profile
    >>> deadlines = default_profile().deadlines.entry_deadlines
    >>> mark_timeliness(late, zone, deadlines).value  # 01:00 on 2 September in Moscow
    'late'
    """
    return entry_timeliness(mark.entered_at, mark.date, mark.late_reason, zone, deadlines)


def entry_timeliness(
    entered_at: dt.datetime,
    day: dt.date,
    late_reason: str | None,
    zone: zoneinfo.ZoneInfo,
    deadlines: EntryDeadlines,
) -> Timeliness:
    """Judge an entry made at ``entered_at`` for the lesson day ``day`` by R8.6.

    Args:
        entered_at: When it was entered (timezone-aware).
        day: The day of the lesson.
        late_reason: The stated valid reason for a late entry, if any.
        zone: The school's time zone.
        deadlines: The profile's entry deadlines: the calendar days a valid reason adds
            (``extension_days``).
    """
    extension = deadlines.extension_days
    entered_on = entered_at.astimezone(zone).date()
    if entered_on <= day:
        return Timeliness.ON_TIME
    if late_reason is not None and (entered_on - day).days <= extension:
        return Timeliness.EXTENDED
    return Timeliness.LATE
