"""A tiny report for the examples in docstrings and docs."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from eschool_core.reports._table import Column, Report, ReportParams

__all__ = ["example_report"]


def example_report() -> Report:
    """Return a one-row report with a text, an int and a percent column.

    >>> example_report().cell(0, "quality")
    Fraction(2, 3)
    """
    return Report(
        code="example",
        title_ru="Пример отчёта",
        title_en="Example report",
        clause="11.1",
        requirement="R11.1",
        school_name="Школа № 1",
        params=ReportParams(),
        columns=(
            Column(code="class", title_ru="Класс", title_en="Class", type="text"),
            Column(code="students", title_ru="Учащихся", title_en="Students", type="int"),
            Column(code="quality", title_ru="Качество знаний", title_en="Quality", type="percent"),
        ),
        rows=[["5А", 3, Fraction(2, 3)]],
        generated_at=dt.datetime(2025, 11, 5, 9, 0, tzinfo=dt.UTC),
    )
