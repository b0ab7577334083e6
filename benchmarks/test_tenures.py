"""Tenures of every office, board seat and the chair, read off the change log, on the largest timeline.

Target (architecture issue): under 1 s at 10^6 events. The Gantt chart and the coming ``orgsim tenures`` are built
on this; before the change index the chart walked every event's state (8.2 s at 10^5).
"""

from __future__ import annotations

from bench_data import LARGEST, best_of, measured, replayed_timeline, rounds
from orgsim.query.tenures import tenures
from orgsim.views.gantt import build_gantt


def test_tenures_of_every_office_and_seat(benchmark) -> None:
    timeline = replayed_timeline(LARGEST)
    benchmark.group = f"tenures, {LARGEST:,} events"
    found = benchmark.pedantic(tenures, args=(timeline.replay,), rounds=rounds(benchmark, 3))
    assert found and all(t.end is None or t.end > t.start for t in found)
    tenures_s = measured(benchmark, lambda: best_of(lambda: tenures(timeline.replay), 1))
    gantt_s = best_of(lambda: build_gantt(timeline), rounds(benchmark, 3))
    benchmark.extra_info.update(
        events=LARGEST,
        tenures=len(found),
        tenures_s=round(tenures_s, 3),
        gantt_s=round(gantt_s, 3),
        target="every office and seat under 1 s at 10^6 events",
    )
