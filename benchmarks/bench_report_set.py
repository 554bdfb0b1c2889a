"""Benchmark: the end-of-period report set on a store, split into reading and building.

Usage (a store written by ``eschool demo --size large --store DIR/school.sqlite``)::

    .venv/bin/python benchmarks/bench_report_set.py DIR/school.sqlite OUT pdf

Prints the time to read the store's year once (one ``SchoolYearData``: the deadline
checker's data and the reports' data view), the time to build and render the Q2 set in
memory (what ``eschool report --all --period Q2`` writes), and the number of reports and
files; the build's CPU time (user + system of the process) beside its wall time, since a
shared machine's load stretches the wall time and hardly the CPU time.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from eschool_core.deadlines import ComplianceData
from eschool_core.profiles import default_profile, rules_for
from eschool_core.reports import ReportData, build_report_set, plan_report_set
from eschool_core.storage import open_store
from eschool_core.year_data import SchoolYearData


def main(store: str, out: str, *formats: str) -> None:
    """Read ``store`` once and build the Q2 report set into ``out``; print the timings."""
    moment = dt.datetime(2025, 12, 29, 13, 21, tzinfo=dt.UTC)
    profile = default_profile()
    started = time.perf_counter()
    opened = open_store(store)
    try:
        with opened.unit_of_work() as uow:
            years = sorted(uow.academic_years.all(), key=lambda year: year.label.first)
        data = SchoolYearData.from_store(opened, years[-1])
    finally:
        opened.close()
    rules = rules_for(profile, data.year, data.school)
    compliance = rules.checker.check(ComplianceData.from_year_data(data), moment.date())
    view = ReportData.from_year_data(data, rules, compliance=compliance)
    read = time.perf_counter() - started
    started = time.perf_counter()
    cpu_started = time.process_time()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    entries = list(
        build_report_set(
            view, plan_report_set(view, "Q2"), formats or ("pdf",), generated_at=moment
        )
    )
    for entry in entries:
        for name, content in entry.files:
            (folder / name).write_bytes(content)
    built = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    files = sum(len(entry.files) for entry in entries)
    print(
        f"read and checked {read:.1f} s, built {built:.1f} s (CPU {cpu:.1f} s): "
        f"{len(entries)} reports, {files} files, {built / max(files, 1) * 1000:.0f} ms "
        f"per file (CPU {cpu / max(files, 1) * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
