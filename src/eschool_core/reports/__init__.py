"""The regulation's named reports as typed tables, the report constructor, and renderers.

R11.1: quality and data monitoring runs through built-in reports available by role. Every
report is a pure function of a :class:`ReportData` (one school year, loaded once from a store
or a synthetic school) and :class:`ReportParams`; :func:`run_report` checks access through the
access module's :class:`~eschool_core.rbac.Authorizer` when an actor is given, and returns a
:class:`Report` — a typed table with the regulation's Russian title verbatim. The
:data:`CATALOGUE` lists every report with its parameters, access action and schedule.

Renderers: text (``rich``, imported lazily), Markdown, CSV and JSON in the core; XLSX and PDF
in the ``export`` extra; charts in the ``analytics`` extra (:func:`export_report` picks one).

>>> import datetime as dt
>>> from eschool_core.reports._examples import example_data
>>> report = run_report("Итоги успеваемости класса за учебный период", example_data(),
...     ReportParams(class_id="5А", period="Q1"),
...     generated_at=dt.datetime(2025, 11, 5, 9, tzinfo=dt.UTC))
>>> report.title_ru, report.cell(0, "subject"), report.cell(0, "average")
('Итоги успеваемости класса за учебный период', 'Математика', Fraction(4, 1))
"""

from eschool_core.reports._catalogue import (
    CATALOGUE,
    Builder,
    ReportDefinition,
    ReportSchedule,
    get_definition,
    run_report,
)
from eschool_core.reports._common import Absences, StudentCategory, category_of
from eschool_core.reports._constructor import (
    DIMENSIONS,
    Dataset,
    Measure,
    Query,
    build_custom_report,
)
from eschool_core.reports._data import YEAR_PERIOD, ReportData, periods_of_year
from eschool_core.reports._export import OutputFormat, export_report
from eschool_core.reports._grammar import GrammaticalCase, date_in_words, decline_name, pupil_noun
from eschool_core.reports._render import (
    CsvDialect,
    plain_cells,
    render_csv,
    render_json,
    render_markdown,
    render_text,
)
from eschool_core.reports._scope import JUDGES_TIMELINESS, needs_compliance, report_scope
from eschool_core.reports._set import (
    ReportJob,
    ReportKind,
    SetEntry,
    build_report_set,
    index_html,
    manifest,
    manifest_json,
    plan_report_set,
)
from eschool_core.reports._table import (
    Cell,
    Column,
    ColumnType,
    Report,
    ReportParams,
    format_count,
    with_director,
)
from eschool_core.reports._timeliness import Timeliness, mark_timeliness
from eschool_core.reports._wording import (
    Signatory,
    Signature,
    certification_lines,
    format_moment,
    period_name,
    signature_name,
)

__all__ = [
    "CATALOGUE",
    "DIMENSIONS",
    "JUDGES_TIMELINESS",
    "YEAR_PERIOD",
    "Absences",
    "Builder",
    "Cell",
    "Column",
    "ColumnType",
    "CsvDialect",
    "Dataset",
    "GrammaticalCase",
    "Measure",
    "OutputFormat",
    "Query",
    "Report",
    "ReportData",
    "ReportDefinition",
    "ReportJob",
    "ReportKind",
    "ReportParams",
    "ReportSchedule",
    "SetEntry",
    "Signatory",
    "Signature",
    "StudentCategory",
    "Timeliness",
    "build_custom_report",
    "build_report_set",
    "category_of",
    "certification_lines",
    "date_in_words",
    "decline_name",
    "export_report",
    "format_count",
    "format_moment",
    "get_definition",
    "index_html",
    "manifest",
    "manifest_json",
    "mark_timeliness",
    "needs_compliance",
    "period_name",
    "periods_of_year",
    "plain_cells",
    "plan_report_set",
    "pupil_noun",
    "render_csv",
    "render_json",
    "render_markdown",
    "render_text",
    "report_scope",
    "run_report",
    "signature_name",
    "with_director",
]
