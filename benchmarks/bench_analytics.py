"""Bulk analytics on a Parquet folder: Ibis on DuckDB vs hand-written DuckDB SQL, Polars, pandas.

Run as a script on a folder written by ``eschool synth --size district DIR``::

    .venv/bin/python benchmarks/bench_analytics.py DIR [ROUNDS]

It runs each implementation in its own process and prints, for period marks and
timeliness, the median and min-max wall time, the median CPU time (all threads) and the
peak memory of that process, and its result (proposals, or late marks) for comparison.
The Ibis and SQL implementations compute the same tables; the Polars and pandas ones
compute the period-mark groups and the late counts only (less work than the others).
"""

from __future__ import annotations

import math
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from eschool_core.analytics import Dataset, period_marks, timeliness
from eschool_core.profiles import default_profile

_POLICY = default_profile().grading
_SCALE = math.lcm(*(t.weight.denominator for t in _POLICY.work_types.values()))
_WEIGHTS = {code: int(t.weight * _SCALE) for code, t in _POLICY.work_types.items()}
_OFFSET = 3 * 3600  # Europe/Moscow


def _case_sql() -> str:
    branches = " ".join(f"WHEN '{code}' THEN {w}" for code, w in sorted(_WEIGHTS.items()))
    return f"CASE work_type {branches} END"


def _thresholds_sql(total: str, weight: str) -> str:
    items = sorted(_POLICY.period_rounding.thresholds.items(), reverse=True)
    cases = " ".join(
        f"WHEN {total} * {limit.denominator} >= {weight} * {limit.numerator} THEN '{mark}'"
        for mark, limit in items
    )
    return f"CASE {cases} ELSE '1' END"


def ibis_period_marks(folder: Path) -> int:
    data = Dataset.from_parquet(folder)
    return int(period_marks(data, _POLICY).to_pyarrow().num_rows)


def ibis_timeliness(folder: Path) -> int:
    data = Dataset.from_parquet(folder)
    return int(sum(timeliness(data).to_pyarrow().column("late").to_pylist()))


def sql_period_marks(folder: Path) -> int:
    con = duckdb.connect()
    minimum = "CASE p.kind WHEN 'half_year' THEN 5 ELSE 3 END"
    query = f"""
    WITH m AS (
      SELECT k.school_id, k.student_id, k.subject_id, k.value, c.parallel, k.date,
             TRY_CAST(k.value AS INTEGER) AS score,
             COALESCE(k.weight_num * ({_SCALE} // k.weight_den), {_case_sql()}) AS w
      FROM '{folder}/marks.parquet' k
      JOIN '{folder}/memberships.parquet' s ON s.student_id = k.student_id
        AND k.date >= s.since AND (s.until IS NULL OR k.date <= s.until)
      JOIN '{folder}/classes.parquet' c ON c.id = s.class_id
    ), g AS (
      SELECT m.school_id, student_id, subject_id, p.code AS period, p.kind,
             count(score) AS n, coalesce(sum(score * w) FILTER (score IS NOT NULL), 0) AS t,
             coalesce(sum(w) FILTER (score IS NOT NULL), 0) AS ws,
             bool_or(value = 'осв') AS ex, bool_or(value IN ('зач', 'незач')) AS pf
      FROM m JOIN '{folder}/periods.parquet' p ON p.school_id = m.school_id
        AND p.parallel = m.parallel AND m.date BETWEEN p.start AND p."end"
      GROUP BY ALL
    )
    SELECT school_id, student_id, subject_id, period,
      CASE WHEN n > 0 AND n >= (CASE kind WHEN 'half_year' THEN 5 ELSE 3 END)
           THEN {_thresholds_sql("t", "ws")}
           WHEN n = 0 AND ex THEN 'осв' WHEN n = 0 AND pf THEN NULL ELSE 'н/а' END AS value,
      n, t, ws
    FROM g
    """
    del minimum
    return int(con.sql(query).to_arrow_table().num_rows)


def sql_timeliness(folder: Path) -> int:
    # The same table as the Ibis timeliness: school, teacher, class, month, marks, late,
    # excused (a valid reason, in time); integer epoch microseconds, floor division.
    con = duckdb.connect()
    day = 86_400_000_000
    query = f"""
    WITH m AS (
      SELECT k.school_id, k.author_id, s.class_id, k.date,
             (epoch_us(k.entered_at) + {_OFFSET * 1_000_000}) // {day}
               - (k.date - DATE '1970-01-01') AS delay,
             k.late_reason IS NOT NULL AS reason
      FROM '{folder}/marks.parquet' k
      JOIN '{folder}/memberships.parquet' s ON s.student_id = k.student_id
        AND k.date >= s.since AND (s.until IS NULL OR k.date <= s.until)
    )
    SELECT school_id, author_id AS teacher_id, class_id,
      CAST(date_trunc('month', date) AS DATE) AS month, count(*) AS marks,
      count(*) FILTER ((delay > 0 AND NOT reason) OR delay > 3) AS late,
      count(*) FILTER (reason AND delay > 0 AND delay <= 3) AS excused
    FROM m GROUP BY ALL
    """
    table = con.sql(query).to_arrow_table()
    return int(sum(table.column("late").to_pylist()))


def polars_period_marks(folder: Path) -> int:
    import polars as pl

    marks = pl.scan_parquet(folder / "marks.parquet")
    members = pl.scan_parquet(folder / "memberships.parquet")
    classes = pl.scan_parquet(folder / "classes.parquet").select(
        pl.col("id").alias("class_id"), "parallel"
    )
    periods = pl.scan_parquet(folder / "periods.parquet")
    weight = pl.col("work_type").replace_strict(_WEIGHTS, default=0, return_dtype=pl.Int64)
    own = pl.col("weight_num") * (pl.lit(_SCALE) // pl.col("weight_den"))
    joined = (
        marks.join(members.select("student_id", "class_id", "since", "until"), on="student_id")
        .filter(
            (pl.col("date") >= pl.col("since"))
            & (pl.col("until").is_null() | (pl.col("date") <= pl.col("until")))
        )
        .join(classes, on="class_id")
        .join(periods, on=["school_id", "parallel"])
        .filter(pl.col("date").is_between(pl.col("start"), pl.col("end")))
        .with_columns(
            score=pl.col("value").cast(pl.Int64, strict=False),
            w=pl.when(pl.col("weight_num").is_null()).then(weight).otherwise(own),
        )
    )
    scored = pl.col("score").is_not_null()
    grouped = joined.group_by("school_id", "student_id", "subject_id", "code", "kind").agg(
        n=pl.col("score").count(),
        t=(pl.col("score") * pl.col("w")).filter(scored).sum(),
        ws=pl.col("w").filter(scored).sum(),
    )
    items = sorted(_POLICY.period_rounding.thresholds.items(), reverse=True)
    expr = pl.lit("1")
    for mark, limit in reversed(items):
        expr = (
            pl.when(pl.col("t") * limit.denominator >= pl.col("ws") * limit.numerator)
            .then(pl.lit(str(mark)))
            .otherwise(expr)
        )
    minimum = pl.when(pl.col("kind") == "half_year").then(5).otherwise(3)
    result = grouped.with_columns(
        value=pl.when((pl.col("n") > 0) & (pl.col("n") >= minimum))
        .then(expr)
        .otherwise(pl.lit("н/а"))
    ).collect()
    return int(result.height)


def polars_timeliness(folder: Path) -> int:
    import polars as pl

    marks = pl.scan_parquet(folder / "marks.parquet")
    members = pl.scan_parquet(folder / "memberships.parquet")
    local = (pl.col("entered_at").dt.epoch("s") + _OFFSET) // 86400
    delay = local - pl.col("date").cast(pl.Int64)
    late = ((delay > 0) & pl.col("late_reason").is_null()) | (delay > 3)
    result = (
        marks.join(members.select("student_id", "class_id", "since", "until"), on="student_id")
        .filter(
            (pl.col("date") >= pl.col("since"))
            & (pl.col("until").is_null() | (pl.col("date") <= pl.col("until")))
        )
        .group_by("author_id", "class_id", pl.col("date").dt.truncate("1mo"))
        .agg(marks=pl.len(), late=late.sum())
        .collect()
    )
    return int(result["late"].sum())


def pandas_period_marks(folder: Path) -> int:
    import pandas as pd

    columns = ["school_id", "student_id", "subject_id", "date", "value", "work_type"]
    marks = pd.read_parquet(folder / "marks.parquet", columns=[*columns, "weight_num"])
    members = pd.read_parquet(folder / "memberships.parquet")[["student_id", "class_id"]]
    classes = pd.read_parquet(folder / "classes.parquet")[["id", "parallel"]]
    periods = pd.read_parquet(folder / "periods.parquet")
    frame = marks.merge(members, on="student_id").merge(
        classes.rename(columns={"id": "class_id"}), on="class_id"
    )
    frame = frame.merge(periods, on=["school_id", "parallel"])
    frame = frame[(frame["date"] >= frame["start"]) & (frame["date"] <= frame["end"])]
    frame = frame.assign(
        score=pd.to_numeric(frame["value"], errors="coerce"),
        w=frame["work_type"].map(_WEIGHTS),
    )
    frame = frame.assign(
        tw=frame["score"] * frame["w"], sw=frame["w"].where(frame["score"].notna())
    )
    grouped = frame.groupby(["school_id", "student_id", "subject_id", "code", "kind"]).agg(
        n=("score", "count"), t=("tw", "sum"), ws=("sw", "sum")
    )
    return len(grouped)


def pandas_timeliness(folder: Path) -> int:
    import pandas as pd

    marks = pd.read_parquet(
        folder / "marks.parquet",
        columns=["student_id", "date", "author_id", "entered_at", "late_reason"],
    )
    members = pd.read_parquet(folder / "memberships.parquet")[["student_id", "class_id"]]
    frame = marks.merge(members, on="student_id")
    local = (frame["entered_at"].astype("int64") // 10**6 + _OFFSET) // 86400
    days = (pd.to_datetime(frame["date"]) - pd.Timestamp("1970-01-01")).dt.days
    delay = local - days
    frame["late"] = ((delay > 0) & frame["late_reason"].isna()) | (delay > 3)
    frame["month"] = pd.to_datetime(frame["date"]).dt.to_period("M")
    grouped = frame.groupby(["author_id", "class_id", "month"])["late"].sum()
    return int(grouped.sum())


_IMPLEMENTATIONS: dict[str, Callable[[Path], int]] = {
    "period marks: Ibis on DuckDB": ibis_period_marks,
    "period marks: DuckDB SQL": sql_period_marks,
    "period marks: Polars": polars_period_marks,
    "period marks: pandas": pandas_period_marks,
    "timeliness: Ibis on DuckDB": ibis_timeliness,
    "timeliness: DuckDB SQL": sql_timeliness,
    "timeliness: Polars": polars_timeliness,
    "timeliness: pandas": pandas_timeliness,
}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measure_one(name: str, folder: Path, rounds: int) -> None:
    """Run one implementation ``rounds`` times in this process and print its line."""
    function = _IMPLEMENTATIONS[name]
    walls, cpus = [], []
    result = 0
    for _ in range(rounds):
        start, cpu = time.perf_counter(), _cpu()
        result = function(folder)
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(
        f"{name}: median {statistics.median(walls):.2f} s "
        f"(min {min(walls):.2f}, max {max(walls):.2f}, {rounds} rounds); "
        f"CPU median {statistics.median(cpus):.2f} s; result {result}; peak RSS {peak:.2f} GiB",
        flush=True,
    )


def main() -> None:
    """Run each selected implementation in its own process (its own peak memory)."""
    if sys.argv[1] == "--one":
        _measure_one(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]))
        return
    folder = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    only = set(sys.argv[3].split(",")) if len(sys.argv) > 3 else None
    for name in _IMPLEMENTATIONS:
        if only is not None and not any(word in name for word in only):
            continue
        command = [sys.executable, __file__, "--one", name, str(folder), str(rounds)]
        subprocess.run(command, check=True)  # noqa: S603 - this script, by its own path


if __name__ == "__main__":
    main()
