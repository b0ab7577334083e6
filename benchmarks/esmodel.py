"""The same organisation as an ``eventsourcing`` aggregate, for a side-by-side rebuild benchmark.

The aggregate has the fields orgsim's state has (people, offices, board and
chair, votes, counts) and five domain event types; each orgsim event maps to
exactly one of them, so both sides replay N events. The aggregate's
mutators only copy payloads (vote outcomes are precomputed), which is less
work than orgsim does per event: the comparison favours ``eventsourcing``.
Persistence is the library's in-memory (POPO) recorder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from orgsim.model.records import EventRecord
from orgsim.model.state import OrgState

SAVE_BATCH = 10_000
"""Events saved per ``Application.save`` while building the store (setup, not timed)."""


class Organisation(Aggregate):
    """An organisation: who is there, who holds what, the board and its votes."""

    @event("Started")
    def __init__(self, name: str) -> None:
        self.name = name
        self.people: dict[str, tuple[bool, bool, str | None]] = {}
        self.offices: dict[str, tuple[str, bool] | None] = {}
        self.board: dict[str, str] = {}
        self.chair: str | None = None
        self.votes: dict[str, tuple[str, bool]] = {}
        self.counts: dict[str, Any] = {}

    @event("PersonChanged")
    def person_changed(self, person: str, at_org: bool, on_leave: bool, affiliation: str | None) -> None:
        self.people[person] = (at_org, on_leave, affiliation)

    @event("OfficeChanged")
    def office_changed(self, office: str, person: str | None, interim: bool) -> None:
        self.offices[office] = None if person is None else (person, interim)

    @event("BoardChanged")
    def board_changed(self, person: str, role: str | None, chair: str | None) -> None:
        if role is None:
            self.board.pop(person, None)
        else:
            self.board[person] = role
        self.chair = chair

    @event("VoteHeld")
    def vote_held(self, vote: str, motion: str, passed: bool) -> None:
        self.votes[vote] = (motion, passed)

    @event("Reported")
    def reported(self, what: str, count: int | None, text: str | None) -> None:
        self.counts[what] = count if text is None else text


def build(events: Sequence[EventRecord], final: OrgState) -> tuple[Application[UUID], UUID]:
    """An in-memory application holding one aggregate built from ``events`` (one domain event each)."""
    app: Application[UUID] = Application()
    org = Organisation(final.manifest.name)
    chair: str | None = None
    for number, e in enumerate(events, 1):
        k: Any = e
        kind = k.type
        if kind in ("person_joined", "leave_ended"):
            org.person_changed(k.person, True, False, final.manifest.organisation)
        elif kind == "person_left":
            org.person_changed(k.person, False, False, k.destination)
        elif kind == "leave_started":
            org.person_changed(k.person, True, True, final.manifest.organisation)
        elif kind == "office_assigned":
            org.office_changed(k.office, k.person, k.interim)
        elif kind == "office_vacated":
            org.office_changed(k.office, None, False)
        elif kind == "board_seat_added":
            org.board_changed(k.person, k.role, chair)
        elif kind == "board_seat_removed":
            chair = None if chair == k.person else chair
            org.board_changed(k.person, None, chair)
        elif kind == "chair_set":
            chair = k.person
            org.board_changed(k.person, "voting", chair)
        elif kind == "chair_cleared":
            chair = None
            org.board_changed(k.person or "", "voting", None)
        elif kind == "board_vote":
            org.vote_held(e.id, k.motion, final.votes[e.id].passed)
        elif kind in ("headcount_reported", "signatures_reported", "staff_departed"):
            org.reported(kind, k.count, None)
        elif kind == "structure_changed":
            org.reported(kind, None, k.structure)
        else:
            org.reported(kind, None, e.id)
        if number % SAVE_BATCH == 0:
            app.save(org)
    app.save(org)
    return app, org.id
