"""Movement orders checked against the marks and classes (R4.5, R10.1c, R10.1e; 273-FZ art. 58)."""

from __future__ import annotations

from collections.abc import Mapping

from eschool_core.ids import StudentId, SubjectId
from eschool_core.journal import AttestationKind, AttestationMark, MarkValue
from eschool_core.movement import Order, OrderItem, OrderKind
from eschool_core.service import _rules
from eschool_core.service._errors import (
    ORDER_DEBT_NOT_FAILING,
    ORDER_PROMOTION_WITH_FAILING_MARK,
    ORDER_REPEAT_WITHOUT_FAILURE,
    ORDER_TRANSFER_TO_OTHER_PARALLEL,
)
from eschool_core.storage import UnitOfWork

__all__: list[str] = ["check_transfers", "check_year_end_decisions"]


def check_year_end_decisions(uow: UnitOfWork, order: Order) -> None:
    """Refuse a year-end decision that disagrees with the annual marks of the order's year.

    A conditional promotion's debts (the book requires at least one) are each in a subject
    whose annual mark is unsatisfactory or missing; a promotion has no unsatisfactory annual
    mark; a repeat year needs an unsatisfactory or missing annual mark in a subject the
    student is taught that year (by his class's or his groups' teaching assignments). An
    unsatisfactory mark is «2», «1», «н/а» or «незач». Other kinds pass.

    Raises:
        ValidationError: ``order.debt_not_failing``, ``order.promotion_with_failing_mark``
            or ``order.repeat_without_failure``.
    """
    kind = order.kind
    if kind not in (OrderKind.CONDITIONAL_PROMOTION, OrderKind.PROMOTION, OrderKind.REPEAT):
        return
    for item in order.items:
        annual = _annual_marks(uow, item.student_id, order.year)
        if kind is OrderKind.CONDITIONAL_PROMOTION:
            _check_debts(item, annual)
        elif kind is OrderKind.PROMOTION:
            for subject_id, value in sorted(annual.items()):
                if value.unsatisfactory:
                    raise ORDER_PROMOTION_WITH_FAILING_MARK.error(
                        student_id=item.student_id, subject_id=subject_id, value=value
                    )
        else:
            taught = _subjects_taught(uow, item.student_id, order.year)
            passed = annual and not any(value.unsatisfactory for value in annual.values())
            if passed and taught <= annual.keys():
                raise ORDER_REPEAT_WITHOUT_FAILURE.error(
                    student_id=item.student_id, count=len(annual)
                )


def _check_debts(item: OrderItem, annual: Mapping[SubjectId, MarkValue]) -> None:
    for subject_id in item.subjects:
        value = annual.get(subject_id)
        if value is not None and not value.unsatisfactory:
            raise ORDER_DEBT_NOT_FAILING.error(
                student_id=item.student_id, subject_id=subject_id, value=value
            )


def _annual_marks(uow: UnitOfWork, student_id: StudentId, year: str) -> dict[SubjectId, MarkValue]:
    """The student's annual marks of ``year`` by subject (the latest entered, if several)."""
    marks: list[AttestationMark] = sorted(
        (
            mark
            for mark in uow.attestation_marks.for_student(student_id)
            if mark.year == year and mark.kind is AttestationKind.ANNUAL
        ),
        key=lambda mark: (mark.entered_at, mark.id),
    )
    return {mark.subject_id: mark.value for mark in marks}


def _subjects_taught(uow: UnitOfWork, student_id: StudentId, year: str) -> set[SubjectId]:
    """The subjects taught that year to the student's classes and to the groups he is in."""
    classes = set()
    for membership in uow.memberships.for_student(student_id):
        school_class = uow.classes.find(membership.class_id)
        if school_class is not None and school_class.year == year:
            classes.add(school_class.id)
    groups = {group.id for group in uow.groups.for_year(year) if student_id in group.student_ids}
    return {
        assignment.subject_id
        for assignment in uow.assignments.for_year(year)
        if assignment.class_id in classes or assignment.group_id in groups
    }


def check_transfers(uow: UnitOfWork, order: Order) -> None:
    """Refuse a transfer into a class of another parallel than the student's class (R10.1e).

    The student's class is the one he is in on the order's day by the stored memberships,
    however they were entered (by an order or at set-up). A student in no class, or a target
    class the store lacks, is left to the movement book.

    Raises:
        ValidationError: ``order.transfer_to_other_parallel``.
    """
    if order.kind is not OrderKind.TRANSFER:
        return
    for item in order.items:
        target = uow.classes.find(item.class_id) if item.class_id is not None else None
        current_id = _rules.class_on(uow, item.student_id, order.issued_on)
        current = uow.classes.find(current_id) if current_id is not None else None
        if target is None or current is None or target.parallel == current.parallel:
            continue
        raise ORDER_TRANSFER_TO_OTHER_PARALLEL.error(
            student_id=item.student_id,
            from_class=current.name,
            from_parallel=current.parallel,
            to_class=target.name,
            to_parallel=target.parallel,
        )
