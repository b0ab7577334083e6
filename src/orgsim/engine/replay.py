"""The replay engine: events in, a checkpointed history out.

Events arrive validated, as compact records (:mod:`orgsim.model.records`), and
sorted (by instant, ties in file order). One pass applies them to a private
:class:`~orgsim.engine.working.WorkingState` and keeps a frozen snapshot every
``interval`` applied events; the working state's write methods record what
each event changed (:mod:`orgsim.engine.changes`). ``state_after(n)`` then
starts from the nearest checkpoint and replays at most ``interval - 1``
events; the instant is found by bisection. Nothing is validated in the loop:
validation happened at load.

The same pass serves what-if worlds: events whose causes fell away are
dropped with the chain that dropped them, conflicts are dropped or raised by
policy, votes are recounted, and reactive rules inject generated events at
their instants. Those are kept by a small scheduler (:class:`Agenda`), a heap
keyed by instant, priority and sequence number, so that ties are
deterministic: at one instant, recorded events come first, then rule checks,
then the events rules generated, each in the order they were scheduled.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from itertools import chain, compress, islice
from math import inf, nextafter
from operator import attrgetter
from typing import Any, Literal, Protocol

from orgsim.engine.changes import ChangeLog
from orgsim.engine.transitions import TRANSITIONS
from orgsim.engine.working import WorkingState
from orgsim.errors import ConflictError, OrgsimError, ReplayError, ScenarioError
from orgsim.model.events import EventBase
from orgsim.model.governance import GovernanceRules
from orgsim.model.manifest import Manifest
from orgsim.model.records import EventRecord, to_record
from orgsim.model.sharing import Spliced, bisect_spliced
from orgsim.model.state import OrgState

CHECKPOINT_INTERVAL = 12
"""Applied events between two snapshots; see benchmarks/README.md for how it was tuned."""

Policy = Literal["strict", "skip"]

_CAUSES = attrgetter("caused_by")


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


class Priority(IntEnum):
    """The order of things scheduled at one instant: recorded events, then rule checks, then generated events."""

    RECORDED = 0
    RULE_CHECK = 1
    GENERATED = 2


class Agenda:
    """What is scheduled to happen, in order of (instant, priority, sequence number).

    In the manner of simpy's ``Environment`` queue: the sequence number makes
    ties deterministic (first scheduled, first done).

    >>> agenda = Agenda()
    >>> agenda.schedule(2.0, Priority.GENERATED, "b")
    >>> agenda.schedule(2.0, Priority.RULE_CHECK, "a")
    >>> agenda.schedule(1.0, Priority.GENERATED, "c")
    >>> [agenda.pop()[2] for _ in range(3)]
    ['c', 'a', 'b']
    """

    __slots__ = ("_heap", "_sequence")

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, int, Any]] = []
        self._sequence = 0

    def __bool__(self) -> bool:
        return bool(self._heap)

    def schedule(self, epoch: float, priority: Priority, item: Any) -> None:
        """Schedule ``item`` at ``epoch`` with ``priority``."""
        heapq.heappush(self._heap, (epoch, priority, self._sequence, item))
        self._sequence += 1

    def next_before(self, epoch: float | None) -> bool:
        """Whether something is scheduled strictly before ``epoch`` (anything at all when None)."""
        return bool(self._heap) and (epoch is None or self._heap[0][0] < epoch)

    def pop(self) -> tuple[float, Priority, Any]:
        """The next scheduled item: its instant, priority and the item."""
        epoch, priority, _, item = heapq.heappop(self._heap)
        return epoch, Priority(priority), item


class Replay:
    """The outcome of one replay: what happened, with checkpoints to answer any instant fast.

    Everything it holds is read-only once the replay is done: the applied
    records and their instants as tuples, the checkpoints, what was dropped,
    and the change log.
    """

    __slots__ = ("applied", "changes", "checkpoints", "dropped", "interval", "manifest", "rules", "times")

    def __init__(
        self,
        manifest: Manifest,
        rules: GovernanceRules,
        applied: Sequence[EventRecord],
        times: Sequence[float],
        checkpoints: Sequence[OrgState],
        dropped: Sequence[Dropped] = (),
        interval: int = CHECKPOINT_INTERVAL,
        changes: ChangeLog | None = None,
    ) -> None:
        setter = object.__setattr__
        setter(self, "manifest", manifest)
        setter(self, "rules", rules)
        setter(self, "applied", _frozen(applied))
        setter(self, "times", _frozen(times))
        setter(self, "checkpoints", _frozen(checkpoints))
        setter(self, "dropped", tuple(dropped))
        setter(self, "interval", interval)
        setter(self, "changes", changes if changes is not None else ChangeLog())

    manifest: Manifest
    rules: GovernanceRules
    applied: Sequence[EventRecord]
    times: Sequence[float]
    checkpoints: Sequence[OrgState]
    dropped: tuple[Dropped, ...]
    interval: int
    changes: ChangeLog

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a replay is read-only: cannot set {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return Replay, (
            self.manifest,
            self.rules,
            self.applied,
            self.times,
            self.checkpoints,
            self.dropped,
            self.interval,
            self.changes,
        )

    @property
    def final(self) -> OrgState:
        """The state after every applied event."""
        return self.state_after(len(self.applied))

    def position(self, epoch: float) -> int:
        """How many applied events happen at or before ``epoch``."""
        return bisect_spliced(self.times, epoch)

    def state_after(self, count: int, at: datetime | None = None) -> OrgState:
        """The state after the first ``count`` applied events, labelled with the instant ``at`` when given."""
        base = count // self.interval
        checkpoint = self.checkpoints[base]
        start = base * self.interval
        if start == count:
            return checkpoint if at is None else checkpoint.at_instant(at)
        ws = WorkingState.thaw(checkpoint)  # no change log: answering a question records nothing
        table = TRANSITIONS
        for event in self.applied[start:count]:
            table[event.transition](ws, event)
        ws.last_event = self.applied[count - 1].id
        ws.applied = count
        return ws.freeze(at)

    def walk(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[EventRecord, OrgState]]:
        """Each applied event from ``start`` to ``stop`` with the state just after it, in order.

        Each state is labelled with its event's instant, so it answers as ``state_at`` would then: what the
        timeline does not cover at that instant is unknown.
        """
        stop = len(self.applied) if stop is None else stop
        ws = WorkingState.thaw(self.state_after(start))
        table = TRANSITIONS
        for index in range(start, stop):
            event = self.applied[index]
            table[event.transition](ws, event)
            ws.last_event = event.id
            ws.applied = index + 1
            yield event, ws.freeze(event.at)


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
    until: float | None = None,
    causes: AbstractSet[str] | None = None,
) -> Replay:
    """Replay sorted ``events`` (records: :func:`~orgsim.model.records.to_records`) into a checkpointed :class:`Replay`.

    ``removed`` lists events taken out beforehand: events that follow from
    them are dropped too. ``reuse=(base, n)`` starts from ``base``'s first
    ``n`` applied events (which must equal ``events[:n]``), reusing its
    checkpoints and change log instead of replaying them; ``n`` is rounded
    down to a checkpoint. ``epochs``, when given, are the events' instants as
    Unix timestamps (the loader computes them to sort), so replay need not
    compute them again. ``until``, a Unix timestamp, stops the replay there:
    nothing after it is applied, checked or generated (a world observed only
    up to an instant, as a sweep observes it, need not be replayed further).
    ``causes``, when given, holds every id that ``events`` name in
    ``caused_by`` (the loader collects them): the check that history builds
    on no failed motion then need not look at every event again.
    """
    origins = origins if origins is not None else {}  # not `or`: a large ChainMap's truth costs O(n)
    governance = rules if rules is not None else manifest.governance
    # Only what happens after the reused prefix is replayed and kept here; the prefix is shared with the base.
    applied: list[EventRecord] = []
    times: list[float] = []
    checkpoints: list[OrgState] = []
    base: Replay | None = None
    prefix = 0
    if reuse is not None:
        base, prefix = reuse
        prefix -= prefix % base.interval
        interval = base.interval
        log = base.changes.fork(prefix)
        ws = WorkingState.thaw(base.checkpoints[prefix // interval], governance, log)
        pending: Sequence[EventRecord] = events[prefix:]
    else:
        log = ChangeLog()
        ws = WorkingState(manifest, governance, log)
        checkpoints.append(ws.freeze())
        pending = events
    dropped = list(removed)
    known_epochs = None if epochs is None else epochs[len(events) - len(pending) :]
    if until is not None:
        if known_epochs is None:
            known_epochs = [event.at.timestamp() for event in pending]
        stop = bisect_right(known_epochs, until)
        if stop < len(pending):
            pending, known_epochs = pending[:stop], known_epochs[:stop]
    if not reactive and not removed and policy == "strict":
        _run_strict(ws, pending, applied, checkpoints, interval, origins, prefix, causes)
        times.extend(known_epochs if known_epochs is not None else [event.at.timestamp() for event in pending])
    else:
        if known_epochs is None:
            known_epochs = [event.at.timestamp() for event in pending]
        world = _World(ws, applied, times, checkpoints, dropped, interval, origins, policy, reactive, pending)
        if base is not None:
            world.shared, world.offset = base.applied, prefix
        world.run(known_epochs, until)
    if base is None:
        return Replay(manifest, governance, applied, times, checkpoints, dropped, interval, log)
    return Replay(
        manifest,
        governance,
        Spliced(base.applied, prefix, tuple(applied)),
        Spliced(base.times, prefix, tuple(times)),
        Spliced(base.checkpoints, prefix // interval + 1, tuple(checkpoints)),
        dropped,
        interval,
        log,
    )


def _frozen(items: Sequence[Any]) -> Sequence[Any]:
    """``items`` as a read-only sequence: a tuple, or a splice of tuples."""
    if isinstance(items, Spliced):
        return items if isinstance(items.tail, tuple) else Spliced(items.head, items.cut, tuple(items.tail))
    return items if isinstance(items, tuple) else tuple(items)


def _locate(error: OrgsimError, origins: Mapping[str, str]) -> OrgsimError:
    if error.file is None and error.event is not None:
        error.file = origins.get(error.event)
        error.args = (error.render(),)
    return error


def _run_strict(
    ws: WorkingState,
    events: Sequence[EventRecord],
    applied: list[EventRecord],
    checkpoints: list[OrgState],
    interval: int,
    origins: Mapping[str, str],
    done: int = 0,
    causes: AbstractSet[str] | None = None,
) -> None:
    """The fast path: history as recorded, every event must apply.

    The loop does nothing but call each event's transition, with a checkpoint
    between chunks of ``interval`` events. History may not build on a motion
    that failed; rather than watch every event for that, the loop lets it
    pass and :func:`_check_motions` looks afterwards (or at the first error,
    so that the earliest problem is the one reported). ``done`` events come before
    these (a reused prefix): ``applied`` and ``checkpoints`` receive only what happens here.
    """
    table, freeze = TRANSITIONS, ws.freeze
    total = len(events)
    start = 0
    try:
        for start in range(0, total, interval):
            stop = min(start + interval, total)
            position = done + start
            for event in events[start:stop]:
                ws.position = position
                table[event.transition](ws, event)
                position += 1
            if stop - start == interval:
                ws.last_event = events[stop - 1].id
                ws.applied = done + stop
                checkpoints.append(freeze())
    except OrgsimError as error:
        chunk = [event.id for event in events[start : start + interval]]
        failing = start + (chunk.index(error.event) if error.event in chunk else len(chunk) - 1)
        _check_motions(ws, events[: failing + 1], origins)
        raise _locate(error, origins) from None
    _check_motions(ws, events, origins, causes)
    applied.extend(events)


def _check_motions(
    ws: WorkingState,
    events: Sequence[EventRecord],
    origins: Mapping[str, str],
    causes: AbstractSet[str] | None = None,
) -> None:
    """Raise for the first of ``events`` that follows from a motion that failed in ``ws``.

    ``causes``, when given, holds every id some of ``events`` (or more) name as a cause.
    """
    failed = {vote: record.tally for vote, record in ws.votes().items() if not record.passed}
    if not failed or (causes is not None and failed.keys().isdisjoint(causes)):
        return
    # Every cause of every event, compared at C speed: in recorded history none names a failed motion.
    if failed.keys().isdisjoint(chain.from_iterable(map(_CAUSES, events))):
        return
    for event in compress(events, map(_CAUSES, events)):
        if not failed.keys().isdisjoint(event.caused_by):
            cause = next(cause for cause in event.caused_by if cause in failed)
            error = ReplayError(f"follows from {cause}, which {failed[cause]}", event=event.id, field="caused_by")
            raise _locate(error, origins)


class _World:
    """The general path, for what-if worlds (see :func:`run`).

    Events that follow from a removed event, a failed motion or a dropped
    event fall away whatever the policy; the policy decides only conflicts.
    """

    def __init__(
        self,
        ws: WorkingState,
        applied: list[EventRecord],
        times: list[float],
        checkpoints: list[OrgState],
        dropped: list[Dropped],
        interval: int,
        origins: Mapping[str, str],
        policy: Policy,
        reactive: Sequence[ReactiveRule],
        events: Sequence[EventRecord],
    ) -> None:
        self.ws, self.applied, self.times, self.checkpoints = ws, applied, times, checkpoints
        self.dropped, self.interval, self.origins, self.policy = dropped, interval, origins, policy
        self.events = events
        # For each event that did not happen: the root cause's reason, and the chain from the root.
        self.fallen: dict[str, tuple[str, tuple[str, ...]]] = {
            d.event.id: (d.reason.split(":", 1)[0], d.chain) for d in dropped
        }
        self.agenda = Agenda()
        for rule in reactive:
            if rule.at_epoch is not None:
                self.agenda.schedule(rule.at_epoch, Priority.RULE_CHECK, rule)
        self.watching = [rule for rule in reactive if rule.at_epoch is None]
        self.taken: set[str] | None = None  # every id in this world, built when a rule first emits
        self.shared: Sequence[EventRecord] = ()
        self.offset = 0
        """How many applied events come before these (a prefix shared with the base, in ``shared``)."""

    def run(self, epochs: Sequence[float], until: float | None = None) -> None:
        agenda = self.agenda
        for event, epoch in zip(self.events, epochs, strict=True):
            if agenda.next_before(epoch):
                # Rule checks and generated events at an instant come after the recorded events at that instant.
                self.drain(epoch)
            self.step(event, epoch)
        # Up to ``until`` included: what is scheduled later never happens in a world observed only that far.
        self.drain(None if until is None else nextafter(until, inf))
        applied = self.applied
        if applied:
            self.ws.last_event, self.ws.applied = applied[-1].id, self.offset + len(applied)

    def drain(self, before: float | None) -> None:
        agenda, ws = self.agenda, self.ws
        while agenda.next_before(before):
            epoch, priority, item = agenda.pop()
            if priority is Priority.RULE_CHECK:
                if self.applied:
                    ws.last_event, ws.applied = self.applied[-1].id, self.offset + len(self.applied)
                rule: ReactiveRule = item
                for generated in self.admit(rule, rule.fire(ws.freeze(getattr(rule, "at", None)))):
                    agenda.schedule(max(epoch, generated.at.timestamp()), Priority.GENERATED, generated)
            else:
                self.step(item, epoch)

    def step(self, event: EventRecord, epoch: float) -> None:
        fallen, ws = self.fallen, self.ws
        if fallen and event.caused_by:
            for cause in event.caused_by:
                if cause in fallen:
                    reason, chain = fallen[cause]
                    fallen[event.id] = (reason, (*chain, event.id))
                    why = f"follows from {chain[0]}, which {reason}"
                    self.dropped.append(Dropped(event.to_event(), why, (*chain, event.id)))
                    return
        kind = event.type
        applied = self.applied
        ws.position = self.offset + len(applied)
        try:
            TRANSITIONS[event.transition](ws, event)
        except ConflictError as error:
            if self.policy == "strict":
                raise _locate(error, self.origins) from None
            fallen[event.id] = ("did not apply", (event.id,))
            self.dropped.append(Dropped(event.to_event(), f"did not apply: {error.message}", (event.id,)))
            return
        except OrgsimError as error:
            raise _locate(error, self.origins) from None
        if kind == "board_vote":
            record = ws.vote(event.id)
            if record is not None and not record.passed:
                fallen[event.id] = (record.tally, (event.id,))
        applied.append(event)
        self.times.append(epoch)
        count = self.offset + len(applied)
        if count % self.interval == 0:
            ws.last_event, ws.applied = event.id, count
            self.checkpoints.append(ws.freeze())
        if self.watching:
            ws.last_event, ws.applied = event.id, count
            for rule in list(self.watching):
                emitted = rule.fire(ws.freeze(event.at))
                if emitted:
                    self.watching.remove(rule)
                    for generated in self.admit(rule, emitted):
                        # Not before the event that set it off: replay's instants must never go back.
                        self.agenda.schedule(max(epoch, generated.at.timestamp()), Priority.GENERATED, generated)

    def admit(self, rule: ReactiveRule, emitted: Sequence[EventBase]) -> list[EventRecord]:
        """The checks the loader makes, made on what a rule emits: a fresh id, causes that already happened."""
        if self.taken is None:
            before = {e.id for e in islice(self.shared, self.offset)}
            self.taken = before | {e.id for e in self.applied} | {e.id for e in self.events}
            self.taken |= {d.event.id for d in self.dropped}
        taken = self.taken
        happened = {e.id for e in islice(self.shared, self.offset)} | {e.id for e in self.applied} | self.fallen.keys()
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
