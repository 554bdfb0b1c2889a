"""A report as a typed table: title, parameters, typed columns, rows, totals (R11.1, R2.2l)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from fractions import Fraction
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.errors import Language, ValidationError
from eschool_core.grading import format_decimal, format_percent
from eschool_core.reports._errors import (
    REPORT_BAD_RANGE,
    REPORT_NO_COLUMN,
    REPORT_NO_ROW,
    REPORT_SHAPE,
)
from eschool_core.reports._wording import Signatory, Signature, signature_name
from eschool_core.texts import Text

__all__ = [
    "TOTALS_LABEL",
    "Cell",
    "Column",
    "ColumnType",
    "Report",
    "ReportParams",
    "format_count",
    "with_director",
]

Cell = str | int | Fraction | dt.date | None
"""A report cell: text, a whole number, an exact number, a date, or ``None`` (empty)."""

_DASH = "—"

TOTALS_LABEL = {Language.RU: "Итого", Language.EN: "Total"}
"""The label of a totals row that carries none of its own, by language."""

_GROUP_SEPARATOR = {Language.RU: "\u00a0", Language.EN: ","}


def format_count(value: int, language: Language | str = Language.RU) -> str:
    r"""Return a whole number with its thousands grouped, as a reader of ``language`` writes it.

    Russian separates groups with a no-break space («10 259», which a line never breaks),
    English with a comma.

    >>> format_count(10259), format_count(1865, "en"), format_count(-31800), format_count(999)
    ('10\xa0259', '1,865', '-31\xa0800', '999')
    """
    return f"{value:,}".replace(",", _GROUP_SEPARATOR[Language(language)])


class ColumnType(StrEnum):
    """The type of a report column; it decides the cell's Python type and its display."""

    TEXT = "text"
    """Text (``str``)."""
    INT = "int"
    """A whole number (``int``)."""
    DECIMAL = "decimal"
    """An exact number (``Fraction``), shown with two decimals."""
    PERCENT = "percent"
    """A share 0..1 (``Fraction``), shown as a percentage with two decimals."""
    DATE = "date"
    """A date (``datetime.date``), shown as ``dd.mm.yyyy``."""
    MARK = "mark"
    """A journal mark in its written form (``"5"``, ``"н/а"``, ``"5 4 3"`` for several)."""

    def accepts(self, value: object) -> bool:
        """Return whether ``value`` is a valid cell of this type (``None`` always is)."""
        if value is None:
            return True
        if self in (ColumnType.TEXT, ColumnType.MARK):
            return isinstance(value, str)
        if self is ColumnType.INT:
            return isinstance(value, int) and not isinstance(value, bool)
        if self is ColumnType.DATE:
            return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        return isinstance(value, Fraction | int) and not isinstance(value, bool)


@attrs.frozen(kw_only=True)
class Column:
    """A typed column of a report.

    Attributes:
        code: Stable code of the column (``"quality"``), used by CSV/JSON consumers.
        title_ru: Heading in Russian.
        title_en: Heading in English.
        type: The type of its cells.
    """

    code: str = attrs.field(validator=v.non_empty_text)
    title_ru: str = attrs.field(validator=v.non_empty_text)
    title_en: str = attrs.field(validator=v.non_empty_text)
    type: ColumnType = attrs.field(converter=ColumnType)

    def title(self, language: Language | str = Language.RU) -> str:
        """Return the heading in ``language``."""
        return self.title_ru if Language(language) is Language.RU else self.title_en

    def format(self, value: Cell, language: Language | str = Language.RU) -> str:
        """Return a cell of this column as display text (``"—"`` for an empty cell).

        >>> Column(code="q", title_ru="Качество", title_en="Quality", type="percent").format(
        ...     Fraction(2, 3))
        '66,67 %'
        """
        if value is None:
            return _DASH
        if self.type is ColumnType.PERCENT and not isinstance(value, str | dt.date):
            return format_percent(value, language)
        if self.type is ColumnType.DECIMAL and not isinstance(value, str | dt.date):
            return format_decimal(value, 2, language)
        if isinstance(value, dt.date):
            return value.strftime("%d.%m.%Y")
        if self.type is ColumnType.INT and isinstance(value, int):
            return format_count(value, language)
        return str(value)


def _to_columns(value: Sequence[Column]) -> tuple[Column, ...]:
    return tuple(value)


def _to_rows(value: Sequence[Sequence[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(tuple(row) for row in value)


def _to_totals(value: Sequence[Cell] | None) -> tuple[Cell, ...] | None:
    return None if value is None else tuple(value)


def _to_notes(value: Sequence[str]) -> tuple[str, ...]:
    return tuple(value)


def _to_signatures(value: Sequence[Signature]) -> tuple[Signature, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ReportParams:
    """The parameters a report was built for; unset ones are ``None``.

    Attributes:
        class_id: The class.
        student_id: The student.
        subject_id: The subject.
        teacher_id: The teacher (an employee id).
        period: Study-period code (``"Q1"``, ``"H2"``) or ``"year"`` for annual marks.
        start: First day of a date range.
        end: Last day of a date range.
        as_of: The day a report describes (rosters, ages, deadlines).

    Raises:
        ValidationError: If a date is a ``datetime`` or the range is reversed.
    """

    class_id: str | None = None
    student_id: str | None = None
    subject_id: str | None = None
    teacher_id: str | None = None
    period: str | None = None
    start: dt.date | None = attrs.field(default=None, validator=v.optional_plain_date)
    end: dt.date | None = attrs.field(default=None, validator=v.optional_plain_date)
    as_of: dt.date | None = attrs.field(default=None, validator=v.optional_plain_date)

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise REPORT_BAD_RANGE.error()

    def to_json(self) -> dict[str, str]:
        """Return the parameters that are set, as JSON data."""
        result: dict[str, str] = {}
        for field in attrs.fields(ReportParams):
            value = getattr(self, field.name)
            if value is not None:
                result[field.name] = value.isoformat() if isinstance(value, dt.date) else value
        return result


@attrs.frozen(kw_only=True)
class Report:
    """A built report: a typed table with its title, parameters and provenance (R11.1).

    Attributes:
        code: Code of the report in the catalogue (``"class_period_results"``).
        title_ru: The regulation's Russian title, verbatim.
        title_en: The English title.
        clause: The clause of the regulation it serves (``"11.4"``).
        requirement: The requirement id (``"R11.4a"``).
        school_name: The school's name, for headers of printed copies (R9.3).
        subtitle_ru: What the report covers (class, period, dates), in Russian.
        subtitle_en: The same in English.
        params: The parameters it was built for.
        columns: Its typed columns.
        rows: Its rows, one cell per column.
        totals: The totals row, or ``None``.
        notes_ru: Text lines printed before the table (a letter's salutation), in Russian.
        notes_en: The same in English.
        generated_at: When it was built (timezone-aware; passed in, never read from a clock;
            :func:`run_report` gives it in the school's time zone).
        after_ru: Lines printed after the table (a journal's topics and homework), Russian.
        after_en: The same in English.
        signatures: The signature lines of a printed copy, in order (R9.3): the people the
            regulation makes responsible for the report, then the director.

    Raises:
        ValidationError: If a row or the totals do not match the columns in length or type,
            column codes repeat, or ``generated_at`` is naive.
    """

    code: str = attrs.field(validator=v.non_empty_text)
    title_ru: str = attrs.field(validator=v.non_empty_text)
    title_en: str = attrs.field(validator=v.non_empty_text)
    clause: str = attrs.field(validator=v.non_empty_text)
    requirement: str = attrs.field(validator=v.non_empty_text)
    school_name: str = attrs.field(validator=v.non_empty_text)
    params: ReportParams
    columns: tuple[Column, ...] = attrs.field(converter=_to_columns)
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_to_rows)
    generated_at: dt.datetime = attrs.field(validator=v.aware_datetime)
    totals: tuple[Cell, ...] | None = attrs.field(default=None, converter=_to_totals)
    subtitle_ru: str = ""
    subtitle_en: str = ""
    notes_ru: tuple[str, ...] = attrs.field(default=(), converter=_to_notes)
    notes_en: tuple[str, ...] = attrs.field(default=(), converter=_to_notes)
    signatures: tuple[Signature, ...] = attrs.field(default=(), converter=_to_signatures)
    after_ru: tuple[str, ...] = attrs.field(default=(), converter=_to_notes)
    after_en: tuple[str, ...] = attrs.field(default=(), converter=_to_notes)

    def __attrs_post_init__(self) -> None:
        codes = [column.code for column in self.columns]
        if len(set(codes)) != len(codes):
            raise self._shape_error("коды столбцов повторяются", "column codes repeat")
        lines: list[tuple[Cell, ...]] = list(self.rows)
        if self.totals is not None:
            lines.append(self.totals)
        for line in lines:
            if len(line) != len(self.columns):
                raise self._shape_error(
                    "число ячеек строки не равно числу столбцов",
                    "a row's cell count differs from the column count",
                )
            for column, cell in zip(self.columns, line, strict=True):
                if not column.type.accepts(cell):
                    raise self._shape_error(
                        f"значение {cell!r} не подходит столбцу «{column.code}» ({column.type})",
                        f"value {cell!r} does not fit column '{column.code}' ({column.type})",
                    )

    def _shape_error(self, ru: str, en: str) -> ValidationError:
        return REPORT_SHAPE.error(details={"report": self.code}, reason=Text(ru, en))

    def title(self, language: Language | str = Language.RU) -> str:
        """Return the title in ``language``."""
        return self.title_ru if Language(language) is Language.RU else self.title_en

    def subtitle(self, language: Language | str = Language.RU) -> str:
        """Return the subtitle in ``language``."""
        return self.subtitle_ru if Language(language) is Language.RU else self.subtitle_en

    def notes(self, language: Language | str = Language.RU) -> tuple[str, ...]:
        """Return the lines printed before the table, in ``language``."""
        return self.notes_ru if Language(language) is Language.RU else self.notes_en

    def after(self, language: Language | str = Language.RU) -> tuple[str, ...]:
        """Return the lines printed after the table, in ``language``."""
        return self.after_ru if Language(language) is Language.RU else self.after_en

    def headings(self, language: Language | str = Language.RU) -> list[str]:
        """Return the column headings in ``language``."""
        return [column.title(language) for column in self.columns]

    def index(self, code: str) -> int:
        """Return the position of the column ``code``.

        Raises:
            NotFoundError: If the report has no such column.
        """
        for position, column in enumerate(self.columns):
            if column.code == code:
                return position
        raise REPORT_NO_COLUMN.error(details={"column": code}, code=self.code)

    def column(self, code: str) -> list[Cell]:
        """Return the cells of the column ``code``, row by row (totals excluded)."""
        position = self.index(code)
        return [row[position] for row in self.rows]

    def cell(self, row: int, code: str) -> Cell:
        """Return the cell of row ``row`` (0-based) in the column ``code``."""
        return self.rows[row][self.index(code)]

    def total(self, code: str) -> Cell:
        """Return the totals cell of the column ``code`` (``None`` without totals)."""
        return None if self.totals is None else self.totals[self.index(code)]

    def find_row(self, code: str, value: Cell) -> tuple[Cell, ...]:
        """Return the first row whose cell in ``code`` equals ``value``.

        Raises:
            NotFoundError: If there is none.
        """
        position = self.index(code)
        for row in self.rows:
            if row[position] == value:
                return row
        raise REPORT_NO_ROW.error(details={"column": code, "value": str(value)}, code=self.code)

    def totals_label_at(self) -> int | None:
        """Return the column where the totals row shows :data:`TOTALS_LABEL`, if it needs one.

        A totals row with no text of its own (only numbers) is labelled in its first empty
        cell; ``None`` when there is no totals row, it has its own label, or no empty cell.
        """
        if self.totals is None or any(isinstance(cell, str) and cell for cell in self.totals):
            return None
        return next((index for index, cell in enumerate(self.totals) if cell is None), None)

    def formatted(self, language: Language | str = Language.RU) -> list[list[str]]:
        """Return every row, then the totals row, as display text.

        Whole numbers are grouped by thousands (:func:`format_count`); a totals row without
        a label of its own reads «Итого» (:meth:`totals_label_at`).
        """
        lines: list[tuple[Cell, ...]] = list(self.rows)
        if self.totals is not None:
            lines.append(self.totals)
        shown = [
            [column.format(cell, language) for column, cell in zip(self.columns, line, strict=True)]
            for line in lines
        ]
        label = self.totals_label_at()
        if label is not None:
            shown[-1][label] = TOTALS_LABEL[Language(language)]
        return shown

    def to_arrow(self, *, totals: bool = False) -> Any:  # noqa: ANN401 - pyarrow is optional
        """Return the rows as a ``pyarrow.Table``, one typed column per column code.

        Decimals and percentages become floats; a percentage is a share 0..1 (0.7059), as
        everywhere in the library. A column of marks becomes numbers (``int64``) when each of
        its cells is one score or a mark without one (``н/а``, ``осв``: null); a column with
        several marks in a cell (``"5 4"``) stays text. Needs the ``analytics`` extra
        (pyarrow).

        Args:
            totals: Whether to append the totals row.

        Raises:
            ModuleNotFoundError: If pyarrow is not installed.
        """
        from eschool_core._frames import to_arrow  # noqa: PLC0415 - optional extra inside

        lines: list[tuple[Cell, ...]] = list(self.rows)
        if totals and self.totals is not None:
            lines.append(self.totals)
        return to_arrow([(c.code, _ARROW_KINDS[c.type]) for c in self.columns], lines)

    def to_pandas(self, *, totals: bool = False, headings: bool = False) -> Any:  # noqa: ANN401
        """Return the rows as a ``pandas.DataFrame`` (see :meth:`to_arrow`).

        Args:
            totals: Whether to append the totals row.
            headings: Name the columns by their Russian headings instead of their codes.

        Raises:
            ModuleNotFoundError: If pandas or pyarrow (the ``analytics`` extra) is missing.
        """
        frame = self.to_arrow(totals=totals).to_pandas()
        if headings:
            frame.columns = self.headings()
        return frame

    def _repr_html_(self) -> str:
        """The report as an HTML table, for a notebook's display."""
        from eschool_core._frames import html_table  # noqa: PLC0415 - light, core module

        return html_table(
            self.title_ru,
            self.headings(),
            self.formatted(),
            caption=self.subtitle_ru,
            bold_last=self.totals is not None,
        )

    def to_json(self, language: Language | str = Language.RU) -> dict[str, Any]:
        """Return the report as JSON data: exact numbers as strings (``"13/3"``), dates ISO."""
        return {
            "code": self.code,
            "title": self.title(language),
            "title_ru": self.title_ru,
            "title_en": self.title_en,
            "subtitle": self.subtitle(language),
            "clause": self.clause,
            "requirement": self.requirement,
            "school": self.school_name,
            "params": self.params.to_json(),
            "generated_at": self.generated_at.isoformat(),
            "notes": list(self.notes(language)),
            "after": list(self.after(language)),
            "columns": [
                {"code": c.code, "title": c.title(language), "type": c.type.value}
                for c in self.columns
            ],
            "rows": [[_json_cell(cell) for cell in row] for row in self.rows],
            "totals": None if self.totals is None else [_json_cell(cell) for cell in self.totals],
        }


_ARROW_KINDS = {
    ColumnType.TEXT: "text",
    ColumnType.MARK: "mark",
    ColumnType.INT: "int",
    ColumnType.DECIMAL: "float",
    ColumnType.PERCENT: "float",
    ColumnType.DATE: "date",
}


def _json_cell(cell: Cell) -> str | int | None:
    if isinstance(cell, Fraction):
        return str(cell)
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return cell


def with_director(report: Report, name: str | None) -> Report:
    """Return ``report`` signed by the director ``name`` the caller names (R9.3).

    The name, in the form of :func:`signature_name`, goes on the director's line, the last
    one (which is added where the report had none); ``None`` leaves the report as it is.

    >>> from eschool_core.reports._examples import example_report
    >>> signed = with_director(example_report(), "Смирнова Елена Викторовна")
    >>> [s.line() for s in signed.signatures]
    ['Директор  ________________  / Смирнова Е. В. /']
    """
    if name is None:
        return report
    director = Signature(signatory=Signatory.DIRECTOR, name=signature_name(name))
    others = [s for s in report.signatures if s.signatory is not Signatory.DIRECTOR]
    return attrs.evolve(report, signatures=(*others, director))
