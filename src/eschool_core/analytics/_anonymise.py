"""Pseudonymised analytics tables: the people's ids as keyed pseudonyms, birth dates as years."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Final

import pyarrow as pa

from eschool_core.privacy import Pseudonymiser

__all__ = ["pseudonymise_tables"]

_STUDENT_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "students": ("id",),
    "memberships": ("student_id",),
    "marks": ("student_id",),
    "attendance": ("student_id",),
    "attestation_marks": ("student_id",),
    "orders": ("student_id",),
}
_EMPLOYEE_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "classes": ("class_teacher_id",),
    "lessons": ("teacher_id", "substitute_id"),
    "marks": ("author_id",),
    "attendance": ("entered_by",),
    "attestation_marks": ("author_id",),
    "orders": ("author_id",),
}
_SEPARATORS = re.compile(r"([@:/|.,;#\s]+)")


def _mapped(column: pa.ChunkedArray, mapping: Mapping[str, str]) -> pa.Array:
    return pa.array(
        [None if value is None else mapping.get(value, value) for value in column.to_pylist()],
        pa.string(),
    )


def pseudonymise_tables(tables: Mapping[str, pa.Table], key: str) -> dict[str, pa.Table]:
    """Return ``tables`` (of :data:`~eschool_core.analytics.SCHEMAS`) pseudonymised (R6.1).

    Student and employee ids become the pseudonyms of
    :class:`~eschool_core.privacy.Pseudonymiser` under ``key`` (``S-…``, ``E-…``: the same as
    in a bundle exported with the same key) in every column that holds them, and in the
    parts of a membership's composite id; a student's birth date becomes 1 January of its
    year. The tables carry no names, documents or addresses to begin with.

    Raises:
        ValidationError: ``privacy.short_key`` for a key under 16 characters.
    """
    pseudonymiser = Pseudonymiser(key)
    students: dict[str, str] = {}
    employees: dict[str, str] = {}
    for name, columns in _STUDENT_COLUMNS.items():
        if name in tables:
            for column in columns:
                for value in tables[name].column(column).to_pylist():
                    if value is not None and value not in students:
                        students[value] = pseudonymiser.pseudonym("S", value)
    for name, columns in _EMPLOYEE_COLUMNS.items():
        if name in tables:
            for column in columns:
                for value in tables[name].column(column).to_pylist():
                    if value is not None and value not in employees:
                        employees[value] = pseudonymiser.pseudonym("E", value)
    result = dict(tables)
    for mapping, spec in ((students, _STUDENT_COLUMNS), (employees, _EMPLOYEE_COLUMNS)):
        for name, columns in spec.items():
            if name not in result:
                continue
            table = result[name]
            for column in columns:
                index = table.schema.get_field_index(column)
                field = table.schema.field(index)
                table = table.set_column(index, field, _mapped(table.column(column), mapping))
            result[name] = table
    if "memberships" in result:
        table = result["memberships"]
        ids = [
            "".join(students.get(part, part) for part in _SEPARATORS.split(value))
            for value in table.column("id").to_pylist()
        ]
        index = table.schema.get_field_index("id")
        result["memberships"] = table.set_column(
            index, table.schema.field(index), pa.array(ids, pa.string())
        )
    if "students" in result:
        table = result["students"]
        index = table.schema.get_field_index("birth_date")
        years = [
            None if day is None else dt.date(day.year, 1, 1)
            for day in table.column("birth_date").to_pylist()
        ]
        result["students"] = table.set_column(
            index, table.schema.field(index), pa.array(years, pa.date32())
        )
    return result
