"""The PDF font parsed once per process and shared by every document (R9.3)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.reports import Report, ReportData, ReportParams, export_report, run_report
from eschool_core.reports._pdf import find_cyrillic_font
from eschool_core.reports._pdf_fonts import COMPACT_REPERTOIRE, faces_for, report_faces
from eschool_core.synth import generate
from tests.rules_helpers import synthetic_rules

MOMENT = dt.datetime(2025, 12, 29, 13, 21, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def data() -> ReportData:
    school = generate("small", seed=5)
    return ReportData.from_synthetic(school, synthetic_rules(school))


def _report(data: ReportData, code: str) -> Report:
    school_class = data.classes[4]
    return run_report(
        code, data, ReportParams(class_id=school_class.id, period="Q2"), generated_at=MOMENT
    )


def _embedded_codes(pdf: bytes) -> set[int]:
    """The code points the document's embedded fonts map (every font of the file)."""
    from fontTools import ttLib
    from pypdf import PdfReader

    found: set[int] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            descendant = reference.get_object()["/DescendantFonts"][0].get_object()
            program = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object()
            font = ttLib.TTFont(io.BytesIO(program.get_data()))
            found |= set(font.getBestCmap())
    return found


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


class TestFaces:
    def test_the_faces_are_parsed_once_per_process(self) -> None:
        """R9.3: asking for the faces twice returns the same parsed fonts."""
        regular, bold = find_cyrillic_font()
        assert report_faces(regular, bold, compact=True) is report_faces(
            regular, bold, compact=True
        )

    def test_compact_faces_measure_as_the_whole_font(self) -> None:
        """R9.3: every character of the compact faces has the whole font's width."""
        regular, bold = find_cyrillic_font()
        compact = report_faces(regular, bold, compact=True)
        whole = report_faces(regular, bold, compact=False)
        assert ord("Ж") in compact.codes
        assert compact.codes <= COMPACT_REPERTOIRE
        for small, large in ((compact.regular, whole.regular), (compact.bold, whole.bold)):
            for code in small.codes:
                assert small.template.cw[code] == large.template.cw[code], chr(code)

    def test_a_character_outside_the_repertoire_takes_the_whole_font(self) -> None:
        """R9.3: a Greek letter the font has selects the whole font; a Russian text does not."""
        regular, bold = find_cyrillic_font()
        assert faces_for(["Итого 10 259 — «Иванов И. И.»"], regular, bold).compact
        assert not faces_for(["Тема: угол α"], regular, bold).compact
        # A character the font lacks altogether prints alike in either face.
        assert faces_for(["中"], regular, bold).compact


@pytest.fixture(scope="module")
def reference() -> Iterator[Any]:
    """A document with the whole font added the ordinary way (fpdf2's own metrics)."""
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

    regular, bold = find_cyrillic_font()
    pdf = FPDF(unit="mm")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold or regular))
    yield pdf
    for font in pdf.fonts.values():
        if isinstance(font, TTFFont):
            font.close()


class TestMeasure:
    @settings(max_examples=60, deadline=None)
    @given(
        text=st.text(alphabet=st.sampled_from(sorted(map(chr, COMPACT_REPERTOIRE))), max_size=40),
        size=st.sampled_from([5.5, 6.0, 7.5, 8.0, 9.0, 10.0, 12.0]),
        bold=st.booleans(),
    )
    def test_the_measure_agrees_with_fpdf2(
        self, reference: Any, text: str, size: float, bold: bool
    ) -> None:
        """R9.3: the layout's width of a text is fpdf2's own ``get_string_width`` of it."""
        regular, bold_file = find_cyrillic_font()
        faces = report_faces(regular, bold_file, compact=True)
        reference.set_font("DejaVu", "B" if bold else "", size)
        assert faces.measure()(text, size, bold=bold) == pytest.approx(
            reference.get_string_width(text), abs=1e-9
        )


class TestDocuments:
    def test_a_document_does_not_depend_on_the_ones_before(self, data: ReportData) -> None:
        """R9.3: a report renders to the same bytes whichever documents came before it."""
        results = _report(data, "class_period_results")
        attendance = _report(data, "attendance_sheet")
        first = export_report(results, "pdf")
        export_report(attendance, "pdf")
        assert export_report(results, "pdf") == first
        assert export_report(attendance, "pdf") != first

    def test_only_the_documents_own_glyphs_are_embedded(self, data: ReportData) -> None:
        """R9.3: the embedded subset holds the characters the document prints, no others."""
        results = _report(data, "class_period_results")
        marked = attrs.evolve(results, title_ru="Итоги: Щука Ъ ЭЮЯ")
        export_report(marked, "pdf")
        codes = _embedded_codes(export_report(results, "pdf"))
        printed = {ord(char) for char in _text(export_report(results, "pdf"))}
        assert ord("Ъ") not in codes
        assert printed - {ord("\n"), ord(" ")} <= codes

    def test_a_greek_letter_is_printed_from_the_whole_font(self, data: ReportData) -> None:
        """R9.3: a report printing «α» embeds its glyph and the text extracts whole."""
        results = _report(data, "class_period_results")
        greek = attrs.evolve(results, subtitle_ru="Тема: угол α и β")
        pdf = export_report(greek, "pdf")
        assert "угол α и β" in _text(pdf)
        assert {ord("α"), ord("β")} <= _embedded_codes(pdf)
