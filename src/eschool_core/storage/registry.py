"""The registry of stored aggregates: what each one is, when it loads and what it refers to.

Every adapter of the package — the in-memory store, the SQL store (its schema and indexes
included), the exchange bundle — and the conformance kit (:mod:`eschool_core.testing`) are
built from here: the repositories of a unit of work (each the adapter's base class with the
entry's :attr:`~AggregateSpec.queries`), the order of the tables and of the bundle's files,
the tables' columns (:attr:`~AggregateSpec.rows`), the indexes, and the checks that refuse a
dangling reference (:func:`check_references`) or the removal of an entity something still
refers to. A host writing its own adapter reuses the same registry, row mapping
(:mod:`eschool_core.storage.rows`), query methods (:mod:`eschool_core.storage.queries`) and
errors, so that every store accepts and refuses exactly alike. The stores take a registry
(``MemoryStore(registry=...)``, ``SqlStore(url, registry=...)``; :data:`REGISTRY` by
default).

Adding an aggregate touches this registry (its entry), its entity, its rows
(``storage.rows``), its repository protocol and its tests; docs/storage.md walks through it.

>>> REGISTRY["marks"].references["lesson_id"]
'lessons'
>>> [(a.name, field) for a, field, _many in referenced_by("lessons")]
[('lessons', 'homework_due_lesson_id'), ('marks', 'lesson_id'), ('attendance', 'lesson_id')]
>>> list(REGISTRY).index("students") < list(REGISTRY).index("marks")
True
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from eschool_core import ids
from eschool_core.calendar import AcademicYear
from eschool_core.closures import PeriodClosure
from eschool_core.curriculum import Curriculum, ThematicPlan
from eschool_core.errors import (
    ConflictError,
    ErrorCode,
    EschoolError,
    NotFoundError,
    ValidationError,
    error_code,
)
from eschool_core.journal import Attendance, AttestationMark, Lesson, Mark
from eschool_core.movement import Order, RetakeAttempt
from eschool_core.people import Consent, Employee, Guardian, GuardianLink, Student
from eschool_core.report_runs import ReportRun
from eschool_core.rollovers import RolloverRecord
from eschool_core.school import (
    ClassMembership,
    Group,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from eschool_core.storage import _protocols as ports
from eschool_core.storage import queries as q
from eschool_core.storage.rows import AGGREGATES as ROWS
from eschool_core.storage.rows import Aggregate
from eschool_core.timetable import BellSchedule, Room, SchoolEvent, Timetable

__all__ = [
    "REGISTRY",
    "AggregateSpec",
    "Registry",
    "check_references",
    "dangling_reference_error",
    "dangling_references",
    "referenced_by",
    "referenced_first",
    "still_referenced_error",
]


def _frozen_mapping(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(value or {}))


def _frozen_indexes(value: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(columns) for columns in value)


def _rows_match(spec: AggregateSpec, _attribute: object, rows: Aggregate) -> None:
    if (rows.name, rows.kind) != (spec.name, spec.kind):
        raise ValueError(
            f"rows of {rows.name!r} ({rows.kind!r}) given for {spec.name!r} ({spec.kind!r})"
        )


@attrs.frozen(kw_only=True)
class AggregateSpec:
    """One stored aggregate: everything an adapter needs to store it.

    Attributes:
        name: The repository's name on a unit of work (``"marks"``), also the name of its
            table and of its bundle file.
        kind: The entity kind in error codes (``"mark"`` in ``mark.dangling_reference``).
        entity: The entity class (:class:`~eschool_core.journal.Mark`).
        id_type: The type of its ids (:data:`~eschool_core.ids.MarkId`; ``str`` where the
            id is a natural key, such as an academic year's label).
        repository: Its repository protocol (:class:`~eschool_core.storage.MarkRepository`),
            which names the query methods.
        queries: The mixins of :mod:`eschool_core.storage.queries` that implement those
            query methods; an adapter's repository class is its base class with them.
        rows: Its row mapping (:class:`~eschool_core.storage.rows.Aggregate`): the columns
            of its table and bundle file, and the functions between entity and row.
        indexed: Fields the stores index besides the references (``date``, ``year``).
        indexes: The indexes of its SQL table, each a tuple of columns, in order; the SQL
            store names each ``ix_<name>_<columns joined by _>``.
        references: Fields naming one entity of another aggregate (or of this one), by the
            name of that aggregate; ``None`` in such a field refers to nothing.
        collection_references: Fields holding several ids of another aggregate.
        reference_tables: For a collection reference kept in a list column, the name of
            the SQL table of (entity id, referenced id) pairs that lets the database check
            it; a collection reference not named here gets ``<name>_<field>``.

    Raises:
        ValueError: If ``rows`` are those of another aggregate (name or kind differ).
    """

    name: str
    kind: str
    entity: type[Any]
    id_type: Callable[[str], str]
    repository: type[Any]
    queries: tuple[type[Any], ...] = ()
    rows: Aggregate = attrs.field(validator=_rows_match)
    indexed: tuple[str, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = attrs.field(default=(), converter=_frozen_indexes)
    references: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_mapping)
    collection_references: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_mapping)
    reference_tables: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_mapping)

    @property
    def index_fields(self) -> tuple[str, ...]:
        """The fields a store indexes: ``indexed`` and every reference.

        Every reference is indexed so that a removal finds what refers to an entity quickly.
        """
        return tuple(dict.fromkeys((*self.indexed, *self.references)))

    @property
    def index_names(self) -> tuple[str, ...]:
        """The names of the SQL indexes (:attr:`indexes`), in order."""
        return tuple(f"ix_{self.name}_{'_'.join(columns)}" for columns in self.indexes)

    @property
    def by_year(self) -> bool:
        """Whether the aggregate belongs to an academic year (its repository has ``for_year``)."""
        return "year" in attrs.fields_dict(self.entity)

    def reference_table(self, field: str) -> str:
        """The SQL table of the collection reference ``field`` (see :attr:`reference_tables`)."""
        return self.reference_tables.get(field, f"{self.name}_{field}")


Registry = Mapping[str, AggregateSpec]
"""A registry: every stored aggregate by name, in loading order (each refers only to
aggregates before it, or to itself). :data:`REGISTRY` is the library's; a host may pass a
copy with aggregates of its own to the stores."""


def _spec(
    name: str,
    entity: type[Any],
    id_type: Callable[[str], str],
    repository: type[Any],
    *queries: type[Any],
    indexed: tuple[str, ...] = (),
    indexes: tuple[tuple[str, ...], ...] = (),
    references: Mapping[str, str] | None = None,
    collection_references: Mapping[str, str] | None = None,
    reference_tables: Mapping[str, str] | None = None,
) -> AggregateSpec:
    rows = ROWS[name]
    return AggregateSpec(
        name=name,
        kind=rows.kind,
        entity=entity,
        id_type=id_type,
        repository=repository,
        queries=queries,
        rows=rows,
        indexed=indexed,
        indexes=indexes,
        references=references or {},
        collection_references=collection_references or {},
        reference_tables=reference_tables or {},
    )


_SPECS = (
    _spec("schools", School, ids.SchoolId, ports.SchoolRepository),
    _spec("employees", Employee, ids.EmployeeId, ports.EmployeeRepository),
    _spec("students", Student, ids.StudentId, ports.StudentRepository),
    _spec("guardians", Guardian, ids.GuardianId, ports.GuardianRepository),
    _spec("subjects", Subject, ids.SubjectId, ports.SubjectRepository),
    _spec(
        "guardian_links",
        GuardianLink,
        ids.GuardianLinkId,
        ports.GuardianLinkRepository,
        q.GuardianLinkQueries,
        indexes=(("student_id",), ("guardian_id",)),
        references={"guardian_id": "guardians", "student_id": "students"},
    ),
    _spec(
        "consents",
        Consent,
        ids.ConsentId,
        ports.ConsentRepository,
        q.ConsentQueries,
        indexed=("subject_id",),
        indexes=(("subject_id",),),
    ),
    _spec(
        "classes",
        SchoolClass,
        ids.ClassId,
        ports.ClassRepository,
        q.YearQueries,
        indexed=("year",),
        indexes=(("year",), ("class_teacher_id",)),
        references={"class_teacher_id": "employees"},
    ),
    _spec(
        "memberships",
        ClassMembership,
        ids.MembershipId,
        ports.MembershipRepository,
        q.MembershipQueries,
        indexes=(("class_id",), ("student_id",)),
        references={"student_id": "students", "class_id": "classes"},
    ),
    _spec(
        "groups",
        Group,
        ids.GroupId,
        ports.GroupRepository,
        q.YearQueries,
        indexed=("year",),
        indexes=(("year",), ("subject_id",)),
        references={"subject_id": "subjects"},
        collection_references={"class_ids": "classes", "student_ids": "students"},
    ),
    _spec(
        "assignments",
        TeachingAssignment,
        ids.AssignmentId,
        ports.AssignmentRepository,
        q.YearQueries,
        q.AssignmentQueries,
        indexed=("year",),
        indexes=(("teacher_id",), ("class_id",), ("group_id",), ("subject_id",), ("year",)),
        references={
            "teacher_id": "employees",
            "subject_id": "subjects",
            "class_id": "classes",
            "group_id": "groups",
        },
    ),
    _spec(
        "lessons",
        Lesson,
        ids.LessonId,
        ports.LessonRepository,
        q.LessonQueries,
        q.DateRangeQueries,
        indexed=("date",),
        indexes=(
            ("class_id", "date"),
            ("group_id", "date"),
            ("date",),
            ("teacher_id", "date"),
            ("subject_id",),
            ("substitute_id",),
        ),
        references={
            "subject_id": "subjects",
            "teacher_id": "employees",
            "substitute_id": "employees",
            "class_id": "classes",
            "group_id": "groups",
            "homework_due_lesson_id": "lessons",
        },
    ),
    _spec(
        "marks",
        Mark,
        ids.MarkId,
        ports.MarkRepository,
        q.MarkQueries,
        q.DateRangeQueries,
        q.StudentRangeQueries,
        indexed=("date",),
        indexes=(("student_id", "subject_id", "date"), ("lesson_id",), ("date",)),
        references={
            "student_id": "students",
            "subject_id": "subjects",
            "author_id": "employees",
            "lesson_id": "lessons",
        },
    ),
    _spec(
        "attendance",
        Attendance,
        ids.AttendanceId,
        ports.AttendanceRepository,
        q.AttendanceQueries,
        q.DateRangeQueries,
        q.StudentRangeQueries,
        indexed=("date",),
        indexes=(("student_id", "date"), ("lesson_id",), ("date",)),
        references={"student_id": "students", "lesson_id": "lessons", "entered_by": "employees"},
    ),
    _spec(
        "attestation_marks",
        AttestationMark,
        ids.AttestationMarkId,
        ports.AttestationMarkRepository,
        q.YearQueries,
        q.AttestationMarkQueries,
        indexed=("year",),
        indexes=(("student_id", "subject_id"), ("year",)),
        references={"student_id": "students", "subject_id": "subjects", "author_id": "employees"},
    ),
    _spec(
        "orders",
        Order,
        ids.OrderId,
        ports.OrderRepository,
        q.YearQueries,
        q.OrderQueries,
        indexed=("year",),
        indexes=(("year",), ("author_id",)),
        references={"author_id": "employees"},
        collection_references={
            "student_ids": "students",
            "class_ids": "classes",
            "subject_ids": "subjects",
        },
    ),
    _spec("rooms", Room, ids.RoomId, ports.RoomRepository),
    _spec(
        "curricula",
        Curriculum,
        ids.CurriculumId,
        ports.CurriculumRepository,
        q.YearQueries,
        indexed=("year",),
        indexes=(("year",), ("responsible_id",)),
        references={"responsible_id": "employees"},
        collection_references={
            "class_ids": "classes",
            "subject_ids": "subjects",
            "teacher_ids": "employees",
            "all_group_ids": "groups",
        },
        reference_tables={
            "class_ids": "curriculum_classes",
            "subject_ids": "curriculum_subjects",
            "teacher_ids": "curriculum_teachers",
            "all_group_ids": "curriculum_groups",
        },
    ),
    _spec(
        "thematic_plans",
        ThematicPlan,
        ids.ThematicPlanId,
        ports.ThematicPlanRepository,
        q.ThematicPlanQueries,
        indexed=("year",),
        indexes=(
            ("year",),
            ("teacher_id",),
            ("subject_id",),
            ("class_id",),
            ("group_id",),
            ("entered_by",),
        ),
        references={
            "teacher_id": "employees",
            "subject_id": "subjects",
            "class_id": "classes",
            "group_id": "groups",
            "entered_by": "employees",
        },
    ),
    _spec(
        "bell_schedules",
        BellSchedule,
        ids.BellScheduleId,
        ports.BellScheduleRepository,
        q.YearQueries,
        indexed=("year",),
        indexes=(("year",),),
        collection_references={"class_ids": "classes"},
        reference_tables={"class_ids": "bell_schedule_classes"},
    ),
    _spec(
        "timetables",
        Timetable,
        ids.TimetableId,
        ports.TimetableRepository,
        q.YearQueries,
        indexed=("year",),
        indexes=(("year",),),
        collection_references={
            "class_ids": "classes",
            "group_ids": "groups",
            "subject_ids": "subjects",
            "teacher_ids": "employees",
            "room_ids": "rooms",
        },
    ),
    _spec(
        "events",
        SchoolEvent,
        ids.EventId,
        ports.EventRepository,
        q.YearQueries,
        indexed=("year",),
        indexes=(("year",), ("entered_by",)),
        references={"entered_by": "employees"},
        collection_references={"class_ids": "classes"},
        reference_tables={"class_ids": "event_classes"},
    ),
    _spec(
        "period_closures",
        PeriodClosure,
        str,
        ports.PeriodClosureRepository,
        q.YearQueries,
        indexed=("year",),
        references={
            "closed_by": "employees",
            "reopened_by": "employees",
            "reopened_class_id": "classes",
            "reopened_subject_id": "subjects",
            "reopened_teacher_id": "employees",
        },
    ),
    _spec(
        "rollovers",
        RolloverRecord,
        str,
        ports.RolloverRepository,
        q.YearQueries,
        indexed=("year",),
        references={"done_by": "employees"},
    ),
    _spec("academic_years", AcademicYear, str, ports.AcademicYearRepository),
    _spec(
        "retake_attempts",
        RetakeAttempt,
        str,
        ports.RetakeAttemptRepository,
        q.YearQueries,
        indexed=("year",),
        indexes=(("year",), ("student_id", "subject_id"), ("debt_order_id",)),
        references={
            "student_id": "students",
            "subject_id": "subjects",
            "debt_order_id": "orders",
            "entered_by": "employees",
        },
        collection_references={"commission_ids": "employees"},
        reference_tables={"commission_ids": "retake_commission_members"},
    ),
    _spec(
        "report_runs",
        ReportRun,
        str,
        ports.ReportRunRepository,
        q.YearQueries,
        indexed=("year",),
        indexes=(("year",), ("by",)),
        references={"by": "employees"},
    ),
)

REGISTRY: Registry = MappingProxyType({spec.name: spec for spec in _SPECS})
"""Every stored aggregate by name, in loading order: each refers only to aggregates before
it (or to itself, as a lesson's homework names the lesson it is due for)."""


def referenced_by(
    name: str, registry: Registry = REGISTRY
) -> Iterator[tuple[AggregateSpec, str, bool]]:
    """Yield each aggregate and field that refers to aggregate ``name``, in registry order.

    The third item tells whether the field holds several ids (a collection reference).

    Raises:
        KeyError: If ``name`` is not an aggregate of ``registry``.
    """
    registry[name]
    for spec in registry.values():
        for field, target in spec.references.items():
            if target == name:
                yield spec, field, False
        for field, target in spec.collection_references.items():
            if target == name:
                yield spec, field, True


def _kind_code(kind: str, shape: str) -> ErrorCode[EschoolError]:
    """The library's definition of ``<kind>.<shape>``, or one made for a host's own aggregate."""
    try:
        return error_code(f"{kind}.{shape}")
    except NotFoundError:
        made: ErrorCode[EschoolError] = getattr(ErrorCode, shape)(kind, registered=False)
        return made


def dangling_reference_error(
    kind: str, entity: object, field: str, value: object
) -> ValidationError:
    """Return the error of an entity whose ``field`` names ``value``, which is not stored.

    The code is ``<kind>.dangling_reference``; ``details`` name the id, the field and the value.
    """
    entity_id = getattr(entity, "id", "?")
    return _kind_code(kind, "dangling_reference").error(  # type: ignore[return-value]
        id=str(entity_id), field=field, value=str(value)
    )


def dangling_references(
    spec: AggregateSpec,
    entities: Iterable[Any],
    present: Callable[[str, set[str]], Collection[str]],
) -> Iterator[tuple[Any, str, str]]:
    """Yield each reference of ``entities`` to an entity that does not exist.

    The one reference check of every adapter (memory, SQL, the exchange bundle).

    Args:
        spec: The aggregate of ``entities``.
        entities: Entities of that aggregate (a batch being written).
        present: Given the name of an aggregate and ids of it, returns those of the ids
            that exist (asked once per referenced aggregate). An entity of the batch itself
            counts as existing for a reference to its own aggregate.

    Yields:
        ``(entity, field, value)`` for every dangling reference, entity by entity in the
        batch's order, the single references (in the registry's order of fields) before
        the collections (each in the collection's order).
    """
    batch = list(entities)
    wanted: dict[str, set[str]] = {}
    for field, target in spec.references.items():
        wanted.setdefault(target, set()).update(
            value for entity in batch if (value := getattr(entity, field)) is not None
        )
    for field, target in spec.collection_references.items():
        wanted.setdefault(target, set()).update(
            value for entity in batch for value in getattr(entity, field)
        )
    found = {target: set(present(target, values)) for target, values in wanted.items()}
    if spec.name in found:  # a reference to an entity of the same batch
        found[spec.name].update(entity.id for entity in batch)
    for entity in batch:
        for field, target in spec.references.items():
            value = getattr(entity, field)
            if value is not None and value not in found[target]:
                yield entity, field, value
        for field, target in spec.collection_references.items():
            for value in getattr(entity, field):
                if value not in found[target]:
                    yield entity, field, value


def check_references(
    spec: AggregateSpec,
    entities: Iterable[Any],
    present: Callable[[str, set[str]], Collection[str]],
) -> None:
    """Refuse ``entities`` if one refers to an entity that does not exist.

    Args:
        spec: The aggregate of ``entities``.
        entities: Entities of that aggregate.
        present: As for :func:`dangling_references`.

    Raises:
        ValidationError: ``<kind>.dangling_reference`` (:func:`dangling_reference_error`)
            for the first dangling reference :func:`dangling_references` yields.
    """
    for entity, field, value in dangling_references(spec, entities, present):
        raise dangling_reference_error(spec.kind, entity, field, value)


def still_referenced_error(
    name: str, entity_id: str, by_kind: str, registry: Registry = REGISTRY
) -> ConflictError:
    """Return the error of removing entity ``entity_id`` of ``name`` that ``by_kind`` refers to.

    The code is ``<kind>.referenced``; ``details`` name the id and the referring kind.

    Raises:
        KeyError: If ``name`` is not an aggregate of ``registry``.
    """
    kind = registry[name].kind
    return _kind_code(kind, "referenced").error(  # type: ignore[return-value]
        id=entity_id, referenced_by=by_kind
    )


def referenced_first(name: str, batch: list[Any], registry: Registry = REGISTRY) -> list[Any]:
    """Order a batch of aggregate ``name`` so that an entity naming another of it comes after it.

    For the references of an aggregate to itself (a lesson's homework due for another
    lesson); a cycle is left in place, for the store to refuse.

    Raises:
        KeyError: If ``name`` is not an aggregate of ``registry``.
    """
    fields = [f for f, target in registry[name].references.items() if target == name]
    if not fields:
        return batch
    by_id = {entity.id: entity for entity in batch}
    ordered: list[Any] = []
    placed: set[str] = set()

    def visit(entity: Any, path: frozenset[str]) -> None:  # noqa: ANN401 - any entity
        if entity.id in placed or entity.id in path:
            return
        for field in fields:
            other = by_id.get(getattr(entity, field))
            if other is not None:
                visit(other, path | {entity.id})
        placed.add(entity.id)
        ordered.append(entity)

    for entity in batch:
        visit(entity, frozenset())
    return ordered
