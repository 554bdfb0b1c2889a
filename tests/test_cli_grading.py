"""Tests of ``eschool average`` (R2.2j)."""

from __future__ import annotations

from click.testing import CliRunner

from eschool_core.cli._app import app


class TestAverageCommand:
    def test_explains_the_average(self) -> None:
        """R2.2j: the command explains 5 (test, weight 2) and 3 as 13/3 ≈ 4,33 and proposes 4."""
        result = CliRunner().invoke(app, ["average", "5:test", "3", "4"])
        assert result.exit_code == 0, result.output
        assert "Средневзвешенный балл: 4,25" in result.output
        assert "Сумма: 17; сумма весов: 4" in result.output
        assert "Предлагаемая отметка за период: 4" in result.output

    def test_double_mark_and_own_weight(self) -> None:
        """R2.2j: «5/4» is two marks; an own weight follows the second colon."""
        result = CliRunner().invoke(app, ["average", "5/4", "3:answer:2", "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert "Weighted average: 3.75" in result.output

    def test_forecast(self) -> None:
        """R2.2j: --target tells how many marks reach it, or that it is impossible."""
        result = CliRunner().invoke(app, ["average", "3", "3", "4", "--target", "4"])
        assert "нужно ещё отметок «5» (Ответ на уроке): 1" in result.output
        result = CliRunner().invoke(
            app, ["average", "2", "2", "2", "--target", "5", "--remaining", "3", "--lang", "en"]
        )
        assert "cannot be reached" in result.output

    def test_too_few_marks(self) -> None:
        """R2.2j: below the minimum of marks the proposal is «н/а» and the minimum is named."""
        result = CliRunner().invoke(app, ["average", "5"])
        assert "н/а (нужно не меньше 3 отметок)" in result.output

    def test_work_types(self) -> None:
        """R2.2j: without marks the command lists the profile's work types and weights."""
        result = CliRunner().invoke(app, ["average", "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert "Independent work" in result.output
        assert "1.5" in result.output

    def test_bad_mark(self) -> None:
        """R2.2j: a mark 6, an unknown work type or a bad weight exit with status 2."""
        for args in (["6"], ["5:quiz-x"], ["5:answer:9"], ["5:a:1:2"]):
            result = CliRunner().invoke(app, ["average", *args])
            assert result.exit_code == 2, (args, result.output)
