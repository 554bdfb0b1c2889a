"""The shape of a stored row: column types, columns, child rows and the aggregate record."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

import attrs

__all__ = ["Aggregate", "ChildRows", "Column", "Row", "StoredType"]

Row = dict[str, Any]
"""A flat row: column name to a Python value (str, int, date, aware datetime, list) or None."""


class StoredType(StrEnum):
    """The type of a stored value: how a column holds it."""

    TEXT = "text"
    """A string."""
    INT = "int"
    """A whole number."""
    DATE = "date"
    """A calendar date (``datetime.date``)."""
    INSTANT = "instant"
    """A timezone-aware moment (``datetime.datetime``)."""
    LIST = "list"
    """A list of strings or of small records (stored as JSON text or in a child table)."""


@attrs.frozen(kw_only=True)
class Column:
    """One column of an aggregate's row.

    Attributes:
        name: The column name.
        type: The value type.
        nullable: Whether the column may be empty (``None``).
        doc: What the column holds.
    """

    name: str
    type: StoredType
    nullable: bool
    doc: str


def _col(name: str, kind: StoredType, doc: str, *, null: bool = False) -> Column:
    return Column(name=name, type=kind, nullable=null, doc=doc)


_T, _I, _D, _M, _L = (
    StoredType.TEXT,
    StoredType.INT,
    StoredType.DATE,
    StoredType.INSTANT,
    StoredType.LIST,
)


@attrs.frozen(kw_only=True)
class ChildRows:
    """A list of records of an aggregate kept as rows of their own table and file.

    In the aggregate's row the list is under :attr:`field`, one row (a dict of
    :attr:`columns`) per record, in order.

    Attributes:
        name: The table and file name (``"order_items"``).
        field: The key of the list in the aggregate's row (``"items"``).
        parent_column: The column naming the aggregate's id (``"order_id"``).
        columns: The columns: the parent's id, ``position`` (from 0), then the record's.
    """

    name: str
    field: str
    parent_column: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the columns, in order."""
        return tuple(column.name for column in self.columns)


@attrs.frozen(kw_only=True)
class Aggregate:
    """How one aggregate is stored.

    Attributes:
        name: The repository's name in a unit of work (``"marks"``), also the table and file name.
        kind: The entity kind used in error codes (``"mark"``).
        columns: The columns, the id first.
        to_row: Maps an entity to its row.
        from_row: Rebuilds the entity from its row (validators run).
        children: Lists kept as rows of their own tables (an order's items).
        to_values: Maps an entity to its row as a tuple in column order, without building a
            dict (bulk writes of the large aggregates); ``None``: take it from ``to_row``.
        from_values: The inverse of ``to_values``: rebuilds the entity from its row as a
            sequence in column order (further items are ignored), validators run, without
            building a dict (reads of the large aggregates); ``None``: use ``from_row``.
        from_stored: Rebuilds the entities of rows as SQLite holds them (ISO text for dates
            and moments, JSON text for lists; values in column order), each row it vouches
            for without the entity's validators (``_trusted``); it passes every other row to
            its second argument, which rebuilds it through the validators (``from_values`` or
            ``from_row``) and returns ``None`` for a row to leave out. ``None``: every row is
            validated.
    """

    name: str
    kind: str
    columns: tuple[Column, ...]
    to_row: Callable[[Any], Row]
    from_row: Callable[[Mapping[str, Any]], Any]
    children: tuple[ChildRows, ...] = ()
    to_values: Callable[[Any], tuple[Any, ...]] | None = None
    from_values: Callable[[Sequence[Any]], Any] | None = None
    from_stored: (
        Callable[[Iterable[Sequence[Any]], Callable[[Sequence[Any]], Any]], list[Any]] | None
    ) = None

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the columns, in order."""
        return tuple(column.name for column in self.columns)


_ID = _col("id", _T, "The entity's id (unique in the file).")

_YEAR = _col("year", _T, "Academic year, `2025/2026`.")


def _zipped(
    columns: tuple[Column, ...], to_values: Callable[[Any], tuple[Any, ...]]
) -> Callable[[Any], Row]:
    names = tuple(column.name for column in columns)

    def to_row(entity: Any) -> Row:  # noqa: ANN401 - an entity of the aggregate
        return dict(zip(names, to_values(entity), strict=True))

    return to_row


def _aggregate(
    name: str,
    kind: str,
    columns: tuple[Column, ...],
    to_row: Callable[[Any], Row],
    from_row: Callable[[Mapping[str, Any]], Any],
    *children: ChildRows,
    to_values: Callable[[Any], tuple[Any, ...]] | None = None,
    from_values: Callable[[Sequence[Any]], Any] | None = None,
    from_stored: (
        Callable[[Iterable[Sequence[Any]], Callable[[Sequence[Any]], Any]], list[Any]] | None
    ) = None,
) -> Aggregate:
    return Aggregate(
        name=name,
        kind=kind,
        columns=columns,
        to_row=to_row,
        from_row=from_row,
        children=children,
        to_values=to_values,
        from_values=from_values,
        from_stored=from_stored,
    )
