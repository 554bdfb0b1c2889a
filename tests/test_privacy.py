"""Field-level privacy: the matrix, masked cards and pseudonyms (R6.1, 152-FZ art. 5, 14)."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.errors import ValidationError
from eschool_core.ids import AccountId, ClassId, EmployeeId, MembershipId, SchoolId, StudentId
from eschool_core.people import (
    CardCategory,
    CardField,
    DocumentKind,
    Employee,
    Guardian,
    IdentityDocument,
    Person,
    Sex,
    Student,
)
from eschool_core.privacy import (
    ALWAYS_SHOWN,
    DEFAULT_PRIVACY_MATRIX,
    Audience,
    FieldGrant,
    PrivacyMatrix,
    Pseudonymiser,
    audience_of,
    mask_card,
    mask_employee,
    mask_guardian,
    mask_student,
)
from eschool_core.profiles import default_profile
from eschool_core.rbac import Action, Actor, Authorizer, MemoryDirectory, Role, Target
from eschool_core.school import ClassMembership, SchoolClass, TeachingAssignment

_PERSON_FIELDS = {
    CardField.BIRTH_DATE: "birth_date",
    CardField.SEX: "sex",
    CardField.SNILS: "snils",
    CardField.CITIZENSHIP: "citizenship",
    CardField.DOCUMENT: "document",
    CardField.ADDRESS: "address",
    CardField.PHONE: "phone",
    CardField.EMAIL: "email",
}


@st.composite
def people(draw: st.DrawFn) -> Person:
    """A person with each optional field present or not."""

    def maybe(value: object) -> object:
        return value if draw(st.booleans()) else None

    return Person(
        last_name=draw(st.sampled_from(["Кузнецова", "Орлов", "Ли"])),
        first_name=draw(st.sampled_from(["Дарья", "Тимур"])),
        patronymic=maybe("Игоревна"),
        birth_date=maybe(date(2013, 4, 17)),
        sex=maybe(Sex.FEMALE),
        snils=maybe("112-233-445 95"),
        citizenship=maybe("RU"),
        document=maybe(
            IdentityDocument(
                kind=DocumentKind.BIRTH_CERTIFICATE,
                number="VI-ЛО 512345",
                issued_on=date(2013, 5, 2),
                issued_by="ЗАГС Гатчинского района",
            )
        ),
        address=maybe("г. Гатчина, ул. Соборная, д. 7, кв. 12"),
        phone=maybe("+7 921 555-01-02"),
        email=maybe("family.k@example.ru"),
    )


@st.composite
def cards(draw: st.DrawFn) -> Student | Guardian | Employee:
    """A student's, guardian's or employee's card with random fields filled."""
    person = draw(people())
    kind = draw(st.sampled_from(["student", "guardian", "employee"]))
    if kind == "student":
        return Student(id=StudentId("st1"), person=person, personal_file_number="5А-0417")
    if kind == "guardian":
        return Guardian(id="g1", person=person, work_place="ООО «Северный ветер»")
    return Employee(
        id=EmployeeId("e1"),
        person=person,
        position="учитель математики",
        hired_on=date(2011, 8, 25),
        education="высшее педагогическое",
        qualification_category="высшая",
    )


audience_sets = st.frozensets(st.sampled_from(list(Audience) + list(Role)), max_size=3)

_CATEGORY = {Student: CardCategory.STUDENT, Guardian: CardCategory.GUARDIAN}


def _category(card: Student | Guardian | Employee) -> CardCategory:
    return _CATEGORY.get(type(card), CardCategory.EMPLOYEE)


def _oracle_visible(
    audiences: frozenset[Audience | Role], category: CardCategory
) -> set[CardField]:
    """The fields shown, read straight from the matrix's rows."""
    role_to_audience = {
        Role.TEACHER: Audience.SUBJECT_TEACHER,
        Role.STUDENT: Audience.SELF,
    }
    wanted = {
        a if isinstance(a, Audience) else role_to_audience.get(a) or Audience(a.value)
        for a in audiences
    }
    shown = set(ALWAYS_SHOWN)
    for row in DEFAULT_PRIVACY_MATRIX.grants:
        if row.audience in wanted and row.category is category:
            shown |= row.fields
    return shown


def _values(card: Student | Guardian | Employee) -> dict[CardField, object]:
    """Each card field's value (None when empty)."""
    person = card.person
    values: dict[CardField, object] = {
        field: getattr(person, name) for field, name in _PERSON_FIELDS.items()
    }
    values[CardField.LAST_NAME] = person.last_name
    values[CardField.FIRST_NAME] = person.first_name
    values[CardField.PATRONYMIC] = person.patronymic
    if isinstance(card, Student):
        values[CardField.PERSONAL_FILE_NUMBER] = card.personal_file_number
    elif isinstance(card, Guardian):
        values[CardField.WORK_PLACE] = card.work_place
    else:
        values[CardField.POSITION] = card.position
        values[CardField.HIRED_ON] = card.hired_on
        values[CardField.EDUCATION] = (card.education, card.qualification_category)
    return values


def _hidden_texts(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, IdentityDocument):
        return [value.number, *(value.issued_by or "",)]
    if isinstance(value, tuple):
        return [str(item) for item in value if item is not None]
    if isinstance(value, date):
        return [value.isoformat(), repr(value)]
    return [str(value)]


class TestMasking:
    @settings(max_examples=200)
    @given(cards(), audience_sets)
    def test_masked_card_shows_exactly_what_the_matrix_shows(
        self, card: Student | Guardian | Employee, audiences: frozenset[Audience | Role]
    ) -> None:
        """R6.1 (152-FZ art. 5 p. 5): a masked card keeps the shown fields, hides the others."""
        masked = mask_card(card, audiences)
        shown = _oracle_visible(audiences, _category(card))
        before, after = _values(card), _values(masked)
        for field, value in before.items():
            if field in shown:
                assert after[field] == value, field
            elif field is CardField.POSITION:
                assert after[field] == "—"
            elif field is CardField.EDUCATION:
                assert after[field] == (None, None)
            else:
                assert after[field] is None, field
        assert masked.id == card.id

    @settings(max_examples=200)
    @given(cards(), audience_sets)
    def test_masked_card_never_contains_a_hidden_value(
        self, card: Student | Guardian | Employee, audiences: frozenset[Audience | Role]
    ) -> None:
        """R6.1 (152-FZ): no text of a hidden field appears anywhere in the masked card."""
        masked = mask_card(card, audiences)
        text = repr(attrs.asdict(masked, recurse=True))
        shown = _oracle_visible(audiences, _category(card))
        visible_text = repr([v for f, v in _values(card).items() if f in shown])
        for field, value in _values(card).items():
            if field in shown:
                continue
            for secret in _hidden_texts(value):
                # Codes of one or two letters ("f", "RU") are checked by the test above.
                if len(secret) >= 4 and secret not in visible_text:
                    assert secret not in text, (field, secret)

    @settings(max_examples=100)
    @given(cards())
    def test_full_access_audiences_see_everything(
        self, card: Student | Guardian | Employee
    ) -> None:
        """R6.2-R6.4, R2.2c, 152-FZ art. 14: card keepers, the director and the subject see all."""
        full = {
            CardCategory.STUDENT: [
                Audience.SELF,
                Audience.PARENT,
                Audience.CLERK,
                Audience.CLASS_TEACHER,
                Audience.DIRECTOR,
            ],
            CardCategory.GUARDIAN: [
                Audience.SELF,
                Audience.CLERK,
                Audience.CLASS_TEACHER,
                Audience.DIRECTOR,
            ],
            CardCategory.EMPLOYEE: [
                Audience.SELF,
                Audience.HR_SPECIALIST,
                Audience.CLERK,
                Audience.DIRECTOR,
            ],
        }[_category(card)]
        for audience in full:
            assert mask_card(card, [audience]) == card, audience

    def test_subject_teacher_sees_no_snils_document_or_address(self) -> None:
        """R6.1, R8.3: a subject teacher's view of a student carries the name only."""
        student = Student(
            id=StudentId("st1"),
            person=Person(
                last_name="Орлов",
                first_name="Тимур",
                snils="112-233-445 95",
                address="г. Гатчина, ул. Соборная, д. 7",
                birth_date=date(2013, 4, 17),
            ),
            personal_file_number="5А-0417",
        )
        seen = mask_student(student, [Role.TEACHER])
        assert (seen.person.last_name, seen.person.first_name) == ("Орлов", "Тимур")
        assert seen.person.snils is None
        assert seen.person.address is None
        assert seen.person.birth_date is None
        assert seen.personal_file_number is None
        assert student.person.snils == "11223344595"  # the card itself is unchanged

    def test_guardian_and_employee_helpers(self) -> None:
        """R3.2.3, R6.2: the administrator sees a parent's contacts, not his address."""
        guardian = Guardian(
            id="g1",
            person=Person(
                last_name="Орлова", first_name="Ирина", phone="+7 921 555-01-02", address="ул. 1"
            ),
        )
        seen = mask_guardian(guardian, [Role.ADMINISTRATOR])
        assert seen.person.phone == "+7 921 555-01-02"
        assert seen.person.address is None
        employee = Employee(
            id=EmployeeId("e1"),
            person=Person(last_name="Ли", first_name="Анна", snils="112-233-445 95"),
            position="учитель",
        )
        assert mask_employee(employee, [Role.TEACHER]).person.snils is None
        assert mask_employee(employee, [Role.HR_SPECIALIST]).person.snils == "11223344595"

    def test_unknown_audience_is_a_typed_error(self) -> None:
        """R3.2.1: an audience that is neither an audience nor a role is rejected."""
        with pytest.raises(ValidationError) as caught:
            mask_card(Student(id="s", person=Person(last_name="Ли", first_name="Анна")), ["x"])
        assert caught.value.code == "rbac.unknown_role"


class TestMatrix:
    def test_every_row_cites_a_clause_and_a_requirement(self) -> None:
        """R6.1: each row of the privacy matrix names the clause that needs its fields."""
        for row in DEFAULT_PRIVACY_MATRIX.grants:
            assert row.clause
            assert row.requirement.startswith("R")
            assert row.purpose_ru
            assert row.purpose_en

    def test_duplicate_rows_and_foreign_fields_are_rejected(self) -> None:
        """R6.5: a row names fields its category has, once per audience and category."""
        row = DEFAULT_PRIVACY_MATRIX.grants[0]
        with pytest.raises(ValidationError) as caught:
            PrivacyMatrix(grants=[row, row])
        assert caught.value.code == "privacy.duplicate_row"
        with pytest.raises(ValidationError) as caught:
            FieldGrant(
                audience=Audience.CLERK,
                category=CardCategory.GUARDIAN,
                fields=[CardField.PERSONAL_FILE_NUMBER],
                clause="6.3",
                requirement="R6.3",
                purpose_ru="—",
                purpose_en="—",
            )
        assert caught.value.code == "privacy.foreign_field"

    @pytest.mark.parametrize("category", [CardCategory.STUDENT, CardCategory.GUARDIAN])
    def test_every_card_row_is_an_audience_the_role_matrix_lets_read(
        self, category: CardCategory
    ) -> None:
        """R3.1c, R6.5: a student or parent card row names an audience whose role may read
        such cards; the docs showed a deputy-head row for parent cards no cell grants."""
        read = {
            CardCategory.STUDENT: Action.STUDENT_CARD_READ,
            CardCategory.GUARDIAN: Action.PARENT_CARD_READ,
        }[category]
        readers = {
            Audience.CLASS_TEACHER: Role.TEACHER,
            Audience.SUBJECT_TEACHER: Role.TEACHER,
            Audience.SELF: Role.STUDENT if category is CardCategory.STUDENT else Role.PARENT,
            Audience.PARENT: Role.PARENT,
        }
        matrix = default_profile().rbac
        rows = [row for row in DEFAULT_PRIVACY_MATRIX.grants if row.category is category]
        assert rows
        for row in rows:
            role = readers.get(row.audience) or Role(row.audience.value)
            assert matrix.cells(role, read), (row.audience, category)

    def test_render_lists_every_row(self) -> None:
        """R6.1: the matrix renders as a table for the school's personal-data policy."""
        text = DEFAULT_PRIVACY_MATRIX.render("en")
        assert text.count("\n") == len(DEFAULT_PRIVACY_MATRIX.grants) + 1
        assert "Class teacher | student | Surname, First name, Patronymic, Date of birth" in text


class TestAudienceOfDecision:
    def test_teacher_reads_as_class_teacher_only_through_his_class(self) -> None:
        """R6.4, R3.1c: a teacher reads a card as class teacher only through his own class."""
        directory = MemoryDirectory(
            employees=[
                Employee(id=EmployeeId(e), person=Person(last_name="Ли", first_name="Анна"),
                         position="учитель")
                for e in ("ct", "t")
            ],
            classes=[SchoolClass(id=ClassId("5a"), year="2025/2026", parallel=5, letter="А",
                                 class_teacher_id=EmployeeId("ct"))],
            assignments=[TeachingAssignment(id="a", teacher_id=EmployeeId("t"),
                                            year="2025/2026", subject_id="math",
                                            class_id=ClassId("5a"))],
            memberships=[ClassMembership(id=MembershipId("m"), student_id=StudentId("s"),
                                         class_id=ClassId("5a"), since=date(2025, 9, 1))],
        )  # fmt: skip
        authorizer = Authorizer(default_profile().rbac, directory)
        on = date(2026, 3, 2)
        target = Target(school_id=SchoolId("s1"), student_id=StudentId("s"), subject_id="math")

        def actor(eid: str) -> Actor:
            return Actor(
                account_id=AccountId(eid),
                roles=[Role.TEACHER],
                school_id=SchoolId("s1"),
                employee_id=EmployeeId(eid),
            )

        card = authorizer.check(actor("ct"), Action.STUDENT_CARD_READ, target, on=on)
        journal = authorizer.check(actor("t"), Action.JOURNAL_READ, target, on=on)
        assert audience_of(card) is Audience.CLASS_TEACHER
        assert audience_of(journal) is Audience.SUBJECT_TEACHER
        denied = authorizer.check(actor("t"), Action.STUDENT_CARD_READ, target, on=on)
        with pytest.raises(ValidationError) as caught:
            audience_of(denied)
        assert caught.value.code == "privacy.denied_decision"


class TestPseudonymiser:
    @settings(max_examples=100)
    @given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
    def test_stable_per_key_distinct_across_keys(self, first: str, second: str) -> None:
        """R6.1: a pseudonym is stable under one key and differs under another."""
        one, two = Pseudonymiser("k" * 16), Pseudonymiser("k" * 15 + "l")
        assert one.pseudonym("S", first) == one.pseudonym("S", first)
        assert one.pseudonym("S", first) != two.pseudonym("S", first)
        if first != second:
            assert one.pseudonym("S", first) != one.pseudonym("S", second)

    def test_short_key_is_refused(self) -> None:
        """R6.1: a key under 16 characters is a typed error."""
        with pytest.raises(ValidationError) as caught:
            Pseudonymiser("short")
        assert caught.value.code == "privacy.short_key"
        assert len(Pseudonymiser.generate_key()) == 64
