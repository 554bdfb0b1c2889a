"""Properties of the compliance checker: real entities, monotone in entry times, deterministic."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.deadlines import ComplianceChecker, ComplianceData, ComplianceReport, EntityKind
from eschool_core.journal import AbsenceReason, Attendance, Lesson, Mark, MarkEdit
from eschool_core.movement import Order, OrderItem
from eschool_core.year_data import SchoolYearData
from tests.deadline_helpers import CAL, CLASS, MEMBERSHIP, MSK, RULES, SCHOOL, half_year

START = date(2025, 9, 1)
AS_OF = date(2025, 11, 30)

_days = st.integers(min_value=0, max_value=80).map(lambda n: START + timedelta(days=n))
_delay = st.integers(min_value=0, max_value=6 * 24 * 60)  # minutes after 08:00 of the day


def _moment(day: date, delay: int) -> datetime:
    return datetime.combine(day, time(8), tzinfo=MSK) + timedelta(minutes=delay)


@st.composite
def journals(draw: st.DrawFn) -> SchoolYearData:
    """A random little journal: lessons, marks, absences, edits and orders."""
    lessons, marks, attendance, orders = [], [], [], []
    for index in range(draw(st.integers(min_value=1, max_value=6))):
        day = draw(_days)
        topic_delay = draw(st.none() | _delay)
        lessons.append(
            Lesson(
                id=f"l{index}",
                date=day,
                number=1,
                subject_id="math",
                teacher_id="t1",
                class_id="5a",
                substitute_id=draw(st.sampled_from([None, "t2"])),
                topic=None if topic_delay is None else "Тема",
                topic_entered_at=None if topic_delay is None else _moment(day, topic_delay),
                late_reason=draw(st.sampled_from([None, "болезнь"])),
            )
        )
        for number in range(draw(st.integers(min_value=0, max_value=3))):
            edits = [
                MarkEdit(
                    at=_moment(day, draw(_delay) + 4 * 24 * 60),
                    by="t1",
                    old_value=5,
                    new_value=4,
                    reason=draw(st.sampled_from([None, "ошибка"])),
                )
                for _ in range(draw(st.integers(min_value=0, max_value=1)))
            ]
            marks.append(
                Mark(
                    id=f"m{index}-{number}",
                    student_id="s1",
                    subject_id="math",
                    date=day,
                    value=4,
                    work_type="answer",
                    author_id="t1",
                    entered_at=_moment(day, draw(_delay)),
                    lesson_id=f"l{index}",
                    late_reason=draw(st.sampled_from([None, "болезнь"])),
                    edits=edits,
                )
            )
        if draw(st.booleans()):
            entered = _moment(day, draw(_delay))
            attendance.append(
                Attendance(
                    id=f"a{index}",
                    student_id="s1",
                    lesson_id=f"l{index}",
                    date=day,
                    kind="absent",
                    reason=AbsenceReason.ILLNESS,
                    entered_by="t1",
                    entered_at=entered,
                    document_presented_on=day + timedelta(days=1),
                    reason_corrected_at=entered + timedelta(minutes=draw(_delay)),
                )
            )
        if draw(st.booleans()):
            orders.append(
                Order(
                    id=f"o{index}",
                    number=str(index),
                    kind=draw(st.sampled_from(["enrollment", "transfer", "withdrawal"])),
                    issued_on=day,
                    entered_at=_moment(day, draw(_delay)),
                    author_id="sec",
                    year="2025/2026",
                    items=[OrderItem(student_id="s1", class_id="5a")],
                )
            )
    return SchoolYearData(
        year=half_year(),
        school=SCHOOL,
        classes=[CLASS],
        memberships=[MEMBERSHIP],
        lessons=lessons,
        marks=marks,
        attendance=attendance,
        orders=orders,
    )


def _checker() -> ComplianceChecker:
    return ComplianceChecker(RULES, CAL, year=half_year())


def _checked(checker: ComplianceChecker, data: SchoolYearData) -> ComplianceReport:
    """The checker's report on the year, with no host records."""
    return checker.check(ComplianceData(year_data=data), AS_OF)


def _ids(data: SchoolYearData) -> dict[EntityKind, set[str]]:
    return {
        EntityKind.LESSON: {lesson.id for lesson in data.lessons},
        EntityKind.MARK: {mark.id for mark in data.marks},
        EntityKind.ATTENDANCE: {record.id for record in data.attendance},
        EntityKind.ORDER: {order.id for order in data.orders},
    }


def _earlier(data: SchoolYearData, minutes: int) -> SchoolYearData:
    """Every entry of the journal made ``minutes`` earlier (never before the day's start)."""
    shift = timedelta(minutes=minutes)

    def sooner(moment: datetime, day: date) -> datetime:
        return max(moment - shift, datetime.combine(day, time(0), tzinfo=MSK))

    return attrs.evolve(
        data,
        lessons=[
            attrs.evolve(
                lesson,
                topic_entered_at=lesson.topic_entered_at
                and sooner(lesson.topic_entered_at, lesson.date),
            )
            for lesson in data.lessons
        ],
        marks=[
            attrs.evolve(
                mark,
                entered_at=sooner(mark.entered_at, mark.date),
                edits=[attrs.evolve(e, at=sooner(e.at, mark.date)) for e in mark.edits],
            )
            for mark in data.marks
        ],
        attendance=[
            attrs.evolve(
                record,
                entered_at=sooner(record.entered_at, record.date),
                reason_corrected_at=sooner(record.reason_corrected_at, record.date)
                if record.reason_corrected_at
                else None,
            )
            for record in data.attendance
        ],
        orders=[
            attrs.evolve(order, entered_at=sooner(order.entered_at, order.issued_on))
            for order in data.orders
        ],
    )


class TestCheckerProperties:
    @given(journals())
    def test_findings_name_existing_entities(self, data: SchoolYearData) -> None:
        """R12.3: every finding names a lesson, mark, absence or order that exists."""
        existing = _ids(data)
        for finding in _checked(_checker(), data).findings:
            assert finding.entity_id in existing[finding.entity_kind], finding.message.en

    @given(journals(), st.integers(min_value=1, max_value=5 * 24 * 60))
    def test_entering_earlier_never_adds_a_finding(
        self, data: SchoolYearData, minutes: int
    ) -> None:
        """R8.6, R8.5.1, R10.1: moving every entry earlier never adds a violation."""
        checker = _checker()

        def keys(source: SchoolYearData) -> set[tuple[str, str, str]]:
            return {
                (f.rule_id, f.entity_id, f.status.value)
                for f in _checked(checker, source).violations
            }

        before, after = keys(data), keys(_earlier(data, minutes))
        assert {(rule, entity) for rule, entity, _ in after} <= {
            (rule, entity) for rule, entity, _ in before
        }

    @given(journals(), st.randoms(use_true_random=False))
    def test_report_is_deterministic(self, data: SchoolYearData, rng: random.Random) -> None:
        """The report does not depend on the order the store returns entities in."""
        shuffled = attrs.evolve(
            data,
            marks=rng.sample(data.marks, len(data.marks)),
            lessons=rng.sample(data.lessons, len(data.lessons)),
            attendance=rng.sample(data.attendance, len(data.attendance)),
        )
        assert _checked(_checker(), data).to_json() == _checked(_checker(), shuffled).to_json()
