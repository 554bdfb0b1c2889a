"""Commands closing and reopening study periods (R8.9)."""

from __future__ import annotations

from datetime import date, datetime

import attrs

from eschool_core.closures import PeriodClosure, closure_id, current_closure
from eschool_core.errors import RuleViolation, ValidationError
from eschool_core.ids import ClassId, EmployeeId, SubjectId
from eschool_core.rbac import Action, Actor
from eschool_core.service._base import ServiceBase
from eschool_core.service._errors import (
    DEADLINES_REOPEN_WITHOUT_REASON,
    PERIOD_RULES,
    PERIOD_SCOPES,
    PERIOD_UNKNOWN,
)
from eschool_core.service._unit import Unit
from eschool_core.texts import Text

__all__: list[str] = ["PeriodCommands"]


class PeriodCommands(ServiceBase):
    """Closing and reopening a study period: the period lock as stored state."""

    # -- study periods (R8.9) ---------------------------------------------------------------

    def close_period(self, actor: Actor, at: datetime, period: str) -> PeriodClosure:
        """Close a study period of the year: its marks are then locked (R8.9).

        The audit log's head is witnessed by a checkpoint, stored with the closure and sent
        to the service's checkpoint sink (R3.1b).

        Args:
            actor: The deputy head (``study_period.close``).
            at: The moment of closing; not before the period's last day.
            period: The period's code (``"Q1"``).

        Returns:
            The stored closure.

        Raises:
            PermissionDenied: If the actor may not close periods.
            ValidationError: For a code no parallel of the year has.
            RuleViolation: ``period.already_closed``, or ``period.not_ended`` before the
                period's last day.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(Action.STUDY_PERIOD_CLOSE, unit.target(year=self._label))
            last_day = self._period_end(period)
            closures = unit.uow.period_closures.for_year(self._label)
            if current_closure(closures, self._label, period) is not None:
                raise _period_rule("period.already_closed", period, "уже закрыт", "is closed")
            if unit.on < last_day:
                raise _period_rule(
                    "period.not_ended", period, f"идёт до {last_day}", f"lasts until {last_day}"
                )
            number = 1 + sum(1 for c in closures if c.period == period)
            closure = PeriodClosure(
                id=closure_id(self._label, period, number),
                year=self._label,
                period=period,
                closed_at=unit.at,
                closed_by=unit.staff_card(),
            )
            unit.uow.period_closures.add(closure)
            unit.record(
                action="study_period.close",
                entity="period_closure",
                entity_id=closure.id,
                before=None,
                after=closure,
                decision=decision,
            )
            unit.audit.checkpoint(unit.at)  # a closed period's marks are witnessed (R3.1b)
        return closure

    def reopen_period(
        self,
        actor: Actor,
        at: datetime,
        period: str,
        *,
        reason: str,
        class_id: str,
        subject_id: str,
        teacher_id: str,
    ) -> PeriodClosure:
        """Reopen a closed study period for one class, subject and teacher (R8.9, R8.10).

        The deputy head or the administrator (``study_period.reopen``) reopens it with a
        stated reason for a named class, subject and subject teacher; only that teacher's
        marks (current and period marks) of that class and subject then pass the lock, and
        everything else stays locked. The period is closed again with :meth:`close_period`.
        Each step is a command with its own audit entry.

        Args:
            actor: The deputy head or the administrator.
            at: The moment of the reopening.
            period: The period's code (``"Q1"``).
            reason: The stated reason.
            class_id: The class of the year whose marks are corrected.
            subject_id: The subject whose marks are corrected.
            teacher_id: The employee who corrects them: he teaches the subject to the class
                or to one of its groups in the year.

        Returns:
            The stored, reopened closure.

        Raises:
            PermissionDenied: If the actor may not reopen periods.
            RuleViolation: ``period.not_closed``, or ``deadlines.reopen_without_reason``.
            ValidationError: For an unknown period code; ``period.reopen_class``,
                ``period.reopen_subject`` or ``period.reopen_teacher`` for a class not of
                the year, an unknown subject, or an employee who does not teach that subject
                in that class (clause 8.9).
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(Action.STUDY_PERIOD_REOPEN, unit.target(year=self._label))
            self._period_end(period)
            closures = unit.uow.period_closures.for_year(self._label)
            closure = current_closure(closures, self._label, period)
            if closure is None:
                raise _period_rule("period.not_closed", period, "не закрыт", "is not closed")
            if not (reason or "").strip():
                raise DEADLINES_REOPEN_WITHOUT_REASON.error(
                    period=period, rule_clause=unit.rules.edit_policy.lock_clause
                )
            self._require_scope(unit, class_id, subject_id, teacher_id)
            reopened = attrs.evolve(
                closure,
                reopened_at=unit.at,
                reopened_by=unit.staff_card(),
                reopen_reason=reason,
                reopened_class_id=class_id,
                reopened_subject_id=subject_id,
                reopened_teacher_id=teacher_id,
            )
            unit.uow.period_closures.update(reopened)
            unit.record(
                action="study_period.reopen",
                entity="period_closure",
                entity_id=closure.id,
                before=closure,
                after=reopened,
                decision=decision,
                reason=reopened.reopen_reason,
            )
        return reopened

    def _require_scope(self, unit: Unit, class_id: str, subject_id: str, teacher_id: str) -> None:
        """Check the class, subject and teacher a period is reopened for (R8.9)."""
        school_class = unit.uow.classes.find(ClassId(class_id))
        if school_class is None or school_class.year != self._label:
            raise _scope_error(
                "period.reopen_class",
                f"класс «{class_id}» не из учебного года {self._label}",
                f"class '{class_id}' is not a class of {self._label}",
                class_id,
            )
        if unit.uow.subjects.find(SubjectId(subject_id)) is None:
            raise _scope_error(
                "period.reopen_subject",
                f"предмет «{subject_id}» не найден",
                f"subject '{subject_id}' is not found",
                subject_id,
            )
        groups = {
            g.id
            for g in unit.uow.groups.for_year(self._label)
            if g.subject_id == subject_id and class_id in g.class_ids
        }
        teaches = any(
            a.year == self._label
            and a.subject_id == subject_id
            and (a.class_id == class_id or (a.group_id is not None and a.group_id in groups))
            for a in unit.uow.assignments.for_teacher(EmployeeId(teacher_id))
        )
        if not teaches:
            raise _scope_error(
                "period.reopen_teacher",
                f"«{teacher_id}» не ведёт предмет «{subject_id}» в классе «{class_id}»",
                f"'{teacher_id}' does not teach '{subject_id}' in class '{class_id}'",
                teacher_id,
            )

    def _period_end(self, period: str) -> date:
        ends = [
            p.end
            for parallel in sorted(self._year.parallels)
            for p in self._year.periods(parallel)
            if str(p.code) == period
        ]
        if not ends:
            raise PERIOD_UNKNOWN.error(details={"period": period}, label=self._label)
        return min(ends)


def _period_rule(code: str, period: str, ru: str, en: str) -> RuleViolation:
    return PERIOD_RULES[code].error(details={"period": period}, reason=Text(ru, en))


def _scope_error(code: str, ru: str, en: str, value: str) -> ValidationError:
    return PERIOD_SCOPES[code].error(details={"id": value}, reason=Text(ru, en))
