"""A class's current marks from a store as one DataFrame, with names beside every id."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from eschool_core.analytics._errors import ANALYTICS_CLASS_NOT_FOUND
from eschool_core.calendar import AcademicYear
from eschool_core.errors import NotFoundError
from eschool_core.ids import ClassId
from eschool_core.storage import Store
from eschool_core.year_data import SchoolYearData, YearScope

__all__ = ["class_marks", "class_marks_table"]

_LOOKALIKE = str.maketrans("ABEKMHOPCTXY", "АВЕКМНОРСТХУ")

_SCHEMA = pa.schema(
    [
        ("school_name", pa.string()),
        ("class_id", pa.string()),
        ("class_name", pa.string()),
        ("student_id", pa.string()),
        ("student_name", pa.string()),
        ("date", pa.date32()),
        ("subject_id", pa.string()),
        ("subject_name", pa.string()),
        ("teacher_id", pa.string()),
        ("teacher_name", pa.string()),
        ("work_type", pa.string()),
        ("mark", pa.string()),
        ("score", pa.int64()),
        ("weight", pa.float64()),
        ("lesson_id", pa.string()),
        ("mark_id", pa.string()),
    ]
)


def _year(stored: list[AcademicYear], label: str | None) -> AcademicYear:
    years = sorted(stored, key=lambda year: year.label.first)
    if label is not None:
        years = [year for year in years if str(year.label) == label]
    if not years:
        raise NotFoundError(
            f"Хранилище не содержит учебного года {label or ''}".rstrip(),
            f"The store keeps no academic year {label or ''}".rstrip(),
            code="calendar.year_not_stored",
            details={"year": label or ""},
        )
    return years[-1]


def class_marks_table(
    store: Store, school_class: str, *, year: str | None = None, school_id: str | None = None
) -> pa.Table:
    """Return a class's current marks of a year as an Arrow table (see :func:`class_marks`).

    Raises:
        NotFoundError: If the store keeps no such year (``calendar.year_not_stored``) or
            the year has no such class (``analytics.class_not_found``).
    """
    with store.unit_of_work() as uow:
        academic_year = _year(list(uow.academic_years.all()), year)
        classes = uow.classes.for_year(str(academic_year.label))
        wanted = school_class.strip().upper().translate(_LOOKALIKE)
        found = next(
            (c for c in classes if c.id == school_class or c.name == wanted),
            None,
        )
        if found is None:
            names = ", ".join(sorted((c.name for c in classes), key=lambda n: (len(n), n)))
            raise ANALYTICS_CLASS_NOT_FOUND.error(
                details={"class": school_class}, label=academic_year.label, names=names
            )
        scope = YearScope(class_id=ClassId(found.id), planning=False)
        data = SchoolYearData.read(uow, academic_year, school_id=school_id, scope=scope)
    students = {s.id: s.person.full_name for s in data.students}
    staff = {e.id: e.person.full_name for e in data.employees}
    subjects = {s.id: s.name for s in data.subjects}
    lessons = {lesson.id: lesson for lesson in data.lessons}
    school_name = "" if data.school is None else data.school.short_name
    rows: dict[str, list[Any]] = {name: [] for name in _SCHEMA.names}
    for mark in sorted(data.marks, key=lambda m: (m.date, str(m.subject_id), str(m.student_id))):
        if mark.student_id not in students:
            continue
        lesson = lessons.get(mark.lesson_id) if mark.lesson_id is not None else None
        teacher = mark.author_id if lesson is None else lesson.responsible_teacher_id
        values = (
            school_name,
            found.id,
            found.name,
            mark.student_id,
            students[mark.student_id],
            mark.date,
            mark.subject_id,
            subjects.get(mark.subject_id),
            teacher,
            staff.get(teacher),
            mark.work_type,
            str(mark.value),
            mark.value.score,
            None if mark.weight is None else float(mark.weight),
            mark.lesson_id,
            mark.id,
        )
        for name, value in zip(_SCHEMA.names, values, strict=True):
            rows[name].append(value)
    return pa.table(rows, schema=_SCHEMA)


def class_marks(
    store: Store, school_class: str, *, year: str | None = None, school_id: str | None = None
) -> Any:  # noqa: ANN401 - a pandas DataFrame; pandas ships with the extra, untyped here
    """Return a class's current marks of a year as a pandas DataFrame, one row per mark.

    Only the class's part of the year is read (its students, lessons and marks), so the
    demo store's class takes well under two seconds. Every id has its name beside it: the
    class (``class_name`` «5А»), the student, the subject and the teacher of the lesson (the
    substitute where there was one); ``school_name`` is the school's short name. ``score``
    is the mark as a number (null for «н/а», «осв», «зач»), ``mark`` its written form,
    ``weight`` the mark's own weight (null: the work type's).

    Args:
        store: Any store (``open_store("school.sqlite")``, a memory store).
        school_class: The class: its name (``"5А"``, Latin ``"5A"`` too) or its id.
        year: The academic year (``"2025/2026"``); the newest the store keeps by default.
        school_id: The school, if the store holds several.

    Raises:
        NotFoundError: If the store keeps no such year or the year has no such class.

    >>> from eschool_core import synth
    >>> from eschool_core.storage import MemoryStore
    >>> store = MemoryStore()
    >>> _ = synth.write_to_store(synth.generate("small", seed=1), store)
    >>> marks = class_marks(store, "5А")
    >>> marks[["student_name", "subject_name", "teacher_name"]].notna().all().all()
    np.True_
    >>> str(marks["score"].dtype), marks["class_name"].unique().tolist()
    ('Int64', ['5А'])
    """
    table = class_marks_table(store, school_class, year=year, school_id=school_id)
    return table.to_pandas(types_mapper={pa.int64(): _int64()}.get)


def _int64() -> Any:  # noqa: ANN401 - a pandas dtype
    import pandas as pd  # noqa: PLC0415 - pandas ships with the analytics extra

    return pd.Int64Dtype()
