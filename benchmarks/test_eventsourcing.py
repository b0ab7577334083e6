"""The ``eventsourcing`` library rebuilding an equivalent aggregate, against orgsim's replay.

Skipped when ``eventsourcing`` is not installed (``pip install -e ".[bench]"``).
"""

from __future__ import annotations

import pytest

from bench_data import SIZES, best_of, loaded_timeline, measured, rounds

pytest.importorskip("eventsourcing")

from esmodel import build
from orgsim.engine.replay import run


def _runs(size: int) -> int:
    """How many runs each side's best is taken of: as many for both, fewer where one eventsourcing run is long."""
    return 5 if size < 10**6 else 1


def _orgsim_replay_s(size: int) -> float:
    """orgsim's replay of the same events: the best of as many runs as eventsourcing's (three at least)."""
    loaded = loaded_timeline(size)
    return best_of(
        lambda: run(loaded.events, loaded.manifest, epochs=loaded.epochs, causes=loaded.causes), max(3, _runs(size))
    )


@pytest.mark.parametrize("size", SIZES)
def test_eventsourcing_rebuild_all(benchmark, size: int) -> None:
    loaded = loaded_timeline(size)
    final = run(loaded.events, loaded.manifest, epochs=loaded.epochs, causes=loaded.causes).final
    app, org = build(loaded.events, final)
    benchmark.group = f"eventsourcing {size:,} events"
    aggregate = benchmark.pedantic(app.repository.get, args=(org,), rounds=rounds(benchmark, _runs(size)))
    assert aggregate.version == size + 1  # the creation event, then one per orgsim event
    es_s = measured(benchmark, lambda: best_of(lambda: app.repository.get(org), 1))
    ours = _orgsim_replay_s(size)
    benchmark.extra_info.update(
        events=size,
        eventsourcing_events_per_s=round(size / es_s),
        orgsim_events_per_s=round(size / ours),
        orgsim_speedup=round(es_s / ours, 1),
        target="orgsim replay >= 10x faster",
    )


@pytest.mark.parametrize("size", SIZES)
def test_eventsourcing_as_at_half(benchmark, size: int) -> None:
    loaded = loaded_timeline(size)
    replay = run(loaded.events, loaded.manifest, epochs=loaded.epochs, causes=loaded.causes)
    app, org = build(loaded.events, replay.final)
    half = size // 2
    benchmark.group = f"eventsourcing {size:,} events"
    aggregate = benchmark.pedantic(
        app.repository.get, args=(org,), kwargs={"version": half}, rounds=rounds(benchmark, 3 if size < 10**6 else 1)
    )
    assert aggregate.version == half
    es_s = measured(benchmark, lambda: best_of(lambda: app.repository.get(org, version=half), 1))
    ours = best_of(lambda: replay.state_after(half - 1), 200)  # version N/2 = creation + N/2 - 1 events
    benchmark.extra_info.update(
        events=size,
        eventsourcing_ms=round(es_s * 1e3, 1),
        orgsim_state_after_us=round(ours * 1e6, 1),
        orgsim_speedup=round(es_s / ours),
    )
