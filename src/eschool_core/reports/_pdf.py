"""The PDF renderer (the ``export`` extra: fpdf2): A4, Cyrillic, page numbers, certification (R9.3).

A printed report is certified: the last page carries lines for the director's signature and
the date (R9.3, R2.2l). The font is DejaVu Sans, which covers Cyrillic; it is looked up in
this order: the ``ESCHOOL_PDF_FONT`` environment variable (a TTF path; a ``-Bold`` sibling is
used for headings when present), the copy that matplotlib ships (matplotlib is part of the
``export`` extra for this reason), the usual system font folders.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from eschool_core._extras import require
from eschool_core.errors import Language, NotFoundError
from eschool_core.reports._table import ColumnType, Report

__all__ = ["FONT_ENV", "find_cyrillic_font", "render_pdf"]

FONT_ENV = "ESCHOOL_PDF_FONT"
"""Environment variable naming a TTF font with Cyrillic letters for PDF reports."""

_SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
    "C:/Windows/Fonts/DejaVuSans.ttf",
)


def _matplotlib_font() -> Path | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"


def find_cyrillic_font() -> tuple[Path, Path | None]:
    """Return the regular TTF font for PDF reports and its bold variant (``None`` if absent).

    Raises:
        NotFoundError: If no Cyrillic font is found (code ``report.no_font``); set
            ``ESCHOOL_PDF_FONT`` or install the ``export`` extra.
    """
    candidates: list[Path] = []
    configured = os.environ.get(FONT_ENV)
    if configured:
        candidates.append(Path(configured))
    bundled = _matplotlib_font()
    if bundled is not None:
        candidates.append(bundled)
    candidates.extend(Path(path) for path in _SYSTEM_FONTS)
    for regular in candidates:
        if regular.is_file():
            bold = regular.with_name(regular.stem + "-Bold" + regular.suffix)
            return regular, bold if bold.is_file() else None
    raise NotFoundError(
        "Не найден шрифт с кириллицей для PDF: укажите путь к TTF в переменной "
        f"{FONT_ENV} или установите дополнение 'export'",
        f"No Cyrillic font for PDF found: set {FONT_ENV} to a TTF file or install the "
        "'export' extra",
        code="report.no_font",
    )


def _pdf_class() -> Any:  # noqa: ANN401 - fpdf2 is an optional, untyped-at-import extra
    require("fpdf", "export")
    from fpdf import FPDF  # noqa: PLC0415 - optional extra

    class _ReportPDF(FPDF):
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=7)
            self.cell(0, 5, f"{self.footer_text}{self.page_no()}/{{nb}}", align="R")

    return _ReportPDF


def render_pdf(
    report: Report, language: Language | str = Language.RU, *, director: str | None = None
) -> bytes:
    """Return the report as a PDF document on A4 (landscape for wide tables) (R9.3).

    Args:
        report: The report.
        language: Language of the title, headings and certification lines.
        director: The director's name for the signature line (blank when ``None``).

    Raises:
        ModuleNotFoundError: If fpdf2 (the ``export`` extra) is not installed.
        NotFoundError: If no Cyrillic font is found.
    """
    require("fpdf", "export")
    from fpdf.fonts import FontFace  # noqa: PLC0415 - optional extra

    ru = Language(language) is Language.RU
    regular, bold = find_cyrillic_font()
    wide = len(report.columns) > 7
    pdf = _pdf_class()(orientation="L" if wide else "P", unit="mm", format="A4")
    pdf.footer_text = f"{report.school_name} — {'стр.' if ru else 'page'} "
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold or regular))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(report.title(language))
    pdf.set_creator("eschool_core")
    pdf.set_creation_date(report.generated_at)
    pdf.add_page()
    pdf.set_font("DejaVu", size=8)
    pdf.multi_cell(0, 4, report.school_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", size=12)
    pdf.multi_cell(0, 6, report.title(language), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=9)
    if report.subtitle(language):
        pdf.multi_cell(0, 5, report.subtitle(language), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for note in report.notes(language):
        pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    size = 7 if wide else 8
    pdf.set_font("DejaVu", size=size)
    headings = report.headings(language)
    formatted = report.formatted(language)
    widths = [max(max((len(word) for word in h.split()), default=3), 3) for h in headings]
    for row in formatted:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    aligns = [
        "LEFT" if column.type in (ColumnType.TEXT, ColumnType.MARK) else "RIGHT"
        for column in report.columns
    ]
    with pdf.table(
        col_widths=[min(w, 40) for w in widths],
        text_align=aligns,
        headings_style=FontFace(emphasis="BOLD"),
        line_height=size * 0.55,
        first_row_as_headings=True,
    ) as table:
        table.row(headings)
        for row in formatted:
            table.row(row)
    pdf.ln(8)
    pdf.set_font("DejaVu", size=10)
    name = director or "________________"
    moment = report.generated_at.strftime("%d.%m.%Y %H:%M")
    if ru:
        lines = (
            f"Сформировано: {moment}. Основание: п. {report.clause} ({report.requirement}).",
            f"Директор ________________ / {name} /",
            "Дата «____» ______________ 20___ г.          М. П.",
        )
    else:
        lines = (
            f"Generated: {moment}. Basis: clause {report.clause} ({report.requirement}).",
            f"Director ________________ / {name} /",
            "Date ____ ______________ 20___          Seal",
        )
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
