"""OneRoster 1.2 CSV: the binding's checks, export, import and the round trip (R9.1, R2.2c)."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eschool_core.calendar import standard_year
from eschool_core.cli._app import app
from eschool_core.errors import ConflictError, NotFoundError, ValidationError
from eschool_core.interop import (
    HOMEROOM_COURSE,
    OneRosterError,
    check_oneroster,
    export_oneroster,
    import_oneroster,
)
from eschool_core.interop._spec import SPECS
from eschool_core.journal import MarkKind, MarkValue
from eschool_core.profiles import default_profile
from eschool_core.rbac import Role
from eschool_core.storage import MemoryStore, Store
from eschool_core.storage.sql import SqlStore
from eschool_core.synth import SyntheticSchool, generate, write_to_store
from eschool_core.testing import load, sample_school

YEAR = standard_year("2025/2026", default_profile().calendar)


def _texts(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / name).read_text(encoding="utf-8"))))


def _rosters(store: Store) -> dict[str, Any]:
    """What a roster and its results are: people, staff, classes, memberships, period marks."""
    with store.unit_of_work() as uow:
        return {
            "students": sorted(
                (s.id, s.person.last_name, s.person.first_name, s.person.patronymic)
                for s in uow.students.all()
            ),
            "guardians": sorted(
                (g.id, g.person.last_name, g.person.first_name, g.person.patronymic)
                for g in uow.guardians.all()
            ),
            "links": sorted(
                (link.guardian_id, link.student_id, link.kind) for link in uow.guardian_links.all()
            ),
            "staff": sorted(
                (
                    e.id,
                    e.person.full_name,
                    e.position,
                    e.status,
                    e.hired_on,
                    e.dismissed_on,
                )
                for e in uow.employees.all()
            ),
            "classes": sorted(
                (c.id, c.year, c.parallel, c.letter, c.class_teacher_id) for c in uow.classes.all()
            ),
            "memberships": sorted(uow.memberships.all(), key=lambda m: m.id),
            "groups": sorted(uow.groups.all(), key=lambda g: g.id),
            "assignments": sorted(uow.assignments.all(), key=lambda a: a.id),
            "subjects": sorted((s.id, s.name, s.short_name) for s in uow.subjects.all()),
            "results": sorted(
                (
                    m.id,
                    m.student_id,
                    m.subject_id,
                    m.year,
                    m.kind,
                    m.period,
                    m.value,
                    m.author_id,
                    m.entered_at,
                )
                for m in uow.attestation_marks.all()
            ),
        }


def _counts(store: Store) -> int:
    with store.unit_of_work() as uow:
        return sum(
            len(getattr(uow, name).all())
            for name in ("schools", "students", "employees", "classes", "attestation_marks")
        )


@pytest.fixture(scope="module")
def school() -> SyntheticSchool:
    """The generated small school of seed 1."""
    return generate("small", seed=1)


@pytest.fixture(scope="module")
def exported(school: SyntheticSchool, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small school exported to OneRoster once for the module."""
    store = MemoryStore()
    write_to_store(school, store)
    folder = tmp_path_factory.mktemp("oneroster") / "a"
    export_oneroster(store, folder, year=school.academic_year)
    return folder


def _sample_store() -> MemoryStore:
    store = MemoryStore()
    load(store, sample_school())
    return store


class TestRoundTrip:
    def test_generated_school_passes_the_check(self, exported: Path) -> None:
        """The export of a generated school has every required field and value set (R9.1)."""
        assert check_oneroster(exported) == ()

    def test_import_then_export_is_identical_and_keeps_every_roster(
        self, school: SyntheticSchool, exported: Path, tmp_path: Path
    ) -> None:
        """Import, export again: the same files, every roster and result kept (R9.1, R2.2c)."""
        original = MemoryStore()
        write_to_store(school, original)
        fresh = MemoryStore()
        counts = import_oneroster(exported, fresh)
        assert counts["attestation_marks"] == len(school.attestation_marks) > 0
        export_oneroster(fresh, tmp_path / "b", year=school.academic_year)
        assert _texts(tmp_path / "b") == _texts(exported)
        before, after = _rosters(original), _rosters(fresh)
        for key in before:
            assert after[key] == before[key], key

    @pytest.mark.parametrize("name", ["set", "set.zip"])
    def test_sample_school_with_subgroup_dismissed_teacher_and_special_mark(
        self, tmp_path: Path, name: str
    ) -> None:
        """A subgroup, a dismissed teacher and «осв» survive a folder or zip round trip (R9.1)."""
        original = _sample_store()
        export_oneroster(original, tmp_path / name, year=YEAR)
        assert check_oneroster(tmp_path / name) == ()
        fresh = MemoryStore()
        import_oneroster(tmp_path / name, fresh)
        assert _rosters(fresh) == _rosters(original)

    def test_a_second_import_into_the_same_store_changes_nothing(self, tmp_path: Path) -> None:
        """Importing ids that exist is a conflict and the store keeps what it had (R9.1)."""
        store = _sample_store()
        export_oneroster(store, tmp_path / "set", year=YEAR)
        target = MemoryStore()
        import_oneroster(tmp_path / "set", target)
        before = _rosters(target)
        with pytest.raises(ConflictError):
            import_oneroster(tmp_path / "set", target)
        assert _rosters(target) == before


class TestMapping:
    def test_files_manifest_and_absent_files(self, exported: Path) -> None:
        """The manifest names every file of the binding; demographics absent by default (R9.1)."""
        manifest = dict(csv.reader(io.StringIO((exported / "manifest.csv").read_text())))
        assert manifest["oneroster.version"] == "1.2"
        assert manifest["manifest.version"] == "1.0"
        assert manifest["file.users"] == "bulk"
        assert manifest["file.demographics"] == "absent"
        assert manifest["file.resources"] == "absent"
        assert not (exported / "demographics.csv").exists()

    def test_class_and_sessions(self, school: SyntheticSchool, exported: Path) -> None:
        """A class is a homeroom, a subject a scheduled class, a period a grading period (R9.1)."""
        classes = {row["sourcedId"]: row for row in _rows(exported, "classes.csv")}
        first = school.classes[0]
        assert classes[first.id]["classType"] == "homeroom"
        assert classes[first.id]["grades"] == f"{first.parallel:02d}"
        assert classes[first.id]["courseSourcedId"] == HOMEROOM_COURSE
        assert classes[f"{first.id}-rus"]["classType"] == "scheduled"
        sessions = {row["sourcedId"]: row for row in _rows(exported, "academicSessions.csv")}
        assert sessions["2025-2026"]["type"] == "schoolYear"
        assert sessions["2025-2026"]["schoolYear"] == "2026"
        assert sessions["2025-2026-Q1"]["type"] == "gradingPeriod"
        assert sessions["2025-2026-Q1"]["parentSourcedId"] == "2025-2026"
        assert sessions["2025-2026-H2"]["startDate"] == "2026-01-12"

    def test_roles_and_results(self, exported: Path) -> None:
        """Staff roles follow the position; a score is 2..5, «н/а» is not submitted (R9.1)."""
        roles = {row["userSourcedId"]: row["role"] for row in _rows(exported, "roles.csv")}
        assert roles["emp-director"] == "principal"
        assert {"student", "parent", "teacher", "siteAdministrator"} <= set(roles.values())
        results = _rows(exported, "results.csv")
        scored = [row for row in results if row["score"]]
        assert all(row["scoreStatus"] == "fully graded" for row in scored)
        assert {float(row["score"]) for row in scored} <= {1.0, 2.0, 3.0, 4.0, 5.0}
        special = [row for row in results if not row["score"]]
        assert special
        assert all(
            (row["scoreStatus"], row["textScore"]) == ("not submitted", "н/а") for row in special
        )

    def test_special_marks_map_to_score_status(self, tmp_path: Path) -> None:
        """«осв» is exempt, «зач» fully graded, each with its text score (R9.1)."""
        store = _sample_store()
        with store.unit_of_work() as uow:
            mark = uow.attestation_marks.get("am1")
            uow.attestation_marks.update(
                type(mark)(**{**_fields(mark), "value": MarkValue.special(MarkKind.PASS)})
            )
            uow.commit()
        export_oneroster(store, tmp_path / "set", year=YEAR)
        results = {row["sourcedId"]: row for row in _rows(tmp_path / "set", "results.csv")}
        assert (results["am2"]["scoreStatus"], results["am2"]["textScore"]) == ("exempt", "осв")
        assert (results["am1"]["scoreStatus"], results["am1"]["textScore"]) == (
            "fully graded",
            "зач",
        )
        fresh = MemoryStore()
        import_oneroster(tmp_path / "set", fresh)
        assert _rosters(fresh)["results"] == _rosters(store)["results"]

    def test_demographics_only_on_request(self, tmp_path: Path) -> None:
        """Birth date and sex are written only when asked and then read back (R2.2c, 152-FZ)."""
        store = _sample_store()
        export_oneroster(store, tmp_path / "plain", year=YEAR)
        assert "1980-05-17" not in "".join(_texts(tmp_path / "plain").values())
        export_oneroster(store, tmp_path / "demo", year=YEAR, demographics=True)
        assert check_oneroster(tmp_path / "demo") == ()
        rows = {row["sourcedId"]: row for row in _rows(tmp_path / "demo", "demographics.csv")}
        assert (rows["t1"]["birthDate"], rows["t1"]["sex"]) == ("1980-05-17", "female")
        fresh = MemoryStore()
        import_oneroster(tmp_path / "demo", fresh)
        with fresh.unit_of_work() as uow:
            person = uow.employees.get("t1").person
        assert (person.birth_date.isoformat() if person.birth_date else None) == "1980-05-17"

    def test_rbac_roles_of_staff_win_over_positions(self, tmp_path: Path) -> None:
        """The host's staff roles name the OneRoster role; others follow the position (R9.1)."""
        export_oneroster(
            _sample_store(),
            tmp_path / "set",
            year=YEAR,
            staff_roles={"t1": Role.DEPUTY_HEAD, "t2": Role.DIRECTOR},
        )
        roles = {row["userSourcedId"]: row["role"] for row in _rows(tmp_path / "set", "roles.csv")}
        assert (roles["t1"], roles["t2"], roles["s1"], roles["g1"]) == (
            "siteAdministrator",
            "principal",
            "student",
            "parent",
        )
        assert check_oneroster(tmp_path / "set") == ()

    def test_a_mark_of_a_student_without_a_class_is_refused(self, tmp_path: Path) -> None:
        """A result needs the student's class of the year; the export names the mark (R9.1)."""
        store = _sample_store()
        with store.unit_of_work() as uow:
            uow.memberships.remove("m2")
            uow.commit()
        with pytest.raises(ValidationError) as caught:
            export_oneroster(store, tmp_path / "set", year=YEAR)
        assert (caught.value.code, caught.value.details["id"]) == ("oneroster.unplaced_mark", "am2")
        assert not (tmp_path / "set").exists()

    def test_no_school_is_refused(self, tmp_path: Path) -> None:
        """A store without its school cannot be exported (R9.1)."""
        with pytest.raises(NotFoundError) as caught:
            export_oneroster(MemoryStore(), tmp_path / "set", year=YEAR)
        assert caught.value.code == "store.no_school"


def _fields(entity: Any) -> dict[str, Any]:
    import attrs

    return attrs.asdict(entity, recurse=False)


# -- the check and bad input ----------------------------------------------------------------


def _edit(folder: Path, name: str, change: Callable[[list[list[str]]], None]) -> None:
    table = list(csv.reader(io.StringIO((folder / name).read_text(encoding="utf-8"))))
    change(table)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    (folder / name).write_text(buffer.getvalue(), encoding="utf-8")


def _where(problems: tuple[Any, ...]) -> set[tuple[str, int, str]]:
    return {(p.file, p.line, p.column) for p in problems}


@pytest.fixture
def sample_set(tmp_path: Path) -> Path:
    """The sample school exported to a folder."""
    export_oneroster(_sample_store(), tmp_path / "set", year=YEAR)
    return tmp_path / "set"


class TestCheck:
    def test_manifest_version_and_missing_file(self, sample_set: Path) -> None:
        """A wrong version and a file marked bulk but missing are both named (R9.1)."""
        _edit(sample_set, "manifest.csv", lambda t: t.__setitem__(2, ["oneroster.version", "1.1"]))
        (sample_set / "orgs.csv").unlink()
        where = _where(check_oneroster(sample_set))
        assert ("manifest.csv", 3, "oneroster.version") in where
        assert any(file == "manifest.csv" and column == "file.orgs" for file, _, column in where)

    def test_bad_date_boolean_and_order(self, sample_set: Path) -> None:
        """A date not YYYY-MM-DD, a boolean not true/false, reordered columns are named (R9.1)."""

        def change(table: list[list[str]]) -> None:
            header = table[0]
            table[1][header.index("beginDate")] = "01.09.2025"
            table[1][header.index("primary")] = "yes"

        _edit(sample_set, "enrollments.csv", change)

        def reverse(table: list[list[str]]) -> None:
            for row in table:
                row.reverse()

        _edit(sample_set, "orgs.csv", reverse)
        where = _where(check_oneroster(sample_set))
        assert ("enrollments.csv", 2, "beginDate") in where
        assert ("enrollments.csv", 2, "primary") in where
        assert ("orgs.csv", 1, "") in where

    def test_every_bad_row_at_once_and_nothing_written(self, sample_set: Path) -> None:
        """All bad rows are named at once by file, line and column; nothing is stored (R9.1)."""

        def change(table: list[list[str]]) -> None:
            header = table[0]
            for row in table[1:]:
                row[header.index("scoreStatus")] = "graded"

        _edit(sample_set, "results.csv", change)
        store = MemoryStore()
        with pytest.raises(OneRosterError) as caught:
            import_oneroster(sample_set, store)
        assert _where(caught.value.problems) == {
            ("results.csv", 2, "scoreStatus"),
            ("results.csv", 3, "scoreStatus"),
        }
        assert caught.value.code == "oneroster.invalid"
        assert "results.csv:2 [scoreStatus]" in caught.value.message("en")
        assert _counts(store) == 0

    def test_a_mark_out_of_scale_is_refused(self, sample_set: Path) -> None:
        """A score of 7 is named by its cell and nothing is imported (R9.1)."""

        def change(table: list[list[str]]) -> None:
            table[1][table[0].index("score")] = "7.0"

        _edit(sample_set, "results.csv", change)
        store = MemoryStore()
        with pytest.raises(OneRosterError) as caught:
            import_oneroster(sample_set, store)
        assert ("results.csv", 2, "score") in _where(caught.value.problems)
        assert _counts(store) == 0

    def test_not_a_folder(self, tmp_path: Path) -> None:
        """A path that is neither a folder nor a zip is a typed error (R9.1)."""
        with pytest.raises(ValidationError) as caught:
            check_oneroster(tmp_path / "nothing")
        assert caught.value.code == "oneroster.no_source"


def _mutations() -> list[tuple[str, str, str]]:
    """Every (kind, file, column) a mutation may hit in the sample school's export."""
    found = []
    for name, spec in SPECS.items():
        if name == "demographics.csv":
            continue
        found += [("drop", name, column) for column in sorted(spec.required)]
        found += [("enum", name, column) for column in sorted(spec.enums)]
        found += [("dangling", name, column) for column in sorted(spec.references)]
    return found


@pytest.fixture(scope="module")
def sample_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The sample school's export as texts."""
    folder = tmp_path_factory.mktemp("sample") / "set"
    export_oneroster(_sample_store(), folder, year=YEAR)
    return _texts(folder)


def _mutate(texts: dict[str, str], kind: str, name: str, column: str, pick: int) -> int:
    """Apply one mutation; return the line it hits (1 for the header)."""
    table = list(csv.reader(io.StringIO(texts[name])))
    index = table[0].index(column)
    if kind == "drop":
        for row in table:
            del row[index]
        line = 1
    else:
        candidates = [number for number, row in enumerate(table[1:], start=1) if row[index]]
        if not candidates:
            return 0
        number = candidates[pick % len(candidates)]
        value = table[number][index]
        table[number][index] = "bogus" if kind == "enum" else f"{value.split(',')[0]}-missing"
        line = number + 1
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    texts[name] = buffer.getvalue()
    return line


class TestMutations:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        mutation=st.sampled_from(_mutations()),
        pick=st.integers(min_value=0, max_value=50),
        as_zip=st.booleans(),
    )
    def test_a_broken_file_gives_a_typed_error_and_an_empty_store(
        self,
        sample_texts: dict[str, str],
        mutation: tuple[str, str, str],
        pick: int,
        as_zip: bool,
    ) -> None:
        """A dropped column, bad value or dangling sourcedId is named; nothing stored (R9.1)."""
        kind, name, column = mutation
        texts = dict(sample_texts)
        line = _mutate(texts, kind, name, column, pick)
        if line == 0:
            return
        with tempfile.TemporaryDirectory() as temp:
            folder = Path(temp) / "set"
            folder.mkdir()
            for file, text in texts.items():
                (folder / file).write_text(text, encoding="utf-8")
            source = folder
            if as_zip:
                source = Path(temp) / "set.zip"
                with zipfile.ZipFile(source, "w") as archive:
                    for file, text in texts.items():
                        archive.writestr(file, text)
            assert (name, line, column) in _where(check_oneroster(source))
            store = MemoryStore()
            with pytest.raises(OneRosterError) as caught:
                import_oneroster(source, store)
            assert (name, line, column) in _where(caught.value.problems)
            assert _counts(store) == 0


class TestCommands:
    def test_export_and_import_commands(self, tmp_path: Path) -> None:
        """eschool export/import --format oneroster move rosters between SQLite stores (R9.1)."""
        first = str(tmp_path / "a.sqlite")
        store = SqlStore(first, create=True)
        load(store, sample_school())
        store.close()
        runner = CliRunner()
        result = runner.invoke(
            app, ["export", "--format", "oneroster", first, str(tmp_path / "or.zip")]
        )
        assert result.exit_code == 0, result.output
        assert check_oneroster(tmp_path / "or.zip") == ()
        second = str(tmp_path / "b.sqlite")
        result = runner.invoke(
            app, ["import", "--format", "oneroster", str(tmp_path / "or.zip"), second]
        )
        assert result.exit_code == 0, result.output
        assert "attestation_marks: 2" in result.output
        assert _rosters(SqlStore(second, create=True)) == _rosters(_sample_store())

    def test_import_command_lists_problems(self, sample_set: Path, tmp_path: Path) -> None:
        """eschool import --format oneroster prints every problem and exits with 1 (R9.1)."""
        _edit(sample_set, "users.csv", lambda t: t[1].__setitem__(t[0].index("enabledUser"), "1"))
        result = CliRunner().invoke(
            app, ["import", "--format", "oneroster", str(sample_set), str(tmp_path / "s.db")]
        )
        assert result.exit_code == 1
        assert "users.csv:2 [enabledUser]" in result.output


class TestMoments:
    @settings(max_examples=15, deadline=None)
    @given(
        minutes=st.integers(min_value=0, max_value=24 * 60 - 1),
        zone=st.sampled_from(["Europe/Moscow", "Asia/Vladivostok", "Europe/Kaliningrad"]),
    )
    def test_the_day_of_a_result_survives_any_hour_and_zone(self, minutes: int, zone: str) -> None:
        """A mark entered at any minute in any zone exports the same after a round trip (R9.1)."""
        import datetime as dt
        import zoneinfo

        store = _sample_store()
        with store.unit_of_work() as uow:
            school = uow.schools.get("sch")
            uow.schools.update(type(school)(**{**_fields(school), "time_zone": zone}))
            mark = uow.attestation_marks.get("am1")
            moment = dt.datetime(2025, 10, 20, tzinfo=zoneinfo.ZoneInfo(zone)) + dt.timedelta(
                minutes=minutes
            )
            uow.attestation_marks.update(type(mark)(**{**_fields(mark), "entered_at": moment}))
            uow.commit()
        with tempfile.TemporaryDirectory() as temp:
            first, second = Path(temp) / "a", Path(temp) / "b"
            export_oneroster(store, first, year=YEAR)
            fresh = MemoryStore()
            import_oneroster(first, fresh)
            export_oneroster(fresh, second, year=YEAR)
            assert _texts(second) == _texts(first)
            day = {row["sourcedId"]: row["scoreDate"] for row in _rows(first, "results.csv")}
            assert day["am1"] == moment.date().isoformat()


def _strip_metadata(folder: Path) -> None:
    """Drop every extension column and the guardians' agents, as another system might write."""
    for path in folder.glob("*.csv"):
        table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        keep = [i for i, column in enumerate(table[0]) if not column.startswith("metadata.")]
        table = [[row[i] for i in keep] for row in table]
        if path.name == "users.csv":
            header = table[0]
            for row in table[1:]:
                if row[header.index("sourcedId")].startswith("g"):
                    row[header.index("agentSourcedIds")] = ""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(table)
        path.write_text(buffer.getvalue(), encoding="utf-8")


class TestForeignSets:
    def test_a_set_without_extension_columns_is_read(self, sample_set: Path) -> None:
        """Without the eschool columns, rosters and results still come in (R9.1, R2.2c)."""
        _strip_metadata(sample_set)
        assert check_oneroster(sample_set) == ()
        store = MemoryStore()
        import_oneroster(sample_set, store)
        before, after = _rosters(_sample_store()), _rosters(store)
        for key in ("students", "guardians", "classes", "memberships", "results", "subjects"):
            assert after[key] == before[key], key
        assert [link[:2] for link in after["links"]] == [link[:2] for link in before["links"]]
        assert [person[:2] for person in after["staff"]] == [
            person[:2] for person in before["staff"]
        ]
        assert {a.id for a in after["assignments"]} == {a.id for a in before["assignments"]}

    def test_untitled_grading_periods_are_taken_in_date_order(self, sample_set: Path) -> None:
        """Four unnamed grading periods of a year are its quarters, in date order (R9.1)."""
        _strip_metadata(sample_set)

        def rename(table: list[list[str]]) -> None:
            header = table[0]
            for row in table[1:]:
                if row[header.index("title")].endswith("четверть"):
                    row[header.index("title")] = f"Term {row[header.index('endDate')]}"

        _edit(sample_set, "academicSessions.csv", rename)
        store = MemoryStore()
        import_oneroster(sample_set, store)
        assert _rosters(store)["results"] == _rosters(_sample_store())["results"]
