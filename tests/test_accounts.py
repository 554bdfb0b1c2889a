"""Accounts and credentials (R3.2.1, R3.2.2a-c, R3.2.3a-b, R12.5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.accounts import (
    UNKNOWN_LOGIN,
    AccountPolicy,
    Accounts,
    HolderKind,
    LoginStatus,
    MemoryAccountStore,
    ScryptHasher,
)
from eschool_core.audit import AuditKind, AuditLog, MemoryAuditLogStore
from eschool_core.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    RuleViolation,
    ValidationError,
)
from eschool_core.ids import (
    AccountId,
    ClassId,
    EmployeeId,
    GuardianId,
    GuardianLinkId,
    MembershipId,
    SchoolId,
    StudentId,
)
from eschool_core.people import Employee, GuardianLink, Person
from eschool_core.profiles import default_profile
from eschool_core.rbac import Actor, Authorizer, MemoryDirectory, Role
from eschool_core.school import ClassMembership, SchoolClass

CHEAP = ScryptHasher(n=2**4, r=1, p=1)
ON = date(2026, 3, 2)
AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SCHOOL = SchoolId("s1")
PERSON = Person(last_name="Петров", first_name="Пётр")


def membership(mid: str, student: str, class_id: str) -> ClassMembership:
    return ClassMembership(
        id=MembershipId(mid),
        student_id=StudentId(student),
        class_id=ClassId(class_id),
        since=date(2025, 9, 1),
    )


def guardian_link(lid: str, guardian: str, student: str) -> GuardianLink:
    return GuardianLink(
        id=GuardianLinkId(lid),
        guardian_id=GuardianId(guardian),
        student_id=StudentId(student),
        kind="mother",
    )


def directory() -> MemoryDirectory:
    return MemoryDirectory(
        employees=[
            Employee(id=EmployeeId(e), person=PERSON, position="учитель")
            for e in ("admin", "t_5a", "t_6a")
        ],
        classes=[
            SchoolClass(
                id=ClassId("5a"),
                year="2025/2026",
                parallel=5,
                letter="А",
                class_teacher_id=EmployeeId("t_5a"),
            ),
            SchoolClass(
                id=ClassId("6a"),
                year="2025/2026",
                parallel=6,
                letter="А",
                class_teacher_id=EmployeeId("t_6a"),
            ),
        ],
        memberships=[
            membership("m1", "s5", "5a"),
            membership("m2", "s6", "6a"),
        ],
        guardian_links=[
            guardian_link("l1", "g5", "s5"),
            guardian_link("l2", "g6", "s6"),
        ],
    )


def staff(eid: str, role: Role) -> Actor:
    return Actor(
        account_id=AccountId(f"acc-{eid}"),
        roles=[role],
        school_id=SCHOOL,
        employee_id=EmployeeId(eid),
    )


ADMIN = staff("admin", Role.ADMINISTRATOR)
CLASS_TEACHER = staff("t_5a", Role.TEACHER)


@pytest.fixture
def service() -> Accounts:
    log = AuditLog(MemoryAuditLogStore())
    authorizer = Authorizer(default_profile().rbac, directory())
    return Accounts(MemoryAccountStore(), authorizer, log, policy=AccountPolicy(), hasher=CHEAP)


def issue(service: Accounts, issuer: Actor, kind: HolderKind, holder: str, login: str) -> str:
    issued = service.issue(
        issuer,
        account_id=AccountId(f"a-{login}"),
        login=login,
        holder_kind=kind,
        holder_id=holder,
        school_id=SCHOOL,
        on=ON,
        at=AT,
    )
    return issued.start_password


class TestHasher:
    def test_round_trip_and_parameters_in_hash(self) -> None:
        """R3.2.2a: a scrypt hash names its parameters and verifies only its password."""
        encoded = CHEAP.hash("Пароль-123")
        assert encoded.startswith("scrypt$n=16,r=1,p=1$")
        assert CHEAP.verify("Пароль-123", encoded)
        assert not CHEAP.verify("Пароль-124", encoded)
        assert CHEAP.hash("Пароль-123") != encoded  # fresh salt

    def test_stronger_hasher_verifies_old_hashes_and_asks_to_rehash(self) -> None:
        """R3.2.2a: raised parameters still verify old hashes and flag them for renewal."""
        encoded = CHEAP.hash("abc12345678")
        stronger = ScryptHasher(n=2**5, r=2)
        assert stronger.verify("abc12345678", encoded)
        assert stronger.needs_rehash(encoded)
        assert not CHEAP.needs_rehash(encoded)

    def test_malformed_hash_does_not_verify(self) -> None:
        """A malformed encoded hash verifies nothing."""
        assert not CHEAP.verify("x", "plain")
        assert not CHEAP.verify("x", "scrypt$n=3,r=1,p=1$AAAA$AAAA")
        assert CHEAP.needs_rehash("plain")

    def test_parameters_are_validated(self) -> None:
        """The scrypt cost must be a power of two."""
        with pytest.raises(ValidationError):
            ScryptHasher(n=1000)


class TestScryptCost:
    def test_new_hashes_use_owasps_cost(self) -> None:
        """R3.2.2a: the default scrypt cost is n = 2**17 (OWASP), and 2**15 hashes are renewed."""
        assert (ScryptHasher().n, ScryptHasher().r, ScryptHasher().p) == (2**17, 8, 1)
        old = ScryptHasher(n=2**15).hash("пароль-2015-года")
        assert ScryptHasher().needs_rehash(old)
        assert ScryptHasher().verify("пароль-2015-года", old)

    def test_a_login_renews_a_hash_of_an_older_cost(self) -> None:
        """R3.2.2a: a successful login rehashes a weaker hash; a failed one changes nothing."""
        accounts = MemoryAccountStore()
        log = AuditLog(MemoryAuditLogStore())
        authorizer = Authorizer(default_profile().rbac, directory())
        weak = Accounts(accounts, authorizer, log, hasher=CHEAP)
        start = issue(weak, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        weak.change_password("pupil5", start, "новый-пароль-7", at=AT)
        stronger_hasher = ScryptHasher(n=2**5, r=2, p=1)
        stronger = Accounts(accounts, authorizer, log, hasher=stronger_hasher)
        old_hash = accounts.get(AccountId("a-pupil5")).password_hash
        assert stronger.login("pupil5", "новый-пароль-8", at=AT).status is not LoginStatus.OK
        assert accounts.get(AccountId("a-pupil5")).password_hash == old_hash
        assert stronger.login("pupil5", "новый-пароль-7", at=AT).status is LoginStatus.OK
        renewed = accounts.get(AccountId("a-pupil5")).password_hash
        assert renewed.startswith("scrypt$n=32,r=2,p=1$")
        assert not stronger_hasher.needs_rehash(renewed)
        assert stronger.login("pupil5", "новый-пароль-7", at=AT).status is LoginStatus.OK

    def test_issuing_credentials_hashes_once(self) -> None:
        """R3.2.3a: issuing a start password computes one hash, no throwaway dummy hash."""
        service, hasher, _log = _counting_service()
        issue(service, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        assert hasher.hashed == 1


class TestPolicy:
    @settings(max_examples=20)
    @given(st.integers(0, 10))
    def test_start_passwords_satisfy_policy_and_differ(self, extra: int) -> None:
        """R3.2.2b: generated start passwords satisfy the policy and are random."""
        policy = AccountPolicy(start_password_length=10 + extra)
        first, second = policy.generate_start_password(), policy.generate_start_password()
        assert not policy.problems(first)
        assert len(first) == policy.start_password_length
        assert first != second

    def test_problems(self) -> None:
        """The policy names what a password lacks."""
        policy = AccountPolicy(min_length=8)
        assert policy.problems("12345678") == ("no_letter",)
        assert policy.problems("abcdefgh") == ("no_digit",)
        assert policy.problems("abc1") == ("too_short",)


class TestIssuing:
    def test_admin_issues_staff_credentials_teacher_does_not(self, service: Accounts) -> None:
        """R3.2.3a: the administrator issues credentials to staff; a teacher cannot."""
        assert issue(service, ADMIN, HolderKind.EMPLOYEE, "t_6a", "teacher6")
        with pytest.raises(PermissionDenied):
            issue(service, CLASS_TEACHER, HolderKind.EMPLOYEE, "t_6a", "teacher6b")

    def test_class_teacher_issues_to_his_class_only(self, service: Accounts) -> None:
        """R3.2.3b: a class teacher issues credentials to students and parents of his class."""
        assert issue(service, CLASS_TEACHER, HolderKind.STUDENT, "s5", "pupil5")
        assert issue(service, CLASS_TEACHER, HolderKind.GUARDIAN, "g5", "mother5")
        with pytest.raises(PermissionDenied):
            issue(service, CLASS_TEACHER, HolderKind.GUARDIAN, "g6", "father6")
        with pytest.raises(PermissionDenied):
            issue(service, CLASS_TEACHER, HolderKind.STUDENT, "s6", "pupil6")
        assert issue(service, ADMIN, HolderKind.GUARDIAN, "g6", "father6")

    def test_rejected_issue_stores_nothing(self, service: Accounts) -> None:
        """A refused issue leaves no account behind."""
        with pytest.raises(PermissionDenied):
            issue(service, CLASS_TEACHER, HolderKind.STUDENT, "s6", "pupil6")
        assert service.login("pupil6", "whatever1", at=AT).status is LoginStatus.WRONG_CREDENTIALS

    def test_duplicate_login(self, service: Accounts) -> None:
        """R3.2.2a: logins are individual: a second account with the same login is refused."""
        issue(service, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        with pytest.raises(ConflictError):
            service.issue(
                ADMIN,
                account_id=AccountId("other"),
                login="PUPIL5",
                holder_kind=HolderKind.STUDENT,
                holder_id="s6",
                school_id=SCHOOL,
                on=ON,
                at=AT,
            )

    def test_holder_roles(self, service: Accounts) -> None:
        """R3.2.1: a student gets «Ученик», a parent «Родитель», staff no role yet."""
        issue(service, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        issue(service, ADMIN, HolderKind.GUARDIAN, "g5", "mother5")
        issue(service, ADMIN, HolderKind.EMPLOYEE, "t_6a", "teacher6")
        store_roles = {
            login: service.login(login, "x", at=AT).account for login in ("pupil5", "mother5")
        }
        pupil, mother = store_roles["pupil5"], store_roles["mother5"]
        assert pupil is not None
        assert mother is not None
        assert pupil.roles == {Role.STUDENT}
        assert mother.roles == {Role.PARENT}


class TestStartPassword:
    def test_login_with_start_password_forces_change(self, service: Accounts) -> None:
        """R3.2.2b: a login with the start password yields no actor until it is changed."""
        start = issue(service, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        result = service.login("pupil5", start, at=AT)
        assert result.status is LoginStatus.CHANGE_REQUIRED
        assert result.actor is None
        with pytest.raises(PermissionDenied) as info:
            service.actor_for(AccountId("a-pupil5"))
        assert info.value.code == "account.password_change_required"
        service.change_password("pupil5", start, "новый-пароль-7", at=AT)
        done = service.login("pupil5", "новый-пароль-7", at=AT)
        assert done.status is LoginStatus.OK
        assert done.actor is not None
        assert done.actor.student_id == "s5"
        assert service.login("pupil5", start, at=AT).status is LoginStatus.WRONG_CREDENTIALS

    def test_start_password_is_never_the_final_password(self, service: Accounts) -> None:
        """R3.2.2b: changing the start password to itself is refused."""
        start = issue(service, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        with pytest.raises(RuleViolation) as info:
            service.change_password("pupil5", start, start, at=AT)
        assert "same_as_current" in info.value.details["problems"]
        assert service.login("pupil5", start, at=AT).status is LoginStatus.CHANGE_REQUIRED

    def test_weak_new_password_is_refused_and_changes_nothing(self, service: Accounts) -> None:
        """R3.2.2a: the new password must satisfy the policy; a refusal changes nothing."""
        start = issue(service, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        for _ in range(3):
            service.login("pupil5", "wrong-pass-1", at=AT)
        with pytest.raises(RuleViolation):
            service.change_password("pupil5", start, "short1", at=AT)
        for _ in range(2):
            service.login("pupil5", "wrong-pass-1", at=AT)
        assert service.login("pupil5", start, at=AT).status is LoginStatus.LOCKED

    def test_change_needs_the_current_password(self, service: Accounts) -> None:
        """R3.2.2a: a password change needs the current password."""
        issue(service, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        with pytest.raises(PermissionDenied):
            service.change_password("pupil5", "wrong-pass-1", "новый-пароль-7", at=AT)
        with pytest.raises(PermissionDenied):
            service.change_password("nobody", "wrong-pass-1", "новый-пароль-7", at=AT)

    def test_reset_gives_a_new_start_password(self, service: Accounts) -> None:
        """R3.2.2b: a reset issues a new start password that must be changed again."""
        start = issue(service, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        service.change_password("pupil5", start, "новый-пароль-7", at=AT)
        reset = service.reset_password(CLASS_TEACHER, AccountId("a-pupil5"), on=ON, at=AT)
        assert service.login("pupil5", "новый-пароль-7", at=AT).status is (
            LoginStatus.WRONG_CREDENTIALS
        )
        assert service.login("pupil5", reset.start_password, at=AT).status is (
            LoginStatus.CHANGE_REQUIRED
        )
        with pytest.raises(NotFoundError):
            service.reset_password(ADMIN, AccountId("none"), on=ON, at=AT)


class TestLockout:
    def test_five_failures_lock_for_fifteen_minutes(self, service: Accounts) -> None:
        """R3.2.2a: 5 failed logins in a row lock the account for 15 minutes."""
        start = issue(service, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        for attempt in range(4):
            result = service.login("pupil5", "wrong-pass-1", at=AT + timedelta(seconds=attempt))
            assert result.status is LoginStatus.WRONG_CREDENTIALS
        locked = service.login("pupil5", "wrong-pass-1", at=AT + timedelta(seconds=5))
        assert locked.status is LoginStatus.LOCKED
        assert locked.locked_until == AT + timedelta(seconds=5, minutes=15)
        during = service.login("pupil5", start, at=AT + timedelta(minutes=10))
        assert during.status is LoginStatus.LOCKED
        after = service.login("pupil5", start, at=AT + timedelta(minutes=16))
        assert after.status is LoginStatus.CHANGE_REQUIRED

    def test_success_resets_the_count(self, service: Accounts) -> None:
        """A successful login clears the failures counted so far."""
        start = issue(service, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        for _ in range(4):
            service.login("pupil5", "wrong-pass-1", at=AT)
        service.login("pupil5", start, at=AT)
        result = service.login("pupil5", "wrong-pass-1", at=AT)
        assert result.status is LoginStatus.WRONG_CREDENTIALS

    def test_naive_moment_is_rejected(self, service: Accounts) -> None:
        """Clocks are passed in, timezone-aware."""
        issue(service, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        with pytest.raises(ValidationError):
            service.login("pupil5", "x", at=datetime(2026, 3, 2, 10))


class TestRolesAndEsia:
    def test_only_administrator_assigns_roles(self, service: Accounts) -> None:
        """R3.2.1: only the administrator assigns roles."""
        issue(service, ADMIN, HolderKind.EMPLOYEE, "t_6a", "teacher6")
        with pytest.raises(PermissionDenied):
            service.assign_roles(
                CLASS_TEACHER, AccountId("a-teacher6"), [Role.TEACHER], on=ON, at=AT
            )
        account = service.assign_roles(ADMIN, AccountId("a-teacher6"), [Role.TEACHER], on=ON, at=AT)
        assert account.roles == {Role.TEACHER}

    def test_roles_must_fit_the_holder(self, service: Accounts) -> None:
        """R3.2.1, R3.2.4: a student account cannot get a staff role, staff not a parent's."""
        issue(service, ADMIN, HolderKind.STUDENT, "s5", "pupil5")
        issue(service, ADMIN, HolderKind.EMPLOYEE, "t_6a", "teacher6")
        with pytest.raises(ValidationError):
            service.assign_roles(ADMIN, AccountId("a-pupil5"), [Role.TEACHER], on=ON, at=AT)
        with pytest.raises(ValidationError):
            service.assign_roles(ADMIN, AccountId("a-teacher6"), [Role.PARENT], on=ON, at=AT)

    def test_esia_link_and_login(self, service: Accounts) -> None:
        """R3.2.2c: an ESIA identity linked to an account authenticates it."""
        issue(service, CLASS_TEACHER, HolderKind.GUARDIAN, "g5", "mother5")
        service.link_esia(CLASS_TEACHER, AccountId("a-mother5"), "esia-1001", on=ON, at=AT)
        result = service.login_esia("esia-1001", at=AT)
        assert result.status is LoginStatus.OK
        assert result.actor is not None
        assert result.actor.guardian_id == "g5"
        assert service.login_esia("esia-9999", at=AT).status is LoginStatus.WRONG_CREDENTIALS
        issue(service, ADMIN, HolderKind.GUARDIAN, "g6", "father6")
        with pytest.raises(ConflictError):
            service.link_esia(ADMIN, AccountId("a-father6"), "esia-1001", on=ON, at=AT)
        with pytest.raises(PermissionDenied):
            service.link_esia(CLASS_TEACHER, AccountId("a-father6"), "esia-2", on=ON, at=AT)


class TestAudit:
    def test_changes_are_attributed_and_chain_verifies(self) -> None:
        """R12.5, R3.1b: every change names the account that made it; no password is logged."""
        log = AuditLog(MemoryAuditLogStore())
        authorizer = Authorizer(default_profile().rbac, directory(), audit=log)
        service = Accounts(MemoryAccountStore(), authorizer, log, hasher=CHEAP)
        start = issue(service, CLASS_TEACHER, HolderKind.STUDENT, "s5", "pupil5")
        service.change_password("pupil5", start, "новый-пароль-7", at=AT)
        entries = log.store.read()
        kinds = [e.kind for e in entries]
        assert kinds[0] is AuditKind.DECISION
        assert AuditKind.CHANGE in kinds
        issued = next(
            e
            for e in entries
            if e.action == "student_credentials.issue" and e.kind is AuditKind.CHANGE
        )
        assert issued.account_id == "acc-t_5a"
        changed = next(e for e in entries if e.action == "password.change")
        assert changed.account_id == "a-pupil5"
        assert changed.before["must_change_password"] is True
        assert changed.after["must_change_password"] is False
        text = str([e.content() for e in entries])
        assert start not in text
        assert "scrypt$" not in text
        assert log.verify().ok


class _CountingHasher:
    """A hasher that counts its calls to ``verify`` (it delegates to the cheap one)."""

    def __init__(self) -> None:
        self.verified: list[str] = []
        self.hashed = 0

    def hash(self, password: str) -> str:
        self.hashed += 1
        return CHEAP.hash(password)

    def verify(self, password: str, encoded: str) -> bool:
        self.verified.append(encoded)
        return CHEAP.verify(password, encoded)

    def needs_rehash(self, encoded: str) -> bool:
        return CHEAP.needs_rehash(encoded)


def _counting_service() -> tuple[Accounts, _CountingHasher, AuditLog]:
    log = AuditLog(MemoryAuditLogStore())
    hasher = _CountingHasher()
    authorizer = Authorizer(default_profile().rbac, directory())
    service = Accounts(MemoryAccountStore(), authorizer, log, hasher=hasher)
    return service, hasher, log


_MALFORMED = [
    "",
    "plain",
    "scrypt$n=16,r=1,p=1$A$A",
    "scrypt$n=16,r=1,p=1$AA=A$AAAA",
    "scrypt$n=16,r=1,p=1$AAAA$====",
    "scrypt$n=1099511627776,r=8,p=1$AAAA$AAAA",
    "scrypt$n=16,r=99,p=1$AAAA$AAAA",
    "scrypt$n=3,r=1,p=1$AAAA$AAAA",
]


class TestLoginHardening:
    @pytest.mark.parametrize("encoded", _MALFORMED)
    def test_malformed_stored_hash_verifies_false(self, encoded: str) -> None:
        """R3.2.2a: a malformed stored hash (bad base64, empty key, huge cost) is False."""
        assert CHEAP.verify("x", encoded) is False

    def test_unencodable_password_verifies_false(self) -> None:
        """R3.2.2a: a password that is not valid Unicode text matches nothing, it does not raise."""
        assert CHEAP.verify("\ud800", CHEAP.hash("x")) is False

    @settings(max_examples=60)
    @given(st.text(max_size=80), st.text(max_size=12))
    def test_verify_never_raises(self, encoded: str, password: str) -> None:
        """R3.2.2a: for any stored text and any password, verify answers True or False."""
        assert CHEAP.verify(password, "scrypt$n=16,r=1,p=1$" + encoded) in (True, False)
        assert CHEAP.verify(password, encoded) in (True, False)

    def test_unknown_login_costs_one_verification_like_a_wrong_password(self) -> None:
        """R3.2.2a: an unknown login is checked against a dummy hash, as a wrong password is."""
        service, hasher, _ = _counting_service()
        issue(service, CLASS_TEACHER, HolderKind.STUDENT, "s5", "pupil5")
        hasher.verified.clear()
        assert service.login("nobody", "guess-1", at=AT).status is LoginStatus.WRONG_CREDENTIALS
        unknown = list(hasher.verified)
        hasher.verified.clear()
        assert service.login("pupil5", "guess-1", at=AT).status is LoginStatus.WRONG_CREDENTIALS
        wrong = list(hasher.verified)
        assert len(unknown) == len(wrong) == 1
        dummy = unknown[0]
        assert dummy.startswith("scrypt$")
        assert CHEAP.needs_rehash(dummy) is False

    def test_locked_account_and_unknown_login_in_password_change_cost_one_verification(
        self,
    ) -> None:
        """R3.2.2a: a locked account and an unknown login in a password change verify once too."""
        service, hasher, _ = _counting_service()
        issue(service, CLASS_TEACHER, HolderKind.STUDENT, "s5", "pupil5")
        for _ in range(service.policy.max_failed_logins):
            service.login("pupil5", "wrong", at=AT)
        hasher.verified.clear()
        assert service.login("pupil5", "wrong", at=AT).status is LoginStatus.LOCKED
        assert len(hasher.verified) == 1
        hasher.verified.clear()
        with pytest.raises(PermissionDenied):
            service.change_password("nobody", "x", "новый-пароль-7", at=AT)
        assert len(hasher.verified) == 1

    @settings(max_examples=40)
    @given(st.text(alphabet="QWXZqwxz0123456789-_!@", min_size=6, max_size=24))
    def test_audit_never_keeps_text_typed_as_an_unknown_login(self, typed: str) -> None:
        """R12.5, R3.1b: what was typed into the login field is logged only if it is a login."""
        service, _, log = _counting_service()
        issue(service, CLASS_TEACHER, HolderKind.STUDENT, "s5", "pupil5")
        before = log.store.count()
        service.login(typed, "whatever-1", at=AT)
        entries = log.store.read(before)
        assert len(entries) == 1
        assert typed not in str(entries[0].content())
        assert typed.strip() not in str(entries[0].content())
        assert entries[0].after["status"] == LoginStatus.WRONG_CREDENTIALS.value
        assert entries[0].account_id == UNKNOWN_LOGIN

    def test_audit_names_the_account_of_a_valid_login(self) -> None:
        """R12.5: a failed login of an existing account names that account."""
        service, _, log = _counting_service()
        issue(service, CLASS_TEACHER, HolderKind.STUDENT, "s5", "pupil5")
        service.login("Pupil5", "wrong", at=AT)
        entry = log.store.read()[-1]
        assert entry.account_id == "a-pupil5"
        assert entry.after["status"] == LoginStatus.WRONG_CREDENTIALS.value
