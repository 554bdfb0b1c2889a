"""When school happens: the state production calendar and the school's academic year.

Import it as ``from eschool_core import calendar as school_calendar`` so that the standard
library's :mod:`calendar` is not shadowed.

Working days, calendar days, school days
----------------------------------------
*Working days* are days of the official Russian production calendar for a 5-day week
(:class:`ProductionCalendar`), with the state's transfers of days off and a profile's regional
overrides. *Calendar days* are all days. *School days* are the days a parallel studies
(:meth:`AcademicYear.is_school_day`).

What "within 3 working days of the order" means
------------------------------------------------
Everywhere in eschool_core, a duty "within *n* working days of" an event dated ``d`` is due
on ``ProductionCalendar().add_working_days(d, n)``: the *n*-th working day strictly after the
event's date. An entry made on the due date is on time; an entry made the day after is late.
The event's own date never counts, even when it is a working day.

Worked example across the May holidays of 2025 (1-4 and 8-11 May are days off): an
enrolment order dated Wednesday 30 April 2025 must be entered within 3 working days. The
working days after it are Monday 5 May (1st), Tuesday 6 May (2nd) and Wednesday 7 May (3rd),
so the due date is 7 May; an entry on 7 May is on time, on 8 May (a day off) or on 12 May it
is late.

>>> from datetime import date
>>> cal = ProductionCalendar()
>>> due = cal.add_working_days(date(2025, 4, 30), 3)
>>> due
datetime.date(2025, 5, 7)
>>> cal.working_days(date(2025, 5, 1), due)  # the working days after the order, up to the due date
3
"""

from eschool_core.calendar._decree import (
    DecreedYear,
    decreed_years_from_tables,
    decreed_years_from_toml,
)
from eschool_core.calendar._label import YearLabel
from eschool_core.calendar._norms import NORM_SOURCE, CalendarWarning, WarningCode
from eschool_core.calendar._periods import (
    ALL_PARALLELS,
    MovedDay,
    PeriodCode,
    PeriodScheme,
    StudyPeriod,
    Vacation,
    VacationKind,
    check_parallel,
)
from eschool_core.calendar._production import (
    FIRST_SUPPORTED_YEAR,
    LAST_SUPPORTED_YEAR,
    HolidaySource,
    ProductionCalendar,
    RussianHolidays,
    require_date,
)
from eschool_core.calendar._standard import (
    CalendarPolicy,
    MonthDay,
    SplitPoint,
    VacationTemplate,
    standard_year,
)
from eschool_core.calendar._year import (
    AcademicYear,
    ParallelSchedule,
    year_from_toml,
    year_to_toml,
)

__all__ = [
    "ALL_PARALLELS",
    "FIRST_SUPPORTED_YEAR",
    "LAST_SUPPORTED_YEAR",
    "NORM_SOURCE",
    "AcademicYear",
    "CalendarPolicy",
    "CalendarWarning",
    "DecreedYear",
    "HolidaySource",
    "MonthDay",
    "MovedDay",
    "ParallelSchedule",
    "PeriodCode",
    "PeriodScheme",
    "ProductionCalendar",
    "RussianHolidays",
    "SplitPoint",
    "StudyPeriod",
    "Vacation",
    "VacationKind",
    "VacationTemplate",
    "WarningCode",
    "YearLabel",
    "check_parallel",
    "decreed_years_from_tables",
    "decreed_years_from_toml",
    "require_date",
    "standard_year",
    "year_from_toml",
    "year_to_toml",
]
