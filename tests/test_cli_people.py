"""The command line for people (issue 26 item 5): stores, names, options, tables that fit.

Every case runs through click's runner, which is not a terminal: that is the piped output.
The terminal cases draw into a 100-column terminal console.
"""

from __future__ import annotations

import io
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from eschool_core import synth
from eschool_core.cli._app import app
from eschool_core.cli._find import Named, class_sort_key, class_spellings, find_person
from eschool_core.cli._source import STORE_ENV
from eschool_core.errors import NotFoundError, ValidationError
from eschool_core.storage import MemoryStore

_GENERATE = synth.generate
_MOMENT = "2025-12-29T12:00:00+03:00"
_STORE_MODULES = ("_check", "_list", "_report")


@cache
def _school(size: str, seed: int, *, year: str = "2025/2026") -> synth.SyntheticSchool:
    return _GENERATE(size, seed, year=year)


@pytest.fixture(autouse=True)
def _cached_school(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generate the small school once for all the tests of this module."""

    def generate(size: str, seed: int, **kwargs: Any) -> synth.SyntheticSchool:
        kwargs.pop("progress", None)  # the demo's progress bar; the school is the same
        return _school(size, seed, **kwargs)

    monkeypatch.setattr(synth, "generate", generate)


@pytest.fixture(scope="module")
def school() -> synth.SyntheticSchool:
    return _school("small", 1)


@pytest.fixture
def store(school: synth.SyntheticSchool, monkeypatch: pytest.MonkeyPatch) -> MemoryStore:
    """The small school in a memory store, which every command opens for any --store."""
    memory = MemoryStore()
    synth.write_to_store(school, memory)
    for module in _STORE_MODULES:
        monkeypatch.setattr(f"eschool_core.cli.{module}._open_store", lambda _spec: memory)
    return memory


def _run(args: list[str], **env: str) -> Result:
    return CliRunner().invoke(app, args, env={"COLUMNS": "100", STORE_ENV: "", **env})


def _table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("|", "+"))]


def _terminal(monkeypatch: pytest.MonkeyPatch, module: str) -> io.StringIO:
    """Make the commands of ``module`` draw into a 100-column terminal; return its screen."""
    screen = io.StringIO()

    def console() -> Console:
        return Console(file=screen, force_terminal=True, width=100, color_system=None)

    monkeypatch.setattr(f"eschool_core.cli.{module}.table_console", console)
    return screen


class TestNoSilentSyntheticData:
    @pytest.mark.parametrize(
        "args",
        [
            ["check"],
            ["list", "classes"],
            ["report", "class_occupancy"],
            ["report", "--all", "--period", "Q2", "-o", "set"],
        ],
    )
    def test_without_a_store_the_command_asks_for_one(
        self, args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without --store or ESCHOOL_STORE nothing is generated silently: a usage error (R11.1)."""
        monkeypatch.chdir(tmp_path)
        result = _run(args)
        assert result.exit_code == 2, result.output
        assert "--store" in result.output
        assert STORE_ENV in result.output
        assert "--synthetic" in result.output

    def test_synthetic_is_said_on_stderr(self) -> None:
        """--synthetic prints one line on stderr saying the data are generated (R11.1)."""
        result = _run(["--lang", "en", "list", "classes", "--synthetic", "--format", "json"])
        assert result.exit_code == 0, result.output
        assert "synthetic school" in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert json.loads(result.stdout)[0]["name"] == "1А"

    def test_size_without_synthetic_is_refused(self) -> None:
        """--size and --seed describe the generated school; without --synthetic they are refused."""
        result = _run(["check", "--seed", "3"])
        assert result.exit_code == 2
        assert "--synthetic" in result.output

    def test_the_environment_names_the_default_store(self, store: MemoryStore) -> None:
        """ESCHOOL_STORE is the store of every command that reads one (R11.1)."""
        result = _run(["list", "classes", "--format", "json"], **{STORE_ENV: "school.sqlite"})
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
        assert len(json.loads(result.stdout)) == 12


class TestFindingPeople:
    def test_a_student_by_name(self, store: MemoryStore, school: synth.SyntheticSchool) -> None:
        """A student is found by the beginning of his name, not only by id (R11.4)."""
        del store
        pupil = next(s for s in school.students if s.id == "st-00007")
        surname, first = pupil.person.full_name.split()[:2]
        by_name = ["report", "student_report_card", "--period", "Q2", "--store", "s"]
        named = _run([*by_name, "--student", f"{surname} {first}", "--generated-at", _MOMENT])
        by_id = _run([*by_name, "--student", "st-00007", "--generated-at", _MOMENT])
        assert named.exit_code == 0, named.output
        assert named.stdout == by_id.stdout

    def test_an_unknown_name_gets_suggestions_and_a_pointer(
        self, store: MemoryStore, school: synth.SyntheticSchool
    ) -> None:
        """A misspelt name names the option, suggests the nearest and points to eschool list."""
        del store
        pupil = school.students[3].person.full_name
        misspelt = pupil[:-1] + "ъ"
        args = ["report", "student_report_card", "--period", "Q2", "--store", "s"]
        result = _run([*args, "--student", misspelt])
        assert result.exit_code == 2, result.output
        assert "--student" in result.output
        assert pupil in result.output
        assert "eschool list students" in result.output

    def test_a_teacher_by_name(
        self, store: MemoryStore, school: synth.SyntheticSchool, tmp_path: Path
    ) -> None:
        """--teacher takes a full name too (R11.4)."""
        del store
        teacher = next(e for e in school.employees if e.id == "emp-math-1")
        result = _run(
            [
                *("report", "--all", "--period", "Q2", "--kind", "teacher", "--format", "csv"),
                *("--teacher", teacher.person.full_name, "-o", str(tmp_path / "set")),
                *("--store", "s"),
                *("--generated-at", _MOMENT),
            ],
        )
        assert result.exit_code == 0, result.output
        manifest = json.loads((tmp_path / "set" / "manifest.json").read_text(encoding="utf-8"))
        assert {r["params"].get("teacher_id") for r in manifest["reports"]} == {"emp-math-1"}

    def test_list_students_of_a_class_with_a_latin_letter(self, store: MemoryStore) -> None:
        """`list students --class 5a` lists 5А's students; classes sort naturally (R11.1)."""
        del store
        result = _run(["list", "students", "--class", "5a", "--format", "json", "--store", "s"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert rows
        assert {row["class"] for row in rows} == {"5А"}
        everyone = json.loads(_run(["list", "students", "--format", "json", "--store", "s"]).stdout)
        order = list(dict.fromkeys(row["class"] for row in everyone))
        assert order == sorted(order, key=class_sort_key)
        assert order.index("1А") < order.index("10А")

    def test_a_latin_class_letter_in_a_report(self, store: MemoryStore) -> None:
        """`report --class 5a` is the report of 5А (R11.4)."""
        del store
        common = ["report", "class_period_results", "--period", "Q2", "--store", "s"]
        latin = _run([*common, "--class", "5a", "--generated-at", _MOMENT])
        cyrillic = _run([*common, "--class", "5А", "--generated-at", _MOMENT])
        assert latin.exit_code == 0, latin.output
        assert latin.stdout == cyrillic.stdout


class TestErrorsNameTheOptions:
    def test_a_missing_class_names_the_option(self, store: MemoryStore) -> None:
        """A report without its class names --class, not the parameter class_id."""
        del store
        result = _run(["report", "class_period_results", "--period", "Q2", "--store", "s"])
        assert result.exit_code == 2
        assert "--class" in result.output
        assert "class_id" not in result.output

    def test_a_reversed_range_names_from_and_to(self) -> None:
        """--to before --from names both options."""
        args = ["report", "mark_timeliness", "--from", "2025-10-01", "--to", "2025-09-01"]
        result = _run([*args, "--synthetic"])
        assert result.exit_code == 2
        assert "--from" in result.output
        assert "--to" in result.output

    @pytest.mark.parametrize("moment", ["notadate", "2025-13-45T10:00+03:00"])
    def test_a_bad_generated_at_is_a_clean_error(self, moment: str) -> None:
        """--generated-at notadate is a usage error naming the option, no Python text."""
        result = _run(["report", "class_occupancy", "--synthetic", "--generated-at", moment])
        assert result.exit_code == 2
        assert "--generated-at" in result.output
        assert "isoformat" not in result.output
        assert "ISO 8601" in result.output

    def test_report_list_shows_options(self) -> None:
        """`report --list` names the options (--as-of), not the parameters (as_of)."""
        result = _run(["report", "--list", "--format", "text"])
        assert "[--as-of]" in result.output
        assert "as_of" not in result.output


class TestWideReports:
    def test_a_wide_report_is_split_to_fit_a_100_column_terminal(
        self, store: MemoryStore, monkeypatch: pytest.MonkeyPatch, school: synth.SyntheticSchool
    ) -> None:
        """`report class_teacher_period` on a 100-column terminal: tables that fit (R11.4)."""
        del store
        args = ["report", "class_teacher_period", "--class", "5А", "--period", "Q2"]
        args += ["--store", "s", "--generated-at", _MOMENT]
        piped = _run(args)
        assert piped.exit_code == 0, piped.output
        assert max(len(line) for line in piped.stdout.splitlines()) > 100
        monkeypatch.setattr("eschool_core.cli._report._terminal_width", lambda: 100)
        screen = _run(args)
        assert screen.exit_code == 0, screen.output
        lines = screen.stdout.splitlines()
        assert max(len(line) for line in lines) <= 100
        fifth = next(c for c in school.classes if c.name == "5А")
        pupil = next(
            s.person.full_name
            for s in school.students
            if any(m.student_id == s.id and m.class_id == fifth.id for m in school.memberships)
        )
        surname = pupil.split()[0]
        titles = [line for line in lines if "Отчёт классного руководителя" in line]
        assert len(titles) >= 2
        assert (
            sum("Отчёт классного руководителя" in line for line in piped.stdout.splitlines()) == 1
        )
        assert sum(surname in line for line in lines) >= 2  # the key column in every part


class TestCheckOutput:
    def test_piped_table_keeps_role_names_and_speaks_russian(self) -> None:
        """`check | cat` keeps every role name whole, with Russian severities and dates (R8.6)."""
        result = _run(["check", "--synthetic"])
        assert result.exit_code == 1
        table = "\n".join(_table_lines(result.stdout))
        assert "Классный руководитель" in table
        assert "Учитель-предметник" in table
        assert "ошибка" in table
        assert re.search(r"\berror\b|\bwarning\b", table) is None
        assert "31.08.2026" in result.stdout
        assert "2026-08-31" not in result.stdout

    def test_a_100_column_terminal_fits(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """On a 100-column terminal the findings table fits, role names wrapped not cut."""
        screen = _terminal(monkeypatch, "_check")
        result = _run(["check", "--synthetic"])
        assert result.exit_code == 1
        lines = screen.getvalue().splitlines()
        assert lines
        assert max(len(line) for line in lines) <= 100

    def test_output_file(self, tmp_path: Path) -> None:
        """`check -o FILE` writes the table into FILE, not to the screen."""
        target = tmp_path / "findings.txt"
        result = _run(["check", "--synthetic", "-o", str(target)])
        assert result.exit_code == 1
        written = target.read_text(encoding="utf-8")
        assert "journal.marks" in written
        assert "journal.marks" not in result.stdout

    def test_json_names_beside_ids(self, tmp_path: Path, school: synth.SyntheticSchool) -> None:
        """`check --format json` carries names beside ids; plans are named, not by id (R5.6)."""
        target = tmp_path / "findings.json"
        result = _run(["check", "--synthetic", "--format", "json", "-o", str(target)])
        assert result.exit_code == 1
        document = json.loads(target.read_text(encoding="utf-8"))
        names = {str(e.id): e.person.full_name for e in school.employees}
        for finding in document["findings"]:
            details = finding["details"]
            if details["person_id"] in names:
                assert details["person_name"] == names[details["person_id"]]
        plans = [f for f in document["findings"] if f["entity"]["kind"] == "thematic_plan"]
        assert plans
        for finding in plans:
            assert finding["entity"]["id"] not in finding["message"]["ru"]
            assert finding["entity"]["id"] not in finding["message"]["en"]
            assert finding["entity"]["name"] in finding["message"]["ru"]
        assert set(document["summary"]["by_person_name"]) <= {*names.values(), "—"}

    def test_day_counts_are_plural_right(self, tmp_path: Path) -> None:
        """Days late read «1 день», «3 дня», «5 дней» and '1 day', '1 working day' (R8.6)."""
        target = tmp_path / "findings.json"
        _run(["check", "--synthetic", "--format", "json", "-o", str(target)])
        findings = json.loads(target.read_text(encoding="utf-8"))["findings"]
        late = [
            f for f in findings if f["details"]["late_days"] and "опоздание" in f["message"]["ru"]
        ]
        assert {1, 2, 5} <= {f["details"]["late_days"] for f in late}
        for finding in late:
            days, working = finding["details"]["late_days"], finding["details"]["late_working_days"]
            assert f"опоздание {days} {_ru_days(days)} ({working} " in finding["message"]["ru"]
            day_word = "day" if days == 1 else "days"
            working_word = "working day" if working == 1 else "working days"
            assert f"{days} {day_word} ({working} {working_word}) late" in finding["message"]["en"]


def _ru_days(count: int) -> str:
    """An oracle of the Russian plural written differently from the library's."""
    last_two = count % 100
    if 11 <= last_two <= 19:
        return "дней"
    return {1: "день", 2: "дня", 3: "дня", 4: "дня"}.get(count % 10, "дней")


class TestRecordingARun:
    def test_a_report_run_is_recorded_as_a_named_employee(
        self, store: MemoryStore, school: synth.SyntheticSchool
    ) -> None:
        """`report --record-as` stores the run under the employee and audits it (R11.3b)."""
        deputy = next(e for e in school.employees if "заместитель" in e.position.casefold())
        result = _run(
            [
                *("report", "class_occupancy", "--as-of", "2025-10-29", "--store", "s"),
                *("--record-as", deputy.person.full_name),
                *("--generated-at", "2025-10-29T15:00+03:00"),
            ]
        )
        assert result.exit_code == 0, result.output
        assert deputy.person.short_name in result.stderr
        with store.unit_of_work() as uow:
            runs = uow.report_runs.for_year("2025/2026")
            actions = [entry.action for entry in uow.audit.read()]
        assert [(run.by, run.scope) for run in runs] == [(deputy.id, "as_of=2025-10-29")]
        assert actions[-1] == "report.produce"

    def test_a_role_without_the_right_records_nothing(
        self, store: MemoryStore, school: synth.SyntheticSchool
    ) -> None:
        """A run the role matrix does not grant is refused and leaves the store as it was."""
        clerk = next(e for e in school.employees if "учитель" in e.position.casefold())
        with store.unit_of_work() as uow:
            before = (len(uow.report_runs.for_year("2025/2026")), len(list(uow.audit.read())))
        result = _run(
            [
                *("report", "school_performance", "--period", "Q2", "--store", "s"),
                *("--record-as", clerk.id, "--role", "teacher"),
            ]
        )
        assert result.exit_code == 2, result.output
        with store.unit_of_work() as uow:
            after = (len(uow.report_runs.for_year("2025/2026")), len(list(uow.audit.read())))
        assert after == before

    def test_recording_needs_a_store(self) -> None:
        """--record-as writes into a store: with --synthetic it is a usage error."""
        result = _run(["report", "class_occupancy", "--synthetic", "--record-as", "x"])
        assert result.exit_code == 2
        assert "--record-as" in result.output


class TestDemo:
    def test_demo_in_english_into_a_stated_folder(self, tmp_path: Path) -> None:
        """`demo --lang en` is accepted; its reports go to 'reports' beside the store."""
        store = tmp_path / "demo" / "school.sqlite"
        result = _run(["demo", "--lang", "en", "--store", str(store)])
        assert result.exit_code == 0, result.output
        assert "Deadline violations" in result.output
        assert (store.parent / "reports" / "class_period_results.csv").is_file()


_CYRILLIC = "АБВГДЕЖЗИКЛМНОПРСТУФХ"
_LATIN_OF = {"А": "a", "Б": "b", "В": "v", "Г": "g", "Д": "d", "Е": "e", "К": "k", "М": "m"}


class TestNamesProperties:
    @settings(max_examples=60)
    @given(st.integers(1, 11), st.sampled_from(sorted(_LATIN_OF)))
    def test_latin_letters_mean_their_cyrillic_class(self, parallel: int, letter: str) -> None:
        """A class typed with a Latin letter (5a, 5b) means the Cyrillic class (5А, 5Б)."""
        assert f"{parallel}{letter}" in class_spellings(f"{parallel}{_LATIN_OF[letter]}")
        assert f"{parallel}{letter}" in class_spellings(f"{parallel}{letter.lower()}")

    @settings(max_examples=60)
    @given(st.lists(st.tuples(st.integers(1, 11), st.sampled_from(_CYRILLIC)), min_size=1))
    def test_natural_order_of_classes(self, classes: list[tuple[int, str]]) -> None:
        """Class names sort by parallel as a number, then letter (oracle: the pairs)."""
        names = [f"{p}{letter}" for p, letter in classes]
        assert sorted(names, key=class_sort_key) == [f"{p}{x}" for p, x in sorted(classes)]

    @settings(max_examples=40)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["Белова", "Белов", "Иванова", "Петров", "Сидоренко"]),
                st.sampled_from(["Анна", "Василиса", "Иван", "Пётр"]),
                st.sampled_from(["Ильинична", "Петрович", "Олегович"]),
            ),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    def test_everyone_is_found_by_id_and_full_name(self, names: list[tuple[str, str, str]]) -> None:
        """Each person is found by id and by full name; a prefix finds one or is ambiguous."""
        people = [Named(id=f"p{i}", name=" ".join(n)) for i, n in enumerate(names)]
        for person in people:
            assert find_person(person.id, people, option="--student", student=True) == person
            found = find_person(person.name.upper(), people, option="--student", student=True)
            assert found == person
            surname = person.name.split()[0]
            fits = [p for p in people if p.name.split()[0].startswith(surname)]
            if len(fits) == 1:
                assert find_person(surname, people, option="--student", student=True) == person
            else:
                with pytest.raises((ValidationError, NotFoundError)):
                    exact = [p for p in people if p.name == surname]
                    assert not exact
                    find_person(surname, people, option="--student", student=True)
