"""The report font, parsed once per process and shared by every PDF document (R9.3).

fpdf2 parses a TTF font for every document that adds it and, when the document is written,
subsets it to the glyphs the document used. For DejaVu Sans (about 6,000 glyphs) the two
steps cost most of a report's time. Here each face is parsed once per process into a
template that every document receives a fresh copy of (its own character map of used
glyphs and its own font program to subset), so a document pays only for its own glyphs.

The font program a document subsets is, when its text allows, a *compact* face: the font
cut once to the repertoire of a Russian school's paperwork (Latin, Latin-1, the Russian
Cyrillic alphabet, the usual punctuation and the signs «№», «₽», «−», «≤», «≥»). Subsetting
a face of a few hundred glyphs is a few milliseconds; a document that prints any other
character the font has (a Greek letter in a lesson topic) gets the whole font instead, so
what is printed never depends on the shortcut. Widths are the font's own in both faces.
"""

from __future__ import annotations

import copy
import functools
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from eschool_core._extras import require
from eschool_core.reports._layout import Measure

__all__ = ["COMPACT_REPERTOIRE", "FontFaces", "add_report_fonts", "faces_for", "report_faces"]

COMPACT_REPERTOIRE: frozenset[int] = frozenset(
    code
    for first, last in (
        (0x20, 0x7E),  # Basic Latin
        (0xA0, 0xFF),  # Latin-1: no-break space, «», °, ×, §
        (0x400, 0x45F),  # the Russian Cyrillic alphabet with Ё, and Ukrainian/Belarusian letters
        (0x2000, 0x206F),  # General Punctuation: thin spaces, dashes, quotes, ellipsis
        (0x2116, 0x2116),  # №
        (0x20BD, 0x20BD),  # ₽
        (0x2212, 0x2212),  # minus sign
        (0x2264, 0x2265),  # ≤ ≥
    )
    for code in range(first, last + 1)
)
"""The code points of the compact face (where the font has a glyph for them)."""

_DROPPED_TABLES = ("FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "kern", "meta")
"""Tables fpdf2 never uses without text shaping; the compact face leaves them out."""

_POINTS_PER_MM = 72 / 25.4


@attrs.frozen(eq=False)
class _Face:
    """One font program and the fpdf2 font parsed from it, kept for the process."""

    program: bytes = attrs.field(repr=False)
    template: Any
    codes: frozenset[int] = attrs.field(repr=False)


@attrs.frozen(eq=False)
class FontFaces:
    """The regular and bold faces a document is set in, parsed once per process.

    Attributes:
        regular: The regular face.
        bold: The bold face (the regular one again when the font has no bold file).
        compact: Whether these are the compact faces (:data:`COMPACT_REPERTOIRE`).
    """

    regular: _Face
    bold: _Face
    compact: bool

    @property
    def codes(self) -> frozenset[int]:
        """The code points both faces have glyphs for."""
        return self.regular.codes & self.bold.codes

    def measure(self) -> Measure:
        """Return the printed width (mm) of a text at a size (pt), by the faces' own widths.

        It is what fpdf2's ``get_string_width`` gives without text shaping, letter spacing
        or stretching (the reports use none): the sum of the glyphs' advance widths. Each
        call returns a new measure with its own cache of the widths it computed.
        """
        widths = {False: self.regular.template.cw, True: self.bold.template.cw}
        cache: dict[tuple[str, float, bool], float] = {}

        def measure(text: str, size: float, *, bold: bool) -> float:
            key = (text, size, bold)
            found = cache.get(key)
            if found is None:
                advances = widths[bold]
                found = sum(advances[ord(char)] for char in text) * size / 1000 / _POINTS_PER_MM
                cache[key] = found
            return found

        return measure


def _compact_program(path: Path) -> bytes:
    from fontTools import subset, ttLib  # noqa: PLC0415 - optional extra (fpdf2's dependency)

    font = ttLib.TTFont(str(path), recalcTimestamp=False)
    for tag in _DROPPED_TABLES:
        if tag in font:
            del font[tag]  # before subsetting, which would otherwise parse them
    available = font.getBestCmap()
    # Without TrueType hinting: print and screen readers rasterise well without it, and
    # every document's subset is smaller and quicker to write.
    options = subset.Options(notdef_outline=True, recommended_glyphs=True, hinting=False)
    options.drop_tables += list(_DROPPED_TABLES)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[code for code in available if code in COMPACT_REPERTOIRE])
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    font.close()
    return buffer.getvalue()


def _parse(program: bytes, style: str) -> _Face:
    from fpdf import FPDF  # noqa: PLC0415 - optional extra
    from fpdf.fonts import TTFFont  # noqa: PLC0415

    template = TTFFont(FPDF(), io.BytesIO(program), f"dejavu{style}", style)  # type: ignore[arg-type]
    return _Face(program=program, template=template, codes=frozenset(template.cmap))


@functools.cache
def report_faces(regular: Path, bold: Path | None, *, compact: bool) -> FontFaces:
    """Return the faces of the font files ``regular`` and ``bold``, parsed once per process.

    Args:
        regular: The regular TTF file.
        bold: The bold TTF file, or ``None`` to print headings in the regular face.
        compact: Whether to cut the faces to :data:`COMPACT_REPERTOIRE` first.

    Raises:
        MissingExtraError: If fpdf2 (the ``export`` extra) is not installed.
    """
    require("fpdf", "export")

    def program(path: Path) -> bytes:
        return _compact_program(path) if compact else path.read_bytes()

    regular_face = _parse(program(regular), "")
    bold_face = _parse(program(bold or regular), "B")
    return FontFaces(regular=regular_face, bold=bold_face, compact=compact)


def faces_for(text: Iterable[str], regular: Path, bold: Path | None) -> FontFaces:
    """Return the compact faces when they print every character of ``text`` the font has.

    A character the whole font lacks is missing from either face alike, so it does not
    make a document take the whole font.
    """
    used = {ord(char) for line in text for char in line}
    compact = report_faces(regular, bold, compact=True)
    outside = used - compact.codes
    if outside and outside & report_faces(regular, bold, compact=False).codes:
        return report_faces(regular, bold, compact=False)
    return compact


def add_report_fonts(pdf: Any, family: str, faces: FontFaces) -> None:  # noqa: ANN401 - fpdf2 object
    """Give ``pdf`` the regular (``""``) and bold (``"B"``) styles of ``family`` from ``faces``.

    Each document gets its own copy of the parsed font: its own record of used glyphs and
    its own font program to subset when the document is written; the parsed metrics and
    character map are shared.
    """
    from fontTools import ttLib  # noqa: PLC0415 - optional extra
    from fpdf.fonts import SubsetMap  # noqa: PLC0415

    for style, face in (("", faces.regular), ("B", faces.bold)):
        font = copy.copy(face.template)
        font.i = len(pdf.fonts) + 1
        font.fontkey = f"{family.lower()}{style}"
        font.ttfont = ttLib.TTFont(
            io.BytesIO(face.program), recalcBBoxes=False, recalcTimestamp=False, lazy=True
        )
        font.cw = face.template.cw.copy()
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None  # fpdf2 builds its text shaper lazily: none is shared
        font.subset = SubsetMap(font)
        pdf.fonts[font.fontkey] = font
