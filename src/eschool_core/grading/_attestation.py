"""Period, annual and final (certificate) marks: proposals (R2.2j, R8.4.1, R8.9).

A proposal is what the rules give; the teacher sets the mark (R8.4.1, R8.7, R8.8). How a set
mark is compared with the proposal is in :mod:`eschool_core.grading._deviation`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from eschool_core import _validation as v
from eschool_core.calendar import StudyPeriod
from eschool_core.grading._errors import (
    GRADING_MIXED_MARKS,
    GRADING_NO_MARKS,
    GRADING_PERIOD_BOUNDS,
    GRADING_PERIOD_KIND_CLASH,
    GRADING_PERIODS_OVERLAP,
    GRADING_SCHEME_REQUIRED,
)
from eschool_core.grading._policy import GradingPolicy, RoundingPolicy, require_score
from eschool_core.ids import StudentId, SubjectId
from eschool_core.journal import (
    MAX_SCORE,
    MIN_SCORE,
    Mark,
    MarkKind,
    MarkValue,
)
from eschool_core.texts import Text

__all__ = [
    "PeriodKey",
    "PeriodSpan",
    "ProposedMark",
    "propose_annual_mark",
    "propose_final_mark_basic",
    "propose_final_mark_secondary",
    "propose_period_mark",
    "propose_period_marks",
]

_NOT_ATTESTED = MarkValue.special(MarkKind.NOT_ATTESTED)
_EXEMPT = MarkValue.special(MarkKind.EXEMPT)
_PASS = MarkValue.special(MarkKind.PASS)
_FAIL = MarkValue.special(MarkKind.FAIL)
_SCORES = {score: MarkValue.of(score) for score in range(MIN_SCORE, MAX_SCORE + 1)}
_HAS_EXEMPT = 1
_HAS_PASS_FAIL = 2


@attrs.frozen(kw_only=True)
class ProposedMark:
    """A mark the rules propose, with the figures it comes from.

    Attributes:
        value: The proposed mark: a score, «н/а» (too few marks), «осв» (only exempt
            marks), «зач»/«незач» (pass/fail attestation); ``None`` when the rules propose
            nothing (a period with only pass/fail current marks: the teacher decides).
        average: The exact average the score comes from, ``None`` without one.
        count: How many marks the average covers.
    """

    value: MarkValue | None
    average: Fraction | None
    count: int


class PeriodKey(NamedTuple):
    """The key of a period-mark proposal: student, subject, period code."""

    student_id: StudentId
    subject_id: SubjectId
    period: str


@attrs.frozen(kw_only=True)
class PeriodSpan:
    """A span of days that grading proposes marks for: a code, its first and last day, its kind.

    The calendar owns study periods (:class:`~eschool_core.calendar.StudyPeriod`, the one
    study-period type); :meth:`of` makes the span of one, with its code and kind. A span
    may also be another stretch of days, such as a report's whole year (``"year"``).

    Attributes:
        key: Code of the period (``"Q1"``).
        start: First day.
        end: Last day (inclusive).
        kind: Kind of period (``"quarter"``, ``"trimester"``, ``"half_year"``), which
            selects the minimum number of marks.

    Raises:
        ValidationError: If ``end`` is before ``start`` or a bound is not a date.
    """

    key: str = attrs.field(validator=v.non_empty_text)
    start: dt.date = attrs.field(validator=v.plain_date)
    end: dt.date = attrs.field(validator=v.plain_date)
    kind: str | None = attrs.field(default=None, validator=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise GRADING_PERIOD_BOUNDS.error(period=self.key)

    @classmethod
    def of(cls, period: StudyPeriod) -> PeriodSpan:
        """Return the span of a study period: its code, dates and kind.

        >>> from eschool_core.calendar import StudyPeriod
        >>> h2 = StudyPeriod(code="H2", start=dt.date(2026, 1, 12), end=dt.date(2026, 5, 26))
        >>> span = PeriodSpan.of(h2)
        >>> span.key, span.kind, span.end == h2.end
        ('H2', 'half_year', True)
        """
        return cls(key=period.key, start=period.start, end=period.end, kind=period.kind)

    def days(self) -> Iterable[dt.date]:
        """Yield every day of the period."""
        day = self.start
        while day <= self.end:
            yield day
            day += dt.timedelta(days=1)


def _proposal(
    *,
    total: int | Fraction,
    weight: int | Fraction,
    count: int,
    flags: int,
    minimum: int,
    rounding: RoundingPolicy,
) -> ProposedMark:
    average = Fraction(total, weight) if count else None
    if average is not None and count >= minimum:
        return ProposedMark(
            value=_SCORES[rounding.mark_for_sums(total, weight)], average=average, count=count
        )
    if not count and flags & _HAS_EXEMPT:
        return ProposedMark(value=_EXEMPT, average=None, count=0)
    if not count and flags & _HAS_PASS_FAIL:
        return ProposedMark(value=None, average=None, count=0)
    return ProposedMark(value=_NOT_ATTESTED, average=average, count=count)


def propose_period_mark(
    marks: Iterable[Mark], policy: GradingPolicy, *, period_kind: str | None = None
) -> ProposedMark:
    """Propose a period mark from one student's current marks in one subject and period (R2.2j).

    The weighted average is rounded by the policy's period rounding. With fewer counted
    marks than the policy's minimum for ``period_kind`` the proposal is «н/а»; with only
    «осв» marks it is «осв». This is also the forecast "if nothing changes".

    Args:
        marks: The current marks of the period.
        policy: The grading policy.
        period_kind: Kind of the period (selects the minimum number of marks).

    Raises:
        ValidationError: For an unknown work type or a weight outside the range.

    >>> from eschool_core.grading._examples import example_mark
    >>> marks = [example_mark(5, weight=2), example_mark(4), example_mark(5)]
    >>> proposal = propose_period_mark(marks, GradingPolicy.default())
    >>> str(proposal.value), proposal.average
    ('5', Fraction(19, 4))
    """
    total = Fraction(0)
    weights = Fraction(0)
    count = 0
    flags = 0
    for mark in marks:
        weight = policy.weight_of(mark.work_type, mark.weight)
        score = mark.value.score
        if score is None:
            flags |= _HAS_EXEMPT if mark.value.kind is MarkKind.EXEMPT else 0
            flags |= _HAS_PASS_FAIL if mark.value.kind in (MarkKind.PASS, MarkKind.FAIL) else 0
            continue
        total += score * weight
        weights += weight
        count += 1
    return _proposal(
        total=total,
        weight=weights or 1,
        count=count,
        flags=flags,
        minimum=policy.min_marks_for(period_kind),
        rounding=policy.period_rounding,
    )


def _period_index(periods: Sequence[PeriodSpan]) -> dict[dt.date, str]:
    index: dict[dt.date, str] = {}
    for span in periods:
        for day in span.days():
            other = index.setdefault(day, span.key)
            if other != span.key:
                raise GRADING_PERIODS_OVERLAP.error(periods=[other, span.key], date=day.isoformat())
    return index


def _period_kinds(schemes: Mapping[str, Sequence[PeriodSpan]]) -> dict[str, str | None]:
    kinds: dict[str, str | None] = {}
    for spans in schemes.values():
        for span in spans:
            known = kinds.setdefault(span.key, span.kind)
            if known != span.kind:
                raise GRADING_PERIOD_KIND_CLASH.error(
                    details={"period": span.key}, known=known, kind=span.kind
                )
    return kinds


def _student_index(
    student: StudentId,
    indexes: Mapping[str, dict[dt.date, str]],
    scheme_of: Mapping[StudentId, str],
) -> dict[dt.date, str]:
    scheme = scheme_of.get(student)
    index = None if scheme is None else indexes.get(scheme)
    if index is None:
        raise GRADING_SCHEME_REQUIRED.error(
            details={"student_id": student, "scheme": scheme},
            reason=Text(
                f"для ученика {student} она не указана", f"none is given for the student {student}"
            ),
        )
    return index


def propose_period_marks(
    marks: Iterable[Mark],
    periods: Sequence[PeriodSpan] | Mapping[str, Sequence[PeriodSpan]],
    policy: GradingPolicy,
    *,
    scheme_of: Mapping[StudentId, str] | None = None,
) -> Mapping[PeriodKey, ProposedMark]:
    """Propose every period mark at once, grouping by student × subject × period in one pass.

    The result equals :func:`propose_period_mark` on each group. Weights are scaled to
    integers by their common denominator, so the sums are exact without building fractions
    per mark. Marks outside every period are ignored.

    Args:
        marks: Current marks of any students, subjects and dates.
        periods: The study periods (must not overlap); or, when parallels differ (quarters
            in grades 1-9, half-years in 10-11), the periods of each scheme by its name.
        policy: The grading policy.
        scheme_of: With periods by scheme: each student's scheme name.

    Returns:
        A read-only mapping from (student, subject, period) to the proposal, for every group
        that has at least one mark.

    Raises:
        ValidationError: For overlapping periods, a period code with two kinds, a student
            without a scheme, an unknown work type or a weight outside the range.

    >>> from eschool_core.grading._examples import example_mark
    >>> q1 = PeriodSpan(key="Q1", start=dt.date(2025, 9, 1), end=dt.date(2025, 10, 26))
    >>> marks = [example_mark(5), example_mark(4)]
    >>> result = propose_period_marks(marks, [q1], GradingPolicy.default())
    >>> str(result[PeriodKey("s1", "math", "Q1")].value)
    'н/а'
    """
    schemes = dict(periods) if isinstance(periods, Mapping) else {"": periods}
    if isinstance(periods, Mapping) and scheme_of is None:
        raise GRADING_SCHEME_REQUIRED.error(
            details={},
            reason=Text(
                "для периодов по схемам нужна схема каждого ученика (scheme_of)",
                "periods by scheme need each student's scheme (scheme_of)",
            ),
        )
    indexes = {name: _period_index(spans) for name, spans in schemes.items()}
    kinds = _period_kinds(schemes)
    single = indexes.get("") if scheme_of is None else None
    by_student: dict[StudentId, dict[dt.date, str]] = {}
    sums = _PackedSums(policy)
    increments = sums.increments
    groups: dict[tuple[StudentId, SubjectId, str], int] = {}
    flags: dict[tuple[StudentId, SubjectId, str], int] = {}
    for mark in marks:
        period_of = single if single is not None else by_student.get(mark.student_id)
        if period_of is None:
            period_of = by_student[mark.student_id] = _student_index(
                mark.student_id, indexes, scheme_of or {}
            )
        period = period_of.get(mark.date)
        if period is None:
            continue
        score = mark.value.score
        by_type = increments.get(mark.work_type)
        if by_type is None or mark.weight is not None or score is None:
            step = sums.slow_increment(mark, groups)
            increments = sums.increments
            if score is None:
                key = (mark.student_id, mark.subject_id, period)
                flags[key] = flags.get(key, 0) | _special_flag(mark.value.kind)
        else:
            step = by_type[score]
        key = (mark.student_id, mark.subject_id, period)
        groups[key] = groups.get(key, 0) + step
    rounding = policy.period_rounding
    minimum = {key: policy.min_marks_for(kind) for key, kind in kinds.items()}
    result = {}
    for key, packed in groups.items():
        total, weight, count = sums.unpack(packed)
        result[PeriodKey(*key)] = _proposal(
            total=total,
            weight=weight or 1,
            count=count,
            flags=flags.get(key, 0),
            minimum=minimum[key[2]],
            rounding=rounding,
        )
    return MappingProxyType(result)


def _special_flag(kind: MarkKind) -> int:
    if kind is MarkKind.EXEMPT:
        return _HAS_EXEMPT
    if kind in (MarkKind.PASS, MarkKind.FAIL):
        return _HAS_PASS_FAIL
    return 0


class _PackedSums:
    """Exact sums of value·weight, weight and count packed into one int per group.

    Weights are scaled to integers by their common denominator; each mark adds
    ``(value·w << 2B) | (w << B) | 1``, so one integer addition per mark updates all three
    sums. ``B`` bits per field are far more than any school needs, and Python ints do not
    overflow, so a field could only spill into the next after 2**64 marks.
    """

    _BITS = 64
    _MASK = (1 << _BITS) - 1

    def __init__(self, policy: GradingPolicy) -> None:
        self._policy = policy
        self._scale = math.lcm(*(item.weight.denominator for item in policy.work_types.values()))
        self._checked: set[tuple[str, Fraction]] = set()
        self.increments: dict[str, tuple[int, ...]] = {}
        self._build()

    def _build(self) -> None:
        self.increments = {
            code: tuple(
                self._pack(score, (item.weight * self._scale).numerator) for score in range(6)
            )
            for code, item in self._policy.work_types.items()
        }

    def _pack(self, score: int, weight: int) -> int:
        return ((score * weight) << (2 * self._BITS)) | (weight << self._BITS) | 1

    def unpack(self, packed: int) -> tuple[int, int, int]:
        """Return the sums (value·weight, weight, count) of a group, weights scaled."""
        return (
            packed >> (2 * self._BITS),
            (packed >> self._BITS) & self._MASK,
            packed & self._MASK,
        )

    def slow_increment(self, mark: Mark, groups: dict[Any, int]) -> int:
        """Return the increment of a mark with an own weight, a special value or a bad type.

        Raises:
            ValidationError: For an unknown work type or an own weight out of range.
        """
        own = mark.weight
        if own is None:
            weight = self._policy.work_type(mark.work_type).weight
        else:
            if (mark.work_type, own) not in self._checked:
                self._policy.weight_of(mark.work_type, own)
                self._checked.add((mark.work_type, own))
            weight = own
        if mark.value.score is None:
            return 0
        if self._scale % weight.denominator:
            self._rescale(weight.denominator // math.gcd(self._scale, weight.denominator), groups)
        return self._pack(mark.value.score, (weight * self._scale).numerator)

    def _rescale(self, factor: int, groups: dict[Any, int]) -> None:
        self._scale *= factor
        self._build()
        for key, packed in groups.items():
            total, weight, count = self.unpack(packed)
            groups[key] = (
                ((total * factor) << (2 * self._BITS)) | ((weight * factor) << self._BITS) | count
            )


def _split(values: Iterable[MarkValue | int]) -> tuple[list[int], list[MarkValue]]:
    scores: list[int] = []
    specials: list[MarkValue] = []
    for value in values:
        raw: object = value
        if isinstance(raw, MarkValue) and raw.score is None:
            specials.append(raw)
        else:
            scores.append(require_score(value))
    return scores, specials


def propose_annual_mark(
    period_marks: Iterable[MarkValue | int], policy: GradingPolicy
) -> ProposedMark:
    """Propose an annual mark from the period marks (quarters, trimesters or half-years).

    The arithmetic mean of the period scores, rounded by the policy's annual rounding (by
    default an exact half goes up, in favour of the student). «осв» periods are left out;
    all «осв» gives «осв»; any «н/а» gives «н/а» (a part of the year is not attested); a
    pass/fail subject gives «зач» when every period is «зач», else «незач».

    Raises:
        ValidationError: For no period marks, or scores mixed with pass/fail marks
            (code ``grading.mixed_marks``).

    >>> str(propose_annual_mark([4, 5, 4, 5], GradingPolicy.default()).value)
    '5'
    """
    scores, specials = _split(period_marks)
    kinds = {mark.kind for mark in specials}
    if not scores and not specials:
        raise GRADING_NO_MARKS.error(
            details={}, what=Text("за периоды", "for the periods"), rule_clause=policy.clause
        )
    if MarkKind.NOT_ATTESTED in kinds:
        return ProposedMark(value=_NOT_ATTESTED, average=None, count=len(scores))
    pass_fail = kinds & {MarkKind.PASS, MarkKind.FAIL}
    if pass_fail and scores:
        raise GRADING_MIXED_MARKS.error(rule_clause=policy.clause)
    if pass_fail:
        value = _FAIL if MarkKind.FAIL in pass_fail else _PASS
        return ProposedMark(value=value, average=None, count=0)
    if not scores:
        return ProposedMark(value=_EXEMPT, average=None, count=0)
    average = Fraction(sum(scores), len(scores))
    return ProposedMark(
        value=MarkValue.of(policy.annual_rounding.to_mark(average)),
        average=average,
        count=len(scores),
    )


def propose_final_mark_basic(
    annual: MarkValue | int, exam: MarkValue | int | None, policy: GradingPolicy
) -> ProposedMark:
    """Propose the final (certificate) mark of grade 9.

    For Russian, mathematics and the two elective exam subjects (pass ``exam``) it is the
    arithmetic mean of the annual and the exam mark, as a whole number by the rules of
    mathematics (Приказ Минпросвещения России от 05.10.2020 № 546 «Об утверждении Порядка
    заполнения, учета и выдачи аттестатов об основном общем и среднем общем образовании и
    их дубликатов», п. 21): the mean of two whole marks is a whole or a half, and the half
    goes up, which is also in favour of the student. Elsewhere (``exam=None``) it is the
    annual mark. The policy's final rounding is used (half-up by default).

    Raises:
        ValidationError: If the annual or exam mark is a special mark or off the scale.

    >>> str(propose_final_mark_basic(4, 5, GradingPolicy.default()).value)
    '5'
    """
    year = require_score(annual, what="annual mark")
    if exam is None:
        return ProposedMark(value=MarkValue.of(year), average=Fraction(year), count=1)
    average = Fraction(year + require_score(exam, what="exam mark"), 2)
    return ProposedMark(
        value=MarkValue.of(policy.final_rounding.to_mark(average)), average=average, count=2
    )


def propose_final_mark_secondary(
    marks: Iterable[MarkValue | int], policy: GradingPolicy
) -> ProposedMark:
    """Propose the final (certificate) mark of grade 11.

    The arithmetic mean of the half-year (or trimester) and annual marks of grades 10 and
    11, as a whole number by the rules of mathematics, an exact half going up (Приказ
    Минпросвещения России от 05.10.2020 № 546, п. 22). Pass the marks in any order.

    Raises:
        ValidationError: For no marks, or a special mark among them.

    >>> str(propose_final_mark_secondary([4, 5, 4, 4, 5, 5], GradingPolicy.default()).value)
    '5'
    """
    scores = [require_score(mark, what="half-year or annual mark") for mark in marks]
    if not scores:
        raise GRADING_NO_MARKS.error(
            details={},
            what=Text("полугодовых и годовых", "half-year or annual"),
            rule_clause=policy.clause,
        )
    average = Fraction(sum(scores), len(scores))
    return ProposedMark(
        value=MarkValue.of(policy.final_rounding.to_mark(average)),
        average=average,
        count=len(scores),
    )
