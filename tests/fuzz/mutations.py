"""Mutations of valid inputs (a bundle made by ``export_bundle``, the default profile, a year).

Each mutation takes the valid input and a :class:`random.Random` and returns a damaged copy:
re-encoded or cut text, huge or deeply nested cells, NUL characters, values that Python's
parsers accept but the formats do not (``20250901``, Arabic-Indic digits, ``1_0``), instants
beyond the year 9999 in UTC, a corrupt or truncated zip archive, flipped bytes.
"""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

Files = dict[str, bytes]
"""A bundle's files by name, as bytes."""

BAD_CELLS = (
    "20250901",
    "2025-9-1",
    "2025-02-30",
    "١٢",
    "1_0",
    " 7 ",
    "+5",
    "9" * 30,
    "9999-12-31T23:00:00-05:00",
    "0001-01-01T00:30:00+01:00",
    "2025-09-01T10:00:00",
    "2025-09-01 10:00:00+03:00",
    "s\x002",
    "\x00",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "[" * 5000 + "]" * 5000,
    '{"a": 1}',
    '[1, "a", null, {}]',
    '["\\u0000"]',
    "true",
    "NaN",
    "",
    "x" * 200_000,
    "Иванов\ud800",
)
"""Cells that a careless reader accepts, or that break it."""


def read_bundle(folder: Path) -> Files:
    """The files of an exported bundle folder."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def write_folder(files: Mapping[str, bytes], folder: Path) -> Path:
    """Write ``files`` into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def write_zip(files: Mapping[str, bytes], path: Path) -> Path:
    """Write ``files`` as a zip archive at ``path`` and return it."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _csv_names(files: Files) -> list[str]:
    return sorted(name for name in files if name.endswith(".csv"))


def _rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8", errors="surrogateescape")
    try:
        return list(csv.reader(io.StringIO(text, newline=""))) or [[""]]
    except csv.Error:  # a cell past the limit, from an earlier mutation
        return [[""]]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


def bad_cell(files: Files, rng: random.Random) -> Files:
    """One cell of one data row becomes one of :data:`BAD_CELLS`."""
    candidates = [name for name in _csv_names(files) if len(_rows(files[name])) > 1]
    if not candidates:
        return flip_bytes(files, rng)
    name = rng.choice(candidates)
    rows = _rows(files[name])
    row = rng.randrange(1, len(rows))
    if rows[row]:
        rows[row][rng.randrange(len(rows[row]))] = rng.choice(BAD_CELLS)
    return {**files, name: _csv(rows)}


def cp1251(files: Files, rng: random.Random) -> Files:
    """One CSV file saved in Windows-1251 (as a spreadsheet on Windows does)."""
    if not _csv_names(files):
        return flip_bytes(files, rng)
    name = rng.choice(_csv_names(files))
    text = files[name].decode("utf-8", errors="replace")
    return {**files, name: text.encode("cp1251", errors="replace")}


def cut_mid_character(files: Files, rng: random.Random) -> Files:
    """One file cut inside a multi-byte character (a transfer that stopped)."""
    name = rng.choice([*_csv_names(files), "manifest.json"])
    data = files.get(name, b"")
    starts = [i for i, byte in enumerate(data) if byte >= 0xC0]
    cut = rng.choice(starts) + 1 if starts else max(1, len(data) // 2)
    return {**files, name: data[:cut]}


def huge_cell(files: Files, rng: random.Random) -> Files:
    """One cell grows past the reader's bound (a zip bomb expands to such a cell)."""
    if not _csv_names(files):
        return flip_bytes(files, rng)
    name = rng.choice(_csv_names(files))
    rows = _rows(files[name])
    rows.append(["x" * rng.choice([131_073, 400_000]), *rows[0][1:]])
    return {**files, name: _csv(rows)}


def deep_json(files: Files, rng: random.Random) -> Files:
    """The manifest, or a JSON cell, nested thousands of levels deep."""
    depth = rng.choice([20, 3_000, 100_000])
    manifest = _manifest(files)
    if manifest is not None and rng.random() < 0.5:
        manifest["school"] = "[" * depth + "]" * depth
        text = json.dumps(manifest).replace(
            '"' + "[" * depth + "]" * depth + '"', "[" * depth + "]" * depth
        )
        return {**files, "manifest.json": text.encode()}
    return bad_cell_with(files, rng, "[" * depth + "]" * depth)


def _manifest(files: Files) -> dict[str, Any] | None:
    try:
        manifest = json.loads(files.get("manifest.json", b""))
    except (ValueError, RecursionError):
        return None
    return manifest if isinstance(manifest, dict) else None


def bad_cell_with(files: Files, rng: random.Random, cell: str) -> Files:
    """One cell of one data row becomes ``cell``."""
    candidates = [name for name in _csv_names(files) if len(_rows(files[name])) > 1]
    if not candidates:
        return flip_bytes(files, rng)
    name = rng.choice(candidates)
    rows = _rows(files[name])
    row = rng.randrange(1, len(rows))
    if rows[row]:
        rows[row][rng.randrange(len(rows[row]))] = cell
    return {**files, name: _csv(rows)}


def nul(files: Files, rng: random.Random) -> Files:
    """A NUL byte put somewhere in one file."""
    name = rng.choice([*_csv_names(files), "manifest.json"])
    data = files.get(name, b"")
    at = rng.randrange(len(data) + 1)
    return {**files, name: data[:at] + b"\x00" + data[at:]}


def manifest_value(files: Files, rng: random.Random) -> Files:
    """A manifest field of the wrong type or value (``academic_year: 12345``, ...)."""
    manifest = _manifest(files)
    if manifest is None:
        return flip_bytes(files, rng)
    key, value = rng.choice(
        [
            ("academic_year", 12345),
            ("academic_year", "2025/2027"),
            ("academic_year", ["2025/2026"]),
            ("format_version", "3"),
            ("format_version", 99),
            ("format", None),
            ("school", "sch"),
            ("school", {"id": 1}),
            ("profile", 7),
            ("files", {}),
            ("files", [1, 2]),
        ]
    )
    manifest[key] = value
    if rng.random() < 0.3 and isinstance(manifest.get("files"), list) and manifest["files"]:
        item = rng.choice(manifest["files"])
        if isinstance(item, dict):
            item["rows"] = rng.choice(["1", -1, None, 10**30, 1.5])
    return {**files, "manifest.json": json.dumps(manifest).encode()}


def flip_bytes(files: Files, rng: random.Random) -> Files:
    """A few random bytes of one file replaced."""
    if not files:
        return files
    name = rng.choice(sorted(files))
    data = bytearray(files[name])
    for _ in range(rng.randint(1, 4)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return {**files, name: bytes(data)}


def drop_file(files: Files, rng: random.Random) -> Files:
    """One file missing."""
    if not files:
        return files
    name = rng.choice(sorted(files))
    return {key: value for key, value in files.items() if key != name}


def duplicate_row(files: Files, rng: random.Random) -> Files:
    """One data row repeated (a duplicate id)."""
    candidates = [name for name in _csv_names(files) if len(_rows(files[name])) > 1]
    if not candidates:
        return flip_bytes(files, rng)
    name = rng.choice(candidates)
    rows = _rows(files[name])
    rows.append(list(rng.choice(rows[1:] or rows)))
    return {**files, name: _csv(rows)}


def bom(files: Files, rng: random.Random) -> Files:
    """A UTF-8 byte-order mark before one file (valid: the reader skips it)."""
    if not _csv_names(files):
        return flip_bytes(files, rng)
    name = rng.choice(_csv_names(files))
    return {**files, name: b"\xef\xbb\xbf" + files[name]}


BUNDLE_MUTATIONS: tuple[Callable[[Files, random.Random], Files], ...] = (
    bad_cell,
    cp1251,
    cut_mid_character,
    huge_cell,
    deep_json,
    nul,
    manifest_value,
    flip_bytes,
    drop_file,
    duplicate_row,
    bom,
)
"""Every mutation of a bundle's files."""


def corrupt_zip(data: bytes, rng: random.Random) -> bytes:
    """A zip archive truncated, or with bytes of its compressed data or directory flipped."""
    choice = rng.random()
    if choice < 0.3:
        return data[: rng.randrange(1, len(data))]
    mutated = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        mutated[rng.randrange(len(mutated))] = rng.randrange(256)
    return bytes(mutated)


def mutate_bundle(files: Files, rng: random.Random) -> tuple[str, Files]:
    """Apply one to three mutations; return their names and the damaged files."""
    names = []
    for _ in range(rng.randint(1, 3)):
        mutation = rng.choice(BUNDLE_MUTATIONS)
        names.append(mutation.__name__)
        files = mutation(files, rng)
    return "+".join(names), files


# -- TOML ----------------------------------------------------------------------------------------

BAD_TOML_VALUES = (
    '"holiday"',
    '"١٢"',
    "1_0",
    "20250901",
    "2025-02-30",
    '"\\u0000"',
    "9999-12-31T23:00:00-05:00",
    "[" * 3000 + "]" * 3000,
    "{ a = { b = { c = 1 } } }",
    '"x"',
    "-1",
    "99999999999999999999",
    "nan",
    "true",
    "[]",
    "1.5",
)
"""Values put in place of a TOML value."""


def mutate_toml(text: str, rng: random.Random) -> bytes:
    """A damaged copy of a TOML text, as the bytes of a file."""
    lines = text.splitlines()
    kind = rng.randrange(7)
    if kind == 0:
        return text.encode("cp1251", errors="replace")
    if kind == 1:
        data = text.encode("utf-8")
        starts = [i for i, byte in enumerate(data) if byte >= 0xC0]
        cut = rng.choice(starts) + 1 if starts else len(data) // 2
        return data[:cut]
    if kind == 2:
        depth = rng.choice([50, 2_000, 50_000])
        return (text + f"\ndeep = {'[' * depth}{']' * depth}\n").encode()
    if kind == 3:
        values = [i for i, line in enumerate(lines) if " = " in line and not line.startswith("#")]
        if values:
            i = rng.choice(values)
            key = lines[i].split(" = ", 1)[0]
            lines[i] = f"{key} = {rng.choice(BAD_TOML_VALUES)}"
        return "\n".join(lines).encode("utf-8", errors="surrogatepass")
    if kind == 4:
        if lines:
            del lines[rng.randrange(len(lines))]
        return "\n".join(lines).encode()
    if kind == 5:
        flipped = bytearray(text.encode())
        for _ in range(rng.randint(1, 4)):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        return bytes(flipped)
    at = rng.randrange(len(text) + 1)
    return (text[:at] + "\x00" + text[at:]).encode()
