"""The kinds of movement orders and of a student's status, with the clause each one cites."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

import attrs

__all__ = [
    "ORDER_KIND_RULES",
    "EducationForm",
    "KindRule",
    "OrderKind",
    "StatusKind",
    "UnrepaidDecision",
]


@attrs.frozen(kw_only=True)
class KindRule:
    """What the regulation says about one kind of order.

    Attributes:
        label_ru: The order's name in Russian, as schools write it.
        label_en: The name in English.
        clause: The clause of the regulation that governs entering it (``"10.1a"``).
        requirement: The requirement id (``"R10.1a"``).
        year_end: Whether it is an end-of-year decision (promotion, repeat, graduation).
    """

    label_ru: str
    label_en: str
    clause: str
    requirement: str
    year_end: bool = False


class OrderKind(StrEnum):
    """The kind of a movement order (R10.1); :attr:`rule` gives its name and clause.

    >>> OrderKind.ENROLLMENT.label_ru, OrderKind.ENROLLMENT.clause
    ('Зачисление', '10.1a')
    """

    ENROLLMENT = "enrollment"
    ATTACHMENT = "attachment"
    WITHDRAWAL = "withdrawal"
    DETACHMENT = "detachment"
    PROMOTION = "promotion"
    CONDITIONAL_PROMOTION = "conditional_promotion"
    REPEAT = "repeat"
    GRADUATION = "graduation"
    RETENTION = "retention"
    TRANSFER = "transfer"
    FAMILY_EDUCATION = "family_education"
    SELF_EDUCATION = "self_education"
    DEBT_REPAYMENT = "debt_repayment"

    @property
    def rule(self) -> KindRule:
        """The regulation's data about this kind."""
        return ORDER_KIND_RULES[self]

    @property
    def label_ru(self) -> str:
        """The name in Russian."""
        return self.rule.label_ru

    @property
    def label_en(self) -> str:
        """The name in English."""
        return self.rule.label_en

    @property
    def clause(self) -> str:
        """The clause of the regulation that governs this kind."""
        return self.rule.clause

    @property
    def requirement(self) -> str:
        """The requirement id of this kind."""
        return self.rule.requirement


ORDER_KIND_RULES: Mapping[OrderKind, KindRule] = MappingProxyType(
    {
        OrderKind.ENROLLMENT: KindRule(
            label_ru="Зачисление", label_en="Enrollment", clause="10.1a", requirement="R10.1a"
        ),
        OrderKind.ATTACHMENT: KindRule(
            label_ru="Прикрепление", label_en="Attachment", clause="10.1a", requirement="R10.1a"
        ),
        OrderKind.WITHDRAWAL: KindRule(
            label_ru="Выбытие", label_en="Withdrawal", clause="10.1b", requirement="R10.1b"
        ),
        OrderKind.DETACHMENT: KindRule(
            label_ru="Открепление", label_en="Detachment", clause="10.1b", requirement="R10.1b"
        ),
        OrderKind.PROMOTION: KindRule(
            label_ru="Перевод в следующий класс",
            label_en="Promotion",
            clause="10.1c",
            requirement="R10.1c",
            year_end=True,
        ),
        OrderKind.CONDITIONAL_PROMOTION: KindRule(
            label_ru="Условный перевод (академическая задолженность)",
            label_en="Conditional promotion (academic debt)",
            clause="10.1c",
            requirement="R10.1c",
            year_end=True,
        ),
        OrderKind.REPEAT: KindRule(
            label_ru="Оставление на повторное обучение",
            label_en="Repeat year",
            clause="10.1c",
            requirement="R10.1c",
            year_end=True,
        ),
        OrderKind.GRADUATION: KindRule(
            label_ru="Выпуск",
            label_en="Graduation",
            clause="10.1d",
            requirement="R10.1d",
            year_end=True,
        ),
        OrderKind.RETENTION: KindRule(
            label_ru="Оставление 9-классника на повторное обучение",
            label_en="Retention of a grade-9 student for a repeat year",
            clause="10.1d",
            requirement="R10.1d",
            year_end=True,
        ),
        OrderKind.TRANSFER: KindRule(
            label_ru="Перевод из класса в класс",
            label_en="Transfer between classes",
            clause="10.1e",
            requirement="R10.1e",
        ),
        OrderKind.FAMILY_EDUCATION: KindRule(
            label_ru="Перевод на семейное образование",
            label_en="Transfer to family education",
            clause="10.1e",
            requirement="R10.1e",
        ),
        OrderKind.SELF_EDUCATION: KindRule(
            label_ru="Перевод на самообразование",
            label_en="Transfer to self-education",
            clause="10.1e",
            requirement="R10.1e",
        ),
        OrderKind.DEBT_REPAYMENT: KindRule(
            label_ru="Ликвидация академической задолженности",
            label_en="Repayment of an academic debt",
            clause="10.1c",
            requirement="R10.1c",
        ),
    }
)


class EducationForm(StrEnum):
    """A form of education outside the classroom, for which a student is attached (R10.1e)."""

    FAMILY = "family"
    """Семейное образование."""
    SELF = "self"
    """Самообразование."""


class StatusKind(StrEnum):
    """Where a student stands in the movement book on a date (R2.2d)."""

    NOT_ENROLLED = "not_enrolled"
    """Не зачислен: no order concerns the student yet."""
    IN_CLASS = "in_class"
    """Обучается в классе."""
    CONDITIONAL = "conditional"
    """Условно переведён: in a class with open academic debts."""
    ATTACHED = "attached"
    """Прикреплён: on family education or self-education."""
    WITHDRAWN = "withdrawn"
    """Выбыл."""
    GRADUATED = "graduated"
    """Выпущен."""

    @property
    def label_ru(self) -> str:
        """The status in Russian."""
        return _STATUS_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The status in English."""
        return _STATUS_LABELS[self][1]

    @property
    def enrolled(self) -> bool:
        """Whether the student learns in a class of the school (in a class or conditional)."""
        return self in {StatusKind.IN_CLASS, StatusKind.CONDITIONAL}


_STATUS_LABELS: Mapping[StatusKind, tuple[str, str]] = MappingProxyType(
    {
        StatusKind.NOT_ENROLLED: ("Не зачислен", "Not enrolled"),
        StatusKind.IN_CLASS: ("Обучается", "In class"),
        StatusKind.CONDITIONAL: ("Условно переведён", "Conditionally promoted"),
        StatusKind.ATTACHED: ("Прикреплён", "Attached"),
        StatusKind.WITHDRAWN: ("Выбыл", "Withdrawn"),
        StatusKind.GRADUATED: ("Выпущен", "Graduated"),
    }
)


class UnrepaidDecision(StrEnum):
    """What follows a debt not repaid in time, at the parents' choice (273-FZ art. 58 p. 9)."""

    REPEAT = "repeat"
    """Repeating the year (a ``repeat`` order of the movement book)."""
    ADAPTED_PROGRAMME = "adapted_programme"
    """An adapted programme, on the recommendation of the psychological commission."""
    INDIVIDUAL_PLAN = "individual_plan"
    """An individual curriculum."""

    @property
    def label_ru(self) -> str:
        """The decision in Russian."""
        return _DECISION_RU[self]


_DECISION_RU = {
    UnrepaidDecision.REPEAT: "оставление на повторное обучение",
    UnrepaidDecision.ADAPTED_PROGRAMME: "перевод на адаптированную образовательную программу",
    UnrepaidDecision.INDIVIDUAL_PLAN: "перевод на обучение по индивидуальному учебному плану",
}
