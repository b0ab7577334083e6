"""Replay throughput at each size, side by side with the floor (a bare loop over tuples and dicts)."""

from __future__ import annotations

import pytest

from bench_data import SIZES, best_of, loaded_timeline, measured, rounds
from floor import floor_replay, to_rows
from orgsim.engine.bulk import paused_gc
from orgsim.engine.replay import run
from orgsim.model.state import UNPLACED


def _floor(rows: list[tuple[object, ...]], manifest: object) -> dict[str, object]:
    with paused_gc():  # the engine pauses the collector too: compare structure, not GC settings
        return floor_replay(rows, manifest)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", SIZES)
def test_replay_throughput_against_the_floor(benchmark, size: int) -> None:
    loaded = loaded_timeline(size)
    events, manifest, epochs, causes = loaded.events, loaded.manifest, loaded.epochs, loaded.causes
    rows = to_rows(events)
    benchmark.group = f"replay {size:,} events"
    replay = benchmark.pedantic(
        run,
        args=(events, manifest),
        kwargs={"epochs": epochs, "causes": causes},
        rounds=rounds(benchmark, 5 if size < 10**6 else 3),
    )
    assert len(replay.applied) == size
    # The floor makes the same updates: its final state equals the engine's.
    final, floor_state = replay.final, _floor(rows, manifest)
    # a person no event placed: the floor keeps its unplaced tuple, a state shows every field unknown
    shown = {pid: UNPLACED if not standing.known else standing for pid, standing in final.people.items()}
    assert floor_state["people"] == shown
    assert floor_state["offices"] == dict(final.offices)
    assert floor_state["board"] == dict(final.seats)
    assert floor_state["votes"] == dict(final.votes.items())
    assert floor_state["chair"] == final.chair
    engine_s = measured(benchmark, lambda: best_of(lambda: run(events, manifest, epochs=epochs, causes=causes), 1))
    floor_s = best_of(lambda: _floor(rows, manifest), rounds(benchmark, 5 if size < 10**6 else 3))
    benchmark.extra_info.update(
        events=size,
        checkpoints=len(replay.checkpoints),
        engine_events_per_s=round(size / engine_s),
        floor_events_per_s=round(size / floor_s),
        engine_over_floor=round(engine_s / floor_s, 2),
        target="engine within 3x of the floor",
    )


@pytest.mark.parametrize("size", SIZES)
def test_replay_floor(benchmark, size: int) -> None:
    loaded = loaded_timeline(size)
    rows = to_rows(loaded.events)
    benchmark.group = f"replay {size:,} events"
    state = benchmark.pedantic(_floor, args=(rows, loaded.manifest), rounds=rounds(benchmark, 5 if size < 10**6 else 3))
    assert state["last_event"] == loaded.events[-1].id
    benchmark.extra_info.update(events=size)
