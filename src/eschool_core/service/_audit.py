"""Reading the audit log through the service: authorized, masked, itself logged (R3.1b)."""

from __future__ import annotations

from datetime import datetime

from eschool_core.audit import AuditEntry, AuditKind
from eschool_core.audit_privacy import mask_entry
from eschool_core.privacy import audience_of
from eschool_core.rbac import Action, Actor
from eschool_core.service._base import ServiceBase

__all__: list[str] = ["AuditCommands"]


class AuditCommands(ServiceBase):
    """Reading the audit log as the reader's privacy-matrix row lets him."""

    def read_audit_log(
        self, actor: Actor, at: datetime, *, start: int = 0, stop: int | None = None
    ) -> tuple[AuditEntry, ...]:
        """Return the audit log's entries ``start`` to ``stop`` as the reader may see them.

        The read needs ``audit_log.read`` (R3.1b: the administrator and the director in the
        default profile). Each entry of a personal card comes with the card fields the
        reader's row of the privacy matrix hides blanked
        (:func:`eschool_core.audit_privacy.mask_entry`), whether the log holds them as
        digests or, in entries written before digests, in plain text. The read itself is
        then logged (kind ``decision``, action ``audit_log.read``, with the range read).

        Args:
            actor: Who reads.
            at: The moment of reading.
            start: The first position.
            stop: The position after the last (``None``: up to the end).

        Returns:
            The masked copies, in position order (they no longer hash to their ``hash``:
            verify the stored log with :meth:`~eschool_core.audit.AuditLog.verify`).

        Raises:
            PermissionDenied: Unless ``audit_log.read`` is granted.
        """
        with self._command(actor, at) as unit:
            decision = unit.authorize(Action.AUDIT_LOG_READ, unit.target())
            audience = audience_of(decision)
            entries = tuple(
                mask_entry(entry, [audience]) for entry in unit.uow.audit.read(start, stop)
            )
            unit.record(
                action="audit_log.read",
                entity="audit_log",
                entity_id=f"{start}:{'' if stop is None else stop}",
                before=None,
                after=decision.to_json(),
                decision=decision,
                kind=AuditKind.DECISION,
            )
        return entries
