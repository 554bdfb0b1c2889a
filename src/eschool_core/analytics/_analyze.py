"""One entry point for the CLI and notebooks: run an analysis and get a typed table."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from eschool_core.analytics._data import Dataset
from eschool_core.analytics._result import Analysis, ResultTable
from eschool_core.analytics._rules import (
    attendance_register,
    class_statistics,
    completeness,
    period_marks,
    timeliness,
)
<<<<<<< HEAD
from eschool_core.deadlines import EntryDeadlines
=======
from eschool_core.errors import ValidationError
>>>>>>> robust-input
from eschool_core.grading import GradingPolicy

__all__ = ["analyze"]


def _no_progress(_stage: str) -> None:
    """Ignore progress reports."""


def analyze(
    data: Dataset,
    what: Analysis | str,
    policy: GradingPolicy,
    *,
    deadlines: EntryDeadlines | None = None,
    progress: Callable[[str], None] | None = None,
) -> ResultTable:
    """Run one analysis on the data's engine and return its result.

    Args:
        data: The tables on an engine.
        what: ``period-marks``, ``quality`` (of the proposed period marks), ``timeliness``,
            ``completeness`` or ``attendance``.
        policy: The grading policy (period marks and quality).
        deadlines: The entry deadlines (timeliness, R8.6; attendance, R8.5.1): the profile's
            ``profile.deadlines.entry_deadlines``; by default the regulation's.
        progress: Called with the stage's name: ``"plan"``, ``"run"``, ``"done"``.

    Raises:
        ValidationError: For an unknown work type or own weight (period marks, quality),
            or data that DuckDB cannot read (``analytics.unreadable``: a damaged Parquet file).

    >>> from eschool_core.synth import generate
    >>> from eschool_core.profiles import default_profile
    >>> school = generate("small", seed=2)
    >>> result = analyze(Dataset.from_school(school), "timeliness", default_profile().grading)
    >>> sum(result.data.column("late").to_pylist()) == school.stats.marks_late
    True
    """
    report = progress or _no_progress
    analysis = Analysis(what)
    report("plan")
    if analysis is Analysis.PERIOD_MARKS:
        expression = period_marks(data, policy)
    elif analysis is Analysis.QUALITY:
        expression = class_statistics(data, period_marks(data, policy))
    elif analysis is Analysis.TIMELINESS:
        expression = timeliness(data, deadlines=deadlines)
    elif analysis is Analysis.COMPLETENESS:
        expression = completeness(data)
    else:
        expression = attendance_register(data, deadlines=deadlines)
    report("run")
    try:
        table = expression.to_pyarrow()
    except duckdb.Error as error:  # a damaged data page of a Parquet input, a bad value
        raise ValidationError(
            f"Данные не читаются: {str(error).splitlines()[0]}",
            f"The data cannot be read: {str(error).splitlines()[0]}",
            code="analytics.unreadable",
            details={"engine_error": type(error).__name__},
        ) from error
    report("done")
    return ResultTable(analysis=analysis, data=table)
