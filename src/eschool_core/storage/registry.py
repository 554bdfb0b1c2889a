"""The registry of stored aggregates: what each one is, when it loads and what it refers to.

Every adapter of the package — the in-memory store, the SQL store, the exchange bundle —
and the conformance kit (:mod:`eschool_core.testing`) take the list of aggregates from
here: the repositories of a unit of work, the order of the tables and of the bundle's
files, the indexes, and the checks that refuse a dangling reference or the removal of an
entity something still refers to. A host writing its own adapter reuses the same registry
and the same errors, so that every store accepts and refuses exactly alike.

Adding an aggregate touches this registry, its entity, its rows (``storage._rows``), its
repository protocol and its tests.

>>> REGISTRY["marks"].references["lesson_id"]
'lessons'
>>> [(a.name, field) for a, field, _many in referenced_by("lessons")]
[('lessons', 'homework_due_lesson_id'), ('marks', 'lesson_id'), ('attendance', 'lesson_id')]
>>> list(REGISTRY).index("students") < list(REGISTRY).index("marks")
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from eschool_core import ids
from eschool_core.calendar import AcademicYear
from eschool_core.closures import PeriodClosure
from eschool_core.curriculum import Curriculum, ThematicPlan
from eschool_core.errors import ConflictError, ValidationError, error_code
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
from eschool_core.timetable import BellSchedule, Room, SchoolEvent, Timetable

__all__ = [
    "REGISTRY",
    "AggregateSpec",
    "dangling_reference_error",
    "referenced_by",
    "referenced_first",
    "still_referenced_error",
]


def _frozen_mapping(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(value or {}))


@attrs.frozen(kw_only=True)
class AggregateSpec:
    """One stored aggregate.

    Attributes:
        name: The repository's name on a unit of work (``"marks"``), also the name of its
            table and of its bundle file.
        kind: The entity kind in error codes (``"mark"`` in ``mark.dangling_reference``).
        entity: The entity class (:class:`~eschool_core.journal.Mark`).
        id_type: The type of its ids (:data:`~eschool_core.ids.MarkId`; ``str`` where the
            id is a natural key, such as an academic year's label).
        indexed: Fields the stores index besides the references (``date``, ``year``).
        references: Fields naming one entity of another aggregate (or of this one), by the
            name of that aggregate; ``None`` in such a field refers to nothing.
        collection_references: Fields holding several ids of another aggregate.
    """

    name: str
    kind: str
    entity: type[Any]
    id_type: Callable[[str], str]
    indexed: tuple[str, ...] = ()
    references: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_mapping)
    collection_references: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_mapping)

    @property
    def index_fields(self) -> tuple[str, ...]:
        """The fields a store indexes: ``indexed`` and every reference.

        Every reference is indexed so that a removal finds what refers to an entity quickly.
        """
        return tuple(dict.fromkeys((*self.indexed, *self.references)))

    @property
    def by_year(self) -> bool:
        """Whether the aggregate belongs to an academic year (its repository has ``for_year``)."""
        return "year" in attrs.fields_dict(self.entity)


def _spec(
    name: str,
    kind: str,
    entity: type[Any],
    id_type: Callable[[str], str],
    *,
    indexed: tuple[str, ...] = (),
    references: Mapping[str, str] | None = None,
    collection_references: Mapping[str, str] | None = None,
) -> AggregateSpec:
    return AggregateSpec(
        name=name,
        kind=kind,
        entity=entity,
        id_type=id_type,
        indexed=indexed,
        references=references or {},
        collection_references=collection_references or {},
    )


_SPECS = (
    _spec("schools", "school", School, ids.SchoolId),
    _spec("employees", "employee", Employee, ids.EmployeeId),
    _spec("students", "student", Student, ids.StudentId),
    _spec("guardians", "guardian", Guardian, ids.GuardianId),
    _spec("subjects", "subject", Subject, ids.SubjectId),
    _spec(
        "guardian_links",
        "guardian_link",
        GuardianLink,
        ids.GuardianLinkId,
        references={"guardian_id": "guardians", "student_id": "students"},
    ),
    _spec("consents", "consent", Consent, ids.ConsentId, indexed=("subject_id",)),
    _spec(
        "classes",
        "class",
        SchoolClass,
        ids.ClassId,
        indexed=("year",),
        references={"class_teacher_id": "employees"},
    ),
    _spec(
        "memberships",
        "membership",
        ClassMembership,
        ids.MembershipId,
        references={"student_id": "students", "class_id": "classes"},
    ),
    _spec(
        "groups",
        "group",
        Group,
        ids.GroupId,
        indexed=("year",),
        references={"subject_id": "subjects"},
        collection_references={"class_ids": "classes", "student_ids": "students"},
    ),
    _spec(
        "assignments",
        "assignment",
        TeachingAssignment,
        ids.AssignmentId,
        indexed=("year",),
        references={
            "teacher_id": "employees",
            "subject_id": "subjects",
            "class_id": "classes",
            "group_id": "groups",
        },
    ),
    _spec(
        "lessons",
        "lesson",
        Lesson,
        ids.LessonId,
        indexed=("date",),
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
        "mark",
        Mark,
        ids.MarkId,
        indexed=("date",),
        references={
            "student_id": "students",
            "subject_id": "subjects",
            "author_id": "employees",
            "lesson_id": "lessons",
        },
    ),
    _spec(
        "attendance",
        "attendance",
        Attendance,
        ids.AttendanceId,
        indexed=("date",),
        references={"student_id": "students", "lesson_id": "lessons", "entered_by": "employees"},
    ),
    _spec(
        "attestation_marks",
        "attestation_mark",
        AttestationMark,
        ids.AttestationMarkId,
        indexed=("year",),
        references={"student_id": "students", "subject_id": "subjects", "author_id": "employees"},
    ),
    _spec(
        "orders",
        "order",
        Order,
        ids.OrderId,
        indexed=("year",),
        references={"author_id": "employees"},
        collection_references={
            "student_ids": "students",
            "class_ids": "classes",
            "subject_ids": "subjects",
        },
    ),
    _spec("rooms", "room", Room, ids.RoomId),
    _spec(
        "curricula",
        "curriculum",
        Curriculum,
        ids.CurriculumId,
        indexed=("year",),
        references={"responsible_id": "employees"},
        collection_references={
            "class_ids": "classes",
            "subject_ids": "subjects",
            "teacher_ids": "employees",
            "all_group_ids": "groups",
        },
    ),
    _spec(
        "thematic_plans",
        "thematic_plan",
        ThematicPlan,
        ids.ThematicPlanId,
        indexed=("year",),
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
        "bell_schedule",
        BellSchedule,
        ids.BellScheduleId,
        indexed=("year",),
        collection_references={"class_ids": "classes"},
    ),
    _spec(
        "timetables",
        "timetable",
        Timetable,
        ids.TimetableId,
        indexed=("year",),
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
        "event",
        SchoolEvent,
        ids.EventId,
        indexed=("year",),
        references={"entered_by": "employees"},
        collection_references={"class_ids": "classes"},
    ),
    _spec(
        "period_closures",
        "period_closure",
        PeriodClosure,
        str,
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
        "rollover",
        RolloverRecord,
        str,
        indexed=("year",),
        references={"done_by": "employees"},
    ),
    _spec("academic_years", "academic_year", AcademicYear, str),
    _spec(
        "retake_attempts",
        "retake_attempt",
        RetakeAttempt,
        str,
        indexed=("year",),
        references={
            "student_id": "students",
            "subject_id": "subjects",
            "debt_order_id": "orders",
            "entered_by": "employees",
        },
        collection_references={"commission_ids": "employees"},
    ),
    _spec(
        "report_runs",
        "report_run",
        ReportRun,
        str,
        indexed=("year",),
        references={"by": "employees"},
    ),
)

REGISTRY: Mapping[str, AggregateSpec] = MappingProxyType({spec.name: spec for spec in _SPECS})
"""Every stored aggregate by name, in loading order: each refers only to aggregates before
it (or to itself, as a lesson's homework names the lesson it is due for)."""


def referenced_by(name: str) -> Iterator[tuple[AggregateSpec, str, bool]]:
    """Yield each aggregate and field that refers to aggregate ``name``, in registry order.

    The third item tells whether the field holds several ids (a collection reference).

    Raises:
        KeyError: If ``name`` is not a registered aggregate.
    """
    REGISTRY[name]
    for spec in REGISTRY.values():
        for field, target in spec.references.items():
            if target == name:
                yield spec, field, False
        for field, target in spec.collection_references.items():
            if target == name:
                yield spec, field, True


def dangling_reference_error(
    kind: str, entity: object, field: str, value: object
) -> ValidationError:
    """Return the error of an entity whose ``field`` names ``value``, which is not stored.

    The code is ``<kind>.dangling_reference``; ``details`` name the id, the field and the value.
    """
    entity_id = getattr(entity, "id", "?")
    return error_code(f"{kind}.dangling_reference").error(  # type: ignore[return-value]
        id=str(entity_id), field=field, value=str(value)
    )


def still_referenced_error(name: str, entity_id: str, by_kind: str) -> ConflictError:
    """Return the error of removing entity ``entity_id`` of ``name`` that ``by_kind`` refers to.

    The code is ``<kind>.referenced``; ``details`` name the id and the referring kind.
    """
    kind = REGISTRY[name].kind
    return error_code(f"{kind}.referenced").error(  # type: ignore[return-value]
        id=entity_id, referenced_by=by_kind
    )


def referenced_first(name: str, batch: list[Any]) -> list[Any]:
    """Order a batch of aggregate ``name`` so that an entity naming another of it comes after it.

    For the references of an aggregate to itself (a lesson's homework due for another
    lesson); a cycle is left in place, for the store to refuse.
    """
    fields = [f for f, target in REGISTRY[name].references.items() if target == name]
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
