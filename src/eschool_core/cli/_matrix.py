"""``eschool matrix``: print the role matrix (the school's Appendix 1)."""

from __future__ import annotations

import click

from eschool_core.profiles import default_profile, load_profile

__all__ = ["matrix"]


@click.command("matrix")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "csv"]),
    default="md",
    show_default=True,
    help="Формат таблицы / table format.",
)
@click.option(
    "--lang",
    type=click.Choice(["ru", "en"]),
    default="ru",
    show_default=True,
    help="Язык / language.",
)
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Профиль TOML (по умолчанию встроенный) / profile TOML (default: built-in).",
)
def matrix(fmt: str, lang: str, profile_path: str | None) -> None:
    """Матрица ролевой модели прав доступа / the role matrix (Appendix 1)."""
    profile = default_profile() if profile_path is None else load_profile(profile_path)
    click.echo(profile.rbac.render(fmt, lang), nl=fmt == "md")
