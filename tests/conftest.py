"""Shared fixtures and the CI guard for the PostgreSQL tests."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_skipped_postgres: list[str] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("postgres") is not None:
        _skipped_postgres.append(item.nodeid)
    del call


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when CI requires PostgreSQL and a PostgreSQL test was skipped."""
    del exitstatus
    if os.environ.get("ESCHOOL_REQUIRE_POSTGRES") == "1" and _skipped_postgres:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"ERROR: {len(_skipped_postgres)} PostgreSQL tests were skipped, "
                "but ESCHOOL_REQUIRE_POSTGRES=1 requires them to run",
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
