"""``eschool import`` and ``eschool export``: the exchange bundle to and from a SQL store."""

from __future__ import annotations

from pathlib import Path

import click

from eschool_core.privacy import Pseudonymiser
from eschool_core.storage.bundle import BundleError, export_bundle, import_bundle


def _open(store: str):  # type: ignore[no-untyped-def]  # noqa: ANN202 - SqlStore, imported lazily
    from eschool_core.storage.sql import SqlStore  # noqa: PLC0415 - the sql extra

    return SqlStore(store)


@click.command("import")
@click.argument("bundle", type=click.Path(exists=True, path_type=Path))
@click.argument("store")
def import_command(bundle: Path, store: str) -> None:
    """Import BUNDLE (a folder or .zip) into STORE, all or nothing.

    STORE: a SQLite file path or a postgresql:// URL.
    """
    target = _open(store)
    try:
        counts = import_bundle(bundle, target)
    except BundleError as error:
        click.echo(f"eschool: пакет не импортирован, ошибок: {len(error.problems)}", err=True)
        click.echo(
            f"eschool: the bundle was not imported, problems: {len(error.problems)}", err=True
        )
        for problem in error.problems:
            column = f" [{problem.column}]" if problem.column else ""
            click.echo(f"{problem.file}:{problem.line}{column}: {problem.reason}", err=True)
        raise SystemExit(1) from error
    finally:
        target.close()
    total = sum(counts.values())
    click.echo(f"Импортировано записей / imported records: {total}")
    for name, count in counts.items():
        click.echo(f"  {name}: {count}")


@click.command("export")
@click.argument("store")
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option("--profile", default="default", show_default=True, help="Profile name.")
@click.option("--year", default=None, help="Academic year (default: the latest class year).")
@click.option(
    "--anonymise",
    is_flag=True,
    help="Pseudonymised bundle for analysts: no names, СНИЛС, documents, addresses, contacts.",
)
@click.option(
    "--key",
    default=None,
    envvar="ESCHOOL_EXPORT_KEY",
    help="Pseudonymisation key (16+ characters; default: a new one, printed). "
    "The same key gives the same pseudonyms.",
)
def export_command(  # noqa: PLR0917 - click passes every option by position
    store: str, bundle: Path, profile: str, year: str | None, anonymise: bool, key: str | None
) -> None:
    """Export STORE as BUNDLE: a folder, or a zip file if BUNDLE ends in .zip.

    STORE: a SQLite file path or a postgresql:// URL. With --anonymise the people's ids
    become stable pseudonyms under the key, direct identifiers are left out and birth
    dates are coarsened to the year (R6.1, 152-FZ).
    """
    if key is not None and not anonymise:
        raise click.UsageError("--key goes with --anonymise")
    pseudonym_key = None
    if anonymise:
        pseudonym_key = key if key is not None else Pseudonymiser.generate_key()
        Pseudonymiser(pseudonym_key)  # a bad key is refused before the store is opened
    source = _open(store)
    try:
        manifest = export_bundle(
            source, bundle, profile=profile, academic_year=year, pseudonym_key=pseudonym_key
        )
    finally:
        source.close()
    total = sum(item["rows"] for item in manifest["files"])
    click.echo(f"Экспортировано записей / exported records: {total} → {bundle}")
    if anonymise and key is None:
        click.echo(
            "Ключ псевдонимизации (сохраните его, чтобы следующие выгрузки совпадали) / "
            f"pseudonymisation key (keep it for matching exports): {pseudonym_key}"
        )
