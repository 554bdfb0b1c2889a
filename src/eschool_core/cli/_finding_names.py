"""Names beside the ids of ``eschool check --format json``: people, classes, thematic plans."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from eschool_core._json_text import dumps_indented
from eschool_core.school import Subject
from eschool_core.year_data import SchoolYearData

__all__ = ["FindingNames"]

_LABELS = {"thematic_plan": ("тематический план", "thematic_plan")}
"""The words before an entity's id in the findings' messages (see the checker)."""


@attrs.frozen(kw_only=True)
class FindingNames:
    """The names of the ids a compliance report's findings carry.

    Attributes:
        people: Employees' and students' full names by id.
        classes: Class names (``"5А"``) by id.
        entities: Names of entities by ``(kind, id)``: a thematic plan as its subject,
            class and teacher (``"Музыка, 2А, Петрова А. И."``).
    """

    people: Mapping[str, str]
    classes: Mapping[str, str]
    entities: Mapping[tuple[str, str], str]

    @classmethod
    def of(cls, data: SchoolYearData, subjects: Iterable[Subject]) -> FindingNames:
        """Collect the names of ``data`` (a year's data: its staff, students, classes, plans)."""
        people = {str(e.id): e.person.full_name for e in data.employees}
        people.update({str(s.id): s.person.full_name for s in data.students})
        short = {str(e.id): e.person.short_name for e in data.employees}
        classes = {str(c.id): c.name for c in data.classes}
        subject_names = {str(s.id): s.name for s in subjects}
        entities: dict[tuple[str, str], str] = {}
        for plan in data.thematic_plans:
            parts = [
                subject_names.get(str(plan.subject_id), str(plan.subject_id)),
                classes.get(str(plan.class_id), str(plan.group_id or plan.class_id or "")),
                short.get(str(plan.teacher_id), ""),
            ]
            entities["thematic_plan", str(plan.id)] = ", ".join(part for part in parts if part)
        return cls(people=people, classes=classes, entities=entities)

    def add_to(self, report: Mapping[str, Any]) -> str:
        """Return a report's JSON (``ComplianceReport.to_dict()``) with names beside ids.

        Each finding's ``entity`` gains its ``name`` and its ``details`` gain
        ``person_name``, ``controller_name`` and ``class_name`` (``null`` where unknown); a
        thematic plan's message names it by its subject, class and teacher instead of its id.
        The summary gains ``by_person_name`` and ``by_class_name``.
        """
        result = dict(report)
        result["findings"] = [self._finding(finding) for finding in report["findings"]]
        summary = dict(report["summary"])
        summary["by_person_name"] = self._counts(summary.get("by_person", {}), self.people)
        summary["by_class_name"] = self._counts(summary.get("by_class", {}), self.classes)
        result["summary"] = summary
        return dumps_indented(result)

    @staticmethod
    def _counts(counts: Mapping[str, int], names: Mapping[str, str]) -> dict[str, int]:
        named: dict[str, int] = {}
        for key, count in counts.items():
            name = names.get(key, key) or "—"
            named[name] = named.get(name, 0) + count
        return named

    def _finding(self, finding: Mapping[str, Any]) -> dict[str, Any]:
        named = dict(finding)
        kind, entity = str(finding["entity"]["kind"]), str(finding["entity"]["id"])
        entity_name = self.entities.get((kind, entity))
        named["entity"] = {**finding["entity"], "name": entity_name}
        details = dict(finding["details"])
        details["person_name"] = self.people.get(str(details.get("person_id")))
        details["controller_name"] = self.people.get(str(details.get("controller_id")))
        details["class_name"] = self.classes.get(str(details.get("class_id")))
        named["details"] = details
        if entity_name is not None and kind in _LABELS:
            label_ru, label_en = _LABELS[kind]
            message = finding["message"]
            named["message"] = {
                "ru": str(message["ru"]).replace(
                    f"{label_ru} {entity}", f"{label_ru} «{entity_name}»"
                ),
                "en": str(message["en"]).replace(
                    f"{label_en} {entity}", f"thematic plan '{entity_name}'"
                ),
            }
        return named
