from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from eschool_core.errors import ValidationError
from eschool_core.people import (
    DEFAULT_CARD_REQUIREMENTS,
    CardCategory,
    CardField,
    Consent,
    ConsentPurpose,
    DocumentKind,
    Employee,
    EmployeeStatus,
    Guardian,
    GuardianKind,
    GuardianLink,
    IdentityDocument,
    Person,
    Sex,
    Student,
    missing_card_fields,
    normalize_snils,
)
from tests.strategies import names, snils_numbers


class TestPerson:
    @given(names(), names())
    def test_valid_names_are_accepted(self, last: str, first: str) -> None:
        """R2.2c: any name in Cyrillic or Latin letters is accepted unchanged."""
        person = Person(last_name=last, first_name=first)
        assert person.full_name == f"{last} {first}"

    @pytest.mark.parametrize("bad", ["", "   ", "Иванов1", "Ivan0v", "Ив@нов", "Ивaнов", "-Петров"])
    def test_invalid_surnames_are_rejected(self, bad: str) -> None:
        """R2.2c: an empty, digit-bearing or mixed-alphabet surname is a typed error."""
        with pytest.raises(ValidationError) as caught:
            Person(last_name=bad, first_name="Иван")
        assert caught.value.code in {"value.empty", "person.invalid_name"}
        assert "last_name" in caught.value.message("en")

    def test_names_are_trimmed(self) -> None:
        """Surrounding spaces are dropped; a blank patronymic means none."""
        person = Person(last_name="  Орлова ", first_name="Анна", patronymic="  ")
        assert (person.last_name, person.patronymic) == ("Орлова", None)

    def test_short_name_and_age(self) -> None:
        """Initials and the age in full years, as documents write them."""
        person = Person(
            last_name="Орлова",
            first_name="Анна",
            patronymic="Сергеевна",
            birth_date=date(2012, 9, 15),
        )
        assert person.short_name == "Орлова А. С."
        assert person.age_on(date(2025, 9, 14)) == 12
        assert person.age_on(date(2025, 9, 15)) == 13
        assert Person(last_name="Орлова", first_name="Анна").age_on(date(2025, 1, 1)) is None

    def test_birth_date_must_be_a_date_not_a_datetime(self) -> None:
        """A datetime passed where a date belongs is rejected (it subclasses date)."""
        with pytest.raises(ValidationError, match="birth_date"):
            Person(last_name="Орлова", first_name="Анна", birth_date=datetime(2012, 1, 1))

    @pytest.mark.parametrize("phone", ["12345", "+7 (9xx) 123"])
    def test_bad_phone(self, phone: str) -> None:
        """A phone number needs at least ten digits."""
        with pytest.raises(ValidationError) as caught:
            Person(last_name="Орлов", first_name="Иван", phone=phone)
        assert caught.value.code == "person.invalid_phone"

    def test_bad_email(self) -> None:
        """An e-mail address needs a local part, an @ and a domain."""
        with pytest.raises(ValidationError) as caught:
            Person(last_name="Орлов", first_name="Иван", email="orlov.example.ru")
        assert caught.value.code == "person.invalid_email"


def _check_number(nine_digits: str) -> int:
    total = sum(int(digit) * (9 - index) for index, digit in enumerate(nine_digits))
    return total if total < 100 else (0 if total in (100, 101) else total % 101 % 100)


class TestSnils:
    def test_sums_of_100_and_101_share_the_check_number(self) -> None:
        """The check number 00 stands for the sums 100 and 101 alike."""
        assert normalize_snils("03864793400") == "03864793400"
        assert _check_number("038647934") == 0

    def test_known_number(self) -> None:
        """A published example number passes in its written form."""
        assert normalize_snils("112-233-445 95") == "11223344595"

    @given(snils_numbers())
    def test_generated_numbers_pass(self, number: str) -> None:
        """Every number with correct check digits is accepted."""
        assert normalize_snils(number) == number

    @given(snils_numbers(), st.integers(min_value=0, max_value=8), st.integers(1, 9))
    def test_a_changed_digit_is_caught(self, number: str, position: int, delta: int) -> None:
        """Changing one of the first nine digits is caught unless the check number happens to
        stay the same (sums of 100 and 101 both give 00, and sums wrap modulo 101)."""
        digits = list(number)
        digits[position] = str((int(digits[position]) + delta) % 10)
        changed = "".join(digits)
        assume(int(changed[:9]) > 1_001_998)  # older numbers are not checked
        assume(_check_number(changed[:9]) != int(number[9:]))
        with pytest.raises(ValidationError) as caught:
            normalize_snils(changed)
        assert caught.value.code == "person.snils_checksum"

    @pytest.mark.parametrize("bad", ["123", "1122334459a", "112233445955"])
    def test_format(self, bad: str) -> None:
        """Anything but 11 digits is rejected."""
        with pytest.raises(ValidationError) as caught:
            normalize_snils(bad)
        assert caught.value.code == "person.snils_format"

    def test_person_normalizes_snils(self) -> None:
        """A person's СНИЛС is stored as 11 digits; a blank one means none."""
        person = Person(last_name="Орлов", first_name="Иван", snils="112-233-445 95")
        assert person.snils == "11223344595"
        assert Person(last_name="Орлов", first_name="Иван", snils=" ").snils is None


class TestEmployee:
    def test_dismissed_needs_a_date(self) -> None:
        """R4.3: a dismissed employee has a dismissal date, an active one has none."""
        person = Person(last_name="Орлов", first_name="Иван")
        with pytest.raises(ValidationError) as caught:
            Employee(id="e1", person=person, position="учитель", status=EmployeeStatus.DISMISSED)
        assert caught.value.clause == "4.3"
        with pytest.raises(ValidationError):
            Employee(id="e1", person=person, position="учитель", dismissed_on=date(2025, 1, 1))

    def test_active_on(self) -> None:
        """An employee works from hiring to dismissal, both days included."""
        employee = Employee(
            id="e1",
            person=Person(last_name="Орлов", first_name="Иван"),
            position="учитель",
            status="dismissed",
            hired_on=date(2020, 9, 1),
            dismissed_on=date(2025, 12, 31),
        )
        assert not employee.is_active_on(date(2020, 8, 31))
        assert employee.is_active_on(date(2025, 12, 31))
        assert not employee.is_active_on(date(2026, 1, 1))

    def test_dismissed_before_hired(self) -> None:
        """A dismissal before the hiring date is rejected."""
        with pytest.raises(ValidationError) as caught:
            Employee(
                id="e1",
                person=Person(last_name="Орлов", first_name="Иван"),
                position="учитель",
                status="dismissed",
                hired_on=date(2020, 9, 1),
                dismissed_on=date(2020, 8, 1),
            )
        assert caught.value.code == "employee.dismissed_before_hired"


class TestGuardianLink:
    def test_holds_between_dates(self) -> None:
        """R3.2.4: a guardian link holds from since to until, both included."""
        link = GuardianLink(
            id="l1",
            guardian_id="g1",
            student_id="s1",
            kind=GuardianKind.MOTHER,
            since=date(2025, 1, 1),
            until=date(2025, 6, 30),
        )
        assert link.holds_on(date(2025, 6, 30))
        assert not link.holds_on(date(2025, 7, 1))
        assert not link.holds_on(date(2024, 12, 31))

    def test_reversed_dates(self) -> None:
        """A link cannot end before it starts."""
        with pytest.raises(ValidationError):
            GuardianLink(
                id="l1",
                guardian_id="g1",
                student_id="s1",
                kind="father",
                since=date(2025, 1, 1),
                until=date(2024, 1, 1),
            )


class TestConsent:
    def test_covers_purpose_while_in_force(self) -> None:
        """R6.1: a consent covers its purposes from signing until withdrawal."""
        consent = Consent(
            id="c1",
            category=CardCategory.STUDENT,
            subject_id="s1",
            given_on=date(2025, 8, 20),
            purposes=["journal"],
            withdrawn_on=date(2026, 1, 10),
        )
        assert consent.covers(ConsentPurpose.JOURNAL, date(2025, 9, 1))
        assert not consent.covers(ConsentPurpose.PUBLICATION, date(2025, 9, 1))
        assert not consent.covers(ConsentPurpose.JOURNAL, date(2025, 8, 19))
        assert not consent.covers(ConsentPurpose.JOURNAL, date(2026, 1, 10))

    @pytest.mark.parametrize(
        ("purposes", "code"), [([], "consent.no_purpose"), (["spam"], "consent.unknown_purpose")]
    )
    def test_purposes_are_checked(self, purposes: list[str], code: str) -> None:
        """R6.1: a consent names at least one known purpose."""
        with pytest.raises(ValidationError) as caught:
            Consent(
                id="c1",
                category="student",
                subject_id="s1",
                given_on=date(2025, 8, 20),
                purposes=purposes,
            )
        assert (caught.value.code, caught.value.clause) == (code, "6.1")

    def test_withdrawn_before_given(self) -> None:
        """R6.1: a consent cannot be withdrawn before it was given."""
        with pytest.raises(ValidationError):
            Consent(
                id="c1",
                category="student",
                subject_id="s1",
                given_on=date(2025, 8, 20),
                purposes=["journal"],
                withdrawn_on=date(2025, 8, 1),
            )


class TestCards:
    def test_complete_student_card(self) -> None:
        """R6.5: a student card with every required field has nothing missing."""
        card = Student(
            id="s1",
            personal_file_number="5А-1",
            person=Person(
                last_name="Орлов",
                first_name="Иван",
                birth_date=date(2014, 3, 1),
                sex=Sex.MALE,
                snils="112-233-445 95",
                citizenship="RU",
                address="г. Коммунар, ул. Школьная, д. 1",
                document=IdentityDocument(
                    kind=DocumentKind.BIRTH_CERTIFICATE,
                    number="II-АК 123456",
                    issued_on=date(2014, 3, 20),
                ),
            ),
        )
        assert missing_card_fields(card) == ()

    def test_missing_fields_per_category(self) -> None:
        """R6.5: each category lists exactly its own missing required fields."""
        bare = Person(last_name="Орлов", first_name="Иван")
        student_missing = missing_card_fields(Student(id="s1", person=bare))
        assert CardField.PERSONAL_FILE_NUMBER in student_missing
        assert CardField.SNILS in student_missing
        assert CardField.PHONE not in student_missing
        guardian_missing = missing_card_fields(Guardian(id="g1", person=bare))
        assert guardian_missing == (CardField.ADDRESS, CardField.PHONE)
        employee = Employee(id="e1", person=bare, position="учитель")
        assert CardField.POSITION not in missing_card_fields(employee)
        assert CardField.HIRED_ON in missing_card_fields(employee)

    def test_requirements_can_be_replaced(self) -> None:
        """R6.5: a profile's own requirements are used instead of the defaults."""
        requirements = {**DEFAULT_CARD_REQUIREMENTS, CardCategory.GUARDIAN: frozenset()}
        card = Guardian(id="g1", person=Person(last_name="Орлов", first_name="Иван"))
        assert missing_card_fields(card, requirements) == ()

    def test_every_field_has_labels(self) -> None:
        """Every card field has a Russian and an English label."""
        for field in CardField:
            assert field.label_ru
            assert field.label_en
