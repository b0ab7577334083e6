"""The replay engine: events in, a checkpointed history out.

Events arrive validated, as compact records (:mod:`orgsim.model.records`), and
sorted (by instant, ties in file order). One pass applies them to a private
:class:`~orgsim.model.state.WorkingState` and keeps a frozen snapshot every
``interval`` applied events. ``state_after(n)`` then starts from the
nearest checkpoint and replays at most ``interval - 1`` events; the instant
is found by bisection. Nothing is validated in the loop:
validation happened at load.

The same pass serves what-if worlds: events whose causes fell away are
dropped with the chain that dropped them, conflicts are dropped or raised by
policy, votes are recounted, and reactive rules inject generated events at
their instants (kept in a heap keyed by instant, priority and sequence, so
ties are deterministic).
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from orgsim.engine.bulk import PROMOTE_AT, paused_gc
from orgsim.engine.transitions import TRANSITIONS
from orgsim.engine.working import WorkingState
from orgsim.errors import ConflictError, OrgsimError, ReplayError, ScenarioError
from orgsim.model.events import EventBase
from orgsim.model.governance import GovernanceRules
from orgsim.model.manifest import Manifest
from orgsim.model.records import EventRecord, to_record
from orgsim.model.state import OrgState

CHECKPOINT_INTERVAL = 12
"""Applied events between two snapshots; see benchmarks/README.md for how it was tuned."""

Policy = Literal["strict", "skip"]


@dataclass(frozen=True, slots=True)
class Dropped:
    """An event that did not happen in this world, and why.

    ``chain`` runs from the root cause (a removed event, a failed motion, a
    conflict) to this event, following ``caused_by``.
    """

    event: EventBase
    reason: str
    chain: tuple[str, ...]

    def describe(self) -> str:
        """One line: the event, the reason and the chain."""
        path = " -> ".join(self.chain)
        return f"{self.event.id}: {self.reason}" + (f" (via {path})" if len(self.chain) > 2 else "")


class ReactiveRule(Protocol):
    """What the engine needs of a reactive rule (see :mod:`orgsim.whatif.rules`)."""

    @property
    def id(self) -> str:
        """The rule's id, recorded on the events it emits."""
        ...

    @property
    def at_epoch(self) -> float | None:
        """When the rule is checked, as a Unix timestamp (None: after every event until it fires)."""
        ...

    def fire(self, state: OrgState) -> list[EventBase]:
        """The events the rule emits in ``state`` (empty when its condition does not hold)."""
        ...


@dataclass(slots=True)
class Replay:
    """The outcome of one replay: what happened, with checkpoints to answer any instant fast."""

    manifest: Manifest
    rules: GovernanceRules
    applied: list[EventRecord]
    times: list[float]
    checkpoints: list[OrgState]
    dropped: list[Dropped] = field(default_factory=list)
    interval: int = CHECKPOINT_INTERVAL

    @property
    def final(self) -> OrgState:
        """The state after every applied event."""
        return self.state_after(len(self.applied))

    def position(self, epoch: float) -> int:
        """How many applied events happen at or before ``epoch``."""
        return bisect_right(self.times, epoch)

    def state_after(self, count: int, at: datetime | None = None) -> OrgState:
        """The state after the first ``count`` applied events, labelled with the instant ``at`` when given."""
        base = count // self.interval
        checkpoint = self.checkpoints[base]
        start = base * self.interval
        if start == count:
            return checkpoint if at is None else checkpoint.at_instant(at)
        ws = WorkingState.thaw(checkpoint)
        table = TRANSITIONS
        for event in self.applied[start:count]:
            table[event.type](ws, event)
        ws.last_event = self.applied[count - 1].id
        ws.applied = count
        return ws.freeze(at)

    def walk(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[EventRecord, OrgState]]:
        """Each applied event from ``start`` to ``stop`` with the state just after it, in order."""
        stop = len(self.applied) if stop is None else stop
        ws = WorkingState.thaw(self.state_after(start))
        table = TRANSITIONS
        for index in range(start, stop):
            event = self.applied[index]
            table[event.type](ws, event)
            ws.last_event = event.id
            ws.applied = index + 1
            yield event, ws.freeze()


def run(
    events: Sequence[EventRecord],
    manifest: Manifest,
    *,
    rules: GovernanceRules | None = None,
    policy: Policy = "strict",
    origins: Mapping[str, str] | None = None,
    reactive: Sequence[ReactiveRule] = (),
    reuse: tuple[Replay, int] | None = None,
    removed: Sequence[Dropped] = (),
    interval: int = CHECKPOINT_INTERVAL,
    epochs: Sequence[float] | None = None,
) -> Replay:
    """Replay sorted ``events`` (records: :func:`~orgsim.model.records.to_records`) into a checkpointed :class:`Replay`.

    ``removed`` lists events taken out beforehand: events that follow from
    them are dropped too. ``reuse=(base, n)`` starts from ``base``'s first ``n`` applied events
    (which must equal ``events[:n]``), reusing its checkpoints instead of
    replaying them; ``n`` is rounded down to a checkpoint. ``epochs``, when
    given, are the events' instants as Unix timestamps (the loader computes
    them to sort), so replay need not compute them again.
    """
    origins = origins if origins is not None else {}  # not `or`: a large ChainMap's truth costs O(n)
    governance = rules if rules is not None else manifest.governance
    if reuse is not None:
        base, prefix = reuse
        prefix -= prefix % base.interval
        interval = base.interval
        applied = base.applied[:prefix]
        times = base.times[:prefix]
        checkpoints = base.checkpoints[: prefix // interval + 1]
        ws = WorkingState.thaw(checkpoints[-1], governance)
        pending: Sequence[EventRecord] = events[prefix:]
    else:
        applied, times = [], []
        ws = WorkingState(manifest, governance)
        checkpoints = [ws.freeze()]
        pending = events
    replay = Replay(manifest, governance, applied, times, checkpoints, list(removed), interval)
    # The snapshots and records made here hold no cycles; a long timeline's outlive the call (orgsim.engine.bulk).
    with paused_gc(promote=len(events) >= PROMOTE_AT):
        known_epochs = None if epochs is None else epochs[len(events) - len(pending) :]
        if not reactive and not removed and policy == "strict":
            _run_strict(replay, ws, pending, origins, known_epochs)
        else:
            if known_epochs is None:
                known_epochs = [event.at.timestamp() for event in pending]
            _run_world(replay, ws, pending, known_epochs, origins, policy, reactive)
    return replay


def _locate(error: OrgsimError, origins: Mapping[str, str]) -> OrgsimError:
    if error.file is None and error.event is not None:
        error.file = origins.get(error.event)
        error.args = (error.render(),)
    return error


def _run_strict(
    replay: Replay,
    ws: WorkingState,
    events: Sequence[EventRecord],
    origins: Mapping[str, str],
    epochs: Sequence[float] | None = None,
) -> None:
    """The fast path: history as recorded, every event must apply.

    The loop does nothing but call each event's transition, with a checkpoint
    between chunks of ``interval`` events. History may not build on a motion
    that failed; rather than watch every event for that, the loop lets it
    pass and :func:`_check_motions` looks afterwards (or at the first error,
    so that the earliest problem is the one reported).
    """
    interval, table = replay.interval, TRANSITIONS
    checkpoints, freeze = replay.checkpoints, ws.freeze
    done = len(replay.applied)
    total = len(events)
    start = 0
    try:
        for start in range(0, total, interval):
            stop = min(start + interval, total)
            for event in events[start:stop]:
                table[event.type](ws, event)
            if stop - start == interval:
                ws.last_event = events[stop - 1].id
                ws.applied = done + stop
                checkpoints.append(freeze())
    except OrgsimError as error:
        chunk = [event.id for event in events[start : start + interval]]
        failing = start + (chunk.index(error.event) if error.event in chunk else len(chunk) - 1)
        _check_motions(ws, events[: failing + 1], origins)
        raise _locate(error, origins) from None
    _check_motions(ws, events, origins)
    replay.applied.extend(events)
    replay.times.extend(epochs if epochs is not None else [event.at.timestamp() for event in events])


def _check_motions(ws: WorkingState, events: Sequence[EventRecord], origins: Mapping[str, str]) -> None:
    """Raise for the first of ``events`` that follows from a motion that failed in ``ws``."""
    failed = {vote: record.tally for vote, record in ws.votes.view().items() if not record.passed}
    if not failed:
        return
    for event in events:
        if event.caused_by and not failed.keys().isdisjoint(event.caused_by):
            cause = next(cause for cause in event.caused_by if cause in failed)
            error = ReplayError(f"follows from {cause}, which {failed[cause]}", event=event.id, field="caused_by")
            raise _locate(error, origins)


def _run_world(
    replay: Replay,
    ws: WorkingState,
    events: Sequence[EventRecord],
    epochs: Sequence[float],
    origins: Mapping[str, str],
    policy: Policy,
    reactive: Sequence[ReactiveRule],
) -> None:
    """The general path for what-if worlds.

    Events that follow from a removed event, a failed motion or a dropped
    event fall away whatever the policy; the policy decides only conflicts.
    """
    # For each event that did not happen: the root cause's reason, and the chain from the root.
    fallen: dict[str, tuple[str, tuple[str, ...]]] = {
        d.event.id: (d.reason.split(":", 1)[0], d.chain) for d in replay.dropped
    }
    heap: list[tuple[float, int, int, object]] = []
    sequence = 0
    for rule in reactive:
        if rule.at_epoch is not None:
            heap.append((rule.at_epoch, 1, sequence, rule))
            sequence += 1
    heapq.heapify(heap)
    watching = [rule for rule in reactive if rule.at_epoch is None]

    applied, times, checkpoints = replay.applied, replay.times, replay.checkpoints
    dropped, interval, table = replay.dropped, replay.interval, TRANSITIONS
    taken: set[str] | None = None  # every id in this world, built when a rule first emits

    def admit(rule: ReactiveRule, emitted: Sequence[EventBase]) -> list[EventRecord]:
        """The checks the loader makes, made on what a rule emits: a fresh id, causes that already happened."""
        nonlocal taken
        if taken is None:
            taken = {e.id for e in applied} | {e.id for e in events} | {d.event.id for d in dropped}
        happened = {e.id for e in applied} | fallen.keys()
        origin = getattr(rule, "origin", None)
        records = []
        for generated in emitted:
            if generated.id in taken:
                raise ScenarioError(
                    f"rule {rule.id!r} emitted an event whose id is already taken in this world",
                    file=origin,
                    event=generated.id,
                    field="id",
                )
            for cause in generated.caused_by:
                if cause not in happened:
                    why = "names no event" if cause not in taken else "names an event that has not happened yet"
                    raise ScenarioError(
                        f"rule {rule.id!r} emitted an event whose caused_by {why}: {cause!r}",
                        file=origin,
                        event=generated.id,
                        field="caused_by",
                    )
            taken.add(generated.id)
            records.append(to_record(generated))
        return records

    def step(event: EventRecord, epoch: float) -> None:
        nonlocal sequence
        if fallen and event.caused_by:
            for cause in event.caused_by:
                if cause in fallen:
                    reason, chain = fallen[cause]
                    fallen[event.id] = (reason, (*chain, event.id))
                    why = f"follows from {chain[0]}, which {reason}"
                    dropped.append(Dropped(event.to_event(), why, (*chain, event.id)))
                    return
        kind = event.type
        try:
            table[kind](ws, event)
        except ConflictError as error:
            if policy == "strict":
                raise _locate(error, origins) from None
            fallen[event.id] = ("did not apply", (event.id,))
            dropped.append(Dropped(event.to_event(), f"did not apply: {error.message}", (event.id,)))
            return
        except OrgsimError as error:
            raise _locate(error, origins) from None
        if kind == "board_vote":
            record = ws.votes[event.id]
            if not record.passed:
                fallen[event.id] = (record.tally, (event.id,))
        applied.append(event)
        times.append(epoch)
        count = len(applied)
        if count % interval == 0:
            ws.last_event, ws.applied = event.id, count
            checkpoints.append(ws.freeze())
        if watching:
            ws.last_event, ws.applied = event.id, count
            for rule in list(watching):
                emitted = rule.fire(ws.freeze(event.at))
                if emitted:
                    watching.remove(rule)
                    for generated in admit(rule, emitted):
                        # Not before the event that set it off: replay's instants must never go back.
                        when = max(epoch, generated.at.timestamp())
                        heapq.heappush(heap, (when, 2, sequence, generated))
                        sequence += 1

    def drain(before: float | None) -> None:
        nonlocal sequence
        while heap and (before is None or heap[0][0] < before):
            epoch, kind, _, payload = heapq.heappop(heap)
            if kind == 1:
                if applied:
                    ws.last_event, ws.applied = applied[-1].id, len(applied)
                rule: ReactiveRule = payload  # type: ignore[assignment]
                for generated in admit(rule, rule.fire(ws.freeze(getattr(rule, "at", None)))):
                    heapq.heappush(heap, (max(epoch, generated.at.timestamp()), 2, sequence, generated))
                    sequence += 1
            else:
                step(payload, epoch)  # type: ignore[arg-type]

    for event, epoch in zip(events, epochs, strict=True):
        if heap:
            # Rule checks and generated events at an instant come after the recorded events at that instant.
            drain(epoch)
        step(event, epoch)
    drain(None)
    if applied:
        ws.last_event, ws.applied = applied[-1].id, len(applied)
