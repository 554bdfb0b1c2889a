"""The error codes of ``eschool_core.timetable``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, RuleViolation, ValidationError
from eschool_core.texts import Text

BELL_ENDS_BEFORE_START = ErrorCode(
    "bell.ends_before_start",
    ValidationError,
    Text(
        "Урок {number} заканчивается не позже, чем начинается",
        "Lesson {number} does not end after it starts",
    ),
    clause="7.6",
)

BELL_SCHEDULE_ORDER = ErrorCode(
    "bell_schedule.order",
    ValidationError,
    Text(
        "Расписание звонков «{name}»: уроки должны идти по порядку номеров и не пересекаться",
        "Bell schedule '{name}': lessons must follow in number order without overlapping",
    ),
    clause="7.6",
)

EVENT_ENDS_BEFORE_START = ErrorCode(
    "event.ends_before_start",
    ValidationError,
    Text(
        "Мероприятие «{title}» заканчивается раньше, чем начинается",
        "Event '{title}' ends before it starts",
    ),
    clause="7.1",
)

EVENT_NO_CLASS = ErrorCode(
    "event.no_class",
    ValidationError,
    Text(
        "Классное мероприятие «{title}» должно указывать класс",
        "Class event '{title}' must name a class",
    ),
    clause="7.3",
)

TIMETABLE_ALREADY_CANCELLED = ErrorCode(
    "timetable.already_cancelled",
    RuleViolation,
    Text(
        "Урок {id} уже отменён",
        "Lesson {id} is already cancelled",
    ),
    clause="7.7",
)

TIMETABLE_DUPLICATE_ENTRY = ErrorCode(
    "timetable.duplicate_entry",
    ValidationError,
    Text(
        "Расписание {id}: урок повторяется",
        "Timetable {id}: an entry is repeated",
    ),
    clause="7.1",
)

TIMETABLE_ENDS_BEFORE_START = ErrorCode(
    "timetable.ends_before_start",
    ValidationError,
    Text(
        "Расписание {id} заканчивается раньше, чем начинается",
        "Timetable {id} ends before it starts",
    ),
    clause="7.1",
)

TIMETABLE_ENTRY_TARGET = ErrorCode(
    "timetable.entry_target",
    ValidationError,
    Text(
        "Урок расписания указывает либо класс, либо группу",
        "A timetable entry names either a class or a group, not both or neither",
    ),
    clause="7.1",
)

TIMETABLE_OTHER_YEAR = ErrorCode(
    "timetable.other_year",
    ValidationError,
    Text(
        "Расписание {timetable_id} относится к {year}, а не к {label}",
        "Timetable {timetable_id} is of {year}, not of {label}",
    ),
    clause="7.1",
)

TIMETABLE_SUBSTITUTE_CANCELLED = ErrorCode(
    "timetable.substitute_cancelled",
    RuleViolation,
    Text(
        "Урок {id} отменён: замена невозможна",
        "Lesson {id} is cancelled: it cannot be substituted",
    ),
    clause="7.7",
)

TIMETABLE_SUBSTITUTE_SELF = ErrorCode(
    "timetable.substitute_self",
    RuleViolation,
    Text(
        "Урок {id}: учитель не может заменять сам себя",
        "Lesson {id}: a teacher cannot substitute for himself",
    ),
    clause="7.7",
)

TIMETABLE_UNKNOWN_TARGET = ErrorCode(
    "timetable.unknown_target",
    ValidationError,
    Text(
        "Расписание ссылается на неизвестный объект ({kind} «{id}»)",
        "The timetable names an unknown {kind} '{id}'",
    ),
    clause="7.1",
)

VALUE_NOT_A_TIME = ErrorCode(
    "value.not_a_time",
    ValidationError,
    Text(
        "Поле «{field}» должно быть временем без часового пояса: {value!r}",
        "Field '{field}' must be a local time of day, got {value!r}",
    ),
)
