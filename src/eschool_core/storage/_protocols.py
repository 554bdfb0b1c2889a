"""The storage ports: one repository per aggregate and the unit of work that owns them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from types import TracebackType
from typing import Protocol, Self, TypeVar, runtime_checkable

from eschool_core.audit import AuditEntry, Checkpoint
from eschool_core.calendar import AcademicYear
from eschool_core.closures import PeriodClosure
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
from eschool_core.report_runs import ReportRun
from eschool_core.rollovers import RolloverRecord
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
    "AcademicYearRepository",
    "AssignmentRepository",
    "AttendanceRepository",
    "AttestationMarkRepository",
    "AuditRepository",
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
    "PeriodClosureRepository",
    "ReportRunRepository",
    "Repository",
    "RetakeAttemptRepository",
    "RolloverRepository",
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

    Versions (no lost updates, R3.1b, R12.5): the store keeps a version beside every stored
    entity, a whole number that is 1 when the entity is added and grows by one with each
    update. The unit of work remembers the version of every entity it read (``get``,
    ``find``, ``all``, the queries, :meth:`version_of`) — the first version read, until its
    own write — and :meth:`update` and :meth:`remove` write only if the stored version is
    still that one; otherwise they raise ``ConflictError`` ``storage.stale_version`` and
    write nothing, so a change made by someone else in between is never overwritten. An
    entity the unit of work never read is written unconditionally (a blind write). Across
    requests (a form shown to a user, sent back later), a host keeps :meth:`version_of` with
    what it showed and passes it back as ``expected_version``. Nothing is retried: on a
    conflict, leave the unit of work, read again in a new one and decide anew.
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

    def update(self, entity: E, *, expected_version: int | None = None) -> None:
        """Replace the stored entity that has the same id, and increase its version by one.

        Args:
            entity: The new state of the entity.
            expected_version: The version the change is based on (from :meth:`version_of`,
                possibly in an earlier unit of work); ``None``: the version this unit of
                work read, if it read the entity.

        Raises:
            NotFoundError: If there is none.
            ConflictError: ``storage.stale_version`` if the stored version is not the one
                expected or read (someone else changed the entity since).
            ValidationError: If the entity refers to an entity that does not exist.
        """
        ...

    def remove(self, entity_id: K_contra, *, expected_version: int | None = None) -> None:
        """Delete the entity with ``entity_id``.

        Args:
            entity_id: The entity's id.
            expected_version: As for :meth:`update`.

        Raises:
            NotFoundError: If there is none.
            ConflictError: If other stored entities still refer to it (``<kind>.referenced``),
                or ``storage.stale_version`` if the stored version is not the one expected
                or read.
        """
        ...

    def all(self) -> Sequence[E]:
        """Return every stored entity."""
        ...

    def count(self) -> int:
        """Return how many entities are stored."""
        ...

    def version_of(self, entity_id: K_contra) -> int:
        """Return the stored version of the entity with ``entity_id`` (1 when added).

        The unit of work remembers it as read, like ``get``.

        Raises:
            NotFoundError: If there is none.
        """
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

    def for_year(self, year: str) -> Sequence[TeachingAssignment]:
        """Return the assignments of academic year ``year`` (``"2025/2026"``)."""
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

    def for_students(
        self, student_ids: Iterable[StudentId], start: date, end: date
    ) -> Sequence[Mark]:
        """Return the current marks of the students dated ``start`` to ``end``, both included.

        They come ordered by date (those of one date in no particular order); a range with
        ``start`` after ``end`` is empty. The SQL store answers from its index on the
        student and the date.
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

    def for_students(
        self, student_ids: Iterable[StudentId], start: date, end: date
    ) -> Sequence[Attendance]:
        """Return the students' absences and late arrivals dated ``start`` to ``end`` (inclusive).

        They come ordered by date (those of one date in no particular order); a range with
        ``start`` after ``end`` is empty. The SQL store answers from its index on the
        student and the date.
        """
        ...


class AttestationMarkRepository(Repository[AttestationMarkId, AttestationMark], Protocol):
    """Protocol: period, annual, exam and final marks."""

    def for_student(self, student_id: StudentId) -> Sequence[AttestationMark]:
        """Return a student's attestation marks."""
        ...

    def for_year(self, year: str) -> Sequence[AttestationMark]:
        """Return the attestation marks of academic year ``year`` (``"2025/2026"``)."""
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


class AuditRepository(Protocol):
    """Protocol: the store's audit log (R3.1b, R12.5), an ``audit.AuditLogStore``.

    Entries are kept in position order and never changed or dropped, and so are the
    checkpoints (it is also an ``audit.CheckpointStore``). An append is part of the unit of
    work's transaction: it becomes permanent with ``commit()`` and disappears with a rollback,
    together with the change it records. Wrap it in :class:`~eschool_core.audit.AuditLog`
    (``AuditLog(uow.audit)``) to append chained entries and to verify the chain. A store may
    make appenders queue: the SQL store on PostgreSQL locks the log against other appenders
    from the first ``last()`` or ``append`` until the transaction ends.
    """

    def append(self, entry: AuditEntry) -> None:
        """Store ``entry`` after the last one.

        Raises:
            ConflictError: If ``entry.position`` does not follow the last stored entry
                (``audit.position_conflict``), e.g. when another unit of work appended first.
        """
        ...

    def read(self, start: int = 0, stop: int | None = None) -> Sequence[AuditEntry]:
        """Return the entries at positions ``start`` to ``stop`` (excluded; ``None``: all)."""
        ...

    def last(self) -> AuditEntry | None:
        """Return the last entry, or ``None`` for an empty log."""
        ...

    def count(self) -> int:
        """Return how many entries are stored."""
        ...

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Store ``checkpoint`` (in the transaction, like an append).

        Raises:
            ConflictError: If a checkpoint of the same length is stored
                (``audit.checkpoint_conflict``).
        """
        ...

    def checkpoints(self) -> Sequence[Checkpoint]:
        """Return the stored checkpoints, by length."""
        ...


class PeriodClosureRepository(Repository[str, PeriodClosure], Protocol):
    """Protocol: closings and reopenings of study periods (R8.9), the period lock's state."""

    def for_year(self, year: str) -> Sequence[PeriodClosure]:
        """Return the closures of academic year ``year``."""
        ...


class RolloverRepository(Repository[str, RolloverRecord], Protocol):
    """Protocol: applied rollovers to the next year (R4.4a), replayed with the orders."""

    def for_year(self, year: str) -> Sequence[RolloverRecord]:
        """Return the rollover of academic year ``year`` (none or one)."""
        ...


class AcademicYearRepository(Repository[str, AcademicYear], Protocol):
    """Protocol: the school's academic years (R4.4b), keyed by label (``"2025/2026"``).

    The year a store's data belong to is read from here, so that a check or a report of
    the store judges it by the school's own calendar; :meth:`AcademicYear.id
    <eschool_core.calendar.AcademicYear.id>` is the label.
    """


class RetakeAttemptRepository(Repository[str, RetakeAttempt], Protocol):
    """Protocol: retake attempts of academic debts (273-FZ art. 58; R10.1c)."""

    def for_year(self, year: str) -> Sequence[RetakeAttempt]:
        """Return the attempts held in academic year ``year``."""
        ...


class ReportRunRepository(Repository[str, ReportRun], Protocol):
    """Protocol: produced reports (R11.3, R11.4, R4.2b), the trace the report duties are judged by.

    The write service adds one for every report it produces
    (:meth:`~eschool_core.service.SchoolService.produce_report`).
    """

    def for_year(self, year: str) -> Sequence[ReportRun]:
        """Return the runs of academic year ``year`` (a run with no year is in none)."""
        ...


class UnitOfWork(Protocol):
    """Protocol: one transaction over all repositories.

    Its attributes are the one declaration of the repositories, one per aggregate of
    :data:`~eschool_core.storage.registry.REGISTRY` (each of its entry's ``repository``
    protocol) and the audit log; the library's units of work inherit them and set each from
    the registry.

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
    audit: AuditRepository
    period_closures: PeriodClosureRepository
    rollovers: RolloverRepository
    academic_years: AcademicYearRepository
    retake_attempts: RetakeAttemptRepository
    report_runs: ReportRunRepository

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
