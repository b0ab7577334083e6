"""Scenario files as untrusted input: duplicate keys, YAML 1.1 words, shares of the vote, where errors point."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import orgsim
from orgsim.errors import OrgsimError, ReplayError, ScenarioError
from orgsim.whatif.scenarios import list_scenarios, load_scenario

ATTACKS = Path(__file__).parents[1] / "fixtures" / "attacks"
ACME = Path(__file__).parents[1] / "fixtures" / "acme"
VOTE = "2023-11-17-board-votes-to-remove-altman"


def scenario_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "what-if.yaml"
    path.write_text(text)
    return path


def test_an_intervention_with_two_remove_keys_is_refused() -> None:
    with pytest.raises(OrgsimError, match="duplicate key 'remove'") as caught:
        load_scenario(ATTACKS / "duplicate-remove.yaml")
    assert caught.value.field == "interventions.0.remove"


def test_an_unquoted_no_is_a_vote(tmp_path: Path, bundled: orgsim.Timeline) -> None:
    path = scenario_file(
        tmp_path,
        f"title: t\ninterventions:\n  - change: {VOTE}\n    set: {{votes: {{ilya-sutskever: no}}}}\n",
    )
    world = load_scenario(path).run(bundled)
    assert world.state_at("2023-11-18").votes[VOTE].tally.startswith("passed: 3 yes, 1 no")


def test_a_boolean_word_in_a_condition_is_the_boolean(tmp_path: Path, bundled: orgsim.Timeline) -> None:
    path = scenario_file(
        tmp_path,
        "title: t\ninterventions:\n  - rule:\n      id: r\n      at: '2023-11-18T12:00'\n"
        "      when: {all: [{field: ceo.interim, op: ==, value: yes}]}\n"
        "      emit: [{id: 2023-11-18-said, type: statement, summary: An interim CEO.}]\n",
    )
    world = load_scenario(path).run(bundled)
    assert [e.id for e in world.generated()] == ["2023-11-18-said"]


@pytest.mark.parametrize("share", ["at_least: 0.75", "at_least: 3/4", "at_least: '3/4'", "threshold: 0.74"])
def test_a_three_quarters_rule_can_be_written_as_it_is_said(
    tmp_path: Path, bundled: orgsim.Timeline, share: str
) -> None:
    path = scenario_file(tmp_path, f"title: t\ninterventions:\n  - governance: {{majority_of: full_board, {share}}}\n")
    world = load_scenario(path).run(bundled)
    assert not world.state_at("2023-11-18").votes[VOTE].passed  # 4 of 6 is not three quarters


def test_at_least_counts_an_exact_share_as_reached(tmp_path: Path, bundled: orgsim.Timeline) -> None:
    path = scenario_file(
        tmp_path, "title: t\ninterventions:\n  - governance: {majority_of: full_board, at_least: 2/3}\n"
    )
    assert load_scenario(path).run(bundled).state_at("2023-11-18").votes[VOTE].passed  # 4 of 6 is two thirds


def test_a_rule_instant_outside_the_supported_years_is_refused(tmp_path: Path, bundled: orgsim.Timeline) -> None:
    path = scenario_file(
        tmp_path,
        "title: t\ninterventions:\n"
        "  - rule: {id: r, at: '2500-01-01T00:00+05:00', emit: [{id: e, type: statement, summary: s}]}\n",
    )
    with pytest.raises(ScenarioError, match="1800-2200") as caught:
        load_scenario(path).run(bundled, origin=str(path))
    assert caught.value.field == "rule.at" and caught.value.file == str(path)


def test_a_scenario_too_large_or_not_a_file_is_refused(tmp_path: Path) -> None:
    big = scenario_file(tmp_path, "title: t\n" + "# padding\n" * 500_000)
    with pytest.raises(OrgsimError, match="too large"):
        load_scenario(big)
    with pytest.raises(OrgsimError, match="not a regular file"):
        load_scenario("/dev/zero")


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_listing_a_folder_that_is_not_one_is_an_error(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "scenarios"
    if kind == "file":
        target.write_text("title: x\n")
    with pytest.raises(ScenarioError):
        list_scenarios(target)


def test_a_replay_error_in_a_scenario_names_files_the_user_can_open(tmp_path: Path) -> None:
    base = orgsim.load_timeline(ACME)
    path = scenario_file(
        tmp_path,
        "title: t\npolicy: strict\ninterventions:\n  - remove: 2020-01-02-alan-on-board\n",
    )
    with pytest.raises(ReplayError) as caught:
        load_scenario(path).run(base, origin=str(path))
    assert caught.value.event == "2021-07-02-alan-leaves-board"
    assert caught.value.file is not None and Path(caught.value.file).is_file()


def test_a_what_if_names_its_files_without_local_paths(tmp_path: Path) -> None:
    base = orgsim.load_timeline(ACME)
    path = scenario_file(
        tmp_path,
        "title: t\ninterventions:\n  - insert: {id: 2021-06-01-said, type: statement, at: '2021-06-01T09:00Z',"
        " precision: day, summary: Said., rationale: Because.}\n",
    )
    world = load_scenario(path).run(base, origin=str(path))
    assert world.origins["2021-06-01-said"] == "what-if.yaml"
    assert str(tmp_path) not in "".join(world.origins.values())


# --- scenarios built in Python are refused as scenario files are -------------------------------------------


def test_a_scenario_built_in_python_with_a_wrong_field_is_a_scenario_error_naming_it() -> None:
    with pytest.raises(ScenarioError) as caught:
        orgsim.Scenario(title=1, interventions=[])  # type: ignore[arg-type]
    assert caught.value.field == "title" and isinstance(caught.value, ValueError)  # still a ValueError, as before


def test_an_intervention_built_in_python_with_a_malformed_id_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError, match="should match pattern") as caught:
        orgsim.Remove(remove="")
    assert caught.value.field == "remove" and "\n" not in str(caught.value)


def test_a_bad_intervention_given_to_a_scenario_in_python_is_named_by_its_number() -> None:
    with pytest.raises(ScenarioError, match=r"intervention 2 \(remove\)") as caught:
        orgsim.Scenario(title="t", interventions=[orgsim.Remove(remove="a"), {"remove": "Not An Id"}])  # type: ignore[list-item]
    assert caught.value.field == "remove"


def test_a_scenario_file_keeps_its_own_error_naming_file_and_intervention(tmp_path: Path) -> None:
    path = scenario_file(tmp_path, "title: t\ninterventions:\n  - remove: Not An Id\n")
    with pytest.raises(ScenarioError, match=r"intervention 1 \(remove\)") as caught:
        load_scenario(path)
    assert caught.value.file is not None and caught.value.file.endswith("what-if.yaml")


# --- a scenario's base is a timeline folder, named relative to the scenario ---------------------------------


def test_a_scenario_file_with_an_absolute_base_is_refused(tmp_path: Path) -> None:
    path = scenario_file(tmp_path, f"title: t\nbase: {ACME}\n")
    with pytest.raises(ScenarioError, match="relative to its own folder") as caught:
        load_scenario(path)
    assert caught.value.field == "base"


@pytest.mark.parametrize("base", ["../../../../../../../../etc", "secrets", "secrets/secret.yaml", "nowhere"])
def test_a_base_that_is_not_a_timeline_folder_is_one_line_and_nothing_of_it_is_read(tmp_path: Path, base: str) -> None:
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "secret.yaml").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    path = scenario_file(tmp_path, f"title: t\nbase: {base}\n")
    with pytest.raises(ScenarioError, match="is not a timeline folder") as caught:
        load_scenario(path).run(origin=str(path))
    assert caught.value.field == "base" and caught.value.file == str(path)
    assert "root:x" not in str(caught.value) and "\n" not in str(caught.value)


def test_a_relative_base_is_read_from_the_scenario_files_folder(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    shutil.copytree(ACME, tmp_path / "acme")
    path = tmp_path / "scenarios" / "what-if.yaml"
    path.write_text("title: t\nbase: ../acme\n")
    world = load_scenario(path).run(origin=str(path))
    assert world.base.folder == tmp_path / "scenarios" / ".." / "acme"
