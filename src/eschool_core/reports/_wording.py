"""Words a printed report uses: period names, signatories and the generated moment (R9.3).

A printed report names the study period in words («2-я четверть», not ``Q2``), prints the
moment it was generated in the school's time zone with the zone shown, and carries the
signature lines of the people the regulation makes responsible for it: the deputy head for
the school's reports (clause 11.3), the class teacher or the subject teacher for the
teachers' reports (clause 11.4), the class teacher for the reports on his students
(clause 11.5), and the director, who certifies every paper copy (clause 9.3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

import attrs

from eschool_core.errors import Language

__all__ = [
    "Signatory",
    "Signature",
    "certification_lines",
    "format_moment",
    "period_name",
    "signature_name",
]

_ORDINAL_RU = {"Q": ("я", "четверть"), "T": ("й", "триместр"), "H": ("е", "полугодие")}
_KIND_EN = {"Q": "quarter", "T": "trimester", "H": "half-year"}
_ORDINAL_EN = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}


def period_name(code: str, language: Language | str = Language.RU) -> str:
    """Return a study period's name in words; an unknown code is returned as it is.

    >>> period_name("Q2"), period_name("H1"), period_name("T3"), period_name("year")
    ('2-я четверть', '1-е полугодие', '3-й триместр', 'учебный год')
    >>> period_name("Q2", "en")
    '2nd quarter'
    """
    ru = Language(language) is Language.RU
    if code == "year":
        return "учебный год" if ru else "academic year"
    if len(code) == 2 and code[0] in _ORDINAL_RU and code[1].isdigit():
        number = int(code[1])
        if ru:
            ending, noun = _ORDINAL_RU[code[0]]
            return f"{number}-{ending} {noun}"
        return f"{_ORDINAL_EN.get(number, f'{number}th')} {_KIND_EN[code[0]]}"
    return code


def format_moment(moment: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """Return a moment as ``dd.mm.yyyy hh:mm`` in ``zone`` (its own zone if ``None``), zone shown.

    The zone is shown by its abbreviation and its UTC offset, so a reader in another
    region knows the moment (R9.3).

    >>> from zoneinfo import ZoneInfo
    >>> format_moment(dt.datetime(2025, 12, 29, 13, 21, tzinfo=dt.UTC), ZoneInfo("Europe/Moscow"))
    '29.12.2025 16:21 MSK (UTC+03:00)'
    """
    local = moment if zone is None else moment.astimezone(zone)
    offset = local.strftime("%z")
    shown = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    name = local.tzname() or ""
    if name == "UTC":
        shown = name
    elif name and not name.startswith(("UTC", "+", "-")):
        shown = f"{name} ({shown})"
    return f"{local.strftime('%d.%m.%Y %H:%M')} {shown}"


def signature_name(name: str) -> str:
    """Return a name in the one form of signature lines, «Фамилия И. О.» (R9.3).

    A full name («Фамилия Имя Отчество») is shortened to initials; a name already in that
    form, or a single word, is returned as it is (spaces normalised).

    >>> signature_name("Смирнова  Елена Викторовна"), signature_name("Сорокин Г. С.")
    ('Смирнова Е. В.', 'Сорокин Г. С.')
    >>> signature_name("Мельникова Анна")
    'Мельникова А.'
    """
    last, *rest = name.split() or [""]
    initials = [part if part.endswith(".") else f"{part[0]}." for part in rest]
    return " ".join([last, *initials])


class Signatory(StrEnum):
    """Who signs a printed report (clauses 9.3, 11.3-11.5)."""

    DIRECTOR = "director"
    """The director, who certifies a paper copy (clause 9.3)."""
    DEPUTY_HEAD = "deputy_head"
    """The deputy head, responsible for the school's reports (clause 11.3)."""
    CLASS_TEACHER = "class_teacher"
    """The class teacher, responsible for his class's reports (clauses 11.4, 11.5)."""
    SUBJECT_TEACHER = "subject_teacher"
    """The subject teacher, responsible for his own report (clause 11.4)."""

    def label(self, language: Language | str = Language.RU) -> str:
        """Return the position as printed before the signature line.

        >>> Signatory.CLASS_TEACHER.label(), Signatory.DIRECTOR.label("en")
        ('Классный руководитель', 'Director')
        """
        ru, en = _SIGNATORY_LABELS[self]
        return ru if Language(language) is Language.RU else en


_SIGNATORY_LABELS = {
    Signatory.DIRECTOR: ("Директор", "Director"),
    Signatory.DEPUTY_HEAD: ("Заместитель директора", "Deputy head"),
    Signatory.CLASS_TEACHER: ("Классный руководитель", "Class teacher"),
    Signatory.SUBJECT_TEACHER: ("Учитель", "Teacher"),
}


@attrs.frozen(kw_only=True)
class Signature:
    """A signature line of a printed report: who signs and, when known, his name.

    Attributes:
        signatory: The position that signs.
        name: The person's name (``"Иванова М. П."``), or ``None`` for a blank line.
    """

    signatory: Signatory = attrs.field(converter=Signatory)
    name: str | None = None

    def line(self, language: Language | str = Language.RU) -> str:
        """Return the printed line: position, a blank to sign on, the name.

        >>> Signature(signatory="director", name="Петров П. П.").line()
        'Директор  ________________  / Петров П. П. /'
        """
        name = self.name or "________________"
        return f"{self.signatory.label(language)}  ________________  / {name} /"


class _Certified(Protocol):
    """Protocol: what the certification lines read of a ``Report`` (which imports this module)."""

    @property
    def clause(self) -> str: ...

    @property
    def generated_at(self) -> dt.datetime: ...

    @property
    def signatures(self) -> Sequence[Signature]: ...


def certification_lines(report: _Certified, language: Language | str = Language.RU) -> list[str]:
    """Return the lines printed under a report's table (R9.3).

    The generated moment in the report's (the school's) time zone with the zone shown, the
    clause of the regulation the report serves (no internal requirement id), the signature
    lines of :attr:`Report.signatures` and the date and seal line.

    >>> from eschool_core.reports._examples import example_report
    >>> certification_lines(example_report())[0]
    'Сформировано: 05.11.2025 09:00 UTC. Основание: п. 11.1 Положения об электронном журнале.'
    """
    ru = Language(language) is Language.RU
    moment = format_moment(report.generated_at)
    if ru:
        basis = f"п. {report.clause} Положения об электронном журнале"
        lines = [f"Сформировано: {moment}. Основание: {basis}."]
    else:
        lines = [f"Generated: {moment}. Basis: clause {report.clause} of the e-journal regulation."]
    signatures = report.signatures or (Signature(signatory=Signatory.DIRECTOR),)
    lines.extend(signature.line(language) for signature in signatures)
    lines.append(
        "Дата «____» ______________ 20___ г.          М. П."
        if ru
        else "Date ____ ______________ 20___          Seal"
    )
    return lines
