"""``eschool synth``: write a synthetic school, district or region as Parquet files."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress

__all__ = ["synth_command"]


@click.command("synth")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--size",
    type=click.Choice(["small", "medium", "large", "district", "region"]),
    default="district",
    show_default=True,
    help="Одна школа, район (16 школ) или регион (162 школы) / one school, a district, a region.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet"]),
    default="parquet",
    help="Формат файлов / the files' format.",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Зерно генератора / the generator's seed.",
)
@click.option(
    "--schools", type=click.IntRange(min=1), default=None, help="Число школ / number of schools."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Процессов / processes.",
)
@click.option(
    "--anonymise",
    "key",
    default=None,
    metavar="KEY",
    help="Псевдонимизировать под ключом / pseudonymise the ids under KEY (16+ characters).",
)
def synth_command(  # noqa: PLR0917 - click passes the options positionally
    folder: Path, size: str, fmt: str, seed: int, schools: int | None, jobs: int, key: str | None
) -> None:
    """Записать синтетические данные в папку Parquet / write synthetic data as Parquet."""
    from eschool_core.analytics import SCHOOLS_PER_SCALE, Scale, write_parquet  # noqa: PLC0415

    del fmt
    scale = Scale(size)
    total = schools or SCHOOLS_PER_SCALE[scale]
    console = Console(stderr=True)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Школы / schools", total=total)

        def progress(done: int, _total: int) -> None:
            bar.update(task, completed=done)

        rows = write_parquet(
            folder,
            scale,
            seed=seed,
            schools=schools,
            jobs=jobs,
            progress=progress,
            pseudonym_key=key,
        )
    for name, count in rows.items():
        click.echo(f"{name}: {count}")
