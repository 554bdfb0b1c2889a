"""A :class:`~eschool_core.rbac.Directory` answered from a unit of work of our storage."""

from __future__ import annotations

from eschool_core.rbac import RelationDirectory

__all__ = ["UnitOfWorkDirectory"]


class UnitOfWorkDirectory(RelationDirectory):
    """Answers the authorizer's questions from an entered unit of work.

    Any :class:`~eschool_core.storage.UnitOfWork` is a
    :class:`~eschool_core.rbac.RelationSource`: class teachers come from
    ``classes.class_teacher_id`` (held in the class's year), teaching from ``assignments``,
    parents from ``guardian_links``, employment from ``employees``, class membership from
    ``memberships`` and groups (their classes and members) from ``groups``.

    Args:
        uow: An entered unit of work (the directory reads through it).
        first_month: The month an academic year starts (September).
    """
