"""The ``[movement]`` section of a profile: the movement book's configurable rules (R10.1)."""

from __future__ import annotations

from eschool_core.movement import MovementPolicy
from eschool_core.profiles._reader import TableReader

__all__ = ["parse_movement"]


def parse_movement(section: TableReader, *, default_capacity: int) -> MovementPolicy:
    """Build the movement policy from the ``[movement]`` table.

    Args:
        section: The ``[movement]`` table.
        default_capacity: The class capacity of ``[classes]``, unless ``capacity`` here
            overrides it for the movement book.

    Raises:
        ProfileError: For a missing, unknown or ill-typed key.
    """
    clause = section.text("clause")
    requirement = section.text("requirement")
    capacity = section.integer("capacity", default_capacity, low=1, high=60)
    term = section.integer("debt_term_months", low=1, high=60)
    section.finish()
    return MovementPolicy(
        default_capacity=capacity,
        debt_term_months=term,
        clause=clause,
        requirement=requirement,
    )
