"""The error codes of ``eschool_core.service``: each defined once (see ``docs/errors.md``)."""

from __future__ import annotations

from eschool_core.errors import ErrorCode, RuleViolation, StorageError, ValidationError
from eschool_core.texts import Text

ATTENDANCE_FUTURE_LESSON = ErrorCode(
    "attendance.future_lesson",
    ValidationError,
    Text(
        "Урок {lesson_id} ({date}) ещё не прошёл",
        "Lesson {lesson_id} ({date}) is still to come",
    ),
    clause="8.6",
)

ATTENDANCE_UNCHANGED = ErrorCode(
    "attendance.unchanged",
    ValidationError,
    Text(
        "Причина пропуска {record_id} уже «{reason}»",
        "The absence {record_id} already has the reason '{reason}'",
    ),
    clause="8.5.1",
)

ATTESTATION_IDENTITY_CHANGED = ErrorCode(
    "attestation.identity_changed",
    ValidationError,
    Text(
        "Отметка {id} — другого ученика, предмета, года или вида",
        "Mark {id} is of another student, subject, year or kind",
    ),
    clause="8.9",
)

ATTESTATION_KIND_NOT_FOR_PARALLEL = ErrorCode(
    "attestation.kind_not_for_parallel",
    ValidationError,
    Text(
        "Отметка вида «{kind}» не ставится ученику {student_id} {parallel} класса: "
        "экзаменационные и итоговые отметки — только в 9 и 11 классах",
        "A mark of kind '{kind}' is not set for student {student_id} of grade {parallel}: "
        "exam and final marks are for grades 9 and 11 only",
    ),
    clause="8.4.1",
)

ATTESTATION_PERIOD_NOT_IN_SCHEME = ErrorCode(
    "attestation.period_not_in_scheme",
    ValidationError,
    Text(
        "В {parallel} классе нет учебного периода «{period}» (периоды года: {known})",
        "Grade {parallel} has no study period '{period}' (the year's periods: {known})",
    ),
    clause="8.7",
)

DEADLINES_REOPEN_WITHOUT_REASON = ErrorCode(
    "deadlines.reopen_without_reason",
    RuleViolation,
    Text(
        "Открытие закрытого периода требует указать причину",
        "Reopening a closed period requires a stated reason",
    ),
)

HOMEWORK_DUE_ELSEWHERE = ErrorCode(
    "homework.due_elsewhere",
    ValidationError,
    Text(
        "Задание урока {lesson_id} задано к уроку {due_lesson_id} другого предмета, "
        "класса или группы",
        "The homework of lesson {lesson_id} is due for lesson {due_lesson_id} of another "
        "subject, class or group",
    ),
    clause="8.4.2",
)

HOMEWORK_DUE_NOT_LATER = ErrorCode(
    "homework.due_not_later",
    ValidationError,
    Text(
        "Задание урока {lesson_id} ({date}, {number}-й урок) задано к уроку {due_lesson_id} "
        "({due_date}, {due_number}-й урок), который не позже него",
        "The homework of lesson {lesson_id} ({date}, period {number}) is due for lesson "
        "{due_lesson_id} ({due_date}, period {due_number}), which is not after it",
    ),
    clause="8.4.2",
)

LESSON_NOTHING_TO_RECORD = ErrorCode(
    "lesson.nothing_to_record",
    ValidationError,
    Text(
        "Не указано ни темы, ни материала, ни задания",
        "No topic, material or homework is given",
    ),
    clause="8.4.2",
)

MARK_CORRECTED_BEFORE_ENTERED = ErrorCode(
    "mark.corrected_before_entered",
    ValidationError,
    Text(
        "Отметка {id} исправляется раньше, чем внесена ({entered_at})",
        "Mark {id} is corrected before it was entered ({entered_at})",
    ),
    clause="8.6",
)

MARK_FUTURE_LESSON = ErrorCode(
    "mark.future_lesson",
    ValidationError,
    Text(
        "Урок {lesson_id} ({date}) ещё не прошёл: отметки за него не ставятся",
        "Lesson {lesson_id} ({date}) is still to come: no marks for it yet",
    ),
    clause="8.6",
)

MARK_HISTORY_MISMATCH = ErrorCode(
    "mark.history_mismatch",
    ValidationError,
    Text(
        "Отметка {id}: история исправлений не сходится со значением {value} — значение "
        "изменено в обход журнала",
        "Mark {id}: its corrections do not lead to its value {value}; the value was "
        "changed around the journal",
    ),
    clause="3.1",
)

ORDER_DEBT_NOT_FAILING = ErrorCode(
    "order.debt_not_failing",
    ValidationError,
    Text(
        "Условный перевод ученика {student_id}: задолженность по предмету {subject_id} "
        "при годовой отметке «{value}»",
        "Conditional promotion of student {student_id}: a debt in {subject_id} with the "
        "annual mark '{value}'",
    ),
    clause="10.1c",
)

ORDER_PROMOTION_WITH_FAILING_MARK = ErrorCode(
    "order.promotion_with_failing_mark",
    ValidationError,
    Text(
        "Перевод ученика {student_id} без задолженности при годовой отметке «{value}» "
        "по предмету {subject_id}: это условный перевод",
        "Promotion of student {student_id} with no debt despite the annual mark '{value}' "
        "in {subject_id}: that is a conditional promotion",
    ),
    clause="10.1c",
)

ORDER_REPEAT_WITHOUT_FAILURE = ErrorCode(
    "order.repeat_without_failure",
    ValidationError,
    Text(
        "Ученик {student_id} оставлен на повторное обучение, хотя все его годовые "
        "отметки ({count}) положительные",
        "Student {student_id} is kept for a repeat year though all his annual marks "
        "({count}) are satisfactory",
    ),
    clause="10.1c",
)

ORDER_TRANSFER_TO_OTHER_PARALLEL = ErrorCode(
    "order.transfer_to_other_parallel",
    ValidationError,
    Text(
        "Ученик {student_id} переводится из {from_class} ({from_parallel} класс) в "
        "{to_class} ({to_parallel} класс): в течение года переводят только в класс той же "
        "параллели",
        "Student {student_id} is transferred from {from_class} (grade {from_parallel}) to "
        "{to_class} (grade {to_parallel}): during the year a transfer stays within the "
        "parallel",
    ),
    clause="10.1e",
)

PERIOD_UNKNOWN = ErrorCode(
    "period.unknown",
    ValidationError,
    Text(
        "В учебном году {label} нет периода «{period}»",
        "The academic year {label} has no period '{period}'",
    ),
    clause="8.9",
)

REPORT_BAD_CODE = ErrorCode(
    "report.bad_code",
    ValidationError,
    Text(
        "Отчёт называется кодом или названием (текстом), получено {value}",
        "A report is named by its code or title (text), got {value}",
    ),
)

REPORT_BAD_PARAMS = ErrorCode(
    "report.bad_params",
    ValidationError,
    Text(
        "Параметры отчёта задаются ReportParams, получено {value}",
        "A report's parameters are a ReportParams, got {value}",
    ),
)

REPORT_RUN_BAD_SCOPE = ErrorCode(
    "report_run.bad_scope",
    ValidationError,
    Text(
        "Область отчёта «{scope}» не читается как параметры (class_id=5a; period=Q2)",
        "The report scope '{scope}' does not read as parameters (class_id=5a; period=Q2)",
    ),
    clause="11.3",
)

ROLLOVER_DONE = ErrorCode(
    "rollover.done",
    RuleViolation,
    Text(
        "Учебный год {year} уже переведён на следующий",
        "The academic year {year} has been rolled over already",
    ),
    clause="4.4",
)

SERVICE_BAD_ENTRIES = ErrorCode(
    "service.bad_entries",
    ValidationError,
    Text(
        "Нужна хотя бы одна отметка, не больше одной на ученика за команду",
        "At least one mark is needed, and at most one per student in a command",
    ),
    clause="8.4.1",
)

SERVICE_DOUBLE_RECORD = ErrorCode(
    "service.double_record",
    StorageError,
    Text(
        "Команда записала в журнал изменений дважды",
        "A command wrote to the audit log twice",
    ),
)

SERVICE_NO_ACCOUNT_STORE = ErrorCode(
    "service.no_account_store",
    ValidationError,
    Text(
        "Сервису не передано хранилище учётных записей (accounts)",
        "The service was given no account store (accounts)",
    ),
    clause="3.2.3",
)

SERVICE_NOT_AN_ACTOR = ErrorCode(
    "service.not_an_actor",
    ValidationError,
    Text(
        "Команду выполняет пользователь (Actor), получено {actor!r}",
        "A command is done by an Actor, got {actor!r}",
    ),
)


MARK_UNCHANGED = ErrorCode(
    "mark.unchanged",
    ValidationError,
    Text("Отметка {id} уже равна {value}", "Mark {id} is {value} already"),
)


PERIOD_RULES = {
    code: ErrorCode(
        code,
        RuleViolation,
        Text("Учебный период {period} {reason}", "Study period {period} {reason}"),
        clause="8.9",
    )
    for code in ("period.already_closed", "period.not_closed", "period.not_ended")
}

PERIOD_SCOPES = {
    code: ErrorCode(
        code,
        ValidationError,
        Text(
            "Период открывается для класса, предмета и учителя: {reason}",
            "A period is reopened for a class, subject and teacher: {reason}",
        ),
        clause="8.9",
    )
    for code in ("period.reopen_class", "period.reopen_subject", "period.reopen_teacher")
}
