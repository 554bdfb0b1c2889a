"""``eschool import`` and ``eschool export``: the bundle or OneRoster to and from a SQL store."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from eschool_core.cli._options import (
    current_lang,
    open_for_reading,
    profile_option,
    say,
    store_year,
    stored_years,
    year_file_option,
)
from eschool_core.interop import OneRosterError, export_oneroster, import_oneroster
from eschool_core.privacy import Pseudonymiser
from eschool_core.profiles import Profile, default_profile
from eschool_core.storage import open_store
from eschool_core.storage.bundle import (
    K_ANONYMITY,
    BundleError,
    export_bundle,
    import_bundle,
    read_manifest,
)

_SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")
"""What a SQLite store consists of on disk: the file and its journals."""

_FORMAT = click.option(
    "--format",
    "kind",
    type=click.Choice(["bundle", "oneroster"]),
    default="bundle",
    show_default=True,
    help="Пакет eschool или OneRoster 1.2 CSV / the eschool bundle or OneRoster 1.2 CSV.",
)


def _new_sqlite_files(store: str) -> list[Path]:
    """The files a new SQLite store at ``store`` would create (none exist yet), else ``[]``."""
    if "://" in store or store in {"", ":memory:"}:
        return []
    files = [Path(f"{store}{end}") for end in _SQLITE_COMPANIONS]
    return [] if any(file.exists() for file in files) else files


@click.command("import")
@click.argument("bundle", type=click.Path(exists=True, path_type=Path))
@click.argument("store")
@_FORMAT
def import_command(bundle: Path, store: str, kind: str) -> None:
    """Загрузить пакет в хранилище / import BUNDLE (a folder or .zip) into STORE, all or nothing.

    STORE: a SQLite file path or a postgresql:// URL. A new SQLite file is created; an
    existing file must be an eschool store. A failed import leaves no new file behind.
    """
    created = _new_sqlite_files(store)
    try:
        counts = _import(bundle, store, kind)
    except BaseException:
        for file in created:
            file.unlink(missing_ok=True)
        raise
    total = sum(counts.values())
    click.echo(say(f"Импортировано записей: {total}", f"Imported records: {total}"))
    manifest = read_manifest(bundle) if kind == "bundle" else {}
    _echo_counts(counts, manifest)
    if kind == "bundle":
        _echo_ledger(manifest)


def _echo_counts(counts: Mapping[str, int], manifest: Mapping[str, Any]) -> None:
    """Print the records of each aggregate, with the lines of its child files.

    Export and import print the same lines for the same bundle: the records are the
    aggregates' entities; the lines of a child file (``order_items.csv``) belong to their
    aggregate's entities and are shown beside them, not added to the total.
    """
    children: dict[str, list[str]] = {}
    for item in manifest.get("files", ()):
        if item["name"] != f"{item['entity']}.csv" and item["entity"] in counts:
            children.setdefault(item["entity"], []).append(
                say(
                    f"{item['name']}: строк {item['rows']}", f"{item['name']}: {item['rows']} lines"
                )
            )
    for name, count in counts.items():
        beside = f" ({', '.join(children[name])})" if name in children else ""
        click.echo(f"  {name}: {count}{beside}")


def _echo_ledger(manifest: Mapping[str, Any]) -> None:
    """Print what the bundle carries of the audit log, or that it carries none."""
    ledger = manifest.get("audit_log")
    if isinstance(ledger, dict):
        entries, checkpoints = ledger.get("entries"), ledger.get("checkpoints")
        click.echo(
            say(
                f"Журнал изменений: записей {entries}, контрольных точек {checkpoints}",
                f"Audit log: {entries} entries, {checkpoints} checkpoints",
            )
        )
        return
    version = manifest.get("format_version")
    click.echo(
        say(
            f"Журнала изменений в пакете нет (формат пакета {version}): перенесены только "
            "данные, журнал хранилища не пополнен",
            f"The bundle carries no audit log (bundle format {version}): only the data was "
            "carried, the store's log was not extended",
        )
    )


def _echo_coarsening(anonymised: dict[str, Any]) -> None:
    """Print, per table of people, what the k-anonymity of the export coarsened."""
    k = anonymised["k"]
    for table, summary in anonymised["quasi_identifiers"].items():
        coarsened = ", ".join(summary["coarsened"]) or "—"
        smallest, suppressed = summary["smallest_group"], summary["suppressed_rows"]
        short = not summary["k_achieved"]
        click.echo(
            say(
                f"k-анонимность (k = {k}), {table}: наименьшая группа {smallest}, "
                f"скрыто строк {suppressed}, загрублено: {coarsened}"
                + (" (k не достигнуто: людей в группе меньше k, все признаки скрыты)" * short),
                f"k-anonymity (k = {k}), {table}: smallest group {smallest}, "
                f"rows suppressed {suppressed}, coarsened: {coarsened}"
                + (" (k not reached: fewer than k people, every attribute suppressed)" * short),
            )
        )


def _import(bundle: Path, store: str, kind: str) -> dict[str, int]:
    target = open_store(store, create=True)
    try:
        return (import_oneroster if kind == "oneroster" else import_bundle)(bundle, target)
    except (BundleError, OneRosterError) as error:
        count = len(error.problems)
        click.echo(
            "eschool: "
            + say(
                f"пакет не импортирован, ошибок: {count}",
                f"the bundle was not imported, problems: {count}",
            ),
            err=True,
        )
        for problem in error.problems:
            click.echo(f"{problem.where}: {problem.message.in_(current_lang())}", err=True)
        raise SystemExit(1) from error
    finally:
        target.close()


def _profile_name(profile: Profile) -> str:
    """The manifest's name of ``profile``: ``default`` for the built-in one, else its name."""
    return "default" if profile == default_profile() else profile.name


@click.command("export")
@click.argument("store")
@click.argument("bundle", type=click.Path(path_type=Path))
@profile_option
@click.option(
    "--year",
    default=None,
    help="Учебный год (по умолчанию: последний год классов) / the academic year (default: the "
    "latest year of the classes).",
)
@click.option(
    "--anonymise",
    is_flag=True,
    help="Псевдонимизированный пакет для аналитиков / a pseudonymised bundle for analysts: no "
    "names, СНИЛС, documents, addresses, contacts.",
)
@click.option(
    "--key",
    default=None,
    envvar="ESCHOOL_EXPORT_KEY",
    help="Ключ псевдонимизации / the pseudonymisation key (16+ characters; default: a new one, "
    "printed). The same key gives the same pseudonyms.",
)
@click.option(
    "--k-anonymity",
    "k",
    type=int,
    default=K_ANONYMITY,
    show_default=True,
    help="With --anonymise: every combination of birth year, sex, position, hiring year "
    "(students: within the parallel) is shared by at least K people (K >= 5).",
)
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
    profile: Profile,
    year: str | None,
    anonymise: bool,
    key: str | None,
    k: int,
    kind: str,
    year_file: Path | None,
    demographics: bool,
) -> None:
    """Выгрузить хранилище в пакет / export STORE as BUNDLE (a folder, or a .zip file).

    The manifest names the profile of --profile FILE (default: the built-in one). STORE: a
    SQLite file path or a postgresql:// URL. With --anonymise the people's ids
    become stable pseudonyms under the key, direct identifiers are left out and birth
    dates are coarsened to the year, and the remaining quasi-identifiers are coarsened or
    suppressed until each combination is shared by K people (R6.1, 152-FZ); the export
    prints what was coarsened. With ``--format oneroster`` the year's
    study periods come from ``--year-file`` or the year the store keeps.
    """
    if key is not None and not anonymise:
        raise click.UsageError("--key goes with --anonymise")
    if anonymise and kind == "oneroster":
        raise click.UsageError("--anonymise goes with the bundle format")
    if k != K_ANONYMITY and not anonymise:
        raise click.UsageError("--k-anonymity goes with --anonymise")
    pseudonym_key = None
    if anonymise:
        pseudonym_key = key if key is not None else Pseudonymiser.generate_key()
        Pseudonymiser(pseudonym_key)  # a bad key is refused before the store is opened
    coarsening: dict[str, Any] | None = None
    source = open_for_reading(store)
    try:
        if kind == "oneroster":
            academic_year = store_year(
                year, year_file, profile, stored=lambda: stored_years(source)
            )
            counts = export_oneroster(source, bundle, year=academic_year, demographics=demographics)
            total = sum(counts.values())
        else:
            manifest = export_bundle(
                source,
                bundle,
                profile=_profile_name(profile),
                academic_year=year,
                pseudonym_key=pseudonym_key,
                k=k,
            )
            coarsening = manifest.get("anonymised")
            counts = {
                item["entity"]: item["rows"]
                for item in manifest["files"]
                if item["name"] == f"{item['entity']}.csv"
            }
            total = sum(counts.values())
    finally:
        source.close()
    click.echo(
        say(f"Экспортировано записей: {total} → {bundle}", f"Exported records: {total} → {bundle}")
    )
    if kind == "bundle":
        _echo_counts(counts, manifest)
        if coarsening is None:
            _echo_ledger(manifest)
    if coarsening is not None:
        _echo_coarsening(coarsening)
    if anonymise and key is None:
        click.echo(
            say(
                "Ключ псевдонимизации (сохраните его, чтобы следующие выгрузки совпадали)",
                "Pseudonymisation key (keep it for matching exports)",
            )
            + f": {pseudonym_key}"
        )
