"""``eschool demo``: generate a synthetic school into the embedded store and summarise it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from eschool_core import synth
from eschool_core.cli._check import compliance_table, synthetic_report
from eschool_core.cli._console import print_table, table_console
from eschool_core.cli._errors import CLI_IS_A_DIRECTORY, CLI_NOT_OURS
from eschool_core.cli._options import lang_option, profile_option, say
from eschool_core.cli._report import write_demo_reports
from eschool_core.grading import OFFICIAL_STATISTICS, all_subjects_statistics
from eschool_core.ids import StudentId
from eschool_core.journal import AttestationKind, MarkValue
from eschool_core.profiles import Profile
from eschool_core.reports import format_count
from eschool_core.storage import Store, is_sqlite_store, open_store

_STAGES_RU = {
    "staff": "Сотрудники и классы",
    "students": "Ученики и родители",
    "journal": "Журнал: уроки, отметки, пропуски",
}


def _period_results(school: synth.SyntheticSchool, period: str) -> Table:
    """Period marks of one quarter per parallel: counts, success rate, quality, СОУ (R2.2k).

    The figures are the regulation's (:data:`~eschool_core.grading.OFFICIAL_STATISTICS`: per
    pupil, by period marks), as in the school's reports, and the table's caption says so.
    """
    table = Table(
        title=f"Итоги периода {period} по параллелям / Period {period} by grade (R2.2k)",
        caption=OFFICIAL_STATISTICS.label("ru"),
    )
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
    by_parallel: dict[int, dict[StudentId, list[MarkValue | None]]] = {}
    for result in school.attestation_marks:
        if result.kind is AttestationKind.PERIOD and result.period == period:
            parallel = parallel_of[class_of[result.student_id]]
            pupils = by_parallel.setdefault(parallel, {})
            pupils.setdefault(result.student_id, []).append(result.value)
    for parallel, pupils in sorted(by_parallel.items()):
        stats = all_subjects_statistics(pupils)
        summary = stats.summary("ru")
        table.add_row(
            str(parallel),
            *(str(stats.by_mark.count(score)) for score in scores),
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


def _refuse_foreign(store_path: Path, *, force: bool) -> None:
    """Refuse to replace a file at ``store_path`` that is not an eschool store.

    Raises:
        ValidationError: ``cli.not_ours`` naming the file (unless ``force``), or
            ``cli.is_a_directory`` for a directory at ``store_path``.
    """
    if store_path.is_dir():
        raise CLI_IS_A_DIRECTORY.error(path=str(store_path))
    if force:
        return
    if store_path.exists() and not is_sqlite_store(store_path):
        raise CLI_NOT_OURS.error(path=str(store_path))


@click.command()
@click.option(
    "--size",
    type=click.Choice([size.value for size in synth.SchoolSize]),
    default=synth.SchoolSize.SMALL.value,
    show_default=True,
    help="Размер школы / the size of the synthetic school.",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Зерно генератора / the generator's seed.",
)
@click.option(
    "--year", default="2025/2026", show_default=True, help="Учебный год / the academic year."
)
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("eschool-demo") / "school.sqlite",
    show_default=True,
    help="Файл SQLite для школы / the SQLite file to write the school into (an earlier demo "
    "store there is replaced).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Заменить файл, даже если это не хранилище eschool / replace the file at --store even "
    "if it is not an eschool store.",
)
@click.option(
    "--reports-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Папка для отчётов демонстрации / the folder of the demo's reports (default: "
    "'reports' beside --store, e.g. eschool-demo/reports).",
)
@profile_option
@lang_option
def demo(  # noqa: PLR0917 - click passes the options positionally
    size: str,
    seed: int,
    year: str,
    store_path: Path,
    force: bool,
    reports_dir: Path | None,
    profile: Profile,
    lang: str,
) -> None:
    """Создать демонстрационную школу / generate a synthetic school year into a SQLite store.

    Prints a summary and writes a few reports into --reports-dir (the same folder every run:
    'reports' beside the store unless given).

    The store keeps the school's academic year, so that ``eschool check``, ``report`` and
    ``analyze`` on it judge the school by its own calendar.

    An earlier store at --store is replaced; any other file there is left alone unless
    --force is given.
    """
    console = table_console()
    _refuse_foreign(store_path, force=force)
    stale_files = (
        store_path,
        *(Path(f"{store_path}{end}") for end in ("-wal", "-shm")),
    )
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
            description = say(_STAGES_RU.get(stage, f"Запись: {stage}"), stage)
            if stage not in tasks:
                tasks[stage] = int(progress.add_task(description, total=total))
            progress.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

        # The school is generated first: a bad --year leaves the files as they were.
        school = synth.generate(size, seed, year=year, progress=report)
        store_path.parent.mkdir(parents=True, exist_ok=True)
        for stale in stale_files:
            stale.unlink(missing_ok=True)
        store = open_store(str(store_path), create=True)
        try:
            synth.write_to_store(school, store, progress=report)
        except BaseException:
            store.close()
            raise
    console.print(
        f"[bold]{school.school.short_name}[/bold], {year} — "
        + say(
            f"синтетическая школа «{size}», зерно {seed}", f"synthetic school '{size}', seed {seed}"
        )
    )
    console.print(_summary(store))
    store.close()
    console.print(say("Хранилище SQLite", "SQLite store") + f": {store_path.resolve()}")
    console.print(_period_results(school, "Q2"))
    compliance, checker = synthetic_report(school, profile)
    print_table(compliance_table(compliance, checker, lang=lang, top=5, describe=False), console)
    late, planted = compliance.count("journal.marks"), school.stats.marks_late
    console.print(
        say(
            f"Нарушений сроков: {format_count(len(compliance.violations))}; "
            f"поздних текущих отметок: {format_count(late)} "
            f"(заложено: {format_count(planted)})",
            f"Deadline violations: {format_count(len(compliance.violations), 'en')}; "
            f"late current marks: {format_count(late, 'en')} "
            f"(planted: {format_count(planted, 'en')})",
        )
    )
    folder = reports_dir or store_path.parent / "reports"
    written = write_demo_reports(
        school, folder, generated_at=dt.datetime.now(dt.UTC), profile=profile
    )
    console.print(say("Отчёты", "Reports") + f" ({len(written)}): {folder}")
