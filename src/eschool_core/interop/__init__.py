"""Interoperability with other school systems: OneRoster 1.2 CSV rosters and results.

See :mod:`eschool_core.interop.oneroster` and ``docs/oneroster.md``.
"""

from eschool_core.interop.oneroster import (
    HOMEROOM_COURSE,
    ONEROSTER_VERSION,
    OneRosterError,
    check_oneroster,
    export_oneroster,
    import_oneroster,
)

__all__ = [
    "HOMEROOM_COURSE",
    "ONEROSTER_VERSION",
    "OneRosterError",
    "check_oneroster",
    "export_oneroster",
    "import_oneroster",
]
