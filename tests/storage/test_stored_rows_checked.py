"""A SQL store edited behind the library's back: where an invalid stored value is reported.

The schema's constraints refuse the commonest edits. A SQLite read builds the rows of marks,
attendance, attestation marks and lessons without their validators only where the row
mapping vouches for every value (``storage._rows._trusted``); any other row goes through the
entity's validators, so a read refuses an invalid row (``store.invalid_row``) and ``eschool
check`` stops naming it; ``verify_rows`` and ``eschool verify`` re-validate every row.
PostgreSQL rows always go through the validators.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from eschool_core.cli._app import app
from eschool_core.errors import ValidationError
from eschool_core.storage import UnitOfWork
from eschool_core.storage.sql import SqlStore, verify_rows
from eschool_core.testing import load, sample_school
from tests.conftest import POSTGRES_DSN


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


def _first_id(path: str, table: str) -> str:
    with sqlite3.connect(path) as conn:
        (row_id,) = conn.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 1").fetchone()  # noqa: S608
    conn.close()
    return str(row_id)


_TAMPERED: list[tuple[str, str, str, bool, str | None]] = [
    ("marks", "student_id", "'   '", False, "value.empty"),
    ("marks", "author_id", "'\u3000'", False, "value.empty"),
    ("marks", "subject_id", "X'6D617468'", False, "value.empty"),
    ("marks", "entered_at", "'2025-09-01T10:00:00+03:00'", False, None),
    ("marks", "late_reason", "'  '", False, None),
    ("marks", "value", "'6'", True, "mark.out_of_scale"),
    ("attendance", "entered_by", "''", False, "value.empty"),
    ("attendance", "entered_at", "'2025-09-01T10:00:00'", False, "value.naive_datetime"),
    ("attendance", "kind", "'gone'", True, "ValueError"),
    ("attestation_marks", "year", "'2025/2027'", False, "year.invalid_label"),
    ("attestation_marks", "author_id", "' '", False, "value.empty"),
    ("lessons", "number", "13", True, "lesson.number"),
    ("lessons", "teacher_id", "'\t'", False, "value.empty"),
    ("lessons", "cancelled_at", "'2025-09-01T07:00:00.000000+00:00'", True, "lesson.cancellation"),
]
"""Edits of one row: table, column, SQL value, whether CHECK constraints are bypassed, and the
cause a read reports (``None``: the value is valid, only not written as the library writes
it; the validators read it)."""


def _read(uow: UnitOfWork, table: str) -> object:
    return getattr(uow, table).all()


class TestEveryTableBuiltUnchecked:
    @pytest.mark.parametrize("edit", _TAMPERED, ids=lambda edit: f"{edit[0]}.{edit[1]}")
    def test_an_edited_row_is_refused_or_read_as_the_validators_read_it(
        self, tmp_path: Path, edit: tuple[str, str, str, bool, str | None]
    ) -> None:
        """R8.2: an edited value never reaches the rules unnoticed: the read names the row."""
        table, column, value, bypass, cause = edit
        path = _store(tmp_path)
        row_id = _first_id(path, table)
        sql = f"UPDATE {table} SET {column} = {value} WHERE id = ?"  # noqa: S608 - the test's own
        _edit(path, sql, (row_id,), bypass_checks=bypass)
        store = SqlStore(path)
        if cause is None:
            with store.unit_of_work() as uow:
                read = {entity.id: entity for entity in _read(uow, table)}  # type: ignore[attr-defined]
            store.close()
            assert row_id in read  # valid, built by the validators
            return
        with store.unit_of_work() as uow, pytest.raises(ValidationError) as raised:
            _read(uow, table)
        store.close()
        assert raised.value.code == "store.invalid_row"
        assert dict(raised.value.details) == {"table": table, "id": row_id, "cause": cause}
        found = verify_rows(SqlStore(path))
        assert [(e.details["table"], e.details["id"]) for e in found] == [(table, row_id)]

    def test_check_reports_a_blank_student_of_a_mark(self, tmp_path: Path) -> None:
        """R8.6: ``eschool check`` stops on a mark whose student was blanked with sqlite3."""
        path = _store(tmp_path)
        mark_id = _first_mark(path)
        _edit(path, "UPDATE marks SET student_id = ' ' WHERE id = ?", (mark_id,))
        result = CliRunner().invoke(
            app, ["--lang", "en", "check", "--store", path, "--as-of", "2026-08-31"]
        )
        assert result.exit_code == 2, result.output
        assert f"row '{mark_id}' of the table marks" in result.output
        assert "eschool verify" in result.output


@pytest.mark.postgres
class TestPostgres:
    def test_a_blank_work_type_of_a_mark_is_refused_on_read(
        self, postgres_schema: Callable[[], str]
    ) -> None:
        """R8.2: on PostgreSQL too, a mark's work type blanked around the library stops the read."""
        import sqlalchemy as sa

        assert POSTGRES_DSN is not None
        schema = postgres_schema()
        store = SqlStore(POSTGRES_DSN, schema=schema, create=True)
        load(store, sample_school())
        engine = sa.create_engine("postgresql+psycopg://" + POSTGRES_DSN.split("://", 1)[1])
        with engine.begin() as conn:
            conn.exec_driver_sql(f"SET LOCAL search_path TO {schema}")
            mark_id = conn.exec_driver_sql("SELECT min(id) FROM marks").scalar_one()
            with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():
                conn.exec_driver_sql("UPDATE marks SET value = '7' WHERE id = %s", (mark_id,))
            conn.exec_driver_sql("UPDATE marks SET work_type = ' ' WHERE id = %s", (mark_id,))
        engine.dispose()
        try:
            with store.unit_of_work() as uow, pytest.raises(ValidationError) as raised:
                uow.marks.all()
            assert dict(raised.value.details) == {
                "table": "marks",
                "id": mark_id,
                "cause": "value.empty",
            }
            assert [e.details["id"] for e in verify_rows(store)] == [mark_id]
        finally:
            store.close()


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
        assert set(rows[0]["message"]) == {"ru", "en"}  # the message as every finding has it

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
