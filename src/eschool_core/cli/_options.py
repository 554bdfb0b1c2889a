"""Options that several commands share: the school's profile and the output language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from eschool_core.profiles import Profile, default_profile, load_profile

_F = TypeVar("_F", bound=Callable[..., object])


def _read_profile(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Profile:
    return default_profile() if value is None else load_profile(value)


def profile_option(function: _F) -> _F:
    """Add ``--profile FILE``: the command receives ``profile``, the loaded :class:`Profile`."""
    option = click.option(
        "--profile",
        "profile",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        callback=_read_profile,
        help="Профиль школы (TOML) / the school's profile (default: the built-in one).",
    )
    return option(function)


def lang_option(function: _F) -> _F:
    """Add ``--lang ru|en``: the language of headings and messages."""
    option = click.option(
        "--lang",
        type=click.Choice(["ru", "en"]),
        default="ru",
        show_default=True,
        help="Язык вывода / language of the output.",
    )
    return option(function)
