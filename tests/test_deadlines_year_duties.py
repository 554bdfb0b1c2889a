"""The year's preparation duties and the parents' printed summaries as rules (R4.2a-R4.4a, R6.7,
R8.12)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.deadlines import (
    CardReconciliation,
    FindingStatus,
    Milestone,
    PrintedSummary,
    ReportRun,
    ResponsibleRole,
    StaffDismissal,
    SummaryRequest,
)
from eschool_core.ids import StudentId
from eschool_core.movement import OrderKind
from eschool_core.people import Employee, Person
from eschool_core.school import SchoolClass
from tests.deadline_helpers import CLASS, assert_clean, at, check, only
from tests.movement_helpers import YEAR, book_with, simple

_NEXT = "2026/2027"


class TestFormationStart:
    def test_formation_starts_on_1_april(self) -> None:
        """R4.2a: formation of the new year started after 1 April is late."""
        late = Milestone(kind="formation_start", year=_NEXT, done_at=at(date(2026, 4, 3)))
        finding = only(check(date(2026, 5, 1), "formation.started", milestones=[late]))
        assert (finding.due, finding.late_days, finding.requirement) == (
            date(2026, 4, 1),
            2,
            "R4.2a",
        )
        on_time = Milestone(kind="formation_start", year=_NEXT, done_at=at(date(2026, 4, 1)))
        assert_clean(check(date(2026, 5, 1), "formation.started", milestones=[on_time]))

    def test_unchecked_names_the_host_record(self) -> None:
        """R4.2a: without milestones the rule is unchecked, naming the record a host passes."""
        report = check(date(2026, 5, 1), "formation.started")
        [unchecked] = report.unchecked
        assert "deadlines.Milestone" in unchecked.reason.en
        assert "formation_start" in unchecked.reason.en
        assert "milestones=" in unchecked.reason.ru


def _employee(status: str = "active", dismissed_on: date | None = None) -> Employee:
    return Employee(
        id="t7",
        person=Person(last_name="Петрова", first_name="Анна"),
        position="учитель",
        status=status,
        dismissed_on=dismissed_on,
    )


class TestDismissedStaff:
    def test_status_given_after_1_april_is_late(self) -> None:
        """R4.3: a dismissal in winter gets the status «уволен» by 1 April."""
        dismissal = StaffDismissal(
            employee_id="t7", dismissed_on=date(2026, 1, 20), entered_at=at(date(2026, 4, 2))
        )
        report = check(
            date(2026, 5, 1),
            "staff.dismissed",
            staff_dismissals=[dismissal],
            employees=[_employee("dismissed", date(2026, 1, 20))],
            designations={"hr_specialist": "hr1"},
        )
        finding = only(report)
        assert (finding.due, finding.status, finding.person_id) == (
            date(2026, 4, 1),
            FindingStatus.LATE,
            "hr1",
        )
        assert finding.role is ResponsibleRole.HR_SPECIALIST

    def test_a_card_still_active_is_missing(self) -> None:
        """R4.3: a stored card still active after the dismissal is a missing status."""
        dismissal = StaffDismissal(
            employee_id="t7", dismissed_on=date(2026, 1, 20), entered_at=at(date(2026, 1, 20))
        )
        report = check(
            date(2026, 4, 2),
            "staff.dismissed",
            staff_dismissals=[dismissal],
            employees=[_employee()],
        )
        assert only(report).status is FindingStatus.MISSING


class TestPreliminaryClassList:
    def test_from_1_april_the_next_year_needs_classes(self) -> None:
        """R4.4a: from 1 April a store without next year's classes gets a finding."""
        assert_clean(check(date(2026, 3, 31), "classes.preliminary_list"))
        finding = only(check(date(2026, 4, 1), "classes.preliminary_list"))
        assert (finding.entity_id, finding.due) == ("class_list:2026/2027", date(2026, 4, 1))

    def test_the_list_needs_a_first_grade(self) -> None:
        """R4.4a: a next-year list without a first grade misses the admissions' class."""
        sixth = SchoolClass(id="6a-next", year=_NEXT, parallel=6, letter="А")
        first = SchoolClass(id="1a-next", year=_NEXT, parallel=1, letter="А")
        report = check(date(2026, 4, 10), "classes.preliminary_list", classes=[CLASS, sixth])
        assert only(report).entity_id == "class_list:2026/2027:1"
        assert_clean(
            check(date(2026, 4, 10), "classes.preliminary_list", classes=[CLASS, sixth, first])
        )


class TestReconciliationPerCardKind:
    def test_staff_cards_are_the_hr_specialists(self) -> None:
        """R6.7: staff cards are reconciled by HR; a student-card reconciliation does not count."""
        students_only = CardReconciliation(done_at=at(date(2025, 10, 1)), category="student")
        report = check(
            date(2026, 1, 15),
            "cards.reconciliation_staff",
            reconciliations=[students_only],
            designations={"hr_specialist": "hr1"},
        )
        [finding] = [f for f in report.findings if f.status is FindingStatus.MISSING]
        assert (finding.person_id, finding.role) == ("hr1", ResponsibleRole.HR_SPECIALIST)
        assert finding.due == date(2025, 12, 31)

    def test_student_cards_are_each_class_teachers(self) -> None:
        """R6.7, R6.4: another class's reconciliation leaves this class's cards unreconciled."""
        other = SchoolClass(
            id="5b", year="2025/2026", parallel=5, letter="Б", class_teacher_id="ct2"
        )
        done = CardReconciliation(done_at=at(date(2025, 10, 1)), class_id="5b")
        report = check(
            date(2026, 1, 15),
            "cards.reconciliation",
            classes=[CLASS, other],
            reconciliations=[done],
        )
        [finding] = [f for f in report.findings if f.status is FindingStatus.MISSING]
        assert (finding.class_id, finding.person_id) == ("5a", "ct")
        assert finding.role is ResponsibleRole.CLASS_TEACHER


class TestTransitionMonitoring:
    def test_weekly_from_15_april(self) -> None:
        """R4.2b: the coordinator's report is due every week from 15 April."""
        code = "Состояние перехода на следующий учебный год"
        runs = [ReportRun(report_code=code, produced_at=at(date(2026, 4, 15)))]
        report = check(
            date(2026, 4, 28),
            "reports.transition_state",
            report_runs=runs,
            designations={"district_coordinator": "dc1"},
        )
        [finding] = [f for f in report.findings if f.status is FindingStatus.MISSING]
        assert (finding.due, finding.person_id) == (date(2026, 4, 26), "dc1")
        assert finding.role is ResponsibleRole.DISTRICT_COORDINATOR

    def test_the_weeks_end_when_formation_finishes(self) -> None:
        """R4.2b: once the next year's formation is finished no more weeks are due."""
        done = Milestone(kind="year_formation", year=_NEXT, done_at=at(date(2026, 4, 20)))
        code = "Состояние перехода на следующий учебный год"
        runs = [ReportRun(report_code=code, produced_at=at(date(2026, 4, 15)))]
        report = check(
            date(2026, 6, 30),
            "reports.transition_state",
            report_runs=runs,
            milestones=[done],
        )
        assert [f.due for f in report.findings] == [date(2026, 4, 26)]


class TestPrintedSummaries:
    _REQUEST = SummaryRequest(
        id="rq1", student_id="s1", guardian_id="g1", requested_on=date(2025, 10, 1)
    )

    def test_a_week_without_a_summary_is_missing(self) -> None:
        """R8.12: after a written request, every week without a printed summary is a finding."""
        summaries = [PrintedSummary(student_id="s1", issued_at=at(date(2025, 10, 6)))]
        report = check(
            date(2025, 10, 20),
            "journal.printed_summary",
            summary_requests=[self._REQUEST],
            printed_summaries=summaries,
        )
        [finding] = [f for f in report.findings if f.status is FindingStatus.MISSING]
        assert (finding.due, finding.person_id, finding.class_id) == (
            date(2025, 10, 19),
            "ct",
            "5a",
        )

    def test_unchecked_without_requests(self) -> None:
        """R8.12: without the host's request records the rule is unchecked, naming them."""
        [unchecked] = check(date(2025, 10, 20), "journal.printed_summary").unchecked
        assert "deadlines.SummaryRequest" in unchecked.reason.en

    @settings(max_examples=30, deadline=None)
    @given(
        request_day=st.integers(0, 200),
        issued=st.sets(st.integers(0, 260), max_size=30),
        as_of_day=st.integers(0, 265),
    )
    def test_missing_weeks_match_an_oracle(
        self, request_day: int, issued: set[int], as_of_day: int
    ) -> None:
        """R8.12: the weeks reported are those, from the week after the request, with no
        summary on any of their days (an independent count)."""
        start = date(2025, 9, 1)
        requested = start + timedelta(days=request_day)
        as_of = start + timedelta(days=as_of_day)
        request = SummaryRequest(id="rq", student_id="s1", guardian_id="g1", requested_on=requested)
        summaries = [
            PrintedSummary(student_id="s1", issued_at=at(start + timedelta(days=d))) for d in issued
        ]
        report = check(
            as_of,
            "journal.printed_summary",
            summary_requests=[request],
            printed_summaries=summaries,
        )
        found = {f.due for f in report.findings if f.status is not FindingStatus.LATE}
        days = {start + timedelta(days=d) for d in issued if start + timedelta(days=d) <= as_of}
        monday = requested + timedelta(days=7 - requested.weekday())
        expected = set()
        while monday <= min(as_of, date(2026, 5, 26)):
            sunday = monday + timedelta(days=6)
            if not any(monday <= d <= sunday for d in days):
                expected.add(sunday)
            monday += timedelta(days=7)
        late = {f.due for f in report.findings if f.status is FindingStatus.LATE}
        assert found | late == expected


class TestPreliminaryListFromTheBook:
    def test_before_decisions_the_list_projects_promotion_and_admissions(self) -> None:
        """R4.4a: the list as of 1 February moves the undecided up and adds the new first grade."""
        book = book_with(("s1", "5А"), ("s2", "11А"), ("s3", "5А"))
        assert book.next_year_classes(YEAR) == ()
        book.apply(simple(OrderKind.REPEAT, "s3"))
        planned = book.next_year_classes(
            YEAR, preliminary=True, admissions=[(StudentId("n1"), "а"), (StudentId("n2"), "Б")]
        )
        assert [(p.school_class.name, p.student_ids) for p in planned] == [
            ("1А", ("n1",)),
            ("1Б", ("n2",)),
            ("5А", ("s3",)),
            ("6А", ("s1",)),
        ]
        assert planned[0].source_class_ids == ()
