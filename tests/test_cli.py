"""The command line through its real entry point: output, JSON contract, errors and exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ACME = str(Path(__file__).parent / "fixtures" / "acme")


def orgsim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``orgsim`` command (the console script) and capture its output."""
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_the_console_script_and_python_m_agree() -> None:
    script = orgsim("state", "--at", "2021-03-02", "--events", ACME, "--format", "json")
    module = subprocess.run(
        [sys.executable, "-m", "orgsim", "state", "--at", "2021-03-02", "--events", ACME, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert script.returncode == 0 and script.stdout == module.stdout


def test_state_json_has_the_contract_keys() -> None:
    result = orgsim("state", "--at", "2021-03-02", "--events", ACME, "--format", "json")
    data = json.loads(result.stdout)
    assert {"at", "timeline", "ceo", "offices", "board", "employees", "stakeholders", "people"} <= set(data)
    assert data["timeline"] == "acme"
    assert data["ceo"] == {"person": "charles-babbage", "interim": True} == data["offices"]["ceo"]
    assert set(data["board"]) >= {"chair", "members", "observers"}
    assert set(data["employees"]) >= {"headcount", "open_letter_signatories"}
    assert set(data["stakeholders"]["globex"]) >= {"investment_usd", "board_seat", "employs"}
    assert data["stakeholders"]["globex"]["board_seat"] == "none"
    assert set(data["people"]["ada-lovelace"]) >= {"name", "at_org", "on_leave", "affiliation"}
    assert data["at"] == "2021-03-02T23:59:59.999999+00:00"


def test_state_table_echoes_the_instant_and_reads_well() -> None:
    result = orgsim("state", "--at", "2021-03-02T08:00", "--tz", "America/New_York", "--events", ACME)
    assert result.returncode == 0
    assert "2021-03-02T13:00:00+00:00" in result.stdout and "America/New_York" in result.stdout
    assert "Charles Babbage (interim)" in result.stdout


def test_events_lists_in_replay_order_with_sources_and_filters() -> None:
    table = orgsim("events", "--events", ACME, "--from", "2021-03-01", "--to", "2021-03-02")
    assert table.returncode == 0
    assert "Charles becomes interim CEO." in table.stdout and "memo.txt" in table.stdout
    assert "Ada Lovelace founds Acme." not in table.stdout
    data = json.loads(orgsim("events", "--events", ACME, "--format", "json", "--type", "board_vote").stdout)
    assert [e["id"] for e in data] == ["2021-03-01-board-removes-ada"]
    assert data[0]["sources"][0]["quote"] and data[0]["file"].endswith("2-crisis.yaml")
    every = json.loads(orgsim("events", "--events", ACME, "--format", "json").stdout)
    assert len(every) == 25 and [e["at"] for e in every] == sorted(e["at"] for e in every)


def test_diff_shows_what_changed_event_by_event() -> None:
    result = orgsim("diff", "--events", ACME, "--from", "2021-02-28", "--to", "2021-03-01T12:00")
    assert result.returncode == 0
    assert "2021-03-01-ada-fired" in result.stdout and "offices.ceo" in result.stdout
    data = json.loads(
        orgsim("diff", "--events", ACME, "--from", "2021-02-28", "--to", "2021-03-01T12:00", "--format", "json").stdout
    )
    assert data["steps"][0]["event"] == "2021-03-01-board-removes-ada"
    assert any(c["path"] == "board.members" for c in data["net"])


def test_validate_and_schema() -> None:
    result = orgsim("validate", ACME)
    assert result.returncode == 0 and "25 source quotes checked verbatim" in result.stdout
    schema = json.loads(orgsim("schema").stdout)
    assert schema["type"] == "array" and "board_vote" in json.dumps(schema)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["state", "--at", "not-a-time", "--events", ACME], "cannot read 'not-a-time'"),
        (["state", "--at", "2021-01-01", "--tz", "Mars/Base", "--events", ACME], "unknown time zone"),
        (["state", "--at", "2021-01-01", "--events", "/no/such/folder"], "no such timeline folder"),
        (["events", "--type", "coup", "--events", ACME], "unknown event type 'coup'"),
        (["diff", "--from", "2021-03-02", "--to", "2021-03-01", "--events", ACME], "is before --from"),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(args: list[str], needle: str) -> None:
    result = orgsim(*args)
    assert result.returncode == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_invalid_event_file_names_file_event_and_field(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "acme"
    shutil.copytree(ACME, folder)
    path = folder / "2-crisis.yaml"
    path.write_text(
        path.read_text().replace(
            "  office: ceo\n  person: charles-babbage\n", "  office: ceo\n  persn: charles-babbage\n", 1
        )
    )
    result = orgsim("validate", str(folder))
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "2-crisis.yaml" in line and "event '2021-03-01-charles-interim'" in line and "field 'persn'" in line
    assert "Traceback" not in result.stderr


def test_unknown_event_type_in_a_file(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "acme"
    shutil.copytree(ACME, folder)
    path = folder / "2-crisis.yaml"
    path.write_text(path.read_text().replace("type: statement", "type: proclamation"))
    result = orgsim("validate", str(folder))
    assert result.returncode == 2 and "unknown event type 'proclamation'" in result.stderr
    assert "event '2021-07-04-memo'" in result.stderr and "field 'type'" in result.stderr


def test_report_and_plot_commands(tmp_path: Path) -> None:
    page = tmp_path / "crisis.html"
    made = orgsim("report", "--out", str(page), "--scenario", "no-firing")
    assert made.returncode == 0 and 'id="orgsim-data"' in page.read_text(encoding="utf-8")
    image = tmp_path / "crisis.svg"
    assert orgsim("plot", "--out", str(image), "--from", "2023-11-15", "--to", "2023-11-24").returncode == 0
    assert image.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    refused = orgsim("plot", "--out", str(tmp_path / "crisis.pdf"))
    assert refused.returncode == 2 and ".pdf" in refused.stderr and not (tmp_path / "crisis.pdf").exists()
    nowhere = orgsim("report", "--out", str(tmp_path / "missing" / "x.html"))
    assert nowhere.returncode == 2 and not (tmp_path / "missing").exists()
    assert "Traceback" not in refused.stderr + nowhere.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["state"], "Missing option '--at'"),
        (["stat", "--at", "2023-11-18"], "No such command 'stat'"),
        (["state", "--at", "2023-11-18", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_command_line_misuse_is_one_line_too(args: list[str], needle: str) -> None:
    result = orgsim(*args)
    assert result.returncode == 2 and needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def test_a_bare_command_shows_its_help() -> None:
    result = orgsim()
    assert result.returncode == 0 and "Usage: orgsim" in result.stdout and "state" in result.stdout
