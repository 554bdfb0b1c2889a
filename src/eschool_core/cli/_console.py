"""The console of the commands' tables: a terminal's width on a terminal, never cut when piped."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

__all__ = ["PIPED", "PIPED_WIDTH", "print_table", "table_console"]

PIPED_WIDTH = 10_000
"""The line width of tables written to a pipe or a file: wide enough that nothing wraps."""

PIPED: dict[str, Any] = {"width": PIPED_WIDTH, "color_system": None, "soft_wrap": False}
"""The settings of a console writing to a pipe or a file (``Console(file=f, **PIPED)``)."""


def table_console() -> Console:
    """Return a console for the commands' tables.

    On a terminal it is rich's own (the terminal's width, colours); written to a pipe or a
    file, it has no colours and a line width of :data:`PIPED_WIDTH`, so a table is never
    wrapped or cut (``eschool report --list | cat``).
    """
    console = Console()
    if console.is_terminal:
        return console
    return Console(**PIPED)


def print_table(table: Table, console: Console | None = None) -> None:
    """Print a table: drawn with box characters on a terminal, plain ASCII and whole when piped."""
    console = console or table_console()
    if not console.is_terminal:
        table.box = box.ASCII
        for column in table.columns:
            column.no_wrap = True
            column.overflow = "ignore"
            column.max_width = None  # a role name is never cut to a terminal's column
    console.print(table)
