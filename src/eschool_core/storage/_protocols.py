"""The storage ports: one repository per aggregate and the unit of work that owns them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from types import TracebackType
from typing import Protocol, Self, TypeVar, runtime_checkable

from eschool_core.curriculum import Curriculum, ThematicPlan
from eschool_core.ids import (
    AssignmentId,
    AttendanceId,
    AttestationMarkId,
    BellScheduleId,
    ClassId,
    ConsentId,
    CurriculumId,
    EmployeeId,
    EventId,
    GroupId,
    GuardianId,
    GuardianLinkId,
    LessonId,
    MarkId,
    MembershipId,
    OrderId,
    RoomId,
    SchoolId,
    StudentId,
    SubjectId,
    ThematicPlanId,
    TimetableId,
)
from eschool_core.journal import Attendance, AttestationMark, Lesson, Mark
from eschool_core.movement import Order, RetakeAttempt
from eschool_core.people import Consent, Employee, Guardian, GuardianLink, Student
from eschool_core.school import (
    ClassMembership,
    Group,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from eschool_core.timetable import BellSchedule, Room, SchoolEvent, Timetable

__all__ = [
    "AssignmentRepository",
    "AttendanceRepository",
    "AttestationMarkRepository",
    "BellScheduleRepository",
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
    "OrderRepository",
    "Repository",
    "RetakeAttemptRepository",
    "RoomRepository",
    "SchoolRepository",
    "Store",
    "StudentRepository",
    "SubjectRepository",
    "ThematicPlanRepository",
    "TimetableRepository",
    "UnitOfWork",
]

K_contra = TypeVar("K_contra", bound=str, contravariant=True)
E = TypeVar("E")


class Repository(Protocol[K_contra, E]):
    """Protocol: the stored entities of one aggregate, keyed by their ``id``.

    Every method is usable only inside an entered unit of work; changes become permanent
    with the unit of work's ``commit()``. Listing methods return entities in no particular
    order: sort them where order matters.
    """

    def add(self, entity: E) -> None:
        """Store a new entity.

        Raises:
            ConflictError: If an entity with the same id exists.
            ValidationError: If the entity refers to an entity that does not exist.
        """
        ...

    def add_many(self, entities: Iterable[E]) -> None:
        """Store new entities, all or none.

        Raises:
            ConflictError: If any id exists already or repeats in ``entities``.
            ValidationError: If any entity refers to an entity that does not exist.
        """
        ...

    def get(self, entity_id: K_contra) -> E:
        """Return the entity with ``entity_id``.

        Raises:
            NotFoundError: If there is none.
        """
        ...

    def find(self, entity_id: K_contra) -> E | None:
        """Return the entity with ``entity_id``, or ``None``."""
        ...

    def update(self, entity: E) -> None:
        """Replace the stored entity that has the same id.

        Raises:
            NotFoundError: If there is none.
            ValidationError: If the entity refers to an entity that does not exist.
        """
        ...

    def remove(self, entity_id: K_contra) -> None:
        """Delete the entity with ``entity_id``.

        Raises:
            NotFoundError: If there is none.
            ConflictError: If other stored entities still refer to it.
        """
        ...

    def all(self) -> Sequence[E]:
        """Return every stored entity."""
        ...

    def count(self) -> int:
        """Return how many entities are stored."""
        ...


class SchoolRepository(Repository[SchoolId, School], Protocol):
    """Protocol: schools (usually one per store)."""


class StudentRepository(Repository[StudentId, Student], Protocol):
    """Protocol: students' personal cards."""


class GuardianRepository(Repository[GuardianId, Guardian], Protocol):
    """Protocol: parents' and legal guardians' personal cards."""


class GuardianLinkRepository(Repository[GuardianLinkId, GuardianLink], Protocol):
    """Protocol: links of guardians to students."""

    def for_student(self, student_id: StudentId) -> Sequence[GuardianLink]:
        """Return the links of a student's guardians."""
        ...

    def for_guardian(self, guardian_id: GuardianId) -> Sequence[GuardianLink]:
        """Return the links of a guardian to his children."""
        ...


class EmployeeRepository(Repository[EmployeeId, Employee], Protocol):
    """Protocol: staff personal cards."""


class ConsentRepository(Repository[ConsentId, Consent], Protocol):
    """Protocol: consents to personal-data processing."""

    def for_subject(self, subject_id: str) -> Sequence[Consent]:
        """Return the consents whose data subject is ``subject_id``."""
        ...


class ClassRepository(Repository[ClassId, SchoolClass], Protocol):
    """Protocol: classes of all academic years."""

    def for_year(self, year: str) -> Sequence[SchoolClass]:
        """Return the classes of academic year ``year`` (``"2025/2026"``)."""
        ...


class MembershipRepository(Repository[MembershipId, ClassMembership], Protocol):
    """Protocol: students' memberships of classes."""

    def for_class(self, class_id: ClassId) -> Sequence[ClassMembership]:
        """Return the memberships of a class."""
        ...

    def for_student(self, student_id: StudentId) -> Sequence[ClassMembership]:
        """Return the memberships of a student."""
        ...


class SubjectRepository(Repository[SubjectId, Subject], Protocol):
    """Protocol: subjects."""


class GroupRepository(Repository[GroupId, Group], Protocol):
    """Protocol: subgroups and cross-class groups."""

    def for_year(self, year: str) -> Sequence[Group]:
        """Return the groups of academic year ``year``."""
        ...


class AssignmentRepository(Repository[AssignmentId, TeachingAssignment], Protocol):
    """Protocol: teaching assignments."""

    def for_teacher(self, teacher_id: EmployeeId) -> Sequence[TeachingAssignment]:
        """Return the assignments of a teacher."""
        ...


class LessonRepository(Repository[LessonId, Lesson], Protocol):
    """Protocol: lessons of the journal."""

    def for_class(self, class_id: ClassId) -> Sequence[Lesson]:
        """Return the lessons given to a class as a whole."""
        ...

    def for_group(self, group_id: GroupId) -> Sequence[Lesson]:
        """Return the lessons given to a group."""
        ...

    def between(self, start: date, end: date) -> Sequence[Lesson]:
        """Return the lessons dated ``start`` to ``end``, both included.

        They come ordered by date (those of one date in no particular order); a range with
        ``start`` after ``end`` is empty.
        """
        ...


class MarkRepository(Repository[MarkId, Mark], Protocol):
    """Protocol: current marks."""

    def for_student(self, student_id: StudentId) -> Sequence[Mark]:
        """Return a student's marks."""
        ...

    def for_lesson(self, lesson_id: LessonId) -> Sequence[Mark]:
        """Return the marks of a lesson."""
        ...

    def between(self, start: date, end: date) -> Sequence[Mark]:
        """Return the marks dated ``start`` to ``end`` (the lesson's day), both included.

        They come ordered by date (those of one date in no particular order); a range with
        ``start`` after ``end`` is empty. The SQL store answers from an index on the date.
        """
        ...


class AttendanceRepository(Repository[AttendanceId, Attendance], Protocol):
    """Protocol: absences and late arrivals."""

    def for_student(self, student_id: StudentId) -> Sequence[Attendance]:
        """Return a student's attendance records."""
        ...

    def for_lesson(self, lesson_id: LessonId) -> Sequence[Attendance]:
        """Return the attendance records of a lesson."""
        ...

    def between(self, start: date, end: date) -> Sequence[Attendance]:
        """Return the absences and late arrivals dated ``start`` to ``end``, both included.

        They come ordered by date (those of one date in no particular order); a range with
        ``start`` after ``end`` is empty. The SQL store answers from an index on the date.
        """
        ...


class AttestationMarkRepository(Repository[AttestationMarkId, AttestationMark], Protocol):
    """Protocol: period, annual, exam and final marks."""

    def for_student(self, student_id: StudentId) -> Sequence[AttestationMark]:
        """Return a student's attestation marks."""
        ...


class OrderRepository(Repository[OrderId, Order], Protocol):
    """Protocol: movement orders (R10.1), from which a host rebuilds the movement book."""

    def for_year(self, year: str) -> Sequence[Order]:
        """Return the orders of academic year ``year``."""
        ...

    def for_student(self, student_id: StudentId) -> Sequence[Order]:
        """Return the orders that name a student."""
        ...


class CurriculumRepository(Repository[CurriculumId, Curriculum], Protocol):
    """Protocol: curricula (R5.1), one or more per academic year."""

    def for_year(self, year: str) -> Sequence[Curriculum]:
        """Return the curricula of academic year ``year``."""
        ...


class ThematicPlanRepository(Repository[ThematicPlanId, ThematicPlan], Protocol):
    """Protocol: thematic plans (R5.5)."""

    def for_year(self, year: str) -> Sequence[ThematicPlan]:
        """Return the thematic plans of academic year ``year``."""
        ...

    def for_teacher(self, teacher_id: EmployeeId) -> Sequence[ThematicPlan]:
        """Return the plans a teacher is responsible for (R5.7)."""
        ...


class RoomRepository(Repository[RoomId, Room], Protocol):
    """Protocol: the list of rooms (R7.5)."""


class BellScheduleRepository(Repository[BellScheduleId, BellSchedule], Protocol):
    """Protocol: bell schedules and their variants (R7.5, R7.6)."""

    def for_year(self, year: str) -> Sequence[BellSchedule]:
        """Return the bell schedules of academic year ``year``."""
        ...


class TimetableRepository(Repository[TimetableId, Timetable], Protocol):
    """Protocol: lesson timetables (R7.1)."""

    def for_year(self, year: str) -> Sequence[Timetable]:
        """Return the timetables of academic year ``year``."""
        ...


class EventRepository(Repository[EventId, SchoolEvent], Protocol):
    """Protocol: school and class events (R7.1-R7.3)."""

    def for_year(self, year: str) -> Sequence[SchoolEvent]:
        """Return the events of academic year ``year``."""
        ...


class RetakeAttemptRepository(Repository[str, RetakeAttempt], Protocol):
    """Protocol: retake attempts of academic debts (273-FZ art. 58; R10.1c)."""

    def for_year(self, year: str) -> Sequence[RetakeAttempt]:
        """Return the attempts held in academic year ``year``."""
        ...


class UnitOfWork(Protocol):
    """Protocol: one transaction over all repositories.

    Use it as a context manager. ``commit()`` makes the changes so far permanent; leaving
    the block without committing, or with an exception, rolls every uncommitted change
    back, so a rejected operation leaves the store exactly as it was.
    """

    schools: SchoolRepository
    students: StudentRepository
    guardians: GuardianRepository
    guardian_links: GuardianLinkRepository
    employees: EmployeeRepository
    consents: ConsentRepository
    classes: ClassRepository
    memberships: MembershipRepository
    subjects: SubjectRepository
    groups: GroupRepository
    assignments: AssignmentRepository
    lessons: LessonRepository
    marks: MarkRepository
    attendance: AttendanceRepository
    attestation_marks: AttestationMarkRepository
    orders: OrderRepository
    curricula: CurriculumRepository
    thematic_plans: ThematicPlanRepository
    rooms: RoomRepository
    bell_schedules: BellScheduleRepository
    timetables: TimetableRepository
    events: EventRepository
    retake_attempts: RetakeAttemptRepository

    def __enter__(self) -> Self:
        """Begin the transaction."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed, and end the transaction."""
        ...

    def commit(self) -> None:
        """Make the changes so far permanent."""
        ...

    def rollback(self) -> None:
        """Undo the changes since the last commit."""
        ...


class Store(Protocol):
    """Protocol: a place where a school's data lives; it hands out units of work."""

    def unit_of_work(self) -> UnitOfWork:
        """Return a new, not yet entered, unit of work."""
        ...

    def close(self) -> None:
        """Release the store's resources (connections, files)."""
        ...


@runtime_checkable
class BulkLoadStore(Store, Protocol):
    """Protocol: a store with a unit of work made for loading much data at once.

    The bulk unit of work behaves like any other and keeps every integrity rule (a duplicate
    id or a dangling reference raises the same typed error, and a refused commit leaves the
    store as it was); it may check some rules at commit instead of at each write.
    """

    def bulk_load(self) -> UnitOfWork:
        """Return a new, not yet entered, unit of work for a bulk load."""
        ...


def loading_unit_of_work(store: Store) -> UnitOfWork:
    """Return ``store``'s bulk-load unit of work if it has one, else an ordinary one.

    Loaders of much data (the synthetic school, a bundle import) open their unit of work
    through this function.

    >>> from eschool_core.storage import MemoryStore
    >>> type(loading_unit_of_work(MemoryStore())).__name__
    'MemoryUnitOfWork'
    """
    if isinstance(store, BulkLoadStore):
        return store.bulk_load()
    return store.unit_of_work()
