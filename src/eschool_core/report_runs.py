"""Produced reports as stored records: the trace the report duties are judged by (R11.3, R11.4).

The regulation makes staff produce named reports on a schedule (clause 11.3: the deputy
head's weekly, monthly and after-period reports; clause 11.4: the teachers'; clause 4.2: the
transition-state report). A :class:`ReportRun` records one production: which report (by the
name the profile's deadline rules use), when, by whom, for which academic year and for what
(``scope``: the class, period, student ...). The write service stores one for every report it
produces (:meth:`eschool_core.service.SchoolService.produce_report`), and the compliance
checker reads them back from the store; a host keeping its own records may still pass them to
:meth:`eschool_core.deadlines.ComplianceData.from_store`.

>>> from datetime import UTC, datetime
>>> run = ReportRun(report_code="Наполняемость классов", year="2025/2026",
...     produced_at=datetime(2025, 10, 6, 7, tzinfo=UTC), by="dh", scope="as_of=2025-10-06")
>>> run.id
'Наполняемость классов@2025-10-06T07:00:00+00:00 by dh; as_of=2025-10-06'
>>> ReportRun(report_code="Наполняемость классов",
...     produced_at=datetime(2025, 10, 6, 7, tzinfo=UTC)).year is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from eschool_core import _validation as v
from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.ids import EmployeeId
from eschool_core.texts import Text

VALUE_NOT_TEXT = ErrorCode(
    "value.not_text",
    ValidationError,
    Text(
        "Поле «{field}» должно быть текстом: {value}",
        "Field '{field}' must be text, got {value}",
    ),
)


__all__ = ["ReportRun", "report_run_id", "run_scope"]


def report_run_id(
    report_code: str, produced_at: datetime, scope: str = "", by: str | None = None
) -> str:
    """Return the id of a run: ``"<code>@<UTC ISO moment>"``, ``" by <employee>"``, ``"; <scope>"``.

    The same report produced at the same moment for the same scope by the same person is the
    same run; two people producing it at the same moment make two runs.

    >>> from datetime import datetime, timedelta, timezone
    >>> report_run_id("Отчёт о посещаемости класса",
    ...     datetime(2025, 10, 31, 12, tzinfo=timezone(timedelta(hours=3))), "class_id=5a", "t1")
    'Отчёт о посещаемости класса@2025-10-31T09:00:00+00:00 by t1; class_id=5a'
    """
    base = f"{report_code.strip()}@{produced_at.astimezone(UTC).isoformat()}"
    if by is not None and by.strip():
        base = f"{base} by {by.strip()}"
    scope = scope.strip()
    return f"{base}; {scope}" if scope else base


def run_scope(params: Mapping[str, object]) -> str:
    """Return the scope text of a report's parameters: ``"class_id=5a; period=Q2"``.

    Parameters that are unset (``None``) are left out; the others keep their order.

    >>> run_scope({"class_id": "5a", "student_id": None, "period": "Q2"})
    'class_id=5a; period=Q2'
    """
    return "; ".join(f"{name}={value}" for name, value in params.items() if value is not None)


def _scope_text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise VALUE_NOT_TEXT.error(field=attribute.name, value=repr(value))


def _optional_year(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        v.year_label(instance, attribute, value)


def _default_id(run: ReportRun) -> str:
    # The fields are not validated yet: anything may have been passed.
    code: object = run.report_code
    moment: object = run.produced_at
    scope: object = run.scope
    by: object = run.by
    if not (isinstance(code, str) and isinstance(moment, datetime) and isinstance(scope, str)):
        return ""  # the fields' own validators name what is wrong
    if moment.utcoffset() is None or not v.instant_in_range(moment):
        return ""
    return report_run_id(code, moment, scope, by if isinstance(by, str) else None)


@attrs.frozen(kw_only=True)
class ReportRun:
    """One production of a named report (R11.3, R11.4, R4.2b).

    Attributes:
        report_code: The report as the profile's deadline rules name it (the regulation's
            Russian title, ``"Наполняемость классов"``).
        produced_at: When it was produced (timezone-aware).
        by: The employee who produced it (``None`` in a host's record that does not say).
        year: The academic year it was produced in (``"2025/2026"``); ``None`` in a host's
            record that does not say.
        scope: What it was produced for, ``"class_id=5a; period=Q2"`` (:func:`run_scope`);
            empty for the whole school.
        id: Id of the record; by default :func:`report_run_id` of the code, the moment, the
            scope and the employee.

    Raises:
        ValidationError: For an empty code, a naive moment, a bad year label or an empty id.
    """

    report_code: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    produced_at: datetime = attrs.field(validator=v.aware_datetime)
    by: EmployeeId | None = attrs.field(default=None, validator=v.optional_text)
    year: str | None = attrs.field(default=None, validator=_optional_year)
    scope: str = attrs.field(default="", converter=v.strip_text, validator=_scope_text)
    id: str = attrs.field(
        default=attrs.Factory(_default_id, takes_self=True), validator=v.non_empty_text
    )
