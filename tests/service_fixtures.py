"""The service tests' stores as fixtures: one per kind of store, each holding the school.

Registered for the whole suite by ``tests/conftest.py``; a module's own fixture of the same
name takes precedence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from eschool_core.storage import Store
from tests.service_helpers import make_store

STORE_KINDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
"""The stores every service test runs on (PostgreSQL when a test database is set)."""


@pytest.fixture(params=STORE_KINDS)
def store_kind(request: pytest.FixtureRequest) -> str:
    """The kind of store a test runs on."""
    return str(request.param)


@pytest.fixture
def new_store(store_kind: str, request: pytest.FixtureRequest) -> Iterator[Callable[[], Store]]:
    """Make new stores of the test's kind holding the school; closed at the end."""
    made: list[Store] = []
    schemas = request.getfixturevalue("postgres_schema") if store_kind == "postgres" else None

    def new() -> Store:
        made.append(make_store(store_kind, schemas))
        return made[-1]

    yield new
    for each in made:
        each.close()


@pytest.fixture
def store(new_store: Callable[[], Store]) -> Store:
    """One store of the test's kind holding the school."""
    return new_store()
