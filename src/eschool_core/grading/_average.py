"""Weighted and plain averages of current marks, their explanation, and their dynamics.

Which marks count (R2.2j, R8.2):

- a score 1-5 counts, with the weight of its work type or its own weight;
- «н/а» (not attested) has no number: it is not in any average (class statistics count it
  in their denominators, see :mod:`eschool_core.grading`);
- «осв» (exempt) is excluded from everything;
- «зач» / «незач» (pass / fail) are never in averages;
- a double mark «5/4» is two independent marks (``MarkValue.parse_many``), each a
  :class:`~eschool_core.journal.Mark` of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType

import attrs

from eschool_core.errors import Language
from eschool_core.grading._format import exact_text, format_decimal
from eschool_core.grading._policy import GradingPolicy, RoundingPolicy
from eschool_core.ids import MarkId, SubjectId
from eschool_core.journal import Mark, MarkKind
from eschool_core.texts import Text

__all__ = [
    "AverageExplanation",
    "Contribution",
    "DynamicsPoint",
    "ExcludedMark",
    "average_dynamics",
    "average_dynamics_by_subject",
    "counts_in_average",
    "explain_average",
    "plain_average",
    "weighted_average",
]

_EXCLUSION_REASONS: Mapping[MarkKind, Text] = MappingProxyType(
    {
        MarkKind.NOT_ATTESTED: Text("не аттестован: отметка без числа", "not attested: no number"),
        MarkKind.EXEMPT: Text("освобождён: не учитывается", "exempt: excluded"),
        MarkKind.PASS: Text("зачёт: не входит в средний балл", "pass: never in averages"),
        MarkKind.FAIL: Text("незачёт: не входит в средний балл", "fail: never in averages"),
    }
)


def counts_in_average(mark: Mark) -> bool:
    """Whether a current mark enters averages: only scores 1-5 do."""
    return mark.value.kind is MarkKind.SCORE


def _weighted_sums(marks: Iterable[Mark], policy: GradingPolicy) -> tuple[Fraction, Fraction, int]:
    total = Fraction(0)
    weights = Fraction(0)
    count = 0
    for mark in marks:
        weight = policy.weight_of(mark.work_type, mark.weight)
        score = mark.value.score
        if score is None:
            continue
        total += score * weight
        weights += weight
        count += 1
    return total, weights, count


def weighted_average(marks: Iterable[Mark], policy: GradingPolicy) -> Fraction | None:
    """Return the exact weighted average Σ(value·weight) / Σweight of the counted marks (R2.2j).

    Args:
        marks: Current marks; special marks are skipped (see the module docstring), but
            their work types and weights are still checked.
        policy: The school's grading policy (work-type weights, weight range).

    Returns:
        The average as a ``Fraction``, or ``None`` when no mark counts.

    Raises:
        ValidationError: For an unknown work type or a weight outside the policy's range.

    >>> from eschool_core.grading._examples import example_mark
    >>> policy = GradingPolicy.default()
    >>> weighted_average([example_mark(5, weight=2), example_mark(3)], policy)
    Fraction(13, 3)
    """
    total, weights, _count = _weighted_sums(marks, policy)
    return total / weights if weights else None


def plain_average(marks: Iterable[Mark]) -> Fraction | None:
    """Return the arithmetic mean of the counted marks (every weight 1), or ``None``.

    >>> from eschool_core.grading._examples import example_mark
    >>> plain_average([example_mark(5, weight=2), example_mark(3), example_mark("осв")])
    Fraction(4, 1)
    """
    scores = [mark.value.score for mark in marks if mark.value.score is not None]
    return Fraction(sum(scores), len(scores)) if scores else None


@attrs.frozen(kw_only=True)
class Contribution:
    """One counted mark's part in a weighted average.

    Attributes:
        mark_id: The mark.
        date: The day of the lesson.
        value: The score 1-5.
        work_type: The work type code.
        work_type_ru: Its Russian name.
        work_type_en: Its English name.
        weight: The weight used (the mark's own or its work type's).
        product: ``value × weight``.
    """

    mark_id: MarkId
    date: dt.date
    value: int
    work_type: str
    work_type_ru: str
    work_type_en: str
    weight: Fraction
    product: Fraction


@attrs.frozen(kw_only=True)
class ExcludedMark:
    """A mark left out of the average, and why.

    Attributes:
        mark_id: The mark.
        date: The day of the lesson.
        value: Its written form («осв», «н/а», «зач», «незач»).
        reason: Why it is left out, in Russian and English.
    """

    mark_id: MarkId
    date: dt.date
    value: str
    reason: Text


@attrs.frozen(kw_only=True)
class AverageExplanation:
    """Why an average is what it is: each mark's contribution, the sums and the result.

    Attributes:
        contributions: The counted marks, by date.
        excluded: The marks left out, by date.
        weighted_sum: Σ value·weight.
        weight_sum: Σ weight.
        average: The weighted average, ``None`` when no mark counts.
        plain_average: The arithmetic mean of the counted marks.
        mark: The average rounded by ``rounding``, ``None`` when no mark counts.
        rounding: The rounding scheme used for ``mark``.
    """

    contributions: tuple[Contribution, ...]
    excluded: tuple[ExcludedMark, ...]
    weighted_sum: Fraction
    weight_sum: Fraction
    average: Fraction | None
    plain_average: Fraction | None
    mark: int | None
    rounding: RoundingPolicy

    def render(self, language: Language | str = Language.RU, *, dates: bool = True) -> str:
        """Return a plain-text explanation for a parent or a teacher, in Russian or English.

        Args:
            language: ``"ru"`` or ``"en"``.
            dates: Whether to show the dates of the marks (the first column).
        """
        ru = Language(language) is Language.RU
        lines = []
        if self.average is None:
            lines.append("Нет отметок, входящих в средний балл." if ru else "No mark counts.")
        else:
            shown = format_decimal(self.average, 2, language)
            lines.append(f"Средневзвешенный балл: {shown}" if ru else f"Weighted average: {shown}")
            header = (
                "Дата | Отметка | Вид работы | Вес | Отметка × вес"
                if ru
                else "Date | Mark | Work type | Weight | Mark × weight"
            )
            lines.append(header if dates else header.split(" | ", 1)[1])
            for item in self.contributions:
                day = item.date.strftime("%d.%m.%Y") if ru else item.date.isoformat()
                name = item.work_type_ru if ru else item.work_type_en
                weight = exact_text(item.weight, language)
                product = exact_text(item.product, language)
                row = f"{item.value} | {name} | {weight} | {product}"
                lines.append(f"{day} | {row}" if dates else row)
            total = exact_text(self.weighted_sum, language)
            weights = exact_text(self.weight_sum, language)
            lines.append(
                f"Сумма: {total}; сумма весов: {weights}; {total} / {weights} = {shown}"
                if ru
                else f"Sum: {total}; sum of weights: {weights}; {total} / {weights} = {shown}"
            )
            if self.mark is not None:
                rule = self.rounding.describe(language)
                lines.append(
                    f"Отметка по правилу округления ({rule}): {self.mark}"
                    if ru
                    else f"Mark by the rounding rule ({rule}): {self.mark}"
                )
        for left_out in self.excluded:
            day = left_out.date.strftime("%d.%m.%Y ") if ru else f"{left_out.date.isoformat()} "
            day = day if dates else ""
            reason = left_out.reason.ru if ru else left_out.reason.en
            lines.append(
                f"Не учтена: {day}«{left_out.value}» — {reason}"
                if ru
                else f"Left out: {day}«{left_out.value}» — {reason}"
            )
        return "\n".join(lines)


def explain_average(
    marks: Iterable[Mark], policy: GradingPolicy, *, rounding: RoundingPolicy | None = None
) -> AverageExplanation:
    """Return the explanation of the weighted average of ``marks`` (R2.2j).

    Args:
        marks: Current marks.
        policy: The grading policy.
        rounding: The rounding for the resulting mark; the policy's period rounding by default.

    Raises:
        ValidationError: For an unknown work type or a weight outside the range.

    >>> from eschool_core.grading._examples import example_mark
    >>> why = explain_average([example_mark(5, weight=2), example_mark(3)], GradingPolicy.default())
    >>> print(why.render("en"))
    Weighted average: 4.33
    Date | Mark | Work type | Weight | Mark × weight
    2025-09-01 | 5 | Answer in class | 2 | 10
    2025-09-01 | 3 | Answer in class | 1 | 3
    Sum: 13; sum of weights: 3; 13 / 3 = 4.33
    Mark by the rounding rule (5 from 4.5; 4 from 3.5; 3 from 2.5; 2 from 1.5): 4
    """
    used = rounding or policy.period_rounding
    counted: list[Contribution] = []
    excluded: list[ExcludedMark] = []
    for mark in sorted(marks, key=lambda item: (item.date, item.id)):
        weight = policy.weight_of(mark.work_type, mark.weight)
        score = mark.value.score
        if score is None:
            excluded.append(
                ExcludedMark(
                    mark_id=mark.id,
                    date=mark.date,
                    value=str(mark.value),
                    reason=_EXCLUSION_REASONS[mark.value.kind],
                )
            )
            continue
        work_type = policy.work_type(mark.work_type)
        counted.append(
            Contribution(
                mark_id=mark.id,
                date=mark.date,
                value=score,
                work_type=mark.work_type,
                work_type_ru=work_type.name_ru,
                work_type_en=work_type.name_en,
                weight=weight,
                product=score * weight,
            )
        )
    total = sum((item.product for item in counted), Fraction(0))
    weights = sum((item.weight for item in counted), Fraction(0))
    average = total / weights if weights else None
    plain = Fraction(sum(item.value for item in counted), len(counted)) if counted else None
    return AverageExplanation(
        contributions=tuple(counted),
        excluded=tuple(excluded),
        weighted_sum=total,
        weight_sum=weights,
        average=average,
        plain_average=plain,
        mark=None if average is None else used.to_mark(average),
        rounding=used,
    )


@attrs.frozen(kw_only=True)
class DynamicsPoint:
    """The running weighted average after the marks of one day (R11.5).

    Attributes:
        date: The day.
        average: The weighted average of all counted marks up to and including the day.
        count: How many counted marks that average covers.
    """

    date: dt.date
    average: Fraction
    count: int


def average_dynamics(marks: Iterable[Mark], policy: GradingPolicy) -> tuple[DynamicsPoint, ...]:
    """Return the running weighted average by date (R11.5 «Динамика среднего балла ученика»).

    Pass one subject's marks for that subject's dynamics, or all of a student's marks for
    the overall dynamics (every counted mark with its weight, pooled). Days with only
    special marks add no point.

    Raises:
        ValidationError: For an unknown work type or a weight outside the range.

    >>> from eschool_core.grading._examples import example_mark
    >>> import datetime as dt
    >>> marks = [example_mark(5, on=dt.date(2025, 9, 1)), example_mark(3, on=dt.date(2025, 9, 2))]
    >>> [str(point.average) for point in average_dynamics(marks, GradingPolicy.default())]
    ['5', '4']
    """
    by_day: dict[dt.date, tuple[Fraction, Fraction, int]] = {}
    for mark in marks:
        weight = policy.weight_of(mark.work_type, mark.weight)
        score = mark.value.score
        if score is None:
            continue
        total, weights, count = by_day.get(mark.date, (Fraction(0), Fraction(0), 0))
        by_day[mark.date] = (total + score * weight, weights + weight, count + 1)
    points = []
    total, weights, count = Fraction(0), Fraction(0), 0
    for day in sorted(by_day):
        day_total, day_weights, day_count = by_day[day]
        total, weights, count = total + day_total, weights + day_weights, count + day_count
        points.append(DynamicsPoint(date=day, average=total / weights, count=count))
    return tuple(points)


def average_dynamics_by_subject(
    marks: Iterable[Mark], policy: GradingPolicy
) -> Mapping[SubjectId, tuple[DynamicsPoint, ...]]:
    """Return :func:`average_dynamics` for each subject of ``marks`` (R11.5).

    Raises:
        ValidationError: For an unknown work type or a weight outside the range.
    """
    grouped: dict[SubjectId, list[Mark]] = {}
    for mark in marks:
        grouped.setdefault(mark.subject_id, []).append(mark)
    return MappingProxyType(
        {subject: average_dynamics(items, policy) for subject, items in sorted(grouped.items())}
    )
