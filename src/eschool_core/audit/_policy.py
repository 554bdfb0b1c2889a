"""When the write service takes checkpoints of its audit log, as the profile says."""

from __future__ import annotations

import attrs

from eschool_core import _validation as v

__all__ = ["AuditPolicy"]


@attrs.frozen(kw_only=True)
class AuditPolicy:
    """The profile's ``[audit]`` section: how often the service witnesses its log (R3.1b).

    The service takes a checkpoint after every :attr:`checkpoint_every` entries and when a
    study period is closed, stores it with the log and sends it to the host's sink.

    Attributes:
        checkpoint_every: Entries between two checkpoints (1 to 1,000,000).
        clause: The regulation clause (``"3.1"``).
        requirement: The requirement id (``"R3.1b"``).

    Raises:
        ValidationError: For an interval out of range or an empty clause.

    >>> AuditPolicy(checkpoint_every=500, clause="3.1", requirement="R3.1b").checkpoint_every
    500
    """

    checkpoint_every: int = attrs.field(
        validator=v.int_in_range(1, 1_000_000, "audit.checkpoint_every")
    )
    clause: str = attrs.field(validator=v.non_empty_text)
    requirement: str = attrs.field(validator=v.non_empty_text)
