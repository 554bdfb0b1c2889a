"""Validation on write: the service refuses what the regulation or the profile forbids.

Each refusal is a typed error naming its clause, and storage and the audit log stay as
they were, on the memory, SQLite and PostgreSQL stores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eschool_core.errors import ValidationError
from eschool_core.profiles import default_profile
from eschool_core.reports import ReportParams
from eschool_core.service import MarkEntry
from eschool_core.storage import Store
from tests.service_helpers import LESSON_DAY, STUDENTS, TEACHER, at, make_store, service, state

KINDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
_ONE_BY_ONE = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_WORK_TYPES = frozenset(default_profile().grading.work_types)


@pytest.fixture(params=KINDS)
def new_store(request: pytest.FixtureRequest) -> Iterator[Callable[[], Store]]:
    """Make new stores of the test's kind holding the school; closed at the end."""
    kind = str(request.param)
    made: list[Store] = []
    schemas = request.getfixturevalue("postgres_schema") if kind == "postgres" else None

    def new() -> Store:
        made.append(make_store(kind, schemas))
        return made[-1]

    yield new
    for store in made:
        store.close()


@pytest.fixture
def store(new_store: Callable[[], Store]) -> Store:
    """One store of the test's kind holding the school."""
    return new_store()


def _mark(student: str, work_type: str, value: int | str = 5) -> MarkEntry:
    return MarkEntry(mark_id=f"m-{student}", student_id=student, value=value, work_type=work_type)


class TestWorkTypesAndScale:
    """R8.2, R8.4.1, R2.2j: a current mark's work type is the profile's, its value on the scale."""

    def test_unknown_work_type_is_refused_and_the_class_report_still_runs(
        self, store: Store
    ) -> None:
        """The reported case: a mark «ответ» made ``student_average`` fail for the class."""
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.enter_marks(
                TEACHER, at(LESSON_DAY), "l0", [_mark("s1", "answer"), _mark("s2", "ответ")]
            )
        assert caught.value.code == "grading.unknown_work_type"
        assert caught.value.clause == "2.2"
        assert caught.value.details["work_type"] == "ответ"
        assert state(store) == before
        svc.enter_mark(TEACHER, at(LESSON_DAY), "l0", _mark("s1", "answer"))
        report = svc.produce_report(
            TEACHER, at(LESSON_DAY), "student_average", ReportParams(class_id="5a", period="Q1")
        )
        assert report.code == "student_average"
        assert len(report.rows) == len(STUDENTS)

    def test_own_weight_outside_the_profiles_range_is_refused(self, store: Store) -> None:
        """R2.2j: a mark's own weight lies within the profile's ``min_weight..max_weight``."""
        svc = service(store)
        before = state(store)
        heavy = MarkEntry(mark_id="m", student_id="s1", value=5, work_type="test", weight=9)
        with pytest.raises(ValidationError) as caught:
            svc.enter_mark(TEACHER, at(LESSON_DAY), "l0", heavy)
        assert caught.value.code == "grading.weight_out_of_range"
        assert state(store) == before

    @pytest.mark.parametrize("value", [0, 6, 7, -1, "6"])
    def test_value_off_the_scale_is_refused(self, store: Store, value: int | str) -> None:
        """R8.2: a score is 1-5 (or a special mark); anything else is refused, nothing written."""
        svc = service(store)
        before = state(store)
        with pytest.raises(ValidationError) as caught:
            svc.enter_mark(TEACHER, at(LESSON_DAY), "l0", _mark("s1", "answer", value))
        assert caught.value.code.startswith("mark.")
        assert state(store) == before

    @given(
        work_type=st.text(min_size=0, max_size=12).filter(lambda code: code not in _WORK_TYPES),
        position=st.integers(min_value=0, max_value=2),
    )
    @_ONE_BY_ONE
    def test_any_unknown_work_type_leaves_store_and_log_unchanged(
        self, new_store: Callable[[], Store], work_type: str, position: int
    ) -> None:
        """R8.2: one unknown work type among good ones refuses the whole lesson's entry."""
        store = new_store()
        svc = service(store)
        before = state(store)
        entries = [_mark(s, "answer") for s in ("s1", "s2", "s3")]
        entries[position] = _mark(entries[position].student_id, work_type)
        with pytest.raises(ValidationError) as caught:
            svc.enter_marks(TEACHER, at(LESSON_DAY), "l0", entries)
        assert caught.value.code == "grading.unknown_work_type"
        assert caught.value.clause is not None
        assert state(store) == before
