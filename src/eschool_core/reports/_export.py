"""One entry point for every output format of a report (R2.2l)."""

from __future__ import annotations

from enum import StrEnum

from eschool_core.errors import Language
from eschool_core.reports._errors import REPORT_UNKNOWN_FORMAT
from eschool_core.reports._table import Report, with_director

__all__ = ["OutputFormat", "export_report"]


class OutputFormat(StrEnum):
    """An output format of a report."""

    TEXT = "text"
    MARKDOWN = "md"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"
    PDF = "pdf"
    PNG = "png"
    SVG = "svg"

    @property
    def binary(self) -> bool:
        """Whether the format is binary (XLSX, PDF, PNG)."""
        return self in {OutputFormat.XLSX, OutputFormat.PDF, OutputFormat.PNG}


def export_report(
    report: Report,
    fmt: OutputFormat | str,
    *,
    language: Language | str = Language.RU,
    director: str | None = None,
    csv_dialect: str = "plain",
) -> bytes:
    """Return a report in ``fmt`` as bytes (text formats in UTF-8).

    Text needs the ``cli`` extra (rich); XLSX and PDF the ``export`` extra; PNG and SVG
    charts the ``analytics`` extra.

    Args:
        report: The report.
        fmt: The format.
        language: Language of titles and headings.
        director: The director who signs, when the caller names him (R9.3): his name
            replaces the one from the staff cards on the director's line of every format
            that prints signature lines (see :func:`~eschool_core.reports.with_director`).
        csv_dialect: ``"plain"`` (for programs) or ``"excel"`` (a Russian-locale
            spreadsheet: BOM, ``;``, decimal comma); see :class:`~eschool_core.reports.CsvDialect`.

    Raises:
        ValidationError: For an unknown format, or a chart of a report that has none.
        ValueError: For an unknown CSV dialect.
        ModuleNotFoundError: If the format's extra is not installed.

    >>> from eschool_core.reports._examples import example_report
    >>> print(export_report(example_report(), "csv").decode())
    Класс,Учащихся,Качество знаний
    5А,3,66.67
    <BLANKLINE>
    """
    try:
        chosen = OutputFormat(fmt)
    except ValueError as exc:
        raise REPORT_UNKNOWN_FORMAT.error(format=str(fmt)) from exc
    from eschool_core.reports import _render  # noqa: PLC0415 - light, core module

    report = with_director(report, director)

    if chosen is OutputFormat.TEXT:
        return _render.render_text(report, language).encode()
    if chosen is OutputFormat.MARKDOWN:
        return _render.render_markdown(report, language).encode()
    if chosen is OutputFormat.CSV:
        return _render.render_csv(report, language, dialect=csv_dialect).encode()
    if chosen is OutputFormat.JSON:
        return _render.render_json(report, language).encode()
    if chosen is OutputFormat.XLSX:
        from eschool_core.reports._xlsx import render_xlsx  # noqa: PLC0415

        return render_xlsx(report, language)
    if chosen is OutputFormat.PDF:
        from eschool_core.reports._pdf import render_pdf  # noqa: PLC0415

        return render_pdf(report, language)
    from eschool_core.reports._chart import render_chart  # noqa: PLC0415

    return render_chart(report, chosen.value, language=language)
