"""eschool_core: the rules of a Russian school's electronic journal, as a typed library.

The most-used names are re-exported here; everything else lives in its module
(:mod:`eschool_core.people`, :mod:`eschool_core.journal`, :mod:`eschool_core.storage`, ...).
"""

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
