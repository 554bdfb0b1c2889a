"""The XLSX renderer (the ``export`` extra: openpyxl): a sheet to print and file (R2.2l, R9.3).

The sheet holds the title lines, a bold heading row, the rows and a bold totals row, then the
certification lines of the PDF (generated moment, clause, signature and date lines). It is set
up for print: A4, portrait or landscape by the table's width, fit to one page wide, the
heading row repeated on every page, page numbers in the footer. Shares are stored as numbers
(0.7059) with a percent format, whole numbers with grouped thousands, and a mark or a text
that is a whole number («4», «12») as that number, so a spreadsheet sums and sorts them; a
totals row without a label of its own reads «Итого». The workbook's properties name the
report, the school and ``eschool_core`` as the creator.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from fractions import Fraction

from eschool_core._extras import require
from eschool_core.errors import Language
from eschool_core.reports._render import PlainCell, plain_cell
from eschool_core.reports._table import TOTALS_LABEL, Cell, Column, ColumnType, Report
from eschool_core.reports._wording import certification_lines

__all__ = ["PERCENT_FORMAT", "TABLE_HEADER_ROW", "render_xlsx", "xlsx_cell"]

TABLE_HEADER_ROW = 5
"""The sheet row of the table's headings (rows 1-3 hold the title, subtitle and school)."""

PERCENT_FORMAT = "0.00%"
"""The number format of share columns: the cell holds 0.7059, Excel shows 70,59 %."""

_WHOLE = re.compile(r"0|-?[1-9][0-9]{0,14}")
"""A whole number as text, without leading zeros (a file number «0083» stays text)."""

_FORMATS = {
    ColumnType.INT: "#,##0",
    ColumnType.DECIMAL: "0.00",
    ColumnType.PERCENT: PERCENT_FORMAT,
    ColumnType.DATE: "DD.MM.YYYY",
}

_LANDSCAPE_WIDTH = 110
"""Column widths (in characters) above which the sheet prints landscape."""


def xlsx_cell(column: Column, cell: Cell) -> PlainCell:
    """Return a cell as the sheet stores it: numbers as numbers.

    A share is a number 0..1 to 4 places; a mark or a text that is a whole number is that
    number (a list of marks «5 4», «н/а» and a file number «0083» stay text).

    >>> xlsx_cell(Column(code="q", title_ru="К", title_en="Q", type="percent"), Fraction(12, 17))
    0.7059
    >>> mark = Column(code="m", title_ru="Отметка", title_en="Mark", type="mark")
    >>> xlsx_cell(mark, "4"), xlsx_cell(mark, "5 4"), xlsx_cell(mark, "н/а")
    (4, '5 4', 'н/а')
    """
    if column.type is ColumnType.PERCENT and isinstance(cell, Fraction | int):
        return round(float(cell), 4)
    if (
        column.type in (ColumnType.MARK, ColumnType.TEXT)
        and isinstance(cell, str)
        and _WHOLE.fullmatch(cell)
    ):
        return int(cell)
    return plain_cell(column, cell)


def render_xlsx(report: Report, language: Language | str = Language.RU) -> bytes:
    """Return the report as an XLSX workbook set up for print, with certification lines.

    The headings are in row :data:`TABLE_HEADER_ROW` (rows 1-3: title, subtitle, school);
    the cells are :func:`xlsx_cell` values; under the table come the lines of
    :func:`~eschool_core.reports.certification_lines`.

    Raises:
        MissingExtraError: If openpyxl (the ``export`` extra) is not installed.
    """
    require("openpyxl", "export")
    from openpyxl import Workbook  # noqa: PLC0415 - optional extra
    from openpyxl.styles import Alignment, Border, Font, Side  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.properties import PageSetupProperties  # noqa: PLC0415

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has a sheet
    sheet.title = report.code[:31]
    sheet.cell(row=1, column=1, value=report.title(language)).font = Font(bold=True, size=13)
    sheet.cell(row=2, column=1, value=report.subtitle(language))
    sheet.cell(row=3, column=1, value=report.school_name)
    header_row = TABLE_HEADER_ROW
    headings = report.headings(language)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=header_row, column=index, value=heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
        cell.border = border
    lines: list[tuple[Cell, ...]] = list(report.rows)
    if report.totals is not None:
        lines.append(report.totals)
    longest = [max((len(word) for word in h.split()), default=4) for h in headings]
    widths = [min(max(n, 6), 40) for n in longest]
    label = report.totals_label_at()
    for offset, line in enumerate(lines, start=1):
        bold = report.totals is not None and offset == len(lines)
        for index, (column, value) in enumerate(zip(report.columns, line, strict=True), start=1):
            labelled = bold and index - 1 == label
            stored = TOTALS_LABEL[Language(language)] if labelled else xlsx_cell(column, value)
            cell = sheet.cell(row=header_row + offset, column=index, value=stored)
            number_format = _FORMATS.get(column.type)
            if number_format is not None and stored is not None and not labelled:
                cell.number_format = number_format
            elif isinstance(stored, int) and column.type is not ColumnType.INT:
                cell.number_format = "0"
            cell.border = border
            if column.type is ColumnType.TEXT:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if bold:
                cell.font = Font(bold=True)
            shown = len(column.format(value, language))
            widths[index - 1] = min(max(widths[index - 1], shown + 1), 60)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    last = header_row + len(lines)
    for text in report.after(language):
        last += 1
        sheet.cell(row=last + 1, column=1, value=text)
    for offset, text in enumerate(certification_lines(report, language), start=2):
        sheet.cell(row=last + offset, column=1, value=text)
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"A1:{get_column_letter(len(headings))}{sheet.max_row}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if sum(widths) > _LANDSCAPE_WIDTH else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = False
    page = "стр. &P из &N" if Language(language) is Language.RU else "page &P of &N"
    footer = sheet.oddFooter
    if footer is not None:
        footer.left.text = report.school_name
        footer.right.text = page
    properties = workbook.properties
    properties.title = report.title(language)
    properties.subject = report.school_name
    properties.creator = "eschool_core"
    properties.lastModifiedBy = "eschool_core"
    properties.description = report.subtitle(language)
    properties.keywords = report.code
    properties.created = report.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
