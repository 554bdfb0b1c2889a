"""``eschool report --all``, ``eschool list`` and piped tables (R11.1, R11.3, R11.4, R9.3)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
from click.testing import CliRunner

from eschool_core.cli._app import app
from eschool_core.cli._report import OPTION_OF
from eschool_core.reports import CATALOGUE
from eschool_core.storage import MemoryStore
from eschool_core.synth import SyntheticSchool, generate, write_to_store

MOMENT = "2025-12-29T13:21:00+00:00"


class _CountingRepository:
    def __init__(self, real: Any, name: str, calls: Counter[str]) -> None:
        self._real = real
        self._name = name
        self._calls = calls

    def __getattr__(self, method: str) -> Any:
        target = getattr(self._real, method)

        def call(*args: Any, **kwargs: Any) -> Any:
            self._calls[f"{self._name}.{method}{args}"] += 1
            return target(*args, **kwargs)

        return call


class _CountingUnit:
    def __init__(self, store: CountingStore) -> None:
        self._store = store
        self._context = store.inner.unit_of_work()
        self._real: Any = None

    def __enter__(self) -> _CountingUnit:
        self._real = self._context.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._context.__exit__(kind, value, traceback)

    def __getattr__(self, name: str) -> _CountingRepository:
        return _CountingRepository(getattr(self._real, name), name, self._store.calls)


class CountingStore:
    """A store that counts its units of work and every repository query."""

    def __init__(self, inner: MemoryStore) -> None:
        self.inner = inner
        self.units = 0
        self.calls: Counter[str] = Counter()

    def unit_of_work(self) -> _CountingUnit:
        self.units += 1
        return _CountingUnit(self)

    def close(self) -> None:
        """Nothing to release: the inner store lives for the test."""


@pytest.fixture(scope="module")
def school() -> SyntheticSchool:
    return generate("small", seed=3)


@pytest.fixture
def counting(school: SyntheticSchool, monkeypatch: pytest.MonkeyPatch) -> CountingStore:
    store = MemoryStore()
    write_to_store(school, store)
    counting = CountingStore(store)
    monkeypatch.setattr("eschool_core.cli._report._open_store", lambda _spec: counting)
    monkeypatch.setattr("eschool_core.cli._list._open_store", lambda _spec: counting)
    return counting


class TestReportSet:
    def test_all_reads_the_store_once(self, counting: CountingStore, tmp_path: Path) -> None:
        """R11.3, R11.4: the whole set is built from one unit of work, each query run once."""
        out = tmp_path / "set"
        result = CliRunner().invoke(
            app,
            [
                "report",
                "--all",
                "--period",
                "Q2",
                "--store",
                "x.sqlite",
                "-o",
                str(out),
                "--format",
                "csv",
                "--generated-at",
                MOMENT,
            ],
        )
        assert result.exit_code == 0, result.output
        document = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        built = [r for r in document["reports"] if "error" not in r]
        assert len(built) > 100
        assert counting.units == 1
        assert max(counting.calls.values()) == 1
        codes = {r["code"] for r in built}
        student_reports = {c for c, d in CATALOGUE.items() if "student_id" in d.required}
        year_end = {c for c, d in CATALOGUE.items() if d.year_end}
        assert year_end == {"student_final_data"}
        assert codes == set(CATALOGUE) - student_reports - year_end

    def test_manifest_hashes_and_index(self, counting: CountingStore, tmp_path: Path) -> None:
        """R9.3: the manifest holds each file's SHA-256; the index links every file."""
        out = tmp_path / "set"
        result = CliRunner().invoke(
            app,
            [
                "report",
                "--all",
                "--period",
                "Q2",
                "--store",
                "x",
                "-o",
                str(out),
                "--class",
                "5А",
                "--format",
                "csv",
                "--format",
                "xlsx",
                "--csv-dialect",
                "excel",
                "--generated-at",
                MOMENT,
            ],
        )
        assert result.exit_code == 0, result.output
        document = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert document["period_name"] == "2-я четверть"
        assert document["generated_at"] == "2025-12-29T16:21:00+03:00"
        index = (out / "index.html").read_text(encoding="utf-8")
        files = [f for r in document["reports"] for f in r["files"]]
        assert files
        for entry in files:
            content = (out / entry["name"]).read_bytes()
            assert hashlib.sha256(content).hexdigest() == entry["sha256"]
            assert len(content) == entry["bytes"]
            assert f'href="{entry["name"]}"' in index
        assert {r["kind"] for r in document["reports"]} == {"class", "teacher"}
        assert all(
            r["params"].get("class_id") in {None, "class-2025-05a"} for r in document["reports"]
        )
        csv_file = next(out.glob("*.csv"))
        assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")

    def test_kind_filter(self, counting: CountingStore, tmp_path: Path) -> None:
        """R11.3: --kind school builds only the school's reports."""
        out = tmp_path / "set"
        result = CliRunner().invoke(
            app,
            [
                "report",
                "--all",
                "--period",
                "Q2",
                "--store",
                "x",
                "-o",
                str(out),
                "--kind",
                "school",
                "--format",
                "json",
                "--generated-at",
                MOMENT,
            ],
        )
        assert result.exit_code == 0, result.output
        document = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert {r["kind"] for r in document["reports"]} == {"school"}

    def test_all_needs_a_period_and_a_folder(self, tmp_path: Path) -> None:
        """--all without --period or -o is a usage error."""
        result = CliRunner().invoke(app, ["report", "--synthetic", "--all", "-o", str(tmp_path)])
        assert result.exit_code == 2
        assert "--period" in result.output


class TestList:
    @pytest.mark.parametrize("what", ["classes", "students", "teachers", "subjects", "periods"])
    def test_json(self, counting: CountingStore, school: SyntheticSchool, what: str) -> None:
        """R11.1: eschool list prints the store's ids and names as JSON."""
        result = CliRunner().invoke(app, ["list", what, "--store", "x", "--format", "json"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)
        assert rows
        if what == "classes":
            assert {r["id"] for r in rows} == {c.id for c in school.classes}
        if what == "students":
            names = {s.id: s.person.full_name for s in school.students}
            assert all(names[r["id"]] == r["name"] for r in rows)
        if what == "periods":
            assert {"code": "Q2", "name": "2-я четверть"}.items() <= rows[2].items()

    def test_table_is_whole_when_piped(
        self, counting: CountingStore, school: SyntheticSchool
    ) -> None:
        """R11.1: a listing written to a pipe is not cut: every full name is on its line."""
        result = CliRunner().invoke(app, ["list", "students", "--store", "x"])
        assert result.exit_code == 0, result.output
        for student in school.students[:20]:
            assert any(
                student.id in line and student.person.full_name in line
                for line in result.output.splitlines()
            )


class TestCatalogueListing:
    def test_piped_list_is_whole(self) -> None:
        """R11.1: `report --list` piped keeps every title whole and shows the options it takes.

        The parameters are named as the command line spells them (``--as-of``, not ``as_of``).
        """
        result = CliRunner().invoke(app, ["report", "--list"])
        assert result.exit_code == 0
        lines = result.output.splitlines()
        for definition in CATALOGUE.values():
            line = next(line for line in lines if f" {definition.code} " in line)
            assert definition.title.ru in line
            for name in definition.optional:
                assert f"[{OPTION_OF[name]}]" in line
            assert "_id" not in line.split("|")[4]
        assert ", , ," not in result.output

    def test_json(self) -> None:
        """R11.1: `report --list --format json` lists every report with its parameters."""
        result = CliRunner().invoke(app, ["report", "--list", "--format", "json"])
        assert result.exit_code == 0
        rows = json.loads(result.output)
        assert [r["code"] for r in rows] == list(CATALOGUE)
        assert rows[0]["signatories"] == ["deputy_head", "director"]


class TestPipedCheck:
    def test_check_table_is_not_cut(self) -> None:
        """R8.6: `eschool check` written to a pipe keeps every requirement text whole."""
        from eschool_core.profiles import default_profile

        result = CliRunner().invoke(app, ["check", "--synthetic", "--size", "small"])
        assert result.exit_code == 1
        assert "…" not in result.output
        texts = [rule.title_ru for rule in default_profile().deadlines.rules]
        table_lines = [line for line in result.output.splitlines() if line.startswith("|")]
        assert any(len(line) > 120 for line in table_lines)
        rows = [line for line in table_lines if "journal.marks" in line]
        assert rows
        assert any(text in rows[0] for text in texts)
