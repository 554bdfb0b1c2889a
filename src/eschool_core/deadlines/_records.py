"""The data the checker reads: a school's year and the records a host keeps beside it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Protocol

import attrs

from eschool_core import _validation as v
from eschool_core.calendar import AcademicYear, MovedDay
from eschool_core.closures import PeriodClosure
from eschool_core.ids import EmployeeId
from eschool_core.people import CardCategory
from eschool_core.report_runs import ReportRun
from eschool_core.year_data import SchoolYearData

__all__ = [
    "AttestationExemption",
    "CardEntry",
    "CardReconciliation",
    "ComplianceData",
    "ExamSession",
    "HostRecords",
    "Milestone",
    "MilestoneKind",
    "MovedDayEntry",
    "PrintedSummary",
    "ReportRun",
    "StaffDismissal",
    "StoreLike",
    "SummaryRequest",
]


class StoreLike(Protocol):
    """Protocol: anything that hands out units of work (a :mod:`eschool_core.storage` store).

    Rule modules do not import storage; any object with ``unit_of_work()`` whose unit of work
    has the repositories of :class:`eschool_core.storage.UnitOfWork` will do.
    """

    def unit_of_work(self) -> Any:  # noqa: ANN401 - the storage UnitOfWork, not imported here
        """Return a new, not yet entered, unit of work."""
        ...


@attrs.frozen(kw_only=True)
class CardEntry:
    """A personal card of a newly admitted person, and when it was entered (R6.6).

    Attributes:
        category: Student, guardian or employee card.
        card_id: Id of the student, guardian or employee.
        admitted_on: Date of the admission order (enrollment or hiring).
        entered_at: When the card was entered; ``None`` while it is not.
        by: Who entered it.
    """

    category: CardCategory = attrs.field(converter=CardCategory)
    card_id: str = attrs.field(validator=v.non_empty_text)
    admitted_on: date = attrs.field(validator=v.plain_date)
    entered_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    by: EmployeeId | None = None


def _optional_category(value: str | None) -> CardCategory | None:
    return None if value is None else CardCategory(value)


@attrs.frozen(kw_only=True)
class CardReconciliation:
    """A reconciliation of the personal cards (R6.7).

    Attributes:
        done_at: When it was done (timezone-aware).
        by: Who did it.
        category: The kind of cards reconciled (``None``: every kind).
        class_id: The class whose student and guardian cards were reconciled (``None``:
            the whole school's).
    """

    done_at: datetime = attrs.field(validator=v.aware_datetime)
    by: EmployeeId | None = None
    category: CardCategory | None = attrs.field(default=None, converter=_optional_category)
    class_id: str | None = attrs.field(default=None, validator=v.optional_text)


@attrs.frozen(kw_only=True)
class StaffDismissal:
    """A dismissal from the staff register and when the card got the status (R4.3).

    Attributes:
        employee_id: The employee.
        dismissed_on: The day of dismissal (the order's).
        entered_at: When the card was given the status «уволен» (timezone-aware), if it was.
        by: Who entered it.
    """

    employee_id: EmployeeId = attrs.field(validator=v.non_empty_text)
    dismissed_on: date = attrs.field(validator=v.plain_date)
    entered_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    by: EmployeeId | None = None

    @property
    def id(self) -> str:
        """A stable id: ``"employee:t7"``."""
        return f"employee:{self.employee_id}"


@attrs.frozen(kw_only=True)
class SummaryRequest:
    """A parent's written request for a printed summary of results every week (R8.12).

    Attributes:
        id: Id of the request.
        student_id: The child.
        guardian_id: The parent (or legal guardian) who wrote it.
        requested_on: The day the request was received.
        withdrawn_on: The day the parent withdrew it, if he did.
    """

    id: str = attrs.field(validator=v.non_empty_text)
    student_id: str = attrs.field(validator=v.non_empty_text)
    guardian_id: str = attrs.field(validator=v.non_empty_text)
    requested_on: date = attrs.field(validator=v.plain_date)
    withdrawn_on: date | None = attrs.field(default=None, validator=v.optional_plain_date)


@attrs.frozen(kw_only=True)
class PrintedSummary:
    """A printed summary of a student's results handed to the parent (R8.12).

    Attributes:
        student_id: The student.
        issued_at: When it was printed and handed over (timezone-aware).
        by: Who handed it.
    """

    student_id: str = attrs.field(validator=v.non_empty_text)
    issued_at: datetime = attrs.field(validator=v.aware_datetime)
    by: EmployeeId | None = None


@attrs.frozen(kw_only=True)
class MovedDayEntry:
    """A moved school day and when it was entered into the timetable (R7.7c).

    Attributes:
        moved_day: The move.
        entered_at: When it was entered (timezone-aware).
        by: Who entered it.
    """

    moved_day: MovedDay
    entered_at: datetime = attrs.field(validator=v.aware_datetime)
    by: EmployeeId | None = None

    @property
    def id(self) -> str:
        """A stable id of the move: ``"2025-11-07>2025-11-15"``."""
        return f"{self.moved_day.source.isoformat()}>{self.moved_day.target.isoformat()}"


class MilestoneKind(StrEnum):
    """A once-a-year step of preparing a new academic year."""

    YEAR_FORMATION = "year_formation"
    """Formation of the new year finished (R4.2a)."""
    FORMATION_START = "formation_start"
    """Formation of the new year started (R4.2a: from 1 April)."""
    CALENDAR_SETUP = "calendar_setup"
    """Study periods, vacations and holidays of the new year set (R4.4b)."""


@attrs.frozen(kw_only=True)
class Milestone:
    """A host's record of a yearly step: which academic year, and when it was done.

    Attributes:
        kind: The step.
        year: The academic year being prepared, ``"2026/2027"``.
        done_at: When the step was done; ``None`` while it is not.
        by: Who did it.
    """

    kind: MilestoneKind = attrs.field(converter=MilestoneKind)
    year: str = attrs.field(validator=v.year_label)
    done_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    by: EmployeeId | None = None

    @property
    def id(self) -> str:
        """A stable id: ``"calendar_setup:2026/2027"``."""
        return f"{self.kind.value}:{self.year}"


@attrs.frozen(kw_only=True)
class ExamSession:
    """The last day of an exam, on which exam and final marks are due (R8.9).

    Attributes:
        subject_id: The subject examined.
        parallel: The grade (9 or 11).
        ends_on: The exam's last day.
        student_ids: The students who sit it (an exam chosen by some); empty: every student
            of the parallel.
    """

    subject_id: str = attrs.field(validator=v.non_empty_text)
    parallel: int = attrs.field(validator=v.int_in_range(1, 11, "exam.parallel"))
    ends_on: date = attrs.field(validator=v.plain_date)
    student_ids: frozenset[str] = attrs.field(factory=frozenset, converter=v.to_frozenset)


@attrs.frozen(kw_only=True)
class AttestationExemption:
    """A student who owes no attestation marks in a subject for a year (R8.9).

    For a subject the student does not study (an individual curriculum, an exemption by an
    order of the head); a subject he studies but is exempt from in class is marked «осв»,
    which is a mark and needs no exemption record.

    Attributes:
        student_id: The student.
        subject_id: The subject.
        year: The academic year, ``"2025/2026"``.
    """

    student_id: str = attrs.field(validator=v.non_empty_text)
    subject_id: str = attrs.field(validator=v.non_empty_text)
    year: str = attrs.field(validator=v.year_label)


def _designations(value: Mapping[str, EmployeeId]) -> Mapping[str, EmployeeId]:
    return MappingProxyType(dict(value))


def _optional_tuple(value: object) -> tuple[object, ...] | None:
    return None if value is None else v.to_tuple(value)


@attrs.frozen(kw_only=True)
class HostRecords:
    """The records a host keeps beside the journal, which the checker reads with a school's year.

    A store holds a school's year (:class:`~eschool_core.year_data.SchoolYearData`); these
    records it does not hold, so the host supplies them. A record kind is ``None`` when the
    host does not keep it: the rules that need it are then listed as unchecked in the
    report, not reported as missing.

    Attributes:
        host_report_runs: Produced reports the host records itself, in place of the
            store's runs (``SchoolYearData.report_runs``, which the write service fills);
            ``None``: the store's.
        card_entries: Cards of admitted persons, or ``None`` (R6.6).
        reconciliations: Card reconciliations, or ``None`` (R6.7).
        moved_days: Moved school days with their entry moments, or ``None`` (R7.7c).
        milestones: Yearly preparation steps, or ``None`` (R4.2a, R4.4b).
        exam_sessions: Last days of exams (R8.9).
        designations: The employee designated for each role (R12.3), by role code.
        exemptions: Subjects students owe no attestation marks in (R8.9).
        staff_dismissals: Dismissals from the staff register, or ``None`` (R4.3).
        summary_requests: Parents' written requests for weekly printed summaries, or
            ``None`` (R8.12).
        printed_summaries: Printed summaries handed to parents (R8.12).

    >>> HostRecords().card_entries is None, HostRecords(card_entries=[]).card_entries
    (True, ())
    """

    host_report_runs: tuple[ReportRun, ...] | None = attrs.field(
        default=None, converter=_optional_tuple
    )
    card_entries: tuple[CardEntry, ...] | None = attrs.field(
        default=None, converter=_optional_tuple
    )
    reconciliations: tuple[CardReconciliation, ...] | None = attrs.field(
        default=None, converter=_optional_tuple
    )
    moved_days: tuple[MovedDayEntry, ...] | None = attrs.field(
        default=None, converter=_optional_tuple
    )
    milestones: tuple[Milestone, ...] | None = attrs.field(default=None, converter=_optional_tuple)
    exam_sessions: tuple[ExamSession, ...] = attrs.field(default=(), converter=v.to_tuple)
    designations: Mapping[str, EmployeeId] = attrs.field(factory=dict, converter=_designations)
    exemptions: tuple[AttestationExemption, ...] = attrs.field(default=(), converter=v.to_tuple)
    staff_dismissals: tuple[StaffDismissal, ...] | None = attrs.field(
        default=None, converter=_optional_tuple
    )
    summary_requests: tuple[SummaryRequest, ...] | None = attrs.field(
        default=None, converter=_optional_tuple
    )
    printed_summaries: tuple[PrintedSummary, ...] = attrs.field(default=(), converter=v.to_tuple)


@attrs.frozen(kw_only=True)
class ComplianceData:
    """Everything the checker reads: one school year's data and the host's records beside it.

    The year is the one snapshot every reader works from
    (:class:`~eschool_core.year_data.SchoolYearData`: read from a store, a bundle or the
    synthetic school, or built by hand); the host adds what a store does not hold
    (:class:`HostRecords`). Nothing of either is copied: the checker reads them where they
    are (``data.year_data.marks``, ``data.records.card_entries``).

    Attributes:
        year_data: The school's year (its school's time zone judges "the day of the
            lesson"; a year without consents leaves the consent rules unchecked).
        records: The host's records (none by default).

    Raises:
        TypeError: If ``year_data`` is not a ``SchoolYearData`` or ``records`` not
            ``HostRecords``.

    >>> from eschool_core.calendar import standard_year
    >>> from eschool_core.profiles import default_profile
    >>> year = standard_year("2025/2026", default_profile().calendar)
    >>> data = ComplianceData(year_data=SchoolYearData(year=year))
    >>> data.report_runs is None, data.records.card_entries is None
    (True, True)
    """

    year_data: SchoolYearData = attrs.field(validator=attrs.validators.instance_of(SchoolYearData))
    records: HostRecords = attrs.field(
        factory=HostRecords, validator=attrs.validators.instance_of(HostRecords)
    )

    @property
    def report_runs(self) -> tuple[ReportRun, ...] | None:
        """The produced reports the report duties are judged by (R11.3, R11.4, R4.2b).

        The host's own (``records.host_report_runs``) when it keeps them, else the year's
        stored runs; ``None`` for a year without a single run, whose report duties are then
        unchecked, not violated.
        """
        if self.records.host_report_runs is not None:
            return self.records.host_report_runs
        return self.year_data.report_runs or None

    @property
    def period_closures(self) -> tuple[PeriodClosure, ...] | None:
        """The year's closings and reopenings of study periods (R8.9).

        ``None`` for a year without a single closure record: a study period then counts as
        closed once it has ended.
        """
        return self.year_data.period_closures or None

    @classmethod
    def from_store(
        cls,
        store: StoreLike,
        *,
        year: AcademicYear,
        school_id: str | None = None,
        records: HostRecords | None = None,
    ) -> ComplianceData:
        """Read one school year of a store and add the host's records.

        The year is read as one :class:`~eschool_core.year_data.SchoolYearData`
        (:meth:`SchoolYearData.read <eschool_core.year_data.SchoolYearData.read>`: queries
        scoped to the year, never a scan of the store's other years), the school chosen as
        every reader chooses it (:func:`~eschool_core.year_data.choose_school`).

        Args:
            store: Any store.
            year: The academic year to read.
            school_id: The school, required if the store holds several.
            records: The host's records (none by default).

        Returns:
            The data, read in one unit of work.

        Raises:
            ValidationError: ``store.school_required`` for several schools and no
                ``school_id``.
            NotFoundError: ``school.not_found`` for a ``school_id`` the store lacks.
        """
        with store.unit_of_work() as uow:
            data = SchoolYearData.read(uow, year, school_id=school_id)
        return cls.from_year_data(data, records)

    @classmethod
    def from_year_data(
        cls, data: SchoolYearData, records: HostRecords | None = None
    ) -> ComplianceData:
        """Return the checker's data of one school year, with the host's records added.

        >>> from eschool_core.calendar import standard_year
        >>> from eschool_core.profiles import default_profile
        >>> year = standard_year("2025/2026", default_profile().calendar)
        >>> ComplianceData.from_year_data(SchoolYearData(year=year)).report_runs is None
        True
        """
        return cls(year_data=data, records=records or HostRecords())
