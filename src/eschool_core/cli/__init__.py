"""The ``eschool`` command: a thin layer over the public functions.

It needs the ``cli`` extra (click and rich); without it, ``eschool`` says which extra to
install and exits with status 1.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the ``eschool`` command line and return its exit status.

    Exit statuses: 0 success; 1 the command found problems (e.g. compliance findings of
    error severity) or an optional extra is missing; 2 bad usage or unreadable input;
    70 an unexpected error (a bug: the traceback is printed with ``eschool --debug``).
    """
    from eschool_core._extras import require  # noqa: PLC0415
    from eschool_core.errors import MissingExtraError  # noqa: PLC0415

    try:
        for module in ("click", "rich"):
            require(module, "cli")
    except MissingExtraError as exc:
        print(
            f"eschool: {exc.message('en')}\neschool: {exc.message('ru')}",
            file=sys.stderr,
        )
        return 1
    from eschool_core.cli._app import app  # noqa: PLC0415 - click is an optional extra

    try:
        app.main(args=argv, prog_name="eschool")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
