"""pandas frames of the largest timeline: every event as a row, every tenure as a row, a path on a grid.

Target (interop issue): the frame of 10^6 events in under 5 s. The frame is built from the compact records in one
pass per column; timestamps come from the replay's epochs, converted in one vectorised step.
"""

from __future__ import annotations

import pytest

from bench_data import LARGEST, best_of, measured, replayed_timeline, rounds

pytest.importorskip("pandas")


def test_events_frame(benchmark) -> None:
    timeline = replayed_timeline(LARGEST)
    benchmark.group = f"frames, {LARGEST:,} events"
    frame = benchmark.pedantic(timeline.to_frame, rounds=rounds(benchmark, 3))
    assert len(frame) == len(timeline) and frame["at"].is_monotonic_increasing
    assert frame["id"].iloc[-1] == timeline.records[-1].id
    frame_s = measured(benchmark, lambda: best_of(timeline.to_frame, 1))
    benchmark.extra_info.update(
        events=LARGEST,
        frame_s=round(frame_s, 3),
        memory_mb=round(frame.memory_usage(deep=False).sum() / 1e6, 1),
        target="a frame of 10^6 events under 5 s",
    )


def test_tenures_frame(benchmark) -> None:
    timeline = replayed_timeline(LARGEST)
    found = timeline.tenures()
    benchmark.group = f"frames, {LARGEST:,} events"
    frame = benchmark.pedantic(found.to_frame, rounds=rounds(benchmark, 3))
    assert len(frame) == len(found)
    benchmark.extra_info.update(tenures=len(found), frame_s=round(measured(benchmark, lambda: 0.0), 3))


def test_headcount_series_hourly_over_a_year(benchmark) -> None:
    timeline = replayed_timeline(LARGEST)
    first = timeline.records[0].at
    end = first.replace(year=first.year + 1)
    benchmark.group = f"frames, {LARGEST:,} events"
    series = benchmark.pedantic(
        timeline.series, args=("employees.headcount", "1h", first, end), rounds=rounds(benchmark, 3)
    )
    assert len(series) >= 365 * 24
    benchmark.extra_info.update(points=len(series), series_s=round(measured(benchmark, lambda: 0.0), 3))
