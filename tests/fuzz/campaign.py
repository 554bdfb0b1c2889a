"""The long fuzz campaign of the readers: ``python -m tests.fuzz.campaign``.

It mutates the project's own valid inputs (:mod:`tests.fuzz.mutations`) and feeds them to
the readers: every bundle to the memory store, a SQLite file and, when
``ESCHOOL_TEST_POSTGRES_DSN`` is set, a PostgreSQL schema; every TOML text to the profile and
the year readers as a file; damaged Parquet folders to the analytics; and the reading
commands of the command line to stores, profiles and year files, good and bad. It counts,
per reader and store, the inputs, the documented errors (:class:`EschoolError`), the other
exceptions, the partial writes (a refused import that left anything in the store) and the
files that a reading command created or changed, and prints them as JSON. Any other
exception, partial write or changed file makes it exit with status 1.

Options: ``--bundles N`` (1000), ``--toml N`` (1000), ``--parquet N`` (60), ``--cli N`` (60),
``--seed N`` (1).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from eschool_core.errors import EschoolError
from eschool_core.profiles import default_profile, default_profile_text, load_profile
from eschool_core.storage import MemoryStore, Store
from eschool_core.storage.bundle import export_bundle, import_bundle
from eschool_core.testing import load, sample_school, snapshot
from tests.fuzz.mutations import (
    Files,
    corrupt_zip,
    mutate_bundle,
    mutate_toml,
    read_bundle,
    write_folder,
    write_zip,
)


class Tally:
    """The counts of one reader on one store."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.other: list[str] = []

    def run(self, label: str, action: Callable[[], object]) -> bool:
        """Run ``action``; count it as accepted, documented error or other exception."""
        self.counts["inputs"] += 1
        try:
            action()
        except EschoolError:
            self.counts["documented_errors"] += 1
            return False
        except Exception:
            self.counts["other_exceptions"] += 1
            self.other.append(f"{label}: {traceback.format_exc(limit=-3)}")
            return False
        self.counts["accepted"] += 1
        return True

    def as_dict(self) -> dict[str, Any]:
        """The counts, with the first few other exceptions."""
        counts = {
            key: self.counts[key]
            for key in (
                "inputs",
                "accepted",
                "documented_errors",
                "other_exceptions",
                "partial_writes",
                "files_changed",
            )
        }
        return {**counts, "examples": self.other[:3]}


def _state(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the SHA-256 of its content."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _valid_bundle(work: Path) -> Files:
    source = MemoryStore()
    load(source, sample_school())
    export_bundle(source, work / "valid")
    return read_bundle(work / "valid")


@contextmanager
def _stores(work: Path) -> Iterator[dict[str, Callable[[], Store]]]:
    """Makers of an empty store per kind: memory, SQLite, PostgreSQL (with the DSN)."""
    from eschool_core.storage.sql import SqlStore

    made: list[Any] = []

    def sqlite() -> Store:
        store = SqlStore(str(work / f"{uuid.uuid4().hex}.sqlite"), create=True)
        made.append(store)
        return store

    makers: dict[str, Callable[[], Store]] = {"memory": MemoryStore, "sqlite": sqlite}
    dsn = os.environ.get("ESCHOOL_TEST_POSTGRES_DSN")
    schema = f"eschool_fuzz_{uuid.uuid4().hex[:8]}"
    postgres: Any = None
    if dsn:
        postgres = SqlStore(dsn, schema=schema, create=True)
        made.append(postgres)

        def on_postgres() -> Store:
            _empty(postgres)
            return postgres  # type: ignore[no-any-return]

        makers["postgresql"] = on_postgres
    try:
        yield makers
    finally:
        for store in made:
            store.close()
        if postgres is not None:
            import sqlalchemy as sa

            engine = sa.create_engine("postgresql+psycopg://" + dsn.split("://", 1)[1])  # type: ignore[union-attr]
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            engine.dispose()


def _empty(store: Any) -> None:
    from eschool_core.storage.sql import METADATA

    with store._engine.begin() as conn:
        for table in reversed(METADATA.sorted_tables):
            if table.name != "eschool_schema":
                conn.execute(table.delete())


def bundles(count: int, seed: int, work: Path) -> dict[str, Tally]:
    """Import ``count`` mutated bundles into every store; count the outcomes."""
    base = _valid_bundle(work)
    tallies: dict[str, Tally] = {}
    with _stores(work) as makers:
        for index in range(count):
            rng = random.Random(seed * 1_000_003 + index)
            label, files = mutate_bundle(base, rng)
            case = work / f"bundle-{index}"
            if rng.random() < 0.5:
                source = write_zip(files, case.with_suffix(".zip"))
                if rng.random() < 0.3:
                    label += "+corrupt_zip"
                    source.write_bytes(corrupt_zip(source.read_bytes(), rng))
            else:
                source = write_folder(files, case)
            for kind, make in makers.items():
                tally = tallies.setdefault(f"bundle/{kind}", Tally())
                store = make()
                before = snapshot(store)
                accepted = tally.run(f"{label} ({index})", partial(import_bundle, source, store))
                if not accepted and snapshot(store) != before:
                    tally.counts["partial_writes"] += 1
    return tallies


def tomls(count: int, seed: int, work: Path) -> dict[str, Tally]:
    """Read ``count`` mutated profiles and as many mutated year files; count the outcomes."""
    from eschool_core import synth
    from eschool_core.cli._options import load_year

    profile_text = default_profile_text()
    year_text = synth.academic_year_of(synth.generate("small", 1)).to_toml()
    profile = default_profile()
    tallies = {"toml/profile": Tally(), "toml/year": Tally()}
    for index in range(count):
        rng = random.Random(seed * 7_919 + index)
        path = work / f"profile-{index}.toml"
        path.write_bytes(mutate_toml(profile_text, rng))
        tallies["toml/profile"].run(f"profile {index}", partial(load_profile, path))
        path = work / f"year-{index}.toml"
        path.write_bytes(mutate_toml(year_text, rng))
        tallies["toml/year"].run(f"year {index}", partial(load_year, None, path, profile))
    return tallies


def parquet(count: int, seed: int, work: Path) -> dict[str, Tally]:
    """Analyse ``count`` Parquet folders with one file damaged; count the outcomes."""
    import pyarrow.parquet as pq

    from eschool_core.analytics import Dataset, analyze, write_parquet

    valid = work / "parquet-valid"
    write_parquet(valid, "small", seed=seed)
    names = sorted(path.name for path in valid.iterdir())
    policy = default_profile().grading
    tally = Tally()
    for index in range(count):
        rng = random.Random(seed * 104_729 + index)
        folder = work / f"parquet-{index}"
        folder.mkdir()
        for name in names:
            (folder / name).write_bytes((valid / name).read_bytes())
        victim = folder / rng.choice(names)
        data = victim.read_bytes()
        kind = rng.randrange(4)
        if kind == 0:
            victim.write_bytes(b"garbage" * rng.randint(1, 50))
        elif kind == 1:
            victim.write_bytes(data[: rng.randrange(1, len(data))])
        elif kind == 2:
            mutated = bytearray(data)
            for _ in range(rng.randint(1, 16)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            victim.write_bytes(bytes(mutated))
        else:
            table = pq.read_table(victim)
            pq.write_table(table.drop_columns([rng.choice(table.column_names)]), victim)
        what = rng.choice(["period-marks", "quality", "timeliness", "completeness", "attendance"])

        def run(f: Path = folder, w: str = what) -> None:
            analyze(Dataset.from_parquet(f), w, policy)

        tally.run(f"{victim.name} kind {kind} {what}", run)
    return {"parquet/analyze": tally}


def cli(count: int, seed: int, work: Path) -> dict[str, Tally]:
    """Run the reading commands on good and bad stores, profiles and year files.

    Each run happens in a folder of its own; a reading command must leave every file there
    as it was (its own ``--output`` aside, which these runs do not give) and create none.
    """
    from click.testing import CliRunner

    from eschool_core import synth
    from eschool_core.cli._app import app
    from eschool_core.storage.sql import SqlStore

    store_file = work / "cli-store.sqlite"
    store = SqlStore(str(store_file), create=True)
    load(store, sample_school())
    store.close()
    profile_text = default_profile_text()
    year_text = synth.academic_year_of(synth.generate("small", 1)).to_toml()
    tally = Tally()
    for index in range(count):
        rng = random.Random(seed * 15_485_863 + index)
        folder = work / f"cli-{index}"
        folder.mkdir()
        (folder / "school.sqlite").write_bytes(store_file.read_bytes())
        (folder / "other.sqlite").write_bytes(b"SQLite format 3\x00" + bytes(200))
        (folder / "profile.toml").write_bytes(mutate_toml(profile_text, rng))
        (folder / "year.toml").write_bytes(mutate_toml(year_text, rng))
        (folder / "dir").mkdir()
        target = rng.choice(
            ["school.sqlite", "other.sqlite", "missing.sqlite", "dir", "mysql://x/y"]
        )
        args = rng.choice(
            [
                ["check", "--store", target, "--profile", "profile.toml"],
                ["check", "--store", target, "--year-file", "year.toml"],
                ["report", "class_occupancy", "--store", target, "--year-file", "year.toml"],
                ["analyze", target, "--what", "timeliness", "--year-file", "year.toml"],
                ["analyze", target, "--what", "quality", "--profile", "profile.toml"],
                ["export", target, str(folder / "dir")],
            ]
        )
        before = _state(folder)
        cwd = Path.cwd()
        os.chdir(folder)
        try:

            def run(a: list[str] = args) -> None:
                result = CliRunner().invoke(app, a)
                if result.exit_code not in {0, 1, 2} or "Traceback" in result.output:
                    raise AssertionError(f"exit {result.exit_code}: {result.output[-500:]}")

            tally.run(" ".join(args), run)
        finally:
            os.chdir(cwd)
        after = _state(folder)
        if args[0] == "export":
            after = {k: v for k, v in after.items() if not k.startswith("dir")}
            before = {k: v for k, v in before.items() if not k.startswith("dir")}
        if after != before:
            tally.counts["files_changed"] += 1
            tally.other.append(f"{' '.join(args)} changed {sorted(set(after) ^ set(before))}")
    return {"cli/reading": tally}


def main(argv: list[str] | None = None) -> int:
    """Run the campaign, print its counts as JSON; 1 if anything escaped or was written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundles", type=int, default=1000)
    parser.add_argument("--toml", type=int, default=1000)
    parser.add_argument("--parquet", type=int, default=60)
    parser.add_argument("--cli", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    results: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory(prefix="eschool-fuzz-") as scratch:
        work = Path(scratch)
        results.update(bundles(options.bundles, options.seed, work))
        results.update(tomls(options.toml, options.seed, work))
        results.update(parquet(options.parquet, options.seed, work))
        results.update(cli(options.cli, options.seed, work))
    report = {name: tally.as_dict() for name, tally in results.items()}
    sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    bad = sum(
        tally.counts["other_exceptions"]
        + tally.counts["partial_writes"]
        + tally.counts["files_changed"]
        for tally in results.values()
    )
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
