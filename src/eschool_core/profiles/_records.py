"""The ``[records]`` section of a profile: the records schedule with retention periods (R9.2)."""

from __future__ import annotations

from eschool_core.errors import ProfileError, ValidationError
from eschool_core.profiles._reader import TableReader
from eschool_core.records import RecordsSchedule, RetentionRule

__all__ = ["parse_records"]


def parse_records(section: TableReader) -> RecordsSchedule:
    """Build the records schedule from the ``[records]`` table and its ``[[records.kinds]]``.

    Args:
        section: The ``[records]`` table.

    Raises:
        ProfileError: For a missing, unknown or ill-typed key, a period out of range, a
            permanent kind with no archive transfer, or a repeated code.
    """
    basis = section.text("basis")
    rules: list[RetentionRule] = []
    seen: set[str] = set()
    for entry in section.tables("kinds"):
        fields = {
            "code": entry.text("code"),
            "title_ru": entry.text("title_ru"),
            "title_en": entry.text("title_en"),
            "years": entry.integer("years", None, low=1, high=100),
            "archive_after_years": entry.integer("archive_after_years", None, low=0, high=100),
            "basis": entry.text("basis"),
            "clause": entry.text("clause"),
            "requirement": entry.text("requirement"),
        }
        permanent = entry.boolean("permanent", default=False)
        entry.finish()
        if permanent == (fields["years"] is not None):
            raise ProfileError.at(
                entry.path,
                "укажите либо срок хранения (years), либо permanent = true",
                "give either the retention period (years) or permanent = true",
                code="profile.invalid_retention",
            )
        try:
            rule = RetentionRule(**fields)
        except ValidationError as exc:
            raise ProfileError.at(
                entry.path, str(exc), exc.message("en"), code="profile.invalid_retention"
            ) from exc
        if rule.code in seen:
            raise ProfileError.at(
                entry.key_path("code"),
                f"вид дел «{rule.code}» указан дважды",
                f"record kind '{rule.code}' is given twice",
                code="profile.duplicate_record_kind",
            )
        seen.add(rule.code)
        rules.append(rule)
    section.finish()
    return RecordsSchedule(rules=rules, basis=basis)
