"""The exchange bundle: export, import, all-or-nothing with every bad row named (R9.3)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eschool_core.cli._app import app
from eschool_core.errors import ConflictError, EschoolError
from eschool_core.storage import MemoryStore
from eschool_core.storage.bundle import BundleError, export_bundle, import_bundle
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import Operation, load, operations, sample_school, snapshot

_DIRS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25)


def _rewrite(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


class TestRoundTrip:
    @pytest.mark.parametrize("name", ["bundle", "bundle.zip"])
    def test_export_then_import_is_exact(self, tmp_path: Path, name: str) -> None:
        """A school exported and imported into SQLite equals the original (R9.3)."""
        source = MemoryStore()
        load(source, sample_school())
        manifest = export_bundle(source, tmp_path / name, profile="default")
        assert manifest["academic_year"] == "2025/2026"
        assert manifest["school"] == {"id": "sch", "name": "Средняя школа № 1"}
        target = SqlStore(":memory:")
        import_bundle(tmp_path / name, target)
        assert snapshot(target) == snapshot(source)

    @_DIRS
    @given(batch=st.lists(operations(), max_size=25))
    def test_random_small_schools_round_trip(
        self, tmp_path_factory: pytest.TempPathFactory, batch: list[Operation]
    ) -> None:
        """Any school built by random operations survives export and import exactly (R9.3)."""
        source = MemoryStore()
        with source.unit_of_work() as uow:
            for verb, name, payload in batch:
                with contextlib.suppress(EschoolError):
                    getattr(getattr(uow, name), verb)(payload)
            uow.commit()
        folder = tmp_path_factory.mktemp("bundle")
        export_bundle(source, folder)
        target = MemoryStore()
        import_bundle(folder, target)
        assert snapshot(target) == snapshot(source)


class TestRejection:
    @pytest.fixture
    def bundle(self, tmp_path: Path) -> Path:
        source = MemoryStore()
        load(source, sample_school())
        export_bundle(source, tmp_path / "b")
        return tmp_path / "b"

    def test_one_bad_row_imports_nothing_and_is_named(self, bundle: Path) -> None:
        """A bundle with one bad mark value imports nothing and names file, line and column."""
        _rewrite(bundle / "marks.csv", ",5,test,", ",7,test,")
        store = SqlStore(":memory:")
        with pytest.raises(BundleError) as caught:
            import_bundle(bundle, store)
        [problem] = caught.value.problems
        assert (problem.file, problem.line, problem.column) == ("marks.csv", 2, "value")
        assert all(not rows for rows in snapshot(store).values())

    def test_every_bad_row_is_listed(self, bundle: Path) -> None:
        """All problems are collected: a bad date, a dangling reference, a repeated id, a count."""
        _rewrite(bundle / "classes.csv", "2025/2026,5,А", "2025/2026,12,А")
        _rewrite(bundle / "memberships.csv", "m1,s1,c5a,2025-09-01", "m1,s1,c5a,2025-13-01")
        _rewrite(bundle / "guardian_links.csv", "gl1,g1,s1", "gl1,g1,s404")
        with (bundle / "subjects.csv").open("a", encoding="utf-8") as handle:
            handle.write("math,Алгебра,,1\n")
        with pytest.raises(BundleError) as caught:
            import_bundle(bundle, MemoryStore())
        found = {(p.file, p.line, p.column) for p in caught.value.problems}
        assert ("classes.csv", 2, "parallel") in found
        assert ("memberships.csv", 2, "since") in found
        assert ("guardian_links.csv", 2, "student_id") in found
        assert ("subjects.csv", 5, "id") in found
        assert ("manifest.json", 0, "files") in found

    def test_order_items_are_checked(self, bundle: Path) -> None:
        """An orphan item, a repeated position and a missing debt subject are all named (R9.3)."""
        _rewrite(bundle / "order_items.csv", '"[""math"",""eng""]"', '"[""math"",""geo""]"')
        with (bundle / "order_items.csv").open("a", encoding="utf-8") as handle:
            handle.write("o404,0,s1,,,[],,,\n")
            handle.write("o1,0,s1,c5b,,[],,,\n")
        manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
        for item in manifest["files"]:
            if item["name"] == "order_items.csv":
                item["rows"] += 2
        (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        store = MemoryStore()
        with pytest.raises(BundleError) as caught:
            import_bundle(bundle, store)
        found = {(p.file, p.line, p.column) for p in caught.value.problems}
        assert found == {
            ("order_items.csv", 6, "order_id"),
            ("order_items.csv", 7, "position"),
            ("orders.csv", 3, "subject_ids"),
        }
        assert all(not rows for rows in snapshot(store).values())

    def test_an_order_without_items_is_refused(self, bundle: Path) -> None:
        """An order whose items are all missing is an ``order.no_items`` problem on its line."""
        lines = (bundle / "order_items.csv").read_text(encoding="utf-8").splitlines(True)
        (bundle / "order_items.csv").write_text(
            "".join(line for line in lines if not line.startswith("o4,")), encoding="utf-8"
        )
        manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
        for item in manifest["files"]:
            if item["name"] == "order_items.csv":
                item["rows"] -= 1
        (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        with pytest.raises(BundleError) as caught:
            import_bundle(bundle, MemoryStore())
        [problem] = caught.value.problems
        assert (problem.file, problem.line) == ("orders.csv", 5)
        assert "at least one item" in problem.message.en

    def test_a_version_1_bundle_without_orders_is_read(self, bundle: Path) -> None:
        """A format-1 bundle (before orders) imports, with no orders (R9.3)."""
        manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
        manifest["format_version"] = 1
        newer = {"orders.csv", "order_items.csv", "retake_attempts.csv"}
        manifest["files"] = [item for item in manifest["files"] if item["name"] not in newer]
        (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        for file in newer:
            (bundle / file).unlink()
        store = MemoryStore()
        counts = import_bundle(bundle, store)
        assert (counts["orders"], counts["marks"]) == (0, 2)

    def test_a_version_2_bundle_without_planning_is_read(self, bundle: Path) -> None:
        """A format-2 bundle (before rooms, curricula, plans, bells, timetables, events) imports."""
        planning = ("rooms", "curricula", "thematic_plans", "bell_schedules", "timetables")
        files = {
            f"{name}.csv" for name in (*planning, "events", "timetable_entries", "retake_attempts")
        }
        manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
        manifest["format_version"] = 2
        manifest["files"] = [item for item in manifest["files"] if item["name"] not in files]
        (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        for file in files:
            (bundle / file).unlink()
        counts = import_bundle(bundle, MemoryStore())
        assert [counts[name] for name in (*planning, "events")] == [0] * 6
        assert (counts["orders"], counts["marks"]) == (4, 2)

    def test_a_version_3_bundle_without_the_version_4_files_is_read(self, bundle: Path) -> None:
        """A format-3 bundle (before closed periods, rollovers, stored years, retake attempts
        and report runs) imports without them (R8.9, R4.4a, R10.1c, R11.3b)."""
        manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
        manifest["format_version"] = 3
        files = {
            "period_closures.csv",
            "rollovers.csv",
            "academic_years.csv",
            "retake_attempts.csv",
            "report_runs.csv",
        }
        manifest["files"] = [item for item in manifest["files"] if item["name"] not in files]
        (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        for file in files:
            (bundle / file).unlink()
        counts = import_bundle(bundle, MemoryStore())
        assert (
            counts["period_closures"],
            counts["rollovers"],
            counts["academic_years"],
            counts["retake_attempts"],
            counts["report_runs"],
            counts["orders"],
        ) == (0, 0, 0, 0, 0, 4)

    def test_closures_written_before_the_reopening_scope_are_read(self, bundle: Path) -> None:
        """R8.9: a period_closures file without the reopening's class, subject and teacher
        columns (written before them) imports; its reopening names none."""
        path = bundle / "period_closures.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][-3:] == ["reopened_class_id", "reopened_subject_id", "reopened_teacher_id"]
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(row[:-3] for row in rows)
        store = MemoryStore()
        import_bundle(bundle, store)
        with store.unit_of_work() as uow:
            closures = uow.period_closures.for_year("2025/2026")
        reopened = [c for c in closures if c.is_open]
        assert len(reopened) == 1
        assert (
            reopened[0].reopened_class_id,
            reopened[0].reopened_subject_id,
            reopened[0].reopened_teacher_id,
        ) == (None, None, None)

    def test_closures_keep_the_reopening_scope(self, bundle: Path) -> None:
        """R8.9: the class, subject and teacher of a reopening survive the bundle."""
        store = MemoryStore()
        import_bundle(bundle, store)
        with store.unit_of_work() as uow:
            reopened = [c for c in uow.period_closures.for_year("2025/2026") if c.is_open]
        assert [
            (c.reopened_class_id, c.reopened_subject_id, c.reopened_teacher_id) for c in reopened
        ] == [("c5a", "math", "t1")]

    def test_timetable_entries_are_checked(self, bundle: Path) -> None:
        """An entry naming a missing room is reported on its timetable's line (R7.5)."""
        _rewrite(bundle / "timetable_entries.csv", ",c5a,,r21", ",c5a,,r404")
        with pytest.raises(BundleError) as caught:
            import_bundle(bundle, MemoryStore())
        [problem] = caught.value.problems
        assert (problem.file, problem.line, problem.column) == ("timetables.csv", 2, "room_ids")
        assert "r404" in problem.message.en

    def test_bad_manifest(self, bundle: Path) -> None:
        """A manifest of another format version is refused before any row is read."""
        manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
        manifest["format_version"] = 99
        (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        with pytest.raises(BundleError) as caught:
            import_bundle(bundle, MemoryStore())
        assert [p.column for p in caught.value.problems] == ["format_version"]

    @pytest.mark.parametrize("rows", ["2", 2.0, True, -1, None])
    def test_a_row_count_that_is_not_a_whole_number_is_named(
        self, bundle: Path, rows: object
    ) -> None:
        """R9.4: a row count written as text (``"2"``) is named, not «says 2, has 2»."""
        manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
        item = next(item for item in manifest["files"] if item["name"] == "lessons.csv")
        item["rows"] = rows
        (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        store = MemoryStore()
        with pytest.raises(BundleError) as caught:
            import_bundle(bundle, store)
        [problem] = caught.value.problems
        assert (problem.file, problem.column) == ("manifest.json", "files")
        assert "lessons.csv: the row count must be a whole number" in problem.message.en
        assert "the file has" not in problem.message.en
        assert all(not stored for stored in snapshot(store).values())

    def test_conflict_with_the_store_imports_nothing(self, bundle: Path) -> None:
        """Importing twice is a conflict, and the second import adds nothing."""
        store = MemoryStore()
        import_bundle(bundle, store)
        before = snapshot(store)
        with pytest.raises(ConflictError):
            import_bundle(bundle, store)
        assert snapshot(store) == before


class TestCommands:
    def test_export_and_import_commands(self, tmp_path: Path) -> None:
        """eschool export writes a bundle from SQLite and eschool import loads it into another."""
        first = str(tmp_path / "a.sqlite")
        store = SqlStore(first, create=True)
        load(store, sample_school())
        store.close()
        runner = CliRunner()
        result = runner.invoke(app, ["export", first, str(tmp_path / "b.zip")])
        assert result.exit_code == 0, result.output
        second = str(tmp_path / "b.sqlite")
        result = runner.invoke(app, ["import", str(tmp_path / "b.zip"), second])
        assert result.exit_code == 0, result.output
        assert "marks: 2" in result.output
        assert snapshot(SqlStore(second, create=True)) == snapshot(SqlStore(first, create=True))

    def test_import_command_lists_problems(self, tmp_path: Path) -> None:
        """eschool import prints every problem with file and line and exits with status 1."""
        source = MemoryStore()
        load(source, sample_school())
        export_bundle(source, tmp_path / "b")
        _rewrite(tmp_path / "b" / "lessons.csv", "2025-09-02", "02.09.2025")
        result = CliRunner().invoke(app, ["import", str(tmp_path / "b"), str(tmp_path / "s.db")])
        assert result.exit_code == 1
        assert "lessons.csv:3 [date]" in result.output


def test_moment_offsets_are_kept_in_the_bundle(tmp_path: Path) -> None:
    """A bundle written from the memory store keeps each moment's own UTC offset."""
    source = MemoryStore()
    load(source, sample_school())
    export_bundle(source, tmp_path / "b")
    text = (tmp_path / "b" / "marks.csv").read_text(encoding="utf-8")
    assert "2025-09-01T09:30:00+03:00" in text
    assert dt.datetime.fromisoformat("2025-09-01T09:30:00+03:00").utcoffset()
