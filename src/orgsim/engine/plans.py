"""World plans: what makes a what-if world differ from its base, compiled, and the replay of it.

A scenario (:mod:`orgsim.whatif.scenarios`), a known-at view or one sample of
a sweep all describe a world the same way: which of the base's events are
removed (and what follows from them falls away), which are hidden (left out
without consequence: the world simply does not see them), which are replaced
by another version, which events are inserted, which reactive rules watch the
world, and which governance rules hold. A :class:`WorldPlan` says just that,
in a few records and ids, so it is small, picklable and cheap to ship to a
worker that already holds the base (a :class:`Basis`).

:func:`run_plan` builds the world's event list by editing the base's in place
(no new sort), checks the causes of edited events, and replays from the
base's last checkpoint before the first position the plan touches, reusing
the base's checkpoints and change log up to there.

>>> import orgsim
>>> history = orgsim.load_timeline()
>>> basis = history.basis()
>>> plan = WorldPlan(removed=(("2023-11-17-board-votes-to-remove-altman", "removed"),))
>>> replay, events = run_plan(basis, plan)
>>> replay.state_after(len(replay.applied)).ceo
Holder(person='sam-altman', interim=False)
"""

from __future__ import annotations

from bisect import bisect_right
from collections import ChainMap
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from orgsim.engine.replay import Dropped, Policy, ReactiveRule, Replay, run
from orgsim.errors import ScenarioError
from orgsim.model.governance import GovernanceRules
from orgsim.model.manifest import Manifest, Organisation, Person
from orgsim.model.records import EventRecord
from orgsim.model.sharing import FrozenDict, Spliced, bisect_spliced


@dataclass(frozen=True, slots=True)
class Basis:
    """What worlds are built on: a base's replay and the records it was built from, with their order and instants.

    ``records`` are the base's recorded events in replay order (for history,
    every event; for a what-if used as a base, its own inputs), ``epochs`` their
    instants and ``positions`` each id's index in ``records``.
    """

    replay: Replay
    records: Sequence[EventRecord]
    epochs: Sequence[float]
    positions: Mapping[str, int]
    origins: Mapping[str, str]

    @property
    def manifest(self) -> Manifest:
        """The base's manifest."""
        return self.replay.manifest

    def event(self, event_id: str) -> EventRecord | None:
        """The base's record with this id, if any."""
        index = self.positions.get(event_id)
        return None if index is None else self.records[index]


@dataclass(frozen=True, slots=True)
class WorldPlan:
    """A what-if world, compiled: the edits to its base (see the module's documentation).

    ``removed`` pairs each removed id with the reason shown; ``hidden`` ids
    are left out without consequence; ``replaced`` records keep their ids
    (a changed ``at`` moves them); ``inserted`` records are new. ``rules`` are
    reactive rules; ``governance`` the rules from the start (None: the
    base's). ``people`` and ``organisations`` extend the manifest. ``origins``
    names the file of each edited or inserted event (for error messages).
    """

    removed: tuple[tuple[str, str], ...] = ()
    hidden: frozenset[str] = frozenset()
    replaced: tuple[EventRecord, ...] = ()
    inserted: tuple[EventRecord, ...] = ()
    rules: tuple[ReactiveRule, ...] = ()
    governance: GovernanceRules | None = None
    people: Mapping[str, Person] = field(default_factory=FrozenDict)
    organisations: Mapping[str, Organisation] = field(default_factory=FrozenDict)
    policy: Policy = "skip"
    origins: Mapping[str, str] = field(default_factory=FrozenDict)

    def first_position(self, basis: Basis) -> int:
        """How many of the base's recorded events the world shares with it before anything differs."""
        replay, records = basis.replay, basis.records
        if self.people or self.organisations or replay.dropped or len(replay.applied) != len(records):
            return 0
        positions, epochs = basis.positions, basis.epochs
        touched = [positions[event_id] for event_id, _ in self.removed]
        touched += [positions[event_id] for event_id in self.hidden]
        for event in self.replaced:
            touched.append(positions[event.id])
            touched.append(bisect_right(epochs, event.at.timestamp()))
        touched += [bisect_right(epochs, event.at.timestamp()) for event in self.inserted]
        first = min(touched, default=len(records))
        if self.governance is not None and self.governance != replay.rules:
            # New rules count every vote and cap every seat from the start.
            first = min(
                first,
                next((i for i, e in enumerate(records) if e.type in ("board_vote", "board_seat_added")), len(records)),
            )
        for rule in self.rules:
            if rule.at_epoch is None:
                return 0
            first = min(first, bisect_right(replay.times, rule.at_epoch))
        return first


def run_plan(basis: Basis, plan: WorldPlan, *, until: float | None = None) -> tuple[Replay, Sequence[EventRecord]]:
    """Replay the world ``plan`` makes of ``basis``: the world's replay and its event list (its inputs, in order).

    ``until`` (a Unix timestamp) replays the world only that far: what a sweep
    observes at instants up to it is the same, and the rest is not computed.
    """
    manifest = basis.manifest
    if plan.people or plan.organisations:
        manifest = manifest.extended(plan.people, plan.organisations)
    # The plan's files over the base's (a layer, not a copy of every id). ChainMap only ever writes to its
    # first map; its type asks a mutable one of every map.
    origins: ChainMap[str, str] = ChainMap(dict(plan.origins), cast("MutableMapping[str, str]", basis.origins))
    removed = dict(plan.removed)
    left_out = removed.keys() | plan.hidden
    events, epochs = _world_events(basis, left_out, plan.replaced, plan.inserted)
    _check_world_causes(basis, events, left_out, plan, origins)
    start = plan.first_position(basis)
    dropped = sorted(
        (Dropped(basis.records[basis.positions[i]].to_event(), reason, (i,)) for i, reason in removed.items()),
        key=lambda d: basis.positions[d.event.id],
    )
    replay = run(
        events,
        manifest,
        rules=plan.governance if plan.governance is not None else basis.replay.rules,
        policy=plan.policy,
        origins=origins,
        reactive=plan.rules,
        reuse=(basis.replay, start) if start > 0 else None,
        removed=dropped,
        epochs=epochs,
        until=until,
    )
    return replay, events


def _world_events(
    basis: Basis, left_out: set[str], replaced: Sequence[EventRecord], inserted: Sequence[EventRecord]
) -> tuple[Spliced[EventRecord], Spliced[float]]:
    """The world's events in replay order, edited from the recorded order, and their instants.

    The recorded events before the first edit are shared, not copied; after
    it, changes cost O(k log N) lookups plus list moves done in C, not a new
    sort: events left out go, replaced events stay in place unless their
    instant changed, and moved or inserted events go after the events
    already at their instant.
    """
    recorded, position, epochs = basis.records, basis.positions, basis.epochs
    moved = [event for event in replaced if event.at != recorded[position[event.id]].at]
    moved_ids = {event.id for event in moved}
    arriving = [(event, event.at.timestamp()) for event in [*moved, *inserted]]
    touched = [position[i] for i in left_out | moved_ids] + [position[e.id] for e in replaced]
    touched += [bisect_spliced(epochs, key) for _, key in arriving]
    first = min(touched, default=len(recorded))
    events = list(recorded[first:])
    keys = list(epochs[first:])
    for event in replaced:
        if event.id not in moved_ids:
            events[position[event.id] - first] = event
    for index in sorted((position[i] - first for i in [*left_out, *moved_ids]), reverse=True):
        del events[index]
        del keys[index]
    for event, key in arriving:
        where = bisect_right(keys, key)
        events.insert(where, event)
        keys.insert(where, key)
    return Spliced(recorded, first, tuple(events)), Spliced(epochs, first, tuple(keys))


def _check_world_causes(
    basis: Basis, events: Spliced[EventRecord], left_out: set[str], plan: WorldPlan, origins: Mapping[str, str]
) -> None:
    """Causes must exist and come first; the recorded order was checked at load, so only edits are checked.

    Every edit lies in the world's own part (after the events it shares with
    its base), so only that part is read. A cause that was removed or hidden
    is fine: what follows from a removed event falls away in replay, and a
    hidden one's consequences stand.
    """
    recorded, positions = basis.records, basis.positions
    # A replaced event that keeps its instant and its causes keeps the order checked at load (a sweep's recounted
    # vote): only moved, re-caused and inserted events need reading.
    edited = {event.id for event in plan.inserted} | {
        event.id
        for event in plan.replaced
        if event.at != (was := recorded[positions[event.id]]).at or event.caused_by != was.caused_by
    }
    if not edited:
        return
    tail, cut = events.tail, events.cut
    order: dict[str, int] | None = None
    for index, event in enumerate(tail):
        if event.id not in edited and edited.isdisjoint(event.caused_by):
            continue
        if order is None:
            order = {e.id: i for i, e in enumerate(tail)}
        for cause in event.caused_by:
            if cause in left_out:
                continue
            where = order.get(cause)
            if where is None:
                shared = basis.positions.get(cause)
                if shared is not None and shared < cut:
                    continue  # an event the world shares with its base, before every edit
                raise ScenarioError(
                    f"caused_by names no event: {cause!r}",
                    file=origins.get(event.id),
                    event=event.id,
                    field="caused_by",
                )
            if where >= index:
                raise ScenarioError(
                    f"caused_by {cause!r} comes after this event in the what-if world (was its time changed?)",
                    file=origins.get(event.id),
                    event=event.id,
                    field="caused_by",
                )
