"""What the public knew when: the state at an instant as it could be reconstructed from what was public by another.

Every event has the instant it happened (``at``) and the instant the public
could first know of it (``reported_at``, by default ``at``). The state at
``t`` *as known at* ``k`` (``k`` at or after ``t``) replays the events that
happened by ``t`` and were public by ``k``; the others are **hidden** — left out without consequence (a
consequence the public saw stands even while its cause was not yet known),
through a world plan's ``hidden`` ids. An event that cannot apply without
what is hidden is left out too, and said so. A ``k`` before ``t`` is refused:
what was public at ``k`` says nothing of what happened after it, and hiding
those events would state the picture at ``k`` as the fact at ``t``.

Worlds are kept by the set of events they hide, so asking again (another
``t`` with the same hidden set, the scrubber of a page) costs a lookup and a
``state_at``; a world is replayed from the base's checkpoint before the first
event it hides, and only up to the instant asked (a page asks at thousands
of instants, each hiding a different few events: replaying each world to the
timeline's end cost O(N) per instant, minutes at 10^5 events). A kept world
asked about a later instant is replayed again that far.

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
from orgsim.errors import TimeInputError
from orgsim.model.state import OrgState
from orgsim.query.history import span, window, words
from orgsim.times import in_zone, isoformat

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
        self.worlds: OrderedDict[tuple[str, ...], tuple[Replay, float]] = OrderedDict()
        """Known-at worlds by the ids they hide: each replay and the last instant it was replayed to."""

    def hidden(self, t: float, k: float) -> tuple[str, ...]:
        """The ids of the events that happened by ``t`` but were not public by ``k`` (``k >= t``), in replay order."""
        applied, reported = self.timeline.replay.applied, self.reported
        return tuple(applied[i].id for i in self.late[: bisect_right(self.late_epochs, t)] if reported[i] > k)

    def state(self, t: datetime, k: datetime) -> KnownState:
        """The state at ``t`` as known at ``k``; :class:`TimeInputError` when ``k`` is before ``t``."""
        if k.timestamp() < t.timestamp():
            raise TimeInputError(
                f"{isoformat(k)} is before the instant asked about ({isoformat(t)}): what was public then says "
                "nothing of what happened after it; give a known_at at or after it (the same instant for the "
                "public's picture then)",
                field="known_at",
            )
        hidden = self.hidden(t.timestamp(), k.timestamp())
        if not hidden:
            return KnownState(self.timeline.state_at(t), k, (), ())
        epoch = t.timestamp()
        kept = self.worlds.get(hidden)
        if kept is None or kept[1] < epoch:
            plan = WorldPlan(hidden=frozenset(hidden), policy="skip")
            replay, _ = run_plan(self.timeline.basis(), plan, until=epoch)
            self.worlds[hidden] = (replay, epoch)
            if len(self.worlds) > KEPT_WORLDS:
                self.worlds.popitem(last=False)
        else:
            replay = kept[0]
            self.worlds.move_to_end(hidden)
        state = replay.state_after(replay.position(epoch), t)
        not_applied = tuple(
            (d.event.id, d.reason)
            for d in replay.dropped
            if d.event.at.timestamp() <= epoch and d.event.id not in hidden
        )
        return KnownState(state, k, hidden, not_applied)


LAG_COLUMNS = (
    "event",
    "at",
    "precision",
    "reported_at",
    "lag_seconds",
    "lag_shortest_seconds",
    "lag_longest_seconds",
    "lag",
    "summary",
)
"""The keys of a lag's JSON object and the CSV header of ``orgsim lag``, in order."""


@dataclass(frozen=True, slots=True)
class Lag:
    """How long after it happened an event became public (negative: announced before it took effect).

    ``at`` is the instant the event is recorded at; ``earliest`` and
    ``latest`` the period its precision allows (an event of ``May 2024``
    happened somewhere in that month), so the delay is known only between
    ``shortest`` and ``longest``. ``reported_at`` is taken as stated.
    """

    event: str
    at: datetime
    reported_at: datetime
    summary: str
    precision: str = "minute"
    earliest: datetime | None = None
    latest: datetime | None = None

    @property
    def delay(self) -> timedelta:
        """``reported_at`` less ``at`` (the recorded instant: see ``shortest`` and ``longest``)."""
        return self.reported_at - self.at

    @property
    def shortest(self) -> timedelta:
        """The least delay the event's precision allows (never below zero for an event recorded before its report:
        what was reported had happened by then)."""
        least = span(self.latest or self.at, self.reported_at)
        return max(least, timedelta(0)) if self.at <= self.reported_at else least

    @property
    def longest(self) -> timedelta:
        """The greatest delay the event's precision allows."""
        return span(self.earliest or self.at, self.reported_at)

    @property
    def text(self) -> str:
        """The delay in words, as a range where the event's time is vague: ``6 days to 7 days later (it is dated to
        the day)``."""
        shortest, longest = self.shortest, self.longest
        if shortest == longest:
            return lag_text(self.delay)
        dated = f"(it is dated to the {self.precision})"
        if shortest == timedelta(0):
            return f"up to {words(longest)} later {dated}"
        if shortest > timedelta(0):
            return f"{words(shortest)} to {words(longest)} later {dated}"
        return f"between {lag_text(shortest)} and {lag_text(longest)} {dated}"

    def to_dict(self, tz: str) -> dict[str, Any]:
        """The contract's form (see README, ``orgsim lag``): the keys of :data:`LAG_COLUMNS`."""
        return {
            "event": self.event,
            "at": in_zone(self.at, tz).isoformat(),
            "precision": self.precision,
            "reported_at": in_zone(self.reported_at, tz).isoformat(),
            "lag_seconds": self.delay.total_seconds(),
            "lag_shortest_seconds": self.shortest.total_seconds(),
            "lag_longest_seconds": self.longest.total_seconds(),
            "lag": self.text,
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
    home = timeline.home_zone
    found = [
        Lag(event.id, event.at, event.reported_at or event.at, event.summary, event.precision, *window(event, home))
        for event in timeline.records
        if everything or (event.reported_at is not None and event.reported_at != event.at)
    ]
    found.sort(key=lambda lag: (-abs(lag.delay.total_seconds()), lag.at.timestamp()))
    return found
