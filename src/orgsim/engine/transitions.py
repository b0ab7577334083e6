"""How each kind of event changes the state: one function per kind, registered in one table.

A person no event has yet placed (their standing unknown) meets every
precondition about their standing: nothing known contradicts the event.
Each function checks its event's preconditions first and raises before it
writes anything, so an event that cannot apply leaves the state untouched
(a scenario in ``skip`` mode relies on that; a property test pins it). Every
write goes through a :class:`~orgsim.engine.working.WorkingState` write
method, which keeps copy-on-write, the indexes and the change log. Naming a person or organisation
the timeline does not know is a :class:`~orgsim.errors.ReplayError` (a data
error, in every world); a precondition that fails in the state met — removing
a director who is not on the board — is a :class:`~orgsim.errors.ConflictError`.

Each function is annotated with its kind's pydantic model, whose fields it
reads; replay hands it the kind's record (:mod:`orgsim.model.records`), which has
the same fields as slots. :func:`apply` takes either.

>>> from orgsim.model.manifest import Manifest, Person
>>> from orgsim.engine.working import WorkingState
>>> from orgsim.model.events import EVENT_ADAPTER
>>> manifest = Manifest(name="acme", organisation="acme", home_zone="UTC",
...                     people={"ada": Person(name="Ada")})
>>> state = WorkingState(manifest).freeze()
>>> event = EVENT_ADAPTER.validate_python({"type": "office_assigned", "id": "e1",
...     "at": "2020-01-01T00:00Z", "precision": "day", "summary": "Ada is CEO.",
...     "office": "ceo", "person": "ada", "rationale": "example"})
>>> apply(state, event).ceo
Holder(person='ada', interim=False)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orgsim.engine.working import WorkingState
from orgsim.errors import ConflictError, ReplayError
from orgsim.model import events as ev
from orgsim.model.governance import count_votes
from orgsim.model.records import EventRecord
from orgsim.model.state import CountDetail, Holder, Offer, OrgState, PersonState, Seat, StakeholderState, VoteRecord
from orgsim.times import after

Transition = Callable[[WorkingState, Any], None]

_new = tuple.__new__
"""Builds a named tuple from a plain tuple, at half the cost of calling its class."""

# The functions below run once per event in replay, so they are written for speed: the two commonest look
# their person up inline (``ws.person``, then ``_unknown`` when None), named tuples are built with ``_new``, and
# every write goes through a WorkingState write method (see orgsim.engine.working).


def _person(ws: WorkingState, event: ev.EventBase, person: str, field: str = "person") -> PersonState:
    state = ws.person(person)
    if state is None:
        raise _unknown(event, person, field)
    return state


def _known(ws: WorkingState, event: ev.EventBase, people: tuple[str, ...], field: str) -> None:
    index = ws.people_index
    for person in people:
        if person not in index:
            raise _unknown(event, person, field)


def _unknown(event: ev.EventBase, person: str, field: str) -> ReplayError:
    return ReplayError(f"unknown person {person!r} (not in the timeline's people)", event=event.id, field=field)


def _stakeholder(ws: WorkingState, event: ev.EventBase, org: str, field: str) -> StakeholderState:
    state = ws.stakeholders.get(org)
    if state is None:
        raise ReplayError(
            f"unknown organisation {org!r} (not in the timeline's organisations)", event=event.id, field=field
        )
    return state


def person_joined(ws: WorkingState, event: ev.PersonJoined) -> None:
    person = event.person
    state = ws.person(person)
    if state is None:
        raise _unknown(event, person, "person")
    if state[0]:  # at_org
        raise ConflictError(f"{person} is already at the organisation", event=event.id, field="person")
    ws.set_person(person, ws.at_org_state)


def person_left(ws: WorkingState, event: ev.PersonLeft) -> None:
    state = _person(ws, event, event.person)
    if state.known and not state.at_org:
        raise ConflictError(f"{event.person} is not at the organisation", event=event.id, field="person")
    if event.destination is not None:
        _stakeholder(ws, event, event.destination, "destination")
    ws.leave_organisation(event.person, event.destination)


def office_assigned(ws: WorkingState, event: ev.OfficeAssigned) -> None:
    person = event.person
    state = ws.person(person)
    if state is None:
        raise _unknown(event, person, "person")
    if event.replaces is not None:
        _person(ws, event, event.replaces, "replaces")
        current = ws.offices.get(event.office)
        if current is None or current.person != event.replaces:
            holder = current.person if current else "nobody"
            raise ConflictError(
                f"expects {event.replaces} to hold {event.office}, but {holder} does", event=event.id, field="replaces"
            )
    ws.assign_office(event.office, _new(Holder, (person, event.interim)))
    if not state[0]:  # at_org
        ws.set_person(person, ws.at_org_state)


def office_vacated(ws: WorkingState, event: ev.OfficeVacated) -> None:
    _person(ws, event, event.person)
    current = ws.offices.get(event.office)
    if current is None or current.person != event.person:
        holder = current.person if current else "nobody"
        raise ConflictError(
            f"{event.person} does not hold {event.office} ({holder} does)", event=event.id, field="person"
        )
    ws.assign_office(event.office, None)


def board_seat_added(ws: WorkingState, event: ev.BoardSeatAdded) -> None:
    _person(ws, event, event.person)
    if event.representing is not None:
        _stakeholder(ws, event, event.representing, "representing")
    if event.person in ws.seats:
        raise ConflictError(f"{event.person} already sits on the board", event=event.id, field="person")
    cap = ws.rules.board_size
    if cap is not None and event.role == "voting" and len(ws.voting_directors()) >= cap:
        raise ConflictError(f"the board already has its {cap} voting seats", event=event.id, field="person")
    ws.add_seat(event.person, _new(Seat, (event.role, event.independent, event.representing)))


def board_seat_removed(ws: WorkingState, event: ev.BoardSeatRemoved) -> None:
    _person(ws, event, event.person)
    if event.person not in ws.seats:
        raise ConflictError(f"{event.person} is not on the board", event=event.id, field="person")
    ws.remove_seat(event.person)


def chair_set(ws: WorkingState, event: ev.ChairSet) -> None:
    _person(ws, event, event.person)
    seat = ws.seats.get(event.person)
    if seat is None or seat.role != "voting":
        raise ConflictError(f"{event.person} is not a voting director", event=event.id, field="person")
    ws.set_chair(event.person)


def chair_cleared(ws: WorkingState, event: ev.ChairCleared) -> None:
    if ws.chair is None:
        raise ConflictError("the board has no chair to clear", event=event.id, field="person")
    if event.person is not None and ws.chair != event.person:
        raise ConflictError(f"{event.person} is not the chair ({ws.chair} is)", event=event.id, field="person")
    ws.set_chair(None)


def board_vote(ws: WorkingState, event: ev.BoardVote) -> None:
    index = ws.people_index
    for voter in event.votes:
        if voter not in index:
            raise _unknown(event, voter, f"votes.{voter}")
    if event.interested:
        _known(ws, event, event.interested, "interested")
    tally = count_votes(ws.rules, event.votes, ws.voting_directors(), event.interested)
    ws.record_vote(event.id, _new(VoteRecord, (event.motion, tally.passed, tally.describe())))


def _detail(ws: WorkingState, event: ev.HeadcountReported | ev.SignaturesReported) -> CountDetail | None:
    """What a count report says beyond its number, or None when it says nothing more (the common case)."""
    if event.low is None and event.high is None and event.current_for is None:
        return None
    expires = None
    if event.current_for is not None:
        expires = after(event.at, event.current_for, event.zone or ws.manifest.home_zone).timestamp()
    return CountDetail(event.low, event.high, event.at.timestamp(), expires)


def headcount_reported(ws: WorkingState, event: ev.HeadcountReported) -> None:
    ws.report_headcount(event.count, event.qualifier, _detail(ws, event))


def signatures_reported(ws: WorkingState, event: ev.SignaturesReported) -> None:
    _known(ws, event, event.signatories, "signatories")
    ws.report_signatures(event.count, event.qualifier, event.signatories, _detail(ws, event))


def leave_started(ws: WorkingState, event: ev.LeaveStarted) -> None:
    person = event.person
    at_org, on_leave, affiliation, former, known = _person(ws, event, person)
    if known and not at_org:
        raise ConflictError(f"{person} is not at the organisation", event=event.id, field="person")
    if on_leave:
        raise ConflictError(f"{person} is already on leave", event=event.id, field="person")
    affiliation = affiliation if known else ws.manifest.organisation
    ws.set_person(person, _new(PersonState, (True, True, affiliation, former, True)))
    if event.until is not None:
        ws.set_leave(person, (event.id, event.until.isoformat()))


def leave_ended(ws: WorkingState, event: ev.LeaveEnded) -> None:
    person = event.person
    at_org, on_leave, affiliation, former, known = _person(ws, event, person)
    if known and not on_leave:
        raise ConflictError(f"{person} is not on leave", event=event.id, field="person")
    if known:
        ws.set_person(person, _new(PersonState, (at_org, False, affiliation, former, True)))
    else:  # back from a leave no event had placed them on: they are at the organisation
        ws.set_person(person, ws.at_org_state)
    ws.set_leave(person, None)


def leave_expired(ws: WorkingState, event: ev.LeaveExpired) -> None:
    person = event.person
    state = _person(ws, event, person)
    current = ws.extras.leaves.get(person)
    if current is None or current[0] != event.leave or not state.on_leave:
        return  # that leave has already ended, or another has begun: its stated end changes nothing
    ws.set_person(person, _new(PersonState, (state.at_org, False, state.affiliation, state.former, True)))
    ws.set_leave(person, None)


def stakeholder_changed(ws: WorkingState, event: ev.StakeholderChanged) -> None:
    current = _stakeholder(ws, event, event.stakeholder, "stakeholder")
    if event.invested_usd is not None and event.investment_total_usd is not None:
        raise ReplayError("give invested_usd or investment_total_usd, not both", event=event.id, field="invested_usd")
    hired = [(person, _person(ws, event, person, "hires")) for person in event.hires] if event.hires else ()
    for person, state in hired:
        if state.at_org:
            raise ConflictError(
                f"{person} is still at the organisation and cannot be hired away", event=event.id, field="hires"
            )
        if person in current.employs:
            raise ConflictError(f"{event.stakeholder} already employs {person}", event=event.id, field="hires")
    released = [(person, _person(ws, event, person, "releases")) for person in event.releases] if event.releases else ()
    for person, _ in released:
        if person not in current.employs:
            raise ConflictError(f"{event.stakeholder} does not employ {person}", event=event.id, field="releases")
    investment = current.investment_usd
    if event.investment_total_usd is not None:
        investment = event.investment_total_usd
    elif event.invested_usd is not None:
        investment = (investment or 0.0) + event.invested_usd
    employs = current.employs
    if hired or released:
        # The tuples as they are, and no difference with nothing: each copy of a large set costs.
        employs = employs.union(event.hires).difference(event.releases) if released else employs.union(event.hires)
        for person, state in hired:
            ws.set_person(
                person, _new(PersonState, (state.at_org, state.on_leave, event.stakeholder, state.former, True))
            )
        for person, state in released:
            if state.affiliation == event.stakeholder:
                ws.set_person(person, _new(PersonState, (state.at_org, state.on_leave, None, state.former, True)))
    form = event.investment_form if event.investment_form is not None else current.investment_form
    ws.set_stakeholder(event.stakeholder, _new(StakeholderState, (investment, form, employs, current.staff_hired)))


def staff_departed(ws: WorkingState, event: ev.StaffDeparted) -> None:
    states = [(person, _person(ws, event, person, "people")) for person in event.people]
    for person, state in states:
        if state.known and not state.at_org:
            raise ConflictError(f"{person} is not at the organisation", event=event.id, field="people")
    target = None
    if event.destination is not None:
        target = _stakeholder(ws, event, event.destination, "destination")
    for person, _ in states:
        ws.leave_organisation(person, event.destination)
    if event.count is not None and ws.extras.headcount is None:  # the common case: exact arithmetic
        if ws.headcount is not None:
            ws.report_headcount(max(0, ws.headcount - event.count), ws.headcount_qualifier)
    elif ws.headcount is not None or ws.extras.headcount is not None:
        _headcount_less_a_range(ws, event)
    if target is not None and event.destination is not None:
        employs = target.employs.union(event.people) if event.people else target.employs
        hired = target.staff_hired + (event.count if event.count is not None else event.low or 0)
        ws.set_stakeholder(
            event.destination, StakeholderState(target.investment_usd, target.investment_form, employs, hired)
        )


def _headcount_less_a_range(ws: WorkingState, event: ev.StaffDeparted) -> None:
    """The headcount after a departure where either is only known within a range: the range of what it can be."""
    detail = ws.extras.headcount
    count = ws.headcount
    low = detail.low if detail is not None and detail.low is not None else count
    high = detail.high if detail is not None and detail.high is not None else count
    gone_low = event.count if event.count is not None else event.low or 0
    gone_high = event.count if event.count is not None else event.high
    new_low = None if low is None or gone_high is None else max(0, low - gone_high)
    new_high = None if high is None else max(0, high - gone_low)
    new_count = None if count is None or event.count is None else max(0, count - event.count)
    reported = detail.reported if detail is not None else event.at.timestamp()
    expires = detail.expires if detail is not None else None
    ws.report_headcount(new_count, ws.headcount_qualifier, CountDetail(new_low, new_high, reported, expires))


def structure_changed(ws: WorkingState, event: ev.StructureChanged) -> None:
    ws.set_structure(event.structure)


def statement(ws: WorkingState, event: ev.Statement) -> None:
    _known(ws, event, event.people, "people")


def announced(ws: WorkingState, event: ev.EventBase) -> None:
    """An announced event: pending, its effect not applied (its people and organisations must still be known)."""
    _known(ws, event, ev.people_named(event), "person")
    ws.set_pending(event.id, event.summary)


def fulfilment(ws: WorkingState, event: ev.EventBase) -> None:
    """An effective event that carries out an announcement: it applies, and the announcement is no longer pending."""
    TRANSITIONS[event.type](ws, event)  # type: ignore[attr-defined]
    if event.fulfils in ws.extras.pending:
        ws.set_pending(event.fulfils, None)  # type: ignore[arg-type]


def announcement_withdrawn(ws: WorkingState, event: ev.AnnouncementWithdrawn) -> None:
    if event.announcement not in ws.extras.pending:
        raise ConflictError(f"{event.announcement} is not a pending announcement", event=event.id, field="announcement")
    ws.set_pending(event.announcement, None)


def offer_made(ws: WorkingState, event: ev.OfferMade) -> None:
    _person(ws, event, event.to, "to")
    if event.by is not None and event.by != ws.manifest.organisation:
        _stakeholder(ws, event, event.by, "by")
    ws.set_offer(event.id, Offer(event.to, event.by, event.role, event.office, event.interim, "open"))


def offer_answered(ws: WorkingState, event: ev.OfferAnswered) -> None:
    offer = ws.extras.offers.get(event.offer)
    if offer is None:
        raise ConflictError(f"{event.offer} is not an offer made before", event=event.id, field="offer")
    if offer.status != "open":
        raise ConflictError(f"the offer {event.offer} was already {offer.status}", event=event.id, field="offer")
    if event.outcome == "accepted":
        _take_up(ws, event, offer)
    ws.set_offer(event.offer, offer._replace(status=event.outcome))


def _take_up(ws: WorkingState, event: ev.OfferAnswered, offer: Offer) -> None:
    """An accepted offer takes effect as the event it stands for would: an office, a seat, or a hire."""
    state = _person(ws, event, offer.to, "offer")
    own = offer.by is None or offer.by == ws.manifest.organisation
    if offer.role == "office" and offer.office is not None:
        if own:
            ws.assign_office(offer.office, Holder(offer.to, offer.interim))
            if not state.at_org:
                ws.set_person(offer.to, PersonState(True, False, ws.manifest.organisation))
        return
    if offer.role == "board_seat":
        if offer.to in ws.seats:
            raise ConflictError(f"{offer.to} already sits on the board", event=event.id, field="offer")
        cap = ws.rules.board_size
        if cap is not None and sum(1 for seat in ws.seats.values() if seat.role == "voting") >= cap:
            raise ConflictError(f"the board already has its {cap} voting seats", event=event.id, field="offer")
        ws.add_seat(offer.to, Seat("voting", False, None))
        return
    if own:
        if state.at_org:
            raise ConflictError(f"{offer.to} is already at the organisation", event=event.id, field="offer")
        ws.set_person(offer.to, PersonState(True, False, ws.manifest.organisation))
        return
    employer = _stakeholder(ws, event, offer.by, "offer")  # type: ignore[arg-type]
    if state.at_org:
        ws.leave_organisation(offer.to, offer.by)
    else:
        ws.set_person(offer.to, PersonState(False, False, offer.by, state.former))
    ws.set_stakeholder(
        offer.by,  # type: ignore[arg-type]
        employer._replace(employs=employer.employs | {offer.to}),
    )


def person_identified(ws: WorkingState, event: ev.PersonIdentified) -> None:
    placeholder = _person(ws, event, event.placeholder, "placeholder")
    _person(ws, event, event.person)
    if event.placeholder in ws.extras.identified:
        raise ConflictError(
            f"{event.placeholder} was already identified as {ws.extras.identified[event.placeholder]}",
            event=event.id,
            field="placeholder",
        )
    for office, holder in list(ws.offices.items()):
        if holder is not None and holder.person == event.placeholder:
            ws.assign_office(office, Holder(event.person, holder.interim))
    seat = ws.seats.get(event.placeholder)
    if seat is not None:
        was_chair = ws.chair == event.placeholder
        ws.remove_seat(event.placeholder)
        ws.add_seat(event.person, seat)
        if was_chair:
            ws.set_chair(event.person)
    if placeholder.known:
        ws.set_person(event.person, placeholder)
        ws.set_person(event.placeholder, PersonState(False, False, None, False, True))
    ws.set_identified(event.placeholder, event.person)


TRANSITIONS: dict[str, Transition] = {
    "person_joined": person_joined,
    "person_left": person_left,
    "office_assigned": office_assigned,
    "office_vacated": office_vacated,
    "board_seat_added": board_seat_added,
    "board_seat_removed": board_seat_removed,
    "chair_set": chair_set,
    "chair_cleared": chair_cleared,
    "board_vote": board_vote,
    "headcount_reported": headcount_reported,
    "signatures_reported": signatures_reported,
    "leave_started": leave_started,
    "leave_ended": leave_ended,
    "stakeholder_changed": stakeholder_changed,
    "staff_departed": staff_departed,
    "structure_changed": structure_changed,
    "statement": statement,
    "leave_expired": leave_expired,
    "announcement_withdrawn": announcement_withdrawn,
    "offer_made": offer_made,
    "offer_answered": offer_answered,
    "person_identified": person_identified,
    "announced": announced,
    "fulfilment": fulfilment,
}
"""The transition for each event ``type``, and for ``announced`` events and ``fulfilment``s (see
:attr:`~orgsim.model.records.EventRecord.transition`): the one place kinds meet behaviour."""

assert set(TRANSITIONS) == {*ev.EVENT_TYPES, "announced", "fulfilment"}, "every kind needs exactly one transition"


def transition_of(event: ev.EventBase | EventRecord) -> str:
    """Which transition applies ``event``: its kind's, ``announced`` or ``fulfilment``."""
    if isinstance(event, EventRecord):
        return event.transition
    if event.status == "announced":
        return "announced"
    return event.type if event.fulfils is None else "fulfilment"  # type: ignore[attr-defined]


def apply_to(ws: WorkingState, event: ev.EventBase | EventRecord) -> None:
    """Apply ``event`` (a model or a record) to a working state in place."""
    ws.position = ws.applied
    TRANSITIONS[transition_of(event)](ws, event)
    ws.last_event = event.id
    ws.applied += 1


def apply(state: OrgState, event: ev.EventBase | EventRecord) -> OrgState:
    """The state after ``event`` (a model or a record): a pure function from (state, event) to a new state."""
    ws = WorkingState.thaw(state)
    apply_to(ws, event)
    return ws.freeze(state.at)
