"""The write service's decisions against an oracle written from the regulation's clauses.

Where ``tests/test_rbac_groups.py`` checks the authorizer against the role matrix's scopes,
this oracle knows nothing of the matrix: it states who may do each command from the clauses
(R3.1c, R6.1, R6.3, R6.4, R8.4.1, R8.5.1, R8.7a, R8.7b, R8.8, R11.4a) over a random small
school whose pupils move between classes mid-year, with subgroups and cross-class groups,
staff hired late or dismissed, and commands on days before and after the lessons. Every
command runs through :class:`~eschool_core.service.SchoolService` on the memory store: no
grant the oracle denies, no refusal the oracle allows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import attrs
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from eschool_core.accounts import MemoryAccountStore, ScryptHasher
from eschool_core.calendar import standard_year
from eschool_core.errors import PermissionDenied, ValidationError
from eschool_core.journal import AbsenceReason, Attendance, AttestationMark, Lesson, Mark
from eschool_core.people import (
    Consent,
    Employee,
    EmployeeStatus,
    Guardian,
    GuardianLink,
    Person,
    Student,
)
from eschool_core.profiles import default_profile
from eschool_core.rbac import Actor
from eschool_core.report_runs import run_scope
from eschool_core.school import (
    ClassMembership,
    Group,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from eschool_core.service import MarkEntry, SchoolService
from eschool_core.storage import MemoryStore
from eschool_core.testing import load

MSK = timezone(timedelta(hours=3))
YEAR_LABEL = "2025/2026"
YEAR = standard_year(YEAR_LABEL, default_profile().calendar)
PERSON = Person(last_name="Иванова", first_name="Мария")
SEPT = date(2025, 9, 1)
STAFF = ("e0", "e1", "e2", "e3")
PUPILS = ("p0", "p1", "p2", "p3", "p4", "p5")
GUARDIANS = ("q0", "q1")
CLASSES = {"c5a": 5, "c5b": 5, "c3a": 3}
GROUPS = ("g0", "g1")
SUBJECTS = ("math", "art")
DAYS = (
    date(2025, 9, 15),
    date(2025, 12, 15),
    date(2026, 1, 12),
    date(2026, 1, 20),
    date(2026, 3, 10),
    date(2026, 5, 20),
)
"""Lesson and command days of 2025/2026 (the moves happen on some of them)."""
_REFUSALS = frozenset(
    {
        "access.denied",
        "mark.not_in_class",
        "attendance.not_in_class",
        "mark.future_lesson",
        "attendance.future_lesson",
        "mark.corrected_before_entered",
        "attendance.corrected_before_entered",
    }
)
"""The refusals the clauses explain: no right, not in the lesson's class or group on its
day, a lesson still to come, a correction before the entry."""


def _within(since: date | None, until: date | None, day: date) -> bool:
    return (since is None or since <= day) and (until is None or day <= until)


@attrs.frozen
class World:
    """A random small school of 2025/2026, as plain lists."""

    employees: list[Employee]
    classes: list[SchoolClass]
    groups: list[Group]
    assignments: list[TeachingAssignment]
    memberships: list[ClassMembership]
    links: list[GuardianLink]

    # -- the facts the clauses speak of, stated over the lists ---------------------------

    def works(self, employee: str | None, day: date) -> bool:
        """The employee is hired by ``day`` and not dismissed before it (R4.3)."""
        card = next((e for e in self.employees if e.id == employee), None)
        return card is not None and _within(card.hired_on, card.dismissed_on, day)

    def class_of(self, pupil: str, day: date) -> str | None:
        """The class the pupil is in on ``day``."""
        held = [m for m in self.memberships if m.student_id == pupil and m.holds_on(day)]
        return held[-1].class_id if held else None

    def in_group(self, pupil: str, group_id: str, day: date) -> bool:
        """The pupil is listed in the group and is in one of its classes on ``day``."""
        group = next(g for g in self.groups if g.id == group_id)
        return pupil in group.student_ids and self.class_of(pupil, day) in group.class_ids

    def teaches(
        self, teacher: str | None, subject: str, day: date, where: tuple[str | None, str | None]
    ) -> bool:
        """An assignment of ``subject`` to the class or group ``where`` holds on ``day``."""
        return any(
            a.teacher_id == teacher
            and a.subject_id == subject
            and (a.class_id, a.group_id) == where
            and _within(a.since, a.until, day)
            for a in self.assignments
        )

    def leads(self, teacher: str | None, class_id: str | None) -> bool:
        """The teacher is the class teacher of the class (all classes are of 2025/2026)."""
        return any(c.id == class_id and c.class_teacher_id == teacher for c in self.classes)

    def children(self, guardian: str) -> list[str]:
        """The pupils linked to the guardian."""
        return [k.student_id for k in self.links if k.guardian_id == guardian]


@st.composite
def worlds(draw: st.DrawFn) -> World:
    """Staff hired late or dismissed, moves mid-year, subgroups and cross-class groups."""
    employees = []
    for eid in STAFF:
        status = draw(st.sampled_from(["active", "active", "dismissed", "hired_late"]))
        employees.append(
            Employee(
                id=eid,
                person=PERSON,
                position="учитель",
                status=EmployeeStatus.DISMISSED if status == "dismissed" else EmployeeStatus.ACTIVE,
                hired_on=date(2026, 1, 15) if status == "hired_late" else None,
                dismissed_on=date(2026, 1, 15) if status == "dismissed" else None,
            )
        )
    classes = [
        SchoolClass(
            id=cid,
            year=YEAR_LABEL,
            parallel=parallel,
            letter="А" if cid.endswith("a") else "Б",
            class_teacher_id=draw(st.none() | st.sampled_from(STAFF)),
        )
        for cid, parallel in CLASSES.items()
    ]
    memberships = []
    for i, pupil in enumerate(PUPILS):
        first = draw(st.sampled_from(sorted(CLASSES)))
        moved = draw(st.none() | st.sampled_from(DAYS[1:5]))
        until = None if moved is None else moved - timedelta(days=1)
        memberships.append(
            ClassMembership(id=f"m{i}", student_id=pupil, class_id=first, since=SEPT, until=until)
        )
        if moved is not None:
            memberships.append(
                ClassMembership(
                    id=f"m{i}b",
                    student_id=pupil,
                    class_id=draw(st.sampled_from(sorted(set(CLASSES) - {first}))),
                    since=moved,
                )
            )
    groups = [
        Group(
            id="g0",
            year=YEAR_LABEL,
            subject_id=draw(st.sampled_from(SUBJECTS)),
            name="подгруппа",
            kind="subgroup",
            class_ids=[draw(st.sampled_from(sorted(CLASSES)))],
            student_ids=draw(st.frozensets(st.sampled_from(PUPILS), max_size=4)),
        ),
        Group(
            id="g1",
            year=YEAR_LABEL,
            subject_id=draw(st.sampled_from(SUBJECTS)),
            name="межклассная группа",
            kind="cross_class",
            class_ids=draw(st.permutations(sorted(CLASSES)))[:2],
            student_ids=draw(st.frozensets(st.sampled_from(PUPILS), max_size=4)),
        ),
    ]
    bounds = st.sampled_from([None, None, date(2025, 12, 31), date(2026, 1, 15)])
    assignments = []
    for i, (teacher, subject, where, since) in enumerate(
        draw(
            st.lists(
                st.tuples(
                    st.sampled_from(STAFF),
                    st.sampled_from(SUBJECTS),
                    st.sampled_from([*CLASSES, *GROUPS]),
                    bounds,
                ),
                min_size=1,
                max_size=7,
            )
        )
    ):
        ends = draw(bounds)
        assignments.append(
            TeachingAssignment(
                id=f"a{i}",
                teacher_id=teacher,
                year=YEAR_LABEL,
                subject_id=subject,
                class_id=where if where in CLASSES else None,
                group_id=where if where in GROUPS else None,
                since=since,
                until=ends if ends is not None and (since is None or since <= ends) else None,
            )
        )
    links = [
        GuardianLink(id=f"l-{g}-{p}", guardian_id=g, student_id=p, kind="mother")
        for g in GUARDIANS
        for p in draw(st.lists(st.sampled_from(PUPILS), max_size=2, unique=True))
    ]
    return World(employees, classes, groups, assignments, memberships, links)


@attrs.frozen
class Command:
    """One command: who, on which day, about which pupil and lesson."""

    kind: str
    roles: tuple[str, ...]
    employee: str
    day: date
    pupil: str
    lesson_day: date
    where: tuple[str | None, str | None]
    """The lesson's (class, group)."""
    subject: str
    subject_of: str
    """The guardian or teacher a consent or report is about."""


_KINDS = (
    "enter_mark",
    "enter_absence",
    "correct_mark",
    "correct_absence_reason",
    "period_mark",
    "annual_mark",
    "student_consent",
    "guardian_consent",
    "teacher_report",
)
_ROLES = (
    ("teacher",),
    ("teacher",),
    ("teacher",),
    ("deputy_head",),
    ("clerk",),
    ("secretary",),
    ("administrator",),
    ("teacher", "deputy_head"),
)


@st.composite
def commands(draw: st.DrawFn, world: World) -> Command:
    """Commands, half of them around one of the world's assignments and its pupils."""
    where: tuple[str | None, str | None]
    roles = draw(st.sampled_from(_ROLES))
    day = draw(st.sampled_from(DAYS))
    if draw(st.booleans()):
        chosen = draw(st.sampled_from(world.assignments))
        employee, subject = str(chosen.teacher_id), str(chosen.subject_id)
        where = (chosen.class_id, chosen.group_id)
        at_work = [d for d in DAYS if world.works(employee, d) and chosen.holds_on(d)]
        if at_work and draw(st.booleans()):
            roles, day = ("teacher",), draw(st.sampled_from(at_work))
    else:
        employee = draw(st.sampled_from(STAFF))
        subject = draw(st.sampled_from(SUBJECTS))
        where = draw(st.sampled_from([(c, None) for c in CLASSES] + [(None, g) for g in GROUPS]))
    held = [d for d in DAYS if d <= day]
    lesson_day = draw(st.sampled_from(held if draw(st.booleans()) else DAYS))
    seated = [
        p
        for p in PUPILS
        if (
            world.class_of(p, lesson_day) == where[0]
            if where[0] is not None
            else world.in_group(p, str(where[1]), lesson_day)
        )
    ]
    pupil = draw(
        st.sampled_from(seated) if seated and draw(st.booleans()) else st.sampled_from(PUPILS)
    )
    return Command(
        kind=draw(st.sampled_from(_KINDS)),
        roles=roles,
        employee=employee,
        day=day,
        pupil=pupil,
        lesson_day=lesson_day,
        where=where,
        subject=subject,
        subject_of=draw(st.sampled_from([*GUARDIANS, *STAFF, employee])),
    )


def oracle(world: World, c: Command) -> bool:
    """Whether the regulation lets the actor do the command, stated from the clauses."""
    if not world.works(c.employee, c.day):
        return False  # R4.3: no rights outside employment
    teacher = "teacher" in c.roles
    class_id, group_id = c.where
    lesson_class = class_id or world.class_of(c.pupil, c.lesson_day)
    # R8.4.1: the subject teacher of the lesson's class or group; the pupil was in it on
    # the lesson's day; the lesson has been held.
    seated = (
        world.class_of(c.pupil, c.lesson_day) == class_id
        if class_id is not None
        else world.in_group(c.pupil, str(group_id), c.lesson_day)
    )
    teaches_lesson = teacher and world.teaches(c.employee, c.subject, c.day, c.where)
    if c.kind in ("enter_mark", "enter_absence"):
        return teaches_lesson and seated and c.lesson_day <= c.day
    if c.kind == "correct_mark":  # R8.4.1, R8.6 (a reason is given), after its entry
        return teaches_lesson and seated and c.lesson_day <= c.day
    if c.kind == "correct_absence_reason":  # R8.5.1: the class teacher of the lesson's
        # class, once the absence was entered
        return teacher and world.leads(c.employee, lesson_class) and c.lesson_day <= c.day
    if c.kind in ("period_mark", "annual_mark"):
        # R8.7a, R8.8: the subject teacher of the pupil's class or of a group of the
        # subject the pupil is in; R8.7b, R8.8: the class teacher of a grade 1-4 class.
        now = world.class_of(c.pupil, c.day)
        by_class = world.teaches(c.employee, c.subject, c.day, (now, None))
        by_group = any(
            g.subject_id == c.subject
            and world.in_group(c.pupil, g.id, c.day)
            and world.teaches(c.employee, c.subject, c.day, (None, g.id))
            for g in world.groups
        )
        primary = world.leads(c.employee, now) and CLASSES.get(str(now), 0) <= 4
        return teacher and (by_class or by_group or primary)
    if c.kind == "student_consent":  # R6.1 by the card's creator (R6.3) or keeper (R6.4)
        keeper = teacher and world.leads(c.employee, world.class_of(c.pupil, c.day))
        return "clerk" in c.roles or keeper
    if c.kind == "guardian_consent":
        guardian = c.subject_of if c.subject_of in GUARDIANS else GUARDIANS[0]
        keeper = teacher and any(
            world.leads(c.employee, world.class_of(child, c.day))
            for child in world.children(guardian)
        )
        return "clerk" in c.roles or keeper
    # «Отчёт учителя-предметника» of a teacher: the teacher himself (R11.4a) or the deputy
    # head (R11.1); nobody else (R3.1c).
    return "deputy_head" in c.roles or (teacher and c.subject_of == c.employee)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=MSK)


def _store(world: World, c: Command) -> MemoryStore:
    store = MemoryStore()
    class_id, group_id = c.where
    lesson = Lesson(
        id="l",
        date=c.lesson_day,
        number=1,
        subject_id=c.subject,
        teacher_id=c.employee,
        class_id=class_id,
        group_id=group_id,
    )
    load(
        store,
        [
            ("schools", [School(id="sch", name="Школа", time_zone="Europe/Moscow")]),
            ("employees", world.employees),
            ("students", [Student(id=p, person=PERSON) for p in PUPILS]),
            ("guardians", [Guardian(id=g, person=PERSON) for g in GUARDIANS]),
            ("subjects", [Subject(id=s, name=s) for s in SUBJECTS]),
            ("guardian_links", world.links),
            ("classes", world.classes),
            ("memberships", world.memberships),
            ("groups", world.groups),
            ("assignments", world.assignments),
            ("lessons", [lesson]),
            (
                "marks",
                [
                    Mark(
                        id="m",
                        student_id=c.pupil,
                        subject_id=c.subject,
                        date=c.lesson_day,
                        lesson_id="l",
                        value=5,
                        work_type="answer",
                        author_id=c.employee,
                        entered_at=_at(c.lesson_day),
                    )
                ],
            ),
            (
                "attendance",
                [
                    Attendance(
                        id="att",
                        student_id=c.pupil,
                        lesson_id="l",
                        date=c.lesson_day,
                        kind="absent",
                        reason=AbsenceReason.UNKNOWN,
                        entered_by=c.employee,
                        entered_at=_at(c.lesson_day),
                    )
                ],
            ),
        ],
    )
    return store


def _run(svc: SchoolService, actor: Actor, c: Command) -> Callable[[], object]:
    moment = _at(c.day, 12)
    entry = MarkEntry(mark_id="m-new", student_id=c.pupil, value=4, work_type="answer")

    def attestation(kind: str) -> Callable[[], object]:
        mark = AttestationMark(
            id="am",
            student_id=c.pupil,
            subject_id=c.subject,
            year=YEAR_LABEL,
            kind=kind,
            period="Q2" if kind == "period" else None,
            value=4,
            author_id=c.employee,
            entered_at=moment,
        )
        return lambda: svc.set_attestation_mark(actor, moment, mark)

    def consent(category: str, subject: str) -> Callable[[], object]:
        given = Consent(
            id="c", category=category, subject_id=subject, given_on=SEPT, purposes=["journal"]
        )
        return lambda: svc.record_consent(actor, moment, given)

    guardian = c.subject_of if c.subject_of in GUARDIANS else GUARDIANS[0]
    return {
        "enter_mark": lambda: svc.enter_mark(actor, moment, "l", entry),
        "enter_absence": lambda: svc.enter_absence(actor, moment, "att-new", "l", c.pupil),
        "correct_mark": lambda: svc.correct_mark(actor, moment, "m", 3, reason="ошибка ввода"),
        "correct_absence_reason": lambda: svc.correct_absence_reason(
            actor, moment, "att", "illness"
        ),
        "period_mark": attestation("period"),
        "annual_mark": attestation("annual"),
        "student_consent": consent("student", c.pupil),
        "guardian_consent": consent("guardian", guardian),
        "teacher_report": lambda: svc.record_report_run(
            actor,
            moment,
            "subject_teacher",
            scope=run_scope({"teacher_id": c.subject_of, "subject_id": c.subject}),
        ),
    }[c.kind]


def _outcome(command: Callable[[], object]) -> str | None:
    """Run the command: ``None`` if granted, else the refusal's code."""
    try:
        command()
    except (PermissionDenied, ValidationError) as refusal:
        return refusal.code
    return None


class TestServiceAgainstTheClauses:
    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(data=st.data())
    def test_no_grant_the_clauses_deny_and_no_refusal_they_allow(self, data: st.DataObject) -> None:
        """R3.1c, R6.1, R6.3, R8.4.1, R8.5.1, R8.7a, R8.7b, R8.8, R11.4a: the service grants
        exactly what the oracle written from the clauses allows."""
        world = data.draw(worlds())
        command = data.draw(commands(world))
        actor = Actor(
            account_id="acc",
            roles=command.roles,
            school_id="sch",
            employee_id=command.employee,
        )
        svc = SchoolService(
            _store(world, command),
            year=YEAR,
            accounts=MemoryAccountStore(),
            hasher=ScryptHasher(n=2**4),
        )
        allowed = oracle(world, command)
        refusal = _outcome(_run(svc, actor, command))
        assert refusal is None or refusal in _REFUSALS, refusal
        granted = refusal is None
        event(f"{command.kind}: {'granted' if granted else 'refused'}")
        assert granted == allowed, (command, world)
