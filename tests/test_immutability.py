"""Read-only means read-only: nothing the API hands out can change a later answer; a failed event writes nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import timedelta
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgsim.engine.transitions import TRANSITIONS
from orgsim.engine.working import WorkingState
from orgsim.errors import OrgsimError
from orgsim.model.events import EVENT_ADAPTER
from orgsim.model.records import to_record
from orgsim.query.divergence import divergence
from orgsim.testing.strategies import START, candidate_events, interventions, timelines
from orgsim.timeline import Timeline
from orgsim.whatif.scenarios import Scenario

JUNK = object()


def _answers(timeline: Timeline) -> Any:
    """Everything a user could read back, as plain data."""
    probes = [START + timedelta(hours=h) for h in range(0, 140, 7)]
    return (
        [timeline.state_at(p).to_dict() for p in probes],
        [e.model_dump() for e in timeline.events],
        [r.values() for r in timeline.records],
        [(d.event.id, d.reason, d.chain) for d in timeline.dropped],
        dict(timeline.origins),
        timeline.manifest.model_dump(),
        timeline.rules.model_dump(),
    )


def _attack(value: Any, depth: int = 0, seen: set[int] | None = None) -> None:
    """Try every ordinary way of changing ``value`` and what it holds (errors are the point, and are ignored)."""
    seen = set() if seen is None else seen
    if depth > 4 or id(value) in seen or isinstance(value, (str, bytes, int, float, bool, type(None))):
        return
    if isinstance(value, (type, ModuleType)) or callable(value):
        return  # code, not data: replacing a class's attributes is monkeypatching, not using the API
    seen.add(id(value))
    attempts: list[Any] = []
    if isinstance(value, Mapping) or hasattr(value, "__setitem__"):
        keys = list(value.keys())[:3] if isinstance(value, Mapping) else [0]
        for key in keys:
            attempts += [
                lambda k=key: value.__setitem__(k, JUNK),
                lambda k=key: value.__delitem__(k),
                lambda k=key: value.pop(k),
            ]
        attempts += [lambda: value.clear(), lambda: value.update({"x": JUNK}), lambda: value.setdefault("x", JUNK)]
    for method in ("append", "extend", "insert", "remove", "sort", "reverse", "add", "discard"):
        if hasattr(value, method):
            attempts.append(lambda m=method: getattr(value, m)(JUNK))
    names = [n for n in dir(value) if not n.startswith("_")]
    for name in names:  # setting an attribute on an instance never reaches its class
        attempts.append(lambda n=name: setattr(value, n, JUNK))
    for attempt in attempts:
        with contextlib.suppress(Exception):
            attempt()
    children: list[Any] = []
    if isinstance(value, Mapping):
        children += list(value.values())[:5]
    elif isinstance(value, (tuple, list)):
        children += list(value[:5])
    for name in names[:40]:
        owner = getattr(type(value), name, None)
        if owner is not None and not isinstance(owner, property):
            continue  # the class's (its methods, its metadata), not the instance's data
        with contextlib.suppress(Exception):
            children.append(getattr(value, name))
    for child in children:
        _attack(child, depth + 1, seen)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(max_size=25), st.data())
def test_nothing_handed_out_can_change_a_later_answer(timeline: Timeline, data: st.DataObject) -> None:
    try:
        world = Scenario(title="random", interventions=data.draw(interventions(timeline))).run(timeline)
    except OrgsimError:
        world = None
    before = _answers(timeline)
    world_before = _answers(world) if world is not None else None
    story = divergence(timeline, world).to_dict() if world is not None else None
    handed_out: list[Any] = [
        timeline.final_state(),
        timeline.initial_state(),
        timeline.state_at(START + timedelta(hours=10)),
        timeline.events,
        timeline.records,
        timeline.dropped,
        timeline.origins,
        timeline.manifest,
        timeline.rules,
        timeline.replay,
        timeline.basis(),
    ]
    handed_out += [state for _, state in timeline.history()]
    if world is not None:
        handed_out += [world, world.plan, world.scenario, world.final_state(), world.events, world.dropped]
    for item in handed_out:
        _attack(item)
    assert _answers(timeline) == before
    if world is not None:
        assert _answers(world) == world_before
        assert divergence(timeline, world).to_dict() == story


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(max_size=25), st.data())
def test_an_event_that_cannot_apply_writes_nothing(timeline: Timeline, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(timeline)))
    state = timeline.replay.state_after(position)
    fields = data.draw(candidate_events)
    event = to_record(
        EVENT_ADAPTER.validate_python(
            {"id": "probe", "at": START, "precision": "hour", "summary": "s", "rationale": "probe", **fields}
        )
    )
    log = timeline.replay.changes.fork(position)
    ws = WorkingState.thaw(state, log=log)
    ws.position = position
    counts = [log.count(table) for table in range(10)]
    holding = dict(ws.holding())
    try:
        TRANSITIONS[event.type](ws, event)
    except OrgsimError:
        assert ws.freeze() == state
        assert ws.freeze().to_dict() == state.to_dict()
        assert [log.count(table) for table in range(10)] == counts
        assert dict(ws.holding()) == holding
    else:
        written = sum(log.count(table) for table in range(10)) - sum(counts)
        assert written > 0 or ws.freeze() == state  # whatever changed the state was recorded


def test_a_manifest_refuses_every_attribute_it_works_out(bundled: Timeline) -> None:
    # Pydantic's frozen check covers fields only: the coverage intervals worked out (and cached) from them must be
    # as read-only as the fields, or replacing them would change every later answer about what the timeline knows.
    manifest = bundled.manifest
    before = bundled.state_at("2023-11-18T12:00").to_dict()
    for name in ("coverage_spans", "coverage_epochs", "anything"):
        with pytest.raises(AttributeError, match="read-only"):
            setattr(manifest, name, {})
    with pytest.raises(AttributeError, match="read-only"):
        del manifest.coverage_spans
    assert bundled.state_at("2023-11-18T12:00").to_dict() == before
