"""The XLSX renderer (the ``export`` extra: openpyxl): a formatted sheet per report (R2.2l)."""

from __future__ import annotations

import io

from eschool_core._extras import require
from eschool_core.errors import Language
from eschool_core.reports._render import plain_cells
from eschool_core.reports._table import ColumnType, Report

__all__ = ["TABLE_HEADER_ROW", "render_xlsx"]

TABLE_HEADER_ROW = 5
"""The sheet row of the table's headings (rows 1-3 hold the title, subtitle and school)."""

_FORMATS = {
    ColumnType.INT: "0",
    ColumnType.DECIMAL: "0.00",
    ColumnType.PERCENT: '0.00" %"',
    ColumnType.DATE: "DD.MM.YYYY",
}


def render_xlsx(report: Report, language: Language | str = Language.RU) -> bytes:
    """Return the report as an XLSX workbook: title lines, a bold heading row, number formats.

    The headings are in row :data:`TABLE_HEADER_ROW` (rows 1-3: title, subtitle, school);
    the cells are the plain values of :func:`~eschool_core.reports.plain_cells`, as in CSV.

    Raises:
        MissingExtraError: If openpyxl (the ``export`` extra) is not installed.
    """
    require("openpyxl", "export")
    from openpyxl import Workbook  # noqa: PLC0415 - optional extra
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has a sheet
    sheet.title = report.code[:31]
    sheet.cell(row=1, column=1, value=report.title(language)).font = Font(bold=True, size=13)
    sheet.cell(row=2, column=1, value=report.subtitle(language))
    sheet.cell(row=3, column=1, value=report.school_name)
    header_row = TABLE_HEADER_ROW
    headings = report.headings(language)
    for index, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=header_row, column=index, value=heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    lines = plain_cells(report)
    widths = [min(max(len(h), 6), 40) for h in headings]
    for offset, line in enumerate(lines, start=1):
        bold = report.totals is not None and offset == len(lines)
        for index, (column, value) in enumerate(zip(report.columns, line, strict=True), start=1):
            cell = sheet.cell(row=header_row + offset, column=index, value=value)
            number_format = _FORMATS.get(column.type)
            if number_format is not None and value is not None:
                cell.number_format = number_format
            if bold:
                cell.font = Font(bold=True)
            widths[index - 1] = min(max(widths[index - 1], len(str(value or "")) + 2), 60)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = f"A{header_row + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
