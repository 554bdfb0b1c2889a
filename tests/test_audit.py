"""The hash-chained audit log (R3.1b, R12.5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eschool_core.audit import (
    GENESIS_HASH,
    Anchor,
    AuditEntry,
    AuditKind,
    AuditLog,
    ChainProblem,
    Checkpoint,
    MemoryAuditLogStore,
    canonical_json,
    checkpoints_from_json,
    checkpoints_to_json,
    to_jsonable,
)
from eschool_core.errors import ConflictError, ValidationError
from eschool_core.ids import AccountId, ClassId, GuardianId, StudentId
from eschool_core.profiles import default_profile
from eschool_core.rbac import Action, Actor, Authorizer, MemoryDirectory, Role, Target

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def filled(n: int) -> AuditLog:
    log = AuditLog(MemoryAuditLogStore())
    for i in range(n):
        log.record_change(
            account_id=f"acc{i % 3}",
            at=T0 + timedelta(minutes=i),
            action="mark.write",
            target={"student_id": f"s{i}", "subject_id": "math"},
            before=None if i % 2 else {"value": i % 5 + 1},
            after={"value": (i + 1) % 5 + 1},
        )
    return log


def tampered(log: AuditLog, entries: list[AuditEntry]) -> AuditLog:
    return AuditLog(MemoryAuditLogStore(entries))


class TestAppend:
    def test_entries_are_chained(self) -> None:
        """R3.1b: each entry holds its predecessor's hash; the first holds the genesis hash."""
        entries = filled(3).store.read()
        assert entries[0].previous_hash == GENESIS_HASH
        assert entries[1].previous_hash == entries[0].hash
        assert entries[2].previous_hash == entries[1].hash
        assert all(len(e.hash) == 64 for e in entries)

    def test_change_is_attributed_to_account(self) -> None:
        """R12.5: every change names the account that made it, with before and after."""
        entry = filled(1).store.read()[0]
        assert entry.account_id == "acc0"
        assert entry.kind is AuditKind.CHANGE
        assert entry.before == {"value": 1}
        assert entry.after == {"value": 2}

    def test_naive_moment_is_rejected(self) -> None:
        """Moments in the log are timezone-aware; a naive datetime is rejected."""
        log = AuditLog(MemoryAuditLogStore())
        with pytest.raises(ValidationError):
            log.record_change(
                account_id="a",
                at=datetime(2026, 1, 1),
                action="x",
                target={},
                before=None,
                after=None,
            )
        assert log.store.count() == 0

    def test_store_refuses_out_of_order_append(self) -> None:
        """The store is append-only: an entry must follow the last one."""
        log = filled(2)
        first = log.store.read()[0]
        with pytest.raises(ConflictError):
            log.store.append(first)

    def test_decisions_are_logged(self) -> None:
        """R3.1b: with an audit log, every authorization decision is an entry."""
        log = AuditLog(MemoryAuditLogStore())
        authorizer = Authorizer(default_profile().rbac, MemoryDirectory(), audit=log)
        actor = Actor(account_id=AccountId("p1"), roles=[Role.PARENT], guardian_id=GuardianId("g1"))
        decision = authorizer.check(
            actor, Action.DIARY_READ, Target(student_id=StudentId("s1")), on=date(2026, 3, 2), at=T0
        )
        assert not decision.allowed
        entry = log.store.read()[0]
        assert entry.kind is AuditKind.DECISION
        assert entry.account_id == "p1"
        assert entry.after["allowed"] is False
        assert entry.target == {"student_id": "s1"}
        with pytest.raises(ValidationError):
            authorizer.check(actor, Action.DIARY_READ, Target(), on=date(2026, 3, 2))
        assert log.verify().ok


class TestJsonable:
    def test_values_become_json(self) -> None:
        """Dates, fractions, enums, sets and attrs values become canonical JSON data."""
        data = to_jsonable(
            {
                "d": date(2026, 1, 2),
                "f": Fraction(1, 3),
                "r": Role.CLERK,
                "s": {"b", "a"},
                "t": Target(class_id=ClassId("c")),
            }
        )
        assert data == {
            "d": "2026-01-02",
            "f": "1/3",
            "r": "clerk",
            "s": ["a", "b"],
            "t": {
                "class_id": "c",
                "district": None,
                "employee_id": None,
                "group_id": None,
                "guardian_id": None,
                "region": None,
                "school_id": None,
                "student_id": None,
                "subject_id": None,
                "year": None,
            },
        }
        assert canonical_json(data).startswith('{"d":"2026-01-02"')

    @pytest.mark.parametrize("bad", [1.5, datetime(2026, 1, 1), {1: "x"}, object()])
    def test_non_json_values_are_rejected(self, bad: object) -> None:
        """Floats, naive datetimes, non-string keys and other objects are rejected."""
        with pytest.raises(ValidationError):
            to_jsonable(bad)


class TestVerify:
    def test_intact_chain(self) -> None:
        """An untouched chain verifies, also against its anchor."""
        log = filled(5)
        anchor = log.anchor()
        assert log.verify(anchor).ok
        assert log.verify().explain() == "intact: 5 entries"

    def test_cut_end_is_found_with_anchor(self) -> None:
        """R3.1b: entries cut off the end are found when the head anchor is given."""
        log = filled(5)
        anchor = log.anchor()
        cut = tampered(log, list(log.store.read())[:4])
        assert cut.verify().ok  # the chain alone cannot tell
        result = cut.verify(anchor)
        assert (result.ok, result.problem, result.position) == (False, ChainProblem.TRUNCATED, 4)

    @given(st.integers(2, 12), st.data())
    def test_edit_is_found(self, n: int, data: st.DataObject) -> None:
        """R3.1b: editing any field of any entry is found at that entry."""
        log = filled(n)
        entries = list(log.store.read())
        i = data.draw(st.integers(0, n - 1))
        field = data.draw(st.sampled_from(["account_id", "action", "after", "at", "target"]))
        changes: dict[str, object] = {
            "account_id": "intruder",
            "action": "final_mark.write",
            "after": {"value": 99},
            "at": entries[i].at + timedelta(seconds=1),
            "target": {"student_id": "other"},
        }
        entries[i] = attrs.evolve(entries[i], **{field: changes[field]})
        result = tampered(log, entries).verify()
        assert not result.ok
        assert result.position == i
        assert result.problem is ChainProblem.EDITED

    @given(st.integers(2, 12), st.data())
    def test_rehashed_edit_is_found_at_next_entry(self, n: int, data: st.DataObject) -> None:
        """R3.1b: an edit whose hash is recomputed breaks the link of the next entry."""
        log = filled(n)
        entries = list(log.store.read())
        i = data.draw(st.integers(0, n - 2))
        edited = attrs.evolve(entries[i], after={"value": 99})
        entries[i] = attrs.evolve(edited, hash=edited.computed_hash())
        result = tampered(log, entries).verify()
        assert (result.position, result.problem) == (i + 1, ChainProblem.BROKEN_LINK)

    @given(st.integers(2, 12), st.data())
    def test_removal_is_found(self, n: int, data: st.DataObject) -> None:
        """R3.1b: removing any entry is found (the last one with the anchor)."""
        log = filled(n)
        anchor = log.anchor()
        entries = list(log.store.read())
        i = data.draw(st.integers(0, n - 1))
        del entries[i]
        result = tampered(log, entries).verify(anchor)
        assert not result.ok
        assert result.position == i

    @given(st.integers(2, 12), st.data())
    def test_swap_is_found(self, n: int, data: st.DataObject) -> None:
        """R3.1b: swapping two entries is found at the first of them, named moved."""
        log = filled(n)
        entries = list(log.store.read())
        i, j = sorted(
            data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        )
        entries[i], entries[j] = entries[j], entries[i]
        result = tampered(log, entries).verify()
        assert (result.ok, result.position) == (False, i)
        assert result.problem is ChainProblem.MOVED


KEY = b"the school's secret"


def keyed(n: int, key: bytes = KEY, every: int | None = None) -> AuditLog:
    log = AuditLog(MemoryAuditLogStore(), key=key, checkpoint_every=every)
    for i in range(n):
        log.record_change(
            account_id=f"acc{i % 3}",
            at=T0 + timedelta(minutes=i),
            action="mark.write",
            target={"student_id": f"s{i}"},
            before=None,
            after={"value": i % 5 + 1},
        )
    return log


class TestCheckpoints:
    def test_checkpoint_every_n_entries(self) -> None:
        """R3.1b: with checkpoint_every=3 a checkpoint is stored after entries 3, 6, 9."""
        log = keyed(10, every=3)
        assert [c.length for c in log.checkpoints()] == [3, 6, 9]
        entries = log.store.read()
        assert [c.head_hash for c in log.checkpoints()] == [entries[i].hash for i in (2, 5, 8)]
        assert [c.at for c in log.checkpoints()] == [entries[i].at for i in (2, 5, 8)]

    def test_explicit_checkpoint_is_stored_once_per_length(self) -> None:
        """R3.1b: checkpoint(at) stores the head; asked again at the same length it returns it."""
        log = filled(3)
        first = log.checkpoint(T0)
        assert first is not None
        assert (first.length, first.head_hash, first.mac) == (3, log.anchor().head_hash, None)
        assert log.checkpoint(T0 + timedelta(hours=1)) == first
        assert log.checkpoints() == (first,)
        assert AuditLog(MemoryAuditLogStore()).checkpoint(T0) is None

    def test_json_round_trip(self) -> None:
        """R3.1b: exported checkpoints read back equal, keyed or not."""
        for log in (keyed(7, every=2), filled(4)):
            log.checkpoint(T0 + timedelta(days=1))
            assert (
                checkpoints_from_json(checkpoints_to_json(log.checkpoints())) == log.checkpoints()
            )

    @pytest.mark.parametrize(
        "text",
        [
            "not json",
            "[]",
            '{"format": "other", "version": 1, "checkpoints": []}',
            '{"format": "eschool-audit-checkpoints", "version": 3, "checkpoints": []}',
            '{"format": "eschool-audit-checkpoints", "version": 1, "checkpoints": [{}]}',
            (
                '{"format": "eschool-audit-checkpoints", "version": 1, "checkpoints": '
                '[{"length": 0, "head_hash": "ab", "at": "2026-03-02T09:00:00+00:00"}]}'
            ),
            (
                '{"format": "eschool-audit-checkpoints", "version": 1, "checkpoints": '
                '[{"length": 1, "head_hash": "ab", "at": "2026-03-02T09:00:00"}]}'
            ),
        ],
    )
    def test_bad_json_is_a_typed_error(self, text: str) -> None:
        """R3.1b: a document that is not a checkpoints export raises audit.bad_checkpoints."""
        with pytest.raises(ValidationError) as caught:
            checkpoints_from_json(text)
        assert caught.value.code == "audit.bad_checkpoints"

    @given(st.integers(2, 14), st.integers(1, 4), st.data())
    def test_truncation_is_found_by_a_checkpoint(
        self, n: int, every: int, data: st.DataObject
    ) -> None:
        """R3.1b: cutting the log below the last checkpoint is found where the cut begins."""
        log = keyed(n, every=every)
        log.checkpoint(T0 + timedelta(days=1))
        cut = data.draw(st.integers(0, n - 1))
        store = MemoryAuditLogStore(log.store.read()[:cut], log.checkpoints())
        result = AuditLog(store, key=KEY).verify()
        assert (result.ok, result.position, result.problem) == (False, cut, ChainProblem.TRUNCATED)

    @given(st.integers(2, 14), st.integers(1, 4), st.data())
    def test_rewrite_is_located_between_checkpoints(
        self, n: int, every: int, data: st.DataObject
    ) -> None:
        """R3.1b: a rewrite from entry p with recomputed hashes is located between the last
        checkpoint that still matches and the first that does not."""
        original = filled(n).store.read()
        witness = AuditLog(MemoryAuditLogStore(), checkpoint_every=every)
        for entry in original:
            witness.append(
                kind=entry.kind,
                account_id=entry.account_id,
                at=entry.at,
                action=entry.action,
                target=entry.target,
                before=entry.before,
                after=entry.after,
            )
        witness.checkpoint(T0 + timedelta(days=1))
        p = data.draw(st.integers(0, n - 1))
        forged = AuditLog(MemoryAuditLogStore(original[:p]))
        for entry in original[p:]:
            forged.record_change(
                account_id="intruder" if entry.position == p else entry.account_id,
                at=entry.at,
                action=entry.action,
                target=entry.target,
                before=entry.before,
                after=entry.after,
            )
        assert forged.verify().ok
        result = forged.verify(checkpoints=witness.checkpoints())
        (rewrite,) = [d for d in result.damages if d.problem is ChainProblem.REWRITTEN]
        assert rewrite.position == p - p % every
        assert rewrite.through == min(p - p % every + every, n) - 1
        assert rewrite.explain().startswith("rewritten at position")
        # The forged store keeps none of the witnessed checkpoints: each is missing there.
        missing = [d for d in result.damages if d.problem is ChainProblem.CHECKPOINT_MISSING]
        assert [d.checkpoint for d in missing] == [c.number for c in witness.checkpoints()]

    def test_anchor_with_another_head_is_a_rewrite(self) -> None:
        """R3.1b: an anchor whose head hash differs at the same length reports a rewrite."""
        log = filled(3)
        result = log.verify(Anchor(length=3, head_hash="f" * 64))
        assert (result.position, result.problem, result.through) == (0, ChainProblem.REWRITTEN, 2)
        assert result.explain() == "rewritten at positions 0 to 2"


class TestKeyedChain:
    def test_keyed_log_verifies_with_and_without_key(self) -> None:
        """R3.1b: a keyed log is an ordinary chain too; an unkeyed log verifies without a key."""
        log = keyed(5, every=2)
        assert all(entry.mac == entry.computed_mac(KEY) for entry in log.store.read())
        assert AuditLog(log.store).verify().ok
        assert log.verify().explain() == "intact: 5 entries, 2 checkpoints"
        assert filled(4).verify().ok

    @given(st.integers(1, 10), st.booleans())
    def test_forged_append_is_found(self, n: int, guessed: bool) -> None:
        """R3.1b, R12.5: a correctly chained append made without the key is found where it is."""
        log = keyed(n)
        forger = AuditLog(log.store, key=b"guess" if guessed else None)
        forger.record_change(
            account_id="acc1",
            at=T0,
            action="final_mark.write",
            target={},
            before=None,
            after={"value": 5},
        )
        assert AuditLog(log.store).verify().ok
        result = log.verify()
        expected = ChainProblem.FORGED if guessed else ChainProblem.UNSIGNED
        assert (result.ok, result.position, result.problem) == (False, n, expected)

    def test_unkeyed_prefix_with_keyed_from(self) -> None:
        """R3.1b: a log keyed from position 3 on verifies with keyed_from=3, not from 0."""
        store = MemoryAuditLogStore()
        plain, signed = AuditLog(store), AuditLog(store, key=KEY)
        for i in range(6):
            (plain if i < 3 else signed).record_change(
                account_id="acc",
                at=T0,
                action="mark.write",
                target={"i": i},
                before=None,
                after=None,
            )
        assert signed.verify(keyed_from=3).ok
        assert (signed.verify().position, signed.verify().problem) == (0, ChainProblem.UNSIGNED)

    def test_forged_checkpoint_is_found(self) -> None:
        """R3.1b: with the key a checkpoint without a valid MAC is found at its head."""
        log = keyed(4)
        store = log.store
        assert isinstance(store, MemoryAuditLogStore)
        store.add_checkpoint(Checkpoint(length=2, head_hash=store.read()[1].hash, at=T0))
        result = log.verify()
        assert (result.position, result.problem) == (1, ChainProblem.FORGED_CHECKPOINT)
        assert AuditLog(store).verify().ok

    def test_bad_options_are_typed_errors(self) -> None:
        """An empty key or a checkpoint interval below 1 raises ValidationError."""
        with pytest.raises(ValidationError) as empty:
            AuditLog(MemoryAuditLogStore(), key=b"")
        with pytest.raises(ValidationError) as every:
            AuditLog(MemoryAuditLogStore(), checkpoint_every=0)
        assert (empty.value.code, every.value.code) == ("audit.empty_key", "audit.checkpoint_every")


_DAMAGES = ("remove", "swap", "edit", "delete_checkpoint", "edit_checkpoint", "cut")


class TestEveryDamageNamed:
    @given(
        n=st.integers(4, 14),
        every=st.integers(1, 3),
        damage=st.sampled_from(_DAMAGES),
        keyed_verify=st.booleans(),
        data=st.data(),
    )
    def test_each_kind_of_damage_is_named(
        self, n: int, every: int, damage: str, keyed_verify: bool, data: st.DataObject
    ) -> None:
        """R3.1b: one damage of any kind to a keyed log with numbered checkpoints is named
        by its own kind (against the sink's copies): removed, moved, edited, truncated,
        checkpoint_missing, checkpoint_edited; the intact log is never blamed."""
        sent: list[Checkpoint] = []
        log = AuditLog(MemoryAuditLogStore(), key=KEY, checkpoint_every=every, sink=sent.append)
        for i in range(n):
            log.record_change(
                account_id="acc",
                at=T0 + timedelta(minutes=i),
                action="mark.write",
                target={"i": i},
                before=None,
                after={"value": i % 5 + 1},
            )
        assert log.verify(checkpoints=sent).ok
        entries = list(log.store.read())
        checkpoints = list(log.checkpoints())
        expected: ChainProblem
        if damage == "remove":
            i = data.draw(st.integers(0, n - 2))
            del entries[i]
            expected = ChainProblem.REMOVED
        elif damage == "swap":
            i = data.draw(st.integers(0, n - 2))
            j = data.draw(st.integers(i + 1, n - 1))
            entries[i], entries[j] = entries[j], entries[i]
            expected = ChainProblem.MOVED
        elif damage == "edit":
            i = data.draw(st.integers(0, n - 1))
            entries[i] = attrs.evolve(entries[i], after={"value": 9})
            expected = ChainProblem.EDITED
        elif damage == "delete_checkpoint":
            del checkpoints[data.draw(st.integers(0, len(checkpoints) - 1))]
            expected = ChainProblem.CHECKPOINT_MISSING
        elif damage == "edit_checkpoint":
            c = data.draw(st.integers(0, len(checkpoints) - 1))
            checkpoints[c] = attrs.evolve(checkpoints[c], at=T0 - timedelta(days=1))
            expected = ChainProblem.CHECKPOINT_EDITED
        else:
            # A cut past the sink's last checkpoint leaves nothing to compare the log with:
            # no witness outside the store saw those entries (documented in access.md).
            witnessed = max(checkpoint.length for checkpoint in sent)
            cut = data.draw(st.integers(0, witnessed - 1))
            entries = entries[:cut]
            checkpoints = [c for c in checkpoints if c.length <= cut]
            expected = ChainProblem.TRUNCATED
        damaged = AuditLog(
            MemoryAuditLogStore(entries, checkpoints), key=KEY if keyed_verify else None
        )
        result = damaged.verify(checkpoints=sent)
        assert not result.ok
        assert expected in {d.problem for d in result.damages}, result.explain()
        assert result.damages[0].problem is expected or damage == "cut", result.explain()
