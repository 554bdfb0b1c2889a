"""Scenario tests of every deadline rule of the default profile, at the edges."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from eschool_core.calendar import MovedDay
from eschool_core.deadlines import (
    SCHEMA_VERSION,
    CardEntry,
    CardReconciliation,
    ComplianceChecker,
    ComplianceData,
    ComplianceReport,
    DeadlineRule,
    EntityKind,
    ExamSession,
    FindingStatus,
    Milestone,
    MovedDayEntry,
    ReportRun,
    ResponsibleRole,
    Severity,
)
from eschool_core.errors import ValidationError
from eschool_core.journal import (
    AbsenceReason,
    Attendance,
    AttestationMark,
    LessonState,
    MarkEdit,
)
from eschool_core.movement import Order, OrderItem
from eschool_core.problems import PROBLEM_KEYS
from eschool_core.school import School, SchoolClass
from tests.deadline_helpers import (
    CAL,
    CLASS,
    assert_clean,
    assert_late,
    at,
    check,
    half_year,
    lesson,
    mark,
    only,
)

TUESDAY = date(2025, 9, 2)


class TestMarksSameDay:
    def test_last_second_of_lesson_day_is_on_time(self) -> None:
        """R8.6: a mark entered at 23:59:59 school time on the lesson day is on time."""
        report = check(date(2025, 9, 30), "journal.marks", marks=[mark(at(TUESDAY, 23, 59, 59))])
        assert_clean(report)

    def test_first_second_of_next_day_is_late(self) -> None:
        """R8.6: a mark entered at 00:00:01 the next day is late by one day."""
        report = check(
            date(2025, 9, 30), "journal.marks", marks=[mark(at(date(2025, 9, 3), 0, 0, 1))]
        )
        finding = only(report)
        assert_late(finding, days=1, working=1)
        assert (finding.due, finding.done) == (TUESDAY, date(2025, 9, 3))
        assert (finding.clause, finding.requirement) == ("8.6", "R8.6")
        assert finding.role is ResponsibleRole.SUBJECT_TEACHER
        assert (finding.person_id, finding.class_id) == ("t1", "5a")
        assert finding.severity is Severity.ERROR
        assert finding.since == date(2025, 9, 3)

    def test_moment_is_judged_in_school_time(self) -> None:
        """R8.6: 20:59 UTC is 23:59 in Moscow (on time); 21:01 UTC is 00:01 (late)."""
        on_time = mark(datetime(2025, 9, 2, 20, 59, tzinfo=UTC))
        late = mark(datetime(2025, 9, 2, 21, 1, tzinfo=UTC), id="m2")
        report = check(date(2025, 9, 30), "journal.marks", marks=[on_time, late])
        assert only(report).entity_id == "m2"

    def test_school_time_zone_comes_from_the_school(self) -> None:
        """R8.6: a school in Vladivostok judges 23:30 Moscow time as the next day."""
        far_east = School(id="sch", name="Школа", time_zone="Asia/Vladivostok")
        report = check(
            date(2025, 9, 30),
            "journal.marks",
            school=far_east,
            marks=[mark(at(TUESDAY, 23, 30))],
        )
        assert_late(only(report), days=1)

    def test_valid_reason_extends_to_third_calendar_day(self) -> None:
        """R8.6: with a valid reason, the end of the 3rd calendar day is on time, then late."""
        reason = {"late_reason": "болезнь учителя"}
        edge = mark(at(date(2025, 9, 5), 23, 59, 59), **reason)
        after = mark(at(date(2025, 9, 6), 0, 0, 1), id="m2", **reason)
        finding = only(check(date(2025, 9, 30), "journal.marks", marks=[edge, after]))
        assert finding.entity_id == "m2"
        assert finding.due == date(2025, 9, 5)
        assert_late(finding, days=1, working=0)  # Saturday 6 September is not a working day

    def test_saturday_lesson_of_six_day_week_counts(self) -> None:
        """R8.6: a Saturday lesson is due on that Saturday; Sunday's entry is late."""
        saturday = date(2025, 9, 6)
        on_time = mark(at(saturday, 23, 59), day=saturday, lesson_id=None)
        late = mark(at(date(2025, 9, 7), 9), day=saturday, lesson_id=None, id="m2")
        finding = only(check(date(2025, 9, 30), "journal.marks", marks=[on_time, late]))
        assert (finding.entity_id, finding.due) == ("m2", saturday)
        assert finding.class_id == "5a"  # from the student's membership

    def test_substitute_answers_for_the_lesson(self) -> None:
        """R8.6, R7.7d: the marks of a substituted lesson are the substitute's."""
        substituted = lesson(substitute_id="t2", substitute_entered_at=at(TUESDAY, 7))
        report = check(
            date(2025, 9, 30),
            "journal.marks",
            lessons=[substituted],
            marks=[mark(at(date(2025, 9, 4)))],
        )
        assert only(report).person_id == "t2"

    def test_entry_after_as_of_does_not_exist_yet(self) -> None:
        """R8.6: the check sees the journal as it stood on as_of."""
        report = check(TUESDAY, "journal.marks", marks=[mark(at(date(2025, 9, 3)))])
        assert_clean(report)


class TestLessonEntries:
    def test_topic_missing_once_due(self) -> None:
        """R8.6: a held lesson without a topic is missing after its day."""
        bare = lesson(topic=None, topic_entered_at=None)
        finding = only(check(date(2025, 9, 4), "journal.topics", lessons=[bare]))
        assert finding.status is FindingStatus.MISSING
        assert (finding.entity_kind, finding.entity_id) == (EntityKind.LESSON, "l1")
        assert (finding.late_days, finding.late_working_days) == (2, 2)

    def test_topic_not_yet_due_on_lesson_day(self) -> None:
        """R8.6: on the lesson day a missing topic is only informational."""
        bare = lesson(topic=None, topic_entered_at=None)
        report = check(TUESDAY, "journal.topics", lessons=[bare])
        finding = only(report)
        assert finding.status is FindingStatus.NOT_YET_DUE
        assert finding.severity is Severity.INFO
        assert not report.has_errors
        assert report.violations == ()

    def test_homework_late_with_reason_extension(self) -> None:
        """R8.6: the lesson's stated reason extends homework to 3 calendar days."""
        ok = lesson(homework_entered_at=at(date(2025, 9, 5), 20), late_reason="болезнь")
        late = lesson(id="l2", homework_entered_at=at(date(2025, 9, 3), 8))
        finding = only(check(date(2025, 9, 30), "journal.homework", lessons=[ok, late]))
        assert finding.entity_id == "l2"
        assert finding.severity is Severity.WARNING

    def test_cancelled_lesson_needs_no_entries(self) -> None:
        """R8.6: a cancelled lesson has no topic or homework duty."""
        cancelled = lesson(
            topic=None,
            homework=None,
            topic_entered_at=None,
            homework_entered_at=None,
            state=LessonState.CANCELLED,
            cancelled_at=at(TUESDAY, 7),
        )
        report = check(
            date(2025, 9, 30),
            "journal.topics",
            "journal.homework",
            "timetable.cancellation",
            lessons=[cancelled],
        )
        assert_clean(report)

    def test_attendance_late(self) -> None:
        """R8.6: an absence entered the next day is late; the lesson's teacher answers."""
        record = Attendance(
            id="a1",
            student_id="s1",
            lesson_id="l1",
            date=TUESDAY,
            kind="absent",
            reason=AbsenceReason.UNKNOWN,
            entered_by="t1",
            entered_at=at(date(2025, 9, 3), 9),
        )
        report = check(
            date(2025, 9, 30), "journal.attendance", lessons=[lesson()], attendance=[record]
        )
        finding = only(report)
        assert finding.entity_kind is EntityKind.ATTENDANCE
        assert_late(finding, days=1)


class TestAbsenceReasons:
    @staticmethod
    def _absence(corrected: datetime | None) -> Attendance:
        return Attendance(
            id="a1",
            student_id="s1",
            lesson_id="l1",
            date=TUESDAY,
            kind="absent",
            reason=AbsenceReason.ILLNESS if corrected else AbsenceReason.UNKNOWN,
            entered_by="t1",
            entered_at=at(TUESDAY, 9),
            document_presented_on=date(2025, 9, 5),  # a Friday
            reason_corrected_at=corrected,
        )

    def test_second_working_day_is_on_time(self) -> None:
        """R8.5.1: a document on Friday: the reason is corrected by Tuesday."""
        report = check(
            date(2025, 9, 30),
            "journal.absence_reasons",
            lessons=[lesson()],
            attendance=[self._absence(at(date(2025, 9, 9), 18))],
        )
        assert_clean(report)

    def test_third_working_day_is_late_and_routed_to_class_teacher(self) -> None:
        """R8.5.1: Wednesday is late; the class teacher of the class answers."""
        report = check(
            date(2025, 9, 30),
            "journal.absence_reasons",
            lessons=[lesson()],
            attendance=[self._absence(at(date(2025, 9, 10), 9))],
        )
        finding = only(report)
        assert_late(finding, days=1, working=1)
        assert (finding.person_id, finding.role) == ("ct", ResponsibleRole.CLASS_TEACHER)

    def test_uncorrected_reason_is_missing(self) -> None:
        """R8.5.1: a document presented and no correction is missing once due."""
        report = check(
            date(2025, 9, 12),
            "journal.absence_reasons",
            lessons=[lesson()],
            attendance=[self._absence(None)],
        )
        assert only(report).status is FindingStatus.MISSING


class TestAttestationMarks:
    @staticmethod
    def _period_mark(entered_at: datetime, **fields: object) -> AttestationMark:
        base: dict[str, object] = {
            "id": "am1",
            "student_id": "s1",
            "subject_id": "math",
            "year": "2025/2026",
            "kind": "period",
            "period": "H1",
            "value": 4,
            "author_id": "t1",
            "entered_at": entered_at,
        }
        base.update(fields)
        return AttestationMark(**base)

    def test_period_ending_on_a_holiday(self) -> None:
        """R8.9: a half-year ending on 31 December (a day off) is due that day."""
        on_time = self._period_mark(at(date(2025, 12, 31), 22))
        late = self._period_mark(at(date(2026, 1, 1), 10), id="am2")
        finding = only(
            check(date(2026, 2, 1), "journal.attestation", attestation_marks=[on_time, late])
        )
        assert finding.entity_id == "am2"
        assert finding.due == date(2025, 12, 31)
        assert_late(finding, days=1, working=0)  # 1 January is a holiday

    def test_annual_mark_due_on_last_period_end(self) -> None:
        """R8.9: an annual mark is due on the day the last period ends."""
        annual = self._period_mark(at(date(2026, 5, 27)), kind="annual", period=None)
        finding = only(check(date(2026, 6, 30), "journal.attestation", attestation_marks=[annual]))
        assert finding.due == date(2026, 5, 26)

    def test_exam_mark_due_on_exam_day(self) -> None:
        """R8.9: exam and final marks are due on the day the exam ends."""
        exam = self._period_mark(at(date(2026, 6, 10)), kind="exam", period=None)
        final = self._period_mark(at(date(2026, 6, 11)), kind="final", period=None, id="am2")
        report = check(
            date(2026, 6, 30),
            "journal.attestation",
            attestation_marks=[exam, final],
            exam_sessions=[ExamSession(subject_id="math", parallel=5, ends_on=date(2026, 6, 10))],
        )
        assert only(report).entity_id == "am2"

    def test_without_a_year_the_rule_is_unchecked(self) -> None:
        """R8.9: with no academic year the rule is reported as unchecked, not passed."""
        checker = ComplianceChecker([r for r in _rules() if r.id == "journal.attestation"], CAL)
        report = checker.check(
            _data(attestation_marks=[self._period_mark(at(date(2026, 1, 5)))]), date(2026, 2, 1)
        )
        assert [u.rule_id for u in report.unchecked] == ["journal.attestation"]


def _rules() -> tuple[DeadlineRule, ...]:
    from tests.deadline_helpers import RULES

    return RULES


def _data(**fields: object) -> ComplianceData:
    from tests.deadline_helpers import data

    return data(**fields)


def _order(kind: str, issued: date, entered: datetime, **item: object) -> Order:
    return Order(
        id="o1",
        number="1",
        kind=kind,
        issued_on=issued,
        entered_at=entered,
        author_id="sec",
        year="2025/2026" if issued < date(2026, 8, 1) else "2026/2027",
        items=[OrderItem(student_id="s1", **item)],
    )


class TestOrders:
    @pytest.mark.parametrize(
        ("friday", "due"),
        [(date(2025, 5, 2), date(2025, 5, 7)), (date(2025, 12, 26), date(2026, 1, 12))],
        ids=["may-holidays", "new-year"],
    )
    def test_enrollment_third_working_day(self, friday: date, due: date) -> None:
        """R10.1a: a Friday's order entered on the 3rd working day is on time, next day late."""
        assert friday.weekday() == 4
        on_time = _order("enrollment", friday, at(due, 17), class_id="5a")
        assert_clean(check(date(2026, 2, 1), "orders.enrollment", orders=[on_time]))
        after = due.fromordinal(due.toordinal() + 1)
        late = _order("enrollment", friday, at(after, 9), class_id="5a")
        finding = only(check(date(2026, 2, 1), "orders.enrollment", orders=[late]))
        assert finding.due == due
        assert_late(finding, days=1)
        assert (finding.clause, finding.requirement, finding.person_id) == (
            "10.1a",
            "R10.1a",
            "sec",
        )
        assert finding.role is ResponsibleRole.SECRETARY

    def test_withdrawal_and_transfer_within_three_working_days(self) -> None:
        """R10.1b, R10.1e: withdrawal and transfer orders follow the same 3-day rule."""
        withdrawal = _order("withdrawal", date(2025, 10, 6), at(date(2025, 10, 10)))
        transfer = _order("transfer", date(2025, 10, 6), at(date(2025, 10, 9)), class_id="5a")
        report = check(
            date(2025, 12, 1), "orders.withdrawal", "orders.transfer", orders=[withdrawal]
        )
        assert only(report).requirement == "R10.1b"
        assert_clean(check(date(2025, 12, 1), "orders.transfer", orders=[transfer]))

    @pytest.mark.parametrize(
        ("kind", "rule_id", "requirement"),
        [
            ("promotion", "orders.promotion", "R10.1c"),
            ("graduation", "orders.graduation", "R10.1d"),
        ],
    )
    def test_year_end_orders_by_first_of_july(
        self, kind: str, rule_id: str, requirement: str
    ) -> None:
        """R10.1c, R10.1d: year-end orders entered on 1 July are on time, on 2 July late."""
        on_time = _order(kind, date(2026, 5, 29), at(date(2026, 7, 1), 18))
        assert_clean(check(date(2026, 8, 1), rule_id, orders=[on_time]))
        late = _order(kind, date(2026, 5, 29), at(date(2026, 7, 2), 9))
        finding = only(check(date(2026, 8, 1), rule_id, orders=[late]))
        assert (finding.due, finding.requirement) == (date(2026, 7, 1), requirement)

    def test_debt_repayment_within_one_working_day(self) -> None:
        """R10.1c: a debt repaid on Friday is entered by Monday."""
        on_time = _order(
            "debt_repayment",
            date(2026, 6, 5),
            at(date(2026, 6, 8)),
            subjects=["math"],
            repaid_on=date(2026, 6, 5),
        )
        assert_clean(check(date(2026, 7, 1), "orders.debt_repayment", orders=[on_time]))
        late = _order(
            "debt_repayment",
            date(2026, 6, 5),
            at(date(2026, 6, 9)),
            subjects=["math"],
            repaid_on=date(2026, 6, 5),
        )
        finding = only(check(date(2026, 7, 1), "orders.debt_repayment", orders=[late]))
        assert (finding.entity_kind, finding.entity_id) == (EntityKind.ORDER_ITEM, "o1/s1")


class TestCardsAndMilestones:
    def test_student_card_within_three_working_days(self) -> None:
        """R6.6: a card entered on the 4th working day is late; the clerk answers."""
        cards = [
            CardEntry(
                category="student",
                card_id="s1",
                admitted_on=date(2025, 9, 1),
                entered_at=at(date(2025, 9, 5)),
                by="clerk1",
            ),
            CardEntry(category="employee", card_id="e1", admitted_on=date(2025, 9, 1)),
        ]
        report = check(date(2025, 9, 30), "cards.students", "cards.staff", card_entries=cards)
        student = only(report, "cards.students")
        assert_late(student, days=1)
        assert (student.person_id, student.role) == ("clerk1", ResponsibleRole.CLERK)
        staff = only(report, "cards.staff")
        assert staff.status is FindingStatus.MISSING
        assert staff.role is ResponsibleRole.HR_SPECIALIST

    def test_cards_unchecked_without_records(self) -> None:
        """R6.6: without card records the rule is unchecked, not clean."""
        report = check(date(2025, 9, 30), "cards.students")
        assert report.findings == ()
        assert [u.rule_id for u in report.unchecked] == ["cards.students"]

    def test_reconciliation_twice_a_year(self) -> None:
        """R6.7: a reconciliation in autumn only leaves the spring half missing (class teacher)."""
        report = check(
            date(2026, 7, 15),
            "cards.reconciliation",
            reconciliations=[CardReconciliation(done_at=at(date(2025, 10, 1)))],
        )
        finding = only(report)
        assert finding.status is FindingStatus.MISSING
        assert (finding.due, finding.person_id, finding.class_id) == (date(2026, 6, 30), "ct", "5a")

    def test_formation_and_calendar_milestones(self) -> None:
        """R4.2a, R4.4b: formation by 20 September, the calendar by 1 July."""
        milestones = [
            Milestone(kind="year_formation", year="2026/2027", done_at=at(date(2026, 9, 21))),
            Milestone(kind="calendar_setup", year="2026/2027", done_at=at(date(2026, 7, 1), 23)),
        ]
        report = check(
            date(2026, 10, 1),
            "formation.finished",
            "calendar.set",
            milestones=milestones,
            designations={"administrator": "adm"},
        )
        finding = only(report)
        assert (finding.requirement, finding.due, finding.person_id) == (
            "R4.2a",
            date(2026, 9, 20),
            "adm",
        )
        pending = check(
            date(2026, 6, 1),
            "calendar.set",
            milestones=[Milestone(kind="calendar_setup", year="2026/2027")],
        )
        assert only(pending).status is FindingStatus.NOT_YET_DUE


class TestTimetable:
    def test_moved_day_three_working_days_before(self) -> None:
        """R7.7c: a move to Saturday 15 November is entered by Wednesday 12 November."""
        move = MovedDay(source=date(2025, 11, 7), target=date(2025, 11, 15))
        on_time = MovedDayEntry(moved_day=move, entered_at=at(date(2025, 11, 12), 18))
        assert_clean(check(date(2025, 12, 1), "timetable.moved_day", moved_days=[on_time]))
        late = MovedDayEntry(moved_day=move, entered_at=at(date(2025, 11, 13), 8), by="dh")
        finding = only(check(date(2025, 12, 1), "timetable.moved_day", moved_days=[late]))
        assert (finding.due, finding.person_id) == (date(2025, 11, 12), "dh")
        assert_late(finding, days=1, working=1)

    def test_cancellation_and_substitution_on_lesson_day(self) -> None:
        """R7.7d: a cancellation entered next day is late; an unentered substitution is missing."""
        cancelled = lesson(
            topic=None,
            homework=None,
            topic_entered_at=None,
            homework_entered_at=None,
            state=LessonState.CANCELLED,
            cancelled_at=at(date(2025, 9, 3), 8),
        )
        substituted = lesson(id="l2", substitute_id="t2")
        report = check(
            date(2025, 9, 30),
            "timetable.cancellation",
            "timetable.substitution",
            lessons=[cancelled, substituted],
            designations={"deputy_head": "dh"},
        )
        assert_late(only(report, "timetable.cancellation"), days=1)
        missing = only(report, "timetable.substitution")
        assert (missing.status, missing.person_id) == (FindingStatus.MISSING, "dh")


class TestReports:
    @staticmethod
    def _runs(code: str, *days: date, by: str | None = None) -> list[ReportRun]:
        return [ReportRun(report_code=code, produced_at=at(day, 15), by=by) for day in days]

    def test_after_period_within_two_working_days(self) -> None:
        """R11.3a: school summaries within 2 working days after the period; late after."""
        runs = self._runs("Сводный отчёт классного руководителя", date(2026, 1, 12))
        runs += self._runs("Сводный отчёт об успеваемости по школе", date(2026, 1, 14))
        report = check(date(2026, 1, 31), "reports.period_school", report_runs=runs)
        finding = only(report)
        assert finding.entity_id == "Сводный отчёт об успеваемости по школе@2026-01-13"
        assert_late(finding, days=1)

    def test_weekly_report_missing_week(self) -> None:
        """R11.3b: a week without the occupancy report is missing."""
        weeks = [date(2025, 9, 1), date(2025, 9, 8), date(2025, 9, 22)]
        runs = self._runs("Наполняемость классов", *weeks)
        runs += self._runs("Движение учащихся по школе", *weeks)
        report = check(date(2025, 9, 28), "reports.weekly", report_runs=runs)
        missing = [
            f
            for f in report.findings
            if f.status is FindingStatus.LATE or f.status is FindingStatus.MISSING
        ]
        assert {f.entity_id for f in missing} == {
            "Наполняемость классов@2025-09-21",
            "Движение учащихся по школе@2025-09-21",
        }
        assert report.count("reports.weekly", FindingStatus.NOT_YET_DUE) == 0

    def test_month_end_report_on_last_day(self) -> None:
        """R11.3c: produced on 30 September is on time; on 1 October it is late."""
        codes = (
            "Отчет по ведению электронных журналов",
            "Своевременность выставления текущих отметок",
        )
        runs = self._runs(codes[0], date(2025, 9, 30)) + self._runs(codes[1], date(2025, 10, 1))
        report = check(date(2025, 10, 5), "reports.month_end", report_runs=runs)
        finding = only(report)
        assert finding.entity_id == f"{codes[1]}@2025-09-30"
        assert_late(finding, days=1)

    def test_every_two_weeks(self) -> None:
        """R11.3d: one fill-rate report in the first 14 days, none in the next 14."""
        runs = self._runs("Сводный отчет по заполняемости электронных журналов", date(2025, 9, 10))
        report = check(date(2025, 9, 30), "reports.fill_rate", report_runs=runs)
        assert [f.due for f in report.violations] == [date(2025, 9, 28)]
        assert report.count("reports.fill_rate", FindingStatus.NOT_YET_DUE) == 1

    def test_teacher_reports_per_person(self) -> None:
        """R11.4a: each subject teacher owes his report after the period; routed to him."""
        from eschool_core.school import TeachingAssignment

        assignments = [
            TeachingAssignment(
                id=f"as{t}", teacher_id=t, year="2025/2026", subject_id="math", class_id="5a"
            )
            for t in ("t1", "t2")
        ]
        runs = self._runs("Отчёт учителя-предметника", date(2026, 1, 12), by="t1")
        report = check(
            date(2026, 1, 31),
            "reports.period_subject_teacher",
            report_runs=runs,
            assignments=assignments,
        )
        finding = only(report)
        assert (finding.person_id, finding.role) == ("t2", ResponsibleRole.SUBJECT_TEACHER)

    def test_class_teacher_yearly_and_monthly(self) -> None:
        """R11.4b-d: the class teacher's preliminary, attendance and yearly reports."""
        runs = self._runs("Итоговые данные по учащимся", date(2025, 9, 30), by="ct")
        runs += self._runs("Отчёт о посещаемости класса", date(2025, 9, 15), by="ct")
        report = check(
            date(2025, 10, 5),
            "reports.yearly",
            "reports.class_attendance",
            "reports.preliminary",
            report_runs=runs,
        )
        yearly = only(report, "reports.yearly")
        assert (yearly.entity_id, yearly.person_id, yearly.class_id) == (
            "Общие сведения об обучающихся@2025-10-01",
            "ct",
            "5a",
        )
        assert report.count("reports.class_attendance") == 1  # October: not yet due
        assert report.count("reports.preliminary", FindingStatus.MISSING) == 2


class TestEdits:
    def test_edit_after_window_without_reason_is_error(self) -> None:
        """R8.6: a correction after 3 days without a reason is an error finding."""
        edit = MarkEdit(at=at(date(2025, 9, 6)), by="t1", old_value=5, new_value=4)
        report = check(date(2025, 9, 30), "edits.window", marks=[mark(at(TUESDAY), edits=[edit])])
        finding = only(report)
        assert (finding.status, finding.severity) == (FindingStatus.UNAUTHORISED, Severity.ERROR)
        assert finding.due == date(2025, 9, 5)

    def test_edit_with_reason_is_audited_for_deputy_head(self) -> None:
        """R8.6: with a reason the late correction is an info finding for the deputy head."""
        edits = [
            MarkEdit(at=at(date(2025, 9, 5), 23), by="t1", old_value=5, new_value=4),
            MarkEdit(at=at(date(2025, 9, 20)), by="t1", old_value=4, new_value=5, reason="ошибка"),
        ]
        report = check(date(2025, 9, 30), "edits.window", marks=[mark(at(TUESDAY), edits=edits)])
        finding = only(report)
        assert (finding.status, finding.severity) == (FindingStatus.AUDITED, Severity.INFO)
        assert finding.role is ResponsibleRole.DEPUTY_HEAD
        assert not report.has_errors

    def test_edit_in_closed_period(self) -> None:
        """R8.9: a correction after the period closed without a reason is an error."""
        edit = MarkEdit(at=at(date(2026, 1, 15)), by="t1", old_value=5, new_value=4)
        report = check(
            date(2026, 1, 31), "edits.period_lock", marks=[mark(at(TUESDAY), edits=[edit])]
        )
        finding = only(report)
        assert (finding.clause, finding.due) == ("8.9", date(2025, 12, 31))


class TestReport:
    def _report(self) -> ComplianceReport:
        marks = [
            mark(at(date(2025, 9, 3)), id="m1"),
            mark(at(date(2025, 10, 3)), day=date(2025, 10, 1), id="m2", lesson_id=None),
        ]
        bare = lesson(topic=None, topic_entered_at=None)
        return check(
            date(2025, 10, 31),
            "journal.marks",
            "journal.topics",
            "cards.staff",
            marks=marks,
            lessons=[bare],
        )

    def test_groups_and_counts(self) -> None:
        """R12.3: findings are counted by rule, person, role, class and month."""
        report = self._report()
        assert report.by_rule() == {"journal.marks": 2, "journal.topics": 1}
        assert report.by_person() == {"t1": 3}
        assert report.by_role() == {"subject_teacher": 3}
        assert report.by_class() == {"5a": 3}
        assert report.by_month() == {"2025-09": 2, "2025-10": 1}
        assert report.rules_checked == ("journal.marks", "journal.topics")

    def test_json_form_is_stable(self) -> None:
        """The JSON form has a schema version, the summary and every finding."""
        document = json.loads(self._report().to_json())
        assert document["schema_version"] == SCHEMA_VERSION
        assert document["summary"]["by_rule"] == {"journal.marks": 2, "journal.topics": 1}
        assert document["unchecked"][0]["rule_id"] == "cards.staff"
        assert set(document["unchecked"][0]["reason"]) == {"ru", "en"}
        first = document["findings"][0]
        assert tuple(first) == PROBLEM_KEYS
        assert first["code"] == "journal.marks"
        assert set(first["message"]) == {"ru", "en"}
        assert set(first["entity"]) == {"kind", "id"}
        assert set(first["details"]) >= {"due", "done", "since", "late_days", "person_id"}
        assert first["details"]["due"] == "2025-09-02"

    def test_duplicate_rule_ids_rejected(self) -> None:
        """Two rules with one id are an error."""
        rule = _rules()[0]
        with pytest.raises(ValidationError) as caught:
            ComplianceChecker([rule, rule], CAL)
        assert caught.value.code == "deadlines.duplicate_rule"


class TestRuleValidation:
    @pytest.mark.parametrize(
        ("fields", "problem"),
        [
            ({"kind": "within_working_days"}, "days"),
            ({"kind": "by_day_of_year"}, "by"),
            ({"kind": "periodic", "applies_to": "report", "reports": ["x"]}, "every"),
            ({"kind": "periodic"}, "does not apply"),
            ({"kind": "same_day", "applies_to": "report"}, "does not apply"),
        ],
    )
    def test_rule_needs_what_its_kind_needs(self, fields: dict[str, object], problem: str) -> None:
        """A rule that lacks what its kind needs is rejected with its id."""
        base: dict[str, object] = {
            "id": "r",
            "kind": "same_day",
            "applies_to": "mark",
            "clause": "8.6",
            "requirement": "R8.6",
            "role": "subject_teacher",
            "severity": "error",
            "title_ru": "т",
            "title_en": "t",
        }
        base.update(fields)
        with pytest.raises(ValidationError) as caught:
            DeadlineRule(**base)
        assert problem in caught.value.message("en")

    def test_before_event_in_weeks(self) -> None:
        """R7.7b-style rules count weeks before the event."""
        rule = DeadlineRule(
            id="events",
            kind="before_event",
            applies_to="moved_day",
            days=2,
            unit="weeks",
            clause="7.7",
            requirement="R7.7b",
            role="deputy_head",
            severity="error",
            title_ru="т",
            title_en="t",
        )
        assert rule.due(date(2025, 11, 15), CAL) == date(2025, 11, 1)

    def test_bad_month_day(self) -> None:
        """A day of the year must be a real MM-DD."""
        with pytest.raises(ValidationError):
            DeadlineRule(
                id="r",
                kind="by_day_of_year",
                applies_to="order",
                by="02-30",
                clause="10.1c",
                requirement="R10.1c",
                role="secretary",
                severity="error",
                title_ru="т",
                title_en="t",
            )


def test_tiny_school_fixture_is_consistent() -> None:
    """The helpers' class is grade 5 of the half-year test calendar."""
    assert CLASS.parallel in half_year().parallels
    assert isinstance(CLASS, SchoolClass)
