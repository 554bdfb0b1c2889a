"""``eschool audit verify`` and ``eschool audit checkpoints`` on SQLite stores (R3.1b, R12.5)."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from eschool_core.audit import AuditLog, FileCheckpointSink
from eschool_core.cli._app import app
from eschool_core.storage.sql import SqlStore, read_audit_log
from tests.storage.test_audit_checkpoints import downgrade_to_version_4

KEY = b"\x00school key\n with any bytes\xff"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def _store(path: Path, n: int, *, key: bytes | None = None, every: int | None = 2) -> Path:
    store = SqlStore(str(path), create=True)
    try:
        with store.unit_of_work() as uow:
            log = AuditLog(uow.audit, key=key, checkpoint_every=every)
            for i in range(n):
                log.record_change(
                    account_id=f"acc{i % 2}",
                    at=T0 + dt.timedelta(minutes=i),
                    action="mark.write",
                    target={"mark_id": f"m{i}"},
                    before=None,
                    after={"value": "5"},
                )
            uow.commit()
    finally:
        store.close()
    return path


def _tamper(path: Path, *statements: str) -> None:
    """Run ``statements`` on the file with the append-only triggers dropped on purpose."""
    conn = sqlite3.connect(path)
    try:
        for table in ("audit_entries", "audit_checkpoints"):
            for operation in ("update", "delete"):
                conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def _state(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file of ``folder`` with its size and modification time in nanoseconds."""
    return {
        entry.name: (entry.stat().st_size, entry.stat().st_mtime_ns) for entry in folder.iterdir()
    }


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


class TestVerify:
    def test_an_intact_log_exits_0(self, tmp_path: Path) -> None:
        """R3.1b: an intact store's log prints its counts in Russian or English and exits 0."""
        path = _store(tmp_path / "school.sqlite", 5)
        code, output = _run("audit", "verify", "--store", str(path))
        assert (code, output.strip()) == (0, "Журнал изменений цел: записей 5, контрольных точек 2")
        code, output = _run("audit", "verify", "--store", str(path), "--lang", "en")
        assert (code, output.strip()) == (0, "Audit log intact: 5 entries, 2 checkpoints")

    def test_verifying_creates_and_changes_no_file(self, tmp_path: Path) -> None:
        """R3.1b: verifying and exporting read the store only: no file appears or changes."""
        path = _store(tmp_path / "school.sqlite", 3)
        before = _state(tmp_path)
        assert _run("audit", "verify", "--store", str(path))[0] == 0
        assert _run("audit", "checkpoints", "--store", str(path), "--head")[0] == 0
        assert _state(tmp_path) == before

    def test_an_edited_entry_exits_1_naming_its_position(self, tmp_path: Path) -> None:
        """R3.1b, R12.5: an entry's account changed in the file is reported at its position."""
        path = _store(tmp_path / "school.sqlite", 5)
        _tamper(path, "UPDATE audit_entries SET account_id = 'intruder' WHERE position = 3")
        code, output = _run("audit", "verify", "--store", str(path), "--lang", "en")
        assert code == 1
        assert output.strip() == "Audit log tampered: the entry was edited (edited) at position 3"
        code, output = _run("audit", "verify", "--store", str(path))
        assert code == 1
        assert "запись изменена (edited) в позиции 3" in output

    def test_an_unreadable_entry_is_reported_as_edited(self, tmp_path: Path) -> None:
        """R3.1b: a moment edited into garbage is reported as an edit at its position."""
        path = _store(tmp_path / "school.sqlite", 4)
        _tamper(path, "UPDATE audit_entries SET at = 'yesterday' WHERE position = 2")
        code, output = _run("audit", "verify", "--store", str(path), "--lang", "en")
        assert (code, output.strip().endswith("(edited) at position 2")) == (1, True)

    def test_dropped_tail_is_found_by_a_stored_checkpoint(self, tmp_path: Path) -> None:
        """R3.1b: the last entries deleted are found by the stored checkpoint after them."""
        path = _store(tmp_path / "school.sqlite", 6)
        _tamper(path, "DELETE FROM audit_entries WHERE position >= 4")
        code, output = _run("audit", "verify", "--store", str(path), "--lang", "en")
        assert code == 1
        assert output.strip().endswith("(truncated) at position 4")

    def test_exported_checkpoints_find_a_rewrite(self, tmp_path: Path) -> None:
        """R3.1b: a log rebuilt from scratch with recomputed hashes and its stored checkpoints
        replaced is intact on its own, and found rewritten with the exported checkpoints."""
        path = _store(tmp_path / "school.sqlite", 6)
        exported = tmp_path / "kept" / "checkpoints.json"
        exported.parent.mkdir()
        code, _ = _run("audit", "checkpoints", "--store", str(path), "-o", str(exported), "--head")
        assert code == 0
        assert [c["length"] for c in json.loads(exported.read_text())["checkpoints"]] == [2, 4, 6]
        _tamper(path, "DELETE FROM audit_entries", "DELETE FROM audit_checkpoints")
        store = SqlStore(str(path), create=True)
        with store.unit_of_work() as uow:
            log = AuditLog(uow.audit, checkpoint_every=2)
            for i in range(6):
                log.record_change(
                    account_id="acc0" if i != 3 else "intruder",
                    at=T0 + dt.timedelta(minutes=i),
                    action="mark.write",
                    target={"mark_id": f"m{i}"},
                    before=None,
                    after={"value": "5"},
                )
            uow.commit()
        store.close()
        assert _run("audit", "verify", "--store", str(path))[0] == 0
        code, output = _run(
            "audit", "verify", "--store", str(path), "--checkpoints", str(exported), "--lang", "en"
        )
        assert code == 1
        first, *others = output.strip().splitlines()
        assert first == (
            "Audit log tampered: the log was rewritten with recomputed hashes (rewritten) "
            "at positions 0 to 1"
        )
        # The stored checkpoints were replaced too: each differs from its exported copy.
        assert others == [
            f"  a checkpoint was edited #{n} (checkpoint_edited) at position {2 * n - 1}"
            for n in (1, 2, 3)
        ]

    def test_the_sink_file_names_a_deleted_last_checkpoint(self, tmp_path: Path) -> None:
        """R3.1b: the last stored checkpoint deleted leaves no gap; --sink (the file a
        FileCheckpointSink wrote) names it, and an entry edited too is named on its line."""
        path = tmp_path / "school.sqlite"
        sink = FileCheckpointSink(tmp_path / "sink.jsonl")
        store = SqlStore(str(path), create=True)
        with store.unit_of_work() as uow:
            log = AuditLog(uow.audit, checkpoint_every=2, sink=sink)
            for i in range(5):
                log.record_change(
                    account_id="acc0",
                    at=T0 + dt.timedelta(minutes=i),
                    action="mark.write",
                    target={"mark_id": f"m{i}"},
                    before=None,
                    after={"value": "5"},
                )
            uow.commit()
        store.close()
        _tamper(
            path,
            "DELETE FROM audit_checkpoints WHERE number = 2",
            "UPDATE audit_entries SET account_id = 'intruder' WHERE position = 4",
        )
        verify = ["audit", "verify", "--store", str(path), "--lang", "en"]
        assert _run(*verify)[1].strip().splitlines() == [
            "Audit log tampered: the entry was edited (edited) at position 4"
        ]
        code, output = _run(*verify, "--sink", str(sink.path))
        assert code == 1
        assert output.strip().splitlines() == [
            "Audit log tampered: a checkpoint was deleted #2 (checkpoint_missing) at position 3",
            "  the entry was edited (edited) at position 4",
        ]

    def test_a_store_before_numbering_is_verified_and_said_so(self, tmp_path: Path) -> None:
        """R3.1b: a schema version 4 store (unnumbered checkpoints) verifies, read as it is,
        and the output says its checkpoints are unnumbered."""
        path = _store(tmp_path / "school.sqlite", 4, every=None)
        store = SqlStore(str(path), create=True)
        with store.unit_of_work() as uow:
            entries = list(uow.audit.read())
        store.close()
        downgrade_to_version_4(path, entries)
        before = _state(tmp_path)
        code, output = _run("audit", "verify", "--store", str(path), "--lang", "en")
        assert code == 0
        assert output.strip() == (
            "Audit log intact: 4 entries, 1 checkpoints; 1 unnumbered checkpoints (before "
            "schema version 5): their deletion cannot be told"
        )
        assert _state(tmp_path) == before

    def test_a_forged_append_is_found_with_the_key_file(self, tmp_path: Path) -> None:
        """R3.1b, R12.5: with --key-file a correctly chained append made without the key is
        found at its position; the same log verifies without the key."""
        path = _store(tmp_path / "school.sqlite", 3, key=KEY)
        key_file = tmp_path / "school.key"
        key_file.write_bytes(KEY)
        assert _run("audit", "verify", "--store", str(path), "--key-file", str(key_file))[0] == 0
        store = SqlStore(str(path), create=True)
        with store.unit_of_work() as uow:
            AuditLog(uow.audit).record_change(
                account_id="acc1",
                at=T0,
                action="final_mark.write",
                target={},
                before=None,
                after={"value": "5"},
            )
            uow.commit()
        store.close()
        assert _run("audit", "verify", "--store", str(path))[0] == 0
        code, output = _run(
            "audit", "verify", "--store", str(path), "--key-file", str(key_file), "--lang", "en"
        )
        assert code == 1
        assert output.strip().endswith("(unsigned) at position 3")
        key_file.write_bytes(KEY + b"\n")
        code, output = _run(
            "audit", "verify", "--store", str(path), "--key-file", str(key_file), "--lang", "en"
        )
        assert (code, "(forged) at positions 0 to 2" in output) == (1, True), output


class TestBadInput:
    @pytest.mark.parametrize("kind", ["missing", "not_sqlite", "other_sqlite", "old_schema"])
    def test_a_store_that_cannot_be_read_exits_2(self, tmp_path: Path, kind: str) -> None:
        """R3.1b: a missing file, a file that is not a store or of another schema exits 2."""
        path = tmp_path / "school.sqlite"
        if kind == "not_sqlite":
            path.write_text("hello")
        elif kind == "other_sqlite":
            sqlite3.connect(path).execute("CREATE TABLE t (a)").connection.close()
        elif kind == "old_schema":
            _store(path, 1)
            conn = sqlite3.connect(path)
            conn.execute("UPDATE eschool_schema SET version = 3")
            conn.commit()
            conn.close()
        before = _state(tmp_path)
        code, output = _run("audit", "verify", "--store", str(path))
        assert code == 2, output
        assert _state(tmp_path) == before

    def test_bad_checkpoints_file_exits_2(self, tmp_path: Path) -> None:
        """R3.1b: a --checkpoints file that is not an export exits 2 with a typed error."""
        path = _store(tmp_path / "school.sqlite", 2)
        bad = tmp_path / "bad.json"
        bad.write_text('{"format": "something else"}')
        code, output = _run("audit", "verify", "--store", str(path), "--checkpoints", str(bad))
        assert code == 2
        assert "checkpoints" in output

    def test_empty_key_file_exits_2(self, tmp_path: Path) -> None:
        """R3.1b: an empty key file is refused (exit 2), never taken for no key."""
        path = _store(tmp_path / "school.sqlite", 2)
        key_file = tmp_path / "empty.key"
        key_file.write_bytes(b"")
        code, _ = _run("audit", "verify", "--store", str(path), "--key-file", str(key_file))
        assert code == 2


class TestCheckpointsExport:
    def test_export_to_standard_output_reads_back(self, tmp_path: Path) -> None:
        """R3.1b: the exported document equals the stored checkpoints, plus the head if asked."""
        path = _store(tmp_path / "school.sqlite", 5, key=KEY)
        code, output = _run("audit", "checkpoints", "--store", str(path))
        assert code == 0
        stored = read_audit_log(str(path)).checkpoints()
        assert [c["length"] for c in json.loads(output)["checkpoints"]] == [2, 4]
        assert [c["mac"] for c in json.loads(output)["checkpoints"]] == [c.mac for c in stored]
        key_file = tmp_path / "school.key"
        key_file.write_bytes(KEY)
        exported = tmp_path / "points.json"
        args = ["--store", str(path), "--head", "--key-file", str(key_file), "-o", str(exported)]
        assert _run("audit", "checkpoints", *args)[0] == 0
        lengths = [c["length"] for c in json.loads(exported.read_text())["checkpoints"]]
        assert lengths == [2, 4, 5]
        verify = ["--store", str(path), "--key-file", str(key_file), "--checkpoints", str(exported)]
        assert _run("audit", "verify", *verify)[0] == 0
        assert os.path.getsize(exported) > 0
