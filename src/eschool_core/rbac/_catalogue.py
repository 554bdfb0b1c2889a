"""The catalogues of the role model: roles, actions and scopes, with Russian and English names."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Final, TypeVar

from eschool_core import _validation as v
from eschool_core.errors import Language, ValidationError

__all__ = [
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
        ru, en = _ROLE_LABELS[self]
        return ru if Language(language) is Language.RU else en

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

_ROLE_LABELS: Final = {
    Role.ADMINISTRATOR: ("Администратор", "Administrator"),
    Role.DIRECTOR: ("Директор", "Director"),
    Role.DEPUTY_HEAD: ("Завуч", "Deputy head"),
    Role.TEACHER: ("Учитель", "Teacher"),
    Role.HR_SPECIALIST: ("Специалист по кадрам", "HR specialist"),
    Role.CLERK: ("Делопроизводитель", "Clerk"),
    Role.SECRETARY: ("Секретарь", "Secretary"),
    Role.STUDENT: ("Ученик", "Student"),
    Role.PARENT: ("Родитель", "Parent"),
    Role.DISTRICT_COORDINATOR: ("Районный координатор", "District coordinator"),
    Role.REGIONAL_COORDINATOR: ("Региональный координатор", "Regional coordinator"),
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
        ru, en = _SCOPE_LABELS[self]
        return ru if Language(language) is Language.RU else en


_SCOPE_LABELS: Final = {
    Scope.OWN: ("собственные данные", "own data"),
    Scope.LINKED_CHILDREN: ("прикреплённые дети", "linked children"),
    Scope.OWN_CLASS: ("свой класс (классный руководитель)", "own class (class teacher)"),
    Scope.TAUGHT: ("преподаваемые класс/группа и предмет", "taught class/group and subject"),
    Scope.OWN_PRIMARY_CLASS: (
        "все предметы своего класса, 1-4 классы",
        "all subjects of own class, grades 1-4",
    ),
    Scope.SCHOOL: ("школа", "school"),
    Scope.DISTRICT: ("район", "district"),
    Scope.REGION: ("регион", "region"),
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
        ru, en = _ACTION_LABELS[self]
        return ru if Language(language) is Language.RU else en

    @property
    def is_write(self) -> bool:
        """Whether the action changes data (everything but reading and running reports)."""
        return not (self.value.endswith(".read") or self.value.startswith("report."))

    @property
    def is_report(self) -> bool:
        """Whether the action runs a named report or the report constructor."""
        return self.value.startswith("report.")


_ACTION_LABELS: Final = {
    Action.MARK_WRITE: ("Выставление текущих оценок", "Set current marks"),
    Action.PERIOD_MARK_WRITE: (
        "Выставление четвертных (триместровых) и полугодовых оценок",
        "Set period (quarter, trimester, half-year) marks",
    ),
    Action.FINAL_MARK_WRITE: (
        "Выставление годовых, экзаменационных и итоговых оценок",
        "Set annual, exam and final marks",
    ),
    Action.ATTENDANCE_WRITE: ("Отметки о посещаемости", "Record attendance"),
    Action.ABSENCE_REASON_WRITE: ("Корректировка причин пропусков", "Correct absence reasons"),
    Action.LESSON_CONTENT_WRITE: (
        "Темы уроков, материал, виды заданий, домашнее задание",
        "Lesson topics, material, work types, homework",
    ),
    Action.JOURNAL_READ: ("Просмотр электронного журнала", "Read the e-journal"),
    Action.DIARY_READ: ("Просмотр электронного дневника", "Read the e-diary"),
    Action.CURRICULUM_WRITE: (
        "Формирование учебного плана (УП, ИУП) и профилей",
        "Form the curriculum (УП, ИУП) and profiles",
    ),
    Action.SUBJECT_WRITE: (
        "Создание предметов, подгрупп и групп предметов",
        "Create subjects, subgroups and subject groups",
    ),
    Action.TEACHING_ASSIGNMENT_WRITE: (
        "Назначение классных руководителей и учителей-предметников",
        "Assign class teachers and subject teachers",
    ),
    Action.CURRICULUM_READ: ("Просмотр учебного плана", "Read the curriculum"),
    Action.THEMATIC_PLAN_WRITE: (
        "Ведение календарно-тематического планирования",
        "Keep thematic plans",
    ),
    Action.THEMATIC_PLAN_READ: (
        "Просмотр календарно-тематического планирования",
        "Read thematic plans",
    ),
    Action.TIMETABLE_WRITE: (
        "Расписание занятий, отмена занятий, замена учителя",
        "Lesson timetable, cancellations, substitutions",
    ),
    Action.BELL_SCHEDULE_WRITE: ("Расписание звонков", "Bell schedule"),
    Action.SCHOOL_EVENT_WRITE: ("Школьные мероприятия", "School events"),
    Action.CLASS_EVENT_WRITE: ("Классные мероприятия", "Class events"),
    Action.DAY_TRANSFER_WRITE: ("Перенос учебных дней", "Move school days"),
    Action.TIMETABLE_READ: (
        "Просмотр расписания и мероприятий",
        "Read the timetable and events",
    ),
    Action.STAFF_CARD_WRITE: (
        "Создание и ведение карточек сотрудников",
        "Create and keep staff cards",
    ),
    Action.STAFF_CARD_READ: ("Просмотр карточек сотрудников", "Read staff cards"),
    Action.STUDENT_CARD_CREATE: ("Создание карточек обучающихся", "Create student cards"),
    Action.STUDENT_CARD_WRITE: ("Ведение карточек обучающихся", "Keep student cards"),
    Action.STUDENT_CARD_READ: ("Просмотр карточек обучающихся", "Read student cards"),
    Action.PARENT_CARD_CREATE: (
        "Создание карточек родителей (законных представителей)",
        "Create parent cards",
    ),
    Action.PARENT_CARD_WRITE: (
        "Ведение карточек родителей (законных представителей)",
        "Keep parent cards",
    ),
    Action.PARENT_CARD_READ: (
        "Просмотр карточек родителей (законных представителей)",
        "Read parent cards",
    ),
    Action.PARENT_LINK_WRITE: (
        "Прикрепление родителей к обучающимся",
        "Link parents to students",
    ),
    Action.MOVEMENT_BOOK_WRITE: (
        "Редактирование книги движения учащихся",
        "Edit the movement book",
    ),
    Action.MOVEMENT_BOOK_READ: ("Просмотр книги движения учащихся", "Read the movement book"),
    Action.STAFF_CREDENTIALS_ISSUE: (
        "Создание и выдача ключевой информации сотрудникам",
        "Create and issue staff credentials",
    ),
    Action.STUDENT_CREDENTIALS_ISSUE: (
        "Создание и выдача ключевой информации учащимся",
        "Create and issue student credentials",
    ),
    Action.PARENT_CREDENTIALS_ISSUE: (
        "Создание и выдача ключевой информации родителям",
        "Create and issue parent credentials",
    ),
    Action.ROLE_ASSIGN: ("Назначение ролей пользователям", "Assign roles"),
    Action.AUDIT_LOG_READ: ("Просмотр журнала изменений", "Read the audit log"),
    Action.YEAR_FORMATION_START: (
        "Начало формирования нового учебного года",
        "Start forming the new academic year",
    ),
    Action.YEAR_FORMATION_FINISH: (
        "Окончание формирования нового учебного года",
        "Finish forming the new academic year",
    ),
    Action.YEAR_CLOSE: ("Закрытие учебного года", "Close the academic year"),
    Action.CLASS_LIST_WRITE: ("Список классов нового учебного года", "Class list of the new year"),
    Action.CALENDAR_WRITE: (
        "Учебные периоды, каникулы, праздничные дни",
        "Study periods, vacations, public holidays",
    ),
    Action.CALENDAR_READ: ("Просмотр календаря учебного года", "Read the academic calendar"),
    Action.REPORT_CONSTRUCTOR: ("Конструктор отчетов", "Report constructor"),
    Action.REPORT_TRANSITION_STATE: (
        "Состояние перехода на следующий учебный год",
        "Transition to the next academic year",
    ),
    Action.REPORT_CLASS_TEACHERS_SUMMARY: (
        "Сводный отчёт классного руководителя",
        "Class teachers' summary report (school)",
    ),
    Action.REPORT_SCHOOL_PERFORMANCE: (
        "Сводный отчёт об успеваемости по школе",
        "School performance summary",
    ),
    Action.REPORT_CLASS_OCCUPANCY: ("Наполняемость классов", "Class occupancy"),
    Action.REPORT_SCHOOL_MOVEMENT: ("Движение учащихся по школе", "Student movement in the school"),
    Action.REPORT_JOURNAL_KEEPING: (
        "Отчет по ведению электронных журналов",
        "Keeping of the e-journals",
    ),
    Action.REPORT_MARK_TIMELINESS: (
        "Своевременность выставления текущих отметок",
        "Timeliness of current marks",
    ),
    Action.REPORT_JOURNAL_FILL: (
        "Сводный отчет по заполняемости электронных журналов",
        "E-journal completeness summary",
    ),
    Action.REPORT_OO1: ("Форма ОО-1", "State form OO-1"),
    Action.REPORT_OO2: ("Форма ОО-2", "State form OO-2"),
    Action.REPORT_SUBJECT_TEACHER: ("Отчёт учителя-предметника", "Subject teacher's report"),
    Action.REPORT_CLASS_TEACHER_PERIOD: (
        "Отчёт классного руководителя за учебный период",
        "Class teacher's report for the study period",
    ),
    Action.REPORT_PERFORMANCE_SHEET: (
        "Сводная ведомость учёта успеваемости",
        "Performance summary sheet",
    ),
    Action.REPORT_CLASS_PERIOD_RESULTS: (
        "Итоги успеваемости класса за учебный период",
        "Class results for the study period",
    ),
    Action.REPORT_ATTENDANCE_SHEET: (
        "Сводная ведомость учёта посещаемости",
        "Attendance summary sheet",
    ),
    Action.REPORT_CLASS_TEACHER_PRELIMINARY: (
        "Предварительный отчёт классного руководителя за учебный период",
        "Class teacher's preliminary report for the study period",
    ),
    Action.REPORT_CLASS_ATTENDANCE: ("Отчёт о посещаемости класса", "Class attendance report"),
    Action.REPORT_STUDENT_FINAL_DATA: ("Итоговые данные по учащимся", "Students' final data"),
    Action.REPORT_STUDENT_GENERAL_INFO: (
        "Общие сведения об обучающихся",
        "General information on students",
    ),
    Action.REPORT_STUDENT_AVERAGE: ("Средний балл ученика", "Student's average mark"),
    Action.REPORT_STUDENT_AVERAGE_DYNAMICS: (
        "Динамика среднего балла ученика",
        "Dynamics of a student's average mark",
    ),
    Action.REPORT_STUDENT_REPORT_CARD: ("Табель успеваемости учащегося", "Student's report card"),
    Action.REPORT_STUDENT_PERFORMANCE_ATTENDANCE: (
        "Отчёт об успеваемости и посещаемости ученика",
        "Student's performance and attendance",
    ),
    Action.REPORT_PERFORMANCE_QUALITY: (
        "Итоги успеваемости и качества знаний",
        "Performance and quality of knowledge",
    ),
    Action.REPORT_PARENT_LETTER: (
        "Информационное письмо для родителей",
        "Information letter to parents",
    ),
    Action.STUDY_PERIOD_CLOSE: (
        "Закрытие учебного периода",
        "Close a study period",
    ),
    Action.STUDY_PERIOD_REOPEN: (
        "Открытие закрытого учебного периода для исправления отметок",
        "Reopen a closed study period for corrections of its marks",
    ),
}


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
