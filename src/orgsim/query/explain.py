"""Why a value is what it is at an instant: the event that set it, why that happened, and its but-for causes.

:func:`explain` answers for one path of the state contract (``ceo``,
``board.members``, ``board.chair``, ``stakeholders.microsoft.employs``,
``employees.headcount``...) at one instant:

* the value, or that it is unknown and why;
* the event that set it (read off the change index), with its quote;
* why that event happened: its ``caused_by`` chain back to the roots, each
  with its quote; for an outcome a vote computed, the tally, who was counted
  and the governance rule in force;
* **but-for causes**: the events whose removal alone would change the value,
  each with the value it would have been — found by running the what-if
  engine once per earlier event (a world plan removing it, replayed from the
  base's checkpoint before it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from orgsim.engine.plans import WorldPlan, run_plan
from orgsim.model.governance import count_votes
from orgsim.model.paths import state_field_problem, value_at
from orgsim.model.records import EventRecord
from orgsim.model.state import OrgState
from orgsim.times import in_zone

if TYPE_CHECKING:
    from orgsim.query.world import ReplayedWorld


@dataclass(frozen=True, slots=True)
class Cited:
    """An event as an explanation cites it: when, what, and its first source (quote and translation)."""

    id: str
    at: datetime
    precision: str
    summary: str
    document: str | None
    quote: str | None
    translation: str | None
    depth: int = 0
    """How far from the event explained (its direct causes are 1)."""

    def to_dict(self, tz: str) -> dict[str, Any]:
        """The contract's form of a cited event."""
        return {
            "event": self.id,
            "at": in_zone(self.at, tz).isoformat(),
            "precision": self.precision,
            "summary": self.summary,
            "document": self.document,
            "quote": self.quote,
            "translation": self.translation,
            "depth": self.depth,
        }


@dataclass(frozen=True, slots=True)
class Computed:
    """A value a vote computed: the tally, who was counted, and the rule that counted them."""

    vote: str
    motion: str
    tally: str
    directors: tuple[str, ...]
    ignored: tuple[str, ...]
    rule: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ButFor:
    """An event whose removal alone changes the value: and the value it would have been."""

    event: Cited
    value: Any
    known: bool


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why ``path`` has ``value`` at ``at`` (see the module's documentation)."""

    path: str
    at: datetime
    value: Any
    known: bool
    why_unknown: str | None
    set_by: Cited | None
    causes: tuple[Cited, ...] = ()
    computed: Computed | None = None
    but_for: tuple[ButFor, ...] | None = None
    """None when not looked for; otherwise every but-for cause (possibly none)."""
    considered: int = 0
    """How many earlier events were tried one by one for but-for causes."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self, tz: str) -> dict[str, Any]:
        """The contract's form (see README, ``orgsim explain``)."""
        return {
            "path": self.path,
            "at": in_zone(self.at, tz).isoformat(),
            "value": self.value,
            "known": self.known,
            "why_unknown": self.why_unknown,
            "set_by": None if self.set_by is None else self.set_by.to_dict(tz),
            "causes": [cause.to_dict(tz) for cause in self.causes],
            "computed": None
            if self.computed is None
            else {
                "vote": self.computed.vote,
                "motion": self.computed.motion,
                "tally": self.computed.tally,
                "directors": list(self.computed.directors),
                "not_counted": list(self.computed.ignored),
                "rule": self.computed.rule,
            },
            "but_for": None
            if self.but_for is None
            else [
                {**cause.event.to_dict(tz), "value_without": cause.value, "known_without": cause.known}
                for cause in self.but_for
            ],
            "but_for_considered": self.considered,
            "notes": list(self.notes),
        }


def contract_path(path: str) -> str:
    """``ceo`` and ``ceo.person`` name the CEO's office; other paths are as the contract writes them."""
    return "offices.ceo" if path == "ceo" else path


def cite(event: EventRecord, depth: int = 0) -> Cited:
    """``event`` as an explanation cites it."""
    source = event.sources[0] if event.sources else None
    return Cited(
        event.id,
        event.at,
        event.precision,
        event.summary,
        source.document if source else None,
        source.quote if source else None,
        source.translation if source else None,
        depth,
    )


def explain(timeline: ReplayedWorld, path: str, at: datetime, *, but_for: bool = True) -> Explanation:
    """Why ``path`` has its value at ``at`` in ``timeline`` (see the module's documentation).

    Raises ``ValueError`` for a path that names no field of the state contract.
    """
    problem = state_field_problem(path, timeline.manifest)
    if problem is not None:
        raise ValueError(problem)
    replay = timeline.replay
    count = replay.position(at.timestamp())
    state = replay.state_after(count, at)
    leaf = contract_path(path)
    value = value_at(state, leaf)
    why = state.why_unknown(leaf)
    if why is not None:
        return Explanation(path, at, None, False, why, None)
    setter = _set_by(timeline, leaf, count)
    records = replay.applied
    set_by = cite(records[setter]) if setter is not None else None
    causes = _causes(timeline, records[setter]) if setter is not None else ()
    computed = _computed(timeline, leaf, records, setter, causes)
    notes: list[str] = []
    if setter is None:
        notes.append("no event set this value: it is the state the timeline starts from")
    found: tuple[ButFor, ...] | None = None
    considered = 0
    if but_for:
        found, considered = _but_for(timeline, leaf, count, at, value)
    return Explanation(path, at, value, True, None, set_by, causes, computed, found, considered, tuple(notes))


def _set_by(timeline: ReplayedWorld, path: str, count: int) -> int | None:
    """The position of the event that set the value at ``path`` once ``count`` events have happened."""
    series = timeline.change_series()
    candidates = [key for key in series if key == path or key.startswith(path + ".")]
    if not candidates:  # a whole section, or a leaf under an entry: the entry's latest change
        candidates = [key for key in series if path.startswith(key + ".")]
    positions = [p for p in (series[key].set_by(count) for key in candidates) if p is not None]
    return max(positions) if positions else None


def _causes(timeline: ReplayedWorld, event: EventRecord) -> tuple[Cited, ...]:
    """The ``caused_by`` chain of ``event`` back to its roots, depth first, each event once."""
    basis = timeline.basis()
    seen: set[str] = set()
    found: list[Cited] = []

    def walk(record: EventRecord, depth: int) -> None:
        for cause in record.caused_by:
            if cause in seen:
                continue
            seen.add(cause)
            parent = basis.event(cause)
            if parent is None:
                continue
            found.append(cite(parent, depth))
            walk(parent, depth + 1)

    walk(event, 1)
    return tuple(found)


def _computed(
    timeline: ReplayedWorld, path: str, records: Sequence[EventRecord], setter: int | None, causes: Sequence[Cited]
) -> Computed | None:
    """For a vote's outcome, or a value set by what a vote brought about: how the vote was counted."""
    vote_id = path.split(".")[1] if path.startswith("votes.") else None
    if vote_id is None:
        votes = [cause.id for cause in causes if _kind(timeline, cause.id) == "board_vote"]
        if setter is not None and records[setter].type == "board_vote":
            votes.insert(0, records[setter].id)
        vote_id = votes[0] if votes else None
    if vote_id is None:
        return None
    replay = timeline.replay
    position = _applied_position(timeline, vote_id)
    if position is None:
        return None
    vote: Any = replay.applied[position]
    before: OrgState = replay.state_after(position)
    directors = tuple(sorted(p for p, seat in before.seats.items() if seat.role == "voting"))
    rules = replay.rules
    tally = count_votes(rules, vote.votes, directors, vote.interested)
    return Computed(vote.id, vote.motion, tally.describe(), directors, tally.ignored, rules.model_dump(mode="json"))


def _applied_position(timeline: ReplayedWorld, event_id: str) -> int | None:
    """Where ``event_id`` is among the applied events (found by its instant, then among the events tied there)."""
    record = timeline.basis().event(event_id)
    if record is None:
        return None
    replay = timeline.replay
    position = replay.position(record.at.timestamp()) - 1
    applied, epoch = replay.applied, replay.times[position] if position >= 0 else None
    while position >= 0 and replay.times[position] == epoch:
        if applied[position].id == event_id:
            return position
        position -= 1
    return None


def _kind(timeline: ReplayedWorld, event_id: str) -> str | None:
    record = timeline.basis().event(event_id)
    return None if record is None else record.type


def _but_for(
    timeline: ReplayedWorld, path: str, count: int, at: datetime, value: Any
) -> tuple[tuple[ButFor, ...], int]:
    """Every event up to ``at`` whose removal alone changes ``path`` at ``at``: one what-if world each."""
    basis = timeline.basis()
    applied = timeline.replay.applied
    found: list[ButFor] = []
    considered = 0
    for position in range(count):
        event = applied[position]
        if event.id not in basis.positions or event.type == "statement":
            continue  # a generated event is not the base's to remove; a statement changes no state
        considered += 1
        plan = WorldPlan(removed=((event.id, "removed to test it as a but-for cause"),), policy="skip")
        replay, _ = run_plan(basis, plan)
        other = replay.state_after(replay.position(at.timestamp()), at)
        known = other.is_known(path)
        without = value_at(other, path)
        if without != value or not known:
            found.append(ButFor(cite(event), without, known))
    return tuple(found), considered
