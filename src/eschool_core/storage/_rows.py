"""Flat rows of the stored aggregates: one column list and two mapping functions per aggregate.

This is the one place where entities become rows and rows become entities. The SQL store
builds its tables from these column lists and the exchange bundle writes them as CSV
columns, so both share one documented layout. Nested values are flattened (a ``Person``
becomes the ``last_name`` ... ``email`` columns, an ``IdentityDocument`` the ``document_*``
columns, a ``Fraction`` weight ``weight_num``/``weight_den``); variable-length values (mark
edits, individual homework, work types, consent purposes, group members) are lists. An order's
items are child rows (:class:`ChildRows`): their own table and their own CSV file, each row
naming its order and its position in it.
Entities are rebuilt through their keyword constructors, so every validator runs again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from eschool_core.errors import ValidationError
from eschool_core.journal import (
    Attendance,
    AttestationMark,
    IndividualHomework,
    Lesson,
    Mark,
    MarkEdit,
    MarkValue,
)
from eschool_core.movement import Order, OrderItem
from eschool_core.people import (
    Consent,
    Employee,
    Guardian,
    GuardianLink,
    IdentityDocument,
    Person,
    Student,
)
from eschool_core.school import (
    Accreditation,
    ClassMembership,
    Group,
    Licence,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
)

__all__ = ["AGGREGATES", "Aggregate", "ChildRows", "Column", "ColumnType", "Row"]

Row = dict[str, Any]
"""A flat row: column name to a Python value (str, int, date, aware datetime, list) or None."""


class ColumnType(StrEnum):
    """The value type of a column."""

    TEXT = "text"
    """A string."""
    INT = "int"
    """A whole number."""
    DATE = "date"
    """A calendar date (``datetime.date``)."""
    INSTANT = "instant"
    """A timezone-aware moment (``datetime.datetime``)."""
    LIST = "list"
    """A list of strings or of small records (stored as JSON text or in a child table)."""


@attrs.frozen(kw_only=True)
class Column:
    """One column of an aggregate's row.

    Attributes:
        name: The column name.
        type: The value type.
        nullable: Whether the column may be empty (``None``).
        doc: What the column holds.
    """

    name: str
    type: ColumnType
    nullable: bool
    doc: str


def _col(name: str, kind: ColumnType, doc: str, *, null: bool = False) -> Column:
    return Column(name=name, type=kind, nullable=null, doc=doc)


_T, _I, _D, _M, _L = (
    ColumnType.TEXT,
    ColumnType.INT,
    ColumnType.DATE,
    ColumnType.INSTANT,
    ColumnType.LIST,
)


@attrs.frozen(kw_only=True)
class ChildRows:
    """A list of records of an aggregate kept as rows of their own table and file.

    In the aggregate's row the list is under :attr:`field`, one row (a dict of
    :attr:`columns`) per record, in order.

    Attributes:
        name: The table and file name (``"order_items"``).
        field: The key of the list in the aggregate's row (``"items"``).
        parent_column: The column naming the aggregate's id (``"order_id"``).
        columns: The columns: the parent's id, ``position`` (from 0), then the record's.
    """

    name: str
    field: str
    parent_column: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the columns, in order."""
        return tuple(column.name for column in self.columns)


@attrs.frozen(kw_only=True)
class Aggregate:
    """How one aggregate is stored.

    Attributes:
        name: The repository's name in a unit of work (``"marks"``), also the table and file name.
        kind: The entity kind used in error codes (``"mark"``).
        columns: The columns, the id first.
        to_row: Maps an entity to its row.
        from_row: Rebuilds the entity from its row (validators run).
        children: Lists kept as rows of their own tables (an order's items).
        to_values: Maps an entity to its row as a tuple in column order, without building a
            dict (bulk writes of the large aggregates); ``None``: take it from ``to_row``.
    """

    name: str
    kind: str
    columns: tuple[Column, ...]
    to_row: Callable[[Any], Row]
    from_row: Callable[[Mapping[str, Any]], Any]
    children: tuple[ChildRows, ...] = ()
    to_values: Callable[[Any], tuple[Any, ...]] | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the columns, in order."""
        return tuple(column.name for column in self.columns)


# -- nested values ---------------------------------------------------------------------------

_PERSON_COLUMNS = (
    _col("last_name", _T, "Surname."),
    _col("first_name", _T, "Given name."),
    _col("patronymic", _T, "Patronymic.", null=True),
    _col("birth_date", _D, "Date of birth.", null=True),
    _col("sex", _T, "Sex: `m` or `f`.", null=True),
    _col("snils", _T, "СНИЛС, 11 digits (check digits verified).", null=True),
    _col("citizenship", _T, "Citizenship, e.g. `RU`.", null=True),
    _col(
        "document_kind",
        _T,
        "Identity document: `birth_certificate`, `passport`, `foreign_passport`, `other`.",
        null=True,
    ),
    _col("document_number", _T, "Series and number of the document.", null=True),
    _col("document_issued_on", _D, "Date of issue of the document.", null=True),
    _col("document_issued_by", _T, "Issuing authority of the document.", null=True),
    _col("address", _T, "Registration address.", null=True),
    _col("phone", _T, "Contact phone.", null=True),
    _col("email", _T, "Contact e-mail.", null=True),
)


def _person_row(person: Person) -> Row:
    document = person.document
    return {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "patronymic": person.patronymic,
        "birth_date": person.birth_date,
        "sex": None if person.sex is None else person.sex.value,
        "snils": person.snils,
        "citizenship": person.citizenship,
        "document_kind": None if document is None else document.kind.value,
        "document_number": None if document is None else document.number,
        "document_issued_on": None if document is None else document.issued_on,
        "document_issued_by": None if document is None else document.issued_by,
        "address": person.address,
        "phone": person.phone,
        "email": person.email,
    }


def _person(row: Mapping[str, Any]) -> Person:
    document = None
    if row["document_kind"] is not None:
        document = IdentityDocument(
            kind=row["document_kind"],
            number=row["document_number"],
            issued_on=row["document_issued_on"],
            issued_by=row["document_issued_by"],
        )
    return Person(
        last_name=row["last_name"],
        first_name=row["first_name"],
        patronymic=row["patronymic"],
        birth_date=row["birth_date"],
        sex=row["sex"],
        snils=row["snils"],
        citizenship=row["citizenship"],
        document=document,
        address=row["address"],
        phone=row["phone"],
        email=row["email"],
    )


def _edits_row(edits: Sequence[MarkEdit]) -> list[dict[str, Any]]:
    if not edits:
        return []
    return [
        {
            "at": edit.at.isoformat(),
            "by": edit.by,
            "old_value": str(edit.old_value),
            "new_value": str(edit.new_value),
            "reason": edit.reason,
        }
        for edit in edits
    ]


def _edits(items: Sequence[Mapping[str, Any]]) -> tuple[MarkEdit, ...]:
    return tuple(
        MarkEdit(
            at=dt.datetime.fromisoformat(item["at"]),
            by=item["by"],
            old_value=item["old_value"],
            new_value=item["new_value"],
            reason=item.get("reason"),
        )
        for item in items
    )


def _value(text: str) -> MarkValue:
    return MarkValue.parse(text)


def _weight(numerator: int | None, denominator: int | None) -> Fraction | None:
    if numerator is None and denominator is None:
        return None
    if numerator is None or not denominator:
        raise ValidationError(
            "Вес отметки задаётся числителем и ненулевым знаменателем",
            "A mark's weight needs a numerator and a non-zero denominator",
            code="mark.weight_incomplete",
            details={"field": "weight_den" if numerator is not None else "weight_num"},
        )
    return Fraction(numerator, denominator)


# -- the aggregates --------------------------------------------------------------------------


def _school_row(school: School) -> Row:
    licence, accreditation = school.licence, school.accreditation
    return {
        "id": school.id,
        "name": school.name,
        "short_name": school.short_name,
        "district": school.district,
        "region": school.region,
        "time_zone": school.time_zone,
        "week_days": school.week_days,
        "licence_number": None if licence is None else licence.number,
        "licence_issued_on": None if licence is None else licence.issued_on,
        "licence_issued_by": None if licence is None else licence.issued_by,
        "accreditation_number": None if accreditation is None else accreditation.number,
        "accreditation_issued_on": None if accreditation is None else accreditation.issued_on,
        "accreditation_valid_until": None if accreditation is None else accreditation.valid_until,
        "director": school.director,
    }


def _school(row: Mapping[str, Any]) -> School:
    licence = None
    if row["licence_number"] is not None:
        licence = Licence(
            number=row["licence_number"],
            issued_on=row["licence_issued_on"],
            issued_by=row["licence_issued_by"],
        )
    accreditation = None
    if row["accreditation_number"] is not None:
        accreditation = Accreditation(
            number=row["accreditation_number"],
            issued_on=row["accreditation_issued_on"],
            valid_until=row["accreditation_valid_until"],
        )
    return School(
        id=row["id"],
        name=row["name"],
        short_name=row["short_name"],
        district=row["district"],
        region=row["region"],
        time_zone=row["time_zone"],
        week_days=row["week_days"],
        licence=licence,
        accreditation=accreditation,
        director=row["director"],
    )


def _student_row(student: Student) -> Row:
    return {
        "id": student.id,
        **_person_row(student.person),
        "personal_file_number": student.personal_file_number,
    }


def _student(row: Mapping[str, Any]) -> Student:
    return Student(
        id=row["id"],
        person=_person(row),
        personal_file_number=row["personal_file_number"],
    )


def _guardian_row(guardian: Guardian) -> Row:
    return {"id": guardian.id, **_person_row(guardian.person), "work_place": guardian.work_place}


def _guardian(row: Mapping[str, Any]) -> Guardian:
    return Guardian(id=row["id"], person=_person(row), work_place=row["work_place"])


def _employee_row(employee: Employee) -> Row:
    return {
        "id": employee.id,
        **_person_row(employee.person),
        "position": employee.position,
        "status": employee.status.value,
        "hired_on": employee.hired_on,
        "dismissed_on": employee.dismissed_on,
        "education": employee.education,
        "qualification_category": employee.qualification_category,
    }


def _employee(row: Mapping[str, Any]) -> Employee:
    return Employee(
        id=row["id"],
        person=_person(row),
        position=row["position"],
        status=row["status"],
        hired_on=row["hired_on"],
        dismissed_on=row["dismissed_on"],
        education=row["education"],
        qualification_category=row["qualification_category"],
    )


def _subject_row(subject: Subject) -> Row:
    return {
        "id": subject.id,
        "name": subject.name,
        "short_name": subject.short_name,
        "sort_order": subject.order,
    }


def _subject(row: Mapping[str, Any]) -> Subject:
    return Subject(
        id=row["id"], name=row["name"], short_name=row["short_name"], order=row["sort_order"]
    )


def _link_row(link: GuardianLink) -> Row:
    return {
        "id": link.id,
        "guardian_id": link.guardian_id,
        "student_id": link.student_id,
        "kind": link.kind.value,
        "since": link.since,
        "until": link.until,
    }


def _link(row: Mapping[str, Any]) -> GuardianLink:
    return GuardianLink(
        id=row["id"],
        guardian_id=row["guardian_id"],
        student_id=row["student_id"],
        kind=row["kind"],
        since=row["since"],
        until=row["until"],
    )


def _consent_row(consent: Consent) -> Row:
    return {
        "id": consent.id,
        "category": consent.category.value,
        "subject_id": consent.subject_id,
        "given_on": consent.given_on,
        "purposes": sorted(purpose.value for purpose in consent.purposes),
        "given_by": consent.given_by,
        "withdrawn_on": consent.withdrawn_on,
    }


def _consent(row: Mapping[str, Any]) -> Consent:
    return Consent(
        id=row["id"],
        category=row["category"],
        subject_id=row["subject_id"],
        given_on=row["given_on"],
        purposes=row["purposes"],
        given_by=row["given_by"],
        withdrawn_on=row["withdrawn_on"],
    )


def _class_row(school_class: SchoolClass) -> Row:
    return {
        "id": school_class.id,
        "year": school_class.year,
        "parallel": school_class.parallel,
        "letter": school_class.letter,
        "class_teacher_id": school_class.class_teacher_id,
        "shift": school_class.shift,
        "week_days": school_class.week_days,
        "capacity": school_class.capacity,
    }


def _class(row: Mapping[str, Any]) -> SchoolClass:
    return SchoolClass(
        id=row["id"],
        year=row["year"],
        parallel=row["parallel"],
        letter=row["letter"],
        class_teacher_id=row["class_teacher_id"],
        shift=row["shift"],
        week_days=row["week_days"],
        capacity=row["capacity"],
    )


def _membership_row(membership: ClassMembership) -> Row:
    return {
        "id": membership.id,
        "student_id": membership.student_id,
        "class_id": membership.class_id,
        "since": membership.since,
        "until": membership.until,
    }


def _membership(row: Mapping[str, Any]) -> ClassMembership:
    return ClassMembership(
        id=row["id"],
        student_id=row["student_id"],
        class_id=row["class_id"],
        since=row["since"],
        until=row["until"],
    )


def _group_row(group: Group) -> Row:
    return {
        "id": group.id,
        "year": group.year,
        "subject_id": group.subject_id,
        "name": group.name,
        "kind": group.kind.value,
        "level": group.level,
        "class_ids": list(group.class_ids),
        "student_ids": sorted(group.student_ids),
    }


def _group(row: Mapping[str, Any]) -> Group:
    return Group(
        id=row["id"],
        year=row["year"],
        subject_id=row["subject_id"],
        name=row["name"],
        kind=row["kind"],
        level=row["level"],
        class_ids=row["class_ids"],
        student_ids=row["student_ids"],
    )


def _assignment_row(assignment: TeachingAssignment) -> Row:
    return {
        "id": assignment.id,
        "teacher_id": assignment.teacher_id,
        "year": assignment.year,
        "subject_id": assignment.subject_id,
        "class_id": assignment.class_id,
        "group_id": assignment.group_id,
        "since": assignment.since,
        "until": assignment.until,
    }


def _assignment(row: Mapping[str, Any]) -> TeachingAssignment:
    return TeachingAssignment(
        id=row["id"],
        teacher_id=row["teacher_id"],
        year=row["year"],
        subject_id=row["subject_id"],
        class_id=row["class_id"],
        group_id=row["group_id"],
        since=row["since"],
        until=row["until"],
    )


def _lesson_row(lesson: Lesson) -> Row:
    return {
        "id": lesson.id,
        "date": lesson.date,
        "number": lesson.number,
        "subject_id": lesson.subject_id,
        "teacher_id": lesson.teacher_id,
        "class_id": lesson.class_id,
        "group_id": lesson.group_id,
        "substitute_id": lesson.substitute_id,
        "topic": lesson.topic,
        "material": lesson.material,
        "work_types": list(lesson.work_types),
        "homework": lesson.homework,
        "individual_homework": [
            {"student_id": item.student_id, "text": item.text}
            for item in lesson.individual_homework
        ],
        "state": lesson.state.value,
        "topic_entered_at": lesson.topic_entered_at,
        "homework_entered_at": lesson.homework_entered_at,
        "substitute_entered_at": lesson.substitute_entered_at,
        "cancelled_at": lesson.cancelled_at,
        "late_reason": lesson.late_reason,
    }


def _lesson(row: Mapping[str, Any]) -> Lesson:
    return Lesson(
        id=row["id"],
        date=row["date"],
        number=row["number"],
        subject_id=row["subject_id"],
        teacher_id=row["teacher_id"],
        class_id=row["class_id"],
        group_id=row["group_id"],
        substitute_id=row["substitute_id"],
        topic=row["topic"],
        material=row["material"],
        work_types=row["work_types"],
        homework=row["homework"],
        individual_homework=[
            IndividualHomework(student_id=item["student_id"], text=item["text"])
            for item in row["individual_homework"]
        ],
        state=row["state"],
        topic_entered_at=row["topic_entered_at"],
        homework_entered_at=row["homework_entered_at"],
        substitute_entered_at=row["substitute_entered_at"],
        cancelled_at=row["cancelled_at"],
        late_reason=row["late_reason"],
    )


def _mark_values(mark: Mark) -> tuple[Any, ...]:
    weight = mark.weight
    return (
        mark.id,
        mark.student_id,
        mark.subject_id,
        mark.date,
        mark.lesson_id,
        str(mark.value),
        mark.work_type,
        None if weight is None else weight.numerator,
        None if weight is None else weight.denominator,
        mark.author_id,
        mark.entered_at,
        mark.late_reason,
        _edits_row(mark.edits),
    )


def _mark(row: Mapping[str, Any]) -> Mark:
    return Mark(
        id=row["id"],
        student_id=row["student_id"],
        subject_id=row["subject_id"],
        date=row["date"],
        lesson_id=row["lesson_id"],
        value=_value(row["value"]),
        work_type=row["work_type"],
        weight=_weight(row["weight_num"], row["weight_den"]),
        author_id=row["author_id"],
        entered_at=row["entered_at"],
        late_reason=row["late_reason"],
        edits=_edits(row["edits"]),
    )


def _attendance_values(record: Attendance) -> tuple[Any, ...]:
    return (
        record.id,
        record.student_id,
        record.lesson_id,
        record.date,
        record.kind.value,
        record.reason.value,
        record.entered_by,
        record.entered_at,
        record.document_presented_on,
        record.reason_corrected_at,
        record.late_reason,
    )


def _attendance(row: Mapping[str, Any]) -> Attendance:
    return Attendance(
        id=row["id"],
        student_id=row["student_id"],
        lesson_id=row["lesson_id"],
        date=row["date"],
        kind=row["kind"],
        reason=row["reason"],
        entered_by=row["entered_by"],
        entered_at=row["entered_at"],
        document_presented_on=row["document_presented_on"],
        reason_corrected_at=row["reason_corrected_at"],
        late_reason=row["late_reason"],
    )


def _attestation_row(mark: AttestationMark) -> Row:
    return {
        "id": mark.id,
        "student_id": mark.student_id,
        "subject_id": mark.subject_id,
        "year": mark.year,
        "kind": mark.kind.value,
        "period": mark.period,
        "value": str(mark.value),
        "author_id": mark.author_id,
        "entered_at": mark.entered_at,
        "edits": _edits_row(mark.edits),
    }


def _attestation(row: Mapping[str, Any]) -> AttestationMark:
    return AttestationMark(
        id=row["id"],
        student_id=row["student_id"],
        subject_id=row["subject_id"],
        year=row["year"],
        kind=row["kind"],
        period=row["period"],
        value=_value(row["value"]),
        author_id=row["author_id"],
        entered_at=row["entered_at"],
        edits=_edits(row["edits"]),
    )


def _order_row(order: Order) -> Row:
    return {
        "id": order.id,
        "number": order.number,
        "kind": order.kind.value,
        "issued_on": order.issued_on,
        "entered_at": order.entered_at,
        "author_id": order.author_id,
        "year": order.year,
        "items": [
            {
                "order_id": order.id,
                "position": position,
                "student_id": item.student_id,
                "class_id": item.class_id,
                "destination": item.destination,
                "subjects": list(item.subjects),
                "education_form": None
                if item.education_form is None
                else item.education_form.value,
                "parallel": item.parallel,
                "repaid_on": item.repaid_on,
            }
            for position, item in enumerate(order.items)
        ],
    }


def _order(row: Mapping[str, Any]) -> Order:
    return Order(
        id=row["id"],
        number=row["number"],
        kind=row["kind"],
        issued_on=row["issued_on"],
        entered_at=row["entered_at"],
        author_id=row["author_id"],
        year=row["year"],
        items=[
            OrderItem(
                student_id=item["student_id"],
                class_id=item["class_id"],
                destination=item["destination"],
                subjects=item["subjects"],
                education_form=item["education_form"],
                parallel=item["parallel"],
                repaid_on=item["repaid_on"],
            )
            for item in sorted(row["items"], key=lambda item: int(item["position"]))
        ],
    )


_ORDER_ITEMS = ChildRows(
    name="order_items",
    field="items",
    parent_column="order_id",
    columns=(
        _col("order_id", _T, "The order (orders.csv)."),
        _col("position", _I, "Position of the item in the order, from 0."),
        _col("student_id", _T, "The student."),
        _col("class_id", _T, "The class the student goes to (enrollment, transfer).", null=True),
        _col("destination", _T, "Where the student goes (withdrawal, detachment).", null=True),
        _col(
            "subjects",
            _L,
            "Subject ids of academic debts, in order (conditional promotion, repayment).",
        ),
        _col("education_form", _T, "`family` or `self` (attachment).", null=True),
        _col("parallel", _I, "Grade 1-11 of an attached student's attestation.", null=True),
        _col("repaid_on", _D, "Day a debt was repaid (repayment).", null=True),
    ),
)

_ID = _col("id", _T, "The entity's id (unique in the file).")
_YEAR = _col("year", _T, "Academic year, `2025/2026`.")
_EDITS = _col(
    "edits",
    _L,
    "Corrections, oldest first: objects with `at` (ISO 8601 moment with offset), `by` "
    "(employee id), `old_value`, `new_value` (written marks) and `reason` (or null).",
)
_MARK_VALUE = _col("value", _T, "The mark as written: `1`-`5`, `н/а`, `осв`, `зач`, `незач`.")


_MARK_COLUMNS = (
    _ID,
    _col("student_id", _T, "The student."),
    _col("subject_id", _T, "The subject."),
    _col("date", _D, "Day of the lesson the mark is for."),
    _col("lesson_id", _T, "The lesson.", null=True),
    _MARK_VALUE,
    _col("work_type", _T, "Work type code of the profile."),
    _col("weight_num", _I, "Own weight, numerator (with weight_den).", null=True),
    _col("weight_den", _I, "Own weight, denominator.", null=True),
    _col("author_id", _T, "The teacher who entered it."),
    _col("entered_at", _M, "When it was entered."),
    _col("late_reason", _T, "Valid reason for a late entry.", null=True),
    _EDITS,
)
_ATTENDANCE_COLUMNS = (
    _ID,
    _col("student_id", _T, "The student."),
    _col("lesson_id", _T, "The lesson."),
    _col("date", _D, "Day of the lesson."),
    _col("kind", _T, "`absent` or `late`."),
    _col("reason", _T, "`illness`, `valid`, `unexcused` or `unknown`."),
    _col("entered_by", _T, "Who entered it."),
    _col("entered_at", _M, "When it was entered."),
    _col("document_presented_on", _D, "Day a document was shown.", null=True),
    _col("reason_corrected_at", _M, "When the reason was corrected.", null=True),
    _col("late_reason", _T, "Valid reason for a late entry.", null=True),
)


def _zipped(
    columns: tuple[Column, ...], to_values: Callable[[Any], tuple[Any, ...]]
) -> Callable[[Any], Row]:
    names = tuple(column.name for column in columns)

    def to_row(entity: Any) -> Row:  # noqa: ANN401 - an entity of the aggregate
        return dict(zip(names, to_values(entity), strict=True))

    return to_row


def _aggregate(
    name: str,
    kind: str,
    columns: tuple[Column, ...],
    to_row: Callable[[Any], Row],
    from_row: Callable[[Mapping[str, Any]], Any],
    *children: ChildRows,
    to_values: Callable[[Any], tuple[Any, ...]] | None = None,
) -> Aggregate:
    return Aggregate(
        name=name,
        kind=kind,
        columns=columns,
        to_row=to_row,
        from_row=from_row,
        children=children,
        to_values=to_values,
    )


AGGREGATES: Mapping[str, Aggregate] = MappingProxyType(
    {
        aggregate.name: aggregate
        for aggregate in (
            _aggregate(
                "schools",
                "school",
                (
                    _ID,
                    _col("name", _T, "Full official name."),
                    _col("short_name", _T, "Short name.", null=True),
                    _col("district", _T, "Municipal district.", null=True),
                    _col("region", _T, "Region.", null=True),
                    _col("time_zone", _T, "IANA time zone, e.g. `Europe/Moscow`."),
                    _col("week_days", _I, "School week: 5 or 6 days."),
                    _col("licence_number", _T, "Licence number.", null=True),
                    _col("licence_issued_on", _D, "Licence date of issue.", null=True),
                    _col("licence_issued_by", _T, "Licensing authority.", null=True),
                    _col("accreditation_number", _T, "Accreditation number.", null=True),
                    _col("accreditation_issued_on", _D, "Accreditation date.", null=True),
                    _col("accreditation_valid_until", _D, "Accreditation end.", null=True),
                    _col("director", _T, "Director's name.", null=True),
                ),
                _school_row,
                _school,
            ),
            _aggregate(
                "employees",
                "employee",
                (
                    _ID,
                    *_PERSON_COLUMNS,
                    _col("position", _T, "Position, e.g. `учитель`."),
                    _col("status", _T, "`active` or `dismissed`."),
                    _col("hired_on", _D, "Date of hiring.", null=True),
                    _col("dismissed_on", _D, "Date of dismissal (dismissed only).", null=True),
                    _col("education", _T, "Education.", null=True),
                    _col("qualification_category", _T, "Qualification category.", null=True),
                ),
                _employee_row,
                _employee,
            ),
            _aggregate(
                "students",
                "student",
                (
                    _ID,
                    *_PERSON_COLUMNS,
                    _col("personal_file_number", _T, "Personal file number.", null=True),
                ),
                _student_row,
                _student,
            ),
            _aggregate(
                "guardians",
                "guardian",
                (_ID, *_PERSON_COLUMNS, _col("work_place", _T, "Place of work.", null=True)),
                _guardian_row,
                _guardian,
            ),
            _aggregate(
                "subjects",
                "subject",
                (
                    _ID,
                    _col("name", _T, "Full name."),
                    _col("short_name", _T, "Abbreviation.", null=True),
                    _col("sort_order", _I, "Position in the journal and reports (0-10000)."),
                ),
                _subject_row,
                _subject,
            ),
            _aggregate(
                "guardian_links",
                "guardian_link",
                (
                    _ID,
                    _col("guardian_id", _T, "The guardian (guardians.csv)."),
                    _col("student_id", _T, "The student (students.csv)."),
                    _col("kind", _T, "`mother`, `father` or `legal_guardian`."),
                    _col("since", _D, "First day of the link.", null=True),
                    _col("until", _D, "Last day of the link.", null=True),
                ),
                _link_row,
                _link,
            ),
            _aggregate(
                "consents",
                "consent",
                (
                    _ID,
                    _col("category", _T, "`student`, `guardian` or `employee`."),
                    _col("subject_id", _T, "Id of the person whose data it covers."),
                    _col("given_on", _D, "Date signed."),
                    _col(
                        "purposes",
                        _L,
                        "Purposes: `journal`, `personal_file`, `state_systems`, `publication`.",
                    ),
                    _col("given_by", _T, "Guardian who signed for a minor.", null=True),
                    _col("withdrawn_on", _D, "Date withdrawn.", null=True),
                ),
                _consent_row,
                _consent,
            ),
            _aggregate(
                "classes",
                "class",
                (
                    _ID,
                    _YEAR,
                    _col("parallel", _I, "Grade 1-11."),
                    _col("letter", _T, "Letter(s), upper case, e.g. `А`."),
                    _col("class_teacher_id", _T, "Class teacher (employees.csv).", null=True),
                    _col("shift", _I, "Shift 1 or 2."),
                    _col("week_days", _I, "5 or 6; empty: the school's.", null=True),
                    _col("capacity", _I, "Most students (1-60).", null=True),
                ),
                _class_row,
                _class,
            ),
            _aggregate(
                "memberships",
                "membership",
                (
                    _ID,
                    _col("student_id", _T, "The student."),
                    _col("class_id", _T, "The class."),
                    _col("since", _D, "First day in the class."),
                    _col("until", _D, "Last day in the class.", null=True),
                ),
                _membership_row,
                _membership,
            ),
            _aggregate(
                "groups",
                "group",
                (
                    _ID,
                    _YEAR,
                    _col("subject_id", _T, "The subject."),
                    _col("name", _T, "Name of the group."),
                    _col("kind", _T, "`subgroup` or `cross_class`."),
                    _col("level", _T, "Mastery level (ИУП).", null=True),
                    _col("class_ids", _L, "Ids of the classes, in order (one for a subgroup)."),
                    _col("student_ids", _L, "Ids of the students, sorted."),
                ),
                _group_row,
                _group,
            ),
            _aggregate(
                "assignments",
                "assignment",
                (
                    _ID,
                    _col("teacher_id", _T, "The teacher."),
                    _YEAR,
                    _col("subject_id", _T, "The subject."),
                    _col("class_id", _T, "The class (or a group).", null=True),
                    _col("group_id", _T, "The group (or a class).", null=True),
                    _col("since", _D, "First day.", null=True),
                    _col("until", _D, "Last day.", null=True),
                ),
                _assignment_row,
                _assignment,
            ),
            _aggregate(
                "lessons",
                "lesson",
                (
                    _ID,
                    _col("date", _D, "Day of the lesson."),
                    _col("number", _I, "Number in the day, 1-12."),
                    _col("subject_id", _T, "The subject."),
                    _col("teacher_id", _T, "The timetable's teacher."),
                    _col("class_id", _T, "The class (or a group).", null=True),
                    _col("group_id", _T, "The group (or a class).", null=True),
                    _col("substitute_id", _T, "The substituting teacher.", null=True),
                    _col("topic", _T, "Topic.", null=True),
                    _col("material", _T, "Material covered.", null=True),
                    _col("work_types", _L, "Codes of the work types done."),
                    _col("homework", _T, "General homework.", null=True),
                    _col(
                        "individual_homework",
                        _L,
                        "Objects with `student_id` and `text`.",
                    ),
                    _col("state", _T, "`held` or `cancelled`."),
                    _col("topic_entered_at", _M, "When the topic was entered.", null=True),
                    _col("homework_entered_at", _M, "When homework was entered.", null=True),
                    _col(
                        "substitute_entered_at", _M, "When the substitution was entered.", null=True
                    ),
                    _col("cancelled_at", _M, "When the cancellation was entered.", null=True),
                    _col("late_reason", _T, "Valid reason for late entries.", null=True),
                ),
                _lesson_row,
                _lesson,
            ),
            _aggregate(
                "marks",
                "mark",
                _MARK_COLUMNS,
                _zipped(_MARK_COLUMNS, _mark_values),
                _mark,
                to_values=_mark_values,
            ),
            _aggregate(
                "attendance",
                "attendance",
                _ATTENDANCE_COLUMNS,
                _zipped(_ATTENDANCE_COLUMNS, _attendance_values),
                _attendance,
                to_values=_attendance_values,
            ),
            _aggregate(
                "attestation_marks",
                "attestation_mark",
                (
                    _ID,
                    _col("student_id", _T, "The student."),
                    _col("subject_id", _T, "The subject."),
                    _YEAR,
                    _col("kind", _T, "`period`, `annual`, `exam` or `final`."),
                    _col("period", _T, "Study period code (period marks only).", null=True),
                    _MARK_VALUE,
                    _col("author_id", _T, "Who set it."),
                    _col("entered_at", _M, "When it was set."),
                    _EDITS,
                ),
                _attestation_row,
                _attestation,
            ),
            _aggregate(
                "orders",
                "order",
                (
                    _ID,
                    _col("number", _T, "Number as printed (unique within a year)."),
                    _col("kind", _T, "Order kind, e.g. `enrollment`, `transfer`, `withdrawal`."),
                    _col("issued_on", _D, "Date of issue."),
                    _col("entered_at", _M, "When it was entered into the movement book."),
                    _col("author_id", _T, "The employee who entered it."),
                    _YEAR,
                ),
                _order_row,
                _order,
                _ORDER_ITEMS,
            ),
        )
    }
)
"""Every stored aggregate, in an order where each refers only to those before it."""
