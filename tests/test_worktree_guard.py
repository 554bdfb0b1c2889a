"""The guard of the test run: tests never write outside their temporary folders."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.worktree_guard import worktree_changes, worktree_status

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _repository(folder: Path) -> Path:
    git = shutil.which("git")
    assert git is not None
    subprocess.run([git, "init", "-q", str(folder)], check=True)
    (folder / ".gitignore").write_text("/eschool-demo/\n", encoding="utf-8")
    return folder


class TestWorktreeGuard:
    def test_an_ignored_file_written_by_a_test_is_a_change(self, tmp_path: Path) -> None:
        """A demo store written into the (git-ignored) default folder is noticed."""
        root = _repository(tmp_path)
        before = worktree_status(root)
        assert before is not None
        (root / "eschool-demo").mkdir()
        (root / "eschool-demo" / "school.sqlite").write_bytes(b"x")
        after = worktree_status(root)
        assert after is not None
        assert worktree_changes(before, after) == ["!! eschool-demo/school.sqlite"]

    def test_caches_are_not_changes(self, tmp_path: Path) -> None:
        """Bytecode and tool caches appear and vanish without failing the run."""
        root = _repository(tmp_path)
        before = worktree_status(root)
        assert before is not None
        for cache in ("__pycache__", ".hypothesis", ".pytest_cache"):
            (root / cache).mkdir()
            (root / cache / "entry").write_bytes(b"x")
        after = worktree_status(root)
        assert after is not None
        assert after != before
        assert worktree_changes(before, after) == []

    def test_a_new_file_beside_old_untracked_ones_is_a_change(self, tmp_path: Path) -> None:
        """Untracked folders are compared file by file, not as one line."""
        root = _repository(tmp_path)
        (root / "notes").mkdir()
        (root / "notes" / "old.txt").write_text("old", encoding="utf-8")
        before = worktree_status(root)
        assert before is not None
        (root / "notes" / "new.txt").write_text("new", encoding="utf-8")
        after = worktree_status(root)
        assert after is not None
        assert worktree_changes(before, after) == ["?? notes/new.txt"]

    def test_outside_git_there_is_no_status(self, tmp_path: Path) -> None:
        """Outside a git work tree (an unpacked sdist) the guard stands aside."""
        assert worktree_status(tmp_path) is None
        assert worktree_status(tmp_path / "nowhere") is None
