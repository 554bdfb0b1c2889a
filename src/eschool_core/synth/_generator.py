"""Putting a synthetic school together, and writing it into a store."""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping, Sequence
from datetime import date

import attrs

from eschool_core._validation import check_year_label
from eschool_core.ids import AssignmentId, ClassId, EmployeeId, SchoolId, StudentId, SubjectId
from eschool_core.people import Employee
from eschool_core.school import (
    Accreditation,
    Licence,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from eschool_core.storage import Store, loading_unit_of_work
from eschool_core.synth._catalogue import (
    ADMINISTRATION,
    CLASS_SIZE,
    CLASSES_PER_PARALLEL,
    LETTER_CODES,
    LETTERS,
    PRIMARY_BY_CLASS_TEACHER,
    SUBJECTS,
    TIME_ZONE,
    SchoolSize,
)
from eschool_core.synth._journal import JournalWriter
from eschool_core.synth._model import ProgressCallback, SyntheticSchool
from eschool_core.synth._movement import issue_order, plan_movement
from eschool_core.synth._people import PeopleFactory, adult_consents
from eschool_core.synth._planning import academic_year_of, plan_school, thematic_plans
from eschool_core.synth._year import plan_year
from eschool_core.synth._year_end import issue_year_end
from eschool_core.timetable import generate_lessons

__all__ = ["generate", "write_to_store"]

_MAX_WEEKLY_LOAD = 24
"""Hours a week after which a subject pool hires another teacher."""


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    """Ignore progress reports."""


def _school(director: str) -> School:
    return School(
        id=SchoolId("school"),
        name="Муниципальное бюджетное общеобразовательное учреждение «Синтетическая "
        "средняя общеобразовательная школа №1»",
        short_name="МБОУ «Синтетическая СОШ №1»",
        district="Гатчинский муниципальный район",
        region="Ленинградская область",
        director=director,
        time_zone=TIME_ZONE.key,
        licence=Licence(
            number="Л035-01218-47/00000001",
            issued_on=date(2016, 3, 1),
            issued_by="Комитет общего и профессионального образования Ленинградской области",
        ),
        accreditation=Accreditation(number="А007-01218-47/00000001", issued_on=date(2016, 4, 1)),
    )


def _studied(parallel: int) -> tuple[SubjectId, ...]:
    """The subjects of a grade's curriculum, in its order."""
    return tuple(SubjectId(code) for code, _n, _s, hours in SUBJECTS if hours[parallel - 1])


_STRUGGLING_SHARE = {1: 0.04, 2: 0.01, 3: 0.005}
"""Shares of the pupils of grades 2-10 who fail one, two or three subjects in the year."""


def _struggling(
    rng: random.Random, classes: Sequence[SchoolClass], home: Mapping[StudentId, ClassId]
) -> dict[StudentId, frozenset[str]]:
    """Pupils who fail some subjects, so that the year's decisions have marks to follow.

    Grade 1 has no marks and grade 11 graduates; a grade-9 pupil fails at most one subject.
    """
    parallel_of = {c.id: c.parallel for c in classes}
    chosen: dict[StudentId, frozenset[str]] = {}
    for student in sorted(home):
        parallel = parallel_of[home[student]]
        if parallel in {1, 11}:
            continue
        roll = rng.random()
        for count, share in _STRUGGLING_SHARE.items():
            if roll < share:
                if parallel == 9 and count > 1:
                    break
                studied = _studied(parallel)
                chosen[student] = frozenset(rng.sample(studied, count))
                break
            roll -= share
    return chosen


def _director_name(employees: Sequence[Employee]) -> str:
    """The director's full name from his staff card, so that one name signs everything."""
    (director,) = (e for e in employees if e.position == "директор")
    return director.person.full_name


def _classes(
    people: PeopleFactory, size: SchoolSize, year: str, first_year: int
) -> list[SchoolClass]:
    classes = []
    for parallel, count in enumerate(CLASSES_PER_PARALLEL[size], start=1):
        for index in range(count):
            suffix = f"{parallel:02d}{LETTER_CODES[index]}"
            teacher = people.employee(
                f"emp-ct-{suffix}", "учитель начальных классов" if parallel <= 4 else "учитель"
            )
            classes.append(
                SchoolClass(
                    id=ClassId(f"class-{first_year}-{suffix}"),
                    year=year,
                    parallel=parallel,
                    letter=LETTERS[index],
                    class_teacher_id=teacher.id,
                    shift=2 if size is not SchoolSize.SMALL and parallel in (3, 4) else 1,
                    capacity=34,
                )
            )
    return classes


def _assignments(
    people: PeopleFactory, classes: list[SchoolClass], year: str
) -> tuple[list[TeachingAssignment], dict[tuple[ClassId, str], EmployeeId]]:
    """Who teaches what: primary class teachers their core subjects, pools for the rest."""
    pools: dict[str, list[EmployeeId]] = {}
    load: dict[EmployeeId, int] = {}
    assignments: list[TeachingAssignment] = []
    teacher_of: dict[tuple[ClassId, str], EmployeeId] = {}
    for school_class in classes:
        for code, _name, _short, hours in SUBJECTS:
            weekly = hours[school_class.parallel - 1]
            if weekly == 0:
                continue
            if school_class.parallel <= 4 and code in PRIMARY_BY_CLASS_TEACHER:
                assert school_class.class_teacher_id is not None  # noqa: S101 - set above
                teacher_id = school_class.class_teacher_id
            else:
                pool = pools.setdefault(code, [])
                free = [t for t in pool if load[t] + weekly <= _MAX_WEEKLY_LOAD]
                if free:
                    teacher_id = min(free, key=lambda t: (load[t], t))
                else:
                    teacher_id = people.employee(f"emp-{code}-{len(pool) + 1}", "учитель").id
                    pool.append(teacher_id)
                    load[teacher_id] = 0
                load[teacher_id] += weekly
            teacher_of[(school_class.id, code)] = teacher_id
            assignments.append(
                TeachingAssignment(
                    id=AssignmentId(f"asg-{school_class.id.removeprefix('class-')}-{code}"),
                    teacher_id=teacher_id,
                    year=year,
                    subject_id=SubjectId(code),
                    class_id=school_class.id,
                )
            )
    return assignments, teacher_of


def generate(
    size: SchoolSize | str = SchoolSize.SMALL,
    seed: int = 1,
    *,
    year: str = "2025/2026",
    progress: ProgressCallback | None = None,
) -> SyntheticSchool:
    """Generate a synthetic school year; the same arguments always give the same data.

    Args:
        size: ``"small"`` (~200 students), ``"medium"`` (~600) or ``"large"`` (~1,200).
        seed: Any int.
        year: The academic-year label.
        progress: Called as ``progress(stage, done, total)`` during generation.

    Returns:
        The school with every entity, its periods and what was planted.

    Raises:
        ValueError: For an unknown size.
        ValidationError: For a malformed year label.

    >>> school = generate("small", seed=7)
    >>> len(school.classes), school.stats.marks == len(school.marks)
    (12, True)
    >>> school.orders[0].kind.value, {m.student_id for m in school.memberships} == {
    ...     s.id for s in school.students}
    ('enrollment', True)
    """
    first_year, _ = check_year_label(year)
    size = SchoolSize(size)
    report = progress or _no_progress
    rng = random.Random(f"{size.value}:{seed}:{year}")
    plan = plan_year(first_year)
    people = PeopleFactory(rng, first_year)
    for code, position in ADMINISTRATION:
        people.employee(code, position)
    subjects = tuple(
        Subject(id=SubjectId(code), name=name, short_name=short, order=index + 1)
        for index, (code, name, short, _hours) in enumerate(SUBJECTS)
    )
    classes = _classes(people, size, year, first_year)
    assignments, teacher_of = _assignments(people, classes, year)
    report("staff", 1, 1)
    households = people.households(classes, CLASS_SIZE[size], plan.start)
    report("students", 1, 1)
    academic_year = academic_year_of(year, plan)
    planning = plan_school(
        rng, year=year, first_year=first_year, classes=classes, teacher_of=teacher_of
    )
    skeleton = generate_lessons(planning.timetable, academic_year, classes=classes)
    plans, late_plans = thematic_plans(
        year=year,
        first_year=first_year,
        curriculum=planning.curriculum,
        academic_year=academic_year,
        classes=classes,
        teacher_of=teacher_of,
    )
    report("planning", 1, 1)

    def arrive(school_class: SchoolClass, day: date) -> StudentId:
        return people.household(households, school_class, day).id

    movement = plan_movement(
        rng,
        year=year,
        classes=classes,
        school_days=plan.school_days,
        home=dict(households.home),
        arrive=arrive,
        periods=plan.periods,
    )
    memberships = movement.book.memberships()
    report("movement", 1, 1)
    journal = JournalWriter(
        rng,
        year=year,
        school_days=plan.school_days,
        periods=plan.periods,
        students=households.students,
        memberships=memberships,
        teacher_of=teacher_of,
        struggling=_struggling(
            random.Random(f"struggling:{size.value}:{seed}:{year}"), classes, households.home
        ),
        struggling_rng=random.Random(f"struggling-marks:{size.value}:{seed}:{year}"),
    )
    topics = {
        (p.class_id, str(p.subject_id)): [t.title for t in p.topics for _ in range(t.hours)]
        for p in plans
        if p.class_id is not None
    }
    consents, unconsented = adult_consents(
        random.Random(f"consents:{size.value}:{seed}:{year}"),
        households,
        people.employees,
        plan.start,
    )
    stats = attrs.evolve(
        journal.write(classes, skeleton, report, topics=topics),
        thematic_plans_late=late_plans,
        cards_without_consent=unconsented,
    )
    last_day = plan.school_days[-1]
    issue_year_end(
        random.Random(f"year-end:{size.value}:{seed}:{year}"),
        last_day,
        pupils={
            student.id: (school_class.parallel, _studied(school_class.parallel))
            for school_class in classes
            for student in journal.roster(school_class.id, last_day)
        },
        attestation=journal.attestation,
        issue=functools.partial(issue_order, movement.book, year),
    )
    report("year end", 1, 1)
    return SyntheticSchool(
        year=year,
        school=_school(_director_name(people.employees)),
        employees=tuple(people.employees),
        subjects=subjects,
        classes=tuple(classes),
        students=tuple(households.students),
        guardians=tuple(households.guardians),
        guardian_links=tuple(households.links),
        consents=(*households.consents, *consents),
        memberships=movement.book.memberships(),
        orders=movement.book.orders,
        assignments=tuple(assignments),
        lessons=tuple(journal.lessons),
        marks=tuple(journal.marks),
        attendance=tuple(journal.attendance),
        attestation_marks=tuple(journal.attestation),
        periods_by_parallel=plan.periods,
        academic_year=academic_year,
        curriculum=planning.curriculum,
        rooms=planning.rooms,
        bell_schedules=planning.bell_schedules,
        timetable=planning.timetable,
        thematic_plans=plans,
        school_days=plan.school_days,
        stats=stats,
        seed=seed,
    )


def write_to_store(
    school: SyntheticSchool,
    store: Store,
    *,
    progress: ProgressCallback | None = None,
    batch_size: int = 50_000,
) -> dict[str, int]:
    """Write a generated school into ``store`` in one unit of work (all or nothing).

    Args:
        school: The generated school.
        store: Any store that satisfies :class:`~eschool_core.storage.Store`.
        progress: Called as ``progress(table, rows_written, rows_total)``.
        batch_size: Rows per ``add_many`` call.

    Returns:
        Rows written per repository.

    Raises:
        ConflictError: If the store already holds entities with the same ids; nothing is
            written then.
    """
    report = progress or _no_progress
    written: dict[str, int] = {}
    with loading_unit_of_work(store) as uow:
        for name, rows in school.tables():
            repository = getattr(uow, name)
            for start in range(0, len(rows), batch_size):
                repository.add_many(rows[start : start + batch_size])
                report(name, min(start + batch_size, len(rows)), len(rows))
            written[name] = len(rows)
        uow.commit()
    return written
