"""``eschool demo``: generate a synthetic school into the embedded store and summarise it."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from eschool_core import synth
from eschool_core.cli._check import compliance_table, synthetic_report
from eschool_core.cli._options import profile_option
from eschool_core.cli._report import write_demo_reports
from eschool_core.grading import mark_statistics
from eschool_core.journal import AttestationKind, MarkValue
from eschool_core.profiles import Profile
from eschool_core.storage import Store

_STAGES_RU = {
    "staff": "Сотрудники и классы",
    "students": "Ученики и родители",
    "journal": "Журнал: уроки, отметки, пропуски",
}


def _period_results(school: synth.SyntheticSchool, period: str) -> Table:
    """Period marks of one quarter per parallel: counts, success rate, quality, СОУ (R2.2k)."""
    table = Table(title=f"Итоги периода {period} по параллелям / Period {period} by grade (R2.2k)")
    scores = ("5", "4", "3", "2", "н/а")
    figures = {
        "Средний балл": "Ср. балл",
        "Успеваемость": "Успев.",
        "Качество знаний": "Качество",
        "СОУ": "СОУ",
    }
    for header in ("Кл.", *scores, *figures.values()):
        table.add_column(header, justify="right", no_wrap=True)
    parallel_of = {c.id: c.parallel for c in school.classes}
    class_of = {m.student_id: m.class_id for m in school.memberships}
    by_parallel: dict[int, list[MarkValue]] = {}
    for result in school.attestation_marks:
        if result.kind is AttestationKind.PERIOD and result.period == period:
            parallel = parallel_of[class_of[result.student_id]]
            by_parallel.setdefault(parallel, []).append(result.value)
    for parallel, values in sorted(by_parallel.items()):
        stats = mark_statistics(values)
        summary = stats.summary("ru")
        table.add_row(
            str(parallel),
            *(str(stats.count(score)) for score in scores),
            *(summary[figure] for figure in figures),
        )
    return table


def _summary(store: Store) -> Table:
    table = Table(title="Синтетическая школа / Synthetic school")
    table.add_column("Показатель / Figure")
    table.add_column("Значение / Value", justify="right")
    with store.unit_of_work() as uow:
        rows = (
            ("Классы / Classes", uow.classes.count()),
            ("Ученики / Students", uow.students.count()),
            ("Родители / Parents", uow.guardians.count()),
            ("Сотрудники / Staff", uow.employees.count()),
            ("Уроки / Lessons", uow.lessons.count()),
            ("Текущие отметки / Current marks", uow.marks.count()),
            ("Пропуски / Absences", uow.attendance.count()),
            ("Отметки за периоды и год / Period and annual marks", uow.attestation_marks.count()),
        )
    for label, value in rows:
        table.add_row(label, f"{value:,}".replace(",", " "))
    return table


@click.command()
@click.option(
    "--size",
    type=click.Choice([size.value for size in synth.SchoolSize]),
    default=synth.SchoolSize.SMALL.value,
    show_default=True,
    help="Size of the synthetic school.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the generator.")
@click.option("--year", default="2025/2026", show_default=True, help="Academic year.")
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("eschool-demo") / "school.sqlite",
    show_default=True,
    help="SQLite file to write the school into (replaced if it exists).",
)
@click.option(
    "--reports-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the demo's reports (default: a new temporary folder).",
)
@profile_option
def demo(  # noqa: PLR0917 - click passes the options positionally
    size: str,
    seed: int,
    year: str,
    store_path: Path,
    reports_dir: Path | None,
    profile: Profile,
) -> None:
    """Generate a synthetic school year into the embedded SQLite store and print a summary.

    The store keeps the school's academic year, so that ``eschool check``, ``report`` and
    ``analyze`` on it judge the school by its own calendar.
    """
    from eschool_core.storage.sql import SqlStore  # noqa: PLC0415 - the sql extra

    console = Console()
    store_path.parent.mkdir(parents=True, exist_ok=True)
    stale_files = (
        store_path,
        store_path.with_name("year.toml"),
        *(Path(f"{store_path}{end}") for end in ("-wal", "-shm")),
    )
    for stale in stale_files:
        stale.unlink(missing_ok=True)
    store = SqlStore(str(store_path))
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        tasks: dict[str, int] = {}

        def report(stage: str, done: int, total: int) -> None:
            description = _STAGES_RU.get(stage, f"Запись: {stage}")
            if stage not in tasks:
                tasks[stage] = int(progress.add_task(description, total=total))
            progress.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

        school = synth.generate(size, seed, year=year, progress=report)
        synth.write_to_store(school, store, progress=report)
    console.print(
        f"[bold]{school.school.short_name}[/bold], {year} — "
        f"синтетическая школа «{size}», зерно {seed}"
    )
    console.print(_summary(store))
    store.close()
    console.print(f"Хранилище SQLite / SQLite store: {store_path.resolve()}")
    console.print(_period_results(school, "Q2"))
    compliance, checker = synthetic_report(school, profile)
    console.print(compliance_table(compliance, checker, top=5, describe=False))
    console.print(
        f"Нарушений сроков: {len(compliance.violations)}; "
        f"поздних текущих отметок: {compliance.count('journal.marks')} "
        f"(заложено: {school.stats.marks_late})"
    )
    folder = reports_dir or Path(tempfile.mkdtemp(prefix="eschool-reports-"))
    written = write_demo_reports(
        school, folder, generated_at=dt.datetime.now(dt.UTC), profile=profile
    )
    console.print(f"Отчёты / Reports ({len(written)}): {folder}")
