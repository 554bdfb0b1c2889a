"""The label of an academic year and its formation window (R4.2a)."""

from __future__ import annotations

from datetime import date

import attrs

from eschool_core import _validation as v

__all__ = ["YearLabel"]


@attrs.frozen(kw_only=True, order=True)
class YearLabel:
    """The label of an academic year, ``"2025/2026"``.

    Attributes:
        first: The calendar year in which it starts (2025 for ``"2025/2026"``).

    >>> label = YearLabel.parse("2025/2026")
    >>> str(label), label.formation_window
    ('2025/2026', (datetime.date(2025, 4, 1), datetime.date(2025, 9, 20)))
    """

    first: int = attrs.field(validator=v.int_in_range(1991, 2099, "year.invalid_label"))

    @classmethod
    def parse(cls, text: str) -> YearLabel:
        """Read a label ``"YYYY/YYYY+1"``.

        Raises:
            ValidationError: ``year.invalid_label`` for anything else.
        """
        first, _second = v.check_year_label(text)
        return cls(first=first)

    @property
    def second(self) -> int:
        """The calendar year in which it ends."""
        return self.first + 1

    def __str__(self) -> str:
        return f"{self.first}/{self.second}"

    @property
    def formation_window(self) -> tuple[date, date]:
        """The formation window of this year: 1 April to 20 September of its first year (R4.2a).

        Formation of the new year starts on 1 April of the current year and must be finished
        by 20 September (clause 4.2).
        """
        return date(self.first, 4, 1), date(self.first, 9, 20)
