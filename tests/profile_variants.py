"""A school's own profile that differs from the default in the rules the bulk path computes."""

from __future__ import annotations

from eschool_core.profiles import Profile, default_profile_text, parse_profile

EXTENSION_DAYS = 5
"""The variant's R8.6 extension: calendar days a valid reason adds (the default's is 3)."""
CORRECTION_WORKING_DAYS = 1
"""The variant's R8.5.1 term for correcting an absence reason (the default's is 2)."""

_EDITS = (
    # R2.2j: one threshold of 0.65 for every mark instead of half up.
    (
        'requirement = "R2.2j"\nscheme = "half_up"',
        'requirement = "R2.2j"\nscheme = "fraction"\nfraction = 0.65',
    ),
    # Other work-type weights: homework counts half, a test three times, an answer 3/2.
    ('name_en = "Homework"\nweight = 1\n', 'name_en = "Homework"\nweight = "1/2"\n'),
    ('name_en = "Test"\nweight = 2\n', 'name_en = "Test"\nweight = 3\n'),
    ('name_en = "Answer in class"\nweight = 1\n', 'name_en = "Answer in class"\nweight = 1.5\n'),
    # R8.6: another extension for the marks' rule.
    (
        'applies_to = "mark"\nextension_days = 3',
        f'applies_to = "mark"\nextension_days = {EXTENSION_DAYS}',
    ),
    # R8.5.1: another term for correcting an absence reason.
    (
        'applies_to = "absence_reason"\ndays = 2',
        f'applies_to = "absence_reason"\ndays = {CORRECTION_WORKING_DAYS}',
    ),
)


def variant_profile_text() -> str:
    """Return the TOML text of :func:`variant_profile`."""
    text = default_profile_text()
    for old, new in _EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def variant_profile() -> Profile:
    """Return the default profile with 0.65 rounding, other weights and other entry deadlines."""
    return parse_profile(variant_profile_text())
