"""What the command line says where the timeline does not know, through the real entry point."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

KNOWS = str(Path(__file__).parent / "fixtures" / "knows")


def orgsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)


def test_outside_coverage_the_json_is_null_lists_why_and_stderr_warns() -> None:
    result = orgsim("state", "--at", "2019-06-01", "--events", KNOWS, "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["ceo"] is None and data["board"]["chair"] is None and data["employees"]["headcount"] is None
    assert "offices.ceo" in data["unknown"] and data["why_unknown"]["board"] == "not covered before 2020-01-01"
    assert data["as_of"] == {}
    assert result.stderr == (
        "orgsim: warning: 2019-06-01T23:59:59.999999+01:00 is outside everything the timeline covers "
        "(from 2020-01-01 to 2021-12-31): every value is unknown\n"
    )


def test_the_table_says_unknown_and_why_never_vacant() -> None:
    result = orgsim("state", "--at", "2019-06-01", "--events", KNOWS)
    assert result.returncode == 0
    assert "CEO                          unknown (not covered before 2020-01-01" in result.stdout
    assert "no answer here is known, so no event is behind one" in result.stdout
    assert "vacant" not in result.stdout and "none" not in result.stdout.replace("nobody", "")


def test_as_of_gives_since_when_and_the_event_in_the_zone_asked_for() -> None:
    result = orgsim("state", "--at", "2020-05-25", "--tz", "UTC", "--events", KNOWS, "--format", "json")
    held = json.loads(result.stdout)["as_of"]
    assert held["offices.ceo"] == {"since": "2020-01-02T09:00:00+00:00", "event": "ada-founds"}
    assert held["offices.cfo"]["event"] == "cfo-is-dana"
    assert "employees.headcount" not in held  # stale: no age for an unknown value


def test_an_inside_instant_does_not_warn_and_pending_announcements_show() -> None:
    result = orgsim("state", "--at", "2020-03-02", "--events", KNOWS)
    assert result.returncode == 0 and result.stderr == ""
    assert "Announced, not done" in result.stdout and "Globex will hire Ada" in result.stdout


def test_validate_lists_covered_parts_nothing_sets_yet() -> None:
    result = orgsim("validate", KNOWS)
    assert result.returncode == 0
    assert "structure: covered from Wed 2020-01-01 (day), first set never set" in result.stdout
    assert "people placed only after their coverage starts: ada, bob" in result.stdout


def test_validate_refuses_an_event_outside_coverage_in_one_line(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "knows"
    shutil.copytree(KNOWS, folder)
    events = yaml.safe_load((folder / "events.yaml").read_text())
    events.append({**events[1], "id": "too-early", "at": "2019-03-01T09:00:00+00:00"})
    (folder / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True))
    result = orgsim("validate", str(folder))
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "event 'too-early': field 'at': outside the coverage of every part" in lines[0]
