"""Governance rules and how a board vote's outcome follows from them.

A timeline declares its rules in its manifest; a scenario may change them.
The outcome of every :class:`~orgsim.model.events.BoardVote` is computed here from
the directors on the board when the vote happens, never read from the data.

>>> rules = GovernanceRules(majority_of="present")
>>> tally = count_votes(rules, {"a": "yes", "b": "yes", "c": "no"}, ("a", "b", "c", "d"), ())
>>> tally.passed, tally.yes, tally.base
(True, 2, 3)
"""

# No ``from __future__ import annotations``: pydantic would evaluate each field's annotation text at import
# (see events.py).

import math
from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Any, Literal, NamedTuple, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, Strict, model_validator


def _ratio(value: Any) -> Fraction:
    """A share of the votes from a number (``0.75``) or a fraction written as text (``3/4``), kept exact."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise ValueError(f"expected a fraction such as 0.75 or 3/4, got {value}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"expected a finite fraction, got {value}")
        return Fraction(repr(value))  # 0.74 means 74/100, not the nearest binary fraction
    if isinstance(value, str) and len(value) <= 40:
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            pass
    raise ValueError("expected a fraction such as 0.75 or 3/4")


Ratio = Annotated[
    Fraction,
    BeforeValidator(_ratio),
    PlainSerializer(lambda x: float(x) if (x * 100).denominator == 1 else f"{x.numerator}/{x.denominator}"),
]
"""A share of the votes, exact: ``0.75``, ``3/4``, ``2/3``."""


def _share(value: Fraction) -> str:
    return f"{float(value * 100):g}%" if (value * 100).denominator == 1 else f"{value.numerator}/{value.denominator}"


MAX_SEATS = 10_000
"""The largest quorum or board size a rule may name."""


class GovernanceRules(BaseModel):
    """How the board decides.

    * ``quorum``: directors who must take part (vote yes, no or abstain) for a
      vote to count: a number, or ``majority`` (more than half the voting
      directors on the board).
    * ``majority_of``: what the yes votes must be a majority of:
      ``votes_cast`` (yes and no), ``present`` (everyone taking part,
      abstentions included) or ``full_board`` (every voting director).
    * ``threshold``: the fraction the yes votes must strictly exceed (0.5 is a
      simple majority).
    * ``at_least``: instead of ``threshold``, the fraction the yes votes must
      reach (``0.75`` or ``3/4``: a three-quarters supermajority; ``2/3``).
      Either may be written as a decimal or as a fraction; they are kept exact.
    * ``interested_director_may_vote``: whether a director whose own position
      is at stake may vote on the motion.
    * ``board_size``: the most voting seats the board may have (None: no cap).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    quorum: Literal["majority"] | Annotated[int, Strict(), Field(ge=0, le=MAX_SEATS)] = "majority"
    majority_of: Literal["votes_cast", "present", "full_board"] = "present"
    threshold: Annotated[Ratio, Field(ge=0, lt=1)] = Fraction(1, 2)
    at_least: Annotated[Ratio, Field(gt=0, le=1)] | None = None
    interested_director_may_vote: bool = False
    board_size: Annotated[int, Strict(), Field(ge=1, le=MAX_SEATS)] | None = None

    @model_validator(mode="after")
    def _one_share(self) -> Self:
        if self.at_least is not None and self.threshold != Fraction(1, 2):
            raise ValueError("give 'threshold' (more than) or 'at_least', not both")
        return self

    def needed(self, yes: int, base: int) -> bool:
        """Whether ``yes`` votes out of ``base`` are enough under the share these rules ask (exactly)."""
        # Compared as integers (a Fraction product costs a microsecond, and a replay counts every vote).
        reach, numerator, denominator = self._share_terms
        if reach:
            return yes * denominator >= numerator * base
        return yes * denominator > numerator * base

    @cached_property
    def _share_terms(self) -> tuple[bool, int, int]:
        """Whether the share must be reached (not exceeded), and its numerator and denominator, read once."""
        share = self.at_least if self.at_least is not None else self.threshold
        return self.at_least is not None, share.numerator, share.denominator

    def describe(self) -> str:
        """The rules as one English sentence."""
        quorum = "a majority of the board" if self.quorum == "majority" else f"{self.quorum} directors"
        base = {"votes_cast": "the votes cast", "present": "the directors taking part", "full_board": "the full board"}[
            self.majority_of
        ]
        interested = "may" if self.interested_director_may_vote else "may not"
        if self.at_least is not None:
            share = f"at least {_share(self.at_least)}"
        else:
            share = "a majority" if self.threshold == Fraction(1, 2) else f"more than {_share(self.threshold)}"
        cap = f"; at most {self.board_size} voting seats" if self.board_size else ""
        return f"quorum {quorum}; a motion needs {share} of {base}; interested directors {interested} vote{cap}"


_new = tuple.__new__  # builds a named tuple at half the cost of calling its class: replay counts every vote


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
        passed, yes, no, abstain, _, base, quorum, quorate, _ = self
        text = (
            f"{'passed' if passed else 'failed'}: {yes} yes, {no} no, {abstain} abstain of {base}"
            f" (quorum {quorum} {'met' if quorate else 'not met'})"
        )
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
    voters = votes.keys()
    if voters <= (board.keys() if isinstance(board, dict) else board) and (not barred or voters.isdisjoint(barred)):
        # The common case, counted at C speed: every vote is a director's, and none is barred.
        cast = list(votes.values())
        yes, no, abstain = cast.count("yes"), cast.count("no"), cast.count("abstain")
        return _outcome(rules, yes, no, abstain, 0, len(board), ())
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
    ignored.sort()
    return _outcome(rules, yes, no, abstain, attending_barred, len(board), tuple(ignored))


def _outcome(
    rules: GovernanceRules, yes: int, no: int, abstain: int, attending_barred: int, seats: int, ignored: tuple[str, ...]
) -> VoteTally:
    """The tally of counted votes on a board of ``seats`` voting directors, decided under ``rules``."""
    present = yes + no + abstain
    quorum = seats // 2 + 1 if rules.quorum == "majority" else rules.quorum
    majority_of = rules.majority_of
    base = present if majority_of == "present" else yes + no if majority_of == "votes_cast" else seats
    quorate = present + attending_barred >= quorum
    passed = quorate and base > 0 and rules.needed(yes, base)
    return _new(VoteTally, (passed, yes, no, abstain, present, base, quorum, quorate, ignored))
