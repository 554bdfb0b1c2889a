"""The profile's rules the tests judge by, taken from ``rules_for`` as every caller does."""

from __future__ import annotations

from eschool_core.deadlines import EntryDeadlines
from eschool_core.profiles import Profile, ProfileRules, default_profile, rules_for
from eschool_core.synth import SyntheticSchool

PROFILE = default_profile()
"""The default profile (the regulation)."""

DEADLINES: EntryDeadlines = PROFILE.deadlines.entry_deadlines
"""The regulation's entry deadlines (R8.6, R8.5.1), read from the default profile."""


def synthetic_rules(school: SyntheticSchool, profile: Profile | None = None) -> ProfileRules:
    """Return the profile's rules of a generated school's year, in the school's time zone."""
    return rules_for(profile or PROFILE, school.academic_year, school.school)
