"""Load a synthetic school into SQLite (and PostgreSQL if ESCHOOL_BENCH_POSTGRES_DSN is set).

Run: .venv/bin/python benchmarks/load_sql.py [small|medium|large]
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
    start = time.perf_counter()
    synth.write_to_store(school, store)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    with store.unit_of_work() as uow:
        read = sum(len(getattr(uow, name).all()) for name in REPOSITORIES)
    reading = time.perf_counter() - start
    assert read == rows
    print(
        f"{label}: {rows} rows; load {loaded:.1f} s = {rows / loaded:,.0f} rows/s; "
        f"read back {reading:.1f} s = {rows / reading:,.0f} rows/s"
    )
    store.close()


def main() -> None:
    size = sys.argv[1] if len(sys.argv) > 1 else "large"
    school = synth.generate(size, 1)
    with tempfile.TemporaryDirectory() as directory:
        _measure(f"SQLite ({size})", SqlStore(str(Path(directory) / "b.sqlite")), school)
    dsn = os.environ.get("ESCHOOL_BENCH_POSTGRES_DSN")
    if dsn:
        _measure(f"PostgreSQL ({size})", SqlStore(dsn, schema="eschool_bench"), school)


if __name__ == "__main__":
    main()
