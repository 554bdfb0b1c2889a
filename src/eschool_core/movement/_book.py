"""The movement book (книга движения учащихся): orders applied in date order (R10.1, R2.2d)."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from eschool_core._validation import check_year_label
from eschool_core.errors import ValidationError
from eschool_core.ids import ClassId, MembershipId, OrderId, StudentId, SubjectId
from eschool_core.movement._kinds import EducationForm, OrderKind, StatusKind
from eschool_core.movement._orders import (
    MOVEMENT_EDIT,
    MovementAuthorizer,
    MovementError,
    MovementPolicy,
    Order,
    OrderItem,
)
from eschool_core.movement._rollover import (
    PlannedClass,
    ProblemKind,
    RolloverMove,
    RolloverPlan,
    YearCloseProblem,
)
from eschool_core.movement._state import AcademicDebt, MovementRow, MovementScope, StudentStatus
from eschool_core.school import ClassMembership, SchoolClass

__all__ = ["MovementBook", "next_year_label"]

_DECISIONS = frozenset(kind for kind in OrderKind if kind.rule.year_end)
_PROMOTABLE = frozenset((1, 2, 3, 4, 5, 6, 7, 8, 10))


def next_year_label(year: str) -> str:
    """Return the academic year after ``year``.

    Raises:
        ValidationError: If ``year`` is not a label like ``"2025/2026"``.

    >>> next_year_label("2025/2026")
    '2026/2027'
    """
    first, second = check_year_label(year)
    return f"{first + 1}/{second + 1}"


@attrs.frozen
class _Entry:
    """A change of one student's status: the day, a global sequence number, the result."""

    day: date
    seq: int
    status: StudentStatus
    kind: OrderKind
    from_class: ClassId | None
    to_class: ClassId | None


@attrs.frozen
class _Undo:
    version: int
    timelines: dict[StudentId, list[_Entry]]
    debts: list[AcademicDebt]
    classes: dict[ClassId, SchoolClass]
    class_events: dict[ClassId, list[tuple[date, int, int, StudentId, OrderKind]]]


def _student_key(student: Any) -> StudentId:  # noqa: ANN401 - a Student or an id
    key = getattr(student, "id", student)
    if not isinstance(key, str):
        raise ValidationError(
            f"Нужен учащийся или его идентификатор: {student!r}",
            f"A student or a student id is required, got {student!r}",
            code="movement.bad_student",
        )
    return StudentId(key)


def _class_key(school_class: Any) -> ClassId:  # noqa: ANN401 - a SchoolClass or an id
    key = getattr(school_class, "id", school_class)
    if not isinstance(key, str):
        raise ValidationError(
            f"Нужен класс или его идентификатор: {school_class!r}",
            f"A class or a class id is required, got {school_class!r}",
            code="movement.bad_class",
        )
    return ClassId(key)


class MovementBook:
    """The movement book: every student's status on any date, from the orders (R10.1, R2.2d).

    Orders are applied one at a time with :meth:`apply`, each all or nothing; an order may
    not be dated before a student's previous movement. The book also closes the year and
    rolls it over (R4.4a, R4.5, R4.7).

    Args:
        classes: The classes orders may name (more can be added with :meth:`add_classes`).
        policy: The configurable rules (default capacity, debt term).

    >>> from datetime import UTC, date, datetime
    >>> from eschool_core.school import SchoolClass
    >>> book = MovementBook([SchoolClass(id="5a", year="2025/2026", parallel=5, letter="А")])
    >>> book.apply(Order(id="o1", number="1", kind="enrollment", issued_on=date(2025, 9, 1),
    ...     entered_at=datetime(2025, 9, 1, 10, tzinfo=UTC), author_id="e1", year="2025/2026",
    ...     items=[OrderItem(student_id="s1", class_id="5a")]))
    >>> book.status_on("s1", date(2025, 9, 1)).kind, book.occupancy("5a", date(2025, 9, 2))
    (<StatusKind.IN_CLASS: 'in_class'>, 1)
    """

    def __init__(
        self, classes: Iterable[SchoolClass] = (), *, policy: MovementPolicy | None = None
    ) -> None:
        self._policy = policy or MovementPolicy()
        self._classes: dict[ClassId, SchoolClass] = {}
        self._orders: dict[OrderId, Order] = {}
        self._numbers: set[tuple[str, str]] = set()
        self._timelines: dict[StudentId, list[_Entry]] = {}
        self._debts: list[AcademicDebt] = []
        self._open_debt_index: dict[tuple[StudentId, SubjectId], int] = {}
        self._class_events: dict[ClassId, list[tuple[date, int, int, StudentId, OrderKind]]] = (
            defaultdict(list)
        )
        self._seq = 0
        self._version = 0
        self._rollovers: list[_Undo] = []
        self._rollover_plans: list[RolloverPlan] = []
        self.add_classes(classes)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_orders(
        cls,
        orders: Iterable[Order],
        *,
        classes: Iterable[SchoolClass] = (),
        policy: MovementPolicy | None = None,
        rollovers: Iterable[RolloverPlan] = (),
    ) -> MovementBook:
        """Rebuild a book by replaying stored orders (and applied rollovers) in date order.

        A rollover is replayed before the orders of its own day.

        Raises:
            MovementError: If the stored orders break a movement rule.
        """
        book = cls(classes, policy=policy)
        steps: list[tuple[tuple[Any, ...], Order | RolloverPlan]] = [
            ((order.issued_on, 1, *order.sort_key[1:]), order) for order in orders
        ]
        steps.extend(((plan.on, 0, plan.year), plan) for plan in rollovers)
        for _key, step in sorted(steps, key=lambda pair: pair[0]):
            if isinstance(step, Order):
                book.apply(step)
            else:
                book.apply_rollover(step, check_version=False)
        return book

    def add_classes(self, classes: Iterable[SchoolClass]) -> None:
        """Make classes known to the book (a class id already known is replaced)."""
        for school_class in classes:
            self._classes[school_class.id] = school_class
        self._version += 1

    @property
    def policy(self) -> MovementPolicy:
        """The rules the book applies."""
        return self._policy

    @property
    def classes(self) -> tuple[SchoolClass, ...]:
        """The classes known to the book."""
        return tuple(self._classes.values())

    @property
    def orders(self) -> tuple[Order, ...]:
        """The applied orders, in replay order."""
        return tuple(sorted(self._orders.values(), key=lambda order: order.sort_key))

    @property
    def rollovers(self) -> tuple[RolloverPlan, ...]:
        """The applied rollovers (to store beside the orders), oldest first."""
        return tuple(self._rollover_plans)

    @property
    def version(self) -> int:
        """A counter that grows with every change (plans remember it)."""
        return self._version

    def capacity(self, school_class: SchoolClass) -> int:
        """Return the most students ``school_class`` may hold (its own, else the policy's)."""
        return school_class.capacity or self._policy.default_capacity

    # -- applying orders ----------------------------------------------------------------

    def apply(
        self,
        order: Order,
        *,
        authorizer: MovementAuthorizer | None = None,
        actor: object = None,
    ) -> None:
        """Apply an order, all or nothing (R10.1).

        Args:
            order: The order.
            authorizer: If given, asked whether ``actor`` may edit the book (R10.1: the
                secretary, the deputy head or the administrator).
            actor: Who applies the order.

        Raises:
            PermissionDenied: If the authorizer refuses.
            MovementError: If any item breaks a rule; nothing is changed.
        """
        if authorizer is not None:
            authorizer.require(actor, MOVEMENT_EDIT, order)
        if order.id in self._orders:
            raise MovementError(
                "приказ с таким идентификатором уже внесён",
                "an order with this id is already entered",
                rule="duplicate_order",
                clause="10.1",
                order=order,
            )
        if (order.year, order.number.casefold()) in self._numbers:
            raise MovementError(
                f"номер приказа повторяется в {order.year} учебном году",
                f"the order number repeats within the academic year {order.year}",
                rule="duplicate_number",
                clause="10.1",
                order=order,
            )
        arrivals: Counter[ClassId] = Counter()
        results: list[tuple[StudentStatus, _Entry | None, list[AcademicDebt]]] = []
        for index, item in enumerate(order.items):
            current = self._latest(item.student_id)
            if current.since is not None and order.issued_on < current.since:
                raise MovementError(
                    f"приказ датирован раньше предыдущего движения учащегося ({current.since})",
                    f"the order is dated before the student's previous movement ({current.since})",
                    rule="dated_before_previous",
                    clause="10.1",
                    order=order,
                    item_index=index,
                )
            new, debts = self._transition(order, index, item, current)
            if new.class_id is not None and new.class_id != current.class_id:
                arrivals[new.class_id] += 1
            if current.class_id is not None and new.class_id != current.class_id:
                arrivals[current.class_id] -= 1
            results.append((new, None, debts))
        for class_id, delta in arrivals.items():
            school_class = self._classes[class_id]
            if delta > 0 and self.occupancy(class_id, order.issued_on) + delta > self.capacity(
                school_class
            ):
                index = next(
                    i for i, (status, _e, _d) in enumerate(results) if status.class_id == class_id
                )
                raise MovementError(
                    f"класс {school_class.name} заполнен (не более {self.capacity(school_class)})",
                    f"class {school_class.name} is full (at most {self.capacity(school_class)})",
                    rule="class_full",
                    clause="10.1",
                    order=order,
                    item_index=index,
                )
        # Every check passed: commit.
        for (new, _entry, debts), item in zip(results, order.items, strict=True):
            current = self._latest(item.student_id)
            self._record(order.issued_on, order.kind, current, new)
            self._commit_debts(order, item, new, debts)
        self._orders[order.id] = order
        self._numbers.add((order.year, order.number.casefold()))
        self._version += 1

    def _record(
        self, day: date, kind: OrderKind, current: StudentStatus, new: StudentStatus
    ) -> None:
        self._seq += 1
        entry = _Entry(day, self._seq, new, kind, current.class_id, new.class_id)
        self._timelines.setdefault(new.student_id, []).append(entry)
        if current.class_id != new.class_id:
            if current.class_id is not None:
                bisect.insort(
                    self._class_events[current.class_id],
                    (day, self._seq, -1, new.student_id, kind),
                )
            if new.class_id is not None:
                bisect.insort(
                    self._class_events[new.class_id], (day, self._seq, 1, new.student_id, kind)
                )

    def _commit_debts(
        self, order: Order, item: OrderItem, new: StudentStatus, debts: list[AcademicDebt]
    ) -> None:
        for debt in debts:
            self._open_debt_index[(debt.student_id, debt.subject_id)] = len(self._debts)
            self._debts.append(debt)
        if order.kind is OrderKind.DEBT_REPAYMENT:
            for subject in item.subjects:
                index = self._open_debt_index.pop((item.student_id, subject))
                self._debts[index] = attrs.evolve(
                    self._debts[index],
                    repaid_on=item.repaid_on or order.issued_on,
                    repayment_order_id=order.id,
                    repayment_entered_at=order.entered_at,
                )
        elif order.kind in {OrderKind.REPEAT, OrderKind.RETENTION}:
            for key in [k for k in self._open_debt_index if k[0] == item.student_id]:
                index = self._open_debt_index.pop(key)
                self._debts[index] = attrs.evolve(self._debts[index], cancelled_on=order.issued_on)
        del new

    def _transition(
        self, order: Order, index: int, item: OrderItem, current: StudentStatus
    ) -> tuple[StudentStatus, list[AcademicDebt]]:
        kind = order.kind

        def fail(rule: str, ru: str, en: str, clause: str | None = None) -> MovementError:
            return MovementError(
                ru, en, rule=rule, clause=clause or kind.clause, order=order, item_index=index
            )

        base = attrs.evolve(current, since=order.issued_on, order_id=order.id)
        if kind in {OrderKind.ENROLLMENT, OrderKind.TRANSFER}:
            target = self._target_class(order, item, fail)
            if kind is OrderKind.ENROLLMENT:
                if current.kind.enrolled:
                    raise fail(
                        "already_enrolled", "учащийся уже зачислен", "the student is enrolled"
                    )
            else:
                self._require_enrolled(current, fail)
                if target.id == current.class_id:
                    raise fail(
                        "same_class",
                        "перевод в тот же класс",
                        "a transfer into the class the student is in",
                    )
                if target.year != current.year:
                    raise fail(
                        "wrong_year",
                        f"класс {target.name} другого учебного года ({target.year})",
                        f"class {target.name} belongs to another academic year ({target.year})",
                    )
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
                raise fail(
                    "already_enrolled",
                    "учащийся уже зачислен или прикреплён",
                    "the student is already enrolled or attached",
                )
            if item.education_form is None:
                raise fail(
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
                self._require_enrolled(current, fail)
            elif current.kind is not StatusKind.ATTACHED:
                raise fail("not_attached", "учащийся не прикреплён", "the student is not attached")
            if item.destination is None:
                raise fail(
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
            self._require_enrolled(current, fail)
            form = (
                EducationForm.FAMILY if kind is OrderKind.FAMILY_EDUCATION else EducationForm.SELF
            )
            return attrs.evolve(
                base,
                kind=StatusKind.ATTACHED,
                class_id=None,
                education_form=form,
                decision=None,
            ), []
        if kind is OrderKind.DEBT_REPAYMENT:
            if not item.subjects:
                raise fail("no_debts", "не указаны предметы", "no subjects are named")
            for subject in item.subjects:
                if subject not in current.open_debts:
                    raise fail(
                        "debt_not_open",
                        f"нет открытой задолженности по предмету «{subject}»",
                        f"there is no open debt in subject '{subject}'",
                    )
                arose = self._debts[self._open_debt_index[(item.student_id, subject)]].arose_on
                if (item.repaid_on or order.issued_on) < arose:
                    raise fail(
                        "repaid_before_arose",
                        "задолженность погашена раньше, чем возникла",
                        "the debt is repaid before it arose",
                    )
            remaining = current.open_debts - frozenset(item.subjects)
            still = StatusKind.CONDITIONAL if remaining else StatusKind.IN_CLASS
            return attrs.evolve(
                base,
                kind=still if current.kind.enrolled else current.kind,
                open_debts=remaining,
            ), []
        return self._decide(order, item, current, base, fail)

    def _decide(
        self,
        order: Order,
        item: OrderItem,
        current: StudentStatus,
        base: StudentStatus,
        fail: Callable[..., MovementError],
    ) -> tuple[StudentStatus, list[AcademicDebt]]:
        kind = order.kind
        self._require_enrolled(current, fail)
        if current.year != order.year:
            raise fail(
                "wrong_year",
                f"учащийся обучается в классе {current.year} учебного года, а не {order.year}",
                f"the student's class belongs to {current.year}, not to {order.year}",
            )
        if current.decision is not None:
            raise fail(
                "decision_exists",
                f"решение на конец года уже принято ({current.decision.label_ru})",
                f"an end-of-year decision is already taken ({current.decision.label_en})",
            )
        parallel = current.parallel
        if kind in {OrderKind.PROMOTION, OrderKind.CONDITIONAL_PROMOTION, OrderKind.REPEAT}:
            if parallel not in _PROMOTABLE:
                raise fail(
                    "must_graduate",
                    f"учащиеся {parallel}-х классов не переводятся, а выпускаются или "
                    "оставляются на повторное обучение",
                    f"students of grade {parallel} are graduated or retained, not promoted",
                    "10.1d",
                )
        elif kind is OrderKind.GRADUATION:
            if parallel not in {9, 11}:
                raise fail(
                    "not_graduating_grade",
                    f"выпускаются только 9-е и 11-е классы, а не {parallel}-й",
                    f"only grades 9 and 11 graduate, not grade {parallel}",
                )
        elif parallel != 9:
            raise fail(
                "not_grade_9",
                f"по этому приказу остаются только 9-классники, а не {parallel}-й класс",
                f"only grade-9 students are retained by this order, not grade {parallel}",
            )
        if kind is OrderKind.PROMOTION and current.open_debts:
            raise fail(
                "open_debts",
                "у учащегося есть открытые задолженности: перевод только условный",
                "the student has open debts: only a conditional promotion is possible",
            )
        if kind is OrderKind.CONDITIONAL_PROMOTION:
            new_debts = frozenset(item.subjects) - current.open_debts
            if not new_debts:
                raise fail(
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
        if kind in {OrderKind.REPEAT, OrderKind.RETENTION}:
            return attrs.evolve(
                base, kind=StatusKind.IN_CLASS, decision=kind, open_debts=frozenset()
            ), []
        return attrs.evolve(base, decision=kind), []

    def _target_class(
        self, order: Order, item: OrderItem, fail: Callable[..., MovementError]
    ) -> SchoolClass:
        if item.class_id is None:
            raise fail("no_class", "не указан класс", "the class is missing")
        target = self._classes.get(item.class_id)
        if target is None:
            raise fail(
                "unknown_class",
                f"класс «{item.class_id}» не известен книге движения",
                f"class '{item.class_id}' is not known to the movement book",
            )
        if target.year != order.year:
            raise fail(
                "wrong_year",
                f"класс {target.name} другого учебного года ({target.year})",
                f"class {target.name} belongs to another academic year ({target.year})",
            )
        return target

    @staticmethod
    def _require_enrolled(current: StudentStatus, fail: Callable[..., MovementError]) -> None:
        if not current.kind.enrolled:
            raise fail(
                "not_enrolled",
                f"учащийся не обучается в классе школы ({current.kind.label_ru})",
                f"the student is not enrolled in a class ({current.kind.label_en})",
            )

    # -- queries ------------------------------------------------------------------------

    def _latest(self, student_id: StudentId) -> StudentStatus:
        timeline = self._timelines.get(student_id)
        if not timeline:
            return StudentStatus(student_id=student_id, kind=StatusKind.NOT_ENROLLED)
        return timeline[-1].status

    def latest_status(self, student: Any) -> StudentStatus:  # noqa: ANN401 - Student or id
        """Return the student's status after every applied order."""
        return self._latest(_student_key(student))

    def status_on(self, student: Any, day: date) -> StudentStatus:  # noqa: ANN401
        """Return the student's status on ``day`` (after that day's orders).

        Args:
            student: A ``Student`` or a student id.
            day: The date.
        """
        student_id = _student_key(student)
        timeline = self._timelines.get(student_id, [])
        position = bisect.bisect_right(timeline, day, key=lambda entry: entry.day)
        if position == 0:
            return StudentStatus(student_id=student_id, kind=StatusKind.NOT_ENROLLED)
        return timeline[position - 1].status

    def students(self) -> tuple[StudentId, ...]:
        """Return every student some order or rollover concerns, sorted."""
        return tuple(sorted(self._timelines))

    def roster(self, school_class: Any, day: date) -> tuple[StudentId, ...]:  # noqa: ANN401
        """Return the students in a class on ``day``, sorted (a ``SchoolClass`` or an id)."""
        inside: dict[StudentId, bool] = {}
        for event_day, _seq, delta, student, _kind in self._class_events.get(
            _class_key(school_class), []
        ):
            if event_day > day:
                break
            inside[student] = delta > 0
        return tuple(sorted(student for student, present in inside.items() if present))

    def occupancy(self, school_class: Any, day: date) -> int:  # noqa: ANN401
        """Return how many students a class has on ``day`` (наполняемость)."""
        events = self._class_events.get(_class_key(school_class), [])
        end = bisect.bisect_right(events, day, key=lambda event: event[0])
        return sum(event[2] for event in events[:end])

    def movement(self, start: date, end: date) -> tuple[MovementRow, ...]:
        """Return the movement of every class and parallel from ``start`` to ``end``.

        ``at_start`` counts the students before the movements of ``start``; ``at_end``
        after those of ``end``. Moves inside a parallel do not count for the parallel.

        Raises:
            ValidationError: If ``end`` is before ``start``.
        """
        if end < start:
            raise ValidationError(
                "Конец периода раньше начала",
                "The end of the range is before its start",
                code="movement.bad_range",
            )
        before = start - timedelta(days=1)
        rows: list[MovementRow] = []
        per_parallel: dict[int, list[Any]] = defaultdict(lambda: [0, Counter(), Counter(), 0])
        for class_id in sorted(self._classes):
            school_class = self._classes[class_id]
            arrived: Counter[OrderKind] = Counter()
            left: Counter[OrderKind] = Counter()
            for event_day, _seq, delta, student, kind in self._class_events.get(class_id, []):
                if start <= event_day <= end:
                    (arrived if delta > 0 else left)[kind] += 1
                    other = self._other_class(student, event_day, _seq, delta)
                    if other is None or other.parallel != school_class.parallel:
                        bucket = per_parallel[school_class.parallel]
                        (bucket[1] if delta > 0 else bucket[2])[kind] += 1
            at_start = self.occupancy(class_id, before)
            at_end = self.occupancy(class_id, end)
            bucket = per_parallel[school_class.parallel]
            bucket[0] += at_start
            bucket[3] += at_end
            rows.append(
                MovementRow(
                    scope=MovementScope.CLASS,
                    key=class_id,
                    name=school_class.name,
                    at_start=at_start,
                    arrived=arrived,
                    left=left,
                    at_end=at_end,
                )
            )
        rows.extend(
            MovementRow(
                scope=MovementScope.PARALLEL,
                key=str(parallel),
                name=str(parallel),
                at_start=bucket[0],
                arrived=bucket[1],
                left=bucket[2],
                at_end=bucket[3],
            )
            for parallel, bucket in sorted(per_parallel.items())
        )
        return tuple(rows)

    def _other_class(
        self, student: StudentId, day: date, seq: int, delta: int
    ) -> SchoolClass | None:
        """The class at the other end of a move (where the student came from or went)."""
        for entry in self._timelines[student]:
            if entry.seq == seq:
                other = entry.to_class if delta < 0 else entry.from_class
                return None if other is None else self._classes[other]
        del day
        return None  # pragma: no cover - every class event has its entry

    def memberships(self) -> tuple[ClassMembership, ...]:
        """Return the class memberships the book implies, for a host to store.

        A membership runs from the day a student entered a class to the day before he
        left it; a stay that ended on the day it began is not a membership.
        """
        result: list[ClassMembership] = []
        for student_id in sorted(self._timelines):
            timeline = self._timelines[student_id]
            for position, entry in enumerate(timeline):
                class_id = entry.status.class_id
                if class_id is None or class_id == entry.from_class:
                    continue
                until = None
                for later in timeline[position + 1 :]:
                    if later.status.class_id != class_id:
                        until = later.day - timedelta(days=1)
                        break
                if until is not None and until < entry.day:
                    continue
                result.append(
                    ClassMembership(
                        id=MembershipId(f"{student_id}@{class_id}@{entry.day.isoformat()}"),
                        student_id=student_id,
                        class_id=class_id,
                        since=entry.day,
                        until=until,
                    )
                )
        return tuple(result)

    # -- academic debts -----------------------------------------------------------------

    def debts(self) -> tuple[AcademicDebt, ...]:
        """Return every academic debt ever recorded, open or closed, in recording order."""
        return tuple(self._debts)

    def open_debts(self, as_of: date) -> tuple[AcademicDebt, ...]:
        """Return the debts open on ``as_of``."""
        return tuple(debt for debt in self._debts if debt.is_open_on(as_of))

    def debt_deadline(self, debt: AcademicDebt) -> date:
        """Return the last day to repay ``debt`` (273-FZ art. 58: one year from arising)."""
        return debt.arose_on + relativedelta(months=self._policy.debt_term_months)

    def overdue_debts(self, as_of: date) -> tuple[AcademicDebt, ...]:
        """Return the debts still open on ``as_of`` after their repayment term ended."""
        return tuple(
            debt
            for debt in self._debts
            if debt.is_open_on(as_of) and as_of > self.debt_deadline(debt)
        )

    # -- year close and rollover --------------------------------------------------------

    def year_close_problems(
        self, year: str, *, issued_numbers: Iterable[str] = ()
    ) -> tuple[YearCloseProblem, ...]:
        """List what must be settled before closing ``year`` (R4.5, R4.7).

        Args:
            year: The academic year.
            issued_numbers: The numbers of the year's orders in the head's register; those
                not entered into the book are reported.
        """
        check_year_label(year)
        problems: list[YearCloseProblem] = []
        for student_id in sorted(self._timelines):
            status = self._latest(student_id)
            if status.kind.enrolled and status.year == year and status.decision is None:
                name = self._classes[status.class_id].name if status.class_id else "?"
                problems.append(
                    YearCloseProblem(
                        kind=ProblemKind.NO_DECISION,
                        year=year,
                        clause="4.7",
                        requirement="R4.7",
                        message_ru=f"Учащийся «{student_id}» ({name}): нет приказа о переводе, "
                        "условном переводе, повторном обучении, выпуске или выбытии",
                        message_en=f"Student '{student_id}' ({name}): no promotion, conditional "
                        "promotion, repeat, graduation or withdrawal order",
                        student_id=student_id,
                        class_id=status.class_id,
                    )
                )
        entered = {number.casefold() for order_year, number in self._numbers if order_year == year}
        problems.extend(
            YearCloseProblem(
                kind=ProblemKind.ORDER_NOT_ENTERED,
                year=year,
                clause="4.7",
                requirement="R4.7",
                message_ru=f"Приказ №{number} {year} учебного года не внесён в книгу движения",
                message_en=f"Order {number} of {year} is not entered into the movement book",
                order_number=number,
            )
            for number in sorted(set(issued_numbers))
            if number.strip().casefold() not in entered
        )
        return tuple(problems)

    def _decided(self, year: str) -> list[StudentStatus]:
        return [
            status
            for status in (self._latest(student) for student in sorted(self._timelines))
            if status.kind.enrolled and status.year == year
        ]

    def next_year_classes(
        self,
        year: str,
        *,
        class_id_for: Callable[[str, int, str], ClassId] | None = None,
    ) -> tuple[PlannedClass, ...]:
        """Build the preliminary class list of the next year from the decisions (R4.4a).

        5А goes to 6А, repeaters stay in their parallel (to 5А of the next year),
        graduates leave. A class of the next year already known to the book (same parallel
        and letter) is reused; otherwise a new one is proposed with the capacity of its
        source and the id ``class_id_for(next_year, parallel, letter)``.

        Args:
            year: The closing academic year.
            class_id_for: Makes ids for new classes (default ``"2026/2027-6А"``).
        """
        next_year = next_year_label(year)
        make_id = class_id_for or (lambda y, p, letter: ClassId(f"{y}-{p}{letter}"))
        existing = {
            (c.parallel, c.letter): c for c in self._classes.values() if c.year == next_year
        }
        planned: dict[tuple[int, str], tuple[SchoolClass, list[StudentId], set[ClassId]]] = {}
        for status in self._decided(year):
            if status.decision is None or status.class_id is None or status.parallel is None:
                continue
            source = self._classes[status.class_id]
            step = (
                1
                if status.decision
                in {
                    OrderKind.PROMOTION,
                    OrderKind.CONDITIONAL_PROMOTION,
                }
                else 0
            )
            key = (source.parallel + step, source.letter)
            if key not in planned:
                target = existing.get(key) or SchoolClass(
                    id=make_id(next_year, key[0], key[1]),
                    year=next_year,
                    parallel=key[0],
                    letter=key[1],
                    capacity=source.capacity,
                    shift=source.shift,
                    week_days=source.week_days,
                )
                planned[key] = (target, [], set())
            planned[key][1].append(status.student_id)
            planned[key][2].add(source.id)
        return tuple(
            PlannedClass(
                school_class=target, student_ids=students, source_class_ids=sorted(sources)
            )
            for target, students, sources in (planned[key] for key in sorted(planned))
        )

    def plan_rollover(
        self, year: str, on: date, classes: Sequence[PlannedClass] | None = None
    ) -> RolloverPlan:
        """Make the dry run of the rollover of ``year``: who moves where, who stays, who leaves.

        Args:
            year: The closing academic year.
            on: The first day in the new classes.
            classes: The corrected class list (default: :meth:`next_year_classes`).

        Raises:
            MovementError: If the list names a student without a decision, twice, into a
                class of another year or beyond its capacity, or ``on`` precedes a movement.
        """
        next_year = next_year_label(year)
        plan_classes = self.next_year_classes(year) if classes is None else tuple(classes)
        statuses = {status.student_id: status for status in self._decided(year)}
        moves: list[RolloverMove] = []
        stays: list[RolloverMove] = []
        seen: set[StudentId] = set()
        for planned in plan_classes:
            target = planned.school_class
            if target.year != next_year:
                raise MovementError(
                    f"класс {target.name} не относится к {next_year} учебному году",
                    f"class {target.name} does not belong to {next_year}",
                    rule="wrong_year",
                    clause="4.4",
                )
            if len(planned.student_ids) + self.occupancy(target.id, on) > self.capacity(target):
                raise MovementError(
                    f"класс {target.name} переполнен",
                    f"class {target.name} is over capacity",
                    rule="class_full",
                    clause="4.4",
                )
            for student_id in planned.student_ids:
                status = statuses.get(student_id)
                if student_id in seen or status is None or status.decision is None:
                    raise MovementError(
                        "учащийся указан дважды или не имеет решения на конец года",
                        "the student is listed twice or has no end-of-year decision",
                        rule="bad_plan",
                        clause="4.5",
                        student_id=student_id,
                    )
                if status.since is not None and on < status.since:
                    raise MovementError(
                        f"дата перевода раньше предыдущего движения ({status.since})",
                        f"the rollover is dated before the previous movement ({status.since})",
                        rule="dated_before_previous",
                        clause="10.1",
                        student_id=student_id,
                    )
                seen.add(student_id)
                move = RolloverMove(
                    student_id=student_id,
                    from_class_id=ClassId(status.class_id or ""),
                    to_class_id=target.id,
                    decision=status.decision,
                )
                same = target.parallel == self._classes[move.from_class_id].parallel
                (stays if same else moves).append(move)
        leaves = sorted(
            student_id
            for student_id, timeline in self._timelines.items()
            if any(
                entry.kind in {OrderKind.GRADUATION, OrderKind.WITHDRAWAL}
                and entry.status.year == year
                for entry in timeline
            )
            and not self._latest(student_id).kind.enrolled
        )
        undecided = sorted(s for s, status in statuses.items() if status.decision is None)
        carried = tuple(
            debt
            for debt in self._debts
            if debt.student_id in seen and debt.repaid_on is None and debt.cancelled_on is None
        )
        return RolloverPlan(
            year=year,
            next_year=next_year,
            on=on,
            new_classes=tuple(
                p.school_class for p in plan_classes if p.school_class.id not in self._classes
            ),
            moves=tuple(moves),
            stays=tuple(stays),
            leaves=tuple(leaves),
            undecided=tuple(undecided),
            carried_debts=carried,
            version=self._version,
        )

    def apply_rollover(self, plan: RolloverPlan, *, check_version: bool = True) -> None:
        """Apply a planned rollover as one step; :meth:`undo_rollover` reverts it.

        Raises:
            MovementError: If the book changed since the plan was made.
        """
        if check_version and plan.version != self._version:
            raise MovementError(
                "книга движения изменилась после подготовки перевода; подготовьте его заново",
                "the movement book changed after the rollover was planned; plan it again",
                rule="stale_plan",
                clause="4.4",
            )
        undo = _Undo(
            version=0,
            timelines={key: list(value) for key, value in self._timelines.items()},
            debts=list(self._debts),
            classes=dict(self._classes),
            class_events={key: list(value) for key, value in self._class_events.items()},
        )
        self.add_classes(plan.new_classes)
        for move in (*plan.moves, *plan.stays):
            current = self._latest(move.student_id)
            target = self._classes[move.to_class_id]
            new = attrs.evolve(
                current,
                since=plan.on,
                class_id=target.id,
                year=target.year,
                parallel=target.parallel,
                decision=None,
                order_id=None,
            )
            self._record(plan.on, move.decision, current, new)
        self._version += 1
        self._rollovers.append(attrs.evolve(undo, version=self._version))
        self._rollover_plans.append(plan)

    def undo_rollover(self) -> RolloverPlan:
        """Revert the last rollover and return its plan.

        Raises:
            MovementError: If there is none, or the book changed since it was applied.
        """
        if not self._rollovers or self._rollovers[-1].version != self._version:
            raise MovementError(
                "нет перевода на новый год, который можно отменить (или после него внесены "
                "приказы)",
                "there is no rollover to undo (or orders were entered after it)",
                rule="no_rollover",
                clause="4.4",
            )
        undo = self._rollovers.pop()
        self._timelines = undo.timelines
        self._debts = undo.debts
        self._classes = undo.classes
        self._class_events = defaultdict(list, undo.class_events)
        self._version += 1
        return self._rollover_plans.pop()
