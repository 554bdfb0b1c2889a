"""The command line end to end on a SQLite store: demo writes it, check and report read it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from eschool_core.calendar import standard_year
from eschool_core.cli._app import app
from eschool_core.profiles import default_profile, default_profile_text, parse_profile
from eschool_core.storage import open_store
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import load, sample_school

_PLANTED = re.compile(r"поздних текущих отметок: ([\d ]+) \(заложено: ([\d ]+)\)")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A small demo school written to a SQLite file, and the late marks its generator planted."""
    folder = tmp_path_factory.mktemp("demo")
    store = folder / "school.sqlite"
    result = CliRunner().invoke(
        app,
        [
            "demo",
            "--size",
            "small",
            "--store",
            str(store),
            "--reports-dir",
            str(folder / "reports"),
        ],
    )
    assert result.exit_code == 0, result.output
    found = _PLANTED.search(" ".join(result.output.split()))
    assert found is not None, result.output
    return store, int(found.group(2).replace(" ", ""))


class TestDemoStoreEndToEnd:
    def test_demo_writes_the_planning_of_the_year(self, demo_store: tuple[Path, int]) -> None:
        """The demo's SQLite store holds curricula, plans, rooms, bells, timetables (R5.1, R7.1)."""
        store = open_store(str(demo_store[0]))
        try:
            with store.unit_of_work() as uow:
                timetable = uow.timetables.for_year("2025/2026")[0]
                assert timetable.entries
                assert uow.curricula.for_year("2025/2026")
                assert uow.thematic_plans.count() > 0
                assert uow.rooms.count() > 0
                assert uow.bell_schedules.for_year("2025/2026")
                assert {entry.class_id for entry in timetable.entries} <= {
                    c.id for c in uow.classes.for_year("2025/2026")
                } | {None}
        finally:
            store.close()

    def test_check_reads_the_store(self, demo_store: tuple[Path, int]) -> None:
        """`check --store` finds exactly the late marks the generator planted (R8.6, R9.1)."""
        path, planted = demo_store
        result = CliRunner().invoke(
            app, ["check", "--store", str(path), "--as-of", "2026-08-31", "--format", "json"]
        )
        assert result.exit_code == 1, result.output
        document = json.loads(result.output)
        assert document["summary"]["by_rule"]["journal.marks"] == planted

    def test_check_reads_the_year_the_store_keeps(self, demo_store: tuple[Path, int]) -> None:
        """Without --year-file, a store is checked in the year it keeps: the school's (R4.4b).

        Before the year was stored, the profile's standard year was taken silently and the
        findings differed from the generated school's.
        """
        path = demo_store[0]
        common = ["check", "--as-of", "2026-08-31", "--format", "json"]
        from_store = CliRunner().invoke(app, [*common, "--store", str(path)])
        generated = CliRunner().invoke(
            app, [*common, "--synthetic", "--size", "small", "--seed", "1"]
        )
        assert from_store.exit_code == generated.exit_code == 1, from_store.output
        assert json.loads(from_store.stdout) == json.loads(generated.stdout)
        found = json.loads(from_store.output)["summary"]["by_rule"]
        assert found["journal.attestation"] > 0

    def test_year_file_overrides_the_stored_year(
        self, demo_store: tuple[Path, int], tmp_path: Path
    ) -> None:
        """--year-file overrides the stored year: the standard year judges otherwise (R4.4b)."""
        path = demo_store[0]
        standard = standard_year("2025/2026", default_profile().calendar)
        year_file = tmp_path / "standard.toml"
        year_file.write_text(standard.to_toml(), encoding="utf-8")
        common = ["check", "--as-of", "2026-08-31", "--format", "json", "--store", str(path)]
        own = CliRunner().invoke(app, common)
        overridden = CliRunner().invoke(app, [*common, "--year-file", str(year_file)])
        assert overridden.exit_code == 1, overridden.output
        assert json.loads(overridden.output) != json.loads(own.output)

    def test_a_store_without_a_year_is_an_error(self, tmp_path: Path) -> None:
        """A store that keeps no academic year gets a typed error, never a default (R4.4b)."""
        path = tmp_path / "bare.sqlite"
        store = SqlStore(str(path), create=True)
        try:
            load(store, [item for item in sample_school() if item[0] != "academic_years"])
        finally:
            store.close()
        for command in (
            ["check", "--store", str(path), "--format", "json"],
            ["report", "class_occupancy", "--store", str(path)],
        ):
            result = CliRunner().invoke(app, command)
            assert result.exit_code == 2, result.output
            assert "calendar.year_not_stored" in result.output or "--year-file" in result.output

    def test_report_reads_the_store(self, demo_store: tuple[Path, int]) -> None:
        """`report --store` lists the catalogue and counts the stored classes' students (R11.1)."""
        path = str(demo_store[0])
        listing = CliRunner().invoke(app, ["report", "--list", "--store", path])
        assert listing.exit_code == 0, listing.output
        assert "class_occupancy" in listing.output
        day = dt.date(2025, 10, 1)
        args = ["class_occupancy", "--store", path, "--as-of", day.isoformat(), "--format", "csv"]
        result = CliRunner().invoke(app, ["report", *args])
        assert result.exit_code == 0, result.output
        rows = list(csv.reader(io.StringIO(result.output)))
        store = open_store(path)
        try:
            with store.unit_of_work() as uow:
                classes = uow.classes.for_year("2025/2026")
                enrolled = sum(
                    1
                    for m in uow.memberships.all()
                    if m.since <= day and (m.until is None or day <= m.until)
                )
        finally:
            store.close()
        body = [row for row in rows[1:] if row and row[0] in {c.name for c in classes}]
        assert len(body) == len(classes)
        assert sum(int(row[3]) for row in body) == enrolled

    def test_report_with_the_schools_own_year(self, demo_store: tuple[Path, int]) -> None:
        """A store's period report, in the year it keeps, is the generator's (R11.1, R2.2j).

        The weighted averages of Q4 depend on the period's dates and on the profile's
        weights; both paths take the weights from the profile.
        """
        path = demo_store[0]
        common = ["student_average", "--class", "5А", "--period", "Q4", "--format", "csv"]
        moment = ["--generated-at", "2026-06-01T09:00:00+03:00"]
        from_store = CliRunner().invoke(app, ["report", *common, *moment, "--store", str(path)])
        generated = CliRunner().invoke(
            app, ["report", *common, *moment, "--synthetic", "--size", "small", "--seed", "1"]
        )
        assert from_store.exit_code == 0, from_store.output
        assert generated.exit_code == 0, generated.output
        assert from_store.stdout == generated.stdout
        assert len(from_store.output.splitlines()) > 5

    @pytest.mark.parametrize(
        ("name", "options"),
        [
            ("class_period_results", ["--class", "5А", "--period", "Q2"]),
            ("mark_timeliness", ["--period", "Q1"]),
            ("student_report_card", ["--student", "st-00007", "--period", "Q2"]),
        ],
    )
    def test_scoped_reports_equal_the_generated_schools(
        self, demo_store: tuple[Path, int], name: str, options: list[str]
    ) -> None:
        """A report read from a store with scoped queries is the generated school's (R11.1)."""
        path = demo_store[0]
        moment = ["--generated-at", "2026-06-01T09:00:00+03:00", "--format", "csv"]
        common = ["report", name, *options, *moment, "--as-of", "2026-05-20"]
        from_store = CliRunner().invoke(app, [*common, "--store", str(path)])
        generated = CliRunner().invoke(
            app, [*common, "--synthetic", "--size", "small", "--seed", "1"]
        )
        assert generated.exit_code == 0, generated.output
        assert from_store.exit_code == 0, from_store.output
        assert from_store.stdout == generated.stdout

    def test_report_takes_a_profile(self, demo_store: tuple[Path, int], tmp_path: Path) -> None:
        """`report --profile` grades with the profile's weights (R2.2j, R8.6)."""
        marker = "[grading.work_types.test]"
        head, tail = default_profile_text().split(marker)
        text = head + marker + tail.replace("weight = 2", "weight = 5", 1)
        assert parse_profile(text).grading != default_profile().grading
        profile = tmp_path / "profile.toml"
        profile.write_text(text, encoding="utf-8")
        common = ["report", "student_average", "--class", "5А", "--period", "Q4"]
        common += ["--format", "csv", "--store", str(demo_store[0])]
        common += ["--generated-at", "2026-06-01T09:00:00+03:00"]
        own = CliRunner().invoke(app, common)
        other = CliRunner().invoke(app, [*common, "--profile", str(profile)])
        assert own.exit_code == other.exit_code == 0, other.output
        assert own.output != other.output

    def test_export_takes_a_profile_file(
        self, demo_store: tuple[Path, int], tmp_path: Path
    ) -> None:
        """`export --profile FILE` reads a profile file like every other command (R9.3)."""
        profile = tmp_path / "school.toml"
        text = default_profile_text()
        profile.write_text(
            text.replace(parse_profile(text).name, "Профиль школы №5", 1), encoding="utf-8"
        )
        bundle = tmp_path / "bundle"
        args = ["export", str(demo_store[0]), str(bundle), "--profile", str(profile)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["profile"] == "Профиль школы №5"
        named = CliRunner().invoke(app, ["export", str(demo_store[0]), "x", "--profile", "default"])
        assert named.exit_code == 2

    def test_a_year_file_needs_a_store(self, tmp_path: Path) -> None:
        """--year-file describes a store's year; the generated school has its own."""
        year_file = tmp_path / "year.toml"
        year_file.write_text(
            standard_year("2025/2026", default_profile().calendar).to_toml(), encoding="utf-8"
        )
        result = CliRunner().invoke(
            app, ["report", "class_occupancy", "--synthetic", "--year-file", str(year_file)]
        )
        assert result.exit_code == 2
        assert "--store" in result.output

    def test_another_apps_database_is_not_taken_for_a_store(self, tmp_path: Path) -> None:
        """A SQLite file without the store's tables is refused and left as it was."""
        other = tmp_path / "other.sqlite"
        conn = sqlite3.connect(other)
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.commit()
        conn.close()
        before = other.read_bytes()
        for command in (
            ["check", "--store", str(other)],
            ["report", "class_occupancy", "--store", str(other)],
        ):
            result = CliRunner().invoke(app, command)
            assert result.exit_code == 2, result.output
            assert "not an eschool store" in result.output or "не хранилище" in result.output
        assert other.read_bytes() == before

    def test_a_missing_store_is_a_usage_error(self, tmp_path: Path) -> None:
        """A SQLite path that does not exist is refused, not created empty."""
        missing = tmp_path / "none.sqlite"
        result = CliRunner().invoke(app, ["check", "--store", str(missing)])
        assert result.exit_code == 2
        assert "не найдено" in result.output
        assert not missing.exists()
