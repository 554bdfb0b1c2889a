"""Findings and the compliance report: what breaks the regulation, who answers, since when."""

from __future__ import annotations

import gc
import json
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from enum import Enum, StrEnum
from typing import Any

import attrs

from eschool_core._json_text import dumps_indented
from eschool_core.deadlines._rules import ResponsibleRole
from eschool_core.problems import Severity
from eschool_core.texts import Text

__all__ = [
    "SCHEMA_VERSION",
    "ComplianceReport",
    "EntityKind",
    "Finding",
    "FindingStatus",
    "UncheckedRule",
]

_DAY = timedelta(days=1)

SCHEMA_VERSION = 2
"""Version of the JSON form of a :class:`ComplianceReport` (docs/compliance.md).

Version 2 writes each finding in the shape every finding and problem shares
(:data:`eschool_core.problems.PROBLEM_KEYS`).
"""


class FindingStatus(StrEnum):
    """Where a duty stands on the report's date."""

    LATE = "late"
    """Done after the due date."""
    MISSING = "missing"
    """Not done, and the due date has passed."""
    NOT_YET_DUE = "not_yet_due"
    """Not done, and the due date has not passed yet (informational)."""
    AUDITED = "audited"
    """Allowed, but recorded for the deputy head's audit (a correction with a reason)."""
    UNAUTHORISED = "unauthorised"
    """Done without the reason or the right the rule demands."""

    @property
    def label_ru(self) -> str:
        """The status in Russian."""
        return _STATUS_RU[self]


_STATUS_RU = {
    FindingStatus.LATE: "с опозданием",
    FindingStatus.MISSING: "не внесено",
    FindingStatus.NOT_YET_DUE: "срок не наступил",
    FindingStatus.AUDITED: "исправление для контроля",
    FindingStatus.UNAUTHORISED: "без основания",
}


class EntityKind(StrEnum):
    """The kind of entity a finding names."""

    LESSON = "lesson"
    MARK = "mark"
    ATTENDANCE = "attendance"
    ATTESTATION_MARK = "attestation_mark"
    ORDER = "order"
    ORDER_ITEM = "order_item"
    CARD = "card"
    RECONCILIATION = "reconciliation"
    MOVED_DAY = "moved_day"
    REPORT = "report"
    MILESTONE = "milestone"
    CURRICULUM = "curriculum"
    THEMATIC_PLAN = "thematic_plan"
    TIMETABLE = "timetable"
    EVENT = "event"

    @property
    def label_ru(self) -> str:
        """The kind in Russian."""
        return _KIND_RU[self]


_KIND_RU = {
    EntityKind.LESSON: "урок",
    EntityKind.MARK: "отметка",
    EntityKind.ATTENDANCE: "пропуск",
    EntityKind.ATTESTATION_MARK: "итоговая отметка",
    EntityKind.ORDER: "приказ",
    EntityKind.ORDER_ITEM: "пункт приказа",
    EntityKind.CARD: "карточка",
    EntityKind.RECONCILIATION: "сверка карточек",
    EntityKind.MOVED_DAY: "перенос учебного дня",
    EntityKind.REPORT: "отчёт",
    EntityKind.MILESTONE: "этап подготовки года",
    EntityKind.CURRICULUM: "учебный план",
    EntityKind.THEMATIC_PLAN: "тематический план",
    EntityKind.TIMETABLE: "расписание",
    EntityKind.EVENT: "мероприятие",
}


@attrs.frozen(kw_only=True)
class Finding:
    """One breach (or pending duty) of a deadline rule.

    Attributes:
        rule_id: The rule broken.
        clause: The regulation clause (``"8.6"``).
        requirement: The requirement id (``"R8.6"``).
        severity: Error, warning or info.
        status: Late, missing, not yet due, audited or unauthorised.
        entity_kind: The kind of the entity concerned.
        entity_id: Its id (for reports: ``"code@window"``).
        person_id: The employee who answers, where known.
        role: The role the finding is routed to (R12.3).
        class_id: The class concerned, where known.
        due: The due date.
        done: The day it was done (school time), or ``None``.
        late_days: Calendar days after the due date (to ``as_of`` when not done).
        late_working_days: Working days after the due date (to ``as_of`` when not done).
        message: The finding in Russian and English.
        controller_role: The role that controls the duty (R10.2), or ``None``.
        controller_id: The employee designated for :attr:`controller_role`, where known.
    """

    rule_id: str
    clause: str
    requirement: str
    severity: Severity
    status: FindingStatus
    entity_kind: EntityKind
    entity_id: str
    person_id: str | None
    role: ResponsibleRole
    class_id: str | None
    due: date
    done: date | None
    late_days: int
    late_working_days: int
    message: Text
    controller_role: ResponsibleRole | None = None
    controller_id: str | None = None

    @property
    def code(self) -> str:
        """The finding's code: the id of the rule broken (the ``code`` of its JSON form)."""
        return self.rule_id

    @property
    def since(self) -> date:
        """The first day the duty is overdue (the day after the due date)."""
        return self.due + timedelta(days=1)

    @property
    def month(self) -> str:
        """The month of the due date, ``"2025-09"``."""
        return self.due.strftime("%Y-%m")

    @property
    def sort_key(self) -> tuple[str, ...]:
        """The deterministic order of findings: due date, rule, entity, person."""
        return (
            self.due.isoformat(),
            self.rule_id,
            self.entity_kind.value,
            self.entity_id,
            self.person_id or "",
            self.status.value,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form shared by every finding (docs/compliance.md).

        The rule id is the ``code``; who answers, the dates and the delay are its ``details``.
        """
        # problem_dict's form, written out: a large check serialises tens of thousands.
        controller = self.controller_role
        return {
            "code": self.rule_id,
            "clause": self.clause,
            "requirement": self.requirement,
            "severity": self.severity.value,
            "status": self.status.value,
            "message": {"ru": self.message.ru, "en": self.message.en},
            "entity": {"kind": self.entity_kind.value, "id": self.entity_id},
            "details": {
                "person_id": self.person_id,
                "role": self.role.value,
                "class_id": self.class_id,
                "due": self.due.isoformat(),
                "done": None if self.done is None else self.done.isoformat(),
                "since": (self.due + _DAY).isoformat(),
                "late_days": self.late_days,
                "late_working_days": self.late_working_days,
                "controller_role": None if controller is None else controller.value,
                "controller_id": self.controller_id,
            },
        }


@attrs.frozen(kw_only=True)
class UncheckedRule:
    """A rule the checker could not check, and why (the data it needs was not given).

    Attributes:
        rule_id: The rule.
        requirement: Its requirement id.
        reason: Why, in Russian and English.
    """

    rule_id: str
    requirement: str
    reason: Text

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: ``rule_id``, ``requirement`` and ``reason`` (``{"ru", "en"}``)."""
        return {
            "rule_id": self.rule_id,
            "requirement": self.requirement,
            "reason": self.reason.to_dict(),
        }


def _findings_dicts(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    """The findings' JSON forms, built with the cyclic garbage collector paused.

    Tens of thousands of small dicts, none of them part of a cycle, would otherwise set off
    collections that walk every object of the report again and again.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return [f.to_dict() for f in findings]
    finally:
        if paused:
            gc.enable()


def _sorted(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda finding: finding.sort_key))


@attrs.frozen(kw_only=True)
class ComplianceReport:
    """The findings of one check, sorted deterministically, with counts by rule, person, class.

    Attributes:
        as_of: The date the data was judged on.
        findings: Every finding, sorted by due date, rule, entity and person.
        unchecked: Rules that were not checked, with the reason.
        rules_checked: Ids of the rules that were checked, sorted.
    """

    as_of: date
    findings: tuple[Finding, ...] = attrs.field(converter=_sorted)
    unchecked: tuple[UncheckedRule, ...] = ()
    rules_checked: tuple[str, ...] = ()

    def to_arrow(self) -> Any:  # noqa: ANN401 - pyarrow is an optional extra
        """Return every finding as a ``pyarrow.Table``, one column per :class:`Finding` field.

        The message takes two text columns, ``message_ru`` and ``message_en``. Needs the
        ``analytics`` extra (pyarrow).

        Raises:
            ModuleNotFoundError: If pyarrow is not installed.
        """
        from eschool_core._frames import to_arrow  # noqa: PLC0415 - optional extra inside

        fields = attrs.fields(Finding)
        kinds = {"int": "int", "date": "date", "date | None": "date"}
        columns: list[tuple[str, str]] = []
        for f in fields:
            if f.name == "message":
                columns.extend((("message_ru", "text"), ("message_en", "text")))
            else:
                columns.append((f.name, kinds.get(str(f.type), "text")))
        rows = [
            [
                cell
                for value in (getattr(finding, f.name) for f in fields)
                for cell in (
                    (value.ru, value.en)
                    if isinstance(value, Text)
                    else (value.value if isinstance(value, Enum) else value,)
                )
            ]
            for finding in self.findings
        ]
        return to_arrow(columns, rows)

    def to_pandas(self) -> Any:  # noqa: ANN401 - pandas is an optional extra
        """Return every finding as a ``pandas.DataFrame`` (see :meth:`to_arrow`).

        Raises:
            ModuleNotFoundError: If pandas or pyarrow (the ``analytics`` extra) is missing.
        """
        return self.to_arrow().to_pandas()

    def _repr_html_(self) -> str:
        """The violations per rule as an HTML table, for a notebook's display."""
        from eschool_core._frames import html_table  # noqa: PLC0415 - light, core module

        clauses = {f.rule_id: f.clause for f in self.findings}
        rows = [[rule, clauses.get(rule, ""), count] for rule, count in self.by_rule().items()]
        return html_table(
            f"Соблюдение сроков на {self.as_of:%d.%m.%Y}",
            ["Правило", "Пункт", "Нарушений"],
            rows,
            caption=f"Нарушений: {len(self.violations)}; проверено правил: "
            f"{len(self.rules_checked)}",
        )

    @property
    def violations(self) -> tuple[Finding, ...]:
        """The findings other than "not yet due" ones."""
        return tuple(f for f in self.findings if f.status is not FindingStatus.NOT_YET_DUE)

    @property
    def has_errors(self) -> bool:
        """Whether any finding has error severity."""
        return any(f.severity is Severity.ERROR for f in self.findings)

    def _count(self, key: Callable[[Finding], str | None]) -> dict[str, int]:
        counts = Counter(key(f) or "" for f in self.violations)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def by_rule(self) -> dict[str, int]:
        """Return the number of violations per rule id, most first."""
        return self._count(lambda f: f.rule_id)

    def by_person(self) -> dict[str, int]:
        """Return the number of violations per responsible employee (``""``: unknown)."""
        return self._count(lambda f: f.person_id)

    def by_role(self) -> dict[str, int]:
        """Return the number of violations per responsible role."""
        return self._count(lambda f: f.role.value)

    def by_controller(self) -> dict[str, int]:
        """Return the number of violations per controlling role (R10.2), most first.

        Findings of rules without a controller are not counted.
        """
        counts = Counter(
            f.controller_role.value for f in self.violations if f.controller_role is not None
        )
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def addressed_to(self, role: ResponsibleRole) -> tuple[Finding, ...]:
        """Return the violations routed to ``role`` or controlled by it (R12.3, R10.2)."""
        return tuple(f for f in self.violations if role in (f.role, f.controller_role))

    def by_class(self) -> dict[str, int]:
        """Return the number of violations per class (``""``: none or unknown)."""
        return self._count(lambda f: f.class_id)

    def by_month(self) -> dict[str, int]:
        """Return the number of violations per month of the due date, in date order."""
        counts = Counter(f.month for f in self.violations)
        return dict(sorted(counts.items()))

    def by_status(self) -> dict[str, int]:
        """Return the number of findings per status."""
        counts = Counter(f.status.value for f in self.findings)
        return dict(sorted(counts.items()))

    def by_severity(self) -> dict[str, int]:
        """Return the number of violations per severity."""
        counts = Counter(f.severity.value for f in self.violations)
        return dict(sorted(counts.items()))

    def count(self, rule_id: str, status: FindingStatus | None = None) -> int:
        """Return how many findings a rule has (of one status, if given)."""
        return sum(
            1
            for f in self.findings
            if f.rule_id == rule_id and (status is None or f.status is status)
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the stable JSON-ready form (``schema_version`` 2, docs/compliance.md)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "as_of": self.as_of.isoformat(),
            "summary": {
                "findings": len(self.findings),
                "violations": len(self.violations),
                "has_errors": self.has_errors,
                "by_rule": self.by_rule(),
                "by_role": self.by_role(),
                "by_controller": self.by_controller(),
                "by_person": self.by_person(),
                "by_class": self.by_class(),
                "by_month": self.by_month(),
                "by_status": self.by_status(),
                "by_severity": self.by_severity(),
            },
            "rules_checked": list(self.rules_checked),
            "unchecked": [rule.to_dict() for rule in self.unchecked],
            "findings": _findings_dicts(self.findings),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the JSON form as text (UTF-8, Cyrillic kept readable).

        Args:
            indent: Spaces per level; ``None`` writes one line.
        """
        if indent is None:
            return json.dumps(self.to_dict(), ensure_ascii=False)
        return dumps_indented(self.to_dict(), indent=indent)
