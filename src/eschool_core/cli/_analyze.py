"""``eschool analyze``: bulk period marks, quality, timeliness, completeness on an engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from eschool_core.calendar import AcademicYear, standard_year
from eschool_core.cli._check import _open_store
from eschool_core.cli._errors import (
    CLI_BAD_SOURCE,
    CLI_NO_SOURCE,
    CLI_NO_YEAR,
    CLI_OUTPUT_REQUIRED,
    CLI_STORE_ONLY,
)
from eschool_core.cli._options import (
    check_output,
    lang_option,
    profile_option,
    store_year,
    stored_years,
    year_file_option,
)
from eschool_core.errors import ValidationError
from eschool_core.profiles import Profile, rules_for
from eschool_core.storage import Store

__all__ = ["analyze_command"]

_STAGES = {
    "open": "Открываю данные / opening the data",
    "plan": "Строю запрос / planning",
    "run": "Считаю / computing",
    "done": "Готово / done",
}


@click.command("analyze")
@click.argument("source")
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "postgres", "spark"]),
    default="duckdb",
    show_default=True,
    help="Движок / the engine.",
)
@click.option(
    "--what",
    type=click.Choice(["period-marks", "quality", "timeliness", "completeness", "attendance"]),
    required=True,
    help="Что считать / what to compute.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "parquet", "json"]),
    default="text",
    show_default=True,
    help="Формат вывода / the output format.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=check_output,
    help="Файл вывода / the output file (default: the screen).",
)
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=check_output,
    help="График PNG или SVG / a PNG or SVG plot (period-marks and timeliness).",
)
@click.option(
    "--tables",
    type=click.Choice(["store", "analytics"]),
    default="store",
    show_default=True,
    help="postgres: таблицы хранилища или аналитической схемы / the SQL store's own tables, or "
    "tables of the analytics schema.",
)
@click.option(
    "--year",
    "year_label",
    default=None,
    help="Учебный год хранилища / a store's academic year, e.g. 2025/2026 (default: the newest "
    "the store keeps).",
)
@year_file_option
@click.option(
    "--schema",
    default=None,
    help="postgres: схема PostgreSQL / the PostgreSQL schema of the tables (for a store, "
    "the same as the URL's ?schema=NAME).",
)
@click.option(
    "--school-id",
    default=None,
    help="Школа хранилища, если их несколько / a store's school, if it holds several.",
)
@profile_option
@lang_option
def analyze_command(  # noqa: PLR0917 - click passes the options positionally
    source: str,
    engine: str,
    what: str,
    fmt: str,
    output: Path | None,
    plot_path: Path | None,
    tables: str,
    year_label: str | None,
    year_file: Path | None,
    schema: str | None,
    school_id: str | None,
    profile: Profile,
    lang: str,
) -> None:
    """Посчитать показатели по папке Parquet или хранилищу / bulk figures of a folder or a store.

    SOURCE, with --engine duckdb (the default) or spark: a folder of <table>.parquet files,
    or a store (a SQLite file such as school.sqlite, or a postgresql:// URL) whose entities
    of one academic year are read and copied to the engine: --year (default: the newest
    year the store has classes for, else today's; its study periods and production
    calendar come from --profile, or the whole year from --year-file, a TOML file of the
    school's own calendar), and --school-id if the store holds several schools.
    With --engine postgres, SOURCE is a postgresql:// URL: with --tables store (the
    default) the SQL store's own tables are read in place for one academic year (--year,
    --school-id; --schema if the store was opened in a PostgreSQL schema); with --tables
    analytics the database holds tables named and shaped like the analytics schema
    (docs/analytics.md), as Dataset.from_backend reads them.
    """
    from eschool_core.analytics import analyze, check_plot, plot  # noqa: PLC0415 - extra

    if plot_path is not None:
        check_plot(what, plot_path)  # before any computing
    if fmt == "parquet" and output is None:
        raise CLI_OUTPUT_REQUIRED.error()
    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(_STAGES["open"], total=None)

        def progress(stage: str) -> None:
            bar.update(task, description=_STAGES.get(stage, stage))

        data, year = _open(
            source,
            engine,
            tables=tables,
            year_label=year_label,
            year_file=year_file,
            schema=schema,
            school_id=school_id,
            profile=profile,
        )
        try:
            rules = rules_for(profile, year or _data_year(data, profile))
            result = analyze(data, what, rules, progress=progress).sorted()
        finally:
            if engine == "postgres":
                data.backend.disconnect()
    if plot_path is not None:
        plot(result, plot_path, lang)
    if fmt == "parquet" and output is not None:
        result.write_parquet(output)
        return
    text = result.render(fmt, lang, limit=50 if fmt == "text" else len(result))
    if output is not None:
        output.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    else:
        click.echo(text)


def _open(
    source: str,
    engine: str,
    *,
    tables: str,
    year_label: str | None,
    year_file: Path | None,
    schema: str | None,
    school_id: str | None,
    profile: Profile,
) -> tuple[Any, AcademicYear | None]:
    """Open the data of ``source`` on ``engine`` (see the command's help).

    Returns:
        The ``Dataset`` (of the ``analytics`` extra) and the store's academic year, or
        ``None`` for tables that are not a store's (Parquet, the analytics schema).
    """
    from eschool_core.analytics import Dataset  # noqa: PLC0415 - extra

    if engine != "postgres":
        _refuse("postgres_only", ("--tables", tables != "store"), ("--schema", schema is not None))
        if Path(source).is_dir():
            _refuse(
                "store_only",
                ("--year", year_label is not None),
                ("--year-file", year_file is not None),
                ("--school-id", school_id is not None),
            )
            return Dataset.from_parquet(source, engine=engine), None
        store = _existing_store(source)
        try:
            year = store_year(year_label, year_file, profile, stored=lambda: stored_years(store))
            return Dataset.from_entities(store, year, school_id=school_id, engine=engine), year
        finally:
            store.close()
    if tables == "store":
        from eschool_core.analytics import connect_store  # noqa: PLC0415 - extra

        backend = connect_store(source, schema=schema)
        try:

            def in_database() -> list[AcademicYear]:
                rows = backend.table("academic_years").to_pyarrow().to_pylist()
                return [AcademicYear.from_toml(row["calendar"]) for row in rows]

            year = store_year(year_label, year_file, profile, stored=in_database)
            # The connection's search path already names the schema.
            return Dataset.from_store(backend, year, school_id=school_id), year
        except BaseException:
            backend.disconnect()
            raise
    if year_label is not None or year_file is not None or school_id is not None:
        raise CLI_STORE_ONLY.error()
    from eschool_core.storage.sql import (  # noqa: PLC0415 - the `sql` extra
        is_postgres_url,
        split_schema,
    )

    if not is_postgres_url(source):
        raise CLI_BAD_SOURCE.error()
    import ibis  # noqa: PLC0415 - extra

    source, schema = split_schema(source, schema)
    backend = ibis.connect(source, **({"schema": schema} if schema else {}))
    return Dataset.from_backend(backend), None


def _data_year(data: Any, profile: Profile) -> AcademicYear:  # noqa: ANN401 - a Dataset
    """The academic year of tables that are not a store's: their classes' first year.

    Its profile rules give the analyses their grading policy and entry deadlines; a year
    without classes is the one of the calendar's first day.
    """
    classes = data.table("classes")
    labels = sorted(classes.select("year").distinct().to_pyarrow().column("year").to_pylist())
    if labels:
        return standard_year(str(labels[0]), profile.calendar)
    calendar = data.table("calendar")
    first = calendar.date.min().to_pyarrow().as_py()
    if first is None:
        raise CLI_NO_YEAR.error()
    start = first.year if first.month >= 9 else first.year - 1
    return standard_year(f"{start}/{start + 1}", profile.calendar)


def _refuse(applies_to: str, *given: tuple[str, bool]) -> None:
    """Refuse the options of ``given`` that were passed (``(name, passed)`` pairs).

    ``applies_to`` is ``"postgres_only"`` (options of ``--engine postgres``) or
    ``"store_only"`` (options of a store, not of a folder of Parquet files).
    """
    used = [name for name, passed in given if passed]
    if not used:
        return
    shown = ", ".join(used)
    if applies_to == "postgres_only":
        ru, en = "относятся только к --engine postgres", "apply to --engine postgres only"
    else:
        ru = "относятся к хранилищу (файл SQLite, --engine postgres), а не к папке Parquet"
        en = "apply to a store (a SQLite file, --engine postgres), not to a Parquet folder"
    raise ValidationError(
        f"Параметры {shown} {ru}",
        f"The options {shown} {en}",
        code=f"cli.{applies_to}",
        details={"options": used},
    )


def _existing_store(source: str) -> Store:
    """Open the store at ``source`` (a SQLite file or a PostgreSQL URL), never creating one.

    Raises:
        NotFoundError: If ``source`` is neither a folder nor an existing file
            (``cli.no_source``).
        StorageError: For a file or database that is not an eschool store
            (``storage.not_a_store``), a URL of another database (``storage.unsupported_url``),
            or if the store cannot be opened or has another schema version.
    """
    if "://" in source:
        return _open_store(source)  # names an unsupported scheme; refuses a database without one
    path = Path(source)
    if not path.is_file():
        raise CLI_NO_SOURCE.error(source=source)
    return _open_store(source)
