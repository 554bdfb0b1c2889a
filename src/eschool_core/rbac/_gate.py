"""An adapter that lets other modules ask the authorizer by action code."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final

from eschool_core.errors import ACCESS_DENIED
from eschool_core.ids import SchoolId
from eschool_core.rbac._authorizer import Actor, Authorizer, Target
from eschool_core.rbac._catalogue import Action
from eschool_core.texts import Text

__all__ = ["GATE_ACTIONS", "ActionGate"]

GATE_ACTIONS: Final[Mapping[str, Action]] = MappingProxyType(
    {"movement.edit": Action.MOVEMENT_BOOK_WRITE}
)
"""Action codes other modules ask about, mapped to the catalogue (``movement.edit``: R10.1)."""


class ActionGate:
    """Answers ``require(actor, action, target)`` with an :class:`Authorizer` for one day.

    Modules that must not depend on the role model (the movement book) ask a small
    protocol, ``require(actor, action_code, target)``; the gate maps the code to an
    :class:`Action`, the target to a school-level :class:`Target` (with its academic
    ``year`` when it has one), and asks the authorizer.

    Args:
        authorizer: The authorizer.
        school_id: The school the gated operations belong to.
        on: The day whose relations count.
        at: The moment, when the authorizer keeps an audit log.
        actions: Codes to actions; catalogue codes (``"movement_book.write"``) work as is.
    """

    def __init__(
        self,
        authorizer: Authorizer,
        *,
        school_id: SchoolId,
        on: date,
        at: datetime | None = None,
        actions: Mapping[str, Action] = GATE_ACTIONS,
    ) -> None:
        self._authorizer = authorizer
        self._school_id = school_id
        self._on = on
        self._at = at
        self._actions = dict(actions)

    def require(self, actor: Any, action: str, target: Any) -> None:  # noqa: ANN401 - protocol
        """Return if ``actor`` may do ``action``; raise otherwise.

        Raises:
            PermissionDenied: For an actor that is not an :class:`Actor`, an unknown action
                code, or a denial by the authorizer.
        """
        mapped = self._actions.get(action)
        if mapped is None and action in Action._value2member_map_:
            mapped = Action(action)
        if not isinstance(actor, Actor) or mapped is None:
            raise ACCESS_DENIED.error(
                details={"action": action},
                reason=Text(
                    f"Действие «{action}» не разрешено: нет пользователя или неизвестное действие",
                    f"Action '{action}' is not allowed: no authenticated actor or unknown action",
                ),
            )
        year = getattr(target, "year", None)
        self._authorizer.require(
            actor,
            mapped,
            Target(school_id=self._school_id, year=year if isinstance(year, str) else None),
            on=self._on,
            at=self._at,
        )
