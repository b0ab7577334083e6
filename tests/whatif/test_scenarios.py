"""What-if scenarios: each shipped scenario's outcome, the machinery, and refusals of bad scenarios."""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path

import pytest

import orgsim
from orgsim.errors import ConflictError, ScenarioError
from orgsim.io.loading import bundled_scenarios_path
from orgsim.whatif.rules import PythonRule
from orgsim.whatif.scenarios import Change, ChangeRules, Insert, Remove, Scenario, WhatIf, list_scenarios, load_scenario

PT = "America/Los_Angeles"
VOTE = "2023-11-17-board-votes-to-remove-altman"


def world(name: str, base: orgsim.Timeline) -> WhatIf:
    """Run a bundled scenario on the bundled timeline."""
    return load_scenario(bundled_scenarios_path() / f"{name}.yaml").run(base)


def test_no_interventions_replays_history_event_for_event(bundled: orgsim.Timeline) -> None:
    same = Scenario(title="nothing").run(bundled)
    assert [e.id for e in same.events] == [e.id for e in bundled.events]
    assert not same.dropped
    for (event, state), (twin, twin_state) in zip(bundled.history(), same.history(), strict=True):
        assert event == twin and state == twin_state
        assert same.state_at(event.at) == bundled.state_at(event.at)
    strict = Scenario(title="nothing", policy="strict").run(bundled)
    assert strict.final_state() == bundled.final_state()


def test_every_shipped_scenario_loads_and_runs(bundled: orgsim.Timeline) -> None:
    found = list_scenarios()
    assert len(found) >= 6
    for path, scenario in found:
        assert isinstance(scenario, Scenario), f"{path}: {scenario}"
        scenario.run(bundled)


def test_no_firing(bundled: orgsim.Timeline) -> None:
    what_if = world("no-firing", bundled)
    for day in range(1, 31):
        state = what_if.state_at(f"2023-11-{day:02d}T23:00", tz=PT)
        assert state.ceo == orgsim.Holder("sam-altman", False)
        assert state.board.chair == "greg-brockman" and len(state.board.members) == 6
    end = what_if.state_at("2023-11-30")
    # No letter is reported in this world, so its count is unknown (never "none").
    assert end.open_letter_signatories is orgsim.UNKNOWN and not end.stakeholders["microsoft"].employs
    assert all(
        what_if.state_at(e.at).ceo.interim is False for e in what_if.events if e.at.year == 2023 and e.at.month == 11
    )
    dropped = {d.event.id: d for d in what_if.dropped}
    assert "2023-11-19-shear-named-interim-ceo" in dropped and "2023-11-17-brockman-resigns" in dropped
    assert dropped["2023-11-19-shear-named-interim-ceo"].chain[0] == VOTE
    assert not any(e.type == "signatures_reported" for e in what_if.events)


def test_sutskever_votes_no_under_the_historical_rule_still_passes(bundled: orgsim.Timeline) -> None:
    what_if = world("sutskever-votes-no", bundled)
    assert what_if.rules.majority_of == "present"
    vote = what_if.final_state().votes[VOTE]
    assert vote.passed and vote.tally.startswith("passed: 3 yes, 1 no")
    assert what_if.state_at("2023-11-20T12:00", tz=PT).ceo.person == "emmett-shear"


def test_sutskever_votes_no_fails_a_majority_of_the_full_board(bundled: orgsim.Timeline) -> None:
    what_if = world("sutskever-votes-no-full-board", bundled)
    assert what_if.rules.majority_of == "full_board"
    vote = what_if.final_state().votes[VOTE]
    assert not vote.passed and "3 yes, 1 no" in vote.tally
    state = what_if.state_at("2023-11-20T12:00", tz=PT)
    assert state.ceo == orgsim.Holder("sam-altman", False) and state.board.chair == "greg-brockman"
    assert any(d.reason.startswith("follows from " + VOTE + ", which failed") for d in what_if.dropped)


def test_board_holds_firm_the_staff_leave_for_microsoft(bundled: orgsim.Timeline) -> None:
    what_if = world("board-holds-firm", bundled)
    before = what_if.state_at("2023-11-22T08:59", tz=PT)
    after = what_if.state_at("2023-11-22T09:00", tz=PT)
    assert before.headcount == 770 and after.headcount == 70
    microsoft = after.stakeholders["microsoft"]
    assert microsoft.staff_hired == 700 and {"mira-murati", "sam-altman", "greg-brockman"} <= microsoft.employs
    assert after.ceo == orgsim.Holder("emmett-shear", True) and "helen-toner" in after.board.members
    generated = what_if.generated()
    assert [e.generated_by for e in generated] == ["letter-threat-comes-true"]
    murati_leaves = {d.event.id: d.reason for d in what_if.dropped}["2024-10-18-murati-reported-gone"]
    assert murati_leaves.startswith("did not apply")


def test_microsoft_voting_seat_is_outvoted(bundled: orgsim.Timeline) -> None:
    what_if = world("microsoft-voting-seat", bundled)
    before = what_if.state_at("2023-11-17T11:00", tz=PT)
    assert len(before.board.members) == 7 and before.stakeholder_board_seat("microsoft") == "voting"
    assert what_if.state_at("2023-02-01").stakeholder_board_seat("microsoft") == "voting"
    vote = what_if.final_state().votes[VOTE]
    assert vote.passed and vote.tally.startswith("passed: 4 yes, 1 no") and "of 5" in vote.tally
    assert what_if.state_at("2023-11-20T12:00", tz=PT).ceo.person == "emmett-shear"


def test_amodei_accepts(bundled: orgsim.Timeline) -> None:
    what_if = world("amodei-accepts", bundled)
    assert what_if.state_at("2023-11-20T12:00", tz=PT).ceo == orgsim.Holder("dario-amodei", False)  # the CEO offer
    late = what_if.state_at("2023-11-23")
    assert late.ceo == orgsim.Holder("sam-altman", False)
    assert not late.people["dario-amodei"].at_org and late.people["dario-amodei"].affiliation == "anthropic"
    assert not late.people["emmett-shear"].former


def test_sutskever_returns_in_2024(bundled: orgsim.Timeline) -> None:
    what_if = world("sutskever-returns-2024", bundled)
    assert not bundled.state_at("2024-10").people["ilya-sutskever"].at_org
    assert what_if.state_at("2024-10").people["ilya-sutskever"].at_org
    gone = {d.event.id for d in what_if.dropped}
    assert "2024-schulman-tells-colleagues-of-frustration" in gone
    assert "2024-09-04-safe-superintelligence-raises-1bn" in gone


@pytest.mark.parametrize("name", ["three-quarters-supermajority", "interested-directors-vote"])
def test_teaching_scenarios(bundled: orgsim.Timeline, name: str) -> None:
    what_if = world(name, bundled)
    passed = what_if.final_state().votes[VOTE].passed
    assert passed is (name == "interested-directors-vote")


def test_a_late_intervention_reuses_the_base_checkpoints(bundled: orgsim.Timeline) -> None:
    what_if = world("sutskever-returns-2024", bundled)
    reused = sum(1 for a, b in zip(what_if.replay.checkpoints, bundled.replay.checkpoints, strict=False) if a is b)
    assert reused >= 2


def test_strict_policy_stops_on_a_conflict(bundled: orgsim.Timeline) -> None:
    harmless = Scenario(
        title="strict", policy="strict", interventions=[Remove(remove="2024-09-26-altman-disengagement-reported")]
    )
    assert len(harmless.run(bundled).events) == len(bundled.events) - 1
    firm = Scenario(
        title="firm", policy="strict", interventions=[Remove(remove="2023-11-21-agreement-in-principle-altman-returns")]
    )
    with pytest.raises(ConflictError, match="dee-templeton is not on the board") as stopped:
        firm.run(bundled)
    assert stopped.value.event == "2024-07-09-microsoft-leaves-observer-seat" and stopped.value.file.endswith(
        "50-2024.yaml"
    )
    clash = Scenario(
        title="clash",
        policy="strict",
        interventions=[Change(change="2023-11-19-shear-named-interim-ceo", set={"replaces": "sam-altman"})],
    )
    with pytest.raises(ConflictError) as caught:
        clash.run(bundled)
    assert caught.value.event == "2023-11-19-shear-named-interim-ceo"
    skipped = Scenario(title="clash", interventions=clash.interventions).run(bundled)
    assert "2023-11-19-shear-named-interim-ceo" in {d.event.id for d in skipped.dropped}


def test_python_rules_are_the_escape_hatch(bundled: orgsim.Timeline) -> None:
    import pendulum

    rule = PythonRule(
        "murati-quits",
        at=pendulum.datetime(2023, 11, 18, 12, tz=PT),
        when=lambda state: state.ceo is not None and state.ceo.person == "mira-murati",
        emit=lambda state: [
            {
                "type": "person_left",
                "id": "murati-quits",
                "summary": "Murati quits.",
                "person": "mira-murati",
                "reason": "resigned",
            }
        ],
    )
    what_if = Scenario(title="python rule").run(bundled, extra_rules=[rule])
    assert what_if.state_at("2023-11-18T13:00", tz=PT).ceo is None
    assert what_if.event("murati-quits").generated_by == "murati-quits"


def test_scenario_built_in_python_has_the_timeline_api(bundled: orgsim.Timeline) -> None:
    what_if = Scenario(
        title="later vote",
        interventions=[
            ChangeRules(governance={"quorum": 5}),
            Insert(
                insert={
                    "id": "extra-note",
                    "type": "statement",
                    "at": "2023-11-18T00:00:00-08:00",
                    "precision": "day",
                    "summary": "A note.",
                    "rationale": "illustration",
                }
            ),
        ],
    ).run(bundled)
    assert isinstance(what_if, orgsim.Timeline)
    assert not what_if.final_state().votes[VOTE].passed
    assert what_if.event("extra-note").rationale == "illustration"


@pytest.mark.parametrize(
    ("body", "needle", "field"),
    [
        ("title: t\ninterventions:\n  - remove: no-such-event\n", "no event 'no-such-event'", "remove"),
        (
            "title: t\ninterventions:\n  - change: " + VOTE + "\n    set: {votes: {ilya-sutskever: maybe}}\n",
            "intervention 1 (change)",
            "set.votes.ilya-sutskever",
        ),
        (
            "title: t\ninterventions:\n"
            "  - insert: {id: x, type: statement, at: '2023-11-18T00:00:00-08:00', precision: day, summary: s}\n",
            "needs a rationale",
            "insert.rationale",
        ),
        ("title: t\ninterventions:\n  - delete: " + VOTE + "\n", "needs one of", None),
        (
            "title: t\ninterventions:\n  - governance: {majority_off: full_board}\n",
            "unknown field",
            "governance.majority_off",
        ),
        ("title: t\npolicy: lenient\n", "Input should be", "policy"),
        (
            "title: t\ninterventions:\n"
            "  - rule: {id: r, when: {all: [{field: mood.board, op: '==', value: 1}]}, emit: [{id: e, type: statement, "
            "summary: s}]}\n",
            "unknown state field",
            "rule.when.all.0.field",
        ),
        (
            "title: t\ninterventions:\n  - rule: {id: r, when: {all: [{field: employees.open_letter_signatorie, "
            "op: '>=', value: 1}]}, emit: [{id: e, type: statement, summary: s}]}\n",
            "unknown state field 'employees.open_letter_signatorie'",
            "rule.when.all.0.field",
        ),
        (
            "title: t\ninterventions:\n  - rule: {id: r, emit: [{id: e, type: headcount_reported, "
            "summary: s, count: {field: people.nobody.at_org}}]}\n",
            "the timeline knows no person 'nobody'",
            "rule.emit.0.count",
        ),
        ("title: [unclosed\n", "malformed YAML", None),
    ],
)
def test_bad_scenarios_are_refused_with_file_intervention_and_field(
    tmp_path: Path, bundled: orgsim.Timeline, body: str, needle: str, field: str | None
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body)
    with pytest.raises(orgsim.OrgsimError) as caught:
        load_scenario(path).run(bundled, origin=str(path))
    assert needle in str(caught.value)
    assert caught.value.field == field
    assert "bad.yaml" in str(caught.value)


def test_cli_scenario_commands(tmp_path: Path) -> None:
    listed = subprocess.run(["orgsim", "scenario", "list"], capture_output=True, text=True, check=True).stdout
    assert "no-firing" in listed and "INVALID" not in listed
    run = subprocess.run(
        ["orgsim", "scenario", "run", "scenarios/no-firing.yaml", "--at", "2023-11-20T12:00", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    data = json.loads(run.stdout)
    assert data["ceo"] == {"person": "sam-altman", "interim": False} and data["scenario"]["dropped"]
    story = subprocess.run(
        ["orgsim", "scenario", "diff", "no-firing"], capture_output=True, text=True, check=True
    ).stdout
    assert "First divergence: Fri 2023-11-17 12:00 PST" in story and "offices.ceo" in story
    side = subprocess.run(
        ["orgsim", "scenario", "diff", "board-holds-firm", "--at", "2023-11-23"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "History" in side and "What if" in side and "employees.headcount: about 770 -> about 70" in side
    check = subprocess.run(
        ["orgsim", "scenario", "check", "amodei-accepts"], capture_output=True, text=True, check=True
    )
    assert check.stdout.startswith("ok:")
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: t\ninterventions:\n  - remove: nope\n")
    refused = subprocess.run(["orgsim", "scenario", "check", str(bad)], capture_output=True, text=True)
    assert refused.returncode == 2 and "intervention 1 (remove)" in refused.stderr and "Traceback" not in refused.stderr
    missing = subprocess.run(
        ["orgsim", "scenario", "run", "no-such-scenario", "--at", "2023-11-20"], capture_output=True, text=True
    )
    assert missing.returncode == 2 and "no such scenario" in missing.stderr


def test_divergence_story_names_fields_intervals_and_causes(bundled: orgsim.Timeline) -> None:
    from orgsim.query.divergence import divergence

    story = divergence(bundled, world("board-holds-firm", bundled))
    assert story.first is not None and story.first.isoformat().startswith("2023-11-22T06:00")
    by_path = {f.path: f for f in story.fields}
    ceo = by_path["offices.ceo"].intervals[0]
    assert ceo.history == {"person": "sam-altman", "interim": False} and ceo.what_if["person"] == "emmett-shear"
    assert "2023-11-21-altman-reinstated-as-ceo" in ceo.because
    headcount = by_path["employees.headcount"].intervals[0]
    assert "2023-11-22-signatories-leave-for-microsoft" in headcount.because
    assert divergence(bundled, Scenario(title="same").run(bundled)).first is None


def test_divergence_intervals_split_where_a_value_changes(bundled: orgsim.Timeline) -> None:
    from orgsim.query.divergence import divergence

    story = divergence(bundled, world("no-firing", bundled))
    letter = {f.path: f for f in story.fields}["employees.open_letter_signatories"].intervals
    assert [i.history for i in letter] == [490, 500, 700]
    assert all(i.what_if is None for i in letter)
    assert all(a.end == b.start for a, b in itertools.pairwise(letter))


def test_an_error_in_a_changed_event_names_the_scenario_file(tmp_path: Path, bundled: orgsim.Timeline) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text("title: t\ninterventions:\n  - change: " + VOTE + "\n    set: {votes: {ilya-sutskevr: 'no'}}\n")
    with pytest.raises(orgsim.ReplayError) as caught:
        load_scenario(path).run(bundled, origin=str(path))
    assert caught.value.file == str(path) and caught.value.event == VOTE
    assert "ilya-sutskevr" in str(caught.value)


def test_python_rule_errors_name_the_event_and_field(bundled: orgsim.Timeline) -> None:
    import pendulum

    rule = PythonRule(
        "broken",
        at=pendulum.datetime(2023, 11, 18, 12, tz=PT),
        when=lambda state: True,
        emit=lambda state: [{"type": "person_left", "id": "bad-exit", "summary": "x", "reason": "resigned"}],
    )
    with pytest.raises(ScenarioError) as caught:
        Scenario(title="broken rule").run(bundled, extra_rules=[rule])
    assert caught.value.event == "bad-exit" and caught.value.field == "person"


def test_an_event_a_rule_dates_in_the_past_comes_after_what_set_it_off(bundled: orgsim.Timeline) -> None:
    import pendulum

    rule = PythonRule(
        "backdated-note",
        when=lambda state: state.ceo is not None and state.ceo.person == "emmett-shear",
        emit=lambda state: [
            {
                "type": "statement",
                "id": "backdated-note",
                "at": pendulum.datetime(2023, 11, 1, tz=PT),
                "summary": "A note dated before the day it was written.",
            }
        ],
    )
    what_if = Scenario(title="backdated").run(bundled, extra_rules=[rule])
    times = what_if.replay.times
    assert list(times) == sorted(times)  # state_at bisects these: they may never go back
    ids = [e.id for e in what_if.replay.applied]
    position = ids.index("backdated-note")
    assert ids[position - 1] == "2023-11-19-shear-named-interim-ceo"  # right after what set it off
    assert what_if.event("backdated-note").at == pendulum.datetime(2023, 11, 1, tz=PT)  # its own date kept


def _note_rule(rule_id: str, *emitted: dict[str, object], watching: bool = False) -> PythonRule:
    import pendulum

    def note(**fields: object) -> dict[str, object]:
        return {"type": "statement", "summary": "A note.", **fields}

    return PythonRule(
        rule_id,
        at=None if watching else pendulum.datetime(2023, 11, 18, 12, tz=PT),
        when=lambda state: True,
        emit=lambda state: [note(**fields) for fields in emitted],
    )


@pytest.mark.parametrize("watching", [False, True])
def test_a_rule_may_not_emit_an_id_already_in_history(bundled: orgsim.Timeline, watching: bool) -> None:
    rule = _note_rule("clash", {"id": VOTE}, watching=watching)
    with pytest.raises(ScenarioError, match="already taken") as caught:
        Scenario(title="clash").run(bundled, extra_rules=[rule])
    assert caught.value.event == VOTE and caught.value.field == "id"


def test_a_rule_may_not_emit_the_same_id_twice(bundled: orgsim.Timeline) -> None:
    rule = _note_rule("twice", {"id": "note-a"}, {"id": "note-a"})
    with pytest.raises(ScenarioError, match="already taken") as caught:
        Scenario(title="twice").run(bundled, extra_rules=[rule])
    assert caught.value.event == "note-a"


def test_two_rules_may_not_emit_the_same_id(bundled: orgsim.Timeline) -> None:
    with pytest.raises(ScenarioError, match="already taken"):
        Scenario(title="two").run(bundled, extra_rules=[_note_rule("one", {"id": "n"}), _note_rule("two", {"id": "n"})])


def test_a_rule_may_not_emit_an_event_caused_by_nothing(bundled: orgsim.Timeline) -> None:
    rule = _note_rule("orphan", {"id": "note-b", "caused_by": ["no-such-event"]})
    with pytest.raises(ScenarioError, match="names no event") as caught:
        Scenario(title="orphan").run(bundled, extra_rules=[rule])
    assert caught.value.event == "note-b" and caught.value.field == "caused_by"


def test_a_rule_may_not_emit_an_event_caused_by_a_later_one(bundled: orgsim.Timeline) -> None:
    rule = _note_rule("early", {"id": "note-c", "caused_by": ["2023-11-21-agreement-in-principle-altman-returns"]})
    with pytest.raises(ScenarioError, match="has not happened yet"):
        Scenario(title="early").run(bundled, extra_rules=[rule])


def test_a_rule_may_emit_an_event_caused_by_one_that_happened(bundled: orgsim.Timeline) -> None:
    rule = _note_rule("fine", {"id": "note-d", "caused_by": [VOTE]})
    world = Scenario(title="fine").run(bundled, extra_rules=[rule])
    assert world.event("note-d").caused_by == (VOTE,)
