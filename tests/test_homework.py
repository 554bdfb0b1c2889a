"""Homework with the lesson it is due for and attachment references, in every store (R8.2)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eschool_core.errors import ConflictError, ValidationError
from eschool_core.journal import Attachment, Lesson
from eschool_core.storage import MemoryStore, Store
from eschool_core.storage.bundle import export_bundle, import_bundle
from eschool_core.storage.sql import SqlStore
from eschool_core.testing import load, sample_school, snapshot

_DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def _lesson(store: Store) -> Lesson:
    with store.unit_of_work() as uow:
        return uow.lessons.get("l1")


class TestAttachment:
    def test_a_reference_keeps_name_size_type_and_digest(self) -> None:
        """R8.2: an attachment is a reference: name, size in bytes, media type, SHA-256."""
        item = Attachment(
            name=" план.docx ", size_bytes=0, media_type="TEXT/Plain", sha256=_DIGEST.upper()
        )
        assert (item.name, item.size_bytes, item.media_type, item.sha256) == (
            "план.docx",
            0,
            "text/plain",
            _DIGEST,
        )

    @pytest.mark.parametrize(
        ("field", "value", "code"),
        [
            ("media_type", "pdf", "attachment.media_type"),
            ("sha256", "abc", "attachment.sha256"),
            ("size_bytes", -1, "attachment.size"),
        ],
    )
    def test_malformed_references_are_refused(self, field: str, value: object, code: str) -> None:
        """R8.2: a malformed media type, digest or size is refused with its code."""
        fields: dict[str, object] = {
            "name": "a.pdf",
            "size_bytes": 1,
            "media_type": "application/pdf",
            "sha256": _DIGEST,
            field: value,
        }
        with pytest.raises(ValidationError) as caught:
            Attachment(**fields)
        assert caught.value.code.startswith(code.split(".", maxsplit=1)[0])

    def test_due_lesson_and_attachments_need_homework(self) -> None:
        """R8.2: a due lesson or attachments without homework, or due for itself, are refused."""
        base = _lesson(_loaded(MemoryStore()))
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(base, homework=None, individual_homework=())
        assert caught.value.code == "lesson.homework_details"
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(base, homework_due_lesson_id="l1")
        assert caught.value.code == "lesson.homework_due"


def _loaded(store: Store) -> Store:
    load(store, sample_school())
    return store


_ATTACHMENTS = st.lists(
    st.builds(
        Attachment,
        name=st.text("абвгдabc. 1", min_size=1, max_size=12).filter(lambda t: t.strip() != ""),
        size_bytes=st.integers(0, 2**40),
        media_type=st.sampled_from(["application/pdf", "image/png", "text/plain"]),
        sha256=st.text("0123456789abcdef", min_size=64, max_size=64),
    ),
    max_size=3,
)


class TestRoundTrip:
    @settings(max_examples=15, deadline=None)
    @given(attachments=_ATTACHMENTS, due=st.sampled_from([None, "l2", "l3"]))
    def test_every_store_and_the_bundle_keep_homework(
        self, attachments: list[Attachment], due: str | None
    ) -> None:
        """R8.2: memory, SQLite and the bundle give back the due lesson and every attachment."""
        for store in (MemoryStore(), SqlStore(":memory:")):
            _loaded(store)
            with store.unit_of_work() as uow:
                changed = attrs.evolve(
                    uow.lessons.get("l1"),
                    homework_due_lesson_id=due,
                    homework_attachments=attachments,
                )
                uow.lessons.update(changed)
                uow.commit()
            assert _lesson(store) == changed
            with tempfile.TemporaryDirectory() as folder:
                export_bundle(store, Path(folder) / "b")
                copy = MemoryStore()
                import_bundle(Path(folder) / "b", copy)
            assert snapshot(copy) == snapshot(store)

    def test_a_batch_names_a_later_lesson(self) -> None:
        """R8.2: one batch may hold homework due for a lesson listed after it, in every store."""
        for store in (MemoryStore(), SqlStore(":memory:")):
            _loaded(store)
            with store.unit_of_work() as uow:
                first = attrs.evolve(uow.lessons.get("l1"), id="n1", homework_due_lesson_id="n2")
                second = attrs.evolve(uow.lessons.get("l3"), id="n2")
                uow.lessons.add_many([first, second])
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.lessons.get("n1").homework_due_lesson_id == "n2"
                with pytest.raises(ConflictError):
                    uow.lessons.remove("n2")
                with pytest.raises(ValidationError) as caught:
                    uow.lessons.add(attrs.evolve(first, id="n3", homework_due_lesson_id="zz"))
                assert caught.value.code == "lesson.dangling_reference"
