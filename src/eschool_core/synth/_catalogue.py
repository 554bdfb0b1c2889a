"""What a synthetic school is made of: sizes, subjects with weekly hours, work types, staff."""

from __future__ import annotations

from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "ADMINISTRATION",
    "CLASSES_PER_PARALLEL",
    "CLASS_SIZE",
    "LETTERS",
    "LETTER_CODES",
    "PRIMARY_BY_CLASS_TEACHER",
    "SUBJECTS",
    "TEST_WORK_TYPE",
    "TIME_ZONE",
    "TOPIC_WORDS",
    "VALID_LATE_REASONS",
    "WORK_TYPES",
    "SchoolSize",
]


class SchoolSize(StrEnum):
    """How big a synthetic school is: ~200, ~600 or ~1,200 students."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


CLASSES_PER_PARALLEL: dict[SchoolSize, tuple[int, ...]] = {
    SchoolSize.SMALL: (1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1),
    SchoolSize.MEDIUM: (2,) * 9 + (1, 1),
    SchoolSize.LARGE: (4,) * 9 + (2, 2),
}
"""Classes per parallel 1..11 (a small school has two fifth classes: transfers between them)."""
CLASS_SIZE: dict[SchoolSize, tuple[int, int]] = {
    SchoolSize.SMALL: (15, 21),
    SchoolSize.MEDIUM: (26, 32),
    SchoolSize.LARGE: (28, 34),
}
"""Fewest and most students of a class."""
LETTERS = ("А", "Б", "В", "Г")
LETTER_CODES = ("a", "b", "v", "g")
TIME_ZONE = ZoneInfo("Europe/Moscow")

# fmt: off
SUBJECTS: tuple[tuple[str, str, str, tuple[int, ...]], ...] = (
    # code, name, short name, hours per week in parallels 1..11 (0: not taught)
    ("rus", "Русский язык", "Рус. яз.", (5, 5, 5, 5, 5, 6, 4, 3, 3, 2, 2)),
    ("lit_read", "Литературное чтение", "Лит. чт.", (4, 4, 4, 3, 0, 0, 0, 0, 0, 0, 0)),
    ("lit", "Литература", "Лит.", (0, 0, 0, 0, 3, 3, 2, 2, 3, 3, 3)),
    ("eng", "Иностранный язык (английский)", "Англ. яз.", (0, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3)),
    ("math", "Математика", "Матем.", (4, 4, 4, 4, 5, 5, 0, 0, 0, 0, 0)),
    ("alg", "Алгебра", "Алгебра", (0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3)),
    ("geom", "Геометрия", "Геом.", (0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2)),
    ("prob", "Вероятность и статистика", "Вер. и стат.", (0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1)),
    ("inf", "Информатика", "Информ.", (0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1)),
    ("world", "Окружающий мир", "Окр. мир", (2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0)),
    ("hist", "История", "История", (0, 0, 0, 0, 2, 2, 2, 2, 3, 2, 2)),
    ("soc", "Обществознание", "Общество.", (0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2)),
    ("geo", "География", "Геогр.", (0, 0, 0, 0, 1, 1, 2, 2, 2, 1, 1)),
    ("bio", "Биология", "Биол.", (0, 0, 0, 0, 1, 1, 1, 2, 2, 1, 1)),
    ("phys", "Физика", "Физика", (0, 0, 0, 0, 0, 0, 2, 2, 3, 2, 2)),
    ("chem", "Химия", "Химия", (0, 0, 0, 0, 0, 0, 0, 2, 2, 1, 1)),
    ("music", "Музыка", "Музыка", (1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0)),
    ("art", "Изобразительное искусство", "ИЗО", (1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0)),
    ("tech", "Труд (технология)", "Труд", (1, 1, 1, 1, 2, 2, 2, 1, 1, 0, 0)),
    ("obzr", "Основы безопасности и защиты Родины", "ОБЗР", (0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1)),
    ("pe", "Физическая культура", "Физ-ра", (2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2)),
)
# fmt: on
PRIMARY_BY_CLASS_TEACHER = frozenset({"rus", "lit_read", "math", "world", "tech", "art"})
"""Subjects that the class teacher of a primary class teaches himself."""

WORK_TYPES: tuple[tuple[str, int], ...] = (
    ("answer", 40),
    ("homework", 20),
    ("independent", 15),
    ("practical", 6),
    ("dictation", 5),
    ("laboratory", 4),
    ("essay", 3),
    ("project", 2),
)
"""Work types of ordinary marked lessons, with their relative frequency."""
TEST_WORK_TYPE = "test"
"""The work type of every ninth lesson of a subject, where every present student is marked."""

ADMINISTRATION = (
    ("emp-director", "директор"),
    ("emp-admin", "администратор электронного журнала"),
    ("emp-deputy-1", "заместитель директора по УВР"),
    ("emp-deputy-2", "заместитель директора по УВР"),
    ("emp-secretary", "секретарь"),
    ("emp-clerk", "делопроизводитель"),
    ("emp-hr", "специалист по кадрам"),
)
VALID_LATE_REASONS = (
    "болезнь учителя",
    "сбой доступа к электронному журналу",
    "курсы повышения квалификации",
)
TOPIC_WORDS = (
    "Повторение",
    "Введение в тему",
    "Практикум",
    "Решение задач",
    "Обобщение",
    "Самостоятельная работа по теме",
    "Изучение нового материала",
    "Закрепление",
)
