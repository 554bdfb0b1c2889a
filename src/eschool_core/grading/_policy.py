"""The grading policy: work types and weights, rounding schemes, minimum marks (R2.2j).

A school configures all of this in the ``[grading]`` section of its profile; the profile
loader builds a :class:`GradingPolicy`, and the functions of :mod:`eschool_core.grading`
take it as an argument. This module never reads the profile itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.errors import Language, ValidationError
from eschool_core.grading._errors import (
    GRADING_AVERAGE_OUT_OF_SCALE,
    GRADING_BAD_THRESHOLD,
    GRADING_BAD_WEIGHT_RANGE,
    GRADING_DUPLICATE_WORK_TYPE,
    GRADING_MIN_MARKS,
    GRADING_NO_WORK_TYPES,
    GRADING_NOT_A_MARK,
    GRADING_SCORE_REQUIRED,
    GRADING_UNKNOWN_WORK_TYPE,
    GRADING_WEIGHT_OUT_OF_RANGE,
)
from eschool_core.grading._format import exact_text
from eschool_core.journal import MAX_SCORE, MIN_SCORE, MarkValue
from eschool_core.texts import Text

__all__ = [
    "GradingPolicy",
    "RoundingPolicy",
    "RoundingScheme",
    "WorkType",
    "require_score",
]

_GRADING_CLAUSE = "2.2"
_GRADING_REQUIREMENT = "R2.2j"


def require_score(value: MarkValue | int, *, what: str = "mark") -> int:
    """Return the number of a score, or raise for a special mark where a number is required.

    Args:
        value: A mark (or an int 1-5).
        what: What the mark is, for the message (``"exam mark"``).

    Returns:
        The score 1-5.

    Raises:
        ValidationError: For a special mark (code ``grading.score_required``) or a number
            off the scale (code ``mark.out_of_scale``).

    >>> require_score(MarkValue.of(4))
    4
    """
    raw: object = value
    if isinstance(raw, int) and not isinstance(raw, bool):
        return _checked_score(raw)
    if not isinstance(raw, MarkValue):
        raise GRADING_NOT_A_MARK.error(value=repr(value), what=what)
    if raw.score is None:
        raise GRADING_SCORE_REQUIRED.error(value=str(raw), what=what)
    return raw.score


def _checked_score(score: int) -> int:
    return MarkValue.of(score).score or score


class RoundingScheme(StrEnum):
    """How an average becomes a mark."""

    HALF_UP = "half_up"
    """Mathematical rounding: from x.5 up (4.5 → 5, 4.49 → 4); ties go to the student."""
    FRACTION = "fraction"
    """One fractional threshold for every mark, e.g. 0.65 (4.65 → 5, 4.64 → 4)."""
    CUSTOM = "custom"
    """An own threshold per mark, e.g. 2.6 → 3, 3.6 → 4, 4.6 → 5."""


def _threshold_map(value: Mapping[int, Any]) -> Mapping[int, Fraction]:
    return MappingProxyType(
        {int(mark): v.to_fraction(limit) for mark, limit in sorted(dict(value).items())}
    )


@attrs.frozen(kw_only=True)
class RoundingPolicy:
    """Exact thresholds that turn an average into a mark.

    The mark is the highest ``k`` whose threshold the average reaches (``average >=
    thresholds[k]``), or 1 when it reaches none. Thresholds are exact fractions, so an
    average of exactly 4.65 is 4.65, never 4.6499.

    Attributes:
        scheme: Which scheme built the thresholds (for display and the profile).
        thresholds: The least average for each mark 2-5; each lies in ``(k-1, k]``.
        clause: The regulation clause the rule encodes.
        requirement: The requirement id.

    Raises:
        ValidationError: Unless thresholds are given for exactly the marks 2-5, each
            within ``(k-1, k]`` (code ``grading.bad_threshold``).

    >>> RoundingPolicy.fraction("0.65").to_mark(Fraction("4.65"))
    5
    >>> RoundingPolicy.fraction("0.65").to_mark(Fraction("4.64"))
    4
    """

    scheme: RoundingScheme = attrs.field(converter=RoundingScheme)
    thresholds: Mapping[int, Fraction] = attrs.field(converter=_threshold_map)
    clause: str = attrs.field(default=_GRADING_CLAUSE, validator=v.non_empty_text)
    requirement: str = attrs.field(default=_GRADING_REQUIREMENT, validator=v.non_empty_text)
    _ordered: tuple[tuple[int, Fraction], ...] = attrs.field(init=False, repr=False, eq=False)
    _integral: tuple[tuple[int, int, int], ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        expected = set(range(MIN_SCORE + 1, MAX_SCORE + 1))
        if set(self.thresholds) != expected:
            raise GRADING_BAD_THRESHOLD.error(
                details={"marks": sorted(self.thresholds)},
                reason=Text(
                    "пороги задаются для отметок 2, 3, 4 и 5",
                    "thresholds are given for the marks 2, 3, 4 and 5",
                ),
                rule_clause=self.clause,
            )
        for mark, limit in self.thresholds.items():
            if not mark - 1 < limit <= mark:
                raise GRADING_BAD_THRESHOLD.error(
                    details={"mark": mark, "value": str(limit)},
                    reason=Text(
                        f"порог отметки {mark} должен быть больше {mark - 1} и не больше {mark}: "
                        f"{limit}",
                        f"the threshold of mark {mark} must be above {mark - 1} and at most "
                        f"{mark}, got {limit}",
                    ),
                    rule_clause=self.clause,
                )
        ordered = tuple(sorted(self.thresholds.items(), reverse=True))
        object.__setattr__(self, "_ordered", ordered)
        integral = tuple((mark, limit.numerator, limit.denominator) for mark, limit in ordered)
        object.__setattr__(self, "_integral", integral)

    @classmethod
    def half_up(
        cls, *, clause: str = _GRADING_CLAUSE, requirement: str = _GRADING_REQUIREMENT
    ) -> RoundingPolicy:
        """Return mathematical rounding: x.5 and above go up (in favour of the student)."""
        return cls.fraction(Fraction(1, 2), clause=clause, requirement=requirement).with_scheme(
            RoundingScheme.HALF_UP
        )

    @classmethod
    def fraction(
        cls,
        part: Fraction | str | int,
        *,
        clause: str = _GRADING_CLAUSE,
        requirement: str = _GRADING_REQUIREMENT,
    ) -> RoundingPolicy:
        """Return the scheme with one fractional threshold, e.g. ``"0.65"``: k-1+0.65 → k.

        Raises:
            ValidationError: Unless ``0 < part <= 1``.
        """
        share = v.to_fraction(part)
        return cls(
            scheme=RoundingScheme.FRACTION,
            thresholds={mark: mark - 1 + share for mark in range(MIN_SCORE + 1, MAX_SCORE + 1)},
            clause=clause,
            requirement=requirement,
        )

    @classmethod
    def custom(
        cls,
        thresholds: Mapping[int, Fraction | str | int],
        *,
        clause: str = _GRADING_CLAUSE,
        requirement: str = _GRADING_REQUIREMENT,
    ) -> RoundingPolicy:
        """Return a scheme with an own threshold per mark, e.g. ``{3: "2.6", 4: "3.6", ...}``.

        Raises:
            ValidationError: If a mark 2-5 is missing or a threshold is out of its range.
        """
        return cls(
            scheme=RoundingScheme.CUSTOM,
            thresholds=thresholds,
            clause=clause,
            requirement=requirement,
        )

    def with_scheme(self, scheme: RoundingScheme) -> RoundingPolicy:
        """Return the same thresholds labelled with another scheme."""
        return attrs.evolve(self, scheme=scheme)

    def to_mark(self, average: Fraction) -> int:
        """Return the mark 1-5 for an exact average.

        Raises:
            ValidationError: If the average is not exact or lies outside 1-5.
        """
        exact = v.to_fraction(average)
        if not MIN_SCORE <= exact <= MAX_SCORE:
            raise GRADING_AVERAGE_OUT_OF_SCALE.error(value=str(exact))
        for mark, limit in self._ordered:
            if exact >= limit:
                return mark
        return MIN_SCORE

    def mark_for_sums(self, total: int | Fraction, weight: int | Fraction) -> int:
        """Return the mark of the average ``total / weight`` without dividing.

        The bulk path calls it with integer sums; the average must lie within 1-5 (it does
        when the sums come from marks 1-5 and positive weights).

        Raises:
            ValidationError: If ``weight`` is not positive.

        >>> RoundingPolicy.half_up().mark_for_sums(13, 3)
        4
        """
        if weight <= 0:
            raise GRADING_WEIGHT_OUT_OF_RANGE.error(
                details={"value": str(weight)},
                reason=Text(
                    f"(сумма весов) должен быть положительным: {weight}",
                    f"(the sum of weights) must be positive, got {weight}",
                ),
            )
        for mark, numerator, denominator in self._integral:
            if total * denominator >= numerator * weight:
                return mark
        return MIN_SCORE

    def describe(self, language: Language | str = Language.RU) -> str:
        """Return the thresholds in words, e.g. ``"5 от 4,5; 4 от 3,5; ..."``."""
        lang = Language(language)
        parts = []
        for mark, limit in self._ordered:
            number = exact_text(limit, lang)
            parts.append(f"{mark} от {number}" if lang is Language.RU else f"{mark} from {number}")
        return "; ".join(parts)


@attrs.frozen(kw_only=True)
class WorkType:
    """A kind of work a current mark is given for, with its weight in the average.

    Attributes:
        code: Stable code used in marks (``"test"``).
        name_ru: Russian name («Контрольная работа»).
        name_en: English name ("Test").
        weight: The weight of its marks in the weighted average (exact, positive).

    Raises:
        ValidationError: For an empty code or name, or a weight that is not positive.
    """

    code: str = attrs.field(validator=v.non_empty_text)
    name_ru: str = attrs.field(validator=v.non_empty_text)
    name_en: str = attrs.field(validator=v.non_empty_text)
    weight: Fraction = attrs.field(default=Fraction(1), converter=v.to_fraction)

    @weight.validator
    def _check_weight(self, _attribute: attrs.Attribute[Any], value: Fraction) -> None:
        if value <= 0:
            raise _weight_error(value, None, None, self.code)

    def name(self, language: Language | str = Language.RU) -> str:
        """Return the name in ``language``."""
        return self.name_ru if Language(language) is Language.RU else self.name_en


def _weight_error(
    value: Fraction, low: Fraction | None, high: Fraction | None, work_type: str
) -> ValidationError:
    if low is None or high is None:
        ru, en = "должен быть положительным", "must be positive"
    else:
        ru, en = f"должен быть от {low} до {high}", f"must be from {low} to {high}"
    return GRADING_WEIGHT_OUT_OF_RANGE.error(
        details={"value": str(value), "work_type": work_type},
        reason=Text(
            f"{value} (вид работы «{work_type}») {ru}", f"{value} (work type '{work_type}') {en}"
        ),
        rule_clause=_GRADING_CLAUSE,
    )


def _work_type_map(value: Mapping[str, WorkType] | tuple[WorkType, ...]) -> Mapping[str, WorkType]:
    items = tuple(value.values()) if isinstance(value, Mapping) else tuple(value)
    result: dict[str, WorkType] = {}
    for item in items:
        if item.code in result:
            raise GRADING_DUPLICATE_WORK_TYPE.error(work_type=item.code)
        result[item.code] = item
    return MappingProxyType(result)


def _int_map(value: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class GradingPolicy:
    """A school's grading rules (R2.2j): weights, rounding, minimum marks, deviations.

    Attributes:
        work_types: The work types by code, each with its weight.
        min_weight: The least weight a mark may carry (its own or its work type's).
        max_weight: The greatest weight a mark may carry.
        period_rounding: How a period average becomes a period mark.
        annual_rounding: How the mean of period marks becomes an annual mark; the default
            rounds an exact half up, in favour of the student.
        final_rounding: How the mean for a certificate (final) mark is rounded: by the
            rules of mathematics, i.e. half up (Приказ Минпросвещения России от 05.10.2020
            № 546, пп. 21-22).
        min_current_marks: Fewest current marks for a period mark; below it the proposal
            is «н/а» (e.g. 3 per quarter).
        min_current_marks_by_kind: Overrides of ``min_current_marks`` per period kind
            (``"half_year"``: 5).
        allowed_deviation: How many points a set attestation mark may differ from the
            proposal before it becomes a finding for the deputy head (R8.10).
        clause: The regulation clause (``"2.2"``).
        requirement: The requirement id (``"R2.2j"``).

    Raises:
        ValidationError: For an empty catalogue, ``min_weight`` not positive or above
            ``max_weight``, a work-type weight outside the range, negative counts.
    """

    work_types: Mapping[str, WorkType] = attrs.field(converter=_work_type_map)
    min_weight: Fraction = attrs.field(default=Fraction(1, 2), converter=v.to_fraction)
    max_weight: Fraction = attrs.field(default=Fraction(5), converter=v.to_fraction)
    period_rounding: RoundingPolicy = attrs.field(factory=RoundingPolicy.half_up)
    annual_rounding: RoundingPolicy = attrs.field(factory=RoundingPolicy.half_up)
    final_rounding: RoundingPolicy = attrs.field(factory=RoundingPolicy.half_up)
    min_current_marks: int = attrs.field(
        default=3, validator=v.int_in_range(0, 1000, "grading.min_marks")
    )
    min_current_marks_by_kind: Mapping[str, int] = attrs.field(factory=dict, converter=_int_map)
    allowed_deviation: int = attrs.field(
        default=0, validator=v.int_in_range(0, 4, "grading.allowed_deviation")
    )
    clause: str = attrs.field(default=_GRADING_CLAUSE, validator=v.non_empty_text)
    requirement: str = attrs.field(default=_GRADING_REQUIREMENT, validator=v.non_empty_text)

    def __attrs_post_init__(self) -> None:
        if not self.work_types:
            raise GRADING_NO_WORK_TYPES.error(rule_clause=self.clause)
        if not 0 < self.min_weight <= self.max_weight:
            raise GRADING_BAD_WEIGHT_RANGE.error(
                min_weight=self.min_weight, max_weight=self.max_weight, rule_clause=self.clause
            )
        for work_type in self.work_types.values():
            self.check_weight(work_type.weight, work_type.code)
        for kind, count in self.min_current_marks_by_kind.items():
            raw: object = count
            if isinstance(raw, bool) or not isinstance(raw, int) or count < 0:
                raise GRADING_MIN_MARKS.error(kind=kind, count=count, rule_clause=self.clause)

    @classmethod
    def default(cls) -> GradingPolicy:
        """Return a policy with the common work types, all of weight 1, and half-up rounding.

        The default profile has its own weights; this is for examples and tests.

        >>> GradingPolicy.default().weight_of("test")
        Fraction(1, 1)
        """
        return cls(work_types=tuple(WorkType(code=c, name_ru=r, name_en=e) for c, r, e in _COMMON))

    def work_type(self, code: str) -> WorkType:
        """Return the work type with ``code``.

        Raises:
            ValidationError: If the profile has no such work type (code
                ``grading.unknown_work_type``).
        """
        found = self.work_types.get(code)
        if found is None:
            raise GRADING_UNKNOWN_WORK_TYPE.error(
                work_type=code, known=sorted(self.work_types), rule_clause=self.clause
            )
        return found

    def weight_of(self, work_type: str, own: Fraction | None = None) -> Fraction:
        """Return the weight of a mark: its own, or else its work type's.

        Raises:
            ValidationError: For an unknown work type, or an own weight outside
                ``min_weight..max_weight`` (code ``grading.weight_out_of_range``).
        """
        known = self.work_type(work_type)
        if own is None:
            return known.weight
        self.check_weight(v.to_fraction(own), work_type)
        return own

    def check_weight(self, weight: Fraction, work_type: str) -> None:
        """Raise unless ``min_weight <= weight <= max_weight``.

        Raises:
            ValidationError: Code ``grading.weight_out_of_range``.
        """
        if not self.min_weight <= weight <= self.max_weight:
            raise _weight_error(weight, self.min_weight, self.max_weight, work_type)

    def min_marks_for(self, kind: str | None) -> int:
        """Return the fewest current marks a period of ``kind`` needs for a period mark."""
        if kind is None:
            return self.min_current_marks
        return self.min_current_marks_by_kind.get(kind, self.min_current_marks)


_COMMON = (
    ("answer", "Ответ на уроке", "Answer in class"),
    ("homework", "Домашняя работа", "Homework"),
    ("independent", "Самостоятельная работа", "Independent work"),
    ("test", "Контрольная работа", "Test"),
    ("dictation", "Диктант", "Dictation"),
    ("laboratory", "Лабораторная работа", "Laboratory work"),
    ("practical", "Практическая работа", "Practical work"),
    ("project", "Проект", "Project"),
    ("essay", "Сочинение", "Essay"),
)
