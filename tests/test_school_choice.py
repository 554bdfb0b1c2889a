"""One way to choose a store's school, the same for every reader of a store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.deadlines import ComplianceData
from eschool_core.errors import EschoolError, NotFoundError, ValidationError
from eschool_core.interop import export_oneroster
from eschool_core.profiles import default_profile
from eschool_core.service import SchoolService
from eschool_core.storage import MemoryStore, Store
from eschool_core.testing import load
from eschool_core.year_data import SHOWN_SCHOOLS, SchoolYearData, choose_school_id
from tests.service_helpers import YEAR

_PROFILE = default_profile()


def _store(*school_ids: str) -> MemoryStore:
    store = MemoryStore()
    schools = [_PROFILE.new_school(id=sid, name=f"Школа {sid}") for sid in school_ids]
    load(store, [("schools", schools)])
    return store


def _readers(tmp_path: Path) -> dict[str, Callable[[Store, str | None], object]]:
    """Every reader of a store, each reading the school it is given (or choosing one)."""
    return {
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

    @pytest.mark.parametrize("reader", ["year_data", "compliance", "service", "oneroster"])
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

    def test_the_chosen_school_is_read(self) -> None:
        """The named school of several is the one the year's data holds."""
        data = SchoolYearData.from_store(_store("b", "a"), YEAR, school_id="b")
        assert data.school is not None
        assert data.school.id == "b"

    @pytest.mark.parametrize("reader", ["service", "oneroster"])
    def test_a_store_without_a_school(self, reader: str, tmp_path: Path) -> None:
        """The readers that act for a school refuse a store holding none (store.no_school)."""
        with pytest.raises(EschoolError) as caught:
            _readers(tmp_path)[reader](MemoryStore(), None)
        assert caught.value.code == "store.no_school"
        assert SchoolYearData.from_store(MemoryStore(), YEAR).school is None
