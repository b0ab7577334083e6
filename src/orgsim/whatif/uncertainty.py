"""What a scenario declares uncertain, and how ``orgsim sweep`` runs it unless told otherwise.

A scenario's ``uncertain:`` list declares inputs it is unsure of: a vote
(:class:`UncertainVote`), whether an event happens, when, how many, or which
of several versions. ``orgsim sweep`` (:mod:`orgsim.sweeps`) runs a world for
each combination or sample of their values. Only their shape is checked
here, at load; what they name (an event, a director) is checked against the
base when the sweep is compiled, as interventions are. :class:`SweepSettings`
is the scenario's ``sweep:`` section.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from orgsim.model.events import Slug, Vote

Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
"""A probability: a number from 0 to 1."""

_TOLERANCE = 1e-9
"""How far from 1 probabilities that must sum to 1 may be (decimals such as 0.1 are not exact in binary)."""


def _sums_to_one(weights: Sequence[float], what: str) -> None:
    total = sum(weights)
    if abs(total - 1.0) > _TOLERANCE:
        raise ValueError(f"the probabilities of {what} sum to {total:g}, not 1")


class _Uncertain(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: Slug
    """The input's id: named in results, in the influence ranking and in errors."""
    why: str | None = None


class UncertainVote(_Uncertain):
    """How one director votes in a recorded board vote: each vote value with its probability.

    ``yes: 0.75`` is short for ``p: {yes: 0.75, no: 0.25}``.
    """

    vote: Slug
    director: Slug
    p: dict[Vote, Probability] | None = None
    yes: Probability | None = None

    @model_validator(mode="after")
    def _one_distribution(self) -> UncertainVote:
        if (self.p is None) == (self.yes is None):
            raise ValueError("give the vote's probabilities as p: {yes: .., no: ..} or as yes: P, one of the two")
        if self.p is not None:
            if not self.p:
                raise ValueError("p names no vote value")
            _sums_to_one(list(self.p.values()), "the vote values")
        return self

    def alternatives(self) -> list[tuple[str, float]]:
        """Each vote value with its probability."""
        if self.p is None:
            assert self.yes is not None
            return [("yes", self.yes), ("no", 1.0 - self.yes)]
        return [(str(value), weight) for value, weight in self.p.items()]


class UncertainHappens(_Uncertain):
    """A recorded event happens with probability ``p``; otherwise it is removed, with what follows from it."""

    happens: Slug
    p: Probability

    def alternatives(self) -> list[tuple[str, float]]:
        """``happens`` with ``p`` and ``removed`` with ``1 - p``."""
        return [("happens", self.p), ("removed", 1.0 - self.p)]


class UncertainTime(_Uncertain):
    """When a recorded event happens: uniformly ``between`` two instants, ``jitter`` either side, or ``within`` the
    period its ``precision`` allows (in the zone its source uses)."""

    time: Slug
    between: tuple[str, str] | None = None
    jitter: str | None = None
    within: Literal["precision"] | None = None

    @field_validator("between", mode="before")
    @classmethod
    def _instants_as_text(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [item.isoformat() if hasattr(item, "isoformat") else item for item in value]
        return value

    @model_validator(mode="after")
    def _one_window(self) -> UncertainTime:
        given = [name for name in ("between", "jitter", "within") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of between: [FROM, TO], jitter: DURATION or within: precision")
        return self


class UncertainTimes(_Uncertain):
    """Every event (or those ``events``, or those ``from``..``to``) at any instant its ``precision`` allows."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    times: Literal["precision"]
    events: tuple[Slug, ...] | None = None
    start: str | None = Field(default=None, alias="from")
    end: str | None = Field(default=None, alias="to")

    @field_validator("start", "end", mode="before")
    @classmethod
    def _instant_as_text(cls, value: Any) -> Any:
        return value.isoformat() if hasattr(value, "isoformat") else value


class UncertainCount(_Uncertain):
    """A reported count (``count`` of a headcount, signatures or departure event): any whole number ``between``
    two bounds (inclusive, equally likely), or one of ``values`` with its probability."""

    count: Slug
    between: tuple[Annotated[int, Field(ge=0, le=10**9)], Annotated[int, Field(ge=0, le=10**9)]] | None = None
    values: dict[Annotated[int, Field(ge=0, le=10**9)], Probability] | None = None

    @model_validator(mode="after")
    def _one_distribution(self) -> UncertainCount:
        if (self.between is None) == (self.values is None):
            raise ValueError("give between: [LOW, HIGH] or values: {COUNT: P, ...}, one of the two")
        if self.between is not None and self.between[0] > self.between[1]:
            raise ValueError(f"between: {self.between[0]} is above {self.between[1]}")
        if self.values is not None:
            if not self.values:
                raise ValueError("values names no count")
            _sums_to_one(list(self.values.values()), "the counts")
        return self

    def alternatives(self) -> list[tuple[int, float]]:
        """Each count with its probability."""
        if self.values is not None:
            return list(self.values.items())
        assert self.between is not None
        low, high = self.between
        return [(count, 1.0 / (high - low + 1)) for count in range(low, high + 1)]


class ChoiceOption(BaseModel):
    """One version in a choice: a recorded event, with its probability."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    event: Slug
    p: Probability


class UncertainChoice(_Uncertain):
    """Exactly one of several recorded events happened (two sources' versions of one fact): the others are left
    out of the world without consequence."""

    choice: Annotated[tuple[ChoiceOption, ...], Field(min_length=2)]

    @field_validator("choice")
    @classmethod
    def _distinct(cls, options: tuple[ChoiceOption, ...]) -> tuple[ChoiceOption, ...]:
        ids = [option.event for option in options]
        if len(set(ids)) != len(ids):
            raise ValueError("a choice names an event twice")
        _sums_to_one([option.p for option in options], "the choice's events")
        return options

    def alternatives(self) -> list[tuple[str, float]]:
        """Each version's event id with its probability."""
        return [(option.event, option.p) for option in self.choice]


UNCERTAIN_KINDS = ("vote", "happens", "time", "times", "count", "choice")
"""The key that tells each kind of uncertain input apart."""


def uncertain_kind(value: Any) -> str | None:
    """Which kind of uncertain input ``value`` (a mapping or a model) is, by its key."""
    if isinstance(value, dict):
        return next((k for k in UNCERTAIN_KINDS if k in value), None)
    if isinstance(value, BaseModel):
        return next((k for k in UNCERTAIN_KINDS if k in type(value).model_fields), None)
    return None


UncertainInput = Annotated[
    (
        Annotated[UncertainVote, Tag("vote")]
        | Annotated[UncertainHappens, Tag("happens")]
        | Annotated[UncertainTime, Tag("time")]
        | Annotated[UncertainTimes, Tag("times")]
        | Annotated[UncertainCount, Tag("count")]
        | Annotated[UncertainChoice, Tag("choice")]
    ),
    Discriminator(
        uncertain_kind,
        custom_error_type="uncertain_kind",
        custom_error_message="an uncertain input needs one of: " + ", ".join(UNCERTAIN_KINDS),
    ),
]
"""One uncertain input, told apart by its key: ``vote``, ``happens``, ``time``, ``times``, ``count`` or ``choice``."""


class InstantRange(BaseModel):
    """Instants ``every`` (an ISO-8601 duration) from ``from`` to ``to``, both included when they fall on the step."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    start: str = Field(alias="from")
    end: str = Field(alias="to")
    every: str

    @field_validator("start", "end", mode="before")
    @classmethod
    def _instant_as_text(cls, value: Any) -> Any:
        return value.isoformat() if hasattr(value, "isoformat") else value


class SweepSettings(BaseModel):
    """How ``orgsim sweep`` runs a scenario unless told otherwise on its command line."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    at: str | tuple[str, ...] | InstantRange | None = None
    """When to observe each world: an instant, a list of them, or ``{from, to, every}``."""
    measure: tuple[str, ...] | None = None
    """Paths of the state contract to measure (default: the CEO, the board, the chair, the headcount, Microsoft's
    staff)."""
    samples: Annotated[int, Field(ge=1, le=10**7)] | None = None
    seed: Annotated[int, Field(ge=0, lt=2**63)] | None = None

    @field_validator("at", mode="before")
    @classmethod
    def _instants_as_text(cls, value: Any) -> Any:
        # YAML reads an unquoted 2023-11-18 as a date: an instant is read from its text, as the CLI reads --at.
        if isinstance(value, list):
            return tuple(item.isoformat() if hasattr(item, "isoformat") else item for item in value)
        return value.isoformat() if hasattr(value, "isoformat") else value
