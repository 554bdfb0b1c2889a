"""The profile's ``[rbac]`` and ``[accounts]`` sections, and ``eschool matrix``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import eschool_core.accounts
import eschool_core.audit
import eschool_core.rbac
from eschool_core.cli._app import app
from eschool_core.errors import ProfileError
from eschool_core.profiles import default_profile, default_profile_text, parse_profile

GRANT = (
    '{ role = "clerk", action = "staff_card.write", scope = "school", clause = "6.2", '
    'requirement = "R6.2" },'
)


def with_grant(row: str) -> str:
    return default_profile_text().replace("grants = [\n", "grants = [\n    " + row + "\n", 1)


class TestRbacSection:
    def test_default_profile_reads(self) -> None:
        """R3.2.1: the default profile holds the role matrix and the account policy."""
        profile = default_profile()
        assert profile.rbac.grants
        assert profile.accounts.max_failed_logins == 5
        assert profile.accounts.lockout_minutes == 15

    @pytest.mark.parametrize(
        ("row", "key"),
        [
            (GRANT.replace('"clerk"', '"janitor"'), "rbac.grants[0].role"),
            (GRANT.replace('"staff_card.write"', '"teleport"'), "rbac.grants[0].action"),
            (GRANT.replace('"school"', '"galaxy"'), "rbac.grants[0].scope"),
            (GRANT.replace('clause = "6.2", ', ""), "rbac.grants[0].clause"),
            (GRANT.replace(" }", ", extra = 1 }"), "rbac.grants[0].extra"),
        ],
    )
    def test_bad_rows_name_the_key(self, row: str, key: str) -> None:
        """A malformed matrix row is a ProfileError naming section, row and key."""
        with pytest.raises(ProfileError) as info:
            parse_profile(with_grant(row))
        assert info.value.details["key"] == key

    def test_write_for_parent_is_a_profile_error(self) -> None:
        """R3.2.4: a profile cannot grant a parent a write."""
        row = GRANT.replace('"clerk"', '"parent"').replace('"school"', '"own"')
        with pytest.raises(ProfileError) as info:
            parse_profile(with_grant(row))
        assert info.value.code == "rbac.write_for_read_only_role"

    def test_repeated_cell_is_a_profile_error(self) -> None:
        """R3.2.1: a cell granted twice is a profile error."""
        with pytest.raises(ProfileError) as info:
            parse_profile(with_grant(GRANT))
        assert info.value.details["key"] == "rbac.grants"

    def test_accounts_out_of_range(self) -> None:
        """The lockout numbers are checked: zero failures is out of range."""
        text = default_profile_text().replace("max_failed_logins = 5", "max_failed_logins = 0")
        with pytest.raises(ProfileError) as info:
            parse_profile(text)
        assert info.value.details["key"] == "accounts.max_failed_logins"


class TestMatrixCommand:
    def test_markdown_russian_by_default(self) -> None:
        """R3.2.1: `eschool matrix` prints Appendix 1 in Russian as Markdown."""
        result = CliRunner().invoke(app, ["matrix"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("| Роль | Действие |")
        assert "| Делопроизводитель | Создание карточек обучающихся |" in result.output

    def test_csv_english(self) -> None:
        """R3.2.1: `eschool matrix --format csv --lang en` prints an English CSV."""
        result = CliRunner().invoke(app, ["matrix", "--format", "csv", "--lang", "en"])
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert lines[0] == "Role,Action,Action code,Scope,Clause,Requirement"
        assert len(lines) == len(default_profile().rbac.grants) + 1

    def test_bad_profile_exits_2(self, tmp_path: Path) -> None:
        """A malformed profile is reported in --lang, a missing one named; exit 2."""
        bad = tmp_path / "p.toml"
        bad.write_text("nonsense = [\n", encoding="utf-8")
        result = CliRunner().invoke(app, ["matrix", "--profile", str(bad)])
        assert result.exit_code == 2
        assert "не является корректным TOML" in result.output
        english = CliRunner().invoke(app, ["--lang", "en", "matrix", "--profile", str(bad)])
        assert english.exit_code == 2
        assert "not valid TOML" in english.output
        missing = CliRunner().invoke(app, ["matrix", "--profile", str(tmp_path / "none.toml")])
        assert missing.exit_code == 2
        assert "--profile" in missing.output


class TestExports:
    @pytest.mark.parametrize(
        "module", [eschool_core.rbac, eschool_core.audit, eschool_core.accounts]
    )
    def test_all_is_sorted_and_complete(self, module: object) -> None:
        """Every public name is exported once (ruff RUF022 keeps `__all__` sorted)."""
        exported = list(module.__all__)  # type: ignore[attr-defined]
        assert len(exported) == len(set(exported))
        public = {
            name
            for name, value in vars(module).items()
            if not name.startswith("_")
            and getattr(value, "__module__", "").startswith(module.__name__)  # type: ignore[attr-defined]
        }
        assert public <= set(exported)
