"""The rules on the PostgreSQL SQL store's own tables equal DuckDB's (R2.2j, R2.2k, R8.6, R8.10).

A small synthetic school is written into a PostgreSQL store once for the module; each rule
then runs on PostgreSQL over the store's tables (``Dataset.from_store``) and on DuckDB over
the same school's Arrow tables (``Dataset.from_school``), and the sorted rows must be equal:
integer, text and date columns exactly, the display floats to 1e-12.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from eschool_core import synth
from eschool_core.analytics import (
    TABLE_NAMES,
    Dataset,
    late_marks,
    school_tables,
    timeliness,
)
from eschool_core.calendar import standard_year
from eschool_core.cli._app import app
from eschool_core.errors import NotFoundError, ValidationError
from eschool_core.profiles import default_profile
from eschool_core.school import School
from eschool_core.storage.sql import SqlStore
from tests.analytics.helpers import RULES, assert_same_rows, assert_same_table
from tests.conftest import POSTGRES_DSN
from tests.rules_helpers import DEADLINES

_SEED = 11


@attrs.frozen
class _Loaded:
    """The generated school, its store's schema, and both datasets."""

    school: synth.SyntheticSchool
    schema: str
    store: SqlStore
    postgres: Dataset
    duckdb: Dataset


@pytest.fixture(scope="module")
def loaded(postgres_schema: Callable[[], str]) -> Iterator[_Loaded]:
    """A small school written into a PostgreSQL store, read in place and on DuckDB."""
    school = synth.generate("small", seed=_SEED)
    schema = postgres_schema()
    store = SqlStore(POSTGRES_DSN or "", schema=schema, create=True)
    synth.write_to_store(school, store)
    data = Dataset.from_store(POSTGRES_DSN or "", synth.academic_year_of(school), schema=schema)
    yield _Loaded(
        school=school,
        schema=schema,
        store=store,
        postgres=data,
        duckdb=Dataset.from_school(school),
    )
    data.backend.disconnect()
    store.close()


@pytest.mark.postgres
class TestStoreTables:
    """The store's tables mapped onto the analytics schema, computed on PostgreSQL."""

    @pytest.mark.parametrize("name", sorted(RULES))
    def test_rule_equals_duckdb(self, name: str, loaded: _Loaded) -> None:
        """R2.2j, R2.2k, R8.6, R8.10: the rule's rows on the store equal DuckDB's on the school."""
        rule = RULES[name]
        count = assert_same_rows(rule(loaded.postgres), rule(loaded.duckdb))
        assert count > 0, f"{name} found no rows: the comparison would be empty"

    def test_timeliness_counts_the_planted_late_marks(self, loaded: _Loaded) -> None:
        """R8.6: the late marks counted on PostgreSQL are those the generator planted."""
        table = timeliness(loaded.postgres, deadlines=DEADLINES).to_pyarrow()
        assert sum(table.column("late").to_pylist()) == loaded.school.stats.marks_late
        late = late_marks(loaded.postgres, deadlines=DEADLINES).count().to_pyarrow().as_py()
        assert late == loaded.school.stats.marks_late

    @pytest.mark.parametrize("name", [n for n in TABLE_NAMES if n != "calendar"])
    def test_table_equals_the_arrow_path(self, name: str, loaded: _Loaded) -> None:
        """Each mapped table holds the rows the Arrow conversion gives, orders one per item."""
        school = loaded.school
        expected = school_tables(school, orders=school.orders)[name]
        actual = loaded.postgres.table(name).to_pyarrow()
        assert_same_table(actual, expected)
        if name == "orders":
            assert actual.num_rows == sum(len(order.items) for order in school.orders) > 0

    def test_an_open_connection(self, loaded: _Loaded) -> None:
        """An Ibis connection already open on the store serves as well as its URL (R8.6)."""
        year = synth.academic_year_of(loaded.school)
        data = Dataset.from_store(loaded.postgres.backend, year)
        late = late_marks(data, deadlines=DEADLINES).count().to_pyarrow().as_py()
        assert late == loaded.school.stats.marks_late
        with pytest.raises(ValidationError) as raised:
            Dataset.from_store(loaded.postgres.backend, year, schema=loaded.schema)
        assert raised.value.code == "analytics.schema_with_backend"

    def test_calendar_covers_the_year(self, loaded: _Loaded) -> None:
        """The calendar runs from 1 September to 60 days after 31 August, every date once."""
        days = loaded.postgres.table("calendar").to_pyarrow().column("date").to_pylist()
        first_year = int(loaded.school.year[:4])
        assert days[0].isoformat() == f"{first_year}-09-01"
        assert days[-1].isoformat() == f"{first_year + 1}-10-30"
        assert len(days) == len(set(days)) == (days[-1] - days[0]).days + 1

    def test_several_schools_need_a_school_id(self, loaded: _Loaded) -> None:
        """With two school rows the school must be named; a named one is used alone."""
        url, year = POSTGRES_DSN or "", synth.academic_year_of(loaded.school)
        with loaded.store.unit_of_work() as uow:
            uow.schools.add(School(id="second", name="Вторая школа", time_zone="Asia/Omsk"))
            uow.commit()
        try:
            with pytest.raises(ValidationError) as raised:
                Dataset.from_store(url, year, schema=loaded.schema)
            assert raised.value.code == "store.school_required"
            assert raised.value.details["schools"] == sorted([loaded.school.school.id, "second"])
            with pytest.raises(NotFoundError) as missing:
                Dataset.from_store(url, year, schema=loaded.schema, school_id="third")
            assert missing.value.code == "school.not_found"
            data = Dataset.from_store(
                url, year, schema=loaded.schema, school_id=loaded.school.school.id
            )
            try:
                schools = data.table("schools").to_pyarrow().column("id").to_pylist()
                assert schools == [loaded.school.school.id]
                late = timeliness(data, deadlines=DEADLINES).to_pyarrow().column("late").to_pylist()
                assert sum(late) == loaded.school.stats.marks_late
            finally:
                data.backend.disconnect()
        finally:
            with loaded.store.unit_of_work() as uow:
                uow.schools.remove("second")
                uow.commit()

    def test_a_store_without_a_school(self, loaded: _Loaded) -> None:
        """A store whose schools table is empty has nothing to attribute the facts to."""
        school = loaded.school.school
        with loaded.store.unit_of_work() as uow:
            uow.schools.remove(school.id)
            uow.commit()
        try:
            with pytest.raises(NotFoundError) as raised:
                Dataset.from_store(
                    POSTGRES_DSN or "",
                    synth.academic_year_of(loaded.school),
                    schema=loaded.schema,
                )
            assert raised.value.code == "store.no_school"
        finally:
            with loaded.store.unit_of_work() as uow:
                uow.schools.add(school)
                uow.commit()

    def test_a_schema_without_a_store(self, loaded: _Loaded) -> None:
        """A schema that holds no store is refused before any table is read."""
        with pytest.raises(NotFoundError) as raised:
            Dataset.from_store(
                POSTGRES_DSN or "",
                synth.academic_year_of(loaded.school),
                schema=f"{loaded.schema}_none",
            )
        assert raised.value.code == "analytics.no_store"


@pytest.mark.postgres
class TestAnalyzeCommandOnTheStore:
    """``eschool analyze URL --engine postgres`` reads the store's own tables."""

    def test_timeliness_json(self, loaded: _Loaded) -> None:
        """R8.6: the command counts the late marks the generator planted.

        Without --year it reads the store's newest year, whatever today's year is.
        """
        result = CliRunner().invoke(
            app,
            [
                "analyze",
                POSTGRES_DSN or "",
                "--engine",
                "postgres",
                "--schema",
                loaded.schema,
                "--what",
                "timeliness",
                "--format",
                "json",
            ],
        )
        assert result.exit_code == 0, result.output
        body = json.loads(result.stdout)
        assert body["title"] == "Своевременность выставления текущих отметок"
        assert sum(row["late"] for row in body["rows"]) == loaded.school.stats.marks_late

    def test_quality_uses_the_profiles_year(self, loaded: _Loaded) -> None:
        """R2.2k: quality of the proposed period marks over the profile's standard year."""
        result = CliRunner().invoke(
            app,
            [
                "analyze",
                POSTGRES_DSN or "",
                "--engine",
                "postgres",
                "--schema",
                loaded.schema,
                "--year",
                loaded.school.year,
                "--what",
                "quality",
                "--format",
                "json",
            ],
        )
        assert result.exit_code == 0, result.output
        year = standard_year(loaded.school.year, default_profile().calendar)
        periods = {row["period"] for row in json.loads(result.stdout)["rows"]}
        assert periods == {p.code.value for n in year.parallels for p in year.periods(n)}


class TestStoreLocationErrors:
    """What is refused before a connection is made."""

    def test_a_url_that_is_not_postgresql(self) -> None:
        """A SQLite store (or any other URL) cannot be read in place."""
        year = standard_year("2025/2026", default_profile().calendar)
        with pytest.raises(ValidationError) as raised:
            Dataset.from_store("sqlite:///school.sqlite", year)
        assert raised.value.code == "analytics.store_url"

    def test_a_bad_schema_name(self) -> None:
        """A schema name is an identifier: no quoting tricks reach the server."""
        year = standard_year("2025/2026", default_profile().calendar)
        with pytest.raises(ValidationError) as raised:
            Dataset.from_store("postgresql://localhost/db", year, schema="a,public")
        assert raised.value.code == "storage.schema_name"

    def test_the_command_refuses_a_sqlite_store(self) -> None:
        """--engine postgres with a SQLite path is a usage error naming postgresql://."""
        result = CliRunner().invoke(
            app,
            ["analyze", "school.sqlite", "--engine", "postgres", "--what", "timeliness"],
        )
        assert result.exit_code == 2
        assert "postgresql://" in result.output

    def test_postgres_options_need_the_postgres_engine(self, tmp_path: Path) -> None:
        """--schema and --tables are refused with DuckDB or Spark, whatever the source."""
        result = CliRunner().invoke(
            app,
            [
                "analyze",
                str(tmp_path),
                "--what",
                "timeliness",
                "--schema",
                "s",
                "--year",
                "x",
                "--lang",
                "en",
            ],
        )
        assert result.exit_code == 2
        assert "--schema apply to --engine postgres only" in result.output
