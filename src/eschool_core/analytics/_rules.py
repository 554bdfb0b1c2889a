"""The rules in bulk, as Ibis expressions: one definition for DuckDB, Spark and PostgreSQL.

Each function takes a :class:`~eschool_core.analytics.Dataset` and returns a lazy Ibis
table; nothing runs until it is executed. Exact arithmetic stays exact: weights are scaled
to integers by their common denominator, and an average ``Σw·v / Σw`` is compared with a
rounding threshold ``num/den`` as ``Σw·v · den >= num · Σw`` in integers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.datatypes as dt_type
import ibis.expr.types as ir

from eschool_core.analytics._data import Dataset
from eschool_core.analytics._errors import ANALYTICS_ZONE_OFFSET_CHANGES
from eschool_core.deadlines import EntryDeadlines
from eschool_core.grading import SOU_COEFFICIENTS, GradingPolicy
from eschool_core.journal import MAX_SCORE, MIN_SCORE, MarkKind

__all__ = [
    "attendance_register",
    "class_statistics",
    "completeness",
    "late_marks",
    "period_marks",
    "timeliness",
]

_DAY = 86_400
_SPECIAL_EXEMPT = MarkKind.EXEMPT.value
_PASS_FAIL = (MarkKind.PASS.value, MarkKind.FAIL.value)


def _score(value: ir.StringValue) -> ir.IntegerValue:
    branches = [(value == str(score), score) for score in range(MIN_SCORE, MAX_SCORE + 1)]
    return ibis.cases(*branches, else_=ibis.null("int64"))


def _common_denominator(
    data: Dataset, policy: GradingPolicy, validate: bool
) -> tuple[int, frozenset[int]]:
    """The lcm of all weight denominators and the own weights' denominators.

    With ``validate``, checks work types and own weights like the per-object API.
    """
    marks = data.table("marks")
    scale = math.lcm(*(t.weight.denominator for t in policy.work_types.values()))
    own = (
        marks.filter(marks.weight_num.notnull())
        .select("work_type", "weight_num", "weight_den")
        .distinct()
        .to_pyarrow()
        .to_pylist()
    )
    denominators = set()
    for row in own:
        if validate:
            policy.weight_of(row["work_type"], Fraction(row["weight_num"], row["weight_den"]))
        # The stored denominator, reduced or not, divides the scale: num · (scale // den).
        scale = math.lcm(scale, row["weight_den"])
        denominators.add(row["weight_den"])
    if validate:
        for row in marks.select("work_type").distinct().to_pyarrow().to_pylist():
            policy.work_type(row["work_type"])
    return scale, frozenset(denominators)


def _with_class(facts: ir.Table, data: Dataset) -> ir.Table:
    """Each fact with the class its student was in on the fact's date."""
    members = data.table("memberships").select("student_id", "class_id", "since", "until")
    joined = facts.join(
        members,
        [
            facts.student_id == members.student_id,
            facts.date >= members.since,
            members.until.isnull() | (facts.date <= members.until),
        ],
    )
    return joined.select(*(facts[name] for name in facts.columns), members.class_id)


def _membership_periods(data: Dataset) -> ir.Table:
    """Each membership with each study period of its class's school and parallel.

    One row per student × class × period (a few per student), so that a mark finds its
    period in one join on the student. The periods are matched on the class's school as
    well as its parallel: on the parallel alone every membership would meet the periods of
    every school of a region.
    """
    memberships = data.table("memberships")
    classes = data.table("classes")
    periods = data.table("periods")
    spans = (
        memberships.join(classes, memberships.class_id == classes.id)
        .join(
            periods,
            [classes.school_id == periods.school_id, classes.parallel == periods.parallel],
        )
        .select(
            school_id=classes.school_id,
            student_id=memberships.student_id,
            since=ibis.greatest(memberships.since, periods.start),
            until=ibis.least(memberships.until.fill_null(periods.end), periods.end),
            period=periods.code,
            period_kind=periods.kind,
        )
    )
    return spans.filter(spans.since <= spans.until)


def period_marks(data: Dataset, policy: GradingPolicy, *, validate: bool = True) -> ir.Table:
    """Propose every period mark of the data: student × subject × study period (R2.2j).

    The same proposals as :func:`eschool_core.grading.propose_period_marks` with the
    periods of each student's parallel: the weighted average rounded by the policy's
    period rounding, «н/а» below the minimum of marks for the period's kind, «осв» with only
    exempt marks, no value (null) with only pass/fail marks. A mark counts in the period of
    its date for the class its student was in on that date; marks outside every period or
    of students without a class are left out.

    Args:
        data: The tables (``marks``, ``memberships``, ``classes``, ``periods``).
        policy: The grading policy.
        validate: Check work types and own weights first (two small queries), raising the
            per-object API's errors.

    Returns:
        A lazy table: ``school_id, student_id, subject_id, period, period_kind, value``
        (``"5"``, ``"н/а"``, ``"осв"`` or null), ``count`` (marks in the average),
        ``weighted_sum`` and ``weight_sum`` (integers on a common scale: the exact average
        is their ratio) and ``average`` (a float for display).

    Raises:
        ValidationError: With ``validate``, for an unknown work type or an own weight
            outside the policy's range.

    See the package's example (:mod:`eschool_core.analytics`).
    """
    scale, denominators = _common_denominator(data, policy, validate)
    facts = data.table("marks")
    spans = _membership_periods(data)
    marks = facts.join(
        spans,
        [
            facts.school_id == spans.school_id,
            facts.student_id == spans.student_id,
            facts.date >= spans.since,
            facts.date <= spans.until,
        ],
    ).select(
        facts.school_id,
        facts.student_id,
        facts.subject_id,
        facts.value,
        facts.work_type,
        facts.weight_num,
        facts.weight_den,
        spans.period,
        spans.period_kind,
    )
    by_type = [
        (marks.work_type == code, int(kind.weight * scale))
        for code, kind in sorted(policy.work_types.items())
    ]
    # An own weight num/den on the common scale is num · (scale / den); the quotient is an
    # exact integer for each denominator present, so it is a literal, not a division per row.
    own_weight = (
        marks.weight_num
        * ibis.cases(
            *((marks.weight_den == den, scale // den) for den in sorted(denominators)),
            else_=ibis.null("int64"),
        )
        if denominators
        else ibis.null("int64")
    )
    weight = ibis.ifelse(marks.weight_num.isnull(), ibis.cases(*by_type, else_=0), own_weight)
    score = _score(marks.value)
    marks = marks.select(
        "school_id",
        "student_id",
        "subject_id",
        "period",
        "period_kind",
        "value",
        score=score,
        product=score * weight,
        counted_weight=ibis.ifelse(score.notnull(), weight, 0),
    )
    grouped = marks.group_by(
        ["school_id", "student_id", "subject_id", "period", "period_kind"]
    ).aggregate(
        n=marks.score.count(),
        weighted_sum=marks.product.sum().fill_null(0),
        weight_sum=marks.counted_weight.sum(),
        has_exempt=(marks.value == _SPECIAL_EXEMPT).any(),
        has_pass_fail=marks.value.isin(_PASS_FAIL).any(),
    )
    thresholds = sorted(policy.period_rounding.thresholds.items(), reverse=True)
    rounded = ibis.cases(
        *(
            (
                grouped.weighted_sum * limit.denominator >= grouped.weight_sum * limit.numerator,
                str(mark),
            )
            for mark, limit in thresholds
        ),
        else_=str(MIN_SCORE),
    )
    minimum = (
        ibis.cases(
            *(
                (grouped.period_kind == kind, count)
                for kind, count in sorted(policy.min_current_marks_by_kind.items())
            ),
            else_=policy.min_current_marks,
        )
        if policy.min_current_marks_by_kind
        else ibis.literal(policy.min_current_marks)
    )
    none = grouped.n == 0
    value = ibis.cases(
        ((grouped.n > 0) & (grouped.n >= minimum), rounded),
        (none & grouped.has_exempt, _SPECIAL_EXEMPT),
        (none & grouped.has_pass_fail, ibis.null("string")),
        else_=MarkKind.NOT_ATTESTED.value,
    )
    return grouped.select(
        "school_id",
        "student_id",
        "subject_id",
        "period",
        "period_kind",
        value=value,
        count=grouped.n,
        weighted_sum=grouped.weighted_sum,
        weight_sum=grouped.weight_sum,
        average=ibis.ifelse(none, ibis.null("float64"), grouped.weighted_sum / grouped.weight_sum),
    )


_MARK_COLUMNS: Mapping[str, str] = {
    "n5": "5",
    "n4": "4",
    "n3": "3",
    "n2": "2",
    "n1": "1",
    "n_not_attested": MarkKind.NOT_ATTESTED.value,
    "n_exempt": MarkKind.EXEMPT.value,
    "n_pass": MarkKind.PASS.value,
    "n_fail": MarkKind.FAIL.value,
}


def _period_rosters(data: Dataset) -> ir.Table:
    """Each class's students on the last day of each of its study periods (R2.2k).

    One row per school × class × period × student: a student moved between classes counts
    in the class he is in when the period ends, as in the per-object reports
    (``ReportData.roster(class_id, period.end)``); one who left before it counts nowhere.
    """
    memberships = data.table("memberships")
    classes = data.table("classes")
    periods = data.table("periods")
    joined = (
        memberships.join(classes, memberships.class_id == classes.id)
        .join(
            periods,
            [classes.school_id == periods.school_id, classes.parallel == periods.parallel],
        )
        .select(
            school_id=classes.school_id,
            class_id=memberships.class_id,
            period=periods.code,
            student_id=memberships.student_id,
            since=memberships.since,
            until=memberships.until,
            end=periods.end,
        )
    )
    held = (joined.since <= joined.end) & (joined.until.isnull() | (joined.end <= joined.until))
    return joined.filter(held).select("school_id", "class_id", "period", "student_id").distinct()


def with_period_class(marks: ir.Table, data: Dataset) -> ir.Table:
    """Period marks with ``class_id`` after ``student_id``: the class at the period's end.

    A student who was in no class of the school at the period's end keeps a null class.
    """
    roster = _period_rosters(data).select(
        roster_student="student_id", roster_period="period", class_id="class_id"
    )
    joined = marks.left_join(
        roster, [marks.student_id == roster.roster_student, marks.period == roster.roster_period]
    )
    names = list(marks.columns)
    names.insert(names.index("student_id") + 1, "class_id")
    return joined.select(*names)


def class_statistics(data: Dataset, marks: ir.Table | None = None) -> ir.Table:
    """Return the statistics of attestation marks per class × subject × period (R2.2k).

    The same figures as :func:`eschool_core.grading.mark_statistics` over the class's
    students on the period's last day, one mark each (a student of the class without a
    mark is "without marks"): a student moved to another class during the period counts
    in the class he ends it in, one who left before its end in none, as in the reports.
    Every figure is an integer count or numerator: a rate is its numerator over its
    denominator, exactly.

    Args:
        data: The tables (``memberships``, ``classes``, ``periods`` and, by default,
            ``attestation_marks``).
        marks: One mark per student × subject × period (columns ``student_id,
            subject_id, period, value``); by default the period marks that were set
            (``attestation_marks`` of kind ``period``). Pass :func:`period_marks` for the
            figures of the proposals; a proposal without a value (only pass/fail marks)
            leaves its student "without marks", as ``None`` does for ``mark_statistics``.

    Returns:
        A lazy table: ``school_id, class_id, subject_id, period, students, without_marks``,
        the counts ``n5 .. n1, n_not_attested, n_exempt, n_pass, n_fail``, then
        ``considered`` (N), ``succeeding`` (N without «2», «1», «незач», «н/а»),
        ``scored``, ``quality_count`` (n5 + n4), ``sou_points`` (Σ coefficient), and
        ``score_sum`` / ``score_count`` (the average mark's sum and count), and the display
        floats ``average``, ``success_rate``, ``quality``, ``sou`` (every share 0..1, СОУ too:
        ``sou_points`` are percent points, so ``sou = sou_points / (100 * scored)``).
    """
    if marks is None:
        attestation = data.table("attestation_marks")
        marks = attestation.filter(attestation.kind == "period")
    roster = _period_rosters(data)
    sizes = roster.group_by(["class_id", "period"]).aggregate(students=roster.student_id.count())
    keyed = marks.select("student_id", "subject_id", "period", "value")
    joined = keyed.join(
        roster, [keyed.student_id == roster.student_id, keyed.period == roster.period]
    )
    counts = joined.group_by(["school_id", "class_id", "subject_id", "period"]).aggregate(
        # A proposal without a value (only pass/fail marks) leaves the student without a mark.
        marked=joined.student_id.nunique(where=joined.value.notnull()),
        **{
            name: joined.value.count(where=joined.value == text)
            for name, text in _MARK_COLUMNS.items()
        },
    )
    table = counts.join(sizes, ["class_id", "period"])
    scores = [table.n5, table.n4, table.n3, table.n2, table.n1]
    score_count = scores[0] + scores[1] + scores[2] + scores[3] + scores[4]
    score_sum = 5 * table.n5 + 4 * table.n4 + 3 * table.n3 + 2 * table.n2 + table.n1
    without = table.students - table.marked
    considered = table.students - table.n_exempt - without
    succeeding = considered - table.n2 - table.n1 - table.n_fail - table.n_not_attested
    scored = score_count + table.n_not_attested
    quality = table.n5 + table.n4
    sou = (
        SOU_COEFFICIENTS["5"] * table.n5
        + SOU_COEFFICIENTS["4"] * table.n4
        + SOU_COEFFICIENTS["3"] * table.n3
        + SOU_COEFFICIENTS["2"] * table.n2
        + SOU_COEFFICIENTS["1"] * table.n1
        + SOU_COEFFICIENTS["н/а"] * table.n_not_attested
    )

    def ratio(part: ir.IntegerValue, whole: ir.IntegerValue) -> ir.FloatingValue:
        return ibis.ifelse(whole == 0, ibis.null("float64"), part / whole)

    return table.select(
        "school_id",
        "class_id",
        "subject_id",
        "period",
        "students",
        *_MARK_COLUMNS,
        without_marks=without,
        considered=considered,
        succeeding=succeeding,
        scored=scored,
        quality_count=quality,
        sou_points=sou,
        score_sum=score_sum,
        score_count=score_count,
        average=ratio(score_sum, score_count),
        success_rate=ratio(succeeding, considered),
        quality=ratio(quality, scored),
        sou=ratio(sou, scored * 100),
    )


def _zone_offset(zone: str, start: dt.date, end: dt.date) -> int:
    """The zone's fixed UTC offset in seconds over the dates; a changing one is an error."""
    info = ZoneInfo(zone)
    offsets = set()
    day = start
    while day <= end:
        for hour in range(0, 24, 6):
            moment = dt.datetime.combine(day, dt.time(hour), tzinfo=info)
            offsets.add(int(moment.utcoffset().total_seconds()))  # type: ignore[union-attr]
        day += dt.timedelta(days=1)
    if len(offsets) != 1:
        raise ANALYTICS_ZONE_OFFSET_CHANGES.error(time_zone=zone, offsets=sorted(offsets))
    return offsets.pop()


@ibis.udf.scalar.builtin(name="epoch_us")  # type: ignore[untyped-decorator]
def _epoch_us(moment: dt_type.Timestamp(timezone="UTC")) -> dt_type.int64:  # type: ignore[valid-type]
    """DuckDB's microseconds since the epoch of a ``TIMESTAMPTZ``: no time zone cast per row."""


def _local_clock(
    data: Dataset, table: ir.Table, moment: ir.TimestampValue
) -> tuple[ir.Table, Any, int]:
    """The table (joined with the schools' offsets if they differ), its local clock, a day.

    The local clock counts time units since 1970-01-01 00:00 in the school's time zone, so a
    moment falls after local date ``d`` when ``clock >= (d.epoch_days() + 1) · day``, and
    its local day number is ``clock // day``; comparing integers avoids a division, a time
    zone conversion and a float per row. The unit is a microsecond on DuckDB (its integer
    ``epoch_us``) and a second elsewhere (``epoch_seconds``).

    Returns:
        The table, the clock expression and the units in a day.
    """
    calendar = data.table("calendar")
    span = calendar.aggregate(first=calendar.date.min(), last=calendar.date.max()).to_pyarrow()
    first = span.column("first")[0].as_py() - dt.timedelta(days=366)
    last = span.column("last")[0].as_py() + dt.timedelta(days=366)
    zones = data.table("schools").select("id", "time_zone").to_pyarrow().to_pylist()
    by_zone = {
        zone: _zone_offset(zone, first, last) for zone in {row["time_zone"] for row in zones}
    }
    offsets = {row["id"]: by_zone[row["time_zone"]] for row in zones}
    unit = 1_000_000 if data.backend.name == "duckdb" else 1

    def clock(column: Any) -> Any:  # noqa: ANN401 - an Ibis timestamp column
        return _epoch_us(column) if unit > 1 else column.epoch_seconds()

    if len(set(offsets.values())) <= 1:
        offset = next(iter(offsets.values()), 0)
        return table, clock(moment) + offset * unit, _DAY * unit
    dimension = ibis.memtable(
        {"offset_school_id": list(offsets), "utc_offset": [o * unit for o in offsets.values()]}
    )
    joined = table.join(dimension, table.school_id == dimension.offset_school_id)
    return joined, clock(joined[moment.get_name()]) + joined.utc_offset, _DAY * unit


def _entry_delays(data: Dataset, extension_days: int) -> tuple[ir.Table, Any, int]:
    """The marks with their class and the flags ``is_late`` and ``is_excused`` (R8.6).

    Returns:
        The table, its expression of the time after the lesson day's local midnight, and
        the units in a day (see :func:`_local_clock`).
    """
    marks = _with_class(data.table("marks"), data)
    marks, clock, day = _local_clock(data, marks, marks.entered_at)
    after = clock - marks.date.epoch_days() * day
    with_reason = marks.late_reason.notnull()
    next_day = after >= day
    past_extension = after >= (extension_days + 1) * day
    return (
        marks.mutate(
            is_late=(next_day & ~with_reason) | past_extension,
            is_excused=with_reason & next_day & ~past_extension,
        ),
        after,
        day,
    )


def late_marks(data: Dataset, *, deadlines: EntryDeadlines) -> ir.Table:
    """Return every current mark entered late under R8.6, with its delay in days.

    Late: entered after the lesson's day (in the school's time zone) without a valid
    reason, or more than the extension's calendar days after it with one.

    Args:
        data: The tables (``marks``, ``memberships``, ``schools``, ``calendar``).
        deadlines: The profile's entry deadlines (``rules_for(profile, year).deadlines``).

    Returns:
        A lazy table: ``id, school_id, class_id, author_id, student_id, subject_id, date,
        delay, late_reason``.
    """
    extension = deadlines.extension_days
    marks, after, day = _entry_delays(data, extension)
    late = marks.mutate(delay=after // day).filter(marks.is_late)
    return late.select(
        "id",
        "school_id",
        "class_id",
        "author_id",
        "student_id",
        "subject_id",
        "date",
        "delay",
        "late_reason",
    )


def timeliness(data: Dataset, *, deadlines: EntryDeadlines) -> ir.Table:
    """Return the timeliness of current marks per teacher × class × month (R8.6, R8.10).

    Args:
        data: The tables (``marks``, ``memberships``, ``classes``, ``schools``,
            ``calendar``).
        deadlines: The profile's entry deadlines (``rules_for(profile, year).deadlines``):
            the calendar days a valid reason adds (R8.6).

    Returns:
        A lazy table: ``school_id, teacher_id, class_id, month`` (its first day),
        ``marks``, ``late`` (late under R8.6), ``excused`` (after the day, in time with a
        valid reason), ``late_share`` (a float).
    """
    extension = deadlines.extension_days
    marks, _, _ = _entry_delays(data, extension)
    # Count per day first, then truncate the few day rows to months: truncating every
    # mark's date costs more than a second, small aggregation.
    days = marks.group_by(
        school_id=marks.school_id,
        teacher_id=marks.author_id,
        class_id=marks.class_id,
        date=marks.date,
    ).aggregate(
        marks=marks.count(),
        late=marks.is_late.sum(),
        excused=marks.is_excused.sum(),
    )
    grouped = days.group_by(
        "school_id", "teacher_id", "class_id", month=days.date.truncate("M")
    ).aggregate(
        marks=days.marks.sum(),
        late=days.late.sum(),
        excused=days.excused.sum(),
    )
    # PostgreSQL sums integers as numeric and divides numerics exactly: the cast makes the
    # share a float there too.
    return grouped.mutate(late_share=grouped.late.cast("float64") / grouped.marks)


def completeness(data: Dataset) -> ir.Table:
    """Return the completeness of the journal per class × subject × teacher × month (R8.10).

    Held lessons without a topic, without homework (general or individual), and without any
    entry (no mark and no attendance record); cancelled lessons are counted apart. The
    teacher is the one who answers for the lesson: the substitute, if any (R7.7d).

    Returns:
        A lazy table: ``school_id, class_id, subject_id, teacher_id, month, held,
        cancelled, without_topic, without_homework, without_entries``.
    """
    lessons = data.table("lessons")
    marks = data.table("marks")
    attendance = data.table("attendance")
    entries = (
        marks.select(entry=marks.lesson_id.cast("string"))
        .union(attendance.select(entry=attendance.lesson_id.cast("string")))
        .filter(lambda t: t.entry.notnull())
        .distinct()
    )
    joined = lessons.left_join(entries, lessons.id == entries.entry)
    held = joined.state == "held"
    return joined.group_by(
        school_id=joined.school_id,
        class_id=joined.class_id,
        subject_id=joined.subject_id,
        teacher_id=joined.substitute_id.fill_null(joined.teacher_id),
        month=joined.date.truncate("M"),
    ).aggregate(
        held=held.sum(),
        cancelled=(~held).sum(),
        without_topic=(held & joined.topic.isnull()).sum(),
        without_homework=(
            held & joined.homework.isnull() & (joined.individual_homework == 0)
        ).sum(),
        without_entries=(held & joined.entry.isnull()).sum(),
    )


def attendance_register(data: Dataset, *, deadlines: EntryDeadlines) -> ir.Table:
    """Return absences per class × month × kind × reason, with late reason corrections.

    A reason corrected after the n-th working day after the document was presented is
    late (R8.5.1), n being the profile's ``reason_correction_working_days``
    (``rules_for(profile, year).deadlines``). The due date
    comes from the ``calendar`` dimension: the working day whose ordinal is the document
    day's ordinal plus n (the same day as ``ProductionCalendar.add_working_days``).

    Returns:
        A lazy table: ``school_id, class_id, month, kind, reason, records, students,
        with_document, corrected_late``.
    """
    correction_days = deadlines.reason_correction_working_days
    attendance = _with_class(data.table("attendance"), data)
    calendar = data.table("calendar")
    document = calendar.select(doc_day=calendar.date, doc_ordinal=calendar.working_day_ordinal)
    working = calendar.filter(calendar.is_working_day).select(
        due_day=calendar.date, due_ordinal=calendar.working_day_ordinal
    )
    rows = attendance.left_join(document, attendance.document_presented_on == document.doc_day)
    rows = rows.left_join(working, rows.doc_ordinal + correction_days == working.due_ordinal)
    rows, corrected, day = _local_clock(data, rows, rows.reason_corrected_at)
    late = (
        rows.due_day.notnull()
        & corrected.notnull()
        & (corrected >= (rows.due_day.epoch_days() + 1) * day)
    )
    return rows.group_by(
        school_id=rows.school_id,
        class_id=rows.class_id,
        month=rows.date.truncate("M"),
        kind=rows.kind,
        reason=rows.reason,
    ).aggregate(
        records=rows.count(),
        students=rows.student_id.nunique(),
        with_document=rows.document_presented_on.count(),
        corrected_late=late.sum(),
    )
