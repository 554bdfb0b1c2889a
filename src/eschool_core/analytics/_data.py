"""The tables of the bulk path on one engine: Parquet folders, Arrow tables, DuckDB, Spark."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import ibis
import pyarrow as pa
import pyarrow.parquet as pq
from ibis.backends import BaseBackend

from eschool_core._extras import require
from eschool_core.analytics._entities import entity_tables, names_of, read_year
from eschool_core.analytics._errors import (
    ANALYTICS_BAD_PARQUET,
    ANALYTICS_ENGINE,
    ANALYTICS_SCHEMA_WITH_BACKEND,
    ANALYTICS_UNKNOWN_TABLE,
)
from eschool_core.analytics._schema import SCHEMAS, TABLE_NAMES
from eschool_core.analytics._store import connect_store, store_tables
from eschool_core.analytics._year import CALENDAR_TAIL
from eschool_core.calendar import AcademicYear
from eschool_core.errors import NotFoundError
from eschool_core.storage import Store
from eschool_core.texts import Text

__all__ = ["Dataset", "Engine"]


class Engine(StrEnum):
    """Where the bulk rules run."""

    DUCKDB = "duckdb"
    """DuckDB in-process (the default): a laptop, a notebook."""
    SPARK = "spark"
    """Apache Spark through PySpark: local mode or a cluster."""
    POSTGRES = "postgres"
    """The PostgreSQL store's own tables, read in place."""


def _in_process(engine: Engine) -> Engine:
    """``engine`` if it runs on tables sent to it (DuckDB, Spark), else the error."""
    if engine is Engine.POSTGRES:
        raise ANALYTICS_ENGINE.error(engine=str(engine))
    return engine


def _check_parquet(path: Path, name: str) -> None:
    """Refuse a file that is not Parquet or lacks a column of table ``name``'s schema.

    Only the file's footer is read (its schema), not its data.
    """
    try:
        found = pq.read_schema(path)
    except (pa.ArrowException, OSError, ValueError) as error:
        raise ANALYTICS_BAD_PARQUET.error(
            details={"file": str(path)},
            reason=Text(f"это не файл Parquet ({error})", f"it is not a Parquet file ({error})"),
        ) from error
    missing = [column for column in SCHEMAS[name].names if column not in found.names]
    if missing:
        raise ANALYTICS_BAD_PARQUET.error(
            details={"file": str(path), "missing": missing},
            reason=Text(
                f"нет столбцов {', '.join(missing)}", f"it lacks the columns {', '.join(missing)}"
            ),
        )


def _connect(engine: Engine, session: object | None) -> BaseBackend:
    if _in_process(engine) is Engine.DUCKDB:
        backend = ibis.duckdb.connect()
        backend.raw_sql("SET enable_progress_bar = false")
        return backend
    if engine is Engine.SPARK:
        if session is None:
            require("pyspark", "spark")
            from pyspark.sql import SparkSession  # noqa: PLC0415 - optional extra

            session = (
                SparkSession.builder.master("local[*]")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate()
            )
        return ibis.pyspark.connect(session)
    raise AssertionError(engine)  # pragma: no cover - every engine is handled above


class _OpenedOnUse(Mapping[str, Any]):
    """Tables of a folder, each registered with the backend when first used.

    Registering a Parquet file costs a schema read (a Spark job on Spark); a rule needs
    four or five of the twelve tables.
    """

    def __init__(self, names: Iterable[str], open_table: Callable[[str], Any]) -> None:
        self._names = tuple(names)
        self._open = open_table
        self._opened: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:  # noqa: ANN401 - an Ibis table
        if name not in self._names:
            raise KeyError(name)
        found = self._opened.get(name)
        if found is None:
            found = self._opened[name] = self._open(name)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _view_name(backend: BaseBackend, name: str, token: str) -> str:
    """The table's name on the backend.

    On Spark the views of one session are shared, so each dataset's views get their own
    suffix; a DuckDB connection belongs to its dataset alone.
    """
    return f"{name}_{token}" if backend.name == "pyspark" else name


def _read_only(tables: Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(tables, _OpenedOnUse):
        return tables
    return MappingProxyType(dict(tables))


@attrs.frozen(kw_only=True, eq=False)
class Dataset:
    """The analytics tables (docs/analytics.md) as Ibis tables on one backend.

    Attributes:
        backend: The Ibis backend the expressions run on.
        tables: Ibis tables by name; every table of :data:`~eschool_core.analytics.SCHEMAS`
            that the source has (a folder's tables are registered on first use).
        names: Names by id column that the schema does not hold: ``student_id`` and
            ``teacher_id`` (full names) and ``school_id`` (the short name), for a dataset
            read from a store or a generated school; empty for a folder.

    >>> import datetime as dt
    >>> from eschool_core.analytics import calendar_table
    >>> days = calendar_table(dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    >>> data = Dataset.from_arrow({"calendar": days})
    >>> data.table("calendar").is_working_day.sum().to_pyarrow().as_py()
    22
    """

    backend: BaseBackend
    tables: Mapping[str, ibis.Table] = attrs.field(converter=_read_only)
    names: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)

    def table(self, name: str) -> ibis.Table:
        """Return the table ``name``.

        Raises:
            NotFoundError: If the source has no such table (code ``not_found.table``).
        """
        found = self.tables.get(name)
        if found is None:
            raise NotFoundError.for_id("table", name)
        return found

    @classmethod
    def from_parquet(
        cls, folder: Path | str, *, engine: Engine | str = Engine.DUCKDB, session: object = None
    ) -> Dataset:
        """Open a folder of ``<table>.parquet`` files (as ``eschool synth`` writes them).

        Args:
            folder: The folder.
            engine: ``"duckdb"`` (in-process) or ``"spark"``.
            session: A ``SparkSession`` for Spark (a local one is started otherwise).

        Raises:
            NotFoundError: If the folder has no ``marks.parquet``.
            ValidationError: If a file is not a Parquet file or lacks a column of the
                documented schema (``analytics.bad_parquet``, naming the file); checked here,
                before any rule runs.
        """
        root = Path(folder)
        if not (root / "marks.parquet").is_file():
            raise NotFoundError.for_id("analytics folder", str(root))
        names = [name for name in TABLE_NAMES if (root / f"{name}.parquet").is_file()]
        for name in names:
            _check_parquet(root / f"{name}.parquet", name)
        backend = _connect(Engine(engine), session)
        token = uuid.uuid4().hex[:12]

        def open_table(name: str) -> ibis.Table:
            path = root / f"{name}.parquet"
            try:
                return backend.read_parquet(str(path), table_name=_view_name(backend, name, token))
            except Exception as error:  # the engine's own error type: the file is damaged
                first = str(error).splitlines()[0] if str(error) else type(error).__name__
                raise ANALYTICS_BAD_PARQUET.error(
                    details={"file": str(path), "engine_error": type(error).__name__}, reason=first
                ) from error

        return cls(backend=backend, tables=_OpenedOnUse(names, open_table))

    @classmethod
    def from_arrow(
        cls,
        tables: Mapping[str, pa.Table],
        *,
        engine: Engine | str = Engine.DUCKDB,
        session: object = None,
    ) -> Dataset:
        """Put in-memory Arrow tables on an engine (cast to the documented schema).

        Raises:
            ValidationError: For a table or column outside the schema.
        """
        backend = _connect(Engine(engine), session)
        token = uuid.uuid4().hex[:12]
        loaded: dict[str, Any] = {}
        for name, table in tables.items():
            schema = SCHEMAS.get(name)
            if schema is None:
                raise ANALYTICS_UNKNOWN_TABLE.error(table=name)
            arrow = ibis.memtable(table.select(schema.names).cast(schema))
            # Spark keeps a session's data in temporary views; a table would be written to
            # the warehouse folder.
            loaded[name] = (
                backend.create_view(_view_name(backend, name, token), arrow, overwrite=True)
                if backend.name == "pyspark"
                else backend.create_table(name, arrow)
            )
        return cls(backend=backend, tables=loaded)

    @classmethod
    def from_backend(cls, backend: BaseBackend, names: Mapping[str, str] | None = None) -> Dataset:
        """Use tables of the analytics schema that already exist on an Ibis backend.

        The tables must be named (or mapped by ``names``) and shaped like
        :data:`~eschool_core.analytics.SCHEMAS`: a database or a Spark catalog into which
        the tables were loaded. The SQL store's own tables are shaped otherwise: read them
        with :meth:`from_store`.

        Args:
            backend: A connected Ibis backend.
            names: The backend's table name for each analytics table; the same names by
                default (tables the backend lacks are left out).
        """
        mapping = dict(names) if names is not None else {n: n for n in TABLE_NAMES}
        existing = set(backend.list_tables())
        tables = {
            name: backend.table(source) for name, source in mapping.items() if source in existing
        }
        return cls(backend=backend, tables=tables)

    @classmethod
    def from_store(
        cls,
        store: str | BaseBackend,
        year: AcademicYear,
        *,
        schema: str | None = None,
        school_id: str | None = None,
    ) -> Dataset:
        """Read the PostgreSQL SQL store's own tables in place, as the analytics tables.

        Each analytics table is an Ibis expression over the store's tables (``lessons``,
        ``marks``, ``orders`` with ``order_items``...), mapped column by column to the
        documented schema: ``school_id`` is the store's school, a lesson's individual
        homework is the length of its JSON list, orders have one row per item. The rules then
        run on PostgreSQL; no fact is copied into Python. The ``periods`` and ``calendar``
        tables come from ``year`` (its study periods and production calendar) and are sent
        as temporary tables. Only the year's data are read: its classes and their
        memberships, its attestation marks and orders, and the lessons, marks and attendance
        dated from 1 September to 31 August.

        Args:
            store: The store's ``postgresql://`` URL (as given to
                :class:`~eschool_core.storage.sql.SqlStore`), or a connected Ibis PostgreSQL
                backend whose search path holds the store's tables.
            year: The academic year, e.g. ``standard_year("2025/2026", profile.calendar)``.
            schema: The PostgreSQL schema the store lives in (``SqlStore(url, schema=...)``);
                the server's default search path without it. Only with a URL.
            school_id: The school, required if the store's ``schools`` table has several
                rows (every fact is then counted as that school's).

        Raises:
            ValidationError: For a URL that is not PostgreSQL's (``analytics.store_url``),
                a bad schema name (``storage.schema_name``), or several schools without
                ``school_id`` (``store.school_required``).
            NotFoundError: If there is no store at the location (``analytics.no_store``), the
                store has no school (``store.no_school``), or not ``school_id``
                (``school.not_found``).
            StorageError: If the server cannot be reached (``storage.database``) or the
                store has another schema version (``storage.schema_version``).

        Needs the ``analytics`` and ``sql`` extras. See docs/analytics.md.
        """
        if not isinstance(store, str):
            if schema is not None:
                raise ANALYTICS_SCHEMA_WITH_BACKEND.error()
            return cls(backend=store, tables=store_tables(store, year, school_id=school_id))
        backend = connect_store(store, schema=schema)
        try:
            return cls(backend=backend, tables=store_tables(backend, year, school_id=school_id))
        except BaseException:
            backend.disconnect()
            raise

    @classmethod
    def from_entities(
        cls,
        store: Store,
        year: AcademicYear,
        *,
        school_id: str | None = None,
        engine: Engine | str = Engine.DUCKDB,
        session: object = None,
    ) -> Dataset:
        """Read one academic year of any store through its repositories and put it on an engine.

        For the stores whose tables an engine cannot read in place: the embedded SQLite
        store (``open_store("school.sqlite")``) and the in-memory store. The entities are
        read in one unit of work that writes nothing, converted to the analytics tables as
        :meth:`from_school` converts a generated school, and copied to the engine. The
        year's data are those :meth:`from_store` reads on PostgreSQL: the classes of the
        year (``year.label``) and their memberships, the lessons, current marks and
        attendance dated from 1 September to 31 August, the year's attestation marks and
        orders (one row per order item), every subject and student. ``periods`` holds the
        study periods of ``year.periods(parallel)``, ``calendar`` the days from 1 September
        to 60 days after 31 August with the year's production calendar.

        The year is read once, as one :class:`~eschool_core.year_data.SchoolYearData` (the
        snapshot every reader works from; lessons, marks and attendance with the
        repositories' date query, ``between``, so other years are not read), and its
        students' and staff's names come from the same read.
        A ``large`` school (≈800,000 marks) takes about 11 s from SQLite, with a
        peak of under 1 GiB.

        Args:
            store: Any :class:`~eschool_core.storage.Store`: a
                :class:`~eschool_core.storage.sql.SqlStore` (SQLite or PostgreSQL) or a
                :class:`~eschool_core.storage.MemoryStore`.
            year: The academic year, e.g. ``standard_year("2025/2026", profile.calendar)``.
            school_id: The school, required if the store holds several (every fact is then
                counted as that school's).
            engine: ``"duckdb"`` (in-process) or ``"spark"``.
            session: A ``SparkSession`` for Spark (a local one is started otherwise).

        Raises:
            ValidationError: With several schools and no ``school_id``
                (``store.school_required``), or for the ``postgres`` engine
                (``analytics.engine``: read a PostgreSQL store in place with
                :meth:`from_store`).
            NotFoundError: If the store has no school (``store.no_school``) or not
                ``school_id`` (``school.not_found``).
            StorageError: If the store cannot be read.

        >>> from eschool_core.calendar import standard_year
        >>> from eschool_core.profiles import default_profile
        >>> from eschool_core.school import School
        >>> from eschool_core.storage import MemoryStore
        >>> store = MemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.schools.add(School(id="sc", name="Школа", time_zone="Europe/Moscow"))
        ...     uow.commit()
        >>> year = standard_year("2025/2026", default_profile().calendar)
        >>> data = Dataset.from_entities(store, year)
        >>> data.table("schools").id.to_pyarrow().to_pylist(), data.table("marks").count().execute()
        (['sc'], 0)
        """
        chosen = _in_process(Engine(engine))
        data = read_year(store, year, school_id=school_id)
        dataset = cls.from_arrow(entity_tables(data), engine=chosen, session=session)
        return attrs.evolve(dataset, names=names_of(data.students, data.employees, data.school))

    @classmethod
    def from_school(
        cls,
        school: Any,  # noqa: ANN401 - a SyntheticSchool
        *,
        engine: Engine | str = Engine.DUCKDB,
        session: object = None,
    ) -> Dataset:
        """Put one generated school, with its calendar, on an engine.

        Args:
            school: A :class:`~eschool_core.synth.SyntheticSchool`.
            engine: ``"duckdb"`` (in-process) or ``"spark"``.
            session: A ``SparkSession`` for Spark (a local one is started otherwise).
        """
        from eschool_core.analytics._arrow import (  # noqa: PLC0415 - avoids a cycle
            calendar_table,
            school_tables,
        )

        tables = school_tables(school.year_data, orders=())
        first, last = min(school.school_days), max(school.school_days)
        tables["calendar"] = calendar_table(first, last + dt.timedelta(days=CALENDAR_TAIL))
        dataset = cls.from_arrow(tables, engine=engine, session=session)
        data = school.year_data
        names = names_of(data.students, data.employees, data.school)
        return attrs.evolve(dataset, names=names)
