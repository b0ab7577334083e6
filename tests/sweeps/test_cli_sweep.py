"""``orgsim sweep`` and ``orgsim state --samples`` through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

VOTE = "2023-11-17-board-votes-to-remove-altman"


def orgsim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, cwd=cwd, check=False)


def refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("orgsim: error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_sweep_enumerates_the_removal_vote_as_a_table() -> None:
    result = orgsim("sweep", "removal-vote-uncertain", "--enumerate")
    assert result.returncode == 0, result.stderr
    assert "16 worlds, enumerated" in result.stdout and "73.83%" in result.stdout and "26.17%" in result.stdout
    assert "What it hinged on" in result.stdout


def test_sweep_json_csv_and_jsonl_say_the_same() -> None:
    data = json.loads(orgsim("sweep", "removal-vote-uncertain", "--enumerate", "--format", "json").stdout)
    ceo = next(m for m in data["measures"] if m["path"] == "ceo.person")
    assert {d["value"]: d["probability"] for d in ceo["distribution"]} == pytest.approx(
        {"mira-murati": 0.73828125, "sam-altman": 0.26171875}
    )
    csv = orgsim("sweep", "removal-vote-uncertain", "--enumerate", "--format", "csv").stdout.splitlines()
    assert csv[0] == "at,path,value,probability,low,high,weight,history" and len(csv) > 2
    lines = orgsim("sweep", "removal-vote-uncertain", "--enumerate", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == len(csv) - 1 and json.loads(lines[0])["path"] == "ceo.person"


def test_sweep_samples_with_a_seed_and_measures_what_it_is_told() -> None:
    args = ("sweep", "removal-vote-uncertain", "--samples", "300", "--seed", "4", "--format", "json")
    first = json.loads(orgsim(*args, "--measure", "board.chair", "--at", "2023-11-19T12:00").stdout)
    again = json.loads(orgsim(*args, "--measure", "board.chair", "--at", "2023-11-19T12:00", "--workers", "2").stdout)
    assert first == again and first["seed"] == 4 and first["worlds"] == 300
    assert [m["path"] for m in first["measures"]] == ["board.chair"]
    assert first["measures"][0]["distribution"][0]["low"] < first["measures"][0]["distribution"][0]["probability"]


def test_sweep_refuses_samples_with_enumerate() -> None:
    refused(orgsim("sweep", "removal-vote-uncertain", "--samples", "5", "--enumerate"), "--enumerate")


def test_sweep_refuses_to_enumerate_a_time(tmp_path: Path) -> None:
    refused(orgsim("sweep", "shear-hour", "--enumerate"), "continuous", "uncertain")


def test_sweep_refuses_an_unknown_measure() -> None:
    refused(orgsim("sweep", "removal-vote-uncertain", "--measure", "board.membrs"), "board.membrs")


def test_a_scheduler_without_dask_is_one_line(tmp_path: Path) -> None:
    # Dask hidden from the interpreter, as when the extra is not installed.
    code = (
        "import sys; sys.modules['distributed'] = None; from orgsim.cli import main; "
        "sys.argv = ['orgsim', 'sweep', 'removal-vote-uncertain', '--scheduler', 'local']; main()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    refused(result, "orgsim[dask]", "scheduler")


def test_a_scheduler_that_is_no_address_is_one_line() -> None:
    refused(orgsim("sweep", "removal-vote-uncertain", "--scheduler", "nonsense"), "--scheduler", "'nonsense'")
    refused(orgsim("sweep", "removal-vote-uncertain", "--scheduler", "tcp://host-without-port"), "tcp://HOST:8786")


def test_a_scheduler_that_cannot_be_reached_is_one_error_naming_it(
    distributed: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orgsim.errors import OrgsimError
    from orgsim.io.loading import bundled_scenarios_path
    from orgsim.sweeps import executors
    from orgsim.sweeps.run import sweep

    monkeypatch.setattr(executors, "CONNECT_SECONDS", 1)
    with pytest.raises(OrgsimError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:1") as caught:
        scenario = bundled_scenarios_path() / "removal-vote-uncertain.yaml"
        sweep(scenario, samples=5, executor=executors.DaskExecutor("tcp://127.0.0.1:1"))
    assert caught.value.field == "scheduler" and "\n" not in str(caught.value)


def test_sweep_on_a_dask_local_cluster_from_the_command_line(distributed: ModuleType) -> None:
    args = ("sweep", "what-mattered", "--samples", "300", "--seed", "2", "--format", "json")
    here = json.loads(orgsim(*args, "--workers", "1").stdout)
    on_dask = orgsim(*args, "--scheduler", "local", "--workers", "2")
    assert on_dask.returncode == 0, on_dask.stderr
    assert json.loads(on_dask.stdout) == here


def bad_file(tmp_path: Path, body: str) -> str:
    path = tmp_path / "bad.yaml"
    path.write_text("title: bad\n" + body)
    return str(path)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            f"uncertain:\n  - {{id: a, vote: {VOTE}, director: ilya-sutskever, p: {{yes: 0.7, no: 0.4}}}}\n",
            ["sum to 1.1"],
        ),
        (f"uncertain:\n  - {{id: a, happens: {VOTE}, p: 1.5}}\n", ["uncertain.p", "less than or equal to 1"]),
        ("uncertain:\n  - {id: a, maybe: x}\n", ["uncertain input 1", "needs one of"]),
        (f"uncertain:\n  - {{id: a, happens: {VOTE}, p: 0.5}}\n  - {{id: a, happens: {VOTE}, p: 0.5}}\n", ["twice"]),
        (
            "uncertain:\n  - {id: a, happens: no-such-event, p: 0.5}\n",
            ["no event 'no-such-event'", "uncertain.happens"],
        ),
        (f"uncertain:\n  - {{id: a, vote: {VOTE}, director: nobody, yes: 0.5}}\n", ["unknown person 'nobody'"]),
        (
            f"uncertain:\n  - {{id: a, vote: {VOTE}, director: satya-nadella, yes: 0.5}}\n",
            ["'satya-nadella' has no voting seat", "uncertain.director"],
        ),
        (
            "uncertain:\n  - {id: a, vote: 2023-11-19-shear-named-interim-ceo, director: adam-dangelo, yes: 1}\n",
            ["not a board_vote"],
        ),
        (
            f"uncertain:\n  - {{id: a, time: {VOTE}, jitter: PT1H, between: [2023-11-17, 2023-11-18]}}\n",
            ["exactly one"],
        ),
        (f"uncertain:\n  - {{id: a, count: {VOTE}, between: [1, 3]}}\n", ["reports no count"]),
        (
            f"uncertain:\n  - {{id: a, vote: {VOTE}, director: adam-dangelo, yes: 1}}\nsweep: {{at: soon}}\n",
            ["sweep.at"],
        ),
    ],
)
def test_a_bad_uncertain_section_is_one_line_naming_the_file_and_field(
    tmp_path: Path, body: str, words: list[str]
) -> None:
    path = bad_file(tmp_path, body)
    result = orgsim("sweep", path, "--enumerate")
    refused(result, "bad.yaml", *words)


def test_a_scenario_without_uncertain_runs_as_before() -> None:
    result = orgsim("scenario", "run", "sutskever-votes-no", "--at", "2023-11-20T12:00", "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout)["ceo"]["person"] == "emmett-shear"


def test_state_samples_gives_the_fields_that_vary_with_their_probabilities() -> None:
    result = orgsim("state", "--at", "2023-11-19T22:30", "--samples", "60", "--seed", "3", "--format", "json")
    assert result.returncode == 0, result.stderr
    samples = json.loads(result.stdout)["samples"]
    assert samples["worlds"] == 60 and samples["seed"] == 3
    ceo = samples["uncertain"]["offices.ceo"]
    assert {d["value"]["person"] for d in ceo} == {"mira-murati", "emmett-shear"}
    assert sum(d["probability"] for d in ceo) == pytest.approx(1.0)
    table = orgsim("state", "--at", "2023-11-19T22:30", "--samples", "60", "--seed", "3", "--no-sources")
    assert "Sampled 60 times (seed 3)" in table.stdout and "offices.ceo" in table.stdout


def test_state_samples_says_when_nothing_varies() -> None:
    # Noon on Saturday: every vague time of the crisis so far has its window behind it.
    result = orgsim("state", "--at", "2023-11-18T12:00", "--samples", "20", "--no-sources")
    assert result.returncode == 0 and "has the value shown in every sample" in result.stdout


def test_state_samples_reports_a_field_every_sample_gives_otherwise_than_the_table() -> None:
    # Shear's appointment is dated to the hour 22:00-23:00 and recorded at 22:00: the table (recorded instants) says
    # Shear at 22:00, but in (almost) every sample it has not happened yet. Samples that agree with one another but
    # not with the table must be shown, never "the same in every sample".
    result = orgsim("state", "--at", "2023-11-19T22:00", "--samples", "40", "--seed", "1", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ceo"]["person"] == "emmett-shear"
    ceo = data["samples"]["uncertain"]["offices.ceo"]
    assert [(d["value"]["person"], d["probability"]) for d in ceo] == [("mira-murati", 1.0)]
    table = orgsim("state", "--at", "2023-11-19T22:00", "--samples", "40", "--seed", "1", "--no-sources").stdout
    assert "do not all agree with the table above" in table and "offices.ceo" in table


def test_a_sweep_tells_a_vacant_chair_from_an_unknown_count() -> None:
    # At noon on Monday the chair is vacant (known); without Microsoft's announcement no count of the letter exists.
    data = json.loads(orgsim("sweep", "what-mattered", "--enumerate", "--format", "json").stdout)
    letter = next(m for m in data["measures"] if m["path"] == "employees.open_letter_signatories")
    unknown = [d for d in letter["distribution"] if d["unknown"]]
    assert len(unknown) == 1 and unknown[0]["value"] is None and letter["history_unknown"] is False
    removal = json.loads(orgsim("sweep", "removal-vote-uncertain", "--enumerate", "--format", "json").stdout)
    chair = next(m for m in removal["measures"] if m["path"] == "board.chair")
    assert [(d["value"], d["unknown"]) for d in chair["distribution"]] == [(None, False), ("greg-brockman", False)]
    table = orgsim("sweep", "what-mattered", "--enumerate").stdout
    assert "(unknown)" in table and "none or unknown" not in table
    csv = orgsim("sweep", "what-mattered", "--enumerate", "--format", "csv").stdout.splitlines()
    assert any(",employees.open_letter_signatories,unknown," in line for line in csv)


def test_state_samples_refuses_known_at() -> None:
    refused(orgsim("state", "--as-known-at", "2023-11-21", "--samples", "5"), "--samples")
