"""Bad input gets a typed error and writes nothing: bundle, TOML and Parquet readers (R9.3).

Each test reproduces one defect measured by mutating the project's own valid exports.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core._extras import require
from eschool_core.calendar import AcademicYear
from eschool_core.errors import (
    EschoolError,
    MissingExtraError,
    ProfileError,
    StorageError,
    ValidationError,
)
from eschool_core.movement import OrderItem
from eschool_core.profiles import default_profile, default_profile_text, load_profile
from eschool_core.school import Group, Subject
from eschool_core.storage import MemoryStore, Store, open_store
from eschool_core.storage.bundle import BundleError, export_bundle, import_bundle
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import load, sample_school, snapshot
from eschool_core.timetable import Room
from tests.rules_helpers import synthetic_rules

_MINUS_5 = dt.timezone(dt.timedelta(hours=-5))


@pytest.fixture(scope="module")
def bundle_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The files of a valid bundle of the sample school."""
    source = MemoryStore()
    load(source, sample_school())
    folder = tmp_path_factory.mktemp("valid")
    export_bundle(source, folder)
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def _folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "bundle"
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _refused(source: Path, store: Store | None = None) -> BundleError:
    target = store or MemoryStore()
    with pytest.raises(BundleError) as raised:
        import_bundle(source, target)
    assert all(not rows for rows in snapshot(target).values())
    return raised.value


def _with_cell(files: dict[str, bytes], file: str, old: str, new: str) -> dict[str, bytes]:
    text = files[file].decode("utf-8")
    assert old in text
    return {**files, file: text.replace(old, new, 1).encode("utf-8")}


class TestBundleEncodings:
    def test_cp1251_file_is_named_with_its_line(
        self, tmp_path: Path, bundle_files: dict[str, bytes]
    ) -> None:
        """A CSV saved in Windows-1251 is a BundleError naming the file and line (R9.3)."""
        text = bundle_files["students.csv"].decode("utf-8")
        files = {**bundle_files, "students.csv": text.encode("cp1251", errors="replace")}
        error = _refused(_folder(tmp_path, files))
        problem = next(p for p in error.problems if p.file == "students.csv")
        assert problem.line == 2
        assert "UTF-8" in problem.message.en
        assert "Windows-1251" in problem.message.en

    def test_file_cut_mid_character(self, tmp_path: Path, bundle_files: dict[str, bytes]) -> None:
        """A file cut inside a two-byte character is a BundleError (R9.3)."""
        data = bundle_files["subjects.csv"]
        cut = next(i for i, byte in enumerate(data) if byte >= 0xC0) + 1
        error = _refused(_folder(tmp_path, {**bundle_files, "subjects.csv": data[:cut]}))
        assert any(p.file == "subjects.csv" and "UTF-8" in p.message.en for p in error.problems)

    def test_byte_order_mark_is_accepted(
        self, tmp_path: Path, bundle_files: dict[str, bytes]
    ) -> None:
        """UTF-8 with a byte-order mark (as spreadsheets save it) imports as without (R9.3)."""
        files = {**bundle_files, "subjects.csv": b"\xef\xbb\xbf" + bundle_files["subjects.csv"]}
        counts = import_bundle(_folder(tmp_path, files), MemoryStore())
        assert counts["subjects"] == 3


class TestBundleBounds:
    def test_zip_bomb_cell(self, tmp_path: Path, bundle_files: dict[str, bytes]) -> None:
        """A small zip expanding to a 100 MB cell is one problem of its row (R9.3)."""
        header, _, rest = bundle_files["subjects.csv"].partition(b"\n")
        huge = header + b"\n" + b"x" * 100_000_000 + b",a,b,1\n" + rest
        archive = tmp_path / "bomb.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for name, data in {**bundle_files, "subjects.csv": huge}.items():
                zipped.writestr(name, data)
        assert archive.stat().st_size < 1_000_000
        error = _refused(archive)
        assert any(p.file == "subjects.csv" and p.line == 2 for p in error.problems)

    def test_deep_json_cell(self, tmp_path: Path, bundle_files: dict[str, bytes]) -> None:
        """A JSON cell nested 50 000 deep is a problem, not a RecursionError (R9.3)."""
        deep = "[" * 50_000 + "]" * 50_000
        files = _with_cell(bundle_files, "groups.csv", '"[""c5a""]"', deep)
        error = _refused(_folder(tmp_path, files))
        assert any(p.file == "groups.csv" and p.column == "class_ids" for p in error.problems)

    def test_deep_manifest(self, tmp_path: Path, bundle_files: dict[str, bytes]) -> None:
        """A manifest nested deep is a problem of the manifest (R9.3)."""
        deep = "[" * 50_000 + "]" * 50_000
        text = (
            bundle_files["manifest.json"].decode().replace('"profile": "default"', f'"x": {deep}')
        )
        error = _refused(_folder(tmp_path, {**bundle_files, "manifest.json": text.encode()}))
        assert error.problems[0].file == "manifest.json"

    @pytest.mark.parametrize("damage", ["truncate", "flip"])
    def test_corrupt_zip(self, tmp_path: Path, bundle_files: dict[str, bytes], damage: str) -> None:
        """A truncated or damaged zip is a BundleError, not BadZipFile or zlib.error (R9.3)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for name, data in bundle_files.items():
                zipped.writestr(name, data * 20)
        damaged = bytearray(buffer.getvalue())
        if damage == "truncate":
            damaged = damaged[: len(damaged) - 30]
        else:
            for at in range(200, len(damaged) - 2000, 97):  # inside the compressed members
                damaged[at] ^= 0x5A
        archive = tmp_path / "bad.zip"
        archive.write_bytes(bytes(damaged))
        _refused(archive)

    def test_a_file_that_is_not_a_bundle(self, tmp_path: Path) -> None:
        """A file that is neither a folder nor a zip is named as such (R9.3)."""
        path = tmp_path / "notes.txt"
        path.write_text("hello", encoding="utf-8")
        error = _refused(path)
        assert "neither a folder nor a zip" in error.problems[0].message.en


class TestBundleValues:
    @pytest.mark.parametrize(
        ("file", "old", "new", "column"),
        [
            ("marks.csv", ",2025-09-01,l1,", ",20250901,l1,", "date"),
            ("subjects.csv", ",2\n", ",٢\n", "sort_order"),
            ("subjects.csv", ",2\n", ",1_0\n", "sort_order"),
            ("marks.csv", "2025-09-01T09:30:00+03:00", "9999-12-31T23:00:00-05:00", "entered_at"),
            ("students.csv", "s1,", "s\x002,", "id"),
        ],
    )
    def test_values_python_accepts_but_the_format_does_not(  # noqa: PLR0917 - parametrized
        self,
        tmp_path: Path,
        bundle_files: dict[str, bytes],
        file: str,
        old: str,
        new: str,
        column: str,
    ) -> None:
        """A basic-format date, non-ASCII digits, 1_0, year 10000 UTC and NUL are refused (R9.3)."""
        files = _with_cell(bundle_files, file, old, new)
        for store in (MemoryStore(), SqlStore(":memory:")):
            error = _refused(_folder(tmp_path / type(store).__name__, files), store)
            assert any(p.file == file and p.column == column for p in error.problems), error

    def test_a_debt_subject_that_is_not_an_id_is_refused(
        self, tmp_path: Path, bundle_files: dict[str, bytes]
    ) -> None:
        """R9.3: `[1,"a",null,{}]` as an order item's subjects is a problem on the order's line."""
        files = _with_cell(bundle_files, "order_items.csv", '"[""math"",""eng""]"', '"[1,{}]"')
        for store in (MemoryStore(), SqlStore(":memory:")):
            error = _refused(_folder(tmp_path / type(store).__name__, files), store)
            assert any(
                p.file == "orders.csv" and "non-empty text" in p.message.en for p in error.problems
            ), error

    def test_manifest_academic_year_must_be_a_label(
        self, tmp_path: Path, bundle_files: dict[str, bytes]
    ) -> None:
        """`academic_year: 12345` in the manifest is refused (R9.3)."""
        manifest = json.loads(bundle_files["manifest.json"])
        manifest["academic_year"] = 12345
        files = {**bundle_files, "manifest.json": json.dumps(manifest).encode()}
        error = _refused(_folder(tmp_path, files))
        assert any(p.column == "academic_year" for p in error.problems)


class TestEntityValidation:
    def test_nul_in_text_is_refused_by_the_entity(self) -> None:
        """A NUL in an id, a name or an optional text is refused before any store (R9.3)."""
        for kwargs in ({"id": "m\x00"}, {"name": "Мате\x00матика"}, {"short_name": "М\x00"}):
            with pytest.raises(ValidationError) as raised:
                Subject(**{"id": "math", "name": "Математика", **kwargs})
            assert raised.value.code == "value.nul_character"

    def test_time_zone_name_too_long_for_a_file_name(self) -> None:
        """A 300-character time zone is an unknown zone, not an OSError (R9.3)."""
        from eschool_core.school import School

        with pytest.raises(ValidationError) as raised:
            School(id="sch", name="СОШ", time_zone="[" * 300)
        assert raised.value.code == "school.unknown_time_zone"

    def test_instant_beyond_year_9999_utc_is_refused(self) -> None:
        """A moment in the year 10000 in UTC is refused by the entity, not by SQL later (R9.3)."""
        late = dt.datetime(9999, 12, 31, 23, tzinfo=_MINUS_5)
        with pytest.raises(ValidationError) as raised:
            Room(id="r1", name="каб. 1", entered_at=late)
        assert raised.value.code == "value.instant_out_of_range"
        Room(id="r1", name="каб. 1", entered_at=dt.datetime(9999, 12, 31, 18, tzinfo=_MINUS_5))


class TestIdCollections:
    @settings(max_examples=40)
    @given(
        bad=st.one_of(
            st.integers(),
            st.none(),
            st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
            st.lists(st.text(max_size=2), max_size=2),
            st.sampled_from(["", "  ", "a\x00b"]),
        ),
        field=st.sampled_from(["group.class_ids", "group.student_ids", "item.subjects"]),
    )
    def test_an_id_that_is_not_text_is_a_typed_error(self, bad: object, field: str) -> None:
        """R9.3: a list of ids holding a number, a dict, nothing or NUL is refused by the entity,
        never a TypeError later (an order's debt subjects once crashed the bundle reader)."""
        with pytest.raises(ValidationError) as raised:
            if field == "item.subjects":
                OrderItem(student_id="s1", subjects=["math", bad])
            else:
                ids: dict[str, list[object]] = {"class_ids": ["c5a"], "student_ids": ["s1"]}
                ids[field.removeprefix("group.")] = ["ok", bad]
                Group(
                    id="g",
                    name="Англ. 1",
                    subject_id="eng",
                    year="2025/2026",
                    kind="subgroup",
                    **ids,
                )
        assert raised.value.code in {"value.bad_id", "group.classes"}


class TestProfileAndYearFiles:
    def test_cp1251_profile_names_the_file(self, tmp_path: Path) -> None:
        """A profile saved in Windows-1251 is a ProfileError naming the file (R9.3)."""
        path = tmp_path / "school.toml"
        path.write_bytes(default_profile_text().encode("cp1251", errors="replace"))
        with pytest.raises(ProfileError) as raised:
            load_profile(path)
        assert raised.value.code == "profile.not_utf8"
        assert str(path) in raised.value.message("en")

    def test_deep_profile(self, tmp_path: Path) -> None:
        """A TOML array nested 50 000 deep is a ProfileError, not a RecursionError (R9.3)."""
        path = tmp_path / "deep.toml"
        path.write_text(default_profile_text() + "\nx = " + "[" * 50_000 + "]" * 50_000)
        with pytest.raises(ProfileError):
            load_profile(path)

    def test_profile_key_error_names_file_and_key(self, tmp_path: Path) -> None:
        """A bad value in a profile file names the file and the key (R9.3)."""
        path = tmp_path / "school.toml"
        path.write_text(
            default_profile_text().replace('time_zone = "Europe/Moscow"', "time_zone = 5"),
            encoding="utf-8",
        )
        with pytest.raises(ProfileError) as raised:
            load_profile(path)
        assert str(path) in raised.value.message("en")
        assert "school.time_zone" in raised.value.message("en")

    def test_unknown_vacation_kind(self, year_toml: str) -> None:
        """`kind = "holiday"` names the key instead of a bare ValueError (R9.3)."""
        text = year_toml.replace('kind = "autumn"', 'kind = "holiday"', 1)
        with pytest.raises(ValidationError) as raised:
            AcademicYear.from_toml(text)
        assert "vacations[0].kind" in raised.value.message("en")

    def test_non_ascii_parallel(self, year_toml: str) -> None:
        """A grade written in Arabic-Indic digits is refused (R9.3)."""
        text = year_toml.replace("[parallels.1]", "[parallels.١]", 1)
        with pytest.raises(ValidationError) as raised:
            AcademicYear.from_toml(text)
        assert raised.value.code == "calendar.toml_invalid"

    def test_deep_year(self, year_toml: str) -> None:
        """A year file nested deep is a ValidationError (R9.3)."""
        with pytest.raises(ValidationError):
            AcademicYear.from_toml(year_toml + "\nx = " + "[" * 50_000 + "]" * 50_000)

    def test_cp1251_year_file_in_the_command_line_reader(
        self, tmp_path: Path, year_toml: str
    ) -> None:
        """The command line's year-file reader names a file that is not UTF-8 (R9.3)."""
        from eschool_core.cli._options import load_year

        path = tmp_path / "year.toml"
        path.write_bytes(year_toml.encode("cp1251", errors="replace"))
        with pytest.raises(ValidationError) as raised:
            load_year(None, path, default_profile())
        assert str(path) in raised.value.message("en")


@pytest.fixture(scope="module")
def year_toml() -> str:
    """The synthetic school's year as TOML."""
    from eschool_core import synth

    return synth.academic_year_of(synth.generate("small", 1)).to_toml()


class TestOpenStore:
    def test_unsupported_scheme_is_named(self) -> None:
        """`mysql://x/y` is refused naming its scheme, not as a SQLite file (R9.3)."""
        with pytest.raises(StorageError) as raised:
            open_store("mysql://x/y")
        assert raised.value.code == "storage.unsupported_url"
        assert "mysql://" in raised.value.message("en")

    def test_directory(self, tmp_path: Path) -> None:
        """A directory is said to be a directory, not to be missing (R9.3)."""
        with pytest.raises(StorageError) as raised:
            open_store(str(tmp_path))
        assert "is a directory" in raised.value.message("en")

    def test_missing_file_is_not_created(self, tmp_path: Path) -> None:
        """Without create, a missing SQLite file is an error and no file appears (R9.3)."""
        with pytest.raises(StorageError):
            open_store(str(tmp_path / "nope.sqlite"))
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize("create", [False, True])
    def test_foreign_file_is_left_alone(self, tmp_path: Path, create: bool) -> None:
        """Another application's SQLite database is refused and not altered (R9.3)."""
        import sqlite3

        path = tmp_path / "other_app.sqlite"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.commit()
        conn.close()
        before = path.read_bytes()
        with pytest.raises(StorageError) as raised:
            open_store(str(path), create=create)
        assert raised.value.code == "storage.not_a_store"
        assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["other_app.sqlite"]

    def test_create(self, tmp_path: Path) -> None:
        """With create, a new store is made and opens again without it (R9.3)."""
        path = str(tmp_path / "new.sqlite")
        open_store(path, create=True).close()
        open_store(path).close()


class TestOptionalExtras:
    @pytest.fixture
    def without(self, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
        """Make a module and its submodules unimportable, as if its extra were not installed."""

        def hide(module: str) -> None:
            for name in [n for n in sys.modules if n == module or n.startswith(module + ".")]:
                monkeypatch.delitem(sys.modules, name)
            monkeypatch.setitem(sys.modules, module, None)

        return hide

    @pytest.mark.parametrize(
        ("module", "extra"),
        [("sqlalchemy", "sql"), ("fpdf", "export"), ("openpyxl", "export"), ("pyspark", "spark")],
    )
    def test_require_names_the_extra(
        self, without: Callable[[str], None], module: str, extra: str
    ) -> None:
        """A missing optional module is a MissingExtraError with the install command (R9.3)."""
        without(module)
        with pytest.raises(MissingExtraError) as raised:
            require(module)
        assert f"pip install 'eschool-core[{extra}]'" in raised.value.message("en")
        assert raised.value.extra == extra

    def test_open_store_without_sqlalchemy(self, without: Callable[[str], None]) -> None:
        """open_store without the sql extra names it instead of a ModuleNotFoundError (R9.3)."""
        without("eschool_core.storage.sql")
        without("sqlalchemy")
        with pytest.raises(MissingExtraError) as raised:
            open_store(":memory:")
        assert raised.value.extra == "sql"

    @pytest.mark.parametrize(("fmt", "module"), [("pdf", "fpdf"), ("xlsx", "openpyxl")])
    def test_report_formats(self, without: Callable[[str], None], fmt: str, module: str) -> None:
        """Exporting a report as PDF or XLSX without the export extra names it (R9.3)."""
        from eschool_core import synth
        from eschool_core.reports import ReportData, ReportParams, export_report, run_report

        school = synth.generate("small", 1)
        data = ReportData.from_synthetic(school, synthetic_rules(school))
        built = run_report(
            "class_occupancy",
            data,
            ReportParams(as_of=dt.date(2025, 10, 1)),
            generated_at=dt.datetime(2025, 10, 1, tzinfo=dt.UTC),
        )
        without(module)
        with pytest.raises(MissingExtraError) as raised:
            export_report(built, fmt)
        assert raised.value.extra == "export"


class TestSqlDriverErrors:
    @pytest.fixture
    def postgres(self, postgres_schema: Callable[[], str]) -> Iterator[SqlStore]:
        """A PostgreSQL store in the run's schema."""
        from tests.conftest import POSTGRES_DSN

        assert POSTGRES_DSN is not None
        store = SqlStore(POSTGRES_DSN, schema=postgres_schema(), create=True)
        yield store
        store.close()

    def test_find_with_nul_on_postgres(self, postgres: SqlStore) -> None:
        """`find("s\\x002")` is None on PostgreSQL as on the other stores (R9.3)."""
        with postgres.unit_of_work() as uow:
            assert uow.students.find("s\x002") is None
        with MemoryStore().unit_of_work() as uow:
            assert uow.students.find("s\x002") is None

    def test_driver_error_of_a_query_is_a_storage_error(self, postgres: SqlStore) -> None:
        """A value PostgreSQL cannot compare in a query is a StorageError (R9.3)."""
        with postgres.unit_of_work() as uow, pytest.raises(StorageError) as raised:
            uow.marks.for_student("s\x002")
        assert "sqlalche.me" not in raised.value.message("en")

    def test_bad_database_name(self) -> None:
        """A database that does not exist is a StorageError without SQLAlchemy's links (R9.3)."""
        from tests.conftest import POSTGRES_DSN

        if not POSTGRES_DSN:
            pytest.skip("ESCHOOL_TEST_POSTGRES_DSN is not set")
        url = POSTGRES_DSN.rsplit("/", 1)[0] + "/no_such_database_eschool"
        with pytest.raises(StorageError) as raised:
            open_store(url)
        assert "sqlalche.me" not in raised.value.message("en")


class TestParquetInputs:
    def test_garbage_parquet_names_the_file(self, tmp_path: Path) -> None:
        """A marks.parquet that is not Parquet is refused naming it, before any rule (R9.3)."""
        from eschool_core.analytics import Dataset

        (tmp_path / "marks.parquet").write_bytes(b"not parquet at all")
        with pytest.raises(ValidationError) as raised:
            Dataset.from_parquet(tmp_path)
        assert raised.value.code == "analytics.bad_parquet"
        assert "marks.parquet" in raised.value.message("en")

    def test_plot_suffix(self) -> None:
        """A plot file other than .png or .svg is refused before drawing (R9.3)."""
        from eschool_core.analytics import check_plot

        with pytest.raises(ValidationError) as raised:
            check_plot("timeliness", "x.jpg")
        assert raised.value.code == "analytics.plot_format"
        with pytest.raises(ValidationError):
            check_plot("quality", "x.png")
        check_plot("timeliness", "x.SVG")


def test_every_refusal_is_an_eschool_error() -> None:
    """MissingExtraError is part of the EschoolError tree and an ImportError (R9.3)."""
    assert issubclass(MissingExtraError, EschoolError)
    assert issubclass(MissingExtraError, ImportError)
