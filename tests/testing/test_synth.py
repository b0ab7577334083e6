"""Synthetic timelines: deterministic, every kind present, valid under strict replay."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import orgsim
import orgsim.testing.synth as synth
from orgsim.engine.transitions import apply
from orgsim.errors import OutputError
from orgsim.io.loading import load_folder
from orgsim.io.sources import check_quotes
from orgsim.model.events import EVENT_ADAPTER, EVENT_TYPES
from orgsim.model.records import to_records
from orgsim.testing.synth import synthesize, synthesize_raw, write_synthetic
from orgsim.timeline import Timeline


def test_same_seed_gives_the_same_timeline_and_another_seed_another() -> None:
    manifest, events = synthesize(500, seed=3)
    again_manifest, again = synthesize(500, seed=3)
    assert (manifest, events) == (again_manifest, again)
    assert synthesize(500, seed=4)[1] != events


def test_every_event_kind_occurs_with_causes_votes_and_sources() -> None:
    manifest, events = synthesize(3000, seed=1)
    kinds = Counter(e.type for e in events)  # type: ignore[attr-defined]
    assert set(kinds) == set(EVENT_TYPES)
    assert sum(1 for e in events if e.caused_by) > 20
    assert kinds["board_vote"] > 20
    assert all(e.sources for e in events)
    assert len(manifest.people) >= 100
    assert len({e.id for e in events}) == len(events)


def test_caused_by_names_a_passed_vote_or_an_earlier_event() -> None:
    manifest, events = synthesize(3000, seed=2)
    timeline = Timeline.from_events(manifest, events)
    position = {e.id: i for i, e in enumerate(events)}
    votes = timeline.final_state().votes
    for index, event in enumerate(events):
        for cause in event.caused_by:
            assert position[cause] < index
            if cause in votes:
                assert votes[cause].passed


def test_raw_events_validate_to_the_synthesized_ones() -> None:
    _, raw = synthesize_raw(300, seed=5)
    _, events = synthesize(300, seed=5)
    assert [EVENT_ADAPTER.validate_python(r) for r in raw] == events


def test_written_folder_loads_replays_and_its_quotes_check(tmp_path: Path) -> None:
    folder = write_synthetic(tmp_path / "synthetic", 1500, seed=9)
    loaded = load_folder(folder)
    manifest, events = synthesize(1500, seed=9)
    assert list(loaded.events) == to_records(events)
    assert loaded.manifest == manifest
    checked, note = check_quotes(loaded)
    assert note is None and checked == 1500
    timeline = orgsim.load_timeline(folder)
    assert len(timeline) == 1500


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_seed_gives_the_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    script = "import sys; from pathlib import Path; from orgsim.testing.synth import write_synthetic; "
    script += "write_synthetic(Path(sys.argv[1]), 5000, seed=3)"
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        subprocess.run([sys.executable, "-c", script, str(tmp_path / hash_seed)], env=env, check=True)
    first, second = folder_bytes(tmp_path / "1"), folder_bytes(tmp_path / "2")
    assert set(first) == {
        "timeline.yaml",
        "events.jsonl",
        "sources/hr-log.txt",
        "sources/minutes.txt",
        "sources/press.txt",
    }
    assert first == second


def test_an_existing_timeline_is_replaced_whole_unless_told_not_to(tmp_path: Path) -> None:
    folder = write_synthetic(tmp_path / "timeline", 50, seed=1)
    (folder / "extra.yaml").write_text("# from an older run\n")
    before = folder_bytes(folder)
    with pytest.raises(OutputError, match="the folder is not empty"):
        write_synthetic(folder, 80, seed=2, replace=False)
    assert folder_bytes(folder) == before
    write_synthetic(folder, 80, seed=2)
    assert len(orgsim.load_timeline(folder)) == 80 and not (folder / "extra.yaml").exists()


def test_the_folders_it_goes_in_are_made_if_missing(tmp_path: Path) -> None:
    folder = write_synthetic(tmp_path / "cache" / "synthetic-50", 50, seed=1)
    assert folder == tmp_path / "cache" / "synthetic-50" and len(orgsim.load_timeline(folder)) == 50


def test_a_folder_that_holds_no_timeline_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"holds no timeline\.yaml"):
        write_synthetic(tmp_path, 50, seed=1)
    assert os.listdir(tmp_path) == ["notes.txt"]


def test_a_disk_filling_up_mid_write_leaves_the_old_timeline_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_synthetic(tmp_path / "timeline", 50, seed=1)
    before = folder_bytes(folder)
    real = synth.write_file_durably

    def fill_up(path: Path, data: bytes) -> None:
        if path.name == synth.EVENTS_FILE:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(synth, "write_file_durably", fill_up)
    with pytest.raises(OutputError, match="No space left on device"):
        write_synthetic(folder, 80, seed=2)
    assert folder_bytes(folder) == before and os.listdir(tmp_path) == ["timeline"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.integers(1, 400), st.integers(4, 40), st.data())
def test_state_at_equals_folding_exactly_the_events_up_to_t(
    seed: int, size: int, people: int, data: st.DataObject
) -> None:
    manifest, events = synthesize(size, seed, people=people)
    interval = data.draw(st.integers(1, 70))
    timeline = Timeline.from_events(manifest, events, interval=interval)  # strict: raises on any conflict
    first, last = events[0].at.timestamp(), events[-1].at.timestamp()
    moment = datetime.fromtimestamp(data.draw(st.floats(first - 60, last + 60)), UTC)
    expected = timeline.initial_state()
    for event in events:
        if event.at <= moment:
            expected = apply(expected, event)
    assert timeline.state_at(moment) == expected
