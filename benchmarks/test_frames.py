"""pandas frames of the largest timeline: every event as a row, every tenure as a row, a path on a grid.

Target (interop issue): the frame of 10^6 events in under 5 s. The frame is built from the compact records in one
pass per column, grouped by record class (a class fixes the event type and its fields); timestamps come from the
replay's epochs, converted in one vectorised step. Skipped without pandas (``pip install "orgsim[pandas]"``).
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
    assert len(frame) == len(found) and frame["start"].notna().any()
    frame_s = measured(benchmark, lambda: best_of(found.to_frame, 1))
    benchmark.extra_info.update(events=LARGEST, tenures=len(found), frame_s=round(frame_s, 3))


def test_headcount_series_hourly_over_a_year(benchmark) -> None:
    timeline = replayed_timeline(LARGEST)
    first = timeline.records[0].at
    end = first.replace(year=first.year + 1)
    benchmark.group = f"frames, {LARGEST:,} events"
    series = benchmark.pedantic(
        timeline.series, args=("employees.headcount", "1h", first, end), rounds=rounds(benchmark, 3)
    )
    assert len(series) >= 365 * 24 and series.notna().any()
    series_s = measured(benchmark, lambda: best_of(lambda: timeline.series("employees.headcount", "1h", first, end), 1))
    benchmark.extra_info.update(events=LARGEST, points=len(series), series_s=round(series_s, 3))
