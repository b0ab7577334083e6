"""The event vocabulary: frozen, validated values, one class per kind.

An event file holds a list of these, discriminated on ``type``. Unknown fields
are rejected, so a typo in a data file is an error rather than a silent
default. The vocabulary is generic: any organisation, any stakeholder.

>>> event = EVENT_ADAPTER.validate_python({
...     "type": "office_assigned", "id": "cto-named", "at": "2023-01-01T09:00-08:00",
...     "precision": "day", "summary": "Ada becomes CTO.", "office": "cto",
...     "person": "ada-lovelace", "sources": [{"document": "memo.txt",
...     "quote": "Ada is CTO", "translation": "Ada is CTO"}]})
>>> event.office, event.interim
('cto', False)
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from orgsim.errors import TimeInputError
from orgsim.times import zone

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""A lower-case hyphenated identifier: ``sam-altman``, ``2023-11-17-board-vote``."""

OfficeName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
"""An office: ``ceo``, ``president``, ``cto``, ``chief_scientist``, or any other snake_case name."""

Precision = Literal["minute", "hour", "day", "month", "year"]


def _known_zone(name: str) -> str:
    try:
        zone(name)
    except TimeInputError:
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Asia/Shanghai)") from None
    return name


ZoneName = Annotated[str, AfterValidator(_known_zone)]
"""An IANA time zone name: ``America/Los_Angeles``, ``Asia/Shanghai``, ``UTC``."""
Vote = Literal["yes", "no", "abstain", "absent", "recused"]
Qualifier = Literal["exact", "about", "nearly", "more_than", "at_least"]

WELL_KNOWN_OFFICES = (
    "ceo",
    "president",
    "cto",
    "chief_scientist",
    "coo",
    "chief_strategy_officer",
    "ciso",
    "svp_research",
    "head_of_mission_alignment",
)
"""Offices the table view lists first; any other snake_case office is allowed."""


class Source(BaseModel):
    """Where a fact comes from: a document, a verbatim quote from it, an English rendering.

    ``external`` marks a named public report outside the timeline's own source
    documents; its quote is not checked against a bundled file.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    document: Annotated[str, StringConstraints(min_length=1)]
    quote: Annotated[str, StringConstraints(min_length=1)]
    translation: Annotated[str, StringConstraints(min_length=1)]
    external: bool = False


class EventBase(BaseModel):
    """Fields every event carries, whatever its kind."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: Slug
    at: AwareDatetime
    precision: Precision
    zone: ZoneName | None = None
    """The time zone the source dates the event in (default: the timeline's home zone).

    An event of ``day``, ``month`` or ``year`` precision covers that whole
    day, month or year *in this zone*, and is shown dated in it.
    """
    summary: Annotated[str, StringConstraints(min_length=1)]
    sources: tuple[Source, ...] = ()
    stated_at: str | None = None
    reported_at: AwareDatetime | None = None
    caused_by: tuple[Slug, ...] = ()
    rationale: str | None = None
    generated_by: str | None = None


class PersonJoined(EventBase):
    """A person joins the organisation (hired, returned, founding member)."""

    type: Literal["person_joined"] = "person_joined"
    person: Slug
    reason: Literal["hired", "returned", "founding", "appointed"] = "hired"


class PersonLeft(EventBase):
    """A person leaves the organisation; any office they hold falls vacant."""

    type: Literal["person_left"] = "person_left"
    person: Slug
    reason: Literal["fired", "resigned", "departed", "retired"]
    destination: Slug | None = None


class OfficeAssigned(EventBase):
    """An office is given to a person, who thereby belongs to the organisation.

    ``replaces`` names the holder the source says is being replaced; if the
    office is held by someone else when the event applies, that is a conflict.
    """

    type: Literal["office_assigned"] = "office_assigned"
    office: OfficeName
    person: Slug
    interim: bool = False
    replaces: Slug | None = None


class OfficeVacated(EventBase):
    """An office falls vacant; ``person`` must be its holder."""

    type: Literal["office_vacated"] = "office_vacated"
    office: OfficeName
    person: Slug


class BoardSeatAdded(EventBase):
    """A person takes a seat on the board, voting or as an observer."""

    type: Literal["board_seat_added"] = "board_seat_added"
    person: Slug
    role: Literal["voting", "observer"] = "voting"
    independent: bool = False
    representing: Slug | None = None


class BoardSeatRemoved(EventBase):
    """A person leaves the board (and the chair, if they held it)."""

    type: Literal["board_seat_removed"] = "board_seat_removed"
    person: Slug


class ChairSet(EventBase):
    """A voting director becomes chair of the board."""

    type: Literal["chair_set"] = "chair_set"
    person: Slug


class ChairCleared(EventBase):
    """The chair falls vacant; ``person``, when given, must be the chair."""

    type: Literal["chair_cleared"] = "chair_cleared"
    person: Slug | None = None


class BoardVote(EventBase):
    """The board votes on a motion; the outcome is computed, never stated.

    ``votes`` maps each director to ``yes``, ``no``, ``abstain``, ``absent``
    or ``recused``; a director left out counts as absent. ``interested`` names
    directors whose own position is at stake: whether they may vote is a
    governance rule. Events that carry this vote in ``caused_by`` follow from
    the motion and fall away if it fails.
    """

    type: Literal["board_vote"] = "board_vote"
    motion: Annotated[str, StringConstraints(min_length=1)]
    votes: dict[Slug, Vote]
    interested: tuple[Slug, ...] = ()


class HeadcountReported(EventBase):
    """The number of employees, as a source reports it."""

    type: Literal["headcount_reported"] = "headcount_reported"
    count: Annotated[int, Field(ge=0)]
    qualifier: Qualifier = "exact"


class SignaturesReported(EventBase):
    """The number of employees who have signed an open letter, as a source reports it.

    ``signatories`` names people newly reported as signing; someone named
    again (in this report or an earlier one) is counted once.
    """

    type: Literal["signatures_reported"] = "signatures_reported"
    count: Annotated[int, Field(ge=0)]
    qualifier: Qualifier = "exact"
    letter: Slug | None = None
    signatories: tuple[Slug, ...] = ()


class LeaveStarted(EventBase):
    """A person goes on leave (a sabbatical, say) but stays with the organisation."""

    type: Literal["leave_started"] = "leave_started"
    person: Slug
    kind: str = "sabbatical"
    until: date | None = None


class LeaveEnded(EventBase):
    """A person comes back from leave."""

    type: Literal["leave_ended"] = "leave_ended"
    person: Slug


class StakeholderChanged(EventBase):
    """A stakeholder's role changes: money invested, people hired or released.

    ``invested_usd`` adds to the running total; ``investment_total_usd`` sets it
    (the two are exclusive). A stakeholder's board seat follows from the board
    itself: see :class:`BoardSeatAdded` ``representing``.
    """

    type: Literal["stakeholder_changed"] = "stakeholder_changed"
    stakeholder: Slug
    invested_usd: Annotated[float, Field(ge=0)] | None = None
    investment_total_usd: Annotated[float, Field(ge=0)] | None = None
    investment_form: str | None = None
    hires: tuple[Slug, ...] = ()
    releases: tuple[Slug, ...] = ()


class StaffDeparted(EventBase):
    """A group of employees leaves at once, perhaps for a stakeholder.

    ``count`` comes off the headcount; the named ``people`` leave the
    organisation; a ``destination`` stakeholder takes them all on.
    """

    type: Literal["staff_departed"] = "staff_departed"
    count: Annotated[int, Field(ge=0)]
    people: tuple[Slug, ...] = ()
    destination: Slug | None = None


class StructureChanged(EventBase):
    """The organisation's legal or control structure changes."""

    type: Literal["structure_changed"] = "structure_changed"
    structure: Annotated[str, StringConstraints(min_length=1)]


class Statement(EventBase):
    """Something said, reported, offered or planned that changes no state."""

    type: Literal["statement"] = "statement"
    category: str = "statement"
    people: tuple[Slug, ...] = ()


Event = Annotated[
    (
        PersonJoined
        | PersonLeft
        | OfficeAssigned
        | OfficeVacated
        | BoardSeatAdded
        | BoardSeatRemoved
        | ChairSet
        | ChairCleared
        | BoardVote
        | HeadcountReported
        | SignaturesReported
        | LeaveStarted
        | LeaveEnded
        | StakeholderChanged
        | StaffDeparted
        | StructureChanged
        | Statement
    ),
    Field(discriminator="type"),
]
"""Any event: the discriminated union on ``type``."""

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event, config=ConfigDict(defer_build=True))
"""Validates one event from Python data or JSON."""

EVENT_LIST_ADAPTER: TypeAdapter[list[Event]] = TypeAdapter(list[Event], config=ConfigDict(defer_build=True))
"""Validates a list of events in one call (the bulk load path)."""

EVENT_TYPES: dict[str, type[EventBase]] = {
    cls.model_fields["type"].default: cls
    for cls in (
        PersonJoined,
        PersonLeft,
        OfficeAssigned,
        OfficeVacated,
        BoardSeatAdded,
        BoardSeatRemoved,
        ChairSet,
        ChairCleared,
        BoardVote,
        HeadcountReported,
        SignaturesReported,
        LeaveStarted,
        LeaveEnded,
        StakeholderChanged,
        StaffDeparted,
        StructureChanged,
        Statement,
    )
}
"""Every event kind by its ``type`` name."""


def people_named(event: EventBase) -> tuple[str, ...]:
    """Every person id an event refers to (for registry checks and filters)."""
    found: list[str] = []
    for name in ("person", "replaces"):
        value = getattr(event, name, None)
        if isinstance(value, str):
            found.append(value)
    for name in ("signatories", "hires", "releases", "people", "interested"):
        found.extend(getattr(event, name, ()))
    votes = getattr(event, "votes", None)
    if votes:
        found.extend(votes)
    return tuple(found)
