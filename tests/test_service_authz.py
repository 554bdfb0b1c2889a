"""The write service's own authorization decisions (issue 22 items 1-5), on every store.

Group teachers set attestation marks (R8.7a, R8.8); students are judged on the lesson's day
(R8.4.1, R8.5.1); the clerk records consents (R6.1, R6.3); a closed period is reopened for
the subject teacher to correct (R8.4.1, R8.9, R8.10).
"""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from eschool_core.deadlines import ComplianceData, FindingStatus
from eschool_core.errors import PermissionDenied, RuleViolation, ValidationError
from eschool_core.journal import AttestationMark, Lesson, MarkEdit
from eschool_core.people import Consent
from eschool_core.rbac import Actor
from eschool_core.school import ClassMembership, Subject, TeachingAssignment
from eschool_core.service import MarkEntry, SchoolService
from eschool_core.storage import Store
from tests.service_helpers import (
    ADMIN,
    DEPUTY,
    OTHER_TEACHER,
    REOPEN_SCOPE,
    STUDENTS,
    TEACHER,
    YEAR,
    at,
    audit_entries,
    deputy_corrects_profile,
    service,
    state,
)

CLERK = Actor(account_id="acc-clk", roles=["clerk"], school_id="sch", employee_id="sec")
MOVED = "s30"
"""The pupil moved from 5a to 5b on 12 January."""
MOVED_ON = date(2026, 1, 12)
DECEMBER = date(2025, 12, 15)
AFTER_MOVE = date(2026, 1, 13)


def attestation(
    mark_id: str, student: str, kind: str = "period", value: int = 5
) -> AttestationMark:
    """A maths attestation mark of 2025/2026 (Q1 for a period mark)."""
    return AttestationMark(
        id=mark_id,
        student_id=student,
        subject_id="math",
        year="2025/2026",
        kind=kind,
        period="Q1" if kind == "period" else None,
        value=value,
        author_id="t2",
        entered_at=at(date(2025, 10, 24)),
    )


def with_a_move(store: Store) -> SchoolService:
    """The school after s30 moved to 5b on 12 January; 5b's maths is t2's; lessons of
    15 December in both classes, and t1's December mark and absence of s30."""
    with store.unit_of_work() as uow:
        held = uow.memberships.get(f"{MOVED}@5a")
        uow.memberships.update(
            ClassMembership(
                id=held.id,
                student_id=MOVED,
                class_id="5a",
                since=held.since,
                until=date(2026, 1, 11),
            )
        )
        uow.memberships.add(
            ClassMembership(id=f"{MOVED}@5b", student_id=MOVED, class_id="5b", since=MOVED_ON)
        )
        uow.assignments.add(
            TeachingAssignment(
                id="a-5b", teacher_id="t2", year="2025/2026", subject_id="math", class_id="5b"
            )
        )
        uow.lessons.add_many(
            [
                Lesson(
                    id=f"dec-{class_id}",
                    date=DECEMBER,
                    number=4,
                    subject_id="math",
                    teacher_id=teacher,
                    class_id=class_id,
                )
                for class_id, teacher in (("5a", "t1"), ("5b", "t2"))
            ]
        )
        uow.commit()
    svc = service(store)
    svc.enter_mark(
        TEACHER,
        at(DECEMBER),
        "dec-5a",
        MarkEntry(mark_id="m-dec", student_id=MOVED, value=3, work_type="answer"),
    )
    svc.enter_absence(TEACHER, at(DECEMBER), "att-dec", "dec-5a", MOVED)
    return svc


class TestGroupAttestation:
    @pytest.mark.parametrize("kind", ["period", "annual"])
    def test_group_teacher_sets_his_members_attestation_marks(
        self, store: Store, kind: str
    ) -> None:
        """R8.7a, R8.8: the subgroup's maths teacher sets its members' attestation marks."""
        svc = service(store)
        mark = svc.set_attestation_mark(
            OTHER_TEACHER, at(date(2025, 10, 24)), attestation("pm-s1", "s1", kind)
        )
        assert mark.author_id == "t2"
        assert audit_entries(store)[-1].target["requirement"] in {"R8.7a", "R8.8"}

    def test_group_teacher_is_refused_pupils_outside_his_group(self, store: Store) -> None:
        """R3.1c, R8.7a: a pupil of the class outside the subgroup is not the group teacher's."""
        svc = service(store)
        before = state(store)
        with pytest.raises(PermissionDenied):
            svc.set_attestation_mark(
                OTHER_TEACHER, at(date(2025, 10, 24)), attestation("pm-s6", "s6")
            )
        assert state(store) == before


class TestTheLessonsDay:
    def test_no_absence_at_a_lesson_before_the_pupil_came(self, store: Store) -> None:
        """R8.4.1: an absence at a 5b lesson held before the pupil joined 5b is refused."""
        svc = with_a_move(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.enter_absence(OTHER_TEACHER, at(AFTER_MOVE), "att-5b", "dec-5b", MOVED)
        assert caught.value.code == "attendance.not_in_class"
        assert state(store) == before

    def test_the_former_teacher_records_and_corrects_the_pupils_past(self, store: Store) -> None:
        """R8.4.1, R8.6: after the move the 5a teacher records the pupil's absence at a 5a
        lesson of December and corrects his December mark (with a reason: late)."""
        svc = with_a_move(store)
        svc.enter_absence(
            TEACHER, at(AFTER_MOVE), "att-late", "dec-5a", "s1", late_reason="болел учитель"
        )
        absence = svc.enter_absence(
            TEACHER, at(AFTER_MOVE), "att-moved", "dec-5a", MOVED, late_reason="справка"
        )
        assert absence.student_id == MOVED
        corrected = svc.correct_mark(TEACHER, at(AFTER_MOVE), "m-dec", 4, reason="ошибка")
        assert str(corrected.value) == "4"
        with pytest.raises(PermissionDenied):
            svc.correct_mark(OTHER_TEACHER, at(AFTER_MOVE), "m-dec", 5, reason="ошибка")

    def test_no_correction_before_the_mark_was_entered(self, store: Store) -> None:
        """R8.6: a correction dated before the mark's entry is refused; nothing changes."""
        svc = with_a_move(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.correct_mark(TEACHER, at(date(2025, 12, 1)), "m-dec", 4, reason="ошибка")
        assert caught.value.code == "mark.corrected_before_entered"
        assert state(store) == before

    def test_the_class_teacher_of_the_lessons_day_corrects_the_reason(self, store: Store) -> None:
        """R8.5.1: the reason of a December absence in 5a is corrected by 5a's class teacher
        after the pupil has moved to 5b."""
        svc = with_a_move(store)
        corrected = svc.correct_absence_reason(
            TEACHER, at(AFTER_MOVE), "att-dec", "illness", document_presented_on=AFTER_MOVE
        )
        assert corrected.reason.value == "illness"


class TestConsents:
    @pytest.mark.parametrize(("category", "subject"), [("student", "s1"), ("guardian", "g1")])
    def test_the_clerk_records_consents_of_the_cards_he_creates(
        self, store: Store, category: str, subject: str
    ) -> None:
        """R6.1, R6.3: the clerk, who creates student and parent cards, records consents."""
        svc = service(store)
        consent = Consent(
            id=f"c-{subject}",
            category=category,
            subject_id=subject,
            given_on=date(2025, 9, 1),
            purposes=["journal"],
            given_by="g1",
        )
        assert svc.record_consent(CLERK, at(date(2025, 9, 2)), consent) == consent
        assert audit_entries(store)[-1].target["requirement"] == "R6.1"

    def test_a_secretary_records_no_consent(self, store: Store) -> None:
        """R3.1c: the secretary neither creates nor keeps cards, so records no consent."""
        secretary = Actor(
            account_id="acc-sec", roles=["secretary"], school_id="sch", employee_id="sec"
        )
        svc = service(store)
        before = state(store)
        consent = Consent(
            id="c1",
            category="student",
            subject_id="s1",
            given_on=date(2025, 9, 1),
            purposes=["journal"],
            given_by="g1",
        )
        with pytest.raises(PermissionDenied):
            svc.record_consent(secretary, at(date(2025, 9, 2)), consent)
        assert state(store) == before


def _entered(store: Store, profile_corrects: bool = False) -> SchoolService:
    svc = service(store, deputy_corrects_profile() if profile_corrects else None)
    svc.enter_marks(
        TEACHER,
        at(date(2025, 10, 6)),
        "l0",
        [MarkEntry(mark_id=f"m-{s}", student_id=s, value=5, work_type="answer") for s in STUDENTS],
    )
    svc.set_attestation_mark(TEACHER, at(date(2025, 10, 24)), attestation("pm1", "s1"))
    svc.close_period(DEPUTY, at(date(2025, 10, 27)), "Q1")
    return svc


class TestClosedPeriod:
    def test_the_deputy_head_no_longer_corrects_a_closed_period(self, store: Store) -> None:
        """R8.4.1, R8.10: by default the deputy head's reasoned correction of a closed period's
        current or period mark is refused, and nothing is stored."""
        svc = _entered(store)
        before = state(store)
        with pytest.raises(PermissionDenied):
            svc.correct_mark(DEPUTY, at(date(2025, 10, 28)), "m-s1", 4, reason="апелляция")
        with pytest.raises(PermissionDenied):
            svc.set_attestation_mark(
                DEPUTY,
                at(date(2025, 10, 28)),
                attestation("pm1", "s1", value=4),
                reason="апелляция",
            )
        with pytest.raises(RuleViolation) as caught:
            svc.correct_mark(TEACHER, at(date(2025, 10, 28)), "m-s1", 4, reason="апелляция")
        assert (caught.value.code, caught.value.clause) == ("deadlines.period_locked", "8.9")
        assert state(store) == before

    @pytest.mark.parametrize("opener", [DEPUTY, ADMIN], ids=["deputy_head", "administrator"])
    def test_reopen_correct_close(self, store: Store, opener: Actor) -> None:
        """R8.9, R8.10: the deputy head or the administrator reopens with a reason, the subject
        teacher corrects, the deputy head closes again; each step is one audit entry."""
        svc = _entered(store)
        start = len(audit_entries(store))
        svc.reopen_period(opener, at(date(2025, 10, 28)), "Q1", reason="апелляция", **REOPEN_SCOPE)
        svc.correct_mark(TEACHER, at(date(2025, 10, 28)), "m-s1", 4, reason="апелляция")
        svc.set_attestation_mark(
            TEACHER, at(date(2025, 10, 28)), attestation("pm1", "s1", value=4), reason="апелляция"
        )
        svc.close_period(DEPUTY, at(date(2025, 10, 29)), "Q1")
        steps = [(e.account_id, e.action) for e in audit_entries(store)[start:]]
        assert steps == [
            (opener.account_id, "study_period.reopen"),
            ("acc-t1", "mark.correct"),
            ("acc-t1", "attestation_mark.set"),
            ("acc-dh", "study_period.close"),
        ]
        with pytest.raises(RuleViolation):
            svc.correct_mark(TEACHER, at(date(2025, 10, 30)), "m-s1", 3, reason="снова")

    def test_the_teacher_does_not_reopen(self, store: Store) -> None:
        """R3.1c, R8.9: a subject teacher cannot reopen a closed period himself."""
        svc = _entered(store)
        before = state(store)
        with pytest.raises(PermissionDenied):
            svc.reopen_period(
                TEACHER, at(date(2025, 10, 28)), "Q1", reason="апелляция", **REOPEN_SCOPE
            )
        assert state(store) == before

    @pytest.mark.parametrize("reason", [None, "", "  "])
    def test_where_the_profile_allows_it_the_deputy_head_corrects_with_a_reason(
        self, store: Store, reason: str | None
    ) -> None:
        """R8.9: with reopen_role_corrects the deputy head corrects with a reason, the teacher
        never; a refused correction leaves the store as it was."""
        svc = _entered(store, profile_corrects=True)
        before = state(store)
        with pytest.raises(RuleViolation) as caught:
            svc.correct_mark(DEPUTY, at(date(2025, 10, 28)), "m-s1", 4, reason=reason)
        assert caught.value.code == "deadlines.reopen_without_reason"
        with pytest.raises(RuleViolation) as caught:
            svc.correct_mark(TEACHER, at(date(2025, 10, 28)), "m-s1", 4, reason="апелляция")
        assert caught.value.code == "deadlines.period_locked"
        assert state(store) == before
        corrected = svc.correct_mark(DEPUTY, at(date(2025, 10, 28)), "m-s1", 4, reason="апелляция")
        assert corrected.edits[-1].role == "deputy_head"


def _scoped_school(store: Store) -> SchoolService:
    """5a and 5b with t1's maths and physics (n1 in 5b), t2's maths group in 5a; marks of
    6 October in each, period marks set, and Q1 closed on 27 October."""
    with store.unit_of_work() as uow:
        uow.subjects.add(Subject(id="phys", name="Физика"))
        uow.memberships.add(
            ClassMembership(id="n1@5b", student_id="n1", class_id="5b", since=date(2025, 9, 1))
        )
        for assignment_id, subject, class_id in (("a-5b", "math", "5b"), ("a-ph", "phys", "5a")):
            uow.assignments.add(
                TeachingAssignment(
                    id=assignment_id,
                    teacher_id="t1",
                    year="2025/2026",
                    subject_id=subject,
                    class_id=class_id,
                )
            )
        for lesson_id, subject, class_id in (("l-5b", "math", "5b"), ("l-ph", "phys", "5a")):
            uow.lessons.add(
                Lesson(
                    id=lesson_id,
                    date=date(2025, 10, 6),
                    number=4 if subject == "phys" else 2,
                    subject_id=subject,
                    teacher_id="t1",
                    class_id=class_id,
                )
            )
        uow.commit()
    svc = service(store)
    day = at(date(2025, 10, 6))
    for teacher, lesson_id, mark_id, student in (
        (TEACHER, "l0", "m-5a", "s1"),
        (TEACHER, "l-5b", "m-5b", "n1"),
        (TEACHER, "l-ph", "m-ph", "s1"),
        (OTHER_TEACHER, "l-group", "m-g", "s2"),
    ):
        svc.enter_mark(
            teacher,
            day,
            lesson_id,
            MarkEntry(mark_id=mark_id, student_id=student, value=5, work_type="answer"),
        )
    svc.set_attestation_mark(TEACHER, at(date(2025, 10, 24)), attestation("pm1", "s1"))
    svc.close_period(DEPUTY, at(date(2025, 10, 27)), "Q1")
    return svc


class TestScopedReopening:
    def test_only_the_named_class_subject_and_teacher_pass_the_lock(self, store: Store) -> None:
        """R8.9, R8.10: reopened for 5a's maths by t1, t1 corrects a 5a maths mark and period
        mark; t1's 5b maths mark, t2's 5a maths mark and t1's 5a physics mark stay locked
        (storage and audit log unchanged); closed again, all are locked."""
        svc = _scoped_school(store)
        svc.reopen_period(DEPUTY, at(date(2025, 10, 28)), "Q1", reason="апелляция", **REOPEN_SCOPE)
        when = at(date(2025, 10, 29))
        before = state(store)
        for actor, mark_id in ((TEACHER, "m-5b"), (OTHER_TEACHER, "m-g"), (TEACHER, "m-ph")):
            with pytest.raises(RuleViolation) as caught:
                svc.correct_mark(actor, when, mark_id, 4, reason="апелляция")
            assert (caught.value.code, caught.value.clause) == ("deadlines.period_locked", "8.9")
        with pytest.raises(RuleViolation):
            svc.enter_mark(
                TEACHER,
                when,
                "l-5b",
                MarkEntry(mark_id="new-5b", student_id="n1", value=4, work_type="answer"),
            )
        assert state(store) == before
        svc.correct_mark(TEACHER, when, "m-5a", 4, reason="апелляция")
        svc.set_attestation_mark(
            TEACHER, when, attestation("pm1", "s1", value=4), reason="апелляция"
        )
        svc.close_period(DEPUTY, at(date(2025, 10, 30)), "Q1")
        closed = state(store)
        with pytest.raises(RuleViolation):
            svc.correct_mark(TEACHER, at(date(2025, 10, 31)), "m-5a", 3, reason="снова")
        with pytest.raises(RuleViolation):
            svc.set_attestation_mark(
                TEACHER, at(date(2025, 10, 31)), attestation("pm1", "s1", value=3), reason="снова"
            )
        assert state(store) == closed

    @pytest.mark.parametrize(
        ("scope", "code"),
        [
            ({"class_id": "9z"}, "period.reopen_class"),
            ({"subject_id": "chem"}, "period.reopen_subject"),
            ({"teacher_id": "dh"}, "period.reopen_teacher"),
            ({"teacher_id": "t2", "class_id": "5b"}, "period.reopen_teacher"),
        ],
    )
    def test_the_named_class_subject_and_teacher_are_checked(
        self, store: Store, scope: dict[str, str], code: str
    ) -> None:
        """R8.9: a reopening for a class not of the year, an unknown subject, or an employee
        who does not teach the subject in the class (nor in its group) is refused, and
        nothing is stored."""
        svc = _scoped_school(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.reopen_period(
                DEPUTY, at(date(2025, 10, 28)), "Q1", reason="апелляция", **(REOPEN_SCOPE | scope)
            )
        assert (caught.value.code, caught.value.clause) == (code, "8.9")
        assert state(store) == before

    def test_the_group_teacher_may_be_named(self, store: Store) -> None:
        """R8.9, R8.10: reopened for t2, who teaches 5a's maths group, t2 corrects his group
        lesson's mark and t1 his class lesson's no longer."""
        svc = _scoped_school(store)
        scope = REOPEN_SCOPE | {"teacher_id": "t2"}
        svc.reopen_period(DEPUTY, at(date(2025, 10, 28)), "Q1", reason="апелляция", **scope)
        svc.correct_mark(OTHER_TEACHER, at(date(2025, 10, 29)), "m-g", 4, reason="апелляция")
        with pytest.raises(RuleViolation):
            svc.correct_mark(TEACHER, at(date(2025, 10, 29)), "m-5a", 4, reason="апелляция")

    def test_the_checker_reports_a_correction_outside_the_reopening(self, store: Store) -> None:
        """R8.9, R8.10: the compliance checker judges stored corrections like the service:
        t1's correction of 5a's maths in the reopened period is not a lock breach, while
        his correction of 5b's maths that reached the store from elsewhere (an import) is
        reported unauthorised, like one in a closed period."""
        svc = _scoped_school(store)
        svc.reopen_period(DEPUTY, at(date(2025, 10, 28)), "Q1", reason="апелляция", **REOPEN_SCOPE)
        late = at(date(2025, 10, 29))
        svc.correct_mark(TEACHER, late, "m-5a", 4, reason="апелляция")
        with store.unit_of_work() as uow:
            imported = uow.marks.get("m-5b")
            edit = MarkEdit(
                at=late, by="t1", old_value=5, new_value=3, reason="пересчитал", role="teacher"
            )
            uow.marks.update(attrs.evolve(imported, value=3, edits=[edit]))
            uow.commit()
        report = svc.compliance_checker().check(
            ComplianceData.from_store(store, year=YEAR), date(2025, 11, 1)
        )
        locked = {
            f.entity_id: f.status for f in report.findings if f.rule_id == "edits.period_lock"
        }
        assert locked == {"m-5b": FindingStatus.UNAUTHORISED}
