"""Charts (the ``analytics`` extra: matplotlib, Agg): «Динамика среднего балла ученика» (R11.5)."""

from __future__ import annotations

import datetime as dt
import io
from fractions import Fraction

from eschool_core._extras import require
from eschool_core.errors import Language
from eschool_core.reports._errors import REPORT_CHART_FORMAT, REPORT_NOT_CHARTABLE
from eschool_core.reports._table import Report

__all__ = ["render_chart"]


def render_chart(
    report: Report,
    fmt: str = "png",
    *,
    language: Language | str = Language.RU,
    width_px: int = 1000,
    height_px: int = 500,
    dpi: int = 100,
) -> bytes:
    """Return a line chart of a report with ``date`` and ``average`` columns, as PNG or SVG.

    Meant for «Динамика среднего балла ученика»; the image is ``width_px`` × ``height_px``.

    Raises:
        ValidationError: If the report has no ``date`` and ``average`` columns, or ``fmt``
            is neither ``"png"`` nor ``"svg"``.
        ModuleNotFoundError: If matplotlib (the ``analytics`` extra) is not installed.
    """
    if fmt not in {"png", "svg"}:
        raise REPORT_CHART_FORMAT.error(fmt=fmt)
    codes = {column.code for column in report.columns}
    if not {"date", "average"} <= codes:
        raise REPORT_NOT_CHARTABLE.error(report_code=report.code)
    require("matplotlib", "export")
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415 - optional
    from matplotlib.dates import date2num  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    points = [
        (day, float(avg))
        for day, avg in zip(report.column("date"), report.column("average"), strict=True)
        if isinstance(day, dt.date) and isinstance(avg, Fraction | int)
    ]
    figure = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if points:
        days = [float(date2num(p[0])) for p in points]  # type: ignore[no-untyped-call]
        axes.plot(days, [p[1] for p in points], marker="o", linewidth=1.5)
    axes.xaxis_date()
    axes.set_ylim(1, 5.2)
    axes.set_title(f"{report.title(language)}\n{report.subtitle(language)}", fontsize=10)
    ru = Language(language) is Language.RU
    axes.set_xlabel("Дата" if ru else "Date")
    axes.set_ylabel("Средний балл" if ru else "Average mark")
    axes.grid(visible=True, alpha=0.3)
    figure.autofmt_xdate()
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    return buffer.getvalue()
