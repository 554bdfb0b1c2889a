"""The guard that tests never write into the work tree: ``git status`` before and after a run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CACHE_PARTS = frozenset(
    {
        "__pycache__",
        ".pytest_cache",
        ".hypothesis",
        ".mypy_cache",
        ".ruff_cache",
        ".benchmarks",
        ".grimp_cache",
        ".import_linter_cache",
        ".coverage",
    }
)
"""Path components of the caches that tools keep in the work tree (not written by tests)."""


def worktree_status(root: Path) -> frozenset[str] | None:
    """Return ``git status --porcelain --ignored`` of ``root`` as lines, or ``None`` outside git.

    Untracked folders are listed file by file (``--untracked-files=all``), so a new file in a
    folder that already had untracked files is seen too.
    """
    git = shutil.which("git")
    if git is None:
        return None
    try:
        completed = subprocess.run(
            [git, "status", "--porcelain", "--ignored", "--untracked-files=all"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    if completed.returncode != 0:
        return None
    return frozenset(line for line in completed.stdout.splitlines() if line.strip())


def _is_cache(line: str) -> bool:
    path = line[3:].strip().strip('"')
    parts = Path(path).parts
    return any(part in CACHE_PARTS or part.endswith(".egg-info") for part in parts)


def worktree_changes(before: frozenset[str], after: frozenset[str]) -> list[str]:
    """Return the status lines that differ between two snapshots, caches left out, sorted.

    >>> worktree_changes(frozenset(), frozenset({"!! eschool-demo/school.sqlite"}))
    ['!! eschool-demo/school.sqlite']
    >>> worktree_changes(frozenset(), frozenset({"!! tests/__pycache__/x.pyc"}))
    []
    """
    return sorted(line for line in before ^ after if not _is_cache(line))
