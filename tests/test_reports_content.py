"""What the reports of a set say: one moment, staff-card signatures, the year's decisions."""

from __future__ import annotations

import datetime as dt
import io
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.errors import ValidationError
from eschool_core.grading import (
    OFFICIAL_STATISTICS,
    STATISTIC_DEFINITIONS,
    StatisticBasis,
    all_subjects_statistics,
    format_percent,
)
from eschool_core.ids import StudentId, SubjectId
from eschool_core.journal import AttestationKind, MarkValue
from eschool_core.movement import OrderKind
from eschool_core.people import Employee, EmployeeStatus, Person
from eschool_core.reports import (
    Report,
    ReportData,
    ReportParams,
    Signatory,
    decline_name,
    export_report,
    plan_report_set,
    pupil_noun,
    run_report,
    signature_name,
    with_director,
)
from eschool_core.synth import SyntheticSchool, decide_year_end, generate
from tests.rules_helpers import synthetic_rules

MOMENT = dt.datetime(2025, 12, 29, 13, 21, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def school() -> SyntheticSchool:
    return generate("small", seed=5)


@pytest.fixture(scope="module")
def data(school: SyntheticSchool) -> ReportData:
    return ReportData.from_synthetic(school, synthetic_rules(school))


def _card(data: ReportData, position: str) -> Employee:
    holders = sorted(
        (
            e
            for e in data.employees
            if e.position.startswith(position) and e.status is EmployeeStatus.ACTIVE
        ),
        key=lambda e: e.id,
    )
    assert holders, position
    return holders[0]


def _signed(report: Report) -> dict[Signatory, str | None]:
    return {s.signatory: s.name for s in report.signatures}


def _occupancy(school: SyntheticSchool) -> Report:
    data = ReportData.from_synthetic(school, synthetic_rules(school))
    return run_report("class_occupancy", data, ReportParams(), generated_at=MOMENT)


class TestSignatures:
    def test_names_are_the_staff_cards(self, data: ReportData) -> None:
        """R9.3, R11.3a, R11.4a: the director, deputy head and class teacher sign by their cards."""
        director = _card(data, "директор")
        deputies = sorted(
            (e for e in data.employees if e.position.startswith("заместитель директора")),
            key=lambda e: e.id,
        )
        school = run_report(
            "school_performance", data, ReportParams(period="Q2"), generated_at=MOMENT
        )
        assert _signed(school) == {
            Signatory.DEPUTY_HEAD: deputies[0].person.short_name,
            Signatory.DIRECTOR: director.person.short_name,
        }
        school_class = data.classes[4]
        results = run_report(
            "class_period_results",
            data,
            ReportParams(class_id=school_class.id, period="Q2"),
            generated_at=MOMENT,
        )
        teacher = data.employee_by_id[school_class.class_teacher_id]  # type: ignore[index]
        assert _signed(results) == {
            Signatory.CLASS_TEACHER: teacher.person.short_name,
            Signatory.DIRECTOR: director.person.short_name,
        }

    def test_the_director_of_the_cards_wins_over_the_schools_field(
        self, school: SyntheticSchool, data: ReportData
    ) -> None:
        """R9.3: the active employee whose position is «директор» signs, not the school field."""
        stale = attrs.evolve(school.school, director="Смирнова Елена Викторовна")
        report = _occupancy(attrs.evolve(school, school=stale))
        assert _signed(report)[Signatory.DIRECTOR] == _card(data, "директор").person.short_name

    def test_without_a_director_card_the_school_field_signs_in_short_form(
        self, school: SyntheticSchool
    ) -> None:
        """R9.3: with no active «директор» card the school's field signs, as «Фамилия И. О.»."""
        staff = [
            attrs.evolve(e, status=EmployeeStatus.DISMISSED, dismissed_on=dt.date(2025, 8, 1))
            if e.position == "директор"
            else e
            for e in school.employees
        ]
        stale = attrs.evolve(school.school, director="Смирнова Елена Викторовна")
        report = _occupancy(attrs.evolve(school, school=stale, employees=tuple(staff)))
        assert _signed(report)[Signatory.DIRECTOR] == "Смирнова Е. В."

    def test_a_named_director_is_honoured_in_every_printed_format(self, data: ReportData) -> None:
        """R9.3: export_report(..., director=...) puts that name on the director's line."""
        report = run_report("class_occupancy", data, ReportParams(), generated_at=MOMENT)
        for fmt in ("text", "md", "pdf"):
            content = export_report(report, fmt, director="Смирнова Елена Викторовна")
            if fmt == "pdf":
                from pypdf import PdfReader

                reader = PdfReader(io.BytesIO(content))
                text = " ".join(page.extract_text() for page in reader.pages)
            else:
                text = content.decode()
            if "Директор" in text:
                assert "Смирнова Е. В." in text
                assert _card(data, "директор").person.short_name not in text.split("Директор")[1]
        signed = with_director(report, "Смирнова Е. В.")
        assert [s.signatory for s in signed.signatures] == [
            Signatory.DEPUTY_HEAD,
            Signatory.DIRECTOR,
        ]
        assert _signed(signed)[Signatory.DIRECTOR] == "Смирнова Е. В."

    @settings(max_examples=60, deadline=None)
    @given(
        last=st.sampled_from(["Иванова", "Петров", "Салтыков-Щедрин"]),
        first=st.sampled_from(["Анна", "Пётр", "Эльвира"]),
        patronymic=st.sampled_from(["", "Ильинична", "Петрович"]),
    )
    def test_one_name_form(self, last: str, first: str, patronymic: str) -> None:
        """R9.3: a signature name is «Фамилия И. О.» whichever form it was given in."""
        person = Person(last_name=last, first_name=first, patronymic=patronymic or None)
        assert signature_name(person.full_name) == person.short_name
        assert signature_name(person.short_name) == person.short_name


class TestOneMoment:
    def test_the_q2_set_counts_the_same_pupils(self, data: ReportData) -> None:
        """R11.3b, R11.4a, R11.4d: a class's pupils are counted alike in all of the Q2 set."""
        jobs = plan_report_set(data, "Q2")
        by_code: dict[str, dict[str | None, ReportParams]] = {}
        for job in jobs:
            by_code.setdefault(job.code, {})[job.params.class_id] = job.params
        occupancy = run_report(
            "class_occupancy", data, by_code["class_occupancy"][None], generated_at=MOMENT
        )
        counted = {row[0]: row[3] for row in occupancy.rows}
        for school_class in data.classes:
            end = data.period(school_class.parallel, "Q2").end
            expected = len(data.roster(school_class.id, end))
            assert counted[school_class.name] == expected, school_class.name
            info = run_report(
                "student_general_info",
                data,
                by_code["student_general_info"][school_class.id],
                generated_at=MOMENT,
            )
            assert len(info.rows) == expected
            if school_class.parallel == 1:
                continue
            results = run_report(
                "class_period_results",
                data,
                by_code["class_period_results"][school_class.id],
                generated_at=MOMENT,
            )
            assert {row[2] for row in results.rows} == {expected}
        assert occupancy.subtitle_ru.startswith("на ")
        assert by_code["class_occupancy"][None].as_of == max(
            data.period(c.parallel, "Q2").end for c in data.classes
        )

    def test_a_period_set_leaves_the_year_end_to_the_year(self, data: ReportData) -> None:
        """R11.4d: «Итоговые данные по учащимся» is filed for the year, not with a quarter."""
        quarter = {job.code for job in plan_report_set(data, "Q2")}
        assert "student_final_data" not in quarter
        assert "performance_quality" in quarter
        year_end = [job for job in plan_report_set(data, "Q4") if job.code == "student_final_data"]
        assert {job.params.class_id for job in year_end} == {c.id for c in data.classes}
        whole = plan_report_set(data, "year")
        assert sum(job.code == "student_final_data" for job in whole) == len(data.classes)

    def test_quality_by_period_stops_at_the_sets_period(self, data: ReportData) -> None:
        """R11.5: a Q2 set's «Итоги успеваемости и качества знаний» shows Q1 and Q2 only."""
        fifth = next(c for c in data.classes if c.parallel == 5)
        q2 = run_report(
            "performance_quality",
            data,
            ReportParams(class_id=fifth.id, period="Q2"),
            generated_at=MOMENT,
        )
        keys = {column.code.rsplit("_", 1)[0] for column in q2.columns[1:]}
        assert keys == {"Q1", "Q2"}
        assert q2.subtitle_ru.endswith("по итогам: 2-я четверть")
        q4 = run_report(
            "performance_quality",
            data,
            ReportParams(class_id=fifth.id, period="Q4"),
            generated_at=MOMENT,
        )
        whole = run_report(
            "performance_quality", data, ReportParams(class_id=fifth.id), generated_at=MOMENT
        )
        assert q4.columns == whole.columns
        assert {column.code.rsplit("_", 1)[0] for column in whole.columns[1:]} == {
            "Q1",
            "Q2",
            "Q3",
            "Q4",
            "year",
        }
        assert q4.rows == whole.rows


class TestNamesInSentences:
    @pytest.mark.parametrize(
        ("person", "case", "expected"),
        [
            (("Белова", "Василиса", "Ильинична", "f"), "genitive", "Беловой Василисы Ильиничны"),
            (("Белова", "Василиса", "Ильинична", "f"), "dative", "Беловой Василисе Ильиничне"),
            (("Лукьянов", "Илья", "Петрович", "m"), "genitive", "Лукьянова Ильи Петровича"),
            (("Лукьянов", "Илья", "Петрович", "m"), "instrumental", "Лукьяновым Ильёй Петровичем"),
            (("Шевчук", "Анна", "Олеговна", "f"), "genitive", "Шевчук Анны Олеговны"),
            (("Шевчук", "Пётр", "Олегович", "m"), "genitive", "Шевчука Петра Олеговича"),
            (("Мельникова", "Анна", None, None), "genitive", "Мельниковой Анны"),
            (("Белова", "Василиса", "Ильинична", "f"), "nominative", "Белова Василиса Ильинична"),
        ],
    )
    def test_declension_by_case_and_sex(
        self, person: tuple[str, str, str | None, str | None], case: str, expected: str
    ) -> None:
        """R11.5: a name is declined by case and by the sex of the card (or of the name)."""
        last, first, patronymic, sex = person
        subject = Person(last_name=last, first_name=first, patronymic=patronymic, sex=sex)
        assert decline_name(subject, case) == expected

    def test_an_unknown_case_is_a_typed_error(self) -> None:
        """R11.5: asking for a case that Russian has not is a ValidationError with a code."""
        person = Person(last_name="Белова", first_name="Василиса", sex="f")
        for call in (decline_name, pupil_noun):
            with pytest.raises(ValidationError) as caught:
                call(person, "vocative")
            assert caught.value.code == "report.unknown_case"

    def test_the_parent_letter_of_a_girl_and_a_boy(self) -> None:
        """R11.5: the letter addresses the parents of «ученицы … Беловой Василисы Ильиничны»."""
        school = generate("small", seed=1)
        data = ReportData.from_synthetic(school, synthetic_rules(school))
        (five_a,) = (c for c in data.classes if c.name == "5А")
        roster = data.roster(five_a.id, data.period(5, "Q2").end)
        letters = {}
        for student in roster:
            person = data.get_student(student).person
            if person.last_name in {"Белова", "Гончаров"}:
                letters[person.last_name] = run_report(
                    "parent_letter",
                    data,
                    ReportParams(student_id=student, period="Q2"),
                    generated_at=MOMENT,
                )
        assert letters["Белова"].notes_ru[:2] == (
            (
                "Уважаемые родители (законные представители) ученицы 5А класса "
                "Беловой Василисы Ильиничны!"
            ),
            (
                "Сообщаем сведения об успеваемости и посещаемости "
                "за 2-ю четверть 2025/2026 учебного года."
            ),
        )
        assert letters["Гончаров"].notes_ru[0] == (
            "Уважаемые родители (законные представители) ученика 5А класса "
            "Гончарова Ярослава Игоревича!"
        )
        november = run_report(
            "parent_letter",
            data,
            ReportParams(
                student_id=roster[0], start=dt.date(2025, 11, 10), end=dt.date(2025, 11, 30)
            ),
            generated_at=MOMENT,
        )
        assert november.notes_ru[1] == (
            "Сообщаем сведения об успеваемости и посещаемости "
            "с 10 ноября 2025 г. по 30 ноября 2025 г."
        )


_FAILING = {"2", "1", "н/а", "незач"}
_YEAR_END = {
    OrderKind.PROMOTION,
    OrderKind.CONDITIONAL_PROMOTION,
    OrderKind.REPEAT,
    OrderKind.RETENTION,
    OrderKind.GRADUATION,
}


def _expected_kinds(parallel: int, failing: int) -> set[OrderKind | None]:
    """The oracle: which decisions a number of failed subjects allows in a grade."""
    if parallel == 1:
        return {OrderKind.PROMOTION}
    if parallel == 9:
        return {OrderKind.RETENTION} if failing else {OrderKind.GRADUATION}
    if parallel == 11:
        return {None} if failing else {OrderKind.GRADUATION}
    if failing == 0:
        return {OrderKind.PROMOTION}
    return {OrderKind.CONDITIONAL_PROMOTION} if failing <= 2 else {OrderKind.REPEAT}


class TestYearEnd:
    @pytest.mark.parametrize("seed", [1, 2])
    def test_the_synthetic_decisions_follow_the_marks(self, seed: int) -> None:
        """R10.1c, R10.1d: promotion, debts, repeats and graduation as the annual marks say."""
        school = generate("small", seed=seed)
        data = ReportData.from_synthetic(school, synthetic_rules(school))
        last = school.school_days[-1]
        annual: dict[str, dict[str, str]] = {}
        for mark in school.attestation_marks:
            if mark.kind is AttestationKind.ANNUAL:
                annual.setdefault(mark.student_id, {})[mark.subject_id] = str(mark.value)
        decided = 0
        for order in school.orders:
            if order.kind not in _YEAR_END:
                continue
            for item in order.items:
                school_class = data.class_of(item.student_id, last)
                assert school_class is not None
                studied = [s.id for s in data.subjects_of_class(school_class.id)]
                marks = annual.get(item.student_id, {})
                failing = [s for s in studied if marks.get(s, "н/а") in _FAILING]
                if school_class.parallel == 1:
                    failing = []
                assert order.kind in _expected_kinds(school_class.parallel, len(failing))
                if order.kind is OrderKind.CONDITIONAL_PROMOTION:
                    assert set(item.subjects) == set(failing)
                    assert set(item.subjects) <= set(studied)
                decided += 1
        assert decided == sum(len(data.roster(c.id, last)) for c in data.classes)

    def test_the_final_data_prints_the_debts_beside_the_decision(self) -> None:
        """R11.4d, R10.1c: «Итоговые данные по учащимся» name the debt subjects of the order."""
        school = generate("small", seed=2)
        data = ReportData.from_synthetic(school, synthetic_rules(school))
        shown = 0
        for school_class in data.classes:
            report = run_report(
                "student_final_data",
                data,
                ReportParams(class_id=school_class.id),
                generated_at=MOMENT,
            )
            for text, owed in zip(report.column("decision"), report.column("debts"), strict=True):
                if str(text).startswith("Условный перевод"):
                    assert owed is not None
                    for subject in str(owed).split(", "):
                        assert subject in str(text)
                    shown += 1
                if str(text).startswith(("Перевод в следующий класс", "Выпуск")):
                    assert owed is None
        assert shown == sum(
            len(o.items) for o in school.orders if o.kind is OrderKind.CONDITIONAL_PROMOTION
        )

    @settings(max_examples=200, deadline=None)
    @given(
        parallel=st.integers(1, 11),
        marks=st.lists(st.sampled_from(["5", "4", "3", "2", "1", "н/а", None]), max_size=8),
    )
    def test_decide_year_end_against_the_oracle(
        self, parallel: int, marks: list[str | None]
    ) -> None:
        """R10.1c, R10.1d: every grade and mix of annual marks gets the decision they call for."""
        studied = [SubjectId(f"s{index}") for index in range(len(marks))]
        annual = {
            subject: MarkValue.parse(mark)
            for subject, mark in zip(studied, marks, strict=True)
            if mark is not None
        }
        decision = decide_year_end(parallel, annual, studied)
        failing = 0 if parallel == 1 else sum(m is None or m in _FAILING for m in marks)
        assert decision.kind in _expected_kinds(parallel, failing)
        assert len(decision.debts) == failing


class TestStatisticDefinitions:
    def test_every_report_with_figures_names_the_official_definition(
        self, data: ReportData
    ) -> None:
        """R2.2k, R11.3a, R11.4a, R11.5: a report printing успеваемость labels its definition."""
        school_class = data.classes[4]
        teacher = data.teacher_of(school_class.id, data.subjects_of_class(school_class.id)[0].id)
        params = {
            "school_performance": ReportParams(period="Q2"),
            "class_teachers_summary": ReportParams(period="Q2"),
            "class_period_results": ReportParams(class_id=school_class.id, period="Q2"),
            "performance_quality": ReportParams(class_id=school_class.id),
            "subject_teacher": ReportParams(teacher_id=teacher, period="Q2"),
        }
        for code, chosen in params.items():
            report = run_report(code, data, chosen, generated_at=MOMENT)
            assert any(c.title_ru.lower().endswith("успеваемость") for c in report.columns), code
            assert OFFICIAL_STATISTICS.label("ru") in report.notes_ru, code
            assert OFFICIAL_STATISTICS.label("en") in report.notes_en, code

    def test_the_definitions_are_named_with_their_sources(self) -> None:
        """R2.2k: each basis has one definition with its source; only per pupil is official."""
        assert set(STATISTIC_DEFINITIONS) == set(StatisticBasis)
        assert [d.basis for d in STATISTIC_DEFINITIONS.values() if d.official] == [
            StatisticBasis.PER_PUPIL
        ]
        assert "11.5" in OFFICIAL_STATISTICS.source
        for definition in STATISTIC_DEFINITIONS.values():
            assert definition.source in definition.label("ru")
            assert definition.source_en in definition.label("en")

    @settings(max_examples=80, deadline=None)
    @given(
        pupils=st.lists(
            st.lists(st.sampled_from(["5", "4", "3", "2", "н/а"]), min_size=1, max_size=5),
            min_size=1,
            max_size=8,
        )
    )
    def test_the_official_school_figures_count_pupils(self, pupils: list[list[str]]) -> None:
        """R2.2k: per pupil, one «2» or «н/а» makes a pupil failing, however many marks he has."""
        marks = {
            StudentId(f"p{index}"): [MarkValue.parse(text) for text in own]
            for index, own in enumerate(pupils)
        }
        summary = all_subjects_statistics(marks).summary("en")
        succeeding = sum(not ({"2", "н/а"} & set(own)) for own in pupils)
        expected = Fraction(succeeding, len(pupils))
        assert summary["Success rate"] == format_percent(expected, "en")
