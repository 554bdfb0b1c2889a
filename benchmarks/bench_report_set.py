"""Benchmark: ``eschool report --all`` on a store, split into reading and building.

Usage (a store written by ``eschool demo --size large --store DIR/school.sqlite``)::

    .venv/bin/python benchmarks/bench_report_set.py DIR/school.sqlite DIR/year.toml OUT pdf

Prints the time to read the store once (the deadline checker's data and the reports' data
view in one unit of work), the time to build and write the set, the number of reports and
files, and the units of work the store was asked for.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any, cast

from rich.console import Console

from eschool_core.cli._check import _open_store as open_existing
from eschool_core.cli._report import _store_data as store_data
from eschool_core.cli._report_set import ReadOnce, write_report_set
from eschool_core.profiles import default_profile
from eschool_core.storage import Store


class _Counted:
    """A store that counts the units of work it hands out."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.units = 0

    def unit_of_work(self) -> Any:
        self.units += 1
        return self.store.unit_of_work()


def main(store: str, year_file: str, out: str, *formats: str) -> None:
    """Read ``store`` once and write the Q2 report set into ``out``; print the timings."""
    counted = _Counted(open_existing(store))
    moment = dt.datetime(2025, 12, 29, 13, 21, tzinfo=dt.UTC)
    started = time.perf_counter()
    with ReadOnce(cast("Store", counted)) as once:
        data = store_data(
            once, default_profile(), year=None, year_file=Path(year_file), as_of=moment.date()
        )
    units = counted.units
    read = time.perf_counter() - started
    started = time.perf_counter()
    entries = write_report_set(
        data,
        Path(out),
        period="Q2",
        formats=formats or ("pdf",),
        generated_at=moment,
        language="ru",
        csv_dialect="plain",
        class_id=None,
        teacher_id=None,
        kinds=(),
        console=Console(stderr=True),
    )
    built = time.perf_counter() - started
    files = sum(len(entry.files) for entry in entries)
    print(
        f"read {read:.1f} s ({units} unit of work), built {built:.1f} s: "
        f"{len(entries)} reports, {files} files, {built / max(files, 1) * 1000:.0f} ms per file"
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
