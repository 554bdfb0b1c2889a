"""The planning deadlines: curriculum (R5.4), thematic plans (R5.6), timetable (R7.7a), events.

Events: school events at least 2 weeks before the event or the vacation (R7.7b), class
events at least 1 week before (R7.7e).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.cli._check import synthetic_report
from eschool_core.curriculum import Curriculum, SubjectHours, ThematicPlan, Topic
from eschool_core.deadlines import (
    ComplianceChecker,
    ComplianceData,
    EntityKind,
    FindingStatus,
    ResponsibleRole,
)
from eschool_core.profiles import default_profile
from eschool_core.school import School, TeachingAssignment
from eschool_core.synth import SyntheticSchool, academic_year_of, generate, write_to_store
from eschool_core.timetable import SchoolEvent, Timetable, TimetableEntry
from tests.deadline_helpers import assert_clean, assert_late, at, check, only

_PLANNING_RULES = (
    "curriculum.complete",
    "curriculum.thematic_plans",
    "timetable.complete",
    "timetable.school_events",
    "timetable.class_events",
)


def _curriculum(completed_at: datetime | None, **fields: Any) -> Curriculum:
    base: dict[str, Any] = {
        "id": "up-2025",
        "year": "2025/2026",
        "responsible_id": "dh1",
        "completed_at": completed_at,
        "hours": [
            SubjectHours(class_id="5a", subject_id="math", component="mandatory", hours=5),
        ],
    }
    base.update(fields)
    return Curriculum(**base)


def _plan(entered_at: datetime, **fields: Any) -> ThematicPlan:
    base: dict[str, Any] = {
        "id": "ktp-5a-math",
        "year": "2025/2026",
        "teacher_id": "t1",
        "subject_id": "math",
        "class_id": "5a",
        "topics": [Topic(title="Дроби", hours=170)],
        "entered_at": entered_at,
    }
    base.update(fields)
    return ThematicPlan(**base)


def _timetable(completed_at: datetime | None, **fields: Any) -> Timetable:
    base: dict[str, Any] = {
        "id": "tt-2025",
        "year": "2025/2026",
        "entries": [
            TimetableEntry(weekday=0, number=1, subject_id="math", teacher_id="t1", class_id="5a")
        ],
        "entered_at": at(date(2025, 8, 25)),
        "completed_at": completed_at,
    }
    base.update(fields)
    return Timetable(**base)


def _event(kind: str, starts_on: date, entered_at: datetime, **fields: Any) -> SchoolEvent:
    base: dict[str, Any] = {
        "id": "ev1",
        "year": "2025/2026",
        "kind": kind,
        "title": "Праздник",
        "starts_on": starts_on,
        "entered_by": "sec1",
        "entered_at": entered_at,
    }
    if kind == "class":
        base["class_ids"] = ["5a"]
    base.update(fields)
    return SchoolEvent(**base)


class TestCurriculumDeadline:
    def test_complete_on_the_due_day_is_on_time_the_next_day_late(self) -> None:
        """R5.4: completed 23:59:59 on 1 August (school time) is on time; 00:00:01 next day late."""
        on_time = _curriculum(datetime(2025, 8, 1, 20, 59, 59, tzinfo=UTC))
        assert_clean(check(date(2025, 9, 30), "curriculum.complete", curricula=[on_time]))
        late = _curriculum(datetime(2025, 8, 1, 21, 0, 1, tzinfo=UTC))
        finding = only(check(date(2025, 9, 30), "curriculum.complete", curricula=[late]))
        assert_late(finding, days=1)
        assert (finding.requirement, finding.clause, finding.due) == (
            "R5.4",
            "5.4",
            date(2025, 8, 1),
        )
        assert (finding.entity_kind, finding.person_id) == (EntityKind.CURRICULUM, "dh1")
        assert finding.role is ResponsibleRole.DEPUTY_HEAD

    def test_incomplete_is_pending_then_missing(self) -> None:
        """R5.4: an incomplete curriculum is not yet due in July and missing on 2 August."""
        forming = [_curriculum(None, responsible_id=None)]
        pending = only(check(date(2025, 8, 1), "curriculum.complete", curricula=forming))
        assert pending.status is FindingStatus.NOT_YET_DUE
        missing = only(
            check(
                date(2025, 8, 2),
                "curriculum.complete",
                curricula=forming,
                designations={"deputy_head": "dh2"},
            )
        )
        assert (missing.status, missing.person_id) == (FindingStatus.MISSING, "dh2")

    def test_checked_year_without_a_curriculum_is_missing(self) -> None:
        """R5.4: a store with last year's curriculum only misses the checked year's."""
        old = _curriculum(at(date(2024, 7, 20)), id="up-2024", year="2024/2025")
        finding = only(check(date(2025, 9, 30), "curriculum.complete", curricula=[old]))
        assert (finding.entity_id, finding.status) == (
            "curriculum:2025/2026",
            FindingStatus.MISSING,
        )

    def test_unchecked_without_any_curriculum(self) -> None:
        """R5.4: data with no curricula at all leaves the rule unchecked, not clean."""
        report = check(date(2025, 9, 30), "curriculum.complete")
        assert report.findings == ()
        assert [u.rule_id for u in report.unchecked] == ["curriculum.complete"]


class TestThematicPlanDeadline:
    def test_entered_on_the_due_day_vs_the_day_after(self) -> None:
        """R5.6, R5.7: entered on 15 August is on time, on the 16th late; the teacher answers."""
        assert_clean(
            check(
                date(2025, 9, 30),
                "curriculum.thematic_plans",
                thematic_plans=[_plan(at(date(2025, 8, 15), 23, 59, 59))],
            )
        )
        late = _plan(at(date(2025, 8, 16), 0, 0, 1))
        finding = only(check(date(2025, 9, 30), "curriculum.thematic_plans", thematic_plans=[late]))
        assert_late(finding, days=1)
        assert (finding.requirement, finding.due) == ("R5.6", date(2025, 8, 15))
        assert (finding.person_id, finding.class_id) == ("t1", "5a")
        assert finding.role is ResponsibleRole.SUBJECT_TEACHER

    def test_judged_in_the_schools_time_zone(self) -> None:
        """R5.6: 21:30 Moscow on 15 August is 01:30 on 16 August in Novosibirsk: late there."""
        moment = datetime(2025, 8, 15, 18, 30, tzinfo=UTC)
        plans = [_plan(moment)]
        assert_clean(check(date(2025, 9, 30), "curriculum.thematic_plans", thematic_plans=plans))
        novosibirsk = School(id="sch", name="Школа №1", time_zone="Asia/Novosibirsk")
        finding = only(
            check(
                date(2025, 9, 30),
                "curriculum.thematic_plans",
                thematic_plans=plans,
                school=novosibirsk,
            )
        )
        assert (finding.done, finding.late_days) == (date(2025, 8, 16), 1)

    def test_subject_without_a_plan_is_missing(self) -> None:
        """R5.6: a subject with curriculum hours and no plan is missing; its teacher answers."""
        curriculum = _curriculum(
            at(date(2025, 7, 20)),
            hours=[
                SubjectHours(class_id="5a", subject_id="math", component="mandatory", hours=5),
                SubjectHours(class_id="5a", subject_id="rus", component="mandatory", hours=5),
                SubjectHours(
                    class_id="5a", subject_id="eng", component="mandatory", hours=3, group_id="g1"
                ),
            ],
        )
        assignment = TeachingAssignment(
            id="a1", teacher_id="t2", year="2025/2026", subject_id="rus", class_id="5a"
        )
        plans = [
            _plan(at(date(2025, 8, 10))),
            _plan(at(date(2025, 8, 10)), id="p2", subject_id="eng"),
        ]
        finding = only(
            check(
                date(2025, 9, 30),
                "curriculum.thematic_plans",
                curricula=[curriculum],
                thematic_plans=plans,
                assignments=[assignment],
            )
        )
        assert (finding.entity_id, finding.status) == (
            "2025/2026:5a:rus",
            FindingStatus.MISSING,
        )
        assert (finding.person_id, finding.class_id) == ("t2", "5a")

    def test_plan_of_a_later_year_is_not_judged_early(self) -> None:
        """R5.6: next year's plan does not count before its preparation starts on 1 April."""
        plan = _plan(at(date(2026, 8, 20)), id="p-next", year="2026/2027")
        report = check(date(2026, 3, 31), "curriculum.thematic_plans", thematic_plans=[plan])
        assert_clean(report)


class TestTimetableDeadline:
    def test_complete_on_15_september_vs_16th(self) -> None:
        """R7.7a: a timetable completed on 15 September is on time, on the 16th late."""
        on_time = _timetable(at(date(2025, 9, 15), 23, 59))
        assert_clean(check(date(2025, 10, 1), "timetable.complete", timetables=[on_time]))
        late = _timetable(at(date(2025, 9, 16), 0, 1))
        finding = only(
            check(
                date(2025, 10, 1),
                "timetable.complete",
                timetables=[late],
                designations={"deputy_head": "dh1"},
            )
        )
        assert_late(finding, days=1, working=1)
        assert (finding.requirement, finding.entity_kind) == ("R7.7a", EntityKind.TIMETABLE)
        assert (finding.person_id, finding.role) == ("dh1", ResponsibleRole.DEPUTY_HEAD)

    def test_a_later_replacement_is_not_due_by_15_september(self) -> None:
        """R7.7a: the timetable the year starts with is judged; a January replacement is not."""
        first = _timetable(at(date(2025, 9, 10)))
        winter = _timetable(at(date(2026, 1, 9)), id="tt-winter", valid_from=date(2026, 1, 12))
        assert_clean(check(date(2026, 2, 1), "timetable.complete", timetables=[first, winter]))

    def test_incomplete_timetable_is_missing_after_the_date(self) -> None:
        """R7.7a: a timetable still not complete on 16 September is missing."""
        finding = only(
            check(date(2025, 9, 16), "timetable.complete", timetables=[_timetable(None)])
        )
        assert (finding.status, finding.due) == (FindingStatus.MISSING, date(2025, 9, 15))


class TestEventDeadlines:
    def test_school_event_14_days_before_vs_13(self) -> None:
        """R7.7b: a school event entered 14 days before is on time, 13 days before late by 1."""
        day = date(2025, 12, 20)
        on_time = _event("school", day, at(day - timedelta(days=14), 18))
        assert_clean(check(date(2025, 12, 31), "timetable.school_events", events=[on_time]))
        late = _event("school", day, at(day - timedelta(days=13), 8))
        finding = only(
            check(
                date(2025, 12, 31),
                "timetable.school_events",
                events=[late],
                designations={"deputy_head": "dh1"},
            )
        )
        assert_late(finding, days=1)
        assert (finding.due, finding.requirement) == (date(2025, 12, 6), "R7.7b")
        assert (finding.person_id, finding.role) == ("dh1", ResponsibleRole.DEPUTY_HEAD)

    def test_event_in_a_vacation_counts_from_the_vacation_start(self) -> None:
        """R7.7b: an event in the winter vacation is due 2 weeks before the vacation starts."""
        vacation = date(2025, 12, 29)
        event_day = date(2026, 1, 5)
        # 20 days before the event, but only 13 before the vacation
        entered = _event(
            "school", event_day, at(vacation - timedelta(days=13)), vacation_start=vacation
        )
        finding = only(check(date(2026, 1, 31), "timetable.school_events", events=[entered]))
        assert finding.due == vacation - timedelta(days=14)
        assert_late(finding, days=1)
        in_time = attrs.evolve(entered, entered_at=at(vacation - timedelta(days=14)))
        assert_clean(check(date(2026, 1, 31), "timetable.school_events", events=[in_time]))

    def test_class_event_7_days_before_vs_6(self) -> None:
        """R7.7e, R7.3: entered 7 days before is on time, 6 late; the class teacher answers."""
        day = date(2025, 10, 10)
        on_time = _event("class", day, at(day - timedelta(days=7), 23, 59, 59))
        assert_clean(check(date(2025, 10, 31), "timetable.class_events", events=[on_time]))
        late = _event("class", day, at(day - timedelta(days=6), 0, 0, 1))
        finding = only(check(date(2025, 10, 31), "timetable.class_events", events=[late]))
        assert_late(finding, days=1)
        assert (finding.due, finding.requirement) == (date(2025, 10, 3), "R7.7e")
        assert (finding.person_id, finding.class_id) == ("ct", "5a")
        assert finding.role is ResponsibleRole.CLASS_TEACHER

    def test_kinds_are_kept_apart_and_future_entries_unknown(self) -> None:
        """R7.7b, R7.7e: kinds have their own rule; an event entered after as_of is unknown."""
        day = date(2025, 10, 10)
        class_event = _event("class", day, at(day - timedelta(days=10)))
        report = check(
            date(2025, 10, 31),
            "timetable.school_events",
            "timetable.class_events",
            events=[class_event],
        )
        assert_clean(report)
        future = _event("class", day, at(day - timedelta(days=1)))
        assert_clean(check(day - timedelta(days=2), "timetable.class_events", events=[future]))

    @given(
        lead=st.integers(min_value=-5, max_value=40),
        hour=st.integers(min_value=0, max_value=23),
        zone=st.sampled_from(["Europe/Moscow", "Asia/Vladivostok", "Europe/Kaliningrad"]),
    )
    def test_late_exactly_when_the_lead_is_under_two_weeks(
        self, lead: int, hour: int, zone: str
    ) -> None:
        """R7.7b: a school event is late exactly when its lead time in school days is under 14."""
        day = date(2026, 3, 10)
        tz = ZoneInfo(zone)
        event = _event("school", day, at(day - timedelta(days=lead), hour, zone=tz))
        school = School(id="sch", name="Школа №1", time_zone=zone)
        report = check(date(2026, 4, 30), "timetable.school_events", events=[event], school=school)
        assert event.lead_days(tz) == lead
        late = [f.late_days for f in report.findings]
        assert late == ([14 - lead] if lead < 14 else [])


@pytest.fixture(scope="module")
def small_school() -> SyntheticSchool:
    """The synthetic small school (generated once for the module)."""
    return generate("small")


class TestSyntheticPlanning:
    def test_late_plans_equal_planted(self, small_school: SyntheticSchool) -> None:
        """R5.6: on the small school the late thematic plans found equal the planted ones."""
        report, _checker = synthetic_report(small_school, default_profile())
        planted = small_school.stats.thematic_plans_late
        assert planted > 0
        assert report.count("curriculum.thematic_plans", FindingStatus.LATE) == planted
        assert report.count("curriculum.thematic_plans") == planted
        assert report.count("curriculum.complete") == 0
        assert report.count("timetable.complete") == 0

    def test_store_gives_the_same_planning_findings(self, small_school: SyntheticSchool) -> None:
        """R5.4, R5.6, R7.7a: checking the store reads curricula, plans and timetables."""
        from eschool_core.storage import MemoryStore

        store = MemoryStore()
        write_to_store(small_school, store)
        year = academic_year_of(small_school)
        rules = [r for r in default_profile().deadlines.rules if r.id in _PLANNING_RULES]
        checker = ComplianceChecker(rules, year.production, year=year)
        as_of = date(2026, 8, 31)
        report = checker.check(store, as_of)
        assert report.count("curriculum.thematic_plans") == small_school.stats.thematic_plans_late
        assert sorted(report.rules_checked) == sorted(_PLANNING_RULES[:3])
        assert {u.rule_id for u in report.unchecked} == set(_PLANNING_RULES[3:])
        assert (
            report.to_json()
            == checker.check(ComplianceData.from_store(store, year=year), as_of).to_json()
        )
