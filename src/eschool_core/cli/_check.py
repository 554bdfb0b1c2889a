"""``eschool check``: run the deadline rules on a store or on the synthetic school."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from eschool_core import synth
from eschool_core.cli._console import PIPED, print_table, table_console
from eschool_core.cli._finding_names import FindingNames
from eschool_core.cli._options import (
    check_date,
    check_output,
    lang_option,
    open_for_reading,
    profile_option,
    say,
    store_year,
    stored_years,
    synthetic_year,
    year_file_option,
)
from eschool_core.cli._source import choose_source, source_options
from eschool_core.deadlines import ComplianceChecker, ComplianceData, ComplianceReport
from eschool_core.profiles import Profile, rules_for
from eschool_core.reports import format_count
from eschool_core.storage import Store
from eschool_core.year_data import SchoolYearData

__all__ = ["check_command", "compliance_table", "synthetic_report"]

_TEXT = {
    "ru": {
        "title": "Соблюдение сроков на {as_of}",
        "rule": "Правило",
        "clause": "Пункт",
        "severity": "Важность",
        "role": "Ответственный",
        "count": "Нарушений",
        "what": "Что требуется",
        "total": "Всего нарушений: {violations} (ошибок: {errors}); ожидают срока: {pending}",
        "unchecked": "Не проверено (нет данных): {rules}",
        "clean": "Нарушений сроков не найдено",
    },
    "en": {
        "title": "Deadline compliance as of {as_of}",
        "rule": "Rule",
        "clause": "Clause",
        "severity": "Severity",
        "role": "Responsible",
        "count": "Violations",
        "what": "Requirement text",
        "total": "Violations: {violations} (errors: {errors}); not yet due: {pending}",
        "unchecked": "Not checked (no data): {rules}",
        "clean": "No deadline violations found",
    },
}


_SEVERITY_RU = {"error": "ошибка", "warning": "предупреждение", "info": "сведения"}


def compliance_table(
    report: ComplianceReport,
    checker: ComplianceChecker,
    *,
    lang: str = "ru",
    top: int | None = None,
    describe: bool = True,
) -> Table:
    """Return a rich table of the report's violations by rule, most first.

    Args:
        report: The report.
        checker: The checker that made it (for the rules' clauses and roles).
        lang: ``"ru"`` or ``"en"`` headings.
        top: Show only this many rules.
        describe: Add a column with what each rule requires.
    """
    text = _TEXT[lang]
    rules = {rule.id: rule for rule in checker.rules}
    as_of = report.as_of
    shown = f"{as_of.day:02d}.{as_of.month:02d}.{as_of.year}" if lang == "ru" else as_of.isoformat()
    table = Table(title=text["title"].format(as_of=shown))
    table.add_column(text["rule"], no_wrap=True)
    table.add_column(text["clause"], no_wrap=True)
    table.add_column(text["severity"], no_wrap=True)
    table.add_column(text["role"], max_width=18)
    table.add_column(text["count"], justify="right", no_wrap=True)
    if describe:
        # Narrow enough that the table fits a 100-column terminal; the text wraps instead.
        table.add_column(text["what"], min_width=14, ratio=1)
    counts = list(report.by_rule().items())
    for rule_id, count in counts[:top] if top is not None else counts:
        rule = rules[rule_id]
        role = rule.role.label_ru if lang == "ru" else rule.role.label_en
        title = rule.title_ru if lang == "ru" else rule.title_en
        cells = [
            rule_id,
            f"{rule.clause} ({rule.requirement})",
            _SEVERITY_RU.get(rule.severity.value, rule.severity.value)
            if lang == "ru"
            else rule.severity.value,
            role,
            format_count(count, lang),
        ]
        table.add_row(*cells, *([title] if describe else []))
    return table


def synthetic_report(
    school: synth.SyntheticSchool, profile: Profile, as_of: date | None = None
) -> tuple[ComplianceReport, ComplianceChecker]:
    """Check a synthetic school's year (with its movement orders) against the profile.

    Args:
        school: The generated school.
        profile: The profile whose ``[deadlines]`` rules apply.
        as_of: The day of the check (default: 31 August after the year).
    """
    year = synth.academic_year_of(school)
    checker = rules_for(profile, year, school.school).checker
    data = ComplianceData.from_year_data(school.year_data)
    when = as_of or date(year.label.first + 1, 8, 31)
    return checker.check(data, when), checker


_DESCRIBED_WIDTH = 110
"""The narrowest terminal on which the findings table shows what each rule requires."""


def _open_store(spec: str) -> Store:
    """Open an existing store for reading: :func:`~eschool_core.cli._options.open_for_reading`.

    Nothing is created or altered; see :func:`~eschool_core.storage.open_store` for the errors.
    """
    return open_for_reading(spec)


def _parse_as_of(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


@click.command("check")
@source_options
@click.option(
    "--year",
    "year_label",
    default=None,
    help="Учебный год (по умолчанию: последний в хранилище; --synthetic: 2025/2026) / the "
    "academic year (default: the newest the store keeps; --synthetic: 2025/2026).",
)
@year_file_option
@click.option(
    "--as-of",
    "as_of",
    callback=check_date,
    default=None,
    help="День проверки ГГГГ-ММ-ДД (по умолчанию: сегодня; --synthetic: 31 августа после года) "
    "/ the day of the check, YYYY-MM-DD (default: today; --synthetic: 31 August after the year).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Таблица или JSON / a table or JSON.",
)
@click.option(
    "-o",
    "--output",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=check_output,
    default=None,
    help="Записать в файл вместо вывода на экран / write to a file instead of the screen.",
)
@profile_option
@lang_option
def check_command(  # noqa: PLR0917 - click passes the options as arguments
    store: str | None,
    synthetic: bool,
    size: str,
    seed: int,
    year_label: str | None,
    year_file: Path | None,
    as_of: str | None,
    output: str,
    output_file: Path | None,
    profile: Profile,
    lang: str,
) -> None:
    """Проверить соблюдение сроков / check deadline compliance.

    Exit status 1 when there are findings of error severity.
    """
    store_spec = choose_source(store, synthetic=synthetic, size=size, seed=seed)
    day = _parse_as_of(as_of)
    try:
        if store_spec is None:
            school = synth.generate(size, seed, year=synthetic_year(year_label, year_file))
            report, checker = synthetic_report(school, profile, day)
            names = FindingNames.of(school.year_data, school.subjects)
        else:
            opened = _open_store(store_spec)
            try:
                year = store_year(
                    year_label, year_file, profile, stored=lambda: stored_years(opened)
                )
                with _kept_as_read():
                    data = SchoolYearData.from_store(opened, year)
            finally:
                opened.close()
            checker = rules_for(profile, year, data.school).checker
            report = checker.check(
                ComplianceData.from_year_data(data),
                day or date.today(),  # noqa: DTZ011 - the CLI's clock
            )
            names = FindingNames.of(data, data.subjects)
        _output(report, checker, names, output, output_file, lang)
    finally:
        gc.unfreeze()
    if report.has_errors:
        raise SystemExit(1)


@contextlib.contextmanager
def _kept_as_read() -> Iterator[None]:
    """Spare the year being read from the cyclic garbage collector until the command ends.

    The year (~800,000 marks for a large school) forms no cycles and lives until the report
    is written: the collector is off while it is read, and what exists then is moved to its
    permanent generation (``gc.freeze``), so that the collections while the checker and the
    output allocate do not walk all of it again and again. The command returns it to the
    collector when it ends (``gc.unfreeze``).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _output(  # noqa: PLR0917 - one report, its output
    report: ComplianceReport,
    checker: ComplianceChecker,
    names: FindingNames,
    output: str,
    output_file: Path | None,
    lang: str,
) -> None:
    if output_file is not None:
        with output_file.open("w", encoding="utf-8") as file:
            _write(report, checker, names, output, lang, Console(file=file, **PIPED))
        click.echo(say(f"Записано: {output_file}", f"Written: {output_file}"), err=True)
    else:
        _write(report, checker, names, output, lang, table_console())


def _write(  # noqa: PLR0917 - one report, its output
    report: ComplianceReport,
    checker: ComplianceChecker,
    names: FindingNames,
    output: str,
    lang: str,
    console: Console,
) -> None:
    if output == "json":
        console.file.write(names.add_to(report.to_dict()) + "\n")
    else:
        _print(report, checker, lang, console)


def _print(
    report: ComplianceReport, checker: ComplianceChecker, lang: str, console: Console
) -> None:
    text = _TEXT[lang]
    if report.violations:
        # The requirement's text only where it fits beside the other columns (or when piped).
        describe = not console.is_terminal or console.width >= _DESCRIBED_WIDTH
        print_table(compliance_table(report, checker, lang=lang, describe=describe), console)
    else:
        console.print(text["clean"])
    severities = report.by_severity()
    statuses = report.by_status()
    console.print(
        text["total"].format(
            violations=format_count(len(report.violations), lang),
            errors=format_count(severities.get("error", 0), lang),
            pending=format_count(statuses.get("not_yet_due", 0), lang),
        )
    )
    if report.unchecked:
        console.print(
            text["unchecked"].format(rules=", ".join(u.rule_id for u in report.unchecked))
        )
