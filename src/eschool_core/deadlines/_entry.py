"""The parameters of the journal's entry deadlines (R8.6, R8.5.1), read from the deadline rules.

The bulk analytics and the journal reports judge every current mark and every corrected
absence reason with two numbers: the calendar days a valid reason adds to "on the day of
the lesson" (R8.6) and the working days allowed for correcting an absence reason after the
document (R8.5.1). Both come from the profile's ``[[deadlines.rules]]``, the same entries
the compliance checker runs, so a profile that changes them changes every consumer alike.
So do the grades taught with marks: those the attestation marks' rule (R8.9) holds to
marks (grade 1 is taught without marks), which the journal reports need to tell a lesson
missing its marks from a lesson that has none by design.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from eschool_core import _validation as v
from eschool_core.deadlines._errors import DEADLINES_ENTRY_RULE_MISSING
from eschool_core.deadlines._rules import AppliesTo, DeadlineRule, RuleKind

__all__ = ["EntryDeadlines"]

_EVERY_GRADE = frozenset(range(1, 12))


def _to_parallels(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class EntryDeadlines:
    """When a current mark and an absence reason's correction are in time (R8.6, R8.5.1).

    Attributes:
        extension_days: Calendar days after the lesson day within which a mark entered with a
            stated valid reason is in time (R8.6; 0: none, the lesson day only).
        reason_correction_working_days: Working days after the day the document was
            presented within which an absence reason is corrected (R8.5.1).
        extension_clause: The clause of the marks' rule (``"8.6"``).
        extension_requirement: Its requirement id (``"R8.6"``).
        correction_clause: The clause of the absence reasons' rule (``"8.5.1"``).
        correction_requirement: Its requirement id (``"R8.5.1"``).
        marked_parallels: The grades taught with marks (R8.9); a lesson of another grade
            owes none.

    Raises:
        ValidationError: For a negative or over-long number of days.

    >>> from eschool_core.profiles import default_profile
    >>> deadlines = default_profile().deadlines.entry_deadlines
    >>> deadlines.extension_days, deadlines.reason_correction_working_days
    (3, 2)
    >>> deadlines.extension_requirement, deadlines.correction_requirement
    ('R8.6', 'R8.5.1')
    """

    extension_days: int = attrs.field(validator=v.int_in_range(0, 366, "rule.extension_days"))
    reason_correction_working_days: int = attrs.field(validator=v.int_in_range(0, 366, "rule.days"))
    extension_clause: str = attrs.field(validator=v.non_empty_text)
    extension_requirement: str = attrs.field(validator=v.non_empty_text)
    correction_clause: str = attrs.field(validator=v.non_empty_text)
    correction_requirement: str = attrs.field(validator=v.non_empty_text)
    marked_parallels: frozenset[int] = attrs.field(default=_EVERY_GRADE, converter=_to_parallels)

    @classmethod
    def from_rules(cls, rules: Iterable[DeadlineRule]) -> EntryDeadlines:
        """Read the parameters from deadline rules (a profile's ``[[deadlines.rules]]``).

        The marks' rule is the first ``same_day`` rule that applies to ``mark`` (its
        ``extension_days``, none meaning 0); the absence reasons' rule is the first
        ``within_working_days`` rule that applies to ``absence_reason`` (its ``days``). The
        grades taught with marks are the ``parallels`` of the first rule that applies to
        ``attestation_mark`` (every grade when it names none, or there is no such rule).

        Raises:
            ValidationError: ``deadlines.entry_rule_missing`` if either rule is missing.
        """
        listed = tuple(rules)
        marks = _first(listed, AppliesTo.MARK, RuleKind.SAME_DAY)
        reasons = _first(listed, AppliesTo.ABSENCE_REASON, RuleKind.WITHIN_WORKING_DAYS)
        attestation = next(
            (rule for rule in listed if rule.applies_to is AppliesTo.ATTESTATION_MARK), None
        )
        marked = _EVERY_GRADE if attestation is None else frozenset(attestation.parallels)
        return cls(
            extension_days=marks.extension_days or 0,
            reason_correction_working_days=reasons.days or 0,
            extension_clause=marks.clause,
            extension_requirement=marks.requirement,
            correction_clause=reasons.clause,
            correction_requirement=reasons.requirement,
            marked_parallels=marked or _EVERY_GRADE,
        )


def _first(rules: tuple[DeadlineRule, ...], target: AppliesTo, kind: RuleKind) -> DeadlineRule:
    for rule in rules:
        if rule.applies_to is target and rule.kind is kind:
            return rule
    raise DEADLINES_ENTRY_RULE_MISSING.error(applies_to=target.value, kind=kind.value)
