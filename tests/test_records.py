"""Records management: the records schedule (R9.2) and sealed, verifiable exports (R9.4)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.errors import ProfileError, ValidationError
from eschool_core.profiles import default_profile, default_profile_text, parse_profile
from eschool_core.records import (
    MANIFEST_NAME,
    Disposition,
    Manifest,
    ManifestProblemKind,
    RecordCase,
    RecordsSchedule,
    RetentionRule,
    build_manifest,
    due_dispositions,
    seal,
    verify_manifest,
    verify_sealed,
)
from eschool_core.reports import export_report
from eschool_core.reports._examples import example_report

SCHEDULE = default_profile().records


def _case(kind: str, closed_on: date | None, **fields: object) -> RecordCase:
    return RecordCase(id=f"{kind}:1", kind=kind, closed_on=closed_on, **fields)


def _due(case: RecordCase, as_of: date) -> list[tuple[str, date]]:
    return [(f.disposition.value, f.due_from) for f in due_dispositions([case], SCHEDULE, as_of)]


class TestRecordsSchedule:
    def test_default_schedule_lists_the_journals_records(self) -> None:
        """R9.2: the default schedule has the journal, summary sheets, files, book, orders, log."""
        periods = {rule.code: rule.years for rule in SCHEDULE.rules}
        assert periods == {
            "class_journal": 5,
            "summary_marks": 25,
            "student_file": 3,
            "movement_book": None,
            "student_orders": 75,
            "audit_log": 5,
            "pd_consent": 3,
        }
        assert "№ 236" in SCHEDULE.basis
        for rule in SCHEDULE.rules:
            assert (rule.clause, rule.requirement) == ("9.2", "R9.2")
            assert rule.basis
        assert SCHEDULE.rule("movement_book").permanent

    def test_journal_kept_five_years_from_the_next_january(self) -> None:
        """R9.2: a journal closed in June 2026 is kept to the end of 2031, then due to destroy."""
        journal = _case("class_journal", date(2026, 6, 30))
        assert _due(journal, date(2031, 12, 31)) == []
        assert _due(journal, date(2032, 1, 1)) == [("destroy", date(2032, 1, 1))]

    def test_student_file_three_years_after_leaving(self) -> None:
        """R9.2: a personal file closed when the student left in March 2026 is due in 2030."""
        student_file = _case("student_file", date(2026, 3, 15))
        assert _due(student_file, date(2029, 12, 31)) == []
        assert _due(student_file, date(2030, 1, 1)) == [("destroy", date(2030, 1, 1))]

    def test_movement_book_is_archived_never_destroyed(self) -> None:
        """R9.2: the permanent movement book is due for the archive, then nothing more."""
        book = _case("movement_book", date(2026, 8, 31))
        assert _due(book, date(2027, 12, 31)) == []
        assert _due(book, date(2028, 1, 1)) == [("transfer", date(2028, 1, 1))]
        archived = _case("movement_book", date(2026, 8, 31), archived_on=date(2028, 2, 1))
        assert _due(archived, date(2300, 1, 1)) == []

    def test_orders_are_archived_then_destroyed_after_75_years(self) -> None:
        """R9.2: orders on students go to the archive, and are destroyed after 75 years."""
        orders = _case("student_orders", date(2025, 12, 31), archived_on=date(2027, 3, 1))
        assert _due(orders, date(2100, 12, 31)) == []
        assert _due(orders, date(2101, 1, 1)) == [("destroy", date(2101, 1, 1))]

    def test_open_cases_are_never_due_and_findings_cite_the_clause(self) -> None:
        """R9.2: an open case is not due; a due one names its kind, basis and clause 9.2."""
        assert _due(_case("class_journal", None), date(2100, 1, 1)) == []
        (finding,) = due_dispositions(
            [_case("pd_consent", date(2025, 5, 1))], SCHEDULE, date(2029, 1, 1)
        )
        assert (finding.clause, finding.requirement) == ("9.2", "R9.2")
        assert finding.disposition is Disposition.DESTROY
        assert "№ 236" in finding.message.ru
        assert "clause 9.2" in finding.message.en

    def test_unscheduled_kind_is_an_error(self) -> None:
        """R9.2: a case of a kind the records schedule lacks is a typed error."""
        with pytest.raises(ValidationError) as caught:
            due_dispositions([_case("diary", date(2020, 1, 1))], SCHEDULE, date(2030, 1, 1))
        assert caught.value.code == "records.unscheduled"

    def test_rule_and_schedule_invariants(self) -> None:
        """R9.2: a permanent kind needs an archive transfer; kinds are unique."""
        fields = {"title_ru": "Т", "title_en": "T", "basis": "b", "clause": "9.2"}
        with pytest.raises(ValidationError) as caught:
            RetentionRule(code="x", years=None, requirement="R9.2", **fields)
        assert caught.value.code == "records.permanent_without_archive"
        rule = RetentionRule(code="x", years=1, requirement="R9.2", **fields)
        with pytest.raises(ValidationError):
            RecordsSchedule(rules=[rule, rule], basis="b")

    @given(
        closed=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
        later=st.integers(min_value=0, max_value=40 * 366),
        code=st.sampled_from([rule.code for rule in SCHEDULE.rules]),
        archived=st.booleans(),
    )
    def test_disposition_follows_the_counting_rule(
        self, closed: date, later: int, code: str, archived: bool
    ) -> None:
        """R9.2: destroy iff past the retention years; else transfer iff due and unarchived."""
        rule = SCHEDULE.rule(code)
        as_of = closed + timedelta(days=later)
        case = _case(code, closed, archived_on=as_of if archived else None)
        found = _due(case, as_of)
        counted = as_of.year - closed.year - 1  # whole years since 1 January after closing
        if rule.years is not None and counted >= rule.years:
            assert found == [("destroy", date(closed.year + rule.years + 1, 1, 1))]
        elif (
            rule.archive_after_years is not None
            and not archived
            and counted >= (rule.archive_after_years)
        ):
            assert found == [("transfer", date(closed.year + rule.archive_after_years + 1, 1, 1))]
        else:
            assert found == []


class TestRecordsProfile:
    @pytest.mark.parametrize(
        ("old", "new", "path"),
        [
            ('code = "class_journal"\n', 'code = "class_journal"\nshelf = 3\n', "shelf"),
            (
                'code = "class_journal"\n',
                'code = "class_journal"\npermanent = true\n',
                "records.kinds[0]",
            ),
            ('code = "student_file"', 'code = "class_journal"', "records.kinds[2].code"),
            ("years = 25\n", "years = 0\n", "records.kinds[1].years"),
            ("permanent = true\narchive_after_years = 1\n", "permanent = true\n", "kinds[3]"),
        ],
    )
    def test_bad_entries_name_the_key(self, old: str, new: str, path: str) -> None:
        """R9.2: a malformed records schedule is a ProfileError naming the key."""
        text = default_profile_text().replace(old, new, 1)
        assert text != default_profile_text()
        with pytest.raises(ProfileError) as caught:
            parse_profile(text)
        assert path in caught.value.message("en")


_FILES = st.dictionaries(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzабвгд._-", min_size=1, max_size=12).filter(
        lambda name: name != MANIFEST_NAME
    ),
    st.binary(max_size=64),
    max_size=6,
)


class TestManifest:
    def test_sealed_report_exports_verify(self) -> None:
        """R9.4: report exports sealed with a manifest verify, and the manifest round-trips."""
        report = example_report()
        files = {f"quality.{fmt}": export_report(report, fmt) for fmt in ("csv", "json", "md")}
        sealed = seal(files)
        assert verify_sealed(sealed) == ()
        manifest = Manifest.from_json(sealed[MANIFEST_NAME])
        assert manifest == build_manifest(files)
        assert json.loads(sealed[MANIFEST_NAME])["algorithm"] == "sha256"
        assert len(manifest.digest) == 64

    def test_missing_unlisted_and_altered_files_are_named(self) -> None:
        """R9.4: verification names a removed, an added and an altered file."""
        sealed = seal({"a.csv": b"1;2", "b.csv": b"3;4"})
        del sealed["a.csv"]
        sealed["b.csv"] = b"3;5"
        sealed["c.csv"] = b""
        problems = verify_sealed(sealed)
        assert [(p.name, p.kind) for p in problems] == [
            ("a.csv", ManifestProblemKind.MISSING),
            ("b.csv", ManifestProblemKind.ALTERED),
            ("c.csv", ManifestProblemKind.UNLISTED),
        ]
        assert "п. 9.4" in problems[0].message.ru

    def test_absent_or_damaged_manifest_is_an_error(self) -> None:
        """R9.4: an export without a readable manifest cannot be verified."""
        with pytest.raises(ValidationError) as caught:
            verify_sealed({"a.csv": b"1"})
        assert caught.value.code == "manifest.absent"
        for damaged in (b"{", b'{"version": 2, "algorithm": "sha256", "files": []}', b"[]"):
            with pytest.raises(ValidationError) as caught:
                verify_sealed({"a.csv": b"1", MANIFEST_NAME: damaged})
            assert caught.value.code == "manifest.unreadable"
        bad_digest = (
            b'{"version":1,"algorithm":"sha256","files":[{"name":"a","size":1,"sha256":"x"}]}'
        )
        with pytest.raises(ValidationError):
            Manifest.from_json(bad_digest)
        with pytest.raises(ValidationError):
            seal({MANIFEST_NAME: b"x"})

    @given(files=_FILES)
    def test_round_trip_and_any_change_detected(self, files: dict[str, bytes]) -> None:
        """R9.4: a manifest survives JSON; flipping any byte of any file is detected."""
        manifest = build_manifest(files)
        assert Manifest.from_json(manifest.to_json()) == manifest
        assert verify_manifest(manifest, files) == ()
        for name, data in files.items():
            changed = dict(files)
            changed[name] = bytes([data[0] ^ 1]) + data[1:] if data else b"x"
            assert [p.kind for p in verify_manifest(manifest, changed)] == [
                ManifestProblemKind.ALTERED
            ]
