"""What ``import eschool_core`` loads: the errors only; each re-exported name on first use.

Import time itself is measured in ``benchmarks/`` (never asserted here); this pins the
modules that make it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import eschool_core


def _loaded_after(code: str) -> set[str]:
    script = (
        f"import sys\n{code}\n"
        "print('\\n'.join(m for m in sys.modules if m.startswith('eschool_core')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    )
    return set(result.stdout.split())


def test_importing_the_package_loads_only_the_errors() -> None:
    """The package alone loads its errors: no profile, rule, store or entity module."""
    assert _loaded_after("import eschool_core") == {"eschool_core", "eschool_core.errors"}


def test_a_name_loads_its_own_module_only() -> None:
    """``eschool_core.Mark`` loads the journal, not the profiles, the deadlines or a store."""
    loaded = _loaded_after("import eschool_core\neschool_core.Mark")
    assert "eschool_core.journal" in loaded
    assert (
        not {
            "eschool_core.profiles",
            "eschool_core.deadlines",
            "eschool_core.storage",
            "eschool_core.rbac",
        }
        & loaded
    )


def test_every_exported_name_resolves_and_is_listed() -> None:
    """Each name of ``__all__`` resolves to its module's object and appears in ``dir()``."""
    for name in eschool_core.__all__:
        value = getattr(eschool_core, name)
        assert value is not None
        assert name in dir(eschool_core)


def test_an_unknown_name_is_an_attribute_error() -> None:
    """A name the package does not export raises AttributeError, as for any module."""
    with pytest.raises(AttributeError, match="NoSuchName"):
        getattr(eschool_core, "NoSuchName")  # noqa: B009 - the lookup under test
