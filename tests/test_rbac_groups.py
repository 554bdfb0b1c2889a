"""Group targets and the authorizer against an independent oracle (R3.1a, R3.1c, R5.3a)."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from eschool_core.errors import EschoolError, ValidationError
from eschool_core.ids import (
    AccountId,
    AssignmentId,
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
from eschool_core.people import Employee, EmployeeStatus, Guardian, GuardianLink, Person, Student
from eschool_core.profiles import default_profile
from eschool_core.rbac import (
    STAFF_ROLES,
    Action,
    Actor,
    Authorizer,
    MemoryDirectory,
    Role,
    Scope,
    Target,
)
from eschool_core.school import (
    ClassMembership,
    Group,
    GroupKind,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from eschool_core.storage import MemoryStore, UnitOfWorkDirectory

MATRIX = default_profile().rbac
ON = date(2026, 3, 2)
YEAR = "2025/2026"
SCHOOL = SchoolId("s1")
PERSON = Person(last_name="Петрова", first_name="Анна")
SEPT = date(2025, 9, 1)


def _employee(eid: str) -> Employee:
    return Employee(id=EmployeeId(eid), person=PERSON, position="учитель")


def _member(mid: str, student: str, class_id: str, until: date | None = None) -> ClassMembership:
    return ClassMembership(
        id=MembershipId(mid),
        student_id=StudentId(student),
        class_id=ClassId(class_id),
        since=SEPT,
        until=until,
    )


def _class(cid: str, parallel: int, teacher: str | None = None) -> SchoolClass:
    return SchoolClass(
        id=ClassId(cid),
        year=YEAR,
        parallel=parallel,
        letter="А" if cid.endswith("a") else "Б",
        class_teacher_id=None if teacher is None else EmployeeId(teacher),
    )


ENGLISH_5A = Group(
    id=GroupId("g-5a-en-1"),
    year=YEAR,
    subject_id=SubjectId("english"),
    name="5А, англ., 1 гр.",
    kind=GroupKind.SUBGROUP,
    class_ids=[ClassId("5a")],
    student_ids=[StudentId("in_1"), StudentId("in_2"), StudentId("left")],
)
ELECTIVE = Group(
    id=GroupId("g-elective"),
    year=YEAR,
    subject_id=SubjectId("chess"),
    name="Шахматы, 5-е классы",
    kind=GroupKind.CROSS_CLASS,
    class_ids=[ClassId("5a"), ClassId("5b")],
    student_ids=[StudentId("in_1"), StudentId("b_1")],
)
OLD_GROUP = Group(
    id=GroupId("g-old"),
    year="2024/2025",
    subject_id=SubjectId("english"),
    name="4А, англ., 1 гр.",
    kind=GroupKind.SUBGROUP,
    class_ids=[ClassId("5a")],
    student_ids=[StudentId("in_1")],
)
SCENARIO = MemoryDirectory(
    employees=[_employee("t_en"), _employee("t_chess"), _employee("ct_5b")],
    classes=[_class("5a", 5), _class("5b", 5, teacher="ct_5b")],
    assignments=[
        TeachingAssignment(
            id=AssignmentId("a-en"),
            teacher_id=EmployeeId("t_en"),
            year=YEAR,
            subject_id=SubjectId("english"),
            group_id=ENGLISH_5A.id,
        ),
        TeachingAssignment(
            id=AssignmentId("a-chess"),
            teacher_id=EmployeeId("t_chess"),
            year=YEAR,
            subject_id=SubjectId("chess"),
            group_id=ELECTIVE.id,
        ),
        TeachingAssignment(
            id=AssignmentId("a-old"),
            teacher_id=EmployeeId("t_en"),
            year=YEAR,
            subject_id=SubjectId("english"),
            group_id=OLD_GROUP.id,
        ),
    ],
    memberships=[
        _member("m1", "in_1", "5a"),
        _member("m2", "in_2", "5a"),
        _member("m3", "out", "5a"),
        _member("m4", "left", "5a", until=date(2026, 1, 31)),
        _member("m5", "b_1", "5b"),
        _member("m6", "b_2", "5b"),
    ],
    guardian_links=[
        GuardianLink(
            id=GuardianLinkId("l1"),
            guardian_id=GuardianId("mum"),
            student_id=StudentId("out"),
            kind="mother",
        ),
        GuardianLink(
            id=GuardianLinkId("l2"),
            guardian_id=GuardianId("mum"),
            student_id=StudentId("in_2"),
            kind="mother",
        ),
    ],
    groups=[ENGLISH_5A, ELECTIVE, OLD_GROUP],
)
SCENARIO_AUTH = Authorizer(MATRIX, SCENARIO)
GROUP_ACTIONS = [
    Action.MARK_WRITE,
    Action.ATTENDANCE_WRITE,
    Action.PERIOD_MARK_WRITE,
    Action.FINAL_MARK_WRITE,
    Action.JOURNAL_READ,
    Action.LESSON_CONTENT_WRITE,
]


def _teacher(eid: str) -> Actor:
    return Actor(
        account_id=AccountId(f"acc-{eid}"),
        roles=[Role.TEACHER],
        school_id=SCHOOL,
        employee_id=EmployeeId(eid),
    )


def _group_target(group: Group, **ids: str) -> Target:
    return Target(school_id=SCHOOL, subject_id=group.subject_id, group_id=group.id, **ids)


class TestGroupTargets:
    @pytest.mark.parametrize("action", GROUP_ACTIONS)
    def test_group_teacher_acts_for_the_group_and_its_members(self, action: Action) -> None:
        """R8.4.1, R8.7a, R3.1a: a group's teacher acts for the group and for its members."""
        teacher = _teacher("t_en")
        for target in (
            _group_target(ENGLISH_5A),
            _group_target(ENGLISH_5A, student_id="in_1"),
            _group_target(ENGLISH_5A, student_id="in_2", class_id="5a"),
            _group_target(ENGLISH_5A, class_id="5a"),
        ):
            assert SCENARIO_AUTH.check(teacher, action, target, on=ON).allowed, target

    @pytest.mark.parametrize("action", GROUP_ACTIONS)
    def test_group_teacher_is_denied_students_outside_the_group(self, action: Action) -> None:
        """R3.1c: naming a group grants nothing for a student of the school who is not in it."""
        teacher = _teacher("t_en")
        for student in ("out", "b_1", "b_2", "nobody"):
            target = _group_target(ENGLISH_5A, student_id=student)
            assert not SCENARIO_AUTH.check(teacher, action, target, on=ON).allowed, student

    @pytest.mark.parametrize("action", GROUP_ACTIONS)
    def test_group_teacher_is_denied_classes_the_group_is_not_of(self, action: Action) -> None:
        """R3.1c: naming a group grants nothing for a class the group does not belong to."""
        target = _group_target(ENGLISH_5A, class_id="5b")
        assert not SCENARIO_AUTH.check(_teacher("t_en"), action, target, on=ON).allowed

    def test_member_named_with_another_class_is_denied(self) -> None:
        """R3.1c: a member named together with a class he is not in is not a coherent target."""
        target = _group_target(ELECTIVE, student_id="in_1", class_id="5b")
        assert not SCENARIO_AUTH.check(
            _teacher("t_chess"), Action.MARK_WRITE, target, on=ON
        ).allowed
        target = _group_target(ELECTIVE, student_id="b_1", class_id="5b")
        assert SCENARIO_AUTH.check(_teacher("t_chess"), Action.MARK_WRITE, target, on=ON).allowed

    def test_membership_ends_with_the_class_membership(self) -> None:
        """R3.1c, R10.1: a student who left the class is no longer a member of its group."""
        target = _group_target(ENGLISH_5A, student_id="left")
        teacher = _teacher("t_en")
        assert SCENARIO_AUTH.check(teacher, Action.MARK_WRITE, target, on=date(2026, 1, 20)).allowed
        assert not SCENARIO_AUTH.check(teacher, Action.MARK_WRITE, target, on=ON).allowed

    def test_group_of_another_year_has_no_members(self) -> None:
        """R3.1c: a group of last year gives no rights over its former members."""
        target = _group_target(OLD_GROUP, student_id="in_1")
        assert not SCENARIO_AUTH.check(_teacher("t_en"), Action.MARK_WRITE, target, on=ON).allowed

    def test_guardian_named_with_a_group_counts_only_children_in_it(self) -> None:
        """R3.1c: for a guardian named with a group, only his children in the group count."""
        target = _group_target(ENGLISH_5A, guardian_id="mum")
        assert SCENARIO_AUTH.check(_teacher("t_en"), Action.JOURNAL_READ, target, on=ON).allowed
        target = _group_target(ELECTIVE, guardian_id="mum")
        assert not SCENARIO_AUTH.check(
            _teacher("t_chess"), Action.JOURNAL_READ, target, on=ON
        ).allowed

    def test_class_teacher_of_another_class_gains_nothing_from_a_group(self) -> None:
        """R3.1c: a class teacher does not reach a group member of another class via the group."""
        class_teacher = _teacher("ct_5b")
        own = _group_target(ELECTIVE, student_id="b_1")
        other = _group_target(ELECTIVE, student_id="in_1", class_id="5b")
        assert SCENARIO_AUTH.check(class_teacher, Action.JOURNAL_READ, own, on=ON).allowed
        assert not SCENARIO_AUTH.check(class_teacher, Action.JOURNAL_READ, other, on=ON).allowed


class TestUnknownAction:
    def test_unknown_action_raises_a_typed_error(self) -> None:
        """R3.1c: an action outside the catalogue is a typed error with a stable code."""
        with pytest.raises(ValidationError) as caught:
            SCENARIO_AUTH.check(
                _teacher("t_en"),
                "mark.delete_everything",
                _group_target(ENGLISH_5A),
                on=ON,
            )
        assert isinstance(caught.value, EschoolError)
        assert caught.value.code == "rbac.unknown_action"
        assert "mark.delete_everything" in caught.value.message("en")
        assert caught.value.message("ru") != caught.value.message("en")

    def test_unknown_role_raises_a_typed_error(self) -> None:
        """R3.2.1: a role outside the catalogue is a typed error with a stable code."""
        with pytest.raises(ValidationError) as caught:
            Actor(account_id=AccountId("a"), roles=["superuser"])
        assert caught.value.code == "rbac.unknown_role"


# --- the oracle -------------------------------------------------------------------------

STAFF = ["e0", "e1", "e2", "e3"]
PUPILS = ["p0", "p1", "p2", "p3", "p4", "p5"]
GUARDIANS = ["q0", "q1", "q2"]
CLASSES = ["c0", "c1", "c2"]
GROUPS = ["g0", "g1", "g2", "g3"]
SUBJECTS = ["math", "art"]
YEARS = [YEAR, "2024/2025"]


@attrs.frozen
class World:
    """A random small school, as plain lists."""

    employees: list[Employee]
    classes: list[SchoolClass]
    groups: list[Group]
    assignments: list[TeachingAssignment]
    links: list[GuardianLink]
    memberships: list[ClassMembership]


_bounds = st.sampled_from([None, date(2025, 11, 1), date(2026, 1, 15), date(2026, 4, 1)])


@st.composite
def worlds(draw: st.DrawFn) -> World:
    """Classes, subgroups and cross-class groups, expired relations, parents of several children."""
    employees = []
    for eid in STAFF:
        status = draw(
            st.sampled_from(
                ["active", "active", "active", "dismissed_early", "dismissed_late", "hired_late"]
            )
        )
        employees.append(
            Employee(
                id=EmployeeId(eid),
                person=PERSON,
                position="учитель",
                status=EmployeeStatus.ACTIVE
                if status in ("active", "hired_late")
                else EmployeeStatus.DISMISSED,
                hired_on=date(2026, 2, 1) if status == "hired_late" else None,
                dismissed_on={
                    "dismissed_early": date(2026, 1, 1),
                    "dismissed_late": date(2026, 5, 1),
                }.get(status),
            )
        )
    classes = [
        SchoolClass(
            id=ClassId(c),
            year=draw(st.sampled_from(YEARS)),
            parallel=draw(st.integers(1, 11)),
            letter="А",
            class_teacher_id=draw(st.none() | st.sampled_from(STAFF).map(EmployeeId)),
        )
        for c in CLASSES
    ]
    groups = []
    for gid in GROUPS:
        kind = draw(st.sampled_from(list(GroupKind)))
        size = 1 if kind is GroupKind.SUBGROUP else draw(st.integers(1, 3))
        groups.append(
            Group(
                id=GroupId(gid),
                year=draw(st.sampled_from(YEARS)),
                subject_id=SubjectId(draw(st.sampled_from(SUBJECTS))),
                name=gid,
                kind=kind,
                class_ids=draw(st.permutations(CLASSES))[:size],
                student_ids=draw(st.frozensets(st.sampled_from(PUPILS), max_size=4)),
            )
        )
    cells = draw(
        st.lists(
            st.tuples(
                st.sampled_from(STAFF),
                st.sampled_from(SUBJECTS),
                st.sampled_from(CLASSES + GROUPS),
                st.sampled_from(YEARS),
                _bounds,
                _bounds,
            ),
            max_size=8,
        )
    )
    assignments = []
    for i, (teacher, subject, where, year, first, last) in enumerate(cells):
        since, until = (last, first) if first and last and last < first else (first, last)
        assignments.append(
            TeachingAssignment(
                id=AssignmentId(f"a{i}"),
                teacher_id=EmployeeId(teacher),
                year=year,
                subject_id=SubjectId(subject),
                class_id=ClassId(where) if where in CLASSES else None,
                group_id=GroupId(where) if where in GROUPS else None,
                since=since,
                until=until,
            )
        )
    # Each guardian has up to three children, links may have ended.
    links = [
        GuardianLink(
            id=GuardianLinkId(f"l-{g}-{s}"),
            guardian_id=GuardianId(g),
            student_id=StudentId(s),
            kind="mother",
            until=draw(_bounds),
        )
        for g in GUARDIANS
        for s in draw(st.lists(st.sampled_from(PUPILS), max_size=3, unique=True))
    ]
    memberships = []
    for i, pupil in enumerate(PUPILS):
        until = draw(_bounds)
        memberships.append(_member(f"m{i}", pupil, draw(st.sampled_from(CLASSES)), until))
        if until is not None and draw(st.booleans()):  # moved to another class
            memberships.append(
                ClassMembership(
                    id=MembershipId(f"m{i}b"),
                    student_id=StudentId(pupil),
                    class_id=ClassId(draw(st.sampled_from(CLASSES))),
                    since=date.fromordinal(until.toordinal() + 1),
                )
            )
    return World(employees, classes, groups, assignments, links, memberships)


def _pick(values: list[str]) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(values)


def actors() -> st.SearchStrategy[Actor]:
    return st.builds(
        Actor,
        account_id=st.just(AccountId("acc")),
        roles=st.frozensets(st.sampled_from(list(Role)), min_size=1, max_size=2),
        school_id=st.sampled_from([SCHOOL, SCHOOL, SchoolId("s2"), None]),
        district=_pick(["d1"]),
        region=_pick(["r1"]),
        employee_id=_pick(STAFF),
        student_id=_pick(PUPILS),
        guardian_id=_pick(GUARDIANS),
    )


def targets() -> st.SearchStrategy[Target]:
    return st.builds(
        Target,
        school_id=st.sampled_from([SCHOOL, SCHOOL, SchoolId("s2"), None]),
        district=_pick(["d1"]),
        region=_pick(["r1"]),
        class_id=_pick(CLASSES),
        subject_id=st.sampled_from([*SUBJECTS, *SUBJECTS, None]),
        group_id=st.sampled_from([*GROUPS, *GROUPS, None]),
        student_id=_pick(PUPILS),
        employee_id=st.sampled_from([None, None, None, *STAFF]),
        guardian_id=_pick(GUARDIANS),
    )


days = st.dates(min_value=date(2025, 9, 1), max_value=date(2026, 8, 31)) | st.dates(
    min_value=date(2024, 9, 1), max_value=date(2027, 8, 31)
)


def _directory(world: World) -> MemoryDirectory:
    return MemoryDirectory(
        employees=world.employees,
        classes=world.classes,
        assignments=world.assignments,
        guardian_links=world.links,
        memberships=world.memberships,
        groups=world.groups,
    )


def oracle(world: World, actor: Actor, action: Action, target: Target, on: date) -> bool:
    """What the role matrix allows, stated directly over the world's lists.

    The rules, written from the matrix's scopes: a target concerns the "seats" (a student
    in a class, or a class) it names on the day; a named group narrows the seats to its
    members in its classes; a class-teacher scope needs the actor to lead a seat's class in
    its year, a taught scope needs an assignment of the subject to a seat's class or, when a
    group is named, to that group.
    """
    start = on.year - (on.month < 9)
    year = f"{start}/{start + 1}"

    def within(since: date | None, until: date | None) -> bool:
        return not (since is not None and on < since) and not (until is not None and on > until)

    def in_class(pupil: str, class_id: str) -> bool:
        return any(
            m.student_id == pupil and m.class_id == class_id and within(m.since, m.until)
            for m in world.memberships
        )

    def children(guardian: str) -> list[str]:
        return [
            k.student_id for k in world.links if k.guardian_id == guardian and within(None, k.until)
        ]

    group = next((g for g in world.groups if g.id == target.group_id and g.year == year), None)

    # Seats: (student or None, class) pairs the target is about.
    seats: list[tuple[str | None, str]]
    if target.student_id is not None:
        seats = [(target.student_id, c) for c in CLASSES if in_class(target.student_id, c)]
        if target.class_id is not None:
            seats = [seat for seat in seats if seat[1] == target.class_id]
    elif target.class_id is not None:
        seats = [(None, target.class_id)]
    elif target.guardian_id is not None:
        seats = [(s, c) for s in children(target.guardian_id) for c in CLASSES if in_class(s, c)]
    else:
        seats = []
    if target.group_id is not None:
        seats = [
            (s, c)
            for s, c in seats
            if group is not None and c in group.class_ids and (s is None or s in group.student_ids)
        ]

    def leads(c: str, primary: bool) -> bool:
        return any(
            k.id == c
            and k.year == year
            and k.class_teacher_id == actor.employee_id
            and (not primary or k.parallel <= 4)
            for k in world.classes
        )

    def assigned(*, class_id: str | None = None, group_id: str | None = None) -> bool:
        return any(
            a.teacher_id == actor.employee_id
            and a.subject_id == target.subject_id
            and a.year == year
            and within(a.since, a.until)
            and (a.class_id, a.group_id) == (class_id, group_id)
            for a in world.assignments
        )

    def covers(scope: Scope) -> bool:
        if scope is Scope.OWN:
            pairs = [
                (target.student_id, actor.student_id),
                (target.guardian_id, actor.guardian_id),
                (target.employee_id, actor.employee_id),
            ]
            named = [(want, mine) for want, mine in pairs if want is not None]
            return bool(named) and all(want == mine for want, mine in named)
        if scope is Scope.LINKED_CHILDREN:
            return (
                actor.guardian_id is not None
                and target.student_id is not None
                and target.employee_id is None
                and target.guardian_id in (None, actor.guardian_id)
                and target.student_id in children(actor.guardian_id)
            )
        if scope in (Scope.OWN_CLASS, Scope.OWN_PRIMARY_CLASS):
            return (
                actor.employee_id is not None
                and target.employee_id is None
                and any(leads(c, scope is Scope.OWN_PRIMARY_CLASS) for _, c in seats)
            )
        if scope is Scope.TAUGHT:
            if actor.employee_id is None or target.subject_id is None:
                return False
            if target.employee_id not in (None, actor.employee_id):
                return False
            if target.group_id is None:
                return any(assigned(class_id=c) for _, c in seats)
            names_more = (target.student_id, target.class_id, target.guardian_id) != (None,) * 3
            return assigned(group_id=target.group_id) and (bool(seats) or not names_more)
        if scope is Scope.SCHOOL:
            return actor.school_id is not None and actor.school_id == target.school_id
        if scope is Scope.DISTRICT:
            return actor.district is not None and actor.district == target.district
        return actor.region is not None and actor.region == target.region

    def may_use(role: Role) -> bool:
        if role in (Role.STUDENT, Role.PARENT) and action.is_write:
            return False
        if role in STAFF_ROLES:
            card = next((e for e in world.employees if e.id == actor.employee_id), None)
            if card is None or not within(card.hired_on, card.dismissed_on):
                return False
        if role is Role.PARENT:
            return actor.guardian_id is not None
        return role is not Role.STUDENT or actor.student_id is not None

    return any(
        may_use(role) and any(covers(grant.scope) for grant in MATRIX.cells(role, action))
        for role in actor.roles
    )


TEACHING_ACTIONS = [
    a for a in Action if any(g.scope is Scope.TAUGHT for g in MATRIX.grants if g.action is a)
]


class TestOracle:
    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(worlds(), actors(), st.sampled_from(list(Action)), targets(), days)
    def test_authorizer_agrees_with_the_oracle(
        self, world: World, actor: Actor, action: Action, target: Target, on: date
    ) -> None:
        """R3.1a, R3.1c: no grant and no denial of the authorizer that the oracle does not give."""
        decision = Authorizer(MATRIX, _directory(world)).check(actor, action, target, on=on)
        event(f"allowed={decision.allowed}")
        assert decision.allowed == oracle(world, actor, action, target, on)

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(worlds(), st.sampled_from(TEACHING_ACTIONS), st.data())
    def test_teachers_of_groups_agree_with_the_oracle(
        self, world: World, action: Action, data: st.DataObject
    ) -> None:
        """R3.1a, R3.1c, R8.4.1: around real assignments, teachers' rights are the oracle's."""
        current = [a for a in world.assignments if a.year == YEAR] or world.assignments
        if not current:
            return
        chosen = data.draw(st.sampled_from(current))
        on = data.draw(
            st.dates(
                min_value=chosen.since or date(2025, 9, 1),
                max_value=chosen.until or date(2026, 8, 31),
            )
            | st.dates(min_value=date(2025, 9, 1), max_value=date(2026, 8, 31))
        )
        group = next((g for g in world.groups if g.id == chosen.group_id), None)
        members = sorted(group.student_ids) if group is not None else []
        near_classes = list(group.class_ids) if group is not None else [str(chosen.class_id)]
        target = Target(
            school_id=SCHOOL,
            subject_id=data.draw(st.sampled_from([chosen.subject_id, chosen.subject_id, "art"])),
            group_id=chosen.group_id,
            class_id=data.draw(_pick(near_classes + CLASSES)) if group else chosen.class_id,
            student_id=data.draw(_pick(members + members + PUPILS)),
            guardian_id=data.draw(st.sampled_from([None, None, *GUARDIANS])),
        )
        actor = Actor(
            account_id=AccountId("acc"),
            roles=[Role.TEACHER],
            school_id=SCHOOL,
            employee_id=chosen.teacher_id,
        )
        decision = Authorizer(MATRIX, _directory(world)).check(actor, action, target, on=on)
        event(f"allowed={decision.allowed}, group={target.group_id is not None}")
        assert decision.allowed == oracle(world, actor, action, target, on)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(worlds(), actors(), st.sampled_from(TEACHING_ACTIONS), targets(), days)
    def test_storage_directory_agrees_with_memory_directory(
        self, world: World, actor: Actor, action: Action, target: Target, on: date
    ) -> None:
        """R3.1c: the directory over a unit of work, groups included, decides as the lists do."""
        store = MemoryStore()
        with store.unit_of_work() as uow:
            uow.employees.add_many(world.employees)
            uow.subjects.add_many([Subject(id=SubjectId(s), name=s) for s in SUBJECTS])
            uow.classes.add_many(world.classes)
            uow.students.add_many([Student(id=StudentId(s), person=PERSON) for s in PUPILS])
            uow.groups.add_many(world.groups)
            uow.assignments.add_many(world.assignments)
            uow.guardians.add_many([Guardian(id=GuardianId(g), person=PERSON) for g in GUARDIANS])
            uow.guardian_links.add_many(world.links)
            uow.memberships.add_many(world.memberships)
            uow.commit()
        with store.unit_of_work() as uow:
            stored = Authorizer(MATRIX, UnitOfWorkDirectory(uow)).check(
                actor, action, target, on=on
            )
        memory = Authorizer(MATRIX, _directory(world)).check(actor, action, target, on=on)
        assert stored == memory
