"""Benchmark data: synthetic timelines of each size, generated once and cached, and timing helpers.

Sizes come from ``ORGSIM_BENCH_SIZES`` (comma-separated event counts, default
``10000,100000,1000000``); the largest is used for the single-size figures.
Timelines are written by :func:`orgsim.testing.synth.write_synthetic` under
``ORGSIM_BENCH_CACHE`` (default: ``orgsim-bench`` in the system temp folder)
and reused by later runs; a timeline is loaded at most once per session.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from orgsim.io.loading import LoadedTimeline, load_folder
from orgsim.testing.synth import EVENTS_FILE, GENERATOR_VERSION, write_synthetic
from orgsim.timeline import Timeline, replay_loaded

SEED = 20231117
"""The seed of every benchmark timeline (same seed, same events)."""

SIZES = tuple(
    int(size) for size in os.environ.get("ORGSIM_BENCH_SIZES", "10000,100000,1000000").split(",") if size.strip()
)
"""The timeline sizes to measure."""

LARGEST = max(SIZES)
"""The size used where one timeline is measured."""

CACHE = Path(os.environ.get("ORGSIM_BENCH_CACHE", Path(tempfile.gettempdir()) / "orgsim-bench"))


def synthetic_folder(size: int) -> Path:
    """The cached synthetic timeline folder of ``size`` events, written on first use."""
    folder = CACHE / f"synthetic-{size}-seed-{SEED}-v{GENERATOR_VERSION}"
    done = folder / ".complete"
    if not done.is_file():
        write_synthetic(folder, size, SEED)
        done.write_text("ok\n")
    return folder


_loaded: dict[int, LoadedTimeline] = {}
_timelines: dict[int, Timeline] = {}


def loaded_timeline(size: int) -> LoadedTimeline:
    """The synthetic timeline of ``size`` events, read and validated (once per session)."""
    if size not in _loaded:
        _loaded[size] = load_folder(synthetic_folder(size))
    return _loaded[size]


def replayed_timeline(size: int) -> Timeline:
    """The synthetic timeline of ``size`` events, replayed with checkpoints (once per session)."""
    if size not in _timelines:
        _timelines[size] = replay_loaded(loaded_timeline(size))
    return _timelines[size]


def events_file(size: int) -> Path:
    """The JSON Lines file of the synthetic timeline of ``size`` events."""
    return synthetic_folder(size) / EVENTS_FILE


def rounds(benchmark: object, full: int) -> int:
    """``full`` rounds when measuring, one when benchmarks are disabled (a CI smoke run)."""
    return 1 if getattr(benchmark, "disabled", False) else full


def best_of(function: Callable[[], object], times: int) -> float:
    """The shortest of ``times`` wall-clock runs of ``function``, in seconds.

    Freeing the result is not timed (pytest-benchmark does not time it either),
    so every figure of a comparison measures the same thing: building.
    """
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
        del result
    return best


def measured(benchmark: object, fallback: Callable[[], float]) -> float:
    """The benchmark's best round in seconds, or ``fallback()`` when benchmarks are disabled."""
    stats = getattr(benchmark, "stats", None)
    if stats is not None and getattr(stats, "stats", None) is not None:
        return float(stats.stats.min)
    return fallback()
