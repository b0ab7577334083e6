"""The uncertain inputs of a scenario, compiled against its base into factors a sweep draws from.

A scenario's ``uncertain:`` section (:mod:`orgsim.whatif.scenarios`) says
what is unsure, in the user's terms: how a director votes, whether an event
happens, when, a count, which of two versions. Compiling checks each input
against the base (the event exists and is of the right kind, the director is
known) and turns it into a :class:`Factor`: a finite list of alternatives
with their probabilities, or a continuous window, and how one value edits a
world (:class:`Edits`). The space of worlds (:mod:`orgsim.sweeps.space`) is
the product of the factors.

>>> import orgsim
>>> from orgsim.whatif.uncertainty import UncertainVote
>>> vote = UncertainVote(id="s", vote="2023-11-17-board-votes-to-remove-altman", director="ilya-sutskever", yes=0.75)
>>> factor = compile_input(vote, 1, orgsim.load_timeline().basis(), "America/Los_Angeles")
>>> factor.labels, factor.weights
(('yes', 'no'), (0.75, 0.25))
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from random import Random
from typing import Any

from orgsim.engine.plans import Basis
from orgsim.errors import OrgsimError, ScenarioError
from orgsim.io.checks import STATED_END_SUFFIX
from orgsim.model.records import EventRecord
from orgsim.sweeps.times import between_window, jitter_window, precision_window
from orgsim.whatif.uncertainty import (
    UncertainChoice,
    UncertainCount,
    UncertainHappens,
    UncertainInput,
    UncertainTime,
    UncertainTimes,
    UncertainVote,
    uncertain_kind,
)

TIME_BINS = 4
"""A continuous time input is told apart, in the influence ranking, by the quarter of its window it fell in."""


@dataclass(slots=True)
class Edits:
    """What one world changes of its base, gathered from its factors' values before the plan is built."""

    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Event id -> field -> new value (``votes`` hold only the directors changed)."""
    epochs: dict[str, float] = field(default_factory=dict)
    """Event id -> its new instant, as a Unix timestamp."""
    removed: dict[str, str] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)

    def set(self, event_id: str, name: str, value: Any) -> None:
        """Set field ``name`` of event ``event_id`` to ``value``."""
        self.fields.setdefault(event_id, {})[name] = value

    def vote(self, event_id: str, director: str, value: str) -> None:
        """Make ``director`` vote ``value`` in vote ``event_id``."""
        self.fields.setdefault(event_id, {}).setdefault("votes", {})[director] = value


class Factor:
    """One uncertain input, compiled: its alternatives (or window) and how a value edits a world."""

    __slots__ = ("_cumulative", "id", "kind", "labels", "weights")

    def __init__(self, id: str, kind: str, labels: Sequence[str], weights: Sequence[float] | None) -> None:
        self.id = id
        self.kind = kind
        self.labels: tuple[str, ...] = tuple(labels)
        """How each alternative (or each quarter of a continuous window) is named in results."""
        self.weights: tuple[float, ...] | None = None if weights is None else tuple(weights)
        """Each alternative's probability; None for a continuous input."""
        self._cumulative = None if weights is None else list(accumulate(weights))

    @property
    def finite(self) -> bool:
        """Whether the input has a finite list of alternatives (it can be enumerated)."""
        return self.weights is not None

    def draw(self, rng: Random) -> Any:
        """A value drawn at random: an alternative's index, or a uniform number in [0, 1) per window."""
        cumulative = self._cumulative
        if cumulative is None:
            return rng.random()
        return min(bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)

    def label(self, value: Any) -> int | None:
        """Which of :attr:`labels` ``value`` falls under (None: none is meaningful)."""
        if self._cumulative is not None:
            return int(value)
        return min(int(value * TIME_BINS), TIME_BINS - 1)

    def apply(self, value: Any, edits: Edits) -> None:
        """Write what ``value`` means into ``edits``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}: {', '.join(self.labels)}>"


class VoteFactor(Factor):
    """A director's vote in a recorded board vote."""

    __slots__ = ("director", "event_id")

    def __init__(self, id: str, event_id: str, director: str, alternatives: Sequence[tuple[str, float]]) -> None:
        super().__init__(id, "vote", [value for value, _ in alternatives], [p for _, p in alternatives])
        self.event_id, self.director = event_id, director

    def apply(self, value: Any, edits: Edits) -> None:
        edits.vote(self.event_id, self.director, self.labels[value])


class HappensFactor(Factor):
    """A recorded event happens, or is removed with what follows from it."""

    __slots__ = ("event_id", "reason")

    def __init__(self, id: str, event_id: str, p: float) -> None:
        super().__init__(id, "happens", ["happens", "removed"], [p, 1.0 - p])
        self.event_id = event_id
        self.reason = f"was removed by uncertain input {id!r}"

    def apply(self, value: Any, edits: Edits) -> None:
        if value == 1:
            edits.removed[self.event_id] = self.reason


class ChoiceFactor(Factor):
    """Exactly one of several recorded events: the others are hidden (left out without consequence)."""

    __slots__ = ()

    def __init__(self, id: str, alternatives: Sequence[tuple[str, float]]) -> None:
        super().__init__(id, "choice", [event for event, _ in alternatives], [p for _, p in alternatives])

    def apply(self, value: Any, edits: Edits) -> None:
        edits.hidden.update(event for index, event in enumerate(self.labels) if index != value)


class CountFactor(Factor):
    """The count a recorded event reports."""

    __slots__ = ("counts", "event_id")

    def __init__(self, id: str, event_id: str, alternatives: Sequence[tuple[int, float]]) -> None:
        super().__init__(id, "count", [str(count) for count, _ in alternatives], [p for _, p in alternatives])
        self.event_id = event_id
        self.counts = tuple(count for count, _ in alternatives)

    def apply(self, value: Any, edits: Edits) -> None:
        edits.set(self.event_id, "count", self.counts[value])


class TimeFactor(Factor):
    """When one recorded event happens: uniformly inside a window."""

    __slots__ = ("event_id", "high", "low")

    def __init__(self, id: str, event_id: str, low: float, high: float) -> None:
        quarters = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"]
        super().__init__(id, "time", [f"{q} of its window" for q in quarters], None)
        self.event_id, self.low, self.high = event_id, low, high

    def apply(self, value: Any, edits: Edits) -> None:
        edits.epochs[self.event_id] = self.low + value * (self.high - self.low)


class TimesFactor(Factor):
    """Many events, each at any instant of its precision window, in the timeline's order.

    The timeline's order is kept: it is evidence too (an event recorded
    before another, or before it in its file at the same instant, is taken
    to come first). So the events are drawn one after another, each
    uniformly in what its window leaves: not before the event recorded
    before it, and not so late that a later event's window could no longer
    hold the rest. Events recorded at one instant with one precision and zone
    move together; events not sampled (minute-precise, or not chosen) stay
    where they are, and bound the others the same way.
    """

    __slots__ = ("caps", "groups", "lows", "moving")

    def __init__(self, id: str, groups: Sequence[tuple[tuple[str, ...], float, float, bool]]) -> None:
        super().__init__(id, "times", ["sampled"], None)
        self.groups = tuple((ids, low, high) for ids, low, high, _ in groups)
        """Every event, grouped, in the timeline's order: (ids, first instant, last instant)."""
        self.moving = tuple(index for index, group in enumerate(groups) if group[3])
        """The groups that are sampled (the others are fixed points)."""
        self.lows = tuple(low for _, low, _, _ in groups)
        caps: list[float] = []
        cap = float("inf")
        for _, _, high, _ in reversed(groups):
            cap = min(cap, high)
            caps.append(cap)
        caps.reverse()
        self.caps = tuple(caps)
        """For each group, the earliest last instant of it and every group after it."""

    def draw(self, rng: Random) -> Any:
        return tuple(rng.random() for _ in self.moving)

    def label(self, value: Any) -> int | None:
        return None  # one input of many dimensions: not ranked

    def instants(self, value: Any) -> list[float]:
        """Each group's instant for the uniform numbers ``value`` (one per moving group)."""
        found: list[float] = []
        previous = float("-inf")
        draws = dict(zip(self.moving, value, strict=True))
        for index, (low, cap) in enumerate(zip(self.lows, self.caps, strict=True)):
            u = draws.get(index)
            if u is None:
                moment = low  # a fixed point: its own instant
            else:
                first = max(low, previous)
                moment = first + u * (cap - first)
            found.append(moment)
            previous = max(previous, moment)
        return found

    def apply(self, value: Any, edits: Edits) -> None:
        epochs = edits.epochs
        moments = self.instants(value)
        for index in self.moving:
            for event_id in self.groups[index][0]:
                epochs[event_id] = moments[index]


def compile_inputs(
    inputs: Sequence[UncertainInput],
    basis: Basis,
    home_zone: str,
    *,
    origin: str | None = None,
    removed: Sequence[str] = (),
    board_as_recorded: bool = True,
) -> list[Factor]:
    """Each of a scenario's uncertain ``inputs``, checked against ``basis`` and compiled into a :class:`Factor`.

    ``removed`` are the events the scenario's interventions take out: an input may not name one.
    ``board_as_recorded`` says the scenario has no interventions, so a vote's directors are the recorded board's:
    an uncertain ballot of someone without a voting seat there would count for nothing, and is refused.
    Errors are :class:`~orgsim.errors.ScenarioError` naming the file (``origin``), the input and the field.
    """
    factors: list[Factor] = []
    claimed: dict[tuple[str, str], str] = {}
    for number, item in enumerate(inputs, 1):
        factor = compile_input(
            item, number, basis, home_zone, origin=origin, removed=removed, board_as_recorded=board_as_recorded
        )
        for target in _targets(factor):
            if target in claimed:
                raise _fail(
                    number,
                    item,
                    f"{target[1]} of event {target[0]!r} is already uncertain in {claimed[target]!r}",
                    origin,
                    None,
                )
            claimed[target] = item.id
        factors.append(factor)
    return factors


def _targets(factor: Factor) -> list[tuple[str, str]]:
    """What a factor changes, so that two inputs cannot change the same thing."""
    if isinstance(factor, VoteFactor):
        return [(factor.event_id, f"the vote of {factor.director}")]
    if isinstance(factor, HappensFactor | ChoiceFactor):
        ids = [factor.event_id] if isinstance(factor, HappensFactor) else list(factor.labels)
        return [(event_id, "whether it happens") for event_id in ids]
    if isinstance(factor, CountFactor):
        return [(factor.event_id, "the count")]
    if isinstance(factor, TimeFactor):
        return [(factor.event_id, "the time")]
    if isinstance(factor, TimesFactor):
        return [(event_id, "the time") for ids, _, _ in factor.groups for event_id in ids]
    return []


def _fail(number: int, item: UncertainInput, message: str, origin: str | None, field: str | None) -> ScenarioError:
    kind = uncertain_kind(item) or "?"
    return ScenarioError(
        f"uncertain input {number} {item.id!r} ({kind}): {message}",
        file=origin,
        field=f"uncertain.{field}" if field else "uncertain",
    )


def compile_input(
    item: UncertainInput,
    number: int,
    basis: Basis,
    home_zone: str,
    *,
    origin: str | None = None,
    removed: Sequence[str] = (),
    board_as_recorded: bool = False,
) -> Factor:
    """One uncertain input compiled into its :class:`Factor` (see :func:`compile_inputs`)."""

    def known(event_id: str, field: str) -> EventRecord:
        record = basis.event(event_id)
        if record is None:
            raise _fail(number, item, f"no event {event_id!r} in timeline {basis.manifest.name!r}", origin, field)
        if event_id in removed:
            raise _fail(number, item, f"event {event_id!r} is removed by the scenario's interventions", origin, field)
        return record

    try:
        if isinstance(item, UncertainVote):
            record = known(item.vote, "vote")
            if record.type != "board_vote":
                raise _fail(number, item, f"event {item.vote!r} is a {record.type}, not a board_vote", origin, "vote")
            if item.director not in basis.manifest.people:
                raise _fail(number, item, f"unknown person {item.director!r}", origin, "director")
            if board_as_recorded:
                seat = basis.replay.state_after(basis.positions[item.vote]).seats.get(item.director)
                if seat is None or seat.role != "voting":
                    raise _fail(
                        number,
                        item,
                        f"{item.director!r} has no voting seat on the board at {item.vote!r}: the ballot would count "
                        "for nothing (seat them with an intervention first)",
                        origin,
                        "director",
                    )
            return VoteFactor(item.id, item.vote, item.director, item.alternatives())
        if isinstance(item, UncertainHappens):
            known(item.happens, "happens")
            return HappensFactor(item.id, item.happens, item.p)
        if isinstance(item, UncertainChoice):
            for option in item.choice:
                known(option.event, "choice.event")
            return ChoiceFactor(item.id, item.alternatives())
        if isinstance(item, UncertainCount):
            record = known(item.count, "count")
            if "count" not in record.field_names:
                raise _fail(number, item, f"event {item.count!r} ({record.type}) reports no count", origin, "count")
            return CountFactor(item.id, item.count, item.alternatives())
        if isinstance(item, UncertainTime):
            record = known(item.time, "time")
            if item.between is not None:
                low, high = between_window(item.between[0], item.between[1], home_zone)
                field = "between"
            elif item.jitter is not None:
                low, high = jitter_window(record, item.jitter)
                field = "jitter"
            else:
                low, high = precision_window(record, home_zone)
                field = "within"
                if low == high:
                    raise _fail(number, item, f"event {item.time!r} is minute-precise: it has no window", origin, field)
            return TimeFactor(item.id, item.time, low, high)
        assert isinstance(item, UncertainTimes)
        return _times_factor(item, number, basis, home_zone, known, origin)
    except ScenarioError:
        raise
    except OrgsimError as error:  # a time that cannot be read
        raise _fail(number, item, error.message, origin, None) from None


def _times_factor(
    item: UncertainTimes, number: int, basis: Basis, home_zone: str, known: Any, origin: str | None
) -> TimesFactor:
    low = high = None
    if item.start is not None or item.end is not None:
        low, high = between_window(item.start or "1800", item.end or "2200", home_zone)
    chosen = {known(event_id, "events").id for event_id in item.events} if item.events is not None else None
    groups: list[tuple[tuple[str, ...], float, float, bool]] = []
    keys: list[tuple[float, str, str | None] | None] = []
    for record in basis.records:
        epoch = record.at.timestamp()
        window = precision_window(record, home_zone)
        moving = (
            window[0] != window[1]
            and (chosen is None or record.id in chosen)
            and (low is None or high is None or low <= epoch <= high)
            and not record.id.endswith(STATED_END_SUFFIX)  # a leave's stated end moves with its until alone
            and not record.generated_by
        )
        key = (epoch, record.precision, record.zone) if moving else None
        if moving and keys and keys[-1] == key:
            ids, first, last, _ = groups[-1]
            groups[-1] = ((*ids, record.id), first, last, True)
            continue
        groups.append(((record.id,), *(window if moving else (epoch, epoch)), moving))
        keys.append(key)
    if not any(group[3] for group in groups):
        raise _fail(number, item, "no event with an hour, day, month or year precision to sample", origin, "times")
    return TimesFactor(item.id, groups)
