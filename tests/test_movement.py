"""Scenario tests of the movement book: one per order kind and per invalid case (R10.1)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
import pytest

from eschool_core.errors import PermissionDenied, RuleViolation, ValidationError
from eschool_core.ids import ClassId, StudentId
from eschool_core.movement import (
    MOVEMENT_EDIT,
    ORDER_KIND_RULES,
    EducationForm,
    MovementBook,
    MovementError,
    MovementScope,
    OrderItem,
    OrderKind,
    StatusKind,
    YearCloseProblemKind,
)
from tests.movement_helpers import (
    NEXT,
    START,
    YEAR,
    YEAR_END,
    assert_rejected,
    book_state,
    book_with,
    enroll,
    order,
    simple,
)


class TestOrderKinds:
    def test_every_kind_cites_a_clause_of_10_1(self) -> None:
        """R10.1a-e: every order kind names its clause and requirement in data."""
        assert set(ORDER_KIND_RULES) == set(OrderKind)
        for kind in OrderKind:
            assert kind.clause.startswith("10.1")
            assert kind.requirement == f"R{kind.clause}"
            assert kind.label_ru
            assert kind.label_en

    def test_order_rejects_naive_entry_moment(self) -> None:
        """R10.1: the entry moment must be timezone-aware."""
        good = enroll(("s1", "5А"))
        with pytest.raises(ValidationError):
            attrs.evolve(good, entered_at=good.entered_at.replace(tzinfo=None))

    def test_order_rejects_a_student_named_twice(self) -> None:
        """R10.1: an order names each student once."""
        with pytest.raises(ValidationError, match="дважды"):
            enroll(("s1", "5А"), ("s1", "5Б"))


class TestEnrollment:
    def test_enrollment_puts_student_in_class(self) -> None:
        """R10.1a: enrollment puts the student in the class from the order's date."""
        book = book_with(("s1", "5А"))
        assert book.status_on("s1", START - timedelta(days=1)).kind is StatusKind.NOT_ENROLLED
        status = book.status_on("s1", START)
        assert (status.kind, status.class_id, status.parallel) == (StatusKind.IN_CLASS, "5А", 5)
        assert book.roster("5А", START) == ("s1",)

    def test_enrolling_an_enrolled_student_is_rejected(self) -> None:
        """R10.1a: a student who is enrolled cannot be enrolled again."""
        book = book_with(("s1", "5А"))
        error = assert_rejected(
            book, enroll(("s2", "5Б"), ("s1", "5Б")), "already_enrolled", "10.1a"
        )
        assert error.item_index == 1
        assert error.student_id == "s1"
        assert "s1" in str(error)

    def test_enrollment_into_a_class_of_another_year_is_rejected(self) -> None:
        """R10.1a: the class must belong to the order's academic year."""
        assert_rejected(book_with(), enroll(("s1", "n5А")), "wrong_year", "10.1a")

    def test_enrollment_into_unknown_class_is_rejected(self) -> None:
        """R10.1a: the class must be known to the book."""
        assert_rejected(book_with(), enroll(("s1", "nope")), "unknown_class", "10.1a")

    def test_enrollment_into_a_full_class_is_rejected(self) -> None:
        """R10.1a: a class holds at most its capacity (from the policy)."""
        book = book_with(("s1", "5А"), ("s2", "5А"), capacity=2)
        assert_rejected(
            book, enroll(("s3", "5А"), on=START + timedelta(days=3)), "class_full", "10.1"
        )

    def test_attachment_puts_student_on_family_education(self) -> None:
        """R10.1a: attachment records a student on family education or self-education."""
        book = book_with()
        book.apply(
            simple(OrderKind.ATTACHMENT, "s1", on=START, education_form="family", parallel=7)
        )
        status = book.status_on("s1", START)
        assert (status.kind, status.education_form, status.parallel) == (
            StatusKind.ATTACHED,
            EducationForm.FAMILY,
            7,
        )

    def test_attachment_without_form_is_rejected(self) -> None:
        """R10.1a: an attachment names the form of education."""
        assert_rejected(
            book_with(), simple(OrderKind.ATTACHMENT, "s1", on=START), "no_education_form", "10.1a"
        )


class TestWithdrawal:
    def test_withdrawal_records_destination(self) -> None:
        """R10.1b: a withdrawn student leaves the class, with where he goes."""
        book = book_with(("s1", "5А"))
        day = date(2025, 11, 10)
        book.apply(simple(OrderKind.WITHDRAWAL, "s1", on=day, destination="МБОУ СОШ №5"))
        status = book.status_on("s1", day)
        assert (status.kind, status.destination) == (StatusKind.WITHDRAWN, "МБОУ СОШ №5")
        assert book.roster("5А", day) == ()
        assert book.roster("5А", day - timedelta(days=1)) == ("s1",)

    def test_withdrawing_a_student_not_enrolled_is_rejected(self) -> None:
        """R10.1b: only an enrolled student can be withdrawn."""
        assert_rejected(
            book_with(),
            simple(OrderKind.WITHDRAWAL, "s9", destination="x"),
            "not_enrolled",
            "10.1b",
        )

    def test_withdrawal_without_destination_is_rejected(self) -> None:
        """R10.1b: a withdrawal says where the student goes."""
        assert_rejected(
            book_with(("s1", "5А")), simple(OrderKind.WITHDRAWAL, "s1"), "no_destination", "10.1b"
        )

    def test_detachment_ends_attachment(self) -> None:
        """R10.1b: detachment ends an attachment."""
        book = book_with()
        book.apply(simple(OrderKind.ATTACHMENT, "s1", on=START, education_form="self"))
        book.apply(
            simple(OrderKind.DETACHMENT, "s1", on=START + timedelta(days=40), destination="колледж")
        )
        assert book.latest_status("s1").kind is StatusKind.WITHDRAWN

    def test_detaching_a_student_in_class_is_rejected(self) -> None:
        """R10.1b: only an attached student can be detached."""
        assert_rejected(
            book_with(("s1", "5А")),
            simple(OrderKind.DETACHMENT, "s1", destination="x"),
            "not_attached",
            "10.1b",
        )


class TestTransfers:
    def test_transfer_between_classes(self) -> None:
        """R10.1e: a transfer moves the student to another class of the same year."""
        book = book_with(("s1", "5А"))
        day = date(2025, 10, 6)
        book.apply(simple(OrderKind.TRANSFER, "s1", on=day, class_id="5Б"))
        assert book.status_on("s1", day).class_id == "5Б"
        assert book.status_on("s1", day - timedelta(days=1)).class_id == "5А"

    def test_transfer_into_a_class_of_another_year_is_rejected(self) -> None:
        """R10.1e: a transfer stays within the academic year."""
        book = book_with(("s1", "5А"))
        assert_rejected(
            book, simple(OrderKind.TRANSFER, "s1", class_id=ClassId("n5Б")), "wrong_year", "10.1e"
        )

    def test_transfer_into_a_full_class_is_rejected(self) -> None:
        """R10.1e: a transfer cannot overfill the class."""
        book = book_with(("s1", "5А"), ("s2", "5Б"), capacity=1)
        assert_rejected(book, simple(OrderKind.TRANSFER, "s1", class_id="5Б"), "class_full", "10.1")

    def test_transfer_into_own_class_is_rejected(self) -> None:
        """R10.1e: a transfer names another class."""
        assert_rejected(
            book_with(("s1", "5А")),
            simple(OrderKind.TRANSFER, "s1", class_id="5А"),
            "same_class",
            "10.1e",
        )

    def test_transferring_a_student_not_enrolled_is_rejected(self) -> None:
        """R10.1e: only an enrolled student can be transferred."""
        assert_rejected(
            book_with(), simple(OrderKind.TRANSFER, "s1", class_id="5А"), "not_enrolled", "10.1e"
        )

    @pytest.mark.parametrize(
        ("kind", "form"),
        [
            (OrderKind.FAMILY_EDUCATION, EducationForm.FAMILY),
            (OrderKind.SELF_EDUCATION, EducationForm.SELF),
        ],
    )
    def test_transfer_to_family_or_self_education(
        self, kind: OrderKind, form: EducationForm
    ) -> None:
        """R10.1e: the student leaves the class and is attached with the form of education."""
        book = book_with(("s1", "7А"))
        book.apply(simple(kind, "s1", on=date(2025, 12, 1)))
        status = book.latest_status("s1")
        assert (status.kind, status.education_form, status.parallel, status.class_id) == (
            StatusKind.ATTACHED,
            form,
            7,
            None,
        )

    def test_order_dated_before_previous_movement_is_rejected(self) -> None:
        """R10.1: an order cannot predate the student's previous movement."""
        book = book_with(("s1", "5А"))
        book.apply(simple(OrderKind.TRANSFER, "s1", on=date(2025, 10, 6), class_id="5Б"))
        assert_rejected(
            book,
            simple(OrderKind.TRANSFER, "s1", on=date(2025, 10, 1), class_id="5А"),
            "dated_before_previous",
            "10.1",
        )

    def test_duplicate_order_number_within_a_year_is_rejected(self) -> None:
        """R10.1: order numbers are unique within an academic year."""
        book = book_with()
        book.apply(enroll(("s1", "5А"), number="7-у"))
        assert_rejected(
            book,
            enroll(("s2", "5А"), number="7-У", on=START + timedelta(days=1)),
            "duplicate_number",
            "10.1",
        )


class TestYearEndDecisions:
    def test_promotion_records_decision(self) -> None:
        """R10.1c, R4.5: promotion of grades 1-8 and 10 is a decision taken in the class."""
        book = book_with(("s1", "5А"), ("s2", "10А"))
        book.apply(simple(OrderKind.PROMOTION, "s1", "s2"))
        assert book.latest_status("s1").decision is OrderKind.PROMOTION
        assert book.latest_status("s1").class_id == "5А"

    @pytest.mark.parametrize("klass", ["9А", "11А"])
    def test_promoting_grades_9_and_11_is_rejected(self, klass: str) -> None:
        """R10.1c-d: grades 9 and 11 graduate (or are retained) instead of being promoted."""
        assert_rejected(
            book_with(("s1", klass)), simple(OrderKind.PROMOTION, "s1"), "must_graduate", "10.1d"
        )

    def test_promoting_a_student_not_enrolled_is_rejected(self) -> None:
        """R10.1c: only an enrolled student can be promoted."""
        assert_rejected(book_with(), simple(OrderKind.PROMOTION, "s1"), "not_enrolled", "10.1c")

    def test_second_decision_is_rejected(self) -> None:
        """R10.1c: one end-of-year decision per student and year."""
        book = book_with(("s1", "5А"))
        book.apply(simple(OrderKind.PROMOTION, "s1"))
        assert_rejected(book, simple(OrderKind.REPEAT, "s1"), "decision_exists", "10.1c")

    def test_conditional_promotion_opens_debts(self) -> None:
        """R10.1c: a conditional promotion opens a debt per subject, dated by the order."""
        book = book_with(("s1", "6А"))
        book.apply(simple(OrderKind.CONDITIONAL_PROMOTION, "s1", subjects=["math", "rus"]))
        status = book.latest_status("s1")
        assert status.kind is StatusKind.CONDITIONAL
        assert status.open_debts == {"math", "rus"}
        assert [(d.subject_id, d.arose_on) for d in book.open_debts(YEAR_END)] == [
            ("math", YEAR_END),
            ("rus", YEAR_END),
        ]

    def test_conditional_promotion_without_debts_is_rejected(self) -> None:
        """R10.1c: a conditional promotion names at least one debt."""
        assert_rejected(
            book_with(("s1", "6А")),
            simple(OrderKind.CONDITIONAL_PROMOTION, "s1"),
            "no_debts",
            "10.1c",
        )

    def test_plain_promotion_with_open_debts_is_rejected(self) -> None:
        """R10.1c: a student with open debts is promoted only conditionally."""
        book = book_with(("s1", "6А"))
        book.apply(simple(OrderKind.CONDITIONAL_PROMOTION, "s1", subjects=["math"]))
        book.apply_rollover(book.plan_rollover(YEAR, date(2026, 9, 1)))
        assert_rejected(
            book,
            order(
                OrderKind.PROMOTION,
                [OrderItem(student_id=StudentId("s1"))],
                on=date(2027, 5, 28),
                year=NEXT,
            ),
            "open_debts",
            "10.1c",
        )

    def test_repayment_closes_debt_and_records_dates(self) -> None:
        """R10.1c: repayment closes the debt, keeping the repayment date and entry moment."""
        book = book_with(("s1", "6А"))
        book.apply(simple(OrderKind.CONDITIONAL_PROMOTION, "s1", subjects=["math"]))
        repay = simple(
            OrderKind.DEBT_REPAYMENT,
            "s1",
            on=date(2026, 6, 10),
            subjects=["math"],
            repaid_on=date(2026, 6, 9),
        )
        book.apply(repay)
        (debt,) = book.debts()
        assert (debt.repaid_on, debt.repayment_entered_at, debt.repayment_order_id) == (
            date(2026, 6, 9),
            repay.entered_at,
            repay.id,
        )
        assert book.latest_status("s1").kind is StatusKind.IN_CLASS
        assert book.open_debts(date(2026, 6, 9)) == ()

    def test_repaying_a_debt_that_is_not_open_is_rejected(self) -> None:
        """R10.1c: only an open debt can be repaid."""
        book = book_with(("s1", "6А"))
        book.apply(simple(OrderKind.CONDITIONAL_PROMOTION, "s1", subjects=["math"]))
        assert_rejected(
            book, simple(OrderKind.DEBT_REPAYMENT, "s1", subjects=["rus"]), "debt_not_open", "10.1c"
        )

    def test_debts_not_repaid_within_a_year_are_overdue(self) -> None:
        """R10.1c: a debt still open a year after it arose is reported (273-FZ art. 58)."""
        book = book_with(("s1", "6А"))
        book.apply(simple(OrderKind.CONDITIONAL_PROMOTION, "s1", subjects=["math"]))
        (debt,) = book.debts()
        assert book.debt_deadline(debt) == date(2027, 5, 29)
        assert book.overdue_debts(date(2027, 5, 29)) == ()
        assert book.overdue_debts(date(2027, 5, 30)) == (debt,)

    @pytest.mark.parametrize("klass", ["9А", "11А"])
    def test_graduation_of_grades_9_and_11(self, klass: str) -> None:
        """R10.1d: students of grades 9 and 11 graduate and leave their class."""
        book = book_with(("s1", klass))
        book.apply(simple(OrderKind.GRADUATION, "s1"))
        assert book.latest_status("s1").kind is StatusKind.GRADUATED
        assert book.roster(klass, YEAR_END) == ()

    def test_graduating_another_grade_is_rejected(self) -> None:
        """R10.1d: only grades 9 and 11 graduate."""
        assert_rejected(
            book_with(("s1", "8А")),
            simple(OrderKind.GRADUATION, "s1"),
            "not_graduating_grade",
            "10.1d",
        )

    def test_retention_of_grade_9(self) -> None:
        """R10.1d: a grade-9 student may be retained for a repeat year."""
        book = book_with(("s1", "9А"))
        book.apply(simple(OrderKind.RETENTION, "s1"))
        assert book.latest_status("s1").decision is OrderKind.RETENTION

    def test_retention_of_another_grade_is_rejected(self) -> None:
        """R10.1d: retention applies to grade 9 only."""
        assert_rejected(
            book_with(("s1", "8А")), simple(OrderKind.RETENTION, "s1"), "not_grade_9", "10.1d"
        )

    def test_repeat_year_is_the_decision(self) -> None:
        """R10.1c: a repeat-year order is the student's end-of-year decision (debts: see
        tests/test_movement_rules.py::TestRepeatYearCancelsDebts)."""
        book = book_with(("s1", "3А"))
        book.apply(simple(OrderKind.REPEAT, "s1"))
        assert book.latest_status("s1").decision is OrderKind.REPEAT


class TestRights:
    class FakeAuthorizer:
        """Grants the movement book to the secretary, deputy head and administrator only."""

        def __init__(self) -> None:
            self.asked: list[tuple[object, str, object]] = []

        def require(self, actor: Any, action: str, target: Any) -> None:
            self.asked.append((actor, action, target))
            if actor not in {"secretary", "deputy_head", "administrator"}:
                raise PermissionDenied("Нет прав", "No right", code="access.denied", clause="10.1")

    @pytest.mark.parametrize("actor", ["secretary", "deputy_head", "administrator"])
    def test_editors_may_apply(self, actor: str) -> None:
        """R10.1: the secretary, the deputy head or the administrator edits the book."""
        book = book_with()
        authorizer = self.FakeAuthorizer()
        good = enroll(("s1", "5А"))
        book.apply(good, authorizer=authorizer, actor=actor)
        assert authorizer.asked == [(actor, MOVEMENT_EDIT, good)]

    def test_teacher_may_not_apply(self) -> None:
        """R10.1: anyone else is refused and the book is unchanged."""
        book = book_with()
        with pytest.raises(PermissionDenied):
            book.apply(enroll(("s1", "5А")), authorizer=self.FakeAuthorizer(), actor="teacher")
        assert book.orders == ()


class TestQueries:
    def test_movement_rows_balance_and_name_kinds(self) -> None:
        """R2.2d: movement per class and parallel balances and names the kinds."""
        book = book_with(("s1", "5А"), ("s2", "5А"), ("s3", "5Б"))
        book.apply(simple(OrderKind.TRANSFER, "s1", on=date(2025, 10, 1), class_id="5Б"))
        book.apply(simple(OrderKind.WITHDRAWAL, "s2", on=date(2025, 10, 2), destination="Москва"))
        book.apply(enroll(("s4", "6А"), on=date(2025, 10, 3)))
        rows = {(r.scope, r.key): r for r in book.movement(date(2025, 10, 1), date(2025, 10, 31))}
        a5 = rows[(MovementScope.CLASS, "5А")]
        assert (a5.at_start, a5.arrived_total, a5.left_total, a5.at_end) == (2, 0, 2, 0)
        assert a5.left == {OrderKind.TRANSFER: 1, OrderKind.WITHDRAWAL: 1}
        p5 = rows[(MovementScope.PARALLEL, "5")]
        assert (p5.at_start, p5.left, p5.at_end) == (3, {OrderKind.WITHDRAWAL: 1}, 2)
        for row in rows.values():
            assert row.at_start + row.arrived_total - row.left_total == row.at_end

    def test_status_on_accepts_a_student_card(self) -> None:
        """R2.2d: status_on takes a Student as well as an id."""
        from eschool_core.people import Person, Student

        book = book_with(("s1", "5А"))
        card = Student(id=StudentId("s1"), person=Person(last_name="Орлов", first_name="Иван"))
        assert book.status_on(card, START).class_id == "5А"

    def test_memberships_follow_the_book(self) -> None:
        """R2.2d: the book yields class memberships for a host to store."""
        book = book_with(("s1", "5А"))
        book.apply(simple(OrderKind.TRANSFER, "s1", on=date(2025, 10, 6), class_id="5Б"))
        spans = [(m.class_id, m.since, m.until) for m in book.memberships()]
        assert spans == [("5А", START, date(2025, 10, 5)), ("5Б", date(2025, 10, 6), None)]


class TestYearClose:
    def test_problems_list_undecided_students_and_missing_orders(self) -> None:
        """R4.7: before closing, undecided students and orders not entered are listed."""
        book = book_with(("s1", "5А"), ("s2", "5А"), ("s3", "9А"))
        book.apply(simple(OrderKind.PROMOTION, "s1"))
        book.apply(simple(OrderKind.GRADUATION, "s3"))
        problems = book.year_close_problems(YEAR, issued_numbers=[book.orders[0].number, "99-у"])
        assert [(p.kind, p.student_id, p.order_number) for p in problems] == [
            (YearCloseProblemKind.NO_DECISION, "s2", None),
            (YearCloseProblemKind.ORDER_NOT_ENTERED, None, "99-у"),
        ]
        assert all(p.clause == "4.7" for p in problems)

    def test_next_year_classes_from_decisions(self) -> None:
        """R4.4a: 5А goes to 6А, repeaters stay in the parallel, graduates leave."""
        book = book_with(("s1", "5А"), ("s2", "5А"), ("s3", "9А"), ("s4", "4А"))
        book.apply(simple(OrderKind.PROMOTION, "s1", "s4"))
        book.apply(simple(OrderKind.REPEAT, "s2"))
        book.apply(simple(OrderKind.GRADUATION, "s3"))
        planned = {p.school_class.name: p.student_ids for p in book.next_year_classes(YEAR)}
        assert planned == {"5А": ("s2", "s4"), "6А": ("s1",)}

    def test_rollover_dry_run_apply_and_undo(self) -> None:
        """R4.4a, R4.5: the rollover is a diff first, then one step, and can be undone."""
        book = book_with(("s1", "5А"), ("s2", "5А"), ("s3", "9А"), ("s4", "6А"))
        book.apply(simple(OrderKind.PROMOTION, "s1"))
        book.apply(simple(OrderKind.REPEAT, "s2"))
        book.apply(simple(OrderKind.GRADUATION, "s3"))
        book.apply(simple(OrderKind.CONDITIONAL_PROMOTION, "s4", subjects=["math"]))
        before = book_state(book)
        plan = book.plan_rollover(YEAR, date(2026, 9, 1))
        assert book_state(book) == before
        assert [(m.student_id, m.to_class_id) for m in plan.moves] == [("s1", "n6А"), ("s4", "n7А")]
        assert [(m.student_id, m.to_class_id) for m in plan.stays] == [("s2", "n5А")]
        assert plan.leaves == ("s3",)
        assert [d.subject_id for d in plan.carried_debts] == ["math"]
        book.apply_rollover(plan)
        assert book.status_on("s1", date(2026, 9, 1)).class_id == "n6А"
        assert book.status_on("s4", date(2026, 9, 1)).kind is StatusKind.CONDITIONAL
        assert book.status_on("s1", date(2026, 8, 31)).class_id == "5А"
        assert book.year_close_problems(YEAR) == ()
        book.undo_rollover()
        assert book_state(book) == before

    def test_stale_plan_and_undo_after_new_order_are_refused(self) -> None:
        """R4.4a: a plan made before a change is refused; undo after a new order too."""
        book = book_with(("s1", "5А"), ("s2", "5А"))
        book.apply(simple(OrderKind.PROMOTION, "s1", "s2"))
        plan = book.plan_rollover(YEAR, date(2026, 9, 1))
        book.apply(enroll(("s3", "5Б"), on=date(2026, 2, 1)))
        with pytest.raises(MovementError) as stale:
            book.apply_rollover(plan)
        assert stale.value.rule == "stale_plan"
        book.apply_rollover(book.plan_rollover(YEAR, date(2026, 9, 1)))
        book.apply(
            order(
                OrderKind.WITHDRAWAL,
                [OrderItem(student_id=StudentId("s1"), destination="x")],
                on=date(2026, 9, 5),
                year=NEXT,
            )
        )
        with pytest.raises(RuleViolation):
            book.undo_rollover()

    def test_rebuild_from_orders_and_rollovers(self) -> None:
        """R10.1: a host rebuilds the same book from stored orders and rollovers."""
        book = book_with(("s1", "5А"), ("s2", "9А"))
        book.apply(simple(OrderKind.PROMOTION, "s1"))
        book.apply(simple(OrderKind.RETENTION, "s2"))
        book.apply_rollover(book.plan_rollover(YEAR, date(2026, 9, 1)))
        book.apply(enroll(("s5", "5А"), on=date(2026, 3, 1)))
        book.apply(
            order(
                OrderKind.TRANSFER,
                [OrderItem(student_id=StudentId("s1"), class_id=ClassId("n5Б"))],
                on=date(2026, 9, 2),
                year=NEXT,
            )
        )
        again = MovementBook.from_orders(
            reversed(book.orders),
            classes=book.classes,
            policy=book.policy,
            rollovers=book.rollovers,
        )
        assert again.memberships() == book.memberships()
        assert again.debts() == book.debts()
        assert again.latest_status("s2").class_id == "n9А"
