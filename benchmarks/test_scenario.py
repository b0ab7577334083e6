"""5. A what-if run on the 10^5 timeline: one removal near the start, one near the end, against full replay.

The scenario reuses the base timeline's checkpoints up to its first
intervention, so a late intervention replays only the events after it.
"""

from __future__ import annotations

import pytest

from bench_data import LARGEST, SIZES, best_of, measured, replayed_timeline, rounds
from orgsim.engine.replay import run
from orgsim.whatif.scenarios import Remove, Scenario

SIZE = 100_000 if 100_000 in SIZES else min(LARGEST, 100_000) if LARGEST >= 100_000 else LARGEST


def _leaf_near(fraction: float) -> str:
    """The id of an event near ``fraction`` of the timeline whose removal changes nothing else.

    A report or a statement that nothing lists in ``caused_by``: removing it
    cannot make a later event conflict, so exactly one event is dropped.
    """
    timeline = replayed_timeline(SIZE)
    records = timeline.records
    causes = {cause for event in records for cause in event.caused_by}
    start = int(len(records) * fraction)
    for event in records[start:]:
        if event.id not in causes and event.type in ("statement", "headcount_reported", "structure_changed"):
            return event.id
    raise AssertionError("no removable event found")


@pytest.mark.parametrize("where", ["start", "end"])
def test_scenario_run_against_full_replay(benchmark, where: str) -> None:
    timeline = replayed_timeline(SIZE)
    target = _leaf_near(0.02 if where == "start" else 0.98)
    scenario = Scenario(title=f"remove one event near the {where}", interventions=[Remove(remove=target)])
    benchmark.group = f"scenario on {SIZE:,} events"
    world = benchmark.pedantic(scenario.run, args=(timeline,), rounds=rounds(benchmark, 5))
    assert len(world) == len(timeline) - 1
    assert [d.event.id for d in world.dropped] == [target]
    assert world.final_state() == run(world.replay.applied, world.manifest).final
    events, manifest, epochs = timeline.records, timeline.manifest, timeline.replay.times
    scenario_s = measured(benchmark, lambda: best_of(lambda: scenario.run(timeline), 1))
    full_s = best_of(lambda: run(events, manifest, epochs=epochs), rounds(benchmark, 3))
    benchmark.extra_info.update(
        events=SIZE,
        removed=target,
        full_replay_ms=round(full_s * 1e3, 1),
        scenario_ms=round(scenario_s * 1e3, 2),
        speedup=round(full_s / scenario_s, 1),
        target=">= 20x faster than full replay for the intervention near the end",
    )
