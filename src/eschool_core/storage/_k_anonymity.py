"""The quasi-identifiers and coarsenings of the people of a pseudonymised bundle (R6.1).

The rule is :func:`eschool_core.k_anonymity.k_anonymise`; these are the bundle's ladders, over
the rows :class:`~eschool_core.storage._anonymise.Anonymiser` writes (dates already years,
under the dates' names).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from eschool_core.k_anonymity import Ladder, suppress, teacher_or_other, year_band
from eschool_core.storage._anonymise import YEAR_COLUMNS

__all__ = ["LADDERS"]

_DOCUMENTS: Final = {"citizenship": suppress, "document_kind": suppress}
_FIVE_YEARS: Final = {name: year_band(5) for name in YEAR_COLUMNS}
_TEN_YEARS: Final = {name: year_band(10) for name in YEAR_COLUMNS}
_PERSON: Final = ("birth_date", "sex", "citizenship", "document_kind")

LADDERS: Final[Mapping[str, Ladder]] = MappingProxyType(
    {
        "employees": Ladder.cumulative(
            (
                *_PERSON,
                "position",
                "status",
                "hired_on",
                "dismissed_on",
                "education",
                "qualification_category",
            ),
            ("years in 5-year bands, no citizenship or document", {**_DOCUMENTS, **_FIVE_YEARS}),
            (
                "years in 10-year bands, no education or category",
                {**_TEN_YEARS, "education": suppress, "qualification_category": suppress},
            ),
            ("position: teacher or other", {"position": teacher_or_other}),
            ("no hiring or dismissal year", {"hired_on": suppress, "dismissed_on": suppress}),
            ("no sex", {"sex": suppress}),
            ("no birth year, no status", {"birth_date": suppress, "status": suppress}),
            ("no position", {"position": suppress}),
        ),
        "students": Ladder.cumulative(
            _PERSON,
            ("no citizenship or document", _DOCUMENTS),
            ("no sex", {"sex": suppress}),
            ("no birth year", {"birth_date": suppress}),
        ),
        "guardians": Ladder.cumulative(
            _PERSON,
            ("years in 5-year bands, no citizenship or document", {**_DOCUMENTS, **_FIVE_YEARS}),
            ("years in 10-year bands", _TEN_YEARS),
            ("no sex", {"sex": suppress}),
            ("no birth year", {"birth_date": suppress}),
        ),
    }
)
"""The quasi-identifiers and the ladder of coarsenings of each table of people."""
