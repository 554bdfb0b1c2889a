"""What several commands share: the school's profile, the output language, the academic year."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import click
from click.core import ParameterSource

from eschool_core._extras import require
from eschool_core._validation import parse_date
from eschool_core.calendar import AcademicYear, YearLabel, standard_year
from eschool_core.cli._errors import (
    CALENDAR_LABEL_MISMATCH,
    CALENDAR_NOT_UTF8,
    CALENDAR_UNREADABLE,
    CALENDAR_YEAR_NOT_STORED,
    CALENDAR_YEAR_REQUIRED,
)
from eschool_core.errors import ValidationError
from eschool_core.profiles import Profile, default_profile, load_profile
from eschool_core.storage import Store, open_store, sqlite_writable
from eschool_core.texts import Text

LANG_KEY = "eschool.lang"
"""Where the chosen output language is kept in click's context ``meta``."""
DEBUG_KEY = "eschool.debug"
"""Where ``--debug`` is kept in click's context ``meta``."""
READ_ONLY_KEY = "eschool.read_only"
"""Where ``eschool --read-only`` is kept in click's context ``meta``."""

_F = TypeVar("_F", bound=Callable[..., object])


def _read_profile(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Profile:
    # a ProfileError names the file and the key; the error boundary prints it in --lang
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


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Keep an explicit ``--lang`` for the error boundary; a default defers to the group's."""
    if ctx.get_parameter_source(str(param.name)) in {
        ParameterSource.DEFAULT,
        None,
    }:
        return str(ctx.meta.get(LANG_KEY, value))
    ctx.meta[LANG_KEY] = value
    return value


def lang_option(function: _F) -> _F:
    """Add ``--lang ru|en``: the language of headings and messages (read before the others).

    The chosen language is also the language of the command's error messages; without the
    option the group's ``eschool --lang`` applies.
    """
    option = click.option(
        "--lang",
        type=click.Choice(["ru", "en"]),
        default="ru",
        show_default=True,
        is_eager=True,
        callback=_remember_lang,
        help="Язык вывода / language of the output.",
    )
    return option(function)


def open_for_reading(spec: str) -> Store:
    """Open an existing store for a reading command, never creating or altering it.

    The store is opened read-only (:func:`~eschool_core.storage.open_store` with
    ``read_only=True``) when ``eschool --read-only`` was given, or when a SQLite store's
    file or folder cannot be written (an archive on a read-only mount): a write through it
    is then refused with ``storage.read_only``. Otherwise it is opened as usual.

    Raises:
        StorageError: See :func:`~eschool_core.storage.open_store`.
    """
    ctx = click.get_current_context(silent=True)
    asked = bool(ctx is not None and ctx.meta.get(READ_ONLY_KEY))
    return open_store(spec, read_only=asked or not sqlite_writable(spec))


def current_lang() -> str:
    """The language the command line speaks now: ``"ru"`` (default) or ``"en"``."""
    ctx = click.get_current_context(silent=True)
    return "ru" if ctx is None else str(ctx.meta.get(LANG_KEY, "ru"))


def say(ru: str, en: str) -> str:
    """Return ``ru`` or ``en``, whichever :func:`current_lang` asks for."""
    return en if current_lang() == "en" else ru


def check_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Click callback: ``value`` must be a date ``YYYY-MM-DD`` (the error names the option)."""
    if value is None:
        return None
    try:
        parse_date(value)
    except ValueError as exc:
        reason = str(exc) if "not a date" not in str(exc) else "expected YYYY-MM-DD"
        raise click.BadParameter(
            say(f"«{value}» — не дата ГГГГ-ММ-ДД ({reason})", f"'{value}' is not a date ({reason})")
        ) from None
    return value


def check_output(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """Click callback: the folder of an output file must exist (checked before any work)."""
    if value is not None and not value.absolute().parent.is_dir():
        raise click.BadParameter(
            say(
                f"папки «{value.parent}» для файла «{value}» нет",
                f"the folder '{value.parent}' of '{value}' does not exist",
            )
        )
    return value


FORMAT_EXTRAS = {"pdf": "fpdf", "xlsx": "openpyxl", "png": "matplotlib"}
"""The optional module that writes each output format that needs one (the ``export`` extra)."""


def check_format_extra(
    _ctx: click.Context, _param: click.Parameter, value: str | tuple[str, ...] | None
) -> str | tuple[str, ...] | None:
    """Click callback: the module of each output format asked for is installed (before any work).

    ``value`` is one format, or the formats of an option that may repeat.

    Raises:
        MissingExtraError: Naming the extra to install.
    """
    formats = (value,) if isinstance(value, str) else value or ()
    for fmt in formats:
        module = FORMAT_EXTRAS.get(fmt)
        if module is not None:
            require(module, "export")
    return value


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
            raise CALENDAR_YEAR_REQUIRED.error()
        return standard_year(label, profile.calendar)
    try:
        text = year_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise CALENDAR_UNREADABLE.error(file=str(year_file), reason=exc.strerror) from exc
    except UnicodeDecodeError as exc:
        raise CALENDAR_NOT_UTF8.error(details={"file": str(year_file)}, start=exc.start) from exc
    try:
        year = AcademicYear.from_toml(text, production=profile.calendar.production)
    except ValidationError as exc:
        raise ValidationError(
            f"Файл «{year_file}»: {exc}",
            f"File '{year_file}': {exc.message('en')}",
            code=exc.code,
            clause=exc.clause,
            details={**exc.details, "file": str(year_file)},
        ) from exc
    if label is not None and year.label != YearLabel.parse(label):
        raise CALENDAR_LABEL_MISMATCH.error(found=year.label, asked=label)
    return year


DEFAULT_YEAR = "2025/2026"
"""The academic year of the synthetic school when ``--year`` does not name one."""


def year_file_option(function: _F) -> _F:
    """Add ``--year-file FILE``: an explicit override of a store's academic year, as TOML."""
    option = click.option(
        "--year-file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        help="Учебный год (TOML) вместо сохранённого в хранилище / an academic year as TOML "
        "instead of the one the store keeps.",
    )
    return option(function)


def store_year(
    label: str | None,
    year_file: Path | None,
    profile: Profile,
    *,
    stored: Callable[[], Sequence[AcademicYear]],
) -> AcademicYear:
    """Return the academic year of a store: ``year_file``'s if given, else the one it keeps.

    ``year_file`` is an explicit override (see :func:`load_year`). Otherwise the year comes
    from the store's ``academic_years`` (``stored()``): the one labelled ``label``, or the
    newest when no label is given. A store that keeps no such year is an error, never a
    silent standard year.

    Raises:
        NotFoundError: If the store keeps no academic year, or not ``label``
            (``calendar.year_not_stored``).
        ValidationError: See :func:`load_year`.
    """
    if year_file is not None:
        return load_year(label, year_file, profile)
    years = sorted(stored(), key=lambda year: year.label.first)
    if label is not None:
        wanted = YearLabel.parse(label)
        years = [year for year in years if year.label == wanted]
    if years:
        return years[-1]
    kept = ", ".join(str(year.label) for year in sorted(stored(), key=lambda y: y.label.first))
    asked = f" {label}" if label else ""
    raise CALENDAR_YEAR_NOT_STORED.error(
        details={"year": label or "", "stored": kept},
        asked=asked,
        kept=Text(kept or "нет", kept or "none"),
    )


def stored_years(store: Store) -> Sequence[AcademicYear]:
    """Return the academic years ``store`` keeps (read in a unit of work that writes nothing)."""
    with store.unit_of_work() as uow:
        return uow.academic_years.all()


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
