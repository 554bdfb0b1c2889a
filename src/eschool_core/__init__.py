"""eschool_core: the rules of a Russian school's electronic journal, as a typed library.

The most-used names are re-exported here; everything else lives in its module
(:mod:`eschool_core.people`, :mod:`eschool_core.journal`, :mod:`eschool_core.storage`, ...).
Importing the package loads only the errors: each other name loads its module when it is
first used, so a command or a host that needs the journal does not pay for the profiles,
the deadline rules or the stores.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from eschool_core.errors import (
    ConflictError,
    EschoolError,
    NotFoundError,
    PermissionDenied,
    ProfileError,
    RuleViolation,
    StorageError,
    ValidationError,
)

if TYPE_CHECKING:
    from eschool_core.journal import Attendance, AttestationMark, Lesson, Mark, MarkValue
    from eschool_core.people import Employee, Guardian, GuardianLink, Person, Student
    from eschool_core.profiles import Profile, default_profile, load_profile
    from eschool_core.school import School, SchoolClass, Subject
    from eschool_core.storage import MemoryStore

__version__ = "0.1.0"

__all__ = [
    "Attendance",
    "AttestationMark",
    "ConflictError",
    "Employee",
    "EschoolError",
    "Guardian",
    "GuardianLink",
    "Lesson",
    "Mark",
    "MarkValue",
    "MemoryStore",
    "NotFoundError",
    "PermissionDenied",
    "Person",
    "Profile",
    "ProfileError",
    "RuleViolation",
    "School",
    "SchoolClass",
    "StorageError",
    "Student",
    "Subject",
    "ValidationError",
    "__version__",
    "default_profile",
    "load_profile",
]

_LAZY = {
    **dict.fromkeys(
        ("Attendance", "AttestationMark", "Lesson", "Mark", "MarkValue"), "eschool_core.journal"
    ),
    **dict.fromkeys(
        ("Employee", "Guardian", "GuardianLink", "Person", "Student"), "eschool_core.people"
    ),
    **dict.fromkeys(("Profile", "default_profile", "load_profile"), "eschool_core.profiles"),
    **dict.fromkeys(("School", "SchoolClass", "Subject"), "eschool_core.school"),
    "MemoryStore": "eschool_core.storage",
}
"""The re-exported names loaded on first use, and their modules."""


def __getattr__(name: str) -> object:
    """Load a re-exported name's module on first use (PEP 562).

    Raises:
        AttributeError: For a name the package does not export.
    """
    module = _LAZY.get(name)
    if module is None:
        message = f"module 'eschool_core' has no attribute {name!r}"
        raise AttributeError(message)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The package's names, the ones not loaded yet included."""
    return sorted({*globals(), *_LAZY})
