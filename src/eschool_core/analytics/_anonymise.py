"""Pseudonymised analytics tables: the people's ids as keyed pseudonyms, birth dates as years.

The students' sex and birth year are then made k-anonymous within their school's parallel
(:func:`eschool_core.k_anonymity.k_anonymise`), as in a pseudonymised bundle.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Final

import pyarrow as pa

from eschool_core.k_anonymity import K_ANONYMITY, Ladder, check_k, k_anonymise, suppress
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
_STUDENTS: Final = Ladder.cumulative(
    ("birth_date", "sex"),
    ("no sex", {"sex": suppress}),
    ("no birth year", {"birth_date": suppress}),
)


def _mapped(column: pa.ChunkedArray, mapping: Mapping[str, str]) -> pa.Array:
    return pa.array(
        [None if value is None else mapping.get(value, value) for value in column.to_pylist()],
        pa.string(),
    )


def pseudonymise_tables(
    tables: Mapping[str, pa.Table], key: str, *, k: int = K_ANONYMITY
) -> dict[str, pa.Table]:
    """Return ``tables`` (of :data:`~eschool_core.analytics.SCHEMAS`) pseudonymised (R6.1).

    Student and employee ids become the pseudonyms of
    :class:`~eschool_core.privacy.Pseudonymiser` under ``key`` (``S-…``, ``E-…``: the same as
    in a bundle exported with the same key) in every column that holds them, and in the
    parts of a membership's composite id; a student's birth date becomes 1 January of its
    year. The students' sex and birth year are coarsened or suppressed until every
    combination is shared by ``k`` students of the same school and parallel (the parallel of
    their latest class; a parallel of fewer than ``k`` students keeps neither). The tables
    carry no names, documents or addresses to begin with.

    Raises:
        ValidationError: ``privacy.short_key`` for a key under 16 characters,
            ``privacy.k_too_small`` for ``k`` under 5.
    """
    check_k(k)
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
        result["students"] = _k_anonymous(
            table.set_column(index, table.schema.field(index), pa.array(years, pa.date32())),
            _parallels(result),
            k,
        )
    return result


def _parallels(tables: Mapping[str, pa.Table]) -> dict[str, tuple[object, ...]]:
    """Each student's school and parallel in the latest year of their classes."""
    if "memberships" not in tables or "classes" not in tables:
        return {}
    classes = tables["classes"].select(["id", "school_id", "year", "parallel"]).to_pylist()
    of_class = {c["id"]: (c["year"], c["school_id"], c["parallel"]) for c in classes}
    latest: dict[str, tuple[object, ...]] = {}
    memberships = tables["memberships"]
    for student, class_id in zip(
        memberships.column("student_id").to_pylist(),
        memberships.column("class_id").to_pylist(),
        strict=True,
    ):
        found = of_class.get(class_id)
        if found is not None and (student not in latest or found > latest[student]):
            latest[student] = found
    return {student: (school, parallel) for student, (_, school, parallel) in latest.items()}


def _k_anonymous(
    students: pa.Table, parallels: Mapping[str, tuple[object, ...]], k: int
) -> pa.Table:
    """The students with sex and birth year k-anonymous within their school's parallel."""
    rows = students.select(["id", "school_id", "sex", "birth_date"]).to_pylist()
    groups = [parallels.get(row["id"], (row["school_id"], None)) for row in rows]
    coarse, _ = k_anonymise(
        [{"sex": row["sex"], "birth_date": row["birth_date"]} for row in rows],
        _STUDENTS,
        table="students",
        k=k,
        groups=groups,
        grouped_by="parallel",
    )
    for column, kind in (("sex", pa.string()), ("birth_date", pa.date32())):
        index = students.schema.get_field_index(column)
        values = pa.array([row[column] for row in coarse], kind)
        students = students.set_column(index, students.schema.field(index), values)
    return students
