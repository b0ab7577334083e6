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

# No ``from __future__ import annotations`` here, unlike elsewhere: pydantic would then evaluate every field's
# annotation from its text when each class is made, and that cost every command 2-3 ms at start.

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    TypeAdapter,
    model_validator,
)
from pydantic_core import PydanticCustomError

from orgsim.errors import TimeInputError
from orgsim.times import parse_duration, zone

FIRST_YEAR, LAST_YEAR = 1800, 2200
"""The years an instant (in UTC) or a date may fall in: every output can show them, in any zone."""

MAX_COUNT = 1_000_000_000
"""The largest headcount, signature count or number of departing staff."""

MAX_USD = 1e15
"""The largest amount of money in one field: sums of any number of them stay finite."""


EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
"""The earliest instant an event may have."""
END = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)
"""The instant every event must come before (the end of the last supported year, in UTC)."""


def instant_in_range(value: datetime) -> datetime:
    """``value`` when it falls in the supported years (UTC); ``ValueError`` if not."""
    if not EARLIEST <= value < END:
        raise ValueError(f"instant outside the supported years {FIRST_YEAR}-{LAST_YEAR} (got {value.isoformat()})")
    return value


# The bounds are checked by pydantic's core, not by a Python validator: a million events load without a call each.
Instant = Annotated[AwareDatetime, Field(ge=EARLIEST, lt=END)]
"""An aware instant (with an offset) in the supported years, 1800 to 2200 (UTC)."""

Day = Annotated[date, Field(ge=date(FIRST_YEAR, 1, 1), le=date(LAST_YEAR, 12, 31))]
"""A calendar date in the supported years, 1800 to 2200."""

Count = Annotated[int, Strict(), Field(ge=0, le=MAX_COUNT)]
"""A number of people: an integer written as one (not ``true``, not ``'7'``), 0 to 10^9."""

Usd = Annotated[float, Strict(), Field(ge=0, le=MAX_USD, allow_inf_nan=False)]
"""An amount of US dollars: a finite number written as one, 0 to 10^15."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""A lower-case hyphenated identifier: ``sam-altman``, ``2023-11-17-board-vote``."""

OfficeName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
"""An office: ``ceo``, ``president``, ``cto``, ``chief_scientist``, or any other snake_case name."""

Precision = Literal["minute", "hour", "day", "month", "year"]


_ZONE_NAME = re.compile(r"^[A-Za-z0-9_+-]{1,30}(/[A-Za-z0-9_+-]{1,30}){0,2}$")


def known_zone(name: str) -> str:
    """``name`` when it is a time zone of the tz database; ``ValueError`` if not.

    Only a name shaped like one (``Area/Location``, no ``..``) is looked up,
    since the lookup opens a file of that name.
    """
    if not _ZONE_NAME.match(name) or ".." in name:
        raise ValueError(f"unknown time zone {name[:40]!r} (use an IANA name such as Asia/Shanghai)")
    try:
        zone(name)
    except (TimeInputError, OSError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Asia/Shanghai)") from None
    return name


ZoneName = Annotated[str, AfterValidator(known_zone)]
"""An IANA time zone name: ``America/Los_Angeles``, ``Asia/Shanghai``, ``UTC``."""
Vote = Literal["yes", "no", "abstain", "absent", "recused"]
Qualifier = Literal["exact", "about", "nearly", "more_than", "at_least", "dozens", "hundreds", "several"]
"""How exact a reported count is; ``dozens``, ``hundreds`` and ``several`` are as vague as the sources that say them."""

Status = Literal["effective", "announced"]
"""Whether an event happened (``effective``) or was only announced, its effect pending."""

_DURATION = re.compile(r"^P(\d{1,3}Y)?(\d{1,4}M)?(\d{1,4}W)?(\d{1,5}D)?(T(\d{1,6}H)?(\d{1,6}M)?)?$")


def iso_duration(text: str) -> str:
    """``text`` when it is a positive ISO-8601 duration (``P180D``, ``P6M``, ``PT36H``); ``ValueError`` if not."""
    message = f"not a positive ISO-8601 duration such as P180D, P6M or PT36H: {text[:40]!r}"
    if not _DURATION.match(text):
        raise ValueError(message)
    try:
        parse_duration(text)
    except TimeInputError:
        raise ValueError(message) from None
    return text


Duration = Annotated[str, AfterValidator(iso_duration)]
"""An ISO-8601 duration (years, months, weeks, days, hours, minutes): ``P180D``, ``P1Y``, ``PT36H``."""

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


def is_english(language: str | None) -> bool:
    """Whether a language tag names English (``en``, ``en-GB``...)."""
    return language is not None and (language == "en" or language.startswith("en-"))


def _quote_if_english(data: dict[str, Any]) -> str | None:
    # None is then refused as a string: 'translation' is missing (only called when it is, so bulk loads pay nothing).
    return data.get("quote") if is_english(data.get("language")) else None


_TRANSLATION_RULE: dict[str, Any] = {
    "if": {"not": {"required": ["language"], "properties": {"language": {"pattern": "^en(-|$)"}}}},
    "then": {"required": ["translation"]},
}


class Source(BaseModel):
    """Where a fact comes from: a document, a verbatim quote from it, an English rendering.

    An ``external`` source (a named public report outside the timeline's own
    documents) names its ``publisher`` and the date it was ``published``, and
    may give its ``url``; its quote is the words as published.

    ``language`` is the quote's language as a tag (``en``, ``fr``, ``zh``);
    ``translation`` is required unless it is English (``en``, ``en-GB``...),
    and then defaults to the quote itself. ``external`` marks a named public
    report outside the timeline's own source documents; its quote is not
    checked against a bundled file.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, json_schema_extra=_TRANSLATION_RULE)

    document: Annotated[str, StringConstraints(min_length=1)]
    quote: Annotated[str, StringConstraints(min_length=1)]
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")] | None = None
    translation: Annotated[str, StringConstraints(min_length=1)] = Field(
        default_factory=_quote_if_english, validate_default=True
    )
    """The English rendering of the quote (the quote itself when its ``language`` is English)."""
    external: bool = False
    publisher: Annotated[str, StringConstraints(min_length=1)] | None = None
    """Who published the report (a named outlet or organisation): required when ``external``."""
    published: Day | None = None
    """The date the report gives for itself: required when ``external``."""
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)] | None = None
    """Where the report can be read."""

    @model_validator(mode="after")
    def _external_reports_are_named(self) -> Self:
        if self.external and (self.publisher is None or self.published is None):
            missing = " and ".join(n for n in ("publisher", "published") if getattr(self, n) is None)
            raise PydanticCustomError(
                "external_unnamed", f"an external source names its publisher and the date it was published ({missing})"
            )
        return self


class EventBase(BaseModel):
    """Fields every event carries, whatever its kind."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: Slug
    at: Instant
    precision: Precision
    zone: ZoneName | None = None
    """The time zone the source dates the event in (default: the timeline's home zone).

    An event of ``day``, ``month`` or ``year`` precision covers that whole
    day, month or year *in this zone*, and is shown dated in it.
    """
    summary: Annotated[str, StringConstraints(min_length=1)]
    sources: tuple[Source, ...] = ()
    stated_at: str | None = None
    reported_at: Instant | None = None
    caused_by: tuple[Slug, ...] = ()
    rationale: str | None = None
    generated_by: str | None = None
    status: Status = "effective"
    """``announced``: the event was announced, not (yet) done; it is recorded as pending and changes nothing
    until an effective event ``fulfils`` it (or an ``announcement_withdrawn`` withdraws it)."""
    fulfils: Slug | None = None
    """The pending announcement this effective event carries out."""

    @model_validator(mode="after")
    def _announced_fulfils_nothing(self) -> Self:
        if self.status == "announced" and self.fulfils is not None:
            raise PydanticCustomError("announced_fulfils", "an announced event cannot fulfil another (fulfils)")
        if self.reported_at is not None and self.reported_at < self.at and not self.rationale:
            raise PydanticCustomError(
                "reported_early",
                "reported_at is before at: the public knew before it took effect; say how in rationale",
            )
        return self


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


class _Counted(EventBase):
    """A count as a source gives it: a number, a range (``low``/``high``) or both, and how exact it is."""

    count: Count | None = None
    low: Count | None = None
    """The least the count can be (``more than 20``: 21)."""
    high: Count | None = None
    """The most the count can be."""
    qualifier: Qualifier = "exact"

    @model_validator(mode="after")
    def _count_or_range(self) -> Self:
        if self.count is None and self.low is None and self.high is None and self.qualifier not in _VAGUE:
            raise PydanticCustomError("count_missing", "give the count, or its range as low and high")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise PydanticCustomError("count_range", "low is more than high")
        if self.count is not None and (
            (self.low is not None and self.count < self.low) or (self.high is not None and self.count > self.high)
        ):
            raise PydanticCustomError("count_range", "the count lies outside its own range (low, high)")
        if self.qualifier == "exact" and self.count is None:
            raise PydanticCustomError("count_range", "an exact count gives the count")
        return self


_VAGUE = frozenset({"dozens", "hundreds", "several"})


class HeadcountReported(_Counted):
    """The number of employees, as a source reports it.

    ``current_for`` (an ISO-8601 duration) says how long the report stays
    current: past that the headcount is shown as last known, and is unknown.
    """

    type: Literal["headcount_reported"] = "headcount_reported"
    current_for: Duration | None = None


class SignaturesReported(_Counted):
    """The number of employees who have signed an open letter, as a source reports it.

    ``signatories`` names people newly reported as signing; someone named
    again (in this report or an earlier one) is counted once.
    """

    type: Literal["signatures_reported"] = "signatures_reported"
    letter: Slug | None = None
    signatories: tuple[Slug, ...] = ()
    current_for: Duration | None = None


class LeaveStarted(EventBase):
    """A person goes on leave (a sabbatical, say) but stays with the organisation."""

    type: Literal["leave_started"] = "leave_started"
    person: Slug
    kind: str = "sabbatical"
    until: Day | None = None
    """The leave ends at the end of this day (in the event's zone) unless an event ends or extends it first."""


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
    invested_usd: Usd | None = None
    investment_total_usd: Usd | None = None
    investment_form: str | None = None
    hires: tuple[Slug, ...] = ()
    releases: tuple[Slug, ...] = ()


class StaffDeparted(_Counted):
    """A group of employees leaves at once, perhaps for a stakeholder.

    ``count`` (or its range) comes off the headcount; the named ``people``
    leave the organisation; a ``destination`` stakeholder takes them all on.
    """

    type: Literal["staff_departed"] = "staff_departed"
    people: tuple[Slug, ...] = ()
    destination: Slug | None = None


class StructureChanged(EventBase):
    """The organisation's legal or control structure changes."""

    type: Literal["structure_changed"] = "structure_changed"
    structure: Annotated[str, StringConstraints(min_length=1)]


class LeaveExpired(EventBase):
    """A leave reaches the end its start stated (``until``); added at load, never written in a file.

    It ends the leave only if the person is still on that same leave.
    """

    type: Literal["leave_expired"] = "leave_expired"
    person: Slug
    leave: Slug


class AnnouncementWithdrawn(EventBase):
    """A pending announcement (an event with ``status: announced``) is withdrawn: it will not happen."""

    type: Literal["announcement_withdrawn"] = "announcement_withdrawn"
    announcement: Slug


class OfferMade(EventBase):
    """Someone is offered a role: an office, a board seat, or a job with ``by`` (None: the organisation).

    The offer is open until an ``offer_answered`` event answers it; an
    accepted offer takes effect as the matching event would.
    """

    type: Literal["offer_made"] = "offer_made"
    to: Slug
    by: Slug | None = None
    role: Literal["office", "board_seat", "hire"]
    office: OfficeName | None = None
    interim: bool = False

    @model_validator(mode="after")
    def _office_offers_name_it(self) -> Self:
        if (self.role == "office") != (self.office is not None):
            raise PydanticCustomError("offer_office", "an office offer names its office, and only it does (office)")
        return self


class OfferAnswered(EventBase):
    """An open offer is accepted, declined or withdrawn."""

    type: Literal["offer_answered"] = "offer_answered"
    offer: Slug
    outcome: Literal["accepted", "declined", "withdrawn"]


class PersonIdentified(EventBase):
    """Someone known only by description (a manifest person with ``unnamed: true``) turns out to be ``person``.

    The placeholder's offices, board seat and standing pass to the named person.
    """

    type: Literal["person_identified"] = "person_identified"
    placeholder: Slug
    person: Slug


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
        | LeaveExpired
        | AnnouncementWithdrawn
        | OfferMade
        | OfferAnswered
        | PersonIdentified
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
        LeaveExpired,
        AnnouncementWithdrawn,
        OfferMade,
        OfferAnswered,
        PersonIdentified,
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
    for name in ("person", "replaces", "to", "placeholder"):
        value = getattr(event, name, None)
        if isinstance(value, str):
            found.append(value)
    for name in ("signatories", "hires", "releases", "people", "interested"):
        found.extend(getattr(event, name, ()))
    votes = getattr(event, "votes", None)
    if votes:
        found.extend(votes)
    return tuple(found)


_YEARS_PATTERN = r"^(18[0-9]{2}|19[0-9]{2}|20[0-9]{2}|21[0-9]{2}|2200)-"
"""An ISO-8601 text whose year is one of the supported years (as far as JSON Schema can check an instant)."""


def event_file_schema() -> dict[str, Any]:
    """The JSON Schema of a timeline's event file (a list of events): what ``orgsim validate`` accepts.

    Beyond the models' own schema it says that every event has a ``type``
    and at least one source, and that instants and dates fall in the
    supported years (as far as a pattern can tell from the text: an offset
    may carry an instant over a year's edge). What JSON Schema cannot say,
    ``validate`` still checks: ids unique across files, ``caused_by`` naming
    an earlier event, quotes verbatim in their documents, known time zones,
    and no duplicate key in any mapping.
    """
    document = EVENT_LIST_ADAPTER.json_schema()
    definitions: dict[str, Any] = document["$defs"]
    for name, definition in definitions.items():
        properties = definition.get("properties", {})
        if name == "Source":
            properties["translation"].pop("default", None)
            continue
        if "type" not in properties:
            continue
        definition["required"] = sorted(
            {*definition.get("required", ()), "type", "sources"}, key=list(properties).index
        )
        properties["sources"].pop("default", None)
        properties["sources"]["minItems"] = 1
        for key in ("at", "reported_at", "until"):
            for option in properties.get(key, {}).get("anyOf", [properties.get(key, {})]):
                if option.get("type") == "string":
                    option["pattern"] = _YEARS_PATTERN
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "orgsim event file",
        "description": (
            "A list of events. Also checked by orgsim validate, beyond this schema: ids unique across the "
            "timeline's files; caused_by naming an earlier event; every quote verbatim in its document in sources/; "
            f"instants from {FIRST_YEAR}-01-01T00:00Z and before {LAST_YEAR + 1}-01-01T00:00Z; known time zones; "
            "no key twice in a mapping."
        ),
        **document,
    }
