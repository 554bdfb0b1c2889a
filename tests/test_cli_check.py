"""``eschool check``: the compliance summary, its JSON form and its exit statuses."""

from __future__ import annotations

import gc
import json
import sqlite3
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eschool_core import synth
from eschool_core.cli._app import app
from eschool_core.deadlines import SCHEMA_VERSION
from eschool_core.problems import PROBLEM_KEYS
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import load, sample_school

_GENERATE = synth.generate


@cache
def _small(size: str, seed: int, *, year: str = "2025/2026") -> synth.SyntheticSchool:
    return _GENERATE(size, seed, year=year)


@pytest.fixture(autouse=True)
def _cached_school(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generate the small school once for all the CLI tests."""

    def generate(size: str, seed: int, **kwargs: Any) -> synth.SyntheticSchool:
        return _small(size, seed, **kwargs)

    monkeypatch.setattr(synth, "generate", generate)


class TestCheckCommand:
    def test_table_in_russian_and_exit_one(self) -> None:
        """R8.6: the synthetic school has late marks, so the summary exits with status 1."""
        result = CliRunner().invoke(app, ["check", "--synthetic", "--size", "small"])
        assert result.exit_code == 1, result.output
        assert "Соблюдение сроков на 31.08.2026" in result.output
        assert "journal.marks" in result.output
        assert "Не проверено" in result.output

    @pytest.mark.parametrize(("lang", "separator"), [("ru", "\u00a0"), ("en", ",")])
    def test_counts_grouped_as_the_reader_writes_them(self, lang: str, separator: str) -> None:
        """The totals line groups thousands like every report: «10 117» unbroken, "10,117"."""
        school = _small("small", 1)
        late = school.stats.marks_late
        assert late >= 1000, "the small school plants thousands of late marks"
        result = CliRunner().invoke(app, ["check", "--synthetic", "--lang", lang])
        assert result.exit_code == 1, result.output
        assert f"{late:,}".replace(",", separator) in result.output

    def test_json_output(self) -> None:
        """The JSON form carries the schema version and the counts by rule."""
        school = _small("small", 1)
        result = CliRunner().invoke(
            app, ["check", "--synthetic", "--format", "json", "--as-of", "2026-08-31"]
        )
        assert result.exit_code == 1
        document = json.loads(result.stdout)
        assert document["schema_version"] == SCHEMA_VERSION == 2
        assert document["summary"]["by_rule"]["journal.marks"] == school.stats.marks_late
        for finding in document["findings"]:
            assert tuple(finding) == PROBLEM_KEYS
            assert set(finding["message"]) == {"ru", "en"}
            assert set(finding["entity"]) == {"kind", "id", "name"}

    def test_english_and_clean_exit(self) -> None:
        """Before any lesson there are no findings: exit status 0, English headings."""
        result = CliRunner().invoke(
            app, ["check", "--synthetic", "--as-of", "2025-08-01", "--lang", "en"]
        )
        assert result.exit_code == 0, result.output
        assert "No deadline violations found" in result.output

    @pytest.mark.parametrize(
        "args",
        [["--as-of", "31.08.2026"], ["--format", "xml"], ["--store", "/nonexistent/store.db"]],
    )
    def test_bad_usage_exits_two(self, args: list[str]) -> None:
        """A bad date, format or an unreadable store exits with status 2."""
        synthetic = [] if "--store" in args else ["--synthetic"]
        result = CliRunner().invoke(app, ["check", *synthetic, *args])
        assert result.exit_code == 2
        if "--store" in args:
            assert "хранилище" in result.output
            assert "store" in result.output


class TestCollectorAfterAStoreCheck:
    @staticmethod
    def _store(tmp_path: Path) -> str:
        path = str(tmp_path / "school.sqlite")
        store = SqlStore(path, create=True)
        load(store, sample_school())
        store.close()
        return path

    def test_the_collector_is_left_as_it_was_found(self, tmp_path: Path) -> None:
        """The year read is kept from the cyclic collector during the check only."""
        path = self._store(tmp_path)
        frozen = gc.get_freeze_count()
        result = CliRunner().invoke(
            app, ["check", "--store", path, "--as-of", "2026-08-31", "--format", "json"]
        )
        assert result.exit_code in {0, 1}, result.output
        assert json.loads(result.stdout)["schema_version"] == SCHEMA_VERSION
        assert gc.isenabled()
        assert gc.get_freeze_count() <= frozen

    def test_also_when_the_read_fails(self, tmp_path: Path) -> None:
        """An edited row stops the read (exit 2); the collector is on and nothing stays frozen."""
        path = self._store(tmp_path)
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE marks SET author_id = ' '")
        conn.close()
        frozen = gc.get_freeze_count()
        result = CliRunner().invoke(app, ["check", "--store", path, "--as-of", "2026-08-31"])
        assert result.exit_code == 2, result.output
        assert gc.isenabled()
        assert gc.get_freeze_count() <= frozen
