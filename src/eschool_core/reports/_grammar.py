"""Russian grammar of printed sentences: people's names by case and sex, periods and dates in words.

A letter addresses its reader in the right case and gender («родители ученицы 5А класса
Беловой Василисы Ильиничны»), never in the nominative of a card. Names are declined by the
rules of the petrovich project (``pytrovich``, imported only when a name is declined): the
surname, the given name and the patronymic each by its own rules, for the person's sex as
the card records it, or as the patronymic and given name tell when the card has none.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from eschool_core.people import Person, Sex
from eschool_core.reports._errors import REPORT_UNKNOWN_CASE

if TYPE_CHECKING:
    from pytrovich.maker import PetrovichDeclinationMaker

__all__ = ["GrammaticalCase", "date_in_words", "decline_name", "pupil_noun"]


class GrammaticalCase(StrEnum):
    """A grammatical case of Russian nouns (падеж)."""

    NOMINATIVE = "nominative"
    """Именительный: кто? — Белова Василиса."""
    GENITIVE = "genitive"
    """Родительный: кого? — Беловой Василисы."""
    DATIVE = "dative"
    """Дательный: кому? — Беловой Василисе."""
    ACCUSATIVE = "accusative"
    """Винительный: кого? — Белову Василису."""
    INSTRUMENTAL = "instrumental"
    """Творительный: кем? — Беловой Василисой."""
    PREPOSITIONAL = "prepositional"
    """Предложный: о ком? — о Беловой Василисе."""


def _case(case: GrammaticalCase | str) -> GrammaticalCase:
    try:
        return GrammaticalCase(case)
    except ValueError as exc:
        raise REPORT_UNKNOWN_CASE.error(case=str(case)) from exc


@cache
def _maker() -> PetrovichDeclinationMaker:
    from pytrovich.maker import PetrovichDeclinationMaker  # noqa: PLC0415 - only when used

    return PetrovichDeclinationMaker()


def _is_female(person: Person) -> bool:
    if person.sex is not None:
        return person.sex is Sex.FEMALE
    from pytrovich.detector import PetrovichGenderDetector  # noqa: PLC0415 - only when used
    from pytrovich.enums import Gender  # noqa: PLC0415

    detected = PetrovichGenderDetector().detect(  # type: ignore[no-untyped-call]
        firstname=person.first_name, lastname=person.last_name, middlename=person.patronymic
    )
    return detected is Gender.FEMALE


def decline_name(person: Person, case: GrammaticalCase | str) -> str:
    """Return a person's full name («Фамилия Имя Отчество») in a grammatical case.

    Args:
        person: The person; his ``sex`` chooses the rules (told from the patronymic and
            the given name when the card has none).
        case: The case.

    Returns:
        The surname, given name and patronymic, each declined; a name the rules do not
        decline (``Шевчук`` for a woman, foreign names) stays as it is.

    Raises:
        ValidationError: For an unknown case.

    >>> girl = Person(last_name="Белова", first_name="Василиса", patronymic="Ильинична",
    ...               sex="f")
    >>> decline_name(girl, "genitive")
    'Беловой Василисы Ильиничны'
    >>> boy = Person(last_name="Лукьянов", first_name="Илья", patronymic="Петрович")
    >>> decline_name(boy, GrammaticalCase.DATIVE)
    'Лукьянову Илье Петровичу'
    """
    chosen = _case(case)
    if chosen is GrammaticalCase.NOMINATIVE:
        return person.full_name
    from pytrovich.enums import Case, Gender, NamePart  # noqa: PLC0415 - only when used

    gender = Gender.FEMALE if _is_female(person) else Gender.MALE
    target = Case[chosen.name]
    maker = _maker()
    parts = [
        (NamePart.LASTNAME, person.last_name),
        (NamePart.FIRSTNAME, person.first_name),
        (NamePart.MIDDLENAME, person.patronymic),
    ]
    return " ".join(maker.make(part, gender, target, text) for part, text in parts if text)


_PUPIL = {
    (False, GrammaticalCase.NOMINATIVE): "ученик",
    (False, GrammaticalCase.GENITIVE): "ученика",
    (False, GrammaticalCase.DATIVE): "ученику",
    (False, GrammaticalCase.ACCUSATIVE): "ученика",
    (False, GrammaticalCase.INSTRUMENTAL): "учеником",
    (False, GrammaticalCase.PREPOSITIONAL): "ученике",
    (True, GrammaticalCase.NOMINATIVE): "ученица",
    (True, GrammaticalCase.GENITIVE): "ученицы",
    (True, GrammaticalCase.DATIVE): "ученице",
    (True, GrammaticalCase.ACCUSATIVE): "ученицу",
    (True, GrammaticalCase.INSTRUMENTAL): "ученицей",
    (True, GrammaticalCase.PREPOSITIONAL): "ученице",
}


def pupil_noun(person: Person, case: GrammaticalCase | str) -> str:
    """Return «ученик» or «ученица» for the person's sex, in a grammatical case.

    Raises:
        ValidationError: For an unknown case.

    >>> pupil_noun(Person(last_name="Белова", first_name="Василиса", sex="f"), "genitive")
    'ученицы'
    """
    return _PUPIL[(_is_female(person), _case(case))]


_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def date_in_words(day: dt.date) -> str:
    """Return a date as a Russian letter writes it: «10 ноября 2025 г.».

    >>> date_in_words(dt.date(2025, 11, 10))
    '10 ноября 2025 г.'
    """
    return f"{day.day} {_MONTHS_GENITIVE[day.month - 1]} {day.year} г."
