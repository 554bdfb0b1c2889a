"""Shared fixtures and the CI guards for the PostgreSQL and Spark tests."""

from __future__ import annotations

import atexit
import os
import signal
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, settings

from tests.worktree_guard import worktree_changes, worktree_status

pytest_plugins = ("tests.service_fixtures",)

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

POSTGRES_DSN = os.environ.get("ESCHOOL_TEST_POSTGRES_DSN")
"""The PostgreSQL server of the tests; PostgreSQL tests are skipped without it."""

APPEND_ONLY_TABLES = frozenset({"audit_entries", "audit_checkpoints"})
"""The tables whose triggers refuse UPDATE and DELETE (the audit log)."""


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[Callable[[], str]]:
    """Hand out the run's own schema in the test database, emptied each time; dropped at the end.

    Creating and dropping a schema per store is slow on PostgreSQL, so a run uses one
    schema and empties its tables before handing it out again. The schema is dropped when
    the session ends, also after failures and Ctrl-C; a SIGTERM is turned into an interrupt
    so that it is dropped then too, and an exit handler drops it if teardown never ran. Only
    a killed process (SIGKILL) leaves it behind.
    """
    if not POSTGRES_DSN:
        pytest.skip("ESCHOOL_TEST_POSTGRES_DSN is not set: PostgreSQL tests are skipped")
    import sqlalchemy as sa

    from eschool_core.storage.sql import METADATA, SCHEMA_VERSION

    name = f"eschool_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine("postgresql+psycopg://" + POSTGRES_DSN.split("://", 1)[1])

    def new() -> str:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {name}")
            conn.exec_driver_sql(f"SET LOCAL search_path TO {name}")
            present = set(sa.inspect(conn).get_table_names(schema=name))
            for table in reversed(METADATA.sorted_tables):
                if table.name in present and table.name != "eschool_schema":
                    # The audit tables refuse DELETE (append-only triggers): lift them here.
                    guarded = table.name in APPEND_ONLY_TABLES
                    if guarded:
                        conn.exec_driver_sql(f"ALTER TABLE {table.name} DISABLE TRIGGER USER")
                    conn.execute(table.delete())
                    if guarded:
                        conn.exec_driver_sql(f"ALTER TABLE {table.name} ENABLE TRIGGER USER")
            if "eschool_schema" in present:
                conn.execute(
                    sa.text("UPDATE eschool_schema SET version = :v"), {"v": SCHEMA_VERSION}
                )
        return name

    def drop() -> None:
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("SET LOCAL lock_timeout = '20s'")
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        except sa.exc.SQLAlchemyError as error:
            warnings.warn(f"could not drop the test schema {name}: {error}", stacklevel=1)
        finally:
            engine.dispose()

    def interrupt(signum: int, frame: FrameType | None) -> None:
        del signum, frame
        raise KeyboardInterrupt

    atexit.register(drop)
    previous = signal.getsignal(signal.SIGTERM)
    if previous is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, interrupt)
    try:
        yield new
    finally:
        if previous is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, previous)
        drop()
        atexit.unregister(drop)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Tag the reports of the guarded tests with their service (sent on by pytest-xdist)."""
    outcome = yield
    report = outcome.get_result()
    for marker in _GUARDED:
        if item.get_closest_marker(marker) is not None:
            report.user_properties.append(("guarded", marker))
    del call


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Note each guarded test that ran or was skipped (in one process, or on the controller
    that receives every pytest-xdist worker's reports)."""
    for name, marker in report.user_properties:
        if name != "guarded":
            continue
        if report.skipped:
            _skipped[str(marker)].append(report.nodeid)
        elif report.when == "call":
            _ran[str(marker)].append(report.nodeid)


_ROOT = Path(__file__).resolve().parent.parent
_STATUS_KEY = pytest.StashKey[frozenset[str] | None]()


def pytest_sessionstart(session: pytest.Session) -> None:
    """Remember the work tree's ``git status`` (ignored files included) before any test runs."""
    if not hasattr(session.config, "workerinput"):
        session.config.stash[_STATUS_KEY] = worktree_status(_ROOT)


def _check_worktree(session: pytest.Session, reporter: object) -> None:
    """Fail the run when a test wrote into the work tree (tests write into their temp folders)."""
    before = session.config.stash.get(_STATUS_KEY, None)
    after = worktree_status(_ROOT)
    if before is None or after is None:
        return
    changes = worktree_changes(before, after)
    if not changes:
        return
    if isinstance(reporter, pytest.TerminalReporter):
        reporter.write_line(
            "ERROR: the tests changed the work tree (they must write only into temporary "
            "folders): " + "; ".join(changes),
            red=True,
        )
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when it wrote into the work tree, or a required service did not run.

    The work tree's ``git status --porcelain --ignored`` (caches left out) must be the same
    after the run as before it. ``ESCHOOL_REQUIRE_POSTGRES=1`` and ``ESCHOOL_REQUIRE_SPARK=1``
    each fail the run when a test of that service was skipped or none ran.
    """
    del exitstatus
    if hasattr(session.config, "workerinput"):
        return  # a pytest-xdist worker: the controller sees every report and decides
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    _check_worktree(session, reporter)
    for marker, (variable, service) in _GUARDED.items():
        if os.environ.get(variable) != "1":
            continue
        skipped = _skipped[marker]
        none_ran = not _ran[marker]
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
