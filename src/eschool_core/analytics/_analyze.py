"""One entry point for the CLI and notebooks: run an analysis and get a typed table."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from eschool_core.analytics._data import Dataset
from eschool_core.analytics._errors import ANALYTICS_UNREADABLE
from eschool_core.analytics._result import Analysis, ResultTable
from eschool_core.analytics._rules import (
    attendance_register,
    class_statistics,
    completeness,
    period_marks,
    timeliness,
    with_period_class,
)
from eschool_core.profiles import ProfileRules

__all__ = ["analyze", "dataset_names"]


def _no_progress(_stage: str) -> None:
    """Ignore progress reports."""


def analyze(
    data: Dataset,
    what: Analysis | str,
    rules: ProfileRules,
    *,
    progress: Callable[[str], None] | None = None,
) -> ResultTable:
    """Run one analysis on the data's engine and return its result.

    Args:
        data: The tables on an engine.
        what: ``period-marks``, ``quality`` (of the proposed period marks), ``timeliness``,
            ``completeness`` or ``attendance``.
        rules: The profile's rules of the year (:func:`~eschool_core.profiles.rules_for`):
            its grading policy (period marks and quality) and its entry deadlines
            (timeliness, R8.6; attendance, R8.5.1).
        progress: Called with the stage's name: ``"plan"``, ``"run"``, ``"done"``.

    Returns:
        The result, with a name column beside each school, class, subject, student and
        teacher id it has names for (``class_name`` «5А», :func:`dataset_names`). Period
        marks carry the student's class at the period's end. Every share (success rate,
        quality, СОУ, a late share) is a float 0..1.

    Raises:
        ValidationError: For an unknown work type or own weight (period marks, quality),
            or data that DuckDB cannot read (``analytics.unreadable``: a damaged Parquet file).

    >>> from eschool_core.synth import generate
    >>> from eschool_core.profiles import default_profile, rules_for
    >>> school = generate("small", seed=2)
    >>> rules = rules_for(default_profile(), school.academic_year)
    >>> result = analyze(Dataset.from_school(school), "timeliness", rules)
    >>> sum(result.data.column("late").to_pylist()) == school.stats.marks_late
    True
    """
    report = progress or _no_progress
    analysis = Analysis(what)
    report("plan")
    if analysis is Analysis.PERIOD_MARKS:
        expression = with_period_class(period_marks(data, rules.grading), data)
    elif analysis is Analysis.QUALITY:
        expression = class_statistics(data, period_marks(data, rules.grading))
    elif analysis is Analysis.TIMELINESS:
        expression = timeliness(data, deadlines=rules.deadlines)
    elif analysis is Analysis.COMPLETENESS:
        expression = completeness(data)
    else:
        expression = attendance_register(data, deadlines=rules.deadlines)
    report("run")
    try:
        table = expression.to_pyarrow()
    except duckdb.Error as error:  # a damaged data page of a Parquet input, a bad value
        raise ANALYTICS_UNREADABLE.error(
            details={"engine_error": type(error).__name__}, error=str(error).splitlines()[0]
        ) from error
    names = dataset_names(data)
    report("done")
    return ResultTable(analysis=analysis, data=table).with_names(names)


def dataset_names(data: Dataset) -> dict[str, dict[str, str]]:
    """Return the names the dataset holds, by id column: schools, classes (``5А``), subjects.

    Students and staff have no names in the analytics schema: a dataset read from a store
    or a generated school (:meth:`Dataset.from_entities`, :meth:`Dataset.from_school`)
    carries them (``student_id``, ``teacher_id``) and the school's short name, which win
    over the schema's full name; a folder of Parquet files has none of them.
    """
    schools = data.table("schools").select("id", "name").to_pyarrow().to_pylist()
    classes = data.table("classes").select("id", "parallel", "letter").to_pyarrow().to_pylist()
    subjects = data.table("subjects").select("id", "name").to_pyarrow().to_pylist()
    names = {
        "school_id": {str(r["id"]): str(r["name"]) for r in schools},
        "class_id": {str(r["id"]): f"{r['parallel']}{r['letter']}" for r in classes},
        "subject_id": {str(r["id"]): str(r["name"]) for r in subjects},
    }
    for column, known in data.names.items():
        names[column] = {**names.get(column, {}), **known}
    return names
