from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.curriculum import (
    FindingCode,
    ThematicPlan,
    Topic,
    check_plan,
    lesson_topics,
    programme_completion,
)
from eschool_core.errors import ValidationError
from eschool_core.journal import Lesson
from eschool_core.timetable import cancel_lesson
from tests.planning_helpers import MSK, YEAR, at, curriculum, hours, policy


def _plan(*topic_hours: int, **kw: object) -> ThematicPlan:
    base: dict[str, object] = {
        "id": "p1",
        "year": YEAR,
        "teacher_id": "t1",
        "subject_id": "math",
        "class_id": "5a",
        "entered_at": at(2025, 8, 10),
        "topics": [Topic(title=f"Тема {i + 1}", hours=h) for i, h in enumerate(topic_hours)],
    }
    base.update(kw)
    return ThematicPlan(**base)


def _lesson(day: int, number: int = 1, **kw: object) -> Lesson:
    base: dict[str, object] = {
        "id": f"l{day}-{number}",
        "date": dt.date(2025, 9, day),
        "number": number,
        "subject_id": "math",
        "teacher_id": "t1",
        "class_id": "5a",
    }
    base.update(kw)
    return Lesson(**base)


class TestThematicPlan:
    @given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30))
    def test_total_is_the_sum_of_topics(self, topic_hours: list[int]) -> None:
        """R5.5: a plan's total equals the sum of its topics' hours."""
        assert _plan(*topic_hours).total_hours == sum(topic_hours)

    def test_entry_moment_and_responsible_teacher(self) -> None:
        """R5.6, R5.7: the plan records when it was entered, and the teacher answers for it."""
        plan = _plan(10, entered_at=at(2025, 8, 15, 23))
        assert plan.entered_on(MSK) == dt.date(2025, 8, 15)
        assert plan.author_id == "t1"
        assert _plan(10, entered_by="deputy").author_id == "deputy"

    @pytest.mark.parametrize(
        ("kwargs", "code"),
        [
            ({"group_id": "g1"}, "plan.target"),
            ({"class_id": None}, "plan.target"),
            ({"topics": []}, "plan.no_topics"),
            ({"entered_at": dt.datetime(2025, 8, 1)}, "value.naive_datetime"),
        ],
    )
    def test_invalid_plans(self, kwargs: dict[str, object], code: str) -> None:
        """R5.5: a plan names one class or group, has topics and an aware entry moment."""
        with pytest.raises(ValidationError) as info:
            _plan(5, **kwargs)
        assert info.value.code == code


class TestCheckPlan:
    def test_total_against_hours_times_weeks(self) -> None:
        """R5.5: a plan within one week's hours of hours × weeks passes; beyond it, a finding."""
        up = curriculum(hours("5a", "math", 5))
        weeks = Fraction(172, 5)
        assert check_plan(_plan(172), up, weeks, policy()) == ()
        assert check_plan(_plan(167), up, weeks, policy()) == ()
        found = check_plan(_plan(166), up, weeks, policy())
        assert [f.code for f in found] == [FindingCode.PLAN_HOURS_MISMATCH]
        assert found[0].requirement == "R5.5"

    def test_plan_outside_the_curriculum(self) -> None:
        """R5.5: a plan for a subject the class has no hours in is found."""
        up = curriculum(hours("5a", "rus", 5))
        found = check_plan(_plan(170), up, Fraction(34), policy())
        assert [f.code for f in found] == [FindingCode.PLAN_NOT_IN_CURRICULUM]

    def test_group_plan_uses_group_hours(self) -> None:
        """R5.2, R5.5: a group's plan is checked against the group's hours."""
        up = curriculum(hours("10a", "math", 6, level="углублённый", group_id="g"))
        plan = _plan(204, class_id=None, group_id="g")
        assert check_plan(plan, up, Fraction(34), policy()) == ()


class TestLessonTopics:
    def test_lessons_take_topics_in_order(self) -> None:
        """R5.5: held lessons take the plan's topics hour by hour; cancelled ones take none."""
        plan = _plan(2, 1)
        lessons = [_lesson(1), _lesson(2), _lesson(3), _lesson(4), _lesson(5)]
        lessons[1] = cancel_lesson(lessons[1], at=at(2025, 9, 2, 8))
        other = _lesson(6, class_id="5b")
        linked = lesson_topics(plan, [*reversed(lessons), other])
        assert {k: t.title for k, t in linked.items()} == {
            "l1-1": "Тема 1",
            "l3-1": "Тема 1",
            "l4-1": "Тема 2",
        }


class TestProgrammeCompletion:
    def test_planned_against_given(self) -> None:
        """R2.2i: held lessons count as given hours, cancelled ones do not."""
        up = curriculum(hours("5a", "math", 5), hours("5a", "rus", 5), subject_order=["rus"])
        lessons = [_lesson(1), _lesson(2), cancel_lesson(_lesson(3), at=at(2025, 9, 3, 8))]
        lessons.append(_lesson(4, subject_id="rus"))
        rows = programme_completion(up, [_plan(170)], lessons)
        assert [(r.subject_id, r.planned_hours, r.given_hours, r.cancelled) for r in rows] == [
            ("rus", 0, 1, 0),
            ("math", 170, 2, 1),
        ]
        assert rows[1].completion == Fraction(2, 170)
        assert rows[1].behind == 168
        assert rows[0].completion is None

    def test_as_of(self) -> None:
        """R2.2i: completion counts the lessons up to the date asked for."""
        up = curriculum(hours("5a", "math", 5))
        rows = programme_completion(
            up, [_plan(3)], [_lesson(1), _lesson(8)], as_of=dt.date(2025, 9, 5)
        )
        assert rows[0].given_hours == 1

    def test_groups(self) -> None:
        """R2.2i: a group's lessons count for the group's row."""
        up = curriculum(hours("10a", "math", 6, level="углублённый", group_id="g"))
        lesson = _lesson(1, class_id=None, group_id="g")
        plan = _plan(204, class_id=None, group_id="g")
        (row,) = programme_completion(up, [plan], [lesson])
        assert (row.group_id, row.class_id, row.given_hours) == ("g", None, 1)
        assert row.weekly_hours == 6

    @given(st.lists(st.booleans(), max_size=40))
    def test_given_plus_cancelled_is_all_lessons(self, held: list[bool]) -> None:
        """R2.2i: every lesson up to the date is either given or cancelled."""
        up = curriculum(hours("5a", "math", 5))
        lessons = [
            _lesson(1 + i % 28, 1 + i // 28)
            if ok
            else cancel_lesson(_lesson(1 + i % 28, 1 + i // 28), at=at(2025, 9, 1))
            for i, ok in enumerate(held)
        ]
        (row,) = programme_completion(up, [], lessons)
        assert row.given_hours == sum(held)
        assert row.given_hours + row.cancelled == len(held)
