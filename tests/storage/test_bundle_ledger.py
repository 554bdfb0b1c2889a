"""The bundle carries the ledger: the audit log and its checkpoints survive an export and an
import (R9.2, R2.2e), and the counts of both sides agree."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from eschool_core.audit import AuditLog
from eschool_core.cli._app import app
from eschool_core.errors import ConflictError
from eschool_core.storage import MemoryStore, Store
from eschool_core.storage.bundle import (
    AUDIT_CHECKPOINTS_FILE,
    AUDIT_LOG_FILE,
    BundleError,
    export_bundle,
    import_bundle,
    read_manifest,
)
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import load, sample_school, snapshot
from tests.conftest import POSTGRES_DSN

KEY = b"the school's own key"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def _with_log(store: Store, entries: int = 7) -> Store:
    """``store`` with the sample school and a keyed log of ``entries`` with checkpoints."""
    load(store, sample_school())
    with store.unit_of_work() as uow:
        log = AuditLog(uow.audit, key=KEY, checkpoint_every=3)
        for i in range(entries):
            log.record_change(
                account_id=f"teacher-{i % 2}",
                at=T0 + dt.timedelta(minutes=i, microseconds=i),
                action="mark.write",
                target={"mark_id": f"mk{i}", "student_id": "s1"},
                before=None if i == 0 else {"value": "4"},
                after={"value": "5", "reason": "исправлено"},
            )
        uow.commit()
    return store


def _ledger(store: Store) -> tuple[object, ...]:
    with store.unit_of_work() as uow:
        return tuple(uow.audit.read()), tuple(uow.audit.checkpoints())


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def target(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_schema: Callable[[], str]
) -> Iterator[Store]:
    """An empty store of each kind to import into."""
    if request.param == "memory":
        yield MemoryStore()
        return
    if request.param == "sqlite":
        store = SqlStore(str(tmp_path / "target.sqlite"), create=True)
    else:
        store = SqlStore(POSTGRES_DSN or "", schema=postgres_schema(), create=True)
    yield store
    store.close()


class TestLedgerRoundTrip:
    def test_R9_2_export_and_import_keep_every_entry_and_checkpoint(
        self, tmp_path: Path, target: Store
    ) -> None:
        """The imported log holds the same entries and checkpoints and verifies with the key."""
        source = _with_log(MemoryStore())
        manifest = export_bundle(source, tmp_path / "bundle")
        assert manifest["audit_log"]["entries"] == 7
        assert manifest["audit_log"]["checkpoints"] == 2
        import_bundle(tmp_path / "bundle", target)
        assert _ledger(target) == _ledger(source)
        assert snapshot(target) == snapshot(source)
        with target.unit_of_work() as uow:
            result = AuditLog(uow.audit, key=KEY).verify()
        assert (result.ok, result.checked, result.checkpoints) == (True, 7, 2)

    def test_R2_2e_audit_verify_reports_the_same_after_a_cli_round_trip(
        self, tmp_path: Path
    ) -> None:
        """eschool export, import and audit verify: the same entries before and after."""
        first, second = tmp_path / "first.sqlite", tmp_path / "second.sqlite"
        _with_log(SqlStore(str(first), create=True)).close()
        key = tmp_path / "key"
        key.write_bytes(KEY)
        runner = CliRunner()
        bundle = str(tmp_path / "bundle.zip")
        assert runner.invoke(app, ["export", str(first), bundle]).exit_code == 0
        imported = runner.invoke(app, ["--lang", "en", "import", bundle, str(second)])
        assert imported.exit_code == 0, imported.output
        assert "Audit log: 7 entries, 2 checkpoints" in imported.output
        verified = [
            runner.invoke(
                app, ["audit", "verify", "--store", str(path), "--key-file", str(key)]
            ).output
            for path in (first, second)
        ]
        assert verified[0] == verified[1]
        assert "записей 7, контрольных точек 2" in verified[0]


class TestCounts:
    def test_export_and_import_print_the_same_counts(self, tmp_path: Path) -> None:
        """Both print each aggregate's records and the same total; the lines of child files
        (order items, timetable entries) are shown beside their aggregate, not added to the
        total, which once made the export's total exceed the import's."""
        store = tmp_path / "school.sqlite"
        _with_log(SqlStore(str(store), create=True)).close()
        runner = CliRunner()
        exported = runner.invoke(
            app, ["--lang", "en", "export", str(store), str(tmp_path / "b")]
        ).output
        imported = runner.invoke(
            app, ["--lang", "en", "import", str(tmp_path / "b"), str(tmp_path / "copy.sqlite")]
        ).output
        export_lines = exported.splitlines()
        import_lines = imported.splitlines()
        assert export_lines[0].split(" → ")[0].replace("Exported", "Imported") == import_lines[0]
        assert export_lines[1:] == import_lines[1:]
        assert any("order_items.csv" in line for line in export_lines)
        manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
        aggregates = sum(
            item["rows"] for item in manifest["files"] if item["name"] == f"{item['entity']}.csv"
        )
        assert f"Exported records: {aggregates} " in export_lines[0]


class TestWithoutALog:
    def test_a_version_4_bundle_imports_and_says_it_has_no_log(self, tmp_path: Path) -> None:
        """A bundle written before logs were carried imports its data, and the summary says
        the log was not carried."""
        bundle = tmp_path / "old"
        export_bundle(_with_log(MemoryStore()), bundle)
        manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
        manifest["format_version"] = 4
        del manifest["audit_log"]
        manifest["files"] = [
            item
            for item in manifest["files"]
            if item["name"] not in {AUDIT_LOG_FILE, AUDIT_CHECKPOINTS_FILE}
        ]
        (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        (bundle / AUDIT_LOG_FILE).unlink()
        (bundle / AUDIT_CHECKPOINTS_FILE).unlink()
        assert "audit_log" not in read_manifest(bundle)
        result = CliRunner().invoke(
            app, ["--lang", "en", "import", str(bundle), str(tmp_path / "s.sqlite")]
        )
        assert result.exit_code == 0, result.output
        assert "The bundle carries no audit log (bundle format 4)" in result.output
        copy = SqlStore(str(tmp_path / "s.sqlite"))
        try:
            assert _ledger(copy) == ((), ())
        finally:
            copy.close()

    def test_an_anonymised_bundle_carries_no_log(self, tmp_path: Path) -> None:
        """The log names people and their values: a pseudonymised export leaves it out."""
        manifest = export_bundle(
            _with_log(MemoryStore()), tmp_path / "anon", pseudonym_key="k" * 20
        )
        assert "audit_log" not in manifest
        assert not (tmp_path / "anon" / AUDIT_LOG_FILE).exists()


class TestDamagedOrClashingLog:
    def test_an_edited_entry_is_a_problem_of_its_line(self, tmp_path: Path) -> None:
        """An entry edited in the bundle breaks the chain: the import names its line and
        imports nothing."""
        bundle = tmp_path / "b"
        export_bundle(_with_log(MemoryStore()), bundle)
        path = bundle / AUDIT_LOG_FILE
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[3] = lines[3].replace("teacher-0", "teacher-9")  # the entry at position 2
        path.write_text("".join(lines), encoding="utf-8")
        store = MemoryStore()
        with pytest.raises(BundleError) as raised:
            import_bundle(bundle, store)
        problems = [(p.file, p.line) for p in raised.value.problems]
        assert (AUDIT_LOG_FILE, 4) in problems
        assert "edited" in str(raised.value.problems[0])
        assert snapshot(store) == snapshot(MemoryStore())

    def test_a_store_with_a_log_of_its_own_is_refused(self, tmp_path: Path) -> None:
        """A chain cannot be joined to another: nothing is imported into a store whose log
        holds entries."""
        export_bundle(_with_log(MemoryStore()), tmp_path / "b")
        store = MemoryStore()
        with store.unit_of_work() as uow:
            AuditLog(uow.audit).record_change(
                account_id="a", at=T0, action="x", target={}, before=None, after=None
            )
            uow.commit()
        with pytest.raises(ConflictError) as raised:
            import_bundle(tmp_path / "b", store)
        assert raised.value.code == "bundle.audit_log_not_empty"
        with store.unit_of_work() as uow:
            assert (uow.subjects.count(), uow.audit.count()) == (0, 1)
