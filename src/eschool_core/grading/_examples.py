"""A compact constructor of current marks for the examples in docstrings and docs."""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction

from eschool_core.ids import EmployeeId, MarkId, StudentId, SubjectId
from eschool_core.journal import Mark

__all__ = ["example_mark"]

_IDS = itertools.count(1)
_ENTERED = dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC)


def example_mark(
    value: int | str,
    *,
    work_type: str = "answer",
    weight: Fraction | int | str | None = None,
    on: dt.date = dt.date(2025, 9, 1),
    student: str = "s1",
    subject: str = "math",
) -> Mark:
    """Return a current mark with made-up ids, for examples.

    >>> example_mark(5, weight=2).weight
    Fraction(2, 1)
    """
    return Mark(
        id=MarkId(f"m{next(_IDS)}"),
        student_id=StudentId(student),
        subject_id=SubjectId(subject),
        date=on,
        value=value,
        work_type=work_type,
        weight=weight,
        author_id=EmployeeId("t1"),
        entered_at=_ENTERED,
    )
