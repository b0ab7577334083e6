"""How a what-if world diverges from history: when, in which fields, and because of which events.

>>> import orgsim
>>> from orgsim.whatif.scenarios import load_scenario
>>> from orgsim.io.loading import bundled_scenarios_path
>>> world = load_scenario(bundled_scenarios_path() / "no-firing.yaml").run()
>>> story = divergence(world.base, world)
>>> story.first is not None
True

A value a world does not know reads as the contract's null here, as in JSON: the story tells where the worlds'
answers differ, not yet whether a null is vacant or unknown (``state_at`` in either world says which).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from orgsim.engine.changes import TABLES
from orgsim.engine.replay import Replay
from orgsim.model.records import EventRecord
from orgsim.model.sharing import Spliced
from orgsim.model.state import OrgState
from orgsim.query.changes import ChangeIndex, Series
from orgsim.query.diff import Difference, diff_states


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


@dataclass(frozen=True, repr=False)
class Divergence:
    """The divergence story of a what-if world against its base."""

    first: datetime | None
    """The first instant at which the two worlds' states differ (None: they never do)."""
    fields: tuple[FieldDivergence, ...] = field(default_factory=tuple)

    def __repr__(self) -> str:
        first = self.first.isoformat() if self.first else None
        return f"<Divergence first={first} fields={len(self.fields)}>"

    def _repr_html_(self) -> str | None:
        from orgsim.model.rendering import html_of  # drawn by orgsim.views.notebook

        return html_of(self)

    def to_dict(self) -> dict[str, Any]:
        """The story as JSON-ready data."""
        return {
            "first_divergence": self.first.isoformat() if self.first else None,
            "fields": [{"path": f.path, "intervals": [i.to_dict() for i in f.intervals]} for f in self.fields],
        }


class Replayed(Protocol):
    """Anything with a replay, such as a :class:`~orgsim.timeline.Timeline` or a what-if world."""

    @property
    def replay(self) -> Replay:
        """The checkpointed replay behind it."""
        ...


def divergence(history: Replayed, world: Replayed) -> Divergence:
    """Where, when and why ``world`` differs from ``history``, field by field.

    Read off both worlds' change indexes from the last position they share
    (a what-if world shares its base's history up to its first intervention),
    so the cost follows the changes after that point, not events times fields.
    """
    base, other = history.replay, world.replay
    since = _shared_prefix(base, other)
    a_index, b_index = ChangeIndex(base), ChangeIndex(other)
    only = _unmatched(base, other, since)
    a_series, b_series = a_index.series(since, only), b_index.series(since, only)
    dropped_at: dict[float, list[str]] = {}
    for dropped in other.dropped:
        dropped_at.setdefault(dropped.event.at.timestamp(), []).append(dropped.event.id)
    fields: list[FieldDivergence] = []
    for path in sorted(a_series.keys() | b_series.keys()):
        if path.endswith(".name"):
            continue
        a = a_series.get(path)
        b = b_series.get(path)
        start = a.start if a is not None else b.start if b is not None else None
        intervals = _intervals(_steps(a_index, a, start), _steps(b_index, b, start), a_index, b_index, a, b, dropped_at)
        if intervals:
            fields.append(FieldDivergence(path, tuple(intervals)))
    fields.sort(key=lambda f: (f.intervals[0].start, _rank(f.path), f.path))
    first = min((f.intervals[0].start for f in fields), default=None)
    return Divergence(first, tuple(fields))


def _unmatched(base: Replay, world: Replay, since: int) -> dict[int, set[Any]]:
    """For each table, the keys some write after ``since`` sets in one world and not, at that instant, in the other.

    A key written alike in both worlds (same instant, same value, write for
    write) is the same in both from ``since`` on, so its paths cannot
    diverge: only the others are expanded into paths.
    """
    found: dict[int, set[Any]] = {}
    for table in range(len(TABLES)):
        tally: dict[tuple[float, Any, int, Any], int] = {}
        for replay, step in ((base, 1), (world, -1)):
            times = replay.times
            nth: dict[tuple[float, Any], int] = {}  # writes to one key at one instant must match in order too
            for position, key, value in replay.changes.entries(table, since):
                moment = (times[position], key)
                order = nth[moment] = nth.get(moment, 0) + 1
                mark = (moment[0], key, order, value)
                tally[mark] = tally.get(mark, 0) + step
        keys = {key for (_, key, _, _), count in tally.items() if count}
        if keys:
            found[table] = keys
    return found


def _shared_prefix(base: Replay, world: Replay) -> int:
    """How many applied events the two replays share from the start (the world's fork of the base's log)."""
    fork = world.changes.fork_position
    if not fork:
        return 0
    shared = world.applied
    if isinstance(shared, Spliced) and shared.cut >= fork and _root(shared.head) is _root(base.applied):
        return fork  # the world's events are the base's own up to there, not merely equal
    return fork if base.applied[:fork] == world.applied[:fork] else 0


def _root(items: Sequence[Any]) -> Sequence[Any]:
    return items.head if isinstance(items, Spliced) else items


def _steps(index: ChangeIndex, series: Series | None, start: Any) -> list[tuple[float, Any]]:
    """A path's values over time: ``(instant, value after the last change at that instant)``, in order."""
    steps: list[tuple[float, Any]] = []
    if series is None:
        return steps
    for change in series.changes:
        epoch = index.epoch(change.position)
        if steps and steps[-1][0] == epoch:
            steps[-1] = (epoch, change.value)
        else:
            steps.append((epoch, change.value))
    return steps


def _intervals(
    a_steps: list[tuple[float, Any]],
    b_steps: list[tuple[float, Any]],
    a_index: ChangeIndex,
    b_index: ChangeIndex,
    a: Series | None,
    b: Series | None,
    dropped_at: dict[float, list[str]],
) -> list[Interval]:
    """The stretches in which the two step functions differ, split where either side changes."""
    start_value = a.start if a is not None else b.start if b is not None else None
    epochs = sorted({e for e, _ in a_steps} | {e for e, _ in b_steps})
    a_at, b_at = dict(a_steps), dict(b_steps)
    old = new = start_value
    intervals: list[Interval] = []
    opened: tuple[float, Any, Any, tuple[str, ...]] | None = None
    for epoch in epochs:
        old = a_at.get(epoch, old)
        new = b_at.get(epoch, new)
        carried: tuple[str, ...] = ()
        if opened is not None and (old, new) != (opened[1], opened[2]):
            intervals.append(Interval(_moment(opened[0]), _moment(epoch), opened[1], opened[2], opened[3]))
            carried = opened[3]
            opened = None
        if old != new and opened is None:
            # A stretch that only continues one that just ended keeps its causes when nothing new is to blame.
            because = _because(epoch, a_index, b_index, a, b, dropped_at) or carried
            opened = (epoch, old, new, because)
    if opened is not None:
        intervals.append(Interval(_moment(opened[0]), None, opened[1], opened[2], opened[3]))
    return intervals


def _because(
    epoch: float,
    a_index: ChangeIndex,
    b_index: ChangeIndex,
    a: Series | None,
    b: Series | None,
    dropped_at: dict[float, list[str]],
) -> tuple[str, ...]:
    """The events at ``epoch`` that set the path in one world only, and the events dropped at that instant."""

    def setters(index: ChangeIndex, series: Series | None) -> dict[str, EventRecord]:
        if series is None:
            return {}
        found = {}
        for change in series.changes:
            if index.epoch(change.position) == epoch:
                event = index.event(change.position)
                found[event.id] = event
        return found

    mine, theirs = setters(a_index, a), setters(b_index, b)
    one_sided = [i for i in mine if i not in theirs or theirs[i].values() != mine[i].values()]
    one_sided += [i for i in theirs if i not in mine or mine[i].values() != theirs[i].values()]
    found = [*one_sided, *dropped_at.get(epoch, ())]
    if not found:
        # The same event, met by worlds that already differ elsewhere, set this path to different values.
        found = [i for i in mine if i in theirs]
    return tuple(dict.fromkeys(found))


def _moment(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


_RANKS = ("offices.ceo", "board", "offices", "employees", "stakeholders", "structure", "votes", "people")


def _rank(path: str) -> int:
    return next((i for i, prefix in enumerate(_RANKS) if path.startswith(prefix)), len(_RANKS))


class Answering(Protocol):
    """Anything that answers the state at an instant, such as a :class:`~orgsim.timeline.Timeline`."""

    def state_at(self, when: Any, tz: str | None = None) -> OrgState:
        """The state at ``when``."""
        ...


def side_by_side(
    history: Answering, world: Answering, when: Any, tz: str | None = None
) -> tuple[OrgState, OrgState, list[Difference]]:
    """Both worlds' states at ``when`` and the changes from history to the what-if."""
    a = history.state_at(when, tz)
    b = world.state_at(when, tz)
    return a, b, diff_states(a, b)
