"""``state_at`` latency on the largest timeline: checkpointed, against replaying from the start."""

from __future__ import annotations

import itertools
import random
import statistics
import time
from datetime import UTC, datetime

from bench_data import LARGEST, replayed_timeline, rounds
from orgsim.engine.replay import run

SAMPLES = 2000


def _instants(count: int, seed: int = 1) -> list[datetime]:
    timeline = replayed_timeline(LARGEST)
    times = timeline.replay.times
    rng = random.Random(seed)
    return [datetime.fromtimestamp(rng.uniform(times[0], times[-1]), UTC) for _ in range(count)]


def _median_state_at_s(count: int) -> float:
    timeline = replayed_timeline(LARGEST)
    spent = []
    for instant in _instants(count, seed=2):
        start = time.perf_counter()
        timeline.state_at(instant)
        spent.append(time.perf_counter() - start)
    return statistics.median(spent)


def _full_replay(count: int) -> object:
    timeline = replayed_timeline(LARGEST)
    return run(timeline.records[:count], timeline.manifest, interval=count + 1).final


def test_state_at_checkpointed(benchmark) -> None:
    timeline = replayed_timeline(LARGEST)
    instants = itertools.cycle(_instants(SAMPLES))
    benchmark.group = f"state_at on {LARGEST:,} events"
    state = benchmark(lambda: timeline.state_at(next(instants)))
    assert state.applied <= LARGEST
    median = _median_state_at_s(200 if benchmark.disabled else SAMPLES)
    benchmark.extra_info.update(
        events=LARGEST,
        interval=timeline.replay.interval,
        median_us=round(median * 1e6, 1),
        target="median < 50 us on 10^6 events",
    )


def test_state_at_by_full_replay(benchmark) -> None:
    timeline = replayed_timeline(LARGEST)
    instants = iter(_instants(50, seed=3))

    def one_instant() -> tuple[tuple[int], dict[str, object]]:
        return (timeline.replay.position(next(instants).timestamp()),), {}

    benchmark.group = f"state_at on {LARGEST:,} events"
    benchmark.pedantic(_full_replay, setup=one_instant, rounds=rounds(benchmark, 7))
    # The fold from the start agrees with the checkpointed answer.
    position = timeline.replay.position(_instants(1, seed=4)[0].timestamp())
    assert _full_replay(position) == timeline.replay.state_after(position)
    stats = getattr(benchmark, "stats", None)
    full = stats.stats.median if stats is not None else 0.0
    checkpointed = _median_state_at_s(200 if benchmark.disabled else SAMPLES)
    benchmark.extra_info.update(
        events=LARGEST,
        full_replay_median_ms=round(full * 1e3, 1),
        checkpointed_median_us=round(checkpointed * 1e6, 1),
        speedup=round(full / checkpointed) if full else None,
        target="checkpointed >= 10,000x faster than full replay",
    )
