"""The pseudonymised analytics export (R6.1, 152-FZ): keyed pseudonyms, birth years only."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from eschool_core.analytics import write_parquet
from eschool_core.errors import ValidationError
from eschool_core.k_anonymity import K_ANONYMITY
from eschool_core.privacy import Pseudonymiser
from eschool_core.synth import generate

KEY = "ключ-для-аналитики-района"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small school written pseudonymised (shared: it takes seconds)."""
    target = tmp_path_factory.mktemp("parquet")
    write_parquet(target, "small", seed=3, pseudonym_key=KEY)
    return target


def _column(folder: Path, table: str, column: str) -> list[object]:
    return list(pq.read_table(folder / f"{table}.parquet", columns=[column]).column(0).to_pylist())


class TestPseudonymisedParquet:
    def test_people_ids_are_the_bundles_pseudonyms_everywhere(self, folder: Path) -> None:
        """R6.1: student and teacher ids are keyed pseudonyms, consistent across tables."""
        students = set(_column(folder, "students", "id"))
        assert all(str(s).startswith("S-") for s in students)
        assert Pseudonymiser(KEY).pseudonym("S", "st-00001") in students
        for table in ("memberships", "marks", "attendance", "attestation_marks"):
            assert set(_column(folder, table, "student_id")) <= students, table
        for table, column in (
            ("lessons", "teacher_id"),
            ("marks", "author_id"),
            ("classes", "class_teacher_id"),
        ):
            assert all(str(v).startswith("E-") for v in _column(folder, table, column) if v)
        memberships = _column(folder, "memberships", "id")
        assert all(str(i).split("@")[0] in students for i in memberships)

    def test_birth_dates_are_coarsened_to_the_year(self, folder: Path) -> None:
        """R6.1 (152-FZ): a birth date is kept as 1 January of its year."""
        days = [d for d in _column(folder, "students", "birth_date") if d is not None]
        assert days
        assert all((d.month, d.day) == (1, 1) for d in days)  # type: ignore[attr-defined]

    def test_students_are_k_anonymous_within_their_parallel(self, folder: Path) -> None:
        """R6.1: each (school, parallel, sex, birth year) of the students occurs 5 times or more."""
        classes = pq.read_table(folder / "classes.parquet").to_pylist()
        of_class = {c["id"]: (c["year"], c["school_id"], c["parallel"]) for c in classes}
        latest: dict[str, tuple[object, ...]] = {}
        for row in pq.read_table(folder / "memberships.parquet").to_pylist():
            found = of_class[row["class_id"]]
            latest[row["student_id"]] = max(found, latest.get(row["student_id"], found))
        students = pq.read_table(folder / "students.parquet").to_pylist()
        sizes = Counter(
            (latest.get(s["id"], (None, s["school_id"], None))[1:], s["sex"], s["birth_date"])
            for s in students
        )
        assert min(sizes.values()) >= K_ANONYMITY, sizes.most_common()[-3:]
        assert any(s["sex"] is not None for s in students) or any(
            s["birth_date"] is not None for s in students
        )

    def test_k_anonymity_can_fail_without_it(self) -> None:
        """R6.1: the same school's students, uncoarsened, hold combinations rarer than k."""
        school = generate("small", seed=3)
        sizes = Counter(
            (m.class_id, s.person.sex, s.person.birth_date.year if s.person.birth_date else None)
            for s in school.students
            for m in school.year_data.memberships
            if m.student_id == s.id
        )
        assert min(sizes.values()) < K_ANONYMITY

    def test_short_key_is_refused_before_writing(self, tmp_path: Path) -> None:
        """R6.1: a key under 16 characters is a typed error and nothing is written."""
        with pytest.raises(ValidationError):
            write_parquet(tmp_path / "x", "small", seed=3, pseudonym_key="short")
        assert not (tmp_path / "x").exists()


class TestCli:
    def test_synth_anonymise(self, tmp_path: Path) -> None:
        """R6.1: eschool synth --anonymise KEY writes pseudonymised files."""
        from click.testing import CliRunner

        from eschool_core.cli._app import app

        result = CliRunner().invoke(
            app, ["synth", str(tmp_path), "--size", "small", "--seed", "3", "--anonymise", KEY]
        )
        assert result.exit_code == 0, result.output
        assert all(str(s).startswith("S-") for s in _column(tmp_path, "students", "id"))
