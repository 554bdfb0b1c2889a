"""``eschool analyze``: bulk period marks, quality, timeliness, completeness on an engine."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from eschool_core.cli._options import lang_option, profile_option
from eschool_core.errors import ValidationError
from eschool_core.profiles import Profile

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
@profile_option
@lang_option
def analyze_command(  # noqa: PLR0917 - click passes the options positionally
    source: str,
    engine: str,
    what: str,
    fmt: str,
    output: Path | None,
    plot_path: Path | None,
    profile: Profile,
    lang: str,
) -> None:
    """Посчитать показатели по папке Parquet или базе / bulk figures of a folder or a store.

    SOURCE: a folder of <table>.parquet files (duckdb, spark) or a postgresql:// URL whose
    database holds the analytics tables (postgres).
    """
    from eschool_core.analytics import Dataset, analyze, plot  # noqa: PLC0415 - extra

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

        if engine == "postgres":
            if not source.startswith("postgresql://"):
                raise ValidationError(
                    "Для --engine postgres укажите адрес postgresql://",
                    "--engine postgres needs a postgresql:// URL",
                    code="cli.bad_source",
                )
            import ibis  # noqa: PLC0415 - extra

            data = Dataset.from_backend(ibis.connect(source))
        else:
            data = Dataset.from_parquet(source, engine=engine)
        result = analyze(data, what, policy, progress=progress)
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
