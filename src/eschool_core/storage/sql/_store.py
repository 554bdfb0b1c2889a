"""The SQL store: SQLite (embedded default) or PostgreSQL, through SQLAlchemy Core.

A unit of work is one database transaction on its own connection. Each write runs in a
savepoint, so a rejected write (a duplicate id, a dangling reference) undoes only itself,
like the in-memory store, and the unit of work carries on. Writes go to the database
optimistically; when it refuses one, the store finds out why and raises the same typed
error the in-memory store raises, with the driver's error as the ``__cause__``.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from eschool_core.curriculum import ThematicPlan
from eschool_core.errors import ConflictError, NotFoundError, StorageError, ValidationError
from eschool_core.ids import ClassId, EmployeeId, GroupId, GuardianId, LessonId, StudentId
from eschool_core.journal import Attendance, AttestationMark, Lesson, Mark
from eschool_core.movement import Order
from eschool_core.people import Consent, GuardianLink
from eschool_core.school import ClassMembership, Group, SchoolClass, TeachingAssignment
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
from eschool_core.storage._rows import AGGREGATES, Aggregate, Row
from eschool_core.storage.memory import _SPECS, _dangling, _still_referenced
from eschool_core.storage.sql._schema import (
    COLLECTION_COLUMNS,
    GROUP_CLASSES,
    GROUP_STUDENTS,
    METADATA,
    ORDER_ITEM_SUBJECTS,
    ORDER_ITEMS,
    REFERENCE_SETS,
    SCHEMA_VERSION,
    TABLES,
    TIMETABLE_ENTRIES,
    VERSION,
    Instant,
    JsonList,
)

__all__ = ["SqlStore", "SqlUnitOfWork", "open_store"]

K = TypeVar("K", bound=str)
E = TypeVar("E")

_CHUNK = 500
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _storage_error(error: Exception) -> StorageError:
    return StorageError(
        f"Ошибка базы данных: {error}",
        f"Database error: {error}",
        code="storage.database",
        details={"driver_error": type(error).__name__},
    )


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


# -- bulk inserts ------------------------------------------------------------------------------


def _sqlite_instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _postgres_instant(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def _json_list(value: list[Any]) -> str:
    if not value:
        return "[]"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _iso_date(value: date) -> str:
    return value.isoformat()


class _Insert:
    """A prepared multi-row INSERT into one table for one database.

    Rows are bound as plain tuples through the driver (``executemany``): each value is
    converted by a converter chosen once per column, as the column types of
    :mod:`~eschool_core.storage.sql._schema` would (moments to UTC, lists to JSON, dates to
    ISO text on SQLite), so the database holds exactly what a SQLAlchemy insert writes.
    """

    def __init__(self, table: sa.Table, dialect: str) -> None:
        names = [column.name for column in table.columns]
        marker = "?" if dialect == "sqlite" else "%s"
        # Table and column names come from the schema, never from input.
        self.sql = (
            f"INSERT INTO {table.name} ({', '.join(names)}) "  # noqa: S608 - names of the schema
            f"VALUES ({', '.join(marker for _ in names)})"
        )
        self._get = operator.itemgetter(*names)
        self._single = len(names) == 1
        converters: list[tuple[int, Callable[[Any], Any]]] = []
        for index, column in enumerate(table.columns):
            converter = self._converter(column.type, dialect)
            if converter is not None:
                converters.append((index, converter))
        self._converters = tuple(converters)

    @staticmethod
    def _converter(kind: object, dialect: str) -> Callable[[Any], Any] | None:
        if isinstance(kind, Instant):
            return _sqlite_instant if dialect != "postgresql" else _postgres_instant
        if isinstance(kind, JsonList):
            return _json_list
        if isinstance(kind, sa.Date) and dialect == "sqlite":
            return _iso_date
        return None

    def values(self, rows: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """Return the parameter tuples of ``rows`` (each a mapping with at least the columns)."""
        get = self._get
        if self._single:
            return [(get(row),) for row in rows]
        return self.convert([get(row) for row in rows])

    def convert(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Return ``rows`` (tuples of the columns' values, in order) converted for the driver."""
        converters = self._converters
        if not converters or not rows:
            return rows
        result: list[tuple[Any, ...]] = []
        append = result.append
        for row in rows:
            values = list(row)
            for index, convert in converters:
                value = values[index]
                if value is not None:
                    values[index] = convert(value)
            append(tuple(values))
        return result


def _prepared(conn: Connection, table: sa.Table) -> _Insert:
    key = (table.name, conn.dialect.name)
    insert = _INSERTS.get(key)
    if insert is None:
        insert = _INSERTS[key] = _Insert(table, conn.dialect.name)
    return insert


def _bulk_insert(conn: Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        insert = _prepared(conn, table)
        conn.exec_driver_sql(insert.sql, insert.values(rows))


_INSERTS: dict[tuple[str, str], _Insert] = {}


class _SqlRepository(Generic[K, E]):
    """A repository over one table, used through a :class:`SqlUnitOfWork`."""

    def __init__(self, name: str, uow: SqlUnitOfWork) -> None:
        self._name = name
        self._uow = uow
        self._aggregate: Aggregate = AGGREGATES[name]
        self._table = TABLES[name]
        self._kind = self._aggregate.kind

    # -- rows -------------------------------------------------------------------------------

    def _rows(self, entities: Sequence[E]) -> list[Row]:
        return [self._aggregate.to_row(entity) for entity in entities]

    def _insert(self, conn: Connection, entities: Sequence[E]) -> None:
        to_values = self._aggregate.to_values
        if to_values is None:
            _bulk_insert(conn, self._table, self._rows(entities))
        else:
            insert = _prepared(conn, self._table)
            conn.exec_driver_sql(insert.sql, insert.convert([to_values(e) for e in entities]))

    def _load(self, rows: Iterable[Mapping[str, Any]] | sa.MappingResult) -> list[E]:
        from_row: Callable[[Any], E] = self._aggregate.from_row
        return [from_row(row) for row in rows]

    def _select(self, *where: sa.ColumnElement[bool]) -> list[E]:
        conn = self._uow._connection()
        result = conn.execute(sa.select(self._table).where(*where))
        return self._load(result.mappings())

    # -- diagnosis of a refused write --------------------------------------------------------

    def _existing(self, table: str, values: Iterable[str]) -> set[str]:
        conn = self._uow._connection()
        id_column = TABLES[table].c.id
        wanted = sorted(set(values))
        found: set[str] = set()
        for chunk in _chunks(wanted):
            found.update(conn.execute(sa.select(id_column).where(id_column.in_(chunk))).scalars())
        return found

    def _check_references(self, entities: Sequence[E]) -> None:
        spec = _SPECS[self._name]
        targets: dict[str, set[str]] = {}
        for field, target in spec.references.items():
            targets.setdefault(target, set()).update(
                value for entity in entities if (value := getattr(entity, field)) is not None
            )
        for field, target in spec.collection_references.items():
            targets.setdefault(target, set()).update(
                value for entity in entities for value in getattr(entity, field)
            )
        present = {target: self._existing(target, values) for target, values in targets.items()}
        for entity in entities:
            for field, target in spec.references.items():
                value = getattr(entity, field)
                if value is not None and value not in present[target]:
                    raise _dangling(spec.kind, entity, field, value)
            for field, target in spec.collection_references.items():
                for value in getattr(entity, field):
                    if value not in present[target]:
                        raise _dangling(spec.kind, entity, field, value)

    def _diagnose_add(self, batch: Sequence[E], error: exc.IntegrityError) -> None:
        existing = self._existing(self._name, (entity.id for entity in batch))  # type: ignore[attr-defined]
        for entity in batch:
            if entity.id in existing:  # type: ignore[attr-defined]
                raise ConflictError.duplicate(self._kind, entity.id) from error  # type: ignore[attr-defined]
        try:
            self._check_references(batch)
        except ValidationError as found:
            raise found from error
        raise _storage_error(error) from error

    # -- the protocol -------------------------------------------------------------------------

    def add(self, entity: E) -> None:
        """Store a new entity (see :class:`~eschool_core.storage.Repository`)."""
        self.add_many((entity,))

    def add_many(self, entities: Iterable[E]) -> None:
        """Store new entities, all or none (see :class:`~eschool_core.storage.Repository`)."""
        conn = self._uow._connection()
        batch = list(entities)
        seen: set[str] = set()
        for entity in batch:
            key = entity.id  # type: ignore[attr-defined]
            if key in seen:
                raise ConflictError.duplicate(self._kind, key)
            seen.add(key)
        if not batch:
            return
        try:
            with conn.begin_nested():
                self._insert(conn, batch)
        except exc.IntegrityError as error:
            self._diagnose_add(batch, error)
        except (exc.SQLAlchemyError, OverflowError) as error:
            raise _storage_error(error) from error

    def get(self, entity_id: K) -> E:
        """Return the entity with ``entity_id`` (see :class:`~eschool_core.storage.Repository`)."""
        entity = self.find(entity_id)
        if entity is None:
            raise NotFoundError.for_id(self._kind, entity_id)
        return entity

    def find(self, entity_id: K) -> E | None:
        """Return the entity with ``entity_id`` or ``None``."""
        found = self._select(self._table.c.id == entity_id)
        return found[0] if found else None

    def _replace_children(self, conn: Connection, rows: list[Row]) -> None:
        del conn, rows

    def update(self, entity: E) -> None:
        """Replace the stored entity with the same id."""
        conn = self._uow._connection()
        row = self._aggregate.to_row(entity)
        key = row["id"]
        values = {name: value for name, value in row.items() if name in self._table.c}
        try:
            with conn.begin_nested():
                result = conn.execute(
                    self._table.update().where(self._table.c.id == key).values(values)
                )
                if result.rowcount == 0:
                    raise NotFoundError.for_id(self._kind, key)
                self._replace_children(conn, [row])
        except exc.IntegrityError as error:
            try:
                self._check_references([entity])
            except ValidationError as found:
                raise found from error
            raise _storage_error(error) from error
        except (exc.SQLAlchemyError, OverflowError) as error:
            raise _storage_error(error) from error

    def remove(self, entity_id: K) -> None:
        """Delete the entity with ``entity_id``, unless other entities refer to it."""
        conn = self._uow._connection()
        try:
            with conn.begin_nested():
                result = conn.execute(self._table.delete().where(self._table.c.id == entity_id))
                if result.rowcount == 0:
                    raise NotFoundError.for_id(self._kind, entity_id)
        except exc.IntegrityError as error:
            raise self._uow._referenced(self._name, entity_id) from error
        except exc.SQLAlchemyError as error:
            raise _storage_error(error) from error

    def all(self) -> Sequence[E]:
        """Return every stored entity."""
        return self._select()

    def count(self) -> int:
        """Return how many entities are stored."""
        conn = self._uow._connection()
        return int(conn.execute(sa.select(sa.func.count()).select_from(self._table)).scalar_one())

    def _by(self, column: str, value: object) -> list[E]:
        return self._select(self._table.c[column] == value)


class _GuardianLinks(_SqlRepository[Any, GuardianLink]):
    def for_student(self, student_id: StudentId) -> Sequence[GuardianLink]:
        return self._by("student_id", student_id)

    def for_guardian(self, guardian_id: GuardianId) -> Sequence[GuardianLink]:
        return self._by("guardian_id", guardian_id)


class _Consents(_SqlRepository[Any, Consent]):
    def for_subject(self, subject_id: str) -> Sequence[Consent]:
        return self._by("subject_id", subject_id)


class _Classes(_SqlRepository[Any, SchoolClass]):
    def for_year(self, year: str) -> Sequence[SchoolClass]:
        return self._by("year", year)


class _Memberships(_SqlRepository[Any, ClassMembership]):
    def for_class(self, class_id: ClassId) -> Sequence[ClassMembership]:
        return self._by("class_id", class_id)

    def for_student(self, student_id: StudentId) -> Sequence[ClassMembership]:
        return self._by("student_id", student_id)


class _Groups(_SqlRepository[Any, Group]):
    """Groups keep their classes and students in two child tables."""

    def for_year(self, year: str) -> Sequence[Group]:
        return self._by("year", year)

    def _insert(self, conn: Connection, entities: Sequence[Any]) -> None:
        rows = self._rows(entities)
        _bulk_insert(conn, self._table, rows)
        self._insert_children(conn, rows)

    @staticmethod
    def _insert_children(conn: Connection, rows: list[Row]) -> None:
        classes = [
            {"group_id": row["id"], "position": position, "class_id": class_id}
            for row in rows
            for position, class_id in enumerate(row["class_ids"])
        ]
        students = [
            {"group_id": row["id"], "student_id": student_id}
            for row in rows
            for student_id in row["student_ids"]
        ]
        _bulk_insert(conn, GROUP_CLASSES, classes)
        _bulk_insert(conn, GROUP_STUDENTS, students)

    def _replace_children(self, conn: Connection, rows: list[Row]) -> None:
        keys = [row["id"] for row in rows]
        conn.execute(GROUP_CLASSES.delete().where(GROUP_CLASSES.c.group_id.in_(keys)))
        conn.execute(GROUP_STUDENTS.delete().where(GROUP_STUDENTS.c.group_id.in_(keys)))
        self._insert_children(conn, rows)

    def _select(self, *where: sa.ColumnElement[bool]) -> list[Group]:
        conn = self._uow._connection()
        rows = [dict(row) for row in conn.execute(sa.select(self._table).where(*where)).mappings()]
        keys = [row["id"] for row in rows]
        classes: dict[str, list[str]] = {key: [] for key in keys}
        students: dict[str, list[str]] = {key: [] for key in keys}
        for chunk in _chunks(keys):
            query = (
                sa.select(GROUP_CLASSES.c.group_id, GROUP_CLASSES.c.class_id)
                .where(GROUP_CLASSES.c.group_id.in_(chunk))
                .order_by(GROUP_CLASSES.c.group_id, GROUP_CLASSES.c.position)
            )
            for group_id, class_id in conn.execute(query):
                classes[group_id].append(class_id)
            query = sa.select(GROUP_STUDENTS.c.group_id, GROUP_STUDENTS.c.student_id).where(
                GROUP_STUDENTS.c.group_id.in_(chunk)
            )
            for group_id, student_id in conn.execute(query):
                students[group_id].append(student_id)
        for row in rows:
            row["class_ids"] = classes[row["id"]]
            row["student_ids"] = students[row["id"]]
        return self._load(rows)


class _Assignments(_SqlRepository[Any, TeachingAssignment]):
    def for_teacher(self, teacher_id: EmployeeId) -> Sequence[TeachingAssignment]:
        return self._by("teacher_id", teacher_id)


class _Lessons(_SqlRepository[Any, Lesson]):
    def for_class(self, class_id: ClassId) -> Sequence[Lesson]:
        return self._by("class_id", class_id)

    def for_group(self, group_id: GroupId) -> Sequence[Lesson]:
        return self._by("group_id", group_id)

    def between(self, start: date, end: date) -> Sequence[Lesson]:
        column = self._table.c.date
        conn = self._uow._connection()
        query = sa.select(self._table).where(column >= start, column <= end).order_by(column)
        return self._load(conn.execute(query).mappings())


class _Marks(_SqlRepository[Any, Mark]):
    def for_student(self, student_id: StudentId) -> Sequence[Mark]:
        return self._by("student_id", student_id)

    def for_lesson(self, lesson_id: LessonId) -> Sequence[Mark]:
        return self._by("lesson_id", lesson_id)


class _AttendanceRecords(_SqlRepository[Any, Attendance]):
    def for_student(self, student_id: StudentId) -> Sequence[Attendance]:
        return self._by("student_id", student_id)

    def for_lesson(self, lesson_id: LessonId) -> Sequence[Attendance]:
        return self._by("lesson_id", lesson_id)


class _AttestationMarks(_SqlRepository[Any, AttestationMark]):
    def for_student(self, student_id: StudentId) -> Sequence[AttestationMark]:
        return self._by("student_id", student_id)


class _Orders(_SqlRepository[Any, Order]):
    """Orders keep their items, and the items their debt subjects, in two child tables."""

    def for_year(self, year: str) -> Sequence[Order]:
        return self._by("year", year)

    def for_student(self, student_id: StudentId) -> Sequence[Order]:
        named = sa.select(ORDER_ITEMS.c.order_id).where(ORDER_ITEMS.c.student_id == student_id)
        return self._select(self._table.c.id.in_(named))

    def _insert(self, conn: Connection, entities: Sequence[Any]) -> None:
        rows = self._rows(entities)
        _bulk_insert(conn, self._table, rows)
        self._insert_children(conn, rows)

    @staticmethod
    def _insert_children(conn: Connection, rows: list[Row]) -> None:
        items = [item for row in rows for item in row["items"]]
        subjects = [
            {
                "order_id": item["order_id"],
                "item_position": item["position"],
                "position": position,
                "subject_id": subject_id,
            }
            for item in items
            for position, subject_id in enumerate(item["subjects"])
        ]
        _bulk_insert(conn, ORDER_ITEMS, items)
        _bulk_insert(conn, ORDER_ITEM_SUBJECTS, subjects)

    def _replace_children(self, conn: Connection, rows: list[Row]) -> None:
        keys = [row["id"] for row in rows]
        conn.execute(ORDER_ITEM_SUBJECTS.delete().where(ORDER_ITEM_SUBJECTS.c.order_id.in_(keys)))
        conn.execute(ORDER_ITEMS.delete().where(ORDER_ITEMS.c.order_id.in_(keys)))
        self._insert_children(conn, rows)

    def _select(self, *where: sa.ColumnElement[bool]) -> list[Order]:
        conn = self._uow._connection()
        rows = [dict(row) for row in conn.execute(sa.select(self._table).where(*where)).mappings()]
        items: dict[str, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
        subjects: dict[tuple[str, int], list[str]] = {}
        for chunk in _chunks(list(items)):
            query = (
                sa.select(ORDER_ITEM_SUBJECTS)
                .where(ORDER_ITEM_SUBJECTS.c.order_id.in_(chunk))
                .order_by(
                    ORDER_ITEM_SUBJECTS.c.order_id,
                    ORDER_ITEM_SUBJECTS.c.item_position,
                    ORDER_ITEM_SUBJECTS.c.position,
                )
            )
            for subject in conn.execute(query).mappings():
                key = (subject["order_id"], subject["item_position"])
                subjects.setdefault(key, []).append(subject["subject_id"])
            query = (
                sa.select(ORDER_ITEMS)
                .where(ORDER_ITEMS.c.order_id.in_(chunk))
                .order_by(ORDER_ITEMS.c.order_id, ORDER_ITEMS.c.position)
            )
            for found in conn.execute(query).mappings():
                item = dict(found)
                item["subjects"] = subjects.get((item["order_id"], item["position"]), [])
                items[item["order_id"]].append(item)
        for row in rows:
            row["items"] = items[row["id"]]
        return self._load(rows)


class _ByYear(_SqlRepository[Any, Any]):
    def for_year(self, year: str) -> Sequence[Any]:
        return self._by("year", year)


class _ThematicPlans(_SqlRepository[Any, ThematicPlan]):
    def for_year(self, year: str) -> Sequence[ThematicPlan]:
        return self._by("year", year)

    def for_teacher(self, teacher_id: EmployeeId) -> Sequence[ThematicPlan]:
        return self._by("teacher_id", teacher_id)


class _WithReferenceSets(_ByYear):
    """Aggregates whose JSON columns name other entities (curricula, bell schedules, events).

    The named ids are also written to the aggregate's reference tables, whose foreign keys
    make the database refuse dangling references and removals of what is still named.
    """

    def _insert(self, conn: Connection, entities: Sequence[Any]) -> None:
        _bulk_insert(conn, self._table, self._rows(entities))
        self._insert_references(conn, entities)

    def _insert_references(self, conn: Connection, entities: Sequence[Any]) -> None:
        parent = f"{self._kind}_id"
        for field, table in REFERENCE_SETS[self._name]:
            _bulk_insert(
                conn,
                table,
                [
                    {parent: entity.id, "target_id": target}
                    for entity in entities
                    for target in sorted(getattr(entity, field))
                ],
            )

    def _replace_children(self, conn: Connection, rows: list[Row]) -> None:
        keys = [row["id"] for row in rows]
        for _field, table in REFERENCE_SETS[self._name]:
            conn.execute(table.delete().where(table.c[f"{self._kind}_id"].in_(keys)))
        self._insert_references(conn, [self._aggregate.from_row(row) for row in rows])


class _Timetables(_ByYear):
    """Timetables keep their entries in a child table."""

    def _insert(self, conn: Connection, entities: Sequence[Any]) -> None:
        rows = self._rows(entities)
        _bulk_insert(conn, self._table, rows)
        _bulk_insert(conn, TIMETABLE_ENTRIES, [entry for row in rows for entry in row["entries"]])

    def _replace_children(self, conn: Connection, rows: list[Row]) -> None:
        keys = [row["id"] for row in rows]
        conn.execute(TIMETABLE_ENTRIES.delete().where(TIMETABLE_ENTRIES.c.timetable_id.in_(keys)))
        _bulk_insert(conn, TIMETABLE_ENTRIES, [entry for row in rows for entry in row["entries"]])

    def _select(self, *where: sa.ColumnElement[bool]) -> list[Any]:
        conn = self._uow._connection()
        rows = [dict(row) for row in conn.execute(sa.select(self._table).where(*where)).mappings()]
        entries: dict[str, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
        for chunk in _chunks(list(entries)):
            query = (
                sa.select(TIMETABLE_ENTRIES)
                .where(TIMETABLE_ENTRIES.c.timetable_id.in_(chunk))
                .order_by(TIMETABLE_ENTRIES.c.timetable_id, TIMETABLE_ENTRIES.c.position)
            )
            for found in conn.execute(query).mappings():
                entries[found["timetable_id"]].append(dict(found))
        for row in rows:
            row["entries"] = entries[row["id"]]
        return self._load(rows)


class SqlUnitOfWork:
    """A unit of work over a :class:`SqlStore`: one transaction on one connection.

    See :class:`~eschool_core.storage.UnitOfWork`.

    Attributes:
        schools: Schools.
        students: Students' cards.
        guardians: Guardians' cards.
        guardian_links: Guardian-student links.
        employees: Staff cards.
        consents: Consents to data processing.
        classes: Classes.
        memberships: Class memberships.
        subjects: Subjects.
        groups: Groups and subgroups.
        assignments: Teaching assignments.
        lessons: Lessons.
        marks: Current marks.
        attendance: Absences and late arrivals.
        attestation_marks: Period, annual, exam and final marks.
        orders: Movement orders.
        curricula: Curricula.
        thematic_plans: Thematic plans.
        rooms: Rooms.
        bell_schedules: Bell schedules.
        timetables: Lesson timetables.
        events: School and class events.
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
