"""The traceability table maps every requirement id to code and tests, one coherent row each."""

from __future__ import annotations

import functools
import importlib
import re
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from eschool_core.cli._app import app
from eschool_core.rbac import Action, Scope
from eschool_core.reports import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "eschool_core"
TABLE = ROOT / "docs" / "traceability.md"

# The ids of the regulation's requirements catalogue, in its order.
CATALOGUE_IDS = (
    "R2.2a",
    "R2.2c",
    "R2.2d",
    "R2.2e",
    "R2.2f",
    "R2.2i",
    "R2.2j",
    "R2.2k",
    "R2.2l",
    "R2.2n",
    "R3.1a",
    "R3.1b",
    "R3.1c",
    "R3.2.1",
    "R3.2.2a",
    "R3.2.2b",
    "R3.2.2c",
    "R3.2.3a",
    "R3.2.3b",
    "R3.2.4",
    "R4.1",
    "R4.2a",
    "R4.2b",
    "R4.3",
    "R4.4a",
    "R4.4b",
    "R4.5",
    "R4.6",
    "R4.7",
    "R5.1",
    "R5.2",
    "R5.3a",
    "R5.3b",
    "R5.3c",
    "R5.3d",
    "R5.3e",
    "R5.3f",
    "R5.4",
    "R5.5",
    "R5.6",
    "R5.7",
    "R5.8",
    "R6.1",
    "R6.2",
    "R6.3",
    "R6.4",
    "R6.5",
    "R6.6",
    "R6.7",
    "R7.1",
    "R7.2",
    "R7.3",
    "R7.4",
    "R7.5",
    "R7.6",
    "R7.7a",
    "R7.7b",
    "R7.7c",
    "R7.7d",
    "R7.7e",
    "R8.1",
    "R8.2",
    "R8.4.1",
    "R8.4.2",
    "R8.5.1",
    "R8.6",
    "R8.7a",
    "R8.7b",
    "R8.8",
    "R8.9",
    "R8.10",
    "R8.11",
    "R8.12",
    "R9.1",
    "R9.2",
    "R9.3",
    "R9.4",
    "R10.1",
    "R10.1a",
    "R10.1b",
    "R10.1c",
    "R10.1d",
    "R10.1e",
    "R10.2",
    "R11.1",
    "R11.3a",
    "R11.3b",
    "R11.3c",
    "R11.3d",
    "R11.3e",
    "R11.4a",
    "R11.4b",
    "R11.4c",
    "R11.4d",
    "R11.5",
    "R11.6",
    "R12.3",
    "R12.5",
)

_ROW = re.compile(r"^\| (R[0-9][0-9.a-z]*) \|(.*)\|\s*$")
_STATUS = re.compile(r"done|(?:partial|not yet): [^;|]+\.")
_TEST_REF = re.compile(r"(tests/[\w/]+\.py)(?:::(\w+))?(?:::(\w+))?")
_RULES_CITED = re.compile(r"deadlines rules? ((?:`[^`]+`(?:, | and | … )?)+)")


class _Row:
    """One row of the table.

    Attributes:
        id: The requirement id.
        requirement: The project's wording of the requirement.
        code: The code column.
        tests: The tests column.
        status: The status column.
    """

    def __init__(self, cells: list[str]) -> None:
        self.id, self.requirement, self.code, self.tests, self.status = cells


def _id_pattern(requirement_id: str) -> re.Pattern[str]:
    return re.compile(re.escape(requirement_id) + r"(?![0-9a-z]|\.[0-9])")


@functools.cache
def _rows() -> tuple[_Row, ...]:
    rows: list[_Row] = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            assert len(cells) == 5, f"{match.group(1)}: {len(cells)} cells"
            rows.append(_Row(cells))
    return tuple(rows)


@functools.cache
def _texts() -> tuple[tuple[Path, str], ...]:
    """The test modules and doc pages that may name an id (this module and the table excluded)."""
    paths = [p for p in sorted((ROOT / "tests").rglob("test_*.py")) if p != Path(__file__)]
    paths += [p for p in sorted((ROOT / "docs").glob("*.md")) if p != TABLE]
    return tuple((p, p.read_text(encoding="utf-8")) for p in paths)


@functools.cache
def _profile() -> dict[str, object]:
    return tomllib.loads((PACKAGE / "profiles" / "default.toml").read_text(encoding="utf-8"))


def _rules() -> list[dict[str, str]]:
    deadlines = _profile()["deadlines"]
    assert isinstance(deadlines, dict)
    rules = deadlines["rules"]
    assert isinstance(rules, list)
    return rules


def _backticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def _resolve(name: str) -> bool:
    """Whether ``eschool_core.<name>`` names a module or an attribute reachable from one."""
    parts = name.split(".")
    module: ModuleType | None = None
    index = 0
    for end in range(len(parts), 0, -1):
        try:
            module = importlib.import_module("eschool_core." + ".".join(parts[:end]))
        except ModuleNotFoundError:
            continue
        index = end
        break
    if module is None:
        return False
    target: object = module
    for part in parts[index:]:
        if not hasattr(target, part):
            return False
        target = getattr(target, part)
    return True


_MODULES = frozenset(
    p.stem if p.is_file() else p.name
    for p in PACKAGE.iterdir()
    if not p.name.startswith("_") and (p.suffix == ".py" or (p / "__init__.py").exists())
)


class TestIds:
    def test_every_catalogue_id_has_exactly_one_row(self) -> None:
        """Every id of the catalogue appears once in the table, and no other id does."""
        ids = [row.id for row in _rows()]
        assert sorted(ids) == sorted(CATALOGUE_IDS)
        assert len(set(ids)) == len(ids)

    def test_catalogue_ids_are_distinct(self) -> None:
        """The list of catalogue ids kept here has no repetition."""
        assert len(set(CATALOGUE_IDS)) == len(CATALOGUE_IDS) == 98


class TestRows:
    def test_one_status_per_row(self) -> None:
        """Each status is done, or one partial / not-yet sentence, never merged fragments."""
        bad = [row.id for row in _rows() if not _STATUS.fullmatch(row.status)]
        assert not bad

    def test_no_repeated_fragments(self) -> None:
        """No code or tests cell repeats a fragment, as automated merges used to leave."""
        bad = []
        for row in _rows():
            for cell in (row.code, row.tests):
                fragments = [f.strip() for f in cell.split(";")]
                if len(fragments) != len(set(fragments)):
                    bad.append(row.id)
            refs = _TEST_REF.findall(row.tests)
            if len(refs) != len(set(refs)):
                bad.append(row.id)
        assert not bad

    def test_every_requirement_is_worded(self) -> None:
        """The requirement column is filled in for every row."""
        assert all(len(row.requirement) > 10 for row in _rows())

    @pytest.mark.parametrize("requirement_id", CATALOGUE_IDS)
    def test_done_or_partial_rows_have_a_test_naming_the_id(self, requirement_id: str) -> None:
        """A done or partial requirement is named by a test in tests/ or docs/, and a cited one."""
        row = next(r for r in _rows() if r.id == requirement_id)
        if row.status.startswith("not yet"):
            return
        pattern = _id_pattern(requirement_id)
        naming = {p.relative_to(ROOT).as_posix() for p, text in _texts() if pattern.search(text)}
        assert naming, f"no test names {requirement_id}"
        cited = {path for path, _, _ in _TEST_REF.findall(row.tests)}
        assert cited & naming, f"{requirement_id}: none of {sorted(cited)} names it"


class TestCitedPaths:
    def test_cited_tests_exist(self) -> None:
        """Every cited test file, class and test function exists."""
        missing = []
        for row in _rows():
            refs = _TEST_REF.findall(row.tests)
            assert refs, f"{row.id} cites no test"
            for path, cls, func in refs:
                file = ROOT / path
                if not file.is_file():
                    missing.append(path)
                    continue
                text = file.read_text(encoding="utf-8")
                if cls and not re.search(rf"^class {cls}\b", text, re.M):
                    missing.append(f"{path}::{cls}")
                if func and not re.search(rf"def {func}\(", text):
                    missing.append(f"{path}::{cls}::{func}")
        assert not missing

    def test_cited_code_exists(self) -> None:
        """Every cited path, name, profile section, rule, action, report and command exists."""
        rule_ids = {rule["id"] for rule in _rules()}
        names = {str(action) for action in Action} | {str(scope) for scope in Scope}
        names |= set(CATALOGUE)
        sections = set(_profile())
        commands = set(app.commands)
        missing = []
        for row in _rows():
            for token in _backticked(row.code):
                if token.startswith("["):
                    if token.strip("[]").split(".")[0] not in sections:
                        missing.append(token)
                elif token.startswith("eschool "):
                    if token.split()[1] not in commands:
                        missing.append(token)
                elif "/" in token:
                    if not (PACKAGE / token).exists():
                        missing.append(token)
                elif token in rule_ids or token in names:
                    continue
                elif token.split(".")[0] not in _MODULES or not _resolve(token):
                    missing.append(token)
        assert not missing

    def test_cited_deadline_rules_exist_and_every_rule_is_cited(self) -> None:
        """The deadline rules a row names exist, and each rule is cited in its requirement's row."""
        rules = {rule["id"]: rule["requirement"] for rule in _rules()}
        by_id = {row.id: row for row in _rows()}
        unknown = [
            name
            for row in _rows()
            for group in _RULES_CITED.findall(row.code)
            for name in _backticked(group)
            if name not in rules
        ]
        assert not unknown
        uncited = [
            rule_id
            for rule_id, requirement in rules.items()
            if f"`{rule_id}`" not in by_id[requirement].code
        ]
        assert not uncited

    def test_every_report_is_cited_in_its_requirements_row(self) -> None:
        """Each report of the catalogue is cited in the row of the requirement it serves."""
        by_id = {row.id: row for row in _rows()}
        uncited = [
            code
            for code, definition in CATALOGUE.items()
            if f"`{code}`" not in by_id[definition.requirement].code
        ]
        assert not uncited
