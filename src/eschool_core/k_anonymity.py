"""k-anonymity of pseudonymised tables of people: coarsen, then suppress, until groups hold k.

A pseudonymised card keeps no name, but its remaining values — birth year, sex, position,
hiring year, the student's parallel — may still single a person out in an export that names
the school (152-FZ art. 3 p. 9 «обезличивание»: the data must not be attributable to a person
without additional information). Every such value is a *quasi-identifier*; a table is
*k-anonymous* when every combination of its quasi-identifiers is shared by at least ``k``
rows.

:func:`k_anonymise` climbs a table's ladder of coarsenings (exact years, five-year bands,
ten-year bands, fewer columns, ...) and takes the first rung at which at most a tenth of the
rows sit in groups smaller than ``k``; those rows have every quasi-identifier suppressed
(left empty). If some group is still smaller than ``k``, it climbs on. The last rung leaves
every quasi-identifier empty, so only a fixed grouping (the students' parallel, which an
export's memberships reveal anyway) or a table of fewer than ``k`` people can keep a group
smaller than ``k``; the summary says so.

The ladders are the exporter's (``eschool export --anonymise`` has one per table of people);
this module holds the rule and the usual coarsenings.

>>> ladder = Ladder.cumulative(("birth_year", "sex"), ("no sex", {"sex": suppress}))
>>> rows = [{"id": i, "birth_year": 2012, "sex": "mf"[i % 2]} for i in range(6)]
>>> out, summary = k_anonymise(rows, ladder)
>>> summary.rung, summary.smallest_group, out[0]
('no sex', 6, {'id': 0, 'birth_year': 2012, 'sex': None})
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final

import attrs

from eschool_core.errors import ErrorCode, ValidationError
from eschool_core.texts import Text

__all__ = [
    "K_ANONYMITY",
    "Coarsening",
    "Generaliser",
    "Ladder",
    "Rung",
    "check_k",
    "k_anonymise",
    "suppress",
    "teacher_or_other",
    "year_band",
]


PRIVACY_K_TOO_SMALL = ErrorCode(
    "privacy.k_too_small",
    ValidationError,
    Text(
        "k-анонимность: k не меньше {K_ANONYMITY}, а не {k}",
        "k-anonymity: k is at least {K_ANONYMITY}, not {k}",
    ),
    clause="6.1",
)

K_ANONYMITY: Final = 5
"""The smallest group of people sharing their quasi-identifiers in an anonymised export."""

_Row = Mapping[str, object]

_SUPPRESSED_SHARE: Final = 10
"""At most one row in this many (or ``k`` rows) may be suppressed at a rung, else the next."""

Generaliser = Callable[[Any], object]
"""A coarsening of one value: the exact value in, the coarser one (or ``None``) out."""


def check_k(k: int) -> int:
    """Return ``k`` if it is at least :data:`K_ANONYMITY`.

    Raises:
        ValidationError: ``privacy.k_too_small`` for a smaller ``k`` (clause 6.1).
    """
    if k < K_ANONYMITY:
        raise PRIVACY_K_TOO_SMALL.error(details={"k": k}, K_ANONYMITY=K_ANONYMITY)
    return k


def suppress(_value: object) -> object:
    """Coarsen any value to nothing (the column is left empty)."""
    return None


def year_band(width: int) -> Generaliser:
    """Return a coarsening of a year to the band of ``width`` years holding it.

    >>> year_band(5)(1983), year_band(10)(1983), year_band(5)(None)
    ('1980-1984', '1980-1989', None)
    """

    def band(value: object) -> object:
        if not isinstance(value, int):
            return None
        first = value - value % width
        return f"{first}-{first + width - 1}"

    return band


def teacher_or_other(value: object) -> object:
    """Coarsen a position to «учитель» (any teacher's) or «другая должность» (any other)."""
    if not isinstance(value, str):
        return None
    return "учитель" if "учитель" in value.lower() else "другая должность"


def _frozen_rules(rules: Mapping[str, Generaliser]) -> Mapping[str, Generaliser]:
    return MappingProxyType(dict(rules))


@attrs.frozen(kw_only=True)
class Rung:
    """One step of a ladder: how each coarsened quasi-identifier is written.

    Attributes:
        name: What the step does, in English (written to the manifest).
        rules: The coarsening of each column it changes; other columns stay exact.
    """

    name: str
    rules: Mapping[str, Generaliser] = attrs.field(converter=_frozen_rules)

    def apply(self, row: _Row) -> dict[str, object]:
        """Return ``row`` with this rung's columns coarsened."""
        return {
            name: (self.rules[name](value) if name in self.rules else value)
            for name, value in row.items()
        }


@attrs.frozen(kw_only=True)
class Ladder:
    """The quasi-identifiers of a table and its rungs of coarsening, finest first.

    Attributes:
        quasi_identifiers: The columns that may single a person out.
        rungs: The coarsenings to try in order; the last should leave every one empty.
    """

    quasi_identifiers: tuple[str, ...]
    rungs: tuple[Rung, ...]

    @classmethod
    def cumulative(
        cls, quasi_identifiers: Sequence[str], *steps: tuple[str, Mapping[str, Generaliser]]
    ) -> Ladder:
        """Return a ladder whose rungs add up: exact values, then each step on the ones before.

        A last rung suppressing every quasi-identifier is added unless the steps already
        end there.
        """
        rules: dict[str, Generaliser] = {}
        rungs = [Rung(name="exact values", rules={})]
        for name, step in steps:
            rules = {**rules, **step}
            rungs.append(Rung(name=name, rules=dict(rules)))
        if any(rules.get(column) is not suppress for column in quasi_identifiers):
            rungs.append(
                Rung(
                    name="every quasi-identifier suppressed",
                    rules=dict.fromkeys(quasi_identifiers, suppress),
                )
            )
        return cls(quasi_identifiers=tuple(quasi_identifiers), rungs=tuple(rungs))


@attrs.frozen(kw_only=True)
class Coarsening:
    """What :func:`k_anonymise` did to one table (written to the bundle's manifest).

    Attributes:
        table: The table (``"employees"``), or ``""``.
        k: The group size asked for.
        quasi_identifiers: The columns treated as quasi-identifiers.
        grouped_by: A fixed grouping the groups are counted within (``"parallel"``), or ``None``.
        rung: The name of the rung applied (see :class:`Ladder`).
        coarsened: The quasi-identifiers written coarser than exact (or empty).
        suppressed_rows: Rows whose every quasi-identifier was left empty.
        rows: Rows in the table.
        smallest_group: The fewest rows sharing one combination (``k`` or more, unless
            the table or a fixed group holds fewer than ``k`` people).
    """

    table: str
    k: int
    quasi_identifiers: tuple[str, ...]
    grouped_by: str | None
    rung: str
    coarsened: tuple[str, ...]
    suppressed_rows: int
    rows: int
    smallest_group: int

    @property
    def achieved(self) -> bool:
        """Whether every group holds at least ``k`` rows."""
        return self.smallest_group >= self.k or self.rows == 0

    def to_manifest(self, names: Mapping[str, str] | None = None) -> dict[str, object]:
        """Return the summary as a manifest's JSON object.

        Args:
            names: The names the columns are written under, where they differ.
        """
        written = names or {}
        return {
            "quasi_identifiers": [written.get(n, n) for n in self.quasi_identifiers],
            "grouped_by": self.grouped_by,
            "coarsening": self.rung,
            "coarsened": [written.get(n, n) for n in self.coarsened],
            "suppressed_rows": self.suppressed_rows,
            "rows": self.rows,
            "smallest_group": self.smallest_group,
            "k_achieved": self.achieved,
        }


def _key(row: _Row, columns: Sequence[str], group: object) -> tuple[object, ...]:
    return (group, *(row.get(name) for name in columns))


def _top_up(
    keys: Sequence[tuple[object, ...]], sizes: Counter[tuple[object, ...]], small: int, k: int
) -> list[int]:
    """Rows to suppress with ``small`` others so that the suppressed group holds ``k``.

    Taken from the end of the largest group, which keeps ``k`` rows itself; none if no
    group can spare them (a later rung is tried) or nothing is suppressed.
    """
    if small == 0 or small >= k or not sizes:
        return []
    need = k - small
    largest, size = sizes.most_common(1)[0]
    if size - need < k:
        return []
    return [index for index, key in enumerate(keys) if key == largest][-need:]


def k_anonymise(
    rows: Sequence[_Row],
    ladder: Ladder,
    *,
    table: str = "",
    k: int = K_ANONYMITY,
    groups: Sequence[object] | None = None,
    grouped_by: str | None = None,
) -> tuple[list[dict[str, object]], Coarsening]:
    """Coarsen and suppress the quasi-identifiers of ``table``'s rows until groups hold ``k``.

    Args:
        rows: The table's pseudonymised rows.
        ladder: Its quasi-identifiers and coarsenings.
        table: The table's name, for the summary.
        k: The smallest group asked for.
        groups: A fixed part of each row's key that is never coarsened (each student's
            parallel), in the order of ``rows``; ``None`` for none.
        grouped_by: The name of that part, for the summary.

    Returns:
        The rows (copies) with coarsened quasi-identifiers, in the given order, and the summary.

    Raises:
        ValueError: If ``groups`` is not as long as ``rows``.
    """
    columns = [name for name in ladder.quasi_identifiers if any(name in row for row in rows)]
    groups = [None] * len(rows) if groups is None else list(groups)
    budget = max(k, len(rows) // _SUPPRESSED_SHARE)
    chosen = [dict(row) for row in rows]
    rung = ladder.rungs[-1]
    suppressed = 0
    for rung in ladder.rungs:
        coarse = [rung.apply(row) for row in rows]
        keys = [_key(row, columns, g) for row, g in zip(coarse, groups, strict=True)]
        sizes = Counter(keys)
        small = [index for index, key in enumerate(keys) if sizes[key] < k]
        small += _top_up(keys, sizes, len(small), k)
        if len(small) > budget and rung is not ladder.rungs[-1]:
            continue
        for index in small:
            coarse[index] = {
                name: (None if name in columns else value) for name, value in coarse[index].items()
            }
        final = Counter(_key(row, columns, g) for row, g in zip(coarse, groups, strict=True))
        chosen, suppressed = coarse, len(small)
        if min(final.values(), default=k) >= k:
            break
    final = Counter(_key(row, columns, g) for row, g in zip(chosen, groups, strict=True))
    summary = Coarsening(
        table=table,
        k=k,
        quasi_identifiers=tuple(columns),
        grouped_by=grouped_by,
        rung=rung.name,
        coarsened=tuple(name for name in columns if name in rung.rules),
        suppressed_rows=suppressed,
        rows=len(rows),
        smallest_group=min(final.values(), default=0),
    )
    return chosen, summary
