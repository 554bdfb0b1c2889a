"""Closed study periods: the period lock as state of the school's data (R8.9).

Once a study period's marks are set the deputy head closes it; its current marks are then
corrected only by the deputy head, with a stated reason (clause 8.9). A closure is one
stored record: when and by whom the period was closed and, once it is reopened, when, by
whom and why. Closing a period again after a reopening is a new record, so the closures
of a year tell for every moment whether a period was closed then
(:func:`closed_at`), which the write service and the compliance checker both ask.

>>> from datetime import UTC, datetime
>>> closure = PeriodClosure(id="2025/2026:Q1", year="2025/2026", period="Q1",
...     closed_at=datetime(2025, 10, 27, 9, tzinfo=UTC), closed_by="dh")
>>> closed_at([closure], "2025/2026", "Q1", datetime(2025, 11, 3, tzinfo=UTC))
True
>>> closed_at([closure], "2025/2026", "Q1", datetime(2025, 10, 1, tzinfo=UTC))
False
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from eschool_core import _validation as v
from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.ids import ClassId, EmployeeId, SubjectId
from eschool_core.texts import Text

PERIOD_CLOSURE_REOPENED_BEFORE_CLOSED = ErrorCode(
    "period_closure.reopened_before_closed",
    ValidationError,
    Text(
        "Закрытие периода {id}: период открыт раньше, чем закрыт",
        "Period closure {id}: reopened before it was closed",
    ),
    clause="8.9",
)

PERIOD_CLOSURE_REOPENING = ErrorCode(
    "period_closure.reopening",
    ValidationError,
    Text(
        "Закрытие периода {id}: открытие требует момента, автора, причины, класса, "
        "предмета и учителя",
        "Period closure {id}: a reopening needs its moment, author, reason, class, subject "
        "and teacher",
    ),
    clause="8.9",
)


__all__ = ["PeriodClosure", "closed_at", "closure_id", "current_closure", "locked_for"]


def closure_id(year: str, period: str, number: int = 1) -> str:
    """Return the id of the ``number``-th closure of a period: ``"2025/2026:Q1"``, ``"...:Q1#2"``.

    >>> closure_id("2025/2026", "Q2"), closure_id("2025/2026", "Q2", 3)
    ('2025/2026:Q2', '2025/2026:Q2#3')
    """
    base = f"{year}:{period}"
    return base if number == 1 else f"{base}#{number}"


@attrs.frozen(kw_only=True)
class PeriodClosure:
    """One closing of a study period, and its reopening once that happens (R8.9).

    Attributes:
        id: Id of the record (:func:`closure_id`).
        year: The academic year, ``"2025/2026"``.
        period: The study period's code (``"Q2"``); it covers every parallel whose scheme
            has that period.
        closed_at: When the period was closed (timezone-aware).
        closed_by: The employee who closed it.
        reopened_at: When it was reopened, ``None`` while it is closed.
        reopened_by: Who reopened it.
        reopen_reason: The stated reason of the reopening (required with a reopening).
        reopened_class_id: The class the reopening is for.
        reopened_subject_id: The subject the reopening is for.
        reopened_teacher_id: The subject teacher who corrects while it is reopened. The
            three are given together, only with a reopening; the service always names them
            (a reopening stored before they existed has none and admits no write).

    Raises:
        ValidationError: For naive moments, a reopening before the closing, a reopening
            without its author or reason (and those without a reopening), or a class,
            subject and teacher not given together or given without a reopening.
    """

    id: str = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    period: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    closed_at: datetime = attrs.field(validator=v.aware_datetime)
    closed_by: EmployeeId = attrs.field(validator=v.non_empty_text)
    reopened_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    reopened_by: EmployeeId | None = None
    reopen_reason: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    reopened_class_id: ClassId | None = attrs.field(default=None, converter=v.strip_optional_text)
    reopened_subject_id: SubjectId | None = attrs.field(
        default=None, converter=v.strip_optional_text
    )
    reopened_teacher_id: EmployeeId | None = attrs.field(
        default=None, converter=v.strip_optional_text
    )

    def __attrs_post_init__(self) -> None:
        reopened = self.reopened_at is not None
        scope = (self.reopened_class_id, self.reopened_subject_id, self.reopened_teacher_id)
        scoped = {value is not None for value in scope}
        if (
            reopened != (self.reopened_by is not None)
            or reopened != (self.reopen_reason is not None)
            or len(scoped) != 1
            or (scoped == {True} and not reopened)
        ):
            raise PERIOD_CLOSURE_REOPENING.error(id=self.id)
        if self.reopened_at is not None and self.reopened_at < self.closed_at:
            raise PERIOD_CLOSURE_REOPENED_BEFORE_CLOSED.error(id=self.id)

    @property
    def is_open(self) -> bool:
        """Whether the period has been reopened since this closing."""
        return self.reopened_at is not None

    def covers(self, moment: datetime) -> bool:
        """Return whether the period was closed by this record at ``moment``."""
        return self.closed_at <= moment and (self.reopened_at is None or moment < self.reopened_at)

    def admits(self, class_id: str | None, subject_id: str, teacher_id: str | None) -> bool:
        """Return whether a write of ``class_id``'s ``subject_id`` by ``teacher_id`` passes.

        Only a reopened closure admits writes, and only those of the class, subject and
        teacher it was reopened for (R8.9, R8.10); ``None`` (no class, no teacher's card)
        never matches.

        >>> from datetime import UTC, datetime
        >>> at = datetime(2025, 11, 3, tzinfo=UTC)
        >>> closure = PeriodClosure(id="2025/2026:Q1", year="2025/2026", period="Q1",
        ...     closed_at=at, closed_by="dh", reopened_at=at, reopened_by="dh",
        ...     reopen_reason="ошибка", reopened_class_id="5A", reopened_subject_id="math",
        ...     reopened_teacher_id="t1")
        >>> closure.admits("5A", "math", "t1"), closure.admits("5B", "math", "t1")
        (True, False)
        """
        return (
            self.is_open
            and class_id is not None
            and teacher_id is not None
            and (class_id, subject_id, teacher_id)
            == (self.reopened_class_id, self.reopened_subject_id, self.reopened_teacher_id)
        )


def closed_at(closures: Iterable[PeriodClosure], year: str, period: str, moment: datetime) -> bool:
    """Return whether period ``period`` of ``year`` was closed at ``moment`` (R8.9).

    Raises:
        ValidationError: If ``moment`` is naive.
    """
    v.aware_datetime(None, attrs.fields(PeriodClosure).closed_at, moment)
    return any(c.year == year and c.period == period and c.covers(moment) for c in closures)


def locked_for(
    closures: Iterable[PeriodClosure],
    year: str,
    period: str,
    moment: datetime,
    scope: tuple[str | None, str, str | None],
) -> bool:
    """Return whether a write of ``scope`` in ``period`` of ``year`` was locked at ``moment``.

    The period is locked while a closure is in force, and after the last closure was
    reopened for every write outside the reopening's class, subject and teacher
    (``scope`` is ``(class_id, subject_id, teacher_id)``; R8.9, R8.10). A period never
    closed is not locked.

    Raises:
        ValidationError: If ``moment`` is naive.
    """
    if closed_at(closures, year, period, moment):
        return True
    reopened = [
        c
        for c in closures
        if c.year == year
        and c.period == period
        and c.reopened_at is not None
        and c.reopened_at <= moment
    ]
    if not reopened:
        return False
    latest = max(reopened, key=lambda c: c.reopened_at or c.closed_at)
    return not latest.admits(*scope)


def current_closure(
    closures: Iterable[PeriodClosure], year: str, period: str
) -> PeriodClosure | None:
    """Return the closure of ``period`` of ``year`` still in force (not reopened), or ``None``."""
    return next(
        (c for c in closures if c.year == year and c.period == period and not c.is_open), None
    )
