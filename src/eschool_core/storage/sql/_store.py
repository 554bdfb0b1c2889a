"""The SQL store: SQLite (embedded default) or PostgreSQL, through SQLAlchemy Core.

A unit of work is one database transaction on its own connection. Each write runs in a
savepoint, so a rejected write (a duplicate id, a dangling reference) undoes only itself,
like the in-memory store, and the unit of work carries on. Writes go to the database
optimistically; when it refuses one, the store finds out why and raises the same typed
error the in-memory store raises, with the driver's error as the ``__cause__``.
"""

from __future__ import annotations

import re
import threading
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from eschool_core.errors import ConflictError, StorageError
from eschool_core.storage._protocols import (
    AssignmentRepository,
    AttendanceRepository,
    AttestationMarkRepository,
    BellScheduleRepository,
    ClassRepository,
    ConsentRepository,
    CurriculumRepository,
    EmployeeRepository,
    EventRepository,
    GroupRepository,
    GuardianLinkRepository,
    GuardianRepository,
    LessonRepository,
    MarkRepository,
    MembershipRepository,
    OrderRepository,
    RoomRepository,
    SchoolRepository,
    StudentRepository,
    SubjectRepository,
    ThematicPlanRepository,
    TimetableRepository,
)
from eschool_core.storage.memory import _SPECS, _still_referenced
from eschool_core.storage.sql._bulk import _storage_error
from eschool_core.storage.sql._repositories import (
    _Assignments,
    _AttendanceRecords,
    _AttestationMarks,
    _Classes,
    _Consents,
    _Groups,
    _GuardianLinks,
    _Lessons,
    _Marks,
    _Memberships,
    _Orders,
    _SqlRepository,
    _ThematicPlans,
    _Timetables,
    _WithReferenceSets,
)
from eschool_core.storage.sql._schema import (
    COLLECTION_COLUMNS,
    METADATA,
    SCHEMA_VERSION,
    TABLES,
    VERSION,
)

__all__ = ["SqlStore", "SqlUnitOfWork", "open_store"]

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class SqlUnitOfWork:
    """A unit of work over a :class:`SqlStore`: one transaction on one connection.

    See :class:`~eschool_core.storage.UnitOfWork`.

    Its repositories (``students``, ``marks``, ``orders``, ...) are those the
    :class:`~eschool_core.storage.UnitOfWork` protocol lists, with the same documentation.
    """

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._conn: Connection | None = None
        self._transaction: sa.RootTransaction | None = None
        self.schools: SchoolRepository = _SqlRepository[Any, Any]("schools", self)
        self.students: StudentRepository = _SqlRepository[Any, Any]("students", self)
        self.guardians: GuardianRepository = _SqlRepository[Any, Any]("guardians", self)
        self.guardian_links: GuardianLinkRepository = _GuardianLinks("guardian_links", self)
        self.employees: EmployeeRepository = _SqlRepository[Any, Any]("employees", self)
        self.consents: ConsentRepository = _Consents("consents", self)
        self.classes: ClassRepository = _Classes("classes", self)
        self.memberships: MembershipRepository = _Memberships("memberships", self)
        self.subjects: SubjectRepository = _SqlRepository[Any, Any]("subjects", self)
        self.groups: GroupRepository = _Groups("groups", self)
        self.assignments: AssignmentRepository = _Assignments("assignments", self)
        self.lessons: LessonRepository = _Lessons("lessons", self)
        self.marks: MarkRepository = _Marks("marks", self)
        self.attendance: AttendanceRepository = _AttendanceRecords("attendance", self)
        self.attestation_marks: AttestationMarkRepository = _AttestationMarks(
            "attestation_marks", self
        )
        self.orders: OrderRepository = _Orders("orders", self)
        self.curricula: CurriculumRepository = _WithReferenceSets("curricula", self)
        self.thematic_plans: ThematicPlanRepository = _ThematicPlans("thematic_plans", self)
        self.rooms: RoomRepository = _SqlRepository[Any, Any]("rooms", self)
        self.bell_schedules: BellScheduleRepository = _WithReferenceSets("bell_schedules", self)
        self.timetables: TimetableRepository = _Timetables("timetables", self)
        self.events: EventRepository = _WithReferenceSets("events", self)

    def __enter__(self) -> Self:
        if self._conn is not None:
            raise StorageError(
                "Единица работы уже открыта",
                "This unit of work is already entered",
                code="storage.uow_reentered",
            )
        self._store._acquire()
        try:
            self._conn = self._store._engine.connect()
            self._transaction = self._conn.begin()
        except exc.SQLAlchemyError as error:
            self._close()
            raise _storage_error(error) from error
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
            raise _storage_error(error) from error
        finally:
            self._close()

    def _close(self) -> None:
        try:
            if self._conn is not None:
                self._conn.close()
        finally:
            self._conn = None
            self._transaction = None
            self._store._release()

    def commit(self) -> None:
        """Make the changes so far permanent (a new transaction begins for what follows)."""
        conn = self._connection()
        try:
            if self._transaction is not None:
                self._transaction.commit()
            self._transaction = conn.begin()
        except exc.SQLAlchemyError as error:
            raise _storage_error(error) from error

    def rollback(self) -> None:
        """Undo the changes since the last commit."""
        conn = self._connection()
        try:
            if self._transaction is not None:
                self._transaction.rollback()
            self._transaction = conn.begin()
        except exc.SQLAlchemyError as error:
            raise _storage_error(error) from error

    def _connection(self) -> Connection:
        if self._conn is None:
            raise StorageError(
                "Хранилище используется вне единицы работы (with store.unit_of_work() as uow)",
                "The store is used outside a unit of work (with store.unit_of_work() as uow)",
                code="storage.uow_inactive",
            )
        return self._conn

    def _referenced(self, name: str, entity_id: str) -> ConflictError | StorageError:
        conn = self._connection()
        for other, spec in _SPECS.items():
            for field, target in spec.references.items():
                if target == name:
                    column = TABLES[other].c[field]
                    if conn.execute(sa.select(column).where(column == entity_id).limit(1)).first():
                        return _still_referenced(name, entity_id, spec.kind)
            for field, target in spec.collection_references.items():
                if target == name:
                    column = COLLECTION_COLUMNS[other, field]
                    if conn.execute(sa.select(column).where(column == entity_id).limit(1)).first():
                        return _still_referenced(name, entity_id, spec.kind)
        return StorageError(
            f"База данных отказала в удалении «{entity_id}»",
            f"The database refused to remove '{entity_id}'",
            code="storage.database",
        )


def _sqlite_engine(path: str) -> Engine:
    memory = path in {"", ":memory:"}
    if memory:
        engine = sa.create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: object) -> None:  # noqa: ANN401
        dbapi_connection.isolation_level = None  # transactions are begun below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _postgres_engine(url: str, schema: str | None) -> Engine:
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if schema is None:
        return sa.create_engine(url)
    if not _SCHEMA_NAME.match(schema):
        raise StorageError(
            f"Недопустимое имя схемы «{schema}»",
            f"Invalid schema name '{schema}'",
            code="storage.schema_name",
        )
    engine = sa.create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    return engine


class SqlStore:
    """A store in a SQL database: a SQLite file (or ``":memory:"``) or a PostgreSQL URL.

    Opening a database without the schema creates it; opening one of another schema
    version raises :class:`~eschool_core.errors.StorageError`.

    Args:
        target: A SQLite file path, ``":memory:"``, or a ``postgresql://`` URL.
        schema: For PostgreSQL, the schema (namespace) to use, created if missing.

    Raises:
        StorageError: If the database cannot be opened or holds another schema version.

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

    def __init__(self, target: str, *, schema: str | None = None) -> None:
        self.target = target
        self._lock: threading.Lock | None = None
        self._owner: int | None = None
        try:
            if target.startswith(("postgresql:", "postgresql+psycopg:", "postgres:")):
                self._engine = _postgres_engine(target, schema)
            else:
                self._engine = _sqlite_engine(target)
                if target in {"", ":memory:"}:
                    self._lock = threading.Lock()
        except exc.SQLAlchemyError as error:
            raise _storage_error(error) from error
        try:
            self._open_schema()
        except exc.SQLAlchemyError as error:
            self._engine.dispose()
            raise _storage_error(error) from error
        except BaseException:
            self._engine.dispose()
            raise

    @property
    def dialect(self) -> str:
        """The database: ``"sqlite"`` or ``"postgresql"``."""
        return str(self._engine.dialect.name)

    def _open_schema(self) -> None:
        with self._engine.begin() as conn:
            if not sa.inspect(conn).has_table(VERSION.name):
                METADATA.create_all(conn)
                conn.execute(VERSION.insert().values(version=SCHEMA_VERSION))
                return
            found = conn.execute(sa.select(VERSION.c.version)).scalars().all()
        if found != [SCHEMA_VERSION]:
            shown = ", ".join(str(version) for version in found) or "—"
            raise StorageError(
                f"База данных имеет версию схемы {shown}, а эта версия eschool_core работает "
                f"со схемой {SCHEMA_VERSION}",
                f"The database has schema version {shown}, but this eschool_core works with "
                f"schema version {SCHEMA_VERSION}",
                code="storage.schema_version",
                details={"found": shown, "expected": SCHEMA_VERSION},
            )

    def unit_of_work(self) -> SqlUnitOfWork:
        """Return a new unit of work; enter it with ``with``."""
        return SqlUnitOfWork(self)

    def close(self) -> None:
        """Close every pooled connection."""
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


def open_store(target: str) -> SqlStore:
    """Open the SQL store at ``target``: a SQLite file path, ``":memory:"`` or a PostgreSQL URL.

    The command-line tools open their ``--store`` through this function.

    Raises:
        StorageError: If the database cannot be opened or holds another schema version.

    >>> store = open_store(":memory:")
    >>> store.dialect
    'sqlite'
    >>> store.close()
    """
    return SqlStore(target)
