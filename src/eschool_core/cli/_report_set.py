"""``eschool report --all``: the end-of-period set of reports into a folder (R11.3, R11.4, R9.3).

The store is read once (one :class:`~eschool_core.year_data.SchoolYearData` of the year
serves both the deadline checker and the reports' data view), and every report of the set
is built from that one view. The folder gets the files, ``manifest.json`` (every file's size
and SHA-256 hash) and ``index.html``. A progress bar is drawn only on a terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from eschool_core.reports import (
    ReportData,
    ReportKind,
    SetEntry,
    build_report_set,
    index_html,
    manifest,
    manifest_json,
    plan_report_set,
)

__all__ = ["write_report_set"]


def write_report_set(
    data: ReportData,
    folder: Path,
    *,
    period: str,
    formats: Sequence[str],
    generated_at: dt.datetime,
    language: str,
    csv_dialect: str,
    class_id: str | None,
    teacher_id: str | None,
    kinds: Sequence[str],
    console: Console,
) -> list[SetEntry]:
    """Build the set of a period into ``folder`` with ``manifest.json`` and ``index.html``."""
    jobs = plan_report_set(
        data,
        period,
        class_id=class_id,
        teacher_id=teacher_id,
        kinds=[ReportKind(k) for k in kinds] or _default_kinds(),
    )
    folder.mkdir(parents=True, exist_ok=True)
    entries: list[SetEntry] = []
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    )
    with progress:
        task = progress.add_task("Отчёты / Reports", total=len(jobs))
        for entry in build_report_set(
            data,
            jobs,
            formats,
            generated_at=generated_at,
            language=language,
            csv_dialect=csv_dialect,
        ):
            for name, content in entry.files:
                (folder / name).write_bytes(content)
            entries.append(entry)
            progress.update(task, advance=1, description=entry.job.stem[:40])
    document = manifest(entries, data=data, period=period, generated_at=generated_at)
    (folder / "manifest.json").write_text(manifest_json(document), encoding="utf-8")
    (folder / "index.html").write_text(index_html(document), encoding="utf-8")
    built = sum(1 for e in entries if e.error is None)
    files = sum(len(e.files) for e in entries)
    click.echo(f"Отчётов / reports: {built} ({files} files) -> {folder}")
    for entry in entries:
        if entry.error is not None:
            click.echo(f"  не построен / not built: {entry.job.stem}: {entry.error}", err=True)
    return entries


def _default_kinds() -> list[ReportKind]:
    return [ReportKind.SCHOOL, ReportKind.CLASS, ReportKind.TEACHER]
