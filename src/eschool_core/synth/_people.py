"""Synthetic people: staff, students, their parents and consents."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

import attrs

from eschool_core.ids import (
    ClassId,
    ConsentId,
    EmployeeId,
    GuardianId,
    GuardianLinkId,
    StudentId,
)
from eschool_core.people import (
    CardCategory,
    Consent,
    ConsentPurpose,
    DocumentKind,
    Employee,
    Guardian,
    GuardianKind,
    GuardianLink,
    IdentityDocument,
    Person,
    Sex,
    Student,
)
from eschool_core.school import SchoolClass
from eschool_core.synth._names import (
    FATHER_NAMES,
    FEMALE_NAMES,
    MALE_NAMES,
    MALE_SURNAMES,
    STREETS,
)

__all__ = ["Households", "PeopleFactory", "adult_consents"]


def _snils(rng: random.Random) -> str:
    number = f"{rng.randrange(2_000_000, 999_999_999):09d}"
    total = sum(int(digit) * (9 - index) for index, digit in enumerate(number))
    check = total if total < 100 else (0 if total in (100, 101) else total % 101 % 100)
    return f"{number}{check:02d}"


def _gendered(surname: str, sex: Sex) -> str:
    """The surname in the form for ``sex`` (Иванов → Иванова, Островский → Островская)."""
    if sex is Sex.MALE:
        return surname
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    if surname.endswith("ский"):
        return surname[:-4] + "ская"
    return surname


@attrs.define
class Households:
    """Students with their parents and consents, in generation order.

    ``home`` is the class each student was generated for: the class of the first school
    day, or the class an arrival joins during the year (the movement orders enroll them).
    """

    students: list[Student] = attrs.Factory(list)
    guardians: list[Guardian] = attrs.Factory(list)
    links: list[GuardianLink] = attrs.Factory(list)
    consents: list[Consent] = attrs.Factory(list)
    home: dict[StudentId, ClassId] = attrs.Factory(dict)


class PeopleFactory:
    """Makes persons and cards; a few cards are deliberately incomplete (R6.5 checks)."""

    def __init__(self, rng: random.Random, first_year: int) -> None:
        self.rng = rng
        self.first_year = first_year
        self.employees: list[Employee] = []

    def person(self, sex: Sex, born: date, *, adult: bool, family: str | None = None) -> Person:
        """A person with a realistic name, documents and contacts."""
        rng = self.rng
        surname = _gendered(family or rng.choice(MALE_SURNAMES), sex)
        father = rng.choice(FATHER_NAMES)
        if sex is Sex.MALE:
            first, patronymic = rng.choice(MALE_NAMES), father[1]
        else:
            first, patronymic = rng.choice(FEMALE_NAMES), father[2]
        complete = rng.random() > 0.03
        document = IdentityDocument(
            kind=DocumentKind.PASSPORT if adult else DocumentKind.BIRTH_CERTIFICATE,
            number=(
                f"{rng.randrange(4000, 4100)} {rng.randrange(100000, 999999)}"
                if adult
                else f"II-АК {rng.randrange(100000, 999999)}"
            ),
            issued_on=born + timedelta(days=365 * 14 + 30 if adult else 20),
        )
        phone = (
            f"+7 9{rng.randrange(10, 99)} {rng.randrange(100, 999)}-"
            f"{rng.randrange(10, 99)}-{rng.randrange(10, 99)}"
        )
        return Person(
            last_name=surname,
            first_name=first,
            patronymic=patronymic,
            birth_date=born,
            sex=sex,
            snils=_snils(rng) if complete else None,
            citizenship="RU",
            document=document,
            address=f"г. Коммунар, {rng.choice(STREETS)}, д. {rng.randrange(1, 60)}, "
            f"кв. {rng.randrange(1, 200)}",
            phone=phone if adult else None,
        )

    def employee(self, code: str, position: str) -> Employee:
        """A staff card, remembered in :attr:`employees`."""
        rng = self.rng
        sex = Sex.FEMALE if rng.random() < 0.8 else Sex.MALE
        born = date(rng.randrange(1960, 1999), rng.randrange(1, 13), rng.randrange(1, 29))
        employee = Employee(
            id=EmployeeId(code),
            person=self.person(sex, born, adult=True),
            position=position,
            hired_on=date(rng.randrange(1990, self.first_year), rng.randrange(1, 13), 1),
            education="высшее педагогическое" if rng.random() < 0.9 else "высшее",
            qualification_category=rng.choice(("высшая", "первая", None)),
        )
        self.employees.append(employee)
        return employee

    def households(
        self, classes: Sequence[SchoolClass], class_size: tuple[int, int], first_day: date
    ) -> Households:
        """Students of every class with one or two parents and a consent."""
        result = Households()
        for school_class in classes:
            for _ in range(self.rng.randint(*class_size)):
                self.household(result, school_class, first_day)
        return result

    def household(self, result: Households, school_class: SchoolClass, first_day: date) -> Student:
        """Add a student who starts in ``school_class`` on ``first_day``, with his family.

        The consent is signed before ``first_day``; the student is returned.
        """
        rng = self.rng
        number = len(result.students) + 1
        family = rng.choice(MALE_SURNAMES)
        sex = Sex.MALE if rng.random() < 0.51 else Sex.FEMALE
        born = date(
            self.first_year - 6 - school_class.parallel, rng.randrange(1, 13), rng.randrange(1, 29)
        )
        student = Student(
            id=StudentId(f"st-{number:05d}"),
            person=self.person(sex, born, adult=False, family=family),
            personal_file_number=(
                f"{school_class.parallel}{school_class.letter}-{number:04d}"
                if rng.random() > 0.02
                else None
            ),
        )
        result.students.append(student)
        result.home[student.id] = school_class.id
        kinds = [GuardianKind.MOTHER] + ([GuardianKind.FATHER] if rng.random() < 0.6 else [])
        for kind in kinds:
            parent_born = date(
                born.year - rng.randrange(22, 40), rng.randrange(1, 13), rng.randrange(1, 29)
            )
            parent_sex = Sex.FEMALE if kind is GuardianKind.MOTHER else Sex.MALE
            guardian = Guardian(
                id=GuardianId(f"gd-{number:05d}-{kind.value[0]}"),
                person=self.person(parent_sex, parent_born, adult=True, family=family),
            )
            result.guardians.append(guardian)
            result.links.append(
                GuardianLink(
                    id=GuardianLinkId(f"gl-{number:05d}-{kind.value[0]}"),
                    guardian_id=guardian.id,
                    student_id=student.id,
                    kind=kind,
                )
            )
        result.consents.append(
            Consent(
                id=ConsentId(f"cons-{number:05d}"),
                category=CardCategory.STUDENT,
                subject_id=student.id,
                given_on=first_day - timedelta(days=rng.randrange(1, 90)),
                purposes=(
                    ConsentPurpose.JOURNAL,
                    ConsentPurpose.PERSONAL_FILE,
                    ConsentPurpose.STATE_SYSTEMS,
                ),
                given_by=result.guardians[-len(kinds)].id,
            )
        )
        return student


def adult_consents(
    rng: random.Random, households: Households, employees: Sequence[Employee], first_day: date
) -> tuple[list[Consent], int]:
    """Consents of the parents and the staff, all but a few planted omissions (R6.1).

    A parent signs on the day his child's consent is signed; an employee on the day he was
    hired. About one parent in 150 (at least one) signs nothing, and one employee withdraws
    his consent during the autumn, so the year ends with these cards unconsented.

    Args:
        rng: The generator's own random source for consents (the rest of the school does not
            depend on it).
        households: The students, parents and the students' consents.
        employees: The staff.
        first_day: The first school day.

    Returns:
        The new consents, and how many cards have none in force at the end of the year.
    """
    signed = {consent.subject_id: consent.given_on for consent in households.consents}
    child_of = {link.guardian_id: link.student_id for link in households.links}
    guardians = households.guardians
    skipped = set(rng.sample(range(len(guardians)), max(1, len(guardians) // 150)))
    withdrawing = rng.randrange(len(employees)) if employees else None
    consents: list[Consent] = []
    for index, guardian in enumerate(guardians):
        if index in skipped:
            continue
        consents.append(
            Consent(
                id=ConsentId(f"cons-{guardian.id}"),
                category=CardCategory.GUARDIAN,
                subject_id=guardian.id,
                given_on=signed[child_of[guardian.id]],
                purposes=(ConsentPurpose.JOURNAL, ConsentPurpose.PERSONAL_FILE),
            )
        )
    for index, employee in enumerate(employees):
        given_on = employee.hired_on or first_day - timedelta(days=1)
        withdrawn_on = first_day + timedelta(days=rng.randrange(30, 90))
        consents.append(
            Consent(
                id=ConsentId(f"cons-{employee.id}"),
                category=CardCategory.EMPLOYEE,
                subject_id=employee.id,
                given_on=given_on,
                purposes=(
                    ConsentPurpose.JOURNAL,
                    ConsentPurpose.PERSONAL_FILE,
                    ConsentPurpose.STATE_SYSTEMS,
                ),
                withdrawn_on=withdrawn_on if index == withdrawing else None,
            )
        )
    return consents, len(skipped) + (withdrawing is not None)
