"""Benchmark: replay a year of movement orders of the large synthetic school (target < 1 s)."""

from __future__ import annotations

from typing import Any

import pytest

from eschool_core.movement import MovementBook
from eschool_core.synth import generate


@pytest.fixture(scope="module")
def large_year() -> tuple[Any, Any]:
    school = generate("large")
    return school, school.orders


def test_replay_large_year(benchmark: Any, large_year: tuple[Any, Any]) -> None:
    school, orders = large_year
    book = benchmark(MovementBook.from_orders, orders, classes=school.classes)
    assert len(book.orders) == len(orders)
