"""The lesson timetable, rooms, bell schedules, events, and the lessons they produce (R7).

:class:`Timetable` holds the weekly lessons of a year (:class:`TimetableEntry`): class or
group, weekday, lesson number, subject, teacher, room. :func:`validate_timetable` finds
double bookings, weekly hours that differ from the curriculum, and a timetable entered
before the curriculum, the rooms or the bells. :func:`generate_lessons` turns a timetable
and an academic year into the journal's lessons; :func:`substitute_teacher` and
:func:`cancel_lesson` record the day's changes. :class:`SchoolEvent` keeps school and class
events with their entry moments.

The moments the deadline checks need are recorded on the entities:
``Timetable.completed_at`` (R7.7a), ``SchoolEvent.entered_at`` and ``reference_date``
(R7.7b, R7.7e), and ``Lesson.substitute_entered_at`` / ``cancelled_at`` (R7.7d).
"""

from eschool_core.timetable._events import EventKind, SchoolEvent
from eschool_core.timetable._lessons import (
    cancel_lesson,
    generate_lessons,
    lesson_id_for,
    substitute_teacher,
)
from eschool_core.timetable._model import (
    WEEKDAY_NAMES,
    Bell,
    BellSchedule,
    Room,
    Timetable,
    TimetableEntry,
    bell_schedule_for,
)
from eschool_core.timetable._validate import validate_timetable

__all__ = [
    "WEEKDAY_NAMES",
    "Bell",
    "BellSchedule",
    "EventKind",
    "Room",
    "SchoolEvent",
    "Timetable",
    "TimetableEntry",
    "bell_schedule_for",
    "cancel_lesson",
    "generate_lessons",
    "lesson_id_for",
    "substitute_teacher",
    "validate_timetable",
]
