"""The columnar schema of the bulk path: one Arrow schema per table (docs/analytics.md).

The columns follow the exchange bundle's files (same names, same meaning) with three
changes that suit a columnar engine: every fact table carries ``school_id`` (a district's
folder holds many schools), moments are UTC timestamps (``timestamp[us, UTC]``), and lists
are left out (mark edits, a lesson's individual homework becomes a count). Two dimension
tables join the facts with the calendar and the study periods: ``calendar`` (every date
with its working-day flag and ordinal) and ``periods`` (each parallel's study periods).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pyarrow as pa

from eschool_core.analytics._errors import ANALYTICS_UNKNOWN_TABLE

__all__ = ["SCHEMAS", "TABLE_NAMES", "schema_of"]

_TEXT = pa.string()
_MOMENT = pa.timestamp("us", tz="UTC")


def _schema(*fields: tuple[str, pa.DataType, bool]) -> pa.Schema:
    return pa.schema([pa.field(name, kind, nullable=null) for name, kind, null in fields])


SCHEMAS: Mapping[str, pa.Schema] = MappingProxyType(
    {
        "schools": _schema(
            ("id", _TEXT, False),
            ("name", _TEXT, False),
            ("district", _TEXT, True),
            ("region", _TEXT, True),
            ("time_zone", _TEXT, False),
        ),
        "subjects": _schema(
            ("id", _TEXT, False),
            ("name", _TEXT, False),
            ("short_name", _TEXT, True),
            ("sort_order", pa.int32(), False),
        ),
        "classes": _schema(
            ("id", _TEXT, False),
            ("school_id", _TEXT, False),
            ("year", _TEXT, False),
            ("parallel", pa.int32(), False),
            ("letter", _TEXT, False),
            ("class_teacher_id", _TEXT, True),
        ),
        "students": _schema(
            ("id", _TEXT, False),
            ("school_id", _TEXT, False),
            ("sex", _TEXT, True),
            ("birth_date", pa.date32(), True),
        ),
        "memberships": _schema(
            ("id", _TEXT, False),
            ("school_id", _TEXT, False),
            ("student_id", _TEXT, False),
            ("class_id", _TEXT, False),
            ("since", pa.date32(), False),
            ("until", pa.date32(), True),
        ),
        "lessons": _schema(
            ("id", _TEXT, False),
            ("school_id", _TEXT, False),
            ("date", pa.date32(), False),
            ("number", pa.int32(), False),
            ("subject_id", _TEXT, False),
            ("teacher_id", _TEXT, False),
            ("class_id", _TEXT, True),
            ("group_id", _TEXT, True),
            ("substitute_id", _TEXT, True),
            ("topic", _TEXT, True),
            ("homework", _TEXT, True),
            ("individual_homework", pa.int32(), False),
            ("state", _TEXT, False),
            ("topic_entered_at", _MOMENT, True),
            ("homework_entered_at", _MOMENT, True),
            ("late_reason", _TEXT, True),
        ),
        "marks": _schema(
            ("id", _TEXT, False),
            ("school_id", _TEXT, False),
            ("student_id", _TEXT, False),
            ("subject_id", _TEXT, False),
            ("date", pa.date32(), False),
            ("lesson_id", _TEXT, True),
            ("value", _TEXT, False),
            ("work_type", _TEXT, False),
            ("weight_num", pa.int64(), True),
            ("weight_den", pa.int64(), True),
            ("author_id", _TEXT, False),
            ("entered_at", _MOMENT, False),
            ("late_reason", _TEXT, True),
        ),
        "attendance": _schema(
            ("id", _TEXT, False),
            ("school_id", _TEXT, False),
            ("student_id", _TEXT, False),
            ("lesson_id", _TEXT, False),
            ("date", pa.date32(), False),
            ("kind", _TEXT, False),
            ("reason", _TEXT, False),
            ("entered_by", _TEXT, False),
            ("entered_at", _MOMENT, False),
            ("document_presented_on", pa.date32(), True),
            ("reason_corrected_at", _MOMENT, True),
            ("late_reason", _TEXT, True),
        ),
        "attestation_marks": _schema(
            ("id", _TEXT, False),
            ("school_id", _TEXT, False),
            ("student_id", _TEXT, False),
            ("subject_id", _TEXT, False),
            ("year", _TEXT, False),
            ("kind", _TEXT, False),
            ("period", _TEXT, True),
            ("value", _TEXT, False),
            ("author_id", _TEXT, False),
            ("entered_at", _MOMENT, False),
        ),
        "orders": _schema(
            ("id", _TEXT, False),
            ("school_id", _TEXT, False),
            ("number", _TEXT, False),
            ("kind", _TEXT, False),
            ("issued_on", pa.date32(), False),
            ("entered_at", _MOMENT, False),
            ("author_id", _TEXT, False),
            ("year", _TEXT, False),
            ("student_id", _TEXT, False),
            ("class_id", _TEXT, True),
            ("destination", _TEXT, True),
        ),
        "periods": _schema(
            ("school_id", _TEXT, False),
            ("parallel", pa.int32(), False),
            ("code", _TEXT, False),
            ("kind", _TEXT, True),
            ("start", pa.date32(), False),
            ("end", pa.date32(), False),
        ),
        "calendar": _schema(
            ("date", pa.date32(), False),
            ("is_working_day", pa.bool_(), False),
            ("working_day_ordinal", pa.int32(), False),
        ),
    }
)
"""The Arrow schema of each table, by table name."""

TABLE_NAMES: tuple[str, ...] = tuple(SCHEMAS)
"""The tables of an analytics folder, in writing order."""


def schema_of(name: str) -> pa.Schema:
    """Return the Arrow schema of the table ``name``.

    Raises:
        ValidationError: For an unknown table (code ``analytics.unknown_table``).

    >>> schema_of("marks").names[:4]
    ['id', 'school_id', 'student_id', 'subject_id']
    """
    found = SCHEMAS.get(name)
    if found is None:
        raise ANALYTICS_UNKNOWN_TABLE.error(table=name, known=list(TABLE_NAMES))
    return found
