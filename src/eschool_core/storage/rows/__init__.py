"""The row mapping of the stored aggregates: one column list and two mapping functions each.

Public for a host writing its own adapter: :class:`Aggregate` (how one aggregate is stored)
is what :attr:`AggregateSpec.rows <eschool_core.storage.registry.AggregateSpec.rows>` of
every registry entry holds.

This is the one place where entities become rows and rows become entities. The SQL store
builds its tables from these column lists and the exchange bundle writes them as CSV
columns, so both share one documented layout. Nested values are flattened (a ``Person``
becomes the ``last_name`` ... ``email`` columns, an ``IdentityDocument`` the ``document_*``
columns, a ``Fraction`` weight ``weight_num``/``weight_den``); variable-length values (mark
edits, individual homework, work types, consent purposes, group members, a curriculum's
parts, a plan's topics, a bell schedule's bells) are lists. An order's items and a
timetable's entries are child rows (:class:`ChildRows`): their own table and their own CSV
file, each row naming its parent and its position in it.
Entities are rebuilt through their keyword constructors, so every validator runs again,
except that a SQLite read builds rows of the journal's large tables unchecked where their
row mapping vouches for every value (``from_stored``, :mod:`._trusted`).

One module per group of aggregates: people, school, journal, movement, planning, timetable,
calendar, closures, rollovers, report runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from eschool_core.storage.rows import (
    _calendar,
    _closures,
    _journal,
    _movement,
    _people,
    _planning,
    _report_runs,
    _rollovers,
    _school,
    _timetable,
)
from eschool_core.storage.rows._layout import Aggregate, ChildRows, Column, Row, StoredType

__all__ = ["AGGREGATES", "Aggregate", "ChildRows", "Column", "Row", "StoredType"]


AGGREGATES: Mapping[str, Aggregate] = MappingProxyType(
    {
        aggregate.name: aggregate
        for module in (
            _people,
            _school,
            _journal,
            _movement,
            _planning,
            _timetable,
            _closures,
            _rollovers,
            _calendar,
            _report_runs,
        )
        for aggregate in module.AGGREGATES
    }
)
"""The row mapping of each aggregate the library stores, by its name (in no particular
order: :data:`~eschool_core.storage.registry.REGISTRY` gives the loading order, and each
registry entry its row mapping)."""
