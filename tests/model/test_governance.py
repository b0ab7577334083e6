"""Vote counting under the governance rules."""

from __future__ import annotations

from orgsim.model.governance import GovernanceRules, count_votes

BOARD = ("altman", "brockman", "sutskever", "dangelo", "mccauley", "toner")
HISTORY = {
    "sutskever": "yes",
    "dangelo": "yes",
    "mccauley": "yes",
    "toner": "yes",
    "altman": "absent",
    "brockman": "absent",
}


def test_four_of_four_present_passes_with_a_majority_quorum() -> None:
    tally = count_votes(GovernanceRules(), HISTORY, BOARD, ("altman", "brockman"))
    assert (tally.passed, tally.yes, tally.present, tally.quorum) == (True, 4, 4, 4)


def test_one_flip_still_passes_a_majority_of_those_present() -> None:
    votes = {**HISTORY, "sutskever": "no"}
    assert count_votes(GovernanceRules(majority_of="present"), votes, BOARD, ()).passed


def test_one_flip_fails_a_majority_of_the_full_board() -> None:
    votes = {**HISTORY, "sutskever": "no"}
    tally = count_votes(GovernanceRules(majority_of="full_board"), votes, BOARD, ())
    assert not tally.passed and tally.base == 6 and tally.yes == 3


def test_without_quorum_a_motion_fails() -> None:
    votes = {"sutskever": "yes", "dangelo": "yes", "mccauley": "yes"}
    tally = count_votes(GovernanceRules(), votes, BOARD, ())
    assert not tally.quorate and not tally.passed


def test_interested_directors_are_not_counted_unless_allowed() -> None:
    votes = {"altman": "no", "brockman": "no", "sutskever": "yes", "dangelo": "yes", "mccauley": "yes"}
    barred = count_votes(GovernanceRules(), votes, BOARD, ("altman", "brockman"))
    assert barred.passed and barred.ignored == ("altman", "brockman")
    allowed = count_votes(GovernanceRules(interested_director_may_vote=True), votes, BOARD, ("altman", "brockman"))
    assert allowed.passed and allowed.no == 2
    strict = GovernanceRules(interested_director_may_vote=True, threshold=0.66)
    assert not count_votes(strict, votes, BOARD, ("altman",)).passed


def test_votes_of_non_directors_are_ignored() -> None:
    tally = count_votes(GovernanceRules(), {"outsider": "yes", "sutskever": "yes"}, ("sutskever",), ())
    assert tally.yes == 1 and tally.ignored == ("outsider",)


def test_rules_describe_themselves() -> None:
    assert "majority of the full board" in GovernanceRules(majority_of="full_board").describe()
