"""The click group of ``eschool``; each command lives in its own module."""

from __future__ import annotations

from typing import Any

import click

from eschool_core.cli import _demo, _exchange
from eschool_core.cli._analyze import analyze_command
from eschool_core.cli._calendar import calendar_command
from eschool_core.cli._check import check_command
from eschool_core.cli._grading import average_command
from eschool_core.cli._list import list_command
from eschool_core.cli._matrix import matrix
from eschool_core.cli._report import report_command
from eschool_core.cli._synth import synth_command
from eschool_core.errors import EschoolError

USAGE_ERROR = 2
"""Exit status for bad usage or unreadable input."""


class _Group(click.Group):
    """Turns library errors into a clear two-language message and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:  # noqa: ANN401 - click's signature
        try:
            return super().invoke(ctx)
        except EschoolError as exc:
            click.echo(f"eschool: {exc}", err=True)
            click.echo(f"eschool: {exc.message('en')}", err=True)
            ctx.exit(USAGE_ERROR)


@click.group(cls=_Group)
@click.version_option(package_name="eschool-core")
def app() -> None:
    """eschool: правила электронного журнала школы / a school e-journal's rules."""


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
app.add_command(list_command)
