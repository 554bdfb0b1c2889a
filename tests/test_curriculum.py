from __future__ import annotations

from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.curriculum import (
    ComponentKind,
    ComponentLimit,
    Curriculum,
    FindingCode,
    ParallelProfile,
    SubjectGroup,
    validate_curriculum,
)
from eschool_core.errors import ValidationError
from eschool_core.problems import PROBLEM_KEYS
from eschool_core.school import ClassMembership, Group, GroupKind
from tests.planning_helpers import MSK, YEAR, at, curriculum, hours, policy, school_class, subjects


def _codes(found: tuple[object, ...]) -> list[str]:
    return [f.code.value for f in found]  # type: ignore[attr-defined]


class TestCurriculumModel:
    def test_weekly_hours_per_class_component_and_subject(self) -> None:
        """R5.3f: hours are kept per class, component and subject, and summed per component."""
        up = curriculum(
            hours("5a", "rus", 5),
            hours("5a", "math", 5),
            hours("5a", "rus", 1, "participants"),
        )
        assert up.subject_load("5a", "rus") == 6
        assert up.weekly_load("5a", ComponentKind.MANDATORY) == 10
        assert up.weekly_load("5a", ComponentKind.PARTICIPANTS) == 1
        assert up.weekly_load("5a") == 11
        assert up.class_ids == {"5a"}

    def test_subject_group_load_is_not_summed(self) -> None:
        """R5.3a: subjects of a subject group count once, by the largest of their loads."""
        rows = (hours("5a", "eng", 3), hours("5a", "ger", 2), hours("5a", "math", 5))
        plain = curriculum(*rows)
        grouped = curriculum(
            *rows, subject_groups=[SubjectGroup(id="lang", name="Язык", subject_ids=["eng", "ger"])]
        )
        assert plain.weekly_load("5a") == 10
        assert grouped.weekly_load("5a") == 8

    def test_levels_of_an_individual_curriculum_are_alternatives(self) -> None:
        """R5.2, R5.3f: ИУП rows by level (and group) are alternatives; the largest counts."""
        up = curriculum(
            hours("10a", "math", 4, level="базовый", group_id="g-base"),
            hours("10a", "math", 6, level="углублённый", group_id="g-deep"),
        )
        assert up.subject_load("10a", "math") == 6
        assert up.all_group_ids == {"g-base", "g-deep"}

    def test_subject_order_for_the_printed_journal(self) -> None:
        """R5.3c: the curriculum's order comes first, then Subject.order."""
        up = curriculum(hours("5a", "math", 5), subject_order=["ger", "math"])
        assert [s.id for s in up.ordered(subjects())] == ["ger", "math", "rus", "eng"]

    def test_teachers_of_each_subject(self) -> None:
        """R5.3b: the curriculum keeps the teachers of each subject."""
        up = curriculum(hours("5a", "math", 5), teachers={"math": ["t1", "t2"]})
        assert up.teachers_of("math") == {"t1", "t2"}
        assert up.teachers_of("rus") == frozenset()
        assert up.teacher_ids == {"t1", "t2"}

    def test_limits_and_profiles(self) -> None:
        """R5.3d, R5.3e: a component's maximum per parallel and each parallel's profile."""
        up = curriculum(
            hours("5a", "math", 5),
            limits=[ComponentLimit(parallel=5, component="mandatory", max_hours=27)],
            profiles=[ParallelProfile(parallel=10, name="технологический")],
        )
        assert up.limit(5, ComponentKind.MANDATORY) == 27
        assert up.limit(5, ComponentKind.PARTICIPANTS) is None
        assert up.profile_of(10) is not None
        assert up.profile_of(11) is None

    def test_completion_moment(self) -> None:
        """R5.4: the moment the curriculum is complete is recorded, aware, for the deadline."""
        up = curriculum(hours("5a", "math", 5), responsible_id="deputy")
        assert not up.is_complete
        assert up.completed_on(MSK) is None
        done = up.complete(at(2025, 7, 31, 23))
        assert done.is_complete
        assert str(done.completed_on(MSK)) == "2025-07-31"

    def test_naive_completion_rejected(self) -> None:
        """R5.4: a naive completion moment is rejected."""
        import datetime as dt

        with pytest.raises(ValidationError):
            curriculum(hours("5a", "math", 5)).complete(dt.datetime(2025, 7, 31))

    @pytest.mark.parametrize(
        ("kwargs", "code"),
        [
            ({"hours": [hours("5a", "m", 5), hours("5a", "m", 4)]}, "curriculum.duplicate_hours"),
            (
                {"components": ["mandatory"], "hours": [hours("5a", "m", 1, "participants")]},
                "curriculum.unknown_component",
            ),
            (
                {
                    "limits": [
                        ComponentLimit(parallel=5, component="mandatory", max_hours=5),
                        ComponentLimit(parallel=5, component="mandatory", max_hours=6),
                    ]
                },
                "curriculum.duplicate_limit",
            ),
            (
                {
                    "profiles": [
                        ParallelProfile(parallel=5, name="a"),
                        ParallelProfile(parallel=5, name="b"),
                    ]
                },
                "curriculum.duplicate_profile",
            ),
            (
                {
                    "subject_groups": [
                        SubjectGroup(id="a", name="a", subject_ids=["x", "y"]),
                        SubjectGroup(id="b", name="b", subject_ids=["y", "z"]),
                    ]
                },
                "curriculum.subject_in_two_groups",
            ),
        ],
    )
    def test_invalid_curricula(self, kwargs: dict[str, object], code: str) -> None:
        """R5.3: contradictory curricula are rejected with a stable code."""
        with pytest.raises(ValidationError) as info:
            Curriculum(id="up", year=YEAR, **kwargs)
        assert info.value.code == code

    @pytest.mark.parametrize(
        "build",
        [
            lambda: hours("5a", "math", 0),
            lambda: hours("5a", "math", 1.5),
            lambda: SubjectGroup(id="g", name="g", subject_ids=["x"]),
            lambda: ComponentLimit(parallel=12, component="mandatory", max_hours=5),
            lambda: Curriculum(id="up", year="2025"),
        ],
    )
    def test_invalid_values(self, build: object) -> None:
        """R5.3: zero or inexact hours, one-subject groups, bad parallels and labels fail."""
        with pytest.raises(ValidationError):
            build()  # type: ignore[operator]

    @given(
        st.lists(st.integers(min_value=1, max_value=6), min_size=2, max_size=6),
        st.integers(min_value=2, max_value=6),
    )
    def test_grouped_load_between_max_and_sum(self, loads: list[int], size: int) -> None:
        """R5.3a: a group's load lies between its largest subject's and the plain sum."""
        rows = [hours("5a", f"s{i}", h) for i, h in enumerate(loads)]
        members = [f"s{i}" for i in range(min(size, len(loads)))]
        up = curriculum(*rows, subject_groups=[SubjectGroup(id="g", name="g", subject_ids=members)])
        grouped = up.weekly_load("5a")
        assert grouped <= sum(loads)
        in_group = [loads[int(m[1:])] for m in members]
        assert grouped == sum(loads) - sum(in_group) + max(in_group)


class TestCurriculumValidation:
    def _check(self, up: Curriculum, **kw: object) -> list[str]:
        base: dict[str, object] = {
            "classes": [school_class("5a", 5), school_class("1a", 1)],
            "subjects": subjects(),
            "policy": policy(),
        }
        base.update(kw)
        return _codes(validate_curriculum(up, **base))

    def test_clean_curriculum(self) -> None:
        """R5.3: a curriculum within every limit has no findings."""
        assert self._check(curriculum(hours("5a", "rus", 5), hours("5a", "math", 5))) == []

    def test_component_over_its_maximum(self) -> None:
        """R5.3e: a class's hours over the component's maximum for its parallel are found."""
        up = curriculum(
            hours("5a", "rus", 5),
            hours("5a", "math", 5),
            limits=[ComponentLimit(parallel=5, component="mandatory", max_hours=9)],
        )
        found = validate_curriculum(
            up, classes=[school_class("5a", 5)], subjects=subjects(), policy=policy()
        )
        assert [f.code for f in found] == [FindingCode.COMPONENT_OVER_LIMIT]
        assert found[0].requirement == "R5.3e"
        assert found[0].details["limit"] == 9
        assert "5А" in found[0].message.ru

    @pytest.mark.parametrize(
        ("parallel", "week_days", "maximum"),
        [(1, 5, 21), (2, 5, 23), (4, 6, 26), (5, 5, 29), (6, 6, 33), (7, 5, 32), (9, 6, 36)],
    )
    def test_sanitary_maximum(self, parallel: int, week_days: int, maximum: int) -> None:
        """R5.3e: СанПиН 1.2.3685-21 table 6.6: the maximum is allowed, one hour more is not."""
        cls = school_class("c", parallel, week_days=week_days)
        at_max = curriculum(hours("c", "rus", maximum))
        over = curriculum(hours("c", "rus", maximum + 1))
        assert self._check(at_max, classes=[cls]) == []
        found = validate_curriculum(over, classes=[cls], subjects=subjects(), policy=policy())
        assert [f.code for f in found] == [FindingCode.SANITARY_OVER_LIMIT]
        assert "1.2.3685-21" in found[0].clause

    def test_grade_one_six_day_week_not_allowed(self) -> None:
        """R5.3e: grade 1 studies five days a week only (table 6.6 has no 6-day maximum)."""
        cls = school_class("1a", 1, week_days=6)
        assert self._check(curriculum(hours("1a", "rus", 5)), classes=[cls]) == [
            "curriculum.sanitary_over_limit"
        ]

    def test_school_week_applies_when_class_has_none(self) -> None:
        """R5.3e: a class without its own week takes the school's (6 days: 32 in grade 5)."""
        up = curriculum(hours("5a", "rus", 31))
        assert self._check(up) == ["curriculum.sanitary_over_limit"]
        assert self._check(up, week_days=6) == []

    def test_subject_without_teacher(self) -> None:
        """R5.3b: a subject with hours but no teacher is found."""
        up = curriculum(hours("5a", "math", 5), teachers={})
        assert self._check(up) == ["curriculum.subject_without_teacher"]

    def test_component_not_in_profile(self) -> None:
        """R5.3d: hours in a component the parallel's profile does not include are found."""
        up = curriculum(
            hours("5a", "math", 5),
            hours("5a", "rus", 1, "participants"),
            profiles=[ParallelProfile(parallel=5, name="базовый", components=["mandatory"])],
        )
        assert self._check(up) == ["curriculum.component_not_in_profile"]

    def test_unknown_class_and_subject(self) -> None:
        """R5.3a, R5.3f: hours for a class of another year or an unknown subject are found."""
        up = curriculum(hours("9z", "math", 5), hours("5a", "chem", 2))
        assert self._check(up) == ["curriculum.unknown_class", "curriculum.unknown_subject"]

    def test_group_student_outside_the_year(self) -> None:
        """R5.2: a cross-class group's student who is in no class of the year is found."""
        import datetime as dt

        group = Group(
            id="g",
            year=YEAR,
            subject_id="math",
            name="Математика, углублённый",
            kind=GroupKind.CROSS_CLASS,
            class_ids=["5a"],
            student_ids=["s1", "s2"],
            level="углублённый",
        )
        up = curriculum(hours("5a", "math", 5, level="углублённый", group_id="g"))
        members = [
            ClassMembership(id="m1", student_id="s1", class_id="5a", since=dt.date(2025, 9, 1)),
            ClassMembership(
                id="m2",
                student_id="s2",
                class_id="5a",
                since=dt.date(2025, 9, 1),
                until=dt.date(2025, 10, 1),
            ),
        ]
        assert self._check(up, groups=[group], memberships=members) == []
        late = self._check(up, groups=[group], memberships=members, as_of=dt.date(2025, 11, 1))
        assert late == ["curriculum.group_student_outside_year"]
        other = attrs.evolve(group, id="unrelated")
        assert self._check(up, groups=[other], memberships=[]) == []

    def test_findings_are_bilingual_and_serialisable(self) -> None:
        """R5.3e: each finding has a code, clause, requirement and both messages."""
        up = curriculum(hours("5a", "rus", 40), teachers={})
        found = validate_curriculum(
            up, classes=[school_class("5a", 5)], subjects=subjects(), policy=policy()
        )
        for finding in found:
            data = finding.to_dict()
            assert tuple(data) == PROBLEM_KEYS
            assert data["message"]["ru"] != data["message"]["en"]
            assert data["message"] == finding.message.to_dict()
            assert data["requirement"].startswith("R5")
            assert data["entity"] == {"kind": finding.entity_kind, "id": finding.entity_id}

    def test_fractional_hours(self) -> None:
        """R5.3f: half an hour a week (every other week) is kept exactly."""
        up = curriculum(hours("5a", "rus", Fraction(1, 2)), hours("5a", "math", 5))
        assert up.weekly_load("5a") == Fraction(11, 2)
