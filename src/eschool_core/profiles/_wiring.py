"""One way from a school's profile and an academic year to every rule object that computes.

The deadline checker, the R8.6/R8.5.1 timeliness parameters the journal reports and the
analytics use, and the grading policy are all taken from the profile here, so that every
command judges a year by the same rules.
"""

from __future__ import annotations

import attrs

from eschool_core import _validation as v
from eschool_core.calendar import AcademicYear
from eschool_core.deadlines import AppliesTo, ComplianceChecker, DeadlineRule
from eschool_core.grading import GradingPolicy
from eschool_core.profiles._profile import Profile

__all__ = ["ProfileRules", "TimelinessParameters", "rules_for"]

_DEFAULT_EXTENSION_DAYS = 3
_DEFAULT_CORRECTION_DAYS = 2


@attrs.frozen(kw_only=True)
class TimelinessParameters:
    """The time limits for journal entries that reports and analytics judge (R8.6, R8.5.1).

    Attributes:
        extension_days: Calendar days after the lesson within which a current mark entered
            with a stated valid reason is on time (R8.6; the default profile: 3).
        correction_working_days: Working days after the document within which an absence
            reason is corrected (R8.5.1; the default profile: 2).
    """

    clause = "8.6"
    requirement = "R8.6"

    extension_days: int = attrs.field(
        default=_DEFAULT_EXTENSION_DAYS,
        validator=v.int_in_range(0, 366, "profile.extension_days"),
    )
    correction_working_days: int = attrs.field(
        default=_DEFAULT_CORRECTION_DAYS,
        validator=v.int_in_range(0, 366, "profile.correction_days"),
    )

    @classmethod
    def from_rules(cls, rules: tuple[DeadlineRule, ...]) -> TimelinessParameters:
        """Return the parameters the profile's rules on marks and absence reasons state.

        A profile without a rule on current marks (or one without an extension) keeps
        R8.6's 3 days; one without a rule on absence reasons keeps R8.5.1's 2 working days.
        """
        extension = _DEFAULT_EXTENSION_DAYS
        correction = _DEFAULT_CORRECTION_DAYS
        for rule in rules:
            if rule.applies_to is AppliesTo.MARK and rule.extension_days is not None:
                extension = rule.extension_days
            if rule.applies_to is AppliesTo.ABSENCE_REASON and rule.days is not None:
                correction = rule.days
        return cls(extension_days=extension, correction_working_days=correction)


@attrs.frozen(kw_only=True)
class ProfileRules:
    """The rule objects of one profile for one academic year (build it with :func:`rules_for`).

    Attributes:
        profile: The profile.
        year: The academic year (its study periods, vacations, production calendar).
        checker: The deadline checker with the profile's ``[deadlines]`` rules.
        timeliness: The R8.6/R8.5.1 limits of the profile's rules.
        grading: The profile's grading policy (weights, rounding).
    """

    profile: Profile
    year: AcademicYear
    checker: ComplianceChecker
    timeliness: TimelinessParameters
    grading: GradingPolicy


def rules_for(profile: Profile, year: AcademicYear) -> ProfileRules:
    """Return the checker, the timeliness parameters and the grading policy of a profile's year.

    Every command that computes (``eschool check``, ``report``, ``analyze``, ``demo``) gets
    its rules here.

    >>> from eschool_core.calendar import standard_year
    >>> from eschool_core.profiles import default_profile
    >>> profile = default_profile()
    >>> rules = rules_for(profile, standard_year("2025/2026", profile.calendar))
    >>> rules.timeliness.extension_days, rules.timeliness.correction_working_days
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
        timeliness=TimelinessParameters.from_rules(tuple(profile.deadlines.rules)),
        grading=profile.grading,
    )
