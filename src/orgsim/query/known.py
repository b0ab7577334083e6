"""What the public knew when: the state at an instant as it could be reconstructed from what was public by another.

Every event has the instant it happened (``at``) and the instant the public
could first know of it (``reported_at``, by default ``at``). The state at
``t`` *as known at* ``k`` replays the events that happened by ``t`` and were
public by ``k``; the others are **hidden** — left out without consequence (a
consequence the public saw stands even while its cause was not yet known),
through a world plan's ``hidden`` ids. An event that cannot apply without
what is hidden is left out too, and said so.

Worlds are kept by the set of events they hide, so asking again (another
``t`` with the same hidden set, the scrubber of a page) costs a lookup and a
``state_at``; a world is replayed from the base's checkpoint before the first
event it hides.

:func:`lags` lists each event's delay between happening and becoming public.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from orgsim.engine.plans import WorldPlan, run_plan
from orgsim.engine.replay import Replay
from orgsim.model.state import OrgState
from orgsim.query.history import words
from orgsim.times import in_zone

if TYPE_CHECKING:
    from orgsim.query.world import ReplayedWorld

KEPT_WORLDS = 32
"""How many known-at worlds a timeline keeps (the least recently used goes first)."""


@dataclass(frozen=True, slots=True)
class KnownState:
    """The state at ``at`` as known at ``known_at``: the state, the events it could not yet see, and those that
    could not apply without them."""

    state: OrgState
    known_at: datetime
    hidden: tuple[str, ...]
    not_applied: tuple[tuple[str, str], ...]


class KnownIndex:
    """For one timeline: which events were public late (or early), and the known-at worlds built so far."""

    def __init__(self, timeline: ReplayedWorld) -> None:
        self.timeline = timeline
        replay = timeline.replay
        applied = replay.applied
        self.reported = [(e.reported_at or e.at).timestamp() for e in applied]
        # Events made public after they happened: the only ones that can hide at t <= k.
        self.late = [i for i, e in enumerate(applied) if self.reported[i] > replay.times[i]]
        self.late_epochs = [replay.times[i] for i in self.late]
        self.worlds: OrderedDict[tuple[str, ...], Replay] = OrderedDict()

    def hidden(self, t: float, k: float) -> tuple[str, ...]:
        """The ids of the events that happened by ``t`` but were not public by ``k``, in replay order."""
        replay = self.timeline.replay
        applied, reported = replay.applied, self.reported
        end = replay.position(t)
        found = [applied[i].id for i in self.late[: bisect_right(self.late_epochs, min(t, k))] if reported[i] > k]
        if t > k:  # what happened after k: public by k only if it was announced before it happened
            found += [applied[i].id for i in range(replay.position(k), end) if reported[i] > k]
        return tuple(found)

    def state(self, t: datetime, k: datetime) -> KnownState:
        """The state at ``t`` as known at ``k``."""
        hidden = self.hidden(t.timestamp(), k.timestamp())
        if not hidden:
            return KnownState(self.timeline.state_at(t), k, (), ())
        replay = self.worlds.get(hidden)
        if replay is None:
            plan = WorldPlan(hidden=frozenset(hidden), policy="skip")
            replay, _ = run_plan(self.timeline.basis(), plan)
            self.worlds[hidden] = replay
            if len(self.worlds) > KEPT_WORLDS:
                self.worlds.popitem(last=False)
        else:
            self.worlds.move_to_end(hidden)
        epoch = t.timestamp()
        state = replay.state_after(replay.position(epoch), t)
        not_applied = tuple(
            (d.event.id, d.reason)
            for d in replay.dropped
            if d.event.at.timestamp() <= epoch and d.event.id not in hidden
        )
        return KnownState(state, k, hidden, not_applied)


@dataclass(frozen=True, slots=True)
class Lag:
    """How long after it happened an event became public (negative: announced before it took effect)."""

    event: str
    at: datetime
    reported_at: datetime
    summary: str

    @property
    def delay(self) -> timedelta:
        """``reported_at`` less ``at``."""
        return self.reported_at - self.at

    def to_dict(self, tz: str) -> dict[str, Any]:
        """The contract's form (see README, ``orgsim lag``)."""
        seconds = self.delay.total_seconds()
        return {
            "event": self.event,
            "at": in_zone(self.at, tz).isoformat(),
            "reported_at": in_zone(self.reported_at, tz).isoformat(),
            "lag_seconds": seconds,
            "lag": lag_text(self.delay),
            "summary": self.summary,
        }


def lag_text(delay: timedelta) -> str:
    """A delay in words: ``9 hours 30 minutes later``, ``2 days earlier``, ``at once``."""
    if delay == timedelta(0):
        return "at once"
    if delay < timedelta(0):
        return f"{words(-delay)} before it took effect"
    return f"{words(delay)} later"


def lags(timeline: ReplayedWorld, *, everything: bool = False) -> list[Lag]:
    """Each event's delay between happening and becoming public, longest first (by default, only events with a
    ``reported_at`` of their own)."""
    found = [
        Lag(event.id, event.at, event.reported_at or event.at, event.summary)
        for event in timeline.records
        if everything or (event.reported_at is not None and event.reported_at != event.at)
    ]
    found.sort(key=lambda lag: (-abs(lag.delay.total_seconds()), lag.at.timestamp()))
    return found
