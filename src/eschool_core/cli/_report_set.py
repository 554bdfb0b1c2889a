"""``eschool report --all``: the end-of-period set of reports into a folder (R11.3, R11.4, R9.3).

The store is read once: one unit of work serves both the deadline checker's data and the
reports' data view (a table both ask for is read once), and every report of the set is
built from that one view. The folder gets the files, ``manifest.json`` (every file's size
and SHA-256 hash) and ``index.html``. A progress bar is drawn only on a terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, cast

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from eschool_core.reports import ReportData
from eschool_core.reports._set import (
    ReportKind,
    SetEntry,
    build_report_set,
    index_html,
    manifest,
    manifest_json,
    plan_report_set,
)
from eschool_core.storage import Store

__all__ = ["ReadOnce", "write_report_set"]


class _Repository:
    def __init__(self, real: Any, name: str, cache: dict[tuple[Any, ...], Any]) -> None:  # noqa: ANN401
        self._real = real
        self._name = name
        self._cache = cache

    def __getattr__(self, method: str) -> Callable[..., Any]:
        target = getattr(self._real, method)

        def call(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
            key = (self._name, method, args, tuple(sorted(kwargs.items())))
            if key not in self._cache:
                self._cache[key] = target(*args, **kwargs)
            return self._cache[key]

        return call


class _UnitOfWork:
    def __init__(self, owner: ReadOnce) -> None:
        self._owner = owner

    def __enter__(self) -> _UnitOfWork:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def __getattr__(self, name: str) -> _Repository:
        return _Repository(getattr(self._owner.real_uow, name), name, self._owner.cache)


class ReadOnce:
    """A read-only view of a store that reads it in one unit of work, each query once.

    Use it as a context manager around all the reading; inside, ``unit_of_work()`` hands
    out views of the one open unit of work whose repository calls are remembered, so two
    readers asking for the same table read it once.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._context: Any = None
        self.real_uow: Any = None
        self.cache: dict[tuple[Any, ...], Any] = {}

    def __enter__(self) -> Store:
        self._context = self._store.unit_of_work()
        self.real_uow = self._context.__enter__()
        return cast("Store", self)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._context.__exit__(kind, value, traceback)

    def unit_of_work(self) -> _UnitOfWork:
        """Return a view of the open unit of work (entering and leaving it does nothing)."""
        return _UnitOfWork(self)


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
