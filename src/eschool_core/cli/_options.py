"""What several commands share: the school's profile, the output language, the academic year."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from eschool_core.calendar import AcademicYear, YearLabel, standard_year
from eschool_core.errors import ValidationError
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


def load_year(label: str | None, year_file: Path | None, profile: Profile) -> AcademicYear:
    """Return the academic year ``label``: the school's own from ``year_file``, or the standard.

    Without ``year_file`` the standard year is built from the profile's ``[calendar]``
    section; with it, the year is read from the TOML file (as
    :meth:`~eschool_core.calendar.AcademicYear.to_toml` writes it) and ``label``, if given,
    must be its label.

    Raises:
        ValidationError: If neither is given (``calendar.year_required``), the file cannot
            be read (``calendar.unreadable``) or describes another year
            (``calendar.label_mismatch``), or for an invalid year.
    """
    if year_file is None:
        if label is None:
            raise ValidationError(
                "Укажите учебный год или файл учебного года",
                "Give an academic year or an academic year file",
                code="calendar.year_required",
            )
        return standard_year(label, profile.calendar)
    try:
        text = year_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(
            f"Не удалось прочитать файл «{year_file}»: {exc.strerror}",
            f"Cannot read file '{year_file}': {exc.strerror}",
            code="calendar.unreadable",
        ) from exc
    year = AcademicYear.from_toml(text, production=profile.calendar.production)
    if label is not None and year.label != YearLabel.parse(label):
        raise ValidationError(
            f"Файл описывает год {year.label}, а запрошен {label}",
            f"The file describes the year {year.label}, but {label} was asked for",
            code="calendar.label_mismatch",
        )
    return year


DEFAULT_YEAR = "2025/2026"
"""The academic year of the synthetic school, and of a store when nothing else names one."""


def year_file_option(function: _F) -> _F:
    """Add ``--year-file FILE``: a store's academic year as TOML (the school's own calendar)."""
    option = click.option(
        "--year-file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        help="Учебный год школы (TOML) / the school's own academic year as TOML "
        "(default: the profile's standard year).",
    )
    return option(function)


def store_year(
    label: str | None,
    year_file: Path | None,
    profile: Profile,
    *,
    default: Callable[[], str] = lambda: DEFAULT_YEAR,
) -> AcademicYear:
    """Return the academic year of a store: ``year_file``'s, else ``label``'s, else ``default()``.

    A store keeps no calendar; see :func:`load_year` for the file and the errors.
    """
    if label is None and year_file is None:
        label = default()
    return load_year(label, year_file, profile)


def synthetic_year(label: str | None, year_file: Path | None) -> str:
    """Return the label of the synthetic school's year; it has its own calendar.

    Raises:
        click.UsageError: If ``year_file`` is given (it describes a store's year).
    """
    if year_file is not None:
        raise click.UsageError(
            "--year-file относится к хранилищу (--store) / --year-file applies to a --store"
        )
    return label or DEFAULT_YEAR
