"""The SQL store at a deployment's edges: the host's transaction, opening without creating,
read-only archives and a PostgreSQL store in a schema of its own (R2.2e)."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from eschool_core.audit import AuditLog
from eschool_core.cli._app import app
from eschool_core.errors import NotFoundError, StorageError
from eschool_core.journal import Mark
from eschool_core.school import Subject
from eschool_core.storage import open_store, sqlite_writable
from eschool_core.storage.sql import SqlStore, read_audit_log, split_schema
from eschool_core.testing import load, sample_school, snapshot
from tests.conftest import POSTGRES_DSN

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
HOST_TABLE = sa.Table(
    "host_notes",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("text", sa.String(100), nullable=False),
)
"""A table of the host's own, beside the store's in the same database."""


def _psycopg(dsn: str) -> str:
    return "postgresql+psycopg://" + dsn.split("://", 1)[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def host_engine(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_schema: Callable[[], str]
) -> Iterator[sa.Engine]:
    """The host's engine, with the sample school stored through it and the host's table."""
    if request.param == "sqlite":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'host.sqlite'}")
    else:
        schema = postgres_schema()
        engine = sa.create_engine(
            _psycopg(POSTGRES_DSN or ""), connect_args={"options": f"-csearch_path={schema}"}
        )
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS host_notes")
    with engine.begin() as conn:
        HOST_TABLE.create(conn)
    store = SqlStore.from_engine(engine, create=True)
    load(store, sample_school())
    store.close()
    yield engine
    engine.dispose()


def _new_mark(store: SqlStore) -> Mark:
    with store.unit_of_work() as uow:
        mark = uow.marks.all()[0]
    return attrs.evolve(mark, id="mk-host")


def _write_together(conn: sa.Connection, store: SqlStore, mark: Mark) -> None:
    """The host's row, then a mark and its audit entry in a committed unit of work."""
    conn.execute(HOST_TABLE.insert().values(id=1, text="the host's own row"))
    with store.unit_of_work() as uow:
        uow.marks.add(mark)
        AuditLog(uow.audit).record_change(
            account_id="teacher",
            at=AT,
            action="mark.write",
            target={"mark_id": mark.id},
            before=None,
            after={"value": str(mark.value)},
        )
        uow.commit()


def _state(engine: sa.Engine) -> tuple[int, bool, int]:
    """The host's rows, whether the new mark is stored, the audit log's length."""
    store = SqlStore.from_engine(engine)
    try:
        with store.unit_of_work() as uow:
            found = uow.marks.find("mk-host") is not None
            entries = uow.audit.count()
    finally:
        store.close()
    with engine.connect() as conn:
        rows = conn.execute(sa.select(sa.func.count()).select_from(HOST_TABLE)).scalar_one()
    return rows, found, entries


class TestHostTransaction:
    def test_a_host_row_and_a_mark_commit_together(self, host_engine: sa.Engine) -> None:
        """The store over the host's connection commits with the host's own table (R2.2e)."""
        with host_engine.connect() as conn:
            store = SqlStore.from_connection(conn)
            _write_together(conn, store, _new_mark(store))
            conn.commit()
        assert _state(host_engine) == (1, True, 1)

    def test_a_host_row_and_a_mark_roll_back_together(self, host_engine: sa.Engine) -> None:
        """The host's rollback undoes the mark and its audit entry that the unit of work
        committed into the host's transaction (R2.2e)."""
        with host_engine.connect() as conn:
            store = SqlStore.from_connection(conn)
            _write_together(conn, store, _new_mark(store))
            conn.rollback()
        assert _state(host_engine) == (0, False, 0)

    def test_the_store_neither_commits_nor_closes_the_host_connection(
        self, host_engine: sa.Engine
    ) -> None:
        """Leaving a unit of work keeps the host's transaction open and its connection too."""
        with host_engine.connect() as conn:
            store = SqlStore.from_connection(conn)
            _write_together(conn, store, _new_mark(store))
            store.close()
            assert conn.in_transaction()
            assert not conn.closed
            conn.rollback()

    def test_a_unit_of_work_rolled_back_undoes_only_itself(self, host_engine: sa.Engine) -> None:
        """A unit of work left without commit undoes its writes, not the host's."""
        with host_engine.connect() as conn:
            store = SqlStore.from_connection(conn)
            mark = _new_mark(store)
            conn.execute(HOST_TABLE.insert().values(id=1, text="kept"))
            with store.unit_of_work() as uow:
                uow.marks.add(mark)
            conn.commit()
        assert _state(host_engine) == (1, False, 0)

    def test_a_store_over_the_engine_leaves_the_engine_to_the_host(
        self, host_engine: sa.Engine
    ) -> None:
        """A store over the host's engine commits its own units of work; closing it keeps the
        host's engine usable."""
        store = SqlStore.from_engine(host_engine)
        with store.unit_of_work() as uow:
            uow.subjects.add(Subject(id="host-subject", name="Астрономия"))
            uow.commit()
        store.close()
        with host_engine.connect() as conn:
            found = conn.exec_driver_sql("SELECT name FROM subjects WHERE id = 'host-subject'")
            assert found.scalar() == "Астрономия"
        assert _state(host_engine) == (0, False, 0)

    def test_a_store_over_the_engine_keeps_to_its_schema(
        self, postgres_schema: Callable[[], str]
    ) -> None:
        """On PostgreSQL the store over the host's engine creates and reads its tables in its
        schema, and the host's own connections keep their search path."""
        schema = postgres_schema()
        engine = sa.create_engine(_psycopg(POSTGRES_DSN or ""))
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema}_host CASCADE")
            store = SqlStore.from_engine(engine, schema=f"{schema}_host", create=True)
            load(store, sample_school())
            store.close()
            again = SqlStore(f"{POSTGRES_DSN}?schema={schema}_host")
            try:
                assert snapshot(again)["subjects"]
            finally:
                again.close()
            with engine.connect() as conn:
                assert conn.exec_driver_sql("SELECT current_schema()").scalar() == "public"
        finally:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema}_host CASCADE")
            engine.dispose()

    def test_opening_over_a_connection_does_not_create_by_default(self, tmp_path: Path) -> None:
        """Over an empty database the host's connection is refused without create=True, and
        its transaction holds nothing new."""
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
        with engine.connect() as conn:
            with pytest.raises(StorageError) as raised:
                SqlStore.from_connection(conn)
            assert raised.value.code == "storage.not_a_store"
            assert sa.inspect(conn).get_table_names() == []
        engine.dispose()


class TestCreateDefault:
    def test_a_missing_sqlite_file_is_refused_and_not_made(self, tmp_path: Path) -> None:
        """SqlStore and open_store refuse a missing file alike and leave nothing behind."""
        path = tmp_path / "missing.sqlite"
        for opener in (SqlStore, open_store):
            with pytest.raises(StorageError) as raised:
                opener(str(path))
            assert raised.value.code == "storage.not_found"
        assert list(tmp_path.iterdir()) == []

    def test_an_empty_sqlite_database_is_refused_and_left_empty(self, tmp_path: Path) -> None:
        """An existing database without the store's tables is not a store, and stays empty."""
        path = tmp_path / "empty.sqlite"
        engine = sa.create_engine(f"sqlite:///{path}")
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE other (x INTEGER)")
        engine.dispose()
        with pytest.raises(StorageError) as raised:
            SqlStore(str(path))
        assert raised.value.code == "storage.not_a_store"
        with sa.create_engine(f"sqlite:///{path}").connect() as conn:
            assert sa.inspect(conn).get_table_names() == ["other"]

    def test_create_makes_a_store_that_reopens_without_it(self, tmp_path: Path) -> None:
        """create=True makes the store; opening it again needs no create."""
        path = str(tmp_path / "school.sqlite")
        store = SqlStore(path, create=True)
        load(store, sample_school())
        store.close()
        again = SqlStore(path)
        try:
            assert snapshot(again)["subjects"]
        finally:
            again.close()

    def test_a_postgres_schema_without_a_store_is_not_created(
        self, postgres_schema: Callable[[], str]
    ) -> None:
        """A PostgreSQL schema that does not exist is refused, not created, by default."""
        postgres_schema()  # skips without PostgreSQL
        with pytest.raises(StorageError) as raised:
            SqlStore(f"{POSTGRES_DSN}?schema=eschool_never_made")
        assert raised.value.code == "storage.not_a_store"
        engine = sa.create_engine(_psycopg(POSTGRES_DSN or ""))
        with engine.connect() as conn:
            assert "eschool_never_made" not in sa.inspect(conn).get_schema_names()
        engine.dispose()


def _sample_file(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    path = folder / "school.sqlite"
    store = SqlStore(str(path), create=True)
    load(store, sample_school())
    with store.unit_of_work() as uow:
        AuditLog(uow.audit).record_change(
            account_id="a", at=AT, action="mark.write", target={}, before=None, after=None
        )
        uow.commit()
    store.close()
    return path


class TestReadOnly:
    def test_a_read_only_store_reads_everything(self, tmp_path: Path) -> None:
        """A read-only store reads what the store holds and writes nothing beside the file."""
        path = _sample_file(tmp_path)
        expected = snapshot(SqlStore(str(path)))
        for companion in ("-wal", "-shm"):
            Path(f"{path}{companion}").unlink(missing_ok=True)
        store = open_store(str(path), read_only=True)
        try:
            assert snapshot(store) == expected
        finally:
            store.close()
        assert sorted(p.name for p in path.parent.iterdir()) == ["school.sqlite"]

    def test_writes_through_a_read_only_store_are_refused(self, tmp_path: Path) -> None:
        """Every kind of write raises storage.read_only and the file is as it was."""
        path = _sample_file(tmp_path)
        before = path.read_bytes()
        store = SqlStore(str(path), read_only=True)
        try:
            with store.unit_of_work() as uow:
                subject = uow.subjects.all()[0]
                writes: list[Callable[[], object]] = [
                    lambda: uow.subjects.add(Subject(id="new", name="Новый")),
                    lambda: uow.subjects.update(attrs.evolve(subject, name="Другое")),
                    lambda: uow.subjects.remove(subject.id),
                    lambda: AuditLog(uow.audit).record_change(
                        account_id="a", at=AT, action="x", target={}, before=None, after=None
                    ),
                ]
                for write in writes:
                    with pytest.raises(StorageError) as raised:
                        write()
                    assert raised.value.code == "storage.read_only"
                uow.commit()
        finally:
            store.close()
        assert path.read_bytes() == before

    def test_read_only_and_create_do_not_go_together(self, tmp_path: Path) -> None:
        """A read-only store cannot be created."""
        with pytest.raises(StorageError) as raised:
            SqlStore(str(tmp_path / "x.sqlite"), create=True, read_only=True)
        assert raised.value.code == "storage.read_only_create"

    def test_the_cli_reads_an_archive_given_read_only(self, tmp_path: Path) -> None:
        """eschool --read-only lists a store's classes and leaves only the file there."""
        path = _sample_file(tmp_path)
        for companion in ("-wal", "-shm"):
            Path(f"{path}{companion}").unlink(missing_ok=True)
        result = CliRunner().invoke(app, ["--read-only", "list", "classes", "--store", str(path)])
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in path.parent.iterdir()) == ["school.sqlite"]

    def test_the_cli_reads_a_store_in_a_folder_it_cannot_write(self, tmp_path: Path) -> None:
        """A store whose file and folder are read-only is opened read-only by itself."""
        path = _sample_file(tmp_path)
        for companion in ("-wal", "-shm"):
            Path(f"{path}{companion}").unlink(missing_ok=True)
        path.chmod(stat.S_IRUSR)
        path.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            if os.access(path.parent, os.W_OK):
                pytest.skip("running as root: chmod does not stop this process from writing")
            assert not sqlite_writable(str(path))
            result = CliRunner().invoke(app, ["list", "classes", "--store", str(path)])
            audit = CliRunner().invoke(app, ["audit", "verify", "--store", str(path)])
        finally:
            path.parent.chmod(stat.S_IRWXU)
            path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        assert result.exit_code == 0, result.output
        assert audit.exit_code == 0, audit.output
        assert sorted(p.name for p in path.parent.iterdir()) == ["school.sqlite"]


class TestSchemaInTheUrl:
    def test_the_schema_parameter_is_taken_off_the_url(self) -> None:
        """The URL's schema is split off, its other parameters kept; a second name conflicts."""
        url = "postgresql://u:p@db:5432/district?sslmode=require&schema=school_1"
        assert split_schema(url) == (
            "postgresql://u:p@db:5432/district?sslmode=require",
            "school_1",
        )
        with pytest.raises(StorageError) as raised:
            split_schema(url, "school_2")
        assert raised.value.code == "storage.schema_conflict"
        with pytest.raises(StorageError) as bad:
            split_schema("postgresql://db/district?schema=Bad-Name")
        assert bad.value.code == "storage.schema_name"

    def test_audit_verify_reads_a_store_in_its_own_schema(
        self, postgres_schema: Callable[[], str]
    ) -> None:
        """eschool audit verify, list and open_store address a schema by the URL alone."""
        schema = postgres_schema()
        url = f"{POSTGRES_DSN}?schema={schema}"
        store = SqlStore(url, create=True)
        load(store, sample_school())
        with store.unit_of_work() as uow:
            log = AuditLog(uow.audit)
            for minute in range(3):
                log.record_change(
                    account_id="a",
                    at=AT + dt.timedelta(minutes=minute),
                    action="mark.write",
                    target={"n": minute},
                    before=None,
                    after=None,
                )
            uow.commit()
        store.close()
        runner = CliRunner()
        result = runner.invoke(app, ["--lang", "en", "audit", "verify", "--store", url])
        assert result.exit_code == 0, result.output
        assert "3 entries" in result.output
        listed = runner.invoke(app, ["list", "classes", "--store", url])
        assert listed.exit_code == 0, listed.output
        assert read_audit_log(url).count() == 3
        with pytest.raises(NotFoundError) as raised:
            read_audit_log(POSTGRES_DSN or "")  # the search path's default schema holds none
        assert raised.value.code == "storage.no_store"

    def test_the_url_options_are_kept_beside_the_schema(
        self, postgres_schema: Callable[[], str]
    ) -> None:
        """A libpq options parameter of the URL is kept, not replaced by the store's own."""
        schema = postgres_schema()
        store = SqlStore(
            f"{POSTGRES_DSN}?schema={schema}&options=-capplication_name%3Deschool_host",
            create=True,
        )
        try:
            with store.unit_of_work() as uow:
                conn = uow._connection()
                assert conn.exec_driver_sql("SHOW application_name").scalar() == "eschool_host"
                assert conn.exec_driver_sql("SELECT current_schema()").scalar() == schema
        finally:
            store.close()
