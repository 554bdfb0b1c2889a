"""The write service: every change of a school's data as one authorized, audited command."""

from __future__ import annotations

from eschool_core.service._accounts import AccountCommands
from eschool_core.service._audit import AuditCommands
from eschool_core.service._cards import CardCommands
from eschool_core.service._lessons import LessonCommands
from eschool_core.service._marks import MarkCommands
from eschool_core.service._periods import PeriodCommands
from eschool_core.service._reports import ReportCommands

__all__ = ["SchoolService"]


class SchoolService(
    MarkCommands,
    PeriodCommands,
    LessonCommands,
    CardCommands,
    AccountCommands,
    ReportCommands,
    AuditCommands,
):
    """Every change a school's users make, as a command: write through it, read the store.

    Each command takes the acting account (:class:`~eschool_core.rbac.Actor`) and the
    moment (an aware ``datetime``) and, in **one** unit of work: authorizes it by the
    profile's role matrix (a denial raises ``PermissionDenied`` with the decision's
    explanation, R3.1c); applies the edit window and the period lock through the one
    :class:`~eschool_core.deadlines.EditPolicy` the compliance checker also uses (R8.6,
    R8.9; closed periods are stored state, :mod:`eschool_core.closures`); validates the
    change against the domain (a mark's history matches its value, the movement book
    accepts an order, R10.1); writes it and appends exactly one audit entry naming the
    account, the values before and after, the reason and the clause (R3.1b, R12.5). A
    command that raises leaves neither the change nor the entry. Producing a report
    (:meth:`produce_report`) stores its run, which the report duties are judged by
    (R11.3, R11.4, R4.2b). Reading the audit log (:meth:`read_audit_log`) goes through the
    privacy matrix and is logged too.

    Args:
        store: Where the school's data lives; its units of work must have ``audit``.
        year: The academic year (its study periods place marks in periods).
        profile: The regulation profile (the role matrix, the deadline rules and the edit
            policy, the movement rules); the default profile by default.
        school_id: The school the commands act for; by default the store's only school.
        directory: Builds the authorizer's relation directory from a unit of work (default:
            :class:`~eschool_core.storage.UnitOfWorkDirectory`, reading through it).
        audit_key: The school's secret for the keyed audit chain, if the host keeps one.
        accounts: Where the host keeps accounts (for issuing and resetting credentials).
        hasher: The password hasher of new start passwords (``ScryptHasher()`` by default).
        checkpoint_sink: Where every checkpoint of the audit log is also sent, once its
            command committed (:class:`~eschool_core.audit.FileCheckpointSink` or any
            callable). The service takes a checkpoint after every ``checkpoint_every``
            entries (the profile's ``[audit]`` section) and when a study period is closed
            (R3.1b). A sink that raises does so after the command committed: the
            checkpoint is stored, and :meth:`~eschool_core.audit.AuditLog.checkpoints`
            gives it again.
    """
