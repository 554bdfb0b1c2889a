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
    AuditEntry,
    AuditKind,
    AuditLog,
    ChainProblem,
    MemoryAuditLogStore,
    canonical_json,
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
        """R3.1b: swapping two entries is found at the first of them."""
        log = filled(n)
        entries = list(log.store.read())
        i, j = sorted(
            data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        )
        entries[i], entries[j] = entries[j], entries[i]
        result = tampered(log, entries).verify()
        assert (result.ok, result.position) == (False, i)
        assert result.problem is ChainProblem.WRONG_POSITION
