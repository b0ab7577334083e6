"""A report of a large timeline stays small: a range (--from/--to), sampled states that still answer exactly."""

from __future__ import annotations

import json
import random
from bisect import bisect_right
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import orgsim
from orgsim.errors import TimeInputError
from orgsim.views.packing import LISTS, Pools, expand_lists, expand_state
from orgsim.views.report import build_report, page_warnings, report_data

CARRIED = 400


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> orgsim.Timeline:
    """A synthetic timeline with ten times more events than the pages below carry."""
    from orgsim.testing.synth import write_synthetic

    return orgsim.load_timeline(write_synthetic(tmp_path_factory.mktemp("large") / "synthetic", 4000, 11))


@pytest.fixture(scope="module")
def sampled(large: orgsim.Timeline) -> dict[str, Any]:
    return report_data(large, max_events=CARRIED)


def contract(state: orgsim.OrgState) -> dict[str, Any]:
    data = state.to_dict()
    data.pop("at")
    return data


def held(world: dict[str, Any], instant_ms: float) -> tuple[int, str]:
    """What the page's scrubber does: the last state at or before the instant, and whether it holds then."""
    index = bisect_right(world["boundaries"][1:], instant_ms)
    since, until = world["boundaries"][index], world["until"][index]
    if since is not None and instant_ms < since:
        return index, "before"
    return index, "exact" if until is None or instant_ms < until else "sampled"


def at_ms(ms: float) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def test_a_large_range_carries_an_even_sample_of_its_events(large: orgsim.Timeline, sampled: dict[str, Any]) -> None:
    [world] = sampled["worlds"]
    assert len(world["events"]) == CARRIED and world["total_events"] == len(large)
    times = [e["t"] for e in world["events"]]
    assert times == sorted(times)
    first, last = large.replay.applied[0].at, large.replay.applied[-1].at
    assert times[0] == first.timestamp() * 1000 and times[-1] < last.timestamp() * 1000
    assert len(sampled["steps"]) <= CARRIED
    assert sampled["notes"] == [
        f"the page carries {CARRIED:,} of the {len(large):,} events in its range (evenly spread), with the state "
        "at each of their instants; narrow the range with --from/--to to see every event"
    ]


def test_every_instant_the_sampled_page_offers_answers_like_state_at(
    large: orgsim.Timeline, sampled: dict[str, Any]
) -> None:
    [world] = sampled["worlds"]
    lists = expand_lists(sampled["pools"][LISTS])
    assert len(world["states"]) == len(sampled["steps"]) + 1
    for ms in sampled["steps"]:
        index, status = held(world, ms)
        assert status == "exact"
        assert expand_state(world["states"][index], sampled["pools"], lists) == contract(large.state_at(at_ms(ms)))
    for event in world["events"]:  # "show the state right after this event" lands on a state the page holds
        assert held(world, event["t"])[1] == "exact"


def test_the_sampled_page_says_when_it_does_not_hold_an_instant(
    large: orgsim.Timeline, sampled: dict[str, Any]
) -> None:
    [world] = sampled["worlds"]
    lists = expand_lists(sampled["pools"][LISTS])
    first, last = sampled["range"]
    rng = random.Random(5)
    statuses = set()
    for _ in range(300):
        ms = float(rng.randrange(int(first) - 86_400_000, int(last) + 86_400_000))
        index, status = held(world, ms)
        statuses.add(status)
        state = expand_state(world["states"][index], sampled["pools"], lists)
        if status == "exact":
            assert state == contract(large.state_at(at_ms(ms)))
        else:  # what it shows is the state at the instant it names, and that state ends where it says
            assert state == contract(large.state_at(at_ms(world["boundaries"][index])))
            assert large.state_at(at_ms(world["until"][index])).applied > state["events_applied"]
    assert statuses == {"exact", "sampled"}


def test_a_range_carries_its_events_from_its_first_instant_and_the_state_before_it(bundled: orgsim.Timeline) -> None:
    noon = bundled.resolve("2023-11-17T12:00")
    data = report_data(bundled, start="2023-11-17T12:00", end="2023-11-18")
    [world] = data["worlds"]
    ids = [e["id"] for e in world["events"]]
    expected = [e.id for e in bundled.events if noon <= e.at <= bundled.resolve("2023-11-18")]
    assert ids == expected and len([e for e in bundled.events if e.at == noon]) == 9
    assert data["limits"] == [noon.timestamp() * 1000, bundled.resolve("2023-11-18").timestamp() * 1000]
    before = max(e.at for e in bundled.events if e.at < noon)
    assert world["boundaries"][0] == before.timestamp() * 1000 and world["until"][0] == noon.timestamp() * 1000
    lists = expand_lists(data["pools"][LISTS])
    assert expand_state(world["states"][0], data["pools"], lists) == contract(bundled.state_at(before))
    for ms, packed in zip(world["boundaries"][1:], world["states"][1:], strict=True):
        assert expand_state(packed, data["pools"], lists) == contract(bundled.state_at(at_ms(ms)))
    rows = {row["key"] for row in world["rows"]}
    assert "emmett-shear" not in {bar["p"] for row in world["rows"] for bar in row["bars"]}
    assert {"sam-altman", "greg-brockman"} <= rows
    assert data["presets"][0]["start"] == noon.timestamp() * 1000  # the focus, cut to the range


def test_a_bare_date_range_is_the_whole_of_those_days(bundled: orgsim.Timeline) -> None:
    data = report_data(bundled, start="2023-11-17", end="2023-11-17")
    days = {e["local"][bundled.home_zone][:14] for e in data["worlds"][0]["events"]}
    assert days == {"Fri 2023-11-17"}
    assert len(data["worlds"][0]["events"]) == len(
        bundled.between(bundled.resolve("2023-11-16"), bundled.resolve("2023-11-17"))
    )


def test_a_range_that_ends_before_it_starts_is_refused(bundled: orgsim.Timeline) -> None:
    with pytest.raises(TimeInputError, match="before it starts"):
        report_data(bundled, start="2023-11-20", end="2023-11-19")


def test_a_what_if_page_is_sampled_at_the_same_instants_in_both_worlds(large: orgsim.Timeline) -> None:
    from orgsim.whatif.scenarios import Remove, Scenario

    vote = next(r for r in large.replay.applied[1500:] if r.type == "board_vote")
    world = Scenario(title="One vote fewer", policy="skip", interventions=[Remove(remove=vote.id)]).run(large)
    data = report_data(large, world=world, max_events=CARRIED)
    history, what_if = data["worlds"]
    assert len(history["events"]) == len(what_if["events"]) == CARRIED
    lists = expand_lists(data["pools"][LISTS])
    for ms in data["steps"]:
        for page_world, timeline in ((history, large), (what_if, world)):
            index, status = held(page_world, ms)
            assert status == "exact"
            packed = page_world["states"][index]
            assert expand_state(packed, data["pools"], lists) == contract(timeline.state_at(at_ms(ms)))


def test_sampled_page_is_far_smaller_than_the_full_one(large: orgsim.Timeline, sampled: dict[str, Any]) -> None:
    full = len(build_report(large, max_events=len(large)))
    small = len(json.dumps(sampled, ensure_ascii=False, separators=(",", ":")))
    # A tenth of the events in well under a third of the bytes (states carry what is unknown, and why, too).
    assert small * 3.5 < full


def test_warnings_say_what_is_left_out_and_when_a_page_is_large(sampled: dict[str, Any]) -> None:
    assert page_warnings(sampled, 1000, large=5000) == sampled["notes"]
    [*_, size] = page_warnings(sampled, 12_345_678, large=5000)
    assert size.startswith("the page is 12.3 MB") and "--from/--to" in size
    assert page_warnings({"notes": []}, 10, large=5000) == []


ids = st.text(alphabet="abc", min_size=1, max_size=2)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(ids, max_size=12), min_size=1, max_size=30))
def test_lists_stored_as_changes_read_back_as_they_were(sequence: list[list[str]]) -> None:
    pools = Pools()
    refs = [pools.list_ref("slot", items) for items in sequence]
    written = expand_lists(json.loads(json.dumps(pools.values[LISTS])))
    assert [written[ref] for ref in refs] == sequence


def test_the_page_script_reads_lists_as_python_writes_them() -> None:
    from importlib import resources

    script = (resources.files("orgsim.views") / "assets" / "report.js").read_text(encoding="utf-8")
    # both readers know the two kinds of change
    assert "change.x" in script and "change.p" in script and "change.s" in script and "change.m" in script
