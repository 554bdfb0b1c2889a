"""The edit policy, the [deadlines] profile section, and the synthetic school's planted lateness."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from eschool_core.cli._check import synthetic_report
from eschool_core.deadlines import (
    AppliesTo,
    EditDecision,
    EditPolicy,
    FindingStatus,
    RuleKind,
)
from eschool_core.errors import ProfileError, RuleViolation, ValidationError
from eschool_core.journal import MarkEdit
from eschool_core.profiles import default_profile, default_profile_text, parse_profile
from eschool_core.synth import generate
from tests.deadline_helpers import at, mark

LESSON_DAY = date(2025, 9, 2)
POLICY = default_profile().deadlines.edit_policy_in("Europe/Moscow")
DEPUTY_CORRECTS = attrs.evolve(POLICY, reopen_role_corrects=True)


def _edit(day: date, reason: str | None = None) -> MarkEdit:
    return MarkEdit(at=at(day, 12), by="t1", old_value=5, new_value=4, reason=reason)


class TestEditPolicy:
    def test_within_window_is_free(self) -> None:
        """R8.6: a correction on the 3rd day after the lesson needs no reason."""
        edit = _edit(date(2025, 9, 5))
        decision = POLICY.check_mark_edit(
            mark(at(LESSON_DAY)), edit, edit.at, False, "subject_teacher"
        )
        assert decision == EditDecision(audited=False)

    def test_after_window_without_reason_is_refused(self) -> None:
        """R8.6: on the 4th day a correction without a reason is a rule violation."""
        edit = _edit(date(2025, 9, 6))
        with pytest.raises(RuleViolation) as caught:
            POLICY.check_mark_edit(mark(at(LESSON_DAY)), edit, edit.at, False, "subject_teacher")
        assert (caught.value.code, caught.value.clause) == ("deadlines.edit_without_reason", "8.6")

    def test_after_window_with_reason_is_audited(self) -> None:
        """R8.6: with a reason the late correction is allowed and audited by the deputy head."""
        edit = _edit(date(2025, 9, 6), "ошибка ввода")
        decision = POLICY.check_mark_edit(
            mark(at(LESSON_DAY)), edit, edit.at, False, "subject_teacher"
        )
        assert (decision.audited, decision.rule_id, decision.requirement) == (
            True,
            "edits.window",
            "R8.6",
        )

    @pytest.mark.parametrize(
        ("role", "reason", "code"),
        [
            ("subject_teacher", "ошибка", "deadlines.period_locked"),
            ("deputy_head", None, "deadlines.reopen_without_reason"),
        ],
    )
    def test_closed_period_where_the_deputy_head_corrects(
        self, role: str, reason: str | None, code: str
    ) -> None:
        """R8.9: with reopen_role_corrects only the deputy head corrects, with a reason."""
        edit = _edit(date(2025, 9, 3), reason)
        with pytest.raises(RuleViolation) as caught:
            DEPUTY_CORRECTS.check_mark_edit(mark(at(LESSON_DAY)), edit, edit.at, True, role)
        assert (caught.value.code, caught.value.clause) == (code, "8.9")

    def test_deputy_head_corrects_with_reason_where_the_profile_allows(self) -> None:
        """R8.9: the deputy head's reasoned correction of a closed period is audited there."""
        edit = _edit(date(2026, 1, 20), "апелляция")
        decision = DEPUTY_CORRECTS.check_mark_edit(
            mark(at(LESSON_DAY)), edit, edit.at, True, "deputy_head"
        )
        assert (decision.audited, decision.clause) == (True, "8.9")

    @pytest.mark.parametrize("role", ["subject_teacher", "deputy_head", "administrator"])
    def test_by_default_nobody_corrects_a_closed_period(self, role: str) -> None:
        """R8.4.1, R8.9, R8.10: by default a closed period is reopened first, whoever asks."""
        edit = _edit(date(2026, 1, 20), "апелляция")
        with pytest.raises(RuleViolation) as caught:
            POLICY.check_mark_edit(mark(at(LESSON_DAY)), edit, edit.at, True, role)
        assert (caught.value.code, caught.value.clause) == ("deadlines.period_locked", "8.9")
        assert "reopens it" in caught.value.message("en")

    def test_the_switch_comes_from_the_period_lock_rule(self) -> None:
        """R8.9: the default profile keeps the regulation; its rule's switch lets the deputy."""
        assert not default_profile().deadlines.edit_policy_in("Europe/Moscow").reopen_role_corrects
        text = default_profile_text().replace(
            "reopen_role_corrects = false", "reopen_role_corrects = true"
        )
        assert parse_profile(text).deadlines.edit_policy_in("Europe/Moscow").reopen_role_corrects

    def test_naive_moment_rejected(self) -> None:
        """The moment of a correction must be timezone-aware."""
        edit = _edit(date(2025, 9, 3))
        with pytest.raises(ValidationError):
            POLICY.check_mark_edit(
                mark(at(LESSON_DAY)), edit, edit.at.replace(tzinfo=None), False, "deputy_head"
            )

    def test_policy_follows_the_profile(self) -> None:
        """R8.6: the window comes from the profile's edit_window rule."""
        text = default_profile_text().replace(
            'kind = "edit_window"\napplies_to = "mark_edit"\ndays = 3',
            'kind = "edit_window"\napplies_to = "mark_edit"\ndays = 5',
        )
        policy = parse_profile(text).deadlines.edit_policy_in("Europe/Moscow")
        edit = _edit(date(2025, 9, 7))
        assert policy.window_days == 5
        assert not policy.check_mark_edit(mark(at(LESSON_DAY)), edit, edit.at, False, "x").audited
        assert isinstance(policy, EditPolicy)


class TestProfileSection:
    def test_every_time_requirement_has_a_rule(self) -> None:
        """Every time rule of the regulation this issue covers is in the default profile."""
        requirements = {rule.requirement for rule in default_profile().deadlines.rules}
        assert requirements >= {
            "R4.2a", "R4.4b", "R5.4", "R5.6", "R6.6", "R6.7",
            "R7.7a", "R7.7b", "R7.7c", "R7.7d", "R7.7e", "R8.5.1", "R8.6", "R8.9",
            "R10.1a", "R10.1b", "R10.1c", "R10.1d", "R10.1e",
            "R11.3a", "R11.3b", "R11.3c", "R11.3d", "R11.4a", "R11.4b", "R11.4c", "R11.4d",
        }  # fmt: skip

    def test_rules_cite_clause_and_role(self) -> None:
        """R12.3: every rule names its clause, requirement and a responsible role."""
        policy = default_profile().deadlines
        for rule in policy.rules:
            assert rule.requirement.startswith(f"R{rule.clause.rstrip('abcde')}")
        assert policy.rule("journal.marks").extension_days == 3
        assert policy.rule("edits.period_lock").kind is RuleKind.PERIOD_LOCK
        assert policy.rule("orders.debt_repayment").applies_to is AppliesTo.DEBT_REPAYMENT
        with pytest.raises(KeyError):
            policy.rule("nope")

    @pytest.mark.parametrize(
        ("old", "new", "path"),
        [
            ('id = "journal.marks"\n', 'id = "journal.marks"\ncolour = "red"\n', "colour"),
            (
                'kind = "periodic"\napplies_to = "card_reconciliation"',
                'kind = "periodic"\napplies_to = "mark"',
                "deadlines.rules[4]",
            ),
            ('role = "clerk"', 'role = "janitor"', "deadlines.rules[2]"),
            ('id = "cards.staff"', 'id = "cards.students"', "deadlines.rules[3].id"),
            ("days = 2\n", 'days = "two"\n', "days"),
        ],
    )
    def test_bad_rules_name_the_key(self, old: str, new: str, path: str) -> None:
        """A malformed rule is a ProfileError naming the section and key."""
        text = default_profile_text().replace(old, new, 1)
        assert text != default_profile_text()
        with pytest.raises(ProfileError) as caught:
            parse_profile(text)
        assert path in caught.value.message("en")


class TestSyntheticSchool:
    def test_late_marks_equal_planted(self) -> None:
        """R8.6: on the small school the late marks found equal exactly the planted ones."""
        school = generate("small")
        report, _checker = synthetic_report(school, default_profile())
        assert report.count("journal.marks", FindingStatus.LATE) == school.stats.marks_late
        assert report.count("journal.marks") == school.stats.marks_late


class TestFromStore:
    def test_store_and_data_give_the_same_report(self) -> None:
        """R8.6: checking a store reads its journal and gives the report of the same data."""
        from eschool_core.deadlines import ComplianceChecker, ComplianceData
        from eschool_core.storage import MemoryStore
        from eschool_core.synth import academic_year_of, write_to_store

        school = generate("small", seed=3)
        store = MemoryStore()
        write_to_store(school, store)
        year = academic_year_of(school)
        rules = [r for r in default_profile().deadlines.rules if r.id.startswith("journal.")]
        checker = ComplianceChecker(rules, year.production, year=year)
        as_of = date(2026, 8, 31)
        from_store = checker.check(store, as_of)
        data = ComplianceData.from_store(store, year=year)
        assert from_store.to_json() == checker.check(data, as_of).to_json()
        assert from_store.count("journal.marks") == school.stats.marks_late
