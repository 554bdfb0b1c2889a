"""The layers of the package: every part named in a contract, no import cycle, probes caught.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``) and run as ``lint-imports``
in ``make lint``; these tests prove that they cover the whole package and that a forbidden
import actually breaks them.
"""

from __future__ import annotations

import pkgutil
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Mapping, Set
from pathlib import Path

import grimp
import pytest

import eschool_core

_ROOT = Path(__file__).resolve().parents[1]
_PACKAGE = Path(eschool_core.__file__).resolve().parent
_LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def _contract(contract_id: str) -> dict[str, object]:
    return next(c for c in _contracts() if c["id"] == contract_id)


def _layer_members(layer: str) -> list[str]:
    return [name.strip() for name in re.split(r"[|:]", layer)]


def _top_level_names() -> set[str]:
    return {f"eschool_core.{info.name}" for info in pkgutil.iter_modules([str(_PACKAGE)])}


def _cycles(imports: Mapping[str, Set[str]]) -> list[list[str]]:
    """Return the import cycles of a module graph: its strongly connected components.

    Tarjan's algorithm, iterative so that a deep chain of imports cannot exhaust the stack.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work: list[tuple[str, Iterable[str]]] = []
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work.append((root, iter(sorted(imports[root]))))
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(imports.get(successor, ())))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in imports.get(node, ()):
                    found.append(sorted(component))
    return found


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("eschool_core", exclude_type_checking_imports=False, cache_dir=None)


class TestContracts:
    def test_every_package_and_top_level_module_is_in_one_layer(self) -> None:
        """The layers contract names each package and module of eschool_core exactly once."""
        layers = _contract("layers")["layers"]
        assert isinstance(layers, list)
        named = [member for layer in layers for member in _layer_members(str(layer))]
        assert len(named) == len(set(named)), "a part is named in two layers"
        assert set(named) == _top_level_names()

    def test_rules_and_entities_are_the_layers_below_the_year_data(self) -> None:
        """Every package below the storage layer, and the deadlines, is a rule or entity source."""
        configured = _contract("layers")["layers"]
        assert isinstance(configured, list)
        layers = [str(layer) for layer in configured]
        below = layers[layers.index("eschool_core.storage") + 1 :]
        rules = {member for layer in below for member in _layer_members(layer)}
        sources = _contract("rules-entities")["source_modules"]
        assert isinstance(sources, list)
        assert set(sources) == rules | {"eschool_core.deadlines"}

    def test_the_architecture_page_draws_the_layers_contract(self) -> None:
        """The layer picture of docs/architecture.md is the layers contract, line by line."""
        page = (_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
        block = page.split("<!-- layers: begin -->")[1].split("<!-- layers: end -->")[0]
        drawn = [re.split(r"\s{2,}", line.strip())[0] for line in block.strip().splitlines()[1:-1]]
        configured = _contract("layers")["layers"]
        assert isinstance(configured, list)
        assert drawn == [str(layer).replace("eschool_core.", "") for layer in configured]

    def test_type_checking_imports_count(self) -> None:
        """No import is exempt because it sits under ``if TYPE_CHECKING:``."""
        config = tomllib.loads((_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        assert config["tool"]["importlinter"]["exclude_type_checking_imports"] is False


class TestNoCycles:
    def test_the_graph_counts_function_level_imports(self) -> None:
        """The graph holds imports made inside functions (open_store's lazy SQL import)."""
        details = _graph().get_import_details(
            importer="eschool_core.storage._open", imported="eschool_core.storage.sql"
        )
        assert details, "open_store imports the SQL adapter inside the function"

    def test_the_cycle_finder_finds_a_cycle(self) -> None:
        """The finder reports a two-module and a three-module cycle, and nothing else."""
        imports = {"a": {"b"}, "b": {"a", "c"}, "c": set(), "d": {"e"}, "e": {"f"}, "f": {"d"}}
        assert sorted(_cycles(imports)) == [["a", "b"], ["d", "e", "f"]]
        assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []

    def test_no_module_imports_itself_back(self) -> None:
        """No import cycle between any two modules, annotations and functions included."""
        graph = _graph()
        imports = {
            module: graph.find_modules_directly_imported_by(module) for module in graph.modules
        }
        assert _cycles(imports) == []


def _copy_package(target: Path) -> Path:
    shutil.copytree(
        _PACKAGE, target / "src" / "eschool_core", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(_ROOT / "pyproject.toml", target / "pyproject.toml")
    return target / "src" / "eschool_core"


def _lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(_LINT_IMPORTS), "--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(where / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


_PROBES = {
    "module level": "from eschool_core.storage import MemoryStore\n",
    "function level": (
        "def _probe() -> object:\n"
        "    from eschool_core.storage import MemoryStore\n\n"
        "    return MemoryStore\n"
    ),
    "annotation only": (
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n"
        "    from eschool_core.storage import MemoryStore\n"
    ),
}


@pytest.mark.skipif(not _LINT_IMPORTS.exists(), reason="lint-imports is not installed (dev extra)")
class TestProbes:
    def test_the_copy_keeps_every_contract(self, tmp_path: Path) -> None:
        """The unchanged copy of the package keeps every contract (the probe's baseline)."""
        _copy_package(tmp_path)
        result = _lint_imports(tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert " 0 broken" in result.stdout

    @pytest.mark.parametrize("probe", sorted(_PROBES))
    def test_grading_importing_storage_breaks_the_contracts(
        self, tmp_path: Path, probe: str
    ) -> None:
        """An import of storage added to grading fails lint-imports, wherever it is written."""
        package = _copy_package(tmp_path)
        module = package / "grading" / "_format.py"
        module.write_text(
            module.read_text(encoding="utf-8") + "\n\n" + _PROBES[probe], encoding="utf-8"
        )
        result = _lint_imports(tmp_path)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "eschool_core.grading._format -> eschool_core.storage" in result.stdout
        assert "Rules and entities import no storage" in result.stdout
