"""Property tests of the engine's invariants on random valid timelines."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from orgsim import OrgsimError
from orgsim.engine.transitions import apply, apply_to
from orgsim.engine.working import WorkingState
from orgsim.testing import strategies
from orgsim.timeline import Timeline
from orgsim.whatif.scenarios import Change, Insert, Remove, Scenario

MANIFEST = strategies.MANIFEST
START = strategies.START
candidate = strategies.candidate_events
timelines = strategies.timelines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(), st.integers(-2, 130))
def test_state_at_equals_folding_the_events_up_to_t(timeline: Timeline, hours: int) -> None:
    moment = START + timedelta(hours=hours)
    expected = timeline.initial_state()
    for event in timeline.events:
        if event.at <= moment:
            expected = apply(expected, event)
    assert timeline.state_at(moment) == expected


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_history_ends_in_the_final_state_and_snapshots_stay_put(timeline: Timeline) -> None:
    snapshots = [(state, state.to_dict()) for _, state in timeline.history()]
    if snapshots:
        assert snapshots[-1][0] == timeline.final_state()
    for state, frozen in snapshots:
        assert state.to_dict() == frozen


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(), st.data())
def test_random_interventions_raise_only_typed_errors(timeline: Timeline, data: st.DataObject) -> None:
    ids = [e.id for e in timeline.events] + ["missing-event"]
    interventions: list[Any] = []
    for _ in range(data.draw(st.integers(0, 4))):
        kind = data.draw(st.sampled_from(["remove", "change", "insert"]))
        target = data.draw(st.sampled_from(ids))
        if kind == "remove":
            interventions.append(Remove(remove=target))
        elif kind == "change":
            fields = data.draw(candidate)
            interventions.append(
                Change(change=target, set={k: v for k, v in fields.items() if k != "type"} or {"summary": "x"})
            )
        else:
            fields = data.draw(candidate)
            hours = data.draw(st.integers(0, 100))
            interventions.append(
                Insert(
                    insert={
                        "id": data.draw(st.sampled_from(["new-a", "new-b"])),
                        "at": (START + timedelta(hours=hours)).isoformat(),
                        "precision": "hour",
                        "summary": "inserted",
                        "rationale": "what if",
                        **fields,
                    }
                )
            )
    scenario = Scenario(
        title="random", interventions=interventions, policy=data.draw(st.sampled_from(["skip", "strict"]))
    )
    try:
        world = scenario.run(timeline)
    except OrgsimError:
        return
    world.state_at(START + timedelta(hours=200))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(), st.data())
def test_removing_then_reinserting_an_event_gives_history_back(timeline: Timeline, data: st.DataObject) -> None:
    assume(timeline.events)
    event = data.draw(st.sampled_from(timeline.events))
    raw = event.model_dump(mode="json")
    scenario = Scenario(title="round trip", interventions=[Remove(remove=event.id), Insert(insert=raw)])
    world = scenario.run(timeline)
    assert [e.id for e in world.events] == [e.id for e in timeline.events]
    assert world.final_state() == timeline.final_state()
    for probe in timeline.events:
        assert world.state_at(probe.at) == timeline.state_at(probe.at)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_the_working_states_holder_index_always_matches_the_offices(timeline: Timeline) -> None:
    ws = WorkingState(MANIFEST)
    for event in timeline.records:
        apply_to(ws, event)
        counts: dict[str, int] = {}
        for holder in ws.offices.values():
            if holder is not None:
                counts[holder.person] = counts.get(holder.person, 0) + 1
        assert ws.holding() == counts


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_named_signatories_accumulate_in_order_without_repeats(timeline: Timeline) -> None:
    named: list[str] = []
    for event, state in timeline.history():
        for person in getattr(event, "signatories", ()):
            if person not in named:
                named.append(person)
        assert state.signatories == tuple(named)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(), st.data())
def test_the_voting_directors_a_vote_counts_are_the_board_s_voting_seats(timeline: Timeline, data: Any) -> None:
    """The working state keeps its set of voting directors in step with every seat write, from the start and
    from any snapshot: a vote counted against a stale set would pass or fail wrongly."""
    records = timeline.replay.applied
    start = data.draw(st.integers(0, len(records)))
    ws = WorkingState.thaw(timeline.replay.state_after(start))
    for record in records[start:]:
        apply_to(ws, record)
        assert ws.voting_directors() == {p for p, seat in ws.seats.items() if seat.role == "voting"}


def test_each_replay_writes_its_announcements_offers_and_leaves_to_storage_of_its_own() -> None:
    """A map shared by every new working state would keep the first replay's writes for the life of the process,
    and two threads replaying at once would append to one list."""
    first, second = WorkingState(MANIFEST), WorkingState(MANIFEST)
    for name in ("pending", "offers", "leaves", "identified"):
        assert getattr(first.extras, name)._writes is not getattr(second.extras, name)._writes
    first.set_pending("e1", "announced")
    assert dict(second.extras.pending) == {} and dict(first.extras.pending) == {"e1": "announced"}


def test_a_state_thawed_from_a_snapshot_never_appends_to_the_storage_the_snapshot_shares() -> None:
    """Two worlds grown from one snapshot may run in two threads (a Dask worker's): if both appended to the
    snapshot's lists in place, each could read the other's write as its own."""
    from orgsim.model.state import Offer, VoteRecord

    base = WorkingState(MANIFEST)
    base.set_offer("o1", Offer("ada", None, "office", "ceo", False, "open"))
    base.record_vote("v1", VoteRecord("m", True, "passed"))
    snapshot = base.freeze()  # at the tip of both logs
    first, second = WorkingState.thaw(snapshot), WorkingState.thaw(snapshot)
    first.set_offer("o2", Offer("ada", None, "office", "cto", False, "open"))
    second.set_offer("o3", Offer("bob", None, "office", "cfo", False, "open"))
    first.record_vote("v2", VoteRecord("m", False, "failed"))
    second.record_vote("v3", VoteRecord("m", True, "passed"))
    shared = snapshot.offers._writes, snapshot._v[7].log
    for world in (first, second):
        assert world.extras.offers._writes is not shared[0] and world.freeze()._v[7].log is not shared[1]
    assert set(first.extras.offers) == {"o1", "o2"} and set(second.extras.offers) == {"o1", "o3"}
    assert set(first.votes()) == {"v1", "v2"} and set(second.votes()) == {"v1", "v3"}
    assert set(snapshot.offers) == {"o1"} and len(shared[0].keys) == 1 and len(shared[1].keys) == 1
    # the state that made the snapshot still appends in place: no copy per write on the replay's own path
    base.set_offer("o4", Offer("cy", None, "office", "coo", False, "open"))
    assert base.extras.offers._writes is shared[0] and set(snapshot.offers) == {"o1"}
