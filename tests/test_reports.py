"""The named reports on a hand-made school: every cell was worked out by hand (R11.1-R11.6)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.errors import NotFoundError, PermissionDenied, ValidationError
from eschool_core.movement import Order, OrderItem
from eschool_core.people import Employee, Person
from eschool_core.profiles import default_profile
from eschool_core.rbac import REPORT_TITLES, Action, Actor, Authorizer, MemoryDirectory
from eschool_core.reports import (
    CATALOGUE,
    Column,
    Query,
    Report,
    ReportData,
    ReportParams,
    Timeliness,
    build_custom_report,
    get_definition,
    mark_timeliness,
    run_report,
)
from eschool_core.year_data import SchoolYearData
from tests.reports_school import GENERATED, MSK, hand_school
from tests.rules_helpers import DEADLINES

F = Fraction


@pytest.fixture(scope="module")
def data() -> ReportData:
    return hand_school()


def run(data: ReportData, code: str, **params: object) -> Report:
    return run_report(code, data, ReportParams(**params), generated_at=GENERATED)


REGULATION_TITLES = [
    "Сводный отчёт классного руководителя",
    "Сводный отчёт об успеваемости по школе",
    "Наполняемость классов",
    "Движение учащихся по школе",
    "Отчет по ведению электронных журналов",
    "Своевременность выставления текущих отметок",
    "Сводный отчет по заполняемости электронных журналов",
    "Отчёт учителя-предметника",
    "Отчёт классного руководителя за учебный период",
    "Предварительный отчёт классного руководителя за учебный период",
    "Сводная ведомость учёта успеваемости",
    "Итоги успеваемости класса за учебный период",
    "Сводная ведомость учёта посещаемости",
    "Отчёт о посещаемости класса",
    "Итоговые данные по учащимся",
    "Общие сведения об обучающихся",
    "Средний балл ученика",
    "Динамика среднего балла ученика",
    "Табель успеваемости учащегося",
    "Отчёт об успеваемости и посещаемости ученика",
    "Итоги успеваемости и качества знаний",
    "Информационное письмо для родителей",
    "Состояние перехода на следующий учебный год",
]


class TestCatalogue:
    def test_every_named_report_verbatim(self) -> None:
        """R11.1, R11.3-R11.5, R4.2b: every report the regulation names is catalogued verbatim."""
        titles = {d.title.ru for d in CATALOGUE.values()}
        assert set(REGULATION_TITLES) <= titles

    def test_titles_match_the_access_actions(self) -> None:
        """R11.1: each named report runs under its own access action, whose label is its title."""
        for title in REGULATION_TITLES:
            definition = get_definition(title)
            assert definition.action.label() == title
            assert definition.action.is_report

    def test_titles_have_one_source(self) -> None:
        """R11.1: a report's title is the rbac catalogue's, and so is its own action's label."""
        assert set(REPORT_TITLES) == set(CATALOGUE)
        for code, definition in CATALOGUE.items():
            assert definition.title == REPORT_TITLES[code]
            if definition.action.value == f"report.{code}":
                assert definition.action.label_text == definition.title
                assert definition.action.label("en") == definition.title.en

    def test_schedules_of_r11_3_and_r11_4(self) -> None:
        """R11.3a-d, R11.4a-d, R4.2b: reports with a regulation deadline carry its schedule."""
        for definition in CATALOGUE.values():
            if definition.requirement.startswith(("R11.3", "R11.4", "R4.2")):
                assert definition.schedule is not None
                assert definition.schedule.requirement == definition.requirement
        assert "последний день месяца" in get_definition("mark_timeliness").schedule.describe()  # type: ignore[union-attr]

    def test_schedules_name_the_profile_rules(self) -> None:
        """R11.3a-d, R11.4a-d: each schedule's deadline rule lists the report's title."""
        rules = {rule.id: rule for rule in default_profile().deadlines.rules}
        scheduled = 0
        for definition in CATALOGUE.values():
            schedule = definition.schedule
            if schedule is None or schedule.rule_id is None:
                continue
            scheduled += 1
            rule = rules[schedule.rule_id]
            assert definition.title.ru in rule.reports
            assert rule.requirement == definition.requirement
        assert scheduled == 16

    def test_lookup_by_title_ignores_yo(self) -> None:
        """A report is found by its code, or its title written with «е» for «ё»."""
        assert get_definition("Отчет учителя-предметника").code == "subject_teacher"
        with pytest.raises(NotFoundError):
            get_definition("Отчёт о погоде")

    def test_missing_parameter(self, data: ReportData) -> None:
        """A report run without a required parameter is a typed error naming it."""
        with pytest.raises(ValidationError) as caught:
            run(data, "class_period_results", class_id="5А")
        assert caught.value.details["param"] == "period"


class TestReportTable:
    def test_rows_must_fit_columns(self) -> None:
        """R11.1: a report is a typed table: a cell of the wrong type is rejected."""
        column = Column(code="n", title_ru="Число", title_en="Number", type="int")
        base = {
            "code": "x",
            "title_ru": "Т",
            "title_en": "T",
            "clause": "11.1",
            "requirement": "R11.1",
            "school_name": "Школа",
            "params": ReportParams(),
            "columns": [column],
            "generated_at": GENERATED,
        }
        Report(rows=[[1], [None]], **base)
        with pytest.raises(ValidationError):
            Report(rows=[["1"]], **base)
        with pytest.raises(ValidationError):
            Report(rows=[[1, 2]], **base)
        with pytest.raises(ValidationError):
            Report(rows=[[1]], **{**base, "generated_at": dt.datetime(2025, 1, 1)})

    def test_generated_at_is_passed_in(self, data: ReportData) -> None:
        """R11.1: the moment on a report is the one given, never read from a clock."""
        assert run(data, "class_occupancy").generated_at == GENERATED

    def test_reversed_range(self) -> None:
        """A range that ends before it starts is rejected."""
        with pytest.raises(ValidationError):
            ReportParams(start=dt.date(2025, 9, 2), end=dt.date(2025, 9, 1))


class TestPeriodReports:
    def test_class_period_results(self, data: ReportData) -> None:
        """R11.4a: «Итоги успеваемости класса за учебный период» per subject, by hand."""
        report = run(data, "class_period_results", class_id="5А", period="Q1")
        assert report.column("subject") == ["Математика", "Русский язык"]
        math = report.rows[0]
        # math: 5, 4, 5 -> success 1, quality 1, СОУ (200+64)/3 = 88 %, average 14/3
        assert math[report.index("n5")] == 2
        assert math[report.index("n4")] == 1
        assert math[report.index("quality")] == 1
        assert math[report.index("sou")] == F(88, 100)
        assert math[report.index("average")] == F(14, 3)
        assert report.cell(0, "teacher") == "Иванова М. П."
        # rus: 5, 2, 4 -> success 2/3, quality 2/3, СОУ (100+64+16)/3 = 60 %, average 11/3
        assert report.cell(1, "success") == F(2, 3)
        assert report.cell(1, "sou") == F(60, 100)
        assert report.cell(1, "average") == F(11, 3)
        # totals: six marks average 25/6, СОУ 444/6 = 74 %; by student worst 5, 2, 4
        assert report.total("average") == F(25, 6)
        assert report.total("sou") == F(74, 100)
        assert report.total("success") == F(2, 3)
        assert report.total("quality") == F(2, 3)

    def test_class_teacher_period(self, data: ReportData) -> None:
        """R11.4a: the class teacher's period report: marks, category and absences per student."""
        report = run(data, "class_teacher_period", class_id="5А", period="Q1")
        assert report.column("student") == ["Андреев Антон", "Борисова Вера", "Волков Глеб"]
        assert report.column("category") == ["отличник", "неуспевающий", "хорошист"]
        assert report.column("average") == [F(5), F(3), F(9, 2)]
        assert report.column("absent") == [2, 2, 0]
        assert report.column("late") == [0, 0, 1]
        assert report.total("illness") == 1
        assert report.total("unknown") == 1
        assert report.total("absent") == 4

    def test_class_teachers_summary(self, data: ReportData) -> None:
        """R11.3a: the school summary: one row per class, totals over the school."""
        report = run(data, "class_teachers_summary", period="Q1")
        assert report.column("class") == ["5А", "6А"]
        assert report.cell(0, "excellent") == 1
        assert report.cell(0, "failing") == 1
        assert report.cell(1, "students") == 1
        # 6А: s4 has 3 and 3 -> success 1, quality 0
        assert report.cell(1, "quality") == 0
        assert report.total("students") == 4
        # school: worst marks 5, 2, 4, 3 -> success 3/4, quality 2/4
        assert report.total("success") == F(3, 4)
        assert report.total("quality") == F(1, 2)
        assert report.total("excused") == 2
        assert report.total("unexcused") == 2

    def test_school_performance(self, data: ReportData) -> None:
        """R11.3a: per parallel, the categories and figures of the period marks."""
        report = run(data, "school_performance", period="Q1")
        assert report.column("parallel") == ["5", "6"]
        assert report.cell(1, "n3") == 2
        assert report.total("average") == F(31, 8)

    def test_performance_sheet(self, data: ReportData) -> None:
        """R11.4a: students × subjects with the period marks, in the subjects' order (R5.3c)."""
        report = run(data, "performance_sheet", class_id="5А", period="Q1")
        assert [c.code for c in report.columns][2:4] == ["s_math", "s_rus"]
        assert report.rows[1][2:4] == ("4", "2")

    def test_subject_teacher(self, data: ReportData) -> None:
        """R11.4a: the subject teacher's report covers every class he teaches the subject in."""
        report = run(data, "subject_teacher", teacher_id="t1", period="Q1")
        assert report.column("class") == ["5А", "6А"]
        assert report.total("students") == 4
        # math marks 5, 4, 5, 3 -> quality 3/4, average 17/4
        assert report.total("quality") == F(3, 4)
        assert report.total("average") == F(17, 4)

    def test_preliminary_uses_weighted_averages(self, data: ReportData) -> None:
        """R11.4b, R2.2j: the preliminary report proposes marks from the weighted averages."""
        report = run(data, "class_teacher_preliminary", class_id="5А", period="Q1")
        # s1: math (10+4)/3, rus 5 -> all (10+4+5)/4; s2: (6+12+2)/6; s3: (10+4+6)/5
        assert report.column("weighted") == [F(19, 4), F(10, 3), F(4)]

    def test_performance_quality(self, data: ReportData) -> None:
        """R11.5: success and quality per period, none without marks."""
        report = run(data, "performance_quality", class_id="5А")
        assert report.cell(1, "Q1_success") == F(2, 3)
        assert report.cell(0, "Q2_quality") is None


class TestJournalReports:
    def test_journal_keeping(self, data: ReportData) -> None:
        """R11.3c, R8.10: lessons without topic, homework or marks, and late marks (R8.6)."""
        report = run(data, "journal_keeping", start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30))
        math = report.find_row("subject", "Математика")
        cells = dict(zip([c.code for c in report.columns], math, strict=True))
        assert (cells["lessons"], cells["no_topic"], cells["no_homework"]) == (3, 0, 2)
        assert (cells["no_marks"], cells["marks"], cells["late_marks"]) == (1, 5, 1)
        assert cells["in_time"] == F(4, 5)
        rus = dict(zip([c.code for c in report.columns], report.rows[1], strict=True))
        assert (rus["no_topic"], rus["no_homework"], rus["marks"], rus["late_marks"]) == (
            1,
            2,
            4,
            1,
        )
        assert report.total("in_time") == F(7, 9)

    def test_mark_timeliness(self, data: ReportData) -> None:
        """R11.3c, R8.6: per teacher, on the day, within 3 days with a reason, late."""
        report = run(data, "mark_timeliness", period="Q1")
        assert report.column("teacher") == ["Иванова М. П.", "Сидоров О."]
        assert report.rows[0][1:5] == (5, 3, 1, 1)
        assert report.rows[1][1:5] == (4, 3, 0, 1)
        assert report.total("in_time") == F(7, 9)

    def test_journal_fill(self, data: ReportData) -> None:
        """R11.3d: topics, homework, lessons with marks and marks per student of each class."""
        report = run(data, "journal_fill", period="Q1")
        row = report.find_row("class", "5А")
        assert row[1:] == (5, F(4, 5), F(1, 5), F(4, 5), 3, F(3))


class TestAttendanceAndRosters:
    def test_attendance_sheet(self, data: ReportData) -> None:
        """R11.4a: absences per student by reason; late arrivals apart."""
        report = run(data, "attendance_sheet", class_id="5А", period="Q1")
        assert report.rows[0][2:] == (2, 0, 1, 0, 1, 0)
        assert report.rows[1][2:] == (2, 1, 0, 1, 0, 0)
        assert report.total("late") == 1

    def test_class_attendance(self, data: ReportData) -> None:
        """R11.4c: day by day, lessons held and absences."""
        report = run(data, "class_attendance", class_id="5А", period="Q1")
        assert report.column("date") == [dt.date(2025, 9, d) for d in (1, 2, 3, 4)]
        assert report.column("lessons") == [2, 1, 1, 1]
        assert report.column("absent_students") == [0, 0, 2, 2]
        assert report.total("lessons") == 5

    def test_occupancy_without_orders_uses_memberships(self, data: ReportData) -> None:
        """R11.3b: occupancy by sex against capacity (own, else the policy's 25)."""
        report = run(data, "class_occupancy", as_of=dt.date(2025, 9, 10))
        assert report.rows[0][3:] == (3, 2, 1, 25, 22)
        assert report.rows[1][3:] == (1, 0, 1, 20, 19)

    def test_movement_from_orders(self) -> None:
        """R11.3b, R2.2d: movement per class from orders: enrolled, transferred, withdrawn."""

        def order(number: int, kind: str, day: int, month: int, item: OrderItem) -> Order:
            return Order(
                id=f"o{number}",
                number=str(number),
                kind=kind,
                issued_on=dt.date(2025, month, day),
                entered_at=dt.datetime(2025, month, day, 12, tzinfo=MSK),
                author_id="t1",
                year="2025/2026",
                items=[item],
            )

        orders = [
            order(1, "enrollment", 1, 9, OrderItem(student_id="s1", class_id="c5a")),
            order(2, "enrollment", 1, 9, OrderItem(student_id="s2", class_id="c5a")),
            order(3, "transfer", 15, 9, OrderItem(student_id="s2", class_id="c6a")),
            order(4, "withdrawal", 1, 10, OrderItem(student_id="s1", destination="Школа № 2")),
        ]
        data = hand_school()
        roster = data.year_data
        with_orders = ReportData(
            year_data=SchoolYearData(
                year=roster.year,
                school=roster.school,
                classes=roster.classes,
                students=roster.students,
                employees=roster.employees,
                subjects=roster.subjects,
                orders=orders,
            ),
            policy=data.policy,
            deadlines=data.deadlines,
        )
        report = run(
            with_orders, "school_movement", start=dt.date(2025, 9, 1), end=dt.date(2025, 10, 10)
        )
        five = dict(zip([c.code for c in report.columns], report.rows[0], strict=True))
        assert (five["at_start"], five["enrolled"], five["transferred_out"]) == (0, 2, 1)
        assert (five["withdrawn"], five["at_end"], five["change"]) == (1, 0, 0)
        six = dict(zip([c.code for c in report.columns], report.rows[1], strict=True))
        assert (six["transferred_in"], six["at_end"]) == (1, 1)
        occupancy = run(with_orders, "class_occupancy", as_of=dt.date(2025, 9, 20))
        assert occupancy.column("students") == [1, 1]
        assert with_orders.roster("c5a", dt.date(2025, 9, 20)) == ("s1",)

    def test_oo1_sections(self, data: ReportData) -> None:
        """R11.3e: ОО-1 counts by grade with girls, by age on 1 January and sex, by form."""
        day = dt.date(2025, 10, 1)
        grades = run(data, "oo1_by_grade", as_of=day)
        assert grades.rows == ((("5", 1, 3, 1)), ("6", 1, 1, 1))
        ages = run(data, "oo1_by_age", as_of=day)
        # ages on 1.1.2026: s1 11, s2 11, s3 12, s4 12
        assert ages.rows == ((11, 2, 1, 1), (12, 2, 1, 1))
        forms = run(data, "oo1_by_form", as_of=day)
        assert forms.total("students") == 4

    def test_general_info(self, data: ReportData) -> None:
        """R11.4d: birth dates, full years on the day, sex and personal file numbers."""
        report = run(data, "student_general_info", class_id="5А", as_of=dt.date(2025, 9, 1))
        assert report.column("age") == [11, 10, 11]
        assert report.column("sex") == ["м", "ж", "м"]
        assert report.cell(0, "file") == "Д-s1"


class TestStudentReports:
    def test_student_average(self, data: ReportData) -> None:
        """R11.5: each student's weighted average per subject and over all subjects."""
        report = run(data, "student_average", class_id="5А", period="Q1")
        assert report.column("s_math") == [F(14, 3), F(18, 5), F(5)]
        assert report.column("s_rus") == [F(5), F(2), F(10, 3)]
        assert report.column("average") == [F(19, 4), F(10, 3), F(4)]
        assert report.total("marks") == 9

    def test_dynamics(self, data: ReportData) -> None:
        """R11.5: the running weighted average after each day's marks."""
        report = run(data, "student_average_dynamics", student_id="s2", period="Q1")
        assert report.column("date") == [dt.date(2025, 9, 1), dt.date(2025, 9, 2)]
        assert report.column("day_marks") == ["3 2", "4"]
        assert report.column("average") == [F(8, 3), F(10, 3)]

    def test_report_card(self, data: ReportData) -> None:
        """R11.5: the report card shows period marks per subject, empty where none is set."""
        report = run(data, "student_report_card", student_id="s2")
        assert report.rows[0][:3] == ("Математика", "4", None)

    def test_performance_and_attendance(self, data: ReportData) -> None:
        """R11.5: a student's marks, weighted average and absences per subject."""
        report = run(data, "student_performance_attendance", student_id="s1", period="Q1")
        assert report.rows[0] == ("Математика", "5 4", F(14, 3), 1, 0, 1, 0)
        assert report.rows[1] == ("Русский язык", "5", F(5), 1, 1, 0, 0)

    def test_parent_letter(self, data: ReportData) -> None:
        """R11.5, R2.2n: the letter greets the parents and proposes the period marks."""
        report = run(data, "parent_letter", student_id="s1", period="Q1")
        assert "Андреева Антона" in report.notes_ru[0]
        # two and one current marks: below the policy's minimum, so «н/а» is proposed
        assert report.column("expected") == ["н/а", "н/а"]
        assert report.column("average") == [F(14, 3), F(5)]

    def test_diary(self, data: ReportData) -> None:
        """R8.11: the diary lists lessons with topic, work types, marks, attendance, homework."""
        report = run(data, "diary", student_id="s1", as_of=dt.date(2025, 9, 3))
        assert len(report.rows) == 5
        first = report.rows[0]
        assert first[2:] == (
            "Математика",
            "Тема L1",
            "Контрольная работа",
            "5",
            None,
            "§1",
        )
        assert report.column("attendance")[3:] == ["УП", "Н"]

    def test_weekly_summary(self, data: ReportData) -> None:
        """R8.12: the week's marks and absences per subject, with a line for the parent."""
        report = run(data, "weekly_summary", student_id="s2", start=dt.date(2025, 9, 1))
        assert report.rows[0][1:4] == ("3 4", 1, 0)
        assert any("Подпись" in note for note in report.notes_ru)

    def test_transition_state(self, data: ReportData) -> None:
        """R4.2b: the transition report lists the steps and their state."""
        end = data.year_span[1]
        before = run(data, "transition_state", as_of=end - dt.timedelta(days=1))
        assert before.cell(1, "count") == 8  # no annual marks: 4 students × 2 subjects
        assert before.cell(1, "state") == "срок не наступил"  # due at the year's end
        after = run(data, "transition_state", as_of=end + dt.timedelta(days=1))
        assert after.cell(1, "state") == "не выполнено"
        assert after.cell(4, "state") == "срок не наступил"  # the new year: by 20 September


class TestAccess:
    @staticmethod
    def authorizer(data: ReportData) -> Authorizer:
        staff = [
            *data.employees,
            Employee(id="d1", person=Person(last_name="Зав", first_name="Уч"), position="Завуч"),
        ]
        directory = MemoryDirectory(
            employees=staff, classes=data.classes, assignments=data.assignments
        )
        return Authorizer(default_profile().rbac, directory)

    def test_deputy_head_runs_school_reports(self, data: ReportData) -> None:
        """R11.1, R11.3a: the deputy head may run the school summary; a teacher may not."""
        authorizer = self.authorizer(data)
        deputy = Actor(account_id="a1", roles=["deputy_head"], school_id="sch", employee_id="d1")
        teacher = Actor(account_id="a2", roles=["teacher"], school_id="sch", employee_id="t2")
        params = ReportParams(period="Q1")
        run_report(
            "class_teachers_summary",
            data,
            params,
            generated_at=GENERATED,
            actor=deputy,
            authorizer=authorizer,
        )
        with pytest.raises(PermissionDenied):
            run_report(
                "class_teachers_summary",
                data,
                params,
                generated_at=GENERATED,
                actor=teacher,
                authorizer=authorizer,
            )

    def test_class_teacher_only_for_own_class(self, data: ReportData) -> None:
        """R11.4a: a class teacher runs the period report of his own class only."""
        authorizer = self.authorizer(data)
        t1 = Actor(account_id="a3", roles=["teacher"], school_id="sch", employee_id="t1")
        run_report(
            "class_teacher_period",
            data,
            ReportParams(class_id="5А", period="Q1", as_of=dt.date(2025, 10, 1)),
            generated_at=GENERATED,
            actor=t1,
            authorizer=authorizer,
        )
        with pytest.raises(PermissionDenied):
            run_report(
                "class_teacher_period",
                data,
                ReportParams(class_id="6А", period="Q1", as_of=dt.date(2025, 10, 1)),
                generated_at=GENERATED,
                actor=t1,
                authorizer=authorizer,
            )

    def test_actor_needs_authorizer(self, data: ReportData) -> None:
        """An actor without an authorizer is a typed error, not a silent pass."""
        actor = Actor(account_id="a1", roles=["deputy_head"], school_id="sch")
        with pytest.raises(ValidationError):
            run_report("class_occupancy", data, generated_at=GENERATED, actor=actor)

    @pytest.mark.parametrize(
        ("role", "allowed"),
        [
            ("administrator", True),
            ("deputy_head", True),
            ("clerk", True),
            ("hr_specialist", True),
            ("teacher", False),
            ("director", False),
            ("secretary", False),
        ],
    )
    def test_constructor_roles(self, data: ReportData, role: str, allowed: bool) -> None:
        """R11.6: only the administrator, deputy head, clerk and HR specialist may build reports."""
        actor = Actor(account_id="a", roles=[role], school_id="sch", employee_id="t1")
        query = Query(dataset="marks", measures=["count"])
        authorizer = self.authorizer(data)
        if allowed:
            build_custom_report(
                data, query, generated_at=GENERATED, actor=actor, authorizer=authorizer
            )
        else:
            with pytest.raises(PermissionDenied):
                build_custom_report(
                    data, query, generated_at=GENERATED, actor=actor, authorizer=authorizer
                )
        assert Action.REPORT_CONSTRUCTOR.is_report


class TestConstructor:
    def test_marks_by_subject(self, data: ReportData) -> None:
        """R11.6: marks grouped by subject with count, weighted average, quality and СОУ."""
        query = Query(
            dataset="marks",
            group_by=["subject"],
            measures=["count", "weighted_average", "quality", "degree_of_learning"],
        )
        report = build_custom_report(data, query, generated_at=GENERATED)
        assert report.column("subject") == ["Математика", "Русский язык"]
        # math: 5(2) 3(2) 5(2) 4(1) 4(3) -> 42/10; quality 4/5; СОУ (200+128+36)/5
        assert report.rows[0][1:] == (5, F(21, 5), F(4, 5), F(364, 500))
        assert report.total("count") == 9

    def test_absences_by_reason(self, data: ReportData) -> None:
        """R11.6: attendance grouped by student with absences by reason, filtered by class."""
        query = Query(
            dataset="attendance",
            group_by=["student"],
            measures=["absences_by_reason"],
            filters={"class": "5А"},
        )
        report = build_custom_report(data, query, generated_at=GENERATED)
        assert report.column("absent") == [2, 2, 0]
        assert report.total("late") == 1

    def test_students_by_sex(self, data: ReportData) -> None:
        """R11.6: students counted by parallel and sex on a day."""
        query = Query(
            dataset="students",
            group_by=["parallel", "sex"],
            measures=["count"],
            end=dt.date(2025, 9, 10),
        )
        report = build_custom_report(data, query, generated_at=GENERATED)
        assert report.rows == (("5", "f", 1), ("5", "m", 2), ("6", "f", 1))

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"dataset": "marks", "measures": ["count"], "group_by": ["reason"]},
            {"dataset": "lessons", "measures": ["quality"]},
            {"dataset": "marks", "measures": []},
            {"dataset": "nothing", "measures": ["count"]},
            {"dataset": "marks", "measures": ["median"]},
        ],
    )
    def test_bad_queries(self, kwargs: dict[str, object]) -> None:
        """R11.6: an unknown dimension or dataset, or a measure a dataset lacks, is rejected."""
        with pytest.raises(ValidationError):
            Query(**kwargs)


class TestTimeliness:
    @given(
        minutes=st.integers(min_value=-600, max_value=8 * 24 * 60),
        reason=st.booleans(),
    )
    def test_r8_6_rule(self, minutes: int, reason: bool) -> None:
        """R8.6: on the day in Moscow is on time; up to 3 days later with a reason too."""
        base = hand_school().marks[0]
        entered = dt.datetime(2025, 9, 1, 12, tzinfo=MSK) + dt.timedelta(minutes=minutes)
        mark = attrs.evolve(base, entered_at=entered, late_reason="причина" if reason else None)
        days = (entered.date() - base.date).days
        judged = mark_timeliness(mark, MSK, DEADLINES)
        if days <= 0:
            assert judged is Timeliness.ON_TIME
        elif reason and days <= 3:
            assert judged is Timeliness.EXTENDED
        else:
            assert judged is Timeliness.LATE


def test_reports_import_without_optional_extras() -> None:
    """Importing the reports loads neither rich, openpyxl, fpdf nor matplotlib."""
    code = (
        "import sys, eschool_core.reports\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'rich', 'openpyxl', 'fpdf', 'matplotlib', 'click'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
