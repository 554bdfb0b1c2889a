"""Tests of ``eschool calendar`` (R4.4b, R7.1)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from eschool_core.calendar import standard_year
from eschool_core.cli._app import app
from eschool_core.profiles import default_profile


class TestCalendarCommand:
    """The printable academic calendar."""

    def test_standard_year(self) -> None:
        """R7.1: periods, vacations, holidays and school days per month, Russian headings."""
        result = CliRunner().invoke(app, ["calendar", "2025/2026", "--parallel", "5"])
        assert result.exit_code == 0, result.output
        out = result.output
        assert "Учебные периоды" in out
        assert "1-я четверть" in out
        assert "осенние каникулы" in out
        assert "День народного единства" in out
        assert "сентябрь 2025" in out
        assert "168" in out

    def test_english(self) -> None:
        """--lang en prints English headings."""
        result = CliRunner().invoke(
            app, ["calendar", "2025/2026", "--parallel", "10", "--lang", "en"]
        )
        assert result.exit_code == 0, result.output
        assert "Study periods" in result.output
        assert "1st half-year" in result.output

    def test_year_file(self, tmp_path: Path) -> None:
        """--year-file reads the year from TOML."""
        year = standard_year("2025/2026", default_profile().calendar)
        path = tmp_path / "year.toml"
        path.write_text(year.to_toml(), encoding="utf-8")
        result = CliRunner().invoke(app, ["calendar", "2025/2026", "--year-file", str(path)])
        assert result.exit_code == 0, result.output
        assert "4-я четверть" in result.output

    def test_label_mismatch_and_missing_file(self, tmp_path: Path) -> None:
        """A file of another year or an unreadable file exits with status 2 and a message."""
        year = standard_year("2025/2026", default_profile().calendar)
        path = tmp_path / "year.toml"
        path.write_text(year.to_toml(), encoding="utf-8")
        result = CliRunner().invoke(app, ["calendar", "2024/2025", "--year-file", str(path)])
        assert result.exit_code == 2
        assert "2025/2026" in result.output
        result = CliRunner().invoke(
            app, ["calendar", "2025/2026", "--year-file", str(tmp_path / "none.toml")]
        )
        assert result.exit_code == 2

    def test_unknown_year(self) -> None:
        """A year the production calendar does not know exits with status 2."""
        result = CliRunner().invoke(app, ["calendar", "2031/2032"])
        assert result.exit_code == 2
        assert "2031" in result.output

    def test_bad_label_and_parallel(self) -> None:
        """A malformed label or parallel is bad usage."""
        assert CliRunner().invoke(app, ["calendar", "2025"]).exit_code == 2
        assert CliRunner().invoke(app, ["calendar", "2025/2026", "--parallel", "12"]).exit_code == 2
