"""Shared fixtures and the CI guards for the PostgreSQL and Spark tests."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_GUARDED = {
    "postgres": ("ESCHOOL_REQUIRE_POSTGRES", "PostgreSQL"),
    "spark": ("ESCHOOL_REQUIRE_SPARK", "Spark"),
}
_skipped: dict[str, list[str]] = {marker: [] for marker in _GUARDED}
_ran: dict[str, list[str]] = {marker: [] for marker in _GUARDED}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    for marker in _GUARDED:
        if item.get_closest_marker(marker) is None:
            continue
        if report.skipped:
            _skipped[marker].append(item.nodeid)
        elif report.when == "call":
            _ran[marker].append(item.nodeid)
    del call


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when CI requires a service and its tests were skipped or none ran.

    ``ESCHOOL_REQUIRE_POSTGRES=1`` fails on a skipped PostgreSQL test;
    ``ESCHOOL_REQUIRE_SPARK=1`` fails on a skipped Spark test or when no Spark test ran.
    """
    del exitstatus
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    for marker, (variable, service) in _GUARDED.items():
        if os.environ.get(variable) != "1":
            continue
        skipped = _skipped[marker]
        none_ran = marker == "spark" and not _ran[marker]
        if not skipped and not none_ran:
            continue
        if reporter is not None:
            problem = (
                f"{len(skipped)} {service} tests were skipped"
                if skipped
                else f"no {service} test ran"
            )
            reporter.write_line(f"ERROR: {problem}, but {variable}=1 requires them", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
