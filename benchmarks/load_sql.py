"""Load a synthetic school into SQLite (and PostgreSQL if ESCHOOL_BENCH_POSTGRES_DSN is set).

Run: .venv/bin/python benchmarks/load_sql.py [small|medium|large]

Prints wall-clock rates and, since SQLite runs inside this process, the rate over this
process's CPU time too (on a shared machine the wall clock also counts other jobs). The
PostgreSQL schema ``eschool_bench`` is dropped before and after the run.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from eschool_core import synth
from eschool_core.storage import Store
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import REPOSITORIES


def _measure(label: str, store: Store, school: synth.SyntheticSchool) -> None:
    rows = sum(school.entity_counts().values())
    start, cpu = time.perf_counter(), time.process_time()
    synth.write_to_store(school, store)
    loaded, loaded_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    with store.unit_of_work() as uow:
        read = sum(len(getattr(uow, name).all()) for name in REPOSITORIES)
    reading, reading_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert read == rows
    print(
        f"{label}: {rows} rows; load {loaded:.1f} s = {rows / loaded:,.0f} rows/s "
        f"(CPU of this process {loaded_cpu:.1f} s = {rows / loaded_cpu:,.0f} rows/s); "
        f"read back {reading:.1f} s = {rows / reading:,.0f} rows/s "
        f"(CPU {reading_cpu:.1f} s = {rows / reading_cpu:,.0f} rows/s)"
    )
    store.close()


def _drop_schema(dsn: str, schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine("postgresql+psycopg://" + dsn.split("://", 1)[1])
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    finally:
        engine.dispose()


def main() -> None:
    size = sys.argv[1] if len(sys.argv) > 1 else "large"
    school = synth.generate(size, 1)
    with tempfile.TemporaryDirectory() as directory:
        _measure(
            f"SQLite ({size})", SqlStore(str(Path(directory) / "b.sqlite"), create=True), school
        )
    dsn = os.environ.get("ESCHOOL_BENCH_POSTGRES_DSN")
    if dsn:
        _drop_schema(dsn, "eschool_bench")
        try:
            _measure(
                f"PostgreSQL ({size})", SqlStore(dsn, schema="eschool_bench", create=True), school
            )
        finally:
            _drop_schema(dsn, "eschool_bench")


if __name__ == "__main__":
    main()
