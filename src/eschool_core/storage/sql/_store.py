"""The SQL store: SQLite (embedded default) or PostgreSQL, through SQLAlchemy Core.

A unit of work is one database transaction on its own connection. Each write runs in a
savepoint, so a rejected write (a duplicate id, a dangling reference) undoes only itself,
like the in-memory store, and the unit of work carries on. Writes go to the database
optimistically; when it refuses one, the store finds out why and raises the same typed
error the in-memory store raises, with the driver's error as the ``__cause__``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool, StaticPool

from eschool_core.errors import ConflictError, StorageError, ValidationError
from eschool_core.storage._errors import (
    STORAGE_FILE_NOT_FOUND,
    STORAGE_FOREIGN_KEYS_OFF,
    STORAGE_READ_ONLY_CREATE,
    STORAGE_SCHEMA_NAME,
)
from eschool_core.storage._protocols import UnitOfWork
from eschool_core.storage.registry import (
    REGISTRY,
    Registry,
    referenced_by,
    still_referenced_error,
)
from eschool_core.storage.sql._audit import _SqlAudit
from eschool_core.storage.sql._connection import (
    SCHEMA_NAME,
    database_error,
    is_postgres_url,
    not_a_store_error,
    postgres_engine_url,
    read_only_error,
    schema_version_error,
    split_schema,
    sqlite_read_only_connect,
)
from eschool_core.storage.sql._repositories import _SqlRepository, repository_class
from eschool_core.storage.sql._schema import (
    DEFAULT_SCHEMA,
    MIGRATIONS,
    SCHEMA_VERSION,
    VERSION,
    Schema,
    build_schema,
)

__all__ = ["SqlStore", "SqlUnitOfWork"]


_SQLITE_BULK_PRAGMAS = ("cache_size = -262144", "temp_store = MEMORY")
"""SQLite settings of a bulk load's connection: a 256 MiB page cache, sorts in memory."""

_SQLITE_PRAGMAS = ("cache_size = -2000", "temp_store = DEFAULT")
"""SQLite's own defaults, restored when the bulk load's connection goes back to the pool."""


class SqlUnitOfWork(UnitOfWork):
    """A unit of work over a :class:`SqlStore`: one transaction on one connection.

    See :class:`~eschool_core.storage.UnitOfWork`.

    Its repositories (``students``, ``marks``, ``orders``, ...) are those the
    :class:`~eschool_core.storage.UnitOfWork` protocol declares, with the same documentation:
    one per aggregate of the store's registry, each built from the registry entry's query
    mixins (an aggregate a host adds to its copy of the registry is an attribute too).
    """

    def __init__(self, store: SqlStore, *, bulk: bool = False) -> None:
        self._store = store
        self._conn: Connection | None = None
        self._transaction: sa.Transaction | None = None
        self._bulk = bulk
        self._dropped: dict[str, list[sa.Index]] = {}
        self._dropped_keys: list[sa.ForeignKeyConstraint] = []
        self._foreign_keys_off = False
        self._read: dict[str, dict[str, int]] = {}
        self._written: dict[tuple[str, str], int | None] = {}
        self.audit = _SqlAudit(self)
        # The repositories UnitOfWork declares (its one list of annotations), one per
        # aggregate of the registry: set here, so mypy sees them as abstract at creation.
        for name, spec in store.registry.items():
            setattr(self, name, repository_class(spec)(name, self))

    @property
    def _layout(self) -> Schema:
        """The tables of the store's registry."""
        return self._store._layout

    def __enter__(self) -> Self:
        if self._conn is not None:
            raise StorageError(
                "Единица работы уже открыта",
                "This unit of work is already entered",
                code="storage.uow_reentered",
            )
        self._store._acquire()
        given = self._store._given
        try:
            if given is not None:
                # The host's connection: this unit of work is a savepoint in the host's
                # transaction, which the host alone begins, commits and closes.
                self._conn = given
                _join_host_transaction(given)
                self._transaction = given.begin_nested()
                return self
            self._conn = self._store._engine.connect()
            if self._bulk and self._store.dialect == "sqlite":
                # Only outside a transaction does SQLite switch foreign keys; they are checked
                # all at once before each commit (see _finish_bulk) and switched on again on exit.
                raw = self._conn.connection.dbapi_connection
                raw.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
                self._foreign_keys_off = True
                # The index rebuilds at commit sort in memory, in a cache that holds them.
                for pragma in _SQLITE_BULK_PRAGMAS:
                    raw.execute(f"PRAGMA {pragma}")  # type: ignore[union-attr]
            self._transaction = self._conn.begin()
        except exc.SQLAlchemyError as error:
            self._close()
            raise database_error(error) from error
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if self._transaction is not None and self._transaction.is_active:
                self._transaction.rollback()
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error
        finally:
            self._close()

    def _close(self) -> None:
        try:
            if self._conn is not None:
                if self._foreign_keys_off:
                    self._foreign_keys_off = False
                    try:
                        raw = self._conn.connection.dbapi_connection
                        raw.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]
                        for pragma in _SQLITE_PRAGMAS:
                            raw.execute(f"PRAGMA {pragma}")  # type: ignore[union-attr]
                    except Exception:
                        self._conn.invalidate()  # never hand a connection without them back
                        raise
                if self._conn is not self._store._given:
                    self._conn.close()
        finally:
            self._conn = None
            self._transaction = None
            self._dropped = {}
            self._dropped_keys = []
            self._read = {}
            self._written = {}
            self._store._release()

    def commit(self) -> None:
        """Make the changes so far permanent (a new transaction begins for what follows).

        In a store over the host's connection (:meth:`SqlStore.from_connection`) the changes
        join the host's transaction: they become permanent when the host commits it.
        """
        conn = self._connection()
        if self._bulk:
            self._finish_bulk(conn)
        try:
            if self._transaction is not None:
                self._transaction.commit()
            self._written = {}
            self._transaction = self._begin(conn)
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error

    def _begin(self, conn: Connection) -> sa.Transaction:
        """Begin what the unit of work's changes go into.

        A transaction of its own, or a savepoint in the host's.
        """
        return conn.begin_nested() if self._store._given is not None else conn.begin()

    def rollback(self) -> None:
        """Undo the changes since the last commit."""
        conn = self._connection()
        self._dropped = {}  # the rollback restores what was dropped
        self._dropped_keys = []
        self._forget_writes()
        try:
            if self._transaction is not None:
                self._transaction.rollback()
            self._transaction = self._begin(conn)
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error

    # -- versions ------------------------------------------------------------------------------

    def _read_versions(self, name: str) -> dict[str, int]:
        """The version of each row of ``name`` this unit of work read first, by id.

        A row read again keeps the version first read: an update based on the first read
        must not pass because a later read saw someone else's change. Only this unit of
        work's own writes replace it (:meth:`_wrote`).
        """
        read = self._read.get(name)
        if read is None:
            read = self._read[name] = {}
        return read

    def _wrote(self, name: str, key: str, version: int | None) -> None:
        """Note this transaction's write of ``key`` of ``name``, now at ``version`` (None: gone)."""
        read = self._read_versions(name)
        self._written.setdefault((name, key), read.get(key))
        if version is None:
            read.pop(key, None)
        else:
            read[key] = version

    def _forget_writes(self) -> None:
        """After a rollback: the versions read before this transaction's own writes again."""
        for (name, key), version in self._written.items():
            read = self._read_versions(name)
            if version is None:
                read.pop(key, None)
            else:
                read[key] = version
        self._written = {}

    def _write_connection(self) -> Connection:
        """The connection, for a write: refused in a store opened read-only.

        Raises:
            StorageError: ``storage.read_only`` in a store opened read-only,
                ``storage.uow_inactive`` outside the unit of work.
        """
        if self._store.read_only:
            raise read_only_error(self._store.target)
        return self._connection()

    def _connection(self) -> Connection:
        if self._conn is None:
            raise StorageError(
                "Хранилище используется вне единицы работы (with store.unit_of_work() as uow)",
                "The store is used outside a unit of work (with store.unit_of_work() as uow)",
                code="storage.uow_inactive",
            )
        return self._conn

    # -- bulk loads ----------------------------------------------------------------------------

    def _before_insert(self, name: str) -> None:
        """In a bulk load, drop the secondary indexes of the tables of ``name`` before inserting.

        On PostgreSQL their foreign keys are dropped too (SQLite has them off already).
        """
        if not self._bulk or name in self._dropped:
            return
        conn = self._connection()
        layout = self._layout
        tables = (layout.tables[name], *layout.child_tables.get(name, ()))
        indexes = [
            index
            for table in tables
            for index in sorted(table.indexes, key=lambda index: str(index.name))
            if not index.unique
        ]
        keys: list[sa.ForeignKeyConstraint] = []
        if self._store.dialect == "postgresql":
            keys = [
                key
                for table in tables
                for key in sorted(table.foreign_key_constraints, key=lambda key: str(key.name))
            ]
        try:
            for index in indexes:
                # A store created before an index was added to the schema lacks it; the
                # commit then creates it with the others.
                index.drop(conn, checkfirst=True)
            for key in keys:
                # Written out: SQLAlchemy's DropConstraint would mark the shared metadata.
                conn.exec_driver_sql(f"ALTER TABLE {key.table.name} DROP CONSTRAINT {key.name}")
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error
        self._dropped[name] = indexes
        self._dropped_keys.extend(keys)

    def _before_remove(self, name: str, entity_id: str) -> None:
        """With foreign keys deferred, refuse what they would refuse and do their cascades."""
        if not (self._foreign_keys_off or self._dropped_keys):
            return
        referenced = self._referenced(name, entity_id)
        if isinstance(referenced, ConflictError):
            raise referenced
        conn = self._connection()
        for table in self._layout.child_tables.get(name, ()):
            column = table.c[self._layout.owners[table.name][1]]
            conn.execute(table.delete().where(column == entity_id))

    def _finish_bulk(self, conn: Connection) -> None:
        """Rebuild what was dropped and check every foreign key; undo everything if one fails."""
        problem: Exception | None = None
        try:
            for indexes in self._dropped.values():
                for index in indexes:
                    index.create(conn)
            if self._store.dialect == "sqlite":
                if self._foreign_keys_off:
                    found = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if found is not None:
                        problem = self._dangling_row(found[0], found[1])
            else:
                for key in self._dropped_keys:
                    problem = self._restore_key(conn, key)
                    if problem is not None:
                        break
                if problem is None:
                    # Fresh tables have no statistics until autovacuum comes by; the planner
                    # would take a large table for an empty one (nested loops over it).
                    layout = self._layout
                    for name in self._dropped:
                        for table in (layout.tables[name], *layout.child_tables.get(name, ())):
                            conn.exec_driver_sql(f"ANALYZE {table.name}")
        except exc.SQLAlchemyError as error:
            self.rollback()
            raise database_error(error) from error
        if problem is not None:
            self.rollback()
            raise problem
        self._dropped = {}
        self._dropped_keys = []

    def _restore_key(self, conn: Connection, key: sa.ForeignKeyConstraint) -> Exception | None:
        """Add the foreign key ``key`` back, checking every row; the error if a row fails."""
        table = key.table
        column = key.columns[0]
        target = next(iter(key.elements)).column
        cascade = " ON DELETE CASCADE" if key.ondelete == "CASCADE" else ""
        try:
            with conn.begin_nested():
                conn.exec_driver_sql(
                    f"ALTER TABLE {table.name} ADD CONSTRAINT {key.name} FOREIGN KEY "
                    f"({column.name}) REFERENCES {target.table.name} ({target.name}){cascade}"
                )
        except exc.IntegrityError:
            owner_column = table.c[self._layout.owners.get(table.name, (table.name, "id"))[1]]
            parent = target.table.alias("parent")
            query = (
                sa.select(owner_column)
                .select_from(table.outerjoin(parent, column == parent.c[target.name]))
                .where(column.is_not(None), parent.c[target.name].is_(None))
                .limit(1)
            )
            return self._dangling_entity(table.name, conn.execute(query).scalar())
        return None

    def _dangling_row(self, table: str, rowid: int) -> Exception:
        """The typed error for the row ``rowid`` of ``table`` (SQLite) naming a missing entity."""
        column = self._layout.owners.get(table, (table, "id"))[1]
        # Table and column names come from the schema and SQLite's report, never from input.
        entity_id = (
            self._connection()
            .exec_driver_sql(
                f"SELECT {column} FROM {table} WHERE rowid = ?",  # noqa: S608 - schema names
                (rowid,),
            )
            .scalar()
        )
        return self._dangling_entity(table, entity_id)

    def _dangling_entity(self, table: str, entity_id: str | None) -> Exception:
        """The typed error for ``entity_id``, whose row of ``table`` names a missing entity."""
        owner = self._layout.owners.get(table, (table, "id"))[0]
        repository: _SqlRepository[Any, Any] = getattr(self, owner)
        entity = repository.find(entity_id) if entity_id is not None else None
        if entity is not None:
            try:
                repository._check_references([entity])
            except ValidationError as error:
                return error
        return StorageError(
            f"Таблица «{table}» ссылается на несуществующий объект",
            f"Table '{table}' refers to an entity that does not exist",
            code="storage.database",
            details={"table": table},
        )

    def _referenced(self, name: str, entity_id: str) -> ConflictError | StorageError:
        conn = self._connection()
        layout = self._layout
        for spec, field, many in referenced_by(name, layout.registry):
            column = (
                layout.collection_columns[spec.name, field]
                if many
                else layout.tables[spec.name].c[field]
            )
            if conn.execute(sa.select(column).where(column == entity_id).limit(1)).first():
                return still_referenced_error(name, entity_id, spec.kind, layout.registry)
        return StorageError(
            f"База данных отказала в удалении «{entity_id}»",
            f"The database refused to remove '{entity_id}'",
            code="storage.database",
        )


def _sqlite_engine(path: str, *, read_only: bool = False) -> Engine:
    memory = path in {"", ":memory:"}
    if memory:
        engine = sa.create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    elif read_only:
        file = Path(path)
        engine = sa.create_engine(
            "sqlite://", creator=lambda: sqlite_read_only_connect(file), poolclass=NullPool
        )
    else:
        engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: object) -> None:  # noqa: ANN401
        dbapi_connection.isolation_level = None  # transactions are begun below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if not (memory or read_only):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    # A read-only connection cannot take the write lock that BEGIN IMMEDIATE asks for.
    begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)

    _typed_driver_errors(engine)
    return engine


def _typed_driver_errors(engine: Engine) -> None:
    """Make every driver error but a refused constraint a :class:`StorageError` at once.

    A refused constraint (``IntegrityError``) is diagnosed by the repositories, which raise
    the in-memory store's errors; anything else (a value PostgreSQL cannot hold, a lost
    connection) would otherwise leave the store as an SQLAlchemy exception.
    """

    @event.listens_for(engine, "handle_error")
    def _handle(context: Any) -> None:  # noqa: ANN401 - SQLAlchemy's ExceptionContext
        # Errors of connecting are left to the store's own handlers (they keep SQLAlchemy's
        # exception as the cause); SQLAlchemy chains an error raised here to the driver's.
        if context.connection is not None and not isinstance(
            context.sqlalchemy_exception, exc.IntegrityError
        ):
            raise database_error(context.sqlalchemy_exception)


def _postgres_engine(url: str, schema: str | None, *, read_only: bool = False) -> Engine:
    # The schema itself is created by SqlStore._open_schema, under the schema lock.
    options = [f"-csearch_path={schema}"] if schema is not None else []
    if read_only:
        options.append("-cdefault_transaction_read_only=on")
    rendered, arguments = postgres_engine_url(url, *options)
    engine = sa.create_engine(rendered, connect_args=arguments)
    _typed_driver_errors(engine)
    return engine


def _host_engine(engine: Engine, schema: str | None) -> Engine:
    """The store's view of a host's engine: its pool and settings, the store's own events.

    The events (typed driver errors; on SQLite foreign keys on and ``BEGIN IMMEDIATE``; on
    PostgreSQL the schema as the transaction's search path) are registered on an option
    engine that shares the host's pool, so the host's own connections are left as they are.
    """
    own = engine.execution_options()
    name = engine.dialect.name
    if name == "sqlite":

        @event.listens_for(own, "begin")
        def _begin(conn: Connection) -> None:
            raw = conn.connection.dbapi_connection
            if raw is not None and raw.in_transaction:
                return  # the driver began one already (the host's own BEGIN)
            conn.exec_driver_sql("PRAGMA foreign_keys = ON")  # only outside a transaction
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    elif schema is not None:

        @event.listens_for(own, "begin")
        def _search_path(conn: Connection) -> None:
            conn.exec_driver_sql(f"SET LOCAL search_path TO {schema}")

    _typed_driver_errors(own)
    return own


def _join_host_transaction(conn: Connection) -> None:
    """Make sure the host's connection is in a database transaction the store can join.

    SQLAlchemy begins the host's transaction when it has none (as its next statement
    would). On SQLite the driver may defer the database's ``BEGIN`` to the first write; a
    savepoint taken before it would then commit on release, so the store begins it here.
    The store's writes need foreign keys on: they are switched on while no transaction is
    open, and a transaction already open without them is refused.

    Raises:
        StorageError: On SQLite, if the host's connection has foreign keys off inside a
            transaction already begun (``storage.foreign_keys_off``).
    """
    if conn.dialect.name != "sqlite":
        if not conn.in_transaction():
            conn.begin()
        return
    raw: Any = conn.connection.dbapi_connection
    if not raw.execute("PRAGMA foreign_keys").fetchone()[0]:
        if raw.in_transaction:
            raise STORAGE_FOREIGN_KEYS_OFF.error()
        raw.execute("PRAGMA foreign_keys = ON")
    if not conn.in_transaction():
        conn.begin()
    if not raw.in_transaction:
        conn.exec_driver_sql("BEGIN")


def _check_sqlite_file(path: str) -> None:
    """Refuse a missing SQLite file before SQLite would make an empty one."""
    if not Path(path).exists():
        raise STORAGE_FILE_NOT_FOUND.error(store=path)


_SCHEMA_LOCK = 0x65736368
"""The first key of the PostgreSQL advisory lock taken while a schema is created or checked
(``'esch'``); the second is the hash of the schema's name."""


class SqlStore:
    """A store in a SQL database: a SQLite file (or ``":memory:"``) or a PostgreSQL URL.

    Opening a database holds the store to what is there: a database without the store's
    tables is refused (``storage.not_a_store``) unless ``create=True`` (what ``eschool
    demo`` and ``eschool import`` pass), and a missing SQLite file is never made then. An
    in-memory database (``":memory:"``) is always new, so it is always created. A store of
    an earlier schema version that the library knows is brought forward in place; one of
    another version raises :class:`~eschool_core.errors.StorageError`.

    Besides a location, a store can be built on the host's own SQLAlchemy engine
    (:meth:`from_engine`) or connection (:meth:`from_connection`), so that its writes and
    the host's commit together.

    Args:
        target: A SQLite file path, ``":memory:"``, or a ``postgresql://`` URL; a
            ``schema`` query parameter of the URL (``?schema=school_42``) names the schema,
            like the ``schema`` argument.
        schema: For PostgreSQL, the schema (namespace) to use, created if missing (with
            ``create=True``).
        create: Whether to create the store's tables (and a missing SQLite file) where there
            are none; with ``False`` (the default) such a database is refused
            (``storage.not_a_store``, ``storage.not_found`` for a missing file) and left as
            it was.
        read_only: Whether to open the store for reading only, for an archive: a SQLite file
            is opened with SQLite's ``mode=ro`` (as ``immutable=1`` when no write-ahead log
            is beside it, so that nothing is written beside the file on a read-only mount),
            a PostgreSQL database in read-only transactions. A write through it raises
            ``storage.read_only``; an older schema version is not migrated but refused.
        registry: The aggregates it stores, one table each
            (:data:`~eschool_core.storage.registry.REGISTRY` unless a host passes a copy with
            aggregates of its own; the tables are built from it).

    Raises:
        StorageError: If the database cannot be opened, holds another schema version, or
            (``create=False``) holds no store; ``storage.read_only_create`` for
            ``read_only`` with ``create``.

    >>> from eschool_core.school import Subject
    >>> store = SqlStore(":memory:")
    >>> with store.unit_of_work() as uow:
    ...     uow.subjects.add(Subject(id="math", name="Математика"))
    ...     uow.commit()
    >>> with store.unit_of_work() as uow:
    ...     uow.subjects.get("math").name
    'Математика'
    >>> store.close()
    """

    _engine: Engine
    _lock: threading.Lock | None
    _owner: int | None
    _given: Connection | None

    def __init__(
        self,
        target: str,
        *,
        schema: str | None = None,
        create: bool = False,
        read_only: bool = False,
        registry: Registry = REGISTRY,
    ) -> None:
        if read_only and create:
            raise STORAGE_READ_ONLY_CREATE.error()
        target, schema = split_schema(target, schema)
        if schema is not None and not SCHEMA_NAME.match(schema):
            raise STORAGE_SCHEMA_NAME.error(schema=schema)
        memory = target in {"", ":memory:"}
        self._setup(
            target, schema=schema, create=create or memory, read_only=read_only, registry=registry
        )
        try:
            if is_postgres_url(target):
                self._engine = _postgres_engine(target, schema, read_only=read_only)
            else:
                if not (memory or create):
                    _check_sqlite_file(target)
                self._engine = _sqlite_engine(target, read_only=read_only and not memory)
                if memory:
                    self._lock = threading.Lock()
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error
        self._open()

    def _setup(
        self,
        target: str,
        *,
        schema: str | None,
        create: bool,
        read_only: bool,
        registry: Registry,
    ) -> None:
        """Set what every way of building a store sets (the engine aside)."""
        self.target = target
        """Where the store is: its path or URL (the password hidden for an engine's)."""
        self.read_only = read_only
        """Whether the store was opened for reading only (writes raise ``storage.read_only``)."""
        self.registry: Registry = registry
        """The aggregates this store keeps, one table and one repository of each."""
        self._layout = DEFAULT_SCHEMA if registry is REGISTRY else build_schema(registry)
        self._schema = schema
        self._create = create
        self._lock = None
        self._owner = None
        self._given = None
        self._owns_engine = True

    def _open(self) -> None:
        """Open the schema; on failure leave nothing open."""
        try:
            self._open_schema()
        except exc.SQLAlchemyError as error:
            self.close()
            raise database_error(error) from error
        except BaseException:
            self.close()
            raise

    @classmethod
    def from_engine(
        cls,
        engine: Engine,
        *,
        schema: str | None = None,
        create: bool = False,
        registry: Registry = REGISTRY,
    ) -> SqlStore:
        """Return a store over the host's SQLAlchemy ``engine`` (SQLite or PostgreSQL).

        The store takes its connections from the engine's pool and runs each unit of work in
        a transaction of its own, as over a URL; the engine stays the host's (:meth:`close`
        does not dispose it), and the host's own connections are left as they are. On
        SQLite the store switches foreign keys on for the connections it uses and begins
        its transactions with ``BEGIN IMMEDIATE``; on PostgreSQL with ``schema`` it sets the
        schema as the search path of its own transactions (``SET LOCAL``).

        Args:
            engine: The host's engine.
            schema: For PostgreSQL, the schema the store lives in (created with ``create``).
            create: Whether to create the store's tables where there are none.
            registry: The aggregates it stores.

        Raises:
            StorageError: As the constructor.

        >>> import sqlalchemy as sa
        >>> engine = sa.create_engine("sqlite://")
        >>> store = SqlStore.from_engine(engine, create=True)
        >>> with store.unit_of_work() as uow:
        ...     uow.subjects.count()
        0
        >>> store.close()  # the engine is still the host's
        """
        _, schema = split_schema(engine.url.render_as_string(), schema)
        store = cls.__new__(cls)
        store._setup(
            engine.url.render_as_string(hide_password=True),
            schema=schema,
            create=create,
            read_only=False,
            registry=registry,
        )
        store._engine = _host_engine(engine, schema)
        store._owns_engine = False
        if engine.dialect.name == "sqlite" and engine.url.database in {None, "", ":memory:"}:
            store._lock = threading.Lock()  # one connection: one unit of work at a time
        store._open()
        return store

    @classmethod
    def from_connection(
        cls,
        connection: Connection,
        *,
        create: bool = False,
        registry: Registry = REGISTRY,
    ) -> SqlStore:
        """Return a store whose units of work join the host's transaction on ``connection``.

        The host owns the transaction: the store never begins a transaction of its own,
        never commits and never closes the connection. Each unit of work is a savepoint in
        the host's transaction (begun first if the host has none): its ``commit()``
        releases the savepoint, so its writes (and the audit entries that record them) are
        permanent when the host commits, and gone when the host rolls back; its
        ``rollback()``, or leaving it without ``commit()``, undoes only its own writes.
        Opening the store checks (and with ``create`` creates) its tables in the same way,
        inside the host's transaction; on PostgreSQL the schema's advisory lock is then held
        until the host's transaction ends. The store's tables are found through the
        connection's search path. One unit of work at a time (the connection is one).
        Errors the repositories diagnose (a duplicate id, a dangling reference, a stale
        version) are the library's as usual; any other driver error on the host's
        connection reaches the host as its engine raises it.

        Args:
            connection: The host's connection (SQLite or PostgreSQL).
            create: Whether to create the store's tables where there are none.
            registry: The aggregates it stores.

        Raises:
            StorageError: As the constructor; ``storage.foreign_keys_off`` on SQLite for a
                connection with foreign keys off inside a transaction already begun.

        >>> import sqlalchemy as sa
        >>> from eschool_core.school import Subject
        >>> engine = sa.create_engine("sqlite://")
        >>> with engine.connect() as conn:
        ...     store = SqlStore.from_connection(conn, create=True)
        ...     conn.commit()  # the host keeps the store's new tables
        ...     with store.unit_of_work() as uow:
        ...         uow.subjects.add(Subject(id="math", name="Математика"))
        ...         uow.commit()
        ...     conn.rollback()  # the host's decision: the subject is gone
        ...     with store.unit_of_work() as uow:
        ...         uow.subjects.count()
        0
        """
        store = cls.__new__(cls)
        store._setup(
            connection.engine.url.render_as_string(hide_password=True),
            schema=None,
            create=create,
            read_only=False,
            registry=registry,
        )
        store._engine = connection.engine
        store._given = connection
        store._owns_engine = False
        store._lock = threading.Lock()
        store._open()
        return store

    @property
    def dialect(self) -> str:
        """The database: ``"sqlite"`` or ``"postgresql"``."""
        return str(self._engine.dialect.name)

    def _open_schema(self) -> None:
        """Create the schema in an empty database, or check the version of the one there.

        A store of an earlier version that :data:`MIGRATIONS` knows is brought forward in
        place, in the same transaction (its audit chain and checkpoints intact); a store
        opened read-only is not, and such a version is refused.

        On PostgreSQL this runs under a transaction-scoped advisory lock on the schema's
        name (``pg_advisory_xact_lock``), so processes opening a new schema at once create it
        one after the other: the first creates it, the others find it made. Over the host's
        connection it runs in a savepoint of the host's transaction.
        """
        if self._given is not None:
            _join_host_transaction(self._given)
            with self._given.begin_nested():
                found = self._check_schema(self._given)
        else:
            with self._engine.begin() as conn:
                found = self._check_schema(conn)
        problem = schema_version_error(found, SCHEMA_VERSION)
        if problem is not None:
            raise problem

    def _check_schema(self, conn: Connection) -> list[int]:
        """Create or migrate the schema on ``conn``; return the version found after."""
        if self.dialect == "postgresql" and not self.read_only:
            conn.execute(
                sa.text("SELECT pg_advisory_xact_lock(:lock, hashtext(:schema))"),
                {"lock": _SCHEMA_LOCK, "schema": self._schema or ""},
            )
            if self._schema is not None and self._create:
                conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {self._schema}")
        if not sa.inspect(conn).has_table(VERSION.name):
            if not self._create:
                raise not_a_store_error(self.target)
            self._layout.metadata.create_all(conn)
            conn.execute(VERSION.insert().values(version=SCHEMA_VERSION))
            return [SCHEMA_VERSION]
        found = list(conn.execute(sa.select(VERSION.c.version)).scalars().all())
        while (
            not self.read_only
            and len(found) == 1
            and found[0] in MIGRATIONS
            and found[0] < SCHEMA_VERSION
        ):
            for statement in MIGRATIONS[found[0]]:
                conn.exec_driver_sql(statement)
            conn.execute(VERSION.update().values(version=found[0] + 1))
            found = [found[0] + 1]
        return found

    def unit_of_work(self) -> SqlUnitOfWork:
        """Return a new unit of work; enter it with ``with``."""
        return SqlUnitOfWork(self)  # type: ignore[abstract]  # repositories: see __init__

    def bulk_load(self) -> SqlUnitOfWork:
        """Return a new unit of work for loading much data; enter it with ``with``.

        It behaves like :meth:`unit_of_work` with every rule kept, but is faster for large
        inserts: before a table's first insert in a transaction its secondary indexes (and
        those of its child tables) are dropped, and each :meth:`~SqlUnitOfWork.commit`
        rebuilds them, inside the same transaction. On SQLite the foreign keys are switched
        off for the unit of work and checked all at once (``PRAGMA foreign_key_check``)
        before each commit: a dangling reference then raises the in-memory store's
        ``<kind>.dangling_reference`` error at commit, and the whole transaction is undone.
        A duplicate id is still refused by the write itself. While a table's indexes are
        dropped, queries on it scan the table, and on SQLite a removal checks what refers to
        the entity itself. On PostgreSQL the loaded tables' foreign keys are dropped likewise
        and added back (checking every row) at commit, and the loaded tables are analysed
        (``ANALYZE``) so that the planner knows their sizes; until then the loaded tables and
        those they refer to are locked against other writers. Cyclic garbage collection is paused
        while a batch is converted and inserted. Over the host's connection
        (:meth:`from_connection`) the foreign keys stay on: SQLite switches them only
        outside a transaction, which is the host's.

        >>> from eschool_core.school import Subject
        >>> store = SqlStore(":memory:")
        >>> with store.bulk_load() as uow:
        ...     uow.subjects.add_many([Subject(id="math", name="Математика")])
        ...     uow.commit()
        >>> with store.unit_of_work() as uow:
        ...     uow.subjects.count()
        1
        >>> store.close()
        """
        return SqlUnitOfWork(self, bulk=True)  # type: ignore[abstract]  # repositories: see __init__

    def close(self) -> None:
        """Close every pooled connection (of the store's own engine: a host's stays open)."""
        if self._owns_engine:
            self._engine.dispose()

    def _acquire(self) -> None:
        if self._lock is None:
            return
        if self._owner == threading.get_ident():
            raise StorageError(
                "Вложенная единица работы в том же потоке не поддерживается",
                "A unit of work cannot be nested in another on the same thread",
                code="storage.uow_nested",
            )
        self._lock.acquire()
        self._owner = threading.get_ident()

    def _release(self) -> None:
        if self._lock is not None and self._owner is not None:
            self._owner = None
            self._lock.release()
