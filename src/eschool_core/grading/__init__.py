"""Grading: marks, weighted averages, exact rounding, attestation marks, forecasts, statistics.

The rules of R2.2j (objective period and final marks through the weighted average mark;
forecasts of a student's and a class's performance), R2.2k and R11.5 (class statistics, the
average mark and its dynamics) and R8.4.1/R8.9 (period, annual, exam and final marks).

A school's rules are a :class:`GradingPolicy` (work types and weights, weight range,
rounding schemes, minimum marks per period, allowed deviation), which the profile loader
builds from the ``[grading]`` section; this package never reads profiles.

Mark semantics: a score 1-5 counts in averages; «н/а» has no number but counts in the
denominators of class statistics; «осв» is excluded everywhere; «зач»/«незач» never enter
averages; a double mark «5/4» is two independent marks.

>>> from eschool_core.grading._examples import example_mark
>>> policy = GradingPolicy.default()
>>> weighted_average([example_mark(5, weight=2), example_mark(3)], policy)
Fraction(13, 3)
"""

from eschool_core.grading._attestation import (
    PeriodKey,
    PeriodSpan,
    ProposedMark,
    propose_annual_mark,
    propose_final_mark_basic,
    propose_final_mark_secondary,
    propose_period_mark,
    propose_period_marks,
)
from eschool_core.grading._average import (
    AverageExplanation,
    Contribution,
    DynamicsPoint,
    ExcludedMark,
    average_dynamics,
    average_dynamics_by_subject,
    counts_in_average,
    explain_average,
    plain_average,
    weighted_average,
)
from eschool_core.grading._deviation import MarkDeviation, check_deviation, find_deviations
from eschool_core.grading._forecast import ClassForecast, MarksNeeded, forecast_class, marks_needed
from eschool_core.grading._format import exact_text, format_decimal, format_percent
from eschool_core.grading._policy import (
    GradingPolicy,
    RoundingPolicy,
    RoundingScheme,
    WorkType,
    require_score,
)
from eschool_core.grading._statistics import (
    OFFICIAL_STATISTICS,
    SOU_COEFFICIENTS,
    STATISTIC_DEFINITIONS,
    AllSubjectsStatistics,
    MarkStatistics,
    StatisticBasis,
    StatisticDefinition,
    all_subjects_statistics,
    mark_statistics,
)

__all__ = [
    "OFFICIAL_STATISTICS",
    "SOU_COEFFICIENTS",
    "STATISTIC_DEFINITIONS",
    "AllSubjectsStatistics",
    "AverageExplanation",
    "ClassForecast",
    "Contribution",
    "DynamicsPoint",
    "ExcludedMark",
    "GradingPolicy",
    "MarkDeviation",
    "MarkStatistics",
    "MarksNeeded",
    "PeriodKey",
    "PeriodSpan",
    "ProposedMark",
    "RoundingPolicy",
    "RoundingScheme",
    "StatisticBasis",
    "StatisticDefinition",
    "WorkType",
    "all_subjects_statistics",
    "average_dynamics",
    "average_dynamics_by_subject",
    "check_deviation",
    "counts_in_average",
    "exact_text",
    "explain_average",
    "find_deviations",
    "forecast_class",
    "format_decimal",
    "format_percent",
    "mark_statistics",
    "marks_needed",
    "plain_average",
    "propose_annual_mark",
    "propose_final_mark_basic",
    "propose_final_mark_secondary",
    "propose_period_mark",
    "propose_period_marks",
    "require_score",
    "weighted_average",
]
