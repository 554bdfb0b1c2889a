"""Checking an audit log: every kind of damage, named and located (R3.1b).

:func:`find_damage` is pure: it is given the entries read, the stored checkpoints and the
witnesses kept elsewhere (a sink's file, an export, an anchor) and returns each
:class:`Damage` it finds. The chain of entries tells an entry edited, removed, moved or
appended without the key; the numbered chain of checkpoints tells a checkpoint missing or
edited; the heads the checkpoints witness tell a log cut short or rewritten with its hashes
recomputed.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence
from enum import StrEnum

import attrs

from eschool_core.audit._checkpoints import Checkpoint
from eschool_core.audit._entry import GENESIS_HASH, AuditEntry, mac

__all__ = ["Anchor", "ChainProblem", "Damage", "Verification", "find_damage"]


class ChainProblem(StrEnum):
    """A kind of damage :meth:`~eschool_core.audit.AuditLog.verify` finds."""

    EDITED = "edited"
    """The entry's content no longer matches its hash."""
    BROKEN_LINK = "broken_link"
    """The entry does not point to the hash of the entry before it (an entry before it was
    replaced, or entries were inserted)."""
    WRONG_POSITION = "wrong_position"
    """The entry's recorded position differs from where it is, and no removal or move
    explains it."""
    REMOVED = "removed"
    """Entries from ``position`` to ``through`` are missing: the entry after them is intact
    but records a later position."""
    MOVED = "moved"
    """The entry hashes right only at another position: it was swapped or moved here."""
    TRUNCATED = "truncated"
    """The log is shorter than a checkpoint or an anchor: entries from this position on
    were cut off."""
    REWRITTEN = "rewritten"
    """The chain is intact but the entry at a checkpoint's head hashes otherwise: entries
    from this position to ``through`` were replaced, with their hashes recomputed."""
    UNSIGNED = "unsigned"
    """Verified with the key: the entry has no MAC (appended without the key)."""
    FORGED = "forged"
    """Verified with the key: the entry's MAC is wrong (made without the key, or edited)."""
    FORGED_CHECKPOINT = "forged_checkpoint"
    """A checkpoint ending at this position was not made by the library: verified with the
    key it has no MAC; in any case, it is unnumbered but stored after numbered ones."""
    CHECKPOINT_MISSING = "checkpoint_missing"
    """A numbered checkpoint is not stored: the stored numbers skip it, or a sink or an
    export holds it while the store does not."""
    CHECKPOINT_EDITED = "checkpoint_edited"
    """A stored checkpoint's content changed: the next checkpoint's link, its MAC (with the
    key), the sink's copy, or a later checkpoint that still matches the log says so."""


_CHAIN_KINDS = frozenset(
    {
        ChainProblem.EDITED,
        ChainProblem.BROKEN_LINK,
        ChainProblem.WRONG_POSITION,
        ChainProblem.REMOVED,
        ChainProblem.MOVED,
        ChainProblem.UNSIGNED,
        ChainProblem.FORGED,
    }
)


def _rank(problem: ChainProblem) -> int:
    """At one position: the entries' damage first, then the log's length, then checkpoints'."""
    if problem in _CHAIN_KINDS:
        return 0
    return 1 if problem in {ChainProblem.TRUNCATED, ChainProblem.REWRITTEN} else 2


@attrs.frozen(kw_only=True)
class Anchor:
    """A witness of the log's head, kept apart from the log to detect a cut-off end.

    Attributes:
        length: Number of entries.
        head_hash: Hash of the last entry (:data:`GENESIS_HASH` for an empty log).
    """

    length: int
    head_hash: str


@attrs.frozen(kw_only=True)
class Damage:
    """One damage found: its kind and where.

    Attributes:
        problem: What is wrong.
        position: The first position of the log it concerns (for a checkpoint, the
            position of its head; for a missing checkpoint, the first position after the
            last checkpoint that is there).
        through: The last position it concerns, when it spans several.
        checkpoint: The number of the checkpoint concerned (the first missing one for
            :attr:`ChainProblem.CHECKPOINT_MISSING`), if it has one.
    """

    problem: ChainProblem
    position: int
    through: int | None = None
    checkpoint: int | None = None

    def explain(self) -> str:
        """Return a one-line English description.

        >>> Damage(problem=ChainProblem.CHECKPOINT_MISSING, position=4, checkpoint=2).explain()
        'checkpoint_missing (checkpoint 2) at position 4'
        """
        which = "" if self.checkpoint is None else f" (checkpoint {self.checkpoint})"
        if self.through is not None and self.through != self.position:
            return f"{self.problem}{which} at positions {self.position} to {self.through}"
        return f"{self.problem}{which} at position {self.position}"


@attrs.frozen(kw_only=True)
class Verification:
    """The result of checking the log.

    Attributes:
        ok: Whether nothing was found.
        checked: How many entries were checked (up to the first damage).
        position: The first position where something is wrong, ``None`` when intact.
        problem: What is wrong there (the first of :attr:`damages`).
        through: For the first damage spanning positions, the last one; ``None`` otherwise.
        checkpoints: How many checkpoints (and anchors) the log was checked against.
        damages: Every damage found, by position (at one position the entries' damage
            first, then a cut or rewrite, then the checkpoints').
        unnumbered: How many stored checkpoints were made before checkpoints were numbered:
            they witness the head, but their removal cannot be told.
    """

    ok: bool
    checked: int
    position: int | None = None
    problem: ChainProblem | None = None
    through: int | None = None
    checkpoints: int = 0
    damages: tuple[Damage, ...] = ()
    unnumbered: int = 0

    def explain(self) -> str:
        """Return a one-line English description of the result: every damage, in order."""
        if self.ok:
            against = f", {self.checkpoints} checkpoints" if self.checkpoints else ""
            return f"intact: {self.checked} entries{against}"
        return "; ".join(damage.explain() for damage in self.damages)


def find_damage(
    entries: Sequence[AuditEntry],
    *,
    stored: Sequence[Checkpoint],
    given: Iterable[Checkpoint] = (),
    anchor: Anchor | None = None,
    key: bytes | None = None,
    keyed_from: int = 0,
    unreadable: int | None = None,
) -> Verification:
    """Return every damage of a log: its entries, checkpoints and outside witnesses.

    Args:
        entries: The entries read, in position order (up to an unreadable one).
        stored: The checkpoints stored with the log, by length.
        given: Checkpoints kept elsewhere (a sink's file, an export).
        anchor: A head witness taken earlier.
        key: The school's key, to check MACs.
        keyed_from: With a key, the first position that must carry a MAC.
        unreadable: The position of a stored entry that no longer reads back, if any.

    Returns:
        The verification.
    """
    damages = _chain_damage(entries, key, keyed_from)
    if unreadable is not None:
        damages.append(Damage(problem=ChainProblem.EDITED, position=unreadable))
    chain_intact = not damages
    witnesses = [*stored, *given]
    heads = [(w.length, w.head_hash) for w in witnesses]
    if anchor is not None and anchor.length > 0:
        heads.append((anchor.length, anchor.head_hash))
    damages += _checkpoint_damage(
        entries,
        stored=list(stored),
        given=list(given),
        key=key,
        chain_intact=chain_intact,
        anchor=anchor,
    )
    if unreadable is not None:  # the entries past an unreadable one were not read: not cut
        damages = [d for d in damages if d.problem is not ChainProblem.TRUNCATED]
    unnumbered = sum(1 for checkpoint in stored if not checkpoint.numbered)
    if not damages:
        return Verification(
            ok=True, checked=len(entries), checkpoints=len(heads), unnumbered=unnumbered
        )
    ordered = tuple(sorted(set(damages), key=lambda d: (d.position, _rank(d.problem), d.problem)))
    first = ordered[0]
    return Verification(
        ok=False,
        checked=min(first.position, len(entries)),
        position=first.position,
        problem=first.problem,
        through=first.through,
        checkpoints=len(heads),
        damages=ordered,
        unnumbered=unnumbered,
    )


def _chain_damage(
    entries: Sequence[AuditEntry], key: bytes | None, keyed_from: int
) -> list[Damage]:
    """The entries edited, removed, moved, unlinked or (with the key) not signed."""
    found: list[Damage] = []
    hashes = {entry.hash: index for index, entry in enumerate(entries)}
    positions = [entry.position for entry in entries]
    previous = GENESIS_HASH
    expected = 0
    explained = False  # the entry before was damaged: its successor's link says nothing new
    for index, entry in enumerate(entries):
        damage: Damage | None = None
        if entry.computed_hash() != entry.hash:
            moved = _home_position(entry, hashes)
            problem = ChainProblem.MOVED if moved is not None else ChainProblem.EDITED
            damage = Damage(problem=problem, position=index)
        elif entry.position != expected:
            gap_refilled = any(expected <= p < entry.position for p in positions[index + 1 :])
            if entry.position > expected and not gap_refilled:
                damage = Damage(
                    problem=ChainProblem.REMOVED, position=expected, through=entry.position - 1
                )
            else:
                damage = Damage(problem=ChainProblem.MOVED, position=index)
        elif entry.previous_hash != previous and not explained:
            damage = Damage(problem=ChainProblem.BROKEN_LINK, position=index)
        elif key is not None and index >= keyed_from:
            if entry.mac is None:
                damage = Damage(problem=ChainProblem.UNSIGNED, position=index)
            elif not hmac.compare_digest(entry.mac, mac(key, entry.hash)):
                damage = Damage(problem=ChainProblem.FORGED, position=index)
        if damage is not None:
            found.append(damage)
        explained = damage is not None and damage.problem is not ChainProblem.REMOVED
        previous = entry.hash
        resumes = damage is None or damage.problem is ChainProblem.REMOVED
        expected = entry.position + 1 if resumes else index + 1
    return _merged(found)


def _home_position(entry: AuditEntry, hashes: dict[str, int]) -> int | None:
    """The other position at which ``entry`` hashes right, if any.

    Its home follows the entry it links to: that entry stands at its own home or, moved
    too (two neighbours swapped), one place on.
    """
    if entry.previous_hash == GENESIS_HASH:
        candidates = [0]
    elif entry.previous_hash in hashes:
        after = hashes[entry.previous_hash]
        candidates = [after + 1, after]
    else:
        return None
    for home in candidates:
        if home != entry.position and (
            attrs.evolve(entry, position=home).computed_hash() == entry.hash
        ):
            return home
    return None


def _merged(found: list[Damage]) -> list[Damage]:
    """Runs of the same damage at consecutive positions, as one damage each."""
    merged: list[Damage] = []
    for damage in found:
        if merged:
            last = merged[-1]
            end = last.position if last.through is None else last.through
            if last.problem is damage.problem and damage.position == end + 1:
                through = damage.position if damage.through is None else damage.through
                merged[-1] = attrs.evolve(last, through=through)
                continue
        merged.append(damage)
    return merged


def _checkpoint_damage(
    entries: Sequence[AuditEntry],
    *,
    stored: list[Checkpoint],
    given: list[Checkpoint],
    key: bytes | None,
    chain_intact: bool,
    anchor: Anchor | None,
) -> list[Damage]:
    """Checkpoints forged, edited or missing, and the log cut or rewritten against them."""
    found: list[Damage] = []
    suspect: set[Checkpoint] = set()
    if key is not None:
        for witness in [*stored, *given]:
            if witness.mac is None:
                problem = ChainProblem.FORGED_CHECKPOINT
            elif not hmac.compare_digest(witness.mac, witness.computed_mac(key)):
                problem = ChainProblem.CHECKPOINT_EDITED
            else:
                continue
            found.append(_at(witness, problem))
            suspect.add(witness)
    missing: list[range] = []  # numbers reported missing (ranges: a number may be huge)
    found += _stored_chain_damage(stored, suspect, missing)
    by_number = {c.number: c for c in stored if c.numbered}
    for witness in given:
        if not witness.numbered or witness in suspect:
            continue
        if any(witness.number in numbers for numbers in missing):
            continue
        twin = by_number.get(witness.number)
        if twin in suspect:
            continue
        if twin is None:
            found.append(_at(witness, ChainProblem.CHECKPOINT_MISSING))
            assert witness.number is not None  # noqa: S101 - numbered
            missing.append(range(witness.number, witness.number + 1))
        elif twin.digest() != witness.digest():
            found.append(_at(twin, ChainProblem.CHECKPOINT_EDITED))
            suspect.add(twin)
    trusted = [w for w in [*stored, *given] if w not in suspect]
    unique = {(w.length, w.head_hash, w.number) for w in trusted}
    if anchor is not None and anchor.length > 0:
        unique.add((anchor.length, anchor.head_hash, None))
    heads = sorted(unique, key=lambda h: (h[0], h[1], h[2] or 0))
    found += _head_damage(entries, heads, chain_intact)
    return found


def _stored_chain_damage(
    stored: list[Checkpoint], suspect: set[Checkpoint], missing: list[range]
) -> list[Damage]:
    """Gaps in the stored numbers, links that do not match, unnumbered after numbered.

    A checkpoint whose link names another digest than its predecessor's follows deleted
    checkpoints when its number skips, and an edited predecessor otherwise; a checkpoint
    whose link matches but whose number does not follow was renumbered.
    """
    found: list[Damage] = []
    before: Checkpoint | None = None
    expected = 1
    for checkpoint in stored:
        if checkpoint in suspect:  # reported already; a numbered one still takes its place
            if checkpoint.numbered:
                expected += 1
                before = checkpoint
            continue
        if checkpoint.number is None:
            if before is not None and before.numbered:
                found.append(_at(checkpoint, ChainProblem.FORGED_CHECKPOINT))
                suspect.add(checkpoint)
                continue
            expected += 1
            before = checkpoint
            continue
        link = GENESIS_HASH if before is None else before.digest()
        skipped = checkpoint.previous != link and checkpoint.number > expected
        if skipped:
            missing.append(range(expected, checkpoint.number))
            found.append(
                Damage(
                    problem=ChainProblem.CHECKPOINT_MISSING,
                    position=0 if before is None else before.length,
                    through=checkpoint.length - 1,
                    checkpoint=expected,
                )
            )
        elif checkpoint.previous != link and before is not None and before not in suspect:
            found.append(_at(before, ChainProblem.CHECKPOINT_EDITED))
            suspect.add(before)
        elif checkpoint.previous == link and checkpoint.number != expected:
            found.append(_at(checkpoint, ChainProblem.CHECKPOINT_EDITED))
            suspect.add(checkpoint)
        # A renumbered checkpoint still takes its place: the next one follows the place.
        expected = (checkpoint.number if skipped else expected) + 1
        before = checkpoint
    return found


def _at(checkpoint: Checkpoint, problem: ChainProblem) -> Damage:
    return Damage(problem=problem, position=checkpoint.length - 1, checkpoint=checkpoint.number)


def _head_damage(
    entries: Sequence[AuditEntry],
    heads: Sequence[tuple[int, str, int | None]],
    chain_intact: bool,
) -> list[Damage]:
    """The log cut short of a witnessed head, or differing from one.

    A head whose entry hashes otherwise means the entries up to it were rewritten — unless
    a longer head still matches while the chain is intact: a rewrite changes every later
    hash, so then it is the checkpoint that was edited.
    """
    found: list[Damage] = []
    matched = [0]
    differing: list[tuple[int, int | None]] = []
    # Heads are compared by recorded position, so that an entry removed or moved from the
    # middle (named by the chain) is not taken for a rewrite or a cut.
    by_position: dict[int, AuditEntry] = {}
    for entry in entries:
        by_position.setdefault(entry.position, entry)
    length_now = entries[-1].position + 1 if entries else 0
    for length, head_hash, number in heads:
        if min(len(entries), length_now) < length and length - 1 not in by_position:
            found.append(
                Damage(problem=ChainProblem.TRUNCATED, position=min(len(entries), length_now))
            )
            break
        head = by_position.get(length - 1)
        if head is None:
            continue
        if head.hash == head_hash:
            matched.append(length)
        else:
            differing.append((length, number))
    for length, number in differing:
        if chain_intact and max(matched) > length:
            found.append(
                Damage(
                    problem=ChainProblem.CHECKPOINT_EDITED, position=length - 1, checkpoint=number
                )
            )
        else:
            below = max(good for good in matched if good < length)
            found.append(Damage(problem=ChainProblem.REWRITTEN, position=below, through=length - 1))
            break
    return found
