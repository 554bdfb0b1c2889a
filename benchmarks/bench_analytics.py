"""Bulk analytics on a Parquet folder: Ibis on DuckDB against DuckDB SQL, Polars, pandas, entities.

Run as a script on a folder written by ``eschool synth --size district DIR``::

    .venv/bin/python benchmarks/bench_analytics.py DIR [ROUNDS] [WORDS]

It runs each implementation in its own process and prints, for period marks and
timeliness, the median and min-max wall time, the median CPU time (all threads) and the
peak memory of that process, and a summary of its result. Every implementation computes
the same table (the same joins, the class on the mark's date, the same columns), so the
summaries must agree; the script fails when they do not. The per-object API computes the
same figures school by school from validated entities (``grading.propose_period_marks``,
``reports.mark_timeliness``), as a host without the bulk path would. The SQL, Polars and pandas
versions take the time zone offset of Moscow for every school (as the generator writes);
the Ibis rules read each school's zone.
"""

from __future__ import annotations

import datetime as dt
import math
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from eschool_core.analytics import Dataset, period_marks, timeliness
from eschool_core.grading import PeriodSpan, propose_period_marks
from eschool_core.journal import Mark
from eschool_core.profiles import default_profile
from eschool_core.reports import Timeliness, mark_timeliness

_POLICY = default_profile().grading
DEADLINES = default_profile().deadlines.entry_deadlines
_SCALE = math.lcm(*(t.weight.denominator for t in _POLICY.work_types.values()))
_WEIGHTS = {code: int(t.weight * _SCALE) for code, t in _POLICY.work_types.items()}
_THRESHOLDS = sorted(_POLICY.period_rounding.thresholds.items(), reverse=True)
_MINIMUM = dict(_POLICY.min_current_marks_by_kind)
_OFFSET = 3 * 3600  # Europe/Moscow, seconds
_DAY = 86_400
_EXTENSION = 3  # R8.6: calendar days a valid reason adds

Summary = tuple[int, ...]


def _sum(table: pa.Table, name: str) -> int:
    return int(pc.sum(table.column(name)).as_py() or 0)


def _period_summary(table: pa.Table) -> Summary:
    """Rows, Σ marks counted, Σ ⌊1000 · average⌋, proposals «5», proposals «н/а».

    The table has ``value``, ``count`` and the average as ``weighted_sum / weight_sum``.
    """
    value = table.column("value")
    fives = pc.sum(pc.equal(value, "5")).as_py() or 0
    not_attested = pc.sum(pc.equal(value, "н/а")).as_py() or 0
    averaged = table.filter(pc.greater(table.column("count"), 0))
    # Integer division of positive integers: the floor, exactly.
    permille = pc.divide(
        pc.multiply(averaged.column("weighted_sum").cast(pa.int64()), 1000),
        averaged.column("weight_sum").cast(pa.int64()),
    )
    return (
        table.num_rows,
        _sum(table, "count"),
        int(pc.sum(permille).as_py() or 0),
        int(fives),
        int(not_attested),
    )


def _timeliness_summary(table: pa.Table) -> Summary:
    """Rows, Σ marks, Σ late, Σ excused."""
    return (table.num_rows, *(_sum(table, name) for name in ("marks", "late", "excused")))


def ibis_period_marks(folder: Path) -> Summary:
    data = Dataset.from_parquet(folder)
    return _period_summary(period_marks(data, _POLICY).to_pyarrow())


def ibis_timeliness(folder: Path) -> Summary:
    data = Dataset.from_parquet(folder)
    return _timeliness_summary(timeliness(data, deadlines=DEADLINES).to_pyarrow())


def _minimum_sql(kind: str) -> str:
    cases = " ".join(f"WHEN '{k}' THEN {n}" for k, n in sorted(_MINIMUM.items()))
    return f"CASE {kind} {cases} ELSE {_POLICY.min_current_marks} END"


def sql_period_marks(folder: Path) -> Summary:
    con = duckdb.connect()
    weights = " ".join(f"WHEN '{code}' THEN {w}" for code, w in sorted(_WEIGHTS.items()))
    rounded = " ".join(
        f"WHEN t * {limit.denominator} >= ws * {limit.numerator} THEN '{mark}'"
        for mark, limit in _THRESHOLDS
    )
    query = f"""
    WITH m AS (
      SELECT k.school_id, k.student_id, k.subject_id, k.value, c.parallel, k.date,
             TRY_CAST(k.value AS INTEGER) AS score,
             COALESCE(k.weight_num * ({_SCALE} // k.weight_den),
                      CASE k.work_type {weights} ELSE 0 END) AS w
      FROM '{folder}/marks.parquet' k
      JOIN '{folder}/memberships.parquet' s ON s.student_id = k.student_id
        AND k.date >= s.since AND (s.until IS NULL OR k.date <= s.until)
      JOIN '{folder}/classes.parquet' c ON c.id = s.class_id
    ), g AS (
      SELECT m.school_id, student_id, subject_id, p.code AS period, p.kind,
             count(score) AS n, coalesce(sum(score * w), 0) AS t,
             coalesce(sum(w) FILTER (score IS NOT NULL), 0) AS ws,
             bool_or(value = 'осв') AS ex, bool_or(value IN ('зач', 'незач')) AS pf
      FROM m JOIN '{folder}/periods.parquet' p ON p.school_id = m.school_id
        AND p.parallel = m.parallel AND m.date BETWEEN p.start AND p."end"
      GROUP BY ALL
    )
    SELECT school_id, student_id, subject_id, period,
      CASE WHEN n > 0 AND n >= {_minimum_sql("kind")} THEN CASE {rounded} ELSE '1' END
           WHEN n = 0 AND ex THEN 'осв' WHEN n = 0 AND pf THEN NULL ELSE 'н/а' END AS value,
      n AS count, t AS weighted_sum, ws AS weight_sum
    FROM g
    """
    return _period_summary(con.sql(query).to_arrow_table())


def sql_timeliness(folder: Path) -> Summary:
    con = duckdb.connect()
    day = _DAY * 1_000_000
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
      count(*) FILTER ((delay > 0 AND NOT reason) OR delay > {_EXTENSION}) AS late,
      count(*) FILTER (reason AND delay > 0 AND delay <= {_EXTENSION}) AS excused
    FROM m GROUP BY ALL
    """
    return _timeliness_summary(con.sql(query).to_arrow_table())


def polars_period_marks(folder: Path) -> Summary:
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
        count=pl.col("score").count(),
        weighted_sum=(pl.col("score") * pl.col("w")).filter(scored).sum(),
        weight_sum=pl.col("w").filter(scored).sum(),
        ex=(pl.col("value") == "осв").any(),
        pf=pl.col("value").is_in(["зач", "незач"]).any(),
    )
    rounded: Any = pl.lit("1")
    for mark, limit in reversed(_THRESHOLDS):
        rounded = (
            pl.when(
                pl.col("weighted_sum") * limit.denominator >= pl.col("weight_sum") * limit.numerator
            )
            .then(pl.lit(str(mark)))
            .otherwise(rounded)
        )
    minimum = pl.col("kind").replace_strict(
        _MINIMUM, default=_POLICY.min_current_marks, return_dtype=pl.Int64
    )
    none = pl.col("count") == 0
    result = grouped.with_columns(
        value=pl.when((pl.col("count") > 0) & (pl.col("count") >= minimum))
        .then(rounded)
        .when(none & pl.col("ex"))
        .then(pl.lit("осв"))
        .when(none & pl.col("pf"))
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.lit("н/а"))
    ).collect()
    return _period_summary(result.to_arrow())


def polars_timeliness(folder: Path) -> Summary:
    import polars as pl

    marks = pl.scan_parquet(folder / "marks.parquet")
    members = pl.scan_parquet(folder / "memberships.parquet")
    local = (pl.col("entered_at").dt.epoch("s") + _OFFSET) // _DAY
    delay = local - pl.col("date").cast(pl.Int64)
    reason = pl.col("late_reason").is_not_null()
    late = ((delay > 0) & ~reason) | (delay > _EXTENSION)
    excused = reason & (delay > 0) & (delay <= _EXTENSION)
    result = (
        marks.join(members.select("student_id", "class_id", "since", "until"), on="student_id")
        .filter(
            (pl.col("date") >= pl.col("since"))
            & (pl.col("until").is_null() | (pl.col("date") <= pl.col("until")))
        )
        .group_by("school_id", "author_id", "class_id", pl.col("date").dt.truncate("1mo"))
        .agg(marks=pl.len(), late=late.sum(), excused=excused.sum())
        .collect()
    )
    return _timeliness_summary(result.to_arrow())


def _pandas_in_class(folder: Path, marks: Any) -> Any:
    """The marks joined with the class each student was in on the mark's date."""
    import pandas as pd

    members = pd.read_parquet(
        folder / "memberships.parquet",
        columns=["student_id", "class_id", "since", "until"],
        dtype_backend="pyarrow",
    )
    frame = marks.merge(members, on="student_id")
    keep = (frame["date"] >= frame["since"]) & (
        frame["until"].isna() | (frame["date"] <= frame["until"])
    )
    return frame[keep]


def pandas_period_marks(folder: Path) -> Summary:
    import pandas as pd

    columns = ["school_id", "student_id", "subject_id", "date", "value", "work_type"]
    marks = pd.read_parquet(
        folder / "marks.parquet",
        columns=[*columns, "weight_num", "weight_den"],
        dtype_backend="pyarrow",
    )
    frame = _pandas_in_class(folder, marks)
    classes = pd.read_parquet(
        folder / "classes.parquet", columns=["id", "parallel"], dtype_backend="pyarrow"
    )
    periods = pd.read_parquet(folder / "periods.parquet", dtype_backend="pyarrow")
    frame = frame.merge(classes.rename(columns={"id": "class_id"}), on="class_id")
    frame = frame.merge(periods, on=["school_id", "parallel"])
    frame = frame[(frame["date"] >= frame["start"]) & (frame["date"] <= frame["end"])]
    score = pd.to_numeric(frame["value"], errors="coerce")
    own = frame["weight_num"] * (_SCALE // frame["weight_den"])
    weight = own.fillna(frame["work_type"].map(_WEIGHTS)).fillna(0)
    scored = score.notna()
    frame = frame.assign(
        score=score,
        product=(score * weight).where(scored, 0),
        counted=weight.where(scored, 0),
        ex=frame["value"].eq("осв"),
        pf=frame["value"].isin(["зач", "незач"]),
    )
    keys = ["school_id", "student_id", "subject_id", "code", "kind"]
    grouped = (
        frame.groupby(keys, sort=False)
        .agg(
            count=("score", "count"),
            weighted_sum=("product", "sum"),
            weight_sum=("counted", "sum"),
            ex=("ex", "any"),
            pf=("pf", "any"),
        )
        .reset_index()
    )
    t = grouped["weighted_sum"].to_numpy(np.int64)
    ws = grouped["weight_sum"].to_numpy(np.int64)
    rounded = np.select(
        [t * limit.denominator >= ws * limit.numerator for _, limit in _THRESHOLDS],
        [str(mark) for mark, _ in _THRESHOLDS],
        default="1",
    )
    n = grouped["count"].to_numpy(np.int64)
    minimum = grouped["kind"].map(_MINIMUM).fillna(_POLICY.min_current_marks).to_numpy(np.int64)
    exempt, pass_fail = grouped["ex"].to_numpy(bool), grouped["pf"].to_numpy(bool)
    value = np.select(
        [(n > 0) & (n >= minimum), (n == 0) & exempt, (n == 0) & pass_fail],
        [rounded, np.full(n.shape, "осв", object), np.full(n.shape, None, object)],
        default="н/а",
    )
    result = pa.table(
        {"value": pa.array(value, pa.string()), "count": n, "weighted_sum": t, "weight_sum": ws}
    )
    return _period_summary(result)


def pandas_timeliness(folder: Path) -> Summary:
    import pandas as pd

    marks = pd.read_parquet(
        folder / "marks.parquet",
        columns=["school_id", "student_id", "date", "author_id", "entered_at", "late_reason"],
        dtype_backend="pyarrow",
    )
    frame = _pandas_in_class(folder, marks)
    entered = frame["entered_at"].astype("int64[pyarrow]") // 1_000_000
    days = frame["date"].astype("int32[pyarrow]")
    delay = (entered + _OFFSET) // _DAY - days
    reason = frame["late_reason"].notna()
    frame = frame.assign(
        late=((delay > 0) & ~reason) | (delay > _EXTENSION),
        excused=reason & (delay > 0) & (delay <= _EXTENSION),
        month=days.to_numpy("datetime64[D]").astype("datetime64[M]"),
    )
    grouped = (
        frame.groupby(["school_id", "author_id", "class_id", "month"], sort=False)
        .agg(marks=("late", "size"), late=("late", "sum"), excused=("excused", "sum"))
        .reset_index()
    )
    return _timeliness_summary(pa.Table.from_pandas(grouped[["marks", "late", "excused"]]))


def _schools(folder: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(
        folder / "schools.parquet", columns=["id", "time_zone"]
    ).to_pylist()
    return rows


def _school_rows(folder: Path, name: str, school_id: str) -> list[dict[str, Any]]:
    table = pq.read_table(folder / f"{name}.parquet", filters=[("school_id", "=", school_id)])
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def _school_marks(folder: Path, school_id: str) -> list[Mark]:
    """The school's current marks as entities (validated, as a host would hold them)."""
    return [
        Mark(
            id=row["id"],
            student_id=row["student_id"],
            subject_id=row["subject_id"],
            date=row["date"],
            value=row["value"],
            work_type=row["work_type"],
            author_id=row["author_id"],
            entered_at=row["entered_at"],
            lesson_id=row["lesson_id"],
            weight=None
            if row["weight_num"] is None
            else Fraction(row["weight_num"], row["weight_den"]),
            late_reason=row["late_reason"],
        )
        for row in _school_rows(folder, "marks", school_id)
    ]


def per_object_period_marks(folder: Path) -> Summary:
    """``grading.propose_period_marks`` school by school (each student's parallel's periods)."""
    rows: dict[str, list[Any]] = {"value": [], "count": [], "weighted_sum": [], "weight_sum": []}
    for school in _schools(folder):
        sid = school["id"]
        parallel = {c["id"]: c["parallel"] for c in _school_rows(folder, "classes", sid)}
        scheme_of = {
            m["student_id"]: str(parallel[m["class_id"]])
            for m in _school_rows(folder, "memberships", sid)
        }
        schemes: dict[str, list[PeriodSpan]] = {}
        for period in _school_rows(folder, "periods", sid):
            schemes.setdefault(str(period["parallel"]), []).append(
                PeriodSpan(
                    key=period["code"],
                    start=period["start"],
                    end=period["end"],
                    kind=period["kind"],
                )
            )
        proposals = propose_period_marks(
            _school_marks(folder, sid), schemes, _POLICY, scheme_of=scheme_of
        )
        for proposal in proposals.values():
            average = proposal.average
            rows["value"].append(None if proposal.value is None else str(proposal.value))
            rows["count"].append(proposal.count)
            rows["weighted_sum"].append(0 if average is None else average.numerator)
            rows["weight_sum"].append(1 if average is None else average.denominator)
    return _period_summary(pa.table(rows))


def per_object_timeliness(folder: Path) -> Summary:
    """``reports.mark_timeliness`` per mark, the class from the student's memberships."""
    counts: dict[tuple[str, str, str, dt.date], list[int]] = {}
    for school in _schools(folder):
        sid = school["id"]
        zone = ZoneInfo(school["time_zone"])
        spans: dict[str, list[tuple[dt.date, dt.date | None, str]]] = {}
        for member in _school_rows(folder, "memberships", sid):
            spans.setdefault(member["student_id"], []).append(
                (member["since"], member["until"], member["class_id"])
            )
        for mark in _school_marks(folder, sid):
            class_id = next(
                (
                    cid
                    for since, until, cid in spans.get(mark.student_id, ())
                    if since <= mark.date and (until is None or mark.date <= until)
                ),
                None,
            )
            if class_id is None:
                continue
            judged = mark_timeliness(mark, zone, DEADLINES)
            key = (sid, mark.author_id, class_id, mark.date.replace(day=1))
            row = counts.setdefault(key, [0, 0, 0])
            row[0] += 1
            row[1] += judged is Timeliness.LATE
            row[2] += judged is Timeliness.EXTENDED
    table = pa.table(
        {
            "marks": [row[0] for row in counts.values()],
            "late": [row[1] for row in counts.values()],
            "excused": [row[2] for row in counts.values()],
        }
    )
    return _timeliness_summary(table)


_IMPLEMENTATIONS: dict[str, Callable[[Path], Summary]] = {
    "period marks: Ibis on DuckDB": ibis_period_marks,
    "period marks: DuckDB SQL": sql_period_marks,
    "period marks: Polars": polars_period_marks,
    "period marks: pandas": pandas_period_marks,
    "period marks: per-object API": per_object_period_marks,
    "timeliness: Ibis on DuckDB": ibis_timeliness,
    "timeliness: DuckDB SQL": sql_timeliness,
    "timeliness: Polars": polars_timeliness,
    "timeliness: pandas": pandas_timeliness,
    "timeliness: per-object API": per_object_timeliness,
}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measure_one(name: str, folder: Path, rounds: int) -> None:
    """Run one implementation ``rounds`` times in this process and print its line."""
    function = _IMPLEMENTATIONS[name]
    walls, cpus = [], []
    result: Summary = ()
    for _ in range(rounds):
        start, cpu = time.perf_counter(), _cpu()
        result = function(folder)
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(
        f"{name}: median {statistics.median(walls):.2f} s "
        f"(min {min(walls):.2f}, max {max(walls):.2f}, {rounds} rounds); "
        f"CPU median {statistics.median(cpus):.2f} s; peak RSS {peak:.2f} GiB; "
        f"result {result}",
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
    results: dict[str, set[str]] = {}
    for name in _IMPLEMENTATIONS:
        if only is not None and not any(word in name for word in only):
            continue
        command = [sys.executable, __file__, "--one", name, str(folder), str(rounds)]
        done = subprocess.run(  # noqa: S603 - this script, by its own path
            command, check=False, capture_output=True, text=True
        )
        if done.returncode != 0:
            # Out of memory under a limit (`prlimit --as=...`) is a result worth a line.
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            print(f"{name}: failed (exit code {done.returncode}): {last}", flush=True)
            continue
        line = done.stdout.strip()
        print(line, flush=True)
        results.setdefault(name.split(":")[0], set()).add(line.rsplit("result ", 1)[1])
    differing = [computation for computation, found in results.items() if len(found) > 1]
    if differing:
        sys.exit(f"the implementations disagree on: {', '.join(differing)}")


if __name__ == "__main__":
    main()
