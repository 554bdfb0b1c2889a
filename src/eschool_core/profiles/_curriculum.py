"""The ``[curriculum]`` section of a profile: load maximums and component names (R5.3e)."""

from __future__ import annotations

from eschool_core.curriculum import ComponentKind, LoadPolicy
from eschool_core.errors import ProfileError
from eschool_core.profiles._reader import TableReader

__all__ = ["parse_curriculum"]


def _loads(section: TableReader, key: str, week_days: int) -> dict[tuple[int, int], int]:
    values = section.integer_list(key)
    if len(values) != 11 or any(not 0 <= value <= 60 for value in values):
        raise ProfileError.at(
            section.key_path(key),
            "нужно 11 чисел от 0 до 60 (параллели 1..11; 0 — неделя не допускается)",
            "expected 11 integers from 0 to 60 (parallels 1..11; 0: the week is not allowed)",
            code="profile.out_of_range",
        )
    return {
        (parallel, week_days): value for parallel, value in enumerate(values, start=1) if value > 0
    }


def parse_curriculum(section: TableReader) -> LoadPolicy:
    """Build the load policy from the ``[curriculum]`` table.

    Raises:
        ProfileError: For a missing, unknown or ill-typed key, a list of other than 11
            maximums, or a component name that is not a pair of Russian and English names.
    """
    clause = section.text("clause")
    requirement = section.text("requirement")
    source = section.text("sanitary_source")
    loads = {
        **_loads(section, "max_weekly_load_5", 5),
        **_loads(section, "max_weekly_load_6", 6),
    }
    tolerance = section.number("plan_tolerance_weeks")
    if tolerance < 0:
        raise ProfileError.at(
            section.key_path("plan_tolerance_weeks"),
            "значение не может быть отрицательным",
            "must not be negative",
            code="profile.out_of_range",
        )
    components = section.table("components")
    names: dict[ComponentKind, tuple[str, str]] = {}
    for kind in ComponentKind:
        pair = components.text_list(kind.value)
        if len(pair) != 2:
            raise ProfileError.at(
                components.key_path(kind.value),
                "нужны два названия: русское и английское",
                "expected two names: Russian and English",
                code="profile.wrong_type",
            )
        names[kind] = (pair[0], pair[1])
    components.finish()
    section.finish()
    return LoadPolicy(
        max_weekly_load=loads,
        sanitary_source=source,
        component_names=names,
        plan_tolerance_weeks=tolerance,
        clause=clause,
        requirement=requirement,
    )
