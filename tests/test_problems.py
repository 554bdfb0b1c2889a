"""Every kind of finding and problem shares one shape: the same fields, the same JSON keys."""

from __future__ import annotations

import enum
import importlib
import json
import pkgutil
from collections import defaultdict
from datetime import date

import pytest

import eschool_core
from eschool_core.calendar import NORM_SOURCE, CalendarWarning, WarningCode
from eschool_core.curriculum import FindingCode, PlanFinding
from eschool_core.deadlines import EntityKind, Finding, FindingStatus, ResponsibleRole
from eschool_core.errors import ValidationError
from eschool_core.grading import MarkDeviation
from eschool_core.journal import AttestationKind, MarkValue
from eschool_core.movement import YearCloseProblem, YearCloseProblemKind
from eschool_core.problems import PROBLEM_KEYS, Problem, Severity
from eschool_core.records import (
    Disposition,
    DispositionFinding,
    ManifestProblemKind,
    build_manifest,
    verify_manifest,
)
from eschool_core.storage.bundle import BundleProblem
from eschool_core.texts import Text

_MESSAGE = Text("Сообщение", "Message")


def _examples() -> list[Problem]:
    manifest = build_manifest({"marks.csv": b"a;b"})
    (altered,) = verify_manifest(manifest, {"marks.csv": b"a;c"})
    return [
        Finding(
            rule_id="journal.marks",
            clause="8.6",
            requirement="R8.6",
            severity=Severity.ERROR,
            status=FindingStatus.LATE,
            entity_kind=EntityKind.MARK,
            entity_id="m1",
            person_id="t1",
            role=ResponsibleRole.SUBJECT_TEACHER,
            class_id="5a",
            due=date(2025, 9, 1),
            done=date(2025, 9, 3),
            late_days=2,
            late_working_days=2,
            message=_MESSAGE,
        ),
        PlanFinding(
            code=FindingCode.SUBJECT_WITHOUT_TEACHER,
            clause="5.3",
            requirement="R5.3b",
            message=_MESSAGE,
            entity_kind="subject",
            entity_id="math",
        ),
        CalendarWarning(
            code=WarningCode.SHORT_YEAR, parallel=5, norm=NORM_SOURCE, message=_MESSAGE
        ),
        YearCloseProblem(
            kind=YearCloseProblemKind.NO_DECISION,
            year="2025/2026",
            clause="4.7",
            requirement="R4.7",
            message=_MESSAGE,
            student_id="s1",
            class_id="5a",
        ),
        altered,
        DispositionFinding(
            case_id="journal:5a",
            kind="class_journal",
            disposition=Disposition.TRANSFER,
            due_from=date(2031, 1, 1),
            clause="9.2",
            requirement="R9.2",
            message=_MESSAGE,
        ),
        BundleProblem(file="marks.csv", line=3, column="value", message=_MESSAGE),
        MarkDeviation(
            student_id="s1",
            subject_id="math",
            kind=AttestationKind.PERIOD,
            period="1",
            proposed=MarkValue.of(4),
            set=MarkValue.of(3),
            difference=-1,
        ),
    ]


@pytest.mark.parametrize("problem", _examples(), ids=lambda problem: type(problem).__name__)
class TestOneShape:
    def test_is_a_problem(self, problem: Problem) -> None:
        """Each kind has the shared fields: code, clause, requirement, severity, message."""
        assert isinstance(problem, Problem)
        assert isinstance(problem.message, Text)
        assert isinstance(problem.severity, Severity)
        assert problem.code

    def test_json_has_the_shared_keys(self, problem: Problem) -> None:
        """Its JSON form has exactly the shared keys, the message as ``{"ru", "en"}``."""
        data = json.loads(json.dumps(problem.to_dict(), ensure_ascii=False))
        assert tuple(data) == PROBLEM_KEYS
        assert data["code"] == problem.code
        assert (data["clause"], data["requirement"]) == (problem.clause, problem.requirement)
        assert data["severity"] == problem.severity.value
        assert Text.from_dict(data["message"]) == problem.message
        assert set(data["entity"]) == {"kind", "id"}
        assert data["entity"]["id"]
        assert isinstance(data["details"], dict)


def test_an_errors_message_has_the_findings_shape() -> None:
    """An error's JSON carries its message as a finding does: ``{"ru", "en"}``."""
    error = ValidationError("Плохо", "Bad", code="demo.bad")
    assert Text.from_dict(error.to_dict()["message"]) == Text("Плохо", "Bad")


class TestKinds:
    def test_status_only_where_a_duty_has_one(self) -> None:
        """A deadline finding carries its status; the other kinds write ``null``."""
        statuses = {type(p).__name__: p.to_dict()["status"] for p in _examples()}
        assert statuses.pop("Finding") == "late"
        assert set(statuses.values()) == {None}

    def test_manifest_problem_codes_name_the_kind(self) -> None:
        """R9.4: an altered file's problem is ``manifest.altered`` under clause 9.4."""
        problem = next(p for p in _examples() if p.code.startswith("manifest."))
        data = problem.to_dict()
        assert (data["code"], data["clause"]) == ("manifest.altered", "9.4")
        assert data["entity"] == {"kind": "file", "id": "marks.csv"}
        assert ManifestProblemKind.ALTERED.value in data["code"]

    def test_bundle_problem_keeps_its_place(self) -> None:
        """A bundle problem's line and column are its details; ``str`` names the place."""
        problem = BundleProblem(file="marks.csv", line=3, column="value", message=_MESSAGE)
        assert problem.to_dict()["details"] == {"line": 3, "column": "value"}
        assert str(problem) == "marks.csv:3 [value]: Message"


def _public_enums() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for info in pkgutil.walk_packages(eschool_core.__path__, "eschool_core."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        try:
            module = importlib.import_module(info.name)
        except ModuleNotFoundError:  # an optional extra's module
            continue
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, enum.Enum):
                found[name].add(f"{value.__module__}.{value.__qualname__}")
    return found


def test_no_two_public_enums_share_a_name() -> None:
    """Each public enumeration's name is its own (once two were named ``ProblemKind``)."""
    shared = {name: where for name, where in _public_enums().items() if len(where) > 1}
    assert shared == {}
