"""Commands producing the regulation's reports, each recorded as a stored run (R11.3, R11.4, R4.2b).

The report duties of clauses 11.3, 11.4 and 4.2 (a report every week, every month, after each
study period ...) are judged from the runs the store holds: every report the service produces
is stored as a :class:`~eschool_core.report_runs.ReportRun` in the same unit of work as its
audit entry, so the compliance checker reads them back with the rest of the year.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from eschool_core import _validation as v
from eschool_core.audit import AuditKind
from eschool_core.deadlines import AppliesTo, ComplianceData
from eschool_core.errors import NotFoundError, ValidationError
from eschool_core.ids import EmployeeId
from eschool_core.rbac import Actor, Decision, Target
from eschool_core.report_runs import ReportRun, run_scope
from eschool_core.reports import (
    Report,
    ReportData,
    ReportDefinition,
    ReportParams,
    get_definition,
    needs_compliance,
    report_scope,
    run_report,
)
from eschool_core.service._base import ServiceBase
from eschool_core.service._errors import REPORT_BAD_CODE, REPORT_BAD_PARAMS, REPORT_RUN_BAD_SCOPE
from eschool_core.service._unit import Unit
from eschool_core.year_data import SchoolYearData

__all__: list[str] = ["ReportCommands"]

_DATES = frozenset({"start", "end", "as_of"})
_PARAMS = tuple(field.name for field in attrs.fields(ReportParams))


class ReportCommands(ServiceBase):
    """Producing a named report, and recording one a host rendered itself, as a stored run."""

    # -- reports (R11.1, R11.3, R11.4, R4.2b) ---------------------------------------------------

    def produce_report(
        self, actor: Actor, at: datetime, code: str, params: ReportParams | None = None
    ) -> Report:
        """Build a named report of the year and record that it was produced (R11.3, R11.4).

        In one unit of work: authorizes the report's action (``report.<code>`` in the role
        matrix) for the report's target (its class, student, subject or teacher; the school
        otherwise); reads the year's data scoped to what the report needs
        (:func:`~eschool_core.reports.report_scope`); runs the compliance checker only for
        the reports its findings decide (:func:`~eschool_core.reports.needs_compliance`);
        builds the report with the profile's rules (:func:`~eschool_core.profiles.rules_for`);
        stores a :class:`~eschool_core.report_runs.ReportRun` (the report as the profile's
        deadline rules name it, ``at``, the actor's employee id, the year and the scope of
        ``params``) and appends one audit entry ``report.produce`` under the report's clause.
        A denied or failing report leaves neither the run nor the entry.

        Args:
            actor: Who produces it; a member of staff (a run names its employee).
            at: The moment it is produced (timezone-aware): the run's and the report's.
            code: The report's code or title (:data:`~eschool_core.reports.CATALOGUE`).
            params: Its parameters (none by default).

        Returns:
            The report, as :func:`~eschool_core.reports.run_report` builds it.

        Raises:
            NotFoundError: For an unknown report, class, student or period.
            ValidationError: For a missing parameter or params that are not ``ReportParams``.
            PermissionDenied: If the matrix does not grant the report's action, or the actor
                has no staff card.
        """
        chosen = _params(params)
        with self._command(actor, at) as unit:
            definition = get_definition(_code(code))
            decision = unit.authorize(definition.action, self._report_target(unit, chosen))
            by = unit.staff_card()
            data = SchoolYearData.read(
                unit.uow,
                self._year,
                school_id=unit.school_id,
                scope=report_scope(definition.code, chosen, self._year),
            )
            rules = unit.rules
            compliance = None
            if needs_compliance(definition.code):
                compliance = rules.checker.check(
                    ComplianceData.from_year_data(data), chosen.as_of or unit.on
                )
            view = ReportData.from_year_data(data, rules, compliance=compliance)
            report = run_report(definition.code, view, chosen, generated_at=unit.at)
            self._store_run(unit, definition, chosen, by, decision)
        return report

    def record_report_run(
        self, actor: Actor, at: datetime, code: str, *, scope: str = ""
    ) -> ReportRun:
        """Record a report the host produced itself, as :meth:`produce_report` records one.

        Authorized and audited like :meth:`produce_report`, without building the report.

        Args:
            actor: Who produced it; a member of staff.
            at: When it was produced (timezone-aware).
            code: The report's code or title.
            scope: What it was produced for, as :func:`~eschool_core.report_runs.run_scope`
                writes it: ``"class_id=5a; period=Q2"`` (names of
                :class:`~eschool_core.reports.ReportParams`, dates ``YYYY-MM-DD``); empty
                for the whole school.

        Returns:
            The stored run.

        Raises:
            NotFoundError: For an unknown report.
            ValidationError: For a scope that does not read as report parameters
                (``report_run.bad_scope``).
            PermissionDenied: As for :meth:`produce_report`.
        """
        chosen = _scope_params(scope)
        with self._command(actor, at) as unit:
            definition = get_definition(_code(code))
            decision = unit.authorize(definition.action, self._report_target(unit, chosen))
            by = unit.staff_card()
            return self._store_run(unit, definition, chosen, by, decision)

    def report_rule_name(self, code: str) -> str:
        """Return the name the profile's report rules give report ``code`` (what a run stores).

        The first name in a report rule's ``reports`` that designates the report (by code or
        by title, :func:`~eschool_core.reports.get_definition`), else its Russian title.

        Raises:
            NotFoundError: For an unknown report.

        >>> from eschool_core.calendar import standard_year
        >>> from eschool_core.profiles import default_profile
        >>> from eschool_core.service import SchoolService
        >>> from eschool_core.storage import MemoryStore
        >>> service = SchoolService(
        ...     MemoryStore(), year=standard_year("2025/2026", default_profile().calendar))
        >>> service.report_rule_name("journal_keeping")
        'Отчет по ведению электронных журналов'
        """
        definition = get_definition(_code(code))
        for rule in self._profile.deadlines.rules:
            if rule.applies_to is not AppliesTo.REPORT:
                continue
            for name in rule.reports:
                try:
                    if get_definition(name).code == definition.code:
                        return name
                except NotFoundError:
                    continue
        return definition.title.ru

    # -- helpers --------------------------------------------------------------------------------

    def _report_target(self, unit: Unit, params: ReportParams) -> Target:
        """The report's target: its class, student, subject or teacher, in the school's district."""
        school = unit.uow.schools.find(unit.school_id)
        return unit.target(
            district=None if school is None else school.district,
            region=None if school is None else school.region,
            class_id=self._class_id(unit, params.class_id),
            student_id=params.student_id,
            subject_id=params.subject_id,
            employee_id=params.teacher_id,
            year=self._label,
        )

    def _class_id(self, unit: Unit, key: str | None) -> str | None:
        """The id of the year's class ``key`` names by id or by name (``"5А"``)."""
        if key is None:
            return None
        classes = unit.uow.classes.for_year(self._label)
        if any(school_class.id == key for school_class in classes):
            return key
        wanted = key.strip().upper()
        return next((c.id for c in classes if c.name == wanted), key)

    def _store_run(
        self,
        unit: Unit,
        definition: ReportDefinition,
        params: ReportParams,
        by: EmployeeId,
        decision: Decision,
    ) -> ReportRun:
        named = attrs.evolve(params, class_id=self._class_id(unit, params.class_id))
        run = ReportRun(
            report_code=self.report_rule_name(definition.code),
            produced_at=unit.at,
            by=by,
            year=self._label,
            scope=run_scope(named.to_json()),
        )
        unit.uow.report_runs.add(run)
        unit.record(
            action="report.produce",
            entity="report_run",
            entity_id=run.id,
            before=None,
            after={"report_run": run, "decision": decision.to_json()},
            decision=decision,
            clause=definition.clause,
            requirement=definition.requirement,
            kind=AuditKind.DECISION,
        )
        return run


def _code(code: object) -> str:
    if not isinstance(code, str):
        raise REPORT_BAD_CODE.error(value=repr(code))
    return code


def _params(params: object) -> ReportParams:
    if params is None:
        return ReportParams()
    if not isinstance(params, ReportParams):
        raise REPORT_BAD_PARAMS.error(value=repr(params))
    return params


def _scope_params(scope: object) -> ReportParams:
    """The report parameters a run's scope text names (``"class_id=5a; period=Q2"``)."""
    if not isinstance(scope, str):
        raise _bad_scope(repr(scope))
    values: dict[str, object] = {}
    for item in (part.strip() for part in scope.split(";")):
        if not item:
            continue
        name, _, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if name not in _PARAMS or not value or name in values:
            raise _bad_scope(item)
        try:
            values[name] = v.parse_date(value) if name in _DATES else value
        except ValueError:
            raise _bad_scope(item) from None
    return ReportParams(**values)  # type: ignore[arg-type]


def _bad_scope(item: str) -> ValidationError:
    return REPORT_RUN_BAD_SCOPE.error(scope=item)
