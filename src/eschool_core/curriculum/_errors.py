"""The error codes of ``eschool_core.curriculum``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.texts import Text

CURRICULUM_HOURS_NOT_POSITIVE = ErrorCode(
    "curriculum.hours_not_positive",
    ValidationError,
    Text(
        "Поле «{field}»: часы должны быть положительными, получено {value}",
        "Field '{field}': hours must be positive, got {value}",
    ),
    clause="5.3",
)

CURRICULUM_NAMES_NOT_MAPPING = ErrorCode(
    "curriculum.names_not_mapping",
    ValidationError,
    Text(
        "Названия компонентов задаются словарём",
        "Component names are a mapping",
    ),
)

CURRICULUM_SANITARY_NOT_MAPPING = ErrorCode(
    "curriculum.sanitary_not_mapping",
    ValidationError,
    Text(
        "Санитарные нормы задаются словарём «(параллель, дней в неделю) → часы»",
        "Sanitary maximums are a mapping '(parallel, week days) -> hours'",
    ),
)

CURRICULUM_SUBJECT_GROUP_TOO_SMALL = ErrorCode(
    "curriculum.subject_group_too_small",
    ValidationError,
    Text(
        "Группа предметов «{name}» должна объединять не менее двух предметов",
        "The subject group '{name}' must join at least two subjects",
    ),
    clause="5.3",
)

CURRICULUM_TEACHERS_NOT_MAPPING = ErrorCode(
    "curriculum.teachers_not_mapping",
    ValidationError,
    Text(
        "Учителя предметов задаются словарём «предмет → учителя»",
        "Subject teachers are a mapping 'subject -> teachers'",
    ),
    clause="5.3",
)

PLAN_NO_TOPICS = ErrorCode(
    "plan.no_topics",
    ValidationError,
    Text(
        "Тематический план {id} не содержит тем",
        "Thematic plan {id} has no topics",
    ),
    clause="5.5",
)

PLAN_TARGET = ErrorCode(
    "plan.target",
    ValidationError,
    Text(
        "Тематический план составляется либо для класса, либо для группы",
        "A thematic plan is for either a class or a group, not both or neither",
    ),
    clause="5.5",
)
