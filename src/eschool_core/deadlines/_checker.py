"""The compliance checker: every deadline rule over a school's data, as of a date."""

from __future__ import annotations

import bisect
import zoneinfo
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

import attrs

from eschool_core import _validation as v
from eschool_core.calendar import AcademicYear, ProductionCalendar
from eschool_core.closures import locked_for
from eschool_core.deadlines._duties import (
    HOST_RECORDS,
    POINT_SOURCES,
    Context,
    Duty,
    needs,
    preparation_start,
)
from eschool_core.deadlines._edits import EditPolicy
from eschool_core.deadlines._errors import (
    DEADLINES_DUPLICATE_RULE,
    DEADLINES_TIME_ZONE_UNKNOWN,
    DEADLINES_YEAR_REQUIRED,
)
from eschool_core.deadlines._findings import (
    ComplianceReport,
    EntityKind,
    Finding,
    FindingStatus,
    UncheckedRule,
)
from eschool_core.deadlines._missing import missing_attestation
from eschool_core.deadlines._records import ComplianceData, MilestoneKind, StoreLike
from eschool_core.deadlines._rules import (
    POINT_KINDS,
    AppliesTo,
    DeadlineRule,
    Periodicity,
    ReportScope,
    RuleKind,
    Severity,
    next_month_day,
)
from eschool_core.movement import next_year_label
from eschool_core.people import CardCategory, ConsentPurpose
from eschool_core.school import SchoolClass
from eschool_core.texts import Text

__all__ = ["ComplianceChecker"]

_Window = tuple[date, date]


def _attestation(rule: DeadlineRule, ctx: Context) -> Iterator[Duty]:
    """The attestation marks set (judged on time or late) and those never set (R8.9)."""
    yield from POINT_SOURCES[AppliesTo.ATTESTATION_MARK](rule, ctx)
    yield from missing_attestation(rule, ctx)


_SOURCES = {**POINT_SOURCES, AppliesTo.ATTESTATION_MARK: _attestation}


class ComplianceChecker:
    """Checks a school's data against deadline rules and reports the findings.

    The check is a pure function of the data and ``as_of``: entries made after ``as_of``
    count as not made yet, and the same data and date always give the same report.

    Args:
        rules: The rules (``default_profile().deadlines.rules`` encodes the regulation).
        calendar: The production calendar (working days).
        year: The academic year (study periods, the span of periodic rules); rules that
            need it are reported as unchecked without it.
        time_zone: The zone of data that names no school (a store not yet given one);
            data with a ``School`` is always judged in the school's own zone, the one the
            write service uses. ``None``: such data is refused.
        edit_policy: The edit window and period lock that judge stored corrections (R8.6,
            R8.9) — the one the write service enforces; by default it is built from
            ``rules``. It judges in the school's zone whatever zone it was built with. A
            correction it refuses is reported unauthorised, one it audits audited, so the
            checker and the service never disagree.

    Raises:
        ValidationError: If two rules share an id, or for an unknown time zone.

    >>> from datetime import UTC, datetime
    >>> from eschool_core.journal import Mark
    >>> rule = DeadlineRule(id="marks", kind="same_day", applies_to="mark", clause="8.6",
    ...     requirement="R8.6", role="subject_teacher", severity="error",
    ...     title_ru="Отметки — в день урока", title_en="Marks on the lesson day",
    ...     extension_days=3)
    >>> mark = Mark(id="m1", student_id="s1", subject_id="math", date=date(2025, 9, 2),
    ...     value=5, work_type="answer", author_id="t1",
    ...     entered_at=datetime(2025, 9, 2, 21, 1, tzinfo=UTC))  # 00:01 in Moscow
    >>> from eschool_core.calendar import standard_year
    >>> from eschool_core.profiles import default_profile
    >>> from eschool_core.year_data import SchoolYearData
    >>> year = standard_year("2025/2026", default_profile().calendar)
    >>> checker = ComplianceChecker([rule], ProductionCalendar(), time_zone="Europe/Moscow")
    >>> report = checker.check(
    ...     ComplianceData(year_data=SchoolYearData(year=year, marks=[mark])), date(2025, 9, 30))
    >>> [(f.entity_id, f.status.value, f.late_days) for f in report.findings]
    [('m1', 'late', 1)]
    """

    def __init__(
        self,
        rules: Iterable[DeadlineRule],
        calendar: ProductionCalendar,
        *,
        year: AcademicYear | None = None,
        time_zone: str | None = None,
        edit_policy: EditPolicy | None = None,
    ) -> None:
        self.rules = tuple(rules)
        if time_zone is not None:
            v.check_time_zone(time_zone)
        self._edit_policy = edit_policy
        ids = [rule.id for rule in self.rules]
        if len(set(ids)) != len(ids):
            twice = next(i for i in ids if ids.count(i) > 1)
            raise DEADLINES_DUPLICATE_RULE.error(twice=twice)
        self.calendar = calendar
        self.year = year
        self.time_zone = time_zone
        self._working: dict[tuple[date, date], int] = {}
        self._heads: dict[tuple[str, EntityKind, FindingStatus], tuple[str, str, str, str]] = {}

    def check(self, source: ComplianceData | StoreLike, as_of: date) -> ComplianceReport:
        """Check the data (or a store's data) as it stood at the end of ``as_of``.

        Args:
            source: The data, or a store to read the checker's ``year`` of.
            as_of: The day of the check.

        Returns:
            The report: findings sorted deterministically, and the unchecked rules.

        Raises:
            ValidationError: If a date falls outside the production calendar's years, for a
                store and a checker without a year (``deadlines.year_required``), or data
                without a school and a checker without a zone (``deadlines.time_zone_unknown``).
        """
        if isinstance(source, ComplianceData):
            data = source
        elif self.year is None:
            raise DEADLINES_YEAR_REQUIRED.error()
        else:
            data = ComplianceData.from_store(source, year=self.year)
        ctx = Context(data, as_of, zoneinfo.ZoneInfo(self._zone_of(data)), self.year)
        findings: list[Finding] = []
        unchecked: list[UncheckedRule] = []
        checked: list[str] = []
        for rule in self.rules:
            lacking = needs(rule.applies_to, data)
            if lacking is None and self.year is None and _needs_year(rule):
                lacking = "year"
            if lacking is not None:
                ru, en = HOST_RECORDS.get(lacking, (lacking, lacking))
                unchecked.append(
                    UncheckedRule(
                        rule_id=rule.id,
                        requirement=rule.requirement,
                        reason=Text(
                            f"нет данных: {lacking} — {ru}"
                            if ru != lacking
                            else f"нет данных: {lacking}",
                            f"no data: {lacking} — {en}"
                            if en != lacking
                            else f"no data: {lacking}",
                        ),
                    )
                )
                continue
            checked.append(rule.id)
            findings.extend(self._check_rule(rule, ctx))
        return ComplianceReport(
            as_of=as_of,
            findings=findings,
            unchecked=tuple(unchecked),
            rules_checked=tuple(sorted(checked)),
        )

    def _zone_of(self, data: ComplianceData) -> str:
        """The one zone the data is judged in: its school's, else the checker's own."""
        school = data.year_data.school
        if school is not None:
            return school.time_zone
        if self.time_zone is None:
            raise DEADLINES_TIME_ZONE_UNKNOWN.error()
        return self.time_zone

    def edit_policy_in(self, time_zone: str) -> EditPolicy:
        """Return the edit policy that judges stored corrections in a school's time zone.

        Args:
            time_zone: The school's zone (``School.time_zone``).

        Raises:
            ValidationError: For an unknown time zone.
        """
        if self._edit_policy is None:
            return EditPolicy.from_rules(self.rules, time_zone=time_zone)
        if self._edit_policy.time_zone == time_zone:
            return self._edit_policy
        return attrs.evolve(self._edit_policy, time_zone=time_zone)

    def _check_rule(self, rule: DeadlineRule, ctx: Context) -> Iterator[Finding]:
        if rule.kind in POINT_KINDS and rule.applies_to in _SOURCES:
            return self._judge(rule, _SOURCES[rule.applies_to](rule, ctx), ctx)
        if rule.applies_to is AppliesTo.MARK_EDIT:
            return self._edits(rule, ctx)
        if rule.applies_to is AppliesTo.CLASS_LIST:
            return self._class_list(rule, ctx)
        if rule.kind is RuleKind.IN_FORCE:
            return self._consents(rule, ctx)
        return self._schedules(rule, ctx)

    # -- point duties -------------------------------------------------------------------

    def _judge(self, rule: DeadlineRule, duties: Iterable[Duty], ctx: Context) -> Iterator[Finding]:
        dues: dict[tuple[date, bool], date] = {}
        for kind, entity_id, anchor, done, reason, person, class_id in duties:
            key = (anchor, reason)
            due = dues.get(key)
            if due is None:
                due = dues[key] = rule.due(anchor, self.calendar, with_reason=reason)
            if done is not None:
                if done <= due:
                    continue
                status = FindingStatus.LATE
            elif not rule.missing_is_finding:
                continue
            else:
                status = FindingStatus.MISSING if ctx.as_of > due else FindingStatus.NOT_YET_DUE
            yield self._finding(
                rule,
                status,
                kind=kind,
                entity_id=entity_id,
                due=due,
                done=done,
                person=person,
                class_id=class_id,
                ctx=ctx,
            )

    def _finding(
        self,
        rule: DeadlineRule,
        status: FindingStatus,
        *,
        kind: EntityKind,
        entity_id: str,
        due: date,
        done: date | None,
        person: str | None,
        class_id: str | None,
        ctx: Context,
        severity: Severity | None = None,
    ) -> Finding:
        until = done if done is not None else ctx.as_of
        late = max((until - due).days, 0)
        working = 0
        if late:
            key = (due, until)
            cached = self._working.get(key)
            if cached is None:
                cached = self._working[key] = self.calendar.working_days(
                    due + timedelta(days=1), until
                )
            working = cached
        if severity is None:
            severity = Severity.INFO if status is FindingStatus.NOT_YET_DUE else rule.severity
        done_ru = f", внесено {_ru_date(done)}" if done else ""
        done_en = f", done {done.isoformat()}" if done else ""
        late_ru = f", опоздание {_days_ru(late)} ({_working_ru(working)})" if late else ""
        late_en = f", {_days_en(late)} ({_days_en(working, 'working ')}) late" if late else ""
        heads = self._heads.get((rule.id, kind, status))
        if heads is None:  # the words around the id, the same for every finding of a rule
            heads = self._heads[rule.id, kind, status] = (
                f"{rule.title_ru}: {kind.label_ru} ",
                f" — {status.label_ru}; срок ",
                f"{rule.title_en}: {kind.value} ",
                f" is {status.value.replace('_', ' ')}; due ",
            )
        ru_head, ru_status, en_head, en_status = heads
        return Finding(
            rule_id=rule.id,
            clause=rule.clause,
            requirement=rule.requirement,
            severity=severity,
            status=status,
            entity_kind=kind,
            entity_id=entity_id,
            person_id=person,
            role=rule.role,
            class_id=class_id,
            due=due,
            done=done,
            late_days=late,
            late_working_days=working,
            message=Text(
                f"{ru_head}{entity_id}{ru_status}{_ru_date(due)}{done_ru}{late_ru} "
                f"(п. {rule.clause})",
                f"{en_head}{entity_id}{en_status}{due.isoformat()}{done_en}{late_en} "
                f"(clause {rule.clause})",
            ),
            controller_role=rule.controller,
            controller_id=_controller_id(rule, ctx),
        )

    # -- states that must hold on the day of the check: consents ------------------------

    def _consents(self, rule: DeadlineRule, ctx: Context) -> Iterator[Finding]:
        data, as_of = ctx.year_data, ctx.as_of
        consented = {
            (consent.category, consent.subject_id)
            for consent in data.consents
            if consent.covers(ConsentPurpose.PERSONAL_FILE, as_of)
        }
        cards: list[tuple[CardCategory, str, str | None]] = []
        if rule.applies_to is AppliesTo.STAFF_CONSENT:
            cards.extend(
                (CardCategory.EMPLOYEE, e.id, None) for e in data.employees if e.is_active_on(as_of)
            )
        else:
            # A student is judged from his first class membership (always, without any); a
            # guardian once one of his children is judged (always, without any link).
            at_school = {
                s.id
                for s in data.students
                if min((m[0] for m in ctx.student_classes.get(s.id, ())), default=as_of) <= as_of
            }
            children: dict[str, set[str]] = {}
            for link in data.guardian_links:
                children.setdefault(link.guardian_id, set()).add(link.student_id)
            cards.extend(
                (CardCategory.STUDENT, s.id, ctx.class_of(s.id, as_of))
                for s in data.students
                if s.id in at_school
            )
            cards.extend(
                (CardCategory.GUARDIAN, g.id, None)
                for g in data.guardians
                if g.id not in children or children[g.id] & at_school
            )
        person = ctx.records.designations.get(rule.role.value)
        for category, card_id, class_id in cards:
            if (category, card_id) in consented:
                continue
            entity_id = f"{category.value}:{card_id}"
            yield Finding(
                rule_id=rule.id,
                clause=rule.clause,
                requirement=rule.requirement,
                severity=rule.severity,
                status=FindingStatus.MISSING,
                entity_kind=EntityKind.CARD,
                entity_id=entity_id,
                person_id=person,
                role=rule.role,
                class_id=class_id,
                due=as_of,
                done=None,
                late_days=0,
                late_working_days=0,
                message=Text(
                    f"{rule.title_ru}: {EntityKind.CARD.label_ru} {entity_id} — нет согласия "
                    f"на обработку персональных данных на {_ru_date(as_of)} (п. {rule.clause})",
                    (
                        f"{rule.title_en}: {EntityKind.CARD.value} {entity_id} has no consent to "
                        f"personal-data processing in force on {as_of.isoformat()} "
                        f"(clause {rule.clause})"
                    ),
                ),
                controller_role=rule.controller,
                controller_id=_controller_id(rule, ctx),
            )

    # -- the next year's preliminary class list -----------------------------------------

    def _class_list(self, rule: DeadlineRule, ctx: Context) -> Iterator[Finding]:
        """From 1 April the next year has classes, a first grade among them (R4.4a)."""
        assert ctx.year is not None  # noqa: S101 - _needs_year guarded it
        following = next_year_label(str(ctx.year.label))
        start = preparation_start(following)
        if ctx.as_of < start:
            return
        parallels = {c.parallel for c in ctx.year_data.classes if c.year == following}
        person = ctx.records.designations.get(rule.role.value)
        gaps: list[tuple[str, str, str]] = []
        if not parallels:
            gaps.append((f"class_list:{following}", "нет ни одного класса", "has no class"))
        elif 1 not in parallels:
            gaps.append((f"class_list:{following}:1", "нет первого класса", "has no first grade"))
        for entity_id, ru, en in gaps:
            yield Finding(
                rule_id=rule.id,
                clause=rule.clause,
                requirement=rule.requirement,
                severity=rule.severity,
                status=FindingStatus.MISSING,
                entity_kind=EntityKind.MILESTONE,
                entity_id=entity_id,
                person_id=person,
                role=rule.role,
                class_id=None,
                due=start,
                done=None,
                late_days=max((ctx.as_of - start).days, 0),
                late_working_days=0,
                message=Text(
                    f"{rule.title_ru}: в предварительном списке классов {following} учебного "
                    f"года {ru} на {_ru_date(ctx.as_of)} (п. {rule.clause})",
                    (
                        f"{rule.title_en}: the preliminary class list of {following} {en} on "
                        f"{ctx.as_of.isoformat()} (clause {rule.clause})"
                    ),
                ),
                controller_role=rule.controller,
                controller_id=_controller_id(rule, ctx),
            )

    # -- corrections --------------------------------------------------------------------

    def _edits(self, rule: DeadlineRule, ctx: Context) -> Iterator[Finding]:
        """Judge every stored correction with the edit policy the write service enforces."""
        policy = self.edit_policy_in(ctx.zone.key)
        reopen_role = policy.reopen_role.value if policy.reopen_role is not None else None
        reopeners = {
            employee_id
            for role, employee_id in ctx.records.designations.items()
            if role == reopen_role
        }
        closures = ctx.data.period_closures
        for mark in ctx.year_data.marks:
            if not mark.edits:
                continue
            school_class = ctx.classes.get(ctx.class_of(mark.student_id, mark.date) or "")
            periods = ctx.periods(school_class.parallel) if school_class else ()
            period = next((p for p in periods if p.contains(mark.date)), None)
            year = str(ctx.year.label) if ctx.year is not None else None
            lesson = ctx.lessons.get(mark.lesson_id) if mark.lesson_id else None
            edit_class = ctx.lesson_class(lesson) or ctx.class_of(mark.student_id, mark.date)
            for edit in mark.edits:
                done = ctx.local_day(edit.at)
                if done is None:
                    continue
                if period is None:
                    closed = False
                elif closures is None:  # no closure records: a period closes when it ends
                    closed = done > period.end
                else:  # outside a reopening's class, subject and teacher it stays locked
                    scope = (edit_class, mark.subject_id, edit.by)
                    closed = year is not None and locked_for(
                        closures, year, str(period.code), edit.at, scope
                    )
                roles = {edit.role} if edit.role else set()
                if edit.by in reopeners and reopen_role is not None:
                    roles.add(reopen_role)
                verdict = policy.judge_mark_edit(mark.date, edit.at, edit.reason, closed, roles)
                if verdict.rule_id != rule.id:
                    continue
                if rule.kind is RuleKind.EDIT_WINDOW:
                    due = mark.date + timedelta(days=policy.window_days or 0)
                else:
                    due = period.end if period is not None else done
                status, severity = (
                    (FindingStatus.AUDITED, Severity.INFO)
                    if verdict.allowed
                    else (FindingStatus.UNAUTHORISED, rule.severity)
                )
                yield self._finding(
                    rule,
                    status,
                    kind=EntityKind.MARK,
                    entity_id=mark.id,
                    due=due,
                    done=done,
                    person=edit.by,
                    class_id=edit_class,
                    ctx=ctx,
                    severity=severity,
                )

    # -- schedules: periodic and after-period reports, reconciliations ---------------------

    def _schedules(self, rule: DeadlineRule, ctx: Context) -> Iterator[Finding]:
        if rule.applies_to is AppliesTo.CARD_RECONCILIATION:
            yield from self._reconciliations(rule, ctx)
            return
        if rule.applies_to is AppliesTo.PRINTED_SUMMARY:
            yield from self._summaries(rule, ctx)
            return
        runs: dict[tuple[str, str | None], list[date]] = {}
        for run in ctx.data.report_runs or ():
            day = ctx.local_day(run.produced_at)
            if day is None:
                continue
            runs.setdefault((run.report_code, None), []).append(day)
            if run.by is not None:
                runs.setdefault((run.report_code, run.by), []).append(day)
        for days in runs.values():
            days.sort()
        for person, class_id, parallels in self._responsible(rule, ctx):
            windows = self._windows(rule, ctx, parallels)
            key_person = None if rule.scope is ReportScope.SCHOOL else person
            for code in rule.reports:
                yield from self._match(
                    rule,
                    ctx,
                    windows,
                    runs.get((code, key_person), []),
                    kind=EntityKind.REPORT,
                    code=code,
                    person=person,
                    class_id=class_id,
                )

    def _reconciliations(self, rule: DeadlineRule, ctx: Context) -> Iterator[Finding]:
        """Reconciliations of the rule's card kinds: the school's, or each class's (R6.7)."""
        kinds = {CardCategory(kind) for kind in rule.card_kinds} or set(CardCategory)
        done = [
            (day, r.class_id)
            for r in ctx.records.reconciliations or ()
            if (r.category is None or r.category in kinds)
            and (day := ctx.local_day(r.done_at)) is not None
        ]
        windows = self._windows(rule, ctx, ())
        if rule.scope is ReportScope.CLASS_TEACHER:
            year = str(ctx.year.label) if ctx.year else None
            for school_class in sorted(ctx.year_data.classes, key=lambda c: c.id):
                if school_class.year != year:
                    continue
                days = sorted(d for d, c in done if c is None or c == school_class.id)
                yield from self._match(
                    rule,
                    ctx,
                    windows,
                    days,
                    kind=EntityKind.RECONCILIATION,
                    code=f"cards:{school_class.id}",
                    person=school_class.class_teacher_id,
                    class_id=school_class.id,
                )
            return
        yield from self._match(
            rule,
            ctx,
            windows,
            sorted(d for d, _c in done),
            kind=EntityKind.RECONCILIATION,
            code="cards",
            person=ctx.records.designations.get(rule.role.value),
            class_id=None,
        )

    def _summaries(self, rule: DeadlineRule, ctx: Context) -> Iterator[Finding]:
        """A printed summary every week from the week after a parent's request (R8.12)."""
        assert ctx.year is not None  # noqa: S101 - _needs_year guarded it
        issued: dict[str, list[date]] = {}
        for summary in ctx.records.printed_summaries:
            day = ctx.local_day(summary.issued_at)
            if day is not None:
                issued.setdefault(summary.student_id, []).append(day)
        for days in issued.values():
            days.sort()
        for request in sorted(ctx.records.summary_requests or (), key=lambda r: r.id):
            first = request.requested_on + timedelta(days=7 - request.requested_on.weekday())
            last = min(request.withdrawn_on or ctx.year.last_day, ctx.year.last_day)
            windows: list[_Window] = []
            while first <= last:
                windows.append((first, first + timedelta(days=6)))
                first += timedelta(days=7)
            class_id = ctx.class_of(request.student_id, request.requested_on)
            yield from self._match(
                rule,
                ctx,
                windows,
                issued.get(request.student_id, []),
                kind=EntityKind.REPORT,
                code=f"summary:{request.student_id}",
                person=ctx.class_teacher(class_id),
                class_id=class_id,
            )

    def _responsible(
        self, rule: DeadlineRule, ctx: Context
    ) -> list[tuple[str | None, str | None, tuple[int, ...]]]:
        data = ctx.year_data
        year_label = str(self.year.label) if self.year else None
        classes = [c for c in data.classes if year_label is None or c.year == year_label]
        if rule.scope is ReportScope.CLASS_TEACHER:
            return [
                (c.class_teacher_id, c.id, (c.parallel,))
                for c in sorted(classes, key=lambda c: c.id)
                if c.class_teacher_id is not None
            ]
        if rule.scope is ReportScope.SUBJECT_TEACHER:
            by_id: dict[str, SchoolClass] = {c.id: c for c in classes}
            parallels: dict[str, set[int]] = {}
            for assignment in data.assignments:
                taught = by_id.get(assignment.class_id or "")
                if taught is not None:
                    parallels.setdefault(assignment.teacher_id, set()).add(taught.parallel)
            return [(t, None, tuple(sorted(p))) for t, p in sorted(parallels.items())]
        everyone = tuple(sorted({c.parallel for c in classes})) or tuple(range(1, 12))
        return [(ctx.records.designations.get(rule.role.value), None, everyone)]

    def _windows(
        self, rule: DeadlineRule, ctx: Context, parallels: tuple[int, ...]
    ) -> list[_Window]:
        year = ctx.year
        assert year is not None  # noqa: S101 - _needs_year guarded it
        first, last = year.first_day, year.last_day
        if rule.kind is RuleKind.AFTER_PERIOD:
            ends = sorted({p.end for parallel in parallels for p in ctx.periods(parallel)})
            return [(end, self.calendar.add_working_days(end, rule.days or 0)) for end in ends]
        if rule.starts is not None:
            first = next_month_day(date(last.year, 1, 1), rule.starts)
            last = next_month_day(first, rule.ends) if rule.ends else last
            last = min(last, self._transition_end(ctx, year) or last)
        every = rule.every
        windows: list[_Window] = []
        if every is Periodicity.YEARLY:
            return [(first, next_month_day(first, rule.by or ""))]
        if every is Periodicity.TWICE_A_YEAR:
            return [
                (first, date(first.year, 12, 31)),
                (date(first.year + 1, 1, 1), date(first.year + 1, 6, 30)),
            ]
        if every in (Periodicity.WEEKLY, Periodicity.TWO_WEEKS):
            start = (
                first - timedelta(days=first.weekday()) if every is Periodicity.WEEKLY else first
            )
            step = timedelta(days=7 if every is Periodicity.WEEKLY else 14)
            while start <= last:
                windows.append((start, start + step - timedelta(days=1)))
                start += step
            return windows
        month = date(first.year, first.month, 1)
        while month <= last:
            following = (month + timedelta(days=32)).replace(day=1)
            end = following - timedelta(days=1)
            windows.append((end if every is Periodicity.MONTH_END else month, end))
            month = following
        return windows

    def _match(
        self,
        rule: DeadlineRule,
        ctx: Context,
        windows: list[_Window],
        days: list[date],
        *,
        kind: EntityKind,
        code: str,
        person: str | None,
        class_id: str | None,
    ) -> Iterator[Finding]:
        for index, (opens, due) in enumerate(windows):
            if opens > ctx.as_of:
                break
            first = bisect.bisect_left(days, opens)
            if first < len(days) and days[first] <= due:
                continue
            following = windows[index + 1][1] if index + 1 < len(windows) else due + (due - opens)
            done = days[first] if first < len(days) and days[first] <= following else None
            if done is not None:
                status = FindingStatus.LATE
            else:
                status = FindingStatus.MISSING if ctx.as_of > due else FindingStatus.NOT_YET_DUE
            entity_id = f"{code}@{due.isoformat()}"
            yield self._finding(
                rule,
                status,
                kind=kind,
                entity_id=entity_id,
                due=due,
                done=done,
                person=person,
                class_id=class_id,
                ctx=ctx,
            )

    @staticmethod
    def _transition_end(ctx: Context, year: AcademicYear) -> date | None:
        """The day the next year's formation was finished, if a milestone records it."""
        following = next_year_label(str(year.label))
        return min(
            (
                day
                for m in ctx.records.milestones or ()
                if m.kind is MilestoneKind.YEAR_FORMATION
                and m.year == following
                and (day := ctx.local_day(m.done_at)) is not None
            ),
            default=None,
        )


def _controller_id(rule: DeadlineRule, ctx: Context) -> str | None:
    """The employee designated for the rule's controlling role (R10.2), where known."""
    if rule.controller is None:
        return None
    return ctx.records.designations.get(rule.controller.value)


def _plural_ru(count: int, one: str, few: str, many: str) -> str:
    """Return the Russian form for ``count``: 1 день, 2 дня, 5 дней, 11 дней, 21 день."""
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


def _days_ru(count: int) -> str:
    """Return ``"1 день"``, ``"3 дня"``, ``"5 дней"``."""
    return f"{count} {_plural_ru(count, 'день', 'дня', 'дней')}"


def _working_ru(count: int) -> str:
    """Return ``"1 рабочий"``, ``"3 рабочих"`` (of the days late, how many were working)."""
    return f"{count} {_plural_ru(count, 'рабочий', 'рабочих', 'рабочих')}"


def _days_en(count: int, kind: str = "") -> str:
    """Return ``"1 day"``, ``"3 days"``, ``"1 working day"``, ``"0 working days"``."""
    return f"{count} {kind}day{'' if count == 1 else 's'}"


def _ru_date(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def _needs_year(rule: DeadlineRule) -> bool:
    return rule.kind in (
        RuleKind.PERIODIC,
        RuleKind.AFTER_PERIOD,
        RuleKind.PERIOD_LOCK,
    ) or rule.applies_to in (AppliesTo.ATTESTATION_MARK, AppliesTo.CLASS_LIST)
