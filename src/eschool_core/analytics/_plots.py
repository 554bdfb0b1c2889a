"""Figures for analysts: the distribution of period marks, timeliness by month (matplotlib)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Protocol

import pyarrow as pa
from matplotlib.figure import Figure

from eschool_core.analytics._analysis import Analysis
from eschool_core.analytics._errors import ANALYTICS_NO_PLOT, ANALYTICS_PLOT_FORMAT
from eschool_core.errors import Language

__all__ = ["PLOTTED_ANALYSES", "PLOT_SUFFIXES", "check_plot", "plot"]

PLOTTED_ANALYSES = frozenset({Analysis.PERIOD_MARKS, Analysis.TIMELINESS})
"""The analyses :func:`plot` can draw."""
PLOT_SUFFIXES = (".png", ".svg")
"""The file suffixes :func:`plot` writes: PNG or SVG."""


def check_plot(analysis: Analysis | str, path: Path | str | None = None) -> None:
    """Refuse, before any computing, a plot of ``analysis`` into ``path`` that cannot be drawn.

    Raises:
        ValidationError: ``analytics.no_plot`` for an analysis without a plot,
            ``analytics.plot_format`` for a suffix other than ``.png`` or ``.svg``.
    """
    if Analysis(analysis) not in PLOTTED_ANALYSES:
        raise ANALYTICS_NO_PLOT.error(details={}, analysis=Analysis(analysis).value)
    if path is not None and Path(path).suffix.lower() not in PLOT_SUFFIXES:
        raise ANALYTICS_PLOT_FORMAT.error(details={"path": str(path)}, name=Path(path).name)


class _Drawable(Protocol):
    """Protocol: what a plot reads of a ``ResultTable`` (which imports this module to draw)."""

    @property
    def analysis(self) -> Analysis: ...

    @property
    def data(self) -> pa.Table: ...

    def rows(self) -> list[dict[str, object]]: ...

    def title(self, language: Language | str = Language.RU) -> str: ...


_ORDER = ("5", "4", "3", "2", "1", "н/а", "осв")


def plot(
    result: _Drawable, path: Path | str | None = None, language: Language | str = Language.RU
) -> Figure:
    """Draw a result and return the matplotlib ``Figure``; with ``path``, also save it there.

    Period marks give the distribution of proposed marks; timeliness gives the share of late
    marks by month. A notebook shows the returned figure inline; the file is PNG or SVG by
    its suffix. The figure is not registered with pyplot, so nothing stays open.

    Raises:
        ValidationError: For another analysis (code ``analytics.no_plot``) or another suffix
            than ``.png`` and ``.svg`` (``analytics.plot_format``), before drawing anything.
    """
    check_plot(result.analysis, path)
    ru = Language(language) is Language.RU
    figure = Figure(figsize=(8, 4.5))
    axes = figure.subplots()
    if result.analysis is Analysis.PERIOD_MARKS:
        counts = Counter(result.data.column("value").to_pylist())
        labels = [label for label in _ORDER if counts[label]]
        axes.bar(labels, [counts[label] for label in labels], color="#4c72b0")
        axes.set_xlabel("Отметка" if ru else "Mark")
        axes.set_ylabel("Число отметок" if ru else "Number of marks")
    elif result.analysis is Analysis.TIMELINESS:
        totals: dict[str, list[int]] = {}
        for row in result.rows():
            month = str(row["month"])[:7]
            pair = totals.setdefault(month, [0, 0])
            pair[0] += int(row["late"])  # type: ignore[call-overload]
            pair[1] += int(row["marks"])  # type: ignore[call-overload]
        months = sorted(totals)
        shares = [100 * totals[m][0] / totals[m][1] if totals[m][1] else 0 for m in months]
        axes.bar(months, shares, color="#c44e52")
        axes.set_xlabel("Месяц" if ru else "Month")
        axes.set_ylabel("Доля опоздавших отметок, %" if ru else "Late marks, %")
        axes.tick_params(axis="x", rotation=45)
    else:
        raise ANALYTICS_NO_PLOT.error(details={}, analysis=result.analysis.value)
    axes.set_title(result.title(language))
    figure.tight_layout()
    if path is not None:
        figure.savefig(Path(path))
    return figure
