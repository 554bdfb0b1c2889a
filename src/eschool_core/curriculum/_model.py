"""The curriculum (учебный план) of an academic year and its load policy (R5.1-R5.3f)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.curriculum._errors import (
    CURRICULUM_HOURS_NOT_POSITIVE,
    CURRICULUM_NAMES_NOT_MAPPING,
    CURRICULUM_SANITARY_NOT_MAPPING,
    CURRICULUM_SUBJECT_GROUP_TOO_SMALL,
    CURRICULUM_TEACHERS_NOT_MAPPING,
)
from eschool_core.errors import ValidationError
from eschool_core.ids import ClassId, CurriculumId, EmployeeId, GroupId, SubjectId
from eschool_core.school import Subject, level_of_parallel

__all__ = [
    "ComponentKind",
    "ComponentLimit",
    "Curriculum",
    "LoadPolicy",
    "ParallelProfile",
    "SubjectGroup",
    "SubjectHours",
]


class ComponentKind(StrEnum):
    """A component of the curriculum (R5.3d, R5.3e)."""

    MANDATORY = "mandatory"
    """The mandatory part (обязательная часть)."""
    PARTICIPANTS = "participants"
    """The part formed by the participants of educational relations."""


def _parallel(_instance: object, _attribute: attrs.Attribute[Any], value: int) -> None:
    level_of_parallel(value)


def _positive_hours(_instance: object, attribute: attrs.Attribute[Any], value: Fraction) -> None:
    if value <= 0:
        raise CURRICULUM_HOURS_NOT_POSITIVE.error(
            details={"value": str(value)}, field=attribute.name
        )


def _components(value: object) -> frozenset[ComponentKind]:
    return frozenset(ComponentKind(item) for item in v.to_tuple(value))


def _component_tuple(value: object) -> tuple[ComponentKind, ...]:
    return tuple(dict.fromkeys(ComponentKind(item) for item in v.to_tuple(value)))


def _subject_ids(value: object) -> frozenset[SubjectId]:
    return frozenset(v.to_ids(value))


def _teachers(value: object) -> Mapping[SubjectId, frozenset[EmployeeId]]:
    if not isinstance(value, Mapping):
        raise CURRICULUM_TEACHERS_NOT_MAPPING.error()
    subjects = v.to_ids(tuple(value))
    return MappingProxyType({SubjectId(key): v.to_id_set(value[key]) for key in sorted(subjects)})


@attrs.frozen(kw_only=True)
class ComponentLimit:
    """The maximum weekly load of one component in one parallel (R5.3e).

    Attributes:
        parallel: The parallel (grade) 1-11.
        component: The component.
        max_hours: The most hours a week a class of the parallel may have in it.
    """

    parallel: int = attrs.field(validator=_parallel)
    component: ComponentKind = attrs.field(converter=ComponentKind)
    max_hours: Fraction = attrs.field(converter=v.to_fraction, validator=_positive_hours)


@attrs.frozen(kw_only=True)
class ParallelProfile:
    """The educational profile of a parallel and the components it includes (R5.3d).

    Attributes:
        parallel: The parallel (grade) 1-11.
        name: The profile's name, e.g. ``"универсальный"``, ``"технологический"``.
        components: The curriculum components the profile includes.
    """

    parallel: int = attrs.field(validator=_parallel)
    name: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    components: frozenset[ComponentKind] = attrs.field(
        factory=lambda: frozenset(ComponentKind), converter=_components
    )


@attrs.frozen(kw_only=True)
class SubjectGroup:
    """Subjects joined into a group whose load is not summed (R5.3a).

    A class's load from the group is the largest load among its subjects, not their sum
    (for example, two second foreign languages of which a student takes one).

    Attributes:
        id: Code of the group within the curriculum.
        name: Name, e.g. ``"Второй иностранный язык"``.
        subject_ids: The subjects of the group (at least two).

    Raises:
        ValidationError: If the group has fewer than two subjects.
    """

    id: str = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    subject_ids: frozenset[SubjectId] = attrs.field(converter=_subject_ids)

    @subject_ids.validator
    def _check_size(
        self, _attribute: attrs.Attribute[frozenset[SubjectId]], value: frozenset[SubjectId]
    ) -> None:
        if len(value) < 2:
            raise CURRICULUM_SUBJECT_GROUP_TOO_SMALL.error(details={"id": self.id}, name=self.name)


@attrs.frozen(kw_only=True)
class SubjectHours:
    """Weekly hours of a subject for a class in one component (R5.3f).

    For an individual curriculum (ИУП, R5.2) a row may name the mastery ``level`` and the
    cross-class ``group_id`` that studies at that level; a row may also name a subgroup.
    Rows with a level or a group are alternatives for the class's students, so the class's
    load from them is their largest, not their sum.

    Attributes:
        class_id: The class.
        subject_id: The subject.
        component: The component the hours belong to.
        hours: Weekly hours (exact; ``Fraction(1, 2)`` for a lesson every other week).
        level: The mastery level (ИУП), e.g. ``"углублённый"``.
        group_id: The subgroup or cross-class group that takes these hours.
    """

    class_id: ClassId = attrs.field(validator=v.non_empty_text)
    subject_id: SubjectId = attrs.field(validator=v.non_empty_text)
    component: ComponentKind = attrs.field(converter=ComponentKind)
    hours: Fraction = attrs.field(converter=v.to_fraction, validator=_positive_hours)
    level: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    group_id: GroupId | None = attrs.field(default=None, validator=v.optional_text)

    @property
    def is_alternative(self) -> bool:
        """Whether the row is for a level or a group (its hours are not summed)."""
        return self.level is not None or self.group_id is not None

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """The row's identity within a curriculum."""
        return (
            self.class_id,
            self.subject_id,
            self.component.value,
            self.level or "",
            self.group_id or "",
        )


def _sanitary(value: object) -> Mapping[tuple[int, int], int]:
    if not isinstance(value, Mapping):
        raise CURRICULUM_SANITARY_NOT_MAPPING.error()
    return MappingProxyType(dict(sorted(value.items())))


def _names(value: object) -> Mapping[ComponentKind, tuple[str, str]]:
    if not isinstance(value, Mapping):
        raise CURRICULUM_NAMES_NOT_MAPPING.error()
    return MappingProxyType({ComponentKind(key): tuple(pair) for key, pair in value.items()})


_DEFAULT_NAMES = {
    ComponentKind.MANDATORY: ("Обязательная часть", "Mandatory part"),
    ComponentKind.PARTICIPANTS: (
        "Часть, формируемая участниками образовательных отношений",
        "Part formed by the participants of educational relations",
    ),
}


@attrs.frozen(kw_only=True)
class LoadPolicy:
    """The load rules a curriculum is checked against (the profile's ``[curriculum]``).

    Attributes:
        max_weekly_load: The sanitary maximum weekly load per ``(parallel, week days)``; a
            pair that is missing means the week is not allowed for the parallel (grade 1
            studies 5 days a week only).
        sanitary_source: The norm the maximums come from (СанПиН 1.2.3685-21, table 6.6).
        component_names: Russian and English names of the components.
        plan_tolerance_weeks: How many weeks' hours a thematic plan's total may differ from
            the curriculum's hours times the weeks of study.
        clause: The regulation clause (``"5.3"``).
        requirement: The requirement id (``"R5.3e"``).
    """

    max_weekly_load: Mapping[tuple[int, int], int] = attrs.field(converter=_sanitary)
    sanitary_source: str = attrs.field(validator=v.non_empty_text)
    component_names: Mapping[ComponentKind, tuple[str, str]] = attrs.field(
        factory=lambda: dict(_DEFAULT_NAMES), converter=_names
    )
    plan_tolerance_weeks: Fraction = attrs.field(default=Fraction(1), converter=v.to_fraction)
    clause: str = "5.3"
    requirement: str = "R5.3e"

    def sanitary_max(self, parallel: int, week_days: int) -> int | None:
        """Return the sanitary maximum weekly load, or ``None`` if the week is not allowed."""
        return self.max_weekly_load.get((parallel, week_days))

    def component_name(self, component: ComponentKind, language: str = "ru") -> str:
        """Return the component's name in ``language`` (``"ru"`` or ``"en"``)."""
        ru, en = self.component_names.get(component, _DEFAULT_NAMES[component])
        return en if language == "en" else ru


def _hours_rows(value: object) -> tuple[SubjectHours, ...]:
    return tuple(v.to_tuple(value))


@attrs.frozen(kw_only=True)
class Curriculum:
    """The curriculum of an academic year, formed by the deputy head (R4.6, R5.1-R5.3f, R5.8).

    Attributes:
        id: Id of the curriculum.
        year: Academic-year label, ``"2025/2026"`` (formed anew every year, R5.1).
        components: The components, in order (R5.3d).
        subject_order: Subjects in the order of the printed journal and the reports
            (R5.3c); subjects not listed follow, by their ``Subject.order``.
        subject_groups: Subject groups whose load is not summed (R5.3a).
        group_ids: The subgroups and cross-class groups of the curriculum (R5.2, R5.3a).
        limits: Maximum weekly load per component and parallel (R5.3e).
        profiles: Educational profiles of the parallels (R5.3d).
        hours: Weekly hours per class, component and subject, and level for ИУП (R5.3f).
        teachers: The teachers of each subject (R5.3b).
        responsible_id: The deputy head responsible for the curriculum (R5.8).
        completed_at: When the curriculum was declared complete (R5.4); ``None`` while it is
            being formed.

    Raises:
        ValidationError: For a repeated hours row, a row in a component the curriculum does
            not have, a repeated limit or profile, a subject in two subject groups, or a
            naive ``completed_at``.

    >>> c = Curriculum(id="up", year="2025/2026", hours=[
    ...     SubjectHours(class_id="5a", subject_id="math", component="mandatory", hours=5),
    ...     SubjectHours(class_id="5a", subject_id="rus", component="mandatory", hours=5)])
    >>> c.weekly_load("5a")
    Fraction(10, 1)
    """

    id: CurriculumId = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)
    components: tuple[ComponentKind, ...] = attrs.field(
        default=tuple(ComponentKind), converter=_component_tuple
    )
    subject_order: tuple[SubjectId, ...] = attrs.field(default=(), converter=v.to_ids)
    subject_groups: tuple[SubjectGroup, ...] = attrs.field(default=(), converter=v.to_tuple)
    group_ids: tuple[GroupId, ...] = attrs.field(default=(), converter=v.to_ids)
    limits: tuple[ComponentLimit, ...] = attrs.field(default=(), converter=v.to_tuple)
    profiles: tuple[ParallelProfile, ...] = attrs.field(default=(), converter=v.to_tuple)
    hours: tuple[SubjectHours, ...] = attrs.field(default=(), converter=_hours_rows)
    teachers: Mapping[SubjectId, frozenset[EmployeeId]] = attrs.field(
        factory=dict, converter=_teachers
    )
    responsible_id: EmployeeId | None = attrs.field(default=None, validator=v.optional_text)
    completed_at: dt.datetime | None = attrs.field(
        default=None, validator=v.optional_aware_datetime
    )

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str, str]] = []
        keys = [row.key for row in self.hours]
        if len(set(keys)) != len(keys):
            problems.append(("curriculum.duplicate_hours", "часы повторяются", "repeated hours"))
        if any(row.component not in self.components for row in self.hours):
            problems.append(
                (
                    "curriculum.unknown_component",
                    "часы в компоненте, которого нет в плане",
                    "hours in a component the curriculum does not have",
                )
            )
        limit_keys = [(limit.parallel, limit.component) for limit in self.limits]
        if len(set(limit_keys)) != len(limit_keys):
            problems.append(
                ("curriculum.duplicate_limit", "нагрузка задана дважды", "a limit is repeated")
            )
        parallels = [profile.parallel for profile in self.profiles]
        if len(set(parallels)) != len(parallels):
            problems.append(
                (
                    "curriculum.duplicate_profile",
                    "профиль параллели задан дважды",
                    "a parallel's profile is repeated",
                )
            )
        grouped = [sid for group in self.subject_groups for sid in group.subject_ids]
        if len(set(grouped)) != len(grouped):
            problems.append(
                (
                    "curriculum.subject_in_two_groups",
                    "предмет входит в две группы предметов",
                    "a subject is in two subject groups",
                )
            )
        if problems:
            code, ru, en = problems[0]
            raise ValidationError(
                f"Учебный план {self.id}: {ru}",
                f"Curriculum {self.id}: {en}",
                code=code,
                clause="5.3",
                details={"id": self.id, "problems": tuple(p[0] for p in problems)},
            )

    # -- references (for storage) ----------------------------------------------------------

    @property
    def class_ids(self) -> frozenset[ClassId]:
        """The classes the curriculum gives hours to."""
        return frozenset(row.class_id for row in self.hours)

    @property
    def subject_ids(self) -> frozenset[SubjectId]:
        """Every subject the curriculum names (hours, order, groups, teachers)."""
        return frozenset(
            [row.subject_id for row in self.hours]
            + list(self.subject_order)
            + [sid for group in self.subject_groups for sid in group.subject_ids]
            + list(self.teachers)
        )

    @property
    def teacher_ids(self) -> frozenset[EmployeeId]:
        """Every teacher of a subject (R5.3b)."""
        return frozenset(tid for ids in self.teachers.values() for tid in ids)

    @property
    def all_group_ids(self) -> frozenset[GroupId]:
        """The groups named by the curriculum and its hours rows."""
        return frozenset(
            [*self.group_ids, *(row.group_id for row in self.hours if row.group_id is not None)]
        )

    # -- queries ---------------------------------------------------------------------------

    @property
    def is_complete(self) -> bool:
        """Whether the curriculum was declared complete (R5.4)."""
        return self.completed_at is not None

    def completed_on(self, zone: zoneinfo.ZoneInfo) -> dt.date | None:
        """Return the school-local date the curriculum was completed (R5.4), or ``None``."""
        return None if self.completed_at is None else self.completed_at.astimezone(zone).date()

    def complete(self, at: dt.datetime) -> Curriculum:
        """Return the curriculum declared complete at the aware moment ``at`` (R5.4).

        Raises:
            ValidationError: If ``at`` is naive.
        """
        return attrs.evolve(self, completed_at=at)

    def rows_for(self, class_id: ClassId) -> tuple[SubjectHours, ...]:
        """Return the hours rows of a class."""
        return tuple(row for row in self.hours if row.class_id == class_id)

    def subject_load(
        self, class_id: ClassId, subject_id: SubjectId, component: ComponentKind | None = None
    ) -> Fraction:
        """Return a class's weekly load from one subject (in one component, or in all).

        Whole-class rows are summed; rows for a level or a group are alternatives, of which
        the largest counts; the load is the larger of the two.
        """
        plain = Fraction(0)
        alternative = Fraction(0)
        for row in self.hours:
            if row.class_id != class_id or row.subject_id != subject_id:
                continue
            if component is not None and row.component is not component:
                continue
            if row.is_alternative:
                alternative = max(alternative, row.hours)
            else:
                plain += row.hours
        return max(plain, alternative)

    def weekly_load(self, class_id: ClassId, component: ComponentKind | None = None) -> Fraction:
        """Return a class's weekly load, with subject groups counted once (R5.3a, R5.3e)."""
        subjects = {row.subject_id for row in self.hours if row.class_id == class_id}
        group_of = {sid: group.id for group in self.subject_groups for sid in group.subject_ids}
        total = Fraction(0)
        group_max: dict[str, Fraction] = {}
        for subject_id in subjects:
            load = self.subject_load(class_id, subject_id, component)
            group = group_of.get(subject_id)
            if group is None:
                total += load
            else:
                group_max[group] = max(group_max.get(group, Fraction(0)), load)
        return total + sum(group_max.values(), Fraction(0))

    def limit(self, parallel: int, component: ComponentKind) -> Fraction | None:
        """Return the maximum weekly load of a component in a parallel, if set (R5.3e)."""
        return next(
            (
                limit.max_hours
                for limit in self.limits
                if limit.parallel == parallel and limit.component is component
            ),
            None,
        )

    def profile_of(self, parallel: int) -> ParallelProfile | None:
        """Return the educational profile of a parallel, if set (R5.3d)."""
        return next((p for p in self.profiles if p.parallel == parallel), None)

    def teachers_of(self, subject_id: SubjectId) -> frozenset[EmployeeId]:
        """Return the teachers of a subject (R5.3b)."""
        return self.teachers.get(subject_id, frozenset())

    def ordered(self, subjects: Iterable[Subject]) -> tuple[Subject, ...]:
        """Return ``subjects`` in the order of the printed journal and the reports (R5.3c).

        Subjects listed in ``subject_order`` come first in that order; the others follow by
        ``Subject.order`` and name.
        """
        position = {sid: index for index, sid in enumerate(self.subject_order)}
        return tuple(
            sorted(
                subjects,
                key=lambda s: (position.get(s.id, len(position)), s.order, s.name, s.id),
            )
        )
