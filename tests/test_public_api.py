"""The public surface: deliberate exports, documented names, a framework-free core."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest

import eschool_core

_MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(eschool_core.__path__, "eschool_core.")
    if not any(part.startswith("_") for part in name.split(".")[1:])
    and not name.startswith("eschool_core.cli")
)


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


@pytest.mark.parametrize("name", _MODULES)
def test_all_is_sorted_and_documented(name: str) -> None:
    """Every public module declares a sorted __all__ whose names all have docstrings."""
    module = importlib.import_module(name)
    exported = list(getattr(module, "__all__", []))
    assert exported, f"{name} has no __all__"
    assert exported == sorted(exported, key=_isort_key), f"{name}.__all__ is not sorted"
    assert module.__doc__, f"{name} has no docstring"
    for attribute in exported:
        value = getattr(module, attribute)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name}.{attribute} has no docstring"


@pytest.mark.parametrize("name", _MODULES)
def test_classes_and_functions_are_exported(name: str) -> None:
    """Every public class and function defined in a module is in its __all__."""
    module = importlib.import_module(name)
    defined = {
        attribute
        for attribute, value in vars(module).items()
        if not attribute.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == name
    }
    assert defined <= set(module.__all__), sorted(defined - set(module.__all__))


def test_core_import_is_framework_free() -> None:
    """Importing eschool_core loads only the standard library, attrs, dateutil and holidays."""
    code = (
        "import sys, eschool_core, eschool_core.synth, eschool_core.storage\n"
        "print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    third_party = {
        name
        for name in loaded - set(sys.stdlib_module_names) - {"eschool_core", "__main__"}
        if not name.startswith("_sysconfigdata")
    }
    allowed = {"attr", "attrs", "dateutil", "holidays", "six", "_distutils_hack"}
    assert third_party <= allowed, sorted(third_party - allowed)


def test_version() -> None:
    """The package has a version."""
    assert eschool_core.__version__.count(".") == 2
