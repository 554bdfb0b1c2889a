"""The rows of the school's structure: the school, subjects, classes, groups, assignments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
from eschool_core.storage.rows._layout import (
    _D,
    _I,
    _ID,
    _L,
    _T,
    _YEAR,
    Aggregate,
    Row,
    _aggregate,
    _col,
)

__all__ = ["AGGREGATES"]


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


AGGREGATES: tuple[Aggregate, ...] = (
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
)
"""The aggregates of this module, in dependency order."""
