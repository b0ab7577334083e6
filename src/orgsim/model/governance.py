"""Governance rules and how a board vote's outcome follows from them.

A timeline declares its rules in its manifest; a scenario may change them.
The outcome of every :class:`~orgsim.model.events.BoardVote` is computed here from
the directors on the board when the vote happens, never read from the data.

>>> rules = GovernanceRules(majority_of="present")
>>> tally = count_votes(rules, {"a": "yes", "b": "yes", "c": "no"}, ("a", "b", "c", "d"), ())
>>> tally.passed, tally.yes, tally.base
(True, 2, 3)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field


class GovernanceRules(BaseModel):
    """How the board decides.

    * ``quorum``: directors who must take part (vote yes, no or abstain) for a
      vote to count: a number, or ``majority`` (more than half the voting
      directors on the board).
    * ``majority_of``: what the yes votes must be a majority of:
      ``votes_cast`` (yes and no), ``present`` (everyone taking part,
      abstentions included) or ``full_board`` (every voting director).
    * ``threshold``: the fraction the yes votes must strictly exceed (0.5 is a
      simple majority; 0.66 a two-thirds supermajority).
    * ``interested_director_may_vote``: whether a director whose own position
      is at stake may vote on the motion.
    * ``board_size``: the most voting seats the board may have (None: no cap).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    quorum: Literal["majority"] | Annotated[int, Field(ge=0)] = "majority"
    majority_of: Literal["votes_cast", "present", "full_board"] = "present"
    threshold: Annotated[float, Field(ge=0, lt=1)] = 0.5
    interested_director_may_vote: bool = False
    board_size: Annotated[int, Field(ge=1)] | None = None

    def describe(self) -> str:
        """The rules as one English sentence."""
        quorum = "a majority of the board" if self.quorum == "majority" else f"{self.quorum} directors"
        base = {"votes_cast": "the votes cast", "present": "the directors taking part", "full_board": "the full board"}[
            self.majority_of
        ]
        interested = "may" if self.interested_director_may_vote else "may not"
        share = "a majority" if self.threshold == 0.5 else f"more than {self.threshold:.0%}"
        cap = f"; at most {self.board_size} voting seats" if self.board_size else ""
        return f"quorum {quorum}; a motion needs {share} of {base}; interested directors {interested} vote{cap}"


class VoteTally(NamedTuple):
    """The counted result of one board vote.

    ``ignored`` lists votes not counted: cast by non-directors or by
    interested directors barred from voting.
    """

    passed: bool
    yes: int
    no: int
    abstain: int
    present: int
    base: int
    quorum: int
    quorate: bool
    ignored: tuple[str, ...]

    def describe(self) -> str:
        """The tally as one line, e.g. ``passed: 4 yes, 0 no, 0 abstain of 4 (quorum 4 met)``."""
        verdict = "passed" if self.passed else "failed"
        quorum = "met" if self.quorate else "not met"
        counts = f"{self.yes} yes, {self.no} no, {self.abstain} abstain of {self.base}"
        text = f"{verdict}: {counts} (quorum {self.quorum} {quorum})"
        if self.ignored:
            text += f"; not counted: {', '.join(self.ignored)}"
        return text


def count_votes(
    rules: GovernanceRules,
    votes: Mapping[str, str],
    directors: Iterable[str],
    interested: Iterable[str],
) -> VoteTally:
    """Count ``votes`` under ``rules`` for a board of voting ``directors``."""
    board = directors if isinstance(directors, (set, frozenset, dict)) else set(directors)
    barred = () if rules.interested_director_may_vote else interested
    yes = no = abstain = attending_barred = 0
    ignored: list[str] = []
    for person, vote in votes.items():
        if person not in board:
            ignored.append(person)
        elif person in barred:
            ignored.append(person)
            if vote != "absent":  # a barred interested director who attends still counts towards the quorum
                attending_barred += 1
        elif vote == "yes":
            yes += 1
        elif vote == "no":
            no += 1
        elif vote == "abstain":
            abstain += 1
    present = yes + no + abstain
    seats = len(board)
    quorum = seats // 2 + 1 if rules.quorum == "majority" else rules.quorum
    majority_of = rules.majority_of
    base = present if majority_of == "present" else yes + no if majority_of == "votes_cast" else seats
    quorate = present + attending_barred >= quorum
    passed = quorate and base > 0 and yes > rules.threshold * base
    ignored.sort()
    return VoteTally(passed, yes, no, abstain, present, base, quorum, quorate, tuple(ignored))
