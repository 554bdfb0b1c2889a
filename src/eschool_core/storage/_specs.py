"""What each stored aggregate indexes and refers to, and the errors of a broken reference.

Shared by every adapter of the package (the in-memory store, the SQL store, the bundle), so
that each refuses a dangling reference or the removal of what is still referred to with the
same typed error; no adapter imports another's private names.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from eschool_core.errors import ConflictError, ValidationError

__all__: list[str] = []


class _TableSpec:
    """What a table indexes and which other tables its fields refer to."""

    def __init__(
        self,
        kind: str,
        *,
        indexed: tuple[str, ...] = (),
        references: Mapping[str, str] | None = None,
        collection_references: Mapping[str, str] | None = None,
    ) -> None:
        self.kind = kind
        self.references: Mapping[str, str] = MappingProxyType(dict(references or {}))
        self.collection_references: Mapping[str, str] = MappingProxyType(
            dict(collection_references or {})
        )
        # Every reference is indexed, so that a removal finds its dependants quickly.
        self.indexed = tuple(dict.fromkeys((*indexed, *self.references)))


_SPECS: Mapping[str, _TableSpec] = MappingProxyType(
    {
        "schools": _TableSpec("school"),
        "students": _TableSpec("student"),
        "guardians": _TableSpec("guardian"),
        "employees": _TableSpec("employee"),
        "subjects": _TableSpec("subject"),
        "guardian_links": _TableSpec(
            "guardian_link", references={"guardian_id": "guardians", "student_id": "students"}
        ),
        "consents": _TableSpec("consent", indexed=("subject_id",)),
        "classes": _TableSpec(
            "class", indexed=("year",), references={"class_teacher_id": "employees"}
        ),
        "memberships": _TableSpec(
            "membership", references={"student_id": "students", "class_id": "classes"}
        ),
        "groups": _TableSpec(
            "group",
            indexed=("year",),
            references={"subject_id": "subjects"},
            collection_references={"class_ids": "classes", "student_ids": "students"},
        ),
        "assignments": _TableSpec(
            "assignment",
            indexed=("year",),
            references={
                "teacher_id": "employees",
                "subject_id": "subjects",
                "class_id": "classes",
                "group_id": "groups",
            },
        ),
        "lessons": _TableSpec(
            "lesson",
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
        "marks": _TableSpec(
            "mark",
            indexed=("date",),
            references={
                "student_id": "students",
                "subject_id": "subjects",
                "author_id": "employees",
                "lesson_id": "lessons",
            },
        ),
        "attendance": _TableSpec(
            "attendance",
            indexed=("date",),
            references={
                "student_id": "students",
                "lesson_id": "lessons",
                "entered_by": "employees",
            },
        ),
        "attestation_marks": _TableSpec(
            "attestation_mark",
            indexed=("year",),
            references={
                "student_id": "students",
                "subject_id": "subjects",
                "author_id": "employees",
            },
        ),
        "orders": _TableSpec(
            "order",
            indexed=("year",),
            references={"author_id": "employees"},
            collection_references={
                "student_ids": "students",
                "class_ids": "classes",
                "subject_ids": "subjects",
            },
        ),
        "curricula": _TableSpec(
            "curriculum",
            indexed=("year",),
            references={"responsible_id": "employees"},
            collection_references={
                "class_ids": "classes",
                "subject_ids": "subjects",
                "teacher_ids": "employees",
                "all_group_ids": "groups",
            },
        ),
        "thematic_plans": _TableSpec(
            "thematic_plan",
            indexed=("year",),
            references={
                "teacher_id": "employees",
                "subject_id": "subjects",
                "class_id": "classes",
                "group_id": "groups",
                "entered_by": "employees",
            },
        ),
        "rooms": _TableSpec("room"),
        "bell_schedules": _TableSpec(
            "bell_schedule", indexed=("year",), collection_references={"class_ids": "classes"}
        ),
        "timetables": _TableSpec(
            "timetable",
            indexed=("year",),
            collection_references={
                "class_ids": "classes",
                "group_ids": "groups",
                "subject_ids": "subjects",
                "teacher_ids": "employees",
                "room_ids": "rooms",
            },
        ),
        "events": _TableSpec(
            "event",
            indexed=("year",),
            references={"entered_by": "employees"},
            collection_references={"class_ids": "classes"},
        ),
        "academic_years": _TableSpec("academic_year"),
        "period_closures": _TableSpec(
            "period_closure",
            indexed=("year",),
            references={"closed_by": "employees", "reopened_by": "employees"},
        ),
        "rollovers": _TableSpec("rollover", indexed=("year",), references={"done_by": "employees"}),
        "retake_attempts": _TableSpec(
            "retake_attempt",
            indexed=("year",),
            references={
                "student_id": "students",
                "subject_id": "subjects",
                "debt_order_id": "orders",
                "entered_by": "employees",
            },
            collection_references={"commission_ids": "employees"},
        ),
    }
)


def _referenced_first(name: str, batch: list[Any]) -> list[Any]:
    """Order a batch so that an entity naming another of the batch comes after it.

    For the references of an aggregate to itself (a lesson's homework due for another
    lesson); a cycle is left in place, for the store to refuse.
    """
    fields = [f for f, target in _SPECS[name].references.items() if target == name]
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


def _dangling(kind: str, entity: object, field: str, value: object) -> ValidationError:
    entity_id = getattr(entity, "id", "?")
    return ValidationError(
        f"{kind} «{entity_id}»: поле «{field}» ссылается на несуществующий объект «{value}»",
        f"{kind} '{entity_id}': field '{field}' refers to '{value}', which does not exist",
        code=f"{kind}.dangling_reference",
        details={"id": str(entity_id), "field": field, "value": str(value)},
    )


def _still_referenced(name: str, entity_id: str, by_kind: str) -> ConflictError:
    kind = _SPECS[name].kind
    return ConflictError(
        f"Нельзя удалить {kind} «{entity_id}»: на него ссылаются записи вида {by_kind}",
        f"Cannot remove {kind} '{entity_id}': {by_kind} records refer to it",
        code=f"{kind}.referenced",
        details={"id": entity_id, "referenced_by": by_kind},
    )
