"""Where a command's data come from: a store, or a generated school only when asked for.

A store is ``--store`` or ``$ESCHOOL_STORE``; ``--synthetic`` asks for a generated school and
says so on stderr — never silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click
from click.core import ParameterSource

from eschool_core import synth
from eschool_core.cli._options import say

__all__ = ["STORE_ENV", "choose_source", "source_options"]

STORE_ENV = "ESCHOOL_STORE"
"""The environment variable naming the default store (a SQLite file or a postgresql:// URL)."""

_F = TypeVar("_F", bound=Callable[..., object])


def source_options(function: _F) -> _F:
    """Add ``--store`` (default ``$ESCHOOL_STORE``), ``--synthetic``, ``--size`` and ``--seed``.

    The command receives ``store``, ``synthetic``, ``size`` and ``seed``; it passes them to
    :func:`choose_source`.
    """
    options = (
        click.option(
            "--store",
            "store",
            envvar=STORE_ENV,
            default=None,
            help="Хранилище: файл SQLite или адрес postgresql:// (по умолчанию $ESCHOOL_STORE) / "
            "the store: a SQLite file or a postgresql:// URL (default: $ESCHOOL_STORE).",
        ),
        click.option(
            "--synthetic",
            is_flag=True,
            help="Сгенерированная школа вместо хранилища / a generated school instead of a store.",
        ),
        click.option(
            "--size",
            type=click.Choice([size.value for size in synth.SchoolSize]),
            default=synth.SchoolSize.SMALL.value,
            show_default=True,
            help="Размер школы для --synthetic / the size of the --synthetic school.",
        ),
        click.option(
            "--seed",
            type=int,
            default=1,
            show_default=True,
            help="Зерно генератора для --synthetic / the generator's seed for --synthetic.",
        ),
    )
    for option in reversed(options):
        function = option(function)
    return function


def _given(ctx: click.Context, name: str) -> bool:
    return ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE


def choose_source(store: str | None, *, synthetic: bool, size: str, seed: int) -> str | None:
    """Return the store to read, or ``None`` for the synthetic school ``--synthetic`` asks for.

    A store comes from ``--store`` or ``$ESCHOOL_STORE``; ``--synthetic`` overrides the
    environment variable (not an explicit ``--store``) and prints one line on stderr saying
    that the data are generated.

    Raises:
        click.UsageError: Without a store and without ``--synthetic``; for ``--store`` with
            ``--synthetic``; for ``--size`` or ``--seed`` without ``--synthetic``.
    """
    ctx = click.get_current_context()
    if synthetic:
        if _given(ctx, "store"):
            raise click.UsageError(
                say(
                    "--store и --synthetic исключают друг друга",
                    "--store and --synthetic exclude each other",
                )
            )
        click.echo(
            "eschool: "
            + say(
                f"синтетическая школа («{size}», зерно {seed}), а не данные хранилища",
                f"a synthetic school ('{size}', seed {seed}), not the data of a store",
            ),
            err=True,
        )
        return None
    extra = [f"--{name}" for name in ("size", "seed") if _given(ctx, name)]
    if extra:
        raise click.UsageError(
            say(
                f"{' и '.join(extra)} относится к синтетической школе: добавьте --synthetic"
                if len(extra) == 1
                else f"{' и '.join(extra)} относятся к синтетической школе: добавьте --synthetic",
                f"{' and '.join(extra)} {'applies' if len(extra) == 1 else 'apply'} to the "
                "synthetic school: add --synthetic",
            )
        )
    if store is None:
        raise click.UsageError(
            say(
                f"укажите хранилище: --store ФАЙЛ_ИЛИ_АДРЕС или переменную {STORE_ENV} "
                "(после eschool demo: --store eschool-demo/school.sqlite), "
                "или --synthetic для сгенерированной школы",
                f"name a store: --store FILE_OR_URL or the variable {STORE_ENV} "
                "(after eschool demo: --store eschool-demo/school.sqlite), "
                "or --synthetic for a generated school",
            )
        )
    return store
