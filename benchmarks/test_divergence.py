"""Divergence of a one-removal what-if, read off the change index, against the scenario run itself.

Target (architecture issue): within 3x of the scenario run at 10^4 and 10^5 events. Before the change
index, divergence re-walked every field at every instant: 2.4 s at 2,000 events against an 8 ms run.
"""

from __future__ import annotations

import pytest

from bench_data import SIZES, best_of, measured, replayed_timeline, rounds
from orgsim.query.divergence import divergence
from orgsim.whatif.scenarios import Remove, Scenario

MEASURED = [size for size in SIZES if size <= 100_000] or [min(SIZES)]


def _removable_near(size: int, fraction: float) -> str:
    """An event near ``fraction`` of the timeline that nothing else follows from (exactly one event is dropped)."""
    records = replayed_timeline(size).records
    causes = {cause for event in records for cause in event.caused_by}
    start = int(len(records) * fraction)
    return next(
        e.id
        for e in records[start:]
        if e.id not in causes and e.type in ("statement", "headcount_reported", "structure_changed", "board_vote")
    )


@pytest.mark.parametrize("where", ["start", "end"])
@pytest.mark.parametrize("size", MEASURED)
def test_divergence_against_the_scenario_run(benchmark, size: int, where: str) -> None:
    timeline = replayed_timeline(size)
    target = _removable_near(size, 0.02 if where == "start" else 0.98)
    scenario = Scenario(title="one removal", interventions=[Remove(remove=target)])
    world = scenario.run(timeline)
    benchmark.group = f"divergence, {size:,} events"
    story = benchmark.pedantic(divergence, args=(timeline, world), rounds=rounds(benchmark, 5))
    assert all(item.intervals for item in story.fields)
    divergence_s = measured(benchmark, lambda: best_of(lambda: divergence(timeline, world), 1))
    run_s = best_of(lambda: scenario.run(timeline), rounds(benchmark, 5))
    benchmark.extra_info.update(
        events=size,
        removed=target,
        fields=len(story.fields),
        scenario_run_ms=round(run_s * 1e3, 2),
        divergence_ms=round(divergence_s * 1e3, 2),
        divergence_over_run=round(divergence_s / run_s, 2),
        target="divergence within 3x of the scenario run",
    )
