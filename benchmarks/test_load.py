"""Loading: the largest JSON Lines timeline against bare ``json.loads``, and the bundled YAML timeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench_data import LARGEST, best_of, events_file, measured, rounds, synthetic_folder
from orgsim.engine.bulk import paused_gc
from orgsim.errors import LoadError
from orgsim.io.loading import bundled_timeline_path, load_folder


def _json_lines(path: Path) -> list[object]:
    with paused_gc(promote=True), path.open("rb") as stream:  # the same GC setting as the loader
        return [json.loads(line) for line in stream if not line.isspace()]


def test_load_jsonl(benchmark) -> None:
    folder = synthetic_folder(LARGEST)
    benchmark.group = f"load {LARGEST:,} events (JSON Lines)"
    loaded = benchmark.pedantic(load_folder, args=(folder,), rounds=rounds(benchmark, 3))
    assert len(loaded.events) == LARGEST
    load_s = measured(benchmark, lambda: best_of(lambda: load_folder(folder), 1))
    json_s = best_of(lambda: _json_lines(events_file(LARGEST)), rounds(benchmark, 3))
    benchmark.extra_info.update(
        events=LARGEST,
        load_events_per_s=round(LARGEST / load_s),
        json_loads_events_per_s=round(LARGEST / json_s),
        load_over_json_loads=round(load_s / json_s, 2),
        target="within 3x of json.loads",
    )


def test_json_loads_baseline(benchmark) -> None:
    path = events_file(LARGEST)
    benchmark.group = f"load {LARGEST:,} events (JSON Lines)"
    records = benchmark.pedantic(_json_lines, args=(path,), rounds=rounds(benchmark, 3))
    assert len(records) == LARGEST


def test_load_bundled_yaml(benchmark) -> None:
    folder = bundled_timeline_path()
    try:
        load_folder(folder)
    except LoadError as error:  # the bundled data is being edited elsewhere; report rather than fail
        pytest.skip(f"bundled timeline does not load: {error}")
    benchmark.group = "load bundled timeline (YAML)"
    loaded = benchmark(load_folder, folder)
    assert loaded.events
    benchmark.extra_info.update(events=len(loaded.events), target="< 50 ms")
