"""The curriculum (учебный план, ИУП), its load checks, and thematic plans (R5.1-R5.8, R2.2i).

A :class:`Curriculum` holds, for an academic year, the components, the subjects' order, the
subject groups whose load is not summed, the groups of an individual curriculum, the maximum
weekly load per component and parallel, the weekly hours per class, and the teachers of each
subject. :func:`validate_curriculum` checks it against the limits and the sanitary maximums
(:class:`LoadPolicy`, the profile's ``[curriculum]`` section) and returns
:class:`PlanFinding` records. :class:`ThematicPlan` is a teacher's plan of topics;
:func:`check_plan`, :func:`lesson_topics` and :func:`programme_completion` tie plans to the
curriculum and the journal.

The moments the deadline checks need are recorded on the entities:
``Curriculum.completed_at`` (R5.4) and ``ThematicPlan.entered_at`` (R5.6).
"""

from eschool_core.curriculum._findings import FindingCode, PlanFinding
from eschool_core.curriculum._model import (
    ComponentKind,
    ComponentLimit,
    Curriculum,
    LoadPolicy,
    ParallelProfile,
    SubjectGroup,
    SubjectHours,
)
from eschool_core.curriculum._plans import (
    CompletionRow,
    ThematicPlan,
    Topic,
    check_plan,
    curriculum_hours_for,
    lesson_topics,
    programme_completion,
)
from eschool_core.curriculum._validate import validate_curriculum

__all__ = [
    "CompletionRow",
    "ComponentKind",
    "ComponentLimit",
    "Curriculum",
    "FindingCode",
    "LoadPolicy",
    "ParallelProfile",
    "PlanFinding",
    "SubjectGroup",
    "SubjectHours",
    "ThematicPlan",
    "Topic",
    "check_plan",
    "curriculum_hours_for",
    "lesson_topics",
    "programme_completion",
    "validate_curriculum",
]
