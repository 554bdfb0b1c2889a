"""Renderers of the core: text (a rich table), Markdown, CSV and JSON (R2.2l).

``rich`` is imported only inside :func:`render_text`, so importing the reports never loads it.
Plain cell values (:func:`plain_cells`) are shared by CSV and XLSX, so both hold the same cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from enum import StrEnum
from fractions import Fraction

from eschool_core._extras import require
from eschool_core.errors import Language
from eschool_core.grading import format_decimal
from eschool_core.reports._table import Cell, Column, ColumnType, Report
from eschool_core.reports._wording import format_moment

__all__ = [
    "CsvDialect",
    "PlainCell",
    "plain_cell",
    "plain_cells",
    "render_csv",
    "render_json",
    "render_markdown",
    "render_text",
]

PlainCell = str | int | float | dt.date | None
"""A cell as spreadsheets hold it: decimals rounded to 2 places, percentages in percent."""


def plain_cell(column: Column, cell: Cell) -> PlainCell:
    """Return a cell as a plain value: decimals to 2 places, percentages as percent (66.67).

    >>> plain_cell(Column(code="q", title_ru="К", title_en="Q", type="percent"), Fraction(2, 3))
    66.67
    """
    if isinstance(cell, Fraction) or (
        isinstance(cell, int) and column.type in (ColumnType.DECIMAL, ColumnType.PERCENT)
    ):
        value = cell * 100 if column.type is ColumnType.PERCENT else cell
        return float(format_decimal(value, 2, "en"))
    return cell


def plain_cells(report: Report) -> list[list[PlainCell]]:
    """Return every row, then the totals row, as plain values."""
    lines = list(report.rows)
    if report.totals is not None:
        lines.append(report.totals)
    return [
        [plain_cell(column, cell) for column, cell in zip(report.columns, line, strict=True)]
        for line in lines
    ]


def _csv_text(value: PlainCell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


class CsvDialect(StrEnum):
    """The flavour of a CSV file (R2.2l)."""

    PLAIN = "plain"
    """For programs: UTF-8, ``,`` between cells, a decimal point, percentages in percent
    (``66.67``), dates ISO (``2025-09-01``), an empty cell for no value."""
    EXCEL = "excel"
    """For a spreadsheet in the Russian locale: UTF-8 with a byte-order mark, ``;`` between
    cells, a decimal comma (``4,17``), percentages with a sign (``66,67%``), dates
    ``01.09.2025``; Excel opens it in columns with numbers as numbers."""


def _excel_text(value: PlainCell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def render_csv(
    report: Report,
    language: Language | str = Language.RU,
    *,
    dialect: CsvDialect | str = CsvDialect.PLAIN,
) -> str:
    r"""Return the report as CSV: a heading row, the rows, the totals row.

    The plain dialect is for programs: decimals have two places and a point, percentages
    are in percent (``66.67``), dates ISO. The Excel dialect (:attr:`CsvDialect.EXCEL`) is
    for a Russian-locale spreadsheet: it starts with a byte-order mark, uses ``;``, a
    decimal comma, ``66,67%`` and ``dd.mm.yyyy``.

    Raises:
        ValueError: For an unknown dialect.

    >>> from eschool_core.reports._examples import example_report
    >>> render_csv(example_report(), dialect="excel")
    '\ufeffКласс;Учащихся;Качество знаний\r\n5А;3;66,67%\r\n'
    """
    chosen = CsvDialect(dialect)
    buffer = io.StringIO()
    if chosen is CsvDialect.EXCEL:
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    else:
        writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(report.headings(language))
    for line in plain_cells(report):
        if chosen is CsvDialect.EXCEL:
            cells = [
                _excel_text(value)
                + ("%" if column.type is ColumnType.PERCENT and value is not None else "")
                for column, value in zip(report.columns, line, strict=True)
            ]
        else:
            cells = [_csv_text(value) for value in line]
        writer.writerow(cells)
    return buffer.getvalue()


def render_json(report: Report, language: Language | str = Language.RU) -> str:
    """Return the report as JSON (exact numbers as strings such as ``"13/3"``)."""
    return json.dumps(report.to_json(language), ensure_ascii=False, indent=2) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report, language: Language | str = Language.RU) -> str:
    """Return the report as Markdown: a heading, the subtitle and notes, a pipe table."""
    ru = Language(language) is Language.RU
    lines = [f"# {report.title(language)}", ""]
    lines.append(f"{report.school_name}. {report.subtitle(language)}".rstrip(". "))
    lines.append("")
    for note in report.notes(language):
        lines.extend([note, ""])
    headings = [_md_escape(h) for h in report.headings(language)]
    lines.append("| " + " | ".join(headings) + " |")
    aligns = [
        "---" if column.type in (ColumnType.TEXT, ColumnType.MARK) else "---:"
        for column in report.columns
    ]
    lines.append("| " + " | ".join(aligns) + " |")
    formatted = report.formatted(language)
    for index, row in enumerate(formatted):
        cells = [_md_escape(cell) for cell in row]
        if report.totals is not None and index == len(formatted) - 1:
            cells = [f"**{cell}**" if cell != "—" else cell for cell in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for line in report.after(language):
        lines.extend([_md_escape(line), ""])
    moment = format_moment(report.generated_at)
    source = f"п. {report.clause}" if ru else f"clause {report.clause}"
    lines.append(f"_{'Сформирован' if ru else 'Generated'} {moment}; {source}_")
    return "\n".join(lines) + "\n"


def render_text(
    report: Report, language: Language | str = Language.RU, *, width: int | None = None
) -> str:
    """Return the report as a text table drawn by ``rich`` (needs the ``cli`` extra).

    Args:
        report: The report.
        language: Language of the headings.
        width: Line width; by default wide enough for the table (at most 400).

    Raises:
        MissingExtraError: If ``rich`` (the ``cli`` extra) is not installed.
    """
    require("rich", "cli")
    from rich import box  # noqa: PLC0415 - rich is optional and must not load with the core
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    formatted = report.formatted(language)
    headings = report.headings(language)
    table = Table(
        title=report.title(language),
        caption=report.subtitle(language) or None,
        box=box.SQUARE,
        show_lines=False,
    )
    for column in report.columns:
        numeric = column.type not in (ColumnType.TEXT, ColumnType.MARK)
        table.add_column(
            column.title(language), justify="right" if numeric else "left", overflow="fold"
        )
    for index, row in enumerate(formatted):
        table.add_row(*row, end_section=index == len(formatted) - 2 and report.totals is not None)
    if width is None:
        widths = [len(h) for h in headings]
        for row in formatted:
            widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
        width = min(max(sum(widths) + 3 * len(widths) + 4, len(report.title(language)) + 4), 400)
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    console.print(f"{report.school_name}")
    for note in report.notes(language):
        console.print(note, markup=False)
    console.print(table)
    for line in report.after(language):
        console.print(line, markup=False)
    return buffer.getvalue()
