"""Synthetic districts and regions as Parquet folders, written school by school."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from enum import StrEnum
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from eschool_core.analytics._anonymise import pseudonymise_tables
from eschool_core.analytics._arrow import calendar_table, school_tables
from eschool_core.analytics._schema import SCHEMAS
from eschool_core.analytics._year import CALENDAR_TAIL
from eschool_core.privacy import Pseudonymiser
from eschool_core.synth import SchoolSize, generate

__all__ = ["SCHOOLS_PER_SCALE", "Scale", "write_parquet"]


class Scale(StrEnum):
    """How much synthetic data ``eschool synth`` writes."""

    SMALL = "small"
    """One small school (~200 students)."""
    MEDIUM = "medium"
    """One medium school (~600 students)."""
    LARGE = "large"
    """One large school (~1,200 students)."""
    DISTRICT = "district"
    """16 large schools: ~20,000 students, ~13 million current marks."""
    REGION = "region"
    """162 large schools: ~200,000 students, ~130 million current marks."""


SCHOOLS_PER_SCALE = {
    Scale.SMALL: 1,
    Scale.MEDIUM: 1,
    Scale.LARGE: 1,
    Scale.DISTRICT: 16,
    Scale.REGION: 162,
}
"""How many schools each scale has."""


def _school_size(scale: Scale) -> SchoolSize:
    known = {size.value for size in SchoolSize}
    return SchoolSize(scale.value) if scale.value in known else SchoolSize.LARGE


def _one_school(
    size: str, seed: int, index: int, count: int, key: str | None = None
) -> dict[str, pa.Table]:
    """Generate school ``index`` and return its tables (runs in a worker process)."""
    school = generate(size, seed=seed * 1_000 + index)
    if count == 1:
        tables = school_tables(school.year_data, orders=school.orders)
    else:
        tables = school_tables(
            school.year_data,
            school_id=f"sch-{index:03d}",
            prefix=f"s{index:03d}:",
            orders=school.orders,
        )
        number = f"№{index}»"
        name = school.school.name.replace("№1»", number)
        tables["schools"] = tables["schools"].set_column(
            1, SCHEMAS["schools"].field("name"), pa.array([name], pa.string())
        )
    if key is not None:
        tables = pseudonymise_tables(tables, key)
    first, last = min(school.school_days), max(school.school_days)
    tables["_span"] = pa.table({"first": [first], "last": [last]})
    return tables


def _results(
    size: str, seed: int, count: int, jobs: int, key: str | None
) -> Iterator[dict[str, pa.Table]]:
    if jobs <= 1 or count == 1:
        for index in range(1, count + 1):
            yield _one_school(size, seed, index, count, key)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: list[Future[dict[str, pa.Table]]] = []
        next_index = 1
        while next_index <= count or pending:
            while next_index <= count and len(pending) < jobs + 1:
                pending.append(pool.submit(_one_school, size, seed, next_index, count, key))
                next_index += 1
            yield pending.pop(0).result()


def write_parquet(
    folder: Path | str,
    scale: Scale | str = Scale.DISTRICT,
    *,
    seed: int = 1,
    schools: int | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    pseudonym_key: str | None = None,
) -> dict[str, int]:
    """Write a synthetic school, district or region as ``<table>.parquet`` files.

    Each school is generated with :func:`eschool_core.synth.generate` (its own seed, its
    own ``school_id`` and id prefix), converted to Arrow and appended to each table's file
    as a row group, then dropped: memory holds a few schools at a time whatever the scale.
    The same arguments give the same files.

    Args:
        folder: The folder to write (created if missing; files are replaced).
        scale: ``small``, ``medium``, ``large`` (one school) or ``district``, ``region``.
        seed: The seed of the whole set.
        schools: Override the number of schools of the scale.
        jobs: Worker processes generating schools (the writing stays in order).
        progress: Called as ``progress(schools_done, schools_total)``.
        pseudonym_key: If given, the files are pseudonymised with
            :func:`~eschool_core.analytics.pseudonymise_tables` under this key.

    Returns:
        Rows written per table.

    >>> import tempfile
    >>> rows = write_parquet(tempfile.mkdtemp(), "small", seed=3)
    >>> rows["schools"], rows["marks"] > 100_000
    (1, True)
    """
    scale = Scale(scale)
    if pseudonym_key is not None:
        Pseudonymiser(pseudonym_key)  # a bad key is refused before anything is written
    count = schools or SCHOOLS_PER_SCALE[scale]
    size = _school_size(scale).value
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    writers: dict[str, pq.ParquetWriter] = {}
    rows: dict[str, int] = dict.fromkeys(SCHEMAS, 0)
    first: dt.date | None = None
    last: dt.date | None = None
    try:
        for done, tables in enumerate(_results(size, seed, count, jobs, pseudonym_key), start=1):
            span = tables.pop("_span")
            first = min(filter(None, (first, span.column("first")[0].as_py())))
            last = max(filter(None, (last, span.column("last")[0].as_py())))
            for name, table in tables.items():
                if name == "subjects" and done > 1:
                    continue
                writer = writers.get(name)
                if writer is None:
                    writer = writers[name] = pq.ParquetWriter(
                        root / f"{name}.parquet", SCHEMAS[name], compression="zstd"
                    )
                writer.write_table(table, row_group_size=1_000_000)
                rows[name] += table.num_rows
            if progress is not None:
                progress(done, count)
    finally:
        for writer in writers.values():
            writer.close()
    assert first is not None  # noqa: S101 - at least one school was written
    assert last is not None  # noqa: S101 - likewise
    calendar = calendar_table(first, last + dt.timedelta(days=CALENDAR_TAIL))
    pq.write_table(calendar, root / "calendar.parquet")
    rows["calendar"] = calendar.num_rows
    return rows
