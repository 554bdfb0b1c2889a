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
import lzma
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, ClassVar

import attrs

from eschool_core._validation import check_year_label, parse_date, parse_instant, parse_int
from eschool_core.audit import (
    AuditEntry,
    AuditLog,
    Checkpoint,
    MemoryAuditLogStore,
    canonical_json,
)
from eschool_core.errors import EschoolError, ValidationError
from eschool_core.k_anonymity import K_ANONYMITY, check_k, k_anonymise
from eschool_core.privacy import Pseudonymiser
from eschool_core.problems import Severity, problem_dict
from eschool_core.storage._anonymise import YEAR_COLUMNS, Anonymiser
from eschool_core.storage._errors import BUNDLE_AUDIT_LOG_NOT_EMPTY
from eschool_core.storage._k_anonymity import LADDERS
from eschool_core.storage._protocols import Store, UnitOfWork, loading_unit_of_work
from eschool_core.storage.registry import REGISTRY, Registry, dangling_references
from eschool_core.storage.rows import Aggregate, ChildRows, Column, StoredType
from eschool_core.texts import Text

__all__ = [
    "AUDIT_CHECKPOINTS_FILE",
    "AUDIT_LOG_FILE",
    "BUNDLE_FORMAT",
    "BUNDLE_FORMAT_VERSION",
    "K_ANONYMITY",
    "MANIFEST_NAME",
    "AnonymisedBundleError",
    "BundleError",
    "BundleProblem",
    "export_bundle",
    "import_bundle",
    "read_manifest",
]

BUNDLE_FORMAT = "eschool-bundle"
"""The ``format`` of the manifest."""
BUNDLE_FORMAT_VERSION = 5
"""The version of the bundle format this code writes (2 added ``orders.csv`` and
``order_items.csv``; 3 added ``rooms.csv``, ``curricula.csv``, ``thematic_plans.csv``,
``bell_schedules.csv``, ``timetables.csv``, ``timetable_entries.csv`` and ``events.csv``;
4 added ``period_closures.csv``, ``rollovers.csv``, ``academic_years.csv``,
``retake_attempts.csv`` and ``report_runs.csv``, and homework's due lesson and attachments;
5 added the audit log, ``audit_log.csv`` and ``audit_checkpoints.csv``, and the manifest's
``audit_log``); it also reads versions 1 to 4, which lack those files."""
_READABLE_VERSIONS = (1, 2, 3, 4, 5)
AUDIT_LOG_FILE = "audit_log.csv"
"""The audit log's entries in a bundle (format 5), one line per entry in position order."""
AUDIT_CHECKPOINTS_FILE = "audit_checkpoints.csv"
"""The audit log's checkpoints in a bundle (format 5), by length."""
_AUDIT_ENTITY = "audit"
"""The ``entity`` of the audit log's files in the manifest (not an aggregate)."""


def _audit_column(name: str, kind: StoredType, doc: str, *, null: bool = False) -> Column:
    return Column(name=name, type=kind, nullable=null, doc=doc)


_ENTRY_COLUMNS = (
    _audit_column("position", StoredType.INT, "The entry's 0-based position."),
    _audit_column("at", StoredType.INSTANT, "When it happened, as hashed."),
    _audit_column("account_id", StoredType.TEXT, "The account that acted."),
    _audit_column("kind", StoredType.TEXT, "`decision`, `change` or `login`."),
    _audit_column("action", StoredType.TEXT, "The action code, e.g. `mark.write`."),
    _audit_column("target", StoredType.TEXT, "What was acted on, canonical JSON."),
    _audit_column("before", StoredType.TEXT, "The value before, canonical JSON."),
    _audit_column("after", StoredType.TEXT, "The value after or the decision, canonical JSON."),
    _audit_column("previous_hash", StoredType.TEXT, "SHA-256 of the predecessor."),
    _audit_column("hash", StoredType.TEXT, "SHA-256 of the entry's content."),
    _audit_column("mac", StoredType.TEXT, "HMAC-SHA256 under the school's key.", null=True),
)
_CHECKPOINT_COLUMNS = (
    _audit_column("length", StoredType.INT, "Entries in the log then."),
    _audit_column("head_hash", StoredType.TEXT, "Hash of the last entry then."),
    _audit_column("at", StoredType.INSTANT, "When it was taken."),
    _audit_column("number", StoredType.INT, "Its number, from 1.", null=True),
    _audit_column("previous", StoredType.TEXT, "Digest of the checkpoint before.", null=True),
    _audit_column("mac", StoredType.TEXT, "HMAC-SHA256 under the school's key.", null=True),
)
_ADDED_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "period_closures.csv": ("reopened_class_id", "reopened_subject_id", "reopened_teacher_id"),
}
"""The last columns of a file added within a format version: a bundle written before them
lacks them, and their cells are read as empty (a reopening without its class, subject and
teacher)."""
MANIFEST_NAME = "manifest.json"
"""The manifest's file name inside the bundle."""
MAX_CELL_CHARS = 131_072
"""The longest cell (in characters) the reader accepts; a longer one is a problem of its row."""
MAX_JSON_DEPTH = 8
"""The deepest nesting of lists and objects in a JSON cell or in the manifest."""
_MAX_MANIFEST_BYTES = 1 << 20
_SHOWN_CHARS = 60
_READ_ERRORS = (
    UnicodeDecodeError,
    csv.Error,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
)
"""What reading a file of a damaged archive or folder can raise (each becomes a problem)."""


@attrs.frozen(kw_only=True)
class BundleProblem:
    """One thing wrong with a bundle.

    Attributes:
        file: The file inside the bundle (``"marks.csv"``, ``"manifest.json"``).
        line: The line in the file (1 is the CSV header), or 0 for the file as a whole.
        column: The column, or ``""`` when the problem is not in one column.
        message: What is wrong, in Russian and English.
    """

    file: str
    line: int
    column: str
    message: Text

    code: ClassVar[str] = "bundle.invalid"
    """The code of every bundle problem (the :class:`BundleError`'s own)."""
    clause: ClassVar[None] = None
    """No clause: a bundle's format is the library's, not the regulation's."""
    requirement: ClassVar[None] = None
    """No requirement id."""
    severity: ClassVar[Severity] = Severity.ERROR
    """Always an error: the bundle is not imported."""

    @property
    def where(self) -> str:
        """The place, ``"marks.csv:3 [value]"``."""
        return f"{self.file}:{self.line}" + (f" [{self.column}]" if self.column else "")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form shared by every finding; the entity is the file."""
        return problem_dict(
            code=self.code,
            clause=None,
            requirement=None,
            severity=self.severity,
            message=self.message,
            entity_kind="file",
            entity_id=self.file,
            details={"line": self.line, "column": self.column},
        )

    def __str__(self) -> str:
        return f"{self.where}: {self.message.en}"


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
            + "\n".join(f"{p.where}: {p.message.ru}" for p in problems[:20])
            + more,
            f"The bundle was not imported: {len(problems)} problems\n{shown}{more}",
            code="bundle.invalid",
            details={"problems": [str(problem) for problem in problems]},
        )
        self.problems = tuple(problems)


class AnonymisedBundleError(ValidationError):
    """The bundle is a pseudonymised export (R6.1): it is for reading and is never imported.

    Its people's ids are pseudonyms and their names, documents and exact dates are gone, so
    importing it would store cards no school keeps; the import refuses it before reading any
    file, in one message.
    """

    default_code = "bundle.anonymised"

    def __init__(self, key_id: object) -> None:
        super().__init__(
            "Пакет обезличен (выгрузка с --anonymise) и не импортируется: "
            "импортируйте необезличенную выгрузку",
            "The bundle is anonymised (an export with --anonymise) and is not imported: "
            "import an export without --anonymise",
            code="bundle.anonymised",
            clause="6.1",
            details={"key_id": key_id},
        )


# -- cells ---------------------------------------------------------------------------------------


def _encode(column: Column, value: object) -> str:
    if value is None:
        return ""
    if column.type is StoredType.LIST:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _json_depth_ok(value: object) -> bool:
    """Whether ``value`` nests at most :data:`MAX_JSON_DEPTH` deep and holds no NUL text."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return False
        elif isinstance(item, list | dict):
            if depth >= MAX_JSON_DEPTH:
                return False
            children = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in children:
                if isinstance(key, str) and "\x00" in key:
                    return False
                stack.append((child, depth + 1))
    return True


def _json(text: str) -> object:
    """Parse JSON text, bounded in depth; any failure is a ``ValueError``."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deep") from None
    if not _json_depth_ok(value):
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} or holding NUL")
    return value


def _decode(column: Column, cell: str) -> object:
    if "\x00" in cell:
        raise ValueError("a NUL character")
    if column.type is StoredType.LIST:
        value = _json(cell) if cell else []
        if not isinstance(value, list):
            raise ValueError("not a JSON list")
        return value
    if cell == "":
        return None
    if column.type is StoredType.INT:
        return parse_int(cell)
    if column.type is StoredType.DATE:
        return parse_date(cell)
    if column.type is StoredType.INSTANT:
        return parse_instant(cell)
    return cell


def _shown(cell: str) -> str:
    """The cell as a message shows it: at most a few dozen characters."""
    return cell if len(cell) <= _SHOWN_CHARS else f"{cell[:_SHOWN_CHARS]}… ({len(cell)})"


_TYPE_NAMES = {
    StoredType.INT: ("целое число", "a whole number"),
    StoredType.DATE: ("дата ГГГГ-ММ-ДД", "a date YYYY-MM-DD"),
    StoredType.INSTANT: ("момент ISO 8601 со смещением", "an ISO 8601 moment with offset"),
    StoredType.LIST: ("список JSON", "a JSON list"),
    StoredType.TEXT: ("текст", "text"),
}


# -- export ----------------------------------------------------------------------------------------


def _writer(columns: Sequence[Column], anonymiser: Anonymiser | None) -> tuple[io.StringIO, Any]:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    header = Anonymiser.header if anonymiser is not None else lambda column: column.name
    writer.writerow([header(column) for column in columns])
    return buffer, writer


def _kept(anonymiser: Anonymiser | None, table: str, columns: Sequence[Column]) -> Sequence[Column]:
    return columns if anonymiser is None else anonymiser.columns(table, columns)


def _row(anonymiser: Anonymiser | None, table: str, row: dict[str, Any]) -> dict[str, Any]:
    return row if anonymiser is None else anonymiser.row(table, row)


def export_bundle(
    store: Store,
    target: str | Path,
    *,
    profile: str = "default",
    academic_year: str | None = None,
    pseudonym_key: str | None = None,
    k: int = K_ANONYMITY,
    registry: Registry = REGISTRY,
) -> dict[str, Any]:
    """Write every entity of ``store`` as a bundle: a folder, or a zip if ``target`` ends in .zip.

    Args:
        store: The store to read.
        target: The folder (created) or the ``.zip`` file to write.
        profile: The name of the regulation profile the school uses.
        academic_year: The academic year; by default the latest year of the stored classes.
        pseudonym_key: If given, write a pseudonymised bundle for analysts and vendors
            (R6.1, 152-FZ): people's ids become stable pseudonyms under this key, names,
            СНИЛС, documents, addresses, phones and e-mails are left out, birth dates
            coarsened to the year (see ``docs/privacy.md``), and the people's remaining
            quasi-identifiers (birth year, sex, position, hiring year, ...; students within
            their parallel) are coarsened or suppressed until every combination is shared by
            at least ``k`` people. Such a bundle is for reading; :func:`import_bundle`
            refuses it.
        k: The k of the k-anonymity of a pseudonymised bundle: at least 5.
        registry: The aggregates to write, one file each (and one per child rows).

    Returns:
        The manifest that was written (with ``anonymised`` when a key was given: the key's
        fingerprint, ``k`` and, per table of people, what was coarsened).

    Raises:
        ValidationError: ``privacy.short_key`` for a key under 16 characters,
            ``privacy.k_too_small`` for ``k`` under 5.
    """
    check_k(k)
    target = Path(target)
    anonymiser = None if pseudonym_key is None else Anonymiser(Pseudonymiser(pseudonym_key))
    coarsening: dict[str, object] = {}
    files: dict[str, str] = {}
    counts: list[dict[str, Any]] = []
    school: dict[str, str] | None = None
    with store.unit_of_work() as uow:
        parallels = _parallels(uow, academic_year) if anonymiser is not None else {}
        for name, spec in registry.items():
            aggregate = spec.rows
            entities = sorted(getattr(uow, name).all(), key=lambda entity: str(entity.id))
            columns = _kept(anonymiser, name, aggregate.columns)
            buffer, writer = _writer(columns, anonymiser)
            children = {
                child.name: _writer(_kept(anonymiser, child.name, child.columns), anonymiser)
                for child in aggregate.children
            }
            child_rows = dict.fromkeys(children, 0)
            rows: Iterable[dict[str, Any]] = (
                _row(anonymiser, name, aggregate.to_row(entity)) for entity in entities
            )
            if anonymiser is not None and name in LADDERS:
                groups = [parallels.get(e.id) for e in entities] if name == "students" else None
                rows, summary = k_anonymise(
                    list(rows),
                    LADDERS[name],
                    table=name,
                    k=k,
                    groups=groups,
                    grouped_by="parallel" if groups is not None else None,
                )
                coarsening[name] = summary.to_manifest(YEAR_COLUMNS)
            for row in rows:
                writer.writerow([_encode(column, row[column.name]) for column in columns])
                for child in aggregate.children:
                    child_columns = _kept(anonymiser, child.name, child.columns)
                    for raw in row[child.field]:
                        child_row = _row(anonymiser, child.name, raw)
                        children[child.name][1].writerow(
                            [_encode(column, child_row[column.name]) for column in child_columns]
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
        ledger = None if anonymiser is not None else _export_audit(uow, files, counts)
    manifest = {
        "format": BUNDLE_FORMAT,
        "format_version": BUNDLE_FORMAT_VERSION,
        "school": school,
        "profile": profile,
        "academic_year": academic_year,
        "files": counts,
    }
    if ledger is not None:
        manifest["audit_log"] = ledger
    if anonymiser is not None:
        manifest["anonymised"] = {
            "method": "hmac-sha256",
            "key_id": anonymiser.key_id,
            "k": k,
            "quasi_identifiers": coarsening,
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


def _export_audit(
    uow: UnitOfWork, files: dict[str, str], counts: list[dict[str, Any]]
) -> dict[str, Any]:
    """Write the store's audit log and checkpoints (R9.2): the manifest's ``audit_log``.

    Each entry's moment and values are written as the exact text that was hashed, so the
    chain verifies again after the import.
    """
    entries = uow.audit.read()
    checkpoints = uow.audit.checkpoints()
    buffer, writer = _writer(_ENTRY_COLUMNS, None)
    for entry in entries:
        writer.writerow(
            [
                entry.position,
                entry.at.isoformat(),
                entry.account_id,
                entry.kind.value,
                entry.action,
                canonical_json(entry.target),
                canonical_json(entry.before),
                canonical_json(entry.after),
                entry.previous_hash,
                entry.hash,
                entry.mac or "",
            ]
        )
    files[AUDIT_LOG_FILE] = buffer.getvalue()
    buffer, writer = _writer(_CHECKPOINT_COLUMNS, None)
    for checkpoint in checkpoints:
        writer.writerow(
            [
                checkpoint.length,
                checkpoint.head_hash,
                checkpoint.at.isoformat(),
                "" if checkpoint.number is None else checkpoint.number,
                checkpoint.previous or "",
                checkpoint.mac or "",
            ]
        )
    files[AUDIT_CHECKPOINTS_FILE] = buffer.getvalue()
    counts.append({"name": AUDIT_LOG_FILE, "entity": _AUDIT_ENTITY, "rows": len(entries)})
    counts.append(
        {"name": AUDIT_CHECKPOINTS_FILE, "entity": _AUDIT_ENTITY, "rows": len(checkpoints)}
    )
    return {
        "entries": len(entries),
        "checkpoints": len(checkpoints),
        "head_hash": entries[-1].hash if entries else None,
    }


def _parallels(uow: UnitOfWork, academic_year: str | None) -> dict[str, int]:
    """Each student's parallel in the export's year (the latest stored year by default)."""
    classes = list(uow.classes.all())
    year = academic_year or max((c.year for c in classes), default=None)
    parallel_of = {c.id: c.parallel for c in classes if c.year == year}
    parallels: dict[str, int] = {}
    for membership in uow.memberships.all():
        parallel = parallel_of.get(membership.class_id)
        if parallel is not None:
            student = str(membership.student_id)
            parallels[student] = max(parallel, parallels.get(student, parallel))
    return parallels


# -- import ----------------------------------------------------------------------------------------


class _Source:
    """The files of a bundle, a zip archive or a folder, opened as bytes on demand."""

    def __init__(self, source: Path, archive: zipfile.ZipFile | None) -> None:
        self._source = source
        self._archive = archive
        self._names = set(archive.namelist()) if archive is not None else set()

    def raw(self, name: str) -> IO[bytes] | None:
        """Open the file ``name`` as bytes, or ``None`` if the bundle has no such file."""
        if self._archive is not None:
            return self._archive.open(name) if name in self._names else None
        path = self._source / name
        return path.open("rb") if path.is_file() else None

    def __call__(self, name: str) -> IO[str] | None:
        """Open the file ``name`` as UTF-8 text (a byte-order mark is skipped)."""
        raw = self.raw(name)
        if raw is None:
            return None
        return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")


_COARSENED_HEADERS = frozenset(YEAR_COLUMNS.values())
"""Headers only a pseudonymised export writes (its dates coarsened to years)."""


def _coarsened_people(opener: _Source, manifest: Mapping[str, Any]) -> bool:
    """Whether a listed file of people has a pseudonymised export's header (birth year)."""
    listed = {item.get("name") for item in manifest.get("files", ()) if isinstance(item, dict)}
    for table in sorted(LADDERS):
        if f"{table}.csv" not in listed:
            continue
        try:
            handle = opener(f"{table}.csv")
            if handle is None:
                continue
            with handle:
                header = next(csv.reader(handle), [])
        except _READ_ERRORS:
            continue
        if _COARSENED_HEADERS & set(header):
            return True
    return False


def _source_problem(source: Path) -> BundleProblem | None:
    """The problem of a source that is neither a folder nor a readable zip archive."""
    if source.is_dir():
        return None
    if not source.exists():
        return _problem(
            "", 0, "", f"нет такого файла или папки: {source}", f"no such path: {source}"
        )
    if not zipfile.is_zipfile(source):
        return _problem(
            source.name, 0, "", "не папка и не архив zip", "neither a folder nor a zip archive"
        )
    return None


@contextlib.contextmanager
def _opener(source: Path) -> Iterator[_Source]:
    if source.is_dir():
        yield _Source(source, None)
        return
    try:
        archive = zipfile.ZipFile(source)
    except _READ_ERRORS as error:
        raise BundleError(
            [_problem(source.name, 0, "", f"архив zip повреждён: {error}", f"corrupt zip: {error}")]
        ) from error
    with archive:
        yield _Source(source, archive)


def _unreadable(opener: _Source, file: str, line: int, error: Exception) -> BundleProblem:
    """The problem of a file that cannot be read to its end (encoding, archive, size)."""
    if isinstance(error, UnicodeDecodeError):
        line = _bad_byte_line(opener, file) or line
        return _problem(
            file,
            line,
            "",
            "текст не в кодировке UTF-8 (файл сохранён в другой кодировке, например "
            "Windows-1251, или обрезан посреди символа)",
            "the text is not UTF-8 (saved in another encoding such as Windows-1251, or cut "
            "in the middle of a character)",
        )
    if isinstance(error, csv.Error):
        return _problem(
            file,
            line,
            "",
            f"строка CSV не читается (ячейка длиннее {MAX_CELL_CHARS} символов?): {error}",
            f"unreadable CSV row (a cell over {MAX_CELL_CHARS} characters?): {error}",
        )
    return _problem(
        file, line, "", f"файл не читается: {error}", f"the file cannot be read: {error}"
    )


def _bad_byte_line(opener: _Source, file: str) -> int:
    """The line (from 1) of the first byte of ``file`` that is not UTF-8, or 0."""
    try:
        handle = opener.raw(file)
        if handle is None:
            return 0
        with handle:
            data = handle.read()
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data.count(b"\n", 0, error.start) + 1
    except _READ_ERRORS:
        return 0
    return 0


def _problem(file: str, line: int, column: str, ru: str, en: str) -> BundleProblem:
    return BundleProblem(file=file, line=line, column=column, message=Text(ru, en))


def _read_manifest(opener: _Source, problems: list[BundleProblem]) -> dict[str, Any] | None:
    try:
        handle = opener(MANIFEST_NAME)
        if handle is None:
            problems.append(
                _problem(MANIFEST_NAME, 0, "", "нет файла манифеста", "no manifest file")
            )
            return None
        with handle:
            text = handle.read(_MAX_MANIFEST_BYTES + 1)
    except _READ_ERRORS as error:
        problems.append(_unreadable(opener, MANIFEST_NAME, 0, error))
        return None
    if len(text) > _MAX_MANIFEST_BYTES:
        problems.append(
            _problem(MANIFEST_NAME, 0, "", "манифест слишком велик", "the manifest is too large")
        )
        return None
    try:
        manifest = _json(text)
    except ValueError as error:
        problems.append(_problem(MANIFEST_NAME, 0, "", f"не JSON: {error}", f"not JSON: {error}"))
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
    _check_manifest_fields(manifest, problems)
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
        isinstance(item, dict) and isinstance(item.get("name"), str) for item in files
    ):
        problems.append(
            _problem(MANIFEST_NAME, 0, "files", "нет списка файлов", "no list of files")
        )
        return None
    for item in files:
        rows = item.get("rows")
        if _row_count(rows) is None:
            problems.append(
                _problem(
                    MANIFEST_NAME,
                    0,
                    "files",
                    f"{item['name']}: число строк должно быть целым неотрицательным, а не {rows!r}",
                    f"{item['name']}: the row count must be a whole number >= 0, not {rows!r}",
                )
            )
    return manifest


def _row_count(value: object) -> int | None:
    """A manifest's row count, or ``None`` unless it is a whole number >= 0 (not text)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _check_manifest_fields(manifest: Mapping[str, Any], problems: list[BundleProblem]) -> None:
    """Check the manifest's school, profile and academic year (each may also be absent)."""
    year = manifest.get("academic_year")
    if year is not None:
        try:
            check_year_label(year, field="academic_year")
        except ValidationError:
            problems.append(
                _problem(
                    MANIFEST_NAME,
                    0,
                    "academic_year",
                    f"учебный год записывается как «2025/2026»: {_shown(repr(year))}",
                    f"an academic year is written as '2025/2026': {_shown(repr(year))}",
                )
            )
    profile = manifest.get("profile")
    if profile is not None and not isinstance(profile, str):
        problems.append(
            _problem(MANIFEST_NAME, 0, "profile", "имя профиля — строка", "a profile name is text")
        )
    school = manifest.get("school")
    if school is not None and not (
        isinstance(school, dict) and all(isinstance(school.get(key), str) for key in ("id", "name"))
    ):
        problems.append(
            _problem(
                MANIFEST_NAME,
                0,
                "school",
                "школа — объект с текстовыми id и name",
                "the school is an object with text id and name",
            )
        )


_Decoded = tuple[int, dict[str, Any], list[str]]


def _read_rows(
    opener: _Source,
    file: str,
    columns: Sequence[Column],
    expected_rows: object,
    problems: list[BundleProblem],
) -> list[_Decoded]:
    """Read one CSV file: check its header and row count, decode every cell.

    A file that cannot be read to its end (not UTF-8, a damaged archive, a cell over
    :data:`MAX_CELL_CHARS`) is one problem at the line where reading stopped.
    """
    names = [column.name for column in columns]
    decoded: list[_Decoded] = []
    rows = 0
    line = 0
    try:
        handle = opener(file)
        if handle is None:
            problems.append(_problem(file, 0, "", "файл отсутствует", "the file is missing"))
            return []
        with handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            added = _ADDED_COLUMNS.get(file, ())
            padding = len(added) if added and list(header) + list(added) == names else 0
            if padding:  # an older bundle, before these columns: their cells are empty
                names = names[:-padding]
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
            line = reader.line_num
            for read in reader:
                rows += 1
                cells = [*read, *([""] * padding)] if len(read) == len(names) else read
                row = _decode_row(file, reader.line_num, columns, cells, problems)
                if row is not None:
                    decoded.append((reader.line_num, row, cells))
                line = reader.line_num
    except _READ_ERRORS as error:
        problems.append(_unreadable(opener, file, line + 1, error))
        return []
    if _row_count(expected_rows) not in (None, rows):
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
        if len(cell) > MAX_CELL_CHARS:
            problems.append(
                _problem(
                    file,
                    line,
                    column.name,
                    f"ячейка длиннее {MAX_CELL_CHARS} символов ({len(cell)})",
                    f"a cell over {MAX_CELL_CHARS} characters ({len(cell)})",
                )
            )
            bad = True
            continue
        try:
            row[column.name] = _decode(column, cell)
        except ValueError:
            ru, en = _TYPE_NAMES[column.type]
            problems.append(
                _problem(
                    file,
                    line,
                    column.name,
                    f"нужен тип «{ru}»: «{_shown(cell)}»",
                    f"expected {en}: '{_shown(cell)}'",
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
    opener: _Source,
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
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        problems.append(
            _problem(file, line, "", f"неверное значение: {error}", f"bad value: {error}")
        )
    return None


def _check_references(
    registry: Registry,
    store_ids: Mapping[str, Any],
    bundle: Mapping[str, list[tuple[int, Any]]],
    problems: list[BundleProblem],
) -> None:
    known = {name: {entity.id for _, entity in rows} for name, rows in bundle.items()}

    def present(target: str, values: set[str]) -> set[str]:
        return {v for v in values if v in known[target] or store_ids[target](v) is not None}

    for name, rows in bundle.items():
        spec = registry[name]
        fields = {f: n for n, f in enumerate((*spec.references, *spec.collection_references))}
        position = {id(entity): (n, line) for n, (line, entity) in enumerate(rows)}
        found = sorted(
            dangling_references(spec, (entity for _, entity in rows), present),
            key=lambda item: (position[id(item[0])][0], fields[item[1]], str(item[2])),
        )
        for entity, field, value in found:
            target = {**spec.references, **spec.collection_references}[field]
            problems.append(
                _problem(
                    f"{name}.csv",
                    position[id(entity)][1],
                    field,
                    f"ссылка на несуществующий объект «{value}» ({target}.csv)",
                    f"refers to '{value}', which is not in {target}.csv or the store",
                )
            )


_Ledger = tuple[list[AuditEntry], list[Checkpoint]]


def _read_audit(
    opener: _Source, listed: Mapping[str, object], problems: list[BundleProblem]
) -> _Ledger | None:
    """Read and verify the bundle's audit log, or ``None`` when it carries none.

    Every row must make an entry (or a checkpoint), and together they must form an intact
    chain with its checkpoints (:meth:`~eschool_core.audit.AuditLog.verify`); each damage is
    a problem on the line of the entry or checkpoint it concerns.
    """
    if AUDIT_LOG_FILE not in listed:
        return None
    entries: list[AuditEntry] = []
    lines: dict[int, int] = {}
    for line, row, _cells in _read_rows(
        opener, AUDIT_LOG_FILE, _ENTRY_COLUMNS, listed[AUDIT_LOG_FILE], problems
    ):
        try:
            entry = AuditEntry(
                position=row["position"],
                at=row["at"],
                account_id=row["account_id"],
                kind=row["kind"],
                action=row["action"],
                target=_json(row["target"] or ""),
                before=_json(row["before"] or ""),
                after=_json(row["after"] or ""),
                previous_hash=row["previous_hash"] or "",
                hash=row["hash"] or "",
                mac=row["mac"],
            )
        except (EschoolError, ValueError, TypeError) as error:
            problems.append(_audit_problem(AUDIT_LOG_FILE, line, error))
            continue
        lines.setdefault(entry.position, line)
        entries.append(entry)
    checkpoints: list[Checkpoint] = []
    numbered: dict[int, int] = {}
    if AUDIT_CHECKPOINTS_FILE in listed:
        for line, row, _cells in _read_rows(
            opener,
            AUDIT_CHECKPOINTS_FILE,
            _CHECKPOINT_COLUMNS,
            listed[AUDIT_CHECKPOINTS_FILE],
            problems,
        ):
            try:
                checkpoint = Checkpoint(
                    length=row["length"],
                    head_hash=row["head_hash"] or "",
                    at=row["at"],
                    number=row["number"],
                    previous=row["previous"],
                    mac=row["mac"],
                )
            except (EschoolError, ValueError, TypeError) as error:
                problems.append(_audit_problem(AUDIT_CHECKPOINTS_FILE, line, error))
                continue
            if checkpoint.number is not None:
                numbered.setdefault(checkpoint.number, line)
            checkpoints.append(checkpoint)
    if problems:
        return entries, checkpoints
    result = AuditLog(MemoryAuditLogStore(entries, checkpoints)).verify()
    for damage in result.damages:
        if damage.checkpoint is not None and damage.checkpoint in numbered:
            file, line = AUDIT_CHECKPOINTS_FILE, numbered[damage.checkpoint]
        else:
            file, line = AUDIT_LOG_FILE, lines.get(damage.position, 0)
        problems.append(
            _problem(
                file,
                line,
                "",
                f"журнал изменений нарушен: {damage.explain()}",
                f"the audit log is damaged: {damage.explain()}",
            )
        )
    return entries, checkpoints


def _audit_problem(file: str, line: int, error: Exception) -> BundleProblem:
    if isinstance(error, EschoolError):
        return _problem(file, line, "", str(error), error.message("en"))
    return _problem(file, line, "", f"неверное значение: {error}", f"bad value: {error}")


def _import_audit(uow: UnitOfWork, ledger: _Ledger) -> None:
    """Re-create the bundle's audit log in the store's, which must be empty.

    Raises:
        ConflictError: If the store's log holds entries or checkpoints already
            (``bundle.audit_log_not_empty``): a chain cannot be joined to another.
    """
    entries, checkpoints = ledger
    if not (entries or checkpoints):
        return
    held = uow.audit.count()
    if held or uow.audit.checkpoints():
        raise BUNDLE_AUDIT_LOG_NOT_EMPTY.error(entries=held)
    for entry in entries:
        uow.audit.append(entry)
    for checkpoint in checkpoints:
        uow.audit.add_checkpoint(checkpoint)


def read_manifest(source: str | Path) -> dict[str, Any]:
    """Read and check the manifest of the bundle at ``source`` (a folder or a ``.zip``).

    What the manifest says of the audit log tells an import's summary whether the bundle
    carried one: ``audit_log`` (format 5: ``entries``, ``checkpoints``, ``head_hash``) is
    absent from a bundle written before logs were exported and from a pseudonymised one.

    Raises:
        BundleError: If the bundle or its manifest cannot be read or is not an eschool
            bundle's.
    """
    problems: list[BundleProblem] = []
    unusable = _source_problem(Path(source))
    if unusable is not None:
        raise BundleError([unusable])
    with _opener(Path(source)) as opener:
        manifest = _read_manifest(opener, problems)
    if manifest is None or problems:
        raise BundleError(problems)
    return manifest


def import_bundle(
    source: str | Path, store: Store, *, registry: Registry = REGISTRY
) -> dict[str, int]:
    """Check a bundle completely, then add all its entities to ``store`` in one unit of work.

    Args:
        source: The bundle folder or ``.zip`` file.
        store: The store to add to (references may also point at entities it holds).
        registry: The aggregates of the bundle and the store (one file each).

    A bundle of format 5 carries the store's audit log (R9.2): it is checked like the
    files (every entry and checkpoint read, the chain verified) and re-created in the
    store's log, entry for entry, so that ``eschool audit verify`` reports the same
    entries after the import; the store's log must then be empty. A bundle without a log
    (format 1-4, or one written by hand) imports its entities alone; its manifest has no
    ``audit_log`` (:func:`read_manifest`).

    Returns:
        How many entities of each aggregate were imported (the manifest's counts of the
        aggregates' files; the lines of child files such as ``order_items.csv`` are part
        of their aggregates' entities, and the audit log is not an aggregate).

    Raises:
        BundleError: Listing every problem (file, line, column, reason); nothing is
            imported. A damaged audit log is a problem on the line of each damage.
        ConflictError: ``bundle.audit_log_not_empty`` if the bundle carries a log and the
            store's log is not empty; nothing is imported.
        AnonymisedBundleError: For a pseudonymised export (``bundle.anonymised``), before
            any file is read.
        ConflictError: If an id of the bundle exists in the store; nothing is imported.
    """
    problems: list[BundleProblem] = []
    bundle: dict[str, list[tuple[int, Any]]] = {}
    unusable = _source_problem(Path(source))
    if unusable is not None:
        raise BundleError([unusable])
    with _opener(Path(source)) as opener:
        manifest = _read_manifest(opener, problems)
        if manifest is None:
            raise BundleError(problems)
        if "anonymised" in manifest or _coarsened_people(opener, manifest):
            anonymised = manifest.get("anonymised")
            raise AnonymisedBundleError(
                anonymised.get("key_id") if isinstance(anonymised, dict) else None
            )
        listed = {item["name"]: item.get("rows") for item in manifest["files"]}
        known = {
            f"{name}.csv"
            for spec in registry.values()
            for name in (spec.name, *(child.name for child in spec.rows.children))
        } | {AUDIT_LOG_FILE, AUDIT_CHECKPOINTS_FILE}
        problems.extend(
            _problem(MANIFEST_NAME, 0, "files", f"неизвестный файл {file}", f"unknown file {file}")
            for file in sorted(set(listed) - known)
        )
        for name, spec in registry.items():
            file = f"{name}.csv"
            bundle[name] = _read_file(opener, spec.rows, listed, problems) if file in listed else []
        ledger = _read_audit(opener, listed, problems)
    with loading_unit_of_work(store) as uow:
        finders = {name: getattr(uow, name).find for name in registry}
        _check_references(registry, finders, bundle, problems)
        if problems:
            raise BundleError(problems)
        for name, rows in bundle.items():
            getattr(uow, name).add_many(entity for _, entity in rows)
        if ledger is not None:
            _import_audit(uow, ledger)
        uow.commit()
    return {name: len(rows) for name, rows in bundle.items()}
