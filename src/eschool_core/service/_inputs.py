"""What a host passes to the service's commands."""

from __future__ import annotations

from fractions import Fraction

import attrs

from eschool_core.ids import MarkId, StudentId
from eschool_core.journal import (
    MarkValue,
)

__all__: list[str] = ["MarkEntry"]


@attrs.frozen(kw_only=True)
class MarkEntry:
    """One current mark to enter for a lesson (R8.4.1).

    Attributes:
        mark_id: The id the host gives the new mark.
        student_id: The student.
        value: The mark (``5``, ``"н/а"``...).
        work_type: Code of the work type in the profile (``"answer"``).
        weight: The mark's own weight, if it overrides the work type's.
        late_reason: The valid reason of a late entry (R8.6), if one is stated.
    """

    mark_id: MarkId
    student_id: StudentId
    value: MarkValue | int | str
    work_type: str
    weight: Fraction | None = None
    late_reason: str | None = None
