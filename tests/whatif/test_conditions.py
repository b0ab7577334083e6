"""Rule conditions are three-valued: a comparison with an unknown value is unknown, and a rule fires only on true."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import orgsim
from orgsim.model.paths import _FIXED, _LEAVES, STATE_SECTIONS
from orgsim.whatif.conditions import (
    NEGATION,
    Bounds,
    Condition,
    Truth,
    When,
    compare,
    field_type,
    kleene_all,
    kleene_any,
)
from orgsim.whatif.scenarios import load_scenario

OPERATORS = sorted(NEGATION)


def _truth(state: orgsim.OrgState, field: str, op: str, value: Any) -> Truth:
    return Condition(field=field, op=op, value=value).truth(state)  # type: ignore[arg-type]


# --- comparisons with unknown ------------------------------------------------------------------


@pytest.mark.parametrize("op", OPERATORS)
def test_every_operator_is_unknown_on_an_unknown_value(op: str) -> None:
    assert compare(op, orgsim.UNKNOWN, "sam-altman") is None
    assert compare(op, orgsim.UNKNOWN, ["sam-altman"]) is None
    assert compare(op, orgsim.UNKNOWN, 500) is None


@pytest.mark.parametrize(
    ("field", "op", "value"),
    [
        ("ceo.person", "!=", "sam-altman"),
        ("ceo.person", "not in", ["sam-altman"]),
        ("ceo.interim", "!=", True),
        ("board.members", "not contains", "sam-altman"),
        ("board.chair", "!=", "sam-altman"),
        ("stakeholders.microsoft.board_seat", "!=", "voting"),  # the board is unknown, so is Microsoft's seat
        ("stakeholders.microsoft.staff_hired", "<", 1),
        ("employees.headcount", "<", 10**6),
        ("people.emmett-shear.at_org", "!=", True),  # no event places him before 2023
    ],
)
def test_a_negative_condition_is_unknown_in_2017(bundled: orgsim.Timeline, field: str, op: str, value: Any) -> None:
    state = bundled.state_at("2017-01-01T09:00")
    assert _truth(state, field, op, value) is None
    assert _truth(state, field, NEGATION[op], value) is None


def test_a_condition_on_an_office_nobody_has_held_yet_is_unknown(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2023-10-01T09:00")
    assert _truth(state, "offices.head_of_preparedness.person", "!=", "aleksander-madry") is None
    assert _truth(state, "offices.head_of_preparedness", "==", None) is None


def test_in_with_text_is_never_a_substring_test_even_past_the_load_check(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2023-11-23T09:00")
    assert _truth(state, "ceo.person", "in", "xsam-altmanx") is None
    assert _truth(state, "ceo.person", "in", ["sam-altman"]) is True


# --- what is known -----------------------------------------------------------------------------


def test_a_vacant_office_is_a_known_value(acme: orgsim.Timeline) -> None:
    state = acme.state_at("2021-04-01")  # the chief engineer's office was vacated on 5 March 2021
    assert _truth(state, "offices.chief_engineer.person", "!=", "charles-babbage") is True
    assert _truth(state, "offices.chief_engineer", "==", None) is True
    assert _truth(state, "offices.chief_engineer.person", "in", ["charles-babbage"]) is False


def test_no_chair_is_a_known_value(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2023-11-18T12:00")  # Brockman was removed as chair the day before
    assert _truth(state, "board.chair", "==", None) is True
    assert _truth(state, "board.chair", "!=", "greg-brockman") is True


def test_a_vote_not_yet_taken_reads_null_and_is_known(bundled: orgsim.Timeline) -> None:
    vote = "votes.2023-11-17-board-votes-to-remove-altman"
    assert _truth(bundled.state_at("2023-11-16T12:00"), vote, "==", None) is True
    assert _truth(bundled.state_at("2023-11-18T12:00"), f"{vote}.passed", "==", True) is True


def test_a_count_known_as_a_range_is_compared_by_its_range(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2023-11-20T12:00")
    assert state.headcount_range == (None, 750)
    assert _truth(state, "employees.headcount", ">=", 800) is False
    assert _truth(state, "employees.headcount", "<", 800) is True
    assert _truth(state, "employees.headcount", "!=", 800) is True
    assert _truth(state, "employees.headcount", ">=", 500) is None  # "no more than 750": maybe, maybe not
    assert _truth(state, "employees.headcount", "in", [700, 800]) is None
    assert _truth(state, "employees.headcount", "in", [800, 900]) is False


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        (">=", 5, True),
        (">=", 6, None),
        (">=", 11, False),
        (">", 4, True),
        (">", 10, False),
        ("<=", 10, True),
        ("<=", 4, False),
        ("<", 11, True),
        ("<", 5, False),
        ("==", 7, None),
        ("==", 4, False),
        ("!=", 11, True),
    ],
)
def test_a_bounded_count_is_true_only_for_every_count_in_its_range(op: str, value: int, expected: Truth) -> None:
    assert compare(op, Bounds(5, 10), value) is expected


def test_a_range_of_one_count_is_that_count() -> None:
    assert compare("==", Bounds(7, 7), 7) is True
    assert compare("in", Bounds(7, 7), [1, 7]) is True


# --- combining ---------------------------------------------------------------------------------

T, F, U = True, False, None


@pytest.mark.parametrize(
    ("truths", "conjunction", "disjunction"),
    [
        ((), T, F),
        ((T, T), T, T),
        ((T, F), F, T),
        ((T, U), U, T),
        ((F, U), F, U),
        ((U, U), U, U),
        ((F, F), F, F),
    ],
)
def test_all_and_any_combine_in_kleene_logic(truths: tuple[Truth, ...], conjunction: Truth, disjunction: Truth) -> None:
    assert kleene_all(truths) is conjunction
    assert kleene_any(truths) is disjunction


UNKNOWN_IN_2017 = {"field": "ceo.person", "op": "!=", "value": "sam-altman"}
TRUE_IN_2017 = {"field": "votes.2023-11-17-board-votes-to-remove-altman", "op": "==", "value": None}
FALSE_IN_2017 = {"field": "votes.2023-11-17-board-votes-to-remove-altman", "op": "!=", "value": None}


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ({}, T),  # no condition: the rule fires when checked
        ({"all": [UNKNOWN_IN_2017, TRUE_IN_2017]}, U),
        ({"all": [UNKNOWN_IN_2017, FALSE_IN_2017]}, F),
        ({"any": [UNKNOWN_IN_2017, TRUE_IN_2017]}, T),
        ({"any": [UNKNOWN_IN_2017, FALSE_IN_2017]}, U),
        ({"all": [TRUE_IN_2017], "any": [UNKNOWN_IN_2017]}, U),
        ({"all": [FALSE_IN_2017], "any": [UNKNOWN_IN_2017]}, F),
        ({"all": [UNKNOWN_IN_2017], "any": [TRUE_IN_2017]}, U),
    ],
)
def test_a_rule_condition_is_true_false_or_unknown(
    bundled: orgsim.Timeline, when: dict[str, Any], expected: Truth
) -> None:
    state = bundled.state_at("2017-01-01T09:00")
    parsed = When.model_validate(when)
    assert parsed.truth(state) is expected
    assert parsed.holds(state) is (expected is True)


# --- properties --------------------------------------------------------------------------------

PEOPLE = ["sam-altman", "mira-murati", "emmett-shear"]
currents = st.one_of(
    st.just(orgsim.UNKNOWN),
    st.none(),
    st.booleans(),
    st.integers(-5, 1000),
    st.sampled_from(PEOPLE),
    st.lists(st.sampled_from(PEOPLE), max_size=3),
    # a range a state can hold: the loader refuses a low above the high, and departures keep low <= high
    st.tuples(st.none() | st.integers(0, 1000), st.none() | st.integers(0, 1000)).map(
        lambda pair: Bounds(*sorted(pair)) if None not in pair else Bounds(*pair)
    ),
)
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 1000),
    st.sampled_from(PEOPLE),
    st.text(max_size=12),
    st.lists(st.one_of(st.integers(0, 1000), st.sampled_from(PEOPLE)), max_size=3),
)


@given(op=st.sampled_from(OPERATORS), current=currents, value=values)
def test_a_comparison_and_its_negation_are_never_both_true(op: str, current: Any, value: Any) -> None:
    truth, negated = compare(op, current, value), compare(NEGATION[op], current, value)
    assert negated is (None if truth is None else not truth)
    if current is orgsim.UNKNOWN:
        assert truth is None


# A field of each kind, with a value it may be compared with, for the property on real states.
PROBES: list[tuple[str, Any]] = [
    ("ceo.person", "sam-altman"),
    ("ceo.interim", True),
    ("board.chair", "greg-brockman"),
    ("board.members", "helen-toner"),
    ("employees.headcount", 700),
    ("employees.open_letter_signatories", 500),
    ("employees.open_letter_qualifier", "nearly"),
    ("stakeholders.microsoft.investment_usd", 10**10),
    ("stakeholders.microsoft.board_seat", "observer"),
    ("people.ilya-sutskever.at_org", True),
    ("offices.cto.person", "mira-murati"),
    ("structure", "capped-profit"),
]
KIND_OPERATORS = {
    "count": [">=", ">", "<=", "<", "==", "!=", "in", "not in"],
    "people": ["contains", "not contains"],
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    day=st.dates(min_value=date(2014, 1, 1), max_value=date(2025, 6, 1)),
    probe=st.sampled_from(PROBES),
    pick=st.integers(0, 7),
)
def test_on_real_states_a_condition_and_its_negation_never_both_fire_and_neither_on_unknown(
    bundled: orgsim.Timeline, day: date, probe: tuple[str, Any], pick: int
) -> None:
    field, value = probe
    ftype = field_type(field)
    assert ftype is not None
    ops = KIND_OPERATORS.get(ftype.kind, ["==", "!=", "in", "not in"])
    op = ops[pick % len(ops)]
    compared = [value] if op in ("in", "not in") else value
    state = bundled.state_at(day.isoformat() + "T12:00")
    truth, negated = _truth(state, field, op, compared), _truth(state, field, NEGATION[op], compared)
    assert not (truth and negated)
    assert negated is (None if truth is None else not truth)
    if not state.is_known(field):
        assert truth is None and negated is None


def test_every_field_of_the_state_contract_has_a_type() -> None:
    paths = [f"{section}.{leaf}" for section, leaves in _FIXED.items() for leaf in leaves]
    paths += [f"{section}.x.{leaf}" for section, leaves in _LEAVES.items() for leaf in leaves]
    paths += ["structure", "announced.x", *(f"{section}.x" for section in _LEAVES)]
    assert set(path.split(".")[0] for path in paths) == set(STATE_SECTIONS)
    assert [path for path in paths if field_type(path) is None] == []


# --- refused at load ---------------------------------------------------------------------------


def _rule_file(tmp_path: Path, condition: str) -> Path:
    path = tmp_path / "typed.yaml"
    path.write_text(
        "title: t\ninterventions:\n  - rule:\n      id: r\n      at: '2023-11-22T09:00'\n"
        f"      when: {{all: [{{field: employees.headcount, op: '>=', value: 1}}, {condition}]}}\n"
        "      emit: [{id: gen1, type: statement, summary: s}]\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("condition", "part", "needle"),
    [
        ("{field: employees.open_letter_signatories, op: '>=', value: abc}", "value", "is a count"),
        ("{field: employees.headcount, op: '==', value: '500'}", "value", "is a count"),
        ("{field: employees.headcount, op: '>', value: true}", "value", "is a count"),
        ("{field: employees.headcount, op: '>', value: .nan}", "value", "is a count"),
        ("{field: employees.headcount, op: '==', value: null}", "value", "never null"),
        ("{field: ceo.person, op: in, value: xsam-altmanx}", "value", "membership of a list"),
        ("{field: ceo.person, op: in, value: []}", "value", "at least one"),
        ("{field: ceo.person, op: in, value: [sam-altman, sam-altmn]}", "value", "no person 'sam-altmn'"),
        ("{field: ceo.person, op: '!=', value: sam-altmn}", "value", "no person 'sam-altmn'"),
        ("{field: ceo.person, op: '>=', value: sam-altman}", "op", "compares counts"),
        ("{field: ceo.person, op: contains, value: sam}", "op", "tests a list of people"),
        ("{field: structure, op: contains, value: profit}", "op", "tests a list of people"),
        ("{field: board.members, op: contains, value: helen-tonner}", "value", "no person 'helen-tonner'"),
        ("{field: board.members, op: in, value: [helen-toner]}", "op", "test it with contains"),
        ("{field: board.members, op: '==', value: [helen-toner]}", "op", "contains"),
        ("{field: ceo.interim, op: '==', value: maybe}", "value", "true or false"),
        ("{field: stakeholders.microsoft.board_seat, op: '==', value: voter}", "value", "one of none, observer"),
        ("{field: employees.open_letter_qualifier, op: '==', value: roughly}", "value", "one of exact"),
        ("{field: board, op: '==', value: null}", "op", "compare one of its fields"),
        ("{field: ceo, op: '==', value: sam-altman}", "op", "compares only with null"),
        ("{field: employees.headcount_range, op: '>=', value: 3}", "op", "compare it with == or !="),
        ("{field: people, op: '==', value: null}", "op", "whole section"),
        ("{field: people.sam-altman.name, op: '==', value: 3}", "value", "compare it with text"),
    ],
)
def test_a_condition_that_could_never_hold_is_refused_at_load(
    tmp_path: Path, bundled: orgsim.Timeline, condition: str, part: str, needle: str
) -> None:
    path = _rule_file(tmp_path, condition)
    with pytest.raises(orgsim.ScenarioError) as caught:
        load_scenario(path).run(bundled, origin=str(path))
    assert caught.value.field == f"rule.when.all.1.{part}"
    assert needle in str(caught.value) and "typed.yaml" in str(caught.value) and "rule 'r'" in str(caught.value)


@pytest.mark.parametrize(
    "condition",
    [
        "{field: ceo.person, op: in, value: [sam-altman, emmett-shear]}",
        "{field: ceo.person, op: '==', value: null}",
        "{field: ceo.interim, op: '==', value: yes}",
        "{field: ceo, op: '!=', value: null}",
        "{field: board.chair, op: '==', value: null}",
        "{field: board.members, op: not contains, value: sam-altman}",
        "{field: employees.headcount, op: in, value: [700, 770]}",
        "{field: employees.headcount_range, op: '==', value: [null, 750]}",
        "{field: stakeholders.microsoft.investment_usd, op: '>=', value: 1.0e+10}",
        "{field: offers.2023-11-19-board-offers-ceo-to-amodei.status, op: '==', value: declined}",
        "{field: votes.2023-11-17-board-votes-to-remove-altman.passed, op: '!=', value: true}",
        "{field: announced.2023-11-20-microsoft-will-hire-altman, op: '!=', value: null}",
        "{field: structure, op: '!=', value: a for-profit}",
        "{field: people.sam-altman.affiliation, op: '==', value: null}",
    ],
)
def test_a_well_typed_condition_loads(tmp_path: Path, bundled: orgsim.Timeline, condition: str) -> None:
    path = _rule_file(tmp_path, condition)
    assert load_scenario(path).run(bundled, origin=str(path)).scenario.interventions


def test_scenario_check_refuses_an_ill_typed_condition_in_one_line(tmp_path: Path) -> None:
    import subprocess

    path = _rule_file(tmp_path, "{field: employees.open_letter_signatories, op: '>=', value: abc}")
    result = subprocess.run(["orgsim", "scenario", "check", str(path)], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"orgsim: error: {path}: field 'rule.when.all.1.value': intervention 1 (rule): rule 'r': "
        "'employees.open_letter_signatories' is a count: compare it with a number, not 'abc'"
    ]
