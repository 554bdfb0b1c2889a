"""The ``[grading]`` section of a profile: work types, weights, rounding, minimum marks."""

from __future__ import annotations

from fractions import Fraction

from eschool_core.errors import ProfileError, ValidationError
from eschool_core.grading import GradingPolicy, RoundingPolicy, RoundingScheme, WorkType
from eschool_core.profiles._reader import TableReader

__all__ = ["parse_grading"]

_META_KEYS = frozenset({"clause", "requirement", "default"})


def _rounding(section: TableReader) -> RoundingPolicy:
    clause = section.text("clause")
    requirement = section.text("requirement")
    raw_scheme = section.text("scheme")
    try:
        scheme = RoundingScheme(raw_scheme)
    except ValueError:
        raise ProfileError.at(
            section.key_path("scheme"),
            f"неизвестная схема округления «{raw_scheme}» (half_up, fraction, custom)",
            f"unknown rounding scheme '{raw_scheme}' (half_up, fraction, custom)",
            code="profile.unknown_value",
        ) from None
    try:
        if scheme is RoundingScheme.HALF_UP:
            policy = RoundingPolicy.half_up(clause=clause, requirement=requirement)
        elif scheme is RoundingScheme.FRACTION:
            policy = RoundingPolicy.fraction(
                section.number("fraction"), clause=clause, requirement=requirement
            )
        else:
            table = section.table("thresholds")
            thresholds: dict[int, Fraction] = {}
            for key in table.keys():  # noqa: SIM118 - a TableReader, not a dict
                if key not in {"2", "3", "4", "5"}:
                    raise ProfileError.at(
                        table.key_path(key),
                        "порог задаётся для отметок 2, 3, 4, 5",
                        "thresholds are given for the marks 2, 3, 4, 5",
                        code="profile.unknown_key",
                    )
                thresholds[int(key)] = table.number(key)
            table.finish()
            policy = RoundingPolicy.custom(thresholds, clause=clause, requirement=requirement)
    except ProfileError:
        raise
    except ValidationError as exc:
        raise ProfileError.at(
            section.path, exc.message("ru"), exc.message("en"), code="profile.invalid"
        ) from exc
    section.finish()
    return policy


def parse_grading(section: TableReader) -> GradingPolicy:
    """Build the grading policy from the ``[grading]`` section (R2.2j).

    Raises:
        ProfileError: For a missing, unknown or mistyped key, an unknown rounding scheme,
            or a weight outside ``min_weight..max_weight``; the message names the key.
    """
    clause = section.text("clause")
    requirement = section.text("requirement")
    min_weight = section.number("min_weight")
    max_weight = section.number("max_weight")

    minimum = section.table("min_current_marks")
    minimum.text("clause")
    minimum.text("requirement")
    default_minimum = minimum.integer("default", low=0, high=1000)
    by_kind = {
        key: minimum.integer(key, low=0, high=1000)
        for key in minimum.keys()  # noqa: SIM118 - a TableReader, not a dict
        if key not in _META_KEYS
    }
    minimum.finish()

    deviation = section.table("deviation")
    deviation.text("clause")
    deviation.text("requirement")
    allowed = deviation.integer("allowed", low=0, high=4)
    deviation.finish()

    roundings = {
        name: _rounding(section.table(name))
        for name in ("period_rounding", "annual_rounding", "final_rounding")
    }

    catalogue = section.table("work_types")
    work_types = []
    for code in catalogue.keys():  # noqa: SIM118 - a TableReader, not a dict
        entry = catalogue.table(code)
        weight = entry.number("weight", Fraction(1))
        if not min_weight <= weight <= max_weight:
            raise ProfileError.at(
                entry.key_path("weight"),
                f"вес {weight} вне диапазона {min_weight}..{max_weight}",
                f"weight {weight} is outside {min_weight}..{max_weight}",
                code="profile.out_of_range",
            )
        try:
            work_types.append(
                WorkType(
                    code=code,
                    name_ru=entry.text("name_ru"),
                    name_en=entry.text("name_en"),
                    weight=weight,
                )
            )
        except ValidationError as exc:
            raise ProfileError.at(
                entry.path, exc.message("ru"), exc.message("en"), code="profile.invalid"
            ) from exc
        entry.finish()
    catalogue.finish()
    section.finish()
    try:
        return GradingPolicy(
            work_types=tuple(work_types),
            min_weight=min_weight,
            max_weight=max_weight,
            min_current_marks=default_minimum,
            min_current_marks_by_kind=by_kind,
            allowed_deviation=allowed,
            clause=clause,
            requirement=requirement,
            **roundings,
        )
    except ValidationError as exc:
        raise ProfileError.at(
            section.path, exc.message("ru"), exc.message("en"), code="profile.invalid"
        ) from exc
