"""Loading a timeline folder: every bad input is one LoadError naming file, event and field; limits hold."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

import orgsim
from orgsim.errors import LoadError, OrgsimError, ReplayError
from orgsim.io.files import parse_event_file, read_limit, timeline_files
from orgsim.io.loading import check_folder, load_folder, parse_folder
from orgsim.io.problems import MAX_PROBLEMS, Problems

ATTACKS = Path(__file__).parents[1] / "fixtures" / "attacks"
ACME = Path(__file__).parents[1] / "fixtures" / "acme"

EVENT = """- id: 2022-01-01-event
  type: {type}
  at: "{at}"
  precision: day
  summary: Something happens.
  sources: [{{document: memo.txt, quote: Ada, translation: Ada}}]
{fields}"""


def event_yaml(type_: str = "statement", at: str = "2022-01-01T09:00:00+00:00", **fields: str) -> str:
    """One event of the acme timeline as YAML, with extra fields written as given."""
    return EVENT.format(type=type_, at=at, fields="".join(f"  {k}: {v}\n" for k, v in fields.items()))


def refused(folder: Path) -> LoadError:
    with pytest.raises(LoadError) as caught:
        load_folder(folder)
    text = str(caught.value)
    assert "\n" not in text
    return caught.value


# --- duplicate keys -------------------------------------------------------------------------------------------


def test_a_director_voting_twice_is_refused(acme_copy: Path) -> None:
    shutil.copy(ATTACKS / "duplicate-vote.yaml", acme_copy / "3-votes.yaml")
    error = refused(acme_copy)
    assert "duplicate key 'grace-hopper'" in error.message
    assert error.event == "2021-03-01-board-votes" and error.file and error.file.endswith("3-votes.yaml")


def test_a_manifest_with_two_home_zones_is_refused(acme_copy: Path) -> None:
    shutil.copy(ATTACKS / "duplicate-home-zone.yaml", acme_copy / "timeline.yaml")
    error = refused(acme_copy)
    assert "duplicate key 'home_zone'" in error.message and error.field == "home_zone"


@pytest.mark.parametrize(
    ("name", "key"), [("duplicate-key.jsonl", "grace-hopper"), ("escaped-duplicate-key.jsonl", "summary")]
)
def test_a_duplicate_key_in_json_lines_is_refused(acme_copy: Path, name: str, key: str) -> None:
    shutil.copy(ATTACKS / name, acme_copy / "3-more.jsonl")
    error = refused(acme_copy)
    assert f"duplicate key '{key}'" in error.message and "line 1" in error.message


def test_json_lines_with_repeated_keys_in_different_objects_load(acme_copy: Path) -> None:
    line = {
        "type": "statement",
        "id": "2022-01-01-two-sources",
        "at": "2022-01-01T09:00:00+00:00",
        "precision": "day",
        "summary": 'Said "twice": here.',
        "sources": [{"document": "memo.txt", "quote": "Ada", "translation": "Ada"}] * 2,
    }
    (acme_copy / "3-more.jsonl").write_text(
        json.dumps(line) + "\n" + json.dumps(line, separators=(",", ":")).replace("two-sources", "again") + "\n"
    )
    assert {"2022-01-01-two-sources", "2022-01-01-again"} <= {e.id for e in load_folder(acme_copy).events}


# --- bounded reading ------------------------------------------------------------------------------------------


def test_an_event_file_that_is_a_link_to_a_device_is_refused(acme_copy: Path) -> None:
    (acme_copy / "3-zero.jsonl").symlink_to("/dev/zero")
    assert "not a regular file" in refused(acme_copy).message


def test_a_json_lines_line_past_the_limit_is_refused(acme_copy: Path) -> None:
    (acme_copy / "3-long.jsonl").write_bytes(b'{"type": "statement", "summary": "' + b"x" * 2_000_000 + b'"}\n')
    assert "line 1: longer than 1,048,576 bytes" in refused(acme_copy).message


def test_a_long_line_is_refused_after_reading_only_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[int] = []

    class Counting(io.BytesIO):
        def readline(self, size: int | None = -1) -> bytes:
            line = super().readline(size)
            taken.append(len(line))
            return line

    monkeypatch.setattr(io, "BytesIO", Counting)
    with pytest.raises(LoadError, match="line 1: longer than"):
        parse_event_file(b"x" * 50_000_000 + b"\n", "big.jsonl")
    assert 0 < sum(taken) <= 1_048_577


def test_the_alias_bomb_is_refused_at_load(acme_copy: Path) -> None:
    shutil.copy(ATTACKS / "alias-bomb.yaml", acme_copy / "3-bomb.yaml")
    assert "alias bomb" in refused(acme_copy).message


def test_deep_nesting_is_refused_at_load(acme_copy: Path) -> None:
    shutil.copy(ATTACKS / "deep-mappings.yaml", acme_copy / "3-deep.yaml")
    assert "nested deeper than" in refused(acme_copy).message


# --- numbers, dates, words ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        ("stakeholder_changed", {"stakeholder": "globex", "invested_usd": ".inf"}, "invested_usd"),
        ("stakeholder_changed", {"stakeholder": "globex", "invested_usd": "1.0e+400"}, "invested_usd"),
        ("stakeholder_changed", {"stakeholder": "globex", "investment_total_usd": "1.0e+300"}, "investment_total_usd"),
        ("stakeholder_changed", {"stakeholder": "globex", "invested_usd": ".nan"}, "invested_usd"),
        ("stakeholder_changed", {"stakeholder": "globex", "invested_usd": "true"}, "invested_usd"),
        ("headcount_reported", {"count": "1" + "0" * 60}, "count"),
        ("headcount_reported", {"count": "true"}, "count"),
        ("headcount_reported", {"count": "'7'"}, "count"),
        ("headcount_reported", {"count": "7.5"}, "count"),
        ("staff_departed", {"count": "1" + "0" * 12}, "count"),
        ("leave_started", {"person": "ada-lovelace", "until": "0001-01-01"}, "until"),
    ],
)
def test_numbers_the_output_cannot_hold_are_refused(
    acme_copy: Path, kind: str, fields: dict[str, str], field: str
) -> None:
    (acme_copy / "3-bad.yaml").write_text(event_yaml(kind, **fields))
    error = refused(acme_copy)
    assert error.field == field and error.event == "2022-01-01-event"


@pytest.mark.parametrize(
    "at",
    [
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:00:00+00:00",
        "1800-01-01T00:30:00+01:00",
        "2200-12-31T23:30:00-01:00",
        "1799-12-31T23:00:00Z",
    ],
)
def test_instants_outside_1800_to_2200_are_refused(acme_copy: Path, at: str) -> None:
    (acme_copy / "3-bad.yaml").write_text(event_yaml(at=at))
    error = refused(acme_copy)
    assert error.field == "at" and "1800-2200" in error.message


def test_the_edges_of_the_supported_years_load(acme_copy: Path) -> None:
    (acme_copy / "3-edges.yaml").write_text(
        event_yaml(at="1800-01-01T00:00:00+00:00")
        + event_yaml(at="2200-12-31T23:59:59+00:00").replace("2022-01-01-event", "2022-01-01-late")
    )
    assert len(load_folder(acme_copy).events) > 2


def test_yes_and_no_read_as_votes_and_as_booleans(acme_copy: Path) -> None:
    (acme_copy / "3-vote.yaml").write_text(
        event_yaml("board_vote", motion="Something", votes="{grace-hopper: no, alan-turing: yes}")
        + event_yaml("office_assigned", office="cto", person="alan-turing", interim="yes").replace(
            "2022-01-01-event", "2022-01-01-cto"
        )
    )
    events = {e.id: e.to_event() for e in load_folder(acme_copy).events}
    assert events["2022-01-01-event"].votes == {"grace-hopper": "no", "alan-turing": "yes"}  # type: ignore[attr-defined]
    assert events["2022-01-01-cto"].interim is True  # type: ignore[attr-defined]


def test_a_word_the_field_does_not_take_is_named_as_written(acme_copy: Path) -> None:
    (acme_copy / "3-vote.yaml").write_text(event_yaml("board_vote", motion="Something", votes="{grace-hopper: off}"))
    error = refused(acme_copy)
    assert error.field == "votes.grace-hopper" and "(got 'off')" in error.message


def test_an_english_quote_needs_no_translation(acme_copy: Path) -> None:
    text = event_yaml().replace("translation: Ada", "language: en")
    (acme_copy / "3-english.yaml").write_text(text)
    source = next(e for e in load_folder(acme_copy).events if e.id == "2022-01-01-event").sources[0]
    assert source.language == "en" and source.translation == "Ada"
    (acme_copy / "3-english.yaml").write_text(text.replace("language: en", "language: fr"))
    error = refused(acme_copy)
    assert error.field == "sources.0.translation" and "unless the source says language: en" in error.message


def test_a_huge_bad_value_is_shown_cut_short(acme_copy: Path) -> None:
    (acme_copy / "3-bad.yaml").write_text(event_yaml(summary="[" + ", ".join(["x" * 1000] * 1000) + "]"))
    assert len(str(refused(acme_copy))) < 300


# --- where errors point ---------------------------------------------------------------------------------------


def test_origins_are_named_relative_to_the_timeline_folder(acme_copy: Path) -> None:
    loaded = load_folder(acme_copy)
    assert set(loaded.origins.values()) == {"1-founding.yaml", "2-crisis.yaml"}
    assert loaded.shown("2020-01-01-ada-founds-acme") == str(acme_copy / "1-founding.yaml")


def test_a_replay_error_still_names_a_file_the_user_can_open(acme_copy: Path) -> None:
    (acme_copy / "3-bad.yaml").write_text(
        event_yaml("board_seat_removed", person="alan-turing").replace("2022-01-01", "2022-06-01")
    )
    with pytest.raises(ReplayError) as caught:
        orgsim.load_timeline(acme_copy)
    assert caught.value.file is not None and Path(caught.value.file).is_file()


def test_an_unknown_cause_names_a_file_the_user_can_open(acme_copy: Path) -> None:
    (acme_copy / "3-bad.yaml").write_text(event_yaml(caused_by="[no-such-event]"))
    error = refused(acme_copy)
    assert error.field == "caused_by" and error.file is not None and Path(error.file).is_file()


# --- every problem at once ------------------------------------------------------------------------------------


def test_check_folder_reports_every_problem_across_files(acme_copy: Path) -> None:
    shutil.copy(ATTACKS / "many-problems.yaml", acme_copy / "3-problems.yaml")
    shutil.copy(ATTACKS / "many-problems-2.yaml", acme_copy / "4-problems.yaml")
    problems = Problems(MAX_PROBLEMS)
    checked = check_folder(acme_copy, problems)
    assert checked.loaded is None
    found = {(e.event, e.field) for e in problems.errors}
    assert {("2022-01-01-typo", "persn"), ("2022-01-02-bad-count", "count"), ("2022-02-01-far-future", "at")} <= found
    assert ("2022-01-03-unknown-cause", "caused_by") in found
    assert ("2022-01-01-typo", "person") not in found  # the misspelling explains the missing field
    assert all("\n" not in str(e) for e in problems.errors)


def test_check_folder_stops_at_its_limit(acme_copy: Path) -> None:
    (acme_copy / "3-many.yaml").write_text(
        "".join(event_yaml(caused_by="[nothing]").replace("event", f"e{i}") for i in range(30))
    )
    problems = Problems(10)
    check_folder(acme_copy, problems)
    assert len(problems.errors) == 10 and problems.more


def test_check_folder_loads_a_clean_timeline(acme_copy: Path) -> None:
    problems = Problems(MAX_PROBLEMS)
    checked = check_folder(acme_copy, problems)
    assert checked.loaded is not None and not problems.errors


# --- parsing bytes already read -------------------------------------------------------------------------------


def test_a_folder_parses_from_bytes_read_once(acme_copy: Path) -> None:
    manifest, *events = timeline_files(acme_copy)
    data = [(path.name, path.read_bytes()) for path in events]
    assert all(len(content) <= read_limit(path) for path, (_, content) in zip(events, data, strict=True))
    parsed = parse_folder(acme_copy, manifest.read_bytes(), data)
    assert parsed.events == load_folder(acme_copy).events and parsed.origins == load_folder(acme_copy).origins


def test_parse_event_file_takes_the_format_from_the_name() -> None:
    line = json.dumps(
        {"type": "statement", "id": "a", "at": "2022-01-01T09:00:00Z", "precision": "day", "summary": "s"}
    ).encode()
    assert parse_event_file(line + b"\n", "x.jsonl", require_sources=False)[0].id == "a"
    with pytest.raises(OrgsimError, match="expected a list of events"):
        parse_event_file(line, "x.yaml", require_sources=False)


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "x" * 300, "Asia/Shanghai\x00"])
def test_a_zone_that_is_no_zone_name_is_refused_without_being_looked_up(acme_copy: Path, name: str) -> None:
    (acme_copy / "3-zone.yaml").write_text(event_yaml(zone=json.dumps(name)))
    error = refused(acme_copy)
    assert error.field == "zone" and "unknown time zone" in error.message
    manifest = (acme_copy / "timeline.yaml").read_text().replace("Europe/London", json.dumps(name))
    (acme_copy / "timeline.yaml").write_text(manifest)
    error = refused(acme_copy)
    assert error.field == "home_zone" and "unknown time zone" in error.message


# --- links: a timeline's files stay inside its folder ---------------------------------------------------------


def outside_copy(acme_copy: Path, name: str, tmp_path: Path) -> Path:
    """Move ``name`` of the acme copy out of its folder and leave a link to it in its place."""
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    moved = outside / name
    (acme_copy / name).rename(moved)
    (acme_copy / name).symlink_to(moved)
    return moved


@pytest.mark.parametrize("cache", [False, True])
def test_a_manifest_linked_outside_the_timeline_folder_is_not_read(
    acme_copy: Path, tmp_path: Path, cache: bool
) -> None:
    outside_copy(acme_copy, "timeline.yaml", tmp_path)
    with pytest.raises(LoadError, match="a link leading outside the timeline folder: not read") as caught:
        load_folder(acme_copy, cache=cache)
    assert caught.value.file is not None and caught.value.file.endswith("timeline.yaml")


@pytest.mark.parametrize("cache", [False, True])
def test_an_event_file_linked_outside_the_timeline_folder_is_not_read(
    acme_copy: Path, tmp_path: Path, cache: bool
) -> None:
    outside_copy(acme_copy, "2-crisis.yaml", tmp_path)
    with pytest.raises(LoadError, match="a link leading outside the timeline folder") as caught:
        load_folder(acme_copy, cache=cache)
    assert caught.value.file is not None and caught.value.file.endswith("2-crisis.yaml")


def test_a_json_lines_file_linked_outside_the_timeline_folder_is_not_read(acme_copy: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.jsonl"
    secret.write_text('{"secret": "root:x:0:0"}\n', encoding="utf-8")
    (acme_copy / "3-linked.jsonl").symlink_to(secret)
    error = refused(acme_copy)
    assert "outside the timeline folder" in error.message and "root:x" not in str(error)


def test_a_link_to_a_file_inside_the_timeline_folder_is_read(acme_copy: Path) -> None:
    (acme_copy / "kept").mkdir()
    (acme_copy / "2-crisis.yaml").rename(acme_copy / "kept" / "crisis.yaml")
    (acme_copy / "2-crisis.yaml").symlink_to(Path("kept") / "crisis.yaml")
    assert load_folder(acme_copy).events == load_folder(ACME).events


def test_a_timeline_folder_reached_through_a_link_is_read(acme_copy: Path, tmp_path: Path) -> None:
    (tmp_path / "linked").symlink_to(acme_copy)
    assert load_folder(tmp_path / "linked").events == load_folder(ACME).events


@pytest.mark.parametrize(("target", "said"), [("/dev/zero", "not a regular file"), ("missing.yaml", "no such file")])
def test_a_manifest_that_is_a_device_or_a_dangling_link_is_named_for_what_it_is(
    acme_copy: Path, target: str, said: str
) -> None:
    (acme_copy / "timeline.yaml").unlink()
    (acme_copy / "timeline.yaml").symlink_to(target)
    error = refused(acme_copy)
    assert said in error.message and "no timeline.yaml" not in str(error)
