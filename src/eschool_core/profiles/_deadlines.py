"""The ``[deadlines]`` section of a profile: every time rule of the regulation, as data."""

from __future__ import annotations

from eschool_core.deadlines import DeadlinePolicy, DeadlineRule
from eschool_core.errors import ProfileError, ValidationError
from eschool_core.profiles._reader import TableReader

__all__ = ["parse_deadlines"]


def parse_deadlines(section: TableReader) -> DeadlinePolicy:
    """Build the deadline policy from the ``[deadlines]`` table and its ``[[deadlines.rules]]``.

    Args:
        section: The ``[deadlines]`` table.

    Raises:
        ProfileError: For a missing, unknown or ill-typed key, an unknown kind, role,
            severity or subject, a rule that lacks what its kind needs, or a repeated id.
    """
    rules: list[DeadlineRule] = []
    seen: set[str] = set()
    for entry in section.tables("rules"):
        fields = {
            "id": entry.text("id"),
            "kind": entry.text("kind"),
            "applies_to": entry.text("applies_to"),
            "clause": entry.text("clause"),
            "requirement": entry.text("requirement"),
            "role": entry.text("role"),
            "severity": entry.text("severity"),
            "title_ru": entry.text("title_ru"),
            "title_en": entry.text("title_en"),
            "days": entry.integer("days", None, low=0, high=366),
            "unit": entry.text("unit", "calendar_days"),
            "extension_days": entry.integer("extension_days", None, low=1, high=366),
            "by": entry.text("by", None),
            "every": entry.text("every", None),
            "reports": entry.text_list("reports", ()),
            "scope": entry.text("scope", "school"),
            "order_kinds": entry.text_list("order_kinds", ()),
            "missing_is_finding": entry.boolean("missing_is_finding", default=True),
            "reopen_role_corrects": entry.boolean("reopen_role_corrects", default=False),
            "controller": entry.text("controller", None),
            "parallels": entry.integer_list("parallels", ()),
            "card_kinds": entry.text_list("card_kinds", ()),
            "starts": entry.text("starts", None),
            "ends": entry.text("ends", None),
        }
        entry.finish()
        try:
            rule = DeadlineRule(**fields)
        except (ValueError, ValidationError) as exc:
            message = exc.message("en") if isinstance(exc, ValidationError) else str(exc)
            ru = str(exc) if isinstance(exc, ValidationError) else f"недопустимое значение: {exc}"
            raise ProfileError.at(entry.path, ru, message, code="profile.invalid_rule") from exc
        if rule.id in seen:
            raise ProfileError.at(
                entry.key_path("id"),
                f"правило «{rule.id}» указано дважды",
                f"rule '{rule.id}' is given twice",
                code="profile.duplicate_rule",
            )
        seen.add(rule.id)
        rules.append(rule)
    section.finish()
    return DeadlinePolicy(rules=rules)
