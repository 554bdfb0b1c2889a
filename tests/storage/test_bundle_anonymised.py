"""The pseudonymised bundle: no personal value of the source in any file (R6.1, 152-FZ)."""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from eschool_core.cli._app import app
from eschool_core.errors import ValidationError
from eschool_core.people import Person
from eschool_core.storage import MemoryStore
from eschool_core.storage.bundle import export_bundle
from eschool_core.storage.sql import SqlStore
from eschool_core.synth import SyntheticSchool, generate, write_to_store
from eschool_core.testing import load, sample_school

KEY = "ключ-выгрузки-для-аналитика"


@cache
def _school() -> tuple[SyntheticSchool, MemoryStore]:
    school = generate("small", seed=7)
    store = MemoryStore()
    write_to_store(school, store)
    return school, store


@pytest.fixture(scope="module")
def synthetic_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[SyntheticSchool, Path]:
    """A generated small school and its one pseudonymised export (shared: it takes seconds)."""
    school, store = _school()
    folder = tmp_path_factory.mktemp("anon") / "bundle"
    export_bundle(store, folder, pseudonym_key=KEY)
    return school, folder


def _sample_store() -> MemoryStore:
    store = MemoryStore()
    load(store, sample_school())
    return store


def _personal_values(school: SyntheticSchool) -> set[str]:
    """Every direct identifier of the school's people, as it would be written."""
    values: set[str] = set()

    def person(p: Person) -> None:
        values.update({p.last_name, p.first_name, f"{p.last_name} {p.first_name}"})
        if p.patronymic:
            values.add(p.patronymic)
        for value in (p.snils, p.address, p.phone, p.email):
            if value:
                values.add(value)
        if p.document is not None:
            values.add(p.document.number)

    for student in school.students:
        person(student.person)
        if student.personal_file_number:
            values.add(student.personal_file_number)
    for guardian in school.guardians:
        person(guardian.person)
    for employee in school.employees:
        person(employee.person)
    if school.school.director:
        values.add(school.school.director)
    return {value for value in values if len(value) >= 3}


_TOKEN = re.compile(r"\w+")


def _leaks(files: dict[str, str], secrets: set[str]) -> set[tuple[str, str]]:
    """The (file, secret) pairs where a secret occurs in a file's text.

    A secret is looked for as a substring only in files holding its longest word, so that
    thousands of secrets are checked against megabytes of CSV quickly.
    """
    keyed = [(max(_TOKEN.findall(secret), key=len, default=secret), secret) for secret in secrets]
    found = set()
    for name, text in files.items():
        tokens = set(_TOKEN.findall(text))
        found |= {(name, s) for key, s in keyed if key in tokens and s in text}
    return found


def _files(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class TestAnonymisedBundle:
    def test_no_personal_value_of_the_source_in_any_file(
        self, synthetic_export: tuple[SyntheticSchool, Path]
    ) -> None:
        """R6.1 (152-FZ): an anonymised export holds no name, СНИЛС, document or address."""
        school, folder = synthetic_export
        files = _files(folder)
        secrets = _personal_values(school)
        assert len(secrets) > 1000
        found = _leaks(files, secrets)
        assert not found, sorted(found)[:10]
        ids = {s.id for s in school.students} | {g.id for g in school.guardians}
        for name, text in files.items():  # no raw id as a cell or a list item
            assert not ids & set(re.split(r'[,\n"\[\]@:]', text)), name

    def test_the_plain_export_does_hold_them(self, tmp_path: Path) -> None:
        """R9.3: without a key the bundle is the full exchange format (the test above can fail)."""
        store = _sample_store()
        export_bundle(store, tmp_path / "plain")
        export_bundle(store, tmp_path / "anon", pseudonym_key=KEY)
        with store.unit_of_work() as uow:
            secrets = {s.person.last_name for s in uow.students.all()}
            secrets |= {str(s.person.snils) for s in uow.students.all() if s.person.snils}
        assert _leaks(_files(tmp_path / "plain"), secrets)
        assert not _leaks(_files(tmp_path / "anon"), secrets)

    def test_references_stay_consistent_and_birth_dates_become_years(
        self, synthetic_export: tuple[SyntheticSchool, Path]
    ) -> None:
        """R6.1: pseudonyms are the same in every file, and birth dates are coarsened."""
        school, folder = synthetic_export
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        students = _rows(folder, "students.csv")
        ids = {row["id"] for row in students}
        assert all(i.startswith("S-") for i in ids)
        assert "last_name" not in students[0]
        assert "birth_date" not in students[0]
        source_years = {s.person.birth_date.year for s in school.students if s.person.birth_date}
        for value in {row["birth_year"] for row in students} - {""}:  # empty: suppressed
            first, _, last = value.partition("-")  # a year, or a band of years
            assert source_years & set(range(int(first), int(last or first) + 1)), value
        for name, column in (
            ("marks.csv", "student_id"),
            ("memberships.csv", "student_id"),
            ("guardian_links.csv", "student_id"),
            ("attendance.csv", "student_id"),
            ("order_items.csv", "student_id"),
        ):
            used = {row[column] for row in _rows(folder, name) if row[column]}
            assert used, name
            assert used <= ids, name
        guardians = {row["id"] for row in _rows(folder, "guardians.csv")}
        assert {row["guardian_id"] for row in _rows(folder, "guardian_links.csv")} <= guardians
        employees = {row["id"] for row in _rows(folder, "employees.csv")}
        assert {row["author_id"] for row in _rows(folder, "marks.csv")} <= employees
        membership_ids = {row["id"] for row in _rows(folder, "memberships.csv")}
        assert all(i.split("@")[0] in ids for i in membership_ids)
        assert manifest["anonymised"]["method"] == "hmac-sha256"

    def test_pseudonyms_are_stable_per_key(self, tmp_path: Path) -> None:
        """R6.1: the same key gives the same files; another key other pseudonyms."""
        store = _sample_store()
        export_bundle(store, tmp_path / "a", pseudonym_key=KEY)
        export_bundle(store, tmp_path / "b", pseudonym_key=KEY)
        export_bundle(store, tmp_path / "c", pseudonym_key=KEY + "-2")
        assert _files(tmp_path / "a") == _files(tmp_path / "b")
        first = {row["id"] for row in _rows(tmp_path / "a", "students.csv")}
        other = {row["id"] for row in _rows(tmp_path / "c", "students.csv")}
        assert not first & other

    def test_short_key_is_refused_and_nothing_written(self, tmp_path: Path) -> None:
        """R6.1: a key under 16 characters is a typed error."""
        store = _sample_store()
        with pytest.raises(ValidationError):
            export_bundle(store, tmp_path / "x", pseudonym_key="short")
        assert not (tmp_path / "x").exists()


class TestCli:
    def test_export_anonymise_generates_and_prints_a_key(self, tmp_path: Path) -> None:
        """R6.1: eschool export --anonymise prints the key it made; --key reuses it."""
        db = tmp_path / "school.sqlite"
        sql = SqlStore(str(db), create=True)
        try:
            load(sql, sample_school())
        finally:
            sql.close()
        runner = CliRunner()
        result = runner.invoke(
            app, ["--lang", "en", "export", str(db), str(tmp_path / "a"), "--anonymise"]
        )
        assert result.exit_code == 0, result.output
        key_line = next(line for line in result.output.splitlines() if "key" in line.lower())
        key = key_line.rsplit(" ", 1)[-1]
        again = runner.invoke(
            app,
            ["--lang", "en", "export", str(db), str(tmp_path / "b"), "--anonymise", "--key", key],
        )
        assert again.exit_code == 0, again.output
        assert "key" not in again.output.split("→")[0].lower()
        assert _files(tmp_path / "a") == _files(tmp_path / "b")
        manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["anonymised"]["key_id"]
        short = runner.invoke(
            app, ["export", str(db), str(tmp_path / "c"), "--anonymise", "--key", "short"]
        )
        assert short.exit_code == 2
        assert "16" in short.output
        assert not (tmp_path / "c").exists()


class TestFreeText:
    def test_names_and_numbers_in_free_text_are_scrubbed(self, tmp_path: Path) -> None:
        """R6.1 (152-FZ): a name or a phone typed into a topic never reaches the export."""
        entities = dict(sample_school())
        student = entities["students"][0]
        teacher = next(e for e in entities["employees"] if e.person.phone)
        lesson = entities["lessons"][0]
        topic = f"Доклад: {student.person.last_name} {student.person.first_name}"
        homework = f"Звонить {teacher.person.phone}, СНИЛС {teacher.person.snils}, сдать старосте"
        entities["lessons"] = [
            attrs.evolve(lesson, topic=topic, homework=homework),
            *entities["lessons"][1:],
        ]
        store = MemoryStore()
        load(store, list(entities.items()))
        export_bundle(store, tmp_path / "anon", pseudonym_key=KEY)
        text = (tmp_path / "anon" / "lessons.csv").read_text(encoding="utf-8")
        assert "Доклад: *** ***" in text
        assert "Звонить ***, СНИЛС ***, сдать старосте" in text  # inflected forms are not names
        for secret in (student.person.last_name, str(teacher.person.phone), teacher.person.snils):
            assert str(secret) not in text
