"""The conformance kit run on the in-memory store, SQLite and PostgreSQL (R2.2e, R9.1)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

from eschool_core.storage import MemoryStore, Store
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import StoreContract, store_comparison_machine

POSTGRES_DSN = os.environ.get("ESCHOOL_TEST_POSTGRES_DSN", "")

_MACHINE_SETTINGS = settings(max_examples=12, stateful_step_count=10, deadline=None)


class TestMemoryStore(StoreContract):
    def make_store(self) -> Store:
        return MemoryStore()


class TestSqliteInMemory(StoreContract):
    def make_store(self) -> Store:
        return SqlStore(":memory:")


class TestSqliteFile(StoreContract):
    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path: Path) -> None:
        self.directory = tmp_path

    def make_store(self) -> Store:
        return SqlStore(str(self.directory / "school.sqlite"), create=True)


@pytest.mark.postgres
class TestPostgres(StoreContract):
    interleaved_units_of_work = True

    @pytest.fixture(autouse=True)
    def _schemas(self, postgres_schema: Callable[[], str]) -> None:
        self.new_schema = postgres_schema

    def make_store(self) -> Store:
        return SqlStore(POSTGRES_DSN, schema=self.new_schema(), create=True)


class TestAgreementWithMemory:
    def test_sqlite_agrees_with_memory(self) -> None:
        """Random operations, committed or abandoned, act on SQLite as on memory (R2.2e)."""
        machine = store_comparison_machine(lambda: SqlStore(":memory:"))
        run_state_machine_as_test(machine, settings=_MACHINE_SETTINGS)

    @pytest.mark.postgres
    def test_postgres_agrees_with_memory(self, postgres_schema: Callable[[], str]) -> None:
        """Random operations, committed or abandoned, act on PostgreSQL as on the memory store."""
        machine = store_comparison_machine(
            lambda: SqlStore(POSTGRES_DSN, schema=postgres_schema(), create=True)
        )
        run_state_machine_as_test(machine, settings=_MACHINE_SETTINGS)
