"""``eschool report``: build a named report and print it or write it to a file (R11.1, R2.2l)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import attrs
import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from eschool_core import synth
from eschool_core.calendar import AcademicYear
from eschool_core.cli._check import _open_store, synthetic_report
from eschool_core.cli._console import print_table
from eschool_core.cli._find import Named, find_class, find_person
from eschool_core.cli._options import (
    check_date,
    check_format_extra,
    check_output,
    lang_option,
    profile_option,
    say,
    store_year,
    stored_years,
    synthetic_year,
    year_file_option,
)
from eschool_core.cli._record import STAFF_ROLE_CHOICES, record_run
from eschool_core.cli._report_set import write_report_set
from eschool_core.cli._source import choose_source, source_options
from eschool_core.cli._text import fit_report_text
from eschool_core.deadlines import ComplianceData
from eschool_core.errors import ValidationError
from eschool_core.people import Employee, Student
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
from eschool_core.school import ClassMembership, SchoolClass
from eschool_core.storage import Store
from eschool_core.year_data import SchoolYearData

OPTION_OF = {
    "class_id": "--class",
    "student_id": "--student",
    "subject_id": "--subject",
    "teacher_id": "--teacher",
    "period": "--period",
    "start": "--from",
    "end": "--to",
    "as_of": "--as-of",
}
"""The command-line option of each report parameter (:class:`ReportParams`)."""


def _params_text(definition: ReportDefinition) -> str:
    """The options, optional ones in brackets: ``--class, --period, [--as-of]``."""
    required = [OPTION_OF.get(name, name) for name in definition.required]
    optional = [f"[{OPTION_OF.get(name, name)}]" for name in definition.optional]
    return ", ".join([*required, *optional])


def _with_option_names(error: ValidationError) -> ValidationError:
    """Re-word a missing report parameter (``class_id``) as its option (``--class``)."""
    if error.code != "report.missing_param":
        return error
    option = OPTION_OF.get(str(error.details.get("param")), str(error.details.get("param")))
    return ValidationError(
        f"Для отчёта нужен параметр {option}",
        f"The report needs the option {option}",
        code=error.code,
        clause=error.clause,
        details={**error.details, "option": option},
    )


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
            definition.title.in_(language),
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
            "title": d.title.in_(language),
            "title_ru": d.title.ru,
            "title_en": d.title.en,
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


def _named_students(
    students: Iterable[Student],
    memberships: Iterable[ClassMembership],
    classes: Iterable[SchoolClass],
) -> list[Named]:
    class_names = {c.id: c.name for c in classes}
    class_of = {m.student_id: class_names.get(m.class_id, "") for m in memberships}
    return [Named(id=s.id, name=s.person.full_name, hint=class_of.get(s.id, "")) for s in students]


def _named_staff(employees: Iterable[Employee]) -> list[Named]:
    return [Named(id=e.id, name=e.person.full_name, hint=e.position) for e in employees]


def resolve_params(
    params: ReportParams,
    *,
    classes: Callable[[], Sequence[SchoolClass]],
    students: Callable[[], list[Named]],
    staff: Callable[[], list[Named]],
) -> ReportParams:
    """Return ``params`` with the class, student and teacher named by id.

    ``--class 5a``, ``--student "Белова В. И."`` and ``--teacher Сорокин`` become ids; the
    lists are read only for the options given.

    Raises:
        NotFoundError: With suggestions, for a name that fits nobody.
        ValidationError: ``cli.ambiguous`` for a name that fits several.
    """
    class_id, student_id, teacher_id = params.class_id, params.student_id, params.teacher_id
    if class_id is not None:
        class_id = find_class(class_id, classes()).id
    if student_id is not None:
        student_id = find_person(student_id, students(), option="--student", student=True).id
    if teacher_id is not None:
        teacher_id = find_person(teacher_id, staff(), option="--teacher", student=False).id
    return attrs.evolve(params, class_id=class_id, student_id=student_id, teacher_id=teacher_id)


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
) -> tuple[ReportData, ReportParams]:
    """The report view for report ``code`` (every report when ``None``), and ``params`` by id.

    A store is read once, scoped to the year (and, for one report, to its class or student:
    :func:`~eschool_core.reports.report_scope`); the checker runs only when a report's
    findings need it. The class, student and teacher may be given by name
    (:func:`resolve_params`).
    """
    if store is not None:
        opened: Store = _open_store(store)
        try:
            with opened.unit_of_work() as uow:
                academic_year = store_year(year, year_file, profile, stored=uow.academic_years.all)
                label = str(academic_year.label)
                params = resolve_params(
                    params,
                    classes=lambda: uow.classes.for_year(label),
                    students=lambda: _named_students(
                        uow.students.all(), uow.memberships.all(), uow.classes.for_year(label)
                    ),
                    staff=lambda: _named_staff(uow.employees.all()),
                )
                scope = None if code is None else report_scope(code, params, academic_year)
                data = SchoolYearData.read(uow, academic_year, scope=scope)
        finally:
            opened.close()
    else:
        data = synth.generate(size, seed, year=synthetic_year(year, year_file)).year_data
        whole = data
        params = resolve_params(
            params,
            classes=lambda: whole.classes,
            students=lambda: _named_students(whole.students, whole.memberships, whole.classes),
            staff=lambda: _named_staff(whole.employees),
        )
    rules = rules_for(profile, data.year, data.school)
    compliance = None
    if code is None or needs_compliance(code):
        compliance = rules.checker.check(ComplianceData.from_year_data(data), as_of)
    view = ReportData.from_year_data(data, rules, compliance=compliance)
    return view, params


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


def parse_moment(generated_at: str | None) -> dt.datetime:
    """Return the moment ``--generated-at`` gives (ISO 8601 with a time zone), else now.

    Raises:
        click.BadParameter: Naming ``--generated-at``, for text that is not such a moment.
    """
    example = "2025-12-29T12:00+03:00"
    try:
        moment = (
            dt.datetime.fromisoformat(generated_at) if generated_at else dt.datetime.now(dt.UTC)
        )
    except ValueError:
        raise click.BadParameter(
            say(
                f"«{generated_at}» — не момент ISO 8601 (например, {example})",
                f"'{generated_at}' is not an ISO 8601 moment (e.g. {example})",
            ),
            param_hint="'--generated-at'",
        ) from None
    if moment.tzinfo is None:
        raise click.BadParameter(
            say(
                f"у момента нет часового пояса (например, {example})",
                f"the moment needs a time zone (e.g. {example})",
            ),
            param_hint="'--generated-at'",
        )
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
    data, ids = _load_data(
        None,
        ReportParams(class_id=class_id, teacher_id=teacher_id),
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
        class_id=ids.class_id,
        teacher_id=ids.teacher_id,
        kinds=kinds,
        console=Console(stderr=True),
    )


@click.command("report")
@click.argument("name", required=False)
@click.option(
    "--list",
    "list_reports",
    is_flag=True,
    help="Показать список отчётов / list the reports and exit.",
)
@click.option(
    "--all",
    "all_reports",
    is_flag=True,
    help="Все отчёты периода --period в папку -o DIR / every applicable report of --period "
    "into the folder -o DIR.",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice([k.value for k in ReportKind]),
    help="С --all: только эти виды / with --all: only these kinds (default: school, class, "
    "teacher).",
)
@click.option(
    "--csv-dialect",
    type=click.Choice([d.value for d in CsvDialect]),
    default=CsvDialect.PLAIN.value,
    show_default=True,
    help="CSV для программ (plain) или для Excel (excel: BOM, «;», 4,17) / CSV for programs "
    "(plain) or for a Russian-locale spreadsheet (excel).",
)
@click.option("--class", "class_id", help="Класс: 5А, 5a или id / the class: 5А, 5a or its id.")
@click.option(
    "--student",
    "student_id",
    help="Ученик: ФИО, его начало или id / the student: full name, its beginning or id.",
)
@click.option("--subject", "subject_id", help="Предмет (id) / the subject's id.")
@click.option(
    "--teacher",
    "teacher_id",
    help="Учитель: ФИО, его начало или id / the teacher: full name, its beginning or id.",
)
@click.option("--period", help="Учебный период (Q1, H2) или year / the study period or 'year'.")
@click.option(
    "--from", "start", callback=check_date, help="Первый день ГГГГ-ММ-ДД / first day, YYYY-MM-DD."
)
@click.option(
    "--to", "end", callback=check_date, help="Последний день ГГГГ-ММ-ДД / last day, YYYY-MM-DD."
)
@click.option(
    "--as-of",
    "as_of",
    callback=check_date,
    help="День, на который составлен отчёт / the day the report describes, YYYY-MM-DD.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice([f.value for f in OutputFormat]),
    callback=check_format_extra,
    help="Формат / output format (default: text; with --all: pdf, may repeat; --list: text "
    "or json).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    callback=check_output,
    help="Файл (папка с --all) / the output file (a folder with --all).",
)
@lang_option
@source_options
@click.option(
    "--year",
    default=None,
    help="Учебный год (по умолчанию: последний в хранилище) / the academic year (default: the "
    "newest the store keeps; --synthetic: 2025/2026).",
)
@year_file_option
@click.option(
    "--generated-at",
    "generated_at",
    help="Момент составления, ISO 8601 с часовым поясом / the moment printed on the report.",
)
@click.option(
    "--record-as",
    "record_as",
    default=None,
    help="Записать составление отчёта от имени сотрудника (ФИО или id) / record the report "
    "run as this employee (R11.3).",
)
@click.option(
    "--role",
    type=click.Choice(STAFF_ROLE_CHOICES),
    default=None,
    help="Роль для --record-as (по умолчанию — по должности) / the role of --record-as "
    "(default: from the position).",
)
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
    synthetic: bool,
    size: str,
    seed: int,
    year: str | None,
    year_file: Path | None,
    generated_at: str | None,
    record_as: str | None,
    role: str | None,
    profile: Profile,
) -> None:
    """Составить отчёт по положению / build a named report (by code or title).

    The data come from --store (or $ESCHOOL_STORE); --synthetic builds them from a
    generated school instead. With --all, build every applicable report of --period (the
    school's, each class's, each subject teacher's; --class, --teacher and --kind narrow it)
    from one read of the store into the folder -o DIR, with manifest.json (SHA-256 of every
    file) and index.html. With --record-as, the run is recorded in the store as that
    employee's (the report duties of R11.3 and R11.4 are then judged done).
    """
    if list_reports:
        if formats and formats[0] == "json":
            click.echo(json.dumps(catalogue_json(lang), ensure_ascii=False, indent=2))
        else:
            print_table(_catalogue_table(lang))
        return
    source = choose_source(store, synthetic=synthetic, size=size, seed=seed)
    if record_as is not None and (source is None or all_reports):
        raise click.UsageError(
            say(
                "--record-as записывает в хранилище: нужен --store и один отчёт (не --all)",
                "--record-as records in a store: it needs --store and one report (not --all)",
            )
        )
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
            store=source,
            size=size,
            seed=seed,
            year=year,
            year_file=year_file,
            profile=profile,
            moment=parse_moment(generated_at),
        )
        return
    if len(formats) > 1:
        raise click.UsageError("один отчёт — один формат / one report, one --format")
    fmt = formats[0] if formats else OutputFormat.TEXT.value
    if name is None:
        raise click.UsageError("укажите отчёт или --list / name a report or use --list")
    definition = get_definition(name)
    params = _params(
        class_id=class_id,
        student_id=student_id,
        subject_id=subject_id,
        teacher_id=teacher_id,
        period=period,
        start=start,
        end=end,
        as_of=as_of,
    )
    moment = parse_moment(generated_at)
    chosen = OutputFormat(fmt)
    if output is None and chosen.binary:
        raise click.UsageError(f"формат {fmt} пишется в файл: -o FILE / format {fmt} needs -o FILE")
    if output is not None and output.is_dir():
        raise click.UsageError(f"{output} — папка; укажите файл / is a folder; give a file")
    data, params = _load_data(
        definition.code,
        params,
        source,
        size,
        seed,
        year=year,
        year_file=year_file,
        profile=profile,
        as_of=params.as_of or moment.date(),
    )
    try:
        built = run_report(definition.code, data, params, generated_at=moment)
    except ValidationError as exc:
        raise _with_option_names(exc) from exc
    width = _terminal_width() if output is None and chosen is OutputFormat.TEXT else None
    if width is not None:
        content = fit_report_text(built, lang, width).encode()
    else:
        content = export_report(built, chosen, language=lang, csv_dialect=csv_dialect)
    if record_as is not None and source is not None:
        opened = _open_store(source)
        try:
            academic_year = store_year(
                year, year_file, profile, stored=lambda: stored_years(opened)
            )
            _record(
                opened, academic_year, profile, record_as, role, definition.code, params, moment
            )
        finally:
            opened.close()
    if output is not None:
        output.write_bytes(content)
        click.echo(f"{definition.title.in_(lang)}: {output}")
    else:
        click.echo(content.decode(), nl=False)


def _terminal_width() -> int | None:
    """The terminal's width when standard output is one, else ``None`` (piped: whole)."""
    console = Console()
    return console.width if console.is_terminal else None


def _params(
    *,
    class_id: str | None,
    student_id: str | None,
    subject_id: str | None,
    teacher_id: str | None,
    period: str | None,
    start: str | None,
    end: str | None,
    as_of: str | None,
) -> ReportParams:
    """The report's parameters from the options; a reversed range names --from and --to."""
    try:
        return ReportParams(
            class_id=class_id,
            student_id=student_id,
            subject_id=subject_id,
            teacher_id=teacher_id,
            period=period,
            start=_date(start),
            end=_date(end),
            as_of=_date(as_of),
        )
    except ValidationError as exc:
        if exc.code != "report.bad_range":
            raise
        raise click.BadParameter(
            say("--to раньше, чем --from", "--to is before --from"), param_hint="'--from/--to'"
        ) from None


def _record(  # noqa: PLR0917 - one run and its context
    opened: Store,
    year: AcademicYear,
    profile: Profile,
    employee: str,
    role: str | None,
    code: str,
    params: ReportParams,
    moment: dt.datetime,
) -> None:
    run, by = record_run(
        opened,
        year=year,
        profile=profile,
        employee_key=employee,
        role=role,
        code=code,
        params=params,
        at=moment,
    )
    click.echo(
        say(
            f"Составление отчёта «{run.report_code}» записано: {by.person.short_name}",
            f"The run of '{run.report_code}' is recorded for {by.person.short_name}",
        ),
        err=True,
    )
