"""``eschool synth`` and ``eschool analyze`` through click's test runner (R8.6, R2.2k, R8.10)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from eschool_core.analytics import Analysis, Dataset, timeliness
from eschool_core.cli._app import app
from tests.profile_variants import variant_profile, variant_profile_text


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic school written as Parquet by ``eschool synth``."""
    target = tmp_path_factory.mktemp("small")
    result = CliRunner().invoke(app, ["synth", "--size", "small", "--seed", "4", str(target)])
    assert result.exit_code == 0, result.output
    assert "marks: " in result.output
    return target


class TestAnalyzeCommand:
    """The analyze command renders each analysis in each format."""

    def test_timeliness_json(self, folder: Path) -> None:
        """R8.6: the JSON output has the Russian title and the late marks per teacher."""
        result = CliRunner().invoke(
            app, ["analyze", str(folder), "--what", "timeliness", "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        body = json.loads(result.stdout)
        assert body["title"] == "Своевременность выставления текущих отметок"
        assert sum(row["late"] for row in body["rows"]) > 0

    @pytest.mark.parametrize("what", ["period-marks", "quality", "timeliness", "attendance"])
    def test_rows_come_sorted_by_their_keys(self, folder: Path, what: str) -> None:
        """The rows are in the order of the analysis's key columns, whatever the engine gave."""
        result = CliRunner().invoke(
            app, ["analyze", str(folder), "--what", what, "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)["rows"]
        keys = [tuple(str(row[name]) for name in Analysis(what).keys) for row in rows]
        assert len(keys) > 10
        assert keys == sorted(keys)

    def test_quality_csv(self, folder: Path) -> None:
        """R2.2k: the CSV output has the quality columns."""
        result = CliRunner().invoke(
            app, ["analyze", str(folder), "--what", "quality", "--format", "csv"]
        )
        assert result.exit_code == 0, result.output
        header = result.stdout.splitlines()[0].split(",")
        assert {"success_rate", "quality", "sou", "class_id"} <= set(header)

    def test_period_marks_parquet_and_plot(self, folder: Path, tmp_path: Path) -> None:
        """R2.2j: period marks go to a Parquet file and their distribution to a PNG."""
        output, picture = tmp_path / "marks.parquet", tmp_path / "marks.png"
        result = CliRunner().invoke(
            app,
            [
                "analyze",
                str(folder),
                "--what",
                "period-marks",
                "--format",
                "parquet",
                "--output",
                str(output),
                "--plot",
                str(picture),
            ],
        )
        assert result.exit_code == 0, result.output
        assert pq.read_table(output).num_rows > 1000
        assert picture.read_bytes()[:4] == b"\x89PNG"

    @pytest.mark.parametrize("what", ["completeness", "attendance"])
    def test_text(self, folder: Path, what: str) -> None:
        """R8.10: completeness and attendance render as text with a title."""
        result = CliRunner().invoke(app, ["analyze", str(folder), "--what", what, "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[0] in {
            "Completeness of the e-journals",
            "Absences by reason",
        }

    def test_missing_folder(self, tmp_path: Path) -> None:
        """A folder without marks.parquet is a clear error with exit status 2."""
        result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--what", "quality"])
        assert result.exit_code == 2


class TestAnalyzeWithAProfile:
    """``--profile`` gives the analyses the school's own entry deadlines."""

    def test_timeliness_takes_the_profiles_extension(self, folder: Path, tmp_path: Path) -> None:
        """R8.6: with a 5-day extension the command counts the marks timeliness counts with it."""
        profile = variant_profile()
        path = tmp_path / "profile.toml"
        path.write_text(variant_profile_text(), encoding="utf-8")
        late = {}
        for name, extra in (("default", []), ("variant", ["--profile", str(path)])):
            result = CliRunner().invoke(
                app,
                ["analyze", str(folder), "--what", "timeliness", "--format", "json", *extra],
            )
            assert result.exit_code == 0, result.output
            late[name] = sum(row["late"] for row in json.loads(result.stdout)["rows"])
        data = Dataset.from_parquet(folder)
        table = timeliness(data, deadlines=profile.deadlines.entry_deadlines).to_pyarrow()
        assert late["variant"] == sum(table.column("late").to_pylist())
        assert late["variant"] < late["default"]
