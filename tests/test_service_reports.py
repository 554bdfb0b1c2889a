"""Reports produced through the write service are stored runs, and the report duties are
judged from them (R11.3, R11.4, R4.2b), on the memory, SQLite and PostgreSQL stores."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eschool_core.audit import AuditKind
from eschool_core.deadlines import (
    AppliesTo,
    ComplianceData,
    ComplianceReport,
    FindingStatus,
    HostRecords,
)
from eschool_core.errors import EschoolError, NotFoundError, PermissionDenied, ValidationError
from eschool_core.profiles import default_profile, rules_for
from eschool_core.report_runs import ReportRun, run_scope
from eschool_core.reports import CATALOGUE, ReportData, ReportParams, get_definition, run_report
from eschool_core.service import SchoolService
from eschool_core.storage import Store
from eschool_core.year_data import SchoolYearData
from tests.service_helpers import (
    DEPUTY,
    PARENT,
    TEACHER,
    YEAR,
    at,
    audit_entries,
    make_store,
    service,
    state,
)

_FEW = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_WEEKLY = ("Наполняемость классов", "Движение учащихся по школе")
_WEDNESDAY = date(2025, 10, 8)
"""A day of the week 6-12 October 2025, whose weekly reports are due by Sunday the 12th."""


def runs(store: Store) -> list[ReportRun]:
    """Every stored report run."""
    with store.unit_of_work() as uow:
        return list(uow.report_runs.all())


def whole_year_report(store: Store, code: str, params: ReportParams, moment_day: date) -> object:
    """The report as run_report builds it from the whole year read from ``store``."""
    data = SchoolYearData.from_store(store, YEAR)
    rules = rules_for(default_profile(), YEAR, data.school)
    view = ReportData.from_year_data(data, rules)
    return run_report(code, view, params, generated_at=at(moment_day))


def check(store: Store, as_of: date) -> ComplianceReport:
    """The default profile's checker over the store's year."""
    data = ComplianceData.from_store(store, year=YEAR)
    return rules_for(default_profile(), YEAR).checker.check(data, as_of)


def params_scope(params: ReportParams) -> str:
    """The scope text of ``params`` (what ``record_report_run`` reads)."""
    return run_scope(params.to_json())


def produce_weekly(svc: SchoolService, day: date) -> None:
    """The deputy head produces both weekly reports (R11.3b) on ``day``."""
    svc.produce_report(DEPUTY, at(day), "class_occupancy", ReportParams(as_of=day))
    svc.produce_report(DEPUTY, at(day), "school_movement")


class TestProduceReport:
    def test_the_report_is_the_table_run_report_builds_on_the_whole_year(
        self, store: Store
    ) -> None:
        """R11.3b, R11.4c: the service's report equals run_report over the whole year's data."""
        svc = service(store)
        for actor, code, params in [
            (DEPUTY, "class_occupancy", ReportParams(as_of=_WEDNESDAY)),
            (TEACHER, "class_attendance", ReportParams(class_id="5А")),
            (TEACHER, "subject_teacher", ReportParams(teacher_id="t1", period="Q1")),
        ]:
            produced = svc.produce_report(actor, at(_WEDNESDAY), code, params)
            assert produced == whole_year_report(store, code, params, _WEDNESDAY), code

    def test_one_run_and_one_audit_entry_naming_the_account(self, store: Store) -> None:
        """R11.3b, R11.4c: a produced report leaves exactly one run and one audit entry."""
        svc = service(store)
        before = len(audit_entries(store))
        svc.produce_report(TEACHER, at(_WEDNESDAY), "class_attendance", ReportParams(class_id="5А"))
        [run] = runs(store)
        assert (run.report_code, run.by, run.year, run.scope) == (
            "Отчёт о посещаемости класса",
            "t1",
            "2025/2026",
            "class_id=5a",
        )
        assert run.produced_at == at(_WEDNESDAY)
        entries = audit_entries(store)
        assert len(entries) == before + 1
        last = entries[-1]
        assert (last.account_id, last.action, last.kind) == (
            "acc-t1",
            "report.produce",
            AuditKind.DECISION,
        )
        assert (last.target["entity"], last.target["id"]) == ("report_run", run.id)
        assert (last.target["clause"], last.target["requirement"]) == ("11.4", "R11.4c")
        assert last.after["report_run"]["by"] == "t1"
        assert last.after["decision"]["allowed"] is True

    def test_a_denied_actor_leaves_store_and_log_unchanged(self, store: Store) -> None:
        """R11.3a: a parent may not produce the school's summary; nothing is stored or logged."""
        svc = service(store)
        before = state(store)
        with pytest.raises(PermissionDenied):
            svc.produce_report(
                PARENT, at(_WEDNESDAY), "school_performance", ReportParams(period="Q1")
            )
        with pytest.raises(PermissionDenied):
            svc.record_report_run(PARENT, at(_WEDNESDAY), "class_occupancy")
        assert state(store) == before

    def test_a_failing_report_leaves_no_run_and_no_entry(self, store: Store) -> None:
        """R11.4a: a report that cannot be built (a missing parameter) records nothing."""
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.produce_report(DEPUTY, at(_WEDNESDAY), "subject_teacher", ReportParams())
        assert caught.value.code == "report.missing_param"
        assert state(store) == before

    def test_a_host_rendered_report_is_recorded_alike(self, store: Store) -> None:
        """R11.4a: record_report_run stores the run and its entry without building anything."""
        svc = service(store)
        run = svc.record_report_run(
            TEACHER, at(date(2025, 10, 27)), "Отчёт учителя-предметника", scope="teacher_id=t1"
        )
        assert runs(store) == [run]
        assert (run.report_code, run.by, run.scope) == (
            "Отчёт учителя-предметника",
            "t1",
            "teacher_id=t1",
        )
        assert audit_entries(store)[-1].target["id"] == run.id
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.record_report_run(TEACHER, at(_WEDNESDAY), "subject_teacher", scope="class=5a")
        assert caught.value.code == "report_run.bad_scope"
        assert state(store) == before

    def test_two_people_producing_a_report_at_one_moment_make_two_runs(self, store: Store) -> None:
        """R11.3b: a run's id names who produced it, so a second producer is no duplicate."""
        svc = service(store)
        second_deputy = attrs.evolve(DEPUTY, account_id="acc-t2-dh", employee_id="t2")
        moment = at(_WEDNESDAY)
        first = svc.record_report_run(DEPUTY, moment, "class_occupancy")
        second = svc.record_report_run(second_deputy, moment, "class_occupancy")
        assert first.id != second.id
        assert sorted(str(run.by) for run in runs(store)) == ["dh", "t2"]

    def test_a_teacher_cannot_produce_another_teachers_report(self, store: Store) -> None:
        """R3.1c, R11.4a: «Отчёт учителя-предметника» of teacher B is refused to teacher A,
        even with a class and subject A teaches; nothing is stored."""
        svc = service(store)
        before = state(store)
        for params in (
            ReportParams(teacher_id="t2", class_id="5a", subject_id="math", period="Q1"),
            ReportParams(teacher_id="t2", period="Q1"),
        ):
            with pytest.raises(PermissionDenied):
                svc.produce_report(TEACHER, at(date(2025, 10, 27)), "subject_teacher", params)
            with pytest.raises(PermissionDenied):
                svc.record_report_run(
                    TEACHER, at(date(2025, 10, 27)), "subject_teacher", scope=params_scope(params)
                )
        assert state(store) == before
        own = ReportParams(teacher_id="t1", class_id="5a", subject_id="math", period="Q1")
        svc.produce_report(TEACHER, at(date(2025, 10, 27)), "subject_teacher", own)
        assert [run.by for run in runs(store)] == ["t1"]

    @_FEW
    @given(data=st.data())
    def test_invalid_reports_raise_typed_errors_and_write_nothing(
        self, store: Store, data: st.DataObject
    ) -> None:
        """R11.3a, R11.4a: unknown codes, classes, periods and missing parameters are typed
        errors (EschoolError) and leave the store and the log as they were."""
        svc = service(store)
        before = state(store)
        code, params = data.draw(_invalid_requests())
        with pytest.raises(EschoolError):
            svc.produce_report(DEPUTY, at(_WEDNESDAY), code, params)
        assert state(store) == before


def _unknown(name: str) -> bool:
    try:
        get_definition(name)
    except NotFoundError:
        return True
    return False


_NEEDS_CLASS = sorted(c for c, d in CATALOGUE.items() if "class_id" in d.required)
_NEEDS_PERIOD = sorted(
    c for c, d in CATALOGUE.items() if d.required in {("teacher_id", "period"), ("period",)}
)
_NEEDS_SOMETHING = sorted(c for c, d in CATALOGUE.items() if d.required)


@st.composite
def _invalid_requests(draw: st.DrawFn) -> tuple[object, object]:
    """A report request that cannot be served: unknown report, class, period, or parameter."""
    kind = draw(st.sampled_from(["code", "class", "period", "missing", "params"]))
    if kind == "code":
        return draw(st.text(max_size=12).filter(_unknown)), ReportParams()
    if kind == "class":
        class_id = draw(st.sampled_from(["zz", "9Я", "c404"]))
        return draw(st.sampled_from(_NEEDS_CLASS)), ReportParams(class_id=class_id, period="Q1")
    if kind == "period":
        period = draw(st.sampled_from(["Q9", "T7", "week"]))
        return draw(st.sampled_from(_NEEDS_PERIOD)), ReportParams(teacher_id="t1", period=period)
    if kind == "missing":
        return draw(st.sampled_from(_NEEDS_SOMETHING)), ReportParams()
    return draw(st.sampled_from(sorted(CATALOGUE))), {"class_id": "5a"}


class TestDutiesFromTheStore:
    def test_the_weekly_duty_is_checked_from_the_stored_runs(self, store: Store) -> None:
        """R11.3b: weeks with a produced run are satisfied, a week without is missing."""
        svc = service(store)
        produce_weekly(svc, _WEDNESDAY)
        report = check(store, date(2025, 10, 20))
        assert "reports.weekly" not in {u.rule_id for u in report.unchecked}
        weekly = {f.entity_id: f.status for f in report.findings if f.rule_id == "reports.weekly"}
        for code in _WEEKLY:
            assert f"{code}@2025-10-12" not in weekly
            assert weekly[f"{code}@2025-10-19"] is FindingStatus.MISSING

    def test_a_store_without_runs_leaves_the_report_duties_unchecked(self, store: Store) -> None:
        """R11.3a, R11.3b, R11.3c, R11.3d, R11.4a, R11.4b, R11.4c, R11.4d, R4.2b: with no
        stored run (and none from the host) the report rules are unchecked, naming the service."""
        report = check(store, date(2025, 10, 20))
        unchecked = {u.rule_id: u.reason.en for u in report.unchecked}
        report_rules = [
            rule.id
            for rule in default_profile().deadlines.rules
            if rule.applies_to is AppliesTo.REPORT
        ]
        assert report_rules
        for rule_id in report_rules:
            assert "SchoolService.produce_report" in unchecked[rule_id], rule_id

    def test_the_subject_teachers_duty_counts_his_own_run(self, store: Store) -> None:
        """R11.4a: the teacher's report the day after Q1 satisfies his after-period duty."""
        svc = service(store)
        produce_weekly(svc, _WEDNESDAY)  # the store holds runs: every report rule is judged
        as_of = date(2025, 11, 5)
        findings = [
            f for f in check(store, as_of).findings if f.rule_id.startswith("reports.period_s")
        ]
        assert [
            (f.person_id, f.status) for f in findings if f.rule_id.endswith("subject_teacher")
        ] == [("t1", FindingStatus.MISSING)]
        svc.produce_report(
            TEACHER,
            at(date(2025, 10, 27)),
            "subject_teacher",
            ReportParams(teacher_id="t1", period="Q1"),
        )
        after = check(store, as_of).findings
        assert not [f for f in after if f.rule_id == "reports.period_subject_teacher"]

    def test_host_runs_win_over_the_stored_ones(self, store: Store) -> None:
        """R11.3b: runs the host passes replace the store's, also an empty list of them."""
        produce_weekly(service(store), _WEDNESDAY)
        stored = ComplianceData.from_store(store, year=YEAR)
        assert stored.report_runs is not None
        assert {r.report_code for r in stored.report_runs} == set(_WEEKLY)
        own = HostRecords(host_report_runs=[])
        assert ComplianceData.from_store(store, year=YEAR, records=own).report_runs == ()

    def test_every_scheduled_report_is_stored_under_its_rules_name(self) -> None:
        """R11.3c, R11.4a: the stored name is the one the report's deadline rule matches on."""
        svc = SchoolService(make_store("memory"), year=YEAR)
        rules = {rule.id: rule for rule in default_profile().deadlines.rules}
        scheduled = {
            code: definition.schedule.rule_id
            for code, definition in CATALOGUE.items()
            if definition.schedule is not None and definition.schedule.rule_id is not None
        }
        scheduled["transition_state"] = "reports.transition_state"  # R4.2b: no schedule rule id
        for code, rule_id in scheduled.items():
            assert svc.report_rule_name(code) in rules[rule_id].reports, code
