"""``eschool audit``: verify a store's audit log and export its checkpoints (R3.1b, R12.5).

Both commands only read the store: a SQLite file is opened read-only and a PostgreSQL
database in read-only transactions, so nothing is created or changed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast

import click
from rich.console import Console

from eschool_core.audit import (
    AuditLog,
    ChainProblem,
    Checkpoint,
    MemoryAuditLogStore,
    Verification,
    checkpoints_from_json,
    checkpoints_to_json,
)
from eschool_core.cli._options import lang_option
from eschool_core.errors import StorageError, ValidationError

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
    ChainProblem.FORGED_CHECKPOINT: "контрольная точка без верного кода подлинности",
}
_PROBLEMS_EN = {
    ChainProblem.EDITED: "the entry was edited",
    ChainProblem.BROKEN_LINK: "the chain is broken (an entry was removed, inserted or moved)",
    ChainProblem.WRONG_POSITION: "the entry is out of place (removed or reordered)",
    ChainProblem.TRUNCATED: "the log was cut: it is shorter than a checkpoint",
    ChainProblem.REWRITTEN: "the log was rewritten with recomputed hashes",
    ChainProblem.UNSIGNED: "the entry has no MAC (appended without the key)",
    ChainProblem.FORGED: "the entry's MAC is wrong (forged)",
    ChainProblem.FORGED_CHECKPOINT: "a checkpoint has no valid MAC",
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
        raise StorageError(
            f"Не удалось открыть хранилище «{spec}»: постоянное хранилище (SQL) не установлено",
            f"Cannot open store '{spec}': no persistent (SQL) store is installed",
            code="storage.unavailable",
        ) from None
    return read_audit_log(spec)


def _read_key(path: Path | None) -> bytes | None:
    """The school's key: the file's bytes exactly as they are."""
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            f"Не удалось прочитать файл ключа «{path}»: {exc.strerror}",
            f"Cannot read the key file '{path}': {exc.strerror}",
            code="audit.key_unreadable",
        ) from exc


def _read_checkpoints(path: Path | None) -> tuple[Checkpoint, ...]:
    if path is None:
        return ()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"Не удалось прочитать файл контрольных точек «{path}»: {exc}",
            f"Cannot read the checkpoints file '{path}': {exc}",
            code="audit.bad_checkpoints",
        ) from exc
    return checkpoints_from_json(text)


def _describe(result: Verification, lang: str) -> str:
    """The result in the chosen language: intact with its counts, or the problem and where."""
    ru = lang == "ru"
    if result.ok:
        if ru:
            return (
                f"Журнал изменений цел: записей {result.checked}, "
                f"контрольных точек {result.checkpoints}"
            )
        return f"Audit log intact: {result.checked} entries, {result.checkpoints} checkpoints"
    kind = cast("ChainProblem", result.problem)
    problem = (_PROBLEMS_RU if ru else _PROBLEMS_EN)[kind]
    if result.through is not None and result.through != result.position:
        where = (
            f"в позициях {result.position}–{result.through}"
            if ru
            else f"at positions {result.position} to {result.through}"
        )
    else:
        where = f"в позиции {result.position}" if ru else f"at position {result.position}"
    head = "Журнал изменений нарушен" if ru else "Audit log tampered"
    return f"{head}: {problem} ({kind.value}) {where}"


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
@lang_option
def verify_command(
    store_spec: str, key_file: Path | None, checkpoints_file: Path | None, lang: str
) -> None:
    """Проверить журнал изменений / verify the audit log (exit 1 when tampered)."""
    key = _read_key(key_file)
    given = _read_checkpoints(checkpoints_file)
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
        raise StorageError(
            f"Не удалось записать «{output}»: {exc.strerror}",
            f"Cannot write '{output}': {exc.strerror}",
            code="cli.unwritable",
        ) from exc
    click.echo(f"{len(checkpoints)} → {output}", err=True)
