"""One bilingual text: what a school user reads, in Russian and in English.

Messages of errors and findings, report titles and labels are shown to school users in
Russian by default and to developers and foreign readers in English. A :class:`Text` holds
both, so that no type carries a pair of ``*_ru``/``*_en`` fields of its own and every JSON
form spells them the same way (``{"ru": ..., "en": ...}``).

>>> title = Text("Наполняемость классов", "Class sizes")
>>> str(title), title.in_("en")
('Наполняемость классов', 'Class sizes')
>>> title.to_dict()
{'ru': 'Наполняемость классов', 'en': 'Class sizes'}
"""

from __future__ import annotations

import attrs

from eschool_core.errors import ErrorCode, Language, ValidationError

__all__ = ["Text"]


def _blank(language: str) -> ValidationError:
    return TEXT_EMPTY.error(language=language)


@attrs.frozen(slots=True, init=False)
class Text:
    """A user-facing text in Russian (the default) and in English.

    Attributes:
        ru: The Russian text (what ``str()`` gives).
        en: The same text in English.

    Raises:
        ValidationError: ``text.empty`` if either language is blank.
    """

    ru: str
    en: str

    def __init__(self, ru: str, en: str) -> None:
        # Written out rather than attrs validators: a large check makes tens of thousands
        # of findings, each with its message, and this is half the cost of a generated one.
        if not ru.strip():
            raise _blank("ru")
        if not en.strip():
            raise _blank("en")
        object.__setattr__(self, "ru", ru)
        object.__setattr__(self, "en", en)

    def in_(self, language: Language | str = Language.RU) -> str:
        """Return the text in ``language`` (``"ru"`` or ``"en"``).

        Raises:
            ValueError: If the language is neither Russian nor English.
        """
        return self.ru if Language(language) is Language.RU else self.en

    def format(self, **fields: object) -> Text:
        """Return both languages with ``{name}`` placeholders filled from ``fields``.

        Raises:
            KeyError: If a placeholder has no value in ``fields``.
        """
        return Text(self.ru.format(**fields), self.en.format(**fields))

    def to_dict(self) -> dict[str, str]:
        """Return the JSON form ``{"ru": ..., "en": ...}``."""
        return {"ru": self.ru, "en": self.en}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Text:
        """Rebuild a text from :meth:`to_dict`'s form.

        Raises:
            ValidationError: ``text.empty`` if a language is missing or blank.
        """
        return cls(data.get("ru", ""), data.get("en", ""))

    def __str__(self) -> str:
        return self.ru


TEXT_EMPTY = ErrorCode(
    "text.empty", ValidationError, Text("Текст ({language}) пуст", "The text ({language}) is empty")
)
