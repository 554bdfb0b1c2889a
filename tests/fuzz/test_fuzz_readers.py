"""Fuzzing in the suite: mutated valid inputs raise only EschoolError and write nothing (R9.3).

Bounded (a few dozen examples per reader); ``python -m tests.fuzz.campaign`` runs the long
campaign reported in benchmarks/README.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eschool_core import synth
from eschool_core.calendar import standard_year
from eschool_core.cli._app import app
from eschool_core.cli._options import load_year
from eschool_core.errors import EschoolError
from eschool_core.profiles import default_profile, default_profile_text, load_profile, rules_for
from eschool_core.storage import MemoryStore, Store
from eschool_core.storage.bundle import export_bundle, import_bundle
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import load, sample_school, snapshot
from tests.conftest import POSTGRES_DSN
from tests.fuzz.mutations import (
    Files,
    corrupt_zip,
    mutate_bundle,
    mutate_toml,
    read_bundle,
    write_folder,
    write_zip,
)

_FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def _state(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def valid_bundle(tmp_path_factory: pytest.TempPathFactory) -> Files:
    """The files of a valid export of the sample school."""
    source = MemoryStore()
    load(source, sample_school())
    folder = tmp_path_factory.mktemp("valid")
    export_bundle(source, folder)
    return read_bundle(folder)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Store]]:
    """One store of each kind: memory, SQLite and, with the DSN, PostgreSQL (kept empty).

    The PostgreSQL store gets a schema of its own, dropped at the end: a schema kept from an
    earlier run may hold the tables of an older build of the same schema version.
    """
    made: dict[str, Store] = {
        "memory": MemoryStore(),
        "sqlite": SqlStore(str(tmp_path_factory.mktemp("sqlite") / "fuzz.sqlite"), create=True),
    }
    schema = f"eschool_fuzz_{uuid.uuid4().hex[:10]}"
    if POSTGRES_DSN:
        made["postgresql"] = SqlStore(POSTGRES_DSN, schema=schema, create=True)
    yield made
    for store in made.values():
        store.close()
    if POSTGRES_DSN:
        import sqlalchemy as sa

        engine = sa.create_engine("postgresql+psycopg://" + POSTGRES_DSN.split("://", 1)[1])
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        finally:
            engine.dispose()


class TestBundleFuzz:
    @_FUZZ
    @given(seed=_SEEDS, as_zip=st.booleans(), corrupt=st.booleans())
    def test_mutated_bundles(  # noqa: PLR0917 - hypothesis passes the examples
        self,
        tmp_path_factory: pytest.TempPathFactory,
        valid_bundle: Files,
        stores: dict[str, Store],
        seed: int,
        as_zip: bool,
        corrupt: bool,
    ) -> None:
        """Any mutated bundle is imported or refused with an EschoolError, never half (R9.3)."""
        rng = random.Random(seed)
        _, files = mutate_bundle(valid_bundle, rng)
        case = tmp_path_factory.mktemp("case")
        if as_zip:
            source = write_zip(files, case / "bundle.zip")
            if corrupt:
                source.write_bytes(corrupt_zip(source.read_bytes(), rng))
        else:
            source = write_folder(files, case / "bundle")
        for store in stores.values():
            _empty(store)
            try:
                import_bundle(source, store)
            except EschoolError:
                assert all(not rows for rows in snapshot(store).values())


def _empty(store: Store) -> None:
    held = list(snapshot(store).items())
    with store.unit_of_work() as uow:
        for name, rows in reversed(held):
            for entity in rows:
                getattr(uow, name).remove(entity.id)
        uow.commit()


class TestTomlFuzz:
    @_FUZZ
    @given(seed=_SEEDS)
    def test_mutated_profiles(self, tmp_path_factory: pytest.TempPathFactory, seed: int) -> None:
        """A mutated profile file loads or raises an EschoolError (R9.3)."""
        path = tmp_path_factory.mktemp("profile") / "profile.toml"
        path.write_bytes(mutate_toml(default_profile_text(), random.Random(seed)))
        with contextlib.suppress(EschoolError):  # refused as documented
            load_profile(path)

    @_FUZZ
    @given(seed=_SEEDS)
    def test_mutated_years(
        self, tmp_path_factory: pytest.TempPathFactory, year_text: str, seed: int
    ) -> None:
        """A mutated year file loads or raises an EschoolError (R9.3)."""
        path = tmp_path_factory.mktemp("year") / "year.toml"
        path.write_bytes(mutate_toml(year_text, random.Random(seed)))
        with contextlib.suppress(EschoolError):  # refused as documented
            load_year(None, path, default_profile())


@pytest.fixture(scope="module")
def year_text() -> str:
    """The synthetic school's year as TOML."""
    return synth.academic_year_of(synth.generate("small", 1)).to_toml()


@pytest.fixture(scope="module")
def parquet_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small school written as Parquet files."""
    from eschool_core.analytics import write_parquet

    folder = tmp_path_factory.mktemp("parquet")
    write_parquet(folder, "small", seed=3)
    return folder


class TestParquetFuzz:
    @settings(_FUZZ, max_examples=8)
    @given(seed=_SEEDS, kind=st.sampled_from(["garbage", "truncate", "flip"]))
    def test_damaged_parquet(
        self,
        tmp_path_factory: pytest.TempPathFactory,
        parquet_folder: Path,
        seed: int,
        kind: str,
    ) -> None:
        """A damaged Parquet input is analysed or refused with an EschoolError (R9.3)."""
        from eschool_core.analytics import Dataset, analyze

        rng = random.Random(seed)
        folder = tmp_path_factory.mktemp("damaged")
        names = sorted(path.name for path in parquet_folder.iterdir())
        for name in names:
            (folder / name).write_bytes((parquet_folder / name).read_bytes())
        victim = folder / rng.choice(names)
        data = bytearray(victim.read_bytes())
        if kind == "garbage":
            data = bytearray(b"garbage")
        elif kind == "truncate":
            data = data[: rng.randrange(1, len(data))]
        else:
            for _ in range(8):
                data[rng.randrange(len(data))] = rng.randrange(256)
        victim.write_bytes(bytes(data))
        with contextlib.suppress(EschoolError):  # refused as documented
            analyze(Dataset.from_parquet(folder), "timeliness", _RULES)


_RULES = rules_for(default_profile(), standard_year("2025/2026", default_profile().calendar))
"""The default profile's rules of the year the fuzzed Parquet folders hold."""

_JUNK = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        ["", "nope.sqlite", "mysql://x/y", ".", "2025-13-01", "20250901", "١", "\x00", "-1"]
    ),
).filter(lambda text: "\x00" not in text)
_COMMANDS = (
    ["check", "--store", "{}"],
    ["check", "--as-of", "{}"],
    ["check", "--profile", "{}"],
    ["report", "{}"],
    ["report", "class_occupancy", "--from", "{}"],
    ["report", "class_occupancy", "--store", "{}"],
    ["export", "{}", "out"],
    ["analyze", "{}", "--what", "quality"],
    ["analyze", "school.sqlite", "--what", "{}"],
    ["analyze", "school.sqlite", "--what", "quality", "--year", "{}"],
    ["calendar", "{}"],
    ["import", "{}", "new.sqlite"],
    ["demo", "--store", "school.sqlite", "--year", "{}"],
    ["average", "{}", "5"],
    ["average", "4", "--period-kind", "{}"],
    ["matrix", "--format", "{}"],
    ["synth", "out", "--size", "{}"],
    ["calendar", "2025/2026", "--parallel", "{}"],
)


@pytest.fixture(scope="module")
def cli_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a store in it, where the commands run."""
    folder = tmp_path_factory.mktemp("cli")
    store = SqlStore(str(folder / "school.sqlite"), create=True)
    load(store, sample_school())
    store.close()
    return folder


class TestCommandLineFuzz:
    @settings(_FUZZ, max_examples=50)
    @given(command=st.sampled_from(_COMMANDS), junk=_JUNK)
    def test_bad_arguments(self, cli_folder: Path, command: list[str], junk: str) -> None:
        """A command with a bad argument exits 0, 1 or 2, with no traceback or file (R9.3)."""
        args = [junk if part == "{}" else part for part in command]
        before = _state(cli_folder)
        cwd = Path.cwd()
        os.chdir(cli_folder)
        try:
            result = CliRunner().invoke(app, args)
        finally:
            os.chdir(cwd)
        assert result.exit_code in {0, 1, 2}, (args, result.output)
        assert "Traceback" not in result.output
        if result.exit_code != 0 or args[0] not in {"export", "import", "demo", "synth"}:
            assert _state(cli_folder) == before, args
