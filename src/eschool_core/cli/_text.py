"""A report as text on a terminal: a table wider than the terminal is split by design.

A report of many columns (``report class_teacher_period``: one per subject) would be cut
into unreadable lines by a 100-column terminal. On a terminal it is printed as several
tables, each as wide as the terminal allows, every one repeating the key columns (the
row number and the first text column); piped or written to a file it stays one table,
whole.
"""

from __future__ import annotations

import attrs

from eschool_core.reports import ColumnType, Report, render_text

__all__ = ["fit_report_text"]

_FRAME = 4
"""Characters a table's border takes besides its columns."""
_PER_COLUMN = 3
"""Characters each column takes besides its text (padding and a rule)."""


def _key_count(report: Report) -> int:
    """How many leading columns name the row: up to and with the first text column."""
    for index, column in enumerate(report.columns[:3]):
        if column.type is ColumnType.TEXT:
            return index + 1
    return 1


def fit_report_text(report: Report, language: str, width: int) -> str:
    """Return the report as text tables no wider than ``width`` (the key columns repeated).

    A report that fits is one table, as :func:`~eschool_core.reports.render_text` draws it;
    a wider one becomes several, each with the key columns and as many others as fit. A
    single column wider than the terminal is folded by ``rich``.
    """
    headings = report.headings(language)
    cells = report.formatted(language)
    widths = [
        max([len(heading), *(len(row[index]) for row in cells)])
        for index, heading in enumerate(headings)
    ]
    natural = sum(widths) + _PER_COLUMN * len(widths) + _FRAME
    if natural <= width:
        return render_text(report, language, width=max(natural, len(report.title(language)) + 4))
    keys = _key_count(report)
    used = sum(widths[:keys]) + _PER_COLUMN * keys + _FRAME
    chunks: list[list[int]] = [[]]
    room = used
    for index in range(keys, len(widths)):
        need = widths[index] + _PER_COLUMN
        if chunks[-1] and room + need > width:
            chunks.append([])
            room = used
        chunks[-1].append(index)
        room += need
    parts = []
    for chunk in chunks:
        chosen = [*range(keys), *chunk]
        part = attrs.evolve(
            report,
            columns=tuple(report.columns[i] for i in chosen),
            rows=tuple(tuple(row[i] for i in chosen) for row in report.rows),
            totals=None if report.totals is None else tuple(report.totals[i] for i in chosen),
        )
        parts.append(render_text(part, language, width=width))
    return "\n".join(parts)
