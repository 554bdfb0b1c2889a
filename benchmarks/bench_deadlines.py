"""Benchmark: check the large synthetic school's whole year against every rule (target < 2 s)."""

from __future__ import annotations

from typing import Any

import pytest

from eschool_core.deadlines import ComplianceChecker, ComplianceData
from eschool_core.profiles import default_profile
from eschool_core.synth import academic_year_of, generate
from eschool_core.year_data import SchoolYearData


@pytest.fixture(scope="module")
def large_year() -> tuple[Any, ComplianceChecker, ComplianceData]:
    school = generate("large")
    year = academic_year_of(school)
    checker = ComplianceChecker(default_profile().deadlines.rules, year.production, year=year)
    data = ComplianceData(
        year_data=SchoolYearData(
            year=year,
            school=school.school,
            classes=school.classes,
            memberships=school.memberships,
            employees=school.employees,
            assignments=school.assignments,
            lessons=school.lessons,
            marks=school.marks,
            attendance=school.attendance,
            attestation_marks=school.attestation_marks,
            orders=school.orders,
        )
    )
    return school, checker, data


def test_check_large_year(
    benchmark: Any, large_year: tuple[Any, ComplianceChecker, ComplianceData]
) -> None:
    school, checker, data = large_year
    as_of = school.school_days[-1].replace(month=8, day=31)
    report = benchmark(checker.check, data, as_of)
    assert report.count("journal.marks") == school.stats.marks_late
