"""How each kind of event changes the state: one function per kind, registered in one table.

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
from orgsim.model.state import Holder, OrgState, PersonState, Seat, StakeholderState, VoteRecord

Transition = Callable[[WorkingState, Any], None]


# The functions below run once per event in replay: named tuples are built directly rather than
# with ``_replace``, and every write goes through a WorkingState write method (see orgsim.engine.working).


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
    state = _person(ws, event, event.person)
    if state.at_org:
        raise ConflictError(f"{event.person} is already at the organisation", event=event.id, field="person")
    ws.set_person(event.person, PersonState(True, False, ws.manifest.organisation))


def person_left(ws: WorkingState, event: ev.PersonLeft) -> None:
    state = _person(ws, event, event.person)
    if not state.at_org:
        raise ConflictError(f"{event.person} is not at the organisation", event=event.id, field="person")
    if event.destination is not None:
        _stakeholder(ws, event, event.destination, "destination")
    ws.leave_organisation(event.person, event.destination)


def office_assigned(ws: WorkingState, event: ev.OfficeAssigned) -> None:
    state = _person(ws, event, event.person)
    if event.replaces is not None:
        _person(ws, event, event.replaces, "replaces")
        current = ws.offices.get(event.office)
        if current is None or current.person != event.replaces:
            holder = current.person if current else "nobody"
            raise ConflictError(
                f"expects {event.replaces} to hold {event.office}, but {holder} does", event=event.id, field="replaces"
            )
    ws.assign_office(event.office, Holder(event.person, event.interim))
    if not state.at_org:
        ws.set_person(event.person, PersonState(True, False, ws.manifest.organisation))


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
    if cap is not None and event.role == "voting":
        voting = sum(1 for seat in ws.seats.values() if seat.role == "voting")
        if voting >= cap:
            raise ConflictError(f"the board already has its {cap} voting seats", event=event.id, field="person")
    ws.add_seat(event.person, Seat(event.role, event.independent, event.representing))


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
    _known(ws, event, event.interested, "interested")
    directors = {p for p, seat in ws.seats.items() if seat.role == "voting"}
    tally = count_votes(ws.rules, event.votes, directors, event.interested)
    ws.record_vote(event.id, VoteRecord(event.motion, tally.passed, tally.describe()))


def headcount_reported(ws: WorkingState, event: ev.HeadcountReported) -> None:
    ws.report_headcount(event.count, event.qualifier)


def signatures_reported(ws: WorkingState, event: ev.SignaturesReported) -> None:
    _known(ws, event, event.signatories, "signatories")
    ws.report_signatures(event.count, event.qualifier, event.signatories)


def leave_started(ws: WorkingState, event: ev.LeaveStarted) -> None:
    state = _person(ws, event, event.person)
    if not state.at_org:
        raise ConflictError(f"{event.person} is not at the organisation", event=event.id, field="person")
    if state.on_leave:
        raise ConflictError(f"{event.person} is already on leave", event=event.id, field="person")
    ws.set_person(event.person, PersonState(True, True, state.affiliation, state.former))


def leave_ended(ws: WorkingState, event: ev.LeaveEnded) -> None:
    state = _person(ws, event, event.person)
    if not state.on_leave:
        raise ConflictError(f"{event.person} is not on leave", event=event.id, field="person")
    ws.set_person(event.person, PersonState(state.at_org, False, state.affiliation, state.former))


def stakeholder_changed(ws: WorkingState, event: ev.StakeholderChanged) -> None:
    current = _stakeholder(ws, event, event.stakeholder, "stakeholder")
    if event.invested_usd is not None and event.investment_total_usd is not None:
        raise ReplayError("give invested_usd or investment_total_usd, not both", event=event.id, field="invested_usd")
    hired = [(person, _person(ws, event, person, "hires")) for person in event.hires]
    for person, state in hired:
        if state.at_org:
            raise ConflictError(
                f"{person} is still at the organisation and cannot be hired away", event=event.id, field="hires"
            )
        if person in current.employs:
            raise ConflictError(f"{event.stakeholder} already employs {person}", event=event.id, field="hires")
    released = [(person, _person(ws, event, person, "releases")) for person in event.releases]
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
        employs = (employs | frozenset(event.hires)) - frozenset(event.releases)
        for person, state in hired:
            ws.set_person(person, PersonState(state.at_org, state.on_leave, event.stakeholder, state.former))
        for person, state in released:
            if state.affiliation == event.stakeholder:
                ws.set_person(person, PersonState(state.at_org, state.on_leave, None, state.former))
    form = event.investment_form if event.investment_form is not None else current.investment_form
    ws.set_stakeholder(event.stakeholder, StakeholderState(investment, form, employs, current.staff_hired))


def staff_departed(ws: WorkingState, event: ev.StaffDeparted) -> None:
    states = [(person, _person(ws, event, person, "people")) for person in event.people]
    for person, state in states:
        if not state.at_org:
            raise ConflictError(f"{person} is not at the organisation", event=event.id, field="people")
    target = None
    if event.destination is not None:
        target = _stakeholder(ws, event, event.destination, "destination")
    for person, _ in states:
        ws.leave_organisation(person, event.destination)
    if ws.headcount is not None:
        ws.report_headcount(max(0, ws.headcount - event.count), ws.headcount_qualifier)
    if target is not None and event.destination is not None:
        employs = target.employs | frozenset(event.people) if event.people else target.employs
        ws.set_stakeholder(
            event.destination,
            StakeholderState(target.investment_usd, target.investment_form, employs, target.staff_hired + event.count),
        )


def structure_changed(ws: WorkingState, event: ev.StructureChanged) -> None:
    ws.set_structure(event.structure)


def statement(ws: WorkingState, event: ev.Statement) -> None:
    _known(ws, event, event.people, "people")


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
}
"""The transition for each event ``type``: the one place kinds meet behaviour."""

assert set(TRANSITIONS) == set(ev.EVENT_TYPES), "every event kind needs exactly one transition"


def apply_to(ws: WorkingState, event: ev.EventBase | EventRecord) -> None:
    """Apply ``event`` (a model or a record) to a working state in place."""
    ws.position = ws.applied
    TRANSITIONS[event.type](ws, event)  # type: ignore[union-attr]
    ws.last_event = event.id
    ws.applied += 1


def apply(state: OrgState, event: ev.EventBase | EventRecord) -> OrgState:
    """The state after ``event`` (a model or a record): a pure function from (state, event) to a new state."""
    ws = WorkingState.thaw(state)
    apply_to(ws, event)
    return ws.freeze(state.at)
