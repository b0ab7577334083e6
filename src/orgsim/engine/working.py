"""The mutable state replay writes to: private to the engine, frozen into :class:`~orgsim.model.state.OrgState`.

Transitions read a working state through read-only views and change it only
through its write methods. Each write method owns everything a write
entails, so no transition can forget any of it:

* **copy-on-write**: a map still shared with a snapshot is copied before its
  first write (people and votes share structure instead, see
  :mod:`orgsim.model.sharing`), so a snapshot never changes once taken;
* **indexes**: the count of offices each person holds is kept in step;
* **the change log**: each write records which part of the state the event
  being applied set, and to what (:mod:`orgsim.engine.changes`).

>>> from orgsim.model.manifest import Manifest, Person
>>> from orgsim.model.state import Holder
>>> ws = WorkingState(Manifest(name="t", organisation="t", home_zone="UTC", people={"ada": Person(name="Ada")}))
>>> before = ws.freeze()
>>> ws.assign_office("ceo", Holder("ada", False))
>>> before.ceo, ws.freeze().ceo
(unknown, Holder(person='ada', interim=False))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any

from orgsim.engine.changes import (
    ANNOUNCEMENT,
    CHAIR,
    HEADCOUNT,
    OFFER,
    OFFICE,
    PERSON,
    SEAT,
    SIGNATORY,
    SIGNATURES,
    STAKEHOLDER,
    STRUCTURE,
    VOTE,
    ChangeLog,
)
from orgsim.model.governance import GovernanceRules
from orgsim.model.manifest import Manifest
from orgsim.model.sharing import Chunked, LogPrefix
from orgsim.model.state import (
    EMPTY_STAKEHOLDER,
    UNPLACED,
    CountDetail,
    Extras,
    Holder,
    Offer,
    OrgState,
    PersonState,
    Seat,
    StakeholderState,
    VoteRecord,
    no_extras,
)

_new = tuple.__new__
"""Builds a named tuple from a plain tuple at half the cost of calling its class (every write builds one)."""

Appender = tuple[Callable[[int], None], Callable[[Any], None], Callable[[Any], None]]
"""A table's three ``append`` methods in the change log (see :meth:`ChangeLog.appender`)."""


_TABLES = (
    ("_log_office", OFFICE),
    ("_log_seat", SEAT),
    ("_log_chair", CHAIR),
    ("_log_headcount", HEADCOUNT),
    ("_log_signatures", SIGNATURES),
    ("_log_signatory", SIGNATORY),
    ("_log_person", PERSON),
    ("_log_stakeholder", STAKEHOLDER),
    ("_log_structure", STRUCTURE),
    ("_log_vote", VOTE),
    ("_log_announcement", ANNOUNCEMENT),
    ("_log_offer", OFFER),
)


class WorkingState:
    """The mutable state replay writes to; private to the engine (see the module's documentation).

    ``offices``, ``seats`` and ``stakeholders`` are read-only views for
    transitions; ``position`` is the applied position of the event being
    applied, set by the replay loop, which the change log records.
    """

    __slots__ = (
        "_board_known",
        "_chair",
        "_chair_known",
        "_extras",
        "_headcount",
        "_headcount_qualifier",
        "_holding",
        "_log",
        "_log_announcement",
        "_log_chair",
        "_log_headcount",
        "_log_offer",
        "_log_office",
        "_log_person",
        "_log_seat",
        "_log_signatory",
        "_log_signatures",
        "_log_stakeholder",
        "_log_structure",
        "_log_vote",
        "_people",
        "_shared_offices",
        "_shared_seats",
        "_shared_stakeholders",
        "_signatories",
        "_signatures",
        "_signatures_qualifier",
        "_structure",
        "_votes",
        "_voting",
        "_writer",
        "applied",
        "at_org_state",
        "last_event",
        "manifest",
        "offices",
        "people_index",
        "person",
        "position",
        "rules",
        "seats",
        "stakeholders",
    )

    offices: Mapping[str, Holder | None]
    seats: Mapping[str, Seat]
    stakeholders: Mapping[str, StakeholderState]
    person: Callable[[str], PersonState | None]
    """A person's standing, or None when the timeline does not know them."""
    people_index: Mapping[str, int]
    """Each known person's position (the people the timeline knows)."""
    at_org_state: PersonState
    """The standing of someone at the organisation, not on leave, never gone: one instance for every such write."""
    _log_office: Appender | None
    _log_seat: Appender | None
    _log_chair: Appender | None
    _log_headcount: Appender | None
    _log_signatures: Appender | None
    _log_signatory: Appender | None
    _log_person: Appender | None
    _log_stakeholder: Appender | None
    _log_structure: Appender | None
    _log_vote: Appender | None
    _log_announcement: Appender | None
    _log_offer: Appender | None

    def __init__(self, manifest: Manifest, rules: GovernanceRules | None = None, log: ChangeLog | None = None) -> None:
        self.manifest = manifest
        self.rules = rules if rules is not None else manifest.governance
        self.offices = {}
        self.seats = {}
        self._chair: str | None = None
        self._headcount: int | None = None
        self._headcount_qualifier: str | None = None
        self._signatures: int | None = None
        self._signatures_qualifier: str | None = None
        self._signatories: LogPrefix[bool] = LogPrefix()
        index = {pid: position for position, pid in enumerate(manifest.people)}
        self._people: Chunked[PersonState] = Chunked.of(index, [UNPLACED] * len(index)).thaw()
        self._board_known = self._chair_known = False
        self._extras = no_extras()
        self.stakeholders = {oid: EMPTY_STAKEHOLDER for oid in manifest.organisations}
        self._structure: str | None = None
        self._votes: LogPrefix[VoteRecord] = LogPrefix()
        self.last_event: str | None = None
        self.applied = 0
        self.position = 0
        self._shared_offices = self._shared_seats = self._shared_stakeholders = False
        self._holding: dict[str, int] | None = {}
        self._voting: set[str] | None = set()
        self._writer = object()
        """This state's token as the writer of the logs it shares with its snapshots: only it appends to them."""
        self.at_org_state = PersonState(True, False, manifest.organisation)
        self._attach(log)

    def _attach(self, log: ChangeLog | None) -> None:
        """Write changes to ``log`` (None: record nothing); and bind the fast paths to the current tables."""
        self._log = log
        self.person = self._people.get
        self.people_index = self._people.index
        if log is None:  # a state answering a question: the common case, kept cheap
            self._log_office = self._log_seat = self._log_chair = self._log_headcount = self._log_signatures = None
            self._log_signatory = self._log_person = self._log_stakeholder = self._log_structure = None
            self._log_vote = self._log_announcement = self._log_offer = None
            return
        for name, table in _TABLES:
            object.__setattr__(self, name, log.appender(table))

    # ------------------------------------------------------------------------------------------ reading

    @property
    def chair(self) -> str | None:
        """The chair of the board."""
        return self._chair

    @property
    def headcount(self) -> int | None:
        """The last reported headcount."""
        return self._headcount

    @property
    def headcount_qualifier(self) -> str | None:
        """How exact the last reported headcount is."""
        return self._headcount_qualifier

    @property
    def extras(self) -> Extras:
        """The parts of the state few events touch: count details, announcements, offers, leaves, identities."""
        return self._extras

    @property
    def log(self) -> ChangeLog | None:
        """The change log this state writes to (None: changes are not recorded)."""
        return self._log

    def vote(self, vote: str) -> VoteRecord | None:
        """The outcome of the vote held by event ``vote``, if any."""
        return self._votes.get(vote)

    def votes(self) -> Mapping[str, VoteRecord]:
        """Every vote held so far."""
        return self._votes.view()

    def voting_directors(self) -> AbstractSet[str]:
        """The directors with a voting seat: a set the seat writes keep in step (every vote counts them)."""
        voting = self._voting
        if voting is None:
            voting = self._voting = {p for p, seat in self.seats.items() if seat.role == "voting"}
        return voting

    def holds_office(self, person: str) -> bool:
        """Whether ``person`` holds any office (from the holder index, without scanning the offices)."""
        return bool(self._holding_index().get(person))

    def holding(self) -> Mapping[str, int]:
        """How many offices each office holder holds: the index kept in step by the write methods."""
        return self._holding_index()

    def signed(self, person: str) -> bool:
        """Whether ``person`` has been named as signing the open letter."""
        return self._signatories.get(person) is not None

    # ------------------------------------------------------------------------------------------ writing

    def assign_office(self, office: str, holder: Holder | None) -> None:
        """Give ``office`` to ``holder``, or vacate it (None)."""
        holding = self._holding_index()
        current = self.offices.get(office)
        if current is not None:
            left = holding[current.person] - 1
            if left:
                holding[current.person] = left
            else:
                del holding[current.person]
        if holder is not None:
            holding[holder.person] = holding.get(holder.person, 0) + 1
        self._offices_w()[office] = holder
        if self._log_office is not None:
            append_position, append_key, append_value = self._log_office
            append_position(self.position)
            append_key(office)
            append_value(holder)

    def leave_organisation(self, person: str, affiliation: str | None) -> None:
        """Take ``person`` out of the organisation: every office they hold falls vacant."""
        holding = self._holding_index()
        if holding.get(person):
            offices = self._offices_w()
            log = self._log_office
            for office, holder in offices.items():
                if holder is not None and holder.person == person:
                    offices[office] = None
                    if log is not None:
                        append_position, append_key, append_value = log
                        append_position(self.position)
                        append_key(office)
                        append_value(None)
            del holding[person]
        self.set_person(person, _new(PersonState, (False, False, affiliation, True, True)))
        if person in self._extras.leaves:
            self.set_leave(person, None)

    def set_person(self, person: str, state: PersonState) -> None:
        """Set a known person's standing."""
        self._people.set(person, state)
        if self._log_person is not None:
            append_position, append_key, append_value = self._log_person
            append_position(self.position)
            append_key(person)
            append_value(state)

    def add_seat(self, person: str, seat: Seat) -> None:
        """Seat ``person`` on the board."""
        if self._shared_seats:
            self.seats = dict(self.seats)
            self._shared_seats = False
        self.seats[person] = seat  # type: ignore[index]
        self._board_known = True
        voting = self._voting
        if voting is not None:
            if seat.role == "voting":
                voting.add(person)
            else:
                voting.discard(person)
        if self._log_seat is not None:
            append_position, append_key, append_value = self._log_seat
            append_position(self.position)
            append_key(person)
            append_value(seat)

    def remove_seat(self, person: str) -> None:
        """Take ``person`` off the board (and out of the chair)."""
        if self._shared_seats:
            self.seats = dict(self.seats)
            self._shared_seats = False
        del self.seats[person]  # type: ignore[attr-defined]
        self._board_known = True
        if self._voting is not None:
            self._voting.discard(person)
        if self._log_seat is not None:
            append_position, append_key, append_value = self._log_seat
            append_position(self.position)
            append_key(person)
            append_value(None)
        if self._chair == person:
            self.set_chair(None)

    def set_chair(self, person: str | None) -> None:
        """Make ``person`` chair of the board (None: no chair)."""
        self._chair = person
        self._chair_known = self._board_known = True
        if self._log_chair is not None:
            append_position, append_key, append_value = self._log_chair
            append_position(self.position)
            append_key(None)
            append_value(person)

    def report_headcount(self, count: int | None, qualifier: str | None, detail: CountDetail | None = None) -> None:
        """Set the reported headcount (None with a ``detail``: only its range is known)."""
        self._headcount = count
        self._headcount_qualifier = qualifier
        extras = self._extras
        if detail is not None or extras.headcount is not None:
            self._extras = _new(Extras, (detail, *extras[1:]))
        if self._log_headcount is not None:
            append_position, append_key, append_value = self._log_headcount
            append_position(self.position)
            append_key(None)
            append_value((count, qualifier, detail))

    def report_signatures(
        self, count: int | None, qualifier: str, named: tuple[str, ...] = (), detail: CountDetail | None = None
    ) -> None:
        """Set the reported number of open-letter signatures, and add the people newly named as signing."""
        self._signatures = count
        self._signatures_qualifier = qualifier
        extras = self._extras
        if detail is not None or extras.signatures is not None:
            self._extras = _new(Extras, (extras[0], detail, *extras[2:]))
        if self._log_signatures is not None:
            append_position, append_key, append_value = self._log_signatures
            append_position(self.position)
            append_key(None)
            append_value((count, qualifier, detail))
        table, log = self._signatories, self._log_signatory
        for person in named:
            if table.get(person) is None:
                table.add(person, True, self._writer)
                if log is not None:
                    append_position, append_key, append_value = log
                    append_position(self.position)
                    append_key(person)
                    append_value(True)

    def set_stakeholder(self, stakeholder: str, state: StakeholderState) -> None:
        """Set a known stakeholder's role."""
        if self._shared_stakeholders:
            self.stakeholders = dict(self.stakeholders)
            self._shared_stakeholders = False
        self.stakeholders[stakeholder] = state  # type: ignore[index]
        if self._log_stakeholder is not None:
            append_position, append_key, append_value = self._log_stakeholder
            append_position(self.position)
            append_key(stakeholder)
            append_value(state)

    def set_structure(self, structure: str) -> None:
        """Set the organisation's legal or control structure."""
        self._structure = structure
        if self._log_structure is not None:
            append_position, append_key, append_value = self._log_structure
            append_position(self.position)
            append_key(None)
            append_value(structure)

    def record_vote(self, vote: str, record: VoteRecord) -> None:
        """Record the outcome of the vote held by event ``vote``."""
        self._votes.add(vote, record, self._writer)
        if self._log_vote is not None:
            append_position, append_key, append_value = self._log_vote
            append_position(self.position)
            append_key(vote)
            append_value(record)

    def set_pending(self, announcement: str, summary: str | None) -> None:
        """Record ``announcement`` as pending (with its summary), or no longer pending (None)."""
        e = self._extras
        self._extras = _new(
            Extras, (e[0], e[1], e.pending.with_(announcement, summary, self._writer), e[3], e[4], e[5])
        )
        if self._log_announcement is not None:
            append_position, append_key, append_value = self._log_announcement
            append_position(self.position)
            append_key(announcement)
            append_value(summary is not None)

    def set_offer(self, offer: str, state: Offer) -> None:
        """Record an offer and where it stands."""
        e = self._extras
        self._extras = _new(Extras, (e[0], e[1], e[2], e.offers.with_(offer, state, self._writer), e[4], e[5]))
        if self._log_offer is not None:
            append_position, append_key, append_value = self._log_offer
            append_position(self.position)
            append_key(offer)
            append_value(state.status)

    def set_leave(self, person: str, leave: tuple[str, str] | None) -> None:
        """Note the leave ``person`` is on whose stated end will end it (its event id, its ``until``); None: none."""
        e = self._extras
        if leave is None and person not in e.leaves:
            return
        self._extras = _new(Extras, (e[0], e[1], e[2], e[3], e.leaves.with_(person, leave, self._writer), e[5]))

    def set_identified(self, placeholder: str, person: str) -> None:
        """Note that ``placeholder`` (someone known only by description) is ``person``."""
        e = self._extras
        self._extras = _new(
            Extras, (e[0], e[1], e[2], e[3], e[4], e.identified.with_(placeholder, person, self._writer))
        )

    def _offices_w(self) -> dict[str, Holder | None]:
        if self._shared_offices:
            self.offices = dict(self.offices)
            self._shared_offices = False
        return self.offices  # type: ignore[return-value]

    def _holding_index(self) -> dict[str, int]:
        if self._holding is None:
            counts: dict[str, int] = {}
            for holder in self.offices.values():
                if holder is not None:
                    counts[holder.person] = counts.get(holder.person, 0) + 1
            self._holding = counts
        return self._holding

    # ------------------------------------------------------------------------------------------ snapshots

    def freeze(self, at: datetime | None = None) -> OrgState:
        """An immutable snapshot of this state, in O(1)."""
        self._shared_offices = self._shared_seats = self._shared_stakeholders = True
        return OrgState._of(
            (
                self.manifest,
                self.rules,
                at,
                self.offices,
                self.seats,
                self._people.freeze(),
                self.stakeholders,
                self._votes.copy(),
                self._chair,
                self._structure,
                self._headcount,
                self._headcount_qualifier,
                self._signatures,
                self._signatures_qualifier,
                self._signatories.copy(),
                self.last_event,
                self.applied,
                self._board_known,
                self._chair_known,
                self._extras,
            )
        )

    @classmethod
    def thaw(cls, state: OrgState, rules: GovernanceRules | None = None, log: ChangeLog | None = None) -> WorkingState:
        """A working state that starts from ``state`` and shares its maps until it writes."""
        values: tuple[Any, ...] = state._v
        ws = cls.__new__(cls)
        ws.manifest, ws.rules = values[0], rules if rules is not None else values[1]
        ws.offices, ws.seats, ws.stakeholders = values[3], values[4], values[6]
        ws._people, ws._votes = values[5].thaw(), values[7].copy()
        ws._chair, ws._structure = values[8], values[9]
        ws._headcount, ws._headcount_qualifier = values[10], values[11]
        ws._signatures, ws._signatures_qualifier = values[12], values[13]
        ws._signatories = values[14].copy()
        ws.last_event, ws.applied = values[15], values[16]
        ws._board_known, ws._chair_known, ws._extras = values[17], values[18], values[19]
        ws.position = ws.applied
        ws._shared_offices = ws._shared_seats = ws._shared_stakeholders = True
        ws._holding = None
        ws._voting = None
        ws._writer = object()  # a state thawed from a snapshot appends to no log the snapshot shares
        ws.at_org_state = PersonState(True, False, ws.manifest.organisation)
        ws._attach(log)
        return ws
