"""The ``[rbac]`` section: the role matrix, one row per granted cell."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from eschool_core.errors import ProfileError, ValidationError
from eschool_core.profiles._reader import TableReader
from eschool_core.rbac import Action, Grant, Role, RoleMatrix, Scope

__all__ = ["parse_rbac"]

E = TypeVar("E", bound=StrEnum)


def _member(row: TableReader, key: str, enum: type[E]) -> E:
    value = row.text(key)
    try:
        return enum(value)
    except ValueError:
        raise ProfileError.at(
            row.key_path(key),
            f"неизвестное значение «{value}»",
            f"unknown value '{value}'",
            code="profile.unknown_value",
        ) from None


def parse_rbac(section: TableReader) -> RoleMatrix:
    """Read the role matrix from the ``[rbac]`` section.

    Raises:
        ProfileError: For an unknown role, action or scope, a missing clause, a repeated
            cell, or a write granted to a student or parent (R3.2.4); naming the row.
    """
    grants: list[Grant] = []
    for row in section.tables("grants"):
        role = _member(row, "role", Role)
        action = _member(row, "action", Action)
        scope = _member(row, "scope", Scope)
        clause = row.text("clause")
        requirement = row.text("requirement")
        row.finish()
        try:
            grants.append(
                Grant(role=role, action=action, scope=scope, clause=clause, requirement=requirement)
            )
        except ValidationError as exc:
            raise ProfileError.at(
                row.path, exc.message("ru"), exc.message("en"), code=exc.code
            ) from exc
    section.finish()
    try:
        return RoleMatrix(grants=grants)
    except ValidationError as exc:
        raise ProfileError.at(
            section.key_path("grants"), exc.message("ru"), exc.message("en"), code=exc.code
        ) from exc
