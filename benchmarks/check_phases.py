"""Time the phases of a whole ``eschool check`` of a store in one process (CPU seconds).

Run: .venv/bin/python benchmarks/check_phases.py STORE [LABEL]

Prints the CPU time of importing the modules the check needs, of reading the store's newest
year (``ComplianceData.from_store``), of the default profile's deadline check as of
31 August 2026 and of the report's JSON text. Run it with ``PYTHONPATH`` naming another
``src`` folder to time that code on the same store.
"""

from __future__ import annotations

import sys
import time
from datetime import date


def main() -> None:
    started = time.process_time()
    from eschool_core.deadlines import ComplianceData
    from eschool_core.profiles import default_profile, rules_for
    from eschool_core.storage import open_store

    imports = time.process_time() - started
    store = open_store(sys.argv[1])
    with store.unit_of_work() as uow:
        year = max(uow.academic_years.all(), key=lambda stored: stored.label.first)
    started = time.process_time()
    data = ComplianceData.from_store(store, year=year)
    read = time.process_time() - started
    store.close()
    checker = rules_for(default_profile(), year).checker
    started = time.process_time()
    report = checker.check(data, date(2026, 8, 31))
    check = time.process_time() - started
    started = time.process_time()
    report.to_json()
    text = time.process_time() - started
    label = sys.argv[2] if len(sys.argv) > 2 else "this code"
    print(
        f"{label}: imports {imports:.2f} s, read {read:.2f} s, check {check:.2f} s, "
        f"JSON {text:.2f} s (CPU); {len(report.findings)} findings"
    )


if __name__ == "__main__":
    main()
