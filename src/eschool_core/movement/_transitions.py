"""Checking an order's items against the book and committing them, all or nothing (R10.1)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import NoReturn

import attrs

from eschool_core.ids import ClassId
from eschool_core.movement._kinds import EducationForm, OrderKind, StatusKind
from eschool_core.movement._ledger import Ledger
from eschool_core.movement._orders import MovementError, Order, OrderItem
from eschool_core.movement._state import AcademicDebt, StudentStatus
from eschool_core.school import SchoolClass

__all__ = ["Change", "check_order", "commit_order"]

_PROMOTABLE = frozenset((1, 2, 3, 4, 5, 6, 7, 8, 10))
_REPEATS = frozenset((OrderKind.REPEAT, OrderKind.RETENTION))
_FOR_PROMOTABLE_GRADES = frozenset(
    (OrderKind.PROMOTION, OrderKind.CONDITIONAL_PROMOTION, OrderKind.REPEAT)
)


@attrs.frozen(kw_only=True)
class Change:
    """What one item of an order does to its student, once every check passed.

    Attributes:
        current: The student's status before the order.
        new: The status the order gives.
        debts: The academic debts the order opens.
    """

    current: StudentStatus
    new: StudentStatus
    debts: tuple[AcademicDebt, ...] = ()


@attrs.frozen
class _Item:
    """One item under check: raises its :class:`MovementError`s."""

    order: Order
    index: int

    def fail(self, rule: str, ru: str, en: str, clause: str | None = None) -> NoReturn:
        """Raise the error of ``rule`` for this item (the clause defaults to the order kind's)."""
        raise MovementError(
            ru,
            en,
            rule=rule,
            clause=clause or self.order.kind.clause,
            order=self.order,
            item_index=self.index,
        )

    def require_enrolled(self, current: StudentStatus) -> None:
        """Fail unless the student learns in a class."""
        if not current.kind.enrolled:
            self.fail(
                "not_enrolled",
                f"учащийся не обучается в классе школы ({current.kind.label_ru})",
                f"the student is not enrolled in a class ({current.kind.label_en})",
            )

    def require_class_of_year(self, target: SchoolClass, year: str | None) -> None:
        """Fail unless ``target`` belongs to the academic year ``year``."""
        if target.year != year:
            self.fail(
                "wrong_year",
                f"класс {target.name} другого учебного года ({target.year})",
                f"class {target.name} belongs to another academic year ({target.year})",
            )


def check_order(
    order: Order, ledger: Ledger, capacity: Callable[[SchoolClass], int]
) -> tuple[Change, ...]:
    """Check every item of ``order`` against the book and return the changes, in item order.

    Capacity is checked from the order's date on: the class must not overflow on that day
    nor on any later day on which the book already records arrivals.

    Raises:
        MovementError: For the first item that breaks a rule, or a class that would overflow.
    """
    arrivals: Counter[ClassId] = Counter()
    changes: list[Change] = []
    for index, item in enumerate(order.items):
        current = ledger.latest(item.student_id)
        checker = _Item(order, index)
        if current.since is not None and order.issued_on < current.since:
            checker.fail(
                "dated_before_previous",
                f"приказ датирован раньше предыдущего движения учащегося ({current.since})",
                f"the order is dated before the student's previous movement ({current.since})",
                "10.1",
            )
        new, debts = _transition(checker, item, current, ledger)
        if new.class_id is not None and new.class_id != current.class_id:
            arrivals[new.class_id] += 1
        if current.class_id is not None and new.class_id != current.class_id:
            arrivals[current.class_id] -= 1
        changes.append(Change(current=current, new=new, debts=tuple(debts)))
    for class_id, delta in arrivals.items():
        school_class = ledger.classes[class_id]
        most = capacity(school_class)
        if delta > 0 and ledger.peak_occupancy(class_id, order.issued_on) + delta > most:
            index = next(i for i, change in enumerate(changes) if change.new.class_id == class_id)
            _Item(order, index).fail(
                "class_full",
                f"класс {school_class.name} заполнен (не более {most})",
                f"class {school_class.name} is full (at most {most})",
                "10.1",
            )
    return tuple(changes)


def commit_order(order: Order, changes: tuple[Change, ...], ledger: Ledger) -> None:
    """Record the checked ``changes`` of ``order``: statuses, new, repaid and cancelled debts."""
    for change, item in zip(changes, order.items, strict=True):
        ledger.record(order.issued_on, order.kind, change.current, change.new)
        ledger.debts.add(change.debts)
        if order.kind is OrderKind.DEBT_REPAYMENT:
            ledger.debts.repay(order, item)
        elif order.kind in _REPEATS:
            ledger.debts.cancel_open(item.student_id, order.issued_on)


def _transition(
    checker: _Item, item: OrderItem, current: StudentStatus, ledger: Ledger
) -> tuple[StudentStatus, list[AcademicDebt]]:
    order = checker.order
    kind = order.kind
    base = attrs.evolve(current, since=order.issued_on, order_id=order.id)
    if kind in {OrderKind.ENROLLMENT, OrderKind.TRANSFER}:
        target = _target_class(checker, item, ledger)
        if kind is OrderKind.ENROLLMENT:
            if current.kind.enrolled:
                checker.fail("already_enrolled", "учащийся уже зачислен", "the student is enrolled")
        else:
            checker.require_enrolled(current)
            if target.id == current.class_id:
                checker.fail(
                    "same_class",
                    "перевод в тот же класс",
                    "a transfer into the class the student is in",
                )
            checker.require_class_of_year(target, current.year)
        return attrs.evolve(
            base,
            kind=StatusKind.CONDITIONAL if current.open_debts else StatusKind.IN_CLASS,
            class_id=target.id,
            year=target.year,
            parallel=target.parallel,
            education_form=None,
            destination=None,
            decision=current.decision if kind is OrderKind.TRANSFER else None,
        ), []
    if kind is OrderKind.ATTACHMENT:
        if current.kind.enrolled or current.kind is StatusKind.ATTACHED:
            checker.fail(
                "already_enrolled",
                "учащийся уже зачислен или прикреплён",
                "the student is already enrolled or attached",
            )
        if item.education_form is None:
            checker.fail(
                "no_education_form",
                "не указана форма образования (семейное или самообразование)",
                "the form of education (family or self-education) is missing",
            )
        return attrs.evolve(
            base,
            kind=StatusKind.ATTACHED,
            class_id=None,
            year=order.year,
            parallel=item.parallel,
            education_form=item.education_form,
            destination=None,
            decision=None,
        ), []
    if kind in {OrderKind.WITHDRAWAL, OrderKind.DETACHMENT}:
        if kind is OrderKind.WITHDRAWAL:
            checker.require_enrolled(current)
        elif current.kind is not StatusKind.ATTACHED:
            checker.fail("not_attached", "учащийся не прикреплён", "the student is not attached")
        if item.destination is None:
            checker.fail(
                "no_destination",
                "не указано, куда выбывает учащийся",
                "where the student goes is missing",
            )
        return attrs.evolve(
            base,
            kind=StatusKind.WITHDRAWN,
            class_id=None,
            education_form=None,
            destination=item.destination,
            decision=None,
        ), []
    if kind in {OrderKind.FAMILY_EDUCATION, OrderKind.SELF_EDUCATION}:
        checker.require_enrolled(current)
        form = EducationForm.FAMILY if kind is OrderKind.FAMILY_EDUCATION else EducationForm.SELF
        return attrs.evolve(
            base,
            kind=StatusKind.ATTACHED,
            class_id=None,
            education_form=form,
            decision=None,
        ), []
    if kind is OrderKind.DEBT_REPAYMENT:
        return _repay(checker, item, current, base, ledger), []
    return _decide(checker, item, current, base)


def _repay(
    checker: _Item, item: OrderItem, current: StudentStatus, base: StudentStatus, ledger: Ledger
) -> StudentStatus:
    order = checker.order
    if not item.subjects:
        checker.fail("no_debts", "не указаны предметы", "no subjects are named")
    for subject in item.subjects:
        if subject not in current.open_debts:
            checker.fail(
                "debt_not_open",
                f"нет открытой задолженности по предмету «{subject}»",
                f"there is no open debt in subject '{subject}'",
            )
        arose = ledger.debts.open_debt(item.student_id, subject).arose_on
        if (item.repaid_on or order.issued_on) < arose:
            checker.fail(
                "repaid_before_arose",
                "задолженность погашена раньше, чем возникла",
                "the debt is repaid before it arose",
            )
    remaining = current.open_debts - frozenset(item.subjects)
    still = StatusKind.CONDITIONAL if remaining else StatusKind.IN_CLASS
    return attrs.evolve(
        base, kind=still if current.kind.enrolled else current.kind, open_debts=remaining
    )


def _decide(
    checker: _Item, item: OrderItem, current: StudentStatus, base: StudentStatus
) -> tuple[StudentStatus, list[AcademicDebt]]:
    order = checker.order
    kind = order.kind
    checker.require_enrolled(current)
    if current.year != order.year:
        checker.fail(
            "wrong_year",
            f"учащийся обучается в классе {current.year} учебного года, а не {order.year}",
            f"the student's class belongs to {current.year}, not to {order.year}",
        )
    if current.decision is not None:
        checker.fail(
            "decision_exists",
            f"решение на конец года уже принято ({current.decision.label_ru})",
            f"an end-of-year decision is already taken ({current.decision.label_en})",
        )
    parallel = current.parallel
    if kind in _FOR_PROMOTABLE_GRADES:
        if parallel not in _PROMOTABLE:
            checker.fail(
                "must_graduate",
                f"учащиеся {parallel}-х классов не переводятся, а выпускаются или "
                "оставляются на повторное обучение",
                f"students of grade {parallel} are graduated or retained, not promoted",
                "10.1d",
            )
    elif kind is OrderKind.GRADUATION:
        if parallel not in {9, 11}:
            checker.fail(
                "not_graduating_grade",
                f"выпускаются только 9-е и 11-е классы, а не {parallel}-й",
                f"only grades 9 and 11 graduate, not grade {parallel}",
            )
    elif parallel != 9:
        checker.fail(
            "not_grade_9",
            f"по этому приказу остаются только 9-классники, а не {parallel}-й класс",
            f"only grade-9 students are retained by this order, not grade {parallel}",
        )
    if kind is OrderKind.PROMOTION and current.open_debts:
        checker.fail(
            "open_debts",
            "у учащегося есть открытые задолженности: перевод только условный",
            "the student has open debts: only a conditional promotion is possible",
        )
    if kind is OrderKind.CONDITIONAL_PROMOTION:
        new_debts = frozenset(item.subjects) - current.open_debts
        if not new_debts:
            checker.fail(
                "no_debts",
                "условный перевод без академической задолженности",
                "a conditional promotion without academic debts",
            )
        debts = [
            AcademicDebt(
                student_id=item.student_id,
                subject_id=subject,
                arose_on=order.issued_on,
                order_id=order.id,
            )
            for subject in sorted(new_debts)
        ]
        return attrs.evolve(
            base,
            kind=StatusKind.CONDITIONAL,
            decision=kind,
            open_debts=current.open_debts | new_debts,
        ), debts
    if kind is OrderKind.GRADUATION:
        return attrs.evolve(base, kind=StatusKind.GRADUATED, class_id=None, decision=kind), []
    if kind in _REPEATS:
        return attrs.evolve(
            base, kind=StatusKind.IN_CLASS, decision=kind, open_debts=frozenset()
        ), []
    return attrs.evolve(base, decision=kind), []


def _target_class(checker: _Item, item: OrderItem, ledger: Ledger) -> SchoolClass:
    if item.class_id is None:
        checker.fail("no_class", "не указан класс", "the class is missing")
    target = ledger.classes.get(item.class_id)
    if target is None:
        checker.fail(
            "unknown_class",
            f"класс «{item.class_id}» не известен книге движения",
            f"class '{item.class_id}' is not known to the movement book",
        )
    checker.require_class_of_year(target, checker.order.year)
    return target
