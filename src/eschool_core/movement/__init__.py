"""Student movement: orders, the movement book, year close and rollover (R10.1, R2.2d, R4.4a-R4.7).

Orders (:class:`Order`) of each :class:`OrderKind` are applied to a :class:`MovementBook`,
all or nothing, in date order; the book answers a student's status on any date, class rosters
and occupancy, movement over a date range, open and overdue academic debts, what blocks
closing a year, and plans and applies the rollover to the next year. Retake attempts
(:class:`RetakeAttempt`) judge each debt (:func:`resolve_debt`, :meth:`MovementBook.resolve_debts`).
"""

from eschool_core.movement._book import MovementBook, next_year_label
from eschool_core.movement._kinds import (
    ORDER_KIND_RULES,
    EducationForm,
    KindRule,
    OrderKind,
    StatusKind,
    UnrepaidDecision,
)
from eschool_core.movement._orders import (
    MOVEMENT_EDIT,
    MovementAuthorizer,
    MovementError,
    MovementPolicy,
    Order,
    OrderItem,
)
from eschool_core.movement._retakes import (
    DebtOutcome,
    DebtResolution,
    RetakeAttempt,
    RetakeOutcome,
    resolve_debt,
)
from eschool_core.movement._rollover import (
    PlannedClass,
    RolloverMove,
    RolloverPlan,
    YearCloseProblem,
    YearCloseProblemKind,
)
from eschool_core.movement._state import AcademicDebt, MovementRow, MovementScope, StudentStatus

__all__ = [
    "MOVEMENT_EDIT",
    "ORDER_KIND_RULES",
    "AcademicDebt",
    "DebtOutcome",
    "DebtResolution",
    "EducationForm",
    "KindRule",
    "MovementAuthorizer",
    "MovementBook",
    "MovementError",
    "MovementPolicy",
    "MovementRow",
    "MovementScope",
    "Order",
    "OrderItem",
    "OrderKind",
    "PlannedClass",
    "RetakeAttempt",
    "RetakeOutcome",
    "RolloverMove",
    "RolloverPlan",
    "StatusKind",
    "StudentStatus",
    "UnrepaidDecision",
    "YearCloseProblem",
    "YearCloseProblemKind",
    "next_year_label",
    "resolve_debt",
]
