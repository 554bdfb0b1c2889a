"""The deadline rules of a profile, as one value (the profile's ``[deadlines]`` section)."""

from __future__ import annotations

import attrs

from eschool_core import _validation as v
from eschool_core.deadlines._edits import EditPolicy
from eschool_core.deadlines._entry import EntryDeadlines
from eschool_core.deadlines._rules import DeadlineRule

__all__ = ["DeadlinePolicy"]


def _rules(value: object) -> tuple[DeadlineRule, ...]:
    return tuple(v.to_tuple(value))


@attrs.frozen(kw_only=True)
class DeadlinePolicy:
    """A school's deadline rules (built from the profile's ``[deadlines]`` section).

    Attributes:
        rules: The rules, in the profile's order.

    The rules hold no time zone: "the day of the lesson" is judged in the school's
    (``School.time_zone``), which every rule object is given when it is built.
    """

    rules: tuple[DeadlineRule, ...] = attrs.field(converter=_rules)

    def rule(self, rule_id: str) -> DeadlineRule:
        """Return the rule with ``rule_id``.

        Raises:
            KeyError: If there is none.
        """
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def edit_policy_in(self, time_zone: str) -> EditPolicy:
        """Return the edit window and period lock the rules define, judged in a school's zone.

        Args:
            time_zone: The school's time zone (``School.time_zone``).

        Raises:
            ValidationError: For an unknown time zone (``school.unknown_time_zone``).
        """
        return EditPolicy.from_rules(self.rules, time_zone=time_zone)

    @property
    def entry_deadlines(self) -> EntryDeadlines:
        """The R8.6 extension and the R8.5.1 correction term the rules define.

        Raises:
            ValidationError: ``deadlines.entry_rule_missing`` if the rules lack either.
        """
        return EntryDeadlines.from_rules(self.rules)
