"""k-anonymity of a pseudonymised bundle, and the one-line refusal to import one (R6.1, 152-FZ)."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.cli._app import app
from eschool_core.errors import ValidationError
from eschool_core.k_anonymity import K_ANONYMITY, k_anonymise
from eschool_core.storage import MemoryStore
from eschool_core.storage._k_anonymity import LADDERS
from eschool_core.storage.bundle import AnonymisedBundleError, export_bundle, import_bundle
from eschool_core.storage.sql import SqlStore
from eschool_core.synth import SyntheticSchool, generate, write_to_store
from eschool_core.testing import load, sample_school

KEY = "ключ-выгрузки-для-аналитика"
_BOUNDED = settings(max_examples=60, deadline=None)
_YEARS = {"birth_date": "birth_year", "hired_on": "hired_year", "dismissed_on": "dismissed_year"}


@cache
def _school() -> tuple[SyntheticSchool, MemoryStore]:
    school = generate("small", seed=11)
    store = MemoryStore()
    write_to_store(school, store)
    return school, store


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[SyntheticSchool, Path]:
    """A generated small school (40 staff) and its pseudonymised export."""
    school, store = _school()
    folder = tmp_path_factory.mktemp("k-anon") / "bundle"
    export_bundle(store, folder, pseudonym_key=KEY)
    return school, folder


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _parallels(folder: Path) -> dict[str, str]:
    """Each pseudonymised student's parallel in the bundle's year, read from its files."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    year = manifest["academic_year"]
    parallel_of = {
        c["id"]: c["parallel"] for c in _rows(folder, "classes.csv") if c["year"] == year
    }
    found: dict[str, str] = {}
    for membership in _rows(folder, "memberships.csv"):
        parallel = parallel_of.get(membership["class_id"])
        if parallel is not None:
            student = membership["student_id"]
            found[student] = max(parallel, found.get(student, parallel), key=int)
    return found


def _group_sizes(folder: Path, table: str) -> Counter[tuple[str, ...]]:
    """How many rows of ``table`` share each combination of its quasi-identifiers."""
    columns = [_YEARS.get(name, name) for name in LADDERS[table].quasi_identifiers]
    parallels = _parallels(folder) if table == "students" else {}
    return Counter(
        (parallels.get(row["id"], ""), *(row[name] for name in columns))
        for row in _rows(folder, f"{table}.csv")
    )


class TestTheDefect:
    def test_the_source_staff_are_unique_on_their_quasi_identifiers(self) -> None:
        """R6.1: uncoarsened, staff are singled out by birth year, sex, position, hiring year."""
        school, _ = _school()
        combos = Counter(
            (
                e.person.birth_date.year if e.person.birth_date else None,
                e.person.sex,
                e.position,
                e.hired_on.year if e.hired_on else None,
            )
            for e in school.employees
        )
        assert min(combos.values()) < K_ANONYMITY


class TestExport:
    @pytest.mark.parametrize("table", sorted(LADDERS))
    def test_every_combination_is_shared_by_k_people(
        self, export: tuple[SyntheticSchool, Path], table: str
    ) -> None:
        """R6.1: in the anonymised bundle every quasi-identifier combination occurs >= k times."""
        _, folder = export
        sizes = _group_sizes(folder, table)
        assert sizes
        assert min(sizes.values()) >= K_ANONYMITY, sizes.most_common()[-3:]

    def test_the_manifest_reports_k_and_what_was_coarsened(
        self, export: tuple[SyntheticSchool, Path]
    ) -> None:
        """R6.1: the manifest names k and, per table, the coarsening and the smallest group."""
        school, folder = export
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        anonymised = manifest["anonymised"]
        assert anonymised["k"] == K_ANONYMITY
        staff = anonymised["quasi_identifiers"]["employees"]
        assert staff["rows"] == len(school.employees)
        assert {"birth_year", "sex", "position", "hired_year"} <= set(staff["quasi_identifiers"])
        assert staff["coarsened"]
        assert staff["k_achieved"] is True
        assert staff["smallest_group"] == min(_group_sizes(folder, "employees").values())
        assert anonymised["quasi_identifiers"]["students"]["grouped_by"] == "parallel"

    def test_coarsened_values_come_from_the_source(
        self, export: tuple[SyntheticSchool, Path]
    ) -> None:
        """R6.1: a birth year is the source's year, a band holding it, or empty; never invented."""
        school, folder = export
        source_years = {s.person.birth_date.year for s in school.students if s.person.birth_date}
        for row in _rows(folder, "students.csv"):
            value = row["birth_year"]
            if not value:
                continue
            first, _, last = value.partition("-")
            span = range(int(first), int(last or first) + 1)
            assert source_years & set(span), value

    def test_k_under_five_is_refused_and_nothing_written(self, tmp_path: Path) -> None:
        """R6.1: k is at least 5; a smaller one is a typed error before anything is written."""
        store = MemoryStore()
        load(store, sample_school())
        with pytest.raises(ValidationError) as raised:
            export_bundle(store, tmp_path / "anon", pseudonym_key=KEY, k=4)
        assert raised.value.code == "privacy.k_too_small"
        assert not (tmp_path / "anon").exists()


_POSITIONS = ("учитель", "учитель начальных классов", "директор", "педагог-психолог", "завхоз")


@st.composite
def _staff(draw: st.DrawFn) -> list[dict[str, object]]:
    size = draw(st.integers(min_value=K_ANONYMITY, max_value=60))
    return [
        {
            "id": f"E-{index}",
            "birth_date": draw(st.none() | st.integers(min_value=1950, max_value=2002)),
            "sex": draw(st.sampled_from([None, "m", "f"])),
            "citizenship": draw(st.sampled_from([None, "RU", "other"])),
            "document_kind": draw(st.sampled_from([None, "passport"])),
            "position": draw(st.sampled_from(_POSITIONS)),
            "status": draw(st.sampled_from(["active", "dismissed"])),
            "hired_on": draw(st.none() | st.integers(min_value=1975, max_value=2025)),
            "dismissed_on": None,
            "education": draw(st.sampled_from([None, "высшее", "среднее профессиональное"])),
            "qualification_category": draw(st.sampled_from([None, "первая", "высшая"])),
        }
        for index in range(size)
    ]


def _sizes(
    rows: list[dict[str, object]], table: str, groups: list[int] | None = None
) -> Counter[tuple[object, ...]]:
    parts = groups if groups is not None else [0] * len(rows)
    columns = LADDERS[table].quasi_identifiers
    return Counter(
        (part, *(row.get(name) for name in columns)) for row, part in zip(rows, parts, strict=True)
    )


def _from_source(before: object, after: object) -> bool:
    """Whether ``after`` is ``before``, a band holding it, a coarser position, or empty."""
    if after is None or after == before:
        return True
    if isinstance(after, str) and isinstance(before, int) and "-" in after:
        first, last = after.split("-")
        return int(first) <= before <= int(last)
    return after in {"учитель", "другая должность"} and isinstance(before, str)


class TestProperties:
    @_BOUNDED
    @given(_staff())
    def test_staff_groups_hold_k(self, rows: list[dict[str, object]]) -> None:
        """R6.1: for any staff of k or more, every combination occurs at least k times."""
        out, summary = k_anonymise(rows, LADDERS["employees"])
        assert min(_sizes(out, "employees").values()) >= K_ANONYMITY
        assert summary.achieved
        assert summary.smallest_group >= K_ANONYMITY
        for before, after in zip(rows, out, strict=True):
            assert after["id"] == before["id"]
            assert all(_from_source(before[name], after[name]) for name in before)

    @_BOUNDED
    @given(
        st.lists(st.integers(min_value=1, max_value=11), min_size=1, max_size=4, unique=True),
        st.data(),
    )
    def test_students_groups_hold_k_within_each_parallel(
        self, parallels: list[int], data: st.DataObject
    ) -> None:
        """R6.1: students' combinations occur k times or more within each parallel of k or more."""
        groups = [
            parallel
            for parallel in parallels
            for _ in range(data.draw(st.integers(min_value=K_ANONYMITY, max_value=30)))
        ]
        rows: list[dict[str, object]] = [
            {
                "id": f"S-{index}",
                "birth_date": data.draw(st.integers(min_value=2007, max_value=2019)),
                "sex": data.draw(st.sampled_from(["m", "f"])),
                "citizenship": "RU",
                "document_kind": "birth_certificate",
            }
            for index in range(len(groups))
        ]
        out, summary = k_anonymise(rows, LADDERS["students"], groups=groups, grouped_by="parallel")
        assert min(_sizes(out, "students", groups).values()) >= K_ANONYMITY
        assert summary.grouped_by == "parallel"

    @_BOUNDED
    @given(_staff().map(lambda rows: rows[: K_ANONYMITY - 1]))
    def test_fewer_than_k_people_keep_no_quasi_identifier(
        self, rows: list[dict[str, object]]
    ) -> None:
        """R6.1: a table of fewer than k people is written with every quasi-identifier empty."""
        out, summary = k_anonymise(rows, LADDERS["employees"])
        assert all(
            row[name] is None for row in out for name in LADDERS["employees"].quasi_identifiers
        )
        assert not summary.achieved


def _bundle(tmp_path: Path) -> Path:
    store = MemoryStore()
    load(store, sample_school())
    export_bundle(store, tmp_path / "anon", pseudonym_key=KEY)
    return tmp_path / "anon"


class TestImport:
    def test_an_anonymised_bundle_is_refused_in_one_error(self, tmp_path: Path) -> None:
        """R6.1: importing a pseudonymised export is one typed error, and nothing is stored."""
        store = MemoryStore()
        with pytest.raises(AnonymisedBundleError) as raised:
            import_bundle(_bundle(tmp_path), store)
        assert raised.value.code == "bundle.anonymised"
        assert "\n" not in str(raised.value)
        with store.unit_of_work() as uow:
            assert not uow.students.all()
            assert not uow.schools.all()

    def test_it_is_recognised_by_its_headers_without_the_manifest_entry(
        self, tmp_path: Path
    ) -> None:
        """R6.1: a bundle whose manifest lost ``anonymised`` is still recognised by birth_year."""
        folder = _bundle(tmp_path)
        manifest_file = folder / "manifest.json"
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        del manifest["anonymised"]
        manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
        with pytest.raises(AnonymisedBundleError):
            import_bundle(folder, MemoryStore())

    def test_the_import_command_answers_in_one_line(self, tmp_path: Path) -> None:
        """R6.1: `eschool import` of an anonymised bundle prints one line and creates no store."""
        school, store = _school()
        folder = tmp_path / "anon"
        export_bundle(store, folder, pseudonym_key=KEY)
        zipped = shutil.make_archive(str(tmp_path / "anon"), "zip", folder)
        for source in (folder, Path(zipped)):
            target = tmp_path / f"{source.name}.sqlite"
            result = CliRunner().invoke(app, ["--lang", "en", "import", str(source), str(target)])
            assert result.exit_code == 2, result.output
            assert result.stdout == ""
            lines = result.stderr.splitlines()
            assert len(lines) == 1, lines[:5]
            assert "anonymised" in lines[0]
            assert not target.exists()
        assert len(school.employees) == 40

    def test_a_plain_bundle_still_imports(self, tmp_path: Path) -> None:
        """R9.3: the refusal is only for anonymised bundles: a plain export imports back."""
        source = MemoryStore()
        load(source, sample_school())
        export_bundle(source, tmp_path / "plain")
        target = SqlStore(str(tmp_path / "school.sqlite"), create=True)
        try:
            counts = import_bundle(tmp_path / "plain", target)
        finally:
            target.close()
        assert counts["students"] > 0


class TestExportCommand:
    def test_export_prints_k_and_what_was_coarsened(self, tmp_path: Path) -> None:
        """R6.1: `eschool export --anonymise` reports k per table and where k is not reached."""
        db = tmp_path / "school.sqlite"
        sql = SqlStore(str(db), create=True)
        try:
            load(sql, sample_school())
        finally:
            sql.close()
        args = ["--lang", "en", "export", str(db), str(tmp_path / "a"), "--anonymise"]
        result = CliRunner().invoke(app, [*args, "--key", KEY, "--k-anonymity", "6"])
        assert result.exit_code == 0, result.output
        lines = [line for line in result.stdout.splitlines() if line.startswith("k-anonymity")]
        assert [line.split(",")[1].split(":")[0].strip() for line in lines] == [
            "employees",
            "students",
            "guardians",
        ]
        assert all("(k = 6)" in line for line in lines)
        assert "k not reached" in lines[0]  # the sample school has two staff
        manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["anonymised"]["k"] == 6
        plain = ["--lang", "en", "export", str(db), str(tmp_path / "b"), "--k-anonymity", "6"]
        refused = CliRunner().invoke(app, plain)
        assert refused.exit_code == 2
        assert "--k-anonymity goes with --anonymise" in refused.output
