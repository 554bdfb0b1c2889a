"""``eschool report``: build a named report and print it or write it to a file (R11.1, R2.2l)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from eschool_core import synth
from eschool_core.cli._check import _open_store, synthetic_report
from eschool_core.cli._console import print_table
from eschool_core.cli._options import (
    check_date,
    check_format_extra,
    check_output,
    lang_option,
    profile_option,
    store_year,
    synthetic_year,
    year_file_option,
)
from eschool_core.cli._report_set import write_report_set
from eschool_core.deadlines import ComplianceData
from eschool_core.profiles import Profile, default_profile, rules_for
from eschool_core.reports import (
    CATALOGUE,
    CsvDialect,
    OutputFormat,
    ReportData,
    ReportDefinition,
    ReportKind,
    ReportParams,
    export_report,
    get_definition,
    needs_compliance,
    report_scope,
    run_report,
)
from eschool_core.storage import Store
from eschool_core.year_data import SchoolYearData


def _params_text(definition: ReportDefinition) -> str:
    """The parameters, optional ones in brackets: ``class_id, period, [as_of]``."""
    return ", ".join([*definition.required, *(f"[{name}]" for name in definition.optional)])


def _catalogue_table(language: str) -> Table:
    ru = language == "ru"
    table = Table(title="Отчёты / Reports")
    table.add_column("Код / Code", no_wrap=True)
    table.add_column("Название" if ru else "Title")
    table.add_column("Требование / Req.")
    table.add_column("Параметры / Parameters")
    table.add_column("Срок" if ru else "Schedule")
    for definition in CATALOGUE.values():
        schedule = "—" if definition.schedule is None else definition.schedule.describe(language)
        table.add_row(
            definition.code,
            definition.title(language),
            definition.requirement,
            escape(_params_text(definition)) or "—",
            schedule,
        )
    return table


def catalogue_json(language: str) -> list[dict[str, object]]:
    """Return the catalogue as JSON data: code, titles, clause, parameters, schedule, kind."""
    return [
        {
            "code": d.code,
            "title": d.title(language),
            "title_ru": d.title_ru,
            "title_en": d.title_en,
            "clause": d.clause,
            "requirement": d.requirement,
            "required": list(d.required),
            "optional": list(d.optional),
            "kind": ReportKind.of(d).value,
            "schedule": None if d.schedule is None else d.schedule.describe(language),
            "signatories": [s.value for s in d.signatories],
        }
        for d in CATALOGUE.values()
    ]


def _load_data(
    code: str | None,
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
    """The report view for report ``code`` (every report when ``None``): a store's year or a school.

    A store is read once, scoped to the year (and, for one report, to its class or student:
    :func:`~eschool_core.reports.report_scope`); the checker runs only when a report's
    findings need it.
    """
    if store is not None:
        opened: Store = _open_store(store)
        try:
            with opened.unit_of_work() as uow:
                academic_year = store_year(year, year_file, profile, stored=uow.academic_years.all)
                scope = None if code is None else report_scope(code, params, academic_year)
                data = SchoolYearData.read(uow, academic_year, scope=scope)
        finally:
            opened.close()
    else:
        data = synth.generate(size, seed, year=synthetic_year(year, year_file)).year_data
    rules = rules_for(profile, data.year, data.school)
    compliance = None
    if code is None or needs_compliance(code):
        compliance = rules.checker.check(ComplianceData.from_year_data(data), as_of)
    return ReportData.from_year_data(data, rules, compliance=compliance)


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
        rules_for(profile, school.academic_year, school.school),
        compliance=synthetic_report(school, profile)[0],
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
            path.write_bytes(export_report(report, fmt))
            written.append(path)
    return written


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _moment(generated_at: str | None) -> dt.datetime:
    try:
        moment = (
            dt.datetime.fromisoformat(generated_at) if generated_at else dt.datetime.now(dt.UTC)
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    if moment.tzinfo is None:
        raise click.BadParameter("--generated-at needs a time zone (e.g. +03:00)")
    return moment


def _all_command(
    *,
    output: Path | None,
    period: str | None,
    formats: tuple[str, ...],
    kinds: tuple[str, ...],
    csv_dialect: str,
    class_id: str | None,
    teacher_id: str | None,
    lang: str,
    store: str | None,
    size: str,
    seed: int,
    year: str | None,
    year_file: Path | None,
    profile: Profile,
    moment: dt.datetime,
) -> None:
    if output is None or period is None:
        raise click.UsageError("--all нужны --period и -o DIR / --all needs --period and -o DIR")
    if output.exists() and not output.is_dir():
        raise click.UsageError(f"{output} — не папка / is not a folder")
    data = _load_data(
        None,
        ReportParams(),
        store,
        size,
        seed,
        year=year,
        year_file=year_file,
        profile=profile,
        as_of=moment.date(),
    )
    write_report_set(
        data,
        output,
        period=period,
        formats=formats,
        generated_at=moment,
        language=lang,
        csv_dialect=csv_dialect,
        class_id=class_id,
        teacher_id=teacher_id,
        kinds=kinds,
        console=Console(stderr=True),
    )


@click.command("report")
@click.argument("name", required=False)
@click.option("--list", "list_reports", is_flag=True, help="List the reports and exit.")
@click.option(
    "--all",
    "all_reports",
    is_flag=True,
    help="Build every applicable report of --period into the folder -o DIR.",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice([k.value for k in ReportKind]),
    help="With --all: only these kinds (default: school, class, teacher).",
)
@click.option(
    "--csv-dialect",
    type=click.Choice([d.value for d in CsvDialect]),
    default=CsvDialect.PLAIN.value,
    show_default=True,
    help="CSV for programs (plain) or for a Russian-locale spreadsheet (excel: BOM, ';', 4,17).",
)
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
    "formats",
    multiple=True,
    type=click.Choice([f.value for f in OutputFormat]),
    callback=check_format_extra,
    help="Output format (default: text; with --all: pdf; may repeat with --all; "
    "--list takes text or json).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    callback=check_output,
    help="Output file (a folder with --all).",
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
    all_reports: bool,
    kinds: tuple[str, ...],
    csv_dialect: str,
    class_id: str | None,
    student_id: str | None,
    subject_id: str | None,
    teacher_id: str | None,
    period: str | None,
    start: str | None,
    end: str | None,
    as_of: str | None,
    formats: tuple[str, ...],
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
    """Build a named report of the regulation (by code or title) and print or save it.

    With --all, build every applicable report of --period (the school's, each class's, each
    subject teacher's; --class, --teacher and --kind narrow it) from one read of the store
    into the folder -o DIR, with manifest.json (SHA-256 of every file) and index.html.
    """
    if list_reports:
        if formats and formats[0] == "json":
            click.echo(json.dumps(catalogue_json(lang), ensure_ascii=False, indent=2))
        else:
            print_table(_catalogue_table(lang))
        return
    if all_reports:
        _all_command(
            output=output,
            period=period,
            formats=formats or ("pdf",),
            kinds=kinds,
            csv_dialect=csv_dialect,
            class_id=class_id,
            teacher_id=teacher_id,
            lang=lang,
            store=store,
            size=size,
            seed=seed,
            year=year,
            year_file=year_file,
            profile=profile,
            moment=_moment(generated_at),
        )
        return
    if len(formats) > 1:
        raise click.UsageError("один отчёт — один формат / one report, one --format")
    fmt = formats[0] if formats else OutputFormat.TEXT.value
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
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    moment = _moment(generated_at)
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
    content = export_report(built, chosen, language=lang, csv_dialect=csv_dialect)
    if output is not None and output.is_dir():
        raise click.UsageError(f"{output} — папка; укажите файл / is a folder; give a file")
    if output is not None:
        output.write_bytes(content)
        click.echo(f"{definition.title(lang)}: {output}")
    else:
        click.echo(content.decode(), nl=False)
