"""Benchmark: generating the synthetic schools (target: `large` in under 30 s)."""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from eschool_core import synth


@pytest.mark.parametrize("size", ["small", "medium", "large"])
def test_generate(benchmark: BenchmarkFixture, size: str) -> None:
    school = benchmark.pedantic(synth.generate, args=(size, 1), rounds=3, iterations=1)
    benchmark.extra_info.update(school.entity_counts())
    assert school.stats.marks == len(school.marks)
