"""Divergence read off the change index agrees with comparing the two worlds' states at every instant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import orgsim
from orgsim.errors import OrgsimError
from orgsim.query.diff import flatten
from orgsim.query.divergence import divergence
from orgsim.testing.strategies import interventions, timelines
from orgsim.timeline import Timeline
from orgsim.whatif.scenarios import Scenario


def _by_brute_force(history: Timeline, world: Timeline) -> dict[str, list[tuple[datetime, datetime | None, Any, Any]]]:
    """Each path's intervals of difference, from the flattened states at every instant either world has events."""
    instants = sorted(set(history.replay.times) | set(world.replay.times))
    found: dict[str, list[tuple[datetime, datetime | None, Any, Any]]] = {}
    opened: dict[str, tuple[datetime, Any, Any]] = {}
    for epoch in instants:
        moment = datetime.fromtimestamp(epoch, tz=UTC)
        # divergence reports a value neither world knows as the contract's null (see the note in its module)
        a, b = (
            {path: None if value is orgsim.UNKNOWN else value for path, value in flatten(state).items()}
            for state in (history.state_at_epoch(epoch), world.state_at_epoch(epoch))
        )
        differing = {p for p in a.keys() | b.keys() if a.get(p) != b.get(p) and not p.endswith(".name")}
        for path in list(opened):
            start, old, new = opened[path]
            if path not in differing or (a.get(path), b.get(path)) != (old, new):
                del opened[path]
                found.setdefault(path, []).append((start, moment, old, new))
        for path in differing - opened.keys():
            opened[path] = (moment, a.get(path), b.get(path))
    for path, (start, old, new) in opened.items():
        found.setdefault(path, []).append((start, None, old, new))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(), st.data())
def test_divergence_matches_comparing_states_at_every_instant(timeline: Timeline, data: st.DataObject) -> None:
    scenario = Scenario(title="random", interventions=data.draw(interventions(timeline)))
    try:
        world = scenario.run(timeline)
    except OrgsimError:
        return
    story = divergence(timeline, world)
    found = {f.path: [(i.start, i.end, i.history, i.what_if) for i in f.intervals] for f in story.fields}
    assert found == _by_brute_force(timeline, world)
    starts = [i.start for f in story.fields for i in f.intervals]
    assert story.first == (min(starts) if starts else None)
    for item in story.fields:
        for interval in item.intervals:
            assert interval.because, f"{item.path} diverges at {interval.start} for no stated reason"
