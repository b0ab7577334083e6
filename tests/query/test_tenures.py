"""Tenures read off the change log agree with reading who held what off the state at every instant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings

from orgsim.query.tenures import tenures
from orgsim.testing.strategies import timelines
from orgsim.timeline import Timeline

SETS_OFFICES = {"office_assigned", "office_vacated", "person_left", "staff_departed"}
SETS_SEATS = {"board_seat_added", "board_seat_removed"}
SETS_CHAIR = {"chair_set", "chair_cleared", "board_seat_removed"}


def _by_instant(timeline: Timeline) -> list[tuple[str, str, str, Any, datetime, datetime | None]]:
    """(kind, key, person, detail, start, end) for every holding, from the state after each instant's last event."""
    replay = timeline.replay
    instants = sorted(set(replay.times))
    found = []
    open_: dict[tuple[str, str], tuple[str, Any, datetime]] = {}

    def held(state: Any) -> dict[tuple[str, str], tuple[str, Any]]:
        now: dict[tuple[str, str], tuple[str, Any]] = {}
        for office, holder in state.offices.items():
            if holder is not None:
                now[("office", office)] = (holder.person, holder.interim)
        for person, seat in state.seats.items():
            now[("board", person)] = (person, seat.role)
        if state.chair:  # neither vacant (None) nor unknown (UNKNOWN, falsy)
            now[("chair", "chair")] = (state.chair, "chair")
        return now

    for epoch in instants:
        state = timeline.state_at_epoch(epoch)
        moment = replay.applied[replay.position(epoch) - 1].at
        now = held(state)
        for key in list(open_):
            person, detail, start = open_[key]
            if now.get(key) != (person, detail):
                found.append((key[0], key[1], person, detail, start, moment))
                del open_[key]
        for key, (person, detail) in now.items():
            if key not in open_:
                open_[key] = (person, detail, moment)
    for key, (person, detail, start) in open_.items():
        found.append((key[0], key[1], person, detail, start, None))
    return sorted(found, key=repr)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_tenures_match_the_states_at_every_instant(timeline: Timeline) -> None:
    applied = timeline.replay.applied
    found = []
    for held in tenures(timeline.replay):
        detail = held.interim if held.kind == "office" else held.role
        end = None if held.end is None else applied[held.end].at
        found.append((held.kind, held.key, held.person, detail, applied[held.start].at, end))
        began = applied[held.start]
        assert began.type in {"office": SETS_OFFICES, "board": SETS_SEATS, "chair": SETS_CHAIR}[held.kind], began
        if held.end is not None:
            assert applied[held.end].at > began.at
    assert sorted(found, key=repr) == _by_instant(timeline)
