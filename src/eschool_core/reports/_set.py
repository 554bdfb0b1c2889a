"""The end-of-period set of reports: every applicable catalogue report, from one data view (R11.1).

After a study period the deputy head prints the school's reports, each class teacher his
class's and each subject teacher his own (clauses 11.3, 11.4). :func:`plan_report_set`
lists those reports for one :class:`ReportData` — the school's once, the class reports once
per class, the subject teacher's once per teacher, the students' reports only when asked —
and :func:`build_report_set` builds and renders them. :func:`manifest` and
:func:`index_html` describe the files written, with their SHA-256 hashes, so a filed set can
be checked later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum

import attrs

from eschool_core.errors import EschoolError, Language, NotFoundError
from eschool_core.reports._catalogue import CATALOGUE, ReportDefinition, run_report
from eschool_core.reports._data import YEAR_PERIOD, ReportData
from eschool_core.reports._export import export_report
from eschool_core.reports._table import ReportParams
from eschool_core.reports._wording import format_moment, period_name

__all__ = [
    "ReportJob",
    "ReportKind",
    "SetEntry",
    "build_report_set",
    "index_html",
    "manifest",
    "manifest_json",
    "plan_report_set",
]


class ReportKind(StrEnum):
    """Whose report a catalogue report is, for choosing a set of them."""

    SCHOOL = "school"
    """The school's (no class, teacher or student parameter)."""
    CLASS = "class"
    """A class's (``class_id``)."""
    TEACHER = "teacher"
    """A subject teacher's (``teacher_id``)."""
    STUDENT = "student"
    """A student's (``student_id``); many files, so only when asked."""

    @classmethod
    def of(cls, definition: ReportDefinition) -> ReportKind:
        """Return the kind of a catalogue report by its parameters.

        >>> ReportKind.of(CATALOGUE["performance_sheet"]).value
        'class'
        """
        names = (*definition.required, *definition.optional)
        if "student_id" in definition.required:
            return cls.STUDENT
        if "teacher_id" in definition.required:
            return cls.TEACHER
        if "class_id" in definition.required or (
            "class_id" in names and "student_id" in names and not definition.required
        ):
            return cls.CLASS
        return cls.SCHOOL


DEFAULT_KINDS = (ReportKind.SCHOOL, ReportKind.CLASS, ReportKind.TEACHER)


@attrs.frozen(kw_only=True)
class ReportJob:
    """One report of a set: which report, its parameters and the stem of its file name.

    Attributes:
        code: The catalogue code.
        kind: Whose report it is.
        params: Its parameters.
        stem: The file name without extension (``"performance_sheet-5А"``).
    """

    code: str
    kind: ReportKind
    params: ReportParams
    stem: str


@attrs.frozen(kw_only=True)
class SetEntry:
    """A built report of a set and its rendered files, or why it was not built.

    Attributes:
        job: The job.
        title: The report's Russian title.
        files: Rendered content by file name.
        error: The reason it was not built (a library error's message), or ``None``.
    """

    job: ReportJob
    title: str
    files: tuple[tuple[str, bytes], ...] = ()
    error: str | None = None


def _safe(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_") or "x"


def _period_end(data: ReportData, period: str, parallel: int | None = None) -> dt.date | None:
    """The last day of ``period`` for a parallel, or the latest over the school's classes."""
    parallels = {c.parallel for c in data.classes} if parallel is None else {parallel}
    ends = []
    for each in parallels:
        try:
            ends.append(data.period(each, period).end)
        except NotFoundError:
            continue
    return max(ends, default=None)


def _ends_year(data: ReportData, period: str, parallel: int) -> bool:
    """Whether ``period`` (or the parallel's period holding its end) closes the year."""
    if period == YEAR_PERIOD:
        return True
    spans = data.periods.get(parallel, ())
    return bool(spans) and data.period(parallel, period) == spans[-1]


def plan_report_set(
    data: ReportData,
    period: str,
    *,
    class_id: str | None = None,
    teacher_id: str | None = None,
    kinds: Iterable[ReportKind | str] = DEFAULT_KINDS,
) -> tuple[ReportJob, ...]:
    """List the applicable reports of a study period, in the catalogue's order (R11.3, R11.4).

    The set describes one moment: a report dated by ``as_of`` alone (class sizes, the state
    forms, general information on students) is dated at the period's last day — the class's
    period for a class's report, the school's latest for the school's — so that its rosters
    are those of the period's results. A report of the year's outcome
    (:attr:`ReportDefinition.year_end`, «Итоговые данные по учащимся») is in the set only
    of the period that ends the year; a report across periods shows them up to this one.

    Args:
        data: The data view.
        period: The study period (``"Q2"``); each parallel uses its own period holding it.
        class_id: Only this class's reports (and its subject teachers'); the school's
            reports are then left out.
        teacher_id: Only this teacher's reports (his subject teacher's report and the
            reports of the class he leads); the school's reports are then left out.
        kinds: Which kinds of report (default: school, class, teacher).

    Raises:
        NotFoundError: For an unknown class or teacher.
    """
    wanted = {ReportKind(kind) for kind in kinds}
    classes = list(data.classes)
    if class_id is not None:
        classes = [data.get_class(class_id)]
    if teacher_id is not None:
        data.get_employee(teacher_id)
        classes = [c for c in classes if c.class_teacher_id == teacher_id]
    class_ids = {c.id for c in classes}
    teachers = sorted(
        {
            str(a.teacher_id)
            for a in data.assignments
            if a.class_id in class_ids or (class_id is None and teacher_id is None)
        }
    )
    if teacher_id is not None:
        teachers = [teacher_id]
    narrowed = class_id is not None or teacher_id is not None
    jobs: list[ReportJob] = []
    for definition in CATALOGUE.values():
        kind = ReportKind.of(definition)
        if kind not in wanted:
            continue
        names = (*definition.required, *definition.optional)
        chosen = period if "period" in names else None
        dated = "period" not in names and "as_of" in names
        if kind is ReportKind.SCHOOL and not narrowed:
            jobs.append(
                ReportJob(
                    code=definition.code,
                    kind=kind,
                    params=ReportParams(
                        period=chosen, as_of=_period_end(data, period) if dated else None
                    ),
                    stem=definition.code,
                )
            )
        elif kind is ReportKind.CLASS and "subject_id" in definition.required:
            # One per subject, in the curriculum's order (R5.3c).
            jobs.extend(
                ReportJob(
                    code=definition.code,
                    kind=kind,
                    params=ReportParams(class_id=c.id, subject_id=s.id, period=chosen),
                    stem=f"{definition.code}-{_safe(c.name)}-{position:02d}-{_safe(s.id)}",
                )
                for c in classes
                for position, s in enumerate(data.subjects_of_class(c.id), start=1)
            )
        elif kind is ReportKind.CLASS:
            jobs.extend(
                ReportJob(
                    code=definition.code,
                    kind=kind,
                    params=ReportParams(
                        class_id=c.id,
                        period=chosen,
                        as_of=_period_end(data, period, c.parallel) if dated else None,
                    ),
                    stem=f"{definition.code}-{_safe(c.name)}",
                )
                for c in classes
                if not definition.year_end or _ends_year(data, period, c.parallel)
            )
        elif kind is ReportKind.TEACHER:
            jobs.extend(
                ReportJob(
                    code=definition.code,
                    kind=kind,
                    params=ReportParams(teacher_id=t, period=chosen),
                    stem=f"{definition.code}-{_safe(t)}",
                )
                for t in teachers
            )
        elif kind is ReportKind.STUDENT:
            for c in classes:
                span = data.period(c.parallel, period)
                jobs.extend(
                    ReportJob(
                        code=definition.code,
                        kind=kind,
                        params=ReportParams(
                            student_id=s, period=chosen, as_of=span.end if dated else None
                        ),
                        stem=f"{definition.code}-{_safe(c.name)}-{_safe(s)}",
                    )
                    for s in data.roster(c.id, span.end)
                )
    return tuple(jobs)


def build_report_set(
    data: ReportData,
    jobs: Sequence[ReportJob],
    formats: Sequence[str],
    *,
    generated_at: dt.datetime,
    language: Language | str = Language.RU,
    csv_dialect: str = "plain",
    on_done: Callable[[SetEntry], None] | None = None,
) -> Iterator[SetEntry]:
    """Build and render every job of a set, one after another, from the same data view.

    A report that cannot be built for its parameters (a library error, such as a class
    with no study period of that code) yields an entry with its ``error`` and no files;
    the set goes on.

    Args:
        data: The data view, read once.
        jobs: The jobs (from :func:`plan_report_set`).
        formats: Output formats (``"pdf"``, ``"xlsx"``, ``"csv"``...); a chart format is
            rendered only for the reports that have a chart.
        generated_at: The moment printed on every report.
        language: Language of the reports.
        csv_dialect: The CSV dialect (``"plain"`` or ``"excel"``).
        on_done: Called with each entry once built (a progress bar).

    Raises:
        ModuleNotFoundError: If a format's extra is not installed.
    """
    for job in jobs:
        definition = CATALOGUE[job.code]
        try:
            report = run_report(job.code, data, job.params, generated_at=generated_at)
            files: list[tuple[str, bytes]] = []
            for fmt in formats:
                suffix = "txt" if fmt == "text" else fmt
                try:
                    content = export_report(report, fmt, language=language, csv_dialect=csv_dialect)
                except EschoolError:
                    if fmt in {"png", "svg"}:
                        continue
                    raise
                files.append((f"{job.stem}.{suffix}", content))
            entry = SetEntry(job=job, title=definition.title.ru, files=tuple(files))
        except EschoolError as exc:
            entry = SetEntry(job=job, title=definition.title.ru, error=str(exc))
        if on_done is not None:
            on_done(entry)
        yield entry


def manifest(
    entries: Sequence[SetEntry],
    *,
    data: ReportData,
    period: str,
    generated_at: dt.datetime,
) -> dict[str, object]:
    """Return the set's manifest as JSON data: every file with its size and SHA-256 hash.

    >>> import hashlib
    >>> hashlib.sha256(b"").hexdigest()[:12]
    'e3b0c44298fc'
    """
    return {
        "school": data.school.short_name or data.school.name,
        "year": data.year,
        "period": period,
        "period_name": period_name(period),
        "generated_at": generated_at.astimezone(data.school.zone).isoformat(),
        "creator": "eschool_core",
        "reports": [
            {
                "code": entry.job.code,
                "title": entry.title,
                "kind": entry.job.kind.value,
                "params": entry.job.params.to_json(),
                "clause": CATALOGUE[entry.job.code].clause,
                "files": [
                    {
                        "name": name,
                        "bytes": len(content),
                        "sha256": hashlib.sha256(content).hexdigest(),
                    }
                    for name, content in entry.files
                ],
                **({"error": entry.error} if entry.error is not None else {}),
            }
            for entry in entries
        ],
    }


def manifest_json(document: dict[str, object]) -> str:
    """Return a manifest as indented JSON text."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def index_html(document: dict[str, object]) -> str:
    """Return an HTML page listing the set's reports with links to their files and hashes."""
    e = html.escape
    reports = document["reports"]
    assert isinstance(reports, list)  # noqa: S101 - the manifest's own shape
    moment = dt.datetime.fromisoformat(str(document["generated_at"]))
    rows = []
    for report in reports:
        links = " ".join(
            f'<a href="{e(f["name"])}">{e(f["name"].rsplit(".", 1)[-1].upper())}</a>'
            for f in report["files"]
        )
        hashes = "<br>".join(f"<code>{e(f['sha256'][:16])}…</code>" for f in report["files"])
        params = ", ".join(f"{e(k)}={e(v)}" for k, v in report["params"].items())
        status = e(report["error"]) if "error" in report else links
        rows.append(
            f"<tr><td>{e(report['title'])}</td><td>п. {e(report['clause'])}</td>"
            f"<td>{params}</td><td>{status}</td><td>{hashes}</td></tr>"
        )
    title = f"Отчёты: {document['period_name']} {document['year']} учебного года"
    return (
        '<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:2px 6px;vertical-align:top}</style></head><body>"
        f"<h1>{e(str(document['school']))}</h1><h2>{e(title)}</h2>"
        f"<p>Сформировано: {e(format_moment(moment))}. "
        "Хэши SHA-256 файлов — в manifest.json.</p>"
        "<table><tr><th>Отчёт</th><th>Основание</th><th>Параметры</th><th>Файлы</th>"
        f"<th>SHA-256</th></tr>{''.join(rows)}</table></body></html>\n"
    )
