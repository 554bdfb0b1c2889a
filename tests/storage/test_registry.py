"""The registry of stored aggregates is the one list every adapter derives from (R9.1)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_type_hints

import pytest

from eschool_core.storage import MemoryStore, Store, UnitOfWork
from eschool_core.storage.bundle import export_bundle
from eschool_core.storage.registry import REGISTRY, referenced_by, referenced_first
from eschool_core.storage.rows import AGGREGATES
from eschool_core.storage.sql import METADATA, SqlStore
from eschool_core.testing import REPOSITORIES, load, sample_school

_SCHEMA_5_INDEXES = frozenset(
    (
        "ix_assignments_class_id",
        "ix_assignments_group_id",
        "ix_assignments_subject_id",
        "ix_assignments_teacher_id",
        "ix_assignments_year",
        "ix_attendance_date",
        "ix_attendance_lesson_id",
        "ix_attendance_student_id_date",
        "ix_attestation_marks_student_id_subject_id",
        "ix_attestation_marks_year",
        "ix_bell_schedules_year",
        "ix_classes_class_teacher_id",
        "ix_classes_year",
        "ix_consents_subject_id",
        "ix_curricula_responsible_id",
        "ix_curricula_year",
        "ix_events_entered_by",
        "ix_events_year",
        "ix_groups_subject_id",
        "ix_groups_year",
        "ix_guardian_links_guardian_id",
        "ix_guardian_links_student_id",
        "ix_lessons_class_id_date",
        "ix_lessons_date",
        "ix_lessons_group_id_date",
        "ix_lessons_subject_id",
        "ix_lessons_substitute_id",
        "ix_lessons_teacher_id_date",
        "ix_marks_date",
        "ix_marks_lesson_id",
        "ix_marks_student_id_subject_id_date",
        "ix_memberships_class_id",
        "ix_memberships_student_id",
        "ix_orders_author_id",
        "ix_orders_year",
        "ix_report_runs_by",
        "ix_report_runs_year",
        "ix_retake_attempts_debt_order_id",
        "ix_retake_attempts_student_id_subject_id",
        "ix_retake_attempts_year",
        "ix_thematic_plans_class_id",
        "ix_thematic_plans_entered_by",
        "ix_thematic_plans_group_id",
        "ix_thematic_plans_subject_id",
        "ix_thematic_plans_teacher_id",
        "ix_thematic_plans_year",
        "ix_timetables_year",
    )
)
"""The indexes of the aggregates' tables in a store of schema version 5, as first shipped."""


class TestOrder:
    def test_every_reference_points_to_an_earlier_aggregate_or_itself(self) -> None:
        """R9.1: loading in registry order never meets a reference to what is not loaded yet."""
        order = list(REGISTRY)
        for position, spec in enumerate(REGISTRY.values()):
            targets = [*spec.references.values(), *spec.collection_references.values()]
            for target in targets:
                assert target in REGISTRY, (spec.name, target)
                assert order.index(target) <= position, (spec.name, target)

    def test_referenced_by_is_the_inverse_of_the_references(self) -> None:
        """R9.1: what refers to an aggregate is read from the same registry."""
        for name in REGISTRY:
            found = {(spec.name, field) for spec, field, _many in referenced_by(name)}
            expected = {
                (spec.name, field)
                for spec in REGISTRY.values()
                for field, target in (
                    *spec.references.items(),
                    *spec.collection_references.items(),
                )
                if target == name
            }
            assert found == expected

    def test_an_unknown_aggregate_is_an_error(self) -> None:
        """R9.1: a misspelt name is not an aggregate nothing refers to."""
        with pytest.raises(KeyError):
            list(referenced_by("pupils"))

    def test_a_batch_naming_itself_is_ordered_referenced_first(self) -> None:
        """R8.2: homework due for a later lesson of the batch is stored after that lesson."""
        lessons = next(batch for name, batch in sample_school() if name == "lessons")
        dependent = [lesson for lesson in lessons if lesson.homework_due_lesson_id]
        assert dependent, "the sample has homework due for another lesson"
        ordered = referenced_first("lessons", list(reversed(lessons)))
        position = {lesson.id: index for index, lesson in enumerate(ordered)}
        for lesson in dependent:
            assert position[lesson.homework_due_lesson_id] < position[lesson.id]


class TestEverythingDerivesFromIt:
    def test_rows_sql_tables_and_testing_kit(self) -> None:
        """R9.1: rows, SQL tables and the conformance kit list the registry's aggregates."""
        assert set(AGGREGATES) == set(REGISTRY)
        assert all(AGGREGATES[name] is spec.rows for name, spec in REGISTRY.items())
        assert all(spec.rows.kind == spec.kind for spec in REGISTRY.values())
        assert set(REGISTRY) <= set(METADATA.tables)
        assert tuple(REGISTRY) == REPOSITORIES

    def test_sql_indexes_are_the_registry_indexes(self) -> None:
        """R9.1: each table's indexes are its registry entry's, under the names stores have."""
        for name, spec in REGISTRY.items():
            found = {
                index.name: tuple(column.name for column in index.columns)
                for index in METADATA.tables[name].indexes
            }
            assert found == dict(zip(spec.index_names, spec.indexes, strict=True)), name
        derived = {name for spec in REGISTRY.values() for name in spec.index_names}
        assert derived == _SCHEMA_5_INDEXES  # existing stores need no migration

    def test_the_unit_of_work_protocol_declares_the_registry(self) -> None:
        """R9.1: the one declaration of the repositories names each entry's protocol."""
        hints = get_type_hints(UnitOfWork)
        assert set(hints) == {*REGISTRY, "audit"}
        for name, spec in REGISTRY.items():
            assert hints[name] is spec.repository, name

    @pytest.mark.parametrize("kind", ["memory", "sqlite"])
    def test_unit_of_work_attributes_are_the_registry_names(self, kind: str) -> None:
        """R9.1: an adapter's repositories are exactly the registry's, each its protocol's."""
        store: Store = MemoryStore() if kind == "memory" else SqlStore(":memory:")
        uow = store.unit_of_work()
        public = {name for name in vars(uow) if not name.startswith("_")}
        assert public == {*REGISTRY, "audit"}
        for name, spec in REGISTRY.items():
            repository = getattr(uow, name)
            methods = {
                method
                for cls in spec.repository.__mro__
                if cls.__module__.startswith("eschool_core.storage")
                for method, value in vars(cls).items()
                if callable(value) and not method.startswith("_")
            }
            missing = {
                method for method in methods if not callable(getattr(repository, method, None))
            }
            assert not missing, (name, missing)
        store.close()

    @pytest.mark.parametrize("kind", ["memory", "sqlite"])
    def test_every_unit_of_work_has_each_repository(self, kind: str) -> None:
        """R9.1: both adapters wire one repository per registered aggregate."""
        store: Store = MemoryStore() if kind == "memory" else SqlStore(":memory:")
        with store.unit_of_work() as uow:
            for name, spec in REGISTRY.items():
                repository = getattr(uow, name)
                assert hasattr(repository, "for_year") == spec.by_year, name
                assert repository.count() == 0

    def test_sample_entities_are_the_registered_types(self) -> None:
        """R9.1: each aggregate holds entities of its registered class."""
        for name, batch in sample_school():
            assert all(isinstance(entity, REGISTRY[name].entity) for entity in batch), name

    def test_the_bundle_lists_its_files_in_registry_order(self, tmp_path: Path) -> None:
        """R9.1, R9.3: the bundle's files follow the registry's loading order."""
        store = MemoryStore()
        load(store, sample_school())
        export_bundle(store, tmp_path / "b")
        manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
        stems = [item["name"].removesuffix(".csv") for item in manifest["files"]]
        main = [stem for stem in stems if stem in REGISTRY]
        assert main == list(REGISTRY)
