"""The command line through its real entry point: output, JSON contract, errors and exit status."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
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
    assert len(every) == 26 and [e["at"] for e in every] == sorted(e["at"] for e in every)


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
    assert result.returncode == 0 and "26 source quotes checked verbatim" in result.stdout
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
        (["state"], "give --at (or --as-known-at)"),
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


# --- In-process runs of the same entry point (fast), for the many cases below -------------------------------------

CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Any character that could steer a terminal or reorder or split a line (``\\n`` between lines excepted)."""


@dataclass
class Run:
    """What one run of ``orgsim`` did."""

    code: int
    stdout: str
    stderr: str


def cli(*args: str, columns: int | None = None) -> Run:
    """Run ``orgsim`` in this process through its real entry point (``main``), capturing both streams."""
    from click.testing import CliRunner

    from orgsim.cli import main

    env = {"COLUMNS": str(columns)} if columns is not None else {"COLUMNS": "100"}
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def assert_one_line_error(run: Run, *needles: str) -> str:
    """The run failed as bad input must: exit 2, one printable line on stderr, nothing on stdout."""
    assert run.code == 2, run
    assert run.stdout == ""
    line = run.stderr.rstrip("\n")
    assert "\n" not in line and line.startswith("orgsim: error: ") and "Traceback" not in line
    assert not CONTROL.search(line), line
    for needle in needles:
        assert needle in line, (needle, line)
    return line


def ids(run: Run) -> list[str]:
    """The event ids of an ``events --format json`` run."""
    assert run.code == 0, run
    return [e["id"] for e in json.loads(run.stdout)]


# Item 8: no text from a timeline reaches the terminal as a control sequence, and errors stay on one line.

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b[1;1Hall checks passed\r\n\u202eevil\u2028x\x9b31m"


@pytest.fixture
def hostile(acme_copy: Path) -> Path:
    """The acme timeline with escape sequences in a summary, a name, a quote, a title and a structure."""
    escaped = json.dumps(HOSTILE)  # a YAML double-quoted string takes JSON's escapes
    manifest = acme_copy / "timeline.yaml"
    text = manifest.read_text().replace("{name: Charles Babbage,", f"{{name: {escaped},")
    manifest.write_text(text.replace("organisation_name: Acme Rockets", f"organisation_name: {escaped}"))
    crisis = acme_copy / "2-crisis.yaml"
    text = crisis.read_text().replace("summary: Charles becomes interim CEO.", f"summary: {escaped}")
    crisis.write_text(text)
    (acme_copy / "sources" / "memo.txt").write_text(
        (acme_copy / "sources" / "memo.txt").read_text(encoding="utf-8") + HOSTILE, encoding="utf-8"
    )
    crisis.write_text(crisis.read_text().replace("translation: same}]", f"translation: {escaped}}}]", 1))
    scenario = acme_copy.parent / "what-if.yaml"
    scenario.write_text(
        f"title: {escaped}\ndescription: {escaped}\ninterventions:\n  - remove: 2021-03-05-ada-back\n    why: test\n"
    )
    return acme_copy


@pytest.mark.parametrize(
    "args",
    [
        ["state", "--at", "2021-03-02"],
        ["state", "--at", "2021-03-02", "--tz", "Asia/Tokyo"],
        ["events"],
        ["events", "--oneline"],
        ["diff", "--from", "2021-03-01", "--to", "2021-03-06"],
        ["scenario", "run", "{scenario}", "--at", "2021-03-06"],
        ["scenario", "diff", "{scenario}"],
        ["scenario", "diff", "{scenario}", "--at", "2021-03-06"],
        ["scenario", "check", "{scenario}"],
    ],
)
def test_text_output_escapes_every_control_character(hostile: Path, args: list[str]) -> None:
    args = [a.replace("{scenario}", str(hostile.parent / "what-if.yaml")) for a in args]
    for columns in (60, 200):
        run = cli(*args, "--events", str(hostile), columns=columns)
        assert run.code == 0, run
        assert not CONTROL.search(run.stdout), CONTROL.findall(run.stdout)
        assert "\\x1b]0;pwned\\x07" in run.stdout or columns < 200  # shown, harmless


def test_json_output_keeps_control_characters_escaped_and_intact(hostile: Path) -> None:
    run = cli("events", "--events", str(hostile), "--format", "json")
    assert not CONTROL.search(run.stdout)
    assert HOSTILE in [e["summary"] for e in json.loads(run.stdout)]
    state = cli("state", "--at", "2021-03-02", "--events", str(hostile), "--format", "json")
    assert not CONTROL.search(state.stdout)
    assert json.loads(state.stdout)["people"]["charles-babbage"]["name"] == HOSTILE


def test_a_newline_or_escape_in_a_file_name_stays_on_one_line(acme_copy: Path) -> None:
    (acme_copy / "3-bad\n\x1b[2Jname.yaml").write_text("- id: [unclosed\n")
    line = assert_one_line_error(cli("state", "--at", "2021-03-02", "--events", str(acme_copy)))
    assert "3-bad\\n\\x1b[2Jname.yaml" in line


def test_a_parsers_multi_line_message_becomes_one_line(acme_copy: Path) -> None:
    (acme_copy / "3-bad.yaml").write_text("- id: bell\x07here\n")  # PyYAML's reader error spans two lines
    assert_one_line_error(cli("validate", str(acme_copy)), "3-bad.yaml")


def test_an_escape_in_a_command_line_argument_is_shown_escaped() -> None:
    assert_one_line_error(cli("stat\x1b[2J", "--at", "2023-11-18"), "stat\\x1b[2J")
    assert_one_line_error(cli("state", "--at", "2023\n-11-18", "--events", ACME), "2023\\n-11-18")


# Items 15 and 17: --person names a known id, and may be given several times.


def test_an_unknown_person_is_an_error_that_suggests_the_nearest() -> None:
    assert_one_line_error(cli("events", "--person", "lovelace", "--events", ACME), "'lovelace'", "'ada-lovelace'")
    assert_one_line_error(cli("events", "--person", "Charles Babage", "--events", ACME), "'charles-babbage'")
    assert_one_line_error(cli("events", "--person", "nobody-at-all", "--events", ACME), "no person has the id")


def test_the_bundled_timeline_suggests_sam_altman_for_altman() -> None:
    assert_one_line_error(cli("events", "--person", "altman"), "'sam-altman' (Sam Altman)")


def test_person_is_repeatable_and_selects_events_naming_any_of_them() -> None:
    ada = ids(cli("events", "--person", "ada-lovelace", "--format", "json", "--events", ACME))
    charles = ids(cli("events", "--person", "charles-babbage", "--format", "json", "--events", ACME))
    both = ids(
        cli("events", "--person", "ada-lovelace", "--person", "charles-babbage", "--format", "json", "--events", ACME)
    )
    every = ids(cli("events", "--format", "json", "--events", ACME))
    assert set(ada) - set(charles) and set(charles) - set(ada)  # the test means something
    assert both == [i for i in every if i in set(ada) | set(charles)]


# Item 18: an imprecise event keeps the date its source gives it, in the zone the source uses.


def test_a_day_precision_event_keeps_its_sources_date_in_another_zone() -> None:
    run = cli("events", "--from", "2023-11-17", "--to", "2023-11-17", "--tz", "Asia/Shanghai", "--oneline")
    apec = [line for line in run.stdout.splitlines() if "2023-11-16-altman-at-apec-ceo-summit" in line]
    assert apec and apec[0].startswith("Thu 2023-11-16 (day, America/Los_Angeles)")
    assert "Fri 2023-11-17 (day)" not in apec[0]


def test_an_events_zone_dates_it(acme_copy: Path) -> None:
    crisis = acme_copy / "2-crisis.yaml"
    crisis.write_text(
        crisis.read_text().replace(
            '  at: "2021-03-03T12:00:00+00:00"\n  precision: day\n',
            '  at: "2021-03-03T20:00:00+00:00"\n  precision: day\n  zone: Asia/Tokyo\n',
        )
    )
    run = cli("events", "--events", str(acme_copy), "--oneline")
    letter = next(line for line in run.stdout.splitlines() if "2021-03-03-letter" in line)
    assert letter.startswith("Thu 2021-03-04 (day, Asia/Tokyo)")  # 20:00 UTC is the 4th in Tokyo
    tokyo = cli("events", "--events", str(acme_copy), "--oneline", "--tz", "asia/tokyo")
    assert next(line for line in tokyo.stdout.splitlines() if "2021-03-03-letter" in line).startswith(
        "Thu 2021-03-04 (day)  "
    )


def test_an_imprecise_event_is_in_a_range_its_period_overlaps(acme_copy: Path) -> None:
    # 2021-03-02-globex-hires-ada is dated to 2 March (London); its instant is noon.
    morning = ["events", "--events", ACME, "--from", "2021-03-02T08:00", "--to", "2021-03-02T09:00"]
    assert "2021-03-02-globex-hires-ada" in ids(cli(*morning, "--format", "json"))
    text = cli(*morning).stdout
    assert "Dated only to an overlapping day, month or year (1):" in text
    whole_day = cli("events", "--events", ACME, "--from", "2021-03-02", "--to", "2021-03-02").stdout
    assert "Globex hires Ada." in whole_day and "Dated only" not in whole_day
    day_before = ["events", "--events", ACME, "--from", "2021-03-01T12:00", "--to", "2021-03-01T23:59"]
    assert "2021-03-02-globex-hires-ada" not in ids(cli(*day_before, "--format", "json"))
    # In Tokyo, the London day of 2 March begins at 09:00 on the 2nd.
    tokyo = ["events", "--events", ACME, "--tz", "Asia/Tokyo", "--format", "json", "--to", "2021-03-02T08:59"]
    assert "2021-03-02-globex-hires-ada" not in ids(cli(*tokyo, "--from", "2021-03-02"))


# Items 19 and 29: week input, ambiguous local times, zone names.


def test_an_ambiguous_local_time_is_refused_with_both_instants() -> None:
    line = assert_one_line_error(cli("state", "--at", "2023-11-05T01:30"), "ambiguous in America/Los_Angeles")
    assert "2023-11-05T01:30:00-07:00" in line and "2023-11-05T01:30:00-08:00" in line and "offset" in line
    assert cli("state", "--at", "2023-11-05T01:30-08:00", "--format", "json").code == 0


def test_a_week_means_the_whole_week() -> None:
    data = json.loads(cli("state", "--at", "2021-W09", "--events", ACME, "--format", "json").stdout)
    assert data["at"] == "2021-03-07T23:59:59.999999+00:00"
    week = ids(cli("events", "--events", ACME, "--from", "2021-W09", "--to", "2021-W09", "--format", "json"))
    assert "2021-03-01-board-removes-ada" in week and "2021-03-06-charles-sabbatical" in week


@pytest.mark.parametrize(
    ("tz", "shown"), [("asia/tokyo", "Asia/Tokyo"), ("+09:00", "+09:00"), ("UTC+9", "+09:00"), ("utc", "UTC")]
)
def test_tz_takes_any_case_and_fixed_offsets(tz: str, shown: str) -> None:
    run = cli("state", "--at", "2021-03-02T09:00", "--tz", tz, "--events", ACME)
    assert run.code == 0 and shown in run.stdout
    data = json.loads(cli("state", "--at", "2021-03-02T09:00", "--tz", tz, "--events", ACME, "--format", "json").stdout)
    assert data["at"].endswith("+09:00" if shown != "UTC" else "+00:00")


def test_tz_refuses_an_abbreviation_and_suggests_zones() -> None:
    line = assert_one_line_error(cli("state", "--at", "2021-03-02", "--tz", "PST", "--events", ACME), "'PST'")
    assert "America/Los_Angeles" in line and "Asia/Manila" in line and "abbreviation" in line


# Item 22: one rule for range bounds in every command.


def test_from_includes_its_instant() -> None:
    at_ten = ids(
        cli("events", "--events", ACME, "--from", "2021-03-01T10:00", "--to", "2021-03-01T10:00", "--format", "json")
    )
    assert at_ten == ["2021-03-01-board-removes-ada", "2021-03-01-ada-off-board", "2021-03-01-ada-fired"]
    diff = json.loads(
        cli(
            "diff", "--events", ACME, "--from", "2021-03-01T10:00", "--to", "2021-03-01T10:00", "--format", "json"
        ).stdout
    )
    assert [s["event"] for s in diff["steps"]] == at_ten
    assert any(c["path"] == "offices.ceo" for c in diff["net"])


def test_a_bare_date_in_from_is_the_start_of_that_day_for_every_command() -> None:
    diff = json.loads(
        cli("diff", "--events", ACME, "--from", "2021-03-01", "--to", "2021-03-01", "--format", "json").stdout
    )
    assert diff["from"] == "2021-03-01T00:00:00+00:00" and diff["to"] == "2021-03-01T23:59:59.999999+00:00"
    listed = ids(cli("events", "--events", ACME, "--from", "2021-03-01", "--to", "2021-03-01", "--format", "json"))
    assert [s["event"] for s in diff["steps"]] == listed  # all of the acme day's events have minute precision
    assert listed[0] == "2021-03-01-board-removes-ada"


# Item 23: every instant in JSON in the zone asked for, else the home zone.


def test_json_instants_are_in_the_zone_asked_for_else_the_home_zone(tmp_path: Path) -> None:
    scenario = tmp_path / "what-if.yaml"
    scenario.write_text("title: No return\ninterventions:\n  - remove: 2021-03-05-ada-back\n    why: test\n")
    home = json.loads(cli("events", "--format", "json", "--type", "office_assigned").stdout)[0]["at"]
    assert home.endswith(("-08:00", "-07:00"))  # the bundled timeline's home zone, whatever the file wrote
    runs = {
        "state": ["state", "--at", "2021-03-02"],
        "events": ["events"],
        "diff": ["diff", "--from", "2021-03-01", "--to", "2021-03-06"],
        "run": ["scenario", "run", str(scenario), "--at", "2021-03-06"],
        "at": ["scenario", "diff", str(scenario), "--at", "2021-03-06"],
        "story": ["scenario", "diff", str(scenario)],
    }
    found: list[str] = []
    for args in runs.values():
        data = json.loads(cli(*args, "--events", ACME, "--tz", "Asia/Tokyo", "--format", "json").stdout)
        found += _instants(data)
    assert len(found) > 40 and all(text.endswith("+09:00") for text in found), found


def _instants(data: object) -> list[str]:
    if isinstance(data, dict):
        return [x for key, value in data.items() for x in _instants(value)] + [
            v
            for k, v in data.items()
            if k in {"at", "reported_at", "from", "to", "start", "end", "first_divergence"} and isinstance(v, str)
        ]
    if isinstance(data, list):
        return [x for item in data for x in _instants(item)]
    return []


def test_diff_shows_values_as_the_state_table_does() -> None:
    run = cli("diff", "--events", ACME, "--from", "2021-03-01", "--to", "2021-03-03")
    assert "offices.ceo: Ada Lovelace -> Charles Babbage (interim)" in run.stdout
    assert "board.members: -Ada Lovelace" in run.stdout
    assert "employees.open_letter_signatories: unknown -> about 80" in run.stdout
    assert "people.ada-lovelace.at_org: yes -> no" in run.stdout
    assert "{" not in run.stdout and "True" not in run.stdout and "False" not in run.stdout


# Item 24: text fits the terminal.


@pytest.mark.parametrize("columns", [40, 72, 140])
@pytest.mark.parametrize(
    "args",
    [
        ["state", "--at", "2023-11-20"],
        ["events", "--from", "2023-11-16", "--to", "2023-11-18"],
        ["diff", "--from", "2023-11-17", "--to", "2023-11-18"],
        ["scenario", "diff", "board-holds-firm"],
        ["scenario", "diff", "board-holds-firm", "--at", "2023-11-23"],
        ["scenario", "run", "board-holds-firm", "--at", "2023-11-23"],
    ],
)
def test_text_fits_the_width_of_the_terminal(args: list[str], columns: int) -> None:
    from orgsim.views.text import cells

    run = cli(*args, columns=columns)
    assert run.code == 0
    assert max(cells(line) for line in run.stdout.splitlines()) <= columns


def test_the_side_by_side_view_has_two_columns_when_they_fit_else_one_after_the_other() -> None:
    wide = cli("scenario", "diff", "board-holds-firm", "--at", "2023-11-23", columns=140).stdout
    row = next(line for line in wide.splitlines() if line.startswith("CEO"))
    assert "Sam Altman" in row and "| Emmett Shear (interim)" in row
    narrow = cli("scenario", "diff", "board-holds-firm", "--at", "2023-11-23", columns=50).stdout
    ceos = [line for line in narrow.splitlines() if line.startswith("CEO")]
    assert len(ceos) == 2 and "|" not in narrow


def test_events_oneline_prints_one_line_per_event() -> None:
    window = ["--from", "2023-11-17T12:00", "--to", "2023-11-18T12:00"]
    every = ids(cli("events", "--format", "json", *window))
    lines = cli("events", "--oneline", *window, columns=160).stdout.splitlines()
    assert [sum(f"  {i}  " in line for line in lines) for i in every] == [1] * len(every)
    assert len(lines) == len(every) + 2  # and the blank line and heading before the overlapping ones
    narrow = cli("events", "--oneline", *window, columns=60).stdout.splitlines()
    assert len(narrow) == len(lines) and max(len(line) for line in narrow) == 60


def test_every_command_is_found_in_the_module_the_lazy_table_names() -> None:
    """``orgsim state`` imports only the module of the command it runs: the table that says which module that is
    must name every command, and the right module for each."""
    import importlib

    from orgsim.cli.app import COMMAND_MODULES, main

    for module in set(COMMAND_MODULES.values()):
        importlib.import_module(f"orgsim.cli.{module}")
    defined = {name: command.callback.__module__ for name, command in main.commands.items() if command.callback}
    assert defined == {name: f"orgsim.cli.{module}" for name, module in COMMAND_MODULES.items()}


def test_orgsim_state_imports_no_other_command_module() -> None:
    code = (
        "import sys; from orgsim.cli import main\n"
        "try:\n    main(['state', '--at', '2023-11-18T12:00-08:00'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('orgsim.cli.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "['orgsim.cli.answers', 'orgsim.cli.app', 'orgsim.cli.common']"
