"""The examples of docs/movement.md run (R10.1)."""

from __future__ import annotations

import doctest
from pathlib import Path


def test_movement_guide_examples_run() -> None:
    """R10.1: every example of the movement guide gives the output it shows."""
    path = Path(__file__).parent.parent / "docs" / "movement.md"
    result = doctest.testfile(str(path), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
