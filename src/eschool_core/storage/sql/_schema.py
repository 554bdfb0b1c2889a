"""The relational schema of the SQL store (SQLAlchemy Core), built from the aggregates' rows.

Every aggregate of :mod:`eschool_core.storage.rows` is one table with the same columns,
its ``id`` as the primary key and a foreign key for every reference the in-memory store
checks. A group's classes and students live in two child tables (``group_classes``,
``group_students``) so that they are foreign keys too; so do an order's items
(``order_items``) and the subjects of their academic debts (``order_item_subjects``), and a
timetable's entries (``timetable_entries``). The other lists (mark edits, individual
homework, work types, consent purposes, a curriculum's parts, a plan's topics, a schedule's
bells, the classes of a bell schedule or an event) are JSON text; the references inside
them are also written to reference tables (``curriculum_classes``, ``event_classes``, ...:
a parent id and a target id, derived from the JSON on every write) whose foreign keys let
the database refuse a dangling reference or the removal of something still named.
Every aggregate's table also has a ``version`` column (:data:`ROW_VERSION`), kept by the
store and not part of the entity, so that an update or removal based on a stale read is
refused. Check constraints repeat the entities' validators (parallel 1-11, mark values, lesson
number 1-12, ...), so a row written around the library is rejected as well.
``eschool_schema`` holds the schema version. ``audit_entries`` holds the audit log, one row
per entry keyed by its position, with its moment and JSON values as the exact text that was
hashed, so that an entry read back hashes as it did when it was written; ``audit_checkpoints``
holds its checkpoints. Both are append-only: triggers refuse ``UPDATE`` and ``DELETE`` of their
rows (SQLite ``RAISE(ABORT)``, a PL/pgSQL function on PostgreSQL that also refuses
``TRUNCATE``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    event,
)
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeEngine

from eschool_core.movement import EducationForm, OrderKind
from eschool_core.storage.registry import REGISTRY, AggregateSpec, Registry
from eschool_core.storage.rows import StoredType
from eschool_core.timetable import EventKind

__all__ = [
    "APPEND_ONLY_MESSAGE",
    "AUDIT_CHECKPOINTS",
    "AUDIT_ENTRIES",
    "CHILD_TABLE_LAYOUTS",
    "COLLECTION_COLUMNS",
    "DEFAULT_SCHEMA",
    "GROUP_CLASSES",
    "GROUP_STUDENTS",
    "LEGACY_CHECKPOINT_COLUMNS",
    "METADATA",
    "MIGRATIONS",
    "ORDER_ITEMS",
    "ORDER_ITEM_SUBJECTS",
    "REFERENCE_SETS",
    "ROW_VERSION",
    "SCHEMA_VERSION",
    "TABLES",
    "TIMETABLE_ENTRIES",
    "VERSION",
    "Schema",
    "build_schema",
]

SCHEMA_VERSION = 5
"""The version of the schema this code reads and writes (2: movement orders added; 3:
rooms, curricula, thematic plans, bell schedules, timetables and events added; 4: the audit
log, a ``version`` column in every aggregate's table, closed study periods, applied
rollovers, academic years, retake attempts and produced reports added; 5: the audit
checkpoints' ``number`` and ``previous`` columns added, :data:`MIGRATIONS`)."""


class Instant(TypeDecorator[dt.datetime]):
    """A timezone-aware moment, stored as the same instant in UTC.

    PostgreSQL stores ``timestamptz``; SQLite stores fixed-width ISO 8601 text in UTC
    (``2025-09-01T07:30:00.000000+00:00``), which sorts like the instants. Values read
    back are in UTC: the instant is exact, the original offset is not kept.
    """

    impl = String(32)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Use ``timestamptz`` on PostgreSQL and text elsewhere."""
        if dialect.name == "postgresql":
            return dialect.type_descriptor(DateTime(timezone=True))
        return dialect.type_descriptor(String(32))

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:  # noqa: ANN401
        """Convert an aware datetime to UTC (and to text outside PostgreSQL)."""
        if value is None:
            return None
        utc = value.astimezone(dt.UTC)
        if dialect.name == "postgresql":
            return utc
        return utc.isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:  # noqa: ANN401
        """Return the stored instant as an aware datetime in UTC."""
        del dialect
        if value is None:
            return None
        if isinstance(value, str):
            return dt.datetime.fromisoformat(value)
        return value.astimezone(dt.UTC)  # type: ignore[no-any-return]


class JsonList(TypeDecorator[list[Any]]):
    """A list of strings or small records, stored as compact JSON text (UTF-8, not escaped)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> str | None:
        """Serialize the list."""
        del dialect
        return (
            None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        )

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[Any] | None:
        """Parse the list."""
        del dialect
        return None if value is None else list(json.loads(value))


def _in(column: str, values: tuple[str, ...] | tuple[int, ...]) -> str:
    listed = ", ".join(f"'{value}'" if isinstance(value, str) else str(value) for value in values)
    return f"{column} IN ({listed})"


_DOCUMENT_KINDS = ("birth_certificate", "passport", "foreign_passport", "other")
_MARK_VALUES = ("1", "2", "3", "4", "5", "н/а", "осв", "зач", "незач")
_PERSON_CHECKS = (
    f"sex IS NULL OR {_in('sex', ('m', 'f'))}",
    "snils IS NULL OR length(snils) = 11",
    f"document_kind IS NULL OR {_in('document_kind', _DOCUMENT_KINDS)}",
    "last_name <> '' AND first_name <> ''",
)
_ONE_TARGET = (
    "(class_id IS NULL AND group_id IS NOT NULL) OR (class_id IS NOT NULL AND group_id IS NULL)"
)
_WEIGHT = "(weight_num IS NULL AND weight_den IS NULL) OR (weight_num > 0 AND weight_den > 0)"

_CHECKS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "schools": ("week_days IN (5, 6)", "name <> ''"),
        "students": _PERSON_CHECKS,
        "guardians": _PERSON_CHECKS,
        "employees": (
            *_PERSON_CHECKS,
            (
                "(status = 'active' AND dismissed_on IS NULL) OR "
                "(status = 'dismissed' AND dismissed_on IS NOT NULL)"
            ),
            "dismissed_on IS NULL OR hired_on IS NULL OR dismissed_on >= hired_on",
        ),
        "subjects": ("sort_order BETWEEN 0 AND 10000", "name <> ''"),
        "guardian_links": (
            _in("kind", ("mother", "father", "legal_guardian")),
            "until IS NULL OR since IS NULL OR until >= since",
        ),
        "consents": (
            _in("category", ("student", "guardian", "employee")),
            "withdrawn_on IS NULL OR withdrawn_on >= given_on",
            "purposes <> '[]'",
        ),
        "classes": (
            "parallel BETWEEN 1 AND 11",
            "shift IN (1, 2)",
            "week_days IS NULL OR week_days IN (5, 6)",
            "capacity IS NULL OR capacity BETWEEN 1 AND 60",
        ),
        "memberships": ("until IS NULL OR until >= since",),
        "groups": (_in("kind", ("subgroup", "cross_class")),),
        "assignments": (_ONE_TARGET, "until IS NULL OR since IS NULL OR until >= since"),
        "lessons": (
            "number BETWEEN 1 AND 12",
            _ONE_TARGET,
            _in("state", ("held", "cancelled")),
            (
                "(state = 'cancelled' AND cancelled_at IS NOT NULL) OR "
                "(state = 'held' AND cancelled_at IS NULL)"
            ),
        ),
        "marks": (_in("value", _MARK_VALUES), _WEIGHT),
        "attendance": (
            _in("kind", ("absent", "late")),
            _in("reason", ("illness", "valid", "unexcused", "unknown")),
        ),
        "attestation_marks": (
            _in("kind", ("period", "annual", "exam", "final")),
            _in("value", _MARK_VALUES),
            "(kind = 'period' AND period IS NOT NULL) OR (kind <> 'period' AND period IS NULL)",
        ),
        "orders": (_in("kind", tuple(kind.value for kind in OrderKind)), "number <> ''"),
        "rooms": ("capacity IS NULL OR capacity BETWEEN 1 AND 1000", "name <> ''"),
        "thematic_plans": (_ONE_TARGET,),
        "bell_schedules": ("shift IN (1, 2)", "bells <> '[]'", "name <> ''"),
        "timetables": ("valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from",),
        "events": (
            _in("kind", tuple(kind.value for kind in EventKind)),
            "ends_on IS NULL OR ends_on >= starts_on",
            "title <> ''",
        ),
        "retake_attempts": (
            "number IN (1, 2)",
            _in("outcome", ("passed", "failed", "absent")),
            "number = 1 OR commission_ids <> '[]'",
        ),
    }
)

_INDEXES: Mapping[str, tuple[tuple[str, ...], ...]] = MappingProxyType(
    {
        "guardian_links": (("student_id",), ("guardian_id",)),
        "consents": (("subject_id",),),
        "classes": (("year",), ("class_teacher_id",)),
        "memberships": (("class_id",), ("student_id",)),
        "groups": (("year",), ("subject_id",)),
        "assignments": (
            ("teacher_id",),
            ("class_id",),
            ("group_id",),
            ("subject_id",),
            ("year",),
        ),
        "lessons": (
            ("class_id", "date"),
            ("group_id", "date"),
            ("date",),
            ("teacher_id", "date"),
            ("subject_id",),
            ("substitute_id",),
        ),
        "marks": (("student_id", "subject_id", "date"), ("lesson_id",), ("date",)),
        "attendance": (("student_id", "date"), ("lesson_id",), ("date",)),
        "attestation_marks": (("student_id", "subject_id"), ("year",)),
        "orders": (("year",), ("author_id",)),
        "curricula": (("year",), ("responsible_id",)),
        "thematic_plans": (
            ("year",),
            ("teacher_id",),
            ("subject_id",),
            ("class_id",),
            ("group_id",),
            ("entered_by",),
        ),
        "bell_schedules": (("year",),),
        "timetables": (("year",),),
        "events": (("year",), ("entered_by",)),
        "retake_attempts": (("year",), ("student_id", "subject_id"), ("debt_order_id",)),
        "report_runs": (("year",), ("by",)),
    }
)

_GROUP_LISTS = frozenset({"class_ids", "student_ids"})

APPEND_ONLY_MESSAGE = "eschool: the audit log is append-only"
"""The start of the error the database raises for an UPDATE or DELETE of an audit row."""

_APPEND_ONLY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION eschool_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = '{APPEND_ONLY_MESSAGE} (' || TG_OP || ' on ' || TG_TABLE_NAME || ')',
        ERRCODE = 'insufficient_privilege';
END
$$
"""


def _append_only_statements(name: str, dialect: str) -> tuple[str, ...]:
    """The statements that make table ``name`` append-only on ``dialect``."""
    if dialect == "sqlite":
        return tuple(
            f"CREATE TRIGGER {name}_no_{operation.lower()} BEFORE {operation} ON {name} "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} ({operation} on {name})'); END"
            for operation in ("UPDATE", "DELETE")
        )
    if dialect == "postgresql":
        return (
            _APPEND_ONLY_FUNCTION,
            (
                f"CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {name} "
                "FOR EACH ROW EXECUTE FUNCTION eschool_audit_append_only()"
            ),
            (
                f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
                "FOR EACH STATEMENT EXECUTE FUNCTION eschool_audit_append_only()"
            ),
        )
    return ()


def _append_only(table: Table) -> None:
    """Create, with ``table``, the triggers that refuse changing or removing its rows."""

    def create(target: Table, connection: Connection, **_options: object) -> None:
        for statement in _append_only_statements(target.name, connection.dialect.name):
            connection.exec_driver_sql(statement)

    event.listen(table, "after_create", create)


ROW_VERSION = "version"
"""The column of every aggregate's table holding the row's version (see ``docs/storage.md``)."""

_ROW_VERSION_DOC = (
    "The row's version: 1 when added, one more with each update; maintained by the store "
    "to refuse a write based on a stale read."
)


def _sql_type(kind: StoredType) -> Any:  # noqa: ANN401 - a SQLAlchemy type
    return {
        StoredType.TEXT: Text,
        StoredType.INT: Integer,
        StoredType.DATE: Date,
        StoredType.INSTANT: Instant,
        StoredType.LIST: JsonList,
    }[kind]()


def _version_table(metadata: MetaData) -> Table:
    return Table(
        "eschool_schema",
        metadata,
        Column("version", Integer, primary_key=True, autoincrement=False),
    )


def _build_table(metadata: MetaData, spec: AggregateSpec) -> Table:
    name = spec.name
    references = spec.references
    columns: list[Any] = []
    for column in spec.rows.columns:
        if name == "groups" and column.name in _GROUP_LISTS:
            continue
        args: list[Any] = [column.name, _sql_type(column.type)]
        target = references.get(column.name)
        if target is not None:
            args.append(ForeignKey(f"{target}.id", name=f"fk_{name}_{column.name}"))
        columns.append(Column(*args, primary_key=column.name == "id", nullable=column.nullable))
    columns.append(
        Column(ROW_VERSION, Integer, nullable=False, server_default="1", doc=_ROW_VERSION_DOC)
    )
    constraints = [
        CheckConstraint(text, name=f"ck_{name}_{index}")
        for index, text in enumerate(_CHECKS.get(name, ()), start=1)
    ]
    table = Table(name, metadata, *columns, *constraints)
    for index_name, index_columns in zip(spec.index_names, spec.indexes, strict=True):
        Index(index_name, *(table.c[c] for c in index_columns))
    return table


def _group_tables(metadata: MetaData) -> tuple[Table, Table]:
    """The classes of each group, in the group's order, and the students of each group."""
    classes = Table(
        "group_classes",
        metadata,
        Column(
            "group_id",
            Text,
            ForeignKey("groups.id", ondelete="CASCADE", name="fk_group_classes_group_id"),
            primary_key=True,
        ),
        Column("position", Integer, primary_key=True, autoincrement=False),
        Column(
            "class_id",
            Text,
            ForeignKey("classes.id", name="fk_group_classes_class_id"),
            nullable=False,
            index=True,
        ),
    )
    students = Table(
        "group_students",
        metadata,
        Column(
            "group_id",
            Text,
            ForeignKey("groups.id", ondelete="CASCADE", name="fk_group_students_group_id"),
            primary_key=True,
        ),
        Column(
            "student_id",
            Text,
            ForeignKey("students.id", name="fk_group_students_student_id"),
            primary_key=True,
            index=True,
        ),
    )
    return classes, students


def _order_tables(metadata: MetaData) -> tuple[Table, Table]:
    """The items of each order, and the subjects of the academic debts of each item."""
    items = Table(
        "order_items",
        metadata,
        Column(
            "order_id",
            Text,
            ForeignKey("orders.id", ondelete="CASCADE", name="fk_order_items_order_id"),
            primary_key=True,
        ),
        Column("position", Integer, primary_key=True, autoincrement=False),
        Column(
            "student_id",
            Text,
            ForeignKey("students.id", name="fk_order_items_student_id"),
            nullable=False,
            index=True,
        ),
        Column(
            "class_id",
            Text,
            ForeignKey("classes.id", name="fk_order_items_class_id"),
            nullable=True,
            index=True,
        ),
        Column("destination", Text, nullable=True),
        Column("education_form", Text, nullable=True),
        Column("parallel", Integer, nullable=True),
        Column("repaid_on", Date, nullable=True),
        CheckConstraint(
            f"education_form IS NULL OR {_in('education_form', tuple(EducationForm))}",
            name="ck_order_items_1",
        ),
        CheckConstraint("parallel IS NULL OR parallel BETWEEN 1 AND 11", name="ck_order_items_2"),
    )
    subjects = Table(
        "order_item_subjects",
        metadata,
        Column(
            "order_id",
            Text,
            ForeignKey("orders.id", ondelete="CASCADE", name="fk_order_item_subjects_order_id"),
            primary_key=True,
        ),
        Column("item_position", Integer, primary_key=True, autoincrement=False),
        Column("position", Integer, primary_key=True, autoincrement=False),
        Column(
            "subject_id",
            Text,
            ForeignKey("subjects.id", name="fk_order_item_subjects_subject_id"),
            nullable=False,
            index=True,
        ),
    )
    return items, subjects


def _timetable_entries(metadata: MetaData) -> Table:
    """The entries of each timetable, in the timetable's order."""
    return Table(
        "timetable_entries",
        metadata,
        Column(
            "timetable_id",
            Text,
            ForeignKey(
                "timetables.id", ondelete="CASCADE", name="fk_timetable_entries_timetable_id"
            ),
            primary_key=True,
        ),
        Column("position", Integer, primary_key=True, autoincrement=False),
        Column("weekday", Integer, nullable=False),
        Column("number", Integer, nullable=False),
        *(
            Column(
                name,
                Text,
                ForeignKey(f"{target}.id", name=f"fk_timetable_entries_{name}"),
                nullable=name not in {"subject_id", "teacher_id"},
                index=True,
            )
            for name, target in (
                ("subject_id", "subjects"),
                ("teacher_id", "employees"),
                ("class_id", "classes"),
                ("group_id", "groups"),
                ("room_id", "rooms"),
            )
        ),
        CheckConstraint("weekday BETWEEN 0 AND 5", name="ck_timetable_entries_1"),
        CheckConstraint("number BETWEEN 1 AND 12", name="ck_timetable_entries_2"),
        CheckConstraint(_ONE_TARGET, name="ck_timetable_entries_3"),
    )


CHILD_TABLE_LAYOUTS = frozenset({"groups", "orders", "timetables"})
"""The aggregates whose collections the schema keeps in child tables of their own (a
group's classes and students, an order's items, a timetable's entries), laid out by hand;
every other aggregate's collection references get reference tables
(:attr:`Schema.reference_sets`)."""


def _reference_set(metadata: MetaData, spec: AggregateSpec, field: str) -> Table:
    """A table of (parent id, target id) pairs for one collection reference of ``spec``."""
    table = spec.reference_table(field)
    target = spec.collection_references[field]
    parent_column = f"{spec.kind}_id"
    return Table(
        table,
        metadata,
        Column(
            parent_column,
            Text,
            ForeignKey(f"{spec.name}.id", ondelete="CASCADE", name=f"fk_{table}_{parent_column}"),
            primary_key=True,
        ),
        Column(
            "target_id",
            Text,
            ForeignKey(f"{target}.id", name=f"fk_{table}_target_id"),
            primary_key=True,
            index=True,
        ),
    )


def _audit_tables(metadata: MetaData) -> tuple[Table, Table]:
    entries = Table(
        "audit_entries",
        metadata,
        Column("position", Integer, primary_key=True, autoincrement=False),
        Column("at", Text, nullable=False),
        Column("account_id", Text, nullable=False),
        Column("kind", Text, nullable=False),
        Column("action", Text, nullable=False),
        Column("target", Text, nullable=False),
        Column("value_before", Text, nullable=False),
        Column("value_after", Text, nullable=False),
        Column("previous_hash", Text, nullable=False),
        Column("hash", Text, nullable=False),
        Column("mac", Text, nullable=True),
        CheckConstraint("position >= 0", name="ck_audit_entries_1"),
    )
    checkpoints = Table(
        "audit_checkpoints",
        metadata,
        Column("length", Integer, primary_key=True, autoincrement=False),
        Column("head_hash", Text, nullable=False),
        Column("at", Text, nullable=False),
        Column("mac", Text, nullable=True),
        Column("number", Integer, nullable=True),
        Column("previous", Text, nullable=True),
        CheckConstraint("length >= 1", name="ck_audit_checkpoints_1"),
    )
    _append_only(entries)
    _append_only(checkpoints)
    return entries, checkpoints


@attrs.frozen(kw_only=True, eq=False)
class Schema:
    """The tables of the SQL store for one registry of aggregates.

    Attributes:
        registry: The aggregates, each one table (:attr:`tables`).
        metadata: The metadata holding every table.
        version: The one-row table holding the schema version.
        tables: The table of each aggregate, by the aggregate's name.
        child_tables: The child tables of each aggregate that has them (its
            :data:`CHILD_TABLE_LAYOUTS` tables and its reference tables).
        owners: Each child table's aggregate and the column naming the aggregate's id.
        reference_sets: The reference tables by aggregate: (field, table) pairs whose rows
            are derived from the field, so that the database checks the references held in
            JSON columns.
        collection_columns: The child-table column holding each collection reference, by
            (aggregate, field).
        audit_entries: The audit log.
        audit_checkpoints: The audit log's checkpoints.
    """

    registry: Registry
    metadata: MetaData
    version: Table
    tables: Mapping[str, Table]
    child_tables: Mapping[str, tuple[Table, ...]]
    owners: Mapping[str, tuple[str, str]]
    reference_sets: Mapping[str, tuple[tuple[str, Table], ...]]
    collection_columns: Mapping[tuple[str, str], Column[Any]]
    audit_entries: Table
    audit_checkpoints: Table


def build_schema(registry: Registry) -> Schema:
    """Return the tables of the SQL store for ``registry``, on a metadata of their own.

    Every aggregate is one table with its row mapping's columns, a foreign key for each
    reference and the registry entry's indexes; its collection references get reference
    tables (but for :data:`CHILD_TABLE_LAYOUTS`).
    """
    metadata = MetaData()
    version = _version_table(metadata)
    tables = {name: _build_table(metadata, spec) for name, spec in registry.items()}
    children: dict[str, tuple[Table, ...]] = {}
    collections: dict[tuple[str, str], Column[Any]] = {}
    if "groups" in registry:
        group_classes, group_students = _group_tables(metadata)
        children["groups"] = (group_classes, group_students)
        collections["groups", "class_ids"] = group_classes.c.class_id
        collections["groups", "student_ids"] = group_students.c.student_id
    if "orders" in registry:
        items, item_subjects = _order_tables(metadata)
        children["orders"] = (items, item_subjects)
        collections["orders", "student_ids"] = items.c.student_id
        collections["orders", "class_ids"] = items.c.class_id
        collections["orders", "subject_ids"] = item_subjects.c.subject_id
    if "timetables" in registry:
        entries = _timetable_entries(metadata)
        children["timetables"] = (entries,)
        for field in ("class_ids", "group_ids", "subject_ids", "teacher_ids", "room_ids"):
            collections["timetables", field] = entries.c[f"{field.removesuffix('s')}"]
    reference_sets = {
        name: tuple(
            (field, _reference_set(metadata, spec, field)) for field in spec.collection_references
        )
        for name, spec in registry.items()
        if spec.collection_references and name not in CHILD_TABLE_LAYOUTS
    }
    for name, fields in reference_sets.items():
        children[name] = tuple(table for _field, table in fields)
        for field, table in fields:
            collections[name, field] = table.c.target_id
    owners = {
        table.name: (
            parent,
            next(key.parent.name for key in table.foreign_keys if key.ondelete == "CASCADE"),
        )
        for parent, child in children.items()
        for table in child
    }
    audit_entries, audit_checkpoints = _audit_tables(metadata)
    return Schema(
        registry=registry,
        metadata=metadata,
        version=version,
        tables=MappingProxyType(tables),
        child_tables=MappingProxyType(children),
        owners=MappingProxyType(owners),
        reference_sets=MappingProxyType(reference_sets),
        collection_columns=MappingProxyType(collections),
        audit_entries=audit_entries,
        audit_checkpoints=audit_checkpoints,
    )


DEFAULT_SCHEMA = build_schema(REGISTRY)
"""The schema of :data:`~eschool_core.storage.registry.REGISTRY`, the library's store."""

METADATA = DEFAULT_SCHEMA.metadata
"""The metadata holding every table of the schema."""

VERSION = DEFAULT_SCHEMA.version
"""The one-row table holding the schema version."""

TABLES: Mapping[str, Table] = DEFAULT_SCHEMA.tables
"""The table of each aggregate, by the aggregate's name."""

GROUP_CLASSES, GROUP_STUDENTS = DEFAULT_SCHEMA.child_tables["groups"]
"""The classes of each group, in the group's order; the students of each group."""

ORDER_ITEMS, ORDER_ITEM_SUBJECTS = DEFAULT_SCHEMA.child_tables["orders"]
"""The items of each order, in the order's order (``position`` from 0); the subjects of the
academic debts of each order item, in the item's order."""

(TIMETABLE_ENTRIES,) = DEFAULT_SCHEMA.child_tables["timetables"]
"""The entries of each timetable, in the timetable's order (``position`` from 0)."""

REFERENCE_SETS: Mapping[str, tuple[tuple[str, Table], ...]] = DEFAULT_SCHEMA.reference_sets
"""Reference tables, by aggregate: (field, table) pairs whose rows are derived from the field.

Each table holds one row per (entity, referenced id) so that the database checks the
references held in JSON columns.
"""

COLLECTION_COLUMNS: Mapping[tuple[str, str], Column[Any]] = DEFAULT_SCHEMA.collection_columns
"""The child-table column holding each collection reference, by (aggregate, field)."""

AUDIT_ENTRIES = DEFAULT_SCHEMA.audit_entries
"""The audit log (R3.1b): one row per entry, by position; the moment as its ISO text and
``target``, ``value_before`` and ``value_after`` as canonical JSON text, exactly as hashed."""

AUDIT_CHECKPOINTS = DEFAULT_SCHEMA.audit_checkpoints
"""The audit log's checkpoints (length, head hash, moment as its ISO text, MAC, number and
the digest of the previous checkpoint), by length. ``number`` and ``previous`` are ``NULL``
in a checkpoint stored by schema version 4."""

LEGACY_CHECKPOINT_COLUMNS = ("length", "head_hash", "at", "mac")
"""The checkpoint columns of schema version 4 (before checkpoints were numbered)."""

MIGRATIONS: Mapping[int, tuple[str, ...]] = MappingProxyType(
    {
        4: (
            "ALTER TABLE audit_checkpoints ADD COLUMN number INTEGER",
            "ALTER TABLE audit_checkpoints ADD COLUMN previous TEXT",
            *(
                f"ALTER TABLE period_closures ADD COLUMN reopened_{part}_id TEXT CONSTRAINT"
                f" fk_period_closures_reopened_{part}_id REFERENCES {target} (id)"
                for part, target in (
                    ("class", "classes"),
                    ("subject", "subjects"),
                    ("teacher", "employees"),
                )
            ),
        ),
    }
)
"""The statements that bring a store of a version to the next, in place: from 4 to 5 the
checkpoints gain their number and link (existing rows keep ``NULL``: unnumbered), and the
period closures the class, subject and teacher of their reopening (``NULL`` in a reopening
stored before: it admits no write)."""
