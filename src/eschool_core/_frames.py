"""Tables for notebooks: typed Arrow tables, pandas frames and HTML of the library's results.

Arrow and pandas come with the ``analytics`` extra and are imported only when asked for,
so the core stays free of them; an HTML table needs nothing.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

__all__ = ["ColumnKind", "html_table", "to_arrow"]

ColumnKind = str
"""``"text"``, ``"int"``, ``"float"``, ``"date"``, ``"bool"`` or ``"mark"``.

A ``"mark"`` column holds journal marks in their written form; it becomes a number column
(``int64``) when each of its cells is one score (``"5"``) or a mark without a score
(``"н/а"``, ``"осв"``, ``"зач"``: null), and stays text otherwise (``"5 4"``, ``"5/4"``).
"""

_NO_SCORE = frozenset({"н/а", "осв", "зач", "незач", "нз", ""})
"""Written marks that carry no score: null in a numeric mark column."""


def _mark_kind(values: Sequence[object]) -> ColumnKind:
    """``"int"`` when every cell of a mark column is one score or a mark without one."""
    for value in values:
        if value is None or isinstance(value, int):
            continue
        text = str(value).strip()
        if not (text.isdigit() or text in _NO_SCORE):
            return "text"
    return "int"


def _score(value: object) -> object:
    if value is None or isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _pyarrow() -> Any:  # noqa: ANN401 - pyarrow is an optional extra
    try:
        import pyarrow as pa  # noqa: PLC0415 - optional extra
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the installation
        raise ModuleNotFoundError(
            "to_arrow()/to_pandas() need pyarrow: pip install 'eschool-core[analytics]'"
        ) from exc
    return pa


def _value(value: object, kind: ColumnKind) -> object:
    if value is None:
        return None
    if kind == "float" and isinstance(value, Fraction | int):
        return float(value)
    if kind == "text" and not isinstance(value, str):
        return str(value)
    return value


def to_arrow(columns: Sequence[tuple[str, ColumnKind]], rows: Sequence[Sequence[object]]) -> Any:  # noqa: ANN401
    """Return rows as a ``pyarrow.Table`` with one typed column per ``(name, kind)``.

    Exact numbers (``Fraction``) become floats; a ``"mark"`` column becomes numbers where
    it can (see :data:`ColumnKind`).

    Raises:
        ModuleNotFoundError: If pyarrow (the ``analytics`` extra) is not installed.
    """
    pa = _pyarrow()
    types = {
        "text": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "date": pa.date32(),
        "bool": pa.bool_(),
    }
    arrays = {}
    for index, (name, kind) in enumerate(columns):
        cells = [row[index] for row in rows]
        if kind == "mark":
            chosen = _mark_kind(cells)
            values = [_score(c) if chosen == "int" else _value(c, "text") for c in cells]
            arrays[name] = pa.array(values, type=types[chosen])
        else:
            arrays[name] = pa.array([_value(c, kind) for c in cells], type=types[kind])
    return pa.table(arrays) if arrays else pa.table({})


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def html_table(
    title: str,
    headings: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    caption: str = "",
    bold_last: bool = False,
    limit: int = 60,
) -> str:
    """Return a small HTML table (a notebook's rich display), at most ``limit`` rows shown.

    >>> print(html_table("T", ["a"], [[1]]))
    <div><strong>T</strong><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table></div>
    """
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in headings)
    shown = list(rows[:limit])
    body = []
    for index, row in enumerate(shown):
        bold = bold_last and index == len(rows) - 1
        cells = "".join(
            f"<td><b>{e(_text(v))}</b></td>" if bold else f"<td>{e(_text(v))}</td>" for v in row
        )
        body.append(f"<tr>{cells}</tr>")
    more = f"<p>… {len(rows) - limit}</p>" if len(rows) > limit else ""
    note = f"<p>{e(caption)}</p>" if caption else ""
    return (
        f"<div><strong>{e(title)}</strong>{note}<table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{more}</div>"
    )
