"""The ``[audit]`` section: when the service takes checkpoints of its audit log."""

from __future__ import annotations

from eschool_core.audit import AuditPolicy
from eschool_core.profiles._reader import TableReader

__all__ = ["parse_audit"]


def parse_audit(section: TableReader) -> AuditPolicy:
    """Read the checkpoint interval and its clause from the ``[audit]`` section.

    Raises:
        ProfileError: For a missing, unknown or out-of-range key, naming it.
    """
    policy = AuditPolicy(
        clause=section.text("clause"),
        requirement=section.text("requirement"),
        checkpoint_every=section.integer("checkpoint_every", low=1, high=1_000_000),
    )
    section.finish()
    return policy
