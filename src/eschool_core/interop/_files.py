"""Reading and writing a OneRoster folder or zip, and checking it against the binding."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from eschool_core.interop._errors import ONEROSTER_NO_SOURCE
from eschool_core.interop._spec import (
    BINDING_FILES,
    BOOLEANS,
    FILE_MODES,
    MANIFEST_FILE,
    SPECS,
    FileSpec,
)
from eschool_core.storage.bundle import BundleProblem
from eschool_core.texts import Text

METADATA_PREFIX = "metadata."
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@attrs.frozen(kw_only=True)
class Table:
    """One CSV file: its header and its rows as ``(line, cells by column)``."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, Mapping[str, str]], ...]


def problem(file: str, line: int, column: str, ru: str, en: str) -> BundleProblem:
    """Build one problem of a file."""
    return BundleProblem(file=file, line=line, column=column, message=Text(ru, en))


def split_list(cell: str) -> list[str]:
    """Split a list cell of the binding (comma-separated values) into its values."""
    return [item.strip() for item in cell.split(",") if item.strip()]


def parse_date(cell: str) -> dt.date:
    """Parse a ``YYYY-MM-DD`` cell.

    Raises:
        ValueError: If it is not such a date.
    """
    if not _DATE_RE.match(cell):
        raise ValueError(cell)
    return dt.date.fromisoformat(cell)


def parse_moment(cell: str) -> dt.datetime:
    """Parse a ``dateLastModified`` cell: ISO 8601 with a time zone (``Z`` for UTC).

    Raises:
        ValueError: If it is not such a moment.
    """
    moment = dt.datetime.fromisoformat(cell)
    if moment.tzinfo is None:
        raise ValueError(cell)
    return moment


def format_moment(moment: dt.datetime) -> str:
    """Write a moment as the binding does: UTC, milliseconds, ``Z``."""
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def render(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Render one CSV file: the header first, lines ended by a line feed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_files(target: Path, files: Mapping[str, str]) -> None:
    """Write the files into a folder, or a zip when ``target`` ends in ``.zip``."""
    if target.suffix.lower() == ".zip":
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(files):
                archive.writestr(name, files[name].encode("utf-8"))
        return
    target.mkdir(parents=True, exist_ok=True)
    for name in sorted(files):
        (target / name).write_text(files[name], encoding="utf-8", newline="")


def read_texts(source: Path) -> dict[str, str]:
    """Read every ``.csv`` file of a folder or a zip as text.

    Raises:
        ValidationError: If ``source`` is neither a folder nor a zip file (code
            ``oneroster.no_source``).
    """
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            return {
                Path(name).name: archive.read(name).decode("utf-8-sig", errors="replace")
                for name in archive.namelist()
                if name.endswith(".csv")
            }
    if source.is_dir():
        return {
            path.name: path.read_text(encoding="utf-8-sig", errors="replace")
            for path in sorted(source.glob("*.csv"))
        }
    raise ONEROSTER_NO_SOURCE.error(source=str(source))


def parse_table(name: str, text: str, problems: list[BundleProblem]) -> Table:
    """Parse a CSV text; rows whose cell count differs from the header's are reported."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = tuple(next(reader, []))
    rows: list[tuple[int, Mapping[str, str]]] = []
    for cells in reader:
        if not cells:
            continue
        if len(cells) != len(header):
            problems.append(
                problem(
                    name,
                    reader.line_num,
                    "",
                    f"ячеек {len(cells)}, а столбцов {len(header)}",
                    f"{len(cells)} cells for {len(header)} columns",
                )
            )
            continue
        rows.append((reader.line_num, dict(zip(header, cells, strict=True))))
    return Table(name=name, header=header, rows=tuple(rows))


def _check_manifest(table: Table, names: set[str], problems: list[BundleProblem]) -> None:
    file = MANIFEST_FILE
    if table.header != ("propertyName", "value"):
        problems.append(
            problem(
                file,
                1,
                "",
                "заголовок должен быть: propertyName,value",
                "the header must be: propertyName,value",
            )
        )
        return
    values = {row["propertyName"]: (line, row["value"]) for line, row in table.rows}
    for key, expected in (("manifest.version", "1.0"), ("oneroster.version", "1.2")):
        found = values.get(key, (0, ""))
        if found[1] != expected:
            problems.append(
                problem(
                    file,
                    found[0],
                    key,
                    f"{key} должно быть {expected}, а не «{found[1]}»",
                    f"{key} must be {expected}, not '{found[1]}'",
                )
            )
    if not values.get("source.systemName", (0, ""))[1]:
        problems.append(
            problem(
                file,
                0,
                "source.systemName",
                "не указан source.systemName",
                "source.systemName is missing",
            )
        )
    for binding in BINDING_FILES:
        key = f"file.{binding}"
        line, mode = values.get(key, (0, ""))
        present = f"{binding}.csv" in names
        if mode not in FILE_MODES:
            problems.append(
                problem(
                    file,
                    line,
                    key,
                    f"{key} должно быть bulk, delta или absent, а не «{mode}»",
                    f"{key} must be bulk, delta or absent, not '{mode}'",
                )
            )
        elif (mode == "absent") == present:
            ru = "файл есть, но отмечен absent" if present else "файла нет, но он отмечен " + mode
            en = (
                "the file is present but marked absent"
                if present
                else f"the file is missing but marked {mode}"
            )
            problems.append(problem(file, line, key, ru, en))


def _check_header(spec: FileSpec, table: Table, problems: list[BundleProblem]) -> bool:
    standard = tuple(column for column in table.header if not column.startswith(METADATA_PREFIX))
    missing = [column for column in spec.columns if column not in table.header]
    problems.extend(
        problem(spec.name, 1, column, "нет обязательного столбца", "a required column is missing")
        for column in missing
    )
    unknown = [column for column in standard if column not in spec.columns]
    problems.extend(
        problem(
            spec.name,
            1,
            column,
            "неизвестный столбец (расширения начинаются с metadata.)",
            "an unknown column (extensions start with metadata.)",
        )
        for column in unknown
    )
    if not missing and not unknown and table.header[: len(spec.columns)] != spec.columns:
        problems.append(
            problem(
                spec.name,
                1,
                "",
                f"столбцы должны идти в порядке {','.join(spec.columns)}, затем metadata.",
                f"the columns must be in the order {','.join(spec.columns)}, then metadata.",
            )
        )
    return not missing


def _check_cell(
    spec: FileSpec, line: int, column: str, cell: str, problems: list[BundleProblem]
) -> None:
    def bad(ru: str, en: str) -> None:
        problems.append(problem(spec.name, line, column, f"{ru}: «{cell}»", f"{en}: '{cell}'"))

    if column in spec.enums:
        allowed = spec.enums[column]
        values = split_list(cell) if column in spec.lists else [cell]
        if any(value not in allowed for value in values):
            bad(
                f"недопустимое значение, допустимы {', '.join(sorted(allowed))}",
                f"not an allowed value; allowed: {', '.join(sorted(allowed))}",
            )
    if column in spec.dates:
        try:
            parse_date(cell)
        except ValueError:
            bad("нужна дата ГГГГ-ММ-ДД", "expected a date YYYY-MM-DD")
    if column == "dateLastModified":
        try:
            parse_moment(cell)
        except ValueError:
            bad("нужен момент ISO 8601 с часовым поясом", "expected an ISO 8601 moment with a zone")
    if column in spec.booleans and cell not in BOOLEANS:
        bad("нужно true или false", "expected true or false")
    if column in spec.numbers:
        try:
            float(cell)
        except ValueError:
            bad("нужно число", "expected a number")


def _check_rows(spec: FileSpec, table: Table, problems: list[BundleProblem]) -> None:
    seen: dict[str, int] = {}
    for line, row in table.rows:
        for column in spec.columns:
            cell = row.get(column, "")
            if not cell:
                if column in spec.required:
                    problems.append(
                        problem(
                            spec.name,
                            line,
                            column,
                            "пустое обязательное поле",
                            "a required field is empty",
                        )
                    )
                continue
            _check_cell(spec, line, column, cell, problems)
        sourced_id = row.get("sourcedId", "")
        if sourced_id in seen:
            problems.append(
                problem(
                    spec.name,
                    line,
                    "sourcedId",
                    f"sourcedId «{sourced_id}» повторяет строку {seen[sourced_id]}",
                    f"sourcedId '{sourced_id}' repeats line {seen[sourced_id]}",
                )
            )
        elif sourced_id:
            seen[sourced_id] = line


def _check_references(tables: Mapping[str, Table], problems: list[BundleProblem]) -> None:
    ids = {
        name: {row.get("sourcedId", "") for _, row in table.rows} for name, table in tables.items()
    }
    for name, table in tables.items():
        spec = SPECS[name]
        for column, target in spec.references.items():
            known = ids.get(target, set())
            for line, row in table.rows:
                cell = row.get(column, "")
                values = split_list(cell) if column in spec.lists else ([cell] if cell else [])
                problems.extend(
                    problem(
                        name,
                        line,
                        column,
                        f"ссылка на несуществующий sourcedId «{value}» ({target})",
                        f"refers to sourcedId '{value}', which is not in {target}",
                    )
                    for value in values
                    if value not in known
                )


def check_tables(texts: Mapping[str, str]) -> tuple[dict[str, Table], list[BundleProblem]]:
    """Parse and check every file of a OneRoster set; return the usable tables and the problems."""
    problems: list[BundleProblem] = []
    if MANIFEST_FILE not in texts:
        problems.append(problem(MANIFEST_FILE, 0, "", "нет файла манифеста", "no manifest file"))
    else:
        _check_manifest(
            parse_table(MANIFEST_FILE, texts[MANIFEST_FILE], problems), set(texts), problems
        )
    tables: dict[str, Table] = {}
    for name, spec in SPECS.items():
        if name not in texts:
            continue
        table = parse_table(name, texts[name], problems)
        if _check_header(spec, table, problems):
            _check_rows(spec, table, problems)
            tables[name] = table
    _check_references(tables, problems)
    return tables, problems
