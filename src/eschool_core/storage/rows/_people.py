"""The rows of people: students, guardians, employees, their links and consents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eschool_core.people import (
    Consent,
    Employee,
    Guardian,
    GuardianLink,
    IdentityDocument,
    Person,
    Student,
)
from eschool_core.storage.rows._layout import (
    _D,
    _ID,
    _L,
    _T,
    Aggregate,
    Row,
    _aggregate,
    _col,
)

__all__ = ["AGGREGATES"]


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


AGGREGATES: tuple[Aggregate, ...] = (
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
)
"""The aggregates of this module, in dependency order."""
