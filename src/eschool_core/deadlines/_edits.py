"""The edit window and the period lock: when a mark may still be corrected, and how (R8.6, R8.9)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import datetime, timedelta

import attrs

from eschool_core import _validation as v
from eschool_core.deadlines._rules import DeadlineRule, ResponsibleRole, RuleKind
from eschool_core.errors import RuleViolation
from eschool_core.journal import Mark, MarkEdit

__all__ = ["EditDecision", "EditPolicy"]


@attrs.frozen(kw_only=True)
class EditDecision:
    """A correction that is allowed, and whether it goes to the deputy head's audit.

    Attributes:
        audited: Whether the correction is an audited finding for the deputy head.
        rule_id: The rule that makes it audited (``None``: an ordinary correction).
        clause: The clause of that rule.
        requirement: Its requirement id.
    """

    audited: bool
    rule_id: str | None = None
    clause: str | None = None
    requirement: str | None = None


@attrs.frozen(kw_only=True)
class EditPolicy:
    """Who may correct a current mark, and when a stated reason is required.

    Within ``window_days`` calendar days of the lesson (school time) a mark is corrected
    freely. After that window it can still be corrected with a stated reason, and the
    correction is audited by the deputy head (R8.6). Once the mark's study period is closed
    (its period marks set, R8.9) only the deputy head may reopen it, and only with a reason.

    Attributes:
        window_days: Calendar days after the lesson during which corrections are free.
        window_rule_id: Id of the edit-window rule.
        window_clause: Its clause (``"8.6"``).
        window_requirement: Its requirement id.
        lock_rule_id: Id of the period-lock rule.
        lock_clause: Its clause (``"8.9"``).
        lock_requirement: Its requirement id.
        reopen_role: The role that may reopen a closed period.
        time_zone: The school's time zone.

    >>> from datetime import UTC, date, datetime
    >>> mark = Mark(id="m1", student_id="s1", subject_id="math", date=date(2025, 9, 1),
    ...     value=4, work_type="answer", author_id="t1",
    ...     entered_at=datetime(2025, 9, 1, 10, tzinfo=UTC))
    >>> late_edit = MarkEdit(at=datetime(2025, 9, 10, 10, tzinfo=UTC), by="t1",
    ...     old_value=4, new_value=5, reason="ошибка ввода")
    >>> EditPolicy().check_mark_edit(mark, late_edit, late_edit.at, False, "subject_teacher")
    EditDecision(audited=True, rule_id='edits.window', clause='8.6', requirement='R8.6')
    """

    window_days: int = attrs.field(default=3, validator=v.int_in_range(0, 366, "edit.window"))
    window_rule_id: str = "edits.window"
    window_clause: str = "8.6"
    window_requirement: str = "R8.6"
    lock_rule_id: str = "edits.period_lock"
    lock_clause: str = "8.9"
    lock_requirement: str = "R8.9"
    reopen_role: ResponsibleRole = ResponsibleRole.DEPUTY_HEAD
    time_zone: str = "Europe/Moscow"

    @classmethod
    def from_rules(cls, rules: Iterable[DeadlineRule], *, time_zone: str) -> EditPolicy:
        """Build the policy from the profile's edit-window and period-lock rules.

        Args:
            rules: The deadline rules; the first of each kind is used.
            time_zone: The school's time zone.
        """
        fields: dict[str, object] = {"time_zone": time_zone}
        for rule in rules:
            if rule.kind is RuleKind.EDIT_WINDOW and "window_rule_id" not in fields:
                fields.update(
                    window_days=rule.days or 0,
                    window_rule_id=rule.id,
                    window_clause=rule.clause,
                    window_requirement=rule.requirement,
                )
            elif rule.kind is RuleKind.PERIOD_LOCK and "lock_rule_id" not in fields:
                fields.update(
                    lock_rule_id=rule.id,
                    lock_clause=rule.clause,
                    lock_requirement=rule.requirement,
                    reopen_role=rule.role,
                )
        return cls(**fields)  # type: ignore[arg-type]

    def check_mark_edit(
        self,
        mark: Mark,
        edit: MarkEdit,
        as_of: datetime,
        period_closed: bool,
        actor_role: str,
    ) -> EditDecision:
        """Decide whether ``actor_role`` may make ``edit`` to ``mark`` at the moment ``as_of``.

        Args:
            mark: The mark as it stands.
            edit: The correction (its ``reason`` is the stated reason).
            as_of: The moment of the correction (timezone-aware).
            period_closed: Whether the mark's study period is closed (period marks set).
            actor_role: The role code of the person correcting (``"deputy_head"``...).

        Returns:
            The decision: allowed, and whether it is audited.

        Raises:
            RuleViolation: ``deadlines.period_locked`` (clause 8.9) if the period is closed
                and the actor is not the deputy head, ``deadlines.reopen_without_reason``
                if the deputy head gives no reason, ``deadlines.edit_without_reason``
                (clause 8.6) after the window without a reason.
            ValidationError: If ``as_of`` is naive.
        """
        v.aware_datetime(None, attrs.fields(MarkEdit).at, as_of)
        details = {"mark_id": mark.id, "by": edit.by}
        if period_closed:
            if actor_role != self.reopen_role.value:
                raise RuleViolation(
                    "Учебный период закрыт: отметки исправляет только заместитель директора, "
                    "открыв период с указанием причины",
                    "The study period is closed: only the deputy head may reopen it and "
                    "correct its marks, with a reason",
                    code="deadlines.period_locked",
                    clause=self.lock_clause,
                    details=details,
                )
            if not edit.reason:
                raise RuleViolation(
                    "Открытие закрытого периода требует указать причину",
                    "Reopening a closed period requires a stated reason",
                    code="deadlines.reopen_without_reason",
                    clause=self.lock_clause,
                    details=details,
                )
            return EditDecision(
                audited=True,
                rule_id=self.lock_rule_id,
                clause=self.lock_clause,
                requirement=self.lock_requirement,
            )
        day = as_of.astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()
        if day <= mark.date + timedelta(days=self.window_days):
            return EditDecision(audited=False)
        if not edit.reason:
            raise RuleViolation(
                f"Срок исправления ({self.window_days} дн. после урока) истёк: укажите причину",
                f"The correction window ({self.window_days} days after the lesson) has passed: "
                "state a reason",
                code="deadlines.edit_without_reason",
                clause=self.window_clause,
                details=details,
            )
        return EditDecision(
            audited=True,
            rule_id=self.window_rule_id,
            clause=self.window_clause,
            requirement=self.window_requirement,
        )
