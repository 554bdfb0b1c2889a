"""``eschool calendar``: print an academic year's periods, vacations, holidays and school days."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from eschool_core.cli._options import lang_option, load_year, profile_option
from eschool_core.cli._production import production_calendar_option, with_production_files
from eschool_core.profiles import Profile

__all__ = ["calendar_command"]

_MONTHS_RU = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip

_TEXT = {
    "ru": {
        "title": "Календарный учебный график {label}, параллель {parallel}",
        "periods": "Учебные периоды",
        "code": "Код",
        "name": "Период",
        "start": "Начало",
        "end": "Конец",
        "days": "Учебных дней",
        "vacations": "Каникулы",
        "kind": "Каникулы",
        "length": "Дней",
        "holidays": "Праздничные и нерабочие дни",
        "date": "Дата",
        "holiday": "Название",
        "months": "Учебные дни по месяцам",
        "month": "Месяц",
        "total": "Итого",
        "weeks": "Учебных недель: {weeks}",
        "warnings": "Предупреждения",
        "moved": "Перенос учебного дня: {source} → {target}",
    },
    "en": {
        "title": "Academic calendar {label}, parallel {parallel}",
        "periods": "Study periods",
        "code": "Code",
        "name": "Period",
        "start": "Start",
        "end": "End",
        "days": "School days",
        "vacations": "Vacations",
        "kind": "Vacation",
        "length": "Days",
        "holidays": "Public holidays and days off",
        "date": "Date",
        "holiday": "Name",
        "months": "School days by month",
        "month": "Month",
        "total": "Total",
        "weeks": "Weeks of study: {weeks}",
        "warnings": "Warnings",
        "moved": "Moved school day: {source} -> {target}",
    },
}


@click.command("calendar")
@click.argument("label", metavar="YEAR")
@click.option(
    "--parallel",
    type=click.IntRange(1, 11),
    default=5,
    show_default=True,
    help="Параллель / parallel (grade) 1-11.",
)
@click.option(
    "--year-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TOML-файл учебного года / read the academic year from a TOML file.",
)
@profile_option
@production_calendar_option
@lang_option
def calendar_command(
    *,
    label: str,
    parallel: int,
    year_file: Path | None,
    profile: Profile,
    production_files: tuple[Path, ...],
    lang: str,
) -> None:
    """Календарный учебный график / print an academic year (e.g. 2025/2026).

    Prints the study periods, vacations, public holidays, moved school days and the count
    of school days per period and per month of one parallel. Without --year-file the
    standard year is built from the profile's [calendar] section. A year after the
    production calendar's last is added with --production-calendar FILE (its decree's
    holidays and transfers) or the profile's [[calendar.production_year]] tables.
    """
    profile = with_production_files(profile, production_files)
    text = _TEXT[lang]
    year = load_year(label, year_file, profile)
    console = Console(width=100, soft_wrap=False)
    console.print(f"[bold]{text['title'].format(label=year.label, parallel=parallel)}[/bold]")

    periods = Table(title=text["periods"])
    for column in ("code", "name", "start", "end", "days"):
        periods.add_column(text[column], justify="right" if column == "days" else "left")
    total = 0
    for period in year.periods(parallel):
        days = len(year.school_days(period.start, period.end, parallel))
        total += days
        name = period.name_ru if lang == "ru" else period.name_en
        periods.add_row(
            str(period.code), name, period.start.isoformat(), period.end.isoformat(), str(days)
        )
    periods.add_row("", text["total"], "", "", str(total))
    console.print(periods)

    vacations = Table(title=text["vacations"])
    for column in ("kind", "start", "end", "length"):
        vacations.add_column(text[column])
    for vacation in year.vacations_of(parallel):
        name = vacation.kind.name_ru if lang == "ru" else vacation.kind.name_en
        vacations.add_row(
            name, vacation.start.isoformat(), vacation.end.isoformat(), str(vacation.days)
        )
    console.print(vacations)

    holidays = Table(title=text["holidays"])
    holidays.add_column(text["date"])
    holidays.add_column(text["holiday"])
    for day, name in year.holidays():
        holidays.add_row(day.isoformat(), name)
    console.print(holidays)

    for moved in year.moved_days:
        if parallel in moved.parallels:
            console.print(text["moved"].format(source=moved.source, target=moved.target))

    months = Table(title=text["months"])
    months.add_column(text["month"])
    months.add_column(text["days"], justify="right")
    counts = Counter(
        (day.year, day.month) for day in year.school_days(year.first_day, year.last_day, parallel)
    )
    for (year_number, month), count in sorted(counts.items()):
        month_name = _MONTHS_RU[month - 1] if lang == "ru" else f"{month:02d}"
        months.add_row(f"{month_name} {year_number}", str(count))
    months.add_row(text["total"], str(sum(counts.values())))
    console.print(months)

    weeks = year.weeks_of_study(parallel)
    console.print(text["weeks"].format(weeks=f"{float(weeks):.1f}".replace(".", ",")))
    warnings = [w for w in year.norm_warnings() if w.parallel == parallel]
    if warnings:
        console.print(f"[bold]{text['warnings']}[/bold]")
        for warning in warnings:
            console.print(f"- {warning.message.in_(lang)}")
