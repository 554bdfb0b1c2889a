"""Applied rollovers to the next academic year, as stored records (R4.4a, R4.5, R10.1).

The movement book is rebuilt from the stored orders; a rollover moves every decided
student into the next year's classes in one step, so the class list it applied is kept
beside the orders: replaying the orders and, on its day, the rollover with that list gives
the book again (:func:`eschool_core.service.rebuild_book`).
"""

from __future__ import annotations

from datetime import date, datetime

import attrs

from eschool_core import _validation as v
from eschool_core.ids import ClassId, EmployeeId, StudentId

__all__ = ["RolledClass", "RolloverRecord"]


def _students(value: object) -> tuple[StudentId, ...]:
    return tuple(v.to_ids(value))


def _classes(value: object) -> tuple[ClassId, ...]:
    return tuple(v.to_ids(value))


@attrs.frozen(kw_only=True)
class RolledClass:
    """One class of the next year in an applied rollover, with the students it received.

    Attributes:
        class_id: The class of the next year.
        student_ids: The students who went to it.
        source_class_ids: The classes of the closed year they came from.
    """

    class_id: ClassId = attrs.field(validator=v.non_empty_text)
    student_ids: tuple[StudentId, ...] = attrs.field(converter=_students)
    source_class_ids: tuple[ClassId, ...] = attrs.field(converter=_classes)


def _rolled(value: object) -> tuple[RolledClass, ...]:
    return tuple(v.to_tuple(value))


@attrs.frozen(kw_only=True)
class RolloverRecord:
    """The rollover of an academic year as it was applied (R4.4a, R4.5).

    Attributes:
        id: Id of the record: the closed year's label, ``"2025/2026"`` (one rollover a year).
        year: The closed academic year.
        on: The first day in the new classes.
        classes: The class list the rollover applied.
        done_at: When it was applied (timezone-aware).
        done_by: The employee who applied it.
    """

    id: str = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    on: date = attrs.field(validator=v.plain_date)
    classes: tuple[RolledClass, ...] = attrs.field(converter=_rolled)
    done_at: datetime = attrs.field(validator=v.aware_datetime)
    done_by: EmployeeId = attrs.field(validator=v.non_empty_text)
