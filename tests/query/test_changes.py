"""The change index says which event set each value: checked against walking every state."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgsim.model.paths import value_at
from orgsim.model.state import OrgState
from orgsim.query.changes import ChangeIndex
from orgsim.query.diff import flatten
from orgsim.testing.strategies import START, timelines
from orgsim.timeline import Timeline


def _headline(state: OrgState) -> dict[str, Any]:
    board = state.board
    values: dict[str, Any] = {
        "ceo": state.ceo,
        "board.members": (board.members, board.observers, board.independent) if board else None,
        "board.chair": state.chair,
        "employees.headcount": (state.headcount, state.headcount_qualifier),
        "employees.open_letter_signatories": (
            state.open_letter_signatories,
            state.signatures_qualifier,
            frozenset(state.signatories),
        ),
        "structure": state.structure,
    }
    for sid, stakeholder in state.stakeholders.items():
        values[f"stakeholders.{sid}"] = stakeholder
    return values


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(), st.integers(0, 130))
def test_provenance_names_the_event_that_set_each_headline_value(timeline: Timeline, hours: int) -> None:
    moment = START + timedelta(hours=hours)
    expected: dict[str, str] = {}
    before = _headline(timeline.initial_state())
    for event, state in timeline.history():
        if event.at > moment:
            break
        after = _headline(state)
        for key, value in after.items():
            if before.get(key) != value:
                expected[key] = event.id
        before = after
    assert {key: event.id for key, event in timeline.provenance(moment).items()} == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(), st.data())
def test_each_series_follows_the_states_event_by_event(timeline: Timeline, data: st.DataObject) -> None:
    since = data.draw(st.integers(0, len(timeline)))
    series = ChangeIndex(timeline.replay).series(since)
    states = [timeline.replay.state_after(count) for count in range(since, len(timeline) + 1)]
    changed = set()
    for before, after in pairwise(states):
        a, b = flatten(before), flatten(after)
        changed |= {p for p in a.keys() | b.keys() if a.get(p) != b.get(p) and not p.endswith(".name")}
    assert changed <= series.keys()
    for path, found in series.items():
        for offset, state in enumerate(states):
            assert found.value_after(since + offset) == value_at(state, path), (path, since + offset)
