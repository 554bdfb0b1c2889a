"""The layout of a printed table: column widths from the content, lines wrapped whole (R9.3).

A paper report must read as a document: a heading word is never cut between letters, a
number, a date or a file number («5А-0083») is never split, initials stay together
(«Н. Н.», never «Н. / Н.») and a short cell — a person's full name — takes at most two
lines. :func:`layout_table` gives each column the width its content needs, wraps text only
at spaces (a no-break space, as in «10 259», holds) and, for headings alone, at Russian or
English hyphenation points (``pyphen``, from the ``export`` extra; without it no word is
hyphenated). When the page is too narrow it first narrows text columns to their longest
word (and short cells to two lines), then uses a smaller heading font, then hyphenates
headings, then a smaller body font. The measure of a string is passed in, so the layout is
a pure computation that the PDF renderer draws and tests check (every line no wider than
its cell).
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import attrs

__all__ = [
    "SHORT_CELL_WORDS",
    "Measure",
    "TableLayout",
    "hyphenation_points",
    "layout_table",
    "units",
    "wrap",
]


class Measure(Protocol):
    """The printed width of a text (mm) at a font size (pt), bold or not."""

    def __call__(self, text: str, size: float, *, bold: bool) -> float:
        """Return the width of ``text`` in mm."""
        ...


_MIN_SIZE = 5.5

SHORT_CELL_WORDS = 4
"""A text cell of at most this many units (a full name, «Мамедов Али Рашид оглы») takes
at most two lines."""

_BREAKS = re.compile(r"[ \t\r\n]+")
_INITIAL = re.compile(r"[A-ZА-ЯЁ]\.")
_INITIAL_ENDING = re.compile(r"[A-ZА-ЯЁ]\.[,;:)»]*")


def units(text: str) -> list[str]:
    """Return the pieces a line of ``text`` may break between: words, initials kept together.

    Only ordinary spaces break (a no-break space keeps «10 259» whole); consecutive
    initials form one piece, so «Герасимова Н. Н.» never ends a line with «Н.».

    >>> units("Герасимова Н. Н., Сидоров А. Б.")
    ['Герасимова', 'Н. Н.,', 'Сидоров', 'А. Б.']
    """
    pieces: list[str] = []
    for word in _BREAKS.split(text):
        if not word:
            continue
        initials = pieces and all(_INITIAL.fullmatch(part) for part in pieces[-1].split(" "))
        if initials and _INITIAL_ENDING.fullmatch(word):
            pieces[-1] = f"{pieces[-1]} {word}"
        else:
            pieces.append(word)
    return pieces


@functools.cache
def _dictionary(language: str) -> Any:  # noqa: ANN401 - pyphen is an optional, untyped extra
    if importlib.util.find_spec("pyphen") is None:
        return None
    import pyphen  # noqa: PLC0415 - optional extra

    return pyphen.Pyphen(lang=language, left=2, right=2)


def hyphenation_points(word: str) -> list[int]:
    """Return the positions where ``word`` may be hyphenated (empty without ``pyphen``).

    Cyrillic words use the ``ru_RU`` dictionary, others ``en_US``; a word with a digit is
    never hyphenated.
    """
    if any(char.isdigit() for char in word) or len(word) < 4:
        return []
    cyrillic = any("а" <= char.casefold() <= "я" or char in "ёЁ" for char in word)
    dictionary = _dictionary("ru_RU" if cyrillic else "en_US")
    if dictionary is None:
        return []
    return list(dictionary.positions(word))


def _split_word(word: str, width: float, fits: Callable[[str], bool]) -> list[str]:
    """Split a word that does not fit into pieces ending with a hyphen, at hyphenation points."""
    points = hyphenation_points(word)
    pieces: list[str] = []
    start = 0
    while not fits(word[start:]):
        usable = [p for p in points if p > start and fits(word[start:p] + "-")]
        if not usable:
            break
        end = usable[-1]
        pieces.append(word[start:end] + "-")
        start = end
    pieces.append(word[start:])
    del width
    return pieces


def wrap(text: str, width: float, fits: Callable[[str], bool], *, hyphenate: bool) -> list[str]:
    """Wrap ``text`` into lines that fit ``width``, breaking at spaces (and hyphenation points).

    A word that fits no line is kept whole on its own line (the layout makes the column wide
    enough for it); with ``hyphenate`` it is first split at its hyphenation points. Lines
    break between :func:`units` only.
    """
    lines: list[str] = []
    current = ""
    for word in units(text):
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        pieces = _split_word(word, width, fits) if hyphenate and not fits(word) else [word]
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current or not lines:
        lines.append(current)
    return lines


@attrs.frozen(kw_only=True)
class TableLayout:
    """A laid-out table: column widths, font sizes, and every cell's lines.

    Attributes:
        widths: Width of each column in mm, padding included.
        padding: Horizontal padding inside a cell on each side, mm.
        header_size: Font size of the headings, pt (bold).
        body_size: Font size of the cells, pt.
        header: The lines of each heading.
        rows: The lines of each cell, row by row (the totals row last, bold).
        bold_last: Whether the last row is a totals row, printed bold.
    """

    widths: tuple[float, ...]
    padding: float
    header_size: float
    body_size: float
    header: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[tuple[str, ...], ...], ...]
    bold_last: bool

    def overflows(self, measure: Measure) -> list[tuple[int, int, str]]:
        """Return every line wider than its cell as ``(row, column, line)``; row -1 is the heading.

        An empty list means no text runs outside its cell.
        """
        found: list[tuple[int, int, str]] = []
        for column, lines in enumerate(self.header):
            room = self.widths[column] - 2 * self.padding + 1e-6
            found.extend(
                (-1, column, line)
                for line in lines
                if measure(line, self.header_size, bold=True) > room
            )
        for index, row in enumerate(self.rows):
            bold = self.bold_last and index == len(self.rows) - 1
            for column, lines in enumerate(row):
                room = self.widths[column] - 2 * self.padding + 1e-6
                found.extend(
                    (index, column, line)
                    for line in lines
                    if measure(line, self.body_size, bold=bold) > room
                )
        return found


def _widest_word(
    texts: Sequence[str], size: float, measure: Measure, *, bold: bool, cells: bool = False
) -> float:
    """The narrowest width every text fits: its widest unit (``cells``: short ones in two lines)."""
    return max(
        (_least_width(text, size, measure, bold=bold, two_lines=cells) for text in set(texts)),
        default=0,
    )


def _least_width(text: str, size: float, measure: Measure, *, bold: bool, two_lines: bool) -> float:
    pieces = units(text)
    widest = max((measure(piece, size, bold=bold) for piece in pieces), default=0)
    # One or two units never take a third line at their widest unit's width.
    if not two_lines or len(pieces) < 3 or len(pieces) > SHORT_CELL_WORDS:
        return widest
    return max(
        widest,
        min(
            max(
                measure(" ".join(pieces[:cut]), size, bold=bold),
                measure(" ".join(pieces[cut:]), size, bold=bold),
            )
            for cut in range(1, len(pieces))
        ),
    )


def _widest_piece(text: str, size: float, measure: Measure) -> float:
    widest = 0.0
    for word in text.split():
        points = [0, *hyphenation_points(word), len(word)]
        for start, end in itertools.pairwise(points):
            piece = word[start:end] + ("-" if end < len(word) else "")
            widest = max(widest, measure(piece, size, bold=True))
    return widest


def layout_table(
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    breakable: Sequence[bool],
    available: float,
    measure: Measure,
    *,
    size: float = 8,
    padding: float = 1.0,
    bold_last: bool = False,
) -> TableLayout:
    """Lay out a table in ``available`` mm: widths from the content, text wrapped whole.

    Args:
        headings: The column headings.
        rows: The cells as display text, row by row (the totals row last).
        breakable: Per column, whether its cells may wrap at spaces (names, subjects); the
            cells of other columns (numbers, dates, marks, ids) stay on one line.
        available: The width of the page's text area, mm.
        measure: The printed width of a text.
        size: The preferred font size, pt.
        padding: Horizontal padding inside a cell, mm.
        bold_last: Whether the last row is a totals row (measured bold).
    """
    count = len(headings)
    pad = 2 * padding
    body = size
    header = size
    hyphenate = False

    columns = [sorted({row[column] for row in rows}) for column in range(count)]

    @functools.cache
    def cell_need(column: int, body_size: float) -> float:
        cells = columns[column]
        if breakable[column]:
            return max(
                _widest_word(cells, body_size, measure, bold=False, cells=True),
                _widest_word(cells, body_size, measure, bold=True, cells=True),
            )
        return max((measure(cell, body_size, bold=True) for cell in cells), default=0)

    def needs(body_size: float, header_size: float, hyph: bool) -> list[float]:
        result: list[float] = []
        for column in range(count):
            head = (
                _widest_piece(headings[column], header_size, measure)
                if hyph
                else _widest_word([headings[column]], header_size, measure, bold=True)
            )
            result.append(max(cell_need(column, body_size), head) + pad)
        return result

    widths = needs(body, header, hyph=hyphenate)
    while sum(widths) > available:
        if header > _MIN_SIZE:
            header = max(_MIN_SIZE, header - 0.5)
        elif not hyphenate:
            hyphenate = True
        elif body > _MIN_SIZE:
            body = max(_MIN_SIZE, body - 0.5)
        else:
            break
        widths = needs(body, header, hyph=hyphenate)
    widths = _grow(widths, headings, rows, available, body, header, measure, pad)

    def fits_in(width: float, font: float, *, bold: bool) -> Callable[[str], bool]:
        return lambda text: measure(text, font, bold=bold) <= width - pad + 1e-6

    header_lines = tuple(
        tuple(wrap(text, widths[c], fits_in(widths[c], header, bold=True), hyphenate=hyphenate))
        for c, text in enumerate(headings)
    )
    laid: list[tuple[tuple[str, ...], ...]] = []
    for index, row in enumerate(rows):
        bold = bold_last and index == len(rows) - 1
        laid.append(
            tuple(
                tuple(
                    wrap(cell, widths[c], fits_in(widths[c], body, bold=bold), hyphenate=False)
                    if breakable[c]
                    else [cell]
                )
                for c, cell in enumerate(row)
            )
        )
    return TableLayout(
        widths=tuple(widths),
        padding=padding,
        header_size=header,
        body_size=body,
        header=header_lines,
        rows=tuple(laid),
        bold_last=bold_last,
    )


def _grow(  # noqa: PLR0917 - the parts of one layout
    widths: list[float],
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    available: float,
    body: float,
    header: float,
    measure: Measure,
    pad: float,
) -> list[float]:
    """Widen columns toward their whole cells, then toward one-line headings, within the page."""
    whole = [
        max(
            widths[c],
            max((measure(row[c], body, bold=True) for row in rows), default=0) + pad,
        )
        for c in range(len(widths))
    ]
    one_line = [
        max(whole[c], measure(headings[c], header, bold=True) + pad) for c in range(len(widths))
    ]
    for target in (whole, one_line):
        # The cheapest columns first: a short name becomes whole before a long list wraps less.
        order = sorted(range(len(widths)), key=lambda c: target[c] - widths[c])
        for column in order:
            extra = available - sum(widths)
            wanted = target[column] - widths[column]
            if extra <= 0:
                break
            if wanted > 0:
                widths[column] += min(wanted, extra)
    return widths
