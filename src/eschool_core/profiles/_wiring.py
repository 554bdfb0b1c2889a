"""One way from a school's profile and an academic year to every rule object that computes.

The deadline checker, the edit policy the write service enforces, the R8.6/R8.5.1 entry
deadlines the journal reports and the analytics use, and the grading policy are all taken
from the profile here, in the school's one time zone, so that every command judges a year
by the same rules.
"""

from __future__ import annotations

import attrs

from eschool_core import _validation as v
from eschool_core.calendar import AcademicYear
from eschool_core.deadlines import ComplianceChecker, EditPolicy, EntryDeadlines
from eschool_core.grading import GradingPolicy
from eschool_core.profiles._profile import Profile
from eschool_core.school import School

__all__ = ["ProfileRules", "rules_for"]


@attrs.frozen(kw_only=True)
class ProfileRules:
    """The rule objects of one profile for one academic year (build it with :func:`rules_for`).

    The report view of a year is built from these rules too:
    ``ReportData.from_year_data(data, rules)`` (:mod:`eschool_core.reports`).

    Attributes:
        profile: The profile.
        year: The academic year (its study periods, vacations, production calendar).
        time_zone: The school's time zone, in which every rule below judges a day: the
            school's own, or the profile's for a store that holds no school yet.
        checker: The deadline checker with the profile's ``[deadlines]`` rules.
        edit_policy: The edit window and period lock (R8.6, R8.9) the write service
            enforces and the checker reports by.
        deadlines: The R8.6/R8.5.1 entry deadlines of the profile's rules.
        grading: The profile's grading policy (weights, rounding).
    """

    profile: Profile
    year: AcademicYear
    time_zone: str = attrs.field(validator=v.time_zone)
    checker: ComplianceChecker
    edit_policy: EditPolicy
    deadlines: EntryDeadlines
    grading: GradingPolicy


def rules_for(profile: Profile, year: AcademicYear, school: School | None = None) -> ProfileRules:
    """Return the checker, the edit policy, the entry deadlines and the grading policy of a year.

    Every caller that computes — the write service, ``eschool check``, ``report``,
    ``analyze``, ``average``, ``demo``, the reports and the analytics — gets its rules here.

    Args:
        profile: The school's profile.
        year: The academic year.
        school: The school whose time zone the rules judge in; ``None`` for a store that
            holds no school yet, which takes the profile's zone (a new school's default).

    Raises:
        ValidationError: ``deadlines.entry_rule_missing`` if the profile's rules lack the
            R8.6 or R8.5.1 rule (no number of the regulation has a default in code).

    >>> from eschool_core.calendar import standard_year
    >>> from eschool_core.profiles import default_profile
    >>> profile = default_profile()
    >>> year = standard_year("2025/2026", profile.calendar)
    >>> rules = rules_for(profile, year)
    >>> rules.deadlines.extension_days, rules.deadlines.reason_correction_working_days
    (3, 2)
    >>> rules.checker.year.label == rules.year.label
    True
    >>> far_east = profile.new_school(id="sch", name="Школа", time_zone="Asia/Vladivostok")
    >>> rules_for(profile, year, far_east).edit_policy.time_zone
    'Asia/Vladivostok'
    """
    time_zone = profile.time_zone if school is None else school.time_zone
    edit_policy = profile.deadlines.edit_policy_in(time_zone)
    checker = ComplianceChecker(
        profile.deadlines.rules,
        year.production,
        year=year,
        time_zone=time_zone,
        edit_policy=edit_policy,
    )
    return ProfileRules(
        profile=profile,
        year=year,
        time_zone=time_zone,
        checker=checker,
        edit_policy=edit_policy,
        deadlines=profile.deadlines.entry_deadlines,
        grading=profile.grading,
    )
