"""``eschool verify``: re-validate every row of a store, e.g. after another tool edited it."""

from __future__ import annotations

import json

import click

from eschool_core.cli._check import _open_store
from eschool_core.cli._options import current_lang, lang_option, say
from eschool_core.errors import ValidationError

__all__ = ["verify_command"]


@click.command("verify")
@click.option("--store", "store_spec", required=True, help="Path or URL of a store.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@lang_option
def verify_command(store_spec: str, output: str, lang: str) -> None:
    """Re-validate every stored row; list the invalid ones and exit 1 if there are any.

    Each row is rebuilt through its entity's validators (the audit log's chain is checked
    by ``eschool audit verify``).
    """
    del lang  # read by the option itself: the language of the messages
    from eschool_core.storage.sql import SqlStore, verify_rows  # noqa: PLC0415 - the sql extra

    store = _open_store(store_spec)
    try:
        invalid = verify_rows(store) if isinstance(store, SqlStore) else ()
    finally:
        store.close()
    if output == "json":
        click.echo(json.dumps([_row(error) for error in invalid], ensure_ascii=False, indent=2))
    else:
        for error in invalid:
            facts = error.details
            message = error.message(current_lang())
            click.echo(f"{facts['table']}\t{facts['id']}\t{facts['cause']}\t{message}")
        click.echo(
            say(
                f"Недопустимых строк: {len(invalid)}",
                f"Invalid rows: {len(invalid)}",
            )
        )
    if invalid:
        raise SystemExit(1)


def _row(error: ValidationError) -> dict[str, object]:
    return {
        "table": error.details["table"],
        "id": error.details["id"],
        "cause": error.details["cause"],
        "message": {"ru": error.message("ru"), "en": error.message("en")},
    }
