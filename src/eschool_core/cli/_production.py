"""``--production-calendar FILE``: add a year's production calendar from its decree (TOML)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import attrs
import click

from eschool_core.calendar import DecreedYear, decreed_years_from_toml
from eschool_core.cli._errors import CALENDAR_UNREADABLE
from eschool_core.profiles import Profile

__all__ = ["production_calendar_option", "with_production_files"]

_F = TypeVar("_F", bound=Callable[..., object])


def production_calendar_option(function: _F) -> _F:
    """Add ``--production-calendar FILE`` (repeatable): ``production_files``, a tuple of paths."""
    option = click.option(
        "--production-calendar",
        "production_files",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="TOML-файл с [[production_year]] (праздники и переносы по постановлению) / "
        "a year's holidays and transfers from its decree.",
    )
    return option(function)


def with_production_files(profile: Profile, files: Sequence[Path]) -> Profile:
    """Return the profile with the decreed years of ``files`` added to its production calendar.

    Raises:
        ValidationError: For an unreadable file (``calendar.unreadable``) or a bad table
            (``calendar.production_invalid``).
    """
    years: list[DecreedYear] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CALENDAR_UNREADABLE.error(file=str(path), reason=exc.strerror) from exc
        years.extend(decreed_years_from_toml(text))
    if not years:
        return profile
    calendar = profile.calendar
    production = calendar.production.with_decreed(years)
    return attrs.evolve(profile, calendar=attrs.evolve(calendar, production=production))
