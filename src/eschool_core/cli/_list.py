"""``eschool list``: the ids and names of a store's classes, students, staff, subjects, periods.

A report needs ids (``--class``, ``--student``, ``--teacher``); this command shows them, as
a table (never cut when piped) or as JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from eschool_core import synth
from eschool_core.cli._check import _open_store
from eschool_core.cli._console import print_table
from eschool_core.cli._find import class_sort_key, find_class
from eschool_core.cli._options import say, store_year, synthetic_year, year_file_option
from eschool_core.cli._source import choose_source, source_options
from eschool_core.profiles import default_profile
from eschool_core.reports import period_name, periods_of_year
from eschool_core.school import SchoolClass
from eschool_core.year_data import SchoolYearData, YearScope

__all__ = ["list_command", "listing"]

_WHAT = ("classes", "students", "teachers", "subjects", "periods")

_HEADINGS = {
    "classes": (("id", "Id"), ("name", "Класс / Class"), ("class_teacher", "Кл. рук. / Teacher")),
    "students": (("id", "Id"), ("name", "ФИО / Name"), ("class", "Класс / Class")),
    "teachers": (("id", "Id"), ("name", "ФИО / Name"), ("position", "Должность / Position")),
    "subjects": (("id", "Id"), ("name", "Предмет / Subject"), ("order", "Порядок / Order")),
    "periods": (
        ("code", "Код / Code"),
        ("name", "Период / Period"),
        ("parallels", "Параллели / Grades"),
        ("start", "Начало / Start"),
        ("end", "Конец / End"),
    ),
}


def _rows_of(
    what: str,
    *,
    classes: list[SchoolClass],
    students: list[tuple[str, str, str]],
    employees: list[tuple[str, str, str]],
    subjects: list[tuple[str, str, int]],
    periods: dict[int, list[tuple[str, str, str]]],
    teacher_names: dict[str, str],
) -> list[dict[str, object]]:
    if what == "classes":
        return [
            {
                "id": c.id,
                "name": c.name,
                "class_teacher": teacher_names.get(str(c.class_teacher_id), ""),
            }
            for c in classes
        ]
    if what == "students":
        return [{"id": i, "name": n, "class": c} for i, n, c in students]
    if what == "teachers":
        return [{"id": i, "name": n, "position": p} for i, n, p in employees]
    if what == "subjects":
        return [{"id": i, "name": n, "order": o} for i, n, o in subjects]
    grouped: dict[tuple[str, str, str], list[int]] = {}
    for parallel, spans in sorted(periods.items()):
        for span in spans:
            grouped.setdefault(span, []).append(parallel)
    return [
        {
            "code": code,
            "name": period_name(code),
            "parallels": _ranges(parallels),
            "start": start,
            "end": end,
        }
        for (code, start, end), parallels in sorted(
            grouped.items(), key=lambda i: (i[0][1], i[0][0])
        )
    ]


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(parts)


def listing(
    what: str,
    *,
    store: str | None,
    year: str | None,
    year_file: Path | None,
    size: str = "small",
    seed: int = 1,
    class_key: str | None = None,
) -> list[dict[str, object]]:
    """Return the rows of ``eschool list WHAT``: ids and names, as JSON-ready dictionaries.

    Classes come in their natural order (1А, 2А, …, 10А); students by class, then name.

    Args:
        what: ``classes``, ``students``, ``teachers``, ``subjects`` or ``periods``.
        store: The store, or ``None`` for the synthetic school of ``size`` and ``seed``.
        year: The academic year (default: the store's newest).
        year_file: An academic year as TOML instead of the one the store keeps.
        size: The synthetic school's size.
        seed: The synthetic school's seed.
        class_key: Only the students of this class (an id or a name; ``5a`` is 5А).

    Raises:
        StorageError: If the store cannot be opened.
        NotFoundError: If ``class_key`` names no class of the year.
        ValidationError: For a store of several schools (``store.school_required``: the
            year is read as every reader reads it, :class:`~eschool_core.year_data.SchoolYearData`).
    """
    profile = default_profile()
    if store is not None:
        opened = _open_store(store)
        try:
            with opened.unit_of_work() as uow:
                academic_year = store_year(year, year_file, profile, stored=uow.academic_years.all)
                data = SchoolYearData.read(
                    uow, academic_year, scope=YearScope(planning=False, dated=False)
                )
        finally:
            opened.close()
        classes = sorted(data.classes, key=lambda c: (c.parallel, c.letter, c.id))
        if class_key is not None:
            classes = [find_class(class_key, classes)]
        all_students = list(data.students)
        memberships = list(data.memberships)
        staff = list(data.employees)
        subject_list = list(data.subjects)
        periods = {
            parallel: [(s.key, s.start.isoformat(), s.end.isoformat()) for s in spans]
            for parallel, spans in periods_of_year(academic_year).items()
        }
    else:
        school = synth.generate(size, seed, year=synthetic_year(year, year_file))
        classes = sorted(school.classes, key=lambda c: (c.parallel, c.letter, c.id))
        if class_key is not None:
            classes = [find_class(class_key, classes)]
        all_students = list(school.students)
        memberships = list(school.memberships)
        staff = list(school.employees)
        subject_list = list(school.subjects)
        periods = {
            parallel: [(p.code, p.start.isoformat(), p.end.isoformat()) for p in plans]
            for parallel, plans in school.periods_by_parallel.items()
        }
    class_names = {c.id: c.name for c in classes}
    class_of = {
        m.student_id: class_names[m.class_id] for m in memberships if m.class_id in class_names
    }
    students = sorted(
        ((str(s.id), s.person.full_name, class_of[s.id]) for s in all_students if s.id in class_of),
        key=lambda row: (class_sort_key(row[2]), row[1], row[0]),
    )
    employees = sorted(
        ((str(e.id), e.person.full_name, e.position) for e in staff), key=lambda r: (r[1], r[0])
    )
    subjects = sorted(
        ((str(s.id), s.name, s.order) for s in subject_list), key=lambda r: (r[2], r[1])
    )
    teacher_names = {str(e.id): e.person.short_name for e in staff}
    return _rows_of(
        what,
        classes=classes,
        students=students,
        employees=employees,
        subjects=subjects,
        periods=periods,
        teacher_names=teacher_names,
    )


@click.command("list")
@click.argument("what", type=click.Choice(_WHAT))
@source_options
@click.option(
    "--class",
    "class_key",
    default=None,
    help="Только ученики класса (5А, 5a или id) / only the students of a class (5А, 5a or id).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Таблица или JSON / a table or JSON.",
)
@click.option(
    "--year",
    default=None,
    help="Учебный год (по умолчанию: последний в хранилище) / the academic year (default: the "
    "newest the store keeps).",
)
@year_file_option
def list_command(
    *,
    what: str,
    store: str | None,
    synthetic: bool,
    size: str,
    seed: int,
    class_key: str | None,
    fmt: str,
    year: str | None,
    year_file: Path | None,
) -> None:
    """Показать id и имена / list the ids and names of classes, students, staff, subjects.

    WHAT is classes, students, teachers, subjects or periods. Reports and commands take
    these ids, or the names: --class 5А, --student "Белова В. И.".
    """
    if class_key is not None and what != "students":
        raise click.UsageError(
            say("--class относится к list students", "--class applies to list students")
        )
    source = choose_source(store, synthetic=synthetic, size=size, seed=seed)
    rows = listing(
        what,
        store=source,
        year=year,
        year_file=year_file,
        size=size,
        seed=seed,
        class_key=class_key,
    )
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table()
    for _key, heading in _HEADINGS[what]:
        table.add_column(heading)
    for row in rows:
        table.add_row(*(escape(str(row[key])) for key, _heading in _HEADINGS[what]))
    print_table(table)
