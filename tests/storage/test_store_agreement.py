"""The stores agree: the same entities are accepted or refused alike by all three (R9.3).

Validation lives in the entity layer, so a value one store cannot hold (a NUL, a lone
surrogate, an instant beyond the year 9999 in UTC) is refused before any store sees it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eschool_core.errors import EschoolError
from eschool_core.school import Subject
from eschool_core.storage import MemoryStore, Store
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import snapshot
from eschool_core.timetable import Room
from tests.conftest import POSTGRES_DSN

_TEXT = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=6),
    st.sampled_from(["s\x002", "\x00", "Иванов\ud800", " ", "٣", "1_0", "a" * 300]),
)
_ZONES = st.sampled_from(
    [dt.UTC, dt.timezone(dt.timedelta(hours=14)), dt.timezone(dt.timedelta(hours=-12))]
)
_INSTANTS = st.one_of(
    st.none(),
    st.datetimes(timezones=_ZONES),
    st.sampled_from(
        [
            dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
            dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        ]
    ),
)
_INTS = st.one_of(st.integers(), st.integers(min_value=-1, max_value=1001))


@st.composite
def _entities(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """The arguments of a subject or a room, valid or not."""
    if draw(st.booleans()):
        return "subjects", {
            "id": draw(_TEXT),
            "name": draw(_TEXT),
            "short_name": draw(st.one_of(st.none(), _TEXT)),
            "order": draw(st.integers(min_value=-1, max_value=10_001)),
        }
    return "rooms", {
        "id": draw(_TEXT),
        "name": draw(_TEXT),
        "capacity": draw(st.one_of(st.none(), _INTS)),
        "entered_at": draw(_INSTANTS),
    }


_BUILD: dict[str, Callable[..., Any]] = {"subjects": Subject, "rooms": Room}


@pytest.fixture(scope="module")
def stores(request: pytest.FixtureRequest) -> Iterator[dict[str, Store]]:
    """A memory, a SQLite and (with ESCHOOL_TEST_POSTGRES_DSN) a PostgreSQL store."""
    made: dict[str, Store] = {"memory": MemoryStore(), "sqlite": SqlStore(":memory:")}
    if POSTGRES_DSN:
        schema: Callable[[], str] = request.getfixturevalue("postgres_schema")
        made["postgresql"] = SqlStore(POSTGRES_DSN, schema=schema(), create=True)
    yield made
    for store in made.values():
        store.close()


def _outcome(store: Store, name: str, entity: Any) -> str:
    """``"ok"`` and the entity read back, or the refusal's class and code."""
    try:
        with store.unit_of_work() as uow:
            getattr(uow, name).add(entity)
            uow.commit()
    except EschoolError as error:
        return f"{type(error).__name__}:{error.code}"
    with store.unit_of_work() as uow:
        back = getattr(uow, name).get(entity.id)
        getattr(uow, name).remove(entity.id)
        uow.commit()
    return "ok" if back == entity else f"changed: {back!r}"


class TestStoresAgree:
    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(case=_entities())
    def test_same_entities_same_verdict(
        self, stores: dict[str, Store], case: tuple[str, dict[str, Any]]
    ) -> None:
        """The stores accept the same random entities, read them back equal, refuse alike (R9.3)."""
        name, fields = case
        try:
            entity = _BUILD[name](**fields)
        except EschoolError:
            return  # refused by the entity itself: no store can see it
        verdicts = {kind: _outcome(store, name, entity) for kind, store in stores.items()}
        assert len(set(verdicts.values())) == 1, verdicts
        assert verdicts["memory"] == "ok", verdicts
        assert all(not rows for rows in snapshot(stores["memory"]).values())
