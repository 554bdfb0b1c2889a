"""Deviations of set attestation marks from the proposals: findings for the deputy head (R8.10).

A set mark that differs from the proposal by more than the profile allows is not an error but
a finding for the deputy head's control of the correctness of marks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs

from eschool_core.grading._attestation import PeriodKey, ProposedMark
from eschool_core.grading._policy import GradingPolicy
from eschool_core.ids import StudentId, SubjectId
from eschool_core.journal import AttestationKind, AttestationMark, MarkValue
from eschool_core.problems import Severity, problem_dict
from eschool_core.texts import Text

__all__ = ["MarkDeviation", "check_deviation", "find_deviations"]


@attrs.frozen(kw_only=True)
class MarkDeviation:
    """A set attestation mark that differs from the proposal more than allowed (R8.10).

    Not an error: a finding for the deputy head's control of the correctness of marks.

    Attributes:
        student_id: The student.
        subject_id: The subject.
        kind: Period, annual, exam or final.
        period: The study period of a period mark, else ``None``.
        proposed: What the rules propose.
        set: What the teacher set.
        difference: ``set - proposed`` when both are scores, else ``None``.
        clause: ``"8.10"``.
        requirement: ``"R8.10"``.
    """

    student_id: StudentId
    subject_id: SubjectId
    kind: AttestationKind
    period: str | None
    proposed: MarkValue
    set: MarkValue
    difference: int | None
    clause: str = "8.10"
    requirement: str = "R8.10"

    code: ClassVar[str] = "grading.mark_deviation"
    """The stable code of every deviation."""
    severity: ClassVar[Severity] = Severity.WARNING
    """Always a warning: a finding for the deputy head's control, not an error."""

    @property
    def message(self) -> Text:
        """The finding in words, in Russian and English."""
        where = f" ({self.period})" if self.period else ""
        return Text(
            f"Ученик {self.student_id}, предмет {self.subject_id}{where}: выставлена "
            f"отметка «{self.set}», по среднему баллу предлагается «{self.proposed}» "
            f"(п. {self.clause})",
            f"Student {self.student_id}, subject {self.subject_id}{where}: the mark set is "
            f"«{self.set}», the average proposes «{self.proposed}» (clause {self.clause})",
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form shared by every finding; the entity is the student."""
        return problem_dict(
            code=self.code,
            clause=self.clause,
            requirement=self.requirement,
            severity=self.severity,
            message=self.message,
            entity_kind="student",
            entity_id=self.student_id,
            details={
                "student_id": self.student_id,
                "subject_id": self.subject_id,
                "kind": self.kind.value,
                "period": self.period,
                "proposed": str(self.proposed),
                "set": str(self.set),
                "difference": self.difference,
            },
        )


def check_deviation(
    mark: AttestationMark, proposed: MarkValue | None, policy: GradingPolicy
) -> MarkDeviation | None:
    """Return the deviation finding for a set attestation mark, or ``None`` (R8.10).

    Two scores deviate when they differ by more than ``policy.allowed_deviation``; a score
    and a special mark, or two different special marks, always deviate. Without a proposal
    there is nothing to compare.
    """
    if proposed is None or mark.value == proposed:
        return None
    difference = None
    if mark.value.score is not None and proposed.score is not None:
        difference = mark.value.score - proposed.score
        if abs(difference) <= policy.allowed_deviation:
            return None
    return MarkDeviation(
        student_id=mark.student_id,
        subject_id=mark.subject_id,
        kind=mark.kind,
        period=mark.period,
        proposed=proposed,
        set=mark.value,
        difference=difference,
    )


def find_deviations(
    marks: Iterable[AttestationMark],
    proposals: Mapping[PeriodKey, ProposedMark],
    policy: GradingPolicy,
) -> tuple[MarkDeviation, ...]:
    """Return the deviations of the set period marks from the bulk proposals (R8.10).

    Marks of other kinds, and period marks without a proposal, are skipped.
    """
    found = []
    for mark in marks:
        if mark.kind is not AttestationKind.PERIOD or mark.period is None:
            continue
        proposal = proposals.get(PeriodKey(mark.student_id, mark.subject_id, mark.period))
        if proposal is None:
            continue
        deviation = check_deviation(mark, proposal.value, policy)
        if deviation is not None:
            found.append(deviation)
    return tuple(found)
