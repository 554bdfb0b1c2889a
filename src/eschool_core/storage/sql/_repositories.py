"""The repositories of the SQL store, built from the registry.

One base class, and one of its own for each aggregate whose collections live in child
tables; each aggregate's repository class is one of them with its registry entry's query
mixins (:func:`repository_class`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import Any, Generic, Protocol, TypeVar

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import Connection

from eschool_core.errors import (
    ConflictError,
    EschoolError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from eschool_core.movement import Order
from eschool_core.school import Group
from eschool_core.storage.registry import AggregateSpec, check_references, referenced_first
from eschool_core.storage.rows import Aggregate, Row
from eschool_core.storage.sql._bulk import (
    _bulk_insert,
    _chunks,
    _execute,
    _prepared,
)
from eschool_core.storage.sql._connection import database_error
from eschool_core.storage.sql._schema import (
    GROUP_CLASSES,
    GROUP_STUDENTS,
    ORDER_ITEM_SUBJECTS,
    ORDER_ITEMS,
    ROW_VERSION,
    TIMETABLE_ENTRIES,
    Instant,
    JsonList,
    Schema,
)

__all__ = ["repository_class"]


class _Transaction(Protocol):
    """Protocol: what a repository needs of a ``SqlUnitOfWork``.

    Typed structurally so that this module does not import the store that imports it.
    """

    @property
    def _bulk(self) -> bool: ...

    @property
    def _layout(self) -> Schema: ...

    def _connection(self) -> Connection: ...

    def _write_connection(self) -> Connection: ...

    def _read_versions(self, name: str) -> dict[str, int]: ...

    def _wrote(self, name: str, key: str, version: int | None) -> None: ...

    def _before_insert(self, name: str) -> None: ...

    def _before_remove(self, name: str, entity_id: str) -> None: ...

    def _referenced(self, name: str, entity_id: str) -> ConflictError | StorageError: ...


K = TypeVar("K", bound=str)
E = TypeVar("E")


class _SqlRepository(Generic[K, E]):
    """A repository over one table, used through a :class:`SqlUnitOfWork`."""

    def __init__(self, name: str, uow: _Transaction) -> None:
        self._name = name
        self._uow = uow
        self._spec: AggregateSpec = uow._layout.registry[name]
        self._aggregate: Aggregate = self._spec.rows
        self._table = uow._layout.tables[name]
        self._kind = self._aggregate.kind
        self._columns = self._aggregate.column_names
        self._invalid: list[ValidationError] | None = None

    # -- rows -------------------------------------------------------------------------------

    def _rows(self, entities: Sequence[E]) -> list[Row]:
        return [self._aggregate.to_row(entity) for entity in entities]

    def _insert(self, conn: Connection, entities: Sequence[E]) -> None:
        to_values = self._aggregate.to_values
        if to_values is None:
            _bulk_insert(conn, self._table, self._rows(entities))
        else:
            insert = _prepared(conn, self._table)
            _execute(conn, insert, insert.convert([to_values(e) for e in entities]))

    def _load(self, rows: Iterable[Mapping[str, Any]] | sa.MappingResult) -> list[E]:
        """The entities of ``rows``; the unit of work remembers the version of each as read."""
        from_row: Callable[[Any], E] = self._aggregate.from_row
        read = self._uow._read_versions(self._name)
        entities: list[E] = []
        append = entities.append
        with _collection_paused():
            for row in rows:
                try:
                    entity = from_row(row)
                except (ValueError, TypeError) as error:
                    self._refuse(row.get("id"), error)
                    continue
                read.setdefault(row["id"], row[ROW_VERSION])
                append(entity)
        return entities

    def _refuse(self, row_id: object, error: Exception) -> None:
        """Raise the ``store.invalid_row`` error of a stored row, or note it (:meth:`verify`)."""
        refused = _invalid_row(self._name, row_id, error)
        if self._invalid is None:
            raise refused from error
        self._invalid.append(refused)

    def verify(self) -> list[ValidationError]:
        """Rebuild every stored row; return the error of each that is not a valid entity.

        Returns:
            One ``store.invalid_row`` error per invalid row (an aggregate with child rows
            stops at its first one).
        """
        self._invalid = invalid = []
        try:
            self._select()
        except ValidationError as error:
            invalid.append(error)
        except (ValueError, TypeError) as error:
            invalid.append(_invalid_row(self._name, None, error))
        finally:
            self._invalid = None
        return invalid

    def _query(self, query: sa.Select[Any]) -> list[E]:
        """The entities of ``query`` (a select of this table's columns).

        On SQLite the rows are read through the driver and converted by :func:`_read_plan`
        (dates and moments from ISO text, lists from JSON), as the column types would convert
        them, without SQLAlchemy's per-row result processing; elsewhere SQLAlchemy reads them.
        An aggregate with ``from_values`` is rebuilt from each row's values in column order,
        without a dict per row. An aggregate with ``from_stored`` is rebuilt without its
        validators from each row it vouches for (``rows._trusted``), except while
        :meth:`verify` runs; a row it cannot vouch for goes through the validators.
        """
        conn = self._uow._connection()
        if conn.dialect.name != "sqlite":
            return self._load(conn.execute(query).mappings())
        from_stored = self._aggregate.from_stored if self._invalid is None else None
        compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
        bound = compiled.construct_params()
        params = tuple(_sqlite_param(bound[name]) for name in compiled.positiontup or ())
        cursor = conn.exec_driver_sql(str(compiled), params)
        names = tuple(column[0] for column in cursor.cursor.description)
        if names[: len(self._columns)] != self._columns:
            from_stored = None  # a row not in column order cannot be vouched for
        converters = _read_plan(self._table, names)
        from_values = self._aggregate.from_values
        found: list[E] = []
        append = found.append
        key = names.index("id") if "id" in names else None
        with _collection_paused():
            validated = self._validated_rows(names, converters, from_values)

            def checked(row: Sequence[Any]) -> E | None:
                try:
                    return validated(row)
                except (ValueError, TypeError) as error:
                    self._refuse(None if key is None else row[key], error)
                    return None

            rows = cursor.cursor.fetchall()
            if from_stored is not None:
                return from_stored(rows, checked)
            for row in rows:
                entity = checked(row)
                if entity is not None:
                    append(entity)
        return found

    def _validated_rows(
        self,
        names: tuple[str, ...],
        converters: tuple[tuple[str, Callable[[Any], Any]], ...],
        from_values: Callable[[Sequence[Any]], E] | None,
    ) -> Callable[[Sequence[Any]], E]:
        """How a SQLite row of ``names`` becomes its entity through the entity's validators."""
        if from_values is not None and names[: len(self._columns)] == self._columns:
            positions = tuple((names.index(name), convert) for name, convert in converters)

            def from_converted_values(row: Sequence[Any]) -> E:
                values = list(row)
                for position, convert in positions:
                    value = values[position]
                    if value is not None:
                        values[position] = convert(value)
                return from_values(values)

            return from_converted_values
        from_row: Callable[[Any], E] = self._aggregate.from_row

        def from_mapping(row: Sequence[Any]) -> E:
            mapping = dict(zip(names, row, strict=True))
            for name, convert in converters:
                value = mapping[name]
                if value is not None:
                    mapping[name] = convert(value)
            return from_row(mapping)

        return from_mapping

    def _select(self, *where: sa.ColumnElement[bool]) -> list[E]:
        return self._query(sa.select(self._table).where(*where))

    def _between(self, start: date, end: date) -> list[E]:
        """The entities dated ``start`` to ``end``, by date (``ix_<table>_date`` serves it)."""
        column = self._table.c.date
        return self._query(
            sa.select(self._table).where(column.between(start, end)).order_by(column)
        )

    def _students_between(self, students: Iterable[str], start: date, end: date) -> list[E]:
        """The students' entities dated ``start`` to ``end``, by date (``student_id`` index)."""
        table = self._table
        chunks = list(_chunks(sorted(set(students))))
        found: list[E] = []
        for chunk in chunks:
            query = (
                sa.select(table)
                .where(table.c.student_id.in_(chunk), table.c.date.between(start, end))
                .order_by(table.c.date)
            )
            found.extend(self._query(query))
        if len(chunks) > 1:
            found.sort(key=lambda row: row.date)  # type: ignore[attr-defined]
        return found

    # -- diagnosis of a refused write --------------------------------------------------------

    def _existing(self, table: str, values: Iterable[str]) -> set[str]:
        conn = self._uow._connection()
        id_column = self._uow._layout.tables[table].c.id
        wanted = sorted(set(values))
        found: set[str] = set()
        for chunk in _chunks(wanted):
            found.update(conn.execute(sa.select(id_column).where(id_column.in_(chunk))).scalars())
        return found

    def _check_references(self, entities: Sequence[E]) -> None:
        check_references(self._spec, entities, self._existing)

    def _diagnose_add(self, batch: Sequence[E], error: exc.IntegrityError) -> None:
        existing = self._existing(self._name, (entity.id for entity in batch))  # type: ignore[attr-defined]
        for entity in batch:
            if entity.id in existing:  # type: ignore[attr-defined]
                raise ConflictError.duplicate(self._kind, entity.id) from error  # type: ignore[attr-defined]
        try:
            self._check_references(batch)
        except ValidationError as found:
            raise found from error
        raise database_error(error) from error

    # -- the protocol -------------------------------------------------------------------------

    def add(self, entity: E) -> None:
        """Store a new entity (see :class:`~eschool_core.storage.Repository`)."""
        self.add_many((entity,))

    def add_many(self, entities: Iterable[E]) -> None:
        """Store new entities, all or none (see :class:`~eschool_core.storage.Repository`)."""
        conn = self._uow._write_connection()
        given: list[Any] = list(entities)
        seen: set[str] = set()
        for entity in given:  # before ordering, which keeps one entity of each id
            key = entity.id
            if key in seen:
                raise ConflictError.duplicate(self._kind, key)
            seen.add(key)
        batch = referenced_first(self._name, given, self._uow._layout.registry)
        if not batch:
            return
        self._uow._before_insert(self._name)
        collect = self._uow._bulk and gc.isenabled()
        try:
            if collect:
                gc.disable()  # the batch's row tuples form no cycles; see SqlStore.bulk_load
            with conn.begin_nested():
                self._insert(conn, batch)
        except exc.IntegrityError as error:
            self._diagnose_add(batch, error)
        except (exc.SQLAlchemyError, OverflowError) as error:
            raise database_error(error) from error
        finally:
            if collect:
                gc.enable()
        if not self._uow._bulk:
            # What this unit of work added it knows at version 1, as if it had read it.
            for key in seen:
                self._uow._wrote(self._name, key, 1)

    def get(self, entity_id: K) -> E:
        """Return the entity with ``entity_id`` (see :class:`~eschool_core.storage.Repository`)."""
        entity = self.find(entity_id)
        if entity is None:
            raise NotFoundError.for_id(self._kind, entity_id)
        return entity

    def find(self, entity_id: K) -> E | None:
        """Return the entity with ``entity_id`` or ``None``."""
        if "\x00" in entity_id:
            return None  # no entity has a NUL in its id (PostgreSQL could not even compare it)
        found = self._select(self._table.c.id == entity_id)
        return found[0] if found else None

    def _replace_children(self, conn: Connection, rows: list[Row]) -> None:
        del conn, rows

    def _expected(self, key: str, expected_version: int | None) -> int | None:
        """The version a write of ``key`` is based on: the one passed, else the one read."""
        if expected_version is not None:
            return expected_version
        return self._uow._read_versions(self._name).get(key)

    def _stored_version(self, conn: Connection, key: str) -> int | None:
        """The version of ``key`` in the database, or ``None`` if there is no such row."""
        found = conn.execute(
            sa.select(self._table.c[ROW_VERSION]).where(self._table.c.id == key)
        ).scalar()
        return None if found is None else int(found)

    def _refusal(self, conn: Connection, key: str, expected: int | None) -> Exception:
        """Why a write of ``key`` at version ``expected`` matched no row: gone, or changed."""
        found = self._stored_version(conn, key)
        if found is None or expected is None:
            return NotFoundError.for_id(self._kind, key)
        return ConflictError.stale(self._kind, key, expected=expected, found=found)

    def update(self, entity: E, *, expected_version: int | None = None) -> None:
        """Replace the stored entity with the same id; its version grows by one.

        One statement, ``UPDATE ... SET ..., version = version + 1 WHERE id = :id AND
        version = :expected``: on PostgreSQL an update waiting for another transaction's
        lock on the row evaluates its condition again on the row that transaction left, so
        it matches nothing if that transaction changed the row.
        """
        conn = self._uow._write_connection()
        row = self._aggregate.to_row(entity)
        key = row["id"]
        values = {name: value for name, value in row.items() if name in self._table.c}
        version = self._table.c[ROW_VERSION]
        expected = self._expected(key, expected_version)
        statement = self._table.update().where(self._table.c.id == key)
        if expected is not None:
            statement = statement.where(version == expected)
        statement = statement.values({**values, ROW_VERSION: version + 1})
        try:
            with conn.begin_nested():
                if conn.execute(statement).rowcount == 0:
                    raise self._refusal(conn, key, expected)
                if expected is None:  # a blind write: the row is locked by it now
                    written = conn.execute(
                        sa.select(version).where(self._table.c.id == key)
                    ).scalar_one()
                else:
                    written = expected + 1
                self._replace_children(conn, [row])
        except exc.IntegrityError as error:
            try:
                self._check_references([entity])
            except ValidationError as found:
                raise found from error
            raise database_error(error) from error
        except (exc.SQLAlchemyError, OverflowError) as error:
            raise database_error(error) from error
        self._uow._wrote(self._name, key, int(written))

    def remove(self, entity_id: K, *, expected_version: int | None = None) -> None:
        """Delete the entity with ``entity_id``, unless other entities refer to it.

        Like :meth:`update`, the deletion matches the row only at the expected version.
        """
        conn = self._uow._write_connection()
        expected = self._expected(entity_id, expected_version)
        statement = self._table.delete().where(self._table.c.id == entity_id)
        if expected is not None:
            statement = statement.where(self._table.c[ROW_VERSION] == expected)
        try:
            with conn.begin_nested():
                if (
                    self._uow._bulk
                    and expected is not None
                    and self._stored_version(conn, entity_id) != expected
                ):
                    # A bulk load checks references before deleting: the version comes first.
                    raise self._refusal(conn, entity_id, expected)
                self._uow._before_remove(self._name, entity_id)
                result = conn.execute(statement)
                if result.rowcount == 0:
                    raise self._refusal(conn, entity_id, expected)
        except exc.IntegrityError as error:
            raise self._uow._referenced(self._name, entity_id) from error
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error
        self._uow._wrote(self._name, entity_id, None)

    def version_of(self, entity_id: K) -> int:
        """Return the stored version of the entity with ``entity_id`` (1 when added).

        Raises:
            NotFoundError: If there is none.
        """
        try:
            found = self._stored_version(self._uow._connection(), entity_id)
        except exc.SQLAlchemyError as error:
            raise database_error(error) from error
        if found is None:
            raise NotFoundError.for_id(self._kind, entity_id)
        self._uow._read_versions(self._name).setdefault(entity_id, found)
        return found

    def all(self) -> Sequence[E]:
        """Return every stored entity."""
        return self._select()

    def count(self) -> int:
        """Return how many entities are stored."""
        conn = self._uow._connection()
        return int(conn.execute(sa.select(sa.func.count()).select_from(self._table)).scalar_one())

    def _by(self, column: str, value: object) -> list[E]:
        return self._select(self._table.c[column] == value)

    def _containing(self, field: str, value: object) -> list[E]:
        """The entities whose collection ``field`` holds ``value`` (from its child table)."""
        layout = self._uow._layout
        column = layout.collection_columns[self._name, field]
        owner = column.table.c[layout.owners[column.table.name][1]]
        return self._select(self._table.c.id.in_(sa.select(owner).where(column == value)))


def _invalid_row(name: str, row_id: object, error: Exception) -> ValidationError:
    """The error of a stored row that does not make a valid entity (edited behind the library).

    The code is ``store.invalid_row``; ``details`` name the table, the row's id and the code
    of the entity's own error (``mark.out_of_scale``, ``value.naive_datetime``, ...).
    """
    cause = error if isinstance(error, EschoolError) else None
    code = cause.code if cause is not None else type(error).__name__
    ru = cause.message("ru") if cause is not None else str(error)
    en = cause.message("en") if cause is not None else str(error)
    return ValidationError(
        f"Хранилище: строка «{row_id}» таблицы {name} недопустима ({ru}); "
        "проверьте хранилище командой «eschool verify»",
        f"Store: row '{row_id}' of the table {name} is not valid ({en}); "
        "check the store with 'eschool verify'",
        code="store.invalid_row",
        clause=cause.clause if cause is not None else None,
        details={"table": name, "id": str(row_id), "cause": code},
    )


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while rows become entities.

    Rows, values and frozen entities form no reference cycles, but hundreds of thousands of
    new objects trigger full collections that walk every object alive (the year being read
    included) again and again.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _dict_rows(result: sa.CursorResult[Any]) -> list[dict[str, Any]]:
    """The rows of ``result`` as dicts, the column names taken once.

    ``dict(row_mapping)`` asked SQLAlchemy for the keys of every row (~0.4 ms a row).
    """
    names = tuple(result.keys())
    return [dict(zip(names, row, strict=True)) for row in result]


def _sqlite_param(value: object) -> object:
    """A bound value as SQLite stores it: dates as ISO text (as the ``Date`` type binds them)."""
    if isinstance(value, date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _json_list(value: str) -> list[Any]:
    return [] if value == "[]" else list(json.loads(value))


def _read_plan(
    table: sa.Table, names: Sequence[str]
) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """How to convert the SQLite columns ``names`` of ``table`` that need it, as their types do."""
    key = (table.name, tuple(names))
    plan = _READ_PLANS.get(key)
    if plan is None:
        steps: list[tuple[str, Callable[[Any], Any]]] = []
        for name in names:
            kind = table.c[name].type
            if isinstance(kind, Instant):
                steps.append((name, dt.datetime.fromisoformat))
            elif isinstance(kind, JsonList):
                steps.append((name, _json_list))
            elif isinstance(kind, sa.Date):
                steps.append((name, date.fromisoformat))
        plan = _READ_PLANS[key] = tuple(steps)
    return plan


_READ_PLANS: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, Callable[[Any], Any]], ...]] = {}


class _Groups(_SqlRepository[Any, Group]):
    """Groups keep their classes and students in two child tables."""

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
        rows = _dict_rows(conn.execute(sa.select(self._table).where(*where)))
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


class _Orders(_SqlRepository[Any, Order]):
    """Orders keep their items, and the items their debt subjects, in two child tables."""

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
        rows = _dict_rows(conn.execute(sa.select(self._table).where(*where)))
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


class _WithReferenceSets(_SqlRepository[Any, Any]):
    """Aggregates whose JSON columns name other entities (curricula, bell schedules, events).

    The named ids are also written to the aggregate's reference tables, whose foreign keys
    make the database refuse dangling references and removals of what is still named.
    """

    def _insert(self, conn: Connection, entities: Sequence[Any]) -> None:
        _bulk_insert(conn, self._table, self._rows(entities))
        self._insert_references(conn, entities)

    def _insert_references(self, conn: Connection, entities: Sequence[Any]) -> None:
        parent = f"{self._kind}_id"
        for field, table in self._uow._layout.reference_sets[self._name]:
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
        for _field, table in self._uow._layout.reference_sets[self._name]:
            conn.execute(table.delete().where(table.c[f"{self._kind}_id"].in_(keys)))
        self._insert_references(conn, [self._aggregate.from_row(row) for row in rows])


class _Timetables(_SqlRepository[Any, Any]):
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
        rows = _dict_rows(conn.execute(sa.select(self._table).where(*where)))
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


_CHILD_LAYOUTS: Mapping[str, type[_SqlRepository[Any, Any]]] = MappingProxyType(
    {"groups": _Groups, "orders": _Orders, "timetables": _Timetables}
)
"""The base classes of the aggregates of ``_schema.CHILD_TABLE_LAYOUTS``, which read and
write their child tables."""


def _layout_class(spec: AggregateSpec) -> type[_SqlRepository[Any, Any]]:
    """The base class of the repository of ``spec``: how its rows are laid out in tables."""
    special = _CHILD_LAYOUTS.get(spec.name)
    if special is not None:
        return special
    return _WithReferenceSets if spec.collection_references else _SqlRepository


_BUILT: dict[tuple[type[Any], ...], type[_SqlRepository[Any, Any]]] = {}
"""The repository classes built so far, by their bases."""


def repository_class(spec: AggregateSpec) -> type[_SqlRepository[Any, Any]]:
    """The repository class of ``spec``: its layout's base class with its query mixins."""
    bases = (*spec.queries, _layout_class(spec))
    built = _BUILT.get(bases)
    if built is None:
        built = _BUILT[bases] = type("SqlRepository", bases, {}) if spec.queries else bases[0]
    return built
