"""Consent rules (R6.1) and the deputy head's control of movement findings (R10.2)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.cli._check import synthetic_report
from eschool_core.deadlines import (
    SCHEMA_VERSION,
    ComplianceChecker,
    ComplianceReport,
    DeadlineRule,
    EntityKind,
    FindingStatus,
    ResponsibleRole,
    Severity,
)
from eschool_core.errors import ProfileError, ValidationError
from eschool_core.movement import Order, OrderItem
from eschool_core.people import Consent, Employee, Guardian, GuardianLink, Person, Student
from eschool_core.profiles import default_profile, default_profile_text, parse_profile
from eschool_core.school import ClassMembership
from eschool_core.synth import generate
from tests.deadline_helpers import CAL, SCHOOL, at, check, compliance, only

AS_OF = date(2025, 10, 1)
DESIGNATED = {"clerk": "clerk1", "hr_specialist": "hr1", "deputy_head": "dep1", "secretary": "sec"}
RULES = ("consents.students", "consents.staff")


def _person(last_name: str) -> Person:
    return Person(last_name=last_name, first_name="Анна")


STUDENT = Student(id="s1", person=_person("Орлова"))
GUARDIAN = Guardian(id="g1", person=_person("Орлова"))
LINK = GuardianLink(id="l1", guardian_id="g1", student_id="s1", kind="mother")
EMPLOYEE = Employee(id="e1", person=_person("Петрова"), position="учитель")


def _consent(category: str, subject_id: str, **fields: Any) -> Consent:
    base: dict[str, Any] = {
        "id": f"c-{category}-{subject_id}",
        "category": category,
        "subject_id": subject_id,
        "given_on": date(2025, 8, 20),
        "purposes": ["personal_file"],
    }
    base.update(fields)
    return Consent(**base)


ALL_SIGNED = (
    _consent("student", "s1", given_by="g1"),
    _consent("guardian", "g1"),
    _consent("employee", "e1"),
)


def _check(consents: tuple[Consent, ...], as_of: date = AS_OF, **fields: Any) -> ComplianceReport:
    base: dict[str, Any] = {
        "students": [STUDENT],
        "guardians": [GUARDIAN],
        "guardian_links": [LINK],
        "employees": [EMPLOYEE],
        "consents": consents,
        "designations": DESIGNATED,
    }
    base.update(fields)
    return check(as_of, *RULES, **base)


def _missing(report: ComplianceReport) -> list[str]:
    return [f.entity_id for f in report.findings]


class TestConsentRules:
    def test_every_card_with_a_consent_is_clean(self) -> None:
        """R6.1: student, guardian and employee cards with a consent in force give no finding."""
        report = _check(ALL_SIGNED)
        assert report.findings == ()
        assert set(RULES) <= set(report.rules_checked)

    def test_missing_consents_are_routed_to_clerk_and_hr(self) -> None:
        """R6.1: cards without a consent are errors for the clerk (R6.3) and HR (R6.2)."""
        report = _check((_consent("student", "s1", given_by="g1"),))
        assert _missing(report) == ["employee:e1", "guardian:g1"]
        staff = only(report, "consents.staff")
        assert (staff.role, staff.person_id) == (ResponsibleRole.HR_SPECIALIST, "hr1")
        parent = only(report, "consents.students")
        assert (parent.role, parent.person_id) == (ResponsibleRole.CLERK, "clerk1")
        for finding in report.findings:
            assert (finding.clause, finding.requirement) == ("6.1", "R6.1")
            assert (finding.severity, finding.status) == (Severity.ERROR, FindingStatus.MISSING)
            assert finding.entity_kind is EntityKind.CARD
            assert finding.due == AS_OF
            assert "согласия" in finding.message.ru
            assert "consent" in finding.message.en
        assert report.has_errors

    def test_student_finding_names_the_class(self) -> None:
        """R6.1: a student's missing consent names his class on the day of the check."""
        membership = ClassMembership(
            id="m1", student_id="s1", class_id="5a", since=date(2025, 9, 1)
        )
        report = _check(ALL_SIGNED[1:], memberships=[membership])
        finding = only(report)
        assert (finding.entity_id, finding.class_id) == ("student:s1", "5a")

    def test_consent_withdrawn_before_as_of_does_not_count(self) -> None:
        """R6.1: a consent withdrawn on or before the day of the check is not in force."""
        withdrawn = _consent("employee", "e1", withdrawn_on=date(2025, 9, 15))
        assert _missing(_check((*ALL_SIGNED[:2], withdrawn))) == ["employee:e1"]
        assert _missing(_check((*ALL_SIGNED[:2], withdrawn), as_of=date(2025, 9, 14))) == []
        assert _missing(_check((*ALL_SIGNED[:2], withdrawn), as_of=date(2025, 9, 15))) == [
            "employee:e1"
        ]

    def test_consent_given_after_as_of_does_not_count(self) -> None:
        """R6.1: a consent signed after the day of the check is not in force yet."""
        late = _consent("employee", "e1", given_on=date(2025, 10, 2))
        assert _missing(_check((*ALL_SIGNED[:2], late))) == ["employee:e1"]

    def test_wrong_purpose_does_not_count(self) -> None:
        """R6.1: a consent for the journal only does not cover the personal card."""
        journal_only = _consent("guardian", "g1", purposes=["journal", "publication"])
        report = _check((ALL_SIGNED[0], journal_only, ALL_SIGNED[2]))
        assert _missing(report) == ["guardian:g1"]

    def test_consent_signed_by_a_guardian_counts(self) -> None:
        """R6.1: a minor's consent signed by his guardian (given_by) covers the student card."""
        by_parent = _consent("student", "s1", given_by="g1")
        by_self = _consent("student", "s1")
        assert _missing(_check((by_parent, *ALL_SIGNED[1:]))) == []
        assert _missing(_check((by_self, *ALL_SIGNED[1:]))) == []
        assert _missing(_check(ALL_SIGNED[1:])) == ["student:s1"]

    @pytest.mark.parametrize(
        ("category", "subject_id"),
        [("guardian", "s1"), ("student", "g1"), ("employee", "s1"), ("student", "s2")],
    )
    def test_category_and_subject_must_match(self, category: str, subject_id: str) -> None:
        """R6.1: a consent counts only for the card of its own category and subject id."""
        stray = _consent(category, subject_id)
        report = _check((stray, *ALL_SIGNED[1:]))
        assert _missing(report) == ["student:s1"]

    def test_cards_judged_only_while_at_school(self) -> None:
        """R6.1: staff not hired yet or dismissed, and students before their class, are skipped."""
        hired = Employee(id="e2", person=_person("Новикова"), position="учитель", hired_on=AS_OF)
        gone = Employee(
            id="e3",
            person=_person("Смирнова"),
            position="учитель",
            status="dismissed",
            hired_on=date(2020, 1, 1),
            dismissed_on=date(2025, 6, 30),
        )
        arrival = ClassMembership(id="m1", student_id="s1", class_id="5a", since=date(2025, 11, 1))
        report = _check(
            (ALL_SIGNED[2],),
            as_of=date(2025, 9, 30),
            employees=[EMPLOYEE, hired, gone],
            memberships=[arrival],
        )
        assert _missing(report) == []
        later = _check((ALL_SIGNED[2],), employees=[EMPLOYEE, hired, gone], memberships=[arrival])
        assert _missing(later) == ["employee:e2"]

    def test_unchecked_without_any_consent(self) -> None:
        """R6.1: a host that keeps no consents gets the rules unchecked, not every card flagged."""
        report = _check(())
        assert report.findings == ()
        assert sorted(u.rule_id for u in report.unchecked) == sorted(RULES)

    @given(signed=st.sets(st.sampled_from(["s1", "g1", "e1"])))
    def test_findings_are_exactly_the_unsigned_cards(self, signed: set[str]) -> None:
        """R6.1: whatever subset signs, the findings name exactly the others."""
        consents = tuple(c for c in ALL_SIGNED if c.subject_id in signed)
        categories = {"s1": "student", "g1": "guardian", "e1": "employee"}
        expected = sorted(f"{categories[i]}:{i}" for i in categories if i not in signed)
        report = _check(consents or (_consent("student", "nobody"),))
        assert sorted(_missing(report)) == expected

    def test_synthetic_school_plants_the_reported_omissions(self) -> None:
        """R6.1: the synthetic school's planted unconsented cards are exactly the findings."""
        school = generate("small", seed=3)
        report, _checker = synthetic_report(school, default_profile())
        found = report.count("consents.students") + report.count("consents.staff")
        assert found == school.stats.cards_without_consent >= 2
        assert report.count("consents.staff") == 1
        assert all(
            f.entity_id.startswith("guardian:")
            for f in report.findings
            if f.rule_id == "consents.students"
        )


def _late_order(kind: str = "enrollment") -> Order:
    return Order(
        id="o1",
        kind=kind,
        number="1",
        issued_on=date(2025, 10, 6),
        entered_at=at(date(2025, 10, 20)),
        author_id="sec",
        year="2025/2026",
        items=[OrderItem(student_id="s1", class_id="5a")],
    )


class TestMovementController:
    @pytest.mark.parametrize(
        "rule_id",
        [
            "orders.enrollment",
            "orders.withdrawal",
            "orders.promotion",
            "orders.debt_repayment",
            "orders.graduation",
            "orders.transfer",
        ],
    )
    def test_movement_rules_are_controlled_by_the_deputy_head(self, rule_id: str) -> None:
        """R10.2: every R10.1a-e rule of the default profile names the deputy head as controller."""
        rule = next(r for r in default_profile().deadlines.rules if r.id == rule_id)
        assert (rule.role, rule.controller) == (
            ResponsibleRole.SECRETARY,
            ResponsibleRole.DEPUTY_HEAD,
        )

    def test_late_order_names_secretary_and_deputy_head(self) -> None:
        """R10.2: a late order is routed to the secretary and controlled by the deputy head."""
        report = check(
            date(2025, 12, 1), "orders.enrollment", orders=[_late_order()], designations=DESIGNATED
        )
        finding = only(report)
        assert (finding.role, finding.person_id) == (ResponsibleRole.SECRETARY, "sec")
        assert (finding.controller_role, finding.controller_id) == (
            ResponsibleRole.DEPUTY_HEAD,
            "dep1",
        )
        assert report.addressed_to(ResponsibleRole.DEPUTY_HEAD) == (finding,)
        assert report.addressed_to(ResponsibleRole.SECRETARY) == (finding,)
        assert report.addressed_to(ResponsibleRole.CLERK) == ()
        assert report.by_controller() == {"deputy_head": 1}

    def test_json_keeps_schema_one_and_adds_controller(self) -> None:
        """R10.2: the JSON form's findings carry the controller keys in their details."""
        report = check(date(2025, 12, 1), "orders.enrollment", orders=[_late_order()])
        document = json.loads(report.to_json())
        assert document["schema_version"] == SCHEMA_VERSION
        assert document["summary"]["by_controller"] == {"deputy_head": 1}
        row = document["findings"][0]["details"]
        assert (row["role"], row["controller_role"], row["controller_id"]) == (
            "secretary",
            "deputy_head",
            None,
        )

    def test_rules_without_controller_name_none(self) -> None:
        """R10.2: findings of rules without a controller carry no controller."""
        rule = DeadlineRule(
            id="orders.plain",
            kind="within_working_days",
            applies_to="order",
            clause="10.1a",
            requirement="R10.1a",
            role="secretary",
            severity="error",
            title_ru="Приказ",
            title_en="Order",
            days=3,
        )
        report = ComplianceChecker([rule], CAL).check(
            compliance(school=SCHOOL, orders=[_late_order()]), date(2025, 12, 1)
        )
        finding = only(report)
        assert (finding.controller_role, finding.controller_id) == (None, None)
        assert report.by_controller() == {}
        assert finding.to_dict()["details"]["controller_role"] is None

    def test_unknown_controller_is_rejected(self) -> None:
        """R10.2: a rule naming an unknown controlling role is refused."""
        with pytest.raises(ValueError, match="nobody"):
            DeadlineRule(
                id="orders.bad",
                kind="within_working_days",
                applies_to="order",
                clause="10.1a",
                requirement="R10.1a",
                role="secretary",
                severity="error",
                title_ru="Приказ",
                title_en="Order",
                days=3,
                controller="nobody",
            )

    def test_in_force_kind_only_fits_consents(self) -> None:
        """R6.1: the in_force kind applies to consents only, and has no single due date."""
        with pytest.raises(ValidationError) as caught:
            DeadlineRule(
                id="orders.bad",
                kind="in_force",
                applies_to="order",
                clause="10.1a",
                requirement="R10.1a",
                role="secretary",
                severity="error",
                title_ru="Приказ",
                title_en="Order",
            )
        assert caught.value.code == "deadlines.rule_invalid"


class TestProfileController:
    def test_profile_rejects_unknown_controller(self) -> None:
        """R10.2: a profile rule with an unknown controller is a ProfileError."""
        text = default_profile_text().replace('controller = "deputy_head"', 'controller = "x"', 1)
        with pytest.raises(ProfileError, match=r"deadlines\.rules"):
            parse_profile(text)
