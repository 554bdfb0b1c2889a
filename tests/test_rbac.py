"""The role matrix and the authorizer: scenarios per clause and properties (R3.1a, R3.1c)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core import rbac
from eschool_core.errors import Language, PermissionDenied, ValidationError
from eschool_core.ids import (
    AccountId,
    AssignmentId,
    ClassId,
    EmployeeId,
    GroupId,
    GuardianId,
    GuardianLinkId,
    MembershipId,
    OrderId,
    SchoolId,
    StudentId,
    SubjectId,
)
from eschool_core.movement import (
    MOVEMENT_EDIT,
    MovementBook,
    MovementPolicy,
    Order,
    OrderItem,
    OrderKind,
)
from eschool_core.people import Employee, EmployeeStatus, GuardianLink, Person
from eschool_core.profiles import default_profile
from eschool_core.rbac import (
    Action,
    ActionGate,
    Actor,
    Authorizer,
    Grant,
    MemoryDirectory,
    Role,
    RoleMatrix,
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
PERSON = Person(last_name="Иванов", first_name="Иван")


def employee(eid: str, *, dismissed_on: date | None = None) -> Employee:
    return Employee(
        id=EmployeeId(eid),
        person=PERSON,
        position="учитель",
        status=EmployeeStatus.DISMISSED if dismissed_on else EmployeeStatus.ACTIVE,
        dismissed_on=dismissed_on,
    )


def link(lid: str, guardian: str, student: str, *, until: date | None = None) -> GuardianLink:
    return GuardianLink(
        id=GuardianLinkId(lid),
        guardian_id=GuardianId(guardian),
        student_id=StudentId(student),
        kind="mother",
        until=until,
    )


def member(mid: str, student: str, class_id: str) -> ClassMembership:
    return ClassMembership(
        id=MembershipId(mid),
        student_id=StudentId(student),
        class_id=ClassId(class_id),
        since=date(2025, 9, 1),
    )


def assignment(aid: str, teacher: str, subject: str, *, class_id: str) -> TeachingAssignment:
    return TeachingAssignment(
        id=AssignmentId(aid),
        teacher_id=EmployeeId(teacher),
        year=YEAR,
        subject_id=SubjectId(subject),
        class_id=ClassId(class_id),
    )


EMPLOYEES = [
    employee(e)
    for e in ("admin", "deputy", "director", "t_math", "t_3a", "t_7a", "clerk", "secretary", "hr")
] + [employee("t_gone", dismissed_on=date(2026, 1, 31))]
CLASSES = [
    SchoolClass(
        id=ClassId("3a"), year=YEAR, parallel=3, letter="А", class_teacher_id=EmployeeId("t_3a")
    ),
    SchoolClass(
        id=ClassId("7a"), year=YEAR, parallel=7, letter="А", class_teacher_id=EmployeeId("t_7a")
    ),
    SchoolClass(
        id=ClassId("7b"), year=YEAR, parallel=7, letter="Б", class_teacher_id=EmployeeId("t_gone")
    ),
]
ASSIGNMENTS = [
    assignment("a1", "t_math", "math", class_id="7a"),
    assignment("a2", "t_3a", "reading", class_id="3a"),
    assignment("a3", "t_7a", "russian", class_id="7a"),
    assignment("a4", "t_gone", "math", class_id="7b"),
]
LINKS = [
    link("l1", "g1", "s3a_1"),
    link("l2", "g1", "s7a_1"),
    link("l3", "g2", "s3a_2"),
    link("l4", "g3", "s7a_2", until=date(2026, 1, 10)),
]
MEMBERSHIPS = [
    member("m1", "s3a_1", "3a"),
    member("m2", "s3a_2", "3a"),
    member("m3", "s7a_1", "7a"),
    member("m4", "s7a_2", "7a"),
    member("m5", "s7b_1", "7b"),
]
DIRECTORY = MemoryDirectory(
    employees=EMPLOYEES,
    classes=CLASSES,
    assignments=ASSIGNMENTS,
    guardian_links=LINKS,
    memberships=MEMBERSHIPS,
)
AUTH = Authorizer(MATRIX, DIRECTORY)


def staff(eid: str, *roles: Role) -> Actor:
    return Actor(
        account_id=AccountId(f"acc-{eid}"),
        roles=roles,
        school_id=SCHOOL,
        employee_id=EmployeeId(eid),
    )


def parent(gid: str) -> Actor:
    return Actor(
        account_id=AccountId(f"acc-{gid}"),
        roles=[Role.PARENT],
        school_id=SCHOOL,
        guardian_id=GuardianId(gid),
    )


def student(sid: str) -> Actor:
    return Actor(
        account_id=AccountId(f"acc-{sid}"),
        roles=[Role.STUDENT],
        school_id=SCHOOL,
        student_id=StudentId(sid),
    )


def allowed(actor: Actor, action: Action, target: Target, on: date = ON) -> bool:
    return AUTH.check(actor, action, target, on=on).allowed


def cls(class_id: str, subject: str | None = None) -> Target:
    return Target(
        school_id=SCHOOL,
        class_id=ClassId(class_id),
        subject_id=None if subject is None else SubjectId(subject),
    )


def pupil(student_id: str, subject: str | None = None) -> Target:
    return Target(
        school_id=SCHOOL,
        student_id=StudentId(student_id),
        subject_id=None if subject is None else SubjectId(subject),
    )


class TestCatalogue:
    def test_roles_have_russian_and_english_names(self) -> None:
        """R3.2.1: each of the eleven roles has its regulation name and an English one."""
        assert len(Role) == 11
        assert Role.CLERK.label() == "Делопроизводитель"
        assert Role.REGIONAL_COORDINATOR.label(Language.EN) == "Regional coordinator"
        assert all(role.label("ru") != role.label("en") for role in Role)

    def test_every_action_and_scope_is_labelled(self) -> None:
        """R3.1a: every action and scope has a label in both languages."""
        for member in [*Action, *Scope]:
            assert member.label("ru")
            assert member.label("en")

    def test_reports_are_reads(self) -> None:
        """R3.2.4: reports and `.read` actions are reads, everything else is a write."""
        assert not Action.REPORT_PARENT_LETTER.is_write
        assert Action.REPORT_PARENT_LETTER.is_report
        assert not Action.DIARY_READ.is_write
        assert Action.MOVEMENT_BOOK_WRITE.is_write

    def test_academic_year_rejects_datetime(self) -> None:
        """A datetime is not a day: the year of a moment is ambiguous."""
        from datetime import UTC, datetime

        with pytest.raises(ValidationError):
            rbac.academic_year_of(datetime(2026, 1, 1, tzinfo=UTC))


class TestMatrix:
    def test_default_matrix_cites_a_clause_in_every_cell(self) -> None:
        """R3.2.1: every granted cell cites a clause and a requirement id."""
        assert len(MATRIX.grants) > 100
        for grant in MATRIX.grants:
            assert grant.clause[0].isdigit()
            assert grant.requirement.startswith("R")

    def test_every_role_has_a_right_and_every_action_a_holder(self) -> None:
        """R3.1a: each role has duties and each catalogued duty belongs to some role."""
        for role in Role:
            assert MATRIX.actions_of(role), role
        held = {grant.action for grant in MATRIX.grants}
        assert held == set(Action)

    def test_write_for_parent_is_rejected(self) -> None:
        """R3.2.4: a matrix cannot grant a parent a write."""
        with pytest.raises(ValidationError) as info:
            Grant(role="parent", action="mark.write", scope="own", clause="x", requirement="R")
        assert info.value.clause == "3.2.4"

    def test_duplicate_cell_is_rejected(self) -> None:
        """R3.2.1: a cell is granted once."""
        grant = Grant(
            role="clerk",
            action="staff_card.write",
            scope="school",
            clause="6.2",
            requirement="R6.2",
        )
        with pytest.raises(ValidationError):
            RoleMatrix(grants=[grant, grant])

    def test_render_markdown_and_csv_in_both_languages(self) -> None:
        """R3.2.1: the matrix exports as the school's Appendix 1, in Russian and English."""
        md_ru = MATRIX.render("md", "ru")
        assert md_ru.splitlines()[0].startswith("| Роль | Действие |")
        assert "| Секретарь | Редактирование книги движения учащихся |" in md_ru
        assert len(md_ru.splitlines()) == len(MATRIX.grants) + 2
        csv_en = MATRIX.render("csv", "en")
        assert csv_en.splitlines()[0] == "Role,Action,Action code,Scope,Clause,Requirement"
        with pytest.raises(ValidationError):
            MATRIX.render("xlsx")


class TestSubjectTeacher:
    def test_sets_marks_only_where_he_teaches(self) -> None:
        """R8.4.1: a subject teacher sets marks only in the classes and subjects he teaches."""
        teacher = staff("t_math", Role.TEACHER)
        assert allowed(teacher, Action.MARK_WRITE, cls("7a", "math"))
        assert allowed(teacher, Action.MARK_WRITE, pupil("s7a_1", "math"))
        assert not allowed(teacher, Action.MARK_WRITE, cls("7a", "russian"))
        assert not allowed(teacher, Action.MARK_WRITE, cls("3a", "math"))
        assert not allowed(teacher, Action.MARK_WRITE, pupil("s3a_1", "math"))
        assert not allowed(teacher, Action.MARK_WRITE, cls("7a"))

    def test_rights_end_with_the_year(self) -> None:
        """R8.4.1: a teaching assignment gives rights only within its academic year."""
        teacher = staff("t_math", Role.TEACHER)
        assert not allowed(teacher, Action.MARK_WRITE, cls("7a", "math"), on=date(2026, 9, 1))

    def test_rights_end_with_the_assignment_dates(self) -> None:
        """R8.4.1: an assignment that ended gives no rights after its last day."""
        ended = attrs.evolve(ASSIGNMENTS[0], until=date(2026, 2, 1))
        directory = MemoryDirectory(employees=EMPLOYEES, classes=CLASSES, assignments=[ended])
        authorizer = Authorizer(MATRIX, directory)
        teacher = staff("t_math", Role.TEACHER)
        target = cls("7a", "math")
        assert authorizer.check(teacher, Action.MARK_WRITE, target, on=date(2026, 1, 30)).allowed
        assert not authorizer.check(teacher, Action.MARK_WRITE, target, on=ON).allowed

    def test_group_assignment(self) -> None:
        """R8.4.1: a teacher of a group sets marks to that group only."""
        group = Group(
            id=GroupId("g-eng"),
            year=YEAR,
            subject_id=SubjectId("eng"),
            name="7А англ. 1 гр.",
            kind=GroupKind.SUBGROUP,
            class_ids=["7a"],
        )
        taught = TeachingAssignment(
            id=AssignmentId("ag"),
            teacher_id=EmployeeId("t_math"),
            year=YEAR,
            subject_id=SubjectId("eng"),
            group_id=group.id,
        )
        authorizer = Authorizer(MATRIX, MemoryDirectory(employees=EMPLOYEES, assignments=[taught]))
        teacher = staff("t_math", Role.TEACHER)
        target = Target(school_id=SCHOOL, group_id=group.id, subject_id=SubjectId("eng"))
        assert authorizer.check(teacher, Action.MARK_WRITE, target, on=ON).allowed
        other = attrs.evolve(target, group_id=GroupId("g-other"))
        assert not authorizer.check(teacher, Action.MARK_WRITE, other, on=ON).allowed

    def test_lesson_content_and_thematic_plans(self) -> None:
        """R8.4.2, R5.7: he enters lesson content and thematic plans for what he teaches."""
        teacher = staff("t_math", Role.TEACHER)
        assert allowed(teacher, Action.LESSON_CONTENT_WRITE, cls("7a", "math"))
        assert allowed(teacher, Action.THEMATIC_PLAN_WRITE, cls("7a", "math"))
        assert not allowed(teacher, Action.THEMATIC_PLAN_WRITE, cls("3a", "reading"))


class TestClassTeacher:
    def test_primary_class_teacher_sets_period_marks_in_every_subject(self) -> None:
        """R8.7b: a grade-3 class teacher sets period marks in every subject of his class."""
        teacher = staff("t_3a", Role.TEACHER)
        for subject in ("math", "russian", "music"):
            decision = AUTH.check(teacher, Action.PERIOD_MARK_WRITE, cls("3a", subject), on=ON)
            assert decision.allowed
            assert decision.grant is not None
            assert decision.grant.scope is Scope.OWN_PRIMARY_CLASS
            assert decision.clause == "8.7"
        assert allowed(teacher, Action.FINAL_MARK_WRITE, cls("3a", "math"))
        assert not allowed(teacher, Action.PERIOD_MARK_WRITE, cls("7a", "math"))

    def test_grade7_class_teacher_does_not(self) -> None:
        """R8.7a, R8.8: a grade-7 class teacher sets period marks only for what he teaches."""
        teacher = staff("t_7a", Role.TEACHER)
        assert not allowed(teacher, Action.PERIOD_MARK_WRITE, cls("7a", "math"))
        assert not allowed(teacher, Action.FINAL_MARK_WRITE, cls("7a", "math"))
        assert allowed(teacher, Action.PERIOD_MARK_WRITE, cls("7a", "russian"))

    def test_absence_reasons_and_cards_of_own_class(self) -> None:
        """R8.5.1, R6.4: the class teacher corrects absences and keeps cards of his class."""
        teacher = staff("t_7a", Role.TEACHER)
        assert allowed(teacher, Action.ABSENCE_REASON_WRITE, pupil("s7a_1"))
        assert not allowed(teacher, Action.ABSENCE_REASON_WRITE, pupil("s3a_1"))
        assert allowed(teacher, Action.STUDENT_CARD_WRITE, pupil("s7a_2"))
        parent_target = Target(school_id=SCHOOL, guardian_id=GuardianId("g1"))
        assert allowed(teacher, Action.PARENT_CARD_WRITE, parent_target)
        assert not allowed(teacher, Action.STUDENT_CARD_CREATE, pupil("s7a_2"))

    def test_class_events(self) -> None:
        """R7.3: the class teacher keeps the events of his class, not of others."""
        teacher = staff("t_7a", Role.TEACHER)
        assert allowed(teacher, Action.CLASS_EVENT_WRITE, cls("7a"))
        assert not allowed(teacher, Action.CLASS_EVENT_WRITE, cls("3a"))
        assert not allowed(teacher, Action.SCHOOL_EVENT_WRITE, cls("7a"))

    def test_issues_credentials_to_parents_of_his_class_only(self) -> None:
        """R3.2.3b: a class teacher issues credentials to the parents of his class only."""
        teacher = staff("t_3a", Role.TEACHER)
        mine = Target(school_id=SCHOOL, guardian_id=GuardianId("g2"))
        foreign = Target(school_id=SCHOOL, guardian_id=GuardianId("g3"))
        assert allowed(teacher, Action.PARENT_CREDENTIALS_ISSUE, mine)
        assert not allowed(teacher, Action.PARENT_CREDENTIALS_ISSUE, foreign)
        assert allowed(teacher, Action.STUDENT_CREDENTIALS_ISSUE, pupil("s3a_1"))
        assert not allowed(teacher, Action.STUDENT_CREDENTIALS_ISSUE, pupil("s7a_1"))
        staff_target = Target(school_id=SCHOOL, employee_id=EmployeeId("t_math"))
        assert not allowed(teacher, Action.STAFF_CREDENTIALS_ISSUE, staff_target)

    def test_class_teacher_reports(self) -> None:
        """R11.4a-c, R11.5: the class teacher runs his class's reports, not another's."""
        teacher = staff("t_7a", Role.TEACHER)
        for action in (
            Action.REPORT_CLASS_ATTENDANCE,
            Action.REPORT_CLASS_TEACHER_PRELIMINARY,
            Action.REPORT_PARENT_LETTER,
        ):
            assert allowed(teacher, action, cls("7a"))
            assert not allowed(teacher, action, cls("3a"))
        assert not allowed(teacher, Action.REPORT_SCHOOL_PERFORMANCE, cls("7a"))


class TestParentsAndStudents:
    def test_parent_of_two_children_sees_both_and_no_one_else(self) -> None:
        """R3.2.4, R8.11: a parent of two children reads both diaries and no other."""
        mother = parent("g1")
        assert allowed(mother, Action.DIARY_READ, pupil("s3a_1"))
        assert allowed(mother, Action.DIARY_READ, pupil("s7a_1"))
        for other in ("s3a_2", "s7a_2", "s7b_1"):
            assert not allowed(mother, Action.DIARY_READ, pupil(other))
        assert not allowed(mother, Action.DIARY_READ, cls("3a"))

    def test_parent_rights_end_with_the_link(self) -> None:
        """R3.2.4: a guardian link that ended gives no more access."""
        former = parent("g3")
        assert allowed(former, Action.DIARY_READ, pupil("s7a_2"), on=date(2026, 1, 10))
        assert not allowed(former, Action.DIARY_READ, pupil("s7a_2"), on=date(2026, 1, 11))

    def test_parent_and_student_never_write(self) -> None:
        """R3.2.4: a parent or a student only reads, whatever the target."""
        for actor in (parent("g1"), student("s3a_1")):
            for action in Action:
                if action.is_write:
                    decision = AUTH.check(actor, action, pupil("s3a_1", "math"), on=ON)
                    assert not decision.allowed
        assert "только просматривают" in AUTH.check(
            student("s3a_1"), Action.MARK_WRITE, pupil("s3a_1"), on=ON
        ).explain("ru")

    def test_student_reads_only_his_own(self) -> None:
        """R3.2.4: a student reads his own diary and card, not a classmate's."""
        pupil_actor = student("s3a_1")
        assert allowed(pupil_actor, Action.DIARY_READ, pupil("s3a_1"))
        assert allowed(pupil_actor, Action.STUDENT_CARD_READ, pupil("s3a_1"))
        assert not allowed(pupil_actor, Action.DIARY_READ, pupil("s3a_2"))
        assert not allowed(pupil_actor, Action.JOURNAL_READ, cls("3a", "math"))


class TestOfficeRoles:
    def test_clerk_creates_student_cards_but_sets_no_marks(self) -> None:
        """R6.3: the clerk creates student and parent cards and links, but sets no marks."""
        clerk = staff("clerk", Role.CLERK)
        school = Target(school_id=SCHOOL)
        assert allowed(clerk, Action.STUDENT_CARD_CREATE, school)
        assert allowed(clerk, Action.PARENT_CARD_CREATE, school)
        assert allowed(clerk, Action.PARENT_LINK_WRITE, pupil("s3a_1"))
        assert not allowed(clerk, Action.MARK_WRITE, cls("3a", "math"))
        assert not allowed(clerk, Action.STUDENT_CARD_CREATE, Target(school_id=SchoolId("s2")))

    def test_secretary_edits_movement_book_teacher_does_not(self) -> None:
        """R10.1: the secretary, deputy head or administrator edit the movement book."""
        school = Target(school_id=SCHOOL)
        assert allowed(staff("secretary", Role.SECRETARY), Action.MOVEMENT_BOOK_WRITE, school)
        assert allowed(staff("deputy", Role.DEPUTY_HEAD), Action.MOVEMENT_BOOK_WRITE, school)
        assert allowed(staff("admin", Role.ADMINISTRATOR), Action.MOVEMENT_BOOK_WRITE, school)
        assert not allowed(staff("t_7a", Role.TEACHER), Action.MOVEMENT_BOOK_WRITE, school)

    def test_staff_cards(self) -> None:
        """R6.2: the HR specialist or the clerk keep staff cards; a teacher does not."""
        target = Target(school_id=SCHOOL, employee_id=EmployeeId("t_math"))
        assert allowed(staff("hr", Role.HR_SPECIALIST), Action.STAFF_CARD_WRITE, target)
        assert allowed(staff("clerk", Role.CLERK), Action.STAFF_CARD_WRITE, target)
        assert not allowed(staff("t_7a", Role.TEACHER), Action.STAFF_CARD_WRITE, target)

    def test_administrator_duties(self) -> None:
        """R4.1, R4.4b, R3.2.1: the administrator runs the year, the calendar and roles."""
        admin = staff("admin", Role.ADMINISTRATOR)
        school = Target(school_id=SCHOOL)
        for action in (
            Action.YEAR_FORMATION_START,
            Action.YEAR_CLOSE,
            Action.CALENDAR_WRITE,
            Action.ROLE_ASSIGN,
        ):
            assert allowed(admin, action, school)
            assert not allowed(staff("deputy", Role.DEPUTY_HEAD), action, school)
        assert not allowed(admin, Action.MARK_WRITE, cls("7a", "math"))

    def test_deputy_head_duties(self) -> None:
        """R5.2, R7.2, R4.6: the deputy head forms the curriculum and the timetable."""
        deputy = staff("deputy", Role.DEPUTY_HEAD)
        school = Target(school_id=SCHOOL)
        for action in (
            Action.CURRICULUM_WRITE,
            Action.TIMETABLE_WRITE,
            Action.BELL_SCHEDULE_WRITE,
            Action.DAY_TRANSFER_WRITE,
            Action.TEACHING_ASSIGNMENT_WRITE,
            Action.REPORT_MARK_TIMELINESS,
        ):
            assert allowed(deputy, action, school)
        assert not allowed(deputy, Action.MARK_WRITE, cls("7a", "math"))

    def test_deputy_head_answers_for_the_curriculum(self) -> None:
        """R5.8: the deputy head writes the curriculum and the subjects; a teacher does not."""
        deputy = staff("deputy", Role.DEPUTY_HEAD)
        teacher = staff("t_7a", Role.TEACHER)
        school = Target(school_id=SCHOOL)
        for action in (Action.CURRICULUM_WRITE, Action.SUBJECT_WRITE, Action.CURRICULUM_READ):
            assert allowed(deputy, action, school)
        assert not allowed(teacher, Action.CURRICULUM_WRITE, school)
        assert not allowed(teacher, Action.SUBJECT_WRITE, school)

    def test_deputy_head_controls_the_movement_book(self) -> None:
        """R10.2: the deputy head reads the movement book and the student cards school-wide."""
        deputy = staff("deputy", Role.DEPUTY_HEAD)
        teacher = staff("t_7a", Role.TEACHER)
        school = Target(school_id=SCHOOL)
        assert allowed(deputy, Action.MOVEMENT_BOOK_READ, school)
        assert allowed(deputy, Action.STUDENT_CARD_READ, pupil("s3a_1"))
        assert not allowed(teacher, Action.MOVEMENT_BOOK_READ, school)

    def test_report_constructor(self) -> None:
        """R11.6: administrator, deputy head, clerk and HR specialist use the constructor."""
        school = Target(school_id=SCHOOL)
        holders = {Role.ADMINISTRATOR, Role.DEPUTY_HEAD, Role.CLERK, Role.HR_SPECIALIST}
        ids = {
            Role.ADMINISTRATOR: "admin",
            Role.DEPUTY_HEAD: "deputy",
            Role.CLERK: "clerk",
            Role.HR_SPECIALIST: "hr",
            Role.TEACHER: "t_7a",
            Role.SECRETARY: "secretary",
            Role.DIRECTOR: "director",
        }
        for role, eid in ids.items():
            assert allowed(staff(eid, role), Action.REPORT_CONSTRUCTOR, school) == (role in holders)

    def test_coordinators(self) -> None:
        """R4.2b: the district coordinator runs the transition report for his district."""
        coordinator = Actor(
            account_id=AccountId("dc"), roles=[Role.DISTRICT_COORDINATOR], district="Кир"
        )
        mine = Target(school_id=SCHOOL, district="Кир")
        assert allowed(coordinator, Action.REPORT_TRANSITION_STATE, mine)
        assert not allowed(coordinator, Action.REPORT_TRANSITION_STATE, Target(district="Луга"))
        assert not allowed(coordinator, Action.JOURNAL_READ, mine)
        regional = Actor(account_id=AccountId("rc"), roles=[Role.REGIONAL_COORDINATOR], region="ЛО")
        assert allowed(regional, Action.REPORT_TRANSITION_STATE, Target(region="ЛО"))


class TestDismissalAndExplanations:
    def test_dismissed_employee_has_no_rights(self) -> None:
        """R4.3: a dismissed employee has no rights after his dismissal."""
        gone = staff("t_gone", Role.TEACHER)
        assert allowed(gone, Action.MARK_WRITE, cls("7b", "math"), on=date(2026, 1, 31))
        decision = AUTH.check(gone, Action.MARK_WRITE, cls("7b", "math"), on=ON)
        assert not decision.allowed
        assert "dismissed" in decision.explain("en")

    def test_allowed_decision_explains_role_relation_and_cell(self) -> None:
        """R3.1a: an allowed decision names the role, the relation and the matrix cell."""
        decision = AUTH.check(
            staff("t_math", Role.TEACHER), Action.MARK_WRITE, cls("7a", "math"), on=ON
        )
        text = decision.explain("en")
        assert "role 'Teacher'" in text
        assert "teaches subject math in class 7a" in text
        assert "clause 8.4.1" in text
        assert decision.requirement == "R8.4.1"
        assert "Разрешено" in decision.explain()

    def test_denied_decision_explains_why(self) -> None:
        """R3.1c: a denial says, per role, why nothing granted the action."""
        actor = staff("t_math", Role.TEACHER, Role.CLERK)
        decision = AUTH.check(actor, Action.MARK_WRITE, cls("3a", "math"), on=ON)
        assert not decision.allowed
        assert decision.clause == "3.1"
        assert len(decision.reasons_en) == 2
        assert "outside the granted scope" in decision.reasons_en[0]
        assert "grants no such right" in decision.reasons_en[1]

    def test_require_raises_permission_denied(self) -> None:
        """R3.1c: require() raises PermissionDenied carrying the explanation."""
        with pytest.raises(PermissionDenied) as info:
            AUTH.require(parent("g1"), Action.MARK_WRITE, pupil("s3a_1"), on=ON)
        assert info.value.code == "access.denied"
        assert "Denied" in info.value.message("en")

    def test_actor_without_roles_is_denied(self) -> None:
        """R3.1c: an account without roles can do nothing."""
        decision = AUTH.check(
            Actor(account_id=AccountId("x"), roles=[]), Action.DIARY_READ, pupil("s3a_1"), on=ON
        )
        assert not decision.allowed
        assert decision.reasons_en == ("the actor has no roles",)

    def test_decision_day_must_be_a_date(self) -> None:
        """A decision is taken for a day; a datetime is rejected."""
        from datetime import UTC, datetime

        with pytest.raises(ValidationError):
            AUTH.check(
                parent("g1"), Action.DIARY_READ, pupil("s3a_1"), on=datetime(2026, 3, 2, tzinfo=UTC)
            )


# --- properties -------------------------------------------------------------------------

STAFF_IDS = ["e0", "e1", "e2", "e3"]
STUDENT_IDS = ["p0", "p1", "p2", "p3", "p4"]
GUARDIAN_IDS = ["q0", "q1", "q2"]
CLASS_IDS = ["c0", "c1", "c2"]
SUBJECT_IDS = ["math", "art"]


@attrs.frozen
class World:
    employees: list[Employee]
    classes: list[SchoolClass]
    assignments: list[TeachingAssignment]
    links: list[GuardianLink]
    memberships: list[ClassMembership]


@st.composite
def worlds(draw: st.DrawFn) -> World:
    """A random small school: classes, teachers, assignments, links, memberships."""
    dismissed = draw(st.sets(st.sampled_from(STAFF_IDS), max_size=2))
    employees = [
        employee(e, dismissed_on=date(2026, 1, 1) if e in dismissed else None) for e in STAFF_IDS
    ]
    classes = [
        SchoolClass(
            id=ClassId(c),
            year=draw(st.sampled_from([YEAR, "2024/2025"])),
            parallel=draw(st.integers(1, 11)),
            letter="А",
            class_teacher_id=draw(st.none() | st.sampled_from(STAFF_IDS).map(EmployeeId)),
        )
        for c in CLASS_IDS
    ]
    pairs = draw(
        st.sets(
            st.tuples(
                st.sampled_from(STAFF_IDS), st.sampled_from(SUBJECT_IDS), st.sampled_from(CLASS_IDS)
            ),
            max_size=6,
        )
    )
    assignments = [assignment(f"a{i}", t, s, class_id=c) for i, (t, s, c) in enumerate(pairs)]
    link_pairs = draw(
        st.sets(st.tuples(st.sampled_from(GUARDIAN_IDS), st.sampled_from(STUDENT_IDS)), max_size=6)
    )
    links = [
        link(f"l{i}", g, s, until=draw(st.none() | st.just(date(2026, 1, 1))))
        for i, (g, s) in enumerate(link_pairs)
    ]
    memberships = [
        member(f"m{i}", s, draw(st.sampled_from(CLASS_IDS))) for i, s in enumerate(STUDENT_IDS)
    ]
    return World(employees, classes, assignments, links, memberships)


def opt(values: list[str]) -> st.SearchStrategy[str | None]:
    """An id from ``values`` or, two times in three, none: sparse targets hit more scopes."""
    return st.sampled_from([None, None, None, None, *values])


actors = st.builds(
    Actor,
    account_id=st.just(AccountId("acc")),
    roles=st.frozensets(st.sampled_from(list(Role)), min_size=1, max_size=3),
    school_id=st.sampled_from([SCHOOL, SCHOOL, SCHOOL, SchoolId("s2")]),
    district=opt(["d1", "d2"]),
    region=opt(["r1"]),
    employee_id=opt(STAFF_IDS),
    student_id=opt(STUDENT_IDS),
    guardian_id=opt(GUARDIAN_IDS),
)
targets = st.builds(
    Target,
    school_id=st.just(SCHOOL) | opt([SCHOOL, "s2"]),
    district=opt(["d1", "d2"]),
    region=opt(["r1"]),
    class_id=opt(CLASS_IDS),
    subject_id=opt(SUBJECT_IDS),
    student_id=opt(STUDENT_IDS),
    employee_id=opt(STAFF_IDS),
    guardian_id=opt(GUARDIAN_IDS),
)
days = st.dates(min_value=date(2025, 9, 1), max_value=date(2026, 8, 31)) | st.dates(
    min_value=date(2024, 9, 1), max_value=date(2027, 8, 31)
)


def directory_of(world: World) -> MemoryDirectory:
    return MemoryDirectory(
        employees=world.employees,
        classes=world.classes,
        assignments=world.assignments,
        guardian_links=world.links,
        memberships=world.memberships,
    )


class TestProperties:
    @given(worlds(), actors, st.sampled_from(list(Action)), targets, days)
    def test_nothing_outside_the_matrix_is_allowed(
        self, world: World, actor: Actor, action: Action, target: Target, on: date
    ) -> None:
        """R3.1c: an allowed decision always rests on a granted cell of one of the actor's roles."""
        decision = Authorizer(MATRIX, directory_of(world)).check(actor, action, target, on=on)
        if decision.allowed:
            assert decision.role in actor.roles
            assert decision.grant is not None
            assert decision.grant in MATRIX.cells(decision.role, action)
            if decision.role.is_staff:
                assert actor.employee_id is not None
                assert directory_of(world).employee_active(actor.employee_id, on)
        else:
            assert decision.grant is None
            assert decision.reasons_en

    @given(worlds(), actors, st.sampled_from(list(Action)), targets, days)
    def test_empty_matrix_denies_everything(
        self, world: World, actor: Actor, action: Action, target: Target, on: date
    ) -> None:
        """R3.1c: with no granted cells, nothing is allowed."""
        authorizer = Authorizer(RoleMatrix(grants=[]), directory_of(world))
        assert not authorizer.check(actor, action, target, on=on).allowed

    @given(
        worlds(),
        actors.map(lambda a: attrs.evolve(a, roles=a.roles & {Role.PARENT, Role.STUDENT})),
        st.sampled_from([a for a in Action if a.is_write]),
        targets,
        days,
    )
    def test_parent_or_student_never_writes(
        self, world: World, actor: Actor, action: Action, target: Target, on: date
    ) -> None:
        """R3.2.4: a parent or a student never gets a write."""
        assert (
            not Authorizer(MATRIX, directory_of(world)).check(actor, action, target, on=on).allowed
        )

    @given(worlds(), actors, st.sampled_from(list(Action)), targets, days)
    def test_storage_directory_agrees_with_memory_directory(
        self, world: World, actor: Actor, action: Action, target: Target, on: date
    ) -> None:
        """The directory over our storage decides exactly as the in-memory one."""
        store = MemoryStore()
        with store.unit_of_work() as uow:
            uow.employees.add_many(world.employees)
            uow.subjects.add_many([Subject(id=SubjectId(s), name=s) for s in SUBJECT_IDS])
            uow.classes.add_many(world.classes)
            uow.assignments.add_many(world.assignments)
            from eschool_core.people import Guardian, Student

            uow.students.add_many([Student(id=StudentId(s), person=PERSON) for s in STUDENT_IDS])
            uow.guardians.add_many(
                [Guardian(id=GuardianId(g), person=PERSON) for g in GUARDIAN_IDS]
            )
            uow.guardian_links.add_many(world.links)
            uow.memberships.add_many(world.memberships)
            uow.commit()
        with store.unit_of_work() as uow:
            stored = Authorizer(MATRIX, UnitOfWorkDirectory(uow)).check(
                actor, action, target, on=on
            )
        memory = Authorizer(MATRIX, directory_of(world)).check(actor, action, target, on=on)
        assert stored == memory


class TestMovementGate:
    """R10.1: the movement book asks the role model through an ActionGate."""

    def _book_and_order(self) -> tuple[MovementBook, Order]:
        book = MovementBook(CLASSES, policy=MovementPolicy(default_capacity=25))
        order = Order(
            id=OrderId("o1"),
            number="12-у",
            kind=OrderKind.ENROLLMENT,
            issued_on=date(2026, 3, 2),
            entered_at=datetime(2026, 3, 2, 10, tzinfo=UTC),
            author_id=EmployeeId("secretary"),
            year=YEAR,
            items=[OrderItem(student_id=StudentId("new"), class_id=ClassId("7a"))],
        )
        return book, order

    def test_secretary_applies_an_order(self) -> None:
        """R10.1: the secretary may apply a movement order through the gate."""
        book, order = self._book_and_order()
        gate = ActionGate(AUTH, school_id=SCHOOL, on=ON)
        book.apply(order, authorizer=gate, actor=staff("secretary", Role.SECRETARY))
        assert book.orders == (order,)

    def test_teacher_is_refused_and_book_unchanged(self) -> None:
        """R10.1: a teacher is refused and the book stays as it was."""
        book, order = self._book_and_order()
        gate = ActionGate(AUTH, school_id=SCHOOL, on=ON)
        with pytest.raises(PermissionDenied):
            book.apply(order, authorizer=gate, actor=staff("t_7a", Role.TEACHER))
        with pytest.raises(PermissionDenied):
            gate.require("not an actor", MOVEMENT_EDIT, order)
        with pytest.raises(PermissionDenied):
            gate.require(staff("secretary", Role.SECRETARY), "teleport", order)
        assert book.orders == ()
