"""``eschool matrix``: print the role matrix (the school's Appendix 1)."""

from __future__ import annotations

import click

from eschool_core.cli._options import lang_option, profile_option
from eschool_core.profiles import Profile

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
@lang_option
@profile_option
def matrix(fmt: str, lang: str, profile: Profile) -> None:
    """Матрица ролевой модели прав доступа / the role matrix (Appendix 1)."""
    click.echo(profile.rbac.render(fmt, lang), nl=fmt == "md")
