"""The registry of stored aggregates is the one list every adapter derives from (R9.1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eschool_core.storage import MemoryStore, Store
from eschool_core.storage._rows import AGGREGATES
from eschool_core.storage.bundle import export_bundle
from eschool_core.storage.registry import REGISTRY, referenced_by, referenced_first
from eschool_core.storage.sql import METADATA, SqlStore
from eschool_core.testing import REPOSITORIES, load, sample_school


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
        assert list(AGGREGATES) == list(REGISTRY)
        assert all(AGGREGATES[name].kind == spec.kind for name, spec in REGISTRY.items())
        assert set(REGISTRY) <= set(METADATA.tables)
        assert tuple(REGISTRY) == REPOSITORIES

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
