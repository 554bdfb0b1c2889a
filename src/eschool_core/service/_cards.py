"""Commands on personal cards and consents, and logged card reads (R6.1-R6.5, R3.1b)."""

from __future__ import annotations

from datetime import datetime

from eschool_core.audit import AuditKind
from eschool_core.audit_privacy import card_for_log, changed_fields
from eschool_core.ids import GuardianId, StudentId
from eschool_core.people import CardCategory, Consent, Guardian, Student
from eschool_core.privacy import audience_of, mask_guardian, mask_student
from eschool_core.rbac import Action, Actor
from eschool_core.service._base import ServiceBase

__all__: list[str] = ["CardCommands"]


class CardCommands(ServiceBase):
    """Keeping cards and consents; reading a card, which is logged."""

    # -- personal cards and consents (R6.1-R6.5, R3.1b) -----------------------------------------

    def update_student_card(self, actor: Actor, at: datetime, student: Student) -> Student:
        """Replace a stored student's card (the class teacher keeps it up to date, R6.4).

        The audit entry names the fields that changed and holds the card before and after
        with every restricted value as a keyed digest (:mod:`eschool_core.audit_privacy`):
        no СНИЛС, document, address or phone enters the log in plain text (152-FZ).

        Raises:
            PermissionDenied: Unless ``student_card.write`` is granted for the student.
            NotFoundError: For an unknown student.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(Action.STUDENT_CARD_WRITE, unit.target(student_id=student.id))
            before = unit.uow.students.get(student.id)
            unit.uow.students.update(student)
            unit.record(
                action="student_card.write",
                entity="student",
                entity_id=student.id,
                before=card_for_log(before, key=self._audit_key),
                after=card_for_log(student, key=self._audit_key),
                decision=decision,
                changed_fields=changed_fields(before, student),
            )
        return student

    def update_guardian_card(self, actor: Actor, at: datetime, guardian: Guardian) -> Guardian:
        """Replace a stored parent's card (the class teacher of a child keeps it, R6.4).

        Audited like :meth:`update_student_card`: changed fields and keyed digests.

        Raises:
            PermissionDenied: Unless ``parent_card.write`` is granted for the guardian.
            NotFoundError: For an unknown guardian.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(
                Action.PARENT_CARD_WRITE, unit.target(guardian_id=guardian.id)
            )
            before = unit.uow.guardians.get(guardian.id)
            unit.uow.guardians.update(guardian)
            unit.record(
                action="parent_card.write",
                entity="guardian",
                entity_id=guardian.id,
                before=card_for_log(before, key=self._audit_key),
                after=card_for_log(guardian, key=self._audit_key),
                decision=decision,
                changed_fields=changed_fields(before, guardian),
            )
        return guardian

    def record_consent(self, actor: Actor, at: datetime, consent: Consent) -> Consent:
        """Store a consent to personal-data processing, new or changed (withdrawn) (R6.1).

        The right is that of creating or keeping the data subject's card: the clerk, who
        creates student and parent cards (``student_card.create``, ``parent_card.create``,
        R6.3), and the class teacher, who keeps them (``student_card.write``,
        ``parent_card.write``, R6.4); ``staff_card.write`` for staff (R6.2).

        Raises:
            PermissionDenied: Unless the actor creates or keeps the subject's card.
        """
        with self._command(actor, at) as unit:
            rights = {
                CardCategory.STUDENT: (
                    (Action.STUDENT_CARD_WRITE, Action.STUDENT_CARD_CREATE),
                    unit.target(student_id=consent.subject_id),
                ),
                CardCategory.GUARDIAN: (
                    (Action.PARENT_CARD_WRITE, Action.PARENT_CARD_CREATE),
                    unit.target(guardian_id=consent.subject_id),
                ),
                CardCategory.EMPLOYEE: (
                    (Action.STAFF_CARD_WRITE,),
                    unit.target(employee_id=consent.subject_id),
                ),
            }
            actions, target = rights[consent.category]
            decision = unit.authorize_any(actions, target)
            before = unit.uow.consents.find(consent.id)
            if before is None:
                unit.uow.consents.add(consent)
            else:
                unit.uow.consents.update(consent)
            unit.record(
                action="consent.write",
                entity="consent",
                entity_id=consent.id,
                before=before,
                after=consent,
                decision=decision,
                clause="6.1",
                requirement="R6.1",
            )
        return consent

    def read_student_card(self, actor: Actor, at: datetime, student_id: StudentId) -> Student:
        """Return a student's card as the reader may see it; the access is logged (R3.1b, R6.5).

        The card comes masked by the privacy matrix for the audience the granting decision
        reads as (:func:`eschool_core.privacy.audience_of`: the class teacher, the parent of a
        linked child, the data subject ...). The read is an audit entry of kind ``decision``
        (who read which card, under which matrix cell), committed with nothing else.

        Raises:
            PermissionDenied: Unless ``student_card.read`` is granted for the student.
            NotFoundError: For an unknown student.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(Action.STUDENT_CARD_READ, unit.target(student_id=student_id))
            student = mask_student(unit.uow.students.get(student_id), [audience_of(decision)])
            unit.record(
                action="student_card.read",
                entity="student",
                entity_id=student_id,
                before=None,
                after=decision.to_json(),
                decision=decision,
                kind=AuditKind.DECISION,
            )
        return student

    def read_guardian_card(self, actor: Actor, at: datetime, guardian_id: GuardianId) -> Guardian:
        """Return a parent's card as the reader may see it; the access is logged (R3.1b, R6.5).

        Masked like :meth:`read_student_card`.

        Raises:
            PermissionDenied: Unless ``parent_card.read`` is granted for the guardian.
            NotFoundError: For an unknown guardian.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(Action.PARENT_CARD_READ, unit.target(guardian_id=guardian_id))
            guardian = mask_guardian(unit.uow.guardians.get(guardian_id), [audience_of(decision)])
            unit.record(
                action="parent_card.read",
                entity="guardian",
                entity_id=guardian_id,
                before=None,
                after=decision.to_json(),
                decision=decision,
                kind=AuditKind.DECISION,
            )
        return guardian
