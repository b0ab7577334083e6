"""What a sweep measures in each world: paths of the state contract at instants, and when it left history.

Values are the contract's (:func:`orgsim.model.paths.value_at`), made
hashable so that worlds can be counted by outcome (a list becomes a tuple, a
mapping a :class:`Items`); :func:`plain` turns them back into JSON values.
A value the world does not know (outside the timeline's coverage, an office
no event has filled) is :data:`~orgsim.model.knowledge.UNKNOWN`, never None:
None is a known absence (a vacant chair), and a sweep must not count the two
as one outcome.

>>> import orgsim
>>> history = orgsim.load_timeline()
>>> measures = Measures(("ceo.person",), (history.resolve("2023-11-18T12:00"),))
>>> measures.observe(history.replay)
('mira-murati',)
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from orgsim.engine import changes as log
from orgsim.engine.replay import Replay
from orgsim.model.knowledge import UNKNOWN
from orgsim.model.manifest import Manifest
from orgsim.model.paths import state_field_problem, value_at
from orgsim.query.changes import EVERY_KEY, ChangeIndex

DEFAULT_MEASURES = (
    "ceo.person",
    "board.members",
    "board.chair",
    "employees.headcount",
    "stakeholders.microsoft.employs",
)
"""What a sweep measures unless told: the CEO, the board and its chair, the headcount, whom Microsoft employs."""


class Items(tuple[tuple[str, Any], ...]):
    """A mapping's items, sorted: a hashable stand-in for a mapping value of the contract."""

    __slots__ = ()


def hashable(value: Any) -> Any:
    """``value`` (a contract value) as a hashable one: lists become tuples, mappings :class:`Items`."""
    if isinstance(value, list | tuple):
        return tuple(hashable(item) for item in value)
    if isinstance(value, Mapping):
        return Items(sorted((key, hashable(item)) for key, item in value.items()))
    return value


def plain(value: Any) -> Any:
    """A :func:`hashable` value as the contract's data again (:data:`UNKNOWN` stays itself: see
    :func:`json_value`)."""
    if isinstance(value, Items):
        return {key: plain(item) for key, item in value}
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    return value


def json_value(value: Any) -> Any:
    """A :func:`hashable` value as JSON data: unknown is null, as in the state contract (its ``unknown`` flag
    beside it tells it from a known none)."""
    return None if value is UNKNOWN else plain(value)


def default_measures(manifest: Manifest) -> tuple[str, ...]:
    """:data:`DEFAULT_MEASURES` that name a part of this timeline (a timeline without Microsoft has no
    ``stakeholders.microsoft``)."""
    return tuple(path for path in DEFAULT_MEASURES if state_field_problem(path, manifest) is None)


class Measures:
    """Paths measured at instants: what each world is reduced to (a tuple, instant by instant, path by path)."""

    __slots__ = ("_history", "epochs", "horizon", "instants", "only", "paths", "sources", "track")

    def __init__(self, paths: Sequence[str], instants: Sequence[datetime], *, track: bool = True) -> None:
        self.paths = tuple(paths)
        self.track = track
        """Whether :meth:`departure` is worked out (a sweep's "when did it leave history"); else it is None."""
        self.instants = tuple(sorted(instants))
        self.epochs = tuple(moment.timestamp() for moment in self.instants)
        self.horizon = self.epochs[-1]
        """The last instant observed (a Unix timestamp): a world need not be replayed past it."""
        self.only = _tables(self.paths)
        self.sources = frozenset(_series_path(path)[0] for path in self.paths)
        self._history: dict[str, list[tuple[float, Any]]] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return _measures, (self.paths, self.instants, self.track)

    def keys(self) -> list[tuple[datetime, str]]:
        """What each value of :meth:`observe` is: (instant, path), in order."""
        return [(moment, path) for moment in self.instants for path in self.paths]

    def observe(self, replay: Replay) -> tuple[Any, ...]:
        """The measured values in the world ``replay`` (replayed at least up to :attr:`horizon`)."""
        found: list[Any] = []
        paths = self.paths
        for moment, epoch in zip(self.instants, self.epochs, strict=True):
            state = replay.state_after(replay.position(epoch), moment)
            for path in paths:
                value = value_at(state, path)
                found.append(hashable(value) if value is not None or state.is_known(path) else UNKNOWN)
        return tuple(found)

    def departure(self, history: Replay, world: Replay) -> float | None:
        """The first instant (up to :attr:`horizon`) at which a measured path differs between the two worlds.

        Read off the change index of the paths measured, as divergence is
        (:mod:`orgsim.query.divergence`): each path's values as the events set
        them, from the last position the world shares with history.
        """
        if not self.track:
            return None
        if self._history is None:
            self._history = _steps(history, 0, self.only, self.sources)
        since = world.changes.fork_position
        mine = _steps(world, since, self.only, self.sources)
        ours = self._history
        low = world.times[since - 1] if since else float("-inf")
        first: float | None = None
        for path in self.paths:
            source, leaf = _series_path(path)
            a, b = ours.get(source), mine.get(source)
            if b is None:
                if a is None:
                    continue
                b = [(low, _value(a, low))]  # the world never changed it after the part it shares with history
            moments = sorted({e for e, _ in b if e >= low} | {e for e, _ in (a or ()) if e >= low})
            for moment in moments:
                if moment > self.horizon or (first is not None and moment >= first):
                    break
                if _project(_value(a, moment), leaf) != _project(_value(b, moment), leaf):
                    first = moment
                    break
        return first


def _measures(paths: Sequence[str], instants: Sequence[datetime], track: bool) -> Measures:
    return Measures(paths, instants, track=track)


def _value(steps: list[tuple[float, Any]] | None, epoch: float) -> Any:
    if not steps:
        return None
    index = bisect_right(steps, epoch, key=_first)
    return steps[index - 1][1] if index else steps[0][1]


def _first(step: tuple[float, Any]) -> float:
    return step[0]


def _project(value: Any, leaf: str | None) -> Any:
    if leaf is None:
        return value
    return value.get(leaf) if isinstance(value, dict) else None


def _series_path(path: str) -> tuple[str, str | None]:
    """The change index's path that holds ``path``, and the leaf of its value (``ceo.person``: the CEO's person)."""
    section, _, rest = path.partition(".")
    if section == "ceo":
        return "offices.ceo", rest or None
    if section == "offices" and rest.count(".") == 1:
        office, leaf = rest.split(".")
        return f"offices.{office}", leaf
    return path, None


def _steps(
    replay: Replay, since: int, only: dict[int, Any] | None, paths: frozenset[str]
) -> dict[str, list[tuple[float, Any]]]:
    """Each of ``paths``' values from position ``since`` on, as (instant, value) steps (the first: its value there)."""
    series = ChangeIndex(replay).series(since, only, paths)
    times = replay.times
    start = times[since - 1] if since else float("-inf")
    return {
        path: [(start, values.start), *((times[change.position], change.value) for change in values.changes)]
        for path, values in series.items()
        if path in paths
    }


def _tables(paths: Sequence[str]) -> dict[int, Any] | None:
    """The tables of the change log (and their keys) that the measured paths are read from; None: every table."""
    only: dict[int, Any] = {}

    def add(table: int, key: Any) -> None:
        if key is EVERY_KEY or only.get(table) is EVERY_KEY:
            only[table] = EVERY_KEY
        else:
            only.setdefault(table, set()).add(key)

    for path in paths:
        steps = path.split(".")
        section = steps[0]
        if section == "ceo":
            add(log.OFFICE, "ceo")
        elif section == "offices" and len(steps) > 1:
            add(log.OFFICE, steps[1])
        elif section == "board":
            add(log.CHAIR if steps[1:] == ["chair"] else log.SEAT, EVERY_KEY)
            if len(steps) == 1:
                add(log.CHAIR, EVERY_KEY)
        elif section == "employees":
            leaf = steps[1] if len(steps) > 1 else ""
            if leaf.startswith("headcount"):
                add(log.HEADCOUNT, EVERY_KEY)
            elif leaf.startswith("open_letter"):
                add(log.SIGNATURES, EVERY_KEY)
            else:
                for table in (log.HEADCOUNT, log.SIGNATURES, log.SIGNATORY):
                    add(table, EVERY_KEY)
        elif section == "people" and len(steps) > 1:
            add(log.PERSON, steps[1])
        elif section == "stakeholders" and len(steps) > 1:
            if steps[2:] != ["board_seat"]:
                add(log.STAKEHOLDER, steps[1])
            if len(steps) == 2 or steps[2] == "board_seat":
                add(log.SEAT, EVERY_KEY)
        elif section == "structure":
            add(log.STRUCTURE, EVERY_KEY)
        elif section == "votes" and len(steps) > 1:
            add(log.VOTE, steps[1])
        else:
            return None
    return only
