"""Renderers and the command line of the reports (R2.2l, R9.3, R11.1, R11.5)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import struct
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eschool_core.cli._app import app
from eschool_core.deadlines import ComplianceData
from eschool_core.reports import (
    CATALOGUE,
    Report,
    ReportData,
    ReportParams,
    Timeliness,
    export_report,
    mark_timeliness,
    render_csv,
    render_json,
    render_markdown,
    render_text,
    run_report,
)
from eschool_core.reports._chart import render_chart
from eschool_core.reports._pdf import FONT_ENV, find_cyrillic_font
from eschool_core.reports._xlsx import TABLE_HEADER_ROW
from eschool_core.storage import MemoryStore
from eschool_core.synth import SyntheticSchool, generate, write_to_store
from eschool_core.year_data import SchoolYearData
from tests.reports_school import GENERATED, hand_school
from tests.rules_helpers import DEADLINES, synthetic_rules


@pytest.fixture(scope="module")
def results() -> Report:
    return run_report(
        "class_period_results",
        hand_school(),
        ReportParams(class_id="5А", period="Q1"),
        generated_at=GENERATED,
    )


@pytest.fixture(scope="module")
def dynamics() -> Report:
    return run_report(
        "student_average_dynamics",
        hand_school(),
        ReportParams(student_id="s1", period="Q1"),
        generated_at=GENERATED,
    )


class TestCoreRenderers:
    def test_csv(self, results: Report) -> None:
        """R2.2l: CSV holds the headings, the rows and the totals as plain values."""
        rows = list(csv.reader(io.StringIO(render_csv(results))))
        assert rows[0][:3] == ["Предмет", "Учитель", "Учащихся"]
        assert rows[1][0] == "Математика"
        assert rows[1][rows[0].index("СОУ")] == "88.00"
        assert rows[-1][rows[0].index("Средний балл")] == "4.17"
        assert len(rows) == 1 + len(results.rows) + 1

    def test_json_keeps_exact_numbers(self, results: Report) -> None:
        """JSON keeps exact numbers as fractions and names the clause."""
        data = json.loads(render_json(results, "en"))
        assert data["title_ru"] == "Итоги успеваемости класса за учебный период"
        assert data["requirement"] == "R11.4a"
        assert data["rows"][0][-1] == "14/3"

    def test_markdown_and_text(self, results: Report) -> None:
        """Markdown and text carry the Russian title and headings, percentages formatted."""
        markdown = render_markdown(results)
        assert markdown.startswith("# Итоги успеваемости класса за учебный период")
        assert "| 88,00 % |" in markdown
        text = render_text(results)
        assert "Качество знаний" in text
        assert "66,67 %" in text
        assert "Subject" in render_text(results, "en")

    def test_unknown_format(self, results: Report) -> None:
        """An unknown output format is a typed error."""
        with pytest.raises(ValueError, match="doc"):
            export_report(results, "doc")


def _as_csv(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "percent":
        return f"{value * 100:.2f}"
    if kind == "decimal":
        return f"{value:.2f}"
    return str(value)


class TestExportExtra:
    def test_xlsx_has_the_csv_cells(self, results: Report) -> None:
        """R2.2l: the XLSX, read back, has the CSV's cells (shares as 0..1), headings in bold."""
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(export_report(results, "xlsx")))
        sheet = book.active
        assert sheet is not None
        assert sheet["A1"].value == results.title_ru
        header = [cell.value for cell in sheet[TABLE_HEADER_ROW]]
        assert sheet.cell(row=TABLE_HEADER_ROW, column=1).font.b
        kinds = [c.type.value for c in results.columns]
        body = [
            [_as_csv(v, kind) for v, kind in zip(row, kinds, strict=True)]
            for row in sheet.iter_rows(
                min_row=TABLE_HEADER_ROW + 1,
                max_row=TABLE_HEADER_ROW + len(results.rows) + 1,
                values_only=True,
            )
        ]
        expected = list(csv.reader(io.StringIO(render_csv(results))))
        assert [header, *body] == expected
        assert sheet.cell(row=TABLE_HEADER_ROW + 1, column=9).number_format == "0.00%"

    def test_pdf_reads_back_in_russian(self, results: Report) -> None:
        """R9.3: the PDF holds the Russian title, headings, page number and certification lines."""
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(export_report(results, "pdf", director="Петров П. П.")))
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "Итоги успеваемости класса за учебный период" in text
        assert "Средний балл" in text
        assert "Директор" in text
        assert "Петров П. П." in text
        assert "1/1" in text
        box = reader.pages[0].mediabox
        assert {round(float(box.width)), round(float(box.height))} == {595, 842}  # A4

    def test_font_from_environment(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """The PDF font is taken from ESCHOOL_PDF_FONT first; a missing font is a typed error."""
        regular, _bold = find_cyrillic_font()
        monkeypatch.setenv(FONT_ENV, str(regular))
        assert find_cyrillic_font()[0] == regular
        monkeypatch.setenv(FONT_ENV, str(tmp_path / "none.ttf"))
        monkeypatch.setattr("eschool_core.reports._pdf._matplotlib_font", lambda: None)
        monkeypatch.setattr("eschool_core.reports._pdf._SYSTEM_FONTS", ())
        with pytest.raises(LookupError) as caught:
            find_cyrillic_font()
        assert FONT_ENV in str(caught.value)


class TestChart:
    def test_png_size(self, dynamics: Report) -> None:
        """R11.5: the dynamics chart is a PNG of the asked size."""
        png = render_chart(dynamics, "png", width_px=800, height_px=400)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert (width, height) == (800, 400)

    def test_svg(self, dynamics: Report) -> None:
        """R11.5: the chart also comes as SVG, with the Russian title."""
        svg = export_report(dynamics, "svg").decode()
        assert svg.lstrip().startswith("<?xml")

    def test_other_reports_have_no_chart(self, results: Report) -> None:
        """A report without dates and averages cannot be charted."""
        with pytest.raises(ValueError, match="графиком") as caught:
            render_chart(results, "png")
        assert getattr(caught.value, "code", None) == "report.not_chartable"


@pytest.fixture(scope="module")
def synthetic() -> SyntheticSchool:
    return generate("small", seed=5)


class TestSyntheticSchool:
    def test_timeliness_agrees_with_the_generator(self, synthetic: SyntheticSchool) -> None:
        """R8.6: the reports' judgement of late marks matches what the generator planted."""
        zone = synthetic.school.zone
        judged = [mark_timeliness(mark, zone, DEADLINES) for mark in synthetic.marks]
        assert judged.count(Timeliness.LATE) == synthetic.stats.marks_late
        assert judged.count(Timeliness.EXTENDED) == (
            synthetic.stats.marks_late_with_valid_reason_in_time
        )

    def test_checker_and_own_rule_agree(self, synthetic: SyntheticSchool) -> None:
        """R8.6, R11.3c: journal reports are the same from the deadline checker's findings."""
        rules = synthetic_rules(synthetic)
        compliance = rules.checker.check(
            ComplianceData(
                year_data=SchoolYearData(
                    year=synthetic.year_data.year,
                    school=synthetic.school,
                    classes=synthetic.classes,
                    memberships=synthetic.memberships,
                    lessons=synthetic.lessons,
                    marks=synthetic.marks,
                )
            ),
            dt.date(2026, 8, 31),
        )
        own = ReportData.from_synthetic(synthetic, rules, orders=())
        checked = ReportData.from_synthetic(synthetic, rules, orders=(), compliance=compliance)
        for code in ("mark_timeliness", "journal_keeping"):
            first = run_report(code, own, generated_at=GENERATED)
            second = run_report(code, checked, generated_at=GENERATED)
            assert first.rows == second.rows
            assert first.totals == second.totals
        late = run_report("mark_timeliness", checked, generated_at=GENERATED).total("late")
        assert late == synthetic.stats.marks_late

    def test_every_report_renders(self, synthetic: SyntheticSchool) -> None:
        """R11.1: every catalogue report builds and renders on a synthetic school."""
        data = ReportData.from_synthetic(synthetic, synthetic_rules(synthetic))
        school_class = data.classes[5]
        student = data.roster(school_class.id, dt.date(2025, 10, 1))[0]
        values = {
            "class_id": school_class.id,
            "student_id": student,
            "teacher_id": data.assignments[0].teacher_id,
            "subject_id": data.subjects_of_class(school_class.id)[0].id,
            "period": "Q1",
        }
        for definition in CATALOGUE.values():
            names = [*definition.required, *definition.optional]
            params = ReportParams(**{k: values[k] for k in names if k in values})
            report = run_report(definition.code, data, params, generated_at=GENERATED)
            assert definition.title.ru in render_text(report)
        movement = run_report("school_movement", data, generated_at=GENERATED)
        enrolled = movement.total("enrolled")
        assert isinstance(enrolled, int)
        assert enrolled > 0


@pytest.fixture(scope="module")
def stored(synthetic: SyntheticSchool) -> MemoryStore:
    store = MemoryStore()
    write_to_store(synthetic, store)
    return store


class TestStore:
    def test_store_and_synthetic_views_agree(
        self, synthetic: SyntheticSchool, stored: MemoryStore
    ) -> None:
        """R11.1: a report from a store equals the report from the same data in memory."""
        rules = synthetic_rules(synthetic)
        direct = ReportData.from_synthetic(synthetic, rules, orders=())
        from_store = ReportData.from_year_data(
            SchoolYearData.from_store(stored, synthetic.academic_year), rules
        )
        params = ReportParams(class_id="7А", period="Q2")
        for code in ("class_teacher_period", "class_period_results", "student_average"):
            first = run_report(code, direct, params, generated_at=GENERATED)
            second = run_report(code, from_store, params, generated_at=GENERATED)
            assert first.rows == second.rows
            assert first.totals == second.totals

    def test_cli_reads_a_store(self, stored: MemoryStore, monkeypatch: pytest.MonkeyPatch) -> None:
        """`eschool report --store` reads the store with the standard year's periods."""
        monkeypatch.setattr("eschool_core.cli._report._open_store", lambda _spec: stored)
        result = CliRunner().invoke(
            app,
            [
                "report",
                "class_occupancy",
                "--store",
                "memory",
                "--as-of",
                "2025-10-01",
                "--format",
                "md",
                "--generated-at",
                "2025-10-01T09:00+03:00",
            ],
        )
        assert result.exit_code == 0, result.output
        assert result.output.startswith("# Наполняемость классов")
        assert "| 5А |" in result.output


class TestCommandLine:
    def test_list(self) -> None:
        """`eschool report --list` lists every report with its schedule."""
        result = CliRunner().invoke(app, ["report", "--list"])
        assert result.exit_code == 0, result.output
        assert "class_occupancy" in result.output
        assert "student_average_dynamics" in result.output
        assert "R11.3b" in result.output

    def test_csv_to_stdout_and_pdf_to_file(self, tmp_path: Path) -> None:
        """`eschool report NAME --format` prints text formats and writes binary ones to -o."""
        runner = CliRunner()
        args = ["report", "--synthetic", "class_occupancy", "--as-of", "2025-10-01", "--seed", "5"]
        moment = ["--generated-at", "2025-10-01T09:00+03:00"]
        result = runner.invoke(app, [*args, *moment, "--format", "csv"])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("Класс,Классный руководитель")
        target = tmp_path / "occupancy.pdf"
        result = runner.invoke(app, [*args, *moment, "--format", "pdf", "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert target.read_bytes().startswith(b"%PDF")
        result = runner.invoke(app, [*args, *moment, "--format", "xlsx"])
        assert result.exit_code == 2

    def test_errors(self) -> None:
        """An unknown report or a naive moment is a usage error (exit 2)."""
        runner = CliRunner()
        assert runner.invoke(app, ["report", "--synthetic", "nothing"]).exit_code == 2
        naive = ["report", "--synthetic", "class_occupancy", "--generated-at", "2025-10-01T09:00"]
        assert runner.invoke(app, naive).exit_code == 2
        assert runner.invoke(app, ["report"]).exit_code == 2
        missing_store = runner.invoke(app, ["report", "class_occupancy", "--store", "x.db"])
        assert missing_store.exit_code == 2
        assert "SQL" in missing_store.output
