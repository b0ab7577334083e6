"""Attack: in Python, UNKNOWN must never turn into False, None (vacant), zero or a count."""

from __future__ import annotations

import pytest

import orgsim


def test_an_unplaced_persons_at_org_is_unknown_not_false(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2023-11-20T10:00")
    assert not state.is_known("people.helen-toner")
    standing = state.people["helen-toner"]
    # JSON says null; Python says at_org=False: `if not person.at_org` reads "not at OpenAI"
    assert standing.at_org is orgsim.UNKNOWN, standing  # type: ignore[comparison-overlap]


def test_a_person_before_openai_existed_is_not_said_to_be_absent(bundled: orgsim.Timeline) -> None:
    standing = bundled.state_at("2014-06-01").people["sam-altman"]
    unknown: object = orgsim.UNKNOWN
    assert standing.at_org is unknown and standing.former is unknown, standing


def test_an_unknown_stakeholder_investment_reads_unknown_not_none(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2023-11-20T10:00")
    assert not state.is_known("stakeholders.thrive-capital.investment_usd")
    assert state.stakeholders["thrive-capital"].investment_usd is orgsim.UNKNOWN


@pytest.mark.parametrize(
    ("at", "office"),
    [
        ("2014-06-01", "cto"),
        ("2014-06-01", "ceo"),
        ("2023-10-01", "chief_strategy_officer"),
        ("2023-10-01", "head_of_preparedness"),
    ],
)
def test_an_uncovered_office_reads_unknown_from_offices_not_vacant(
    bundled: orgsim.Timeline, at: str, office: str
) -> None:
    state = bundled.state_at(at)
    assert not state.is_known(f"offices.{office}")
    # offices.get(...) is None means vacant (README: "null once vacated"); an uncovered office is missing instead
    assert state.offices.get(office) is orgsim.UNKNOWN, dict(state.offices)


def test_an_uncovered_office_is_in_the_json_offices_mapping(bundled: orgsim.Timeline) -> None:
    data = bundled.state_at("2023-10-01").to_dict()
    assert "offices.chief_strategy_officer" in data["unknown"]
    assert "chief_strategy_officer" in data["offices"], data["offices"]


def test_repr_of_an_unknown_state_does_not_show_a_ceo_of_none_or_a_board_of_two(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2017-01-01")
    assert state.ceo is orgsim.UNKNOWN and state.board is orgsim.UNKNOWN
    text = repr(state)
    assert "ceo=None" not in text and "board=2" not in text, text


def test_diff_states_describes_an_unknown_before_as_unknown_not_none(bundled: orgsim.Timeline) -> None:
    before = bundled.state_at("2019-03-01")
    after = bundled.state_at("2019-03-31")
    assert before.ceo is orgsim.UNKNOWN
    lines = [d.describe() for d in orgsim.diff_states(before, after) if d.describe().startswith("offices.ceo")]
    assert lines and "unknown" in lines[0] and "none ->" not in lines[0], lines


def test_is_known_refuses_a_misspelt_path(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2023-11-20T10:00")
    with pytest.raises(orgsim.OrgsimError):
        state.is_known("offcies.ceo")


def test_why_unknown_does_not_blame_coverage_for_a_misspelt_path(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2023-11-20T10:00")
    with pytest.raises(orgsim.OrgsimError):
        state.why_unknown("boardd")  # today: "the timeline does not cover it"
