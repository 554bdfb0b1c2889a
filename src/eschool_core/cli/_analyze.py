"""``eschool analyze``: bulk period marks, quality, timeliness, completeness on an engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from eschool_core.cli._options import lang_option, profile_option
from eschool_core.errors import ValidationError
from eschool_core.profiles import Profile
from eschool_core.rbac import academic_year_of

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
)
@click.option(
    "--what",
    type=click.Choice(["period-marks", "quality", "timeliness", "completeness", "attendance"]),
    required=True,
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "parquet", "json"]),
    default="text",
    show_default=True,
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--tables",
    type=click.Choice(["store", "analytics"]),
    default="store",
    show_default=True,
    help="postgres: the SQL store's own tables, or tables of the analytics schema.",
)
@click.option(
    "--year",
    "year_label",
    default=None,
    help="postgres, store: the academic year, e.g. 2025/2026 (default: today's).",
)
@click.option("--schema", default=None, help="postgres: the PostgreSQL schema of the tables.")
@click.option(
    "--school-id", default=None, help="postgres, store: the school, if the store has several."
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
    schema: str | None,
    school_id: str | None,
    profile: Profile,
    lang: str,
) -> None:
    """Посчитать показатели по папке Parquet или базе / bulk figures of a folder or a store.

    SOURCE: a folder of <table>.parquet files (duckdb, spark), or a postgresql:// URL
    (postgres). With --engine postgres and --tables store (the default), the SQL store's
    own tables are read in place for one academic year (--year; its study periods and
    production calendar come from --profile); use --schema if the store was opened in a
    PostgreSQL schema and --school-id if it holds several schools. With --tables analytics,
    the database holds tables named and shaped like the analytics schema
    (docs/analytics.md), as Dataset.from_backend reads them.
    """
    from eschool_core.analytics import analyze, plot  # noqa: PLC0415 - extra

    policy = profile.grading
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

        data = _open(
            source,
            engine,
            tables=tables,
            year_label=year_label,
            schema=schema,
            school_id=school_id,
            profile=profile,
        )
        try:
            result = analyze(data, what, policy, progress=progress)
        finally:
            if engine == "postgres":
                data.backend.disconnect()
    if plot_path is not None:
        plot(result, plot_path, lang)
    if fmt == "parquet":
        if output is None:
            raise ValidationError(
                "Для формата parquet укажите --output",
                "The parquet format needs --output",
                code="cli.output_required",
            )
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
    schema: str | None,
    school_id: str | None,
    profile: Profile,
) -> Any:  # noqa: ANN401 - a Dataset of the `analytics` extra
    """Open the data of ``source`` on ``engine`` (see the command's help)."""
    from eschool_core.analytics import Dataset  # noqa: PLC0415 - extra

    if engine != "postgres":
        given = (
            ("--tables", tables != "store"),
            ("--year", year_label is not None),
            ("--schema", schema is not None),
            ("--school-id", school_id is not None),
        )
        used = [name for name, present in given if present]
        if used:
            raise ValidationError(
                f"Параметры {', '.join(used)} относятся только к --engine postgres",
                f"The options {', '.join(used)} apply to --engine postgres only",
                code="cli.postgres_only",
                details={"options": used},
            )
        return Dataset.from_parquet(source, engine=engine)
    if tables == "store":
        from eschool_core.calendar import standard_year  # noqa: PLC0415 - this path only

        label = year_label or academic_year_of(dt.date.today())  # noqa: DTZ011 - the CLI's clock
        year = standard_year(label, profile.calendar)
        return Dataset.from_store(source, year, schema=schema, school_id=school_id)
    if year_label is not None or school_id is not None:
        raise ValidationError(
            "--year и --school-id относятся к таблицам хранилища (--tables store)",
            "--year and --school-id apply to the store's tables (--tables store)",
            code="cli.store_only",
        )
    if not source.startswith(("postgresql://", "postgres://")):
        raise ValidationError(
            "Для --engine postgres укажите адрес postgresql://",
            "--engine postgres needs a postgresql:// URL",
            code="cli.bad_source",
        )
    import ibis  # noqa: PLC0415 - extra

    return Dataset.from_backend(ibis.connect(source, **({"schema": schema} if schema else {})))
