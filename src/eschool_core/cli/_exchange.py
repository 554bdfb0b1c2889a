"""``eschool import`` and ``eschool export``: the bundle or OneRoster to and from a SQL store."""

from __future__ import annotations

from pathlib import Path

import click

from eschool_core.cli._options import DEFAULT_YEAR, store_year, year_file_option
from eschool_core.interop import OneRosterError, export_oneroster, import_oneroster
from eschool_core.profiles import default_profile
from eschool_core.storage import Store
from eschool_core.storage.bundle import BundleError, export_bundle, import_bundle

_FORMAT = click.option(
    "--format",
    "kind",
    type=click.Choice(["bundle", "oneroster"]),
    default="bundle",
    show_default=True,
    help="Пакет eschool или OneRoster 1.2 CSV / the eschool bundle or OneRoster 1.2 CSV.",
)


def _open(store: str):  # type: ignore[no-untyped-def]  # noqa: ANN202 - SqlStore, imported lazily
    from eschool_core.storage.sql import SqlStore  # noqa: PLC0415 - the sql extra

    return SqlStore(store)


@click.command("import")
@click.argument("bundle", type=click.Path(exists=True, path_type=Path))
@click.argument("store")
@_FORMAT
def import_command(bundle: Path, store: str, kind: str) -> None:
    """Import BUNDLE (a folder or .zip) into STORE, all or nothing.

    STORE: a SQLite file path or a postgresql:// URL.
    """
    target = _open(store)
    try:
        counts = (import_oneroster if kind == "oneroster" else import_bundle)(bundle, target)
    except (BundleError, OneRosterError) as error:
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
@_FORMAT
@year_file_option
@click.option(
    "--demographics",
    is_flag=True,
    help="OneRoster: записать дату рождения и пол / write birth dates and sex (152-FZ).",
)
def export_command(  # noqa: PLR0917 - click passes the options positionally
    store: str,
    bundle: Path,
    profile: str,
    year: str | None,
    kind: str,
    year_file: Path | None,
    demographics: bool,
) -> None:
    """Export STORE as BUNDLE: a folder, or a zip file if BUNDLE ends in .zip.

    STORE: a SQLite file path or a postgresql:// URL. With ``--format oneroster`` the year's
    study periods come from ``--year-file`` or the standard year.
    """
    source = _open(store)
    try:
        if kind == "oneroster":
            academic_year = store_year(
                year, year_file, default_profile(), default=lambda: _latest_year(source)
            )
            counts = export_oneroster(source, bundle, year=academic_year, demographics=demographics)
            total = sum(counts.values())
        else:
            manifest = export_bundle(source, bundle, profile=profile, academic_year=year)
            total = sum(item["rows"] for item in manifest["files"])
    finally:
        source.close()
    click.echo(f"Экспортировано записей / exported records: {total} → {bundle}")


def _latest_year(store: Store) -> str:
    with store.unit_of_work() as uow:
        years = [school_class.year for school_class in uow.classes.all()]
    return max(years, default=DEFAULT_YEAR)
