"""One time zone: the write service and the checker judge every moment in the school's own zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.deadlines import ComplianceChecker, ComplianceData, FindingStatus
from eschool_core.errors import RuleViolation, ValidationError
from eschool_core.journal import Mark, MarkEdit, MarkValue
from eschool_core.profiles import default_profile, rules_for
from eschool_core.school import School
from eschool_core.service import MarkEntry, SchoolService
from eschool_core.storage import MemoryStore
from eschool_core.testing import load
from eschool_core.year_data import SchoolYearData
from tests.deadline_helpers import CAL, RULES
from tests.service_helpers import LESSON_DAY, TEACHER, YEAR, school_data, service

ZONES = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Asia/Yekaterinburg",
    "Asia/Novosibirsk",
    "Asia/Vladivostok",
    "Asia/Kamchatka",
)
"""Russian zones from UTC+2 to UTC+12."""

_CHECKED_ON = date(2025, 10, 25)
"""A day of the check after every correction and before Q1 ends (26 October)."""


def _store_in(zone: str) -> MemoryStore:
    """The service tests' school, placed in ``zone``."""
    data = [
        (
            name,
            [attrs.evolve(school, time_zone=zone) for school in batch]
            if name == "schools"
            else batch,
        )
        for name, batch in school_data()
    ]
    store = MemoryStore()
    load(store, data)
    return store


def _findings(svc: SchoolService, mark_id: str) -> set[tuple[str, FindingStatus]]:
    """The checker's findings on the mark, on the data read back from the service's store."""
    data = ComplianceData.from_store(svc.store, year=YEAR)
    report = svc.compliance_checker().check(data, _CHECKED_ON)
    return {(f.rule_id, f.status) for f in report.findings if f.entity_id == mark_id}


def _local_day(moment: datetime, zone: str) -> date:
    """The oracle: the day of ``moment`` on the school's clock."""
    return moment.astimezone(ZoneInfo(zone)).date()


class TestServiceAndCheckerAgree:
    @given(
        zone=st.sampled_from(ZONES),
        entered=st.integers(min_value=-14 * 60, max_value=2 * 24 * 60),
        corrected=st.integers(min_value=0, max_value=6 * 24 * 60),
        reason=st.sampled_from([None, "ошибка ввода"]),
    )
    @settings(max_examples=40, deadline=None)
    def test_entries_and_corrections(
        self, zone: str, entered: int, corrected: int, reason: str | None
    ) -> None:
        """R8.6: the service's decisions and the checker's findings agree in any school's zone.

        A mark is entered ``entered`` minutes after midnight UTC of the lesson day and
        corrected ``corrected`` minutes later. The service refuses an entry before the lesson
        day and a correction after the 3-day window without a reason; the checker finds the
        entry late exactly when the service's day of entry is after the lesson's, and the
        correction unauthorised or audited exactly as the service decided — both on the
        school's clock (the oracle), never on the profile's.
        """
        svc = service(_store_in(zone))
        start = datetime(LESSON_DAY.year, LESSON_DAY.month, LESSON_DAY.day, tzinfo=UTC)
        entry_at = start + timedelta(minutes=entered)
        entry_day = _local_day(entry_at, zone)
        entry = MarkEntry(mark_id="m", student_id="s1", value=5, work_type="answer")
        if entry_day < LESSON_DAY:
            with pytest.raises(ValidationError) as refused:
                svc.enter_mark(TEACHER, entry_at, "l0", entry)
            assert refused.value.code == "mark.future_lesson"
            return
        svc.enter_mark(TEACHER, entry_at, "l0", entry)
        late = {(rule, status) for rule, status in _findings(svc, "m") if rule == "journal.marks"}
        assert late == (
            {("journal.marks", FindingStatus.LATE)} if entry_day > LESSON_DAY else set()
        )

        fix_at = entry_at + timedelta(minutes=corrected)
        past_window = (_local_day(fix_at, zone) - LESSON_DAY).days > 3
        refusal = _refusal(svc, fix_at, reason)
        assert refusal == ("deadlines.edit_without_reason" if past_window and not reason else None)
        if refusal is not None:
            _correct_behind_the_service(svc, fix_at)
            expected = {("edits.window", FindingStatus.UNAUTHORISED)}
        else:
            expected = {("edits.window", FindingStatus.AUDITED)} if past_window else set()
        edits = {
            (rule, status) for rule, status in _findings(svc, "m") if rule.startswith("edits.")
        }
        assert edits == expected


def _refusal(svc: SchoolService, moment: datetime, reason: str | None) -> str | None:
    """The code of the service's refusal of the correction, or ``None`` when it made it."""
    try:
        svc.correct_mark(TEACHER, moment, "m", 4, reason=reason)
    except RuleViolation as refused:
        return refused.code
    return None


def _correct_behind_the_service(svc: SchoolService, moment: datetime) -> None:
    """Store the refused correction directly, as an import from another system would."""
    with svc.store.unit_of_work() as uow:
        mark = uow.marks.get("m")
        edit = MarkEdit(at=moment, by="t1", old_value=mark.value, new_value=MarkValue.parse("4"))
        uow.marks.update(attrs.evolve(mark, value=edit.new_value, edits=(*mark.edits, edit)))
        uow.commit()


class TestVladivostok:
    def test_a_mark_entered_after_midnight_there_is_for_that_day(self) -> None:
        """R8.6: 15:30 UTC on 6 October is 7 October in Vladivostok: the lesson of the 7th is due.

        Judged in Moscow (18:30 on the 6th) the lesson would still be to come and the
        service would refuse the mark the checker then expects on time.
        """
        svc = service(_store_in("Asia/Vladivostok"))
        moment = datetime(2025, 10, 6, 15, 30, tzinfo=UTC)
        entry = MarkEntry(mark_id="m", student_id="s1", value=5, work_type="answer")
        svc.enter_mark(TEACHER, moment, "l1", entry)
        assert _findings(svc, "m") == set()

    def test_a_correction_on_the_fourth_day_there_needs_a_reason(self) -> None:
        """R8.6: 15:30 UTC on 9 October is day 4 after the lesson of the 6th in Vladivostok."""
        svc = service(_store_in("Asia/Vladivostok"))
        entry = MarkEntry(mark_id="m", student_id="s1", value=5, work_type="answer")
        svc.enter_mark(TEACHER, datetime(2025, 10, 6, 3, tzinfo=UTC), "l0", entry)
        moment = datetime(2025, 10, 9, 15, 30, tzinfo=UTC)
        with pytest.raises(RuleViolation) as refused:
            svc.correct_mark(TEACHER, moment, "m", 4)
        assert (refused.value.code, refused.value.clause) == (
            "deadlines.edit_without_reason",
            "8.6",
        )
        svc.correct_mark(TEACHER, moment, "m", 4, reason="ошибка ввода")
        assert _findings(svc, "m") == {("edits.window", FindingStatus.AUDITED)}
        assert svc.edit_policy.time_zone == svc.compliance_checker().time_zone == "Asia/Vladivostok"


class TestOneSource:
    def test_the_rules_judge_in_the_schools_zone(self) -> None:
        """R8.6: rules_for builds each rule in the school's zone; the profile's only without one."""
        profile = default_profile()
        far_east = profile.new_school(id="sch", name="Школа", time_zone="Asia/Vladivostok")
        rules = rules_for(profile, YEAR, far_east)
        assert rules.time_zone == rules.edit_policy.time_zone == "Asia/Vladivostok"
        assert rules.checker.time_zone == "Asia/Vladivostok"
        assert rules_for(profile, YEAR).time_zone == profile.time_zone

    def test_the_checker_judges_in_the_data_schools_zone(self) -> None:
        """R8.6: a checker built in the profile's zone judges a school's data in the school's."""
        moscow = rules_for(default_profile(), YEAR)
        data = ComplianceData.from_store(_store_in("Asia/Vladivostok"), year=YEAR)
        edit = MarkEdit(
            at=datetime(2025, 10, 9, 15, 30, tzinfo=UTC), by="t1", old_value=5, new_value=4
        )
        mark = Mark(
            id="m",
            student_id="s1",
            subject_id="math",
            date=LESSON_DAY,
            lesson_id="l0",
            value=4,
            work_type="answer",
            author_id="t1",
            entered_at=datetime(2025, 10, 6, 15, 30, tzinfo=UTC),  # 7 October there
            edits=[edit],  # 10 October there: day 4, no reason
        )
        report = moscow.checker.check(
            attrs.evolve(data, year_data=attrs.evolve(data.year_data, marks=(mark,))), _CHECKED_ON
        )
        statuses = {(f.rule_id, f.status) for f in report.findings if f.entity_id == "m"}
        assert statuses == {
            ("journal.marks", FindingStatus.LATE),
            ("edits.window", FindingStatus.UNAUTHORISED),
        }

    def test_data_without_a_school_needs_a_zone(self) -> None:
        """R8.6: the checker never assumes a zone: data naming no school need one given."""
        with pytest.raises(ValidationError) as caught:
            ComplianceChecker(RULES, CAL).check(
                ComplianceData(year_data=SchoolYearData(year=YEAR)), _CHECKED_ON
            )
        assert caught.value.code == "deadlines.time_zone_unknown"
        with pytest.raises(ValidationError) as unknown:
            ComplianceChecker(RULES, CAL, time_zone="Mars/Olympus")
        assert unknown.value.code == "school.unknown_time_zone"

    def test_a_school_has_no_default_zone(self) -> None:
        """R2.2a: the code holds no zone: a school without one is refused."""
        with pytest.raises(TypeError):
            School(id="sch", name="Школа")  # type: ignore[call-arg]
