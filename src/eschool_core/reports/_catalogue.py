"""The catalogue of named reports as data, and running one with an access check (R11.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from types import MappingProxyType

import attrs

from eschool_core.errors import Language
from eschool_core.ids import EmployeeId, SubjectId
from eschool_core.people import Employee, EmployeeStatus
from eschool_core.rbac import REPORT_TITLES, Action, Actor, Authorizer, Target
from eschool_core.reports import _class, _class_journal, _journal, _school, _student
from eschool_core.reports._common import Table
from eschool_core.reports._data import ReportData
from eschool_core.reports._errors import REPORT_NO_AUTHORIZER, REPORT_UNKNOWN
from eschool_core.reports._table import Report, ReportParams
from eschool_core.reports._wording import Signatory, Signature, signature_name
from eschool_core.texts import Text

__all__ = [
    "CATALOGUE",
    "Builder",
    "ReportDefinition",
    "ReportSchedule",
    "authorize_report",
    "get_definition",
    "run_report",
    "signatures_of",
]

Builder = Callable[[ReportData, ReportParams], Table]
"""A report builder: a pure function of the data and the parameters."""


@attrs.frozen(kw_only=True)
class ReportSchedule:
    """When a report is due (R11.3, R11.4, R4.2b).

    Attributes:
        requirement: The requirement that sets the schedule (``"R11.3c"``).
        description: The schedule in Russian, as the regulation states it, and in English.
        rule_id: The id of the deadline rule (the profile's ``[[deadlines.rules]]``) whose
            due dates the compliance checker computes; ``None`` where the regulation sets
            no deadline rule (state forms, the transition report, the parent's summary).
    """

    requirement: str
    description: Text
    rule_id: str | None = None

    def describe(self, language: Language | str = Language.RU) -> str:
        """Return the schedule in ``language``."""
        return self.description.in_(language)


@attrs.frozen(kw_only=True)
class ReportDefinition:
    """A named report of the regulation: its codes, titles, parameters, access and schedule.

    Attributes:
        code: Stable code (``"class_period_results"``).
        title: The regulation's Russian title, verbatim, and its English; read from
            :data:`eschool_core.rbac.REPORT_TITLES`, the one source of report titles.
        clause: The clause that names it.
        requirement: The requirement id.
        action: The access action that allows running it (``report.<code>`` in the matrix).
        required: Parameters that must be given.
        optional: Parameters that may be given.
        schedule: When it is due, or ``None`` for reports used as needed.
        builder: The function that builds its table.
        signatories: Who signs its printed copy (R9.3): the person the regulation makes
            responsible for it (the deputy head by clause 11.3, a teacher by 11.4, the class
            teacher by 11.5), then the director who certifies it.
        year_end: The report states the year's outcome (annual marks, the end-of-year
            decisions): a study period's report set holds it only for the period that
            ends the year.
    """

    code: str
    title: Text
    clause: str
    requirement: str
    action: Action
    required: tuple[str, ...]
    optional: tuple[str, ...]
    builder: Builder
    schedule: ReportSchedule | None = None
    signatories: tuple[Signatory, ...] = (Signatory.DIRECTOR,)
    year_end: bool = False


_AFTER_PERIOD_2 = ReportSchedule(
    requirement="R11.3a",
    rule_id="reports.period_school",
    description=Text(
        "не позднее 2 рабочих дней после окончания каждого учебного периода",
        "within 2 working days after the end of each study period",
    ),
)
_WEEKLY = ReportSchedule(
    requirement="R11.3b",
    rule_id="reports.weekly",
    description=Text(
        "еженедельно",
        "weekly",
    ),
)
_MONTH_END = ReportSchedule(
    requirement="R11.3c",
    rule_id="reports.month_end",
    description=Text(
        "ежемесячно, в последний день месяца",
        "monthly, on the last day of the month",
    ),
)
_FORTNIGHT_FILL = ReportSchedule(
    requirement="R11.3d",
    rule_id="reports.fill_rate",
    description=Text(
        "не реже 1 раза в 2 недели в течение учебного года",
        "at least every 2 weeks during the school year",
    ),
)
_STATE_FORM = ReportSchedule(
    requirement="R11.3e",
    description=Text(
        "порядок и сроки согласуются с МОУО",
        "as agreed with the municipal education authority",
    ),
)
_AFTER_PERIOD_1 = ReportSchedule(
    requirement="R11.4a",
    rule_id="reports.period_class_teacher",
    description=Text(
        "не позднее 1 рабочего дня после окончания каждого учебного периода",
        "within 1 working day after the end of each study period",
    ),
)
_AFTER_PERIOD_1_SUBJECT = attrs.evolve(_AFTER_PERIOD_1, rule_id="reports.period_subject_teacher")
_FORTNIGHT = ReportSchedule(
    requirement="R11.4b",
    rule_id="reports.preliminary",
    description=Text(
        "не реже 1 раза в 2 недели",
        "at least every 2 weeks",
    ),
)
_MONTHLY = ReportSchedule(
    requirement="R11.4c",
    rule_id="reports.class_attendance",
    description=Text(
        "не реже 1 раза в месяц",
        "at least monthly",
    ),
)
_YEARLY = ReportSchedule(
    requirement="R11.4d",
    rule_id="reports.yearly",
    description=Text(
        "ежегодно, не позднее 1 октября",
        "yearly, by 1 October",
    ),
)
_TRANSITION = ReportSchedule(
    requirement="R4.2b",
    description=Text(
        "еженедельно с 15 апреля до полного перехода на новый учебный год",
        "weekly from 15 April until the school has moved to the new year",
    ),
)

_SIGNATORIES_BY_CLAUSE = {
    "4.2": (Signatory.DEPUTY_HEAD, Signatory.DIRECTOR),
    "11.3": (Signatory.DEPUTY_HEAD, Signatory.DIRECTOR),
    "11.4": (Signatory.CLASS_TEACHER, Signatory.DIRECTOR),
    "11.5": (Signatory.CLASS_TEACHER, Signatory.DIRECTOR),
    "8.11": (Signatory.CLASS_TEACHER,),
    "8.12": (Signatory.CLASS_TEACHER,),
    "5.3": (Signatory.SUBJECT_TEACHER, Signatory.CLASS_TEACHER, Signatory.DIRECTOR),
}

_PERIOD = ("period",)
_RANGE = ("period", "start", "end")


def _d(  # noqa: PLR0917 - positional rows read as a table of definitions
    code: str,
    clause: str,
    requirement: str,
    action: Action,
    builder: Builder,
    required: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
    schedule: ReportSchedule | None = None,
    *,
    year_end: bool = False,
) -> ReportDefinition:
    signatories: tuple[Signatory, ...]
    if code == "subject_teacher":
        signatories = (Signatory.SUBJECT_TEACHER, Signatory.DIRECTOR)
    else:
        signatories = _SIGNATORIES_BY_CLAUSE.get(clause, (Signatory.DIRECTOR,))
    return ReportDefinition(
        signatories=signatories,
        code=code,
        title=REPORT_TITLES[code],
        clause=clause,
        requirement=requirement,
        action=action,
        required=required,
        optional=optional,
        builder=builder,
        schedule=schedule,
        year_end=year_end,
    )


_DEFINITIONS = (
    _d(
        "class_teachers_summary",
        "11.3",
        "R11.3a",
        Action.REPORT_CLASS_TEACHERS_SUMMARY,
        _school.class_teachers_summary,
        _PERIOD,
        schedule=_AFTER_PERIOD_2,
    ),
    _d(
        "school_performance",
        "11.3",
        "R11.3a",
        Action.REPORT_SCHOOL_PERFORMANCE,
        _school.school_performance,
        _PERIOD,
        schedule=_AFTER_PERIOD_2,
    ),
    _d(
        "class_occupancy",
        "11.3",
        "R11.3b",
        Action.REPORT_CLASS_OCCUPANCY,
        _school.class_occupancy,
        optional=("as_of",),
        schedule=_WEEKLY,
    ),
    _d(
        "school_movement",
        "11.3",
        "R11.3b",
        Action.REPORT_SCHOOL_MOVEMENT,
        _school.school_movement,
        optional=_RANGE,
        schedule=_WEEKLY,
    ),
    _d(
        "journal_keeping",
        "11.3",
        "R11.3c",
        Action.REPORT_JOURNAL_KEEPING,
        _journal.journal_keeping,
        optional=(*_RANGE, "class_id", "teacher_id"),
        schedule=_MONTH_END,
    ),
    _d(
        "mark_timeliness",
        "11.3",
        "R11.3c",
        Action.REPORT_MARK_TIMELINESS,
        _journal.mark_timeliness_report,
        optional=(*_RANGE, "teacher_id"),
        schedule=_MONTH_END,
    ),
    _d(
        "journal_fill",
        "11.3",
        "R11.3d",
        Action.REPORT_JOURNAL_FILL,
        _journal.journal_fill,
        optional=(*_RANGE, "class_id"),
        schedule=_FORTNIGHT_FILL,
    ),
    _d(
        "oo1_by_grade",
        "11.3",
        "R11.3e",
        Action.REPORT_OO1,
        _school.oo1_by_grade,
        optional=("as_of",),
        schedule=_STATE_FORM,
    ),
    _d(
        "oo1_by_age",
        "11.3",
        "R11.3e",
        Action.REPORT_OO1,
        _school.oo1_by_age,
        optional=("as_of",),
        schedule=_STATE_FORM,
    ),
    _d(
        "oo1_by_form",
        "11.3",
        "R11.3e",
        Action.REPORT_OO1,
        _school.oo1_by_form,
        optional=("as_of",),
        schedule=_STATE_FORM,
    ),
    _d(
        "subject_teacher",
        "11.4",
        "R11.4a",
        Action.REPORT_SUBJECT_TEACHER,
        _class.subject_teacher,
        ("teacher_id", "period"),
        schedule=_AFTER_PERIOD_1_SUBJECT,
    ),
    _d(
        "class_teacher_period",
        "11.4",
        "R11.4a",
        Action.REPORT_CLASS_TEACHER_PERIOD,
        _class.class_teacher_period,
        ("class_id", "period"),
        schedule=_AFTER_PERIOD_1,
    ),
    _d(
        "class_teacher_preliminary",
        "11.4",
        "R11.4b",
        Action.REPORT_CLASS_TEACHER_PRELIMINARY,
        _class.class_teacher_preliminary,
        ("class_id", "period"),
        ("as_of",),
        schedule=_FORTNIGHT,
    ),
    _d(
        "performance_sheet",
        "11.4",
        "R11.4a",
        Action.REPORT_PERFORMANCE_SHEET,
        _class.performance_sheet,
        ("class_id", "period"),
        schedule=_AFTER_PERIOD_1,
    ),
    _d(
        "class_period_results",
        "11.4",
        "R11.4a",
        Action.REPORT_CLASS_PERIOD_RESULTS,
        _class.class_period_results,
        ("class_id", "period"),
        schedule=_AFTER_PERIOD_1,
    ),
    _d(
        "attendance_sheet",
        "11.4",
        "R11.4a",
        Action.REPORT_ATTENDANCE_SHEET,
        _class.attendance_sheet,
        ("class_id",),
        _RANGE,
        schedule=_AFTER_PERIOD_1,
    ),
    _d(
        "class_attendance",
        "11.4",
        "R11.4c",
        Action.REPORT_CLASS_ATTENDANCE,
        _class.class_attendance,
        ("class_id",),
        _RANGE,
        schedule=_MONTHLY,
    ),
    _d(
        "student_final_data",
        "11.4",
        "R11.4d",
        Action.REPORT_STUDENT_FINAL_DATA,
        _class.student_final_data,
        ("class_id",),
        schedule=_YEARLY,
        year_end=True,
    ),
    _d(
        "student_general_info",
        "11.4",
        "R11.4d",
        Action.REPORT_STUDENT_GENERAL_INFO,
        _class.student_general_info,
        ("class_id",),
        ("as_of",),
        schedule=_YEARLY,
    ),
    _d(
        "student_average",
        "11.5",
        "R11.5",
        Action.REPORT_STUDENT_AVERAGE,
        _student.student_average,
        (),
        ("class_id", "student_id", *_RANGE),
    ),
    _d(
        "student_average_dynamics",
        "11.5",
        "R11.5",
        Action.REPORT_STUDENT_AVERAGE_DYNAMICS,
        _student.student_average_dynamics,
        ("student_id",),
        ("subject_id", *_RANGE),
    ),
    _d(
        "student_report_card",
        "11.5",
        "R11.5",
        Action.REPORT_STUDENT_REPORT_CARD,
        _student.student_report_card,
        ("student_id",),
    ),
    _d(
        "student_performance_attendance",
        "11.5",
        "R11.5",
        Action.REPORT_STUDENT_PERFORMANCE_ATTENDANCE,
        _student.student_performance_attendance,
        ("student_id",),
        _RANGE,
    ),
    _d(
        "performance_quality",
        "11.5",
        "R11.5",
        Action.REPORT_PERFORMANCE_QUALITY,
        _class.performance_quality,
        ("class_id",),
        ("period",),
    ),
    _d(
        "parent_letter",
        "11.5",
        "R11.5",
        Action.REPORT_PARENT_LETTER,
        _student.parent_letter,
        ("student_id",),
        (*_RANGE, "as_of"),
    ),
    _d(
        "transition_state",
        "4.2",
        "R4.2b",
        Action.REPORT_TRANSITION_STATE,
        _school.transition_state,
        optional=("as_of",),
        schedule=_TRANSITION,
    ),
    _d(
        "diary",
        "8.11",
        "R8.11",
        Action.DIARY_READ,
        _student.diary,
        ("student_id",),
        ("start", "end", "as_of"),
    ),
    _d(
        "weekly_summary",
        "8.12",
        "R8.12",
        Action.DIARY_READ,
        _student.weekly_summary,
        ("student_id",),
        ("start", "end", "as_of"),
        schedule=ReportSchedule(
            requirement="R8.12",
            description=Text(
                "не реже 1 раза в неделю по письменному заявлению родителя",
                "at least weekly, on a parent's written request",
            ),
        ),
    ),
    _d(
        "class_journal",
        "5.3",
        "R5.3c",
        Action.JOURNAL_READ,
        _class_journal.class_journal,
        ("class_id", "subject_id"),
        _RANGE,
    ),
)

CATALOGUE: Mapping[str, ReportDefinition] = MappingProxyType({d.code: d for d in _DEFINITIONS})
"""Every named report by code, in the regulation's order."""


def get_definition(name: str) -> ReportDefinition:
    """Return a report's definition by code or by its Russian or English title.

    Raises:
        NotFoundError: If no report has that code or title.

    >>> get_definition("Наполняемость классов").code
    'class_occupancy'
    """
    wanted = name.strip()
    if wanted in CATALOGUE:
        return CATALOGUE[wanted]
    folded = wanted.casefold().replace("ё", "е")
    for definition in CATALOGUE.values():
        titles = (definition.title.ru, definition.title.en)
        if any(t.casefold().replace("ё", "е") == folded for t in titles):
            return definition
    raise REPORT_UNKNOWN.error(report=name)


def _target(data: ReportData, params: ReportParams) -> Target:
    class_id = None if params.class_id is None else data.get_class(params.class_id).id
    return Target(
        school_id=data.school.id,
        district=data.school.district,
        region=data.school.region,
        class_id=class_id,
        student_id=params.student_id,  # type: ignore[arg-type]
        subject_id=params.subject_id,  # type: ignore[arg-type]
        employee_id=params.teacher_id,  # type: ignore[arg-type]
        year=data.year,
    )


def _staff_holder(data: ReportData, position: str) -> Employee | None:
    """The active employee whose position starts with ``position`` (first by id)."""
    holders = sorted(
        (
            employee
            for employee in data.employees
            if employee.position.casefold().startswith(position)
            and employee.status is EmployeeStatus.ACTIVE
        ),
        key=lambda employee: employee.id,
    )
    return holders[0] if holders else None


def _director(data: ReportData) -> str | None:
    holder = _staff_holder(data, "директор")
    if holder is not None:
        return holder.person.short_name
    return None if data.school.director is None else signature_name(data.school.director)


def _deputy_head(data: ReportData) -> str | None:
    holder = _staff_holder(data, "заместитель директора")
    return None if holder is None else holder.person.short_name


def _class_teacher(data: ReportData, params: ReportParams) -> str | None:
    school_class = None
    if params.class_id is not None:
        school_class = data.get_class(params.class_id)
    elif params.student_id is not None and data.classes:
        first, last = data.year_span
        day = min(max(params.as_of or params.end or last, first), last)
        school_class = data.class_of(params.student_id, day)  # type: ignore[arg-type]
    if school_class is None:
        return None
    return data.employee_name(school_class.class_teacher_id)


def _subject_teacher(data: ReportData, params: ReportParams) -> EmployeeId | None:
    if params.teacher_id is not None:
        return EmployeeId(params.teacher_id)
    if params.class_id is not None and params.subject_id is not None:
        school_class = data.get_class(params.class_id)
        return data.teacher_of(school_class.id, SubjectId(params.subject_id))
    return None


def signatures_of(
    definition: ReportDefinition, data: ReportData, params: ReportParams
) -> tuple[Signature, ...]:
    """Return the signature lines of a report's printed copy, with names from the data (R9.3).

    Every name comes from a staff card, in one form, «Фамилия И. О.»: the director is the
    active employee whose position is «директор» (the school's ``director`` only where no
    card holds that position); the deputy head is the first active employee whose position
    is «заместитель директора…»; the class teacher is the class's (the student's class for a
    student's report); the subject teacher is the report's teacher (for a class's subject,
    its assigned teacher). An unknown name leaves a blank line.
    """
    names = {
        Signatory.DIRECTOR: lambda: _director(data),
        Signatory.DEPUTY_HEAD: lambda: _deputy_head(data),
        Signatory.CLASS_TEACHER: lambda: _class_teacher(data, params),
        Signatory.SUBJECT_TEACHER: lambda: data.employee_name(_subject_teacher(data, params)),
    }
    return tuple(
        Signature(signatory=signatory, name=names[signatory]())
        for signatory in definition.signatories
    )


def authorize_report(
    action: Action,
    data: ReportData,
    params: ReportParams,
    *,
    actor: Actor,
    authorizer: Authorizer | None,
    generated_at: dt.datetime,
) -> None:
    """Require that ``actor`` may run the report ``action`` on this data (R11.1, R3.1c).

    Raises:
        ValidationError: If an actor is given without an authorizer.
        PermissionDenied: If the role matrix does not grant it.
    """
    if authorizer is None:
        raise REPORT_NO_AUTHORIZER.error()
    on = params.as_of or generated_at.astimezone(data.school.zone).date()
    authorizer.require(actor, action, _target(data, params), on=on)


def run_report(
    name: str,
    data: ReportData,
    params: ReportParams | None = None,
    *,
    generated_at: dt.datetime,
    actor: Actor | None = None,
    authorizer: Authorizer | None = None,
) -> Report:
    """Build a named report (R11.1): check access when an actor is given, then build.

    Args:
        name: The report's code or title.
        data: The data view.
        params: Its parameters.
        generated_at: The moment to print on it (timezone-aware; never read from a clock);
            the report holds it in the school's time zone.
        actor: Who asks; with him, ``authorizer`` decides by the report's action.
        authorizer: The access module's authorizer.

    Raises:
        NotFoundError: For an unknown report, class, student or period.
        ValidationError: For a missing parameter or a naive ``generated_at``.
        PermissionDenied: If the actor may not run it.
    """
    definition = get_definition(name)
    params = params or ReportParams()
    if actor is not None:
        authorize_report(
            definition.action,
            data,
            params,
            actor=actor,
            authorizer=authorizer,
            generated_at=generated_at,
        )
    table = definition.builder(data, params)
    return Report(
        code=definition.code,
        title_ru=definition.title.ru,
        title_en=definition.title.en,
        clause=definition.clause,
        requirement=definition.requirement,
        school_name=data.school.short_name or data.school.name,
        params=params,
        columns=tuple(table.columns),
        rows=[list(row) for row in table.rows],
        totals=None if table.totals is None else list(table.totals),
        generated_at=generated_at.astimezone(data.school.zone),
        subtitle_ru=table.subtitle_ru,
        subtitle_en=table.subtitle_en,
        notes_ru=tuple(table.notes_ru),
        notes_en=tuple(table.notes_en),
        signatures=signatures_of(definition, data, params),
        after_ru=tuple(table.after_ru),
        after_en=tuple(table.after_en),
    )
