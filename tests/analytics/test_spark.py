"""The bulk rules on Spark in local mode equal DuckDB's and the per-object API's (R2.2j, R8.6).

One local SparkSession (``local[1]``, one shuffle partition) serves the module; the tests
are skipped, with the reason shown, when PySpark or Java is missing.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings

from eschool_core.analytics import (
    Dataset,
    attendance_register,
    class_statistics,
    completeness,
    late_marks,
    period_marks,
    timeliness,
    write_parquet,
)
from eschool_core.grading import propose_period_marks
from eschool_core.journal import Mark, MarkValue
from eschool_core.profiles import default_profile
from tests.analytics.helpers import (
    FIRST_DAY,
    TinySchool,
    bulk_row,
    is_late_r86,
    proposal_row,
    schemes,
)
from tests.analytics.schools import (
    bulk_class_statistics,
    bulk_completeness,
    bulk_period_marks,
    bulk_timeliness,
    expected_class_statistics,
    expected_completeness,
    expected_period_marks,
    expected_timeliness,
    journal_schools,
    proposed_values,
)
from tests.profile_variants import variant_profile
from tests.rules_helpers import DEADLINES

pytestmark = pytest.mark.spark

_POLICY = default_profile().grading


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local SparkSession for every Spark test (skipped without PySpark or Java)."""
    if shutil.which("java") is None:
        pytest.skip("Spark tests need Java (no `java` on PATH)")
    sql = pytest.importorskip("pyspark.sql", reason="Spark tests need the `spark` extra")
    session = (
        sql.SparkSession.builder.master("local[1]")
        .appName("eschool-core-tests")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        # A short run: the quick JIT tier and the serial collector start faster.
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic school as a Parquet folder."""
    target = tmp_path_factory.mktemp("spark-small")
    write_parquet(target, "small", seed=5)
    return target


@pytest.fixture(scope="module")
def engines(folder: Path, spark: Any) -> tuple[Dataset, Dataset]:
    """The same folder on DuckDB and on Spark."""
    return Dataset.from_parquet(folder), Dataset.from_parquet(folder, engine="spark", session=spark)


def _rows(table: ir.Table) -> list[tuple[object, ...]]:
    """The table's rows as sorted tuples, floats rounded (Spark and DuckDB differ in ulps)."""
    arrow: pa.Table = table.to_pyarrow()
    rows = [
        tuple(round(v, 9) if isinstance(v, float) else v for v in row.values())
        for row in arrow.to_pylist()
    ]
    return sorted(rows, key=repr)


_RULES: dict[str, Callable[[Dataset], ir.Table]] = {
    "period_marks": lambda data: period_marks(data, _POLICY),
    "class_statistics": class_statistics,
    "timeliness": lambda data: timeliness(data, deadlines=DEADLINES),
    "late_marks": lambda data: late_marks(data, deadlines=DEADLINES),
    "completeness": completeness,
    "attendance_register": lambda data: attendance_register(data, deadlines=DEADLINES),
}


class TestSparkEqualsDuckDB:
    """Every rule gives the same table on Spark as on DuckDB for a small school."""

    @pytest.mark.parametrize("name", sorted(_RULES))
    def test_same_rows(self, name: str, engines: tuple[Dataset, Dataset]) -> None:
        """R2.2j, R2.2k, R8.6, R8.10: the rule's rows on Spark equal its rows on DuckDB."""
        duckdb_data, spark_data = engines
        rule = _RULES[name]
        expected = _rows(rule(duckdb_data))
        assert expected, f"{name} found no rows: the comparison would be empty"
        assert _rows(rule(spark_data)) == expected


class TestSparkEqualsPerObject:
    """Spark, fed Arrow tables, gives the per-object API's results."""

    def test_period_marks_and_late_marks(
        self, spark: Any, engines: tuple[Dataset, Dataset]
    ) -> None:
        """R2.2j, R8.6: a tiny school's proposals and late marks equal the per-object rules."""
        day = FIRST_DAY
        marks = [
            Mark(
                id=f"mk{index}",
                student_id=student,
                subject_id="math",
                date=day + dt.timedelta(days=index % 20),
                value=MarkValue.of(1 + index % 5),
                work_type=("answer", "test", "homework")[index % 3],
                author_id="t1",
                entered_at=dt.datetime.combine(
                    day + dt.timedelta(days=index % 20), dt.time(20, 59), tzinfo=dt.UTC
                )
                + dt.timedelta(hours=index % 3),
                late_reason="болезнь учителя" if index % 4 == 0 else None,
            )
            for index in range(24)
            for student in ("st0", "st1")
        ]
        school = TinySchool(class_of={"st0": 5, "st1": 10}, marks=marks)
        policy = _POLICY
        data = Dataset.from_arrow(school.tables(), engine="spark", session=spark)
        expected = propose_period_marks(
            school.marks, schemes(), policy, scheme_of=school.scheme_of()
        )
        rows = period_marks(data, policy).to_pyarrow().to_pylist()
        bulk = {(r["student_id"], r["subject_id"], r["period"]): bulk_row(r) for r in rows}
        assert bulk == {tuple(key): proposal_row(value) for key, value in expected.items()}
        late = set(late_marks(data, deadlines=DEADLINES).to_pyarrow().column("id").to_pylist())
        assert late == {mark.id for mark in school.marks if is_late_r86(mark)}
        assert late, "no late mark: the R8.6 comparison would be empty"
        # The folder's dataset on the same session still reads its own marks.
        duckdb_data, spark_data = engines
        count = spark_data.table("marks").count().to_pyarrow().as_py()
        assert count == duckdb_data.table("marks").count().to_pyarrow().as_py() > len(marks)


class TestSparkWithTransfers:
    """Spark gives the per-object results with mid-period transfers and another profile."""

    @settings(max_examples=4, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(school=journal_schools())
    def test_every_rule(self, spark: Any, school: TinySchool) -> None:
        """R2.2j, R2.2k, R8.6, R8.10: period marks, statistics, timeliness and completeness."""
        profile = variant_profile()
        policy, deadlines = profile.grading, profile.deadlines.entry_deadlines
        data = Dataset.from_arrow(school.tables(), engine="spark", session=spark)
        expected_marks = expected_period_marks(school, policy)
        assert bulk_period_marks(period_marks(data, policy)) == expected_marks
        assert bulk_class_statistics(class_statistics(data)) == expected_class_statistics(school)
        quality = class_statistics(data, period_marks(data, policy))
        assert bulk_class_statistics(quality) == expected_class_statistics(
            school, proposed_values(expected_marks)
        )
        bulk = bulk_timeliness(timeliness(data, deadlines=deadlines))
        assert bulk == expected_timeliness(school, deadlines)
        assert bulk_completeness(completeness(data)) == expected_completeness(school)
