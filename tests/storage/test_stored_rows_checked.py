"""A SQLite store edited behind the library's back: where an invalid stored value is reported.

Rows are rebuilt with every entity validator, each distinct value checked once per process
(``EntityBuilder``); the schema's constraints refuse the commonest edits; a read refuses an
invalid row (``store.invalid_row``); ``verify_rows`` and ``eschool verify`` list every one.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from eschool_core.cli._app import app
from eschool_core.errors import ValidationError
from eschool_core.storage.sql import SqlStore, verify_rows
from eschool_core.testing import load, sample_school


def _store(tmp_path: Path) -> str:
    path = str(tmp_path / "school.sqlite")
    store = SqlStore(path, create=True)
    load(store, sample_school())
    store.close()
    return path


def _edit(
    path: str, sql: str, params: tuple[str, ...] = (), *, bypass_checks: bool = False
) -> None:
    """Change the file with sqlite3 as another tool would (checks off on request)."""
    with sqlite3.connect(path) as conn:
        if bypass_checks:
            conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(sql, params)
    conn.close()


def _first_mark(path: str) -> str:
    with sqlite3.connect(path) as conn:
        (mark_id,) = conn.execute("SELECT id FROM marks ORDER BY id LIMIT 1").fetchone()
    conn.close()
    return str(mark_id)


class TestSchemaRefuses:
    def test_a_mark_off_the_scale_is_refused_by_the_schema(self, tmp_path: Path) -> None:
        """R8.2: an UPDATE setting a stored mark to 7 fails on the table's CHECK constraint."""
        path = _store(tmp_path)
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint"):
            _edit(path, "UPDATE marks SET value = '7'")


class TestReadRefuses:
    def test_a_mark_off_the_scale_stops_the_read_naming_the_row(self, tmp_path: Path) -> None:
        """R8.2: with the checks bypassed, reading the marks raises store.invalid_row for it."""
        path = _store(tmp_path)
        mark_id = _first_mark(path)
        _edit(path, "UPDATE marks SET value = '7' WHERE id = ?", (mark_id,), bypass_checks=True)
        store = SqlStore(path, create=True)
        with store.unit_of_work() as uow, pytest.raises(ValidationError) as raised:
            uow.marks.all()
        store.close()
        assert raised.value.code == "store.invalid_row"
        assert dict(raised.value.details) == {
            "table": "marks",
            "id": mark_id,
            "cause": "mark.out_of_scale",
        }

    @pytest.mark.parametrize(
        ("column", "value", "cause"),
        [
            ("student_id", "'   '", "value.empty"),
            ("entered_at", "'2025-09-01T10:00:00'", "value.naive_datetime"),
            ("date", "'2025-13-01'", "ValueError"),
            ("work_type", "''", "value.empty"),
        ],
    )
    def test_a_value_without_a_schema_check_is_refused_on_read(
        self, tmp_path: Path, column: str, value: str, cause: str
    ) -> None:
        """R8.2: a stored value the entity refuses never reaches the rules: the read fails."""
        path = _store(tmp_path)
        mark_id = _first_mark(path)
        sql = f"UPDATE marks SET {column} = {value} WHERE id = ?"  # noqa: S608 - the test's own
        _edit(path, sql, (mark_id,))
        store = SqlStore(path, create=True)
        with store.unit_of_work() as uow, pytest.raises(ValidationError) as raised:
            uow.marks.all()
        store.close()
        assert raised.value.details["cause"] == cause
        assert raised.value.details["id"] == mark_id

    def test_a_value_is_checked_again_after_it_was_read_valid(self, tmp_path: Path) -> None:
        """R8.2: remembering checked values never lets a later invalid one through."""
        path = _store(tmp_path)
        store = SqlStore(path, create=True)
        with store.unit_of_work() as uow:
            uow.marks.all()  # every value of the marks is now remembered as checked
        store.close()
        _edit(path, "UPDATE marks SET author_id = 't1' || char(0)")
        store = SqlStore(path, create=True)
        with store.unit_of_work() as uow, pytest.raises(ValidationError) as raised:
            uow.marks.all()
        store.close()
        assert raised.value.details["cause"] == "value.nul_character"


class TestVerify:
    def test_a_valid_store_verifies_clean(self, tmp_path: Path) -> None:
        """R2.2e: every row of the sample school rebuilds into a valid entity."""
        store = SqlStore(_store(tmp_path), create=True)
        assert verify_rows(store) == ()
        store.close()

    def test_every_invalid_row_is_listed_and_nothing_is_changed(self, tmp_path: Path) -> None:
        """R2.2e: verify_rows reports each invalid row of every table and writes nothing."""
        path = _store(tmp_path)
        _edit(path, "UPDATE marks SET value = '9'", bypass_checks=True)
        _edit(path, "UPDATE attendance SET entered_by = ' '")
        with sqlite3.connect(path) as conn:
            marks = conn.execute("SELECT count(*) FROM marks").fetchone()[0]
            absences = conn.execute("SELECT count(*) FROM attendance").fetchone()[0]
        conn.close()
        store = SqlStore(path, create=True)
        with sqlite3.connect(path) as conn:
            before = conn.execute("SELECT * FROM marks ORDER BY id").fetchall()
        conn.close()
        found = verify_rows(store)
        store.close()
        causes = [(error.details["table"], error.details["cause"]) for error in found]
        assert (
            causes
            == [("marks", "mark.out_of_scale")] * marks + [("attendance", "value.empty")] * absences
        )
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT * FROM marks ORDER BY id").fetchall() == before
        conn.close()

    def test_the_command_lists_the_rows_and_exits_1(self, tmp_path: Path) -> None:
        """R2.2e: ``eschool verify --format json`` names the table, id and cause; exit 1."""
        path = _store(tmp_path)
        mark_id = _first_mark(path)
        _edit(path, "UPDATE marks SET value = '0' WHERE id = ?", (mark_id,), bypass_checks=True)
        result = CliRunner().invoke(app, ["verify", "--store", path, "--format", "json"])
        assert result.exit_code == 1, result.output
        rows = json.loads(result.output)
        assert [(row["table"], row["id"], row["cause"]) for row in rows] == [
            ("marks", mark_id, "mark.out_of_scale")
        ]

    def test_the_command_on_a_valid_store_exits_0(self, tmp_path: Path) -> None:
        """R2.2e: a store that verifies clean prints the count 0 and exits 0."""
        path = _store(tmp_path)
        result = CliRunner().invoke(app, ["--lang", "en", "verify", "--store", path])
        assert result.exit_code == 0, result.output
        assert "Invalid rows: 0" in result.output

    def test_check_reports_the_edited_row_instead_of_judging_it(self, tmp_path: Path) -> None:
        """R8.6: ``eschool check`` on an edited store fails with the row, no findings."""
        path = _store(tmp_path)
        mark_id = _first_mark(path)
        _edit(path, "UPDATE marks SET value = '6' WHERE id = ?", (mark_id,), bypass_checks=True)
        result = CliRunner().invoke(
            app, ["--lang", "en", "check", "--store", path, "--as-of", "2026-08-31"]
        )
        assert result.exit_code == 2, result.output
        assert f"row '{mark_id}' of the table marks" in result.output
        assert "eschool verify" in result.output
