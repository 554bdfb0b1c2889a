"""One way to choose a store's school, the same for every reader of a store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.cli._app import app
from eschool_core.cli._record import record_run
from eschool_core.deadlines import ComplianceData
from eschool_core.errors import EschoolError, NotFoundError, ValidationError
from eschool_core.interop import export_oneroster
from eschool_core.people import Employee, Person
from eschool_core.profiles import default_profile
from eschool_core.reports import ReportParams
from eschool_core.school import SchoolClass
from eschool_core.service import SchoolService
from eschool_core.storage import MemoryStore, Store, open_store
from eschool_core.testing import load
from eschool_core.year_data import SHOWN_SCHOOLS, SchoolYearData, choose_school_id
from tests.service_helpers import YEAR

_PROFILE = default_profile()


def _store(*school_ids: str) -> MemoryStore:
    """A store of the schools, keeping the year and its class 5А."""
    store = MemoryStore()
    schools = [_PROFILE.new_school(id=sid, name=f"Школа {sid}") for sid in school_ids]
    five = SchoolClass(id="5a", year=str(YEAR.label), parallel=5, letter="А")
    load(store, [("schools", schools), ("academic_years", [YEAR]), ("classes", [five])])
    return store


def _analytics(store: Store, school_id: str | None) -> object:
    """The analytics' reader of any store (the ``analytics`` extra)."""
    pytest.importorskip("ibis")
    from eschool_core.analytics import Dataset

    return Dataset.from_entities(store, YEAR, school_id=school_id)


def _class_marks(store: Store, school_id: str | None) -> object:
    """The analysts' marks of a class (the ``analytics`` extra)."""
    pytest.importorskip("pyarrow")
    from eschool_core.analytics import class_marks_table

    return class_marks_table(store, "5А", school_id=school_id)


def _record(store: Store, school_id: str | None) -> object:
    """``eschool report --record-as``'s recording: it names no school (the store's only one)."""
    if school_id is not None:
        pytest.skip("the command line names no school")
    return record_run(
        store,
        year=YEAR,
        profile=_PROFILE,
        employee_key="e1",
        role="deputy_head",
        code="class_occupancy",
        params=ReportParams(),
        at=datetime(2025, 10, 29, 12, tzinfo=UTC),
    )


def _readers(tmp_path: Path) -> dict[str, Callable[[Store, str | None], object]]:
    """Every reader of a store, each reading the school it is given (or choosing one)."""
    return {
        "analytics": _analytics,
        "class_marks": _class_marks,
        "record_run": _record,
        "year_data": lambda store, sid: SchoolYearData.from_store(store, YEAR, school_id=sid),
        "compliance": lambda store, sid: ComplianceData.from_store(store, year=YEAR, school_id=sid),
        "service": lambda store, sid: SchoolService(store, year=YEAR, school_id=sid).rules(),
        "oneroster": lambda store, sid: export_oneroster(
            store, tmp_path / "set", year=YEAR, school_id=sid
        ),
    }


class TestChooseSchool:
    @given(
        ids=st.lists(st.sampled_from("abcdefghijklmnop"), unique=True, max_size=14),
        named=st.none() | st.sampled_from("abcdefghijklmnop"),
    )
    @settings(max_examples=60, deadline=None)
    def test_the_rule(self, ids: list[str], named: str | None) -> None:
        """The named school if stored, else the only one; several and none named is an error."""
        if named is not None:
            if named in ids:
                assert choose_school_id([named], named) == named
            else:
                with pytest.raises(NotFoundError) as missing:
                    choose_school_id([], named)
                assert missing.value.code == "school.not_found"
        elif len(ids) > 1:
            with pytest.raises(ValidationError) as several:
                choose_school_id(ids)
            assert several.value.code == "store.school_required"
            assert several.value.details["schools"] == sorted(ids)[:SHOWN_SCHOOLS]
        else:
            assert choose_school_id(ids) == (ids[0] if ids else None)

    @pytest.mark.parametrize(
        "reader",
        ["year_data", "compliance", "service", "oneroster", "analytics", "class_marks"],
    )
    def test_several_schools_and_none_named_is_an_error(self, reader: str, tmp_path: Path) -> None:
        """No reader takes the first of several schools: each asks for the school's id."""
        read = _readers(tmp_path)[reader]
        with pytest.raises(ValidationError) as several:
            read(_store("b", "a"), None)
        assert several.value.code == "store.school_required"
        with pytest.raises(NotFoundError) as missing:
            read(_store("b", "a"), "c")
        assert missing.value.code == "school.not_found"
        read(_store("b", "a"), "b")

    def test_recording_a_run_never_takes_the_first_school(self, tmp_path: Path) -> None:
        """`eschool report --record-as` records for the store's school, chosen as every
        reader chooses it: of several, none is taken (it was the first of them)."""
        store = _store("b", "a")
        clerk = Employee(
            id="e1",
            person=Person(last_name="Орлова", first_name="Анна"),
            position="Заместитель директора",
        )
        load(store, [("employees", [clerk])])
        with pytest.raises(ValidationError) as several:
            _record(store, None)
        assert several.value.code == "store.school_required"
        with store.unit_of_work() as uow:
            assert not uow.report_runs.for_year(str(YEAR.label))

    def test_the_chosen_school_is_read(self) -> None:
        """The named school of several is the one the year's data holds."""
        data = SchoolYearData.from_store(_store("b", "a"), YEAR, school_id="b")
        assert data.school is not None
        assert data.school.id == "b"

    @pytest.mark.parametrize("reader", ["service", "oneroster", "analytics", "record_run"])
    def test_a_store_without_a_school(self, reader: str, tmp_path: Path) -> None:
        """The readers that act for a school refuse a store holding none (store.no_school)."""
        with pytest.raises(EschoolError) as caught:
            _readers(tmp_path)[reader](MemoryStore(), None)
        assert caught.value.code == "store.no_school"
        assert SchoolYearData.from_store(MemoryStore(), YEAR).school is None


class TestCommands:
    @pytest.mark.parametrize(
        "args",
        [
            ["check", "--as-of", "2025-10-29"],
            ["list", "classes"],
            ["list", "students"],
            ["report", "class_occupancy", "--as-of", "2025-10-29"],
            ["analyze", "--what", "quality"],
        ],
        ids=["check", "list-classes", "list-students", "report", "analyze"],
    )
    def test_a_store_of_several_schools_is_refused(self, args: list[str], tmp_path: Path) -> None:
        """Every command of a store reads the school every reader chooses: of several, none
        is taken; the command says to name it and exits 2."""
        if args[0] == "analyze":
            pytest.importorskip("ibis")
        path = tmp_path / "two.sqlite"
        store = open_store(str(path), create=True)
        try:
            with _store("b", "a").unit_of_work() as uow:
                kept = [("schools", uow.schools.all()), ("academic_years", [YEAR])]
                load(store, [*kept, ("classes", uow.classes.all())])
        finally:
            store.close()
        where = [str(path)] if args[0] == "analyze" else ["--store", str(path)]
        command = [args[0], *where, *args[1:]] if args[0] == "analyze" else [*args, *where]
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        assert "Укажите школу: в хранилище их несколько" in result.stderr
