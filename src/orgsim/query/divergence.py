"""How a what-if world diverges from history: when, in which fields, and because of which events.

>>> import orgsim
>>> from orgsim.whatif.scenarios import load_scenario
>>> from orgsim.io.loading import bundled_scenarios_path
>>> world = load_scenario(bundled_scenarios_path() / "no-firing.yaml").run()
>>> story = divergence(world.base, world)
>>> story.first is not None
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from orgsim.model.events import EventBase
from orgsim.model.records import EventRecord, to_record
from orgsim.query.diff import diff_states, flatten
from orgsim.timeline import Timeline


@dataclass(frozen=True, slots=True)
class Interval:
    """A stretch of time during which one field differs between the two worlds."""

    start: datetime
    end: datetime | None
    """When the worlds agree again (None: they never do)."""
    history: Any
    what_if: Any
    because: tuple[str, ...]
    """Ids of the events responsible: removed, dropped, changed, inserted or generated at ``start``."""

    def to_dict(self) -> dict[str, Any]:
        """The interval as JSON-ready data."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "history": self.history,
            "what_if": self.what_if,
            "because": list(self.because),
        }


@dataclass(frozen=True, slots=True)
class FieldDivergence:
    """One field of the state contract and the intervals where the worlds disagree on it."""

    path: str
    intervals: tuple[Interval, ...]


@dataclass(frozen=True)
class Divergence:
    """The divergence story of a what-if world against its base."""

    first: datetime | None
    """The first instant at which the two worlds' states differ (None: they never do)."""
    fields: tuple[FieldDivergence, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The story as JSON-ready data."""
        return {
            "first_divergence": self.first.isoformat() if self.first else None,
            "fields": [{"path": f.path, "intervals": [i.to_dict() for i in f.intervals]} for f in self.fields],
        }


def divergence(history: Timeline, world: Timeline) -> Divergence:
    """Compare ``world`` with ``history`` at every instant either changes, field by field."""
    base_times = history.replay.times
    world_times = world.replay.times
    instants = sorted(set(base_times) | set(world_times))
    base_events = {e.id: e for e in history.replay.applied}
    world_events = {e.id: e for e in world.replay.applied}
    dropped_at: dict[float, list[EventBase]] = {}
    for dropped in getattr(world, "dropped", ()):
        dropped_at.setdefault(dropped.event.at.timestamp(), []).append(dropped.event)
    open_: dict[str, tuple[datetime, Any, Any, tuple[str, ...]]] = {}
    closed: dict[str, list[Interval]] = {}
    first: datetime | None = None
    a_prev, b_prev = history.initial_state(), world.initial_state()
    for epoch in instants:
        a, b = history.state_at_epoch(epoch), world.state_at_epoch(epoch)
        moment = datetime.fromtimestamp(epoch, tz=UTC)
        fa, fb = flatten(a), flatten(b)
        differing = {p for p in set(fa) | set(fb) if fa.get(p) != fb.get(p) and not p.endswith(".name")}
        if differing and first is None:
            first = moment
        # An interval ends where the worlds agree again, and is split where either side's value changes.
        for path in list(open_):
            start, old, new, because = open_[path]
            if path not in differing or (fa.get(path), fb.get(path)) != (old, new):
                del open_[path]
                closed.setdefault(path, []).append(Interval(start, moment, old, new, because))
        started = differing - set(open_)
        if started:
            responsible = _responsible(
                history, world, epoch, base_events, world_events, dropped_at, a_prev, b_prev, a, b
            )
            for path in started:
                because = tuple(e for e, paths in responsible if path in paths) or tuple(e for e, _ in responsible)
                open_[path] = (moment, fa.get(path), fb.get(path), tuple(dict.fromkeys(because)))
        a_prev, b_prev = a, b
    for path, (start, old, new, because) in open_.items():
        closed.setdefault(path, []).append(Interval(start, None, old, new, because))
    fields = sorted(
        (FieldDivergence(path, tuple(intervals)) for path, intervals in closed.items()),
        key=lambda f: (f.intervals[0].start, _rank(f.path), f.path),
    )
    return Divergence(first, tuple(fields))


_RANKS = ("offices.ceo", "board", "offices", "employees", "stakeholders", "structure", "votes", "people")


def _rank(path: str) -> int:
    return next((i for i, prefix in enumerate(_RANKS) if path.startswith(prefix)), len(_RANKS))


def _responsible(
    history: Timeline,
    world: Timeline,
    epoch: float,
    base_events: dict[str, EventRecord],
    world_events: dict[str, EventRecord],
    dropped_at: dict[float, list[EventBase]],
    a_prev: Any,
    b_prev: Any,
    a: Any,
    b: Any,
) -> list[tuple[str, set[str]]]:
    """Events at ``epoch`` present in one world only, each with the fields it changed."""
    found: list[tuple[str, set[str]]] = []
    moment = datetime.fromtimestamp(epoch, tz=UTC)
    just_before = datetime.fromtimestamp(epoch - 1e-3, tz=UTC)
    for timeline, others in ((history, world_events), (world, base_events)):
        for event, before, after in timeline.steps(just_before, moment):
            other = others.get(event.id)
            if other is not None and other.type == event.type and other.values() == to_record(event).values():  # type: ignore[attr-defined]
                continue  # the same event happened in both worlds
            found.append((event.id, {c.path for c in diff_states(before, after)}))
    for event in dropped_at.get(epoch, []):
        if all(event.id != e for e, _ in found):
            found.append((event.id, set()))
    return found


def side_by_side(history: Timeline, world: Timeline, when: Any, tz: str | None = None) -> tuple[Any, Any, list[Any]]:
    """Both worlds' states at ``when`` and the changes from history to the what-if."""
    a = history.state_at(when, tz)
    b = world.state_at(when, tz)
    return a, b, diff_states(a, b)
