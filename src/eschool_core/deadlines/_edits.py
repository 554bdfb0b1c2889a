"""The edit window and the period lock: when a mark may still be corrected, and how (R8.6, R8.9)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.deadlines._rules import DeadlineRule, ResponsibleRole, RuleKind
from eschool_core.errors import RuleViolation
from eschool_core.journal import Mark, MarkEdit
from eschool_core.texts import Text

__all__ = ["EditDecision", "EditPolicy"]


@attrs.frozen(kw_only=True)
class EditDecision:
    """The policy's verdict on a correction: allowed or refused, and whether it is audited.

    The write service refuses what the verdict refuses, and the compliance checker reports
    a stored correction the verdict refuses as unauthorised and one it audits as audited,
    so the two never disagree (R8.6, R8.9).

    Attributes:
        audited: Whether an allowed correction is an audited finding for the deputy head.
        rule_id: The rule that audits or refuses it (``None``: an ordinary correction).
        clause: The clause of that rule.
        requirement: Its requirement id.
        allowed: Whether the correction may be made.
        code: The refusal's stable error code (``"deadlines.period_locked"``...), or ``None``.
        message: The refusal's reason in Russian and English, or ``None``.
    """

    audited: bool
    rule_id: str | None = None
    clause: str | None = None
    requirement: str | None = None
    allowed: bool = True
    code: str | None = None
    message: Text | None = None

    def raise_if_refused(self, details: dict[str, object] | None = None) -> None:
        """Raise the refusal as a :class:`~eschool_core.errors.RuleViolation`, if refused.

        Raises:
            RuleViolation: With :attr:`code`, :attr:`clause` and both messages.
        """
        if not self.allowed:
            raise RuleViolation(
                self.message.ru if self.message else "",
                self.message.en if self.message else "",
                code=self.code or "deadlines.edit_refused",
                clause=self.clause,
                details=details or {},
            )


def _optional_role(value: str | None) -> ResponsibleRole | None:
    return None if value is None else ResponsibleRole(value)


def _roles(value: str | Iterable[str]) -> frozenset[str]:
    return frozenset((value,) if isinstance(value, str) else (str(role) for role in value))


@attrs.frozen(kw_only=True)
class EditPolicy:
    """Who may correct a current mark, and when a stated reason is required.

    Within ``window_days`` calendar days of the lesson (school time) a mark is corrected
    freely. After that window it can still be corrected with a stated reason, and the
    correction is audited by the deputy head (R8.6). Once the mark's study period is closed
    (its period marks set, R8.9) nobody corrects its marks: the deputy head (or the
    administrator) reopens the period with a reason, the subject teacher corrects, the
    period is closed again (R8.4.1, R8.10). With ``reopen_role_corrects`` (a profile's
    choice) the reopen role corrects them himself instead, with a reason, audited.

    Both parts come from the profile's rules and have no default in code: rules without an
    ``edit_window`` rule have no window (a correction is never audited for lateness),
    rules without a ``period_lock`` rule no lock.

    Attributes:
        window_days: Calendar days after the lesson during which corrections are free
            (``None``: no edit-window rule).
        window_rule_id: Id of the edit-window rule.
        window_clause: Its clause (``"8.6"``).
        window_requirement: Its requirement id.
        lock_rule_id: Id of the period-lock rule (``None``: no period-lock rule).
        lock_clause: Its clause (``"8.9"``).
        lock_requirement: Its requirement id.
        reopen_role: The role that reopens a closed period (the period-lock rule's role;
            ``None``: no period-lock rule).
        reopen_role_corrects: Whether that role corrects a closed period's marks himself,
            with a reason (the period-lock rule's ``reopen_role_corrects``; ``False``, the
            regulation, by default).
        time_zone: The school's time zone, in which the day of a correction is judged.

    >>> from datetime import UTC, date, datetime
    >>> mark = Mark(id="m1", student_id="s1", subject_id="math", date=date(2025, 9, 1),
    ...     value=4, work_type="answer", author_id="t1",
    ...     entered_at=datetime(2025, 9, 1, 10, tzinfo=UTC))
    >>> late_edit = MarkEdit(at=datetime(2025, 9, 10, 10, tzinfo=UTC), by="t1",
    ...     old_value=4, new_value=5, reason="ошибка ввода")
    >>> from eschool_core.profiles import default_profile
    >>> policy = default_profile().deadlines.edit_policy_in("Europe/Moscow")
    >>> decision = policy.check_mark_edit(mark, late_edit, late_edit.at, False, "teacher")
    >>> decision.allowed, decision.audited, decision.rule_id, decision.clause
    (True, True, 'edits.window', '8.6')
    """

    time_zone: str = attrs.field(validator=v.time_zone)
    window_days: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.int_in_range(0, 366, "edit.window"))
    )
    window_rule_id: str | None = attrs.field(default=None, validator=v.optional_text)
    window_clause: str | None = attrs.field(default=None, validator=v.optional_text)
    window_requirement: str | None = attrs.field(default=None, validator=v.optional_text)
    lock_rule_id: str | None = attrs.field(default=None, validator=v.optional_text)
    lock_clause: str | None = attrs.field(default=None, validator=v.optional_text)
    lock_requirement: str | None = attrs.field(default=None, validator=v.optional_text)
    reopen_role: ResponsibleRole | None = attrs.field(default=None, converter=_optional_role)
    reopen_role_corrects: bool = False

    @classmethod
    def from_rules(cls, rules: Iterable[DeadlineRule], *, time_zone: str) -> EditPolicy:
        """Build the policy from the profile's edit-window and period-lock rules.

        Args:
            rules: The deadline rules; the first of each kind is used.
            time_zone: The school's time zone (``School.time_zone``).

        Raises:
            ValidationError: For an unknown time zone (``school.unknown_time_zone``).
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
                    reopen_role_corrects=rule.reopen_role_corrects,
                )
        return cls(**fields)  # type: ignore[arg-type]

    def judge_mark_edit(
        self,
        lesson_day: date,
        at: datetime,
        reason: str | None,
        period_closed: bool,
        roles: str | Iterable[str],
    ) -> EditDecision:
        """Judge a correction of a mark of ``lesson_day`` made at ``at``; never raises a refusal.

        This is the one judgement the write service enforces and the compliance checker
        reports (R8.6, R8.9): in a closed period nobody corrects (the period is reopened
        first) or, with :attr:`reopen_role_corrects`, only the reopen role (the deputy head)
        with a reason; outside it, after the window, a reason is needed and the correction
        is audited.

        Args:
            lesson_day: The day of the lesson the mark is for.
            at: The moment of the correction (timezone-aware).
            reason: The stated reason, if any.
            period_closed: Whether the mark's study period is closed at ``at``.
            roles: The role code(s) the person correcting holds.

        Returns:
            The verdict; a refusal has ``allowed=False`` and the error code.

        Raises:
            ValidationError: If ``at`` is naive.
        """
        v.aware_datetime(None, attrs.fields(MarkEdit).at, at)
        stated = bool(reason and reason.strip())
        if period_closed and self.lock_rule_id is not None and self.reopen_role is not None:
            lock: dict[str, Any] = {
                "rule_id": self.lock_rule_id,
                "clause": self.lock_clause,
                "requirement": self.lock_requirement,
            }
            if not self.reopen_role_corrects:
                return EditDecision(
                    audited=False,
                    allowed=False,
                    code="deadlines.period_locked",
                    message=Text(
                        "Учебный период закрыт: заместитель директора (или "
                        "администратор) открывает его с указанием причины, отметки исправляет "
                        "учитель-предметник, затем период закрывается снова",
                        "The study period is closed: the deputy head (or the "
                        "administrator) reopens it with a reason, the subject teacher corrects "
                        "the marks, then the period is closed again",
                    ),
                    **lock,
                )
            if self.reopen_role.value not in _roles(roles):
                return EditDecision(
                    audited=False,
                    allowed=False,
                    code="deadlines.period_locked",
                    message=Text(
                        "Учебный период закрыт: отметки исправляет только заместитель "
                        "директора, открыв период с указанием причины",
                        "The study period is closed: only the deputy head may reopen "
                        "it and correct its marks, with a reason",
                    ),
                    **lock,
                )
            if not stated:
                return EditDecision(
                    audited=False,
                    allowed=False,
                    code="deadlines.reopen_without_reason",
                    message=Text(
                        "Открытие закрытого периода требует указать причину",
                        "Reopening a closed period requires a stated reason",
                    ),
                    **lock,
                )
            return EditDecision(audited=True, **lock)
        if self.window_days is None:
            return EditDecision(audited=False)
        day = at.astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()
        if day <= lesson_day + timedelta(days=self.window_days):
            return EditDecision(audited=False)
        window: dict[str, Any] = {
            "rule_id": self.window_rule_id,
            "clause": self.window_clause,
            "requirement": self.window_requirement,
        }
        if not stated:
            return EditDecision(
                audited=False,
                allowed=False,
                code="deadlines.edit_without_reason",
                message=Text(
                    f"Срок исправления ({self.window_days} дн. после урока) истёк: укажите причину",
                    f"The correction window ({self.window_days} days after the lesson) "
                    "has passed: state a reason",
                ),
                **window,
            )
        return EditDecision(audited=True, **window)

    def check_mark_edit(
        self,
        mark: Mark,
        edit: MarkEdit,
        as_of: datetime,
        period_closed: bool,
        actor_role: str | Iterable[str],
    ) -> EditDecision:
        """Decide whether ``actor_role`` may make ``edit`` to ``mark`` at the moment ``as_of``.

        The same verdict as :meth:`judge_mark_edit`, raised when it refuses.

        Args:
            mark: The mark as it stands.
            edit: The correction (its ``reason`` is the stated reason).
            as_of: The moment of the correction (timezone-aware).
            period_closed: Whether the mark's study period is closed.
            actor_role: The role code(s) of the person correcting (``"deputy_head"``...).

        Returns:
            The decision: allowed, and whether it is audited.

        Raises:
            RuleViolation: ``deadlines.period_locked`` (clause 8.9) if the period is closed
                and the actor is not the deputy head, ``deadlines.reopen_without_reason``
                if the deputy head gives no reason, ``deadlines.edit_without_reason``
                (clause 8.6) after the window without a reason.
            ValidationError: If ``as_of`` is naive.
        """
        decision = self.judge_mark_edit(mark.date, as_of, edit.reason, period_closed, actor_role)
        decision.raise_if_refused({"mark_id": mark.id, "by": edit.by})
        return decision
