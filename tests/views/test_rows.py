"""``--format csv`` and ``--format jsonl`` through the console script: stable headers, one row a line, instants with
their offset in the zone the command names, the same rows as ``--format json``."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from orgsim.views.rows import (
    DIFF_COLUMNS,
    DIVERGENCE_COLUMNS,
    EVENT_COLUMNS,
    SIDE_BY_SIDE_COLUMNS,
    cells,
    csv_text,
)

README = Path(__file__).parents[2] / "README.md"
OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")


def orgsim(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``orgsim`` command (the console script) and capture its output."""
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)


def ok(*args: str) -> str:
    made = orgsim(*args)
    assert made.returncode == 0, made.stderr
    assert made.stderr == ""
    return made.stdout


def table(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def lines(text: str) -> list[dict[str, Any]]:
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


CRISIS = ("--from", "2023-11-17", "--to", "2023-11-21")
COMMANDS = {
    "events": (("events", *CRISIS), EVENT_COLUMNS),
    "diff": (("diff", "--from", "2023-11-17T11:00", "--to", "2023-11-17T13:00"), DIFF_COLUMNS),
    "scenario diff": (("scenario", "diff", "no-firing"), DIVERGENCE_COLUMNS),
    "scenario diff --at": (("scenario", "diff", "no-firing", "--at", "2023-11-20T10:00"), SIDE_BY_SIDE_COLUMNS),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_csv_has_the_stable_header_and_as_many_rows_as_jsonl(name: str) -> None:
    args, header = COMMANDS[name]
    columns, rows = table(ok(*args, "--format", "csv"))
    assert tuple(columns) == header
    objects = lines(ok(*args, "--format", "jsonl"))
    assert rows and len(rows) == len(objects)


def test_the_readme_documents_each_header() -> None:
    text = README.read_text(encoding="utf-8")
    for header in (EVENT_COLUMNS, DIFF_COLUMNS, DIVERGENCE_COLUMNS, SIDE_BY_SIDE_COLUMNS):
        assert ",".join(header) in text


@pytest.mark.parametrize("command", ["tenures", "lag"])
def test_the_readme_documents_the_tenures_and_lag_headers(command: str) -> None:
    header = ok(command, "--format", "csv").splitlines()[0]
    assert header in README.read_text(encoding="utf-8")


def test_events_csv_instants_are_in_the_zone_asked_for_with_their_offset() -> None:
    _, rows = table(ok("events", *CRISIS, "--tz", "Asia/Shanghai", "--format", "csv"))
    vote = next(r for r in rows if r["id"] == "2023-11-17-board-votes-to-remove-altman")
    assert vote["at"] == "2023-11-18T04:00:00+08:00"  # noon Pacific
    assert all(OFFSET.match(r["at"]) for r in rows)
    assert all(OFFSET.match(r["reported_at"]) for r in rows if r["reported_at"])
    murati = next(r for r in rows if r["id"] == "2023-11-17-murati-named-interim-ceo")
    assert (murati["person"], murati["office"], murati["interim"]) == ("mira-murati", "ceo", "true")
    assert {"ilya-sutskever", "adam-dangelo", "sam-altman"} <= set(vote["people"].split(";"))
    assert vote["file"] == "30-2023-11-17-to-22.yaml" and vote["quote"] and int(vote["sources"]) >= 2


def test_events_jsonl_is_the_json_list_one_event_a_line() -> None:
    as_json = json.loads(ok("events", *CRISIS, "--format", "json"))
    assert lines(ok("events", *CRISIS, "--format", "jsonl")) == as_json


@pytest.mark.parametrize(
    "args",
    [("tenures", "--office", "ceo"), ("lag",), ("tenures", "--board", "--tz", "UTC")],
)
def test_tenures_and_lag_jsonl_are_their_json_lists_one_item_a_line(args: tuple[str, ...]) -> None:
    assert lines(ok(*args, "--format", "jsonl")) == json.loads(ok(*args, "--format", "json"))


def test_person_jsonl_is_their_history_one_holding_a_line() -> None:
    history = json.loads(ok("person", "mira-murati", "--format", "json"))["history"]
    assert lines(ok("person", "mira-murati", "--format", "jsonl")) == history


def test_diff_rows_name_each_steps_change_then_the_net() -> None:
    _, rows = table(ok("diff", "--from", "2023-11-17T11:00", "--to", "2023-11-17T13:00", "--format", "csv"))
    ceo = [r for r in rows if r["path"] == "offices.ceo"]
    assert [r["scope"] for r in ceo] == ["step", "net"]
    assert ceo[0]["event"] == "2023-11-17-murati-named-interim-ceo"
    assert json.loads(ceo[0]["before"]) == {"person": "sam-altman", "interim": False}
    assert json.loads(ceo[0]["after"]) == {"person": "mira-murati", "interim": True}
    assert ceo[1]["event"] == "" and ceo[1]["at"] == ""
    objects = lines(ok("diff", "--from", "2023-11-17T11:00", "--to", "2023-11-17T13:00", "--format", "jsonl"))
    step = next(o for o in objects if o["path"] == "offices.ceo")
    assert step["after"] == {"person": "mira-murati", "interim": True}  # typed, not text
    assert set(step) == set(DIFF_COLUMNS)


def test_scenario_diff_rows_are_each_stretch_of_divergence() -> None:
    _, rows = table(ok("scenario", "diff", "no-firing", "--tz", "UTC", "--format", "csv"))
    ceo = [r for r in rows if r["path"] == "offices.ceo"]
    assert ceo[0]["start"] == "2023-11-17T20:00:00+00:00"
    assert json.loads(ceo[0]["history"])["person"] == "mira-murati"
    assert "2023-11-17-board-votes-to-remove-altman" in ceo[0]["because"].split(";")
    at = lines(ok("scenario", "diff", "no-firing", "--at", "2023-11-20T10:00", "--format", "jsonl"))
    shear = next(o for o in at if o["path"] == "offices.ceo")
    assert shear == {
        "at": "2023-11-20T10:00:00-08:00",
        "path": "offices.ceo",
        "history": {"person": "emmett-shear", "interim": True},
        "what_if": {"person": "sam-altman", "interim": False},
    }


def test_cells_write_nothing_as_empty_ids_joined_and_control_characters_visibly() -> None:
    assert cells([None, True, ("a", "b"), {"x": 1}, "bell\x07"]) == ["", "true", "a;b", '{"x":1}', "bell\\x07"]
    assert csv_text(("a", "b"), [("x,y", 'say "hi"')]) == 'a,b\n"x,y","say ""hi"""\n'


@pytest.mark.parametrize(
    "args",
    [
        ("events", "--format", "xml"),
        ("diff", "--from", "2023-11-17", "--to", "2023-11-16", "--format", "csv"),
        ("scenario", "diff", "no-such-scenario", "--format", "jsonl"),
        ("events", "--tz", "PST", "--format", "csv"),
    ],
)
def test_bad_input_with_a_row_format_is_one_line_on_stderr_and_exit_2(args: tuple[str, ...]) -> None:
    made = orgsim(*args)
    assert made.returncode == 2 and made.stdout == ""
    assert made.stderr.startswith("orgsim: error: ") and made.stderr.count("\n") == 1
