"""Regulation profiles: a school's rules as TOML data, and the default profile.

The default profile (``default.toml`` in this package) encodes the regulation this library
follows; :func:`default_profile_text` gives its text for a school to copy and adapt.
"""

from eschool_core.profiles._profile import (
    CardRules,
    Profile,
    default_profile,
    default_profile_text,
    load_profile,
    parse_profile,
)
from eschool_core.profiles._wiring import ProfileRules, rules_for

__all__ = [
    "CardRules",
    "Profile",
    "ProfileRules",
    "default_profile",
    "default_profile_text",
    "load_profile",
    "parse_profile",
    "rules_for",
]
