"""Attack: the states handed out by history, iteration and diff steps, and tenures across coverage gaps.

Each test pins a confident wrong answer found on the bundled timeline: a value the coverage
declares unknown, stated as fact.
"""

from __future__ import annotations

import json
import subprocess

import orgsim


def orgsim_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``orgsim`` console script."""
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)


def test_iterating_a_timeline_yields_states_that_honour_coverage(bundled: orgsim.Timeline) -> None:
    # README: `for event, after in timeline:  # every event with the state just after it`.
    # In March 2019 the board is not covered (state_at says unknown); the state after the event must agree.
    for event, after in bundled:
        if event.id == "2023-11-baseline-ceo-altman":
            at = bundled.state_at(event.at)
            assert at.board is orgsim.UNKNOWN
            assert after.board is orgsim.UNKNOWN, after.board  # today: Musk, Clark, Karnofsky... as fact
            assert not after.is_known("board")
            break
    else:
        raise AssertionError("event not found")


def test_history_states_do_not_revive_a_stale_headcount_in_september_2024(bundled: orgsim.Timeline) -> None:
    for event, after in bundled.history():
        if event.id == "2024-09-25-murati-resigns":
            # state_at at that instant: the 770 of November 2023 is no longer current, the 2023 letter not covered
            now = bundled.state_at(event.at)
            assert not now.is_known("employees.headcount")
            assert not after.is_known("employees.headcount"), after.headcount
            assert not after.is_known("employees.open_letter_signatories"), after.open_letter_signatories
            break
    else:
        raise AssertionError("event not found")


def test_diff_steps_do_not_state_an_uncovered_board_as_fact() -> None:
    result = orgsim_cli("diff", "--from", "2019-03-01", "--to", "2019-03-31", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    changed = {change["path"] for step in data["steps"] for change in step["changes"]}
    # the board and the director of research are not covered in 2019; no step may give them a value
    assert "board.members" not in changed
    assert "offices.director_of_research" not in changed


def test_diff_steps_do_not_report_the_2023_letter_reappearing_in_2024() -> None:
    result = orgsim_cli("diff", "--from", "2024-09-20", "--to", "2024-10-20", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for step in data["steps"]:
        for change in step["changes"]:
            if change["path"] == "employees.open_letter_signatories":
                assert change["after"] is None, (step["event"], change)


def test_tenures_do_not_invent_a_brockman_cto_tenure_ending_in_may_2022(bundled: orgsim.Timeline) -> None:
    # events/07: "that he held the office until May 2022 is not reported, so the CTO is not covered between those dates"
    for tenure in bundled.tenures(office="cto"):
        if tenure.person == "greg-brockman":
            assert tenure.end.event != "2022-05-murati-becomes-cto", (tenure.start, tenure.end)


def test_tenures_do_not_invent_a_murati_cto_tenure_after_coverage_resumes(bundled: orgsim.Timeline) -> None:
    # coverage of offices.cto resumes on 2024-10-18 12:00 when she is reported gone: she held nothing then
    for tenure in bundled.tenures(office="cto"):
        if tenure.person == "mira-murati":
            assert tenure.end.event != "2024-10-18-murati-reported-gone", (tenure.start, tenure.end)


def test_person_history_shows_no_cto_tenure_for_brockman_after_2020() -> None:
    result = orgsim_cli("person", "greg-brockman", "--format", "json")
    assert result.returncode == 0, result.stderr
    history = json.loads(result.stdout)["history"]
    cto = [entry for entry in history if entry["kind"] == "office" and entry["key"] == "cto"]
    assert all(entry["end"]["event"] != "2022-05-murati-becomes-cto" for entry in cto), cto
