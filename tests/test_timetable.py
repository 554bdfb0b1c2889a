from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core import calendar as school_calendar
from eschool_core.errors import RuleViolation, ValidationError
from eschool_core.journal import LessonState
from eschool_core.profiles import default_profile
from eschool_core.school import Group, GroupKind
from eschool_core.timetable import (
    Bell,
    BellSchedule,
    EventKind,
    SchoolEvent,
    Timetable,
    TimetableEntry,
    bell_schedule_for,
    cancel_lesson,
    generate_lessons,
    lesson_id_for,
    substitute_teacher,
    validate_timetable,
)
from tests.planning_helpers import MSK, YEAR, at, bells, curriculum, hours, room, school_class

_YEAR = school_calendar.standard_year(YEAR, default_profile().calendar)


def _entry(weekday: int, number: int, target: str = "5a", **kw: object) -> TimetableEntry:
    base: dict[str, object] = {
        "weekday": weekday,
        "number": number,
        "subject_id": "math",
        "teacher_id": "t1",
    }
    base["group_id" if target.startswith("g") else "class_id"] = target
    base.update(kw)
    return TimetableEntry(**base)


def _timetable(*entries: TimetableEntry, **kw: object) -> Timetable:
    base: dict[str, object] = {
        "id": "tt",
        "year": YEAR,
        "entries": entries,
        "entered_at": at(2025, 8, 28),
    }
    base.update(kw)
    return Timetable(**base)


def _subgroup(group_id: str, students: list[str], class_id: str = "5a") -> Group:
    return Group(
        id=group_id,
        year=YEAR,
        subject_id="eng",
        name=group_id,
        kind=GroupKind.SUBGROUP,
        class_ids=[class_id],
        student_ids=students,
    )


def _validate(tt: Timetable, **kw: object) -> list[str]:
    base: dict[str, object] = {
        "curriculum": None,
        "classes": [school_class("5a", 5), school_class("5b", 5, "Б"), school_class("3a", 3)],
        "rooms": [room("r1"), room("r2")],
        "bell_schedules": [bells(1), bells(2)],
    }
    base.update(kw)
    return [f.code.value for f in validate_timetable(tt, **base)]


def _slot_and_subject(item: tuple[object, ...]) -> tuple[object, ...]:
    return (item[0], item[1], item[2], item[5])


def _clash_codes(found: list[str]) -> list[str]:
    return [code for code in found if code.endswith("double_booked")]


class TestBellSchedules:
    def test_variants_per_shift_parallel_and_class(self) -> None:
        """R7.6: a class takes its own variant, else its parallel's, else its shift's."""
        base = bells(1)
        first = bells(1, id="grade1", parallels=[1])
        own = bells(1, id="own", class_ids=["1b"])
        second = bells(2)
        assert bell_schedule_for(school_class("1a", 1), [base, first, own, second]) == first
        assert bell_schedule_for(school_class("1b", 1, "Б"), [base, first, own]) == own
        assert bell_schedule_for(school_class("5a", 5), [base, first, own]) == base
        assert bell_schedule_for(school_class("3a", 3, shift=2), [base, second]) == second
        assert bell_schedule_for(school_class("3a", 3, shift=2), [base]) is None

    def test_invalid_bells(self) -> None:
        """R7.6: lessons of a schedule follow in order without overlapping; times are local."""
        with pytest.raises(ValidationError):
            Bell(number=1, start=dt.time(9), end=dt.time(8, 45))
        with pytest.raises(ValidationError):
            Bell(number=1, start=dt.time(9, tzinfo=ZoneInfo("UTC")), end=dt.time(9, 45))
        overlapping = [
            Bell(number=1, start=dt.time(9), end=dt.time(9, 45)),
            Bell(number=2, start=dt.time(9, 40), end=dt.time(10, 25)),
        ]
        with pytest.raises(ValidationError):
            BellSchedule(id="b", year=YEAR, shift=1, name="x", bells=overlapping)
        with pytest.raises(ValidationError):
            BellSchedule(id="b", year=YEAR, shift=1, name="x", bells=[])


class TestTimetableModel:
    def test_entry_names_class_or_group(self) -> None:
        """R7.1: an entry names exactly one of a class and a group."""
        with pytest.raises(ValidationError):
            TimetableEntry(weekday=0, number=1, subject_id="m", teacher_id="t")
        with pytest.raises(ValidationError):
            TimetableEntry(
                weekday=0, number=1, subject_id="m", teacher_id="t", class_id="a", group_id="g"
            )
        with pytest.raises(ValidationError):
            _entry(6, 1)

    def test_repeated_entry_and_reversed_dates(self) -> None:
        """R7.1: a timetable has no repeated entry and does not end before it starts."""
        with pytest.raises(ValidationError):
            _timetable(_entry(0, 1), _entry(0, 1))
        with pytest.raises(ValidationError):
            _timetable(valid_from=dt.date(2025, 10, 1), valid_until=dt.date(2025, 9, 1))

    def test_completion_moment(self) -> None:
        """R7.7a: the moment the timetable is complete is recorded for the deadline check."""
        tt = _timetable(_entry(0, 1))
        assert not tt.is_complete
        assert tt.completed_on(MSK) is None
        done = tt.complete(at(2025, 9, 15, 23))
        assert done.is_complete
        assert done.completed_on(MSK) == dt.date(2025, 9, 15)

    def test_references(self) -> None:
        """R7.1: a timetable lists the classes, groups, teachers, subjects and rooms it uses."""
        tt = _timetable(_entry(0, 1, room_id="r1"), _entry(0, 2, "g1", teacher_id="t2"))
        assert tt.class_ids == {"5a"}
        assert tt.group_ids == {"g1"}
        assert tt.teacher_ids == {"t1", "t2"}
        assert tt.room_ids == {"r1"}
        assert [e.number for e in tt.entries_of("5a")] == [1]


class TestTimetableValidation:
    def _complete_up(self, *rows: object) -> object:
        return curriculum(*rows, completed_at=at(2025, 7, 30))

    def test_clean_timetable(self) -> None:
        """R7.1, R7.4, R7.5: a timetable after the curriculum, with rooms and bells, passes."""
        up = self._complete_up(hours("5a", "math", 2))
        tt = _timetable(_entry(0, 1, room_id="r1"), _entry(1, 1, room_id="r1"))
        assert _validate(tt, curriculum=up) == []

    def test_teacher_room_and_class_double_booked(self) -> None:
        """R7.1: a teacher, a room or a class in two places at once is found."""
        tt = _timetable(
            _entry(0, 1, room_id="r1"),
            _entry(0, 1, "5b", room_id="r1"),
            _entry(0, 1, subject_id="rus", teacher_id="t9", room_id="r2"),
        )
        found = _clash_codes(_validate(tt))
        assert sorted(found) == [
            "timetable.class_double_booked",
            "timetable.room_double_booked",
            "timetable.teacher_double_booked",
        ]

    def test_subgroups_side_by_side(self) -> None:
        """R7.1: subgroups of one class may have lessons at the same time; the class may not."""
        groups = [_subgroup("g1", ["s1", "s2"]), _subgroup("g2", ["s3", "s4"])]
        side = _timetable(
            _entry(0, 1, "g1", subject_id="eng"),
            _entry(0, 1, "g2", subject_id="eng", teacher_id="t2"),
        )
        assert _clash_codes(_validate(side, groups=groups)) == []
        whole = _timetable(
            _entry(0, 1, "g1", subject_id="eng"),
            _entry(0, 1, subject_id="rus", teacher_id="t3"),
        )
        assert _clash_codes(_validate(whole, groups=groups)) == ["timetable.class_double_booked"]
        overlap = [_subgroup("g1", ["s1"]), _subgroup("g2", ["s1"])]
        assert _clash_codes(_validate(side, groups=overlap)) == ["timetable.class_double_booked"]

    def test_shifts_do_not_clash(self) -> None:
        """R7.6: lesson 1 of the second shift is not at the time of lesson 1 of the first."""
        tt = _timetable(_entry(0, 1), _entry(0, 1, "3a"))
        classes = [school_class("5a", 5), school_class("3a", 3, shift=2)]
        assert _clash_codes(_validate(tt, classes=classes)) == []
        same_shift = [school_class("5a", 5), school_class("3a", 3)]
        assert _clash_codes(_validate(tt, classes=same_shift)) == [
            "timetable.teacher_double_booked"
        ]

    def test_different_bell_variants_overlap_in_time(self) -> None:
        """R7.6: lessons clash by their times, even when their numbers differ."""
        late = bells(1, id="late", parallels=[3], bells=[
            Bell(number=1, start=dt.time(9, 0), end=dt.time(9, 40)),
            Bell(number=2, start=dt.time(9, 50), end=dt.time(10, 30)),
        ])  # fmt: skip
        tt = _timetable(_entry(0, 2), _entry(0, 1, "3a"))
        assert _clash_codes(_validate(tt, bell_schedules=[bells(1), late])) == [
            "timetable.teacher_double_booked"
        ]

    def test_hours_against_the_curriculum(self) -> None:
        """R7.4: weekly lessons that differ from the curriculum's hours are found."""
        up = self._complete_up(hours("5a", "math", 2), hours("5a", "rus", 1))
        tt = _timetable(_entry(0, 1), _entry(1, 1), _entry(2, 1), _entry(0, 2, "5b"))
        found = validate_timetable(
            tt,
            curriculum=up,
            classes=[school_class("5a", 5), school_class("5b", 5, "Б")],
            rooms=[],
            bell_schedules=[bells(1)],
        )
        mismatch = {(f.details["target"], f.details["subject"]): f.details["given"] for f in found}
        assert mismatch == {("5a", "math"): 3, ("5a", "rus"): 0, ("5b", "math"): 1}

    def test_subgroup_hours(self) -> None:
        """R7.4: when a class's subject is split into subgroups, each has the hours."""
        up = self._complete_up(hours("5a", "eng", 2))
        groups = [_subgroup("g1", ["s1"]), _subgroup("g2", ["s2"])]
        tt = _timetable(
            _entry(0, 1, "g1", subject_id="eng"),
            _entry(1, 1, "g1", subject_id="eng"),
            _entry(0, 1, "g2", subject_id="eng", teacher_id="t2"),
        )
        found = _validate(tt, curriculum=up, groups=groups)
        assert found == ["timetable.hours_mismatch"]

    def test_before_the_curriculum(self) -> None:
        """R7.4: a timetable entered before the curriculum was complete is found."""
        tt = _timetable(_entry(0, 1))
        assert _validate(tt) == ["timetable.before_curriculum"]
        up = curriculum(hours("5a", "math", 1), completed_at=at(2025, 8, 29))
        assert _validate(tt, curriculum=up) == ["timetable.before_curriculum"]

    def test_rooms_and_bells_first(self) -> None:
        """R7.5: rooms and bells must exist, and be entered, before the timetable."""
        up = self._complete_up(hours("5a", "math", 1))
        tt = _timetable(_entry(0, 1, room_id="r1"))
        assert _validate(tt, curriculum=up, rooms=[]) == ["timetable.unknown_room"]
        assert _validate(tt, curriculum=up, rooms=[room("r1", entered_at=at(2025, 9, 1))]) == [
            "timetable.room_after_timetable"
        ]
        late_bells = bells(1, entered_at=at(2025, 9, 1))
        assert _validate(tt, curriculum=up, bell_schedules=[late_bells]) == [
            "timetable.bells_after_timetable"
        ]
        assert _validate(tt, curriculum=up, bell_schedules=[]) == [
            "timetable.no_bell_schedule",
            "timetable.no_bell_schedule",
        ]
        seventh = _timetable(_entry(0, 7, room_id="r1"), _entry(1, 1))
        up2 = self._complete_up(hours("5a", "math", 2))
        assert _validate(seventh, curriculum=up2) == ["timetable.no_bell_schedule"]

    @settings(max_examples=60)
    @given(
        st.lists(
            st.tuples(
                st.integers(0, 1),
                st.integers(1, 3),
                st.sampled_from(["5a", "5b"]),
                st.sampled_from(["t1", "t2", "t3"]),
                st.sampled_from(["r1", "r2", None]),
                st.sampled_from(["math", "rus"]),
            ),
            max_size=12,
            unique_by=_slot_and_subject,
        )
    )
    def test_no_double_booking_when_no_clash_found(
        self, rows: list[tuple[int, int, str, str, str | None, str]]
    ) -> None:
        """R7.1: a timetable without clash findings has no teacher, room or class twice."""
        entries = [
            _entry(day, number, target, teacher_id=teacher, room_id=room_id, subject_id=subject)
            for day, number, target, teacher, room_id, subject in rows
        ]
        tt = _timetable(*entries)
        clashes = _clash_codes(_validate(tt))
        slots = [(e.weekday, e.number) for e in entries]
        teachers = [(e.weekday, e.number, e.teacher_id) for e in entries]
        rooms = [(e.weekday, e.number, e.room_id) for e in entries if e.room_id]
        classes = [(e.weekday, e.number, e.class_id) for e in entries]
        free = all(len(set(x)) == len(x) for x in (teachers, rooms, classes))
        assert (not clashes) == free
        assert len(slots) == len(entries)


class TestGenerateLessons:
    def _tt(self) -> Timetable:
        return _timetable(
            *[_entry(day, 1, subject_id="math") for day in range(5)],
            _entry(2, 2, "5b", subject_id="rus", teacher_id="t2"),
        )

    def test_first_week(self) -> None:
        """R7.1: lessons follow the timetable's weekdays; ids come from date, class, number."""
        classes = [school_class("5a", 5), school_class("5b", 5, "Б")]
        lessons = generate_lessons(
            self._tt(), _YEAR, classes=classes, start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 7)
        )
        assert [(lesson.date.day, lesson.class_id, lesson.number) for lesson in lessons] == [
            (1, "5a", 1),
            (2, "5a", 1),
            (3, "5a", 1),
            (3, "5b", 2),
            (4, "5a", 1),
            (5, "5a", 1),
        ]
        assert lessons[0].id == lesson_id_for(dt.date(2025, 9, 1), 1, class_id="5a")
        assert all(lesson.state is LessonState.HELD for lesson in lessons)

    def test_vacations_and_holidays_have_no_lessons(self) -> None:
        """R7.1: no lessons in the autumn vacation or on 4 November."""
        lessons = generate_lessons(
            self._tt(),
            _YEAR,
            classes=[school_class("5a", 5), school_class("5b", 5, "Б")],
            start=dt.date(2025, 10, 27),
            end=dt.date(2025, 11, 9),
        )
        assert {lesson.date for lesson in lessons} == {dt.date(2025, 11, d) for d in (5, 6, 7)}

    def test_moved_day_follows_its_source(self) -> None:
        """R7.7c: a moved school day takes the lessons of the day it replaces."""
        moved = school_calendar.MovedDay(
            source=dt.date(2025, 11, 7), target=dt.date(2025, 11, 15), parallels=[5]
        )
        year = attrs.evolve(_YEAR, moved_days=(moved,))
        tt = _timetable(_entry(4, 3), _entry(5, 1, subject_id="rus"))
        lessons = generate_lessons(
            tt,
            year,
            classes=[school_class("5a", 5)],
            start=dt.date(2025, 11, 7),
            end=dt.date(2025, 11, 15),
        )
        assert [(lesson.date, lesson.number) for lesson in lessons] == [
            (dt.date(2025, 11, 14), 3),
            (dt.date(2025, 11, 15), 3),
        ]

    def test_groups_and_timetable_dates(self) -> None:
        """R7.1: group lessons follow the group's classes; the timetable's dates bound them."""
        group = Group(
            id="g1",
            year=YEAR,
            subject_id="eng",
            name="g",
            kind=GroupKind.CROSS_CLASS,
            class_ids=["1a", "5a"],
        )
        tt = _timetable(
            *[_entry(day, 1, "g1", subject_id="eng") for day in range(5)],
            valid_from=dt.date(2026, 2, 9),
        )
        lessons = generate_lessons(
            tt,
            _YEAR,
            classes=[school_class("1a", 1), school_class("5a", 5)],
            groups=[group],
            end=dt.date(2026, 2, 20),
        )
        # grade 1's February week (14-22 February) has no lessons of the joint group
        assert [lesson.date.day for lesson in lessons] == [9, 10, 11, 12, 13]
        assert lessons[0].id == "les:g.g1:2026-02-09:1"
        assert (
            generate_lessons(tt, _YEAR, classes=[], groups=[group], end=dt.date(2025, 9, 1)) == ()
        )

    def test_errors(self) -> None:
        """R7.1: a timetable of another year or naming unknown classes is rejected."""
        with pytest.raises(ValidationError):
            generate_lessons(_timetable(year="2024/2025"), _YEAR, classes=[])
        with pytest.raises(ValidationError):
            generate_lessons(_timetable(_entry(0, 1)), _YEAR, classes=[])
        with pytest.raises(ValidationError):
            generate_lessons(_timetable(_entry(0, 1, "g1")), _YEAR, classes=[])

    @settings(max_examples=25, deadline=None)
    @given(
        st.integers(1, 11),
        st.sets(st.integers(0, 4), min_size=1),
        st.dates(dt.date(2025, 9, 1), dt.date(2026, 5, 26)),
        st.integers(0, 60),
    )
    def test_lessons_only_on_school_days(
        self, parallel: int, weekdays: set[int], start: dt.date, length: int
    ) -> None:
        """R7.1: generated lessons fall only on school days of the class's parallel."""
        end = start + dt.timedelta(days=length)
        cls = school_class("c", parallel)
        tt = _timetable(*[_entry(day, 1, "c") for day in weekdays])
        lessons = generate_lessons(tt, _YEAR, classes=[cls], start=start, end=end)
        assert all(_YEAR.is_school_day(lesson.date, parallel) for lesson in lessons)
        expected = [
            d
            for d in _YEAR.school_days(start, min(end, _YEAR.last_day), parallel)
            if d.weekday() in weekdays
        ] if start <= _YEAR.last_day else []  # fmt: skip
        assert [lesson.date for lesson in lessons] == expected
        assert len({lesson.id for lesson in lessons}) == len(lessons)


class TestSubstitutionsAndCancellations:
    def _lesson(self) -> object:
        return generate_lessons(
            _timetable(_entry(0, 1)),
            _YEAR,
            classes=[school_class("5a", 5)],
            end=dt.date(2025, 9, 1),
        )[0]

    def test_substitution_records_the_moment(self) -> None:
        """R7.7d: a substitution sets the substitute and when it was entered."""
        lesson = self._lesson()
        changed = substitute_teacher(lesson, "t2", at=at(2025, 9, 1, 7))
        assert changed.substitute_id == "t2"
        assert changed.substitute_entered_at == at(2025, 9, 1, 7)
        assert changed.responsible_teacher_id == "t2"
        with pytest.raises(RuleViolation):
            substitute_teacher(lesson, "t1", at=at(2025, 9, 1, 7))
        with pytest.raises(ValidationError):
            substitute_teacher(lesson, "t2", at=dt.datetime(2025, 9, 1, 7))

    def test_cancellation_records_the_moment(self) -> None:
        """R7.7d: a cancellation sets the state and when it was entered."""
        lesson = self._lesson()
        cancelled = cancel_lesson(lesson, at=at(2025, 9, 1, 7))
        assert cancelled.state is LessonState.CANCELLED
        assert cancelled.cancelled_at == at(2025, 9, 1, 7)
        with pytest.raises(RuleViolation):
            cancel_lesson(cancelled, at=at(2025, 9, 1, 8))
        with pytest.raises(RuleViolation):
            substitute_teacher(cancelled, "t2", at=at(2025, 9, 1, 8))


class TestEvents:
    def test_school_event_lead_time(self) -> None:
        """R7.1, R7.2, R7.7b: a school event keeps who entered it and when; lead days count."""
        event = SchoolEvent(
            id="e1",
            year=YEAR,
            kind="school",
            title="День знаний",
            starts_on=dt.date(2025, 9, 20),
            entered_by="deputy",
            entered_at=at(2025, 9, 6, 10),
        )
        assert event.kind.requirement == "R7.7b"
        assert event.kind.responsible_requirement == "R7.2"
        assert event.entered_on(MSK) == dt.date(2025, 9, 6)
        assert event.lead_days(MSK) == 14

    def test_event_before_a_vacation_counts_to_its_start(self) -> None:
        """R7.7b: for an event at a vacation, the lead time counts to the vacation's start."""
        event = SchoolEvent(
            id="e1",
            year=YEAR,
            kind=EventKind.SCHOOL,
            title="Лагерь",
            starts_on=dt.date(2025, 10, 30),
            vacation_start=dt.date(2025, 10, 27),
            entered_by="deputy",
            entered_at=at(2025, 10, 20, 10),
        )
        assert event.reference_date == dt.date(2025, 10, 27)
        assert event.lead_days(MSK) == 7

    def test_class_event(self) -> None:
        """R7.3, R7.7e: a class event names its class; its entry moment is recorded."""
        event = SchoolEvent(
            id="e2",
            year=YEAR,
            kind="class",
            title="Экскурсия",
            starts_on=dt.date(2025, 10, 10),
            class_ids=["5a"],
            entered_by="t1",
            entered_at=dt.datetime(2025, 10, 2, 22, 30, tzinfo=ZoneInfo("UTC")),
        )
        assert event.kind.requirement == "R7.7e"
        assert event.kind.responsible_requirement == "R7.3"
        assert event.entered_on(MSK) == dt.date(2025, 10, 3)
        assert event.lead_days(MSK) == 7

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"kind": "class"},
            {"ends_on": dt.date(2025, 9, 1)},
            {"entered_at": dt.datetime(2025, 9, 1)},
            {"kind": "party"},
        ],
    )
    def test_invalid_events(self, kwargs: dict[str, object]) -> None:
        """R7.1: a class event without a class, reversed dates or a naive moment fail."""
        base: dict[str, object] = {
            "id": "e",
            "year": YEAR,
            "kind": "school",
            "title": "x",
            "starts_on": dt.date(2025, 9, 10),
            "entered_by": "d",
            "entered_at": at(2025, 9, 1),
        }
        base.update(kwargs)
        with pytest.raises(ValueError):  # noqa: PT011 - ValidationError is a ValueError
            SchoolEvent(**base)
