"""The records schedule (номенклатура дел): retention periods and what is due for disposition."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

import attrs

from eschool_core import _validation as v
from eschool_core.problems import Severity, problem_dict
from eschool_core.records._errors import (
    RECORDS_DUPLICATE_KIND,
    RECORDS_PERMANENT_WITHOUT_ARCHIVE,
    RECORDS_UNSCHEDULED,
)
from eschool_core.texts import Text

__all__ = [
    "Disposition",
    "DispositionFinding",
    "RecordCase",
    "RecordsSchedule",
    "RetentionRule",
    "due_dispositions",
]


class Disposition(StrEnum):
    """What a closed case is due for once its time has come."""

    TRANSFER = "transfer"
    """Transfer to the school's archive (long-term and permanent cases)."""
    DESTROY = "destroy"
    """Selection for destruction: the retention period has expired (an expert commission
    still approves the act)."""

    @property
    def label_ru(self) -> str:
        """The disposition in Russian."""
        return "передача в архив" if self is Disposition.TRANSFER else "выделение к уничтожению"


@attrs.frozen(kw_only=True)
class RetentionRule:
    """One kind of record in the records schedule, with its retention period (R9.2).

    A period of ``years`` is counted from 1 January of the year after the case was closed,
    as archival practice counts it: a journal closed in June 2026 and kept 5 years is kept
    to the end of 2031.

    Attributes:
        code: Stable code of the record kind (``"class_journal"``).
        title_ru: The kind's name in Russian, as the records schedule names it.
        title_en: The same in English.
        years: Retention in years; ``None`` for permanent retention.
        archive_after_years: Years after closing (counted the same way) from which the case
            is due for transfer to the school's archive; ``None``: kept where it is.
        basis: The legal basis of the period.
        clause: The regulation clause (``"9.2"``).
        requirement: The requirement id (``"R9.2"``).

    Raises:
        ValidationError: For a permanent kind that is never transferred to the archive.

    >>> rule = RetentionRule(code="class_journal", title_ru="Классный журнал",
    ...     title_en="Class journal", years=5, basis="Приказ Росархива от 20.12.2019 № 236",
    ...     clause="9.2", requirement="R9.2")
    >>> rule.expires_on(date(2026, 6, 30))
    datetime.date(2031, 12, 31)
    """

    code: str = attrs.field(validator=v.non_empty_text)
    title_ru: str = attrs.field(validator=v.non_empty_text)
    title_en: str = attrs.field(validator=v.non_empty_text)
    years: int | None = attrs.field(
        validator=attrs.validators.optional(v.int_in_range(1, 100, "records.years"))
    )
    basis: str = attrs.field(validator=v.non_empty_text)
    clause: str = attrs.field(validator=v.non_empty_text)
    requirement: str = attrs.field(validator=v.non_empty_text)
    archive_after_years: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(v.int_in_range(0, 100, "records.archive_after_years")),
    )

    def __attrs_post_init__(self) -> None:
        if self.years is None and self.archive_after_years is None:
            raise RECORDS_PERMANENT_WITHOUT_ARCHIVE.error(
                details={"code": self.code},
                title=Text(self.title_ru, self.title_en),
                rule_clause=self.clause,
            )

    @property
    def permanent(self) -> bool:
        """Whether the records are kept permanently."""
        return self.years is None

    def expires_on(self, closed_on: date) -> date | None:
        """Return the last day of retention of a case closed on ``closed_on`` (``None``: never)."""
        if self.years is None:
            return None
        return date(closed_on.year + self.years, 12, 31)

    def transfer_from(self, closed_on: date) -> date | None:
        """Return the first day a case closed on ``closed_on`` is due for the archive."""
        if self.archive_after_years is None:
            return None
        return date(closed_on.year + self.archive_after_years + 1, 1, 1)


def _rules(value: object) -> tuple[RetentionRule, ...]:
    return tuple(v.to_tuple(value))


@attrs.frozen(kw_only=True)
class RecordsSchedule:
    """The school's records schedule: a retention rule per kind of record (R9.2).

    Attributes:
        rules: The rules, in the profile's order.
        basis: The legal basis of the schedule as a whole.

    Raises:
        ValidationError: If two rules share a code.
    """

    rules: tuple[RetentionRule, ...] = attrs.field(converter=_rules)
    basis: str = attrs.field(validator=v.non_empty_text)

    def __attrs_post_init__(self) -> None:
        codes = [rule.code for rule in self.rules]
        if len(set(codes)) != len(codes):
            twice = next(code for code in codes if codes.count(code) > 1)
            raise RECORDS_DUPLICATE_KIND.error(twice=twice)

    def rule(self, code: str) -> RetentionRule:
        """Return the rule of the record kind ``code``.

        Raises:
            ValidationError: If the schedule has no such kind (the record is unscheduled).
        """
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise RECORDS_UNSCHEDULED.error(code=code)


@attrs.frozen(kw_only=True)
class RecordCase:
    """A case (дело) the school keeps: a journal of a year, a student's personal file...

    Attributes:
        id: Stable id of the case (``"journal:2025/2026:5a"``).
        kind: The record kind's code in the schedule.
        closed_on: The day the case was closed (the year ended, the student left);
            ``None`` while it is still kept open.
        archived_on: The day it was transferred to the school's archive, if it was.
    """

    id: str = attrs.field(validator=v.non_empty_text)
    kind: str = attrs.field(validator=v.non_empty_text)
    closed_on: date | None = attrs.field(default=None, validator=v.optional_plain_date)
    archived_on: date | None = attrs.field(default=None, validator=v.optional_plain_date)


@attrs.frozen(kw_only=True)
class DispositionFinding:
    """A case due for transfer to the archive or for destruction on the day of the check.

    Attributes:
        case_id: The case.
        kind: Its record kind.
        disposition: Transfer or destruction.
        due_from: The first day it was due.
        clause: ``"9.2"``.
        requirement: ``"R9.2"``.
        message: What is due, in Russian and English.
    """

    case_id: str
    kind: str
    disposition: Disposition
    due_from: date
    clause: str
    requirement: str
    message: Text

    severity: ClassVar[Severity] = Severity.WARNING
    """Always a warning: a duty of the records schedule, not a broken record."""

    @property
    def code(self) -> str:
        """The stable code, ``"records.<disposition>"`` (``"records.transfer"``)."""
        return f"records.{self.disposition.value}"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form shared by every finding; the entity is the case."""
        return problem_dict(
            code=self.code,
            clause=self.clause,
            requirement=self.requirement,
            severity=self.severity,
            message=self.message,
            entity_kind="case",
            entity_id=self.case_id,
            details={"kind": self.kind, "due_from": self.due_from.isoformat()},
        )


def due_dispositions(
    cases: Iterable[RecordCase], schedule: RecordsSchedule, as_of: date
) -> tuple[DispositionFinding, ...]:
    """List the cases due, on ``as_of``, for the archive or for destruction (R9.2).

    A case whose retention period has expired is due for destruction (whether or not it
    was archived); a case not yet archived whose archive time has come is due for transfer.
    Open cases are never due. The result is sorted by due day, then case id.

    Args:
        cases: The school's cases.
        schedule: The records schedule.
        as_of: The day of the check.

    Returns:
        The findings, each citing clause 9.2.

    Raises:
        ValidationError: If a case's kind is not in the schedule.

    >>> journal = RetentionRule(code="class_journal", title_ru="Классный журнал",
    ...     title_en="Class journal", years=5, basis="Приказ Росархива № 236",
    ...     clause="9.2", requirement="R9.2")
    >>> schedule = RecordsSchedule(rules=[journal], basis="Приказ Росархива № 236")
    >>> case = RecordCase(id="journal:2025/2026:5a", kind="class_journal",
    ...     closed_on=date(2026, 6, 30))
    >>> due_dispositions([case], schedule, date(2031, 12, 31))
    ()
    >>> [(f.disposition.value, f.due_from) for f in due_dispositions([case], schedule,
    ...     date(2032, 1, 1))]
    [('destroy', datetime.date(2032, 1, 1))]
    """
    findings: list[DispositionFinding] = []
    for case in cases:
        rule = schedule.rule(case.kind)
        if case.closed_on is None:
            continue
        expires = rule.expires_on(case.closed_on)
        transfer = rule.transfer_from(case.closed_on)
        if expires is not None and as_of > expires:
            due, disposition = date(expires.year + 1, 1, 1), Disposition.DESTROY
        elif transfer is not None and case.archived_on is None and as_of >= transfer:
            due, disposition = transfer, Disposition.TRANSFER
        else:
            continue
        kept = f"{rule.years} лет" if rule.years is not None else "постоянно"
        kept_en = f"{rule.years} years" if rule.years is not None else "permanently"
        findings.append(
            DispositionFinding(
                case_id=case.id,
                kind=rule.code,
                disposition=disposition,
                due_from=due,
                clause=rule.clause,
                requirement=rule.requirement,
                message=Text(
                    f"{rule.title_ru} {case.id}: {disposition.label_ru} с "
                    f"{due.strftime('%d.%m.%Y')} (хранится {kept}; {rule.basis}; п. {rule.clause})",
                    (
                        f"{rule.title_en} {case.id}: due for {disposition.value} from "
                        f"{due.isoformat()} (kept {kept_en}; {rule.basis}; clause {rule.clause})"
                    ),
                ),
            )
        )
    return tuple(sorted(findings, key=lambda f: (f.due_from, f.case_id)))
