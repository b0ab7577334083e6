"""Converting event files between YAML and JSON Lines, and reading JSON Lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgsim.errors import LoadError, OutputError
from orgsim.io.convert import convert_timeline_file
from orgsim.io.files import read_event_file
from orgsim.model.records import to_records
from orgsim.testing.synth import synthesize, write_synthetic

ACME = Path(__file__).parents[1] / "fixtures" / "acme"


@pytest.mark.parametrize("name", ["1-founding.yaml", "2-crisis.yaml"])
def test_yaml_to_jsonl_to_yaml_gives_equal_events(tmp_path: Path, name: str) -> None:
    original = read_event_file(ACME / name)
    assert convert_timeline_file(ACME / name, tmp_path / "events.jsonl") == len(original)
    assert read_event_file(tmp_path / "events.jsonl") == original
    assert convert_timeline_file(tmp_path / "events.jsonl", tmp_path / "events.yaml") == len(original)
    assert read_event_file(tmp_path / "events.yaml") == original


def test_bundled_files_round_trip(tmp_path: Path) -> None:
    bundled = Path(__file__).parents[2] / "events"
    files = sorted(p for p in bundled.glob("*.yaml") if p.name != "timeline.yaml")
    if not files:
        pytest.skip("no bundled event files")
    for path in files:
        original = read_event_file(path)
        convert_timeline_file(path, tmp_path / f"{path.stem}.jsonl")
        convert_timeline_file(tmp_path / f"{path.stem}.jsonl", tmp_path / f"{path.stem}.yml")
        assert read_event_file(tmp_path / f"{path.stem}.yml") == original


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.integers(0, 2**32), st.integers(0, 300))
def test_synthetic_events_survive_jsonl_and_yaml(tmp_path: Path, seed: int, size: int) -> None:
    folder = write_synthetic(tmp_path / f"s{seed}-{size}", size, seed)
    _, events = synthesize(size, seed)
    assert read_event_file(folder / "events.jsonl") == to_records(events)
    convert_timeline_file(folder / "events.jsonl", folder / "copy.yaml")
    assert read_event_file(folder / "copy.yaml") == to_records(events)


def test_the_destination_is_replaced_whole_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("stale line\n")
    convert_timeline_file(ACME / "1-founding.yaml", target)
    assert "stale line" not in target.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_an_invalid_source_leaves_the_destination_untouched(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "statement", "id": "x"}\n')
    target = tmp_path / "out.yaml"
    target.write_text("keep\n")
    with pytest.raises(LoadError, match="line 1"):
        convert_timeline_file(bad, target)
    assert target.read_text() == "keep\n"


def test_unknown_suffixes_and_same_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="unknown event file type"):
        convert_timeline_file(ACME / "1-founding.yaml", tmp_path / "out.json")
    with pytest.raises(LoadError, match="unknown event file type"):
        convert_timeline_file(tmp_path / "in.txt", tmp_path / "out.yaml")
    with pytest.raises(OutputError, match="same file"):
        convert_timeline_file(ACME / "1-founding.yaml", ACME / "1-founding.yaml")


def test_a_missing_destination_folder_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write"):
        convert_timeline_file(ACME / "1-founding.yaml", tmp_path / "missing" / "out.jsonl")


def test_jsonl_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    convert_timeline_file(ACME / "1-founding.yaml", path)
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], "", lines[1][:-5]]) + "\n")
    with pytest.raises(LoadError, match="line 3: malformed JSON"):
        read_event_file(path)
    path.write_text("\n".join([lines[0], lines[1].replace('"person"', '"persn"')]) + "\n")
    with pytest.raises(LoadError) as error:
        read_event_file(path)
    assert "line 2" in str(error.value) and "unknown field" in str(error.value)


def test_duplicate_ids_across_files_name_the_first_file(tmp_path: Path) -> None:
    convert_timeline_file(ACME / "1-founding.yaml", tmp_path / "a.jsonl")
    convert_timeline_file(ACME / "1-founding.yaml", tmp_path / "b.jsonl")
    (tmp_path / "timeline.yaml").write_text((ACME / "timeline.yaml").read_text())
    from orgsim.io.loading import load_folder

    with pytest.raises(LoadError, match=r"duplicate event id \(first defined in .*a\.jsonl\)"):
        load_folder(tmp_path)


def test_conversion_keeps_every_field_as_written(tmp_path: Path) -> None:
    from orgsim.io.files import read_event_file
    from orgsim.io.loading import bundled_timeline_path

    source = bundled_timeline_path() / "30-2023-11-17-to-22.yaml"
    lines = tmp_path / "crisis.jsonl"
    back = tmp_path / "crisis.yaml"
    convert_timeline_file(source, lines)
    convert_timeline_file(lines, back)
    original = read_event_file(source)
    again = read_event_file(back)
    assert again == original  # records compare every value and which fields were given
    assert "category: statement" in back.read_text(encoding="utf-8")
    assert oct(lines.stat().st_mode & 0o777) == oct(back.stat().st_mode & 0o777) != "0o600"
