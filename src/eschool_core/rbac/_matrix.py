"""The role matrix: granted cells (role, action, scope), each citing its clause."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from eschool_core import _validation as v
from eschool_core.errors import Language
from eschool_core.rbac._catalogue import Action, Role, Scope, to_action, to_role, to_scope
from eschool_core.rbac._errors import (
    RBAC_DUPLICATE_GRANT,
    RBAC_NOT_A_GRANT,
    RBAC_UNKNOWN_FORMAT,
    RBAC_WRITE_FOR_READ_ONLY_ROLE,
)
from eschool_core.texts import Text

__all__ = ["Grant", "MatrixFormat", "RoleMatrix"]

MatrixFormat = str
"""The export formats of :meth:`RoleMatrix.render`: ``"md"`` or ``"csv"``."""


@attrs.frozen(kw_only=True)
class Grant:
    """One granted cell of the role matrix.

    Attributes:
        role: The role granted.
        action: What the role may do.
        scope: How far the right reaches.
        clause: The regulation clause that gives the right (``"8.7"``).
        requirement: The requirement id (``"R8.7a"``).

    Raises:
        ValidationError: For a role, action or scope outside the catalogue, an empty
            clause or requirement, or a write granted to a student or a parent (R3.2.4).
    """

    role: Role = attrs.field(converter=to_role)
    action: Action = attrs.field(converter=to_action)
    scope: Scope = attrs.field(converter=to_scope)
    clause: str = attrs.field(validator=v.non_empty_text)
    requirement: str = attrs.field(validator=v.non_empty_text)

    def __attrs_post_init__(self) -> None:
        if self.role.reads_only and self.action.is_write:
            raise RBAC_WRITE_FOR_READ_ONLY_ROLE.error(
                details={"role": self.role.value, "action": self.action.value},
                role_label=Text(self.role.label(), self.role.label("en")),
                action_label=Text(self.action.label(), self.action.label("en")),
            )

    @property
    def key(self) -> tuple[Role, Action, Scope]:
        """The cell's coordinates."""
        return (self.role, self.action, self.scope)


_HEADERS: Final = {
    Language.RU: ("Роль", "Действие", "Код действия", "Область", "Пункт", "Требование"),
    Language.EN: ("Role", "Action", "Action code", "Scope", "Clause", "Requirement"),
}


def _to_grants(value: Iterable[Grant]) -> tuple[Grant, ...]:
    return tuple(v.to_tuple(value))


@attrs.frozen(kw_only=True)
class RoleMatrix:
    """The role matrix (Appendix 1 of the regulation): what is not granted is denied (R3.1c).

    Attributes:
        grants: The granted cells, in the order they were given.

    Raises:
        ValidationError: If a cell is granted twice.

    >>> matrix = RoleMatrix(grants=[Grant(role="teacher", action="mark.write",
    ...     scope="taught", clause="8.4.1", requirement="R8.4.1")])
    >>> [g.clause for g in matrix.cells(Role.TEACHER, Action.MARK_WRITE)]
    ['8.4.1']
    >>> matrix.cells(Role.PARENT, Action.MARK_WRITE)
    ()
    """

    grants: tuple[Grant, ...] = attrs.field(converter=_to_grants)
    _index: Mapping[tuple[Role, Action], tuple[Grant, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        index: dict[tuple[Role, Action], list[Grant]] = {}
        seen: set[tuple[Role, Action, Scope]] = set()
        for grant in self.grants:
            if not isinstance(grant, Grant):
                raise RBAC_NOT_A_GRANT.error(grant=grant)
            if grant.key in seen:
                raise RBAC_DUPLICATE_GRANT.error(
                    details={"role": grant.role.value, "action": grant.action.value},
                    scope=grant.scope.value,
                )
            seen.add(grant.key)
            index.setdefault((grant.role, grant.action), []).append(grant)
        object.__setattr__(
            self, "_index", MappingProxyType({key: tuple(cells) for key, cells in index.items()})
        )

    def cells(self, role: Role, action: Action) -> tuple[Grant, ...]:
        """Return the cells granting ``action`` to ``role`` (empty: denied)."""
        return self._index.get((role, action), ())

    def is_granted(self, role: Role, action: Action, scope: Scope) -> bool:
        """Return whether the cell (``role``, ``action``, ``scope``) is granted."""
        return any(grant.scope is scope for grant in self.cells(role, action))

    def actions_of(self, role: Role) -> frozenset[Action]:
        """Return every action granted to ``role`` in some scope."""
        return frozenset(action for (granted, action) in self._index if granted is role)

    def rows(self, language: Language | str = Language.RU) -> list[tuple[str, ...]]:
        """Return the matrix as table rows (headers first), ordered by role then action.

        Args:
            language: ``"ru"`` (default) or ``"en"`` for the role, action and scope names.
        """
        lang = Language(language)
        order = {role: index for index, role in enumerate(Role)}
        action_order = {action: index for index, action in enumerate(Action)}
        ordered = sorted(
            self.grants,
            key=lambda g: (order[g.role], action_order[g.action], g.scope.value),
        )
        body = [
            (
                g.role.label(lang),
                g.action.label(lang),
                g.action.value,
                g.scope.label(lang),
                g.clause,
                g.requirement,
            )
            for g in ordered
        ]
        return [_HEADERS[lang], *body]

    def render(self, fmt: MatrixFormat = "md", language: Language | str = Language.RU) -> str:
        """Render the matrix as a Markdown or CSV table: the school's Appendix 1.

        Args:
            fmt: ``"md"`` or ``"csv"``.
            language: ``"ru"`` (default) or ``"en"``.

        Raises:
            ValidationError: For another format.

        >>> matrix = RoleMatrix(grants=[Grant(role="secretary", action="movement_book.write",
        ...     scope="school", clause="10.1", requirement="R10.1")])
        >>> print(matrix.render("md", "en"))
        | Role | Action | Action code | Scope | Clause | Requirement |
        |---|---|---|---|---|---|
        | Secretary | Edit the movement book | movement_book.write | school | 10.1 | R10.1 |
        """
        rows = self.rows(language)
        if fmt == "md":
            lines = ["| " + " | ".join(row) + " |" for row in rows]
            lines.insert(1, "|" + "---|" * len(rows[0]))
            return "\n".join(lines)
        if fmt == "csv":
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(rows)
            return buffer.getvalue()
        raise RBAC_UNKNOWN_FORMAT.error(fmt=fmt)
