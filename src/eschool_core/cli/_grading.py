"""``eschool average``: explain a weighted average, propose a period mark, forecast a target."""

from __future__ import annotations

import datetime as dt

import click
from rich.console import Console
from rich.table import Table

from eschool_core.cli._errors import CLI_BAD_MARK
from eschool_core.cli._options import DEFAULT_YEAR, lang_option, load_year, profile_option
from eschool_core.grading import (
    GradingPolicy,
    exact_text,
    explain_average,
    marks_needed,
    propose_period_mark,
)
from eschool_core.ids import EmployeeId, MarkId, StudentId, SubjectId
from eschool_core.journal import Mark, MarkValue
from eschool_core.profiles import Profile, rules_for

__all__ = ["average_command"]

_TEXT = {
    "ru": {
        "proposal": "Предлагаемая отметка за период: {value}",
        "minimum": "(нужно не меньше {count} отметок)",
        "needed": "Чтобы получить «{target}», нужно ещё отметок «{value}» ({work_type}): {count}",
        "impossible": "Получить «{target}» отметками «{value}» за {lessons} уроков невозможно",
        "types": "Виды работ и веса",
        "code": "Код",
        "name": "Вид работы",
        "weight": "Вес",
    },
    "en": {
        "proposal": "Proposed period mark: {value}",
        "minimum": "(at least {count} marks are needed)",
        "needed": "To get «{target}», more marks «{value}» ({work_type}) are needed: {count}",
        "impossible": "«{target}» cannot be reached with marks «{value}» in {lessons} lessons",
        "types": "Work types and weights",
        "code": "Code",
        "name": "Work type",
        "weight": "Weight",
    },
}
_ENTERED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _parse_marks(items: tuple[str, ...]) -> list[Mark]:
    marks: list[Mark] = []
    for number, item in enumerate(items, start=1):
        parts = item.split(":")
        if len(parts) > 3:
            raise CLI_BAD_MARK.error(item=item)
        work_type = parts[1] if len(parts) > 1 and parts[1] else "answer"
        weight = parts[2] if len(parts) > 2 else None
        for value in MarkValue.parse_many(parts[0]):
            marks.append(
                Mark(
                    id=MarkId(f"cli-{number}-{len(marks)}"),
                    student_id=StudentId("student"),
                    subject_id=SubjectId("subject"),
                    date=dt.date(2000, 1, 1) + dt.timedelta(days=number - 1),
                    value=value,
                    work_type=work_type,
                    weight=weight,
                    author_id=EmployeeId("teacher"),
                    entered_at=_ENTERED,
                )
            )
    return marks


def _work_types(policy: GradingPolicy, lang: str, console: Console) -> None:
    text = _TEXT[lang]
    table = Table(title=text["types"])
    for column in ("code", "name", "weight"):
        table.add_column(text[column])
    for item in policy.work_types.values():
        table.add_row(item.code, item.name(lang), exact_text(item.weight, lang))
    console.print(table)


@click.command("average")
@click.argument("marks", nargs=-1, metavar="MARK...")
@click.option("--target", type=click.IntRange(2, 5), help="Желаемая отметка / target mark.")
@click.option(
    "--value",
    type=click.IntRange(1, 5),
    default=5,
    show_default=True,
    help="Отметки, которые добавятся / value of the additional marks.",
)
@click.option(
    "--work-type",
    default="answer",
    show_default=True,
    help="Вид работы добавляемых отметок / work type of the additional marks.",
)
@click.option(
    "--remaining",
    type=click.IntRange(0),
    default=10,
    show_default=True,
    help="Уроков до конца периода / lessons left in the period.",
)
@click.option(
    "--period-kind",
    default=None,
    help="Вид периода / the kind of period: quarter, trimester, half_year.",
)
@click.option(
    "--year",
    "year_label",
    default=DEFAULT_YEAR,
    show_default=True,
    help="Учебный год, чьи правила профиля применяются / the academic year whose profile "
    "rules apply.",
)
@profile_option
@lang_option
def average_command(
    *,
    marks: tuple[str, ...],
    target: int | None,
    value: int,
    work_type: str,
    remaining: int,
    period_kind: str | None,
    year_label: str,
    profile: Profile,
    lang: str,
) -> None:
    """Средневзвешенный балл / explain a weighted average (R2.2j).

    Each MARK is VALUE[:WORK_TYPE[:WEIGHT]], e.g. 5:test 3 4:answer:1.5 «5/4» н/а.
    Without marks, lists the profile's work types and weights. With --target, also tells
    how many marks of --value and --work-type reach the target in --remaining lessons.
    """
    policy = rules_for(profile, load_year(year_label, None, profile)).grading
    console = Console(width=100, soft_wrap=False, highlight=False)
    text = _TEXT[lang]
    if not marks:
        _work_types(policy, lang, console)
        return
    parsed = _parse_marks(marks)
    console.print(explain_average(parsed, policy).render(lang, dates=False), markup=False)
    proposal = propose_period_mark(parsed, policy, period_kind=period_kind)
    line = text["proposal"].format(value=proposal.value if proposal.value else "—")
    if proposal.count < policy.min_marks_for(period_kind):
        line += " " + text["minimum"].format(count=policy.min_marks_for(period_kind))
    console.print(line, markup=False)
    if target is not None:
        answer = marks_needed(
            parsed,
            policy,
            target=target,
            value=value,
            work_type=work_type,
            remaining_lessons=remaining,
            period_kind=period_kind,
        )
        if answer.count is None:
            message = text["impossible"].format(target=target, value=value, lessons=remaining)
        else:
            name = policy.work_type(work_type).name(lang)
            message = text["needed"].format(
                target=target, value=value, work_type=name, count=answer.count
            )
        console.print(message, markup=False)
