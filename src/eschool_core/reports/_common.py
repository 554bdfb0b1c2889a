"""Pieces shared by the report builders: the built table, ranges, categories, absence counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum
from fractions import Fraction

import attrs

from eschool_core.journal import AbsenceReason, Attendance, AttendanceKind, MarkKind, MarkValue
from eschool_core.reports._data import ReportData
from eschool_core.reports._errors import REPORT_MISSING_PARAM
from eschool_core.reports._table import Cell, Column, ColumnType, ReportParams

__all__ = [
    "ABSENCE_COLUMNS",
    "Absences",
    "StudentCategory",
    "Table",
    "absences",
    "category_of",
    "col",
    "date_range",
    "ratio",
    "require",
]


def col(code: str, ru: str, en: str, kind: str = "int") -> Column:
    """Return a column (a compact constructor for the report definitions)."""
    return Column(code=code, title_ru=ru, title_en=en, type=ColumnType(kind))


@attrs.frozen(kw_only=True)
class Table:
    """What a report builder returns; the catalogue adds the title, clause and moment.

    Attributes:
        columns: Typed columns.
        rows: Rows.
        totals: Totals row, or ``None``.
        subtitle_ru: What the report covers, in Russian.
        subtitle_en: The same in English.
        notes_ru: Lines printed before the table, in Russian.
        notes_en: The same in English.
        after_ru: Lines printed after the table (a journal's topics and homework), Russian.
        after_en: The same in English.
    """

    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]
    totals: Sequence[Cell] | None = None
    subtitle_ru: str = ""
    subtitle_en: str = ""
    notes_ru: Sequence[str] = ()
    notes_en: Sequence[str] = ()
    after_ru: Sequence[str] = ()
    after_en: Sequence[str] = ()


def require(params: ReportParams, *names: str) -> tuple[str, ...]:
    """Return the named text parameters, raising unless every one is set.

    Raises:
        ValidationError: Naming the first missing parameter (code ``report.missing_param``).
    """
    values: list[str] = []
    for name in names:
        value = getattr(params, name)
        if not isinstance(value, str):
            raise REPORT_MISSING_PARAM.error(param=name)
        values.append(value)
    return tuple(values)


def date_range(
    data: ReportData, params: ReportParams, parallel: int = 5
) -> tuple[dt.date, dt.date]:
    """Return the report's date range: ``start``-``end``, else the period's, else the year's.

    A range given only by ``start`` ends at ``as_of`` or the year's end; only by ``end``
    starts at the year's start.
    """
    if params.start is not None or params.end is not None:
        first, last = data.year_span
        start = params.start or first
        end = params.end or params.as_of or last
        return start, max(start, end)
    if params.period is not None:
        span = data.period(parallel, params.period)
        return span.start, span.end
    return data.year_span


def ratio(part: int, whole: int) -> Fraction | None:
    """Return ``part / whole`` exactly, ``None`` when ``whole`` is 0."""
    return Fraction(part, whole) if whole else None


class StudentCategory(StrEnum):
    """Where a student stands by his attestation marks in all subjects (one category each)."""

    EXCELLENT = "excellent"
    """Отличник: only «5»."""
    GOOD = "good"
    """Хорошист: only «4» and «5», at least one «4»."""
    ONE_THREE = "one_three"
    """С одной «3»: exactly one «3», the rest «4» and «5»."""
    SATISFACTORY = "satisfactory"
    """Успевающий с «3»: two or more «3», no failing mark."""
    NOT_ATTESTED = "not_attested"
    """Не аттестован: an «н/а» and no failing mark."""
    FAILING = "failing"
    """Неуспевающий: a «2», «1» or «незач»."""
    NO_MARKS = "no_marks"
    """Нет отметок: no graded mark (only «осв», «зач» or nothing)."""

    @property
    def label_ru(self) -> str:
        """The category in Russian."""
        return _CATEGORY_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The category in English."""
        return _CATEGORY_LABELS[self][1]


_CATEGORY_LABELS = {
    StudentCategory.EXCELLENT: ("отличник", "excellent"),
    StudentCategory.GOOD: ("хорошист", "good"),
    StudentCategory.ONE_THREE: ("с одной «3»", "one «3»"),
    StudentCategory.SATISFACTORY: ("с «3»", "with «3»"),
    StudentCategory.NOT_ATTESTED: ("не аттестован", "not attested"),
    StudentCategory.FAILING: ("неуспевающий", "failing"),
    StudentCategory.NO_MARKS: ("нет отметок", "no marks"),
}


def category_of(marks: Iterable[MarkValue]) -> StudentCategory:
    """Return a student's category from his attestation marks in all subjects.

    >>> category_of([MarkValue.of(5), MarkValue.of(4), MarkValue.of(3)]).value
    'one_three'
    """
    scores: list[int] = []
    not_attested = False
    for mark in marks:
        if mark.kind is MarkKind.FAIL:
            return StudentCategory.FAILING
        if mark.kind is MarkKind.NOT_ATTESTED:
            not_attested = True
        elif mark.score is not None:
            scores.append(mark.score)
    if any(score <= 2 for score in scores):
        return StudentCategory.FAILING
    if not_attested:
        return StudentCategory.NOT_ATTESTED
    if not scores:
        return StudentCategory.NO_MARKS
    threes = scores.count(3)
    if threes >= 2:
        return StudentCategory.SATISFACTORY
    if threes == 1:
        return StudentCategory.ONE_THREE
    return (
        StudentCategory.EXCELLENT if all(score == 5 for score in scores) else StudentCategory.GOOD
    )


@attrs.frozen(kw_only=True)
class Absences:
    """Missed lessons by reason, and late arrivals (R8.2, R8.5.1).

    Attributes:
        illness: Lessons missed through illness.
        valid: Lessons missed for another valid reason.
        unexcused: Lessons missed without a valid reason.
        unknown: Lessons missed, reason not yet known.
        late: Late arrivals.
    """

    illness: int = 0
    valid: int = 0
    unexcused: int = 0
    unknown: int = 0
    late: int = 0

    @property
    def total(self) -> int:
        """All missed lessons (late arrivals excluded)."""
        return self.illness + self.valid + self.unexcused + self.unknown

    def __add__(self, other: Absences) -> Absences:
        return Absences(
            illness=self.illness + other.illness,
            valid=self.valid + other.valid,
            unexcused=self.unexcused + other.unexcused,
            unknown=self.unknown + other.unknown,
            late=self.late + other.late,
        )

    def cells(self) -> list[Cell]:
        """Return total, illness, valid, unexcused, unknown, late (the absence columns)."""
        return [self.total, self.illness, self.valid, self.unexcused, self.unknown, self.late]


ABSENCE_COLUMNS = (
    col("absent", "Пропущено уроков", "Lessons missed"),
    col("illness", "По болезни", "Illness"),
    col("valid", "По уважительной причине", "Valid reason"),
    col("unexcused", "Без уважительной причины", "Unexcused"),
    col("unknown", "Причина не указана", "Reason unknown"),
    col("late", "Опозданий", "Late arrivals"),
)
"""The absence columns, in the order of :meth:`Absences.cells`."""


def absences(records: Iterable[Attendance]) -> Absences:
    """Count missed lessons by reason, and late arrivals."""
    counts: dict[AbsenceReason, int] = dict.fromkeys(AbsenceReason, 0)
    late = 0
    for record in records:
        if record.kind is AttendanceKind.LATE:
            late += 1
        else:
            counts[record.reason] += 1
    return Absences(
        illness=counts[AbsenceReason.ILLNESS],
        valid=counts[AbsenceReason.VALID],
        unexcused=counts[AbsenceReason.UNEXCUSED],
        unknown=counts[AbsenceReason.UNKNOWN],
        late=late,
    )
