"""The in-memory store: for tests, notebooks and as the reference every other store must match.

Writes apply at once and are journaled; leaving a unit of work without ``commit()`` replays
the journal backwards, so the store returns exactly to its state before, down to the order
in which ``all()`` and the queries list the entities. One unit of work runs at a time
(others wait), which makes every unit of work serializable. Each row's version is kept
beside it (see :class:`~eschool_core.storage.Repository`).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, cast

from eschool_core.audit import AuditEntry, Checkpoint
from eschool_core.errors import ConflictError, NotFoundError, StorageError
from eschool_core.ids import StudentId
from eschool_core.storage._memory_audit import _MemoryAudit
from eschool_core.storage._protocols import UnitOfWork
from eschool_core.storage.registry import (
    REGISTRY,
    AggregateSpec,
    Registry,
    check_references,
    referenced_by,
    still_referenced_error,
)

__all__ = ["MemoryStore", "MemoryUnitOfWork"]

K = TypeVar("K", bound=str)
E = TypeVar("E")


class _Table:
    """Rows of one aggregate with their versions and secondary indexes.

    Every row has a sequence number, given when it is added and kept by updates; the rows
    and each index bucket are kept in that order, so an update leaves a row in its place and
    a rollback can put a removed row back exactly where it was (see :meth:`settle`).
    """

    def __init__(self, spec: AggregateSpec) -> None:
        self.spec = spec
        self.rows: dict[str, Any] = {}
        self.versions: dict[str, int] = {}
        self.sequence: dict[str, int] = {}
        self.indexes: dict[str, dict[object, dict[str, None]]] = {
            name: {} for name in spec.index_fields
        }
        self._next = 0
        self._unsettled = False

    def insert(
        self,
        entity: Any,  # noqa: ANN401 - rows of any aggregate
        version: int = 1,
        sequence: int | None = None,
    ) -> None:
        """Add ``entity`` at ``version``; a ``sequence`` given puts a removed row back."""
        key = entity.id
        if sequence is None:
            sequence = self._next
            self._next += 1
        else:
            self._unsettled = True  # a row put back: its place is restored by settle()
        self.rows[key] = entity
        self.versions[key] = version
        self.sequence[key] = sequence
        for name in self.indexes:
            self._index(name, key, getattr(entity, name))

    def delete(self, key: str) -> tuple[Any, int, int]:
        """Remove the row ``key``; return it with its version and sequence number."""
        entity = self.rows.pop(key)
        version = self.versions.pop(key)
        sequence = self.sequence.pop(key)
        for name in self.indexes:
            self._unindex(name, key, getattr(entity, name))
        return entity, version, sequence

    def replace(self, entity: Any, version: int) -> None:  # noqa: ANN401
        """Put ``entity`` in place of the row with its id, at ``version``."""
        key = entity.id
        old = self.rows[key]
        self.rows[key] = entity
        self.versions[key] = version
        for name in self.indexes:
            before, after = getattr(old, name), getattr(entity, name)
            if before != after:
                self._unindex(name, key, before)
                self._index(name, key, after)

    def _index(self, name: str, key: str, value: object) -> None:
        if value is None:
            return
        bucket = self.indexes[name].setdefault(value, {})
        last = next(reversed(bucket), None)
        bucket[key] = None
        if last is not None and self.sequence[last] > self.sequence[key]:
            # Not the newest row of the bucket: keep the bucket in the rows' order.
            ordered = sorted(bucket, key=self.sequence.__getitem__)
            bucket.clear()
            bucket.update(dict.fromkeys(ordered))

    def _unindex(self, name: str, key: str, value: object) -> None:
        if value is None:
            return
        index = self.indexes[name]
        bucket = index[value]
        del bucket[key]
        if not bucket:
            del index[value]

    def settle(self) -> None:
        """Put the rows back in their order after rows were restored by a rollback."""
        if self._unsettled:
            self._unsettled = False
            ordered = sorted(self.rows, key=self.sequence.__getitem__)
            self.rows = {key: self.rows[key] for key in ordered}

    def lookup(self, name: str, value: object) -> list[Any]:
        return [self.rows[key] for key in self.indexes[name].get(value, ())]


class _MemoryRepository(Generic[K, E]):
    """A repository over one table of a :class:`MemoryStore`, used through a unit of work."""

    def __init__(self, name: str, uow: MemoryUnitOfWork) -> None:
        self._name = name
        self._uow = uow

    @property
    def _table(self) -> _Table:
        return self._uow._table(self._name)

    def _present(self, target: str, values: set[str]) -> set[str]:
        rows = self._uow._table(target).rows
        return {value for value in values if value in rows}

    def add(self, entity: E) -> None:
        """Store a new entity (see :class:`~eschool_core.storage.Repository`)."""
        self.add_many((entity,))

    def add_many(self, entities: Iterable[E]) -> None:
        """Store new entities, all or none (see :class:`~eschool_core.storage.Repository`)."""
        table = self._table
        batch = list(entities)
        seen: set[str] = set()
        for entity in batch:
            key = cast("Any", entity).id
            if key in table.rows or key in seen:
                raise ConflictError.duplicate(table.spec.kind, key)
            seen.add(key)
        check_references(table.spec, batch, self._present)
        for entity in batch:
            table.insert(entity)
        self._uow._journal(lambda: [table.delete(key) for key in seen])

    def get(self, entity_id: K) -> E:
        """Return the entity with ``entity_id`` (see :class:`~eschool_core.storage.Repository`)."""
        entity = self.find(entity_id)
        if entity is None:
            raise NotFoundError.for_id(self._table.spec.kind, entity_id)
        return entity

    def find(self, entity_id: K) -> E | None:
        """Return the entity with ``entity_id`` or ``None``."""
        return cast("E | None", self._table.rows.get(entity_id))

    def update(self, entity: E, *, expected_version: int | None = None) -> None:
        """Replace the stored entity with the same id; its version grows by one."""
        table = self._table
        key = cast("Any", entity).id
        old = self.get(key)
        version = table.versions[key]
        self._check_version(key, version, expected_version)
        check_references(table.spec, (entity,), self._present)
        table.replace(entity, version + 1)
        self._uow._journal(lambda: table.replace(old, version))

    def remove(self, entity_id: K, *, expected_version: int | None = None) -> None:
        """Delete the entity with ``entity_id``, unless other entities refer to it."""
        table = self._table
        self.get(entity_id)
        self._check_version(entity_id, table.versions[entity_id], expected_version)
        self._uow._check_not_referenced(self._name, entity_id)
        old, version, sequence = table.delete(entity_id)
        self._uow._journal(lambda: table.insert(old, version, sequence))

    def version_of(self, entity_id: K) -> int:
        """Return the stored version of the entity with ``entity_id`` (1 when added).

        Raises:
            NotFoundError: If there is none.
        """
        version = self._table.versions.get(entity_id)
        if version is None:
            raise NotFoundError.for_id(self._table.spec.kind, entity_id)
        return version

    def _check_version(self, key: str, stored: int, expected: int | None) -> None:
        # Units of work on this store run one at a time, so what one read is current until
        # it writes: only a version brought from elsewhere can be stale.
        if expected is not None and expected != stored:
            raise ConflictError.stale(self._table.spec.kind, key, expected=expected, found=stored)

    def all(self) -> Sequence[E]:
        """Return every stored entity."""
        return list(self._table.rows.values())

    def count(self) -> int:
        """Return how many entities are stored."""
        return len(self._table.rows)

    def _by(self, index: str, value: object) -> list[E]:
        return cast("list[E]", self._table.lookup(index, value))

    def _between(self, start: date, end: date) -> list[E]:
        """The entities dated ``start`` to ``end``, by date (a table indexed on ``date``)."""
        table = self._table
        index = table.indexes["date"]
        days = sorted(day for day in cast("dict[date, object]", index) if start <= day <= end)
        return [table.rows[key] for day in days for key in index[day]]

    def _students_between(self, students: Iterable[StudentId], start: date, end: date) -> list[E]:
        """The students' entities dated ``start`` to ``end``, by date."""
        found = [
            row
            for student_id in dict.fromkeys(students)
            for row in self._by("student_id", student_id)
            if start <= row.date <= end  # type: ignore[attr-defined]
        ]
        return sorted(found, key=lambda row: row.date)  # type: ignore[attr-defined]

    def _containing(self, field: str, value: object) -> list[E]:
        """The entities whose collection ``field`` holds ``value``."""
        return [row for row in self._table.rows.values() if value in getattr(row, field)]


@functools.cache
def _repository_class(queries: tuple[type[Any], ...]) -> type[_MemoryRepository[Any, Any]]:
    """The repository class of an aggregate with the query mixins ``queries``."""
    if not queries:
        return _MemoryRepository
    return type("MemoryRepository", (*queries, _MemoryRepository), {})


class MemoryUnitOfWork(UnitOfWork):
    """A unit of work over a :class:`MemoryStore` (see :class:`~eschool_core.storage.UnitOfWork`).

    Its repositories (``students``, ``marks``, ``orders``, ...) are those the
    :class:`~eschool_core.storage.UnitOfWork` protocol declares, with the same documentation:
    one per aggregate of the store's registry, each built from the registry entry's query
    mixins (an aggregate a host adds to its copy of the registry is an attribute too).
    """

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._undo: list[Callable[[], object]] = []
        self._active = False
        self.audit = _MemoryAudit(self)
        # The repositories UnitOfWork declares (its one list of annotations), one per
        # aggregate of the registry: set here, so mypy sees them as abstract at creation.
        for name, spec in store.registry.items():
            setattr(self, name, _repository_class(spec.queries)(name, self))

    def __enter__(self) -> Self:
        if self._active:
            raise StorageError(
                "Единица работы уже открыта",
                "This unit of work is already entered",
                code="storage.uow_reentered",
            )
        self._store._acquire()
        self._active = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self._active = False
            self._store._release()

    def commit(self) -> None:
        """Make the changes so far permanent."""
        self._require_active()
        self._undo.clear()

    def rollback(self) -> None:
        """Undo the changes since the last commit, newest first.

        The store is then exactly as it was, down to the order of ``all()`` and the queries.
        """
        if not self._undo:
            return
        while self._undo:
            self._undo.pop()()
        for table in self._store._tables.values():
            table.settle()

    def _require_active(self) -> None:
        if not self._active:
            raise StorageError(
                "Хранилище используется вне единицы работы (with store.unit_of_work() as uow)",
                "The store is used outside a unit of work (with store.unit_of_work() as uow)",
                code="storage.uow_inactive",
            )

    def _table(self, name: str) -> _Table:
        self._require_active()
        return self._store._tables[name]

    def _journal(self, undo: Callable[[], object]) -> None:
        self._undo.append(undo)

    def _check_not_referenced(self, name: str, entity_id: str) -> None:
        registry = self._store.registry
        for spec, field, many in referenced_by(name, registry):
            other = self._store._tables[spec.name]
            if many:
                found = any(entity_id in getattr(row, field) for row in other.rows.values())
            else:
                found = bool(other.indexes[field].get(entity_id))
            if found:
                raise still_referenced_error(name, entity_id, spec.kind, registry)


class MemoryStore:
    """A store that keeps everything in this process's memory.

    >>> from eschool_core.people import Person, Student
    >>> store = MemoryStore()
    >>> with store.unit_of_work() as uow:
    ...     uow.students.add(Student(id="s1", person=Person(last_name="Орлов", first_name="Иван")))
    ...     uow.commit()
    >>> with store.unit_of_work() as uow:
    ...     uow.students.count()
    1

    Args:
        registry: The aggregates it stores (:data:`~eschool_core.storage.registry.REGISTRY`
            unless a host passes a copy with aggregates of its own).
    """

    def __init__(self, *, registry: Registry = REGISTRY) -> None:
        self.registry: Registry = registry
        """The aggregates this store keeps, one repository of each per unit of work."""
        self._tables = {name: _Table(spec) for name, spec in registry.items()}
        self._audit_entries: list[AuditEntry] = []
        self._audit_checkpoints: dict[int, Checkpoint] = {}
        self._lock = threading.Lock()
        self._owner: int | None = None

    def unit_of_work(self) -> MemoryUnitOfWork:
        """Return a new unit of work; enter it with ``with``."""
        return MemoryUnitOfWork(self)  # type: ignore[abstract]  # repositories: see __init__

    def close(self) -> None:
        """Nothing to release: the data lives as long as the object."""

    def _acquire(self) -> None:
        if self._owner == threading.get_ident():
            raise StorageError(
                "Вложенная единица работы в том же потоке не поддерживается",
                "A unit of work cannot be nested in another on the same thread",
                code="storage.uow_nested",
            )
        self._lock.acquire()
        self._owner = threading.get_ident()

    def _release(self) -> None:
        self._owner = None
        self._lock.release()
