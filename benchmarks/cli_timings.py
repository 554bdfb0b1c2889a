"""Time whole `eschool` processes on a demo store, beside `eschool --version` as the floor.

Run: .venv/bin/python benchmarks/cli_timings.py STORE [ROUNDS]

STORE is a SQLite store written by ``eschool demo --size large --store STORE``. Each command
runs ROUNDS times (default 3) in a fresh process, interleaved with the others so that a
burst of load on a shared machine hits all of them alike; the minimum and the median wall
time are printed, with each command's ratio to the start-up floor, and the CPU time of
the process (user + system), which a loaded machine disturbs less. The last line times a
batch: every class report of one period from one read of the store (the period's part of
the year), in one process.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

_BATCH = """
import sys, time, datetime as dt
from eschool_core.profiles import default_profile, rules_for
from eschool_core.reports import ReportData, ReportParams, report_scope, run_report
from eschool_core.storage import open_store
from eschool_core.year_data import SchoolYearData

start = time.perf_counter()
store = open_store(sys.argv[1])
with store.unit_of_work() as uow:
    year = max(uow.academic_years.all(), key=lambda y: y.label.first)
    scope = report_scope("class_period_results", ReportParams(period="Q2"), year)
    data = SchoolYearData.read(uow, year, scope=scope)
store.close()
read = time.perf_counter() - start
rules = rules_for(default_profile(), year, data.school)
view = ReportData.from_year_data(data, rules)
moment = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
for school_class in view.classes:
    params = ReportParams(class_id=school_class.id, period="Q2")
    run_report("class_period_results", view, params, generated_at=moment)
total = time.perf_counter() - start
print(len(view.classes), "reports; read", round(read, 2), "s; all", round(total, 2), "s")
"""


def _commands(store: str) -> dict[str, list[str]]:
    eschool = str(Path(sys.executable).with_name("eschool"))
    return {
        "eschool --version": [eschool, "--version"],
        "report class_period_results 5А Q2": [
            eschool,
            "report",
            "class_period_results",
            "--store",
            store,
            "--class",
            "5А",
            "--period",
            "Q2",
        ],
        "check --store (whole year)": [
            eschool,
            "check",
            "--store",
            store,
            "--as-of",
            "2026-08-31",
            "--format",
            "json",
        ],
        "batch: every class report of Q2": [sys.executable, "-c", _BATCH, store],
    }


def _run(command: list[str]) -> tuple[float, float]:
    """The wall time and the CPU time (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True)  # noqa: S603 - our own commands
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> None:
    store = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    commands = _commands(store)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            times[name].append(_run(command))
    floor = min(wall for wall, _cpu in times["eschool --version"])
    cpu_floor = min(cpu for _wall, cpu in times["eschool --version"])
    for name, found in times.items():
        best = min(wall for wall, _cpu in found)
        cpu = min(cpu for _wall, cpu in found)
        median = statistics.median(wall for wall, _cpu in found)
        print(
            f"{name}: wall min {best:.2f} s, median {median:.2f} s "
            f"({best / floor:.1f}x the start-up floor); CPU min {cpu:.2f} s "
            f"({cpu / cpu_floor:.1f}x); {rounds} rounds"
        )


if __name__ == "__main__":
    main()
