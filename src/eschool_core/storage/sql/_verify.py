"""Re-validate a whole SQL store: every stored row through its entity's validators."""

from __future__ import annotations

from typing import Any

from eschool_core.errors import ValidationError
from eschool_core.storage.registry import REGISTRY
from eschool_core.storage.sql._store import SqlStore

__all__ = ["verify_rows"]


def verify_rows(store: SqlStore) -> tuple[ValidationError, ...]:
    """Rebuild every stored row of every aggregate and return the errors of the invalid ones.

    Reading already refuses a row that does not make a valid entity, at the first such row
    (``store.invalid_row``; a SQLite read builds a row unchecked only where its row mapping
    vouches for every value); this runs every validator on every row and reports all the
    invalid ones at once, e.g. after the file was edited with another tool. The schema's own
    constraints (a mark's value, a weight) keep the commonest edits out to begin with.

    Args:
        store: An open SQL store.

    Returns:
        One ``store.invalid_row`` error per invalid row, in the registry's order of tables;
        ``details`` name the table, the row's id and the entity's own error code (an
        aggregate kept with child rows reports only its first invalid row). Empty when
        every row is valid.

    Raises:
        StorageError: If the store cannot be read.
    """
    found: list[ValidationError] = []
    with store.unit_of_work() as uow:
        for name in REGISTRY:
            repository: Any = getattr(uow, name)
            found.extend(repository.verify())
    return tuple(found)
