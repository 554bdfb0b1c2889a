"""Validation on write: the service refuses what the regulation or the profile forbids.

Each refusal is a typed error naming its clause, and storage and the audit log stay as
they were, on the memory, SQLite and PostgreSQL stores.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eschool_core.errors import EschoolError, NotFoundError, ValidationError
from eschool_core.journal import AttestationMark, MarkValue
from eschool_core.movement import Order, OrderItem
from eschool_core.profiles import default_profile
from eschool_core.reports import ReportParams
from eschool_core.school import ClassMembership, SchoolClass, Subject, TeachingAssignment
from eschool_core.service import MarkEntry
from eschool_core.storage import Store
from eschool_core.testing import load
from tests.service_helpers import (
    LESSON_DAY,
    SECRETARY,
    STUDENTS,
    TEACHER,
    at,
    service,
    state,
)

_ONE_BY_ONE = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_WORK_TYPES = frozenset(default_profile().grading.work_types)


def _mark(student: str, work_type: str, value: int | str = 5) -> MarkEntry:
    return MarkEntry(mark_id=f"m-{student}", student_id=student, value=value, work_type=work_type)


class TestWorkTypesAndScale:
    """R8.2, R8.4.1, R2.2j: a current mark's work type is the profile's, its value on the scale."""

    def test_unknown_work_type_is_refused_and_the_class_report_still_runs(
        self, store: Store
    ) -> None:
        """The reported case: a mark «ответ» made ``student_average`` fail for the class."""
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.enter_marks(
                TEACHER, at(LESSON_DAY), "l0", [_mark("s1", "answer"), _mark("s2", "ответ")]
            )
        assert caught.value.code == "grading.unknown_work_type"
        assert caught.value.clause == "2.2"
        assert caught.value.details["work_type"] == "ответ"
        assert state(store) == before
        svc.enter_mark(TEACHER, at(LESSON_DAY), "l0", _mark("s1", "answer"))
        report = svc.produce_report(
            TEACHER, at(LESSON_DAY), "student_average", ReportParams(class_id="5a", period="Q1")
        )
        assert report.code == "student_average"
        assert len(report.rows) == len(STUDENTS)

    def test_own_weight_outside_the_profiles_range_is_refused(self, store: Store) -> None:
        """R2.2j: a mark's own weight lies within the profile's ``min_weight..max_weight``."""
        svc = service(store)
        before = state(store)
        heavy = MarkEntry(mark_id="m", student_id="s1", value=5, work_type="test", weight=9)
        with pytest.raises(ValidationError) as caught:
            svc.enter_mark(TEACHER, at(LESSON_DAY), "l0", heavy)
        assert caught.value.code == "grading.weight_out_of_range"
        assert state(store) == before

    @pytest.mark.parametrize("value", [0, 6, 7, -1, "6"])
    def test_value_off_the_scale_is_refused(self, store: Store, value: int | str) -> None:
        """R8.2: a score is 1-5 (or a special mark); anything else is refused, nothing written."""
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.enter_mark(TEACHER, at(LESSON_DAY), "l0", _mark("s1", "answer", value))
        assert caught.value.code.startswith("mark.")
        assert state(store) == before

    @given(
        work_type=st.text(min_size=0, max_size=12).filter(lambda code: code not in _WORK_TYPES),
        position=st.integers(min_value=0, max_value=2),
    )
    @_ONE_BY_ONE
    def test_any_unknown_work_type_leaves_store_and_log_unchanged(
        self, new_store: Callable[[], Store], work_type: str, position: int
    ) -> None:
        """R8.2: one unknown work type among good ones refuses the whole lesson's entry."""
        store = new_store()
        svc = service(store)
        before = state(store)
        entries = [_mark(s, "answer") for s in ("s1", "s2", "s3")]
        entries[position] = _mark(entries[position].student_id, work_type)
        with pytest.raises(ValidationError) as caught:
            svc.enter_marks(TEACHER, at(LESSON_DAY), "l0", entries)
        assert caught.value.code == "grading.unknown_work_type"
        assert caught.value.clause is not None
        assert state(store) == before


_END_OF_Q1 = date(2025, 10, 24)


def _ninth_grader(store: Store, pupil: str = "n1") -> None:
    """Put ``pupil`` into a class 9a that t1 teaches maths (a pupil who sits the exams)."""
    load(
        store,
        [
            ("classes", [SchoolClass(id="9a", year="2025/2026", parallel=9, letter="А")]),
            (
                "memberships",
                [
                    ClassMembership(
                        id=f"{pupil}@9a", student_id=pupil, class_id="9a", since=date(2025, 9, 1)
                    )
                ],
            ),
            (
                "assignments",
                [
                    TeachingAssignment(
                        id="a9", teacher_id="t1", year="2025/2026", subject_id="math", class_id="9a"
                    )
                ],
            ),
        ],
    )


def _attestation(student: str, kind: str, period: str | None = None) -> AttestationMark:
    return AttestationMark(
        id=f"am-{student}-{kind}-{period}",
        student_id=student,
        subject_id="math",
        year="2025/2026",
        kind=kind,
        period=period,
        value=5,
        author_id="t1",
        entered_at=at(_END_OF_Q1),
    )


class TestAttestationKindsAndPeriods:
    """R8.4.1, R8.7: exam and final marks in grades 9 and 11; periods of the parallel's scheme."""

    @pytest.mark.parametrize("kind", ["exam", "final"])
    def test_exam_and_final_marks_are_refused_in_grade_5(self, store: Store, kind: str) -> None:
        """R8.4.1: the issue's case, exam and final marks stored for grade 5."""
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.set_attestation_mark(TEACHER, at(_END_OF_Q1), _attestation("s1", kind))
        assert caught.value.code == "attestation.kind_not_for_parallel"
        assert caught.value.clause == "8.4.1"
        assert caught.value.details["parallel"] == 5
        assert state(store) == before

    @pytest.mark.parametrize("kind", ["exam", "final"])
    def test_exam_and_final_marks_are_set_in_grade_9(self, store: Store, kind: str) -> None:
        """R8.4.1: a ninth-grader's exam and final marks are accepted."""
        _ninth_grader(store)
        svc = service(store)
        stored = svc.set_attestation_mark(TEACHER, at(_END_OF_Q1), _attestation("n1", kind))
        assert stored.kind.value == kind

    @pytest.mark.parametrize("period", ["Q9", "H1", "H2", "T1", "q1", ""])
    def test_a_period_outside_the_parallels_scheme_is_refused(
        self, store: Store, period: str
    ) -> None:
        """R8.7: grade 5 has quarters: no «Q9», no half-year «H1», no trimester."""
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.set_attestation_mark(TEACHER, at(_END_OF_Q1), _attestation("s1", "period", period))
        assert caught.value.code in {"attestation.period_not_in_scheme", "attestation.period"}
        assert state(store) == before

    def test_a_quarter_of_the_scheme_and_the_annual_mark_are_set(self, store: Store) -> None:
        """R8.7, R8.8: Q1 and the annual mark of a fifth-grader are accepted."""
        svc = service(store)
        svc.set_attestation_mark(TEACHER, at(_END_OF_Q1), _attestation("s1", "period", "Q1"))
        svc.set_attestation_mark(TEACHER, at(_END_OF_Q1), _attestation("s1", "annual"))
        with store.unit_of_work() as uow:
            assert len(uow.attestation_marks.for_student("s1")) == 2

    @given(
        kind=st.sampled_from(["period", "exam", "final"]),
        period=st.text(alphabet="QTHqth0123459 ", min_size=1, max_size=3),
    )
    @_ONE_BY_ONE
    def test_any_refusal_leaves_store_and_log_unchanged(
        self, new_store: Callable[[], Store], kind: str, period: str
    ) -> None:
        """R8.4.1, R8.7: a mark is stored with one entry, or refused and nothing changes."""
        store = new_store()
        svc = service(store)
        before = state(store)
        stored = period.strip() in {"Q1", "Q2", "Q3", "Q4"} and kind == "period"
        if stored:
            mark = _attestation("s1", kind, period)
            svc.set_attestation_mark(TEACHER, at(_END_OF_Q1), mark)
            assert len(state(store)[1]) == len(before[1]) + 1
            return
        with pytest.raises(ValidationError) as caught:
            mark = _attestation("s1", kind, period if kind == "period" else None)
            svc.set_attestation_mark(TEACHER, at(_END_OF_Q1), mark)
        assert caught.value.clause is not None
        assert state(store) == before


_LESSONS = {
    "l0": (date(2025, 10, 6), "5a"),
    "l1": (date(2025, 10, 7), "5a"),
    "l2": (date(2025, 10, 8), "5a"),
    "l-q2": (date(2025, 11, 10), "5a"),
    "l-group": (date(2025, 10, 6), "g-5a-1"),
}
"""The school's maths lessons: their day and their class or group."""
_CONTENT_DAY = date(2025, 10, 8)


class TestHomeworkDueLesson:
    """R8.4.2, R8.11: homework is due for a later lesson of the same subject, class or group."""

    def test_a_later_lesson_is_stored_as_the_due_lesson(self, store: Store) -> None:
        """R8.4.2: the homework of l0 due for l2 is stored with one audit entry."""
        svc = service(store)
        before = state(store)
        lesson = svc.record_lesson_content(
            TEACHER, at(_CONTENT_DAY), "l0", homework="№ 12", homework_due_lesson_id="l2"
        )
        assert lesson.homework_due_lesson_id == "l2"
        with store.unit_of_work() as uow:
            assert uow.lessons.get("l0").homework_due_lesson_id == "l2"
        assert len(state(store)[1]) == len(before[1]) + 1

    @pytest.mark.parametrize("due", ["l0", "l1"])
    def test_a_due_lesson_before_or_equal_to_the_lesson_is_refused(
        self, store: Store, due: str
    ) -> None:
        """R8.4.2: the issue's case, homework due for an earlier lesson (or the lesson itself)."""
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.record_lesson_content(
                TEACHER, at(_CONTENT_DAY), "l1", homework="№ 12", homework_due_lesson_id=due
            )
        assert caught.value.code == "homework.due_not_later"
        assert caught.value.clause == "8.4.2"
        assert state(store) == before

    def test_a_due_lesson_of_another_class_or_group_is_refused(self, store: Store) -> None:
        """R8.4.2: homework of the class's lesson is not due at a subgroup's lesson."""
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.record_lesson_content(
                TEACHER, at(_CONTENT_DAY), "l0", homework="№ 12", homework_due_lesson_id="l-group"
            )
        assert caught.value.code == "homework.due_elsewhere"
        with pytest.raises(NotFoundError):
            svc.record_lesson_content(
                TEACHER, at(_CONTENT_DAY), "l0", homework="№ 12", homework_due_lesson_id="nope"
            )
        assert state(store) == before

    @given(
        lesson=st.sampled_from(["l0", "l1", "l2"]),
        due=st.sampled_from(sorted(_LESSONS)),
    )
    @_ONE_BY_ONE
    def test_stored_only_if_later_and_of_the_same_class(
        self, new_store: Callable[[], Store], lesson: str, due: str
    ) -> None:
        """R8.4.2: a due lesson is stored with one entry, or refused and nothing changes."""
        store = new_store()
        svc = service(store)
        before = state(store)
        (day, target), (due_day, due_target) = _LESSONS[lesson], _LESSONS[due]

        def record() -> None:
            svc.record_lesson_content(
                TEACHER, at(_CONTENT_DAY), lesson, homework="№ 1", homework_due_lesson_id=due
            )

        if due_day > day and due_target == target:
            record()
            assert len(state(store)[1]) == len(before[1]) + 1
            return
        with pytest.raises(EschoolError) as caught:
            record()
        assert caught.value.clause == "8.4.2"
        assert state(store) == before


_YEAR_END = date(2026, 5, 28)
_FAILING = frozenset({"1", "2", "н/а", "незач"})


def _pupil_of_5b(store: Store, annual: dict[str, str]) -> None:
    """Enroll n1 into 5b by an order, teach 5b maths and Russian, store n1's annual marks."""
    svc = service(store)
    enrollment = Order(
        id="o-n1",
        number="o-n1",
        kind="enrollment",
        issued_on=date(2025, 9, 2),
        entered_at=at(date(2025, 9, 2)),
        author_id="sec",
        year="2025/2026",
        items=[OrderItem(student_id="n1", class_id="5b")],
    )
    svc.apply_order(SECRETARY, at(date(2025, 9, 2)), enrollment)
    taught = [
        TeachingAssignment(
            id=f"a-5b-{subject}",
            teacher_id="t1",
            year="2025/2026",
            subject_id=subject,
            class_id="5b",
        )
        for subject in ("math", "rus")
    ]
    marks = [
        AttestationMark(
            id=f"annual-{subject}",
            student_id="n1",
            subject_id=subject,
            year="2025/2026",
            kind="annual",
            value=MarkValue.parse(value),
            author_id="t1",
            entered_at=at(date(2026, 5, 25)),
        )
        for subject, value in annual.items()
    ]
    subjects = [Subject(id="rus", name="Русский язык"), Subject(id="chem", name="Химия")]
    load(store, [("subjects", subjects), ("assignments", taught), ("attestation_marks", marks)])


def _decision(kind: str, debts: tuple[str, ...] = ()) -> Order:
    return Order(
        id="o-end",
        number="o-end",
        kind=kind,
        issued_on=_YEAR_END,
        entered_at=at(_YEAR_END),
        author_id="sec",
        year="2025/2026",
        items=[OrderItem(student_id="n1", subjects=debts)],
    )


def _agrees(kind: str, debts: tuple[str, ...], annual: dict[str, str]) -> bool:
    """What R10.1c allows: the year-end decision that the annual marks support."""
    failing = {subject for subject, value in annual.items() if value in _FAILING}
    missing = {"math", "rus"} - annual.keys()
    if kind == "conditional_promotion":
        return bool(debts) and all(d in failing or d not in annual for d in debts)
    if kind == "promotion":
        return not failing
    return bool(failing or missing or not annual)


class TestYearEndDecisions:
    """R10.1c, R4.5: a year-end decision agrees with the annual marks (273-FZ art. 58)."""

    def test_conditional_promotion_with_a_debt_in_a_passed_subject_is_refused(
        self, store: Store
    ) -> None:
        """R10.1c: the issue's case, a debt named in a subject with the annual mark «5»."""
        _pupil_of_5b(store, {"math": "5", "rus": "4"})
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.apply_order(SECRETARY, at(_YEAR_END), _decision("conditional_promotion", ("math",)))
        assert caught.value.code == "order.debt_not_failing"
        assert caught.value.clause == "10.1c"
        assert caught.value.details["subject_id"] == "math"
        assert state(store) == before

    @pytest.mark.parametrize(("debt", "annual"), [("math", "2"), ("math", "н/а"), ("chem", "")])
    def test_conditional_promotion_with_a_failed_or_unmarked_debt_is_stored(
        self, store: Store, debt: str, annual: str
    ) -> None:
        """R10.1c: a debt in a subject with «2», «н/а» or no annual mark is a valid decision."""
        _pupil_of_5b(store, {"math": annual or "4", "rus": "4"})
        svc = service(store)
        order = svc.apply_order(
            SECRETARY, at(_YEAR_END), _decision("conditional_promotion", (debt,))
        )
        assert order.items[0].subjects == (debt,)

    def test_a_repeat_year_with_every_annual_mark_satisfactory_is_refused(
        self, store: Store
    ) -> None:
        """R10.1c: the issue's case, a pupil with «5» and «4» only kept for a repeat year."""
        _pupil_of_5b(store, {"math": "5", "rus": "4"})
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.apply_order(SECRETARY, at(_YEAR_END), _decision("repeat"))
        assert caught.value.code == "order.repeat_without_failure"
        assert state(store) == before

    def test_a_plain_promotion_despite_an_unsatisfactory_mark_is_refused(
        self, store: Store
    ) -> None:
        """R10.1c: a pupil with an annual «2» is promoted only conditionally."""
        _pupil_of_5b(store, {"math": "2", "rus": "4"})
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.apply_order(SECRETARY, at(_YEAR_END), _decision("promotion"))
        assert caught.value.code == "order.promotion_with_failing_mark"
        assert state(store) == before

    @given(
        kind=st.sampled_from(["promotion", "conditional_promotion", "repeat"]),
        debts=st.lists(st.sampled_from(["math", "rus"]), max_size=2, unique=True),
        annual=st.dictionaries(
            st.sampled_from(["math", "rus"]),
            st.sampled_from(["1", "2", "3", "4", "5", "н/а", "зач", "незач"]),
        ),
    )
    @_ONE_BY_ONE
    def test_a_decision_is_stored_only_if_the_marks_support_it(
        self,
        new_store: Callable[[], Store],
        kind: str,
        debts: list[str],
        annual: dict[str, str],
    ) -> None:
        """R10.1c: stored with one entry when the marks support it; else nothing changes."""
        store = new_store()
        _pupil_of_5b(store, annual)
        svc = service(store)
        before = state(store)
        chosen = tuple(debts) if kind == "conditional_promotion" else ()
        order = _decision(kind, chosen)
        if _agrees(kind, chosen, annual):
            svc.apply_order(SECRETARY, at(_YEAR_END), order)
            assert len(state(store)[1]) == len(before[1]) + 1
            return
        with pytest.raises(EschoolError) as caught:
            svc.apply_order(SECRETARY, at(_YEAR_END), order)
        assert caught.value.clause == "10.1c"
        assert state(store) == before


_NOVEMBER = date(2025, 11, 5)


def _transfer(student: str, class_id: str) -> Order:
    return Order(
        id=f"o-{student}-{class_id}",
        number=f"o-{student}-{class_id}",
        kind="transfer",
        issued_on=_NOVEMBER,
        entered_at=at(_NOVEMBER),
        author_id="sec",
        year="2025/2026",
        items=[OrderItem(student_id=student, class_id=class_id)],
    )


class TestTransfersWithinTheParallel:
    """R10.1e: during the year a student moves between classes of his parallel only."""

    @pytest.mark.parametrize("student", ["s1", "n1"])
    def test_a_fifth_grader_moved_into_9a_is_refused(self, store: Store, student: str) -> None:
        """R10.1e: the issue's case, whether 5x was entered at set-up (s1) or by an order (n1)."""
        _pupil_of_5b(store, {})
        _ninth_grader(store, "n2")
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.apply_order(SECRETARY, at(_NOVEMBER), _transfer(student, "9a"))
        assert caught.value.code == "order.transfer_to_other_parallel"
        assert caught.value.clause == "10.1e"
        assert (caught.value.details["from_parallel"], caught.value.details["to_parallel"]) == (
            5,
            9,
        )
        assert state(store) == before

    def test_a_transfer_within_the_parallel_is_stored(self, store: Store) -> None:
        """R10.1e: n1 moves from 5b to 5a; one audit entry."""
        _pupil_of_5b(store, {})
        svc = service(store)
        before = state(store)
        svc.apply_order(SECRETARY, at(_NOVEMBER), _transfer("n1", "5a"))
        assert len(state(store)[1]) == len(before[1]) + 1
