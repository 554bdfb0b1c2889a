"""R2.2f: users see marks for the whole period, in all subjects, at any time, within their rights.

The default role matrix grants reading marks (``journal.read`` for staff, ``diary.read``
for students and parents) without any window in time: the relation (link, membership,
assignment, class teacher) is judged on the day of viewing, and the marks of every day of
the period are in scope.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from eschool_core.rbac import Action, Role
from tests.test_rbac import AUTH, MATRIX, cls, parent, pupil, staff, student

_YEAR_DAYS = st.integers(min_value=0, max_value=364).map(
    lambda n: date(2025, 9, 1) + timedelta(days=n)
)
"""Any day of the academic year 2025/2026, the summer vacation included."""
_SUBJECTS = st.sampled_from(["math", "russian", "reading", "history", "physics"])


class TestMarksForTheWholePeriod:
    def test_matrix_grants_mark_reads_to_every_kind_of_user(self) -> None:
        """R2.2f: the matrix has a mark-reading cell for each role and its scope."""
        cells = {(g.role, g.action, g.scope.value) for g in MATRIX.grants}
        expected = {
            (Role.PARENT, Action.DIARY_READ, "linked_children"),
            (Role.STUDENT, Action.DIARY_READ, "own"),
            (Role.TEACHER, Action.JOURNAL_READ, "taught"),
            (Role.TEACHER, Action.JOURNAL_READ, "own_class"),
            (Role.DEPUTY_HEAD, Action.JOURNAL_READ, "school"),
            (Role.DIRECTOR, Action.JOURNAL_READ, "school"),
        }
        assert expected <= cells

    @given(day=_YEAR_DAYS, subject=_SUBJECTS)
    def test_parent_sees_his_childrens_marks_any_day_any_subject(
        self, day: date, subject: str
    ) -> None:
        """R2.2f: a parent reads each linked child's marks in any subject on any day of the year."""
        mother = parent("g1")
        for child in ("s3a_1", "s7a_1"):
            assert AUTH.check(mother, Action.DIARY_READ, pupil(child, subject), on=day).allowed
        assert not AUTH.check(mother, Action.DIARY_READ, pupil("s3a_2", subject), on=day).allowed

    @given(day=_YEAR_DAYS, subject=_SUBJECTS)
    def test_student_sees_his_own_marks_any_day_any_subject(self, day: date, subject: str) -> None:
        """R2.2f: a student reads his own marks in every subject at any time, nobody else's."""
        pupil_actor = student("s7a_1")
        assert AUTH.check(pupil_actor, Action.DIARY_READ, pupil("s7a_1", subject), on=day).allowed
        assert not AUTH.check(
            pupil_actor, Action.DIARY_READ, pupil("s7a_2", subject), on=day
        ).allowed

    @given(day=_YEAR_DAYS)
    def test_subject_teacher_sees_his_classes_whole_year(self, day: date) -> None:
        """R2.2f: a subject teacher reads the journal of the classes and subjects he teaches."""
        teacher = staff("t_math", Role.TEACHER)
        assert AUTH.check(teacher, Action.JOURNAL_READ, cls("7a", "math"), on=day).allowed
        assert AUTH.check(teacher, Action.JOURNAL_READ, pupil("s7a_1", "math"), on=day).allowed
        assert not AUTH.check(teacher, Action.JOURNAL_READ, cls("7a", "russian"), on=day).allowed
        assert not AUTH.check(teacher, Action.JOURNAL_READ, cls("3a", "math"), on=day).allowed

    @given(day=_YEAR_DAYS, subject=_SUBJECTS)
    def test_class_teacher_sees_all_subjects_of_his_class(self, day: date, subject: str) -> None:
        """R2.2f: a class teacher reads every subject's marks of his own class, not another's."""
        teacher = staff("t_7a", Role.TEACHER)
        assert AUTH.check(teacher, Action.JOURNAL_READ, cls("7a", subject), on=day).allowed
        assert AUTH.check(teacher, Action.JOURNAL_READ, pupil("s7a_2", subject), on=day).allowed
        assert not AUTH.check(teacher, Action.JOURNAL_READ, cls("3a", subject), on=day).allowed

    @given(day=_YEAR_DAYS, subject=_SUBJECTS)
    def test_deputy_head_and_director_see_the_whole_school(self, day: date, subject: str) -> None:
        """R2.2f: the deputy head and the director read every class's marks at any time."""
        for actor in (staff("deputy", Role.DEPUTY_HEAD), staff("director", Role.DIRECTOR)):
            for class_id in ("3a", "7a", "7b"):
                target = cls(class_id, subject)
                assert AUTH.check(actor, Action.JOURNAL_READ, target, on=day).allowed

    def test_rights_follow_the_relation_not_the_marks_date(self) -> None:
        """R2.2f: a right ends with its relation (a link), not with the age of the marks."""
        former = parent("g3")
        target = pupil("s7a_2", "math")
        assert AUTH.check(former, Action.DIARY_READ, target, on=date(2026, 1, 10)).allowed
        assert not AUTH.check(former, Action.DIARY_READ, target, on=date(2026, 1, 11)).allowed
