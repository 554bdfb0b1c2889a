"""People: persons, students, guardians and their links, employees, consents, personal cards.

A :class:`Person` is the human being (names, birth date, documents, contacts); a
:class:`Student`, :class:`Guardian` or :class:`Employee` is the card a school keeps about a
person in that category (R2.2c, clause 6). Consent to personal-data processing (R6.1, 152-FZ)
is a :class:`Consent`. :func:`missing_card_fields` lists what a card still lacks (R6.5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType

import attrs

from eschool_core import _validation as v
from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.ids import ConsentId, EmployeeId, GuardianId, GuardianLinkId, StudentId
from eschool_core.texts import Text

__all__ = [
    "DEFAULT_CARD_REQUIREMENTS",
    "CardCategory",
    "CardField",
    "Consent",
    "ConsentPurpose",
    "DocumentKind",
    "Employee",
    "EmployeeStatus",
    "Guardian",
    "GuardianKind",
    "GuardianLink",
    "IdentityDocument",
    "Person",
    "Sex",
    "Student",
    "missing_card_fields",
    "normalize_snils",
]


CONSENT_NO_PURPOSE = ErrorCode(
    "consent.no_purpose",
    ValidationError,
    Text(
        "В согласии не указана ни одна цель обработки",
        "A consent must name at least one purpose",
    ),
    clause="6.1",
)

CONSENT_UNKNOWN_PURPOSE = ErrorCode(
    "consent.unknown_purpose",
    ValidationError,
    Text(
        "Неизвестная цель обработки данных «{value}»",
        "Unknown purpose of data processing '{value}'",
    ),
    clause="6.1",
)

CONSENT_WITHDRAWN_BEFORE_GIVEN = ErrorCode(
    "consent.withdrawn_before_given",
    ValidationError,
    Text(
        "Согласие отозвано раньше, чем дано",
        "A consent cannot be withdrawn before it was given",
    ),
    clause="6.1",
)

EMPLOYEE_DISMISSAL_MISMATCH = ErrorCode(
    "employee.dismissal_mismatch",
    ValidationError,
    Text(
        "Дата увольнения указывается тогда и только тогда, когда сотрудник уволен",
        "A dismissal date is given if and only if the employee is dismissed",
    ),
    clause="4.3",
)

EMPLOYEE_DISMISSED_BEFORE_HIRED = ErrorCode(
    "employee.dismissed_before_hired",
    ValidationError,
    Text(
        "Дата увольнения раньше даты приёма",
        "The dismissal date is before the hiring date",
    ),
)

GUARDIAN_LINK_ENDS_BEFORE_START = ErrorCode(
    "guardian_link.ends_before_start",
    ValidationError,
    Text(
        "Связь с представителем заканчивается раньше, чем начинается",
        "A guardian link cannot end before it starts",
    ),
)

PERSON_INVALID_EMAIL = ErrorCode(
    "person.invalid_email",
    ValidationError,
    Text(
        "Адрес электронной почты «{value}» некорректен",
        "E-mail address '{value}' is not valid",
    ),
)

PERSON_INVALID_PHONE = ErrorCode(
    "person.invalid_phone",
    ValidationError,
    Text(
        "Телефон «{value}» не похож на номер (нужно не меньше 10 цифр)",
        "Phone '{value}' is not a phone number (at least 10 digits expected)",
    ),
)

PERSON_SNILS_CHECKSUM = ErrorCode(
    "person.snils_checksum",
    ValidationError,
    Text(
        "СНИЛС «{value}»: неверное контрольное число (ожидалось {expected:02d})",
        "SNILS '{value}': wrong check number (expected {expected:02d})",
    ),
)

PERSON_SNILS_FORMAT = ErrorCode(
    "person.snils_format",
    ValidationError,
    Text(
        "СНИЛС должен состоять из 11 цифр: «{value}»",
        "A SNILS must have 11 digits: '{value}'",
    ),
)


class Sex(StrEnum):
    """Sex as recorded in the personal card and the state statistical forms."""

    MALE = "m"
    FEMALE = "f"


class DocumentKind(StrEnum):
    """The identity document of a person."""

    BIRTH_CERTIFICATE = "birth_certificate"
    PASSPORT = "passport"
    FOREIGN_PASSPORT = "foreign_passport"
    OTHER = "other"


def normalize_snils(value: str) -> str:
    """Return a СНИЛС (insurance number) as 11 digits after checking its check digits.

    Accepts the usual written forms (``"112-233-445 95"``, ``"11223344595"``). The check
    number is the sum of the first nine digits weighted 9 down to 1; below 100 it is the
    sum itself, 100 and 101 give 00, above that the remainder modulo 101 (100 again giving
    00). Numbers up to 001-001-998 were issued before the rule and are not checked.

    Raises:
        ValidationError: If the value is not 11 digits or the check digits do not match.

    >>> normalize_snils("112-233-445 95")
    '11223344595'
    """
    digits = re.sub(r"[\s\-]", "", value)
    if not re.fullmatch(r"\d{11}", digits):
        raise PERSON_SNILS_FORMAT.error(value=value)
    number, check = digits[:9], int(digits[9:])
    if int(number) > 1001998:
        total = sum(int(digit) * (9 - index) for index, digit in enumerate(number))
        expected = total if total < 100 else (0 if total in (100, 101) else total % 101 % 100)
        if check != expected:
            raise PERSON_SNILS_CHECKSUM.error(details={"value": value}, expected=expected)
    return digits


def _to_snils(value: str | None) -> str | None:
    return None if value is None or not value.strip() else normalize_snils(value)


_PHONE_RE = re.compile(r"^\+?[\d\s()\-]{10,20}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _phone(_instance: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and (not _PHONE_RE.match(value) or sum(ch.isdigit() for ch in value) < 10):
        raise PERSON_INVALID_PHONE.error(field=attribute.name, value=value)


def _email(_instance: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and not _EMAIL_RE.match(value):
        raise PERSON_INVALID_EMAIL.error(field=attribute.name, value=value)


@attrs.frozen(kw_only=True)
class IdentityDocument:
    """An identity document (birth certificate, passport).

    Attributes:
        kind: The kind of the document.
        number: Series and number as written in the document.
        issued_on: The date of issue.
        issued_by: The issuing authority, if recorded.
    """

    kind: DocumentKind = attrs.field(converter=DocumentKind)
    number: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    issued_on: date = attrs.field(validator=v.plain_date)
    issued_by: str | None = attrs.field(
        default=None, converter=v.strip_optional_text, validator=v.optional_text
    )


@attrs.frozen(kw_only=True)
class Person:
    """A human being as recorded in a personal card.

    Attributes:
        last_name: Surname, required (Cyrillic or Latin letters).
        first_name: Given name, required.
        patronymic: Patronymic, if the person has one.
        birth_date: Date of birth.
        sex: Sex.
        snils: СНИЛС as 11 digits, check digits verified (see :func:`normalize_snils`).
        citizenship: Citizenship (e.g. ``"RU"``).
        document: Identity document.
        address: Registration address.
        phone: Contact phone.
        email: Contact e-mail.

    Raises:
        ValidationError: For an empty or malformed name, a bad СНИЛС, phone or e-mail, or a
            birth date that is a ``datetime``.

    >>> Person(last_name="Иванова", first_name="Мария", patronymic="Петровна").full_name
    'Иванова Мария Петровна'
    """

    last_name: str = attrs.field(converter=v.strip_text, validator=v.person_name)
    first_name: str = attrs.field(converter=v.strip_text, validator=v.person_name)
    patronymic: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    birth_date: date | None = attrs.field(default=None, validator=v.optional_plain_date)
    sex: Sex | None = attrs.field(default=None, converter=attrs.converters.optional(Sex))
    snils: str | None = attrs.field(default=None, converter=_to_snils)
    citizenship: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    document: IdentityDocument | None = None
    address: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    phone: str | None = attrs.field(default=None, converter=v.strip_optional_text, validator=_phone)
    email: str | None = attrs.field(default=None, converter=v.strip_optional_text, validator=_email)

    @patronymic.validator
    def _check_patronymic(self, attribute: attrs.Attribute[str | None], value: str | None) -> None:
        if value is not None:
            v.person_name(self, attribute, value)

    @property
    def full_name(self) -> str:
        """Surname, name and patronymic, as a Russian document writes them."""
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def short_name(self) -> str:
        """Surname with initials: ``"Иванова М. П."``."""
        initials = " ".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{self.last_name} {initials}"

    def age_on(self, day: date) -> int | None:
        """Return the age in full years on ``day``, or ``None`` without a birth date."""
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@attrs.frozen(kw_only=True)
class Student:
    """A student's personal card (clause 6.3).

    Attributes:
        id: The host's id of the student.
        person: The person.
        personal_file_number: Number of the personal file (личное дело).
    """

    id: StudentId = attrs.field(validator=v.non_empty_text)
    person: Person
    personal_file_number: str | None = attrs.field(default=None, converter=v.strip_optional_text)


@attrs.frozen(kw_only=True)
class Guardian:
    """A parent's or legal guardian's personal card (clause 6.3).

    Attributes:
        id: The host's id of the guardian.
        person: The person.
        work_place: Place of work, if given.
    """

    id: GuardianId = attrs.field(validator=v.non_empty_text)
    person: Person
    work_place: str | None = attrs.field(default=None, converter=v.strip_optional_text)


class GuardianKind(StrEnum):
    """How a guardian is related to a student."""

    MOTHER = "mother"
    FATHER = "father"
    LEGAL_GUARDIAN = "legal_guardian"


@attrs.frozen(kw_only=True)
class GuardianLink:
    """The link of a guardian to a student (clause 6.3); it gives the parent's rights (R3.2.4).

    Attributes:
        id: Id of the link.
        guardian_id: The guardian.
        student_id: The student.
        kind: Mother, father or legal guardian.
        since: First day the link holds (``None``: always).
        until: Last day the link holds (``None``: open-ended).

    Raises:
        ValidationError: If ``until`` is before ``since``.
    """

    id: GuardianLinkId = attrs.field(validator=v.non_empty_text)
    guardian_id: GuardianId = attrs.field(validator=v.non_empty_text)
    student_id: StudentId = attrs.field(validator=v.non_empty_text)
    kind: GuardianKind = attrs.field(converter=GuardianKind)
    since: date | None = attrs.field(default=None, validator=v.optional_plain_date)
    until: date | None = attrs.field(default=None, validator=v.optional_plain_date)

    @until.validator
    def _check_until(self, _attribute: attrs.Attribute[date | None], value: date | None) -> None:
        if value is not None and self.since is not None and value < self.since:
            raise GUARDIAN_LINK_ENDS_BEFORE_START.error(
                since=self.since.isoformat(), until=value.isoformat()
            )

    def holds_on(self, day: date) -> bool:
        """Return whether the link holds on ``day``."""
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )


class EmployeeStatus(StrEnum):
    """Employment status; dismissed staff have no rights (clause 4.3)."""

    ACTIVE = "active"
    DISMISSED = "dismissed"


@attrs.frozen(kw_only=True)
class Employee:
    """A staff member's personal card (clause 6.2).

    Attributes:
        id: The host's id of the employee.
        person: The person.
        position: Position (должность), e.g. ``"учитель"``.
        status: Active or dismissed (R4.3).
        hired_on: Date of hiring.
        dismissed_on: Date of dismissal; set if and only if the status is dismissed.
        education: Education (e.g. ``"высшее педагогическое"``).
        qualification_category: Qualification category, if any.

    Raises:
        ValidationError: If the status and the dismissal date disagree, or the dismissal
            is before the hiring.
    """

    id: EmployeeId = attrs.field(validator=v.non_empty_text)
    person: Person
    position: str = attrs.field(converter=v.strip_text, validator=v.non_empty_text)
    status: EmployeeStatus = attrs.field(default=EmployeeStatus.ACTIVE, converter=EmployeeStatus)
    hired_on: date | None = attrs.field(default=None, validator=v.optional_plain_date)
    dismissed_on: date | None = attrs.field(default=None, validator=v.optional_plain_date)
    education: str | None = attrs.field(default=None, converter=v.strip_optional_text)
    qualification_category: str | None = attrs.field(default=None, converter=v.strip_optional_text)

    @dismissed_on.validator
    def _check_dismissal(
        self, _attribute: attrs.Attribute[date | None], value: date | None
    ) -> None:
        dismissed = self.status is EmployeeStatus.DISMISSED
        if dismissed != (value is not None):
            raise EMPLOYEE_DISMISSAL_MISMATCH.error(id=self.id, status=self.status.value)
        if value is not None and self.hired_on is not None and value < self.hired_on:
            raise EMPLOYEE_DISMISSED_BEFORE_HIRED.error(id=self.id)

    def is_active_on(self, day: date) -> bool:
        """Return whether the employee works at the school on ``day``."""
        if self.hired_on is not None and day < self.hired_on:
            return False
        return self.dismissed_on is None or day <= self.dismissed_on


class ConsentPurpose(StrEnum):
    """What a consent to personal-data processing covers (152-FZ art. 9)."""

    JOURNAL = "journal"
    """Keeping the e-journal and the e-diary."""
    PERSONAL_FILE = "personal_file"
    """Keeping the personal card and the personal file."""
    STATE_SYSTEMS = "state_systems"
    """Transfer to the regional and federal state information systems."""
    PUBLICATION = "publication"
    """Publication (photos, achievements) on the school's site."""


def _to_purposes(value: Iterable[str]) -> frozenset[ConsentPurpose]:
    purposes = set()
    for item in v.to_tuple(value):
        try:
            purposes.add(ConsentPurpose(item))
        except ValueError:
            raise CONSENT_UNKNOWN_PURPOSE.error(value=str(item)) from None
    return frozenset(purposes)


class CardCategory(StrEnum):
    """The category of a personal card (R6.5)."""

    STUDENT = "student"
    GUARDIAN = "guardian"
    EMPLOYEE = "employee"


@attrs.frozen(kw_only=True)
class Consent:
    """A written consent to personal-data processing (R6.1, 152-FZ).

    Attributes:
        id: Id of the consent.
        category: The category of the data subject's card.
        subject_id: The id of the student, guardian or employee whose data it covers.
        given_on: The date the consent was signed.
        purposes: What it covers (at least one purpose).
        given_by: For a minor, the id of the guardian who signed; ``None`` when the subject
            signed.
        withdrawn_on: The date the consent was withdrawn, if it was.

    Raises:
        ValidationError: Without purposes, or withdrawn before it was given.
    """

    id: ConsentId = attrs.field(validator=v.non_empty_text)
    category: CardCategory = attrs.field(converter=CardCategory)
    subject_id: str = attrs.field(validator=v.non_empty_text)
    given_on: date = attrs.field(validator=v.plain_date)
    purposes: frozenset[ConsentPurpose] = attrs.field(converter=_to_purposes)
    given_by: GuardianId | None = None
    withdrawn_on: date | None = attrs.field(default=None, validator=v.optional_plain_date)

    @purposes.validator
    def _check_purposes(
        self, _attribute: attrs.Attribute[frozenset[ConsentPurpose]], value: frozenset[object]
    ) -> None:
        if not value:
            raise CONSENT_NO_PURPOSE.error()

    @withdrawn_on.validator
    def _check_withdrawal(
        self, _attribute: attrs.Attribute[date | None], value: date | None
    ) -> None:
        if value is not None and value < self.given_on:
            raise CONSENT_WITHDRAWN_BEFORE_GIVEN.error()

    def covers(self, purpose: ConsentPurpose, day: date) -> bool:
        """Return whether the consent allows ``purpose`` on ``day``."""
        in_force = self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)
        return in_force and purpose in self.purposes


class CardField(StrEnum):
    """A field of a personal card that the regulation may require (R6.5).

    The value is the field's stable code; :attr:`label_ru` and :attr:`label_en` name it.
    """

    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    PATRONYMIC = "patronymic"
    BIRTH_DATE = "birth_date"
    SEX = "sex"
    SNILS = "snils"
    CITIZENSHIP = "citizenship"
    DOCUMENT = "document"
    ADDRESS = "address"
    PHONE = "phone"
    EMAIL = "email"
    PERSONAL_FILE_NUMBER = "personal_file_number"
    WORK_PLACE = "work_place"
    POSITION = "position"
    HIRED_ON = "hired_on"
    EDUCATION = "education"

    @property
    def label_ru(self) -> str:
        """The field's name in Russian."""
        return _CARD_FIELD_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The field's name in English."""
        return _CARD_FIELD_LABELS[self][1]


_CARD_FIELD_LABELS: Mapping[CardField, tuple[str, str]] = MappingProxyType(
    {
        CardField.LAST_NAME: ("Фамилия", "Surname"),
        CardField.FIRST_NAME: ("Имя", "First name"),
        CardField.PATRONYMIC: ("Отчество", "Patronymic"),
        CardField.BIRTH_DATE: ("Дата рождения", "Date of birth"),
        CardField.SEX: ("Пол", "Sex"),
        CardField.SNILS: ("СНИЛС", "SNILS"),
        CardField.CITIZENSHIP: ("Гражданство", "Citizenship"),
        CardField.DOCUMENT: ("Документ, удостоверяющий личность", "Identity document"),
        CardField.ADDRESS: ("Адрес регистрации", "Registration address"),
        CardField.PHONE: ("Контактный телефон", "Contact phone"),
        CardField.EMAIL: ("Электронная почта", "E-mail"),
        CardField.PERSONAL_FILE_NUMBER: ("Номер личного дела", "Personal file number"),
        CardField.WORK_PLACE: ("Место работы", "Place of work"),
        CardField.POSITION: ("Должность", "Position"),
        CardField.HIRED_ON: ("Дата приёма на работу", "Hiring date"),
        CardField.EDUCATION: ("Образование", "Education"),
    }
)

DEFAULT_CARD_REQUIREMENTS: Mapping[CardCategory, frozenset[CardField]] = MappingProxyType(
    {
        CardCategory.STUDENT: frozenset(
            {
                CardField.LAST_NAME,
                CardField.FIRST_NAME,
                CardField.BIRTH_DATE,
                CardField.SEX,
                CardField.SNILS,
                CardField.CITIZENSHIP,
                CardField.DOCUMENT,
                CardField.ADDRESS,
                CardField.PERSONAL_FILE_NUMBER,
            }
        ),
        CardCategory.GUARDIAN: frozenset(
            {CardField.LAST_NAME, CardField.FIRST_NAME, CardField.PHONE, CardField.ADDRESS}
        ),
        CardCategory.EMPLOYEE: frozenset(
            {
                CardField.LAST_NAME,
                CardField.FIRST_NAME,
                CardField.BIRTH_DATE,
                CardField.SEX,
                CardField.SNILS,
                CardField.DOCUMENT,
                CardField.ADDRESS,
                CardField.POSITION,
                CardField.HIRED_ON,
                CardField.EDUCATION,
            }
        ),
    }
)
"""The fields each card category must have (R6.5; the regulation's Appendices 2-4 are not
published, so this is the set a Russian school keeps for its registers and form ОО-1).
A profile may replace it in its ``[cards]`` section."""

_CATEGORY_OF: Mapping[type, CardCategory] = MappingProxyType(
    {
        Student: CardCategory.STUDENT,
        Guardian: CardCategory.GUARDIAN,
        Employee: CardCategory.EMPLOYEE,
    }
)


def missing_card_fields(
    card: Student | Guardian | Employee,
    requirements: Mapping[CardCategory, frozenset[CardField]] = DEFAULT_CARD_REQUIREMENTS,
) -> tuple[CardField, ...]:
    """List the required fields that ``card`` leaves empty, in the order of :class:`CardField`.

    Args:
        card: A student's, guardian's or employee's card.
        requirements: The required fields per category (a profile's ``cards`` section).

    Returns:
        The missing fields; empty when the card is complete (R6.5).

    >>> card = Guardian(id="g1", person=Person(last_name="Петров", first_name="Олег"))
    >>> [field.label_ru for field in missing_card_fields(card)]
    ['Адрес регистрации', 'Контактный телефон']
    """
    required = requirements.get(_CATEGORY_OF[type(card)], frozenset())
    missing: list[CardField] = []
    for field in CardField:
        if field not in required:
            continue
        holder: object = card.person if hasattr(card.person, field.value) else card
        if getattr(holder, field.value, None) is None:
            missing.append(field)
    return tuple(missing)
