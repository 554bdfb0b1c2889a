"""The catalogues of the role model: roles, actions and scopes, with Russian and English names."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Final, TypeVar

from eschool_core import _validation as v
from eschool_core.errors import Language, ValidationError
from eschool_core.texts import Text

__all__ = [
    "REPORT_TITLES",
    "STAFF_ROLES",
    "Action",
    "Role",
    "Scope",
    "academic_year_of",
    "to_action",
    "to_role",
    "to_scope",
]

_E = TypeVar("_E", bound=StrEnum)


class Role(StrEnum):
    """A role of the subsystem (clauses 3-12 of the regulation).

    Class-teacher and subject-teacher duties are not roles: they follow from a teacher's
    assignments (a class whose class teacher he is, a class or group and subject he teaches).

    >>> Role.DEPUTY_HEAD.label(), Role.DEPUTY_HEAD.label("en")
    ('Завуч', 'Deputy head')
    """

    ADMINISTRATOR = "administrator"
    DIRECTOR = "director"
    DEPUTY_HEAD = "deputy_head"
    TEACHER = "teacher"
    HR_SPECIALIST = "hr_specialist"
    CLERK = "clerk"
    SECRETARY = "secretary"
    STUDENT = "student"
    PARENT = "parent"
    DISTRICT_COORDINATOR = "district_coordinator"
    REGIONAL_COORDINATOR = "regional_coordinator"

    def label(self, language: Language | str = Language.RU) -> str:
        """Return the role's name in ``language`` (the regulation's Russian name by default)."""
        return _ROLE_LABELS[self].in_(language)

    @property
    def label_text(self) -> Text:
        """The role's name in Russian and English."""
        return _ROLE_LABELS[self]

    @property
    def is_staff(self) -> bool:
        """Whether the role belongs to the school's staff (it needs an active employee card)."""
        return self in STAFF_ROLES

    @property
    def reads_only(self) -> bool:
        """Whether the role may only read (students and parents, R3.2.4)."""
        return self in {Role.STUDENT, Role.PARENT}


STAFF_ROLES: Final = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.DIRECTOR,
        Role.DEPUTY_HEAD,
        Role.TEACHER,
        Role.HR_SPECIALIST,
        Role.CLERK,
        Role.SECRETARY,
    }
)
"""Roles held by school employees: a dismissed employee loses them (R4.3)."""

_ROLE_LABELS: Final[Mapping[Role, Text]] = {
    Role.ADMINISTRATOR: Text("Администратор", "Administrator"),
    Role.DIRECTOR: Text("Директор", "Director"),
    Role.DEPUTY_HEAD: Text("Завуч", "Deputy head"),
    Role.TEACHER: Text("Учитель", "Teacher"),
    Role.HR_SPECIALIST: Text("Специалист по кадрам", "HR specialist"),
    Role.CLERK: Text("Делопроизводитель", "Clerk"),
    Role.SECRETARY: Text("Секретарь", "Secretary"),
    Role.STUDENT: Text("Ученик", "Student"),
    Role.PARENT: Text("Родитель", "Parent"),
    Role.DISTRICT_COORDINATOR: Text("Районный координатор", "District coordinator"),
    Role.REGIONAL_COORDINATOR: Text("Региональный координатор", "Regional coordinator"),
}


class Scope(StrEnum):
    """How far a granted cell reaches, judged against the target and the actor's relations.

    >>> Scope.OWN_CLASS.label("en")
    'own class (class teacher)'
    """

    OWN = "own"
    """The actor's own data: his own student, guardian or employee card and diary."""
    LINKED_CHILDREN = "linked_children"
    """Students linked to the actor as a parent by a guardian link holding on the day."""
    OWN_CLASS = "own_class"
    """A class whose class teacher the actor is in that class's year (and its students)."""
    TAUGHT = "taught"
    """A class or group and subject the actor teaches under an assignment holding on the day.

    A target naming another employee (his report) is never in it (R3.1c)."""
    OWN_PRIMARY_CLASS = "own_primary_class"
    """Every subject of the actor's own class when it is in grades 1-4 (R8.7b, R8.8)."""
    SCHOOL = "school"
    """Anything of the actor's school."""
    DISTRICT = "district"
    """Anything of the actor's municipal district."""
    REGION = "region"
    """Anything of the actor's region."""

    def label(self, language: Language | str = Language.RU) -> str:
        """Return the scope's name in ``language``."""
        return _SCOPE_LABELS[self].in_(language)

    @property
    def label_text(self) -> Text:
        """The scope's name in Russian and English."""
        return _SCOPE_LABELS[self]


_SCOPE_LABELS: Final[Mapping[Scope, Text]] = {
    Scope.OWN: Text("собственные данные", "own data"),
    Scope.LINKED_CHILDREN: Text("прикреплённые дети", "linked children"),
    Scope.OWN_CLASS: Text("свой класс (классный руководитель)", "own class (class teacher)"),
    Scope.TAUGHT: Text("преподаваемые класс/группа и предмет", "taught class/group and subject"),
    Scope.OWN_PRIMARY_CLASS: Text(
        "все предметы своего класса, 1-4 классы",
        "all subjects of own class, grades 1-4",
    ),
    Scope.SCHOOL: Text("школа", "school"),
    Scope.DISTRICT: Text("район", "district"),
    Scope.REGION: Text("регион", "region"),
}


class Action(StrEnum):
    """A duty or a right named in the regulation; one member per thing a user does or sees.

    Each named report is its own action (``report.<code>``), so the matrix cites the clause
    that gives each report to each role. Writes and reads are told apart by
    :attr:`is_write`: students and parents never get a write (R3.2.4).

    >>> Action.PERIOD_MARK_WRITE.label(), Action.PERIOD_MARK_WRITE.is_write
    ('Выставление четвертных (триместровых) и полугодовых оценок', True)
    """

    # Journal (clause 8)
    MARK_WRITE = "mark.write"
    PERIOD_MARK_WRITE = "period_mark.write"
    FINAL_MARK_WRITE = "final_mark.write"
    ATTENDANCE_WRITE = "attendance.write"
    ABSENCE_REASON_WRITE = "absence_reason.write"
    LESSON_CONTENT_WRITE = "lesson_content.write"
    JOURNAL_READ = "journal.read"
    DIARY_READ = "diary.read"
    # Curriculum (clause 5, 4.6)
    CURRICULUM_WRITE = "curriculum.write"
    SUBJECT_WRITE = "subject.write"
    TEACHING_ASSIGNMENT_WRITE = "teaching_assignment.write"
    CURRICULUM_READ = "curriculum.read"
    THEMATIC_PLAN_WRITE = "thematic_plan.write"
    THEMATIC_PLAN_READ = "thematic_plan.read"
    # Timetable (clause 7)
    TIMETABLE_WRITE = "timetable.write"
    BELL_SCHEDULE_WRITE = "bell_schedule.write"
    SCHOOL_EVENT_WRITE = "school_event.write"
    CLASS_EVENT_WRITE = "class_event.write"
    DAY_TRANSFER_WRITE = "day_transfer.write"
    TIMETABLE_READ = "timetable.read"
    # Personal cards (clause 6)
    STAFF_CARD_WRITE = "staff_card.write"
    STAFF_CARD_READ = "staff_card.read"
    STUDENT_CARD_CREATE = "student_card.create"
    STUDENT_CARD_WRITE = "student_card.write"
    STUDENT_CARD_READ = "student_card.read"
    PARENT_CARD_CREATE = "parent_card.create"
    PARENT_CARD_WRITE = "parent_card.write"
    PARENT_CARD_READ = "parent_card.read"
    PARENT_LINK_WRITE = "parent_link.write"
    # Movement (clause 10)
    MOVEMENT_BOOK_WRITE = "movement_book.write"
    MOVEMENT_BOOK_READ = "movement_book.read"
    # Access (clause 3)
    STAFF_CREDENTIALS_ISSUE = "staff_credentials.issue"
    STUDENT_CREDENTIALS_ISSUE = "student_credentials.issue"
    PARENT_CREDENTIALS_ISSUE = "parent_credentials.issue"
    ROLE_ASSIGN = "role.assign"
    AUDIT_LOG_READ = "audit_log.read"
    # Academic year (clause 4)
    YEAR_FORMATION_START = "year_formation.start"
    YEAR_FORMATION_FINISH = "year_formation.finish"
    YEAR_CLOSE = "year.close"
    CLASS_LIST_WRITE = "class_list.write"
    CALENDAR_WRITE = "calendar.write"
    CALENDAR_READ = "calendar.read"
    # Reports (clauses 4.2, 11)
    REPORT_CONSTRUCTOR = "report.constructor"
    REPORT_TRANSITION_STATE = "report.transition_state"
    REPORT_CLASS_TEACHERS_SUMMARY = "report.class_teachers_summary"
    REPORT_SCHOOL_PERFORMANCE = "report.school_performance"
    REPORT_CLASS_OCCUPANCY = "report.class_occupancy"
    REPORT_SCHOOL_MOVEMENT = "report.school_movement"
    REPORT_JOURNAL_KEEPING = "report.journal_keeping"
    REPORT_MARK_TIMELINESS = "report.mark_timeliness"
    REPORT_JOURNAL_FILL = "report.journal_fill"
    REPORT_OO1 = "report.oo1"
    REPORT_OO2 = "report.oo2"
    REPORT_SUBJECT_TEACHER = "report.subject_teacher"
    REPORT_CLASS_TEACHER_PERIOD = "report.class_teacher_period"
    REPORT_PERFORMANCE_SHEET = "report.performance_sheet"
    REPORT_CLASS_PERIOD_RESULTS = "report.class_period_results"
    REPORT_ATTENDANCE_SHEET = "report.attendance_sheet"
    REPORT_CLASS_TEACHER_PRELIMINARY = "report.class_teacher_preliminary"
    REPORT_CLASS_ATTENDANCE = "report.class_attendance"
    REPORT_STUDENT_FINAL_DATA = "report.student_final_data"
    REPORT_STUDENT_GENERAL_INFO = "report.student_general_info"
    REPORT_STUDENT_AVERAGE = "report.student_average"
    REPORT_STUDENT_AVERAGE_DYNAMICS = "report.student_average_dynamics"
    REPORT_STUDENT_REPORT_CARD = "report.student_report_card"
    REPORT_STUDENT_PERFORMANCE_ATTENDANCE = "report.student_performance_attendance"
    REPORT_PERFORMANCE_QUALITY = "report.performance_quality"
    REPORT_PARENT_LETTER = "report.parent_letter"
    # Study periods (clause 8.9)
    STUDY_PERIOD_CLOSE = "study_period.close"
    STUDY_PERIOD_REOPEN = "study_period.reopen"

    def label(self, language: Language | str = Language.RU) -> str:
        """Return the action's name in ``language`` (a report's title verbatim in Russian)."""
        return _ACTION_LABELS[self].in_(language)

    @property
    def label_text(self) -> Text:
        """The action's name in Russian and English."""
        return _ACTION_LABELS[self]

    @property
    def is_write(self) -> bool:
        """Whether the action changes data (everything but reading and running reports)."""
        return not (self.value.endswith(".read") or self.value.startswith("report."))

    @property
    def is_report(self) -> bool:
        """Whether the action runs a named report or the report constructor."""
        return self.value.startswith("report.")


_ACTION_LABELS: Final[dict[Action, Text]] = {
    Action.MARK_WRITE: Text("Выставление текущих оценок", "Set current marks"),
    Action.PERIOD_MARK_WRITE: Text(
        "Выставление четвертных (триместровых) и полугодовых оценок",
        "Set period (quarter, trimester, half-year) marks",
    ),
    Action.FINAL_MARK_WRITE: Text(
        "Выставление годовых, экзаменационных и итоговых оценок",
        "Set annual, exam and final marks",
    ),
    Action.ATTENDANCE_WRITE: Text("Отметки о посещаемости", "Record attendance"),
    Action.ABSENCE_REASON_WRITE: Text("Корректировка причин пропусков", "Correct absence reasons"),
    Action.LESSON_CONTENT_WRITE: Text(
        "Темы уроков, материал, виды заданий, домашнее задание",
        "Lesson topics, material, work types, homework",
    ),
    Action.JOURNAL_READ: Text("Просмотр электронного журнала", "Read the e-journal"),
    Action.DIARY_READ: Text("Просмотр электронного дневника", "Read the e-diary"),
    Action.CURRICULUM_WRITE: Text(
        "Формирование учебного плана (УП, ИУП) и профилей",
        "Form the curriculum (УП, ИУП) and profiles",
    ),
    Action.SUBJECT_WRITE: Text(
        "Создание предметов, подгрупп и групп предметов",
        "Create subjects, subgroups and subject groups",
    ),
    Action.TEACHING_ASSIGNMENT_WRITE: Text(
        "Назначение классных руководителей и учителей-предметников",
        "Assign class teachers and subject teachers",
    ),
    Action.CURRICULUM_READ: Text("Просмотр учебного плана", "Read the curriculum"),
    Action.THEMATIC_PLAN_WRITE: Text(
        "Ведение календарно-тематического планирования",
        "Keep thematic plans",
    ),
    Action.THEMATIC_PLAN_READ: Text(
        "Просмотр календарно-тематического планирования",
        "Read thematic plans",
    ),
    Action.TIMETABLE_WRITE: Text(
        "Расписание занятий, отмена занятий, замена учителя",
        "Lesson timetable, cancellations, substitutions",
    ),
    Action.BELL_SCHEDULE_WRITE: Text("Расписание звонков", "Bell schedule"),
    Action.SCHOOL_EVENT_WRITE: Text("Школьные мероприятия", "School events"),
    Action.CLASS_EVENT_WRITE: Text("Классные мероприятия", "Class events"),
    Action.DAY_TRANSFER_WRITE: Text("Перенос учебных дней", "Move school days"),
    Action.TIMETABLE_READ: Text(
        "Просмотр расписания и мероприятий",
        "Read the timetable and events",
    ),
    Action.STAFF_CARD_WRITE: Text(
        "Создание и ведение карточек сотрудников",
        "Create and keep staff cards",
    ),
    Action.STAFF_CARD_READ: Text("Просмотр карточек сотрудников", "Read staff cards"),
    Action.STUDENT_CARD_CREATE: Text("Создание карточек обучающихся", "Create student cards"),
    Action.STUDENT_CARD_WRITE: Text("Ведение карточек обучающихся", "Keep student cards"),
    Action.STUDENT_CARD_READ: Text("Просмотр карточек обучающихся", "Read student cards"),
    Action.PARENT_CARD_CREATE: Text(
        "Создание карточек родителей (законных представителей)",
        "Create parent cards",
    ),
    Action.PARENT_CARD_WRITE: Text(
        "Ведение карточек родителей (законных представителей)",
        "Keep parent cards",
    ),
    Action.PARENT_CARD_READ: Text(
        "Просмотр карточек родителей (законных представителей)",
        "Read parent cards",
    ),
    Action.PARENT_LINK_WRITE: Text(
        "Прикрепление родителей к обучающимся",
        "Link parents to students",
    ),
    Action.MOVEMENT_BOOK_WRITE: Text(
        "Редактирование книги движения учащихся",
        "Edit the movement book",
    ),
    Action.MOVEMENT_BOOK_READ: Text("Просмотр книги движения учащихся", "Read the movement book"),
    Action.STAFF_CREDENTIALS_ISSUE: Text(
        "Создание и выдача ключевой информации сотрудникам",
        "Create and issue staff credentials",
    ),
    Action.STUDENT_CREDENTIALS_ISSUE: Text(
        "Создание и выдача ключевой информации учащимся",
        "Create and issue student credentials",
    ),
    Action.PARENT_CREDENTIALS_ISSUE: Text(
        "Создание и выдача ключевой информации родителям",
        "Create and issue parent credentials",
    ),
    Action.ROLE_ASSIGN: Text("Назначение ролей пользователям", "Assign roles"),
    Action.AUDIT_LOG_READ: Text("Просмотр журнала изменений", "Read the audit log"),
    Action.YEAR_FORMATION_START: Text(
        "Начало формирования нового учебного года",
        "Start forming the new academic year",
    ),
    Action.YEAR_FORMATION_FINISH: Text(
        "Окончание формирования нового учебного года",
        "Finish forming the new academic year",
    ),
    Action.YEAR_CLOSE: Text("Закрытие учебного года", "Close the academic year"),
    Action.CLASS_LIST_WRITE: Text(
        "Список классов нового учебного года", "Class list of the new year"
    ),
    Action.CALENDAR_WRITE: Text(
        "Учебные периоды, каникулы, праздничные дни",
        "Study periods, vacations, public holidays",
    ),
    Action.CALENDAR_READ: Text("Просмотр календаря учебного года", "Read the academic calendar"),
    Action.REPORT_CONSTRUCTOR: Text("Конструктор отчетов", "Report constructor"),
    Action.REPORT_OO1: Text("Форма ОО-1", "State form OO-1"),
    Action.REPORT_OO2: Text("Форма ОО-2", "State form OO-2"),
    Action.STUDY_PERIOD_CLOSE: Text(
        "Закрытие учебного периода",
        "Close a study period",
    ),
    Action.STUDY_PERIOD_REOPEN: Text(
        "Открытие закрытого учебного периода для исправления отметок",
        "Reopen a closed study period for corrections of its marks",
    ),
}


REPORT_TITLES: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "class_teachers_summary": Text(
            "Сводный отчёт классного руководителя", "Class teachers' summary report (school)"
        ),
        "school_performance": Text(
            "Сводный отчёт об успеваемости по школе", "School performance summary"
        ),
        "class_occupancy": Text("Наполняемость классов", "Class occupancy"),
        "school_movement": Text("Движение учащихся по школе", "Student movement in the school"),
        "journal_keeping": Text(
            "Отчет по ведению электронных журналов", "E-journal keeping report"
        ),
        "mark_timeliness": Text(
            "Своевременность выставления текущих отметок", "Timeliness of current marks"
        ),
        "journal_fill": Text(
            "Сводный отчет по заполняемости электронных журналов", "E-journal completeness summary"
        ),
        "oo1_by_grade": Text(
            "Форма ОО-1: численность обучающихся по классам", "Form OO-1: students by grade"
        ),
        "oo1_by_age": Text(
            "Форма ОО-1: распределение обучающихся по возрасту и полу",
            "Form OO-1: students by age and sex",
        ),
        "oo1_by_form": Text(
            "Форма ОО-1: численность обучающихся по формам обучения",
            "Form OO-1: students by form of education",
        ),
        "subject_teacher": Text("Отчёт учителя-предметника", "Subject teacher's report"),
        "class_teacher_period": Text(
            "Отчёт классного руководителя за учебный период",
            "Class teacher's report for the study period",
        ),
        "class_teacher_preliminary": Text(
            "Предварительный отчёт классного руководителя за учебный период",
            "Class teacher's preliminary report for the study period",
        ),
        "performance_sheet": Text(
            "Сводная ведомость учёта успеваемости", "Performance record sheet"
        ),
        "class_period_results": Text(
            "Итоги успеваемости класса за учебный период", "Class results for the study period"
        ),
        "attendance_sheet": Text("Сводная ведомость учёта посещаемости", "Attendance record sheet"),
        "class_attendance": Text("Отчёт о посещаемости класса", "Class attendance report"),
        "student_final_data": Text("Итоговые данные по учащимся", "Students' final data"),
        "student_general_info": Text(
            "Общие сведения об обучающихся", "General information on students"
        ),
        "student_average": Text("Средний балл ученика", "Student's average mark"),
        "student_average_dynamics": Text(
            "Динамика среднего балла ученика", "Dynamics of a student's average mark"
        ),
        "student_report_card": Text("Табель успеваемости учащегося", "Student's report card"),
        "student_performance_attendance": Text(
            "Отчёт об успеваемости и посещаемости ученика", "Student's performance and attendance"
        ),
        "performance_quality": Text(
            "Итоги успеваемости и качества знаний", "Success rate and quality of knowledge"
        ),
        "parent_letter": Text(
            "Информационное письмо для родителей", "Information letter for parents"
        ),
        "transition_state": Text(
            "Состояние перехода на следующий учебный год",
            "State of the transition to the next academic year",
        ),
        "diary": Text("Электронный дневник", "Pupil's diary"),
        "weekly_summary": Text(
            "Сведения об успеваемости обучающегося за неделю",
            "Weekly performance summary for a parent",
        ),
        "class_journal": Text("Печатная форма классного журнала", "Printed class journal"),
    }
)
"""Each named report's title by its code: the regulation's Russian name verbatim, in English.

The one source of a report's title: the reports catalogue reads it here, and the action of a
report run as ``report.<code>`` takes it as its label.
"""

_ACTION_LABELS.update(
    (Action(f"report.{code}"), title)
    for code, title in REPORT_TITLES.items()
    if f"report.{code}" in {action.value for action in Action}
)


def _to_member(kind: type[_E], value: object, code: str, ru: str, en: str) -> _E:
    if isinstance(value, kind):
        return value
    if isinstance(value, str) and value in kind._value2member_map_:
        return kind(value)
    known = ", ".join(member.value for member in kind)
    raise ValidationError(
        f"{ru} «{value}» (допустимы: {known})",
        f"{en} '{value}' (known: {known})",
        code=code,
        clause="3.1",
        details={"value": str(value)},
    )


def to_role(value: object) -> Role:
    """Return ``value`` as a :class:`Role`.

    Raises:
        ValidationError: ``rbac.unknown_role`` for a name outside the catalogue (R3.2.1).
    """
    return _to_member(Role, value, "rbac.unknown_role", "Неизвестная роль", "Unknown role")


def to_action(value: object) -> Action:
    """Return ``value`` as an :class:`Action`.

    Raises:
        ValidationError: ``rbac.unknown_action`` for a name outside the catalogue: what
            the catalogue does not name, no matrix can grant (R3.1c).

    >>> to_action("mark.write")
    <Action.MARK_WRITE: 'mark.write'>
    >>> try:
    ...     to_action("mark.erase")
    ... except ValidationError as error:
    ...     print(error.code)
    rbac.unknown_action
    """
    return _to_member(
        Action, value, "rbac.unknown_action", "Неизвестное действие", "Unknown action"
    )


def to_scope(value: object) -> Scope:
    """Return ``value`` as a :class:`Scope`.

    Raises:
        ValidationError: ``rbac.unknown_scope`` for a name outside the catalogue.
    """
    return _to_member(Scope, value, "rbac.unknown_scope", "Неизвестная область", "Unknown scope")


def academic_year_of(day: date, *, first_month: int = 9) -> str:
    """Return the label of the academic year that ``day`` belongs to.

    An academic year labelled ``"2025/2026"`` runs from the first day of ``first_month``
    (September) of 2025 to the day before that in 2026. Relations tied to a year (class
    teacher, teaching assignment) hold only on its days.

    Raises:
        ValidationError: If ``day`` is a ``datetime`` or not a date.

    >>> academic_year_of(date(2026, 3, 1)), academic_year_of(date(2026, 9, 1))
    ('2025/2026', '2026/2027')
    """
    if isinstance(day, datetime) or not isinstance(day, date):
        raise v.VALUE_NOT_A_DATE.error(field="day", value=repr(day))
    start = day.year if day.month >= first_month else day.year - 1
    return f"{start}/{start + 1}"
