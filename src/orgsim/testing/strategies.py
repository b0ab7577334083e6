"""Hypothesis strategies for random valid timelines and random what-ifs, for tests of tools built on orgsim.

Needs hypothesis (``pip install hypothesis``; the dev extras have it).

>>> from hypothesis import given, settings
>>> @settings(max_examples=5, deadline=None)
... @given(timelines())
... def check(timeline):
...     assert timeline.state_at(START + timedelta(days=30)) == timeline.final_state()
>>> check()
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from orgsim.engine.transitions import apply
from orgsim.engine.working import WorkingState
from orgsim.errors import ConflictError
from orgsim.model.events import EVENT_ADAPTER, EventBase
from orgsim.model.manifest import Manifest, Organisation, Person
from orgsim.timeline import Timeline
from orgsim.whatif.interventions import Change, Insert, Remove

PEOPLE = tuple(f"p{i}" for i in range(6))
"""The people of :data:`MANIFEST`."""

MANIFEST = Manifest(
    name="random",
    organisation="org",
    home_zone="UTC",
    people={p: Person(name=p.upper()) for p in PEOPLE},
    organisations={"inv": Organisation(name="Investor")},
)
"""The manifest random timelines are replayed under: six people and one investor."""

START = datetime(2020, 1, 1, tzinfo=UTC)
"""The instant random timelines start from (events follow at whole hours)."""

person = st.sampled_from(PEOPLE)
office = st.sampled_from(["ceo", "cto", "president"])

KINDS: dict[str, Any] = {
    "person_joined": st.fixed_dictionaries({"type": st.just("person_joined"), "person": person}),
    "person_left": st.fixed_dictionaries(
        {"type": st.just("person_left"), "person": person, "reason": st.sampled_from(["fired", "resigned"])}
    ),
    "office_assigned": st.fixed_dictionaries(
        {"type": st.just("office_assigned"), "person": person, "office": office, "interim": st.booleans()}
    ),
    "office_vacated": st.fixed_dictionaries({"type": st.just("office_vacated"), "person": person, "office": office}),
    "board_seat_added": st.fixed_dictionaries(
        {
            "type": st.just("board_seat_added"),
            "person": person,
            "independent": st.booleans(),
            "role": st.sampled_from(["voting", "voting", "observer"]),
            "representing": st.sampled_from([None, "inv"]),
        }
    ),
    "board_seat_removed": st.fixed_dictionaries({"type": st.just("board_seat_removed"), "person": person}),
    "chair_set": st.fixed_dictionaries({"type": st.just("chair_set"), "person": person}),
    "chair_cleared": st.fixed_dictionaries({"type": st.just("chair_cleared")}),
    "headcount_reported": st.fixed_dictionaries({"type": st.just("headcount_reported"), "count": st.integers(0, 2000)}),
    "signatures_reported": st.fixed_dictionaries(
        {
            "type": st.just("signatures_reported"),
            "count": st.integers(0, 2000),
            "signatories": st.lists(person, max_size=3, unique=True),
        }
    ),
    "staff_departed": st.fixed_dictionaries(
        {
            "type": st.just("staff_departed"),
            "count": st.integers(0, 50),
            "people": st.lists(person, max_size=2, unique=True),
            "destination": st.sampled_from([None, "inv"]),
        }
    ),
    "leave_started": st.fixed_dictionaries({"type": st.just("leave_started"), "person": person}),
    "leave_ended": st.fixed_dictionaries({"type": st.just("leave_ended"), "person": person}),
    "stakeholder_changed": st.fixed_dictionaries(
        {"type": st.just("stakeholder_changed"), "stakeholder": st.just("inv"), "invested_usd": st.floats(0, 1e9)}
    ),
    "board_vote": st.fixed_dictionaries(
        {
            "type": st.just("board_vote"),
            "motion": st.just("A motion"),
            "votes": st.dictionaries(person, st.sampled_from(["yes", "no", "abstain", "absent"]), max_size=6),
        }
    ),
    "structure_changed": st.fixed_dictionaries(
        {"type": st.just("structure_changed"), "structure": st.sampled_from(["a", "b"])}
    ),
    "statement": st.fixed_dictionaries({"type": st.just("statement")}),
}
"""A strategy for the kind-specific fields of each kind of event (``type`` included)."""

candidate_events = st.one_of(*KINDS.values())
"""The kind-specific fields of a random event (``type`` included), valid or not in the state it meets."""


@st.composite
def timelines(draw: Any, max_size: int = 40) -> Timeline:
    """A random valid timeline under :data:`MANIFEST` (candidates that conflict with the state met are left out)."""
    raw = draw(st.lists(st.tuples(candidate_events, st.integers(0, 3)), min_size=1, max_size=max_size))
    state = WorkingState(MANIFEST).freeze()
    events: list[EventBase] = []
    when = START
    for index, (fields, gap) in enumerate(raw):
        when = when + timedelta(hours=gap)
        event = EVENT_ADAPTER.validate_python(
            {"id": f"e{index}", "at": when, "precision": "hour", "summary": "s", "rationale": "random", **fields}
        )
        try:
            state = apply(state, event)
        except ConflictError:
            continue
        events.append(event)
    interval = draw(st.integers(1, 8))
    return Timeline.from_events(MANIFEST, events, interval=interval)


@st.composite
def interventions(draw: Any, timeline: Timeline, max_size: int = 4) -> list[Remove | Change | Insert]:
    """Random removals, changes and insertions on ``timeline`` (some naming no event, some invalid)."""
    events = {e.id: e for e in timeline.events}
    ids = st.sampled_from([*events, *events, *events, "missing-event"]) if events else st.just("missing-event")
    found: list[Remove | Change | Insert] = []
    for _ in range(draw(st.integers(0, max_size))):
        kind = draw(st.sampled_from(["remove", "remove", "change", "change", "insert"]))
        target = draw(ids)
        if kind == "remove":
            found.append(Remove(remove=target))
        elif kind == "change":
            own = events[target].type if target in events else "statement"  # type: ignore[attr-defined]
            fields = draw(KINDS[own] if draw(st.booleans()) else candidate_events)
            changed = {k: v for k, v in fields.items() if k != "type"} or {"summary": "x"}
            if draw(st.booleans()):
                changed["at"] = (START + timedelta(hours=draw(st.integers(0, 100)))).isoformat()
            found.append(Change(change=target, set=changed))
        else:
            fields = draw(candidate_events)
            hours = draw(st.integers(0, 100))
            found.append(
                Insert(
                    insert={
                        "id": draw(st.sampled_from(["new-a", "new-b"])),
                        "at": (START + timedelta(hours=hours)).isoformat(),
                        "precision": "hour",
                        "summary": "inserted",
                        "rationale": "what if",
                        **fields,
                    }
                )
            )
    return found
