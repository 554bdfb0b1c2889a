"""``eschool audit``: verify a store's audit log and export its checkpoints (R3.1b, R12.5).

Both commands only read the store: a SQLite file is opened read-only and a PostgreSQL
database in read-only transactions, so nothing is created or changed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.console import Console

from eschool_core.audit import (
    AuditLog,
    ChainProblem,
    Checkpoint,
    Damage,
    MemoryAuditLogStore,
    Verification,
    checkpoints_to_json,
    read_checkpoint_file,
)
from eschool_core.cli._errors import AUDIT_KEY_UNREADABLE, CLI_UNWRITABLE, STORAGE_UNAVAILABLE
from eschool_core.cli._options import lang_option

TAMPERED = 1
"""Exit status of ``eschool audit verify`` when the log is not intact."""

_PROBLEMS_RU = {
    ChainProblem.EDITED: "запись изменена",
    ChainProblem.BROKEN_LINK: "разорвана цепочка (запись удалена, вставлена или перемещена)",
    ChainProblem.WRONG_POSITION: "запись не на своём месте (удалена или переставлена)",
    ChainProblem.TRUNCATED: "журнал обрезан: записей меньше, чем в контрольной точке",
    ChainProblem.REWRITTEN: "журнал переписан с пересчётом хешей",
    ChainProblem.UNSIGNED: "запись без кода подлинности (добавлена без ключа)",
    ChainProblem.FORGED: "неверный код подлинности (запись подделана)",
    ChainProblem.FORGED_CHECKPOINT: "контрольная точка не из библиотеки (без кода подлинности)",
    ChainProblem.REMOVED: "записи удалены",
    ChainProblem.MOVED: "запись перемещена (переставлена с другой)",
    ChainProblem.CHECKPOINT_MISSING: "контрольная точка удалена",
    ChainProblem.CHECKPOINT_EDITED: "контрольная точка изменена",
}
_PROBLEMS_EN = {
    ChainProblem.EDITED: "the entry was edited",
    ChainProblem.BROKEN_LINK: "the chain is broken (an entry was removed, inserted or moved)",
    ChainProblem.WRONG_POSITION: "the entry is out of place (removed or reordered)",
    ChainProblem.TRUNCATED: "the log was cut: it is shorter than a checkpoint",
    ChainProblem.REWRITTEN: "the log was rewritten with recomputed hashes",
    ChainProblem.UNSIGNED: "the entry has no MAC (appended without the key)",
    ChainProblem.FORGED: "the entry's MAC is wrong (forged)",
    ChainProblem.FORGED_CHECKPOINT: "a checkpoint the library did not make (no MAC)",
    ChainProblem.REMOVED: "entries were removed",
    ChainProblem.MOVED: "the entry was moved (swapped with another)",
    ChainProblem.CHECKPOINT_MISSING: "a checkpoint was deleted",
    ChainProblem.CHECKPOINT_EDITED: "a checkpoint was edited",
}


def _read_store(spec: str) -> MemoryAuditLogStore:
    """The audit log of the store ``spec``, read without writing anything.

    Raises:
        StorageError: If the SQL store is not installed (``storage.unavailable``), or see
            :func:`eschool_core.storage.sql.read_audit_log`.
    """
    try:
        from eschool_core.storage.sql import read_audit_log  # noqa: PLC0415 - the sql extra
    except ModuleNotFoundError:
        raise STORAGE_UNAVAILABLE.error(spec=spec) from None
    return read_audit_log(spec)


def _read_key(path: Path | None) -> bytes | None:
    """The school's key: the file's bytes exactly as they are."""
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        raise AUDIT_KEY_UNREADABLE.error(path=path, strerror=exc.strerror) from exc


def _read_checkpoints(*paths: Path | None) -> tuple[Checkpoint, ...]:
    """The checkpoints of each file given: an export or a sink's JSON lines."""
    return tuple(
        checkpoint
        for path in paths
        if path is not None
        for checkpoint in read_checkpoint_file(path)
    )


def _describe(result: Verification, lang: str) -> str:
    """The result in the chosen language: intact with its counts, or every damage and where."""
    ru = lang == "ru"
    legacy = ""
    if result.unnumbered:
        legacy = (
            f"; контрольных точек без номера (до версии схемы 5): {result.unnumbered}, "
            "их удаление не обнаружить"
            if ru
            else f"; {result.unnumbered} unnumbered checkpoints (before schema version 5): "
            "their deletion cannot be told"
        )
    if result.ok:
        if ru:
            return (
                f"Журнал изменений цел: записей {result.checked}, "
                f"контрольных точек {result.checkpoints}{legacy}"
            )
        return (
            f"Audit log intact: {result.checked} entries, {result.checkpoints} checkpoints{legacy}"
        )
    head = "Журнал изменений нарушен" if ru else "Audit log tampered"
    lines = [f"{head}: {_damage_line(result.damages[0], ru)}"]
    lines += [f"  {_damage_line(damage, ru)}" for damage in result.damages[1:]]
    if legacy:
        lines.append(f"  {legacy[2:]}")
    return "\n".join(lines)


def _damage_line(damage: Damage, ru: bool) -> str:
    """One damage: what, its code, which checkpoint and where."""
    problem = (_PROBLEMS_RU if ru else _PROBLEMS_EN)[damage.problem]
    which = ""
    if damage.checkpoint is not None:
        which = f" №{damage.checkpoint}" if ru else f" #{damage.checkpoint}"
    if damage.through is not None and damage.through != damage.position:
        where = (
            f"в позициях {damage.position}–{damage.through}"
            if ru
            else f"at positions {damage.position} to {damage.through}"
        )
    else:
        where = f"в позиции {damage.position}" if ru else f"at position {damage.position}"
    return f"{problem}{which} ({damage.problem.value}) {where}"


@click.group("audit")
def audit_group() -> None:
    """Журнал изменений хранилища / a store's audit log (R3.1b)."""


@audit_group.command("verify")
@click.option(
    "--store",
    "store_spec",
    required=True,
    help="Файл SQLite или адрес postgresql:// / a SQLite file or a postgresql:// URL.",
)
@click.option(
    "--key-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Ключ школы (байты файла как есть) / the school's key (the file's bytes as they are).",
)
@click.option(
    "--checkpoints",
    "checkpoints_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Контрольные точки, выгруженные ранее (JSON) / checkpoints exported earlier (JSON).",
)
@click.option(
    "--sink",
    "sink_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Файл внешнего хранилища контрольных точек (JSON Lines) / the checkpoint sink's file.",
)
@lang_option
def verify_command(
    store_spec: str,
    key_file: Path | None,
    checkpoints_file: Path | None,
    sink_file: Path | None,
    lang: str,
) -> None:
    """Проверить журнал изменений / verify the audit log (exit 1 when tampered).

    Every damage found is named on its own line: entries edited, removed, moved, cut off or
    rewritten, checkpoints deleted, edited or forged.
    """
    key = _read_key(key_file)
    given = _read_checkpoints(checkpoints_file, sink_file)
    log = AuditLog(_read_store(store_spec), key=key)
    result = log.verify(checkpoints=given)
    Console(highlight=False, soft_wrap=True).print(_describe(result, lang), markup=False)
    if not result.ok:
        raise SystemExit(TAMPERED)


@audit_group.command("checkpoints")
@click.option(
    "--store",
    "store_spec",
    required=True,
    help="Файл SQLite или адрес postgresql:// / a SQLite file or a postgresql:// URL.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Файл JSON (по умолчанию — вывод) / the JSON file (default: standard output).",
)
@click.option(
    "--head/--no-head",
    default=False,
    help="Добавить точку текущего конца журнала / add a checkpoint of the log's current head.",
)
@click.option(
    "--key-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Ключ школы, чтобы подписать точку --head / the school's key, to sign the --head point.",
)
def checkpoints_command(
    store_spec: str, output: Path | None, head: bool, key_file: Path | None
) -> None:
    """Выгрузить контрольные точки журнала / export the audit log's checkpoints as JSON."""
    stored = _read_store(store_spec)
    checkpoints = list(stored.checkpoints())
    if head:
        last = stored.last()
        if last is not None and all(c.length != last.position + 1 for c in checkpoints):
            now = dt.datetime.now(dt.UTC)
            witness = Checkpoint(length=last.position + 1, head_hash=last.hash, at=now)
            key = _read_key(key_file)
            if key:
                witness = Checkpoint(
                    length=witness.length,
                    head_hash=witness.head_hash,
                    at=now,
                    mac=witness.computed_mac(key),
                )
            checkpoints.append(witness)
    text = checkpoints_to_json(checkpoints)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CLI_UNWRITABLE.error(output=output, strerror=exc.strerror) from exc
    click.echo(f"{len(checkpoints)} → {output}", err=True)
