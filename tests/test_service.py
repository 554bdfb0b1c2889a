"""The write service on the memory, SQLite and PostgreSQL stores (R3.1b, R8.6, R8.9, R10.1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eschool_core.audit import AuditEntry, AuditKind, AuditLog
from eschool_core.deadlines import ComplianceData, EditPolicy, FindingStatus
from eschool_core.errors import EschoolError, PermissionDenied, RuleViolation, ValidationError
from eschool_core.journal import AttestationMark, Mark, MarkEdit
from eschool_core.movement import MovementBook, MovementError, Order, OrderItem
from eschool_core.people import Consent
from eschool_core.rbac import Actor
from eschool_core.service import MarkEntry, SchoolService, rebuild_book
from eschool_core.storage import Store, UnitOfWork
from eschool_core.year_data import SchoolYearData
from tests.service_helpers import (
    ADMIN,
    DEPUTY,
    LESSON_DAY,
    OTHER_TEACHER,
    PARENT,
    REOPEN_SCOPE,
    SECRETARY,
    STUDENTS,
    TEACHER,
    YEAR,
    at,
    audit_entries,
    deputy_corrects_profile,
    make_store,
    service,
    state,
)

_ONE_BY_ONE = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def entry(student: str, value: int | str = 5, mark_id: str | None = None) -> MarkEntry:
    """A current mark of the lesson for ``student``."""
    return MarkEntry(
        mark_id=mark_id or f"m-{student}", student_id=student, value=value, work_type="answer"
    )


def with_marks(store: Store) -> SchoolService:
    """The service, after the teacher entered 5 for every student at the lesson ``l0``."""
    svc = service(store)
    svc.enter_marks(TEACHER, at(LESSON_DAY), "l0", [entry(s) for s in STUDENTS])
    return svc


def enrollment(order_id: str, student: str, class_id: str, day: date) -> Order:
    """An enrollment order of one student."""
    return Order(
        id=order_id,
        number=order_id,
        kind="enrollment",
        issued_on=day,
        entered_at=at(day),
        author_id="sec",
        year="2025/2026",
        items=[OrderItem(student_id=student, class_id=class_id)],
    )


def withdrawal(order_id: str, student: str, day: date) -> Order:
    """A withdrawal order of one student."""
    return Order(
        id=order_id,
        number=order_id,
        kind="withdrawal",
        issued_on=day,
        entered_at=at(day),
        author_id="sec",
        year="2025/2026",
        items=[OrderItem(student_id=student, destination="школа №5")],
    )


class TestDefects:
    def test_a_change_through_the_store_leaves_no_trace_but_the_service_records_it(
        self, store: Store
    ) -> None:
        """R3.1b, R12.5: 5 → 2 through the service leaves an edit with its reason and one entry."""
        svc = with_marks(store)
        before = len(audit_entries(store))
        corrected = svc.correct_mark(
            TEACHER, at(LESSON_DAY + timedelta(days=7)), "m-s1", 2, reason="ошибка ввода"
        )
        assert [(str(e.old_value), str(e.new_value), e.reason) for e in corrected.edits] == [
            ("5", "2", "ошибка ввода")
        ]
        with store.unit_of_work() as uow:
            assert uow.marks.get("m-s1") == corrected
        entries = audit_entries(store)
        assert len(entries) == before + 1
        last = entries[-1]
        assert (last.account_id, last.action) == ("acc-t1", "mark.correct")
        assert (last.before["value"], last.after["value"]) != (None, None)
        assert last.target["reason"] == "ошибка ввода"
        assert last.target["clause"] == "8.6"

    def test_a_value_changed_around_the_service_is_refused(self, store: Store) -> None:
        """R3.1b: a mark whose value was changed in the store without an edit is not built on."""
        svc = with_marks(store)
        svc.correct_mark(TEACHER, at(LESSON_DAY), "m-s2", 4)  # 5 -> 4, recorded
        with store.unit_of_work() as uow:  # 4 -> 2 by a host writing the store directly
            uow.marks.update(attrs.evolve(uow.marks.get("m-s2"), value=2))
            uow.commit()
        unchanged = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.correct_mark(TEACHER, at(LESSON_DAY), "m-s2", 3, reason="ещё раз")
        assert caught.value.code == "mark.history_mismatch"
        assert state(store) == unchanged

    def test_withdrawal_of_a_student_never_enrolled_is_refused(self, store: Store) -> None:
        """R10.1: the service refuses the order that used to break the stored movement book."""
        svc = service(store)
        svc.apply_order(
            SECRETARY, at(date(2025, 9, 2)), enrollment("o1", "n1", "5b", date(2025, 9, 2))
        )
        before = state(store)
        with pytest.raises(MovementError):
            svc.apply_order(
                SECRETARY, at(date(2025, 9, 3)), withdrawal("o2", "n2", date(2025, 9, 3))
            )
        assert state(store) == before
        with store.unit_of_work() as uow:
            book = MovementBook.from_orders(uow.orders.all(), classes=uow.classes.all())
        assert [order.id for order in book.orders] == ["o1"]

    def test_checker_and_policy_agree_on_a_reasoned_edit_in_a_closed_period(self) -> None:
        """R8.9: a teacher's reasoned edit after the period closed is unauthorised for both."""
        svc = service(make_store("memory"))
        mark = Mark(
            id="m",
            student_id="s1",
            subject_id="math",
            date=LESSON_DAY,
            value=4,
            work_type="answer",
            author_id="t1",
            entered_at=at(LESSON_DAY),
            edits=[
                MarkEdit(
                    at=at(date(2025, 11, 10)), by="t1", old_value=5, new_value=4, reason="ошибка"
                )
            ],
        )
        with pytest.raises(RuleViolation):
            svc.edit_policy.check_mark_edit(mark, mark.edits[0], mark.edits[0].at, True, "teacher")
        with svc.store.unit_of_work() as uow:
            classes, memberships = uow.classes.all(), uow.memberships.all()
        data = ComplianceData(
            year_data=SchoolYearData(
                year=svc.year, marks=[mark], classes=classes, memberships=memberships
            )
        )
        report = svc.compliance_checker().check(data, date(2025, 11, 30))
        [finding] = [f for f in report.findings if f.rule_id == "edits.period_lock"]
        assert finding.status is FindingStatus.UNAUTHORISED


class TestPeriodLock:
    def test_teacher_refused_deputy_accepted_and_the_checker_agrees(self, store: Store) -> None:
        """R8.9: where the profile lets the deputy head correct a closed period himself, the
        teacher is refused, the deputy head with a reason is not, and the checker agrees."""
        svc = service(store, deputy_corrects_profile())
        svc.enter_marks(TEACHER, at(LESSON_DAY), "l0", [entry(s) for s in STUDENTS])
        svc.close_period(DEPUTY, at(date(2025, 10, 27)), "Q1")
        late = at(date(2025, 10, 29))
        before = state(store)
        with pytest.raises(RuleViolation) as caught:
            svc.correct_mark(TEACHER, late, "m-s1", 4, reason="пересчитал")
        assert (caught.value.code, caught.value.clause) == ("deadlines.period_locked", "8.9")
        with pytest.raises(RuleViolation) as caught:
            svc.correct_mark(DEPUTY, late, "m-s1", 4)
        assert caught.value.code == "deadlines.reopen_without_reason"
        assert state(store) == before
        corrected = svc.correct_mark(DEPUTY, late, "m-s1", 4, reason="апелляция родителей")
        assert corrected.edits[-1].role == "deputy_head"
        # A teacher's correction that reached the store from elsewhere (an import):
        with store.unit_of_work() as uow:
            imported = uow.marks.get("m-s2")
            edit = MarkEdit(
                at=late, by="t1", old_value=5, new_value=3, reason="пересчитал", role="teacher"
            )
            uow.marks.update(attrs.evolve(imported, value=3, edits=[edit]))
            uow.commit()
        report = svc.compliance_checker().check(
            ComplianceData.from_store(store, year=YEAR), date(2025, 11, 1)
        )
        verdicts = {
            f.entity_id: f.status for f in report.findings if f.rule_id == "edits.period_lock"
        }
        assert verdicts == {"m-s1": FindingStatus.AUDITED, "m-s2": FindingStatus.UNAUTHORISED}

    def test_reopened_period_is_corrected_by_the_teacher_again(self, store: Store) -> None:
        """R8.9: after the deputy head reopens the period (with a reason) the teacher corrects."""
        svc = with_marks(store)
        svc.close_period(DEPUTY, at(date(2025, 10, 27)), "Q1")
        with pytest.raises(RuleViolation):
            svc.reopen_period(DEPUTY, at(date(2025, 10, 28)), "Q1", reason="  ", **REOPEN_SCOPE)
        reopened = svc.reopen_period(
            DEPUTY, at(date(2025, 10, 28)), "Q1", reason="пересмотр", **REOPEN_SCOPE
        )
        assert reopened.is_open
        svc.correct_mark(TEACHER, at(date(2025, 10, 29)), "m-s1", 4, reason="пересмотр")
        again = svc.close_period(DEPUTY, at(date(2025, 10, 30)), "Q1")
        assert again.id == "2025/2026:Q1#2"
        with pytest.raises(RuleViolation):
            svc.correct_mark(TEACHER, at(date(2025, 10, 31)), "m-s1", 3, reason="снова")

    def test_close_rules(self, store: Store) -> None:
        """R8.9: only the deputy head closes, not before the period's end, not twice."""
        svc = service(store)
        with pytest.raises(PermissionDenied) as denied:
            svc.close_period(TEACHER, at(date(2025, 10, 27)), "Q1")
        assert "Запрещено" in denied.value.message("ru")
        with pytest.raises(RuleViolation) as early:
            svc.close_period(DEPUTY, at(date(2025, 10, 20)), "Q1")
        assert early.value.code == "period.not_ended"
        with pytest.raises(ValidationError):
            svc.close_period(DEPUTY, at(date(2025, 10, 27)), "Q9")
        svc.close_period(DEPUTY, at(date(2025, 10, 27)), "Q1")
        with pytest.raises(RuleViolation) as twice:
            svc.close_period(DEPUTY, at(date(2025, 10, 28)), "Q1")
        assert twice.value.code == "period.already_closed"
        with pytest.raises(RuleViolation) as not_closed:
            svc.reopen_period(DEPUTY, at(date(2025, 10, 28)), "Q2", reason="нет", **REOPEN_SCOPE)
        assert not_closed.value.code == "period.not_closed"

    def test_no_new_marks_in_a_closed_period(self, store: Store) -> None:
        """R8.9: a closed period takes no new marks from the teacher."""
        svc = service(store)
        svc.close_period(DEPUTY, at(date(2025, 10, 27)), "Q1")
        with pytest.raises(RuleViolation) as caught:
            svc.enter_mark(TEACHER, at(date(2025, 10, 28)), "l0", entry("s1"))
        assert caught.value.code == "deadlines.period_locked"
        svc.enter_mark(TEACHER, at(date(2025, 11, 10)), "l-q2", entry("s1"))  # Q2 is open


_ROLES = st.sets(st.sampled_from(["teacher", "deputy_head", "secretary"]), max_size=2)


class TestOnePolicy:
    @given(
        delay=st.integers(min_value=0, max_value=60),
        reason=st.sampled_from([None, "ошибка"]),
        closed=st.booleans(),
        roles=_ROLES,
    )
    @settings(max_examples=80, deadline=None)
    def test_checker_reports_what_the_policy_decides(
        self, delay: int, reason: str | None, closed: bool, roles: set[str]
    ) -> None:
        """R8.6, R8.9: refused is unauthorised, audited is audited, a free correction is silent."""
        svc = service(make_store("memory"))
        policy: EditPolicy = svc.edit_policy
        moment = at(LESSON_DAY + timedelta(days=delay))
        verdict = policy.judge_mark_edit(LESSON_DAY, moment, reason, closed, roles)
        role = "deputy_head" if "deputy_head" in roles else (min(roles) if roles else None)
        mark = Mark(
            id="m",
            student_id="s1",
            subject_id="math",
            date=LESSON_DAY,
            value=4,
            work_type="answer",
            author_id="t1",
            entered_at=at(LESSON_DAY),
            edits=[
                MarkEdit(at=moment, by="t1", old_value=5, new_value=4, reason=reason, role=role)
            ],
        )
        closures = svc_closures(closed)
        with svc.store.unit_of_work() as uow:
            data = ComplianceData(
                year_data=SchoolYearData(
                    year=svc.year,
                    marks=[mark],
                    classes=uow.classes.all(),
                    memberships=uow.memberships.all(),
                    period_closures=closures,
                )
            )
        report = svc.compliance_checker().check(data, date(2026, 1, 31))
        statuses = {(f.rule_id, f.status) for f in report.findings if f.entity_id == "m"}
        if not verdict.audited and verdict.allowed:
            assert statuses == set()
        else:
            expected = FindingStatus.AUDITED if verdict.allowed else FindingStatus.UNAUTHORISED
            assert statuses == {(verdict.rule_id, expected)}


def svc_closures(closed: bool) -> list[object]:
    """Q1 closed from before the lesson for ever, or, as a store the service keeps records
    closings in, only Q4 closed at the year's end (Q1 then stays open)."""
    from eschool_core.closures import PeriodClosure

    if not closed:
        return [
            PeriodClosure(
                id="2025/2026:Q4",
                year="2025/2026",
                period="Q4",
                closed_at=at(date(2026, 5, 30)),
                closed_by="dh",
            )
        ]
    return [
        PeriodClosure(
            id="2025/2026:Q1",
            year="2025/2026",
            period="Q1",
            closed_at=at(LESSON_DAY - timedelta(days=1)),
            closed_by="dh",
        )
    ]


def _every_command(svc: SchoolService) -> Iterator[tuple[Actor, str, Callable[[], object]]]:
    """Each command of the service once, in an order that makes each valid."""
    day = LESSON_DAY
    yield (
        TEACHER,
        "mark.enter",
        lambda: svc.enter_marks(TEACHER, at(day), "l0", [entry("s1"), entry("s2")]),
    )
    yield (
        TEACHER,
        "mark.enter",
        lambda: svc.enter_mark(TEACHER, at(day + timedelta(days=1)), "l1", entry("s1", 4, "m2")),
    )
    yield TEACHER, "mark.correct", lambda: svc.correct_mark(TEACHER, at(day), "m-s1", 3)
    yield TEACHER, "attendance.enter", lambda: svc.enter_absence(TEACHER, at(day), "a1", "l0", "s3")
    yield (
        TEACHER,
        "absence_reason.correct",
        lambda: svc.correct_absence_reason(
            TEACHER, at(day + timedelta(days=1)), "a1", "illness", document_presented_on=day
        ),
    )
    yield (
        TEACHER,
        "lesson.content",
        lambda: svc.record_lesson_content(TEACHER, at(day), "l0", topic="Дроби", homework="№ 12"),
    )
    yield (
        TEACHER,
        "attestation_mark.set",
        lambda: svc.set_attestation_mark(TEACHER, at(date(2025, 10, 24)), _period_mark("pm1", 5)),
    )
    yield (
        DEPUTY,
        "study_period.close",
        lambda: svc.close_period(DEPUTY, at(date(2025, 10, 27)), "Q1"),
    )
    yield (
        DEPUTY,
        "study_period.reopen",
        lambda: svc.reopen_period(
            DEPUTY, at(date(2025, 10, 28)), "Q1", reason="апелляция", **REOPEN_SCOPE
        ),
    )
    yield (
        TEACHER,
        "mark.correct",
        lambda: svc.correct_mark(TEACHER, at(date(2025, 10, 28)), "m-s2", 4, reason="апелляция"),
    )
    yield (
        TEACHER,
        "attestation_mark.set",
        lambda: svc.set_attestation_mark(
            TEACHER, at(date(2025, 10, 28)), _period_mark("pm1", 4), reason="апелляция"
        ),
    )
    yield (
        DEPUTY,
        "study_period.close",
        lambda: svc.close_period(DEPUTY, at(date(2025, 10, 29)), "Q1"),
    )
    yield (
        SECRETARY,
        "order.apply",
        lambda: svc.apply_order(
            SECRETARY, at(date(2025, 9, 2)), enrollment("o1", "n1", "5b", date(2025, 9, 2))
        ),
    )
    yield (
        TEACHER,
        "student_card.write",
        lambda: svc.update_student_card(TEACHER, at(day), _renamed_student(svc, "s1")),
    )
    yield (
        TEACHER,
        "consent.write",
        lambda: svc.record_consent(
            TEACHER,
            at(day),
            Consent(
                id="c1",
                category="student",
                subject_id="s1",
                given_on=day,
                purposes=["journal"],
                given_by="g1",
            ),
        ),
    )
    yield PARENT, "student_card.read", lambda: svc.read_student_card(PARENT, at(day), "s1")
    yield PARENT, "parent_card.read", lambda: svc.read_guardian_card(PARENT, at(day), "g1")
    yield (
        TEACHER,
        "student_credentials.issue",
        lambda: svc.issue_credentials(
            TEACHER,
            at(day),
            account_id="acc-s1",
            login="ivan.s1",
            holder_kind="student",
            holder_id="s1",
        ),
    )
    yield (
        TEACHER,
        "student_credentials.issue",
        lambda: svc.reset_credentials(TEACHER, at(day), "acc-s1"),
    )
    yield (
        ADMIN,
        "year.rollover",
        lambda: svc.roll_over(ADMIN, at(date(2026, 8, 31)), on=date(2026, 9, 1)),
    )


def _period_mark(mark_id: str, value: int) -> AttestationMark:
    return AttestationMark(
        id=mark_id,
        student_id="s1",
        subject_id="math",
        year="2025/2026",
        kind="period",
        period="Q1",
        value=value,
        author_id="t1",
        entered_at=at(date(2025, 10, 24)),
    )


def _renamed_student(svc: SchoolService, student_id: str) -> object:
    with svc.store.unit_of_work() as uow:
        student = uow.students.get(student_id)
    return attrs.evolve(student, personal_file_number="Л-7")


class TestAudit:
    def test_every_command_leaves_one_entry_naming_the_account(self, store: Store) -> None:
        """R3.1b, R12.5: each command appends exactly one entry, under the acting account."""
        svc = service(store)
        for actor, action, command in _every_command(svc):
            before = len(audit_entries(store))
            command()
            entries = audit_entries(store)
            assert len(entries) == before + 1, action
            assert (entries[-1].account_id, entries[-1].action) == (actor.account_id, action)
        reads = [e for e in audit_entries(store) if e.action.endswith(".read")]
        assert {e.kind for e in reads} == {AuditKind.DECISION}
        with store.unit_of_work() as uow:
            assert AuditLog(uow.audit).verify().ok

    def test_a_denied_command_leaves_store_and_log_unchanged(self, store: Store) -> None:
        """R3.1c: a teacher who does not teach the class is denied, with the explanation."""
        svc = with_marks(store)
        before = state(store)
        with pytest.raises(PermissionDenied) as denied:
            svc.enter_mark(OTHER_TEACHER, at(LESSON_DAY), "l0", entry("s1", 4, "x1"))
        assert "Denied" in denied.value.message("en")
        with pytest.raises(PermissionDenied):
            svc.apply_order(
                TEACHER, at(date(2025, 9, 2)), enrollment("o1", "n1", "5b", date(2025, 9, 2))
            )
        with pytest.raises(PermissionDenied):
            svc.read_student_card(OTHER_TEACHER, at(LESSON_DAY), "s1")
        with pytest.raises(PermissionDenied):
            svc.issue_credentials(
                OTHER_TEACHER,
                at(LESSON_DAY),
                account_id="acc-s1",
                login="ivan.s1",
                holder_kind="student",
                holder_id="s1",
            )
        assert state(store) == before

    def test_a_failing_audit_append_takes_the_change_back(self, store: Store) -> None:
        """R3.1b: the change and its entry commit together, or neither does."""

        class _Refusing:
            def __init__(self, uow: UnitOfWork) -> None:
                self._audit = uow.audit

            def append(self, entry: AuditEntry) -> None:
                raise EschoolError("нет", "no", code="test.refused")

            def read(self, start: int = 0, stop: int | None = None) -> Sequence[AuditEntry]:
                return self._audit.read(start, stop)

            def last(self) -> AuditEntry | None:
                return self._audit.last()

            def count(self) -> int:
                return self._audit.count()

        class _Service(SchoolService):
            def audit_log(self, uow: UnitOfWork) -> AuditLog:
                return AuditLog(_Refusing(uow))

        svc = with_marks(store)
        before = state(store)
        failing = _Service(store, year=YEAR)
        with pytest.raises(EschoolError):
            failing.correct_mark(TEACHER, at(LESSON_DAY), "m-s1", 3)
        with pytest.raises(EschoolError):
            failing.apply_order(
                SECRETARY, at(date(2025, 9, 2)), enrollment("o1", "n1", "5b", date(2025, 9, 2))
            )
        assert state(store) == before
        assert svc.correct_mark(TEACHER, at(LESSON_DAY), "m-s1", 3).value.score == 3

    @given(
        actor=st.sampled_from([TEACHER, OTHER_TEACHER, DEPUTY, SECRETARY, PARENT]),
        lesson=st.sampled_from(["l0", "l1", "l-q2", "nope"]),
        values=st.lists(
            st.one_of(st.integers(-2, 8), st.sampled_from(["н/а", "x", "", "5+"])),
            min_size=0,
            max_size=3,
        ),
        students=st.lists(st.sampled_from(["s1", "s2", "n1", "ghost"]), min_size=0, max_size=3),
        mark_id=st.sampled_from(["m-s1", "new", ""]),
        day=st.integers(min_value=-3, max_value=40),
    )
    @_ONE_BY_ONE
    def test_bad_input_leaves_everything_unchanged(
        self,
        new_store: Callable[[], Store],
        *,
        actor: Actor,
        lesson: str,
        values: list[int | str],
        students: list[str],
        mark_id: str,
        day: int,
    ) -> None:
        """R3.1b: any input commits with one entry, or raises a typed error and changes nothing."""
        store = new_store()
        svc = with_marks(store)
        svc.close_period(DEPUTY, at(date(2025, 10, 27)), "Q1")
        before = state(store)
        entries = [
            MarkEntry(
                mark_id=f"{mark_id}{i}" if mark_id else "",
                student_id=s,
                value=value,
                work_type="answer",
            )
            for i, (s, value) in enumerate(zip(students, values, strict=False))
        ]
        try:
            svc.enter_marks(actor, at(LESSON_DAY + timedelta(days=day)), lesson, entries)
        except EschoolError:
            assert state(store) == before
        else:
            assert len(audit_entries(store)) == len(before[1]) + 1


_STUDENTS = st.sampled_from(["n1", "n2", "n3", "n4"])


@st.composite
def _orders(draw: st.DrawFn) -> list[Order]:
    """A random sequence of enrollments, transfers and withdrawals, some of them invalid."""
    orders = []
    for index in range(draw(st.integers(min_value=1, max_value=6))):
        day = date(2025, 9, 1) + timedelta(days=draw(st.integers(min_value=0, max_value=40)))
        kind = draw(st.sampled_from(["enrollment", "transfer", "withdrawal"]))
        student = draw(_STUDENTS)
        item = (
            OrderItem(student_id=student, destination="школа №5")
            if kind == "withdrawal"
            else OrderItem(student_id=student, class_id=draw(st.sampled_from(["5a", "5b"])))
        )
        orders.append(
            Order(
                id=f"o{index}",
                number=draw(st.sampled_from([str(index), "1"])),
                kind=kind,
                issued_on=day,
                entered_at=at(day),
                author_id="sec",
                year="2025/2026",
                items=[item],
            )
        )
    return orders


class TestMovementBook:
    @given(orders=_orders())
    @_ONE_BY_ONE
    def test_the_stored_book_can_always_be_rebuilt(
        self, new_store: Callable[[], Store], orders: list[Order]
    ) -> None:
        """R10.1: whatever orders come, the stored ones rebuild the book; memberships follow it."""
        store = new_store()
        svc = service(store)
        accepted = []
        for order in orders:
            before = state(store)
            try:
                accepted.append(svc.apply_order(SECRETARY, at(order.issued_on), order).id)
            except MovementError:
                assert state(store) == before
        with store.unit_of_work() as uow:
            book = MovementBook.from_orders(uow.orders.all(), classes=uow.classes.all())
            stored = {
                m.id: m for s in ("n1", "n2", "n3", "n4") for m in uow.memberships.for_student(s)
            }
        assert sorted(order.id for order in book.orders) == sorted(accepted)
        implied = {m.id: m for m in book.memberships()}
        assert stored == implied


class TestCardReads:
    def test_a_card_read_is_logged_and_masked_for_the_reader(self, store: Store) -> None:
        """R3.1b, R6.5: reading a card is an access entry; the deputy head sees no SNILS."""
        with store.unit_of_work() as uow:  # the clerk's card, entered beforehand
            card = uow.students.get("s1")
            person = attrs.evolve(card.person, snils="112-233-445 95", phone="+7 900 000-00-00")
            uow.students.update(attrs.evolve(card, person=person))
            uow.commit()
        svc = service(store)
        seen = svc.read_student_card(DEPUTY, at(LESSON_DAY), "s1")
        assert (seen.person.last_name, seen.person.snils, seen.person.phone) == (
            "Ученик",
            None,
            None,
        )
        assert svc.read_student_card(PARENT, at(LESSON_DAY), "s1").person.snils == "11223344595"
        [deputy, parent] = audit_entries(store)[-2:]
        assert (deputy.account_id, deputy.kind, deputy.target["id"]) == (
            "acc-dh",
            AuditKind.DECISION,
            "s1",
        )
        assert parent.account_id == "acc-g1"


class TestKeyedAudit:
    def test_an_append_without_the_school_key_is_detected(self, store: Store) -> None:
        """R3.1b: with the school's key, a correctly chained entry forged without it is found."""
        key = b"school secret"
        svc = SchoolService(store, year=YEAR, audit_key=key)
        svc.enter_mark(TEACHER, at(LESSON_DAY), "l0", entry("s1"))
        svc.correct_mark(TEACHER, at(LESSON_DAY), "m-s1", 4)
        with store.unit_of_work() as uow:
            assert AuditLog(uow.audit, key=key).verify().ok
            AuditLog(uow.audit).record_change(
                account_id="acc-t1",
                at=at(LESSON_DAY),
                action="mark.correct",
                target={"id": "m-s1"},
                before=None,
                after={"value": "5"},
            )
            uow.commit()
        with store.unit_of_work() as uow:
            result = AuditLog(uow.audit, key=key).verify()
        assert not result.ok
        assert result.position == 2


class TestJournalCommands:
    def test_a_group_lesson_takes_marks_of_its_members_only(self, store: Store) -> None:
        """R8.4.1: the group's teacher marks the group's students, and no one else."""
        svc = service(store)
        marks = svc.enter_marks(
            OTHER_TEACHER, at(LESSON_DAY), "l-group", [entry("s1"), entry("s2")]
        )
        assert [mark.lesson_id for mark in marks] == ["l-group", "l-group"]
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.enter_marks(OTHER_TEACHER, at(LESSON_DAY), "l-group", [entry("s3"), entry("s6")])
        assert caught.value.code == "mark.not_in_class"
        assert state(store) == before

    def test_a_class_lesson_takes_marks_of_its_class_only(self, store: Store) -> None:
        """R8.4.1: a mark for a student outside the lesson's class is refused."""
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.enter_marks(
                TEACHER, at(LESSON_DAY), "l0", [entry(s) for s in ("s1", "s2", "s3", "n1")]
            )
        assert caught.value.code == "mark.not_in_class"
        assert state(store) == before

    def test_journal_entries_keep_the_rights_and_the_lock(self, store: Store) -> None:
        """R8.5.1, R8.9: the class teacher corrects reasons; nothing enters a closed period."""
        svc = service(store)
        svc.enter_absence(TEACHER, at(LESSON_DAY), "a1", "l0", "s1")
        svc.close_period(DEPUTY, at(date(2025, 10, 27)), "Q1")
        before = state(store)
        with pytest.raises(RuleViolation):
            svc.enter_absence(TEACHER, at(date(2025, 10, 28)), "a2", "l0", "s2")
        with pytest.raises(PermissionDenied):
            svc.correct_absence_reason(OTHER_TEACHER, at(date(2025, 10, 28)), "a1", "illness")
        with pytest.raises(ValidationError):
            svc.record_lesson_content(TEACHER, at(date(2025, 10, 28)), "l0")
        with pytest.raises(RuleViolation) as locked:
            svc.set_attestation_mark(TEACHER, at(date(2025, 10, 28)), _period_mark("pm", 5))
        assert locked.value.code == "deadlines.period_locked"
        assert state(store) == before
        corrected = svc.correct_absence_reason(TEACHER, at(date(2025, 10, 28)), "a1", "illness")
        assert corrected.reason_corrected_at == at(date(2025, 10, 28))


class TestRollover:
    def test_the_rollover_is_stored_and_the_book_rebuilds_with_it(self, store: Store) -> None:
        """R4.4a, R10.1: after the rollover the stored orders and rollover rebuild the book."""
        svc = service(store)
        svc.apply_order(
            SECRETARY, at(date(2025, 9, 2)), enrollment("o1", "n1", "5b", date(2025, 9, 2))
        )
        promotion = Order(
            id="o2",
            number="o2",
            kind="promotion",
            issued_on=date(2026, 5, 28),
            entered_at=at(date(2026, 5, 28)),
            author_id="sec",
            year="2025/2026",
            items=[OrderItem(student_id="n1")],
        )
        svc.apply_order(SECRETARY, at(date(2026, 5, 28)), promotion)
        with pytest.raises(PermissionDenied):
            svc.roll_over(SECRETARY, at(date(2026, 8, 31)), on=date(2026, 9, 1))
        record = svc.roll_over(ADMIN, at(date(2026, 8, 31)), on=date(2026, 9, 1))
        with store.unit_of_work() as uow:
            book = rebuild_book(uow)
            stored = list(uow.memberships.for_student("n1"))
            new_class = uow.classes.get(book.status_on("n1", date(2026, 9, 1)).class_id)
        assert (new_class.year, new_class.parallel) == ("2026/2027", 6)
        assert [c.class_id for c in record.classes if "n1" in c.student_ids] == [new_class.id]
        assert sorted(stored, key=lambda m: m.since) == sorted(
            (m for m in book.memberships() if m.student_id == "n1"), key=lambda m: m.since
        )
        with pytest.raises(RuleViolation) as twice:
            svc.roll_over(ADMIN, at(date(2026, 9, 1)), on=date(2026, 9, 1))
        assert twice.value.code == "rollover.done"
        leaving = Order(
            id="o3",
            number="o3",
            kind="withdrawal",
            issued_on=date(2026, 9, 10),
            entered_at=at(date(2026, 9, 10)),
            author_id="sec",
            year="2026/2027",
            items=[OrderItem(student_id="n1", destination="школа №5")],
        )
        svc.apply_order(SECRETARY, at(date(2026, 9, 10)), leaving)
        with store.unit_of_work() as uow:
            assert rebuild_book(uow).status_on("n1", date(2026, 9, 11)).class_id is None
