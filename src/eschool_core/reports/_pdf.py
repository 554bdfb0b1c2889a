"""The PDF renderer (the ``export`` extra: fpdf2): A4, Cyrillic, certification lines (R9.3).

A printed report is certified: under the table come the generated moment in the school's
time zone, the clause it serves, the signature lines of the people responsible for it and
the director's, and the date and seal line (R9.3, R2.2l). Column widths come from the
content (:mod:`eschool_core.reports._layout`).

The font is DejaVu Sans, which covers Cyrillic; it is looked up in this order: the
``ESCHOOL_PDF_FONT`` environment variable (a TTF path; a ``-Bold`` sibling is used for
headings when present), the copy that matplotlib ships (matplotlib is part of the
``export`` extra for this reason), the usual system font folders.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from eschool_core._extras import require
from eschool_core.errors import Language
from eschool_core.reports._errors import REPORT_NO_FONT
from eschool_core.reports._layout import Measure, TableLayout, layout_table, wrap
from eschool_core.reports._pdf_fonts import FontFaces, add_report_fonts, faces_for
from eschool_core.reports._table import ColumnType, Report, with_director
from eschool_core.reports._wording import certification_lines

__all__ = ["FONT_ENV", "find_cyrillic_font", "pdf_layout", "render_pdf"]

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
    raise REPORT_NO_FONT.error(FONT_ENV=FONT_ENV)


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


_SIZE = 8.0
_PADDING = 1.0
_V_PADDING = 0.8
_MARGIN = 10.0
_PAGE_WIDTH = {"P": 210.0, "L": 297.0}
_BOTTOM_MARGIN = 15.0
_GAP_AFTER_TABLE = 3.0
_AFTER_SIZE = 8.0
_AFTER_LINE = 4.0
_GAP_BEFORE_SIGNATURES = 4.0
_SIGN_SIZE = 10.0
_SIGN_LINE = 6.0
_SIGN_GAP = 2.0
_KEPT_WITH_SIGNATURES = 2
"""Lines printed under the table that stay on the page of the signatures."""


def _close(pdf: Any) -> None:  # noqa: ANN401 - fpdf2 object
    for font in pdf.fonts.values():
        closer = getattr(font, "close", None)
        if closer is not None:
            closer()


def _footer(report: Report, language: Language | str) -> str:
    return f"{report.school_name} — {'стр.' if Language(language) is Language.RU else 'page'} "


def _document_text(report: Report, language: Language | str) -> Iterator[str]:
    """Every text the document prints (its characters choose the font's faces).

    The table's lines are its cells and headings, cut at spaces or hyphenated with «-».
    """
    yield from (report.school_name, report.title(language), report.subtitle(language))
    yield from (_footer(report, language), "0123456789/-")
    yield from report.notes(language)
    yield from report.headings(language)
    for row in report.formatted(language):
        yield from row
    yield from report.after(language)
    yield from certification_lines(report, language)


def _faces(report: Report, language: Language | str) -> FontFaces:
    require("fpdf", "export")
    regular, bold = find_cyrillic_font()
    return faces_for(_document_text(report, language), regular, bold)


def _new_pdf(orientation: str, faces: FontFaces) -> Any:  # noqa: ANN401 - fpdf2 object
    pdf = _pdf_class()(orientation=orientation, unit="mm", format="A4")
    add_report_fonts(pdf, "DejaVu", faces)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.c_margin = 0
    return pdf


def _breakable(report: Report) -> list[bool]:
    """Text wraps at spaces, and so does a list of marks («5 4 3»): each mark stays whole."""
    return [column.type in (ColumnType.TEXT, ColumnType.MARK) for column in report.columns]


def pdf_layout(
    report: Report, language: Language | str = Language.RU
) -> tuple[str, TableLayout, Measure]:
    """Return the page orientation (``"P"``/``"L"``), the table's layout and its measure.

    Portrait when the table fits it at the normal font size with every cell on one line,
    landscape otherwise; the
    measure is the embedded font's, so ``layout.overflows(measure)`` checks the printed page.

    Raises:
        MissingExtraError: If fpdf2 (the ``export`` extra) is not installed.
        NotFoundError: If no Cyrillic font is found.
    """
    return _pdf_layout(report, language, _faces(report, language))


def _pdf_layout(
    report: Report, language: Language | str, faces: FontFaces
) -> tuple[str, TableLayout, Measure]:
    headings = report.headings(language)
    formatted = report.formatted(language)
    breakable = _breakable(report)
    layout = None
    measure = faces.measure()
    for orientation in ("P", "L"):
        layout = layout_table(
            headings,
            formatted,
            breakable,
            _PAGE_WIDTH[orientation] - 2 * _MARGIN,
            measure,
            size=_SIZE,
            padding=_PADDING,
            bold_last=report.totals is not None,
        )
        whole = all(len(lines) == 1 for row in layout.rows for lines in row)
        if (
            layout.header_size >= _SIZE
            and layout.body_size >= _SIZE
            and (whole or orientation == "L")
        ):
            return orientation, layout, measure
    assert layout is not None  # noqa: S101 - the loop ran
    return "L", layout, measure


def _draw_row(
    pdf: Any,  # noqa: ANN401 - fpdf2 object
    cells: Sequence[Sequence[str]],
    widths: Sequence[float],
    aligns: Sequence[str],
    measure: Measure,
    *,
    size: float,
    bold: bool,
    fill: bool = False,
) -> None:
    """Draw one table row: each cell's frame and its lines, placed where ``cell`` would.

    The lines are laid out already, so they are set with fpdf2's plain ``text`` (a tenth of
    the cost of ``cell``) at ``cell``'s baseline: half the line height below the line's top
    plus 0.3 of the font size.
    """
    line_height = size * 0.45
    height = max(len(lines) for lines in cells) * line_height + 2 * _V_PADDING
    top = pdf.get_y()
    x = pdf.l_margin
    pdf.set_font("DejaVu", "B" if bold else "", size)
    baseline = top + _V_PADDING + 0.5 * line_height + 0.3 * size / pdf.k
    for lines, width, align in zip(cells, widths, aligns, strict=True):
        pdf.rect(x, top, width, height, style="DF" if fill else "D")
        room = width - 2 * _PADDING
        for index, line in enumerate(lines):
            if not line:
                continue
            left = x + _PADDING
            if align != "L":
                free = room - measure(line, size, bold=bold)
                left += free if align == "R" else free / 2
            pdf.text(left, baseline + index * line_height, line)
        x += width
    pdf.set_xy(pdf.l_margin, top + height)


def _row_height(cells: Sequence[Sequence[str]], size: float) -> float:
    return max(len(lines) for lines in cells) * size * 0.45 + 2 * _V_PADDING


def render_pdf(
    report: Report, language: Language | str = Language.RU, *, director: str | None = None
) -> bytes:
    """Return the report as a PDF document on A4 that a school signs and files (R9.3).

    Columns are as wide as their content needs (:func:`pdf_layout`); headings and text are
    wrapped at spaces (headings, on a narrow page, at hyphenation points), numbers, dates
    and ids never, initials stay together; the heading row repeats on every page; the
    totals row is bold; under the table come its lines (a journal's topics) and
    :func:`certification_lines`, which never stand alone on a page: the last two lines
    under the table, or without any the table's last row, go to the next page with them.
    The font is parsed once per process (:mod:`eschool_core.reports._pdf_fonts`).

    Args:
        report: The report.
        language: Language of the title, headings and certification lines.
        director: The director who signs, when the caller names him (see
            :func:`~eschool_core.reports.with_director`); ``None``: the report's own lines.

    Raises:
        MissingExtraError: If fpdf2 (the ``export`` extra) is not installed.
        NotFoundError: If no Cyrillic font is found.
    """
    report = with_director(report, director)
    faces = _faces(report, language)
    orientation, layout, measure = _pdf_layout(report, language, faces)
    pdf = _new_pdf(orientation, faces)
    pdf.footer_text = _footer(report, language)
    pdf.set_auto_page_break(auto=True, margin=_BOTTOM_MARGIN)
    pdf.set_title(report.title(language))
    pdf.set_subject(report.school_name)
    pdf.set_author(report.school_name)
    pdf.set_creator("eschool_core")
    pdf.set_creation_date(report.generated_at)
    pdf.set_draw_color(90, 90, 90)
    pdf.set_fill_color(235, 235, 235)
    pdf.add_page()
    text_width: float = pdf.w - 2 * _MARGIN

    def lines(text: str, size: float, *, bold: bool = False) -> list[str]:
        def fits(line: str) -> bool:
            return measure(line, size, bold=bold) <= text_width

        # A line that fits keeps its own spacing (the date and seal line is spaced out).
        return [text] if fits(text) else wrap(text, text_width, fits, hyphenate=False)

    def paragraph(
        text: str, size: float, height: float, *, bold: bool = False, align: str = "L"
    ) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        for line in lines(text, size, bold=bold):
            pdf.cell(text_width, height, line, align=align, new_x="LMARGIN", new_y="NEXT")

    paragraph(report.school_name, 8, 4)
    paragraph(report.title(language), 12, 6, bold=True, align="C")
    if report.subtitle(language):
        paragraph(report.subtitle(language), 9, 5, align="C")
    pdf.ln(2)
    for note in report.notes(language):
        paragraph(note, 9, 5)
    pdf.ln(2)
    aligns = [
        "L" if column.type in (ColumnType.TEXT, ColumnType.MARK) else "R"
        for column in report.columns
    ]
    header_aligns = ["C"] * len(report.columns)
    label = report.totals_label_at()
    totals_aligns = [
        "L" if index == label else align for index, align in enumerate(aligns)
    ]  # «Итого» reads from the left even in a column of numbers
    bottom = pdf.h - _BOTTOM_MARGIN
    after = [line for text in report.after(language) for line in lines(text, _AFTER_SIZE)]
    certification = [lines(text, _SIGN_SIZE) for text in certification_lines(report, language)]
    block = _GAP_BEFORE_SIGNATURES + sum(
        len(group) * _SIGN_LINE + _SIGN_GAP for group in certification
    )
    # The signatures never stand alone on a page: the last lines under the table (or,
    # without any, the table's last row) go to the next page with them.
    kept_from = max(len(after) - _KEPT_WITH_SIGNATURES, 0)
    kept_height = (len(after) - kept_from) * _AFTER_LINE + block

    def header() -> None:
        _draw_row(
            pdf,
            layout.header,
            layout.widths,
            header_aligns,
            measure,
            size=layout.header_size,
            bold=True,
            fill=True,
        )

    header()
    last = len(layout.rows) - 1
    for index, cells in enumerate(layout.rows):
        height = _row_height(cells, layout.body_size)
        alone = (
            index == last and not after and pdf.get_y() + height + _GAP_AFTER_TABLE + block > bottom
        )
        if pdf.get_y() + height > bottom or alone:
            pdf.add_page()
            header()
        bold = layout.bold_last and index == last
        _draw_row(
            pdf,
            cells,
            layout.widths,
            totals_aligns if bold else aligns,
            measure,
            size=layout.body_size,
            bold=bold,
        )
    pdf.ln(_GAP_AFTER_TABLE)
    pdf.set_font("DejaVu", size=_AFTER_SIZE)
    for index, line in enumerate(after):
        needed = kept_height if index == kept_from else _AFTER_LINE
        if pdf.get_y() + needed > bottom:
            pdf.add_page()
        pdf.cell(text_width, _AFTER_LINE, line, new_x="LMARGIN", new_y="NEXT")
    if pdf.get_y() + block > bottom:
        pdf.add_page()
    pdf.ln(_GAP_BEFORE_SIGNATURES)
    pdf.set_font("DejaVu", size=_SIGN_SIZE)
    for group in certification:
        for line in group:
            pdf.cell(text_width, _SIGN_LINE, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(_SIGN_GAP)
    try:
        return bytes(pdf.output())
    finally:
        _close(pdf)
