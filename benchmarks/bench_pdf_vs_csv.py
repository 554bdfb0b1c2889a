"""Time one report as PDF beside the same report as CSV, whole `eschool` processes.

Run: .venv/bin/python benchmarks/bench_pdf_vs_csv.py STORE OUT [ROUNDS]

STORE is a SQLite store written by ``eschool demo --store STORE``; OUT a folder for the two
files. ``eschool report class_period_results --class 5А --period Q2`` runs ROUNDS times
(default 3) as CSV and as PDF, each in a fresh process, interleaved so that a burst of
load on a shared machine hits both alike. Printed: the minimum wall and CPU (user +
system) time of each and what the PDF costs over the CSV.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path


def _run(command: list[str]) -> tuple[float, float]:
    """The wall time and the CPU time (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - our own command
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(store: str, out: str, rounds: str = "3") -> None:
    """Run the report ``rounds`` times in each format and print the minima."""
    eschool = str(Path(sys.executable).with_name("eschool"))
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    times: dict[str, list[tuple[float, float]]] = {"csv": [], "pdf": []}
    for _ in range(int(rounds)):
        for fmt, found in times.items():
            command = [
                eschool,
                "report",
                "class_period_results",
                "--store",
                store,
                "--class",
                "5А",
                "--period",
                "Q2",
                "--format",
                fmt,
                "-o",
                str(folder / f"class_period_results.{fmt}"),
            ]
            found.append(_run(command))
    wall = {fmt: min(w for w, _c in found) for fmt, found in times.items()}
    cpu = {fmt: min(c for _w, c in found) for fmt, found in times.items()}
    for fmt in times:
        print(f"{fmt}: wall min {wall[fmt]:.2f} s, CPU min {cpu[fmt]:.2f} s")
    print(
        f"PDF over CSV: wall {wall['pdf'] - wall['csv']:+.2f} s, "
        f"CPU {cpu['pdf'] - cpu['csv']:+.2f} s ({rounds} rounds)"
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
