"""The error codes of ``eschool_core.reports``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, NotFoundError, ValidationError
from eschool_core.texts import Text

REPORT_BAD_RANGE = ErrorCode(
    "report.bad_range",
    ValidationError,
    Text(
        "Конец периода отчёта раньше начала",
        "The end of the report's range is before its start",
    ),
)

REPORT_CHART_FORMAT = ErrorCode(
    "report.chart_format",
    ValidationError,
    Text(
        "Формат графика «{fmt}» не поддерживается (png, svg)",
        "Chart format '{fmt}' is not supported (png, svg)",
    ),
)

REPORT_CLASS_NOT_FOUND = ErrorCode(
    "report.class_not_found",
    NotFoundError,
    Text(
        "Класс «{class}» не найден в {year} учебном году",
        "Class '{class}' not found in {year}",
    ),
)

REPORT_CONSTRUCTOR_QUERY = ErrorCode(
    "report.constructor_query",
    ValidationError,
    Text(
        "Конструктор отчётов: {reason}",
        "Report constructor: {reason}",
    ),
    clause="11.6",
)

REPORT_EMPLOYEE_NOT_FOUND = ErrorCode(
    "report.employee_not_found",
    NotFoundError,
    Text(
        "Сотрудник «{employee}» не найден",
        "Employee '{employee}' not found",
    ),
)

REPORT_MISSING_PARAM = ErrorCode(
    "report.missing_param",
    ValidationError,
    Text(
        "Для отчёта нужен параметр «{param}»",
        "The report needs the parameter '{param}'",
    ),
)

REPORT_NO_AUTHORIZER = ErrorCode(
    "report.no_authorizer",
    ValidationError,
    Text(
        "Для проверки прав пользователя нужен Authorizer",
        "Checking an actor's rights needs an Authorizer",
    ),
)

REPORT_NO_COLUMN = ErrorCode(
    "report.no_column",
    NotFoundError,
    Text(
        "В отчёте «{code}» нет столбца «{column}»",
        "Report '{code}' has no column '{column}'",
    ),
)

REPORT_NO_FONT = ErrorCode(
    "report.no_font",
    NotFoundError,
    Text(
        "Не найден шрифт с кириллицей для PDF: укажите путь к TTF в переменной {FONT_ENV} "
        "или установите дополнение 'export'",
        "No Cyrillic font for PDF found: set {FONT_ENV} to a TTF file or install the "
        "'export' extra",
    ),
)

REPORT_NO_PERIODS = ErrorCode(
    "report.no_periods",
    ValidationError,
    Text(
        "Нет учебных периодов для параллели {parallel}",
        "No study periods for parallel {parallel}",
    ),
)

REPORT_NO_ROW = ErrorCode(
    "report.no_row",
    NotFoundError,
    Text(
        "В отчёте «{code}» нет строки со значением «{value}» в столбце «{column}»",
        "Report '{code}' has no row with '{value}' in '{column}'",
    ),
)

REPORT_NOT_CHARTABLE = ErrorCode(
    "report.not_chartable",
    ValidationError,
    Text(
        "Отчёт «{report_code}» нельзя показать графиком: нужны столбцы даты и среднего балла",
        "Report '{report_code}' has no date and average columns to chart",
    ),
)

REPORT_PERIOD_NOT_FOUND = ErrorCode(
    "report.period_not_found",
    NotFoundError,
    Text(
        "Учебный период «{period}» не найден",
        "Study period '{period}' not found",
    ),
)

REPORT_SCHOOL_UNKNOWN = ErrorCode(
    "report.school_unknown",
    NotFoundError,
    Text(
        "Укажите школу: в хранилище их несколько или нет ни одной",
        "Name the school: the store holds several or none",
    ),
)

REPORT_SHAPE = ErrorCode(
    "report.shape",
    ValidationError,
    Text(
        "Отчёт «{report}»: {reason}",
        "Report '{report}': {reason}",
    ),
)

REPORT_STUDENT_NOT_FOUND = ErrorCode(
    "report.student_not_found",
    NotFoundError,
    Text(
        "Ученик «{student}» не найден",
        "Student '{student}' not found",
    ),
)

REPORT_STUDENT_WITHOUT_CLASS = ErrorCode(
    "report.student_without_class",
    NotFoundError,
    Text(
        "Ученик «{student}» не учится ни в одном классе {year} года",
        "Student '{student}' is in no class of {year}",
    ),
)

REPORT_SUBJECT_NOT_FOUND = ErrorCode(
    "report.subject_not_found",
    NotFoundError,
    Text(
        "Предмет «{subject}» не найден",
        "Subject '{subject}' not found",
    ),
)

REPORT_UNKNOWN = ErrorCode(
    "report.unknown",
    NotFoundError,
    Text(
        "Отчёт «{report}» не найден",
        "Report '{report}' not found",
    ),
)

REPORT_UNKNOWN_CASE = ErrorCode(
    "report.unknown_case",
    ValidationError,
    Text(
        "Неизвестный падеж «{case}»",
        "Unknown grammatical case '{case}'",
    ),
)

REPORT_UNKNOWN_FORMAT = ErrorCode(
    "report.unknown_format",
    ValidationError,
    Text(
        "Неизвестный формат «{format}»",
        "Unknown format '{format}'",
    ),
)
