from __future__ import annotations

import builtins
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eschool_core import synth
from eschool_core.cli import main
from eschool_core.cli._app import app
from eschool_core.storage import open_store


class TestDemo:
    def test_demo_prints_summary(self, tmp_path: Path) -> None:
        """`eschool demo` generates a school, prints its summary and writes reports (R11.1)."""
        store = tmp_path / "store" / "school.sqlite"
        result = CliRunner().invoke(
            app,
            [
                *("demo", "--size", "small", "--seed", "2"),
                *("--store", str(store), "--reports-dir", str(tmp_path)),
            ],
        )
        assert result.exit_code == 0, result.output
        assert store.is_file()
        assert "Ученики / Students" in result.output
        assert "Текущие отметки / Current marks" in result.output
        assert str(tmp_path) in result.output.replace("\n", "")
        assert (tmp_path / "class_period_results.csv").is_file()
        assert "Соблюдение сроков" in result.output
        assert "journal.marks" in result.output

    def test_demo_stores_the_schools_year(self, tmp_path: Path) -> None:
        """The demo's store keeps the school's own academic year, and no file beside it (R4.4b)."""
        store = tmp_path / "demo" / "school.sqlite"
        result = CliRunner().invoke(
            app,
            [
                "demo",
                "--size",
                "small",
                "--seed",
                "2",
                "--store",
                str(store),
                "--reports-dir",
                str(tmp_path / "reports"),
            ],
        )
        assert result.exit_code == 0, result.output
        assert not (store.parent / "year.toml").exists()
        opened = open_store(str(store))
        try:
            with opened.unit_of_work() as uow:
                (written,) = uow.academic_years.all()
        finally:
            opened.close()
        expected = synth.academic_year_of(synth.generate("small", 2))
        assert written == expected
        for parallel in (1, 5, 10):
            assert written.periods(parallel) == expected.periods(parallel)
        assert written.vacations_of(5) == expected.vacations_of(5)

    def test_bad_option_is_usage_error(self) -> None:
        """An unknown size is a usage error with exit status 2."""
        result = CliRunner().invoke(app, ["demo", "--size", "huge"])
        assert result.exit_code == 2

    def test_library_error_exit_status(self) -> None:
        """A library error is a message in --lang (Russian by default) and exit status 2."""
        result = CliRunner().invoke(app, ["demo", "--size", "small", "--year", "2025"])
        assert result.exit_code == 2
        assert "учебный год" in result.output
        assert "academic year" not in result.output
        english = CliRunner().invoke(app, ["--lang", "en", "demo", "--year", "2025"])
        assert english.exit_code == 2
        assert "academic year" in english.output
        assert "учебный год" not in english.output


class TestEntryPoint:
    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`eschool --version` prints the version and exits 0."""
        assert main(["--version"]) == 0
        assert "version" in capsys.readouterr().out

    def test_missing_extra(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without the cli extra, eschool names the extra to install and exits 1."""
        real_import = builtins.__import__

        def no_click(name: str, *args: Any, **kwargs: Any) -> Any:
            if name == "click" or name.startswith("click."):
                raise ModuleNotFoundError("No module named 'click'", name="click")
            return real_import(name, *args, **kwargs)

        for module in [m for m in sys.modules if m.startswith("eschool_core.cli._")]:
            monkeypatch.delitem(sys.modules, module)
        monkeypatch.setattr(builtins, "__import__", no_click)
        assert main(["demo"]) == 1
        assert "eschool-core[cli]" in capsys.readouterr().err
