"""Checking a curriculum: load limits, sanitary maximums, teachers, profiles, groups."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from eschool_core.curriculum._findings import FindingCode, PlanFinding
from eschool_core.curriculum._model import Curriculum, LoadPolicy
from eschool_core.school import ClassMembership, Group, SchoolClass, Subject
from eschool_core.texts import Text

__all__ = ["validate_curriculum"]


def _hours(value: object) -> str:
    return str(value)


def validate_curriculum(
    curriculum: Curriculum,
    *,
    classes: Iterable[SchoolClass],
    subjects: Iterable[Subject],
    policy: LoadPolicy,
    groups: Iterable[Group] = (),
    memberships: Iterable[ClassMembership] = (),
    week_days: int = 5,
    as_of: date | None = None,
) -> tuple[PlanFinding, ...]:
    """Check a curriculum and return every finding, in a stable order.

    Args:
        curriculum: The curriculum.
        classes: The classes of the school (those of other years are ignored).
        subjects: The subjects of the school.
        policy: The load policy (sanitary maximums, component names).
        groups: The school's groups; those named by the curriculum are checked.
        memberships: Class memberships, to find group students in no class of the year.
        week_days: The school's week, for classes that do not set their own.
        as_of: Membership date for the group check; ``None`` counts any membership.

    Returns:
        Findings: a class's hours over its component's maximum (R5.3e) or over the sanitary
        maximum of its grade and week (СанПиН 1.2.3685-21, table 6.6), hours in a component
        the parallel's profile does not include (R5.3d), a subject with hours but no teacher
        (R5.3b), hours for an unknown class or subject, a group student who is in no class
        of the year (R5.2).

    >>> from eschool_core.curriculum import SubjectHours
    >>> from eschool_core.school import SchoolClass, Subject
    >>> policy = LoadPolicy(max_weekly_load={(5, 5): 29}, sanitary_source="СанПиН")
    >>> up = Curriculum(id="up", year="2025/2026", hours=[
    ...     SubjectHours(class_id="5a", subject_id="math", component="mandatory", hours=30)])
    >>> found = validate_curriculum(up, policy=policy,
    ...     classes=[SchoolClass(id="5a", year="2025/2026", parallel=5, letter="А")],
    ...     subjects=[Subject(id="math", name="Математика")])
    >>> [f.code.value for f in found]
    ['curriculum.sanitary_over_limit', 'curriculum.subject_without_teacher']
    """
    year_classes: dict[str, SchoolClass] = {c.id: c for c in classes if c.year == curriculum.year}
    known_subjects = {s.id for s in subjects}
    findings: list[PlanFinding] = []
    for row in curriculum.hours:
        if row.class_id not in year_classes:
            findings.append(
                PlanFinding(
                    code=FindingCode.UNKNOWN_CLASS,
                    clause="5.3",
                    requirement="R5.3f",
                    message=Text(
                        f"Часы указаны для класса «{row.class_id}», которого нет в "
                        f"учебном году {curriculum.year}",
                        f"Hours are given for class '{row.class_id}', which is not a "
                        f"class of {curriculum.year}",
                    ),
                    entity_kind="class",
                    entity_id=row.class_id,
                )
            )
        if row.subject_id not in known_subjects:
            findings.append(
                PlanFinding(
                    code=FindingCode.UNKNOWN_SUBJECT,
                    clause="5.3",
                    requirement="R5.3a",
                    message=Text(
                        f"Часы указаны для несуществующего предмета «{row.subject_id}»",
                        f"Hours are given for an unknown subject '{row.subject_id}'",
                    ),
                    entity_kind="subject",
                    entity_id=row.subject_id,
                )
            )
    for class_id in sorted(curriculum.class_ids & set(year_classes)):
        findings.extend(_class_findings(curriculum, year_classes[class_id], policy, week_days))
    findings.extend(
        PlanFinding(
            code=FindingCode.SUBJECT_WITHOUT_TEACHER,
            clause="5.3",
            requirement="R5.3b",
            message=Text(
                f"У предмета «{subject_id}» есть часы, но нет учителя",
                f"Subject '{subject_id}' has hours but no teacher",
            ),
            entity_kind="subject",
            entity_id=subject_id,
        )
        for subject_id in sorted({row.subject_id for row in curriculum.hours})
        if not curriculum.teachers_of(subject_id)
    )
    findings.extend(_group_findings(curriculum, year_classes, groups, memberships, as_of))
    return tuple(findings)


def _class_findings(
    curriculum: Curriculum, school_class: SchoolClass, policy: LoadPolicy, week_days: int
) -> list[PlanFinding]:
    findings: list[PlanFinding] = []
    parallel = school_class.parallel
    profile = curriculum.profile_of(parallel)
    for component in curriculum.components:
        load = curriculum.weekly_load(school_class.id, component)
        if load == 0:
            continue
        limit = curriculum.limit(parallel, component)
        name_ru = policy.component_name(component, "ru")
        name_en = policy.component_name(component, "en")
        if limit is not None and load > limit:
            findings.append(
                PlanFinding(
                    code=FindingCode.COMPONENT_OVER_LIMIT,
                    clause=policy.clause,
                    requirement=policy.requirement,
                    message=Text(
                        f"Класс {school_class.name}: {_hours(load)} ч в неделю в "
                        f"компоненте «{name_ru}» при предельных {_hours(limit)} ч",
                        f"Class {school_class.name}: {_hours(load)} hours a week in "
                        f"'{name_en}', over the maximum of {_hours(limit)}",
                    ),
                    entity_kind="class",
                    entity_id=school_class.id,
                    details={"component": component.value, "hours": load, "limit": limit},
                )
            )
        if profile is not None and component not in profile.components:
            findings.append(
                PlanFinding(
                    code=FindingCode.COMPONENT_NOT_IN_PROFILE,
                    clause="5.3",
                    requirement="R5.3d",
                    message=Text(
                        f"Класс {school_class.name}: компонент «{name_ru}» не входит в "
                        f"профиль параллели «{profile.name}»",
                        f"Class {school_class.name}: component '{name_en}' is not part "
                        f"of the parallel's profile '{profile.name}'",
                    ),
                    entity_kind="class",
                    entity_id=school_class.id,
                    details={"component": component.value, "profile": profile.name},
                )
            )
    days = school_class.week_days or week_days
    total = curriculum.weekly_load(school_class.id)
    maximum = policy.sanitary_max(parallel, days)
    if maximum is None or total > maximum:
        shown = "—" if maximum is None else str(maximum)
        findings.append(
            PlanFinding(
                code=FindingCode.SANITARY_OVER_LIMIT,
                clause=policy.sanitary_source,
                requirement=policy.requirement,
                message=Text(
                    f"Класс {school_class.name}: недельная нагрузка {_hours(total)} ч "
                    f"превышает допустимую ({shown} ч при {days}-дневной неделе, "
                    f"{policy.sanitary_source})",
                    f"Class {school_class.name}: the weekly load of {_hours(total)} hours "
                    f"exceeds the maximum ({shown} hours on a {days}-day week, "
                    f"{policy.sanitary_source})",
                ),
                entity_kind="class",
                entity_id=school_class.id,
                details={"hours": total, "limit": shown, "week_days": days},
            )
        )
    return findings


def _group_findings(
    curriculum: Curriculum,
    year_classes: dict[str, SchoolClass],
    groups: Iterable[Group],
    memberships: Iterable[ClassMembership],
    as_of: date | None,
) -> list[PlanFinding]:
    named = curriculum.all_group_ids
    in_year = {
        m.student_id
        for m in memberships
        if m.class_id in year_classes and (as_of is None or m.holds_on(as_of))
    }
    findings: list[PlanFinding] = []
    for group in sorted(groups, key=lambda g: g.id):
        if group.id not in named:
            continue
        outside = sorted(group.student_ids - in_year)
        if outside:
            findings.append(
                PlanFinding(
                    code=FindingCode.GROUP_STUDENT_OUTSIDE_YEAR,
                    clause="5.2",
                    requirement="R5.2",
                    message=Text(
                        f"Группа «{group.name}»: учащиеся не состоят ни в одном классе "
                        f"учебного года {curriculum.year}: {', '.join(outside)}",
                        f"Group '{group.name}': students in no class of "
                        f"{curriculum.year}: {', '.join(outside)}",
                    ),
                    entity_kind="group",
                    entity_id=group.id,
                    details={"students": tuple(outside)},
                )
            )
    return findings
