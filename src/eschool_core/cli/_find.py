"""Finding what a command line names: classes, students and teachers by id or by name.

People type ``--class 5a`` on a Latin keyboard and ``--student Белова`` rather than an id;
a name that matches nobody gets the nearest names as suggestions and a pointer to
``eschool list``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

import attrs

from eschool_core.cli._errors import CLI_AMBIGUOUS
from eschool_core.errors import NotFoundError, ValidationError
from eschool_core.school import SchoolClass

__all__ = ["Named", "class_sort_key", "class_spellings", "find_class", "find_person"]

# Latin letters that look like Cyrillic ones (a copied «5А» may hold either) ...
_LOOKALIKE = str.maketrans("ABEKMHOPCTXY", "АВЕКМНОРСТХУ")
# ... and the transliteration people type on a Latin keyboard (5b = 5Б, 5v = 5В).
_TRANSLITERATION = str.maketrans("ABVGDEZIKLMNOPRSTUFH", "АБВГДЕЗИКЛМНОПРСТУФХ")
_CLASS_NAME = re.compile(r"\s*(\d{1,2})\s*[-\s]?\s*(\S*)\s*")
_SUGGESTIONS = 5
_CODES = {"classes": "class", "students": "student", "teachers": "teacher"}


@attrs.frozen(kw_only=True)
class Named:
    """A person a command line may name: id, full name and what tells namesakes apart.

    Attributes:
        id: The person's id.
        name: The full name (``"Белова Василиса Ильинична"``).
        hint: The class or position shown beside the name (``"5А"``, ``"учитель"``).
    """

    id: str
    name: str
    hint: str = ""

    def describe(self) -> str:
        """Return ``"Белова Василиса Ильинична, 5А (st-0042)"``."""
        hint = f", {self.hint}" if self.hint else ""
        return f"{self.name}{hint} ({self.id})"


def class_sort_key(name: str) -> tuple[int, str]:
    """Return the natural order of class names: 1А, 2Б, …, 10А (not 10А before 1А).

    >>> sorted(["10А", "1Б", "1А", "9В"], key=class_sort_key)
    ['1А', '1Б', '9В', '10А']
    """
    match = re.match(r"(\d+)(.*)", name)
    if match is None:
        return (0, name)
    return (int(match.group(1)), match.group(2))


def class_spellings(text: str) -> frozenset[str]:
    """Return the class names ``text`` may mean, Latin letters read as Cyrillic.

    >>> sorted(class_spellings("5a"))
    ['5А']
    >>> sorted(class_spellings("11 b"))
    ['11Б', '11В']
    """
    match = _CLASS_NAME.fullmatch(text)
    if match is None:
        return frozenset({text.strip().upper()})
    number, letter = match.group(1).lstrip("0") or "0", match.group(2).upper()
    return frozenset(
        {number + letter.translate(_LOOKALIKE), number + letter.translate(_TRANSLITERATION)}
    )


def _not_found(  # noqa: PLR0917 - the parts of one message
    kind_ru: str,
    kind_en: str,
    option: str,
    key: str,
    listing: str,
    suggestions: Sequence[str],
) -> NotFoundError:
    near_ru = f"; возможно: {'; '.join(suggestions)}" if suggestions else ""
    near_en = f"; did you mean: {'; '.join(suggestions)}" if suggestions else ""
    return NotFoundError(
        f"{option}: {kind_ru} «{key}» не найден{near_ru}. Список: eschool list {listing}",
        f"{option}: no {kind_en} '{key}'{near_en}. See: eschool list {listing}",
        code=f"cli.{_CODES[listing]}_not_found",
        details={"option": option, "value": key, "suggestions": list(suggestions)},
    )


def find_class(key: str, classes: Iterable[SchoolClass], *, option: str = "--class") -> SchoolClass:
    """Return the class ``key`` names: its id, or its name with Cyrillic or Latin letters.

    Args:
        key: What was typed: ``"5А"``, ``"5a"``, ``"5 А"`` or a class id.
        classes: The classes of the year.
        option: The option that named it, for the message.

    Raises:
        NotFoundError: ``cli.class_not_found`` with the nearest class names.
        ValidationError: ``cli.ambiguous`` when ``key`` fits two classes (``5b``: 5Б and 5В).
    """
    pool = list(classes)
    for school_class in pool:
        if school_class.id == key:
            return school_class
    spellings = class_spellings(key)
    found = sorted((c for c in pool if c.name in spellings), key=lambda c: class_sort_key(c.name))
    if len(found) == 1:
        return found[0]
    if found:
        raise _ambiguous(option, key, [c.name for c in found])
    names = sorted({c.name for c in pool}, key=class_sort_key)
    near = [
        name
        for spelling in sorted(spellings)
        for name in difflib.get_close_matches(spelling, names, n=_SUGGESTIONS, cutoff=0.5)
    ]
    suggestions = list(dict.fromkeys(near))[:_SUGGESTIONS]
    raise _not_found("класс", "class", option, key, "classes", suggestions)


def _ambiguous(option: str, key: str, candidates: Sequence[str]) -> ValidationError:
    shown = "; ".join(candidates)
    return CLI_AMBIGUOUS.error(
        details={"option": option, "value": key, "candidates": list(candidates)}, shown=shown
    )


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[\s.]+", text.casefold().replace("ё", "е")) if word]


def _fits(typed: list[str], name: str) -> bool:
    """Whether the typed words start the name's words in order (``Белова В`` fits)."""
    words = _words(name)
    return len(typed) <= len(words) and all(
        word.startswith(part) for part, word in zip(typed, words, strict=False)
    )


def find_person(key: str, people: Iterable[Named], *, option: str, student: bool) -> Named:
    """Return the student or employee ``key`` names: an id, a full name, or its beginning.

    ``"Белова"``, ``"белова василиса"`` and ``"Белова В. И."`` all find Белова Василиса
    Ильинична when she is the only one they fit.

    Args:
        key: What was typed.
        people: Everyone it may name.
        option: The option that named it (``--student``, ``--teacher``), for messages.
        student: Whether they are students (else employees), for messages.

    Raises:
        NotFoundError: ``cli.student_not_found`` or ``cli.teacher_not_found`` with the
            nearest names and a pointer to ``eschool list``.
        ValidationError: ``cli.ambiguous`` with the namesakes, when several fit.

    >>> pupils = [Named(id="s1", name="Белова Василиса Ильинична", hint="5А"),
    ...           Named(id="s2", name="Белов Иван Петрович", hint="7Б")]
    >>> find_person("белова в. и.", pupils, option="--student", student=True).id
    's1'
    """
    pool = list(people)
    for person in pool:
        if person.id == key:
            return person
    typed = _words(key)
    exact = [p for p in pool if _words(p.name) == typed]
    found = exact or ([p for p in pool if _fits(typed, p.name)] if typed else [])
    if len(found) == 1:
        return found[0]
    if found:
        shown = sorted(found, key=lambda p: (p.name, p.id))
        raise _ambiguous(option, key, [p.describe() for p in shown[: _SUGGESTIONS * 2]])
    names = {p.name.casefold(): p for p in pool}
    near = difflib.get_close_matches(key.casefold(), list(names), n=_SUGGESTIONS, cutoff=0.6)
    if not near and typed:  # a misspelt surname alone
        surnames: dict[str, list[Named]] = {}
        for person in pool:
            surnames.setdefault(_words(person.name)[0], []).append(person)
        for surname in difflib.get_close_matches(typed[0], list(surnames), n=2, cutoff=0.7):
            near += [p.name.casefold() for p in surnames[surname]]
    suggestions = [names[name].describe() for name in dict.fromkeys(near)][:_SUGGESTIONS]
    if student:
        raise _not_found("ученик", "student", option, key, "students", suggestions)
    raise _not_found("сотрудник", "employee", option, key, "teachers", suggestions)
