"""Workers for the concurrency tests: run in processes of their own (spawn), report by a queue.

Kept apart from the test module so that a spawned process imports only this module and the
library, not pytest's test collection.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Sequence
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

import attrs

from eschool_core.errors import ConflictError
from eschool_core.journal import MarkEdit, MarkValue
from eschool_core.storage.sql import SqlStore

__all__ = ["correct_marks", "open_schema", "reason_of"]

_VALUES = (2, 3, 4, 5)


def reason_of(worker: int, number: int) -> str:
    """The reason written into correction ``number`` of ``worker``: unique per correction."""
    return f"исправление {worker}-{number}"


def correct_marks(
    target: str,
    schema: str | None,
    *,
    mark_ids: Sequence[str],
    worker: int,
    count: int,
    start: Barrier,
    results: Queue[Any],
) -> None:
    """Append ``count`` corrections to the marks ``mark_ids`` in turn, one unit of work each.

    Each unit of work reads the mark, appends a :class:`MarkEdit` to its history with a
    reason unique to the correction, updates the mark and commits. Puts on ``results``
    ``("ok", worker, kept reasons, refused count)``, where a refusal is a
    :class:`ConflictError` raised by the update or the commit, or ``("error", worker, text)``.
    """
    try:
        store = SqlStore(target, schema=schema, create=True)
        kept: list[str] = []
        refused = 0
        start.wait(timeout=60)
        try:
            for number in range(count):
                mark_id = mark_ids[number % len(mark_ids)]
                reason = reason_of(worker, number)
                try:
                    with store.unit_of_work() as uow:
                        mark = uow.marks.get(mark_id)
                        value = MarkValue.of(_VALUES[(number + worker) % len(_VALUES)])
                        edit = MarkEdit(
                            at=dt.datetime.now(dt.UTC),
                            by=mark.author_id,
                            old_value=mark.value,
                            new_value=value,
                            reason=reason,
                        )
                        uow.marks.update(attrs.evolve(mark, value=value, edits=(*mark.edits, edit)))
                        uow.commit()
                except ConflictError:
                    refused += 1
                else:
                    kept.append(reason)
        finally:
            store.close()
        results.put(("ok", worker, kept, refused))
    except BaseException:  # reported to the parent, which fails the test
        results.put(("error", worker, traceback.format_exc()))


def open_schema(
    target: str, schema: str, *, worker: int, start: Barrier, results: Queue[Any]
) -> None:
    """Open the SQL store at ``target`` in ``schema`` once ``start`` lets every worker go.

    Puts ``("ok", worker, None)`` or ``("error", worker, text of the error)`` on ``results``.
    """
    try:
        start.wait(timeout=60)
        store = SqlStore(target, schema=schema, create=True)
        store.close()
        results.put(("ok", worker, None))
    except BaseException as error:  # reported to the parent
        results.put(("error", worker, f"{type(error).__name__}: {error}"))
