"""Time an analyst's one line: a class's marks from a demo store as a pandas DataFrame.

Run: .venv/bin/python benchmarks/class_marks_timing.py STORE [CLASS] [ROUNDS]

STORE is a SQLite store written by ``eschool demo --store STORE`` (the ``small`` school);
CLASS defaults to 5А. Each round opens the store and calls
``eschool_core.analytics.class_marks(store, CLASS)`` in this process after the imports
(pandas, the store) have been paid once; the minimum and the median wall time are printed,
and the CPU time of the calls (user + system), which a loaded machine disturbs less. The
old way, the whole year onto DuckDB (``Dataset.from_entities``) and a filter of its marks,
is timed once beside it.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> None:
    """Print the timings of ``class_marks`` on the store ``argv[0]``."""
    from eschool_core.analytics import Dataset, class_marks
    from eschool_core.storage import open_store

    path = argv[0]
    school_class = argv[1] if len(argv) > 1 else "5А"
    rounds = int(argv[2]) if len(argv) > 2 else 5
    walls: list[float] = []
    cpus: list[float] = []
    rows = 0
    for _ in range(rounds):
        start, cpu = time.perf_counter(), _cpu()
        store = open_store(path)
        try:
            rows = len(class_marks(store, school_class))
        finally:
            store.close()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    print(
        f"class_marks({school_class}): {rows} rows; wall min {min(walls):.2f} s, "
        f"median {statistics.median(walls):.2f} s; cpu median {statistics.median(cpus):.2f} s"
    )
    start, cpu = time.perf_counter(), _cpu()
    store = open_store(path)
    try:
        with store.unit_of_work() as uow:
            year = max(uow.academic_years.all(), key=lambda y: y.label.first)
        data = Dataset.from_entities(store, year)
        marks = data.table("marks").to_pandas()
        classes = data.table("memberships").to_pandas()
    finally:
        store.close()
    del marks, classes
    print(
        f"whole year onto DuckDB, then pandas: wall {time.perf_counter() - start:.2f} s, "
        f"cpu {_cpu() - cpu:.2f} s"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
