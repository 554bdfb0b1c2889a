"""A store read through its repositories gives the school's rows (R2.2j, R2.2k, R8.6, R8.10).

A small synthetic school is written once for the module into a SQLite store and into a
memory store, with a few records of the next academic year (and one mark of the summer
before) added by hand. ``Dataset.from_entities`` reads the school's year from each store,
and every rule over it must give the rows ``Dataset.from_school`` gives over the generated
school: the records of other years are left out.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from eschool_core import synth
from eschool_core.analytics import (
    TABLE_NAMES,
    Dataset,
    late_marks,
    period_marks,
    school_tables,
    timeliness,
)
from eschool_core.calendar import AcademicYear, standard_year
from eschool_core.cli._app import app
from eschool_core.errors import NotFoundError, ValidationError
from eschool_core.movement import OrderItem
from eschool_core.profiles import default_profile
from eschool_core.school import School
from eschool_core.storage import MemoryStore, Store
from eschool_core.storage.sql import SqlStore
from tests.analytics.helpers import RULES, assert_same_rows, assert_same_table
from tests.rules_helpers import DEADLINES

_SEED = 11
_NEXT = "2026/2027"
_KINDS = ("sqlite", "memory")


def _other_years(school: synth.SyntheticSchool) -> dict[str, list[object]]:
    """Records of the next academic year, and one mark of the summer before the school's year.

    Every record refers to the school's own people and subjects, so that only the dates and
    the year labels set them apart.
    """
    next_class = attrs.evolve(school.classes[0], id="class-2026-01a", year=_NEXT)
    membership = attrs.evolve(
        school.memberships[0],
        id="next-membership",
        class_id=next_class.id,
        since=dt.date(2026, 9, 1),
        until=None,
    )
    day = dt.date(2026, 9, 7)
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    lesson = next(
        lesson
        for lesson in school.lessons
        if lesson.topic_entered_at is not None and lesson.has_homework
    )
    lesson = attrs.evolve(
        lesson,
        id="next-lesson",
        date=day,
        class_id=next_class.id,
        group_id=None,
        topic_entered_at=moment,
        homework_entered_at=moment,
    )
    mark = attrs.evolve(
        school.marks[0],
        id="next-mark",
        student_id=membership.student_id,
        date=day,
        lesson_id=lesson.id,
        entered_at=moment,
    )
    summer = attrs.evolve(
        school.marks[0],
        id="summer-mark",
        date=dt.date(2025, 8, 29),
        lesson_id=None,
        entered_at=dt.datetime(2025, 8, 29, 12, tzinfo=dt.UTC),
    )
    absence = attrs.evolve(
        school.attendance[0],
        id="next-absence",
        student_id=membership.student_id,
        lesson_id=lesson.id,
        date=day,
        entered_at=moment,
        document_presented_on=None,
        reason_corrected_at=None,
    )
    attestation = attrs.evolve(school.attestation_marks[0], id="next-attestation", year=_NEXT)
    order = attrs.evolve(
        school.orders[0],
        id="next-order",
        number="1-н",
        year=_NEXT,
        issued_on=dt.date(2026, 9, 1),
        entered_at=dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC),
        items=(OrderItem(student_id=membership.student_id, class_id=next_class.id),),
    )
    return {
        "classes": [next_class],
        "memberships": [membership],
        "orders": [order],
        "lessons": [lesson],
        "marks": [mark, summer],
        "attendance": [absence],
        "attestation_marks": [attestation],
        "academic_years": [standard_year(_NEXT, default_profile().calendar)],
    }


def _add(store: Store, records: Mapping[str, Sequence[object]]) -> None:
    with store.unit_of_work() as uow:
        for name, rows in records.items():
            getattr(uow, name).add_many(rows)
        uow.commit()


@attrs.frozen
class _Stores:
    """The generated school, its year, and the two stores that hold it (and other years)."""

    school: synth.SyntheticSchool
    year: AcademicYear
    path: Path
    stores: Mapping[str, Store]
    other_years: Mapping[str, Sequence[object]]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Stores]:
    """A small school with a few records of other years, in a SQLite and a memory store."""
    school = synth.generate("small", seed=_SEED)
    path = tmp_path_factory.mktemp("store") / "school.sqlite"
    opened: dict[str, Store] = {"sqlite": SqlStore(str(path), create=True), "memory": MemoryStore()}
    other_years = _other_years(school)
    for store in opened.values():
        synth.write_to_store(school, store)
        _add(store, other_years)
    yield _Stores(
        school=school,
        year=synth.academic_year_of(school),
        path=path,
        stores=opened,
        other_years=other_years,
    )
    for store in opened.values():
        store.close()


@pytest.fixture(scope="module", params=_KINDS)
def data(request: pytest.FixtureRequest, stores: _Stores) -> Dataset:
    """The school's year read from each store, on DuckDB."""
    return Dataset.from_entities(stores.stores[request.param], stores.year)


@pytest.fixture(scope="module")
def expected(stores: _Stores) -> Dataset:
    """The generated school's own tables on DuckDB."""
    return Dataset.from_school(stores.school)


class TestRulesOverStores:
    """Each rule over a store's entities equals the rule over the generated school."""

    @pytest.mark.parametrize("name", sorted(RULES))
    def test_rule_equals_the_school(self, name: str, data: Dataset, expected: Dataset) -> None:
        """R2.2j, R2.2k, R8.6, R8.10: the same rows, floats to 1e-12."""
        rule = RULES[name]
        count = assert_same_rows(rule(data), rule(expected))
        assert count > 0, f"{name} found no rows: the comparison would be empty"

    def test_timeliness_counts_the_planted_late_marks(self, data: Dataset, stores: _Stores) -> None:
        """R8.6: the late marks counted over the store are those the generator planted."""
        late = timeliness(data, deadlines=DEADLINES).to_pyarrow().column("late").to_pylist()
        assert sum(late) == stores.school.stats.marks_late > 0
        assert (
            late_marks(data, deadlines=DEADLINES).count().to_pyarrow().as_py()
            == stores.school.stats.marks_late
        )


class TestTables:
    """The tables read from a store are the school's, restricted to its academic year."""

    @pytest.mark.parametrize("name", [n for n in TABLE_NAMES if n != "calendar"])
    def test_table_equals_the_arrow_path(self, name: str, data: Dataset, stores: _Stores) -> None:
        """Each table holds the rows the Arrow conversion of the school gives."""
        school = stores.school
        expected = school_tables(school, orders=school.orders)[name]
        actual = data.table(name).to_pyarrow()
        assert_same_table(actual, expected)
        if name == "orders":
            assert actual.num_rows == sum(len(order.items) for order in school.orders) > 0

    def test_calendar_covers_the_year(self, data: Dataset, stores: _Stores) -> None:
        """The calendar runs from 1 September to 60 days after 31 August, every date once."""
        days = data.table("calendar").to_pyarrow().column("date").to_pylist()
        first_year = stores.year.label.first
        assert days[0] == dt.date(first_year, 9, 1)
        assert days[-1] == dt.date(first_year + 1, 10, 30)
        assert len(days) == len(set(days)) == (days[-1] - days[0]).days + 1

    @pytest.mark.parametrize("kind", _KINDS)
    def test_the_next_year_alone(self, kind: str, stores: _Stores) -> None:
        """The next year's data are the records of that year and none of the school's year."""
        year = standard_year(_NEXT, default_profile().calendar)
        data = Dataset.from_entities(stores.stores[kind], year)
        ids = {
            name: sorted(set(data.table(name).to_pyarrow().column("id").to_pylist()))
            for name in stores.other_years
            if name != "academic_years"
        }
        wanted = {
            name: sorted({row.id for row in rows if row.id != "summer-mark"})  # type: ignore[attr-defined]
            for name, rows in stores.other_years.items()
            if name != "academic_years"
        }
        assert ids == wanted
        periods = data.table("periods").to_pyarrow()
        assert min(periods.column("start").to_pylist()) == dt.date(2026, 9, 1)

    def test_the_summer_before_is_left_out(self, data: Dataset) -> None:
        """A mark dated before 1 September belongs to the year before."""
        marks = data.table("marks")
        assert marks.filter(marks.id == "summer-mark").count().to_pyarrow().as_py() == 0


class TestSchools:
    """Which school's data a store gives."""

    def test_several_schools_need_a_school_id(self) -> None:
        """With two schools the school must be named; a named one is used alone."""
        store = MemoryStore()
        _add(
            store,
            {
                "schools": [
                    School(id="first", name="Первая школа", time_zone="Europe/Moscow"),
                    School(id="second", name="Вторая школа", time_zone="Asia/Omsk"),
                ]
            },
        )
        year = standard_year("2025/2026", default_profile().calendar)
        with pytest.raises(ValidationError) as raised:
            Dataset.from_entities(store, year)
        assert raised.value.code == "store.school_required"
        assert raised.value.details["schools"] == ["first", "second"]
        with pytest.raises(NotFoundError) as missing:
            Dataset.from_entities(store, year, school_id="third")
        assert missing.value.code == "school.not_found"
        data = Dataset.from_entities(store, year, school_id="second")
        schools = data.table("schools").to_pyarrow()
        assert schools.column("id").to_pylist() == ["second"]
        assert schools.column("time_zone").to_pylist() == ["Asia/Omsk"]

    def test_a_store_without_a_school(self) -> None:
        """An empty store has nothing to attribute the facts to."""
        year = standard_year("2025/2026", default_profile().calendar)
        with pytest.raises(NotFoundError) as raised:
            Dataset.from_entities(MemoryStore(), year)
        assert raised.value.code == "store.no_school"

    def test_the_postgres_engine_is_refused(self) -> None:
        """The store's entities go to an in-process engine; PostgreSQL reads its tables itself."""
        year = standard_year("2025/2026", default_profile().calendar)
        with pytest.raises(ValidationError) as raised:
            Dataset.from_entities(MemoryStore(), year, engine="postgres")
        assert raised.value.code == "analytics.engine"


class TestAnalyzeCommandOnSqlite:
    """``eschool analyze school.sqlite`` reads the store through its repositories on DuckDB."""

    def test_timeliness_json(self, stores: _Stores) -> None:
        """R8.6: the command counts the late marks the generator planted."""
        result = CliRunner().invoke(
            app,
            [
                "analyze",
                str(stores.path),
                "--year",
                stores.school.year,
                "--what",
                "timeliness",
                "--format",
                "json",
            ],
        )
        assert result.exit_code == 0, result.output
        body = json.loads(result.stdout)
        assert body["title"] == "Своевременность выставления текущих отметок"
        assert sum(row["late"] for row in body["rows"]) == stores.school.stats.marks_late

    def test_the_default_year_is_the_newest_in_the_store(
        self, stores: _Stores, tmp_path: Path
    ) -> None:
        """Without --year the store's newest year is read, whatever today's year is (R8.6)."""
        path = tmp_path / "only-this-year.sqlite"
        store = SqlStore(str(path), create=True)
        try:
            synth.write_to_store(stores.school, store)
        finally:
            store.close()
        command = ["analyze", str(path), "--what", "timeliness", "--format", "json"]
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)["rows"]
        assert sum(row["late"] for row in rows) == stores.school.stats.marks_late > 0

    def test_the_schools_own_year_from_a_file(
        self, stores: _Stores, expected: Dataset, tmp_path: Path
    ) -> None:
        """R2.2j: with --year-file the periods are the school's own, as the generator's."""
        year_file = tmp_path / "year.toml"
        year_file.write_text(stores.year.to_toml(), encoding="utf-8")
        command = ["analyze", str(stores.path), "--year-file", str(year_file)]
        result = CliRunner().invoke(app, [*command, "--what", "period-marks", "--format", "json"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)["rows"]
        found = sorted((r["student_id"], r["subject_id"], r["period"], r["value"]) for r in rows)
        policy = default_profile().grading
        reference = period_marks(expected, policy).to_pyarrow().to_pylist()
        wanted = sorted(
            (r["student_id"], r["subject_id"], r["period"], r["value"]) for r in reference
        )
        assert found == wanted
        assert len(found) > 1000

    def test_a_year_file_of_another_year(self, stores: _Stores, tmp_path: Path) -> None:
        """--year and --year-file must name the same year."""
        year_file = tmp_path / "year.toml"
        year_file.write_text(stores.year.to_toml(), encoding="utf-8")
        result = CliRunner().invoke(
            app,
            [
                "analyze",
                str(stores.path),
                "--year-file",
                str(year_file),
                "--year",
                _NEXT,
                "--what",
                "timeliness",
                "--lang",
                "en",
            ],
        )
        assert result.exit_code == 2
        assert f"but {_NEXT} was asked for" in result.output

    def test_the_next_year_and_the_school(self, stores: _Stores) -> None:
        """--year chooses the year, --school-id the school (R8.10)."""
        result = CliRunner().invoke(
            app,
            [
                "analyze",
                str(stores.path),
                "--year",
                _NEXT,
                "--school-id",
                stores.school.school.id,
                "--what",
                "completeness",
                "--format",
                "json",
            ],
        )
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)["rows"]
        assert {row["class_id"] for row in rows} == {"class-2026-01a"}

    def test_postgres_options_are_refused(self, stores: _Stores) -> None:
        """--schema and --tables belong to --engine postgres, even with a store."""
        result = CliRunner().invoke(
            app, ["analyze", str(stores.path), "--what", "timeliness", "--schema", "s"]
        )
        assert result.exit_code == 2
        assert "--schema" in result.output
        assert "--engine postgres" in result.output


class TestSourceErrors:
    """A source that is neither a folder of Parquet files nor a store."""

    def _run(self, source: Path) -> str:
        result = CliRunner().invoke(
            app, ["--lang", "en", "analyze", str(source), "--what", "timeliness"]
        )
        assert result.exit_code == 2, result.output
        return result.output

    def test_a_missing_path(self, tmp_path: Path) -> None:
        """A path that does not exist is named in the error; no store is created there."""
        missing = tmp_path / "none.sqlite"
        assert "neither a folder" in self._run(missing)
        assert not missing.exists()

    def test_a_file_that_is_not_sqlite(self, tmp_path: Path) -> None:
        """A text file is not a store."""
        text = tmp_path / "marks.csv"
        text.write_text("id,value\n1,5\n", encoding="utf-8")
        assert "not an eschool store" in self._run(text)
        assert text.read_text(encoding="utf-8") == "id,value\n1,5\n"

    def test_a_sqlite_database_without_a_store(self, tmp_path: Path) -> None:
        """Another application's SQLite database is refused and left as it was."""
        other = tmp_path / "other.sqlite"
        with sqlite3.connect(other) as conn:
            conn.execute("CREATE TABLE t (x INTEGER)")
        conn.close()
        assert "not an eschool store" in self._run(other)
        with sqlite3.connect(other) as conn:
            names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master")]
        conn.close()
        assert names == ["t"]

    def test_year_options_do_not_apply_to_a_folder(self, tmp_path: Path) -> None:
        """--year and --school-id choose a store's year and school, not a folder's."""
        (tmp_path / "marks.parquet").write_bytes(b"")
        result = CliRunner().invoke(
            app, ["analyze", str(tmp_path), "--what", "timeliness", "--year", "2025/2026"]
        )
        assert result.exit_code == 2
        assert "--year" in result.output
