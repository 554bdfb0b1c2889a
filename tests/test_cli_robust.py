"""The command line's error boundary: every bad input is a message, never a traceback (R9.3).

Each case runs in a folder of its own and checks the exit status, the language of the
message, that no traceback is shown and that no file was created or changed.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from eschool_core.cli._app import app
from eschool_core.profiles import default_profile_text
from eschool_core.storage import MemoryStore
from eschool_core.storage.bundle import export_bundle
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import load, sample_school

_CYRILLIC = re.compile("[А-Яа-яЁё]")


def _state(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a store, another app's database, a bundle and bad files."""
    monkeypatch.chdir(tmp_path)
    store = SqlStore(str(tmp_path / "school.sqlite"), create=True)
    load(store, sample_school())
    store.close()
    conn = sqlite3.connect(tmp_path / "other_app.sqlite")
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.commit()
    conn.close()
    source = MemoryStore()
    load(source, sample_school())
    export_bundle(source, tmp_path / "bundle.zip")
    (tmp_path / "notzip.zip").write_bytes(b"not a zip")
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "data.bin").write_bytes(b"my data")
    (tmp_path / "precious" / "year.toml").write_text("# mine\n", encoding="utf-8")
    (tmp_path / "cp1251.toml").write_bytes(default_profile_text().encode("cp1251", "replace"))
    (tmp_path / "pq").mkdir()
    (tmp_path / "pq" / "marks.parquet").write_bytes(b"garbage")
    (tmp_path / "adir").mkdir()
    return tmp_path


def _run(folder: Path, args: list[str]) -> tuple[Result, bool]:
    """Run ``eschool args``; return the result and whether the folder is unchanged."""
    before = _state(folder)
    result = CliRunner().invoke(app, args)
    return result, _state(folder) == before


_BAD = [
    (["export", "nope.sqlite", "out"], "nope.sqlite"),
    (["export", "other_app.sqlite", "out"], "other_app.sqlite"),
    (["export", "mysql://x/y", "out"], "mysql://"),
    (["export", "adir", "out"], "adir"),
    (["import", "bundle.zip", "other_app.sqlite"], "other_app.sqlite"),
    (["demo", "--size", "small", "--store", "precious/data.bin"], "data.bin"),
    (["check", "--store", "nope.sqlite"], "nope.sqlite"),
    (["check", "--store", "other_app.sqlite"], "other_app.sqlite"),
    (["check", "--synthetic", "--profile", "cp1251.toml"], "cp1251.toml"),
    (["check", "--store", "school.sqlite", "--year-file", "cp1251.toml"], "cp1251.toml"),
    (["report", "class_occupancy", "--store", "nope.sqlite"], "nope.sqlite"),
    (
        ["report", "--synthetic", "class_occupancy", "-o", "/nonexistent/x.pdf", "--format", "pdf"],
        "/nonexistent",
    ),
    (["report", "--synthetic", "class_occupancy", "--from", "2025-13-01"], "--from"),
    (["analyze", "pq", "--what", "quality"], "marks.parquet"),
    (["analyze", "school.sqlite", "--what", "quality", "--plot", "x.png"], "quality"),
    (["analyze", "school.sqlite", "--what", "timeliness", "--plot", "x.jpg"], "x.jpg"),
    (["analyze", "pq", "--what", "timeliness", "--output", "/nonexistent/x.csv"], "/nonexistent"),
    (["analyze", "other_app.sqlite", "--what", "quality"], "other_app.sqlite"),
    (["synth", "out", "--schools", "-1"], "--schools"),
]


class TestBadInput:
    @pytest.mark.parametrize(("args", "named"), _BAD)
    @pytest.mark.parametrize("lang", ["ru", "en"])
    def test_message_exit_2_nothing_touched(
        self, place: Path, args: list[str], named: str, lang: str
    ) -> None:
        """Exit 2 with one message in --lang naming the culprit; no file touched (R9.3)."""
        result, unchanged = _run(place, ["--lang", lang, *args])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert named in result.output
        assert unchanged
        lines = [line for line in result.output.splitlines() if line.startswith("eschool:")]
        if lang == "en":
            assert not any(_CYRILLIC.search(line) for line in lines), result.output
        elif lines:
            assert all(_CYRILLIC.search(line) for line in lines), result.output

    @pytest.mark.parametrize("bundle", ["notzip.zip", "school.sqlite"])
    def test_failed_import_leaves_no_store(self, place: Path, bundle: str) -> None:
        """A bundle that is not one leaves no empty store behind (R9.3)."""
        result, unchanged = _run(place, ["import", bundle, "new.sqlite"])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert unchanged
        assert not list(place.glob("new.sqlite*"))

    def test_bad_postgres_database(self, place: Path) -> None:
        """A database that does not exist is one line, without SQLAlchemy's links (R9.3)."""
        from tests.conftest import POSTGRES_DSN

        if not POSTGRES_DSN:
            pytest.skip("ESCHOOL_TEST_POSTGRES_DSN is not set")
        url = POSTGRES_DSN.rsplit("/", 1)[0] + "/no_such_database_eschool"
        result, unchanged = _run(place, ["export", url, "out"])
        assert result.exit_code == 2
        assert "sqlalche.me" not in result.output
        assert unchanged

    def test_sub_command_lang_switches_the_error(self, place: Path) -> None:
        """`eschool check --lang en` speaks English in its error too (R9.3)."""
        result, _ = _run(place, ["check", "--lang", "en", "--store", "nope.sqlite"])
        assert result.exit_code == 2
        assert "does not exist" in result.output
        assert not _CYRILLIC.search(result.output)


class TestWritingCommands:
    def test_demo_with_a_bad_year_touches_nothing(self, place: Path) -> None:
        """A bad --year is refused before a file is written (R9.3); year.toml stays the user's."""
        result, unchanged = _run(
            place, ["demo", "--store", "precious/school.sqlite", "--year", "2025/2027"]
        )
        assert result.exit_code == 2, result.output
        assert "2025/2027" in result.output
        assert unchanged

    def test_import_into_a_new_store(self, place: Path) -> None:
        """A good bundle into a new file works, in the chosen language (R9.3)."""
        result = CliRunner().invoke(app, ["--lang", "en", "import", "bundle.zip", "new.sqlite"])
        assert result.exit_code == 0, result.output
        assert "Imported records" in result.output
        assert not _CYRILLIC.search(result.output.splitlines()[0])


class TestMissingExtras:
    @pytest.fixture
    def without(self, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
        """Make a module unimportable, as if its extra were not installed."""

        def hide(module: str) -> None:
            for name in [n for n in sys.modules if n == module or n.startswith(module + ".")]:
                monkeypatch.delitem(sys.modules, name)
            monkeypatch.setitem(sys.modules, module, None)

        return hide

    @pytest.mark.parametrize(
        ("module", "args", "extra"),
        [
            ("sqlalchemy", ["export", "school.sqlite", "out"], "sql"),
            ("sqlalchemy", ["demo", "--size", "small", "--store", "d/s.sqlite"], "sql"),
            ("fpdf", ["report", "class_occupancy", "--format", "pdf", "-o", "x.pdf"], "export"),
            (
                "openpyxl",
                ["report", "class_occupancy", "--format", "xlsx", "-o", "x.xlsx"],
                "export",
            ),
        ],
    )
    def test_the_extra_is_named(
        self,
        place: Path,
        without: Callable[[str], None],
        module: str,
        args: list[str],
        extra: str,
    ) -> None:
        """A command whose extra is missing names it and exits 1 (R9.3)."""
        without("eschool_core.storage.sql")
        without(module)
        result, unchanged = _run(place, ["--lang", "en", *args])
        assert result.exit_code == 1, result.output
        assert f"pip install 'eschool-core[{extra}]'" in result.output
        assert "Traceback" not in result.output
        assert unchanged


class TestUnexpectedErrors:
    @pytest.fixture
    def fault(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Inject an internal fault into the export."""

        def broken(*_args: object, **_kwargs: object) -> None:
            raise KeyError("injected")

        monkeypatch.setattr("eschool_core.cli._exchange.export_bundle", broken)

    @pytest.mark.usefixtures("fault")
    def test_one_line_and_exit_70(self, place: Path) -> None:
        """An unexpected error is one line asking for a bug report, exit 70 (R9.3)."""
        result = CliRunner().invoke(app, ["--lang", "en", "export", "school.sqlite", "out"])
        assert result.exit_code == 70
        assert "Traceback" not in result.output
        assert "report this bug" in result.output
        assert len(result.output.strip().splitlines()) == 1

    @pytest.mark.usefixtures("fault")
    def test_debug_shows_the_traceback(self, place: Path) -> None:
        """With --debug the traceback is printed too (R9.3)."""
        result = CliRunner().invoke(app, ["--debug", "export", "school.sqlite", "out"])
        assert result.exit_code == 70
        assert "Traceback" in result.output
        assert "injected" in result.output

    def test_os_error_on_output_names_the_path(
        self, place: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An OSError writing an output is a message naming the path, exit 2 (R9.3)."""

        def full(self: Path, *_args: object, **_kwargs: object) -> None:
            raise OSError(28, "No space left on device", str(self))

        monkeypatch.setattr(Path, "write_bytes", full)
        result = CliRunner().invoke(
            app, ["--lang", "en", "report", "--synthetic", "class_occupancy", "-o", "out.txt"]
        )
        assert result.exit_code == 2, result.output
        assert "out.txt" in result.output
        assert "No space left on device" in result.output
        assert "Traceback" not in result.output
