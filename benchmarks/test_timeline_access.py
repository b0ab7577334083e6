"""Accessors cost nothing the second time: ``timeline.events`` builds its models once and keeps them."""

from __future__ import annotations

from bench_data import LARGEST, best_of, loaded_timeline, rounds
from orgsim.timeline import Timeline


def test_a_second_access_to_events_costs_nothing(benchmark) -> None:
    loaded = loaded_timeline(min(LARGEST, 100_000))
    timeline = Timeline.from_events(loaded.manifest, loaded.events, epochs=loaded.epochs)
    first_s = best_of(lambda: timeline.events, 1)
    benchmark.group = "timeline.events"
    events = benchmark.pedantic(lambda: timeline.events, rounds=rounds(benchmark, 20))
    assert events is timeline.events and len(events) == len(timeline)
    again_s = best_of(lambda: timeline.events, rounds(benchmark, 20))
    benchmark.extra_info.update(
        events=len(timeline),
        first_access_ms=round(first_s * 1e3, 1),
        second_access_us=round(again_s * 1e6, 2),
        target="a second access costs nothing (no models built)",
    )
