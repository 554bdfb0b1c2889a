# ruff: noqa: E402 - the optional modules are checked before the submodules import them
"""Bulk analytics: the grading and journal rules over a district's or a region's data.

The rules are written once as Ibis expressions over a documented columnar schema
(:data:`SCHEMAS`, docs/analytics.md) and run on DuckDB in-process (the default), on Spark,
or on PostgreSQL over the SQL store's own tables (:meth:`Dataset.from_store`); any store
(the embedded SQLite file, the memory store) is read through its repositories onto DuckDB
or Spark (:meth:`Dataset.from_entities`). Their results equal the per-object API's exactly
(period-mark proposals, class statistics, R8.6 timeliness). Needs the ``analytics`` extra
(Ibis, DuckDB, PyArrow, matplotlib); Spark needs the ``spark`` extra and Java, PostgreSQL
the ``sql`` extra.

>>> from eschool_core.synth import generate
>>> from eschool_core.profiles import default_profile
>>> data = Dataset.from_school(generate("small", seed=1))
>>> marks = period_marks(data, default_profile().grading).to_pyarrow()
>>> sorted(set(marks.column("value").to_pylist()) - {None})
['2', '3', '4', '5', 'н/а']
"""

from eschool_core._extras import require

for _module in ("ibis", "duckdb", "pyarrow", "matplotlib"):
    require(_module, "analytics")  # a MissingExtraError naming the extra, before any submodule
del _module

from eschool_core.analytics._analyze import analyze
from eschool_core.analytics._anonymise import pseudonymise_tables
from eschool_core.analytics._arrow import (
    PERIOD_KINDS,
    calendar_table,
    period_kind,
    school_tables,
)
from eschool_core.analytics._class_marks import class_marks, class_marks_table
from eschool_core.analytics._data import Dataset, Engine
from eschool_core.analytics._export import SCHOOLS_PER_SCALE, Scale, write_parquet
from eschool_core.analytics._plots import PLOT_SUFFIXES, PLOTTED_ANALYSES, check_plot, plot
from eschool_core.analytics._result import Analysis, ResultTable
from eschool_core.analytics._rules import (
    attendance_register,
    class_statistics,
    completeness,
    late_marks,
    period_marks,
    timeliness,
)
from eschool_core.analytics._schema import SCHEMAS, TABLE_NAMES, schema_of
from eschool_core.analytics._store import connect_store

__all__ = [
    "PERIOD_KINDS",
    "PLOTTED_ANALYSES",
    "PLOT_SUFFIXES",
    "SCHEMAS",
    "SCHOOLS_PER_SCALE",
    "TABLE_NAMES",
    "Analysis",
    "Dataset",
    "Engine",
    "ResultTable",
    "Scale",
    "analyze",
    "attendance_register",
    "calendar_table",
    "check_plot",
    "class_marks",
    "class_marks_table",
    "class_statistics",
    "completeness",
    "connect_store",
    "late_marks",
    "period_kind",
    "period_marks",
    "plot",
    "pseudonymise_tables",
    "schema_of",
    "school_tables",
    "timeliness",
    "write_parquet",
]
