"""``eschool report``: build a named report and print it or write it to a file (R11.1, R2.2l)."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from eschool_core import synth
from eschool_core.cli._check import _open_store, synthetic_report
from eschool_core.cli._options import (
    check_date,
    check_format_extra,
    check_output,
    lang_option,
    profile_option,
    store_year,
    stored_years,
    synthetic_year,
    year_file_option,
)
from eschool_core.deadlines import ComplianceData
from eschool_core.profiles import Profile, default_profile, rules_for
from eschool_core.reports import (
    CATALOGUE,
    OutputFormat,
    ReportData,
    ReportParams,
    export_report,
    get_definition,
    needs_compliance,
    report_scope,
    run_report,
)
from eschool_core.storage import Store
from eschool_core.year_data import SchoolYearData


def _catalogue_table(language: str) -> Table:
    ru = language == "ru"
    table = Table(title="Отчёты / Reports")
    table.add_column("Код / Code", no_wrap=True)
    table.add_column("Название" if ru else "Title")
    table.add_column("Требование / Req.")
    table.add_column("Параметры / Parameters")
    table.add_column("Срок" if ru else "Schedule")
    for definition in CATALOGUE.values():
        params = ", ".join([*definition.required, *(f"[{name}]" for name in definition.optional)])
        schedule = "—" if definition.schedule is None else definition.schedule.describe(language)
        table.add_row(
            definition.code,
            definition.title(language),
            definition.requirement,
            params or "—",
            schedule,
        )
    return table


def _load_data(
    code: str,
    params: ReportParams,
    store: str | None,
    size: str,
    seed: int,
    *,
    year: str | None,
    year_file: Path | None,
    profile: Profile,
    as_of: dt.date,
) -> ReportData:
    """The report view for report ``code``: the part of a store's year it reads, or a school.

    A store is read once, scoped to the year (and to the class or student of the report,
    :func:`~eschool_core.reports.report_scope`); the checker runs only for the reports its
    findings decide.
    """
    if store is not None:
<<<<<<< HEAD
        opened: Store = _open_store(store)
<<<<<<< HEAD
        try:
            academic_year = store_year(
                year, year_file, profile, stored=lambda: stored_years(opened)
            )
            data = SchoolYearData.from_store(
                opened, academic_year, scope=report_scope(code, params, academic_year)
            )
        finally:
            opened.close()
    else:
        data = synth.generate(size, seed, year=synthetic_year(year, year_file)).year_data
    rules = rules_for(profile, data.year)
    compliance = None
    if needs_compliance(code):
        compliance = rules.checker.check(ComplianceData.from_year_data(data), as_of)
    return ReportData.from_year_data(data, policy=rules.grading, compliance=compliance)
=======
=======
>>>>>>> robust-input
        academic_year = store_year(year, year_file, profile)
        year = str(academic_year.label)
        checker = ComplianceChecker(
            profile.deadlines.rules,
            academic_year.production,
            year=academic_year,
            time_zone=profile.time_zone,
        )
<<<<<<< HEAD
        compliance = checker.check(ComplianceData.from_store(opened), as_of)
        return ReportData.from_store(
            opened,
            year=year,
            periods=periods_of_year(academic_year),
            policy=profile.grading,
            compliance=compliance,
            deadlines=profile.deadlines.entry_deadlines,
        )
=======
        opened: Store = _open_store(store)
        try:
            compliance = checker.check(ComplianceData.from_store(opened), as_of)
            return ReportData.from_store(
                opened,
                year=year,
                periods=periods_of_year(academic_year),
                policy=profile.grading,
                compliance=compliance,
            )
        finally:
            opened.close()
>>>>>>> robust-input
    school = synth.generate(size, seed, year=synthetic_year(year, year_file))
    return ReportData.from_synthetic(
        school,
        policy=profile.grading,
        compliance=synthetic_report(school, profile)[0],
        deadlines=profile.deadlines.entry_deadlines,
    )
>>>>>>> transfers


def write_demo_reports(
    school: synth.SyntheticSchool,
    folder: Path,
    *,
    generated_at: dt.datetime,
    profile: Profile | None = None,
) -> list[Path]:
    """Write a handful of reports of a synthetic school into ``folder``; return the files.

    The reports follow ``profile`` (the default profile when ``None``).

    XLSX, PDF and PNG files are written only when their extras are installed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    profile = profile or default_profile()
    data = ReportData.from_synthetic(
        school,
<<<<<<< HEAD
        policy=rules_for(profile, school.academic_year).grading,
        compliance=synthetic_report(school, profile)[0],
=======
        policy=profile.grading,
        compliance=synthetic_report(school, profile)[0],
        deadlines=profile.deadlines.entry_deadlines,
>>>>>>> transfers
    )
    first_class = data.classes[min(4, len(data.classes) - 1)]
    span = data.period(first_class.parallel, data.periods[first_class.parallel][0].key)
    student = data.roster(first_class.id, span.end)[0]
    jobs: list[tuple[str, ReportParams, tuple[str, ...]]] = [
        ("class_teachers_summary", ReportParams(period=span.key), ("md", "xlsx")),
        (
            "class_period_results",
            ReportParams(class_id=first_class.id, period=span.key),
            ("text", "csv", "pdf"),
        ),
        ("class_occupancy", ReportParams(as_of=span.end), ("text",)),
        ("mark_timeliness", ReportParams(start=span.start, end=span.end), ("csv",)),
        (
            "student_average_dynamics",
            ReportParams(student_id=student, period=span.key),
            ("md", "png"),
        ),
    ]
    extras = {
        "xlsx": "openpyxl",
        "pdf": "fpdf",
        "png": "matplotlib",
    }
    written: list[Path] = []
    for code, params, formats in jobs:
        report = run_report(code, data, params, generated_at=generated_at)
        for fmt in formats:
            module = extras.get(fmt)
            if module is not None and importlib.util.find_spec(module) is None:
                continue
            suffix = "txt" if fmt == "text" else fmt
            path = folder / f"{code}.{suffix}"
            path.write_bytes(export_report(report, fmt, director=school.school.director))
            written.append(path)
    return written


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


@click.command("report")
@click.argument("name", required=False)
@click.option("--list", "list_reports", is_flag=True, help="List the reports and exit.")
@click.option("--class", "class_id", help="Class id or name (5А).")
@click.option("--student", "student_id", help="Student id.")
@click.option("--subject", "subject_id", help="Subject id.")
@click.option("--teacher", "teacher_id", help="Teacher (employee) id.")
@click.option("--period", help="Study period code (Q1, H2) or 'year'.")
@click.option("--from", "start", callback=check_date, help="First day, YYYY-MM-DD.")
@click.option("--to", "end", callback=check_date, help="Last day, YYYY-MM-DD.")
@click.option(
    "--as-of", "as_of", callback=check_date, help="The day the report describes, YYYY-MM-DD."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in OutputFormat]),
    default="text",
    show_default=True,
    callback=check_format_extra,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=check_output,
    help="Output file.",
)
@lang_option
@click.option("--store", help="Path or URL of a store (needs the SQL store adapter).")
@click.option(
    "--size",
    type=click.Choice([size.value for size in synth.SchoolSize]),
    default=synth.SchoolSize.SMALL.value,
    show_default=True,
    help="Size of the synthetic school used without --store.",
)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--year", default=None, help="Academic year (a store: the newest it keeps; else 2025/2026)."
)
@year_file_option
@click.option("--generated-at", "generated_at", help="Moment printed on the report (ISO 8601).")
@profile_option
def report_command(
    *,
    name: str | None,
    list_reports: bool,
    class_id: str | None,
    student_id: str | None,
    subject_id: str | None,
    teacher_id: str | None,
    period: str | None,
    start: str | None,
    end: str | None,
    as_of: str | None,
    fmt: str,
    output: Path | None,
    lang: str,
    store: str | None,
    size: str,
    seed: int,
    year: str | None,
    year_file: Path | None,
    generated_at: str | None,
    profile: Profile,
) -> None:
    """Build a named report of the regulation (by code or title) and print or save it."""
    console = Console()
    if list_reports:
        console.print(_catalogue_table(lang))
        return
    if name is None:
        raise click.UsageError("укажите отчёт или --list / name a report or use --list")
    definition = get_definition(name)
    try:
        params = ReportParams(
            class_id=class_id,
            student_id=student_id,
            subject_id=subject_id,
            teacher_id=teacher_id,
            period=period,
            start=_date(start),
            end=_date(end),
            as_of=_date(as_of),
        )
        moment = (
            dt.datetime.fromisoformat(generated_at) if generated_at else dt.datetime.now(dt.UTC)
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    if moment.tzinfo is None:
        raise click.BadParameter("--generated-at needs a time zone (e.g. +03:00)")
    chosen = OutputFormat(fmt)
    if output is None and chosen.binary:
        raise click.UsageError(f"формат {fmt} пишется в файл: -o FILE / format {fmt} needs -o FILE")
    data = _load_data(
        definition.code,
        params,
        store,
        size,
        seed,
        year=year,
        year_file=year_file,
        profile=profile,
        as_of=params.as_of or moment.date(),
    )
    built = run_report(definition.code, data, params, generated_at=moment)
    content = export_report(built, chosen, language=lang, director=data.school.director)
    if output is not None:
        output.write_bytes(content)
        click.echo(f"{definition.title(lang)}: {output}")
    else:
        click.echo(content.decode(), nl=False)
