"""The exchange bundle: a school as a folder or zip of CSV files with a JSON manifest.

One CSV file per aggregate (``students.csv``, ``marks.csv``, ...) and per list kept as child
rows (``order_items.csv``) with the columns of ``docs/bundle.md``, and ``manifest.json``
naming the format version, the school, the profile, the academic year and every file with its
row count. :func:`import_bundle` checks the whole
bundle first and writes nothing when anything is wrong: :class:`BundleError` then lists every
bad row as file, line, column and reason.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from eschool_core.errors import EschoolError, ValidationError
from eschool_core.storage._protocols import Store, loading_unit_of_work
from eschool_core.storage._rows import AGGREGATES, Aggregate, ChildRows, Column, ColumnType
from eschool_core.storage.memory import _SPECS

__all__ = [
    "BUNDLE_FORMAT",
    "BUNDLE_FORMAT_VERSION",
    "MANIFEST_NAME",
    "BundleError",
    "BundleProblem",
    "export_bundle",
    "import_bundle",
]

BUNDLE_FORMAT = "eschool-bundle"
"""The ``format`` of the manifest."""
BUNDLE_FORMAT_VERSION = 4
"""The version of the bundle format this code writes (2 added ``orders.csv`` and
``order_items.csv``; 3 added ``rooms.csv``, ``curricula.csv``, ``thematic_plans.csv``,
``bell_schedules.csv``, ``timetables.csv``, ``timetable_entries.csv`` and ``events.csv``;
4 added ``retake_attempts.csv``); it also reads versions 1 to 3, which lack those files."""
_READABLE_VERSIONS = (1, 2, 3, 4)
MANIFEST_NAME = "manifest.json"
"""The manifest's file name inside the bundle."""


@attrs.frozen(kw_only=True)
class BundleProblem:
    """One thing wrong with a bundle.

    Attributes:
        file: The file inside the bundle (``"marks.csv"``, ``"manifest.json"``).
        line: The line in the file (1 is the CSV header), or 0 for the file as a whole.
        column: The column, or ``""`` when the problem is not in one column.
        reason: What is wrong, in Russian.
        reason_en: What is wrong, in English.
    """

    file: str
    line: int
    column: str
    reason: str
    reason_en: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" + (f" [{self.column}]" if self.column else "")
        return f"{where}: {self.reason_en}"


class BundleError(ValidationError):
    """A bundle cannot be imported; :attr:`problems` lists every problem found.

    Attributes:
        problems: Every problem, in file and line order.
    """

    default_code = "bundle.invalid"

    def __init__(self, problems: Sequence[BundleProblem]) -> None:
        shown = "\n".join(str(problem) for problem in problems[:20])
        more = f"\n... (+{len(problems) - 20})" if len(problems) > 20 else ""
        super().__init__(
            f"Пакет не импортирован: ошибок {len(problems)}\n"
            + "\n".join(
                f"{p.file}:{p.line}" + (f" [{p.column}]" if p.column else "") + f": {p.reason}"
                for p in problems[:20]
            )
            + more,
            f"The bundle was not imported: {len(problems)} problems\n{shown}{more}",
            code="bundle.invalid",
            details={"problems": [str(problem) for problem in problems]},
        )
        self.problems = tuple(problems)


# -- cells ---------------------------------------------------------------------------------------


def _encode(column: Column, value: object) -> str:
    if value is None:
        return ""
    if column.type is ColumnType.LIST:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _decode(column: Column, cell: str) -> object:
    if column.type is ColumnType.LIST:
        value = json.loads(cell) if cell else []
        if not isinstance(value, list):
            raise ValueError("not a JSON list")
        return value
    if cell == "":
        return None
    if column.type is ColumnType.INT:
        return int(cell)
    if column.type is ColumnType.DATE:
        return dt.date.fromisoformat(cell)
    if column.type is ColumnType.INSTANT:
        return dt.datetime.fromisoformat(cell)
    return cell


_TYPE_NAMES = {
    ColumnType.INT: ("целое число", "a whole number"),
    ColumnType.DATE: ("дата ГГГГ-ММ-ДД", "a date YYYY-MM-DD"),
    ColumnType.INSTANT: ("момент ISO 8601 со смещением", "an ISO 8601 moment with offset"),
    ColumnType.LIST: ("список JSON", "a JSON list"),
    ColumnType.TEXT: ("текст", "text"),
}


# -- export ----------------------------------------------------------------------------------------


def _writer(columns: Sequence[Column]) -> tuple[io.StringIO, Any]:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.name for column in columns])
    return buffer, writer


def export_bundle(
    store: Store,
    target: str | Path,
    *,
    profile: str = "default",
    academic_year: str | None = None,
) -> dict[str, Any]:
    """Write every entity of ``store`` as a bundle: a folder, or a zip if ``target`` ends in .zip.

    Args:
        store: The store to read.
        target: The folder (created) or the ``.zip`` file to write.
        profile: The name of the regulation profile the school uses.
        academic_year: The academic year; by default the latest year of the stored classes.

    Returns:
        The manifest that was written.
    """
    target = Path(target)
    files: dict[str, str] = {}
    counts: list[dict[str, Any]] = []
    school: dict[str, str] | None = None
    with store.unit_of_work() as uow:
        for name, aggregate in AGGREGATES.items():
            entities = sorted(getattr(uow, name).all(), key=lambda entity: str(entity.id))
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(aggregate.column_names)
            children = {child.name: _writer(child.columns) for child in aggregate.children}
            child_rows = dict.fromkeys(children, 0)
            for entity in entities:
                row = aggregate.to_row(entity)
                writer.writerow([_encode(column, row[column.name]) for column in aggregate.columns])
                for child in aggregate.children:
                    for child_row in row[child.field]:
                        children[child.name][1].writerow(
                            [_encode(column, child_row[column.name]) for column in child.columns]
                        )
                        child_rows[child.name] += 1
            files[f"{name}.csv"] = buffer.getvalue()
            counts.append({"name": f"{name}.csv", "entity": name, "rows": len(entities)})
            for child in aggregate.children:
                files[f"{child.name}.csv"] = children[child.name][0].getvalue()
                counts.append(
                    {"name": f"{child.name}.csv", "entity": name, "rows": child_rows[child.name]}
                )
            if name == "schools" and entities:
                school = {"id": entities[0].id, "name": entities[0].name}
            if name == "classes" and academic_year is None and entities:
                academic_year = max(entity.year for entity in entities)
    manifest = {
        "format": BUNDLE_FORMAT,
        "format_version": BUNDLE_FORMAT_VERSION,
        "school": school,
        "profile": profile,
        "academic_year": academic_year,
        "files": counts,
    }
    files[MANIFEST_NAME] = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    if target.suffix.lower() == ".zip":
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for file_name, text in files.items():
                archive.writestr(file_name, text.encode("utf-8"))
    else:
        target.mkdir(parents=True, exist_ok=True)
        for file_name, text in files.items():
            (target / file_name).write_text(text, encoding="utf-8", newline="")
    return manifest


# -- import ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _opener(source: Path) -> Iterator[Any]:
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())

            def open_zip(name: str) -> IO[str] | None:
                if name not in names:
                    return None
                return io.TextIOWrapper(archive.open(name), encoding="utf-8-sig", newline="")

            yield open_zip
    else:

        def open_dir(name: str) -> IO[str] | None:
            path = source / name
            return path.open(encoding="utf-8-sig", newline="") if path.is_file() else None

        yield open_dir


def _problem(file: str, line: int, column: str, ru: str, en: str) -> BundleProblem:
    return BundleProblem(file=file, line=line, column=column, reason=ru, reason_en=en)


def _read_manifest(opener: Any, problems: list[BundleProblem]) -> dict[str, Any] | None:  # noqa: ANN401
    handle = opener(MANIFEST_NAME)
    if handle is None:
        problems.append(_problem(MANIFEST_NAME, 0, "", "нет файла манифеста", "no manifest file"))
        return None
    with handle:
        try:
            manifest = json.load(handle)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            problems.append(
                _problem(MANIFEST_NAME, 0, "", f"не JSON: {error}", f"not JSON: {error}")
            )
            return None
    if not isinstance(manifest, dict):
        problems.append(_problem(MANIFEST_NAME, 0, "", "не объект JSON", "not a JSON object"))
        return None
    if manifest.get("format") != BUNDLE_FORMAT:
        problems.append(
            _problem(MANIFEST_NAME, 0, "format", "это не пакет eschool", "not an eschool bundle")
        )
    if manifest.get("format_version") not in _READABLE_VERSIONS:
        found = manifest.get("format_version")
        problems.append(
            _problem(
                MANIFEST_NAME,
                0,
                "format_version",
                f"версия формата {found}, поддерживаются 1-{BUNDLE_FORMAT_VERSION}",
                f"format version {found}, this library reads 1-{BUNDLE_FORMAT_VERSION}",
            )
        )
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
        isinstance(item, dict) and isinstance(item.get("name"), str) for item in files
    ):
        problems.append(
            _problem(MANIFEST_NAME, 0, "files", "нет списка файлов", "no list of files")
        )
        return None
    return manifest


_Decoded = tuple[int, dict[str, Any], list[str]]


def _read_rows(
    opener: Any,  # noqa: ANN401
    file: str,
    columns: Sequence[Column],
    expected_rows: object,
    problems: list[BundleProblem],
) -> list[_Decoded]:
    """Read one CSV file: check its header and row count, decode every cell."""
    handle = opener(file)
    if handle is None:
        problems.append(_problem(file, 0, "", "файл отсутствует", "the file is missing"))
        return []
    names = [column.name for column in columns]
    decoded: list[_Decoded] = []
    with handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if list(header) != names:
            problems.append(
                _problem(
                    file,
                    1,
                    "",
                    f"заголовок должен быть: {','.join(names)}",
                    f"the header must be: {','.join(names)}",
                )
            )
            return []
        rows = 0
        for cells in reader:
            rows += 1
            row = _decode_row(file, reader.line_num, columns, cells, problems)
            if row is not None:
                decoded.append((reader.line_num, row, cells))
    if expected_rows != rows:
        problems.append(
            _problem(
                MANIFEST_NAME,
                0,
                "files",
                f"{file}: в манифесте {expected_rows} строк, в файле {rows}",
                f"{file}: the manifest says {expected_rows} rows, the file has {rows}",
            )
        )
    return decoded


def _decode_row(
    file: str,
    line: int,
    columns: Sequence[Column],
    cells: list[str],
    problems: list[BundleProblem],
) -> dict[str, Any] | None:
    if len(cells) != len(columns):
        problems.append(
            _problem(
                file,
                line,
                "",
                f"ячеек {len(cells)}, а столбцов {len(columns)}",
                f"{len(cells)} cells for {len(columns)} columns",
            )
        )
        return None
    row: dict[str, Any] = {}
    bad = False
    for column, cell in zip(columns, cells, strict=True):
        try:
            row[column.name] = _decode(column, cell)
        except ValueError:
            ru, en = _TYPE_NAMES[column.type]
            problems.append(
                _problem(
                    file,
                    line,
                    column.name,
                    f"нужен тип «{ru}»: «{cell}»",
                    f"expected {en}: '{cell}'",
                )
            )
            bad = True
    return None if bad else row


def _attach(
    child: ChildRows,
    parents: list[_Decoded],
    rows: list[_Decoded],
    problems: list[BundleProblem],
) -> None:
    """Put each child row into its parent's row, under ``child.field``, by position."""
    file = f"{child.name}.csv"
    lists: dict[str, list[dict[str, Any]]] = {}
    for _, parent, _cells in parents:
        parent[child.field] = lists.setdefault(str(parent["id"]), [])
    seen: dict[tuple[str, object], int] = {}
    for line, row, _cells in rows:
        parent_id = row[child.parent_column]
        key = (parent_id, row["position"])
        if parent_id not in lists:
            problems.append(
                _problem(
                    file,
                    line,
                    child.parent_column,
                    f"ссылка на несуществующую запись «{parent_id}»",
                    f"refers to '{parent_id}', which is not in the parent file",
                )
            )
        elif key in seen:
            problems.append(
                _problem(
                    file,
                    line,
                    "position",
                    f"позиция {row['position']} повторяет строку {seen[key]}",
                    f"position {row['position']} repeats line {seen[key]}",
                )
            )
        else:
            seen[key] = line
            lists[parent_id].append(row)


def _read_file(
    opener: Any,  # noqa: ANN401
    aggregate: Aggregate,
    listed: Mapping[str, object],
    problems: list[BundleProblem],
) -> list[tuple[int, Any]]:
    file = f"{aggregate.name}.csv"
    decoded = _read_rows(opener, file, aggregate.columns, listed[file], problems)
    for child in aggregate.children:
        child_file = f"{child.name}.csv"
        rows = (
            _read_rows(opener, child_file, child.columns, listed[child_file], problems)
            if child_file in listed
            else []
        )
        _attach(child, decoded, rows, problems)
    entities: list[tuple[int, Any]] = []
    seen: dict[str, int] = {}
    for line, row, cells in decoded:
        entity = _build(file, line, aggregate, (row, cells), problems)
        if entity is None:
            continue
        if entity.id in seen:
            problems.append(
                _problem(
                    file,
                    line,
                    "id",
                    f"идентификатор «{entity.id}» повторяет строку {seen[entity.id]}",
                    f"id '{entity.id}' repeats line {seen[entity.id]}",
                )
            )
            continue
        seen[entity.id] = line
        entities.append((line, entity))
    return entities


def _build(
    file: str,
    line: int,
    aggregate: Aggregate,
    decoded: tuple[dict[str, Any], list[str]],
    problems: list[BundleProblem],
) -> Any:  # noqa: ANN401 - an entity of any aggregate
    row, cells = decoded
    try:
        return aggregate.from_row(row)
    except EschoolError as error:
        field = str(error.details.get("field", ""))
        if not field and "value" in error.details:
            # Errors of values (a mark, a СНИЛС) name the value: find the cell that holds it.
            value = str(error.details["value"])
            field = next(
                (c.name for c, cell in zip(aggregate.columns, cells, strict=True) if cell == value),
                "",
            )
        problems.append(_problem(file, line, field, str(error), error.message("en")))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        problems.append(
            _problem(file, line, "", f"неверное значение: {error}", f"bad value: {error}")
        )
    return None


def _check_references(
    store_ids: Mapping[str, Any],
    bundle: Mapping[str, list[tuple[int, Any]]],
    problems: list[BundleProblem],
) -> None:
    known = {name: {entity.id for _, entity in rows} for name, rows in bundle.items()}
    for name, rows in bundle.items():
        spec = _SPECS[name]
        fields = [(field, target, False) for field, target in spec.references.items()]
        fields += [(field, target, True) for field, target in spec.collection_references.items()]
        for line, entity in rows:
            for field, target, many in fields:
                raw = getattr(entity, field)
                values = sorted(raw) if many else ([] if raw is None else [raw])
                problems.extend(
                    _problem(
                        f"{name}.csv",
                        line,
                        field,
                        f"ссылка на несуществующий объект «{value}» ({target}.csv)",
                        f"refers to '{value}', which is not in {target}.csv or the store",
                    )
                    for value in values
                    if value not in known[target] and store_ids[target](value) is None
                )


def import_bundle(source: str | Path, store: Store) -> dict[str, int]:
    """Check a bundle completely, then add all its entities to ``store`` in one unit of work.

    Args:
        source: The bundle folder or ``.zip`` file.
        store: The store to add to (references may also point at entities it holds).

    Returns:
        How many entities of each aggregate were imported.

    Raises:
        BundleError: Listing every problem (file, line, column, reason); nothing is imported.
        ConflictError: If an id of the bundle exists in the store; nothing is imported.
    """
    problems: list[BundleProblem] = []
    bundle: dict[str, list[tuple[int, Any]]] = {}
    with _opener(Path(source)) as opener:
        manifest = _read_manifest(opener, problems)
        if manifest is None:
            raise BundleError(problems)
        listed = {item["name"]: item.get("rows") for item in manifest["files"]}
        known = {
            f"{name}.csv"
            for aggregate in AGGREGATES.values()
            for name in (aggregate.name, *(child.name for child in aggregate.children))
        }
        problems.extend(
            _problem(MANIFEST_NAME, 0, "files", f"неизвестный файл {file}", f"unknown file {file}")
            for file in sorted(set(listed) - known)
        )
        for name, aggregate in AGGREGATES.items():
            file = f"{name}.csv"
            bundle[name] = _read_file(opener, aggregate, listed, problems) if file in listed else []
    with loading_unit_of_work(store) as uow:
        finders = {name: getattr(uow, name).find for name in AGGREGATES}
        _check_references(finders, bundle, problems)
        if problems:
            raise BundleError(problems)
        for name, rows in bundle.items():
            getattr(uow, name).add_many(entity for _, entity in rows)
        uow.commit()
    return {name: len(rows) for name, rows in bundle.items()}
