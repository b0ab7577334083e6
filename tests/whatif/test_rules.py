"""Reactive rules' templates are checked when the scenario loads, not when (or if) the rule fires."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from orgsim.errors import ScenarioError
from orgsim.whatif.scenarios import load_scenario

NEVER = {"all": [{"field": "employees.headcount", "op": ">", "value": 10**6}]}


def _scenario(tmp_path: Path, template: dict[str, Any]) -> Path:
    import yaml

    path = tmp_path / "rule.yaml"
    rule = {"id": "never-fires", "at": "2023-11-22T09:00", "when": NEVER, "emit": [template]}
    path.write_text(yaml.safe_dump({"title": "t", "interventions": [{"rule": rule}]}), encoding="utf-8")
    return path


WALKOUT = {"id": "walkout", "type": "staff_departed", "summary": "They leave."}


def test_a_misspelt_template_field_is_refused_at_load_though_the_rule_never_fires(tmp_path: Path) -> None:
    path = _scenario(tmp_path, {**WALKOUT, "cuont": {"field": "employees.open_letter_signatories"}})
    with pytest.raises(ScenarioError, match=r"emit 1, field 'cuont': unknown field .*did you mean 'count'"):
        load_scenario(path)


def test_a_fixed_value_that_no_event_could_hold_is_refused_at_load(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="emit 1, field 'count'"):
        load_scenario(_scenario(tmp_path, {**WALKOUT, "count": -5}))


def test_an_unknown_kind_in_a_template_is_refused_at_load(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="unknown event type 'walkout'"):
        load_scenario(_scenario(tmp_path, {**WALKOUT, "type": "walkout", "count": 3}))


def test_a_template_cannot_read_its_kind_from_the_state(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="type cannot be read from the state"):
        load_scenario(_scenario(tmp_path, {**WALKOUT, "type": {"field": "structure"}, "count": 3}))


def test_a_template_whose_required_value_is_read_from_the_state_loads(tmp_path: Path) -> None:
    scenario = load_scenario(_scenario(tmp_path, {**WALKOUT, "count": {"field": "employees.open_letter_signatories"}}))
    assert scenario.interventions


def test_every_bundled_scenario_loads() -> None:
    from orgsim.whatif.scenarios import list_scenarios

    for path, loaded in list_scenarios():
        assert not isinstance(loaded, Exception), f"{path.name}: {loaded}"
