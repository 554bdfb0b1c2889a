"""What an analyst gets in one line: a class's marks, numeric marks, names beside ids (R2.2k).

Issue 26 item 8: from a store, a class's marks as a DataFrame in one call; marks as
numbers; the class, student and teacher names beside the ids of every analysis; the
school's short name on every row.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from eschool_core import synth
from eschool_core.analytics import Dataset, analyze, class_marks
from eschool_core.errors import NotFoundError
from eschool_core.journal import MarkKind
from eschool_core.reports import ReportData, ReportParams, run_report
from eschool_core.storage import MemoryStore
from tests.rules_helpers import synthetic_rules

_MOMENT = dt.datetime(2025, 12, 29, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def school() -> synth.SyntheticSchool:
    return synth.generate("small", seed=1)


@pytest.fixture(scope="module")
def store(school: synth.SyntheticSchool) -> MemoryStore:
    memory = MemoryStore()
    synth.write_to_store(school, memory)
    return memory


class TestClassMarks:
    def test_one_call_gives_every_mark_of_the_class(
        self, school: synth.SyntheticSchool, store: MemoryStore
    ) -> None:
        """R2.2k: `class_marks(store, "5А")` holds each mark of 5А's students, named and scored."""
        frame = class_marks(store, "5А")
        fifth = next(c for c in school.classes if c.name == "5А")
        members = {m.student_id for m in school.memberships if m.class_id == fifth.id}
        expected = {m.id for m in school.marks if m.student_id in members}
        assert set(frame["mark_id"]) == expected
        assert len(frame) == len(expected)
        names = {str(s.id): s.person.full_name for s in school.students}
        assert all(frame["student_name"] == frame["student_id"].map(names))
        assert frame[["subject_name", "teacher_name"]].notna().all().all()
        assert set(frame["class_name"]) == {"5А"}
        assert set(frame["school_name"]) == {school.school.short_name}

    def test_scores_are_numbers(self, store: MemoryStore) -> None:
        """R2.2j: `score` is an integer column equal to the written mark where it is a score."""
        frame = class_marks(store, "5А")
        assert str(frame["score"].dtype) == "Int64"
        scored = frame[frame["score"].notna()]
        assert (scored["score"].astype(int).astype(str) == scored["mark"]).all()
        assert (
            frame.loc[frame["score"].isna(), "mark"]
            .isin([kind.value for kind in MarkKind] + ["н/а", "осв", "зач", "незач"])
            .all()
        )

    def test_a_latin_letter_and_an_unknown_class(self, store: MemoryStore) -> None:
        """The class may be written with a Latin letter; an unknown one is a typed error."""
        assert class_marks(store, "5A").equals(class_marks(store, "5А"))
        with pytest.raises(NotFoundError) as caught:
            class_marks(store, "12Я")
        assert caught.value.code == "analytics.class_not_found"


class TestNumericMarks:
    def test_performance_sheet_marks_are_numbers(self, school: synth.SyntheticSchool) -> None:
        """R11.4: the performance sheet's mark columns reach pandas as numbers, «н/а» empty."""
        data = ReportData.from_synthetic(school, synthetic_rules(school))
        report = run_report(
            "performance_sheet",
            data,
            ReportParams(class_id="5А", period="Q2"),
            generated_at=_MOMENT,
        )
        frame = report.to_pandas()
        marks = [c.code for c in report.columns if c.type.value == "mark"]
        assert marks
        for code in marks:
            assert pd.api.types.is_numeric_dtype(frame[code]), code
            assert frame[code].dropna().between(1, 5).all()


class TestNamesBesideIds:
    def test_period_marks_have_the_class_and_names(self, school: synth.SyntheticSchool) -> None:
        """R2.2j: period marks carry the class at the period's end and the student's name."""
        result = analyze(Dataset.from_school(school), "period-marks", synthetic_rules(school))
        frame = result.to_pandas()
        assert {"class_id", "class_name", "student_name", "school_name"} <= set(frame.columns)
        class_of = {m.student_id: m.class_id for m in school.memberships if m.until is None}
        fifth = frame[frame["class_name"] == "5А"]
        assert not fifth.empty
        assert set(fifth["school_name"]) == {school.school.short_name}
        q2 = frame[frame["period"] == "Q2"]
        staying = q2[q2["student_id"].isin(list(class_of))]
        assert (staying["class_id"] == staying["student_id"].map(class_of)).mean() > 0.95

    def test_teacher_names_from_a_store(
        self, store: MemoryStore, school: synth.SyntheticSchool
    ) -> None:
        """R8.6: an analysis read from a store names the teachers beside their ids."""
        with store.unit_of_work() as uow:
            (year,) = uow.academic_years.all()
        data = Dataset.from_entities(store, year)
        frame = analyze(data, "timeliness", synthetic_rules(school)).to_pandas()
        staff = {str(e.id): e.person.full_name for e in school.employees}
        assert (frame["teacher_name"] == frame["teacher_id"].map(staff)).all()
        assert set(frame["school_name"]) == {school.school.short_name}
