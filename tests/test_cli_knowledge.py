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


def test_tenures_as_table_json_and_csv() -> None:
    table = orgsim("tenures", "--office", "cfo", "--events", KNOWS)
    assert table.returncode == 0 and table.stdout.startswith("CFO\n  a new finance chief\n")
    assert "for   19 days as recorded; between 18 days and 20 days" in table.stdout
    assert "began: [new-cfo] A new finance chief is appointed." in table.stdout
    data = json.loads(orgsim("tenures", "--office", "cfo", "--events", KNOWS, "--format", "json").stdout)
    assert [t["person"] for t in data] == ["unnamed-cfo", "dana"]
    assert data[1]["end"]["why"] == "still held when coverage ends (2021-12-31): not known after"
    rows = orgsim("tenures", "--office", "cfo", "--events", KNOWS, "--format", "csv").stdout.splitlines()
    assert rows[0].startswith("kind,key,person,name,interim,role") and len(rows) == 3
    assert rows[1].startswith("office,cfo,unnamed-cfo,a new finance chief,false,office,")


def test_tenures_refuses_an_office_nobody_held_and_an_unknown_person() -> None:
    office = orgsim("tenures", "--office", "cto", "--events", KNOWS)
    assert office.returncode == 2 and office.stderr == (
        "orgsim: error: --office: no event gives anyone the office 'cto' (offices: ceo, cfo)\n"
    )
    person = orgsim("tenures", "--person", "dan", "--events", KNOWS)
    assert person.returncode == 2 and "unknown person 'dan'; did you mean dana" in person.stderr


def test_person_history_in_one_table() -> None:
    result = orgsim("person", "ada", "--events", KNOWS)
    assert result.returncode == 0 and result.stdout.startswith("Ada (ada) — timeline 'knows'")
    assert "Leaves\n  Ada — sabbatical" in result.stdout and "Chair of the board\n  Ada" in result.stdout


def test_explain_with_and_without_but_for_causes() -> None:
    result = orgsim("explain", "offices.cfo", "--at", "2020-05-25", "--events", KNOWS)
    assert result.returncode == 0
    assert "value: Dana" in result.stdout and "[cfo-is-dana]" in result.stdout
    assert "But-for causes: 2 of the" in result.stdout
    assert "without [cfo-is-dana]: a new finance chief" in result.stdout
    quick = json.loads(
        orgsim(
            "explain", "offices.cfo", "--at", "2020-05-25", "--no-but-for", "--events", KNOWS, "--format", "json"
        ).stdout
    )
    assert quick["but_for"] is None and quick["set_by"]["event"] == "cfo-is-dana"
    bad = orgsim("explain", "bored", "--at", "2020-05-25", "--events", KNOWS)
    assert bad.returncode == 2 and bad.stderr.startswith("orgsim: error: PATH: unknown state field 'bored'")


def test_state_as_known_at_lists_what_was_not_yet_public() -> None:
    result = orgsim("state", "--as-known-at", "2020-01-03T12:00", "--events", KNOWS, "--format", "json")
    data = json.loads(result.stdout)
    assert data["board"]["members"] == ["ada"] and data["known_at"]["hidden"] == ["bob-on-board"]
    table = orgsim("state", "--at", "2020-01-03T12:00", "--known-at", "2020-01-03T12:00", "--events", KNOWS)
    assert "Initech as known at" in table.stdout and "[bob-on-board] public" in table.stdout
    both = orgsim("state", "--as-known-at", "2020-01-03", "--at", "2020-01-03", "--events", KNOWS)
    assert both.returncode == 2 and "give it alone" in both.stderr


def test_lag_in_every_format() -> None:
    table = orgsim("lag", "--events", KNOWS)
    assert table.stdout.startswith("6 days 10 hours to 7 days 10 hours later (it is dated to the day): [new-cfo]")
    data = json.loads(orgsim("lag", "--events", KNOWS, "--format", "json").stdout)
    assert data[0]["event"] == "new-cfo" and data[0]["lag_seconds"] == 6 * 86400 + 21 * 3600
    rows = orgsim("lag", "--events", KNOWS, "--format", "csv").stdout.splitlines()
    assert rows[0] == (
        "event,at,precision,reported_at,lag_seconds,lag_shortest_seconds,lag_longest_seconds,lag,summary"
    )
    assert rows[1].startswith("new-cfo,")
