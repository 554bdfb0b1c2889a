"""Storage ports (``typing.Protocol``) and the in-memory store.

A host application may satisfy these protocols with its own adapter, without inheriting
from anything, and check it with the conformance kit in :mod:`eschool_core.testing`.
"""

from eschool_core.storage._open import is_sqlite_store, open_store
from eschool_core.storage._protocols import (
    AcademicYearRepository,
    AssignmentRepository,
    AttendanceRepository,
    AttestationMarkRepository,
    AuditRepository,
    BellScheduleRepository,
    BulkLoadStore,
    ClassRepository,
    ConsentRepository,
    CurriculumRepository,
    EmployeeRepository,
    EventRepository,
    GroupRepository,
    GuardianLinkRepository,
    GuardianRepository,
    LessonRepository,
    MarkRepository,
    MembershipRepository,
    OrderRepository,
    PeriodClosureRepository,
    Repository,
<<<<<<< HEAD
    RolloverRepository,
=======
    RetakeAttemptRepository,
>>>>>>> duties
    RoomRepository,
    SchoolRepository,
    Store,
    StudentRepository,
    SubjectRepository,
    ThematicPlanRepository,
    TimetableRepository,
    UnitOfWork,
    loading_unit_of_work,
)
from eschool_core.storage.directory import UnitOfWorkDirectory
from eschool_core.storage.memory import MemoryStore, MemoryUnitOfWork

__all__ = [
    "AcademicYearRepository",
    "AssignmentRepository",
    "AttendanceRepository",
    "AttestationMarkRepository",
    "AuditRepository",
    "BellScheduleRepository",
    "BulkLoadStore",
    "ClassRepository",
    "ConsentRepository",
    "CurriculumRepository",
    "EmployeeRepository",
    "EventRepository",
    "GroupRepository",
    "GuardianLinkRepository",
    "GuardianRepository",
    "LessonRepository",
    "MarkRepository",
    "MembershipRepository",
    "MemoryStore",
    "MemoryUnitOfWork",
    "OrderRepository",
    "PeriodClosureRepository",
    "Repository",
<<<<<<< HEAD
    "RolloverRepository",
=======
    "RetakeAttemptRepository",
>>>>>>> duties
    "RoomRepository",
    "SchoolRepository",
    "Store",
    "StudentRepository",
    "SubjectRepository",
    "ThematicPlanRepository",
    "TimetableRepository",
    "UnitOfWork",
    "UnitOfWorkDirectory",
    "is_sqlite_store",
    "loading_unit_of_work",
    "open_store",
]
