"""Build stored entities the store vouches for, without running their validators again.

A row of the library's own schema was valid when it was written: the write path built the
entity through its validators, and the schema's check constraints repeat the cheap ones. Reading
a year of marks back through every validator again cost most of the read (a few µs per mark,
~800,000 marks). A *vouched* row is built directly: a new instance, its slots set, as a
frozen attrs class would hold them after its own ``__init__``.

A value edited behind the library's back must still never reach the rules: the row mappings
that use :func:`trusted_constructor` (``from_stored`` of an aggregate) vouch only for values
whose type and form they checked themselves: a date parsed from its ISO text, a moment whose
text carries the UTC offset the store writes, a mark text among the scale's, a list that is
empty, an id or code that is text, not blank and without NUL (:class:`CheckedTexts`: what
``non_empty_text`` requires, each distinct text checked once). Any other row goes through
the entity's validators, which refuse it as before (``store.invalid_row``); ``eschool
verify`` re-validates every row on demand.

Checking those texts in the SQL query instead (``typeof``, ``instr`` for NUL, the first
character against white space, one computed column per row) was measured slower for a year
of marks (~0.8 s of SQLite time for five columns of 797,527 rows) than remembering the few
thousand distinct texts in Python (~0.15 s).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

import attrs

__all__: list[str] = []

T = TypeVar("T")

_MAX_REMEMBERED = 65_536
"""Distinct texts remembered per cache; beyond it the cache starts over (bounded memory)."""


def each_from_stored(
    from_stored: Callable[[Sequence[Any]], T | None],
) -> Callable[[Iterable[Sequence[Any]], Callable[[Sequence[Any]], T | None]], list[T]]:
    """The ``from_stored`` of an aggregate from a function of one row.

    Args:
        from_stored: Builds the entity of one stored row unchecked; returns ``None`` or
            raises ``ValueError``, ``TypeError`` or ``KeyError`` for a row it cannot vouch for.

    Returns:
        A function of the rows and of ``validated`` (which rebuilds a row through the
        entity's validators, ``None``: leave the row out) returning the entities, in order.
    """

    def from_rows(
        rows: Iterable[Sequence[Any]], validated: Callable[[Sequence[Any]], T | None]
    ) -> list[T]:
        found: list[T] = []
        append = found.append
        for row in rows:
            try:
                entity = from_stored(row)
            except (ValueError, TypeError, KeyError):
                entity = None
            if entity is None:
                entity = validated(row)
                if entity is None:
                    continue
            append(entity)
        return found

    return from_rows


def trusted_constructor(cls: type[T]) -> Callable[..., T]:
    """A function that builds ``cls`` from its field values, in field order, unchecked.

    The function takes one positional argument per attrs field of ``cls`` (every field,
    defaults included, in the order of :func:`attrs.fields`) and sets the slots of a new
    instance to them: no converter, validator or ``__attrs_post_init__`` runs, so the caller
    passes values of the converted types (a ``tuple``, not a list) that it has vouched for.

    Args:
        cls: A slotted attrs class.

    Returns:
        The compiled constructor.

    Raises:
        TypeError: If ``cls`` is not a slotted attrs class.
    """
    fields = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    names: list[str] = []
    lines: list[str] = []
    for i, attribute in enumerate(fields):
        slot = cls.__dict__.get(attribute.name)
        if slot is None or not hasattr(slot, "__set__"):
            message = f"{cls.__name__}.{attribute.name}: not a slot of a slotted attrs class"
            raise TypeError(message)
        namespace[f"_s{i}"] = slot.__set__
        names.append(f"v{i}")
        lines.append(f"    _s{i}(entity, v{i})")
    source = "\n".join(
        [
            f"def build({', '.join(names)}):",
            "    entity = _new(_cls)",
            *lines,
            "    return entity",
        ]
    )
    code = compile(source, f"<eschool_core trusted constructor {cls.__qualname__}>", "exec")
    exec(code, namespace)  # noqa: S102 - our own source, built from the class's fields
    return cast("Callable[..., T]", namespace["build"])


def is_checked_text(value: object) -> bool:
    """Whether ``value`` is text with a character other than white space and no NUL.

    What ``non_empty_text`` requires of a text read from SQLite (whose driver never
    returns a lone surrogate).
    """
    return type(value) is str and bool(value) and not value.isspace() and "\x00" not in value


class CheckedTexts:
    """The distinct texts that passed :func:`is_checked_text`, remembered (bounded)."""

    def __init__(self) -> None:
        """Start with no remembered texts."""
        self.seen: set[object] = set()
        """The texts that passed; test ``value in seen`` inline, then call :meth:`check`."""

    def check(self, *values: object) -> None:
        """Remember ``values``, each of which must pass :func:`is_checked_text`.

        Raises:
            ValueError: For a value that does not pass.
        """
        for value in values:
            if value not in self.seen:
                if not is_checked_text(value):
                    message = f"not a stored text: {value!r}"
                    raise ValueError(message)
                if len(self.seen) >= _MAX_REMEMBERED:
                    self.seen.clear()
                self.seen.add(value)


class StoredDates:
    """Dates from their ISO text as a store holds them, each distinct text parsed once."""

    def __init__(self) -> None:
        """Start with no remembered dates."""
        self.dates: dict[object, dt.date] = {}
        """The dates parsed so far by their text: ``dates.get(text)`` first, then call."""

    def __call__(self, text: object) -> dt.date:
        """The date of ``text`` (``YYYY-MM-DD``).

        Raises:
            ValueError: For a text that is not an ISO date.
            TypeError: For a value that is not text.
        """
        found = self.dates.get(text)
        if found is None:
            if type(text) is not str or len(text) != len("2025-09-01"):
                message = f"not a stored date: {text!r}"
                raise ValueError(message)
            found = dt.date.fromisoformat(text)
            if len(self.dates) >= _MAX_REMEMBERED:
                self.dates.clear()
            self.dates[text] = found
        return found


def stored_moment(text: object) -> dt.datetime:
    """The UTC moment of ``text`` as the SQLite store writes it (ISO 8601 with ``+00:00``).

    Raises:
        ValueError: For a text that is not such a moment (e.g. one without an offset, which
            would be a naive moment, or one with another offset).
        TypeError: For a value that is not text.
    """
    moment = dt.datetime.fromisoformat(text)  # type: ignore[arg-type]
    if moment.tzinfo is not dt.UTC:
        message = f"not a stored UTC moment: {text!r}"
        raise ValueError(message)
    return moment


def optional_stored_moment(text: object) -> dt.datetime | None:
    """Like :func:`stored_moment`; ``None`` stays ``None``."""
    return None if text is None else stored_moment(text)


def optional_stored_text(value: object) -> str | None:
    """``value`` if it is ``None`` or a text its converter keeps as it is (stripped, not blank).

    Raises:
        ValueError: For any other value (the entity's converter would change or refuse it).
    """
    if value is None:
        return None
    if type(value) is not str or not value or value.strip() != value or "\x00" in value:
        message = f"not a stored optional text: {value!r}"
        raise ValueError(message)
    return value
