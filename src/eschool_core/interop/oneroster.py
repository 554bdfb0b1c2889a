"""OneRoster 1.2 CSV (the 1EdTech bulk CSV binding): rosters and period results in and out.

:func:`export_oneroster` writes one academic year of a store as a OneRoster folder or zip:
the school (``orgs.csv``), the year and its study periods (``academicSessions.csv``), the
subjects (``courses.csv``), the classes, subgroups and class-subject sections
(``classes.csv``), students, guardians and staff (``users.csv``, ``roles.csv``), who is in
which class (``enrollments.csv``) and the attestation marks (``categories.csv``,
``lineItems.csv``, ``results.csv``); birth dates and sex (``demographics.csv``) only on
request. :func:`check_oneroster` checks any OneRoster folder against the binding's required
columns, value sets, date and boolean formats and links; :func:`import_oneroster` reads one
back into a store, all or nothing. ``docs/oneroster.md`` gives the mapping.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eschool_core.calendar import AcademicYear, PeriodCode
from eschool_core.errors import EschoolError, ValidationError
from eschool_core.ids import (
    AssignmentId,
    AttestationMarkId,
    ClassId,
    EmployeeId,
    GroupId,
    GuardianId,
    GuardianLinkId,
    MembershipId,
    SchoolId,
    StudentId,
    SubjectId,
)
from eschool_core.interop._files import (
    Table,
    check_tables,
    format_moment,
    parse_date,
    parse_moment,
    problem,
    read_texts,
    render,
    split_list,
    write_files,
)
from eschool_core.interop._spec import BINDING_FILES, MANIFEST_FILE, SPECS
from eschool_core.journal import AttestationKind, AttestationMark, MarkKind, MarkValue
from eschool_core.people import (
    Employee,
    EmployeeStatus,
    Guardian,
    GuardianKind,
    GuardianLink,
    Person,
    Sex,
    Student,
)
from eschool_core.profiles import Profile, default_profile
from eschool_core.rbac import Role
from eschool_core.school import (
    ClassMembership,
    Group,
    GroupKind,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from eschool_core.storage import Store, loading_unit_of_work
from eschool_core.storage.bundle import BundleProblem
from eschool_core.year_data import SchoolYearData, YearScope, no_school

__all__ = [
    "HOMEROOM_COURSE",
    "ONEROSTER_VERSION",
    "OneRosterError",
    "check_oneroster",
    "export_oneroster",
    "import_oneroster",
]

ONEROSTER_VERSION = "1.2"
"""The OneRoster version written to and required of ``manifest.csv``."""
HOMEROOM_COURSE = "homeroom"
"""The ``sourcedId`` of the course every homeroom class (a Russian class) belongs to."""

_META = "metadata.eschool."
_POSITION = f"{_META}position"
_RELATION = f"{_META}relation"
_PERIOD = f"{_META}periodCode"
_GROUP_KIND = f"{_META}groupKind"
_HOMEROOMS = f"{_META}classSourcedIds"
_AUTHOR = f"{_META}authorSourcedId"
_TIME_ZONE = f"{_META}timeZone"
_EXTRA: Mapping[str, tuple[str, ...]] = {
    "users.csv": (_POSITION, _RELATION),
    "academicSessions.csv": (_PERIOD,),
    "classes.csv": (_GROUP_KIND, _HOMEROOMS),
    "results.csv": (_AUTHOR,),
    "orgs.csv": (_TIME_ZONE,),
}
_KIND_TITLES = {
    AttestationKind.PERIOD: "Отметка за период",
    AttestationKind.ANNUAL: "Годовая отметка",
    AttestationKind.EXAM: "Экзаменационная отметка",
    AttestationKind.FINAL: "Итоговая отметка",
}
_SPECIAL = {
    MarkKind.NOT_ATTESTED: ("not submitted", "не аттестован (н/а)"),
    MarkKind.EXEMPT: ("exempt", "освобождён (осв)"),
    MarkKind.PASS: ("fully graded", "зачёт (зач)"),
    MarkKind.FAIL: ("fully graded", "незачёт (незач)"),
}
_IMPORT_ORDER = (
    "schools",
    "subjects",
    "employees",
    "students",
    "guardians",
    "guardian_links",
    "classes",
    "memberships",
    "groups",
    "assignments",
    "attestation_marks",
)
_ONEROSTER_ROLE = {
    Role.DIRECTOR: "principal",
    Role.TEACHER: "teacher",
    Role.DISTRICT_COORDINATOR: "districtAdministrator",
    Role.REGIONAL_COORDINATOR: "districtAdministrator",
}
_STAFF_ROLES = frozenset({"teacher", "principal", "siteAdministrator", "districtAdministrator"})
_DEFAULT_POSITION = {
    "teacher": "учитель",
    "principal": "директор",
    "siteAdministrator": "администратор",
    "districtAdministrator": "координатор",
}


class OneRosterError(ValidationError):
    """A OneRoster set cannot be imported; :attr:`problems` lists every problem found.

    Attributes:
        problems: Every problem as file, line (1 is the header, 0 the file as a whole),
            column and reason, in file and line order.
    """

    default_code = "oneroster.invalid"

    def __init__(self, problems: Sequence[BundleProblem]) -> None:
        ordered = sorted(problems, key=lambda p: (p.file, p.line, p.column))
        shown_en = "\n".join(str(p) for p in ordered[:20])
        shown_ru = "\n".join(f"{p.where}: {p.message.ru}" for p in ordered[:20])
        more = f"\n... (+{len(ordered) - 20})" if len(ordered) > 20 else ""
        super().__init__(
            f"Файлы OneRoster не импортированы: ошибок {len(ordered)}\n{shown_ru}{more}",
            f"The OneRoster files were not imported: {len(ordered)} problems\n{shown_en}{more}",
            code="oneroster.invalid",
            details={"problems": [str(p) for p in ordered]},
        )
        self.problems = tuple(ordered)


# -- export ----------------------------------------------------------------------------------------


def _grade(parallel: int) -> str:
    return f"{parallel:02d}"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class _Files:
    """The rows of every file being written, keyed by column name."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, object]]] = {name: [] for name in SPECS}

    def add(self, file: str, **cells: object) -> None:
        self.rows[file].append(cells)

    def render(self, demographics: bool) -> dict[str, str]:
        files: dict[str, str] = {}
        for name, spec in SPECS.items():
            if name == "demographics.csv" and not demographics:
                continue
            header = spec.columns + _EXTRA.get(name, ())
            rows = sorted(self.rows[name], key=lambda row: str(row["sourcedId"]))
            repeated = next(
                (
                    first["sourcedId"]
                    for first, second in itertools.pairwise(rows)
                    if first["sourcedId"] == second["sourcedId"]
                ),
                None,
            )
            if repeated is not None:
                raise _export_error(
                    f"{name}: два объекта с идентификатором «{repeated}»",
                    f"{name}: two objects share the sourcedId '{repeated}'",
                    "duplicate_id",
                    file=name,
                    id=str(repeated),
                )
            files[name] = render(
                header, [[_cell(row.get(column)) for column in header] for row in rows]
            )
        return files


def _staff_role(position: str) -> str:
    text = position.casefold()
    if "учител" in text:
        return "teacher"
    if text == "директор":
        return "principal"
    return "siteAdministrator"


def _sessions(year: AcademicYear, files: _Files) -> tuple[str, dict[tuple[int, str], str]]:
    label = year.label
    year_id = f"{label.first}-{label.second}"
    files.add(
        "academicSessions.csv",
        sourcedId=year_id,
        title=f"{label} учебный год",
        type="schoolYear",
        startDate=year.first_day,
        endDate=year.last_day,
        schoolYear=label.second,
    )
    spans: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for parallel in sorted(year.parallels):
        for period in year.periods(parallel):
            if (period.start, period.end) not in spans[period.code.value]:
                spans[period.code.value].append((period.start, period.end))
    ids: dict[tuple[str, dt.date, dt.date], str] = {}
    for code, found in spans.items():
        for index, (start, end) in enumerate(found):
            session_id = f"{year_id}-{code}" + (f"-{index + 1}" if len(found) > 1 else "")
            ids[(code, start, end)] = session_id
            files.add(
                "academicSessions.csv",
                sourcedId=session_id,
                title=PeriodCode(code).name_ru,
                type="gradingPeriod",
                startDate=start,
                endDate=end,
                parentSourcedId=year_id,
                schoolYear=label.second,
                **{_PERIOD: code},
            )
    by_parallel = {
        (parallel, period.code.value): ids[(period.code.value, period.start, period.end)]
        for parallel in year.parallels
        for period in year.periods(parallel)
    }
    return year_id, by_parallel


def _export_error(ru: str, en: str, code: str, **details: object) -> ValidationError:
    return ValidationError(ru, en, code=f"oneroster.{code}", details=details)


def export_oneroster(
    store: Store,
    target: str | Path,
    *,
    year: AcademicYear,
    demographics: bool = False,
    system_name: str = "eschool_core",
    staff_roles: Mapping[str, Role] | None = None,
    school_id: str | None = None,
) -> dict[str, int]:
    """Write one academic year of ``store`` as OneRoster 1.2 CSV files (bulk).

    The year is read as one :class:`~eschool_core.year_data.SchoolYearData` (its rosters and
    attestation marks; not the dated lessons, marks and attendance, which OneRoster does not
    carry), the school chosen as every reader chooses it
    (:func:`~eschool_core.year_data.choose_school`).

    Args:
        store: The store to read.
        target: The folder (created) or the ``.zip`` file to write.
        year: The academic year whose classes, groups, teaching assignments and attestation
            marks are written; its study periods become the grading periods.
        demographics: Whether to write ``demographics.csv`` (birth date and sex). Off by
            default: the data are personal (152-FZ) and a roster does not need them.
        system_name: The ``source.systemName`` of the manifest.
        staff_roles: The role (:class:`~eschool_core.rbac.Role`) of staff by employee id,
            as the host's accounts give them: director → ``principal``, teacher →
            ``teacher``, coordinators → ``districtAdministrator``, other staff roles →
            ``siteAdministrator``. Staff not named are judged by their position.
        school_id: The school, required if the store holds several.

    Returns:
        The number of data rows written per file.

    Raises:
        NotFoundError: If the store holds no school (``store.no_school``) or not the one
            named (``school.not_found``).
        ValidationError: If the store holds several schools and none is named
            (``store.school_required``), two users or two classes would share a
            ``sourcedId`` (``oneroster.duplicate_id``), or a mark's student has no class of
            the year or its period is not a period of the year (``oneroster.unplaced_mark``).
    """
    files = _Files()
    data = SchoolYearData.from_store(
        store, year, school_id=school_id, scope=YearScope(planning=False, dated=False)
    )
    school = data.school
    if school is None:
        raise no_school()
    classes = sorted(data.classes, key=lambda c: c.id)
    memberships = list(data.memberships)
    groups = sorted(data.groups, key=lambda g: g.id)
    assignments = list(data.assignments)
    marks = list(data.attestation_marks)
    students = data.students
    guardians = data.guardians
    links = data.guardian_links
    employees = data.employees
    subjects = {s.id: s for s in data.subjects}
    year_id, period_sessions = _sessions(year, files)
    files.add(
        "orgs.csv",
        sourcedId=school.id,
        name=school.name,
        type="school",
        **{_TIME_ZONE: school.time_zone},
    )
    _courses(files, school, subjects.values())
    _users(
        files,
        school=school,
        students=students,
        guardians=guardians,
        links=links,
        employees=employees,
        classes=classes,
        memberships=memberships,
        staff_roles=staff_roles or {},
    )
    if demographics:
        for person_id, person in sorted(
            [(s.id, s.person) for s in students]
            + [(g.id, g.person) for g in guardians]
            + [(e.id, e.person) for e in employees]
        ):
            if person.birth_date is not None or person.sex is not None:
                files.add(
                    "demographics.csv",
                    sourcedId=person_id,
                    birthDate=person.birth_date,
                    sex={Sex.MALE: "male", Sex.FEMALE: "female"}.get(person.sex)
                    if person.sex
                    else None,
                )
    class_by_id = {c.id: c for c in classes}
    sections = _Sections(year_id, class_by_id, groups, memberships, subjects)
    for assignment in assignments:
        if assignment.class_id is not None and assignment.class_id in class_by_id:
            sections.section(assignment.class_id, assignment.subject_id)
    placed = [(mark, sections.place(mark, year, period_sessions)) for mark in marks]
    _classes(files, school, classes, groups, sections)
    _enrollments(
        files,
        school=school,
        classes=classes,
        memberships=memberships,
        groups=groups,
        assignments=assignments,
        sections=sections,
    )
    _results(files, placed, subjects, school)
    rendered = files.render(demographics)
    manifest = [
        ("manifest.version", "1.0"),
        ("oneroster.version", ONEROSTER_VERSION),
        *(
            (f"file.{name}", "bulk" if f"{name}.csv" in rendered else "absent")
            for name in BINDING_FILES
        ),
        ("source.systemName", system_name),
        ("source.systemCode", ""),
    ]
    rendered[MANIFEST_FILE] = render(("propertyName", "value"), manifest)
    write_files(Path(target), rendered)
    return {name: len(files.rows[name]) for name in SPECS if name in rendered}


def _courses(files: _Files, school: School, subjects: Any) -> None:  # noqa: ANN401
    files.add(
        "courses.csv",
        sourcedId=HOMEROOM_COURSE,
        title="Класс (классное руководство)",
        courseCode=HOMEROOM_COURSE,
        orgSourcedId=school.id,
    )
    for subject in subjects:
        if subject.id == HOMEROOM_COURSE:
            raise _export_error(
                f"Предмет не может иметь идентификатор «{HOMEROOM_COURSE}»",
                f"A subject cannot have the id '{HOMEROOM_COURSE}'",
                "duplicate_id",
                id=subject.id,
            )
        files.add(
            "courses.csv",
            sourcedId=subject.id,
            title=subject.name,
            courseCode=subject.short_name,
            orgSourcedId=school.id,
        )


def _users(
    files: _Files,
    *,
    school: School,
    students: Sequence[Student],
    guardians: Sequence[Guardian],
    links: Sequence[GuardianLink],
    employees: Sequence[Employee],
    classes: Sequence[SchoolClass],
    memberships: Sequence[ClassMembership],
    staff_roles: Mapping[str, Role],
) -> None:
    parallel = {c.id: c.parallel for c in classes}
    latest: dict[str, ClassMembership] = {}
    for membership in sorted(memberships, key=lambda m: (m.since, m.id)):
        latest[membership.student_id] = membership
    agents: dict[str, list[str]] = defaultdict(list)
    relation: dict[str, GuardianKind] = {}
    for link in sorted(links, key=lambda link: (link.student_id, link.guardian_id)):
        agents[link.student_id].append(link.guardian_id)
        agents[link.guardian_id].append(link.student_id)
        relation.setdefault(link.guardian_id, link.kind)
    seen: set[str] = set()

    def user(person_id: str, person: Person, role: str, **extra: object) -> None:
        if person_id in seen:
            raise _export_error(
                f"Два пользователя с идентификатором «{person_id}»",
                f"Two users share the id '{person_id}'",
                "duplicate_id",
                id=person_id,
            )
        seen.add(person_id)
        begin, end = extra.pop("begin", None), extra.pop("end", None)
        files.add(
            "users.csv",
            sourcedId=person_id,
            enabledUser=extra.pop("enabled", True),
            username=person_id,
            givenName=person.first_name,
            familyName=person.last_name,
            middleName=person.patronymic,
            agentSourcedIds=",".join(sorted(set(agents.get(person_id, [])))),
            primaryOrgSourcedId=school.id,
            **extra,
        )
        files.add(
            "roles.csv",
            sourcedId=f"{person_id}-role",
            userSourcedId=person_id,
            roleType="primary",
            role=role,
            beginDate=begin,
            endDate=end,
            orgSourcedId=school.id,
        )

    for student in students:
        current = latest.get(student.id)
        grade = _grade(parallel[current.class_id]) if current is not None else None
        user(student.id, student.person, "student", grades=grade)
    for guardian in guardians:
        kind = relation.get(guardian.id)
        role = "guardian" if kind is GuardianKind.LEGAL_GUARDIAN else "parent"
        user(guardian.id, guardian.person, role, **{_RELATION: kind.value if kind else None})
    for employee in employees:
        user(
            employee.id,
            employee.person,
            _ONEROSTER_ROLE.get(staff_roles[employee.id], "siteAdministrator")
            if employee.id in staff_roles
            else _staff_role(employee.position),
            enabled=employee.status is EmployeeStatus.ACTIVE,
            begin=employee.hired_on,
            end=employee.dismissed_on,
            **{_POSITION: employee.position},
        )


class _Sections:
    """The scheduled classes: one per class and subject taught to the whole class, one per group."""

    def __init__(
        self,
        year_id: str,
        classes: Mapping[ClassId, SchoolClass],
        groups: Sequence[Group],
        memberships: Sequence[ClassMembership],
        subjects: Mapping[SubjectId, Subject],
    ) -> None:
        self.year_id = year_id
        self.classes = classes
        self.subjects = subjects
        self.keys: dict[tuple[ClassId, SubjectId], str] = {}
        self.group_of = {(s, g.subject_id): g.id for g in groups for s in g.student_ids}
        self.by_student: dict[str, list[ClassMembership]] = defaultdict(list)
        for membership in sorted(memberships, key=lambda m: (m.since, m.id)):
            self.by_student[membership.student_id].append(membership)

    def section(self, class_id: ClassId, subject_id: SubjectId) -> str:
        return self.keys.setdefault((class_id, subject_id), f"{class_id}-{subject_id}")

    def place(
        self,
        mark: AttestationMark,
        year: AcademicYear,
        sessions: Mapping[tuple[int, str], str],
    ) -> tuple[str, str]:
        """Return the scheduled class and the session of a mark."""
        held = self.by_student.get(mark.student_id, [])
        if not held:
            raise _export_error(
                f"Отметка {mark.id}: у ученика нет класса в {year.label} году",
                f"Mark {mark.id}: the student has no class in {year.label}",
                "unplaced_mark",
                id=mark.id,
            )
        membership = held[-1]
        parallel = self.classes[membership.class_id].parallel
        session = f"{year.label.first}-{year.label.second}"
        if mark.kind is AttestationKind.PERIOD:
            period = next((p for p in year.periods(parallel) if p.code.value == mark.period), None)
            if period is None:
                raise _export_error(
                    f"Отметка {mark.id}: у {parallel} параллели нет периода {mark.period}",
                    f"Mark {mark.id}: parallel {parallel} has no period {mark.period}",
                    "unplaced_mark",
                    id=mark.id,
                )
            membership = next((m for m in held if m.holds_on(period.end)), membership)
            session = sessions[(parallel, period.code.value)]
        group = self.group_of.get((mark.student_id, mark.subject_id))
        section = group or self.section(membership.class_id, mark.subject_id)
        return section, session


def _classes(
    files: _Files,
    school: School,
    classes: Sequence[SchoolClass],
    groups: Sequence[Group],
    sections: _Sections,
) -> None:
    seen: set[str] = set()

    def add(class_id: str, **cells: object) -> None:
        if class_id in seen:
            raise _export_error(
                f"Два класса OneRoster с идентификатором «{class_id}»",
                f"Two OneRoster classes share the id '{class_id}'",
                "duplicate_id",
                id=class_id,
            )
        seen.add(class_id)
        files.add(
            "classes.csv",
            sourcedId=class_id,
            schoolSourcedId=school.id,
            termSourcedIds=sections.year_id,
            **cells,
        )

    for school_class in classes:
        add(
            school_class.id,
            title=school_class.name,
            grades=_grade(school_class.parallel),
            courseSourcedId=HOMEROOM_COURSE,
            classCode=school_class.name,
            classType="homeroom",
        )
    for (class_id, subject_id), section_id in sections.keys.items():
        school_class = sections.classes[class_id]
        subject = sections.subjects.get(subject_id)
        add(
            section_id,
            title=f"{school_class.name}, {subject.name if subject else subject_id}",
            grades=_grade(school_class.parallel),
            courseSourcedId=subject_id,
            classCode=f"{school_class.name}-{subject_id}",
            classType="scheduled",
            **{_HOMEROOMS: class_id},
        )
    for group in groups:
        parallels = sorted(
            {sections.classes[c].parallel for c in group.class_ids if c in sections.classes}
        )
        add(
            group.id,
            title=group.name,
            grades=",".join(_grade(p) for p in parallels),
            courseSourcedId=group.subject_id,
            classCode=group.name,
            classType="scheduled",
            **{_GROUP_KIND: group.kind.value, _HOMEROOMS: ",".join(group.class_ids)},
        )


def _enrollments(
    files: _Files,
    *,
    school: School,
    classes: Sequence[SchoolClass],
    memberships: Sequence[ClassMembership],
    groups: Sequence[Group],
    assignments: Sequence[TeachingAssignment],
    sections: _Sections,
) -> None:
    def add(sourced_id: str, class_id: str, user_id: str, role: str, **cells: object) -> None:
        files.add(
            "enrollments.csv",
            sourcedId=sourced_id,
            classSourcedId=class_id,
            schoolSourcedId=school.id,
            userSourcedId=user_id,
            role=role,
            **cells,
        )

    for school_class in classes:
        if school_class.class_teacher_id is not None:
            add(
                f"{school_class.id}-teacher",
                school_class.id,
                school_class.class_teacher_id,
                "teacher",
                primary=True,
            )
    by_class: dict[str, list[ClassMembership]] = defaultdict(list)
    for membership in memberships:
        by_class[membership.class_id].append(membership)
        add(
            membership.id,
            membership.class_id,
            membership.student_id,
            "student",
            beginDate=membership.since,
            endDate=membership.until,
        )
    for (class_id, subject_id), section_id in sections.keys.items():
        for membership in by_class[class_id]:
            add(
                f"{membership.id}-{subject_id}",
                section_id,
                membership.student_id,
                "student",
                beginDate=membership.since,
                endDate=membership.until,
            )
    for group in groups:
        for student_id in sorted(group.student_ids):
            add(f"{group.id}-{student_id}", group.id, student_id, "student")
    group_ids = {group.id for group in groups}
    for assignment in assignments:
        if assignment.group_id is not None and assignment.group_id in group_ids:
            target_id: str = assignment.group_id
        elif assignment.class_id is not None and assignment.class_id in sections.classes:
            target_id = sections.section(assignment.class_id, assignment.subject_id)
        else:
            continue
        add(
            assignment.id,
            target_id,
            assignment.teacher_id,
            "teacher",
            primary=False,
            beginDate=assignment.since,
            endDate=assignment.until,
        )


def _results(
    files: _Files,
    placed: Sequence[tuple[AttestationMark, tuple[str, str]]],
    subjects: Mapping[SubjectId, Subject],
    school: School,
) -> None:
    zone = school.zone
    for kind in AttestationKind:
        files.add("categories.csv", sourcedId=f"attestation-{kind.value}", title=_KIND_TITLES[kind])
    sessions = {row["sourcedId"]: row for row in files.rows["academicSessions.csv"]}
    classes = {row["sourcedId"]: row for row in files.rows["classes.csv"]}
    line_items: set[str] = set()
    for mark, (section_id, session_id) in placed:
        line_item = f"{section_id}-{mark.kind.value}-{session_id}"
        if line_item not in line_items:
            line_items.add(line_item)
            session = sessions[session_id]
            subject = subjects.get(mark.subject_id)
            files.add(
                "lineItems.csv",
                sourcedId=line_item,
                title=(
                    f"{classes[section_id]['title']}: "
                    f"{_KIND_TITLES[mark.kind].lower()}, {session['title']}"
                ),
                description=subject.name if subject else None,
                assignDate=session["startDate"],
                dueDate=session["endDate"],
                classSourcedId=section_id,
                categorySourcedId=f"attestation-{mark.kind.value}",
                gradingPeriodSourcedId=session_id,
                resultValueMin="1.0",
                resultValueMax="5.0",
            )
        value = mark.value
        if value.kind is MarkKind.SCORE:
            status, score, text, comment = "fully graded", f"{value.score}.0", None, None
        else:
            status, comment = _SPECIAL[value.kind]
            score, text = None, value.kind.value
        files.add(
            "results.csv",
            sourcedId=mark.id,
            dateLastModified=format_moment(mark.entered_at),
            lineItemSourcedId=line_item,
            studentSourcedId=mark.student_id,
            scoreStatus=status,
            score=score,
            textScore=text,
            scoreDate=mark.entered_at.astimezone(zone).date(),
            comment=comment,
            **{_AUTHOR: mark.author_id},
        )


# -- check and import ----------------------------------------------------------------------------


def check_oneroster(source: str | Path) -> tuple[BundleProblem, ...]:
    """Check a OneRoster 1.2 CSV folder or zip against the binding.

    Checked: ``manifest.csv`` (versions, a ``file.<name>`` of bulk, delta or absent for every
    file of the binding agreeing with the files present, ``source.systemName``); in each
    file this library knows, every standard column present in the binding's order with
    extensions (``metadata.*``) after them, required fields filled, the value sets (status,
    org type, session type, class type, role, role type, enrollment role, score status, sex,
    grade codes), dates ``YYYY-MM-DD``, moments ISO 8601 with a zone, booleans
    ``true``/``false``, numbers, unique ``sourcedId`` and every link to another file.

    Args:
        source: The folder or the ``.zip`` file.

    Returns:
        Every problem found as file, line, column and reason; empty when the set is valid.

    Raises:
        ValidationError: If ``source`` is neither a folder nor a zip file.
    """
    return tuple(check_tables(read_texts(Path(source)))[1])


class _Reader:
    """Builds the library's entities from checked tables, collecting every problem."""

    def __init__(self, tables: Mapping[str, Table], problems: list[BundleProblem]) -> None:
        self.tables = tables
        self.problems = problems
        self.by_id = {
            name: {row["sourcedId"]: (line, row) for line, row in table.rows}
            for name, table in tables.items()
        }

    def rows(self, file: str) -> tuple[tuple[int, Mapping[str, str]], ...]:
        table = self.tables.get(file)
        return table.rows if table is not None else ()

    def row(self, file: str, sourced_id: str) -> Mapping[str, str]:
        return self.by_id.get(file, {}).get(sourced_id, (0, {}))[1]

    def bad(self, file: str, line: int, column: str, ru: str, en: str) -> None:
        self.problems.append(problem(file, line, column, ru, en))

    def build(self, file: str, line: int, factory: Any, **fields: Any) -> Any:  # noqa: ANN401
        try:
            return factory(**fields)
        except EschoolError as error:
            column = str(error.details.get("field", ""))
            self.bad(file, line, column, str(error), error.message("en"))
        except (TypeError, ValueError) as error:
            self.bad(file, line, "", f"неверное значение: {error}", f"bad value: {error}")
        return None

    def require(self, names: Sequence[str]) -> None:
        for name in names:
            if name not in self.tables:
                self.bad(name, 0, "", "файл нужен для импорта", "the file is needed for an import")


def _label_of(session: Mapping[str, str]) -> str:
    second = int(float(session.get("schoolYear", "0")))
    return f"{second - 1}/{second}"


def _period_codes(reader: _Reader) -> dict[str, str]:
    """Name each grading period's study-period code.

    The code is the ``metadata.eschool.periodCode`` cell; without it, a title that is a
    code or a period's Russian or English name (``Q1``, «1-я четверть», "1st quarter"); else
    the remaining grading periods of a school year are taken in date order as quarters
    (four), trimesters (three) or halves (two).
    """
    by_title = {
        name.casefold(): code.value
        for code in PeriodCode
        for name in (code.value, code.name_ru, code.name_en)
    }
    codes: dict[str, str] = {}
    siblings: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for _, row in reader.rows("academicSessions.csv"):
        if row["type"] != "gradingPeriod":
            continue
        if row.get(_PERIOD) in set(PeriodCode):
            codes[row["sourcedId"]] = row[_PERIOD]
        elif row["title"].strip().casefold() in by_title:
            codes[row["sourcedId"]] = by_title[row["title"].strip().casefold()]
        else:
            siblings[row["parentSourcedId"]].append((row["startDate"], row["sourcedId"]))
    prefixes = {4: "Q", 3: "T", 2: "H"}
    for found in siblings.values():
        prefix = prefixes.get(len(found))
        if prefix is not None:
            for number, (_, sourced_id) in enumerate(sorted(found), start=1):
                codes[sourced_id] = f"{prefix}{number}"
    return codes


def _optional_date(cell: str) -> dt.date | None:
    return parse_date(cell) if cell else None


def import_oneroster(
    source: str | Path, store: Store, *, profile: Profile | None = None
) -> dict[str, int]:
    """Check a OneRoster 1.2 CSV folder or zip, then add its rosters and results to ``store``.

    Everything is checked first (:func:`check_oneroster`, then every entity built); when
    anything is wrong nothing is written. The entities are added in one unit of work.

    Args:
        source: The folder or the ``.zip`` file.
        store: The store to add to.
        profile: The profile whose time zone the new school takes when the files carry
            none (:meth:`Profile.new_school <eschool_core.profiles.Profile.new_school>`);
            the default profile's by default.

    Returns:
        How many entities of each kind were imported (``students``, ``memberships``, ...).

    Raises:
        OneRosterError: Listing every problem (file, line, column, reason); nothing is imported.
        ConflictError: If an id exists in the store already; nothing is imported.
        ValidationError: If ``source`` is neither a folder nor a zip file.
    """
    tables, problems = check_tables(read_texts(Path(source)))
    reader = _Reader(tables, problems)
    reader.require(("orgs.csv", "users.csv", "roles.csv"))
    if problems:
        raise OneRosterError(problems)
    entities = _read_entities(reader, profile or default_profile())
    if problems:
        raise OneRosterError(problems)
    with loading_unit_of_work(store) as uow:
        for name in _IMPORT_ORDER:
            getattr(uow, name).add_many(entities.get(name, []))
        uow.commit()
    return {name: len(entities.get(name, [])) for name in _IMPORT_ORDER}


def _read_entities(reader: _Reader, profile: Profile) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    schools = [(line, row) for line, row in reader.rows("orgs.csv") if row["type"] == "school"]
    if len(schools) != 1:
        reader.bad(
            "orgs.csv",
            0,
            "type",
            "нужна ровно одна организация school",
            "exactly one org of type school is needed",
        )
        return out
    line, row = schools[0]
    out["schools"].append(
        reader.build(
            "orgs.csv",
            line,
            profile.new_school,
            id=SchoolId(row["sourcedId"]),
            name=row["name"],
            time_zone=row.get(_TIME_ZONE) or profile.time_zone,
        )
    )
    for line, row in reader.rows("courses.csv"):
        if row["sourcedId"] != HOMEROOM_COURSE:
            out["subjects"].append(
                reader.build(
                    "courses.csv",
                    line,
                    Subject,
                    id=SubjectId(row["sourcedId"]),
                    name=row["title"],
                    short_name=row["courseCode"] or None,
                )
            )
    roles: dict[str, tuple[int, Mapping[str, str]]] = {}
    for line, row in reader.rows("roles.csv"):
        if row["roleType"] == "primary":
            roles.setdefault(row["userSourcedId"], (line, row))
    demographics = {row["sourcedId"]: row for _, row in reader.rows("demographics.csv")}
    links: dict[tuple[str, str], int] = {}
    relations: dict[str, str] = {}
    agents_of_students: list[tuple[int, str, str]] = []
    for line, row in reader.rows("users.csv"):
        user_id = row["sourcedId"]
        if user_id not in roles:
            reader.bad(
                "users.csv",
                line,
                "sourcedId",
                "у пользователя нет основной роли (roles.csv)",
                "the user has no primary role in roles.csv",
            )
            continue
        role_line, role = roles[user_id]
        demo = demographics.get(user_id, {})
        sex = {"male": Sex.MALE, "female": Sex.FEMALE}.get(demo.get("sex", ""))
        person = reader.build(
            "users.csv",
            line,
            Person,
            last_name=row["familyName"],
            first_name=row["givenName"],
            patronymic=row["middleName"] or None,
            birth_date=_optional_date(demo.get("birthDate", "")),
            sex=sex,
        )
        if person is None:
            continue
        kind = role["role"]
        if kind == "student":
            out["students"].append(
                reader.build("users.csv", line, Student, id=StudentId(user_id), person=person)
            )
            agents_of_students.extend(
                (line, user_id, agent) for agent in split_list(row["agentSourcedIds"])
            )
        elif kind in ("parent", "guardian"):
            relation = row.get(_RELATION, "")
            if not relation:
                relation = (
                    "legal_guardian"
                    if kind == "guardian" or sex is None
                    else ("mother" if sex is Sex.FEMALE else "father")
                )
            out["guardians"].append(
                reader.build("users.csv", line, Guardian, id=GuardianId(user_id), person=person)
            )
            relations[user_id] = relation
            for agent in split_list(row["agentSourcedIds"]):
                links.setdefault((user_id, agent), line)
        elif kind in _STAFF_ROLES:
            end = _optional_date(role["endDate"])
            if row["enabledUser"] == "false" and end is None:
                reader.bad(
                    "roles.csv",
                    role_line,
                    "endDate",
                    "у отключённого сотрудника нет даты увольнения",
                    "a disabled staff member has no end date",
                )
                continue
            out["employees"].append(
                reader.build(
                    "users.csv",
                    line,
                    Employee,
                    id=EmployeeId(user_id),
                    person=person,
                    position=row.get(_POSITION) or _DEFAULT_POSITION[kind],
                    status=EmployeeStatus.DISMISSED if end else EmployeeStatus.ACTIVE,
                    hired_on=_optional_date(role["beginDate"]),
                    dismissed_on=end,
                )
            )
        else:
            reader.bad(
                "roles.csv",
                role_line,
                "role",
                f"роль «{kind}» не импортируется",
                f"the role '{kind}' is not imported",
            )
    student_ids = {s.id for s in out["students"] if s is not None}
    for line, student_id, agent in agents_of_students:
        if agent in relations:
            links.setdefault((agent, student_id), line)
        else:
            reader.bad(
                "users.csv",
                line,
                "agentSourcedIds",
                f"«{agent}» не родитель и не законный представитель",
                f"'{agent}' is not a parent or guardian",
            )
    for (guardian_id, student_id), line in sorted(links.items()):
        if student_id not in student_ids:
            reader.bad(
                "users.csv",
                line,
                "agentSourcedIds",
                f"«{student_id}» не ученик",
                f"'{student_id}' is not a student",
            )
            continue
        out["guardian_links"].append(
            reader.build(
                "users.csv",
                line,
                GuardianLink,
                id=GuardianLinkId(f"{guardian_id}:{student_id}"),
                guardian_id=GuardianId(guardian_id),
                student_id=StudentId(student_id),
                kind=relations[guardian_id],
            )
        )
    staff_ids = {e.id for e in out["employees"] if e is not None}
    _read_classes(reader, out, student_ids, staff_ids)
    return out


def _read_classes(
    reader: _Reader, out: dict[str, list[Any]], student_ids: set[str], staff_ids: set[str]
) -> None:
    homerooms: dict[str, tuple[int, Mapping[str, str], str]] = {}
    sections: dict[str, tuple[str, str]] = {}
    groups: dict[str, tuple[int, Mapping[str, str], str]] = {}
    for line, row in reader.rows("classes.csv"):
        terms = split_list(row["termSourcedIds"])
        year_session = next(
            (
                reader.row("academicSessions.csv", t)
                for t in terms
                if reader.row("academicSessions.csv", t).get("type") == "schoolYear"
            ),
            None,
        )
        if year_session is None:
            reader.bad(
                "classes.csv",
                line,
                "termSourcedIds",
                "нет учебного года (schoolYear)",
                "no schoolYear session",
            )
            continue
        label = _label_of(year_session)
        if row["classType"] == "homeroom":
            homerooms[row["sourcedId"]] = (line, row, label)
        elif row.get(_GROUP_KIND) or len(split_list(row.get(_HOMEROOMS, ""))) != 1:
            groups[row["sourcedId"]] = (line, row, label)
        else:
            sections[row["sourcedId"]] = (split_list(row[_HOMEROOMS])[0], row["courseSourcedId"])
    class_teacher: dict[str, str] = {}
    group_students: dict[str, set[str]] = defaultdict(set)
    memberships_of: dict[str, set[str]] = defaultdict(set)
    teachers_of: dict[str, list[str]] = defaultdict(list)
    for line, row in reader.rows("enrollments.csv"):
        class_id, user_id, role = row["classSourcedId"], row["userSourcedId"], row["role"]
        known = student_ids if role == "student" else staff_ids
        if user_id not in known:
            reader.bad(
                "enrollments.csv",
                line,
                "userSourcedId",
                f"«{user_id}» не {role}",
                f"'{user_id}' is not a {role}",
            )
            continue
        if role == "teacher":
            teachers_of[class_id].append(user_id)
        if class_id in homerooms and role == "student":
            _, _, label = homerooms[class_id]
            since = _optional_date(row["beginDate"])
            memberships_of[user_id].add(class_id)
            out["memberships"].append(
                reader.build(
                    "enrollments.csv",
                    line,
                    ClassMembership,
                    id=MembershipId(row["sourcedId"]),
                    student_id=StudentId(user_id),
                    class_id=ClassId(class_id),
                    since=since or dt.date(int(label[:4]), 9, 1),
                    until=_optional_date(row["endDate"]),
                )
            )
        elif class_id in homerooms and role == "teacher":
            if row["primary"] == "true":
                class_teacher.setdefault(class_id, user_id)
        elif class_id in groups and role == "student":
            group_students[class_id].add(user_id)
        elif role == "teacher":
            target = sections.get(class_id)
            year: str | None = groups[class_id][2] if class_id in groups else None
            if target is not None:
                year = homerooms.get(target[0], (0, {}, None))[2]
            course = reader.row("classes.csv", class_id)["courseSourcedId"]
            out["assignments"].append(
                reader.build(
                    "enrollments.csv",
                    line,
                    TeachingAssignment,
                    id=AssignmentId(row["sourcedId"]),
                    teacher_id=EmployeeId(user_id),
                    year=year,
                    subject_id=SubjectId(course),
                    class_id=ClassId(target[0]) if target else None,
                    group_id=GroupId(class_id) if target is None else None,
                    since=_optional_date(row["beginDate"]),
                    until=_optional_date(row["endDate"]),
                )
            )
    for class_id, (line, row, label) in homerooms.items():
        match = re.fullmatch(r"(\d{1,2})\s*(\D+)", row["classCode"] or row["title"])
        if match is None:
            reader.bad(
                "classes.csv",
                line,
                "classCode",
                "класс пишется как 5А",
                "a class is written like 5А",
            )
            continue
        out["classes"].append(
            reader.build(
                "classes.csv",
                line,
                SchoolClass,
                id=ClassId(class_id),
                year=label,
                parallel=int(match.group(1)),
                letter=match.group(2),
                class_teacher_id=class_teacher.get(class_id),
            )
        )
    for class_id, (line, row, label) in groups.items():
        members = group_students[class_id]
        class_ids = split_list(row.get(_HOMEROOMS, "")) or sorted(
            {c for s in members for c in memberships_of[s]}
        )
        kind = row.get(_GROUP_KIND) or (
            GroupKind.SUBGROUP.value if len(class_ids) == 1 else GroupKind.CROSS_CLASS.value
        )
        out["groups"].append(
            reader.build(
                "classes.csv",
                line,
                Group,
                id=GroupId(class_id),
                year=label,
                subject_id=SubjectId(row["courseSourcedId"]),
                name=row["title"],
                kind=kind,
                class_ids=tuple(ClassId(c) for c in class_ids),
                student_ids=frozenset(StudentId(s) for s in members),
            )
        )
    _read_results(
        reader,
        out=out,
        student_ids=student_ids,
        sections=sections,
        groups=groups,
        teachers_of=teachers_of,
    )


def _read_results(
    reader: _Reader,
    *,
    out: dict[str, list[Any]],
    student_ids: set[str],
    sections: Mapping[str, tuple[str, str]],
    groups: Mapping[str, Any],
    teachers_of: Mapping[str, list[str]],
) -> None:
    kinds = {f"attestation-{kind.value}": kind for kind in AttestationKind}
    codes = _period_codes(reader)
    for line, row in reader.rows("results.csv"):
        item_line, item = reader.by_id["lineItems.csv"][row["lineItemSourcedId"]]
        class_id = item["classSourcedId"]
        if class_id not in sections and class_id not in groups:
            reader.bad(
                "lineItems.csv",
                item_line,
                "classSourcedId",
                f"«{class_id}» не предмет класса или группы",
                f"'{class_id}' is not a subject class or group",
            )
            continue
        kind = kinds.get(item["categorySourcedId"])
        if kind is None:
            reader.bad(
                "results.csv",
                line,
                "lineItemSourcedId",
                "категория не отметка аттестации",
                "the category is not an attestation mark",
            )
            continue
        session = reader.row("academicSessions.csv", item["gradingPeriodSourcedId"])
        period = None
        if kind is AttestationKind.PERIOD:
            period = codes.get(item["gradingPeriodSourcedId"])
            if period is None:
                reader.bad(
                    "lineItems.csv",
                    item_line,
                    "gradingPeriodSourcedId",
                    "не понятно, какой это период (четверть, триместр, полугодие)",
                    "which study period (quarter, trimester, half-year) this is is unclear",
                )
                continue
        if row["studentSourcedId"] not in student_ids:
            reader.bad("results.csv", line, "studentSourcedId", "не ученик", "not a student")
            continue
        try:
            if row["score"]:
                value = MarkValue.of(int(float(row["score"])))
            elif row["textScore"]:
                value = MarkValue.parse(row["textScore"])
            elif row["scoreStatus"] in ("exempt", "not submitted"):
                value = MarkValue.special(
                    MarkKind.EXEMPT if row["scoreStatus"] == "exempt" else MarkKind.NOT_ATTESTED
                )
            else:
                reader.bad("results.csv", line, "score", "нет отметки", "no mark")
                continue
        except (EschoolError, ValueError) as error:
            message = error.message("en") if isinstance(error, EschoolError) else str(error)
            reader.bad("results.csv", line, "score", str(error), message)
            continue
        author = row.get(_AUTHOR) or next(iter(sorted(teachers_of.get(class_id, []))), "")
        if not author:
            reader.bad(
                "results.csv",
                line,
                _AUTHOR,
                "не известно, кто поставил отметку",
                "who set the mark is unknown",
            )
            continue
        moment = (
            parse_moment(row["dateLastModified"])
            if row["dateLastModified"]
            else dt.datetime.combine(parse_date(row["scoreDate"]), dt.time(), dt.UTC)
        )
        out["attestation_marks"].append(
            reader.build(
                "results.csv",
                line,
                AttestationMark,
                id=AttestationMarkId(row["sourcedId"]),
                student_id=StudentId(row["studentSourcedId"]),
                subject_id=SubjectId(reader.row("classes.csv", class_id)["courseSourcedId"]),
                year=_label_of(session),
                kind=kind,
                value=value,
                author_id=EmployeeId(author),
                entered_at=moment,
                period=period,
            )
        )
