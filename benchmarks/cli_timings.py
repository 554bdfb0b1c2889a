"""Time whole `eschool` processes on a demo store, beside `eschool --version` as the floor.

Run: .venv/bin/python benchmarks/cli_timings.py STORE [ROUNDS] [DEMO_STORE]

STORE is a SQLite store written by ``eschool demo --size large --store STORE``; DEMO_STORE,
if given, one written by ``eschool demo`` (the ``small`` school), whose whole check is timed
too. Each command runs ROUNDS times (default 3) in a fresh process, interleaved with the
others so that a burst of load on a shared machine hits all of them alike; the minimum and
the median wall time are printed, with each command's ratio to the start-up floor, and the
CPU time of the process (user + system), which a loaded machine disturbs less. ``import
eschool_core`` is timed beside a bare interpreter. The last line times a batch: every
class report of one period from one read of the store (the period's part of the year), in
one process.

With ``ESCHOOL_TIMINGS_BASELINE`` naming another ``src`` folder (e.g. of a checkout of
``main``), ``--version``, the import and the two checks also run on that code, interleaved
in the same rounds, marked ``[baseline]`` and compared with the baseline's ``--version``.
"""

from __future__ import annotations

import os
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


def _check(eschool: str, store: str) -> list[str]:
    return [eschool, "check", "--store", store, "--as-of", "2026-08-31", "--format", "json"]


_Command = tuple[list[str], dict[str, str] | None]
_BASELINE = " [baseline]"


def _commands(store: str, demo: str | None) -> dict[str, _Command]:
    eschool = str(Path(sys.executable).with_name("eschool"))
    demo_check = {} if demo is None else {"check --store demo (whole year)": _check(eschool, demo)}
    ours: dict[str, list[str]] = {
        "eschool --version": [eschool, "--version"],
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import eschool_core'": [sys.executable, "-c", "import eschool_core"],
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
        "check --store (whole year)": _check(eschool, store),
        **demo_check,
        "batch: every class report of Q2": [sys.executable, "-c", _BATCH, store],
    }
    commands: dict[str, _Command] = {name: (command, None) for name, command in ours.items()}
    baseline = os.environ.get("ESCHOOL_TIMINGS_BASELINE")
    if baseline:
        env = {**os.environ, "PYTHONPATH": baseline}
        for name, command in ours.items():
            if name.startswith(("eschool --version", "python -c 'import", "check")):
                commands[name + _BASELINE] = (command, env)
    return commands


def _run(command: _Command) -> tuple[float, float]:
    """The wall time and the CPU time (user + system) of one run of ``command``."""
    arguments, env = command
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(arguments, check=False, capture_output=True, env=env)  # noqa: S603 - ours
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> None:
    store = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    commands = _commands(store, sys.argv[3] if len(sys.argv) > 3 else None)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            times[name].append(_run(command))
    for name, found in times.items():
        version = times["eschool --version" + (_BASELINE if name.endswith(_BASELINE) else "")]
        floor = statistics.median(wall for wall, _cpu in version)
        cpu_floor = statistics.median(cpu for _wall, cpu in version)
        best = min(wall for wall, _cpu in found)
        median = statistics.median(wall for wall, _cpu in found)
        cpu = statistics.median(cpu for _wall, cpu in found)
        print(
            f"{name}: wall median {median:.2f} s (min {best:.2f} s), "
            f"{median / floor:.1f}x the start-up floor's median; CPU median {cpu:.2f} s "
            f"({cpu / cpu_floor:.1f}x); {rounds} rounds"
        )


if __name__ == "__main__":
    main()
