"""The error codes of ``eschool_core.grading``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.texts import Text

GRADING_AVERAGE_OUT_OF_SCALE = ErrorCode(
    "grading.average_out_of_scale",
    ValidationError,
    Text(
        "Средний балл {value} вне шкалы 1-5",
        "The average {value} is outside the scale 1-5",
    ),
)

GRADING_BAD_COUNT = ErrorCode(
    "grading.bad_count",
    ValidationError,
    Text(
        "«{field}» должно быть целым ≥ 0: {value}",
        "'{field}' must be an integer >= 0, got {value}",
    ),
)

GRADING_BAD_WEIGHT_RANGE = ErrorCode(
    "grading.bad_weight_range",
    ValidationError,
    Text(
        "Диапазон весов {min_weight}..{max_weight} недопустим",
        "The weight range {min_weight}..{max_weight} is invalid",
    ),
)

GRADING_DUPLICATE_WORK_TYPE = ErrorCode(
    "grading.duplicate_work_type",
    ValidationError,
    Text(
        "Вид работы «{work_type}» указан дважды",
        "The work type '{work_type}' is given twice",
    ),
)

GRADING_MIN_MARKS = ErrorCode(
    "grading.min_marks",
    ValidationError,
    Text(
        "Минимум отметок для «{kind}» должен быть целым ≥ 0: {count!r}",
        "The minimum of marks for '{kind}' must be an integer >= 0, got {count!r}",
    ),
)

GRADING_MIXED_MARKS = ErrorCode(
    "grading.mixed_marks",
    ValidationError,
    Text(
        "Отметки за периоды смешивают баллы и «зач»/«незач»",
        "The period marks mix scores with «зач»/«незач»",
    ),
)

GRADING_NO_WORK_TYPES = ErrorCode(
    "grading.no_work_types",
    ValidationError,
    Text(
        "Не задан ни один вид работы",
        "No work type is defined",
    ),
)

GRADING_NOT_A_MARK = ErrorCode(
    "grading.not_a_mark",
    ValidationError,
    Text(
        "Ожидалась отметка, получено {value}",
        "A mark is expected, got {value}",
    ),
)

GRADING_PERIOD_BOUNDS = ErrorCode(
    "grading.period_bounds",
    ValidationError,
    Text(
        "Период «{period}» заканчивается раньше, чем начинается",
        "The period '{period}' ends before it starts",
    ),
)

GRADING_PERIOD_KIND_CLASH = ErrorCode(
    "grading.period_kind_clash",
    ValidationError,
    Text(
        "Период «{period}» указан с разными видами: {known}, {kind}",
        "The period '{period}' is given with two kinds: {known}, {kind}",
    ),
)

GRADING_PERIODS_OVERLAP = ErrorCode(
    "grading.periods_overlap",
    ValidationError,
    Text(
        "Периоды «{periods[0]}» и «{periods[1]}» пересекаются ({date})",
        "The periods '{periods[0]}' and '{periods[1]}' overlap ({date})",
    ),
)

GRADING_SCORE_REQUIRED = ErrorCode(
    "grading.score_required",
    ValidationError,
    Text(
        "Здесь нужна числовая отметка, а не «{value}»",
        "A numeric mark is required here, not «{value}»",
    ),
)

GRADING_UNKNOWN_WORK_TYPE = ErrorCode(
    "grading.unknown_work_type",
    ValidationError,
    Text(
        "Неизвестный вид работы «{work_type}»",
        "Unknown work type '{work_type}'",
    ),
)


GRADING_NO_MARKS = ErrorCode(
    "grading.no_marks",
    ValidationError,
    Text("Нет отметок ({what})", "No marks are given ({what})"),
)


GRADING_BAD_THRESHOLD = ErrorCode(
    "grading.bad_threshold",
    ValidationError,
    Text("Порог округления: {reason}", "Rounding threshold: {reason}"),
)

GRADING_SCHEME_REQUIRED = ErrorCode(
    "grading.scheme_required",
    ValidationError,
    Text("Нужна схема периодов: {reason}", "A period scheme is needed: {reason}"),
)

GRADING_WEIGHT_OUT_OF_RANGE = ErrorCode(
    "grading.weight_out_of_range",
    ValidationError,
    Text("Вес {reason}", "The weight {reason}"),
)
