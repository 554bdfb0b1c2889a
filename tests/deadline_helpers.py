"""Builders and assertions for the deadline tests: a tiny school and its entries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from eschool_core.calendar import (
    AcademicYear,
    ParallelSchedule,
    ProductionCalendar,
    StudyPeriod,
    YearLabel,
)
from eschool_core.deadlines import (
    ComplianceChecker,
    ComplianceData,
    ComplianceReport,
    Finding,
    FindingStatus,
    HostRecords,
)
from eschool_core.journal import Lesson, Mark
from eschool_core.profiles import default_profile
from eschool_core.school import ClassMembership, School, SchoolClass
from eschool_core.year_data import SchoolYearData

MSK = ZoneInfo("Europe/Moscow")
CAL = ProductionCalendar()
RULES = default_profile().deadlines.rules
SCHOOL = School(id="sch", name="Школа №1", time_zone="Europe/Moscow")
CLASS = SchoolClass(id="5a", year="2025/2026", parallel=5, letter="А", class_teacher_id="ct")
MEMBERSHIP = ClassMembership(id="ms1", student_id="s1", class_id="5a", since=date(2025, 9, 1))


def at(day: date, hh: int = 12, mm: int = 0, ss: int = 0, zone: ZoneInfo = MSK) -> datetime:
    """An aware moment on ``day`` in school time (Moscow unless told)."""
    return datetime.combine(day, time(hh, mm, ss), tzinfo=zone)


def half_year(h1_end: date = date(2025, 12, 31)) -> AcademicYear:
    """Grade 5 in half-years; by default the first ends on 31 December 2025, a day off."""
    return AcademicYear(
        label=YearLabel.parse("2025/2026"),
        first_day=date(2025, 9, 1),
        last_day=date(2026, 5, 26),
        parallels={
            5: ParallelSchedule(
                periods=[
                    StudyPeriod(code="H1", start=date(2025, 9, 1), end=h1_end),
                    StudyPeriod(code="H2", start=h1_end + timedelta(days=1), end=date(2026, 5, 26)),
                ]
            )
        },
    )


def lesson(day: date = date(2025, 9, 2), **fields: Any) -> Lesson:
    """A held lesson of 5А with its topic and homework entered at noon on the day."""
    base: dict[str, Any] = {
        "id": "l1",
        "date": day,
        "number": 1,
        "subject_id": "math",
        "teacher_id": "t1",
        "class_id": "5a",
        "topic": "Дроби",
        "homework": "§1",
        "topic_entered_at": at(day),
        "homework_entered_at": at(day),
    }
    base.update(fields)
    return Lesson(**base)


def mark(entered_at: datetime, day: date = date(2025, 9, 2), **fields: Any) -> Mark:
    """A mark of s1 in the lesson l1."""
    base: dict[str, Any] = {
        "id": "m1",
        "student_id": "s1",
        "subject_id": "math",
        "date": day,
        "value": 5,
        "work_type": "answer",
        "author_id": "t1",
        "entered_at": entered_at,
        "lesson_id": "l1",
    }
    base.update(fields)
    return Mark(**base)


_YEAR_FIELDS = frozenset(field.name for field in attrs.fields(SchoolYearData))


def compliance(year: AcademicYear | None = None, **fields: Any) -> ComplianceData:
    """Checker data of ``fields``: the year's entities into its ``SchoolYearData``, the rest
    into its ``HostRecords`` (``report_runs`` given here are the host's own runs)."""
    year_fields = {
        key: value for key, value in fields.items() if key in _YEAR_FIELDS - {"report_runs"}
    }
    host = {key: value for key, value in fields.items() if key not in year_fields}
    if "report_runs" in host:
        host["host_report_runs"] = host.pop("report_runs")
    return ComplianceData(
        year_data=SchoolYearData(year=year or half_year(), **year_fields),
        records=HostRecords(**host),
    )


def data(**fields: Any) -> ComplianceData:
    """The tiny school's data with the given entries."""
    base: dict[str, Any] = {"school": SCHOOL, "classes": [CLASS], "memberships": [MEMBERSHIP]}
    base.update(fields)
    return compliance(**base)


def check(
    as_of: date, *rule_ids: str, year: AcademicYear | None = None, **fields: Any
) -> ComplianceReport:
    """Run the default profile's rules (only ``rule_ids`` if given) over the tiny school."""
    rules = [r for r in RULES if not rule_ids or r.id in rule_ids]
    checker = ComplianceChecker(rules, CAL, year=year or half_year())
    return checker.check(data(**fields), as_of)


def only(report: ComplianceReport, rule_id: str | None = None) -> Finding:
    """The report's single finding (of one rule, if given)."""
    found = [f for f in report.findings if rule_id is None or f.rule_id == rule_id]
    assert len(found) == 1, [f.message.en for f in found]
    return found[0]


def assert_clean(report: ComplianceReport, rule_id: str | None = None) -> None:
    """Assert the report has no finding (of one rule, if given)."""
    found = [f.message.en for f in report.findings if rule_id is None or f.rule_id == rule_id]
    assert found == []


def assert_late(finding: Finding, *, days: int, working: int | None = None) -> None:
    """Assert a finding is a late entry, ``days`` calendar days late."""
    assert finding.status is FindingStatus.LATE, finding.message.en
    assert finding.late_days == days
    if working is not None:
        assert finding.late_working_days == working
