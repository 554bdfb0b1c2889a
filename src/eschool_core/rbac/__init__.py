"""The role model (R3.1a, R3.1c, R3.2.1, R3.2.4): roles, actions, scopes, the matrix, decisions.

The matrix is data (the profile's ``[rbac]`` section): every granted cell (role, action,
scope) cites its clause, and everything not granted is denied. The :class:`Authorizer`
judges a cell's scope against the actor's relations on a given day, which it learns from a
:class:`Directory`.
"""

from eschool_core.rbac._authorizer import Actor, Authorizer, Decision, Target
from eschool_core.rbac._catalogue import (
    REPORT_TITLES,
    STAFF_ROLES,
    Action,
    Role,
    Scope,
    academic_year_of,
    to_action,
    to_role,
    to_scope,
)
from eschool_core.rbac._directory import (
    Directory,
    MemoryDirectory,
    RelationDirectory,
    RelationSource,
    assignment_covers,
    employee_is_active,
)
from eschool_core.rbac._gate import GATE_ACTIONS, ActionGate
from eschool_core.rbac._matrix import Grant, RoleMatrix

__all__ = [
    "GATE_ACTIONS",
    "REPORT_TITLES",
    "STAFF_ROLES",
    "Action",
    "ActionGate",
    "Actor",
    "Authorizer",
    "Decision",
    "Directory",
    "Grant",
    "MemoryDirectory",
    "RelationDirectory",
    "RelationSource",
    "Role",
    "RoleMatrix",
    "Scope",
    "Target",
    "academic_year_of",
    "assignment_covers",
    "employee_is_active",
    "to_action",
    "to_role",
    "to_scope",
]
