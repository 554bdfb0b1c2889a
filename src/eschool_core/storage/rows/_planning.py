"""The rows of planning: curricula and thematic plans.

A curriculum's parts and a plan's topics are values of their aggregate: lists of small
records (JSON). Hours are exact fractions written as text (``"5"``, ``"1/2"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eschool_core.curriculum import (
    ComponentLimit,
    Curriculum,
    ParallelProfile,
    SubjectGroup,
    SubjectHours,
    ThematicPlan,
    Topic,
)
from eschool_core.storage.rows._layout import (
    _ID,
    _L,
    _M,
    _T,
    _YEAR,
    Aggregate,
    Row,
    _aggregate,
    _col,
)

__all__ = ["AGGREGATES"]


def _curriculum_row(curriculum: Curriculum) -> Row:
    return {
        "id": curriculum.id,
        "year": curriculum.year,
        "components": [component.value for component in curriculum.components],
        "subject_order": list(curriculum.subject_order),
        "subject_groups": [
            {"id": group.id, "name": group.name, "subject_ids": sorted(group.subject_ids)}
            for group in curriculum.subject_groups
        ],
        "group_ids": list(curriculum.group_ids),
        "limits": [
            {
                "parallel": limit.parallel,
                "component": limit.component.value,
                "max_hours": str(limit.max_hours),
            }
            for limit in curriculum.limits
        ],
        "profiles": [
            {
                "parallel": profile.parallel,
                "name": profile.name,
                "components": sorted(component.value for component in profile.components),
            }
            for profile in curriculum.profiles
        ],
        "hours": [
            {
                "class_id": hours.class_id,
                "subject_id": hours.subject_id,
                "component": hours.component.value,
                "hours": str(hours.hours),
                "level": hours.level,
                "group_id": hours.group_id,
            }
            for hours in curriculum.hours
        ],
        "teachers": [
            {"subject_id": subject_id, "teacher_ids": sorted(teacher_ids)}
            for subject_id, teacher_ids in curriculum.teachers.items()
        ],
        "responsible_id": curriculum.responsible_id,
        "completed_at": curriculum.completed_at,
    }


def _curriculum(row: Mapping[str, Any]) -> Curriculum:
    return Curriculum(
        id=row["id"],
        year=row["year"],
        components=row["components"],
        subject_order=row["subject_order"],
        subject_groups=[
            SubjectGroup(id=item["id"], name=item["name"], subject_ids=item["subject_ids"])
            for item in row["subject_groups"]
        ],
        group_ids=row["group_ids"],
        limits=[
            ComponentLimit(
                parallel=item["parallel"],
                component=item["component"],
                max_hours=item["max_hours"],
            )
            for item in row["limits"]
        ],
        profiles=[
            ParallelProfile(
                parallel=item["parallel"], name=item["name"], components=item["components"]
            )
            for item in row["profiles"]
        ],
        hours=[
            SubjectHours(
                class_id=item["class_id"],
                subject_id=item["subject_id"],
                component=item["component"],
                hours=item["hours"],
                level=item.get("level"),
                group_id=item.get("group_id"),
            )
            for item in row["hours"]
        ],
        teachers={item["subject_id"]: item["teacher_ids"] for item in row["teachers"]},
        responsible_id=row["responsible_id"],
        completed_at=row["completed_at"],
    )


def _plan_row(plan: ThematicPlan) -> Row:
    return {
        "id": plan.id,
        "year": plan.year,
        "teacher_id": plan.teacher_id,
        "subject_id": plan.subject_id,
        "class_id": plan.class_id,
        "group_id": plan.group_id,
        "topics": [{"title": topic.title, "hours": topic.hours} for topic in plan.topics],
        "entered_at": plan.entered_at,
        "entered_by": plan.entered_by,
    }


def _plan(row: Mapping[str, Any]) -> ThematicPlan:
    return ThematicPlan(
        id=row["id"],
        year=row["year"],
        teacher_id=row["teacher_id"],
        subject_id=row["subject_id"],
        class_id=row["class_id"],
        group_id=row["group_id"],
        topics=[Topic(title=item["title"], hours=item["hours"]) for item in row["topics"]],
        entered_at=row["entered_at"],
        entered_by=row["entered_by"],
    )


AGGREGATES: tuple[Aggregate, ...] = (
    _aggregate(
        "curricula",
        "curriculum",
        (
            _ID,
            _YEAR,
            _col("components", _L, "Component codes in order: `mandatory`, `participants`."),
            _col("subject_order", _L, "Subject ids in the journal's order."),
            _col(
                "subject_groups",
                _L,
                "Subject groups whose load is not summed: objects with `id`, `name`, "
                "`subject_ids` (sorted).",
            ),
            _col("group_ids", _L, "Ids of the curriculum's groups, in order."),
            _col(
                "limits",
                _L,
                "Weekly load limits: objects with `parallel`, `component`, `max_hours` "
                "(exact, `5` or `1/2`).",
            ),
            _col(
                "profiles",
                _L,
                "Parallel profiles: objects with `parallel`, `name`, `components` (sorted).",
            ),
            _col(
                "hours",
                _L,
                "Weekly hours rows, in order: objects with `class_id`, `subject_id`, "
                "`component`, `hours` (exact), `level` and `group_id` (or null).",
            ),
            _col(
                "teachers",
                _L,
                "Subject teachers: objects with `subject_id` and `teacher_ids` (sorted).",
            ),
            _col("responsible_id", _T, "The responsible deputy head.", null=True),
            _col("completed_at", _M, "When it was declared complete.", null=True),
        ),
        _curriculum_row,
        _curriculum,
    ),
    _aggregate(
        "thematic_plans",
        "thematic_plan",
        (
            _ID,
            _YEAR,
            _col("teacher_id", _T, "The teacher responsible for the plan."),
            _col("subject_id", _T, "The subject."),
            _col("class_id", _T, "The class (or a group).", null=True),
            _col("group_id", _T, "The group (or a class).", null=True),
            _col("topics", _L, "Topics in order: objects with `title` and `hours`."),
            _col("entered_at", _M, "When the plan was entered."),
            _col("entered_by", _T, "Who entered it, if not the teacher.", null=True),
        ),
        _plan_row,
        _plan,
    ),
)
"""The aggregates of this module, in dependency order."""
