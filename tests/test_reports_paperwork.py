"""Reports as paperwork a school signs and files: PDF, XLSX and spreadsheet CSV (R9.3, R2.2l)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.reports import (
    CATALOGUE,
    Report,
    ReportData,
    ReportParams,
    export_report,
    run_report,
)
from eschool_core.reports._layout import hyphenation_points, layout_table, wrap
from eschool_core.reports._pdf import pdf_layout
from eschool_core.reports._wording import format_moment, period_name
from eschool_core.reports._xlsx import TABLE_HEADER_ROW
from eschool_core.synth import generate
from tests.rules_helpers import synthetic_rules

MOMENT = dt.datetime(2025, 12, 29, 13, 21, tzinfo=dt.UTC)
"""16:21 in Moscow, the synthetic school's zone."""


@pytest.fixture(scope="module")
def data() -> ReportData:
    school = generate("small", seed=5)
    return ReportData.from_synthetic(school, synthetic_rules(school))


def _params(data: ReportData, code: str) -> ReportParams:
    school_class = data.classes[4]
    span = data.period(school_class.parallel, "Q2")
    values = {
        "class_id": school_class.id,
        "student_id": data.roster(school_class.id, span.end)[0],
        "teacher_id": data.teacher_of(
            school_class.id, data.subjects_of_class(school_class.id)[0].id
        ),
        "subject_id": data.subjects_of_class(school_class.id)[0].id,
        "period": "Q2",
    }
    definition = CATALOGUE[code]
    names = [*definition.required, *definition.optional]
    return ReportParams(**{k: values[k] for k in names if k in values})


@pytest.fixture(scope="module")
def reports(data: ReportData) -> dict[str, Report]:
    return {
        code: run_report(code, data, _params(data, code), generated_at=MOMENT) for code in CATALOGUE
    }


def _pdf_text(report: Report) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(export_report(report, "pdf")))
    return "\n".join(page.extract_text() for page in reader.pages)


def _words(text: str) -> Iterator[str]:
    yield from text.split()


class TestPdfLayout:
    def test_every_heading_word_is_whole(self, reports: dict[str, Report]) -> None:
        """R9.3: in every catalogue report's PDF each heading word reads whole (no «Учащихс/я»)."""
        for code, report in reports.items():
            text = _pdf_text(report)
            dehyphenated = re.sub(r"-\n", "", text)
            found = set(re.split(r"\s+", dehyphenated)) | set(re.split(r"\s+", text))
            for heading in report.headings():
                for word in _words(heading):
                    assert word in found, (code, word)

    def test_no_text_runs_outside_its_cell(self, reports: dict[str, Report]) -> None:
        """R9.3: by the embedded font's metrics, every printed line fits inside its cell."""
        for code, report in reports.items():
            _orientation, layout, measure = pdf_layout(report)
            assert layout.overflows(measure) == [], code
            assert sum(layout.widths) <= 277 + 1e-6

    def test_file_numbers_and_numbers_are_never_split(self, reports: dict[str, Report]) -> None:
        """R9.3: a file number («5А-0083») and every number sit on one line of their cell."""
        report = reports["student_general_info"]
        _orientation, layout, _measure = pdf_layout(report)
        position = report.index("file")
        for row, laid in zip(report.formatted(), layout.rows, strict=True):
            assert laid[position] == (row[position],)
        text = _pdf_text(report)
        for row in report.formatted():
            assert row[position] in text

    def test_moment_in_the_school_zone_with_the_zone(self, reports: dict[str, Report]) -> None:
        """R9.3: the generated moment is the school's local time, its zone printed."""
        text = _pdf_text(reports["class_period_results"])
        assert "29.12.2025 16:21 MSK (UTC+03:00)" in text
        assert "13:21" not in text

    def test_period_in_words_and_clause_without_internal_id(
        self, reports: dict[str, Report]
    ) -> None:
        """R9.3: the period reads «2-я четверть», the clause is printed, «R11.4a» is not."""
        text = _pdf_text(reports["class_period_results"])
        assert "2-я четверть" in text
        assert "Q2" not in text
        assert "п. 11.4" in text
        assert "R11.4" not in text

    def test_totals_row_is_bold(self, reports: dict[str, Report]) -> None:
        """R9.3: the totals row is printed in the bold face."""
        from pypdf import PdfReader

        report = reports["class_teachers_summary"]
        reader = PdfReader(io.BytesIO(export_report(report, "pdf")))
        fonts: dict[str, str] = {}

        def visit(text: str, _cm: object, _tm: object, font: object, _size: object) -> None:
            if text.strip() and isinstance(font, dict):
                fonts.setdefault(text.strip(), str(font.get("/BaseFont", "")))

        reader.pages[0].extract_text(visitor_text=visit)
        total = report.formatted()[-1][report.index("students")]
        first = report.formatted()[0][report.index("students")]
        assert "Bold" in fonts[total]
        assert "Bold" not in fonts[first]

    def test_certification_block_stays_on_one_page(self, reports: dict[str, Report]) -> None:
        """R9.3: the generated line, the signatures and the date line share one page."""
        from pypdf import PdfReader

        for code in ("class_journal", "student_general_info", "performance_sheet"):
            reader = PdfReader(io.BytesIO(export_report(reports[code], "pdf")))
            pages = [page.extract_text() for page in reader.pages]
            holder = [text for text in pages if "Директор" in text]
            assert len(holder) == 1, code
            assert "Сформировано" in holder[0]
            assert "М. П." in holder[0]

    def test_signature_lines_of_the_responsible(
        self, data: ReportData, reports: dict[str, Report]
    ) -> None:
        """R9.3, R11.3, R11.4: each report is signed by whom the regulation holds responsible."""
        school_class = data.classes[4]
        class_teacher = data.employee_name(school_class.class_teacher_id)
        assert class_teacher is not None
        text = _pdf_text(reports["class_period_results"])
        assert f"Классный руководитель ________________ / {class_teacher} /" in _spaces(text)
        director = next(e for e in data.employees if e.position == "директор").person.short_name
        assert f"Директор ________________ / {director} /" in _spaces(text)
        teacher = reports["subject_teacher"]
        name = data.employee_name(teacher.params.teacher_id)
        assert f"Учитель ________________ / {name} /" in _spaces(_pdf_text(teacher))
        school = _spaces(_pdf_text(reports["school_performance"]))
        assert "Заместитель директора ________________ / " in school
        assert "Заместитель директора ________________ / ________________ /" not in school


def _spaces(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text)


def _measure(text: str, size: float, *, bold: bool) -> float:
    return len(text) * size * (0.2 if bold else 0.18)


_WORD = st.text(alphabet="абвгдеёжзиклмнопрстуфхцчшщыэюя", min_size=1, max_size=14)


class TestWrapping:
    @settings(max_examples=60, deadline=None)
    @given(words=st.lists(_WORD, min_size=1, max_size=8), width=st.floats(5, 60))
    def test_wrap_keeps_the_words(self, words: list[str], width: float) -> None:
        """R9.3: wrapping only at spaces keeps every word whole and in order."""
        text = " ".join(words)
        lines = wrap(text, width, lambda t: _measure(t, 8, bold=False) <= width, hyphenate=False)
        assert " ".join(lines).split() == words

    @settings(max_examples=60, deadline=None)
    @given(words=st.lists(_WORD, min_size=1, max_size=8), width=st.floats(5, 60))
    def test_hyphenation_joins_back(self, words: list[str], width: float) -> None:
        """R9.3: a heading hyphenated at line ends reads back as the same words."""
        text = " ".join(words)
        lines = wrap(text, width, lambda t: _measure(t, 8, bold=True) <= width, hyphenate=True)
        joined = re.sub(r"-\n", "", "\n".join(lines)).split()
        assert joined == words

    def test_russian_hyphenation_points(self) -> None:
        """R9.3: Russian words are hyphenated at syllables, numbers never."""
        assert hyphenation_points("Учащихся")
        assert all(0 < p < len("Учащихся") for p in hyphenation_points("Учащихся"))
        assert hyphenation_points("2025") == []

    @settings(max_examples=40, deadline=None)
    @given(
        cells=st.lists(
            st.tuples(st.integers(0, 10**6), st.lists(_WORD, min_size=1, max_size=4)),
            min_size=1,
            max_size=12,
        ),
        available=st.floats(60, 280),
    )
    def test_layout_fits_or_says_so(
        self, cells: list[tuple[int, list[str]]], available: float
    ) -> None:
        """R9.3: a laid-out table's numbers are whole lines and every line fits its cell."""
        rows = [[str(number), " ".join(words)] for number, words in cells]
        layout = layout_table(
            ["Численность обучающихся", "Родители (законные представители)"],
            rows,
            [False, True],
            available,
            _measure,
        )
        assert [laid[0] for laid in layout.rows] == [(row[0],) for row in rows]
        if sum(layout.widths) <= available + 1e-6:
            assert layout.overflows(_measure) == []


class TestWording:
    def test_period_names(self) -> None:
        """R9.3: periods are named in words in both languages."""
        assert period_name("Q2") == "2-я четверть"
        assert period_name("H2") == "2-е полугодие"
        assert period_name("T1") == "1-й триместр"
        assert period_name("Q4", "en") == "4th quarter"

    def test_moment_in_a_zone(self) -> None:
        """R9.3: a moment is printed in the given zone with the zone's name and offset."""
        from zoneinfo import ZoneInfo

        moment = format_moment(MOMENT, ZoneInfo("Asia/Yekaterinburg"))
        assert moment == "29.12.2025 18:21 UTC+05:00"
        assert format_moment(MOMENT) == "29.12.2025 13:21 UTC"


def _sheet(report: Report) -> Any:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export_report(report, "xlsx")))
    return book, book.active


class TestXlsx:
    def test_print_setup(self, reports: dict[str, Report]) -> None:
        """R9.3: the sheet prints on A4, fit to one page wide, the heading row on every page."""
        for code in ("class_teachers_summary", "oo1_by_age"):
            _book, sheet = _sheet(reports[code])
            assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
            assert sheet.page_setup.fitToWidth == 1
            assert sheet.page_setup.fitToHeight == 0
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
            assert sheet.print_title_rows == f"${TABLE_HEADER_ROW}:${TABLE_HEADER_ROW}"
        assert _sheet(reports["class_teachers_summary"])[1].page_setup.orientation == "landscape"
        assert _sheet(reports["oo1_by_age"])[1].page_setup.orientation == "portrait"

    def test_shares_are_numbers_with_a_percent_format(self, reports: dict[str, Report]) -> None:
        """R2.2l: a share is stored as 0.7059 with a percent format, not as 70.59 " %"."""
        report = reports["class_period_results"]
        _book, sheet = _sheet(report)
        column = report.index("quality") + 1
        cell = sheet.cell(row=TABLE_HEADER_ROW + 1, column=column)
        share = report.rows[0][report.index("quality")]
        assert isinstance(share, Fraction)
        assert cell.value == round(float(share), 4)
        assert 0 <= cell.value <= 1
        assert cell.number_format == "0.00%"

    def test_signature_and_date_lines(self, data: ReportData, reports: dict[str, Report]) -> None:
        """R9.3: under the table the sheet has the moment, the clause, signatures and the date."""
        report = reports["class_period_results"]
        _book, sheet = _sheet(report)
        texts = [str(row[0]) for row in sheet.iter_rows(values_only=True) if row[0] is not None]
        class_teacher = data.employee_name(data.classes[4].class_teacher_id)
        assert any(t.startswith("Сформировано: 29.12.2025 16:21 MSK") for t in texts)
        assert any("Классный руководитель" in t and str(class_teacher) in t for t in texts)
        director = next(e for e in data.employees if e.position == "директор").person.short_name
        assert any(t.startswith("Директор") and director in t for t in texts)
        assert any(t.startswith("Дата «____»") for t in texts)
        assert not any("R11.4" in t for t in texts)

    def test_document_properties(self, data: ReportData, reports: dict[str, Report]) -> None:
        """R9.3: the workbook names the report, the school and eschool_core as its creator."""
        report = reports["class_period_results"]
        book = _sheet(report)[0]
        assert book.properties.title == report.title_ru
        assert book.properties.subject == report.school_name
        assert book.properties.creator == "eschool_core"


class TestSpreadsheetCsv:
    def test_excel_dialect(self, reports: dict[str, Report]) -> None:
        """R2.2l: the Excel CSV starts with a BOM, uses «;», a decimal comma and a percent sign."""
        report = reports["class_period_results"]
        content = export_report(report, "csv", csv_dialect="excel")
        assert content.startswith(codecs.BOM_UTF8)
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0] == report.headings()
        quality = report.rows[0][report.index("quality")]
        assert isinstance(quality, Fraction)
        expected = f"{float(quality * 100):.2f}".replace(".", ",") + "%"
        assert rows[1][report.index("quality")] == expected
        assert "," in rows[1][report.index("average")]

    def test_plain_dialect_stays_for_programs(self, reports: dict[str, Report]) -> None:
        """R2.2l: the plain CSV has no BOM, uses «,» and a decimal point."""
        report = reports["class_period_results"]
        content = export_report(report, "csv")
        assert not content.startswith(codecs.BOM_UTF8)
        rows = list(csv.reader(io.StringIO(content.decode())))
        assert "." in rows[1][report.index("average")]

    def test_unknown_dialect(self, reports: dict[str, Report]) -> None:
        """An unknown CSV dialect is refused."""
        with pytest.raises(ValueError, match="tsv"):
            export_report(reports["class_occupancy"], "csv", csv_dialect="tsv")


class TestClassJournal:
    def test_grid_of_marks_and_absences(self, data: ReportData) -> None:
        """R5.3c, R9.3: the printed journal has a column per lesson with its marks and «н»."""
        school_class = data.classes[4]
        subject = data.subjects_of_class(school_class.id)[0]
        report = run_report(
            "class_journal",
            data,
            ReportParams(class_id=school_class.id, subject_id=subject.id, period="Q2"),
            generated_at=MOMENT,
        )
        span = data.period(school_class.parallel, "Q2")
        lessons = [
            lesson
            for lesson in data.lessons_by_class[school_class.id]
            if lesson.subject_id == subject.id
            and span.start <= lesson.date <= span.end
            and lesson.state.value == "held"
        ]
        assert len(report.columns) == 2 + len(lessons) + 1
        student = data.roster(school_class.id, span.end)[0]
        row = report.find_row("student", data.get_student(student).person.full_name)
        for index, lesson in enumerate(lessons, start=2):
            given = sorted(
                str(m.value)
                for m in data.marks_by_lesson.get(lesson.id, ())
                if m.student_id == student
            )
            cell = str(row[index])
            assert sorted(part for part in cell.split() if part not in {"н", "оп"}) == given
        assert len(report.after_ru) == 1 + len(lessons)
        assert lessons[0].topic is not None
        assert lessons[0].topic in report.after_ru[1]

    def test_set_follows_the_curriculum_order(self, data: ReportData) -> None:
        """R5.3c: the report set prints a class's journal subject by subject in the set order."""
        from eschool_core.reports._set import ReportKind, plan_report_set

        school_class = data.classes[4]
        jobs = plan_report_set(data, "Q2", class_id=school_class.id, kinds=[ReportKind.CLASS])
        journal = [job.params.subject_id for job in jobs if job.code == "class_journal"]
        assert journal == [s.id for s in data.subjects_of_class(school_class.id)]
        orders = [data.subject_by_id[s].order for s in journal if s is not None]  # type: ignore[index]
        assert orders == sorted(orders)
