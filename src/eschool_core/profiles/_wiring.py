"""One way from a school's profile and an academic year to every rule object that computes.

The deadline checker, the R8.6/R8.5.1 entry deadlines the journal reports and the
analytics use, and the grading policy are all taken from the profile here, so that every
command judges a year by the same rules.
"""

from __future__ import annotations

import attrs

from eschool_core.calendar import AcademicYear
from eschool_core.deadlines import ComplianceChecker, EntryDeadlines
from eschool_core.grading import GradingPolicy
from eschool_core.profiles._profile import Profile

__all__ = ["ProfileRules", "rules_for"]


@attrs.frozen(kw_only=True)
class ProfileRules:
    """The rule objects of one profile for one academic year (build it with :func:`rules_for`).

    Attributes:
        profile: The profile.
        year: The academic year (its study periods, vacations, production calendar).
        checker: The deadline checker with the profile's ``[deadlines]`` rules.
        deadlines: The R8.6/R8.5.1 entry deadlines of the profile's rules.
        grading: The profile's grading policy (weights, rounding).
    """

    profile: Profile
    year: AcademicYear
    checker: ComplianceChecker
    deadlines: EntryDeadlines
    grading: GradingPolicy


def rules_for(profile: Profile, year: AcademicYear) -> ProfileRules:
    """Return the checker, the entry deadlines and the grading policy of a profile's year.

    Every command that computes (``eschool check``, ``report``, ``analyze``, ``demo``) gets
    its rules here.

    >>> from eschool_core.calendar import standard_year
    >>> from eschool_core.profiles import default_profile
    >>> profile = default_profile()
    >>> rules = rules_for(profile, standard_year("2025/2026", profile.calendar))
    >>> rules.deadlines.extension_days, rules.deadlines.reason_correction_working_days
    (3, 2)
    >>> rules.checker.year.label == rules.year.label
    True
    """
    checker = ComplianceChecker(
        profile.deadlines.rules, year.production, year=year, time_zone=profile.time_zone
    )
    return ProfileRules(
        profile=profile,
        year=year,
        checker=checker,
        deadlines=profile.deadlines.entry_deadlines,
        grading=profile.grading,
    )
