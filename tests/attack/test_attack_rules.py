"""Attack: reactive rules must not treat an unknown value as a value, nor accept conditions that can never hold."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import orgsim


def orgsim_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``orgsim`` console script."""
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)


def _rule_scenario(at: str, condition: dict[str, object]) -> orgsim.Scenario:
    return orgsim.Scenario(
        title="probe",
        interventions=[
            orgsim.AddRule(
                rule={
                    "id": "probe",
                    "at": at,
                    "when": {"all": [condition]},
                    "emit": [{"id": "probe-fired", "type": "statement", "summary": "The probe rule fired."}],
                }
            )
        ],
    )


def _fired(world: orgsim.Timeline) -> bool:
    return any(event.id == "probe-fired" for event in world.events)


def test_a_not_equal_rule_does_not_fire_on_an_unknown_ceo(bundled: orgsim.Timeline) -> None:
    # 1 January 2017: offices.ceo is not covered (from 2019-03-11): "!= sam-altman" is not known to hold
    assert bundled.state_at("2017-01-01T09:00").ceo is orgsim.UNKNOWN
    world = _rule_scenario("2017-01-01T09:00", {"field": "ceo.person", "op": "!=", "value": "sam-altman"}).run(bundled)
    assert not _fired(world)


def test_a_not_contains_rule_does_not_fire_on_an_unknown_board(bundled: orgsim.Timeline) -> None:
    assert bundled.state_at("2017-01-01T09:00").board is orgsim.UNKNOWN
    world = _rule_scenario(
        "2017-01-01T09:00", {"field": "board.members", "op": "not contains", "value": "sam-altman"}
    ).run(bundled)
    assert not _fired(world)


def test_a_not_equal_rule_does_not_fire_on_an_uncovered_office(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2023-10-01T09:00")
    assert not state.is_known("offices.head_of_preparedness")
    world = _rule_scenario(
        "2023-10-01T09:00", {"field": "offices.head_of_preparedness.person", "op": "!=", "value": "aleksander-madry"}
    ).run(bundled)
    assert not _fired(world)


def test_in_with_a_text_value_is_not_a_substring_test(bundled: orgsim.Timeline) -> None:
    # "in" expects a list; with a string it silently tests for a substring: 'sam-altman' in 'xsam-altmanx'.
    # Such a condition can only be a mistake: it is refused when the scenario loads, so it never fires.
    scenario = _rule_scenario("2023-11-23T09:00", {"field": "ceo.person", "op": "in", "value": "xsam-altmanx"})
    with pytest.raises(orgsim.ScenarioError) as caught:
        scenario.run(bundled)
    assert caught.value.field == "rule.when.all.0.value"


def test_scenario_check_refuses_comparing_a_count_with_text(tmp_path: Path) -> None:
    scenario = tmp_path / "typed.yaml"
    scenario.write_text(
        "title: x\n"
        "interventions:\n"
        "  - rule:\n"
        "      id: r\n"
        '      at: "2023-11-22T09:00"\n'
        '      when: {all: [{field: employees.open_letter_signatories, op: ">=", value: abc}]}\n'
        "      emit: [{id: gen1, type: statement, summary: s}]\n",
        encoding="utf-8",
    )
    result = orgsim_cli("scenario", "check", str(scenario))
    # a condition that can never hold (int >= str) is a typo, as an unknown field is
    assert result.returncode == 2, result.stdout
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "value" in result.stderr
