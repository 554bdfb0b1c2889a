"""Results of the bulk rules as small typed tables, with renderers and plots."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.parquet as pq

from eschool_core.analytics._analysis import Analysis
from eschool_core.analytics._errors import ANALYTICS_FORMAT
from eschool_core.errors import Language

__all__ = ["Analysis", "ResultTable"]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


@attrs.frozen(kw_only=True, eq=False)
class ResultTable:
    """A bulk result: what it is, and its rows as an Arrow table with typed columns.

    Attributes:
        analysis: Which analysis produced it.
        data: The rows (column names and types as the rule's docstring lists them).
    """

    analysis: Analysis
    data: pa.Table

    def title(self, language: Language | str = Language.RU) -> str:
        """Return the title in ``language``."""
        return self.analysis.title(language)

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names."""
        return tuple(self.data.column_names)

    def __len__(self) -> int:
        return int(self.data.num_rows)

    def sorted(self) -> ResultTable:
        """Return the result with its rows in the order of the analysis's key columns.

        The engines return rows in no set order; a person reading a table or comparing two
        exports wants them sorted (by school, then class or teacher, then period or month).

        >>> data = pa.table({"school_id": ["b", "a"], "teacher_id": ["t", "t"],
        ...                  "class_id": ["c", "c"], "month": [1, 1], "late": [2, 3]})
        >>> table = ResultTable(analysis=Analysis.TIMELINESS, data=data)
        >>> table.sorted().data.column("late").to_pylist()
        [3, 2]
        """
        keys = [
            (name, "ascending") for name in self.analysis.keys if name in self.data.column_names
        ]
        if not keys:
            return self
        return attrs.evolve(self, data=self.data.sort_by(keys))

    def rows(self) -> list[dict[str, object]]:
        """Return the rows as dictionaries (Python values)."""
        return list(self.data.to_pylist())

    def render(
        self, format: str = "text", language: Language | str = Language.RU, limit: int = 50
    ) -> str:
        """Return the table as ``text`` (a title and the first ``limit`` rows), ``csv`` or ``json``.

        >>> table = ResultTable(analysis=Analysis.TIMELINESS, data=pa.table({"late": [2]}))
        >>> print(table.render("csv"))
        late
        2
        <BLANKLINE>
        """
        renderer = _RENDERERS.get(format)
        if renderer is None:
            raise ANALYTICS_FORMAT.error(format=format, known=sorted(_RENDERERS))
        return renderer(self, Language(language), limit)

    def write_parquet(self, path: Path | str) -> None:
        """Write the rows to a Parquet file."""
        pq.write_table(self.data, Path(path))

    def to_arrow(self) -> pa.Table:
        """Return the rows as a ``pyarrow.Table`` (the result's own data)."""
        return self.data

    def to_pandas(self) -> Any:  # noqa: ANN401 - pandas ships with the analytics extra, untyped here
        """Return the rows as a ``pandas.DataFrame``; every share is a float 0..1."""
        return self.data.to_pandas()

    def _repr_html_(self) -> str:
        """The title and the first rows as an HTML table, for a notebook's display."""
        from eschool_core._frames import html_table  # noqa: PLC0415 - light, core module

        rows = [[row[name] for name in self.columns] for row in self.data.slice(0, 60).to_pylist()]
        return html_table(
            self.title(),
            list(self.columns),
            rows + [["…"] * len(self.columns)] * (len(self) > 60),
            caption=f"{len(self)} строк / rows",
        )

    def with_names(self, names: Mapping[str, Mapping[str, str]]) -> ResultTable:
        """Return the result with a ``*_name`` column beside each id column it has names for.

        Args:
            names: Names by id per id column, e.g. ``{"class_id": {"c1": "5А"}}``; an id
                without a name gets ``None``.

        >>> table = ResultTable(analysis=Analysis.QUALITY, data=pa.table({"class_id": ["c1"]}))
        >>> table.with_names({"class_id": {"c1": "5А"}}).data.column_names
        ['class_id', 'class_name']
        """
        data = self.data
        for column, mapping in names.items():
            if column not in data.column_names or not column.endswith("_id"):
                continue
            label = column.removesuffix("_id") + "_name"
            if label in data.column_names:
                continue
            values = [mapping.get(value) for value in data.column(column).to_pylist()]
            position = data.column_names.index(column) + 1
            data = data.add_column(position, label, pa.array(values, type=pa.string()))
        return attrs.evolve(self, data=data)

    def plot(self, path: Path | str | None = None, language: Language | str = Language.RU) -> Any:  # noqa: ANN401
        """Draw the result and return the matplotlib ``Figure`` (see :func:`plot`).

        Raises:
            ValidationError: For an analysis without a plot.
        """
        from eschool_core.analytics._plots import plot  # noqa: PLC0415 - matplotlib is heavy

        return plot(self, path, language)


def _text(table: ResultTable, language: Language, limit: int) -> str:
    lines = [table.title(language), " | ".join(table.columns)]
    lines.extend(
        " | ".join(_cell(row[name]) for name in table.columns)
        for row in table.data.slice(0, limit).to_pylist()
    )
    if len(table) > limit:
        more = len(table) - limit
        lines.append(f"… ещё строк: {more}" if language is Language.RU else f"… {more} more rows")
    return "\n".join(lines)


def _csv(table: ResultTable, _language: Language, _limit: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.data.to_pylist():
        writer.writerow(["" if row[name] is None else row[name] for name in table.columns])
    return out.getvalue()


def _json(table: ResultTable, language: Language, _limit: int) -> str:
    return json.dumps(
        {"title": table.title(language), "analysis": table.analysis.value, "rows": table.rows()},
        ensure_ascii=False,
        default=str,
    )


_RENDERERS: Mapping[str, Callable[[ResultTable, Language, int], str]] = MappingProxyType(
    {"text": _text, "csv": _csv, "json": _json}
)
