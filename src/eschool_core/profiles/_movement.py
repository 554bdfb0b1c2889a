"""The ``[movement]`` section of a profile: the movement book's configurable rules (R10.1)."""

from __future__ import annotations

from eschool_core.errors import ProfileError
from eschool_core.movement import MovementPolicy, UnrepaidDecision
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
    attempts = section.integer("retake_attempts", 2, low=1, high=2)
    commission = section.integer("retake_commission_min", 3, low=1, high=20)
    decisions = section.text_list(
        "unrepaid_decisions", ("repeat", "adapted_programme", "individual_plan")
    )
    section.finish()
    try:
        chosen = tuple(UnrepaidDecision(d) for d in decisions)
    except ValueError as exc:
        raise ProfileError.at(
            section.key_path("unrepaid_decisions"),
            f"неизвестное решение: {exc}",
            f"unknown decision: {exc}",
            code="profile.unknown_decision",
        ) from exc
    return MovementPolicy(
        default_capacity=capacity,
        debt_term_months=term,
        retake_attempts=attempts,
        retake_commission_min=commission,
        unrepaid_decisions=chosen,
        clause=clause,
        requirement=requirement,
    )
