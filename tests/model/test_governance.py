"""Vote counting under the governance rules."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

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


@pytest.mark.parametrize("written", [0.75, "3/4", "0.75", 3 / 4])
def test_at_least_reaches_a_share_exactly(written: object) -> None:
    rules = GovernanceRules(majority_of="full_board", at_least=written)  # type: ignore[arg-type]
    three_of_four = {"a": "yes", "b": "yes", "c": "yes", "d": "no"}
    assert count_votes(rules, three_of_four, ("a", "b", "c", "d"), ()).passed
    assert not count_votes(
        GovernanceRules(majority_of="full_board", threshold=written), three_of_four, "abcd", ()
    ).passed  # type: ignore[arg-type]
    assert "at least 75%" in rules.describe()


def test_a_threshold_of_074_is_read_as_written_not_as_its_binary_neighbour() -> None:
    rules = GovernanceRules(majority_of="full_board", threshold=0.74)
    votes = {f"d{i}": "yes" for i in range(37)} | {f"n{i}": "no" for i in range(13)}
    assert not count_votes(rules, votes, list(votes), ()).passed  # 37 of 50 is 74 %: not more than 74 %


def test_two_thirds_as_a_fraction() -> None:
    rules = GovernanceRules(majority_of="full_board", at_least="2/3")  # type: ignore[arg-type]
    assert count_votes(rules, {"a": "yes", "b": "yes", "c": "no"}, "abc", ()).passed
    assert "at least 2/3" in rules.describe()


@pytest.mark.parametrize(
    "rules",
    [
        {"at_least": 0.75, "threshold": 0.6},
        {"at_least": 0},
        {"at_least": 1.5},
        {"threshold": 1},
        {"threshold": "a lot"},
        {"threshold": float("nan")},
        {"threshold": True},
        {"quorum": True},
        {"quorum": "4"},
        {"board_size": 10**9},
    ],
)
def test_bad_rules_are_refused(rules: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        GovernanceRules.model_validate(rules)


@given(
    share=st.fractions(min_value=Fraction(1, 1000), max_value=Fraction(999, 1000), max_denominator=1000),
    yes=st.integers(min_value=0, max_value=10_000),
    extra=st.integers(min_value=0, max_value=10_000),
    at_least=st.booleans(),
)
def test_the_share_needed_is_decided_exactly_as_with_fractions(
    share: Fraction, yes: int, extra: int, at_least: bool
) -> None:
    """``needed`` compares integers for speed; it must decide exactly as the Fraction arithmetic it replaces."""
    base = yes + extra
    rules = GovernanceRules(at_least=share) if at_least else GovernanceRules(threshold=share)
    expected = yes >= share * base if at_least else yes > share * base
    assert rules.needed(yes, base) is expected


def _reference_tally(
    rules: GovernanceRules, votes: dict[str, str], board: set[str], interested: tuple[str, ...]
) -> tuple[object, ...]:
    """The count written out plainly, vote by vote, as the rules say it."""
    barred = set() if rules.interested_director_may_vote else set(interested)
    counted = {person: vote for person, vote in votes.items() if person in board and person not in barred}
    yes, no, abstain = (sum(1 for vote in counted.values() if vote == kind) for kind in ("yes", "no", "abstain"))
    attending_barred = sum(1 for p, vote in votes.items() if p in board and p in barred and vote != "absent")
    present = yes + no + abstain
    quorum = len(board) // 2 + 1 if rules.quorum == "majority" else rules.quorum
    base = {"present": present, "votes_cast": yes + no, "full_board": len(board)}[rules.majority_of]
    share = rules.at_least if rules.at_least is not None else rules.threshold
    enough = yes >= share * base if rules.at_least is not None else yes > share * base
    quorate = present + attending_barred >= quorum
    ignored = tuple(sorted(p for p in votes if p not in board or p in barred))
    return (quorate and base > 0 and enough, yes, no, abstain, present, base, quorum, quorate, ignored)


PEOPLE = [f"p{i}" for i in range(9)]


@given(
    board=st.sets(st.sampled_from(PEOPLE)),
    votes=st.dictionaries(st.sampled_from(PEOPLE), st.sampled_from(["yes", "no", "abstain", "absent", "recused"])),
    interested=st.lists(st.sampled_from(PEOPLE), max_size=3, unique=True),
    majority_of=st.sampled_from(["votes_cast", "present", "full_board"]),
    quorum=st.one_of(st.just("majority"), st.integers(min_value=0, max_value=9)),
    may_vote=st.booleans(),
    share=st.sampled_from([None, Fraction(1, 2), Fraction(2, 3), Fraction(3, 4)]),
)
def test_votes_are_counted_as_the_rules_say_whichever_way_they_are_counted(
    board: set[str],
    votes: dict[str, str],
    interested: list[str],
    majority_of: str,
    quorum: object,
    may_vote: bool,
    share: Fraction | None,
) -> None:
    """The C-speed count (every voter a director, none barred) and the vote-by-vote one agree with the rules."""
    rules = GovernanceRules.model_validate(
        {"majority_of": majority_of, "quorum": quorum, "interested_director_may_vote": may_vote, "at_least": share}
    )
    expected = _reference_tally(rules, votes, board, tuple(interested))
    for directors in (board, frozenset(board), dict.fromkeys(board), sorted(board)):
        assert tuple(count_votes(rules, votes, directors, tuple(interested))) == expected
