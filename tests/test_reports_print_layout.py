"""The printed layout of reports: names, initials, signatures, numbers, totals (R9.3, R11.3c)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.deadlines import EntryDeadlines
from eschool_core.profiles import default_profile
from eschool_core.reports import (
    CATALOGUE,
    Column,
    Report,
    ReportData,
    ReportParams,
    export_report,
    render_text,
    run_report,
)
from eschool_core.reports._layout import SHORT_CELL_WORDS, layout_table, units, wrap
from eschool_core.reports._pdf import pdf_layout
from eschool_core.reports._table import format_count
from eschool_core.reports._xlsx import TABLE_HEADER_ROW
from eschool_core.synth import generate
from tests.rules_helpers import synthetic_rules

MOMENT = dt.datetime(2025, 12, 29, 13, 21, tzinfo=dt.UTC)
_SPLIT_INITIALS = re.compile(r"(?<!\w)[А-ЯЁ]\.\s*\n\s*[А-ЯЁ]\.")
_CERTIFICATION = ("Сформировано", "Учитель ", "Классный руководитель ", "Директор ", "Дата «")


@pytest.fixture(scope="module")
def demo() -> ReportData:
    """The demo school (``eschool demo`` stores the synthetic school of seed 1)."""
    school = generate("small", seed=1)
    return ReportData.from_synthetic(school, synthetic_rules(school))


@pytest.fixture(scope="module")
def reports(demo: ReportData) -> dict[str, Report]:
    school_class = next(c for c in demo.classes if c.name == "5А")
    span = demo.period(school_class.parallel, "Q2")
    subject = demo.subjects_of_class(school_class.id)[0].id
    values = {
        "class_id": school_class.id,
        "student_id": demo.roster(school_class.id, span.end)[0],
        "teacher_id": demo.teacher_of(school_class.id, subject),
        "subject_id": "math",
        "period": "Q2",
    }
    built = {}
    for code, definition in CATALOGUE.items():
        names = [*definition.required, *definition.optional]
        params = ReportParams(**{k: values[k] for k in names if k in values})
        built[code] = run_report(code, demo, params, generated_at=MOMENT)
    return built


def _pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _only_signatures(page: str) -> bool:
    """Whether a page holds nothing but the certification block and the page footer."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    content = [line for line in lines[:-1] if not line.startswith(_CERTIFICATION)]
    return not content


def _pupils(count: int, after: int) -> Report:
    names = ("Константинопольская Александра Владиславовна", "Ли Ян", "Иванов Иван Иванович")
    return Report(
        code="class_list",
        title_ru="Список класса",
        title_en="Class list",
        clause="9.3",
        requirement="R9.3",
        school_name="МБОУ «Школа №1»",
        params=ReportParams(),
        columns=(
            Column(code="number", title_ru="№", title_en="No.", type="int"),
            Column(code="student", title_ru="Учащийся", title_en="Student", type="text"),
            Column(code="file", title_ru="Личное дело", title_en="File", type="text"),
        ),
        rows=[[n, names[n % 3], f"5А-{n:04d}"] for n in range(1, count + 1)],
        generated_at=MOMENT,
        after_ru=[f"Примечание {n}: запись о движении учащегося." for n in range(after)],
        after_en=[f"Note {n}." for n in range(after)],
    )


class TestClassJournal:
    def test_demo_5a_mathematics_prints_on_two_pages(self, reports: dict[str, Report]) -> None:
        """R9.3, R5.3c: the demo's 5А mathematics journal of Q2 takes 2 pages, signed on the
        second beside the end of the lesson list (no page of signatures alone)."""
        pages = _pages(export_report(reports["class_journal"], "pdf"))
        assert len(pages) == 2
        assert "Директор" in pages[1]
        assert "Директор" not in pages[0]
        assert not any(_only_signatures(page) for page in pages)

    def test_no_pupil_name_takes_more_than_two_lines(self, reports: dict[str, Report]) -> None:
        """R9.3: in the printed journal every pupil's full name takes one or two lines."""
        report = reports["class_journal"]
        _orientation, layout, _measure = pdf_layout(report)
        position = report.index("student")
        assert all(len(row[position]) <= 2 for row in layout.rows)


class TestSignatures:
    @settings(max_examples=25, deadline=None)
    @given(count=st.integers(1, 70), after=st.integers(0, 40))
    def test_no_page_holds_only_signatures(self, count: int, after: int) -> None:
        """R9.3: whatever the length of the table and the lines under it, the signature block
        shares its page with the end of the document's content."""
        pages = _pages(export_report(_pupils(count, after), "pdf"))
        holders = [page for page in pages if "Директор" in page]
        assert len(holders) == 1
        assert "Директор" in pages[-1]
        assert not _only_signatures(holders[0])

    def test_catalogue_has_no_page_of_signatures_alone(self, reports: dict[str, Report]) -> None:
        """R9.3: no report of the catalogue prints its signatures on a page of their own."""
        for code, report in reports.items():
            pages = _pages(export_report(report, "pdf"))
            assert not any(_only_signatures(page) for page in pages), code


class TestInitials:
    _NAME = st.tuples(
        st.text(alphabet="абвгдежзиклмнопрстуфхцчшщэюя", min_size=2, max_size=14),
        st.sampled_from("АБВГДЕЖЗИКЛМНОПРСТУФЭЮЯ"),
        st.sampled_from("АБВГДЕЖЗИКЛМНОПРСТУФЭЮЯ"),
    ).map(lambda parts: f"{parts[0].capitalize()} {parts[1]}. {parts[2]}.")

    def test_units_keep_initials_together(self) -> None:
        """R9.3: «Н. Н.» is one unit of a line; a no-break space holds «10 259» whole."""
        assert units("Герасимова Н. Н.") == ["Герасимова", "Н. Н."]
        assert units("Итого\u00a010\u00a0259 уроков") == ["Итого\u00a010\u00a0259", "уроков"]

    @settings(max_examples=60, deadline=None)
    @given(names=st.lists(_NAME, min_size=1, max_size=4), width=st.floats(5, 60))
    def test_wrap_never_splits_initials(self, names: list[str], width: float) -> None:
        """R9.3: however narrow the cell, a line never ends between two initials."""
        text = ", ".join(names)
        lines = wrap(text, width, lambda t: len(t) * 1.5 <= width, hyphenate=False)
        assert " ".join(lines).split() == text.split()
        assert not _SPLIT_INITIALS.search("\n".join(lines))

    def test_no_printed_report_splits_initials(self, reports: dict[str, Report]) -> None:
        """R9.3: the text extracted from every PDF of the catalogue has no «Н. / Н.»."""
        for code, report in reports.items():
            text = "\n".join(_pages(export_report(report, "pdf")))
            assert not _SPLIT_INITIALS.search(text), code


class TestShortCells:
    @settings(max_examples=60, deadline=None)
    @given(
        names=st.lists(
            st.lists(
                st.text(alphabet="абвгдежзиклмнопрстуфхцчшщэюя", min_size=1, max_size=16),
                min_size=1,
                max_size=SHORT_CELL_WORDS,
            ).map(" ".join),
            min_size=1,
            max_size=10,
        ),
        available=st.floats(40, 280),
    )
    def test_short_cells_take_at_most_two_lines(self, names: list[str], available: float) -> None:
        """R9.3: a cell of up to four words (a full name) is laid out in one or two lines."""

        def measure(text: str, size: float, *, bold: bool) -> float:
            return len(text) * size * (0.2 if bold else 0.18)

        rows = [[str(n), name] for n, name in enumerate(names, start=1)]
        layout = layout_table(["№", "Учащийся"], rows, [False, True], available, measure)
        if sum(layout.widths) <= available + 1e-6:
            assert all(len(laid[1]) <= 2 for laid in layout.rows)
            assert layout.overflows(measure) == []


class TestNumbers:
    @settings(max_examples=80)
    @given(value=st.integers(-(10**9), 10**9))
    def test_count_grouping_reads_back(self, value: int) -> None:
        """R9.3: a count grouped by thousands reads back as the same number, groups of three."""
        text = format_count(value)
        assert int(text.replace("\u00a0", "")) == value
        groups = text.lstrip("-").split("\u00a0")
        assert all(len(group) == 3 for group in groups[1:])
        assert 1 <= len(groups[0]) <= 3
        assert format_count(value, "en").replace(",", "") == str(value)

    def test_counts_are_grouped_in_pdf_and_text(self) -> None:
        """R9.3: «31 800» and «1 865» in the PDF and the text table, «31,800» in English."""
        report = Report(
            code="counts",
            title_ru="Отметки",
            title_en="Marks",
            clause="9.3",
            requirement="R9.3",
            school_name="МБОУ «Школа №1»",
            params=ReportParams(),
            columns=(
                Column(code="name", title_ru="Класс", title_en="Class", type="text"),
                Column(code="marks", title_ru="Отметок", title_en="Marks", type="int"),
            ),
            rows=[["5А", 31800], ["5Б", 1865]],
            totals=[None, 33665],
            generated_at=MOMENT,
        )
        text = "\n".join(_pages(export_report(report, "pdf")))
        assert "31\u00a0800" in text
        assert "1\u00a0865" in text
        assert "33\u00a0665" in render_text(report)
        assert "31,800" in render_text(report, "en")


class TestTotals:
    def test_every_totals_row_is_labelled(self, reports: dict[str, Report]) -> None:
        """R9.3: every totals row of the catalogue reads «Итого» (ОО-1 by age among them)."""
        for code, report in reports.items():
            if report.totals is not None:
                shown = report.formatted()[-1]
                assert any(cell.startswith("Итого") for cell in shown), (code, shown)
                english = report.formatted("en")[-1]
                assert any(cell.startswith(("Итого", "Total")) for cell in english), code

    def test_the_totals_label_is_in_the_xlsx(self, reports: dict[str, Report]) -> None:
        """R9.3: the XLSX totals row of «ОО-1 по возрасту» reads «Итого» too."""
        from openpyxl import load_workbook

        report = reports["oo1_by_age"]
        sheet = load_workbook(io.BytesIO(export_report(report, "xlsx"))).active
        assert sheet is not None
        last = TABLE_HEADER_ROW + len(report.rows) + 1
        assert sheet.cell(row=last, column=1).value == "Итого"


class TestXlsxNumbers:
    def test_marks_and_counts_are_numbers(self, reports: dict[str, Report]) -> None:
        """R9.3: the journal's single marks and the period mark are numbers in the sheet;
        several marks in one lesson stay text."""
        from openpyxl import load_workbook

        report = reports["class_journal"]
        sheet = load_workbook(io.BytesIO(export_report(report, "xlsx"))).active
        assert sheet is not None
        values = [
            sheet.cell(row=TABLE_HEADER_ROW + 1 + r, column=c + 1).value
            for r in range(len(report.rows))
            for c in range(2, len(report.columns))
        ]
        marks = [value for value in values if value not in (None, "")]
        assert marks
        assert not [v for v in marks if isinstance(v, str) and v.isdigit()]
        assert any(isinstance(value, int) for value in marks)


class TestUnmarkedGrades:
    def test_first_grade_lessons_are_not_without_marks(self, demo: ReportData) -> None:
        """R11.3c, R8.9: lessons of grade 1, taught without marks, are not «Без отметок»;
        lessons of the other grades still are."""
        report = run_report("journal_keeping", demo, ReportParams(period="Q2"), generated_at=MOMENT)
        position = report.index("no_marks")
        first = [row for row in report.rows if str(row[0]).startswith("1")]
        first = [row for row in first if not str(row[0]).startswith(("10", "11"))]
        assert first
        assert all(row[position] == 0 for row in first)
        assert report.totals is not None
        assert report.totals[position] == sum(row[position] for row in report.rows)  # type: ignore[misc]

    def test_the_profile_names_the_grades_taught_with_marks(self) -> None:
        """R8.9: the grades taught with marks are the attestation rule's; the regulation's
        are 2-11, and a profile whose rule names 3-11 leaves grade 2 unmarked too."""
        import attrs

        rules = default_profile().deadlines.rules
        assert EntryDeadlines.from_rules(rules).marked_parallels == frozenset(range(2, 12))
        changed = [
            attrs.evolve(rule, parallels=tuple(range(3, 12)))
            if rule.id == "journal.attestation"
            else rule
            for rule in rules
        ]
        assert EntryDeadlines.from_rules(changed).marked_parallels == frozenset(range(3, 12))
        without = [rule for rule in rules if rule.id != "journal.attestation"]
        assert EntryDeadlines.from_rules(without).marked_parallels == frozenset(range(1, 12))
