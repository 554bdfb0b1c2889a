from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core import synth
from eschool_core.errors import ConflictError, ValidationError
from eschool_core.movement import MovementBook, OrderKind
from eschool_core.people import missing_card_fields
from eschool_core.reports import ReportData, ReportParams, run_report
from eschool_core.school import ClassMembership
from eschool_core.storage import MemoryStore
from eschool_core.year_data import SchoolYearData
from tests.reports_school import GENERATED
from tests.rules_helpers import synthetic_rules


def _fingerprint(school: synth.SyntheticSchool) -> str:
    digest = hashlib.sha256()
    for name, rows in school.tables():
        digest.update(name.encode())
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def small() -> synth.SyntheticSchool:
    return synth.generate("small", seed=3)


class TestDeterminism:
    @settings(max_examples=2)
    @given(st.integers(min_value=0, max_value=2**32))
    def test_same_seed_same_bytes(self, seed: int) -> None:
        """The same seed gives byte-identical data."""
        assert _fingerprint(synth.generate("small", seed)) == _fingerprint(
            synth.generate("small", seed)
        )

    def test_other_seed_other_data(self, small: synth.SyntheticSchool) -> None:
        """Another seed gives another school."""
        other = synth.generate("small", seed=4)
        assert [m.value for m in small.marks[:500]] != [m.value for m in other.marks[:500]]


class TestRealism:
    def test_sizes(self, small: synth.SyntheticSchool) -> None:
        """A small school has one class per parallel 1-11 (two in grade 5), about 200 students."""
        assert sorted(c.parallel for c in small.classes) == sorted([*range(1, 12), 5])
        assert 150 <= len(small.students) <= 250
        assert all(
            len(p) == (4 if parallel <= 9 else 2)
            for parallel, p in small.periods_by_parallel.items()
        )

    def test_school_days_are_weekdays(self, small: synth.SyntheticSchool) -> None:
        """Lessons fall on school days only, Monday to Friday, about 165 a year."""
        days = set(small.school_days)
        assert 150 <= len(days) <= 175
        assert all(day.weekday() < 5 for day in days)
        assert {lesson.date for lesson in small.lessons} <= days

    def test_no_marks_in_grade_one(self, small: synth.SyntheticSchool) -> None:
        """Grade 1 is taught without marks."""
        grade_one = {c.id for c in small.classes if c.parallel == 1}
        pupils = {m.student_id for m in small.memberships if m.class_id in grade_one}
        assert not any(mark.student_id in pupils for mark in small.marks)

    def test_mark_distribution(self, small: synth.SyntheticSchool) -> None:
        """Marks 2-5 all occur, and 4 and 5 are the commonest, as in real journals."""
        counts = Counter(mark.value.score for mark in small.marks)
        assert {2, 3, 4, 5} <= set(counts)
        assert counts[4] + counts[5] > counts[2] + counts[3]

    def test_planted_lateness_adds_up(self, small: synth.SyntheticSchool) -> None:
        """R8.6: the planted on-time, late-with-reason and late marks add up to all marks."""
        stats = small.stats
        assert stats.marks == len(small.marks)
        total = stats.marks_on_time + stats.marks_late_with_valid_reason_in_time + stats.marks_late
        assert total == stats.marks
        assert 0.04 < stats.marks_late / stats.marks < 0.08

    def test_some_cards_incomplete(self, small: synth.SyntheticSchool) -> None:
        """R6.5: a few cards miss required fields, for the completeness checks."""
        incomplete = [s for s in small.students if missing_card_fields(s)]
        assert 0 < len(incomplete) < len(small.students) // 5

    def test_parents_share_the_family_name(self, small: synth.SyntheticSchool) -> None:
        """A mother's surname is the feminine form of the family name."""
        students = {s.id: s for s in small.students}
        guardians = {g.id: g for g in small.guardians}
        link = small.guardian_links[0]
        child = students[link.student_id].person.last_name
        parent = guardians[link.guardian_id].person.last_name
        assert child.rstrip("а") == parent.rstrip("а")


class TestWriting:
    def test_write_to_store(self, small: synth.SyntheticSchool) -> None:
        """The whole school goes into a store, every table counted."""
        store = MemoryStore()
        written = synth.write_to_store(small, store, batch_size=10_000)
        assert written == small.entity_counts()
        with store.unit_of_work() as uow:
            assert uow.marks.count() == len(small.marks)

    def test_second_write_changes_nothing(self, small: synth.SyntheticSchool) -> None:
        """Writing the same school twice fails and leaves the first copy alone."""
        store = MemoryStore()
        synth.write_to_store(small, store)
        with pytest.raises(ConflictError):
            synth.write_to_store(small, store)
        with store.unit_of_work() as uow:
            assert uow.lessons.count() == len(small.lessons)

    def test_bad_arguments(self) -> None:
        """An unknown size or a malformed year is rejected."""
        with pytest.raises(ValueError, match="huge"):
            synth.generate("huge")
        with pytest.raises(ValidationError):
            synth.generate("small", year="2025")


class TestPlanning:
    def test_lessons_come_from_the_timetable(self, small: synth.SyntheticSchool) -> None:
        """R7.1, R5.5: the journal's lessons are exactly the lessons the timetable generates."""
        from eschool_core.timetable import generate_lessons

        skeleton = generate_lessons(
            small.timetable, small.academic_year, classes=list(small.classes)
        )
        assert [(s.id, s.date, s.number, s.subject_id, s.teacher_id) for s in skeleton] == [
            (x.id, x.date, x.number, x.subject_id, x.teacher_id) for x in small.lessons
        ]
        assert set(small.academic_year.school_days(
            small.academic_year.first_day, small.academic_year.last_day, 5
        )) == set(small.school_days)  # fmt: skip

    def test_planning_is_valid(self, small: synth.SyntheticSchool) -> None:
        """R5.3e, R7.1, R7.4, R7.5: the curriculum and the timetable have no findings."""
        from eschool_core.curriculum import check_plan, validate_curriculum
        from eschool_core.profiles import default_profile
        from eschool_core.timetable import validate_timetable

        policy = default_profile().curriculum
        assert (
            validate_curriculum(
                small.curriculum, classes=small.classes, subjects=small.subjects, policy=policy
            )
            == ()
        )
        assert (
            validate_timetable(
                small.timetable,
                curriculum=small.curriculum,
                classes=small.classes,
                rooms=small.rooms,
                bell_schedules=small.bell_schedules,
            )
            == ()
        )
        weeks = small.academic_year.weeks_of_study(5)
        assert not [
            f for p in small.thematic_plans for f in check_plan(p, small.curriculum, weeks, policy)
        ]

    def test_planted_plan_lateness(self, small: synth.SyntheticSchool) -> None:
        """R5.6, R5.4, R7.7a: late plans are counted exactly; the rest is on time."""
        from datetime import date

        zone = small.school.zone
        late = [p for p in small.thematic_plans if p.entered_on(zone) > date(2025, 8, 15)]
        assert len(late) == small.stats.thematic_plans_late > 0
        assert small.curriculum.completed_on(zone) <= date(2025, 8, 1)  # type: ignore[operator]
        assert small.timetable.completed_on(zone) <= date(2025, 9, 15)  # type: ignore[operator]

    def test_lesson_topics_follow_the_plans(self, small: synth.SyntheticSchool) -> None:
        """R5.5: a lesson's topic is its plan's topic for that hour."""
        plan = small.thematic_plans[0]
        first = next(x for x in small.lessons if plan.covers(x) and x.topic)
        assert first.topic is not None
        assert first.topic.startswith(plan.topics[0].title)


@pytest.fixture(scope="module")
def small_store(small: synth.SyntheticSchool) -> MemoryStore:
    store = MemoryStore()
    synth.write_to_store(small, store)
    return store


class TestMovement:
    def test_rosters_from_the_store_equal_the_book(
        self, small: synth.SyntheticSchool, small_store: MemoryStore
    ) -> None:
        """R10.1, R2.2d: on every school day the stored memberships give the book's rosters."""
        with small_store.unit_of_work() as uow:
            memberships = uow.memberships.all()
            orders = uow.orders.for_year(small.year)
        assert sorted(orders, key=lambda o: o.id) == sorted(small.orders, key=lambda o: o.id)
        book = MovementBook.from_orders(orders, classes=small.classes)
        by_class: dict[str, list[ClassMembership]] = {}
        for membership in memberships:
            by_class.setdefault(membership.class_id, []).append(membership)
        for day in small.school_days:
            for school_class in small.classes:
                stored = sorted(
                    m.student_id for m in by_class.get(school_class.id, []) if m.holds_on(day)
                )
                assert stored == list(book.roster(school_class.id, day)), (school_class.id, day)

    def test_the_year_has_movement(self, small: synth.SyntheticSchool) -> None:
        """R10.1: students arrive and leave during the year; arrivals are full new students."""
        kinds = Counter(order.kind for order in small.orders)
        assert kinds[OrderKind.ENROLLMENT] > 1
        assert kinds[OrderKind.WITHDRAWAL] > 0
        assert kinds[OrderKind.GRADUATION] == 1
        first_day = small.school_days[0]
        arrivals = {
            item.student_id
            for order in small.orders
            if order.kind is OrderKind.ENROLLMENT and order.issued_on > first_day
            for item in order.items
        }
        assert arrivals
        assert arrivals <= {s.id for s in small.students}
        assert arrivals <= {c.subject_id for c in small.consents}
        assert arrivals <= {link.student_id for link in small.guardian_links}
        assert {m.student_id for m in small.memberships if m.since == first_day}.isdisjoint(
            arrivals
        )
        assert {m.student_id for m in small.memberships} == {s.id for s in small.students}

    def test_journal_respects_the_rosters(self, small: synth.SyntheticSchool) -> None:
        """R2.2d: no mark or absence belongs to a student outside the lesson's class that day."""
        _check_journal(small)
        left = _students_of(small, OrderKind.WITHDRAWAL)
        assert left
        assert any(mark.student_id in left for mark in small.marks)

    def test_attestation_only_for_students_in_class(self, small: synth.SyntheticSchool) -> None:
        """R2.2d: period and annual marks go exactly to the students in a class at its end."""
        _check_attestation(small)
        withdrawn = _students_of(small, OrderKind.WITHDRAWAL)
        annual = {m.student_id for m in small.attestation_marks if m.period is None}
        assert annual.isdisjoint(withdrawn)
        arrived = _students_of(small, OrderKind.ENROLLMENT) - {
            m.student_id for m in small.memberships if m.since == small.school_days[0]
        }
        assert arrived & {m.student_id for m in small.attestation_marks}

    def test_transfers_in_a_medium_school(self) -> None:
        """R10.1, R2.2d: with transfers between classes, journal and marks follow the rosters."""
        medium = synth.generate("medium", seed=2)
        moved = _students_of(medium, OrderKind.TRANSFER)
        assert moved
        book = MovementBook.from_orders(medium.orders, classes=medium.classes)
        assert book.memberships() == medium.memberships
        _check_journal(medium)
        _check_attestation(medium)
        assert moved & {m.student_id for m in medium.attestation_marks if m.period is None}

    @pytest.mark.parametrize("seed", [1, 3])
    def test_transfers_mid_period_at_every_size(
        self, small: synth.SyntheticSchool, seed: int
    ) -> None:
        """R10.1: even a small school has transfers between two classes in mid-period."""
        for school in (small, synth.generate("small", seed=seed)):
            transfers = [o for o in school.orders if o.kind is OrderKind.TRANSFER]
            assert len(transfers) >= synth.MIN_TRANSFERS
            parallel = {c.id: c.parallel for c in school.classes}
            for order in transfers:
                (item,) = order.items
                assert item.class_id is not None
                periods = school.periods_by_parallel[parallel[item.class_id]]
                (period,) = [p for p in periods if p.start <= order.issued_on <= p.end]
                before = [d for d in school.school_days if period.start <= d < order.issued_on]
                after = [d for d in school.school_days if order.issued_on < d <= period.end]
                assert len(before) >= 5, order
                assert len(after) >= 5, order
            _check_journal(school)
            _check_attestation(school)

    def test_occupancy_report_from_a_store_equals_the_synthetic(
        self, small: synth.SyntheticSchool, small_store: MemoryStore
    ) -> None:
        """R11.1: «Наполняемость классов» from a store equals the one from the generated school."""
        rules = synthetic_rules(small)
        direct = ReportData.from_synthetic(small, rules)
        stored = ReportData.from_year_data(
            SchoolYearData.from_store(small_store, small.academic_year), rules
        )
        days = [date(2025, 10, 1), *small.school_days[::20], small.school_days[-1]]
        for day in days:
            params = ReportParams(as_of=day)
            first = run_report("class_occupancy", direct, params, generated_at=GENERATED)
            second = run_report("class_occupancy", stored, params, generated_at=GENERATED)
            assert (first.rows, first.totals) == (second.rows, second.totals), day

    def test_movement_orders_is_the_schools(self, small: synth.SyntheticSchool) -> None:
        """The compatibility function returns the school's orders; another seed is deprecated."""
        assert synth.movement_orders(small) == small.orders
        assert synth.movement_orders(small, seed=small.seed) == small.orders
        with pytest.warns(DeprecationWarning, match="school.orders"):
            assert synth.movement_orders(small, seed=small.seed + 1) == small.orders


def _students_of(school: synth.SyntheticSchool, kind: OrderKind) -> set[str]:
    return {
        item.student_id for order in school.orders if order.kind is kind for item in order.items
    }


def _check_journal(school: synth.SyntheticSchool) -> None:
    """Every mark and absence belongs to a student in the lesson's class on its day."""
    book = MovementBook.from_orders(school.orders, classes=school.classes)
    class_of = {lesson.id: lesson.class_id for lesson in school.lessons}
    rosters: dict[tuple[str | None, date], frozenset[str]] = {}

    def roster(class_id: str | None, day: date) -> frozenset[str]:
        key = (class_id, day)
        if key not in rosters:
            rosters[key] = frozenset(book.roster(class_id, day))
        return rosters[key]

    for mark in school.marks:
        assert mark.lesson_id is not None
        assert mark.student_id in roster(class_of[mark.lesson_id], mark.date), mark.id
    for absence in school.attendance:
        assert absence.lesson_id is not None
        assert absence.student_id in roster(class_of[absence.lesson_id], absence.date), absence.id


def _check_attestation(school: synth.SyntheticSchool) -> None:
    """Period marks go exactly to each class's students at the period's end, set by the
    class's teacher; annual marks only to the students in a class at the year's end."""
    book = MovementBook.from_orders(school.orders, classes=school.classes)
    teacher_of = {(a.class_id, a.subject_id): a.teacher_id for a in school.assignments}
    expected_periods = set()
    expected_annual = set()
    for school_class in school.classes:
        if school_class.parallel == 1:
            continue
        subjects = [s for (c, s) in teacher_of if c == school_class.id]
        periods = school.periods_by_parallel[school_class.parallel]
        for period in periods:
            for student in book.roster(school_class.id, period.end):
                for subject in subjects:
                    teacher = teacher_of[(school_class.id, subject)]
                    expected_periods.add((student, subject, period.code, teacher))
        for student in book.roster(school_class.id, periods[-1].end):
            for subject in subjects:
                expected_annual.add((student, subject, teacher_of[(school_class.id, subject)]))
    marks = school.attestation_marks
    periods_set = {(m.student_id, m.subject_id, m.period, m.author_id) for m in marks if m.period}
    annual_set = {(m.student_id, m.subject_id, m.author_id) for m in marks if m.period is None}
    assert periods_set == expected_periods
    assert len(periods_set) == sum(1 for m in marks if m.period)
    assert annual_set <= expected_annual
