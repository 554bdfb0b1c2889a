"""Thematic plans (КТП) and programme completion (R2.2i, R5.5-R5.7)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs

from eschool_core import _validation as v
from eschool_core.curriculum._errors import PLAN_NO_TOPICS, PLAN_TARGET
from eschool_core.curriculum._findings import FindingCode, PlanFinding
from eschool_core.curriculum._model import Curriculum, LoadPolicy
from eschool_core.ids import ClassId, EmployeeId, GroupId, LessonId, SubjectId, ThematicPlanId
from eschool_core.journal import Lesson
from eschool_core.texts import Text

__all__ = [
    "CompletionRow",
    "ThematicPlan",
    "Topic",
    "check_plan",
    "curriculum_hours_for",
    "lesson_topics",
    "programme_completion",
]


@attrs.frozen(kw_only=True)
class Topic:
    """A topic of a thematic plan with the lessons (hours) it takes (R5.5).

    Attributes:
        title: The topic, e.g. ``"Обыкновенные дроби"``.
        hours: Lessons given to it (at least one).
    """

    title: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    hours: int = attrs.field(validator=v.int_in_range(1, 500, "plan.topic_hours"))


@attrs.frozen(kw_only=True)
class ThematicPlan:
    """A teacher's thematic plan for a class or a group and a subject (R5.5-R5.7).

    Attributes:
        id: Id of the plan.
        year: Academic-year label.
        teacher_id: The subject teacher responsible for the plan (R5.7).
        subject_id: The subject.
        class_id: The class (exactly one of class and group).
        group_id: The subgroup or cross-class group.
        topics: The topics in teaching order.
        entered_at: When the plan was entered (R5.6), timezone-aware.
        entered_by: Who entered it; ``None`` means the teacher himself.

    Raises:
        ValidationError: Unless exactly one of class and group is given, if the plan has no
            topics, or if ``entered_at`` is naive.

    >>> plan = ThematicPlan(id="p1", year="2025/2026", teacher_id="t1", subject_id="math",
    ...     class_id="5a", entered_at=dt.datetime(2025, 8, 10, 12, tzinfo=dt.UTC),
    ...     topics=[Topic(title="Дроби", hours=20), Topic(title="Проценты", hours=12)])
    >>> plan.total_hours
    32
    """

    id: ThematicPlanId = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    teacher_id: EmployeeId = attrs.field(validator=v.non_empty_text)
    subject_id: SubjectId = attrs.field(validator=v.non_empty_text)
    topics: tuple[Topic, ...] = attrs.field(converter=v.to_tuple)
    entered_at: dt.datetime = attrs.field(validator=v.aware_datetime)
    class_id: ClassId | None = attrs.field(default=None, validator=v.optional_text)
    group_id: GroupId | None = attrs.field(default=None, validator=v.optional_text)
    entered_by: EmployeeId | None = attrs.field(default=None, validator=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if (self.class_id is None) == (self.group_id is None):
            raise PLAN_TARGET.error(id=self.id)
        if not self.topics:
            raise PLAN_NO_TOPICS.error(id=self.id)

    @property
    def total_hours(self) -> int:
        """The plan's hours: the sum of its topics' hours."""
        return sum(topic.hours for topic in self.topics)

    @property
    def author_id(self) -> EmployeeId:
        """Who entered the plan (the teacher unless ``entered_by`` says otherwise)."""
        return self.entered_by or self.teacher_id

    def entered_on(self, zone: zoneinfo.ZoneInfo) -> dt.date:
        """Return the school-local date the plan was entered (for R5.6)."""
        return self.entered_at.astimezone(zone).date()

    def covers(self, lesson: Lesson) -> bool:
        """Return whether ``lesson`` is a lesson of this plan's class or group and subject."""
        return lesson.subject_id == self.subject_id and (
            (self.class_id is not None and lesson.class_id == self.class_id)
            or (self.group_id is not None and lesson.group_id == self.group_id)
        )


def curriculum_hours_for(
    curriculum: Curriculum,
    subject_id: SubjectId,
    *,
    class_id: ClassId | None = None,
    group_id: GroupId | None = None,
) -> Fraction:
    """Return the weekly hours the curriculum gives a class or a group in a subject.

    A class's hours are its load from the subject; a group's are the largest hours of the
    rows naming it.
    """
    if group_id is not None:
        return max(
            (
                row.hours
                for row in curriculum.hours
                if row.group_id == group_id and row.subject_id == subject_id
            ),
            default=Fraction(0),
        )
    if class_id is None:
        return Fraction(0)
    return curriculum.subject_load(class_id, subject_id)


def check_plan(
    plan: ThematicPlan, curriculum: Curriculum, weeks_of_study: Fraction, policy: LoadPolicy
) -> tuple[PlanFinding, ...]:
    """Check a plan's total against the curriculum's hours times the weeks of study (R5.5).

    Args:
        plan: The thematic plan.
        curriculum: The curriculum of the plan's year.
        weeks_of_study: ``AcademicYear.weeks_of_study(parallel)`` of the class's parallel.
        policy: The load policy, for the tolerance (``plan_tolerance_weeks``).

    Returns:
        A finding when the curriculum gives no hours to the plan's class (or group) and
        subject, or when the total differs from hours × weeks by more than the tolerance.

    >>> from eschool_core.curriculum import SubjectHours
    >>> up = Curriculum(id="up", year="2025/2026", hours=[
    ...     SubjectHours(class_id="5a", subject_id="math", component="mandatory", hours=5)])
    >>> plan = ThematicPlan(id="p1", year="2025/2026", teacher_id="t1", subject_id="math",
    ...     class_id="5a", entered_at=dt.datetime(2025, 8, 10, 12, tzinfo=dt.UTC),
    ...     topics=[Topic(title="Дроби", hours=100)])
    >>> policy = LoadPolicy(max_weekly_load={}, sanitary_source="СанПиН")
    >>> [str(f.details["expected"]) for f in check_plan(plan, up, Fraction(172, 5), policy)]
    ['172']
    """
    hours = curriculum_hours_for(
        curriculum, plan.subject_id, class_id=plan.class_id, group_id=plan.group_id
    )
    target = plan.class_id or plan.group_id or ""
    if hours == 0:
        return (
            PlanFinding(
                code=FindingCode.PLAN_NOT_IN_CURRICULUM,
                clause="5.5",
                requirement="R5.5",
                message=Text(
                    f"План {plan.id}: в учебном плане нет часов предмета "
                    f"«{plan.subject_id}» для «{target}»",
                    f"Plan {plan.id}: the curriculum gives '{target}' no hours of "
                    f"'{plan.subject_id}'",
                ),
                entity_kind="thematic_plan",
                entity_id=plan.id,
            ),
        )
    expected = hours * weeks_of_study
    if abs(plan.total_hours - expected) <= hours * policy.plan_tolerance_weeks:
        return ()
    return (
        PlanFinding(
            code=FindingCode.PLAN_HOURS_MISMATCH,
            clause="5.5",
            requirement="R5.5",
            message=Text(
                f"План {plan.id}: {plan.total_hours} ч, а по учебному плану "
                f"{hours} ч × {weeks_of_study} нед. = {expected} ч",
                f"Plan {plan.id}: {plan.total_hours} hours, but the curriculum gives "
                f"{hours} hours × {weeks_of_study} weeks = {expected}",
            ),
            entity_kind="thematic_plan",
            entity_id=plan.id,
            details={"planned": plan.total_hours, "expected": expected, "weekly": hours},
        ),
    )


def lesson_topics(plan: ThematicPlan, lessons: Iterable[Lesson]) -> Mapping[LessonId, Topic]:
    """Link the held lessons of a plan's class (or group) and subject to its topics (R5.5).

    Held lessons are taken in date and number order; each takes one hour of the plan, so the
    first ``topics[0].hours`` lessons get the first topic, and so on. Cancelled lessons take
    no hour; lessons beyond the plan's total get no topic.

    >>> from datetime import date
    >>> plan = ThematicPlan(id="p1", year="2025/2026", teacher_id="t1", subject_id="math",
    ...     class_id="5a", entered_at=dt.datetime(2025, 8, 10, 12, tzinfo=dt.UTC),
    ...     topics=[Topic(title="Дроби", hours=1), Topic(title="Проценты", hours=1)])
    >>> lessons = [Lesson(id=f"l{d}", date=date(2025, 9, d), number=1, subject_id="math",
    ...     teacher_id="t1", class_id="5a") for d in (1, 2)]
    >>> {key: topic.title for key, topic in lesson_topics(plan, lessons).items()}
    {'l1': 'Дроби', 'l2': 'Проценты'}
    """
    held = sorted(
        (lesson for lesson in lessons if plan.covers(lesson) and lesson.is_held),
        key=lambda lesson: (lesson.date, lesson.number, lesson.id),
    )
    slots = [topic for topic in plan.topics for _ in range(topic.hours)]
    return dict(zip((lesson.id for lesson in held), slots, strict=False))


@attrs.frozen(kw_only=True)
class CompletionRow:
    """Programme completion of one subject in one class or group (R2.2i).

    Attributes:
        subject_id: The subject.
        class_id: The class (for whole-class hours).
        group_id: The group (for a group's hours).
        weekly_hours: The curriculum's weekly hours.
        planned_hours: The thematic plans' total.
        given_hours: Held lessons up to the date asked for (cancelled lessons do not count).
        cancelled: Cancelled lessons up to that date.
    """

    subject_id: SubjectId
    class_id: ClassId | None
    group_id: GroupId | None
    weekly_hours: Fraction
    planned_hours: int
    given_hours: int
    cancelled: int

    @property
    def completion(self) -> Fraction | None:
        """Given hours as a share of the planned hours; ``None`` without a plan."""
        return Fraction(self.given_hours, self.planned_hours) if self.planned_hours else None

    @property
    def behind(self) -> int:
        """Planned hours not (yet) given."""
        return max(0, self.planned_hours - self.given_hours)


def programme_completion(
    curriculum: Curriculum,
    plans: Iterable[ThematicPlan],
    lessons: Iterable[Lesson],
    *,
    as_of: dt.date | None = None,
) -> tuple[CompletionRow, ...]:
    """Return planned against given hours per subject and class or group (R2.2i).

    Args:
        curriculum: The curriculum; its rows decide which classes, groups and subjects appear.
        plans: Thematic plans of the year.
        lessons: Lessons of the year; held ones count, cancelled ones do not.
        as_of: Count lessons up to this date (inclusive); ``None`` counts all.

    Returns:
        Rows ordered by class or group, then by the curriculum's subject order.

    >>> from datetime import date
    >>> from eschool_core.curriculum import SubjectHours
    >>> up = Curriculum(id="up", year="2025/2026", hours=[
    ...     SubjectHours(class_id="5a", subject_id="math", component="mandatory", hours=5)])
    >>> plan = ThematicPlan(id="p1", year="2025/2026", teacher_id="t1", subject_id="math",
    ...     class_id="5a", entered_at=dt.datetime(2025, 8, 10, 12, tzinfo=dt.UTC),
    ...     topics=[Topic(title="Дроби", hours=170)])
    >>> lesson = Lesson(id="l1", date=date(2025, 9, 1), number=1, subject_id="math",
    ...     teacher_id="t1", class_id="5a")
    >>> row, = programme_completion(up, [plan], [lesson])
    >>> row.planned_hours, row.given_hours, row.completion
    (170, 1, Fraction(1, 170))
    """
    keys: dict[tuple[str, str, str], None] = {}
    for row in curriculum.hours:
        if row.group_id is not None:
            keys[("group", str(row.group_id), str(row.subject_id))] = None
        else:
            keys[("class", str(row.class_id), str(row.subject_id))] = None
    planned: dict[tuple[str, str, str], int] = {}
    for plan in plans:
        plan_key = (
            ("group", str(plan.group_id), str(plan.subject_id))
            if plan.group_id
            else ("class", str(plan.class_id), str(plan.subject_id))
        )
        planned[plan_key] = planned.get(plan_key, 0) + plan.total_hours
    given: dict[tuple[str, str, str], int] = {}
    cancelled: dict[tuple[str, str, str], int] = {}
    for lesson in lessons:
        if as_of is not None and lesson.date > as_of:
            continue
        lesson_key = (
            ("group", str(lesson.group_id), str(lesson.subject_id))
            if lesson.group_id is not None
            else ("class", str(lesson.class_id), str(lesson.subject_id))
        )
        bucket = given if lesson.is_held else cancelled
        bucket[lesson_key] = bucket.get(lesson_key, 0) + 1
    position: dict[str, int] = {sid: index for index, sid in enumerate(curriculum.subject_order)}
    ordered = sorted(keys, key=lambda k: (k[0], k[1], position.get(k[2], len(position)), k[2]))
    rows = []
    for kind, target, subject in ordered:
        key = (kind, target, subject)
        is_group = kind == "group"
        rows.append(
            CompletionRow(
                subject_id=SubjectId(subject),
                class_id=None if is_group else ClassId(target),
                group_id=GroupId(target) if is_group else None,
                weekly_hours=curriculum_hours_for(
                    curriculum,
                    SubjectId(subject),
                    class_id=None if is_group else ClassId(target),
                    group_id=GroupId(target) if is_group else None,
                ),
                planned_hours=planned.get(key, 0),
                given_hours=given.get(key, 0),
                cancelled=cancelled.get(key, 0),
            )
        )
    return tuple(rows)
