"""The service's audit log: personal data kept out of it, read through the privacy matrix,
and checkpoints the service takes by itself (R3.1b, R6.4, R12.5; issue 22 items 6-7)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eschool_core.audit import (
    AuditKind,
    AuditLog,
    ChainProblem,
    Checkpoint,
    CheckpointSink,
    FileCheckpointSink,
    MemoryAuditLogStore,
    read_checkpoint_file,
)
from eschool_core.audit_privacy import DIGEST_PREFIX, REDACTED
from eschool_core.errors import PermissionDenied, ProfileError, RuleViolation
from eschool_core.people import IdentityDocument, Person, Student
from eschool_core.profiles import Profile, default_profile_text, parse_profile
from eschool_core.rbac import Actor
from eschool_core.service import SchoolService
from eschool_core.storage import MemoryStore, Store
from eschool_core.storage.sql import SqlStore
from tests.service_helpers import (
    ADMIN,
    DEPUTY,
    LESSON_DAY,
    SECRETARY,
    TEACHER,
    YEAR,
    at,
    audit_entries,
    state,
)
from tests.strategies import snils_numbers

KEY = b"school 2: the audit key the host keeps"
DIRECTOR = Actor(account_id="acc-dir", roles=["director"], school_id="sch", employee_id="adm")
SNILS = "112-233-445 95"
RESTRICTED = {
    "snils": "11223344595",
    "document": "4510 123456",
    "address": "г. Коммунар, ул. Лесная, д. 17, кв. 3",
    "phone": "+7 921 555-01-77",
    "email": "ershova.family@example.ru",
}
"""The restricted values of the card the class teacher writes, as stored."""
_FEW = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def profile(every: int) -> Profile:
    """The default profile with a checkpoint every ``every`` entries."""
    text = default_profile_text()
    assert text.count("checkpoint_every = 500") == 1
    return parse_profile(text.replace("checkpoint_every = 500", f"checkpoint_every = {every}"))


def service(
    store: Store,
    *,
    every: int = 500,
    audit_key: bytes | None = None,
    checkpoint_sink: CheckpointSink | None = None,
) -> SchoolService:
    """The write service with :func:`profile` (``every``), the key and the sink."""
    return SchoolService(
        store,
        year=YEAR,
        profile=profile(every),
        audit_key=audit_key,
        checkpoint_sink=checkpoint_sink,
    )


def full_card(student_id: str = "s1", **changes: object) -> Student:
    """Student ``s1``'s card with every restricted field filled in."""
    person = Person(
        last_name="Ершова",
        first_name="Мария",
        birth_date=date(2014, 5, 17),
        snils=SNILS,
        document=IdentityDocument(
            kind="birth_certificate", number=RESTRICTED["document"], issued_on=date(2014, 6, 2)
        ),
        address=RESTRICTED["address"],
        phone=RESTRICTED["phone"],
        email=RESTRICTED["email"],
    )
    return Student(id=student_id, person=attrs.evolve(person, **changes))


def raw_rows(store: Store) -> str:
    """Every stored audit row and checkpoint, as the database (or the memory) holds them."""
    if isinstance(store, SqlStore):
        with store._engine.connect() as conn:
            rows = [
                *conn.execute(sa.text("SELECT * FROM audit_entries")),
                *conn.execute(sa.text("SELECT * FROM audit_checkpoints")),
            ]
        return "\n".join(repr(tuple(row)) for row in rows)
    assert isinstance(store, MemoryStore)
    return "\n".join(repr(attrs.asdict(entry)) for entry in audit_entries(store))


def stored_log(store: Store) -> MemoryAuditLogStore:
    """The store's audit log with its checkpoints, read into memory."""
    with store.unit_of_work() as uow:
        return MemoryAuditLogStore(uow.audit.read(), uow.audit.checkpoints())


def leaked(text: str, values: dict[str, str]) -> list[str]:
    """The names of the values found in ``text`` as whole values (JSON or Python quoted)."""
    return [
        name
        for name, value in values.items()
        if any(
            form in text
            for form in (json.dumps(value, ensure_ascii=False), json.dumps(value), repr(value))
        )
    ]


class TestPersonalDataKeptOut:
    @pytest.mark.parametrize("key", [KEY, None])
    def test_a_card_write_logs_fields_and_digests_never_values(
        self, store: Store, key: bytes | None
    ) -> None:
        """R6.4, R12.5 (152-FZ minimisation): the class teacher's card write is logged with
        who and which fields changed, restricted values only as keyed digests (or redacted
        without a key): no СНИЛС, document, address, phone or e-mail in any stored row."""
        svc = service(store, audit_key=key)
        svc.update_student_card(TEACHER, at(LESSON_DAY), full_card())
        svc.update_student_card(
            TEACHER, at(LESSON_DAY, 11), full_card(address="г. Коммунар, ул. Новая, д. 2")
        )
        first, second = audit_entries(store)
        assert (first.account_id, first.action) == (TEACHER.account_id, "student_card.write")
        assert first.target["changed_fields"] == [
            "address", "birth_date", "document", "email", "first_name", "last_name", "phone",
            "snils",
        ]  # fmt: skip
        assert second.target["changed_fields"] == ["address"]
        assert second.after["person"]["last_name"] == "Ершова"  # the name is shown to all
        snils = second.after["person"]["snils"]
        if key is None:
            assert snils == REDACTED
        else:
            assert snils.startswith(DIGEST_PREFIX)
            assert second.before["person"]["snils"] == snils  # unchanged: the same digest
            assert second.before["person"]["address"] != second.after["person"]["address"]
        text = raw_rows(store)
        values = {**RESTRICTED, "formatted snils": SNILS, "new": "г. Коммунар, ул. Новая, д. 2"}
        assert leaked(text, values) == []
        assert AuditLog(stored_log(store), key=key).verify().ok

    @_FEW
    @given(
        snils=snils_numbers(),
        street=st.text(alphabet="абвгдежзиклмнопрстуфхцчшэюя", min_size=6, max_size=20),
        digits=st.text(alphabet="0123456789", min_size=10, max_size=11),
    )
    def test_no_generated_value_reaches_the_log(
        self, new_store: Callable[[], Store], snils: str, street: str, digits: str
    ) -> None:
        """R12.5, 152-FZ: whatever the СНИЛС, address and phone, none is found in the rows."""
        store = new_store()
        card = full_card(snils=snils, address=f"ул. {street}, д. 1", phone=f"+{digits}")
        service(store, audit_key=KEY).update_student_card(TEACHER, at(LESSON_DAY), card)
        stored = card.person
        assert (stored.snils, stored.address, stored.phone) != (None, None, None)
        values = {
            "snils": str(stored.snils),
            "address": str(stored.address),
            "phone": str(stored.phone),
        }
        assert leaked(raw_rows(store), values) == []

    def test_a_refused_card_write_leaves_the_store_as_it_was(self, store: Store) -> None:
        """R3.1c, R6.4: a card write the matrix does not grant changes nothing, logs nothing."""
        svc = service(store, audit_key=KEY)
        before = state(store)
        with pytest.raises(PermissionDenied):
            svc.update_student_card(SECRETARY, at(LESSON_DAY), full_card())
        assert state(store) == before


class TestReadingTheLog:
    def test_each_reader_sees_what_his_privacy_row_shows(self, store: Store) -> None:
        """R3.1b, 152-FZ: reading the log needs audit_log.read; the administrator (his row:
        birth date, phone, e-mail of a student) gets the other card fields blanked, in new
        entries (digests) and in entries written before digests (plain values); the
        director (full access) gets every field; a teacher is refused. The read is logged."""
        svc = service(store, audit_key=KEY)
        svc.update_student_card(TEACHER, at(LESSON_DAY), full_card())
        with store.unit_of_work() as uow:  # an entry as the library wrote them before
            AuditLog(uow.audit, key=KEY).record_change(
                account_id=TEACHER.account_id,
                at=at(LESSON_DAY, 12),
                action="student_card.write",
                target={"entity": "student", "id": "s1", "school_id": "sch"},
                before=None,
                after=full_card(),
            )
            uow.commit()
        new, old = svc.read_audit_log(ADMIN, at(LESSON_DAY, 13))
        for entry in (new, old):
            person = entry.after["person"]
            assert (person["snils"], person["address"], person["document"]) == (None, None, None)
            assert person["last_name"] == "Ершова"
        assert new.after["person"]["phone"].startswith(DIGEST_PREFIX)
        assert old.after["person"]["phone"] == RESTRICTED["phone"]  # his row shows phones
        assert leaked(repr((new, old)), {k: RESTRICTED[k] for k in ("snils", "address")}) == []
        director = svc.read_audit_log(DIRECTOR, at(LESSON_DAY, 14), stop=2)
        assert director[1].after["person"]["snils"] == RESTRICTED["snils"]
        assert director[0].after["person"]["address"].startswith(DIGEST_PREFIX)
        before = state(store)
        with pytest.raises(PermissionDenied):
            svc.read_audit_log(TEACHER, at(LESSON_DAY, 15))
        assert state(store) == before
        reads = [e for e in audit_entries(store) if e.action == "audit_log.read"]
        assert [(e.kind, e.account_id) for e in reads] == [
            (AuditKind.DECISION, ADMIN.account_id),
            (AuditKind.DECISION, DIRECTOR.account_id),
        ]
        assert AuditLog(stored_log(store), key=KEY).verify().ok

    def test_entries_of_other_things_are_read_as_they_are(self, store: Store) -> None:
        """R3.1b: entries that hold no card (a closed period) are not masked."""
        svc = service(store)
        closure = svc.close_period(DEPUTY, at(date(2025, 10, 27)), "Q1")
        (entry,) = svc.read_audit_log(ADMIN, at(date(2025, 10, 28)), stop=1)
        assert entry == audit_entries(store)[0]
        assert entry.after["id"] == closure.id


class TestCheckpointsTakenByTheService:
    @_FEW
    @given(every=st.integers(1, 4), commands=st.integers(1, 9))
    def test_every_n_entries_and_only_what_was_committed_reaches_the_sink(
        self, new_store: Callable[[], Store], every: int, commands: int
    ) -> None:
        """R3.1b: with checkpoint_every = N in the profile, the service stores a checkpoint
        after every N entries and sends each to the host's callback once committed; a
        refused command neither stores nor sends one."""
        store = new_store()
        sent: list[Checkpoint] = []
        svc = service(store, every=every, audit_key=KEY, checkpoint_sink=sent.append)
        for i in range(commands):
            svc.update_student_card(
                TEACHER, at(LESSON_DAY, 8 + i), full_card(phone=f"+7921555{i:04d}")
            )
            with pytest.raises(PermissionDenied):
                svc.update_student_card(SECRETARY, at(LESSON_DAY, 8 + i), full_card())
        log = stored_log(store)
        assert [c.length for c in log.checkpoints()] == list(range(every, commands + 1, every))
        assert sent == list(log.checkpoints())
        assert [c.number for c in sent] == list(range(1, len(sent) + 1))
        assert AuditLog(log, key=KEY).verify(checkpoints=sent).ok

    def test_closing_a_period_takes_a_checkpoint_sent_to_the_file(
        self, store: Store, tmp_path: Path
    ) -> None:
        """R3.1b, R8.9: closing a study period witnesses the log's head: stored, and written
        to the host's sink file; deleting it from the store is then found against the file."""
        sink = FileCheckpointSink(tmp_path / "checkpoints.jsonl")
        svc = service(store, checkpoint_sink=sink)
        svc.update_student_card(TEACHER, at(LESSON_DAY), full_card())
        svc.close_period(DEPUTY, at(date(2025, 10, 27)), "Q1")
        with pytest.raises(RuleViolation):
            svc.close_period(DEPUTY, at(date(2025, 10, 28)), "Q1")
        (kept,) = read_checkpoint_file(sink.path)
        assert (kept.number, kept.length) == (1, 2)
        assert stored_log(store).checkpoints() == (kept,)
        if isinstance(store, MemoryStore):
            store._audit_checkpoints.clear()
        else:
            assert isinstance(store, SqlStore)
            with store._engine.begin() as conn:
                if store.dialect == "sqlite":
                    conn.exec_driver_sql("DROP TRIGGER audit_checkpoints_no_delete")
                else:
                    conn.exec_driver_sql("ALTER TABLE audit_checkpoints DISABLE TRIGGER USER")
                conn.exec_driver_sql("DELETE FROM audit_checkpoints")
        log = AuditLog(stored_log(store))
        assert log.verify().ok
        result = log.verify(checkpoints=read_checkpoint_file(sink.path))
        assert (result.problem, result.damages[0].checkpoint) == (
            ChainProblem.CHECKPOINT_MISSING,
            1,
        )


class TestProfile:
    @pytest.mark.parametrize(
        ("old", "new"),
        [
            ("checkpoint_every = 500\n", ""),
            ("checkpoint_every = 500", "checkpoint_every = 0"),
            (
                'clause = "3.1"\nrequirement = "R3.1b"\ncheckpoint_every',
                'requirement = "R3.1b"\ncheckpoint_every',
            ),
        ],
    )
    def test_the_interval_and_its_clause_are_required(self, old: str, new: str) -> None:
        """R3.1b: the [audit] section names its clause and an interval of at least 1; there
        is no default in code."""
        text = default_profile_text()
        assert text.count(old) == 1
        with pytest.raises(ProfileError) as caught:
            parse_profile(text.replace(old, new))
        assert "audit" in caught.value.message("en")

    def test_the_default_profile_cites_its_clause(self) -> None:
        """R3.1b: the default takes a checkpoint every 500 entries under clause 3.1."""
        policy = parse_profile(default_profile_text()).audit
        assert (policy.checkpoint_every, policy.clause, policy.requirement) == (500, "3.1", "R3.1b")
