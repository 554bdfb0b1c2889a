"""``eschool report … --record-as``: record a report run as a named employee (R11.3, R11.4).

The command line builds the report itself, so it records the run the way a host that
renders reports does: :meth:`~eschool_core.service.SchoolService.record_report_run`,
authorized by the role matrix for the employee's role and audited in the store.
"""

from __future__ import annotations

import datetime as dt

import click

from eschool_core.calendar import AcademicYear
from eschool_core.cli._find import Named, find_person
from eschool_core.cli._options import say
from eschool_core.ids import AccountId, EmployeeId
from eschool_core.people import Employee
from eschool_core.profiles import Profile
from eschool_core.rbac import Actor, Role
from eschool_core.report_runs import ReportRun, run_scope
from eschool_core.reports import ReportParams
from eschool_core.service import SchoolService
from eschool_core.storage import Store
from eschool_core.year_data import require_school

__all__ = ["STAFF_ROLE_CHOICES", "record_run", "role_of_position"]

STAFF_ROLE_CHOICES = tuple(role.value for role in Role if role.is_staff)
"""The roles ``--role`` accepts: the school staff's."""

_POSITION_ROLES = (
    ("заместитель директора", Role.DEPUTY_HEAD),
    ("завуч", Role.DEPUTY_HEAD),
    ("директор", Role.DIRECTOR),
    ("делопроизвод", Role.CLERK),
    ("секретар", Role.SECRETARY),
    ("кадр", Role.HR_SPECIALIST),
    ("администратор", Role.ADMINISTRATOR),
    ("учител", Role.TEACHER),
    ("педагог", Role.TEACHER),
)
"""Words of a position (its start matters: «заместитель директора» before «директор»)."""


def role_of_position(position: str) -> Role | None:
    """Return the role a staff position usually has, or ``None`` when it does not tell.

    >>> role_of_position("Заместитель директора по УВР").value
    'deputy_head'
    >>> role_of_position("Учитель математики").value
    'teacher'
    >>> role_of_position("Сторож") is None
    True
    """
    lowered = position.casefold()
    for word, role in _POSITION_ROLES:
        if word in lowered:
            return role
    return None


def record_run(
    store: Store,
    *,
    year: AcademicYear,
    profile: Profile,
    employee_key: str,
    role: str | None,
    code: str,
    params: ReportParams,
    at: dt.datetime,
) -> tuple[ReportRun, Employee]:
    """Record that the employee ``employee_key`` (an id or a name) produced report ``code``.

    The actor is the employee's card with ``role`` (default: the role the card's position
    tells, :func:`role_of_position`); its account is ``cli-<employee id>``.

    The school is the store's, chosen as every reader chooses it
    (:func:`~eschool_core.year_data.require_school`).

    Raises:
        NotFoundError: For an employee that fits no staff card (with suggestions), or a
            store without a school (``store.no_school``).
        ValidationError: For a store of several schools (``store.school_required``).
        click.UsageError: When the position tells no role and ``role`` is not given.
        PermissionDenied: If the role matrix does not grant the report to the role.
    """
    with store.unit_of_work() as uow:
        school = require_school(uow)
        staff = uow.employees.all()
    named = [Named(id=e.id, name=e.person.full_name, hint=e.position) for e in staff]
    found = find_person(employee_key, named, option="--record-as", student=False)
    employee = next(e for e in staff if e.id == found.id)
    chosen = Role(role) if role is not None else role_of_position(employee.position)
    if chosen is None:
        raise click.UsageError(
            say(
                f"должность «{employee.position}» не говорит о роли: укажите --role",
                f"the position '{employee.position}' tells no role: give --role",
            )
        )
    actor = Actor(
        account_id=AccountId(f"cli-{employee.id}"),
        roles=[chosen],
        school_id=school.id,
        employee_id=EmployeeId(employee.id),
    )
    service = SchoolService(store, year=year, profile=profile, school_id=school.id)
    run = service.record_report_run(actor, at, code, scope=run_scope(params.to_json()))
    return run, employee
