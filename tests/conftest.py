"""Shared fixtures and the CI guard for the PostgreSQL tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_skipped_postgres: list[str] = []
_ran_postgres: list[str] = []

POSTGRES_DSN = os.environ.get("ESCHOOL_TEST_POSTGRES_DSN")
"""The PostgreSQL server of the tests; PostgreSQL tests are skipped without it."""


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[Callable[[], str]]:
    """Hand out fresh schema names in the test database; all are dropped after the run."""
    if not POSTGRES_DSN:
        pytest.skip("ESCHOOL_TEST_POSTGRES_DSN is not set: PostgreSQL tests are skipped")
    run = f"eschool_test_{uuid.uuid4().hex[:10]}"
    names: list[str] = []

    def new() -> str:
        names.append(f"{run}_{len(names)}")
        return names[-1]

    yield new
    import sqlalchemy as sa

    engine = sa.create_engine("postgresql+psycopg://" + POSTGRES_DSN.split("://", 1)[1])
    with engine.begin() as conn:
        for name in names:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
    engine.dispose()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if item.get_closest_marker("postgres") is not None:
        if report.skipped:
            _skipped_postgres.append(item.nodeid)
        elif report.when == "call":
            _ran_postgres.append(item.nodeid)
    del call


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when CI requires PostgreSQL and a PostgreSQL test was skipped or none ran."""
    del exitstatus
    if os.environ.get("ESCHOOL_REQUIRE_POSTGRES") != "1":
        return
    if _skipped_postgres:
        problem = (
            f"{len(_skipped_postgres)} PostgreSQL tests were skipped, "
            "but ESCHOOL_REQUIRE_POSTGRES=1 requires them to run"
        )
    elif not _ran_postgres:
        problem = "no PostgreSQL test ran, but ESCHOOL_REQUIRE_POSTGRES=1 requires them to run"
    else:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"ERROR: {problem}", red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
