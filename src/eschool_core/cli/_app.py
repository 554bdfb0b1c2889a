"""The click group of ``eschool``; each command lives in its own module.

The group is the command line's one error boundary: an
:class:`~eschool_core.errors.EschoolError` prints its message in the chosen language and
exits with status 2 (1 for a missing optional extra), an ``OSError`` names the path it
concerns and exits 2, and anything else prints one line asking for a bug report and exits 70
(the traceback only with ``eschool --debug``).
"""

from __future__ import annotations

import os
import traceback
from typing import Any

import click

from eschool_core.cli import _demo, _exchange
from eschool_core.cli._analyze import analyze_command
from eschool_core.cli._audit import audit_group
from eschool_core.cli._calendar import calendar_command
from eschool_core.cli._check import check_command
from eschool_core.cli._grading import average_command
from eschool_core.cli._list import list_command
from eschool_core.cli._matrix import matrix
from eschool_core.cli._options import (
    DEBUG_KEY,
    LANG_KEY,
    READ_ONLY_KEY,
    current_lang,
    lang_option,
    say,
)
from eschool_core.cli._report import report_command
from eschool_core.cli._synth import synth_command
from eschool_core.cli._verify import verify_command
from eschool_core.errors import EschoolError, MissingExtraError

USAGE_ERROR = 2
"""Exit status for bad usage or unreadable input."""
MISSING_EXTRA = 1
"""Exit status when an optional extra that the command needs is not installed."""
INTERNAL_ERROR = 70
"""Exit status for an unexpected error, a bug (``EX_SOFTWARE``)."""


class _Group(click.Group):
    """The error boundary of every command (see the module's documentation)."""

    def invoke(self, ctx: click.Context) -> Any:  # noqa: ANN401 - click's signature
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except EschoolError as exc:
            click.echo(f"eschool: {exc.message(current_lang())}", err=True)
            ctx.exit(MISSING_EXTRA if isinstance(exc, MissingExtraError) else USAGE_ERROR)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            if exc.filename is None:
                text = say(f"ошибка ввода-вывода: {reason}", f"input/output error: {reason}")
            else:
                where = exc.filename
                text = say(f"файл «{where}»: {reason}", f"file '{where}': {reason}")
            click.echo(f"eschool: {text}", err=True)
            ctx.exit(USAGE_ERROR)
        except Exception as exc:
            if ctx.meta.get(DEBUG_KEY) or os.environ.get("ESCHOOL_DEBUG"):
                click.echo(traceback.format_exc(), err=True, nl=False)
            name = type(exc).__name__
            click.echo(
                "eschool: "
                + say(
                    f"внутренняя ошибка ({name}); пожалуйста, сообщите о ней разработчикам, "
                    "приложив вывод команды с eschool --debug",
                    f"internal error ({name}); please report this bug with the output of the "
                    "command run as eschool --debug",
                ),
                err=True,
            )
            ctx.exit(INTERNAL_ERROR)


def _remember_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta[DEBUG_KEY] = value
    return value


@click.group(cls=_Group)
@click.version_option(package_name="eschool-core")
@lang_option
@click.option(
    "--debug",
    is_flag=True,
    callback=_remember_debug,
    expose_value=False,
    help="Трассировка неожиданной ошибки / print the traceback of an unexpected error (also "
    "ESCHOOL_DEBUG=1).",
)
@click.option(
    "--read-only",
    is_flag=True,
    help="Открыть хранилище только для чтения (архив) / open the store read-only, as an "
    "archive (also done when a SQLite store's file or folder cannot be written).",
)
def app(lang: str, read_only: bool) -> None:
    """eschool: правила электронного журнала школы / a school e-journal's rules.

    A store is a SQLite file or a postgresql:// URL; a store kept in a PostgreSQL schema of
    its own is named by the URL's schema parameter (postgresql://host/db?schema=school_42),
    the same for every command.
    """
    ctx = click.get_current_context()
    ctx.meta[LANG_KEY] = lang
    ctx.meta[READ_ONLY_KEY] = read_only


app.add_command(_demo.demo)
app.add_command(calendar_command)
app.add_command(check_command)
app.add_command(average_command)
app.add_command(matrix)
app.add_command(report_command)
app.add_command(synth_command)
app.add_command(analyze_command)
app.add_command(_exchange.import_command)
app.add_command(_exchange.export_command)
app.add_command(audit_group)
app.add_command(list_command)
app.add_command(verify_command)
