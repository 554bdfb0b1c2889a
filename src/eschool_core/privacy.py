"""Field-level privacy (152-FZ): who sees which personal-data field of a card, and pseudonyms.

The regulation puts the entry of personal data under the law «О персональных данных»
(clause 6.1, R6.1). The law asks that no more data be processed than the purpose needs
(152-FZ art. 5 p. 5) and gives the data subject, or his legal representative, access to
all of his own data (art. 14). The :data:`DEFAULT_PRIVACY_MATRIX` states, per audience and
card category, which :class:`~eschool_core.people.CardField` fields the audience sees, each
row citing the clause whose duty needs them; every other field is masked (``None`` in the
masked copy). Names are always shown: they are how every reader tells one card from
another, and an audience that must not know who a person is gets no read right at all
(the role matrix) or a pseudonymised export.

Whether a card may be read at all is the authorizer's decision; this module only narrows
what a permitted read shows. :func:`audience_of` turns an allowed
:class:`~eschool_core.rbac.Decision` into the audience (a teacher reading through his own
class is the class teacher, through a taught subject a subject teacher).

Health data (a special category, 152-FZ art. 10) are not modelled by the cards; a host
that keeps them keeps them outside these cards.

>>> from eschool_core.people import Person, Student
>>> card = Student(id="st1", person=Person(last_name="Ершова", first_name="Мария",
...     snils="112-233-445 95", address="г. Коммунар, ул. Лесная, д. 1"))
>>> seen = mask_student(card, [Audience.SUBJECT_TEACHER])
>>> seen.person.last_name, seen.person.snils, seen.person.address
('Ершова', None, None)
>>> mask_student(card, [Audience.CLASS_TEACHER]).person.snils
'11223344595'
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final, TypeVar, cast

import attrs

from eschool_core import _validation as v
from eschool_core.errors import ErrorCode, Language, ValidationError
from eschool_core.people import CardCategory, CardField, Employee, Guardian, Person, Student
from eschool_core.rbac import Decision, Role, Scope, to_role
from eschool_core.texts import Text

__all__ = [
    "ALWAYS_SHOWN",
    "DEFAULT_PRIVACY_MATRIX",
    "Audience",
    "FieldGrant",
    "PrivacyMatrix",
    "Pseudonymiser",
    "audience_of",
    "mask_card",
    "mask_employee",
    "mask_guardian",
    "mask_student",
]


PRIVACY_DENIED_DECISION = ErrorCode(
    "privacy.denied_decision",
    ValidationError,
    Text(
        "Запрещённое решение не даёт права видеть поля карточки",
        "A denied decision shows no field of a card",
    ),
    clause="3.1",
)

PRIVACY_DUPLICATE_ROW = ErrorCode(
    "privacy.duplicate_row",
    ValidationError,
    Text(
        "Строка матрицы доступа к полям повторяется: {audience}, {category}",
        "A privacy-matrix row is given twice: {audience}, {category}",
    ),
    clause="6.1",
)

PRIVACY_FOREIGN_FIELD = ErrorCode(
    "privacy.foreign_field",
    ValidationError,
    Text(
        "У карточки «{category}» нет полей: {names}",
        "A '{category}' card has no fields: {names}",
    ),
    clause="6.5",
)

PRIVACY_SHORT_KEY = ErrorCode(
    "privacy.short_key",
    ValidationError,
    Text(
        "Ключ псевдонимизации должен содержать не меньше 16 символов",
        "A pseudonymisation key must have at least 16 characters",
    ),
    clause="6.1",
)


class Audience(StrEnum):
    """Who reads a card: a role, with the teacher split by the relation he reads through.

    >>> Audience.of_role(Role.TEACHER), Audience.CLASS_TEACHER.label("en")
    (<Audience.SUBJECT_TEACHER: 'subject_teacher'>, 'Class teacher')
    """

    ADMINISTRATOR = "administrator"
    DIRECTOR = "director"
    DEPUTY_HEAD = "deputy_head"
    CLASS_TEACHER = "class_teacher"
    SUBJECT_TEACHER = "subject_teacher"
    HR_SPECIALIST = "hr_specialist"
    CLERK = "clerk"
    SECRETARY = "secretary"
    SELF = "self"
    """The data subject himself: a student, parent or employee reading his own card."""
    PARENT = "parent"
    """A parent or legal guardian reading the card of a linked child."""
    DISTRICT_COORDINATOR = "district_coordinator"
    REGIONAL_COORDINATOR = "regional_coordinator"

    def label(self, language: Language | str = Language.RU) -> str:
        """Return the audience's name in ``language``."""
        ru, en = _AUDIENCE_LABELS[self]
        return ru if Language(language) is Language.RU else en

    @classmethod
    def of_role(cls, role: Role | str) -> Audience:
        """Return the audience of a bare role, taking the narrowest reading of it.

        A teacher is a subject teacher unless the caller knows he reads as the class
        teacher (use :func:`audience_of` with the decision); a student reads his own card;
        a parent reads his child's card (for his own card, pass :attr:`Audience.SELF` or
        use :func:`audience_of`).

        Raises:
            ValidationError: ``rbac.unknown_role`` for a role outside the catalogue.
        """
        return _ROLE_AUDIENCE[to_role(role)]


_AUDIENCE_LABELS: Final = {
    Audience.ADMINISTRATOR: ("Администратор", "Administrator"),
    Audience.DIRECTOR: ("Директор", "Director"),
    Audience.DEPUTY_HEAD: ("Завуч", "Deputy head"),
    Audience.CLASS_TEACHER: ("Классный руководитель", "Class teacher"),
    Audience.SUBJECT_TEACHER: ("Учитель-предметник", "Subject teacher"),
    Audience.HR_SPECIALIST: ("Специалист по кадрам", "HR specialist"),
    Audience.CLERK: ("Делопроизводитель", "Clerk"),
    Audience.SECRETARY: ("Секретарь", "Secretary"),
    Audience.SELF: ("Субъект данных (своя карточка)", "Data subject (own card)"),
    Audience.PARENT: ("Родитель (карточка ребёнка)", "Parent (child's card)"),
    Audience.DISTRICT_COORDINATOR: ("Районный координатор", "District coordinator"),
    Audience.REGIONAL_COORDINATOR: ("Региональный координатор", "Regional coordinator"),
}

_ROLE_AUDIENCE: Final = {
    Role.ADMINISTRATOR: Audience.ADMINISTRATOR,
    Role.DIRECTOR: Audience.DIRECTOR,
    Role.DEPUTY_HEAD: Audience.DEPUTY_HEAD,
    Role.TEACHER: Audience.SUBJECT_TEACHER,
    Role.HR_SPECIALIST: Audience.HR_SPECIALIST,
    Role.CLERK: Audience.CLERK,
    Role.SECRETARY: Audience.SECRETARY,
    Role.STUDENT: Audience.SELF,
    Role.PARENT: Audience.PARENT,
    Role.DISTRICT_COORDINATOR: Audience.DISTRICT_COORDINATOR,
    Role.REGIONAL_COORDINATOR: Audience.REGIONAL_COORDINATOR,
}


def audience_of(decision: Decision) -> Audience:
    """Return the audience an allowed decision reads as.

    A teacher allowed through his own class (``own_class``, ``own_primary_class``) reads
    as the class teacher (clause 6.4); any grant in the ``own`` scope is the data subject
    reading his own card (152-FZ art. 14); otherwise the role's audience.

    Raises:
        ValidationError: ``privacy.denied_decision`` for a denied decision: nothing may be
            shown then.
    """
    if not decision.allowed or decision.role is None or decision.grant is None:
        raise PRIVACY_DENIED_DECISION.error()
    scope = decision.grant.scope
    if scope is Scope.OWN:
        return Audience.SELF
    if decision.role is Role.TEACHER and scope in (Scope.OWN_CLASS, Scope.OWN_PRIMARY_CLASS):
        return Audience.CLASS_TEACHER
    return Audience.of_role(decision.role)


ALWAYS_SHOWN: Final = frozenset({CardField.LAST_NAME, CardField.FIRST_NAME, CardField.PATRONYMIC})
"""The name, shown to every audience that may read a card at all."""

_FIELDS_OF: Final[Mapping[CardCategory, frozenset[CardField]]] = MappingProxyType(
    {
        CardCategory.STUDENT: frozenset(CardField)
        - {CardField.WORK_PLACE, CardField.POSITION, CardField.HIRED_ON, CardField.EDUCATION},
        CardCategory.GUARDIAN: frozenset(CardField)
        - {
            CardField.PERSONAL_FILE_NUMBER,
            CardField.POSITION,
            CardField.HIRED_ON,
            CardField.EDUCATION,
        },
        CardCategory.EMPLOYEE: frozenset(CardField)
        - {CardField.PERSONAL_FILE_NUMBER, CardField.WORK_PLACE},
    }
)


def _to_fields(value: Iterable[CardField | str]) -> frozenset[CardField]:
    return frozenset(CardField(item) for item in v.to_tuple(value))


@attrs.frozen(kw_only=True)
class FieldGrant:
    """One row of the privacy matrix: what an audience sees of one category of card.

    Attributes:
        audience: Who reads.
        category: Whose card: a student's, a guardian's or an employee's.
        fields: The fields shown, beyond the name (:data:`ALWAYS_SHOWN`).
        clause: The clause of the regulation (or the article of 152-FZ) that needs them.
        requirement: The requirement id (``"R6.4"``).
        purpose_ru: Why the audience needs them, in Russian.
        purpose_en: The same in English.

    Raises:
        ValidationError: For a field the category does not have, or an empty clause.
    """

    audience: Audience = attrs.field(converter=Audience)
    category: CardCategory = attrs.field(converter=CardCategory)
    fields: frozenset[CardField] = attrs.field(converter=_to_fields)
    clause: str = attrs.field(validator=v.non_empty_text)
    requirement: str = attrs.field(validator=v.non_empty_text)
    purpose_ru: str = attrs.field(validator=v.non_empty_text)
    purpose_en: str = attrs.field(validator=v.non_empty_text)

    def __attrs_post_init__(self) -> None:
        foreign = self.fields - _FIELDS_OF[self.category]
        if foreign:
            names = ", ".join(sorted(field.value for field in foreign))
            raise PRIVACY_FOREIGN_FIELD.error(category=self.category.value, names=names)


def _to_grants(value: Iterable[FieldGrant]) -> tuple[FieldGrant, ...]:
    return tuple(v.to_tuple(value))


@attrs.frozen(kw_only=True)
class PrivacyMatrix:
    """Which audience sees which personal-data field of which card (152-FZ art. 5 p. 5).

    What no row shows is masked; the name is always shown.

    Attributes:
        grants: The rows, one per audience and category at most.

    Raises:
        ValidationError: If an audience and category have two rows.
    """

    grants: tuple[FieldGrant, ...] = attrs.field(converter=_to_grants)
    _index: Mapping[tuple[Audience, CardCategory], FieldGrant] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        index: dict[tuple[Audience, CardCategory], FieldGrant] = {}
        for grant in self.grants:
            key = (grant.audience, grant.category)
            if key in index:
                raise PRIVACY_DUPLICATE_ROW.error(audience=key[0].value, category=key[1].value)
            index[key] = grant
        object.__setattr__(self, "_index", MappingProxyType(index))

    def row(self, audience: Audience, category: CardCategory) -> FieldGrant | None:
        """Return the row of ``audience`` for ``category`` cards, or ``None`` (names only)."""
        return self._index.get((Audience(audience), CardCategory(category)))

    def visible(
        self, audiences: Iterable[Audience | Role | str], category: CardCategory
    ) -> frozenset[CardField]:
        """Return the fields of a ``category`` card that any of ``audiences`` sees.

        Args:
            audiences: Audiences, or bare roles (see :meth:`Audience.of_role`).
            category: The card's category.

        Raises:
            ValidationError: For a name that is neither an audience nor a role.
        """
        shown = set(ALWAYS_SHOWN)
        for audience in _to_audiences(audiences):
            grant = self.row(audience, category)
            if grant is not None:
                shown |= grant.fields
        return frozenset(shown) & _FIELDS_OF[CardCategory(category)]

    def rows(self, language: Language | str = Language.RU) -> list[tuple[str, ...]]:
        """Return the matrix as table rows, headers first: audience, card, fields, clause."""
        ru = Language(language) is Language.RU
        header = (
            ("Кто читает", "Карточка", "Видимые поля", "Пункт", "Требование", "Зачем")
            if ru
            else ("Audience", "Card", "Fields shown", "Clause", "Requirement", "Purpose")
        )
        body = []
        for grant in self.grants:
            names = [
                field.label_ru if ru else field.label_en
                for field in CardField
                if field in grant.fields | ALWAYS_SHOWN
            ]
            body.append(
                (
                    grant.audience.label(language),
                    grant.category.value,
                    ", ".join(names),
                    grant.clause,
                    grant.requirement,
                    grant.purpose_ru if ru else grant.purpose_en,
                )
            )
        return [header, *body]

    def render(self, language: Language | str = Language.RU) -> str:
        """Render the matrix as a Markdown table (for the school's personal-data policy)."""
        rows = self.rows(language)
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(1, "|" + "---|" * len(rows[0]))
        return "\n".join(lines)


def _to_audiences(values: Iterable[Audience | Role | str]) -> frozenset[Audience]:
    result = set()
    for value in v.to_tuple(values):
        if isinstance(value, Audience):
            result.add(value)
        elif isinstance(value, str) and value in Audience._value2member_map_:
            result.add(Audience(value))
        else:
            result.add(Audience.of_role(value))
    return frozenset(result)


_ALL_STUDENT = _FIELDS_OF[CardCategory.STUDENT] - ALWAYS_SHOWN
_ALL_GUARDIAN = _FIELDS_OF[CardCategory.GUARDIAN] - ALWAYS_SHOWN
_ALL_EMPLOYEE = _FIELDS_OF[CardCategory.EMPLOYEE] - ALWAYS_SHOWN
_F = CardField


def _row(  # noqa: PLR0917 - the matrix reads as a table of positional rows
    audience: Audience,
    category: CardCategory,
    fields: Iterable[CardField],
    clause: str,
    requirement: str,
    ru: str,
    en: str,
) -> FieldGrant:
    return FieldGrant(
        audience=audience,
        category=category,
        fields=frozenset(fields),
        clause=clause,
        requirement=requirement,
        purpose_ru=ru,
        purpose_en=en,
    )


_S, _G, _E = CardCategory.STUDENT, CardCategory.GUARDIAN, CardCategory.EMPLOYEE
_A = Audience

DEFAULT_PRIVACY_MATRIX: Final = PrivacyMatrix(
    grants=[
        # Student cards.
        _row(_A.SELF, _S, _ALL_STUDENT, "152-ФЗ ст. 14", "R6.1",
             "доступ субъекта к своим данным", "the data subject's access to his own data"),
        _row(_A.PARENT, _S, _ALL_STUDENT, "152-ФЗ ст. 14", "R3.2.4",
             "законный представитель ребёнка", "the child's legal representative"),
        _row(_A.CLERK, _S, _ALL_STUDENT, "6.3", "R6.3",
             "создаёт карточки обучающихся", "creates student cards"),
        _row(_A.CLASS_TEACHER, _S, _ALL_STUDENT, "6.4", "R6.4",
             "ведёт карточки своего класса", "keeps the cards of his class"),
        _row(_A.DIRECTOR, _S, _ALL_STUDENT, "12.1", "R2.2c",
             "контроль ведения личных дел", "controls the personal records"),
        _row(_A.SECRETARY, _S,
             {_F.BIRTH_DATE, _F.SEX, _F.CITIZENSHIP, _F.ADDRESS, _F.PERSONAL_FILE_NUMBER},
             "10.1", "R10.1",
             "книга движения учащихся", "the movement book"),
        _row(_A.DEPUTY_HEAD, _S,
             {_F.BIRTH_DATE, _F.SEX, _F.CITIZENSHIP, _F.PERSONAL_FILE_NUMBER},
             "10.2", "R10.2",
             "контроль книги движения и отчёты", "controls the movement book, reports"),
        _row(_A.ADMINISTRATOR, _S, {_F.BIRTH_DATE, _F.PHONE, _F.EMAIL}, "3.2.3", "R3.2.3b",
             "выдача ключевой информации", "issues credentials"),
        # Guardian cards.
        _row(_A.SELF, _G, _ALL_GUARDIAN, "152-ФЗ ст. 14", "R6.1",
             "доступ субъекта к своим данным", "the data subject's access to his own data"),
        _row(_A.CLERK, _G, _ALL_GUARDIAN, "6.3", "R6.3",
             "создаёт карточки родителей", "creates parent cards"),
        _row(_A.CLASS_TEACHER, _G, _ALL_GUARDIAN, "6.4", "R6.4",
             "ведёт карточки родителей класса", "keeps the parent cards of his class"),
        _row(_A.DIRECTOR, _G, _ALL_GUARDIAN, "12.1", "R2.2c",
             "контроль ведения личных дел", "controls the personal records"),
        _row(_A.ADMINISTRATOR, _G, {_F.PHONE, _F.EMAIL}, "3.2.3", "R3.2.3b",
             "выдача ключевой информации", "issues credentials"),
        # Employee cards.
        _row(_A.SELF, _E, _ALL_EMPLOYEE, "152-ФЗ ст. 14", "R6.1",
             "доступ субъекта к своим данным", "the data subject's access to his own data"),
        _row(_A.HR_SPECIALIST, _E, _ALL_EMPLOYEE, "6.2", "R6.2",
             "ведёт карточки сотрудников", "keeps the staff cards"),
        _row(_A.CLERK, _E, _ALL_EMPLOYEE, "6.2", "R6.2",
             "ведёт карточки сотрудников", "keeps the staff cards"),
        _row(_A.DIRECTOR, _E, _ALL_EMPLOYEE, "12.1", "R2.2c",
             "контроль ведения личных дел", "controls the personal records"),
        _row(_A.DEPUTY_HEAD, _E, {_F.POSITION, _F.HIRED_ON, _F.EDUCATION, _F.PHONE, _F.EMAIL},
             "4.6", "R4.6",
             "назначает учителей", "assigns teachers"),
        _row(_A.ADMINISTRATOR, _E, {_F.POSITION, _F.PHONE, _F.EMAIL}, "3.2.3", "R3.2.3a",
             "выдача ключевой информации", "issues credentials"),
        *(
            _row(audience, _E, {_F.POSITION}, "8.11", "R8.11",
                 "учитель в дневнике и расписании", "the teacher in the diary and timetable")
            for audience in (
                _A.CLASS_TEACHER, _A.SUBJECT_TEACHER, _A.SECRETARY, _A.PARENT,
                _A.DISTRICT_COORDINATOR, _A.REGIONAL_COORDINATOR,
            )
        ),
    ]
)  # fmt: skip
"""The default matrix. Full access: the data subject and, for students, his parent (152-FZ
art. 14), the card keepers (clerk, class teacher, HR specialist, clauses 6.2-6.4) and the
director (clause 12.1). Everyone else sees the name and what his duty needs."""

_C = TypeVar("_C", bound=Student | Guardian | Employee)


_V = TypeVar("_V")


def _masked_person(person: Person, shown: frozenset[CardField]) -> Person:
    def keep(field: CardField, value: _V | None) -> _V | None:
        return value if field in shown else None

    return attrs.evolve(
        person,
        birth_date=keep(_F.BIRTH_DATE, person.birth_date),
        sex=keep(_F.SEX, person.sex),
        snils=keep(_F.SNILS, person.snils),
        citizenship=keep(_F.CITIZENSHIP, person.citizenship),
        document=keep(_F.DOCUMENT, person.document),
        address=keep(_F.ADDRESS, person.address),
        phone=keep(_F.PHONE, person.phone),
        email=keep(_F.EMAIL, person.email),
    )


def mask_card(
    card: _C,
    audiences: Iterable[Audience | Role | str],
    *,
    matrix: PrivacyMatrix = DEFAULT_PRIVACY_MATRIX,
) -> _C:
    """Return a copy of ``card`` with every field the audiences may not see set to ``None``.

    Args:
        card: A student's, guardian's or employee's card.
        audiences: Who reads (audiences or bare roles); the union of their rows is shown.
        matrix: The privacy matrix.

    Returns:
        The masked copy (the card itself is unchanged). An employee's ``position`` is
        replaced by ``"—"`` when hidden (a card always has one); ``hired_on`` and
        ``education`` (with the qualification category) become ``None``.
    """
    masked: Student | Guardian | Employee
    given: Student | Guardian | Employee = card
    if isinstance(given, Student):
        shown = matrix.visible(audiences, CardCategory.STUDENT)
        masked = attrs.evolve(
            given,
            person=_masked_person(given.person, shown),
            personal_file_number=given.personal_file_number
            if _F.PERSONAL_FILE_NUMBER in shown
            else None,
        )
    elif isinstance(given, Guardian):
        shown = matrix.visible(audiences, CardCategory.GUARDIAN)
        masked = attrs.evolve(
            given,
            person=_masked_person(given.person, shown),
            work_place=given.work_place if _F.WORK_PLACE in shown else None,
        )
    else:
        shown = matrix.visible(audiences, CardCategory.EMPLOYEE)
        education = _F.EDUCATION in shown
        masked = attrs.evolve(
            given,
            person=_masked_person(given.person, shown),
            position=given.position if _F.POSITION in shown else "—",
            hired_on=given.hired_on if _F.HIRED_ON in shown else None,
            education=given.education if education else None,
            qualification_category=given.qualification_category if education else None,
        )
    return cast("_C", masked)


def mask_student(
    student: Student,
    audiences: Iterable[Audience | Role | str],
    *,
    matrix: PrivacyMatrix = DEFAULT_PRIVACY_MATRIX,
) -> Student:
    """Return ``student``'s card as ``audiences`` may see it (see :func:`mask_card`)."""
    return mask_card(student, audiences, matrix=matrix)


def mask_guardian(
    guardian: Guardian,
    audiences: Iterable[Audience | Role | str],
    *,
    matrix: PrivacyMatrix = DEFAULT_PRIVACY_MATRIX,
) -> Guardian:
    """Return ``guardian``'s card as ``audiences`` may see it (see :func:`mask_card`)."""
    return mask_card(guardian, audiences, matrix=matrix)


def mask_employee(
    employee: Employee,
    audiences: Iterable[Audience | Role | str],
    *,
    matrix: PrivacyMatrix = DEFAULT_PRIVACY_MATRIX,
) -> Employee:
    """Return ``employee``'s card as ``audiences`` may see it (see :func:`mask_card`)."""
    return mask_card(employee, audiences, matrix=matrix)


class Pseudonymiser:
    """Stable pseudonyms for ids: HMAC-SHA-256 of the id under an export key.

    The same key gives the same pseudonym for the same id in every file and every export,
    so references stay consistent; without the key a pseudonym cannot be traced back.

    Args:
        key: The export key (any text; at least 16 characters).

    Raises:
        ValidationError: ``privacy.short_key`` for a key under 16 characters.

    >>> p = Pseudonymiser("ключ-выгрузки-2026")
    >>> p.pseudonym("S", "st-00001") == p.pseudonym("S", "st-00001")
    True
    >>> p.pseudonym("S", "st-00001").startswith("S-"), len(p.pseudonym("S", "st-00001"))
    (True, 18)
    """

    def __init__(self, key: str) -> None:
        text: object = key
        if not isinstance(text, str) or len(text) < 16:
            raise PRIVACY_SHORT_KEY.error()
        self._key = key.encode("utf-8")

    @staticmethod
    def generate_key() -> str:
        """Return a fresh random key (64 hexadecimal digits)."""
        return secrets.token_hex(32)

    @property
    def key_id(self) -> str:
        """A short fingerprint of the key: two exports with the same key_id share pseudonyms."""
        return hmac.new(self._key, b"eschool:key-id", hashlib.sha256).hexdigest()[:12]

    def pseudonym(self, prefix: str, value: str) -> str:
        """Return ``prefix-`` and 16 hexadecimal digits of the HMAC of ``value``."""
        digest = hmac.new(self._key, f"{prefix}:{value}".encode(), hashlib.sha256)
        return f"{prefix}-{digest.hexdigest()[:16]}"
