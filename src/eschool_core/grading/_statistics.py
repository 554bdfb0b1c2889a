"""Class statistics of attestation marks (R2.2k, R11.5): успеваемость, качество, СОУ.

Formulas, as the widely used e-journals and Russian school reporting define them, over
``N`` = students − exempt («осв») − students without a mark:

- **успеваемость** (success rate) = (N − n(«2», «1», «незач», «н/а»)) / N: the share of
  students without a failing mark and without «н/а»;
- **качество знаний** (quality) = (n5 + n4) / N_scored: the share of «4» and «5»;
- **СОУ** (степень обученности учащихся, by В. П. Симонов) =
  (100·n5 + 64·n4 + 36·n3 + 16·n2 + 7·n(н/а)) / N_scored, in percent;
- **средний балл** = Σ scores / number of scores («н/а» has no number and is left out).

``N_scored`` counts the students with a score or «н/а»; a pass/fail subject has no
quality and no СОУ (they are ``None``). A score of 1 (rare for attestation marks) counts
as failing and enters СОУ with the coefficient of «2». Every figure is an exact
``Fraction``; :func:`~eschool_core.grading.format_percent` formats it at the edge.

Over several subjects the figures depend on what is counted, so each way is a named
:class:`StatisticDefinition` (:data:`STATISTIC_DEFINITIONS`), and every output that prints
the figures says which one it used:

- **per pupil, by period marks** (:attr:`StatisticBasis.PER_PUPIL`, the regulation's, used by
  every official report): each pupil counted once by his period marks in all subjects —
  успеваемость and качество are shares of pupils (:attr:`AllSubjectsStatistics.by_student`),
  the average mark and СОУ are taken over all his period marks;
- **per mark** (:attr:`StatisticBasis.PER_MARK`): each period mark counted on its own;
- **per proposed mark** (:attr:`StatisticBasis.PER_PROPOSED_MARK`): each mark the grading
  policy proposes from the current marks (forecasts and analytics, before the period ends).

Within one subject every pupil has one mark, so the three agree there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

import attrs

from eschool_core.grading._format import format_decimal, format_percent
from eschool_core.ids import StudentId
from eschool_core.journal import MarkKind, MarkValue

__all__ = [
    "OFFICIAL_STATISTICS",
    "SOU_COEFFICIENTS",
    "STATISTIC_DEFINITIONS",
    "AllSubjectsStatistics",
    "MarkStatistics",
    "StatisticBasis",
    "StatisticDefinition",
    "all_subjects_statistics",
    "mark_statistics",
]

SOU_COEFFICIENTS: Mapping[str, int] = MappingProxyType(
    {"5": 100, "4": 64, "3": 36, "2": 16, "1": 16, "н/а": 7}
)
"""The coefficients of СОУ (В. П. Симонов) per mark, in percent."""


class StatisticBasis(StrEnum):
    """What the figures over several subjects count (see :data:`STATISTIC_DEFINITIONS`)."""

    PER_PUPIL = "per_pupil"
    """Each pupil once, by his period marks (the regulation's)."""
    PER_MARK = "per_mark"
    """Each period mark on its own."""
    PER_PROPOSED_MARK = "per_proposed_mark"
    """Each mark proposed from the current marks."""


@attrs.frozen(kw_only=True)
class StatisticDefinition:
    """A named definition of успеваемость, качество знаний, СОУ and the average mark (R2.2k).

    Attributes:
        basis: What is counted.
        name_ru: The definition as a printed label says it, in Russian.
        name_en: The same in English.
        source: The clause or official form it comes from, in Russian.
        source_en: The same in English.
        official: Whether an official report (one the regulation names) uses it.
    """

    basis: StatisticBasis = attrs.field(converter=StatisticBasis)
    name_ru: str
    name_en: str
    source: str
    source_en: str
    official: bool = False

    def label(self, language: str = "ru") -> str:
        """Return the label printed beside the figures: the definition and its source.

        >>> STATISTIC_DEFINITIONS[StatisticBasis.PER_MARK].label("en")
        'Figures per mark: each period mark counted on its own (common e-journal practice)'
        """
        if language == "ru":
            return f"Показатели {self.name_ru} ({self.source})"
        return f"Figures {self.name_en} ({self.source_en})"


STATISTIC_DEFINITIONS: Mapping[StatisticBasis, StatisticDefinition] = MappingProxyType(
    {
        StatisticBasis.PER_PUPIL: StatisticDefinition(
            basis=StatisticBasis.PER_PUPIL,
            name_ru=(
                "по учащимся, по отметкам за период: успеваемость и качество знаний — доли "
                "учащихся (без «2» и «н/а»; только «4» и «5»), средний балл и СОУ — "
                "по всем их отметкам за период"
            ),
            name_en=(
                "per pupil, by period marks: success rate and quality are shares of pupils "
                "(no «2» or «n/a»; only «4» and «5»), the average and the degree of learning "
                "over all their period marks"
            ),
            source="п. 11.5 Положения, отчёт «Итоги успеваемости и качества знаний»",
            source_en="clause 11.5 of the regulation, the report «Итоги успеваемости и "
            "качества знаний»",
            official=True,
        ),
        StatisticBasis.PER_MARK: StatisticDefinition(
            basis=StatisticBasis.PER_MARK,
            name_ru="по отметкам: каждая отметка за период считается отдельно",
            name_en="per mark: each period mark counted on its own",
            source="распространённая практика электронных журналов",
            source_en="common e-journal practice",
        ),
        StatisticBasis.PER_PROPOSED_MARK: StatisticDefinition(
            basis=StatisticBasis.PER_PROPOSED_MARK,
            name_ru=(
                "по предлагаемым отметкам: каждая отметка, которую политика оценивания "
                "предлагает по текущим отметкам, считается отдельно"
            ),
            name_en=(
                "per proposed mark: each mark the grading policy proposes from the current "
                "marks counted on its own"
            ),
            source="прогноз по п. 8.9 Положения, до выставления отметок за период",
            source_en="a forecast under clause 8.9, before the period marks are set",
        ),
    }
)
"""Every definition of the statistics by its basis; the reports, the demo and analytics use them."""

OFFICIAL_STATISTICS: StatisticDefinition = STATISTIC_DEFINITIONS[StatisticBasis.PER_PUPIL]
"""The regulation's definition, used wherever a report is official."""


def _ratio(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


@attrs.frozen(kw_only=True)
class MarkStatistics:
    """Counts and figures of one set of marks, one per student (R2.2k).

    Attributes:
        students: All students given (with or without a mark).
        counts: How many students have each mark (``"5"`` ... ``"1"``, ``"н/а"``, ``"осв"``,
            ``"зач"``, ``"незач"``).
        without_marks: Students with no mark at all.
    """

    students: int
    counts: Mapping[str, int]
    without_marks: int

    def count(self, mark: str) -> int:
        """Return how many students have ``mark`` (its written form)."""
        return self.counts.get(mark, 0)

    @property
    def considered(self) -> int:
        """``N``: students − exempt − students without marks."""
        return self.students - self.count("осв") - self.without_marks

    @property
    def scored(self) -> int:
        """Students with a score or «н/а» (the denominator of quality and СОУ)."""
        return sum(self.count(str(score)) for score in range(1, 6)) + self.count("н/а")

    @property
    def average(self) -> Fraction | None:
        """The mean of the scores, ``None`` without scores."""
        total = sum(score * self.count(str(score)) for score in range(1, 6))
        number = sum(self.count(str(score)) for score in range(1, 6))
        return _ratio(total, number)

    @property
    def success_rate(self) -> Fraction | None:
        """Успеваемость: the share of ``N`` without «2», «1», «незач» and «н/а»."""
        failing = sum(self.count(mark) for mark in ("2", "1", "незач", "н/а"))
        return _ratio(self.considered - failing, self.considered)

    @property
    def quality(self) -> Fraction | None:
        """Качество знаний: the share of «4» and «5» among the scored students."""
        return _ratio(self.count("5") + self.count("4"), self.scored)

    @property
    def sou(self) -> Fraction | None:
        """СОУ in percent (0-100), ``None`` without scored students."""
        total = sum(weight * self.count(mark) for mark, weight in SOU_COEFFICIENTS.items())
        return _ratio(total, self.scored)

    def summary(self, language: str = "ru") -> Mapping[str, str]:
        """Return the figures formatted for a report (percent with two decimals, half-up)."""
        ru = language == "ru"
        dash = "—"

        def percent(value: Fraction | None) -> str:
            return dash if value is None else format_percent(value, language)

        average = self.average
        sou = self.sou
        return MappingProxyType(
            {
                ("Средний балл" if ru else "Average mark"): (
                    dash if average is None else format_decimal(average, 2, language)
                ),
                ("Успеваемость" if ru else "Success rate"): percent(self.success_rate),
                ("Качество знаний" if ru else "Quality"): percent(self.quality),
                ("СОУ" if ru else "Degree of learning"): percent(
                    None if sou is None else sou / 100
                ),
            }
        )


def mark_statistics(marks: Iterable[MarkValue | None]) -> MarkStatistics:
    """Return the statistics of marks given one per student (``None``: no mark) (R2.2k).

    >>> marks = [MarkValue.parse(text) for text in ("5", "4", "3", "2", "н/а", "осв")]
    >>> stats = mark_statistics([*marks, None])
    >>> stats.considered, stats.success_rate, stats.quality, stats.sou
    (5, Fraction(3, 5), Fraction(2, 5), Fraction(223, 5))
    """
    counts: dict[str, int] = {}
    students = 0
    without = 0
    for mark in marks:
        students += 1
        if mark is None:
            without += 1
            continue
        key = str(mark)
        counts[key] = counts.get(key, 0) + 1
    order = [
        "5",
        "4",
        "3",
        "2",
        "1",
        *(kind.value for kind in MarkKind if kind is not MarkKind.SCORE),
    ]
    return MarkStatistics(
        students=students,
        counts=MappingProxyType({key: counts[key] for key in order if key in counts}),
        without_marks=without,
    )


_SEVERITY = {"н/а": 0, "незач": 1, "1": 1, "2": 2, "3": 3, "4": 4, "зач": 5, "5": 5}


@attrs.frozen(kw_only=True)
class AllSubjectsStatistics:
    """Statistics over all subjects of a class or a parallel (R2.2k, R11.5).

    Attributes:
        by_mark: Every (student, subject) mark counted once: the average mark and СОУ.
        by_student: Each student counted once with his worst mark: успеваемость is the share
            of students with no failing mark and no «н/а» in any subject, качество the share
            with only «4» and «5».
    """

    by_mark: MarkStatistics
    by_student: MarkStatistics

    def summary(self, language: str = "ru") -> Mapping[str, str]:
        """Return the figures of :data:`OFFICIAL_STATISTICS` formatted for output.

        Success rate and quality by pupil, the average mark and СОУ by mark, as
        :meth:`MarkStatistics.summary` formats them.

        >>> five, two = MarkValue.of(5), MarkValue.of(2)
        >>> all_subjects_statistics({"a": [five, five], "b": [five, two]}).summary()["Успеваемость"]
        '50,00 %'
        """
        marks = self.by_mark.summary(language)
        pupils = self.by_student.summary(language)
        success, quality = (
            ("Успеваемость", "Качество знаний")
            if language == "ru"
            else (
                "Success rate",
                "Quality",
            )
        )
        return MappingProxyType({**marks, success: pupils[success], quality: pupils[quality]})


def all_subjects_statistics(
    marks_by_student: Mapping[StudentId, Iterable[MarkValue | None]],
) -> AllSubjectsStatistics:
    """Return the statistics over all subjects (one entry per student, his marks per subject).

    «осв» subjects are left out of a student's worst mark; a student exempt from every
    subject counts as exempt, one without any mark as without marks.

    >>> five, three = MarkValue.of(5), MarkValue.of(3)
    >>> stats = all_subjects_statistics({"a": [five, five], "b": [five, three]})
    >>> stats.by_student.quality, stats.by_mark.average
    (Fraction(1, 2), Fraction(9, 2))
    """
    cells: list[MarkValue | None] = []
    worst: list[MarkValue | None] = []
    for marks in marks_by_student.values():
        own = [mark for mark in marks if mark is not None]
        cells.extend(own)
        graded = [mark for mark in own if mark.kind is not MarkKind.EXEMPT]
        if graded:
            worst.append(min(graded, key=lambda mark: _SEVERITY[str(mark)]))
        elif own:
            worst.append(own[0])
        else:
            worst.append(None)
    return AllSubjectsStatistics(by_mark=mark_statistics(cells), by_student=mark_statistics(worst))
