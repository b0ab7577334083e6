"""The floor: the same events applied as plain tuples to plain dicts by one bare Python loop.

This is what replay would cost with no engine at all: no event models, no
dispatch table, no snapshots, no copy-on-write. It makes the same semantic
updates with the same precondition checks (a known person, at the
organisation, on the board...), counts board votes under the same rules and
formats the same tally text, so the only difference from
:func:`orgsim.engine.replay.run` is the engine's structure. Events are converted to
tuples beforehand (not timed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

from orgsim.model.events import people_named
from orgsim.model.manifest import Manifest
from orgsim.model.records import EventRecord

KINDS = (
    "statement",
    "person_joined",
    "office_assigned",
    "headcount_reported",
    "stakeholder_changed",
    "person_left",
    "leave_started",
    "leave_ended",
    "board_vote",
    "board_seat_added",
    "signatures_reported",
    "office_vacated",
    "board_seat_removed",
    "staff_departed",
    "chair_set",
    "structure_changed",
    "chair_cleared",
    "leave_expired",
    "announced",
    "announcement_withdrawn",
    "offer_made",
    "offer_answered",
    "person_identified",
    "fulfilled",
)
"""Kinds in the order the floor's if-chain tests them (most frequent first); ``announced`` stands for any
announced event, and an event that fulfils an announcement is its own kind's row then a ``fulfilled`` row."""

Row = tuple[Any, ...]


def to_rows(events: Sequence[EventRecord]) -> list[Row]:
    """Each event as a tuple: a kind number, its id, then the fields its kind needs."""
    code = {kind: number for number, kind in enumerate(KINDS)}
    rows: list[Row] = []
    for e in events:
        k: Any = e
        if e.transition == "announced":
            rows.append((code["announced"], e.id, people_named(k)))
            continue
        kind = code[k.type]
        if k.type in ("person_joined", "leave_ended", "board_seat_removed", "chair_set"):
            rows.append((kind, e.id, k.person))
        elif k.type == "leave_started":
            rows.append((kind, e.id, k.person, k.until))
        elif k.type == "leave_expired":
            rows.append((kind, e.id, k.person, k.leave))
        elif k.type == "announcement_withdrawn":
            rows.append((kind, e.id, k.announcement))
        elif k.type == "offer_made":
            rows.append((kind, e.id, k.to, k.by, k.role, k.office, k.interim))
        elif k.type == "offer_answered":
            rows.append((kind, e.id, k.offer, k.outcome))
        elif k.type == "person_identified":
            rows.append((kind, e.id, k.placeholder, k.person))
        elif k.type == "person_left":
            rows.append((kind, e.id, k.person, k.destination))
        elif k.type == "office_assigned":
            rows.append((kind, e.id, k.office, k.person, k.interim, k.replaces))
        elif k.type == "office_vacated":
            rows.append((kind, e.id, k.office, k.person))
        elif k.type == "board_seat_added":
            rows.append((kind, e.id, k.person, k.role, k.independent, k.representing))
        elif k.type == "chair_cleared":
            rows.append((kind, e.id, k.person))
        elif k.type == "board_vote":
            rows.append((kind, e.id, k.motion, tuple(k.votes.items()), k.interested))
        elif k.type == "headcount_reported":
            rows.append((kind, e.id, k.count, k.qualifier))
        elif k.type == "signatures_reported":
            rows.append((kind, e.id, k.count, k.qualifier, k.signatories))
        elif k.type == "stakeholder_changed":
            rows.append(
                (
                    kind,
                    e.id,
                    k.stakeholder,
                    k.invested_usd,
                    k.investment_total_usd,
                    k.investment_form,
                    k.hires,
                    k.releases,
                )
            )
        elif k.type == "staff_departed":
            rows.append((kind, e.id, k.count, k.people, k.destination))
        elif k.type == "structure_changed":
            rows.append((kind, e.id, k.structure))
        else:
            rows.append((kind, e.id, k.people))
        if e.transition == "fulfilment":
            rows.append((code["fulfilled"], e.id, e.fulfils))
    return rows


def floor_replay(rows: Sequence[Row], manifest: Manifest) -> dict[str, Any]:
    """Apply ``rows`` in order to dict state with the engine's checks; return the final state."""
    org = manifest.organisation
    rules = manifest.governance
    cap = rules.board_size
    may_vote = rules.interested_director_may_vote
    # (at_org, on_leave, affiliation, former, known): no event has placed anyone yet
    people: dict[str, tuple[bool, bool, str | None, bool, bool]] = {
        pid: (False, False, None, False, False) for pid in manifest.people
    }
    stakeholders: dict[str, tuple[float | None, str | None, frozenset[str], int]] = {
        sid: (None, None, frozenset(), 0) for sid in manifest.organisations
    }
    offices: dict[str, tuple[str, bool] | None] = {}
    board: dict[str, tuple[str, bool, str | None]] = {}
    votes: dict[str, tuple[str, bool, str]] = {}
    chair: str | None = None
    headcount: int | None = None
    hq: str | None = None
    signatures: int | None = None
    sq: str | None = None
    signatories: tuple[str, ...] = ()
    structure: str | None = None
    last: str | None = None
    pending: dict[str, bool] = {}
    offers: dict[str, tuple[str, str | None, str, str | None, bool, str]] = {}
    leaves: dict[str, str] = {}
    identified: dict[str, str] = {}

    def fail(message: str) -> NoReturn:
        raise ValueError(message)

    def leave(person: str, affiliation: str | None) -> None:
        for office, holder in offices.items():
            if holder is not None and holder[0] == person:
                offices[office] = None
        people[person] = (False, False, affiliation, True, True)
        leaves.pop(person, None)

    for row in rows:
        kind = row[0]
        if kind == 0:  # statement
            for person in row[2]:
                if person not in people:
                    fail("unknown person")
        elif kind == 1:  # person_joined
            state = people.get(row[2])
            if state is None or state[0]:
                fail("cannot join")
            people[row[2]] = (True, False, org, False, True)
        elif kind == 2:  # office_assigned
            _, _, office, person, interim, replaces = row
            state = people.get(person)
            if state is None:
                fail("unknown person")
            current = offices.get(office)
            if replaces is not None and (replaces not in people or current is None or current[0] != replaces):
                fail("wrong holder")
            offices[office] = (person, interim)
            if not state[0]:
                people[person] = (True, False, org, False, True)
        elif kind == 3:  # headcount_reported
            headcount, hq = row[2], row[3]
        elif kind == 4:  # stakeholder_changed
            _, _, sid, invested, total, form, hires, releases = row
            current_s = stakeholders.get(sid)
            if current_s is None or (invested is not None and total is not None):
                fail("bad stakeholder change")
            investment, old_form, employs, hired = current_s
            for person in hires:
                state = people.get(person)
                if state is None or state[0] or person in employs:
                    fail("cannot hire")
            for person in releases:
                if person not in people or person not in employs:
                    fail("cannot release")
            if total is not None:
                investment = total
            elif invested is not None:
                investment = (investment or 0.0) + invested
            if hires or releases:
                employs = employs.union(hires).difference(releases) if releases else employs.union(hires)
                for person in hires:
                    p = people[person]
                    people[person] = (p[0], p[1], sid, p[3], True)
                for person in releases:
                    p = people[person]
                    if p[2] == sid:
                        people[person] = (p[0], p[1], None, p[3], True)
            stakeholders[sid] = (investment, form if form is not None else old_form, employs, hired)
        elif kind == 5:  # person_left
            state = people.get(row[2])
            if state is None or (state[4] and not state[0]) or (row[3] is not None and row[3] not in stakeholders):
                fail("cannot leave")
            leave(row[2], row[3])
        elif kind == 6:  # leave_started
            state = people.get(row[2])
            if state is None or (state[4] and not state[0]) or state[1]:
                fail("cannot start leave")
            people[row[2]] = (True, True, state[2] if state[4] else org, state[3], True)
            if row[3] is not None:
                leaves[row[2]] = row[1]
        elif kind == 7:  # leave_ended
            state = people.get(row[2])
            if state is None or (state[4] and not state[1]):
                fail("not on leave")
            if state[4]:
                people[row[2]] = (state[0], False, state[2], state[3], True)
            else:
                people[row[2]] = (True, False, org, False, True)
            leaves.pop(row[2], None)
        elif kind == 8:  # board_vote: the same counting rules as orgsim.model.governance.count_votes
            _, vid, motion, cast, interested = row
            for person, _vote in cast:
                if person not in people:
                    fail("unknown voter")
            directors = [p for p, seat in board.items() if seat[0] == "voting"]
            on_board = set(directors)
            barred = () if may_vote else interested
            yes = no = abstain = 0
            ignored = []
            for person, vote in cast:
                if person not in on_board or person in barred:
                    ignored.append(person)
                elif vote == "yes":
                    yes += 1
                elif vote == "no":
                    no += 1
                elif vote == "abstain":
                    abstain += 1
            present = yes + no + abstain
            quorum = len(directors) // 2 + 1 if rules.quorum == "majority" else rules.quorum
            if rules.majority_of == "present":
                base = present
            elif rules.majority_of == "votes_cast":
                base = yes + no
            else:
                base = len(directors)
            attending = present  # a barred interested director who attends counts towards the quorum
            if barred:
                cast_by = dict(cast)
                for person in barred:
                    if person in on_board and cast_by.get(person, "absent") != "absent":
                        attending += 1
            quorate = attending >= quorum
            passed = quorate and base > 0 and yes > rules.threshold * base
            tally = (
                f"{'passed' if passed else 'failed'}: {yes} yes, {no} no, {abstain} abstain of {base} "
                f"(quorum {quorum} {'met' if quorate else 'not met'})"
            )
            if ignored:
                tally += "; not counted: " + ", ".join(sorted(ignored))
            votes[vid] = (motion, passed, tally)
        elif kind == 9:  # board_seat_added
            _, _, person, role, independent, representing = row
            if (
                person not in people
                or person in board
                or (representing is not None and representing not in stakeholders)
            ):
                fail("cannot seat")
            if cap is not None and role == "voting" and sum(1 for s in board.values() if s[0] == "voting") >= cap:
                fail("board full")
            board[person] = (role, independent, representing)
        elif kind == 10:  # signatures_reported
            for person in row[4]:
                if person not in people:
                    fail("unknown signatory")
            signatures, sq = row[2], row[3]
            new = [p for p in dict.fromkeys(row[4]) if p not in signatories]  # named twice: once
            if new:
                signatories = signatories + tuple(new)
        elif kind == 11:  # office_vacated
            current = offices.get(row[2])
            if row[3] not in people or current is None or current[0] != row[3]:
                fail("not the holder")
            offices[row[2]] = None
        elif kind == 12:  # board_seat_removed
            if row[2] not in people or row[2] not in board:
                fail("not on the board")
            del board[row[2]]
            if chair == row[2]:
                chair = None
        elif kind == 13:  # staff_departed
            _, _, count, leaving, destination = row
            count = count or 0  # an uncounted departure ("several", as the bundled data has) moves no figure here
            for person in leaving:
                state = people.get(person)
                if state is None or (state[4] and not state[0]):
                    fail("not at the organisation")
            if destination is not None and destination not in stakeholders:
                fail("unknown destination")
            for person in leaving:
                leave(person, destination)
            if headcount is not None:
                headcount = max(0, headcount - count)
            if destination is not None:
                inv, f, employs, hired = stakeholders[destination]
                stakeholders[destination] = (
                    inv,
                    f,
                    employs.union(leaving) if leaving else employs,
                    hired + count,
                )
        elif kind == 14:  # chair_set
            seat = board.get(row[2])
            if row[2] not in people or seat is None or seat[0] != "voting":
                fail("not a voting director")
            chair = row[2]
        elif kind == 15:  # structure_changed
            structure = row[2]
        elif kind == 16:  # chair_cleared
            if chair is None or (row[2] is not None and chair != row[2]):
                fail("cannot clear the chair")
            chair = None
        elif kind == 17:  # leave_expired: only the leave the person is still on
            state = people.get(row[2])
            if state is None:
                fail("unknown person")
            if leaves.get(row[2]) == row[3] and state[1]:
                people[row[2]] = (state[0], False, state[2], state[3], True)
                del leaves[row[2]]
        elif kind == 18:  # announced: pending, nothing applied
            for person in row[2]:
                if person not in people:
                    fail("unknown person")
            pending[row[1]] = True
        elif kind == 19:  # announcement_withdrawn
            if row[2] not in pending:
                fail("not pending")
            del pending[row[2]]
        elif kind == 20:  # offer_made
            _, oid, to, by, role, office, interim = row
            if to not in people or (by is not None and by != org and by not in stakeholders):
                fail("bad offer")
            offers[oid] = (to, by, role, office, interim, "open")
        elif kind == 21:  # offer_answered: an accepted offer takes effect
            _, _, oid, outcome = row
            offer = offers.get(oid)
            if offer is None or offer[5] != "open":
                fail("no open offer")
            to, by, role, office, interim, _ = offer
            standing = people[to]
            own = by is None or by == org
            if outcome == "accepted":
                if role == "office":
                    if own:
                        offices[office] = (to, interim)  # type: ignore[index]
                        if not standing[0]:
                            people[to] = (True, False, org, False, True)
                elif role == "board_seat":
                    if to in board or (cap is not None and sum(1 for s in board.values() if s[0] == "voting") >= cap):
                        fail("cannot seat")
                    board[to] = ("voting", False, None)
                elif own:
                    if standing[0]:
                        fail("already here")
                    people[to] = (True, False, org, False, True)
                else:
                    if standing[0]:
                        leave(to, by)
                    else:
                        people[to] = (False, False, by, standing[3], True)
                    inv, f, employs, hired = stakeholders[by]  # type: ignore[index]
                    stakeholders[by] = (inv, f, employs | {to}, hired)  # type: ignore[index]
            offers[oid] = (to, by, role, office, interim, outcome)
        elif kind == 22:  # person_identified: the placeholder's offices, seat and standing pass on
            _, _, placeholder, person = row
            before = people.get(placeholder)
            if before is None or person not in people or placeholder in identified:
                fail("cannot identify")
            for office, holder in offices.items():
                if holder is not None and holder[0] == placeholder:
                    offices[office] = (person, holder[1])
            seat = board.pop(placeholder, None)
            if seat is not None:
                board[person] = seat
                if chair == placeholder:
                    chair = person
            if before[4]:
                people[person] = before
                people[placeholder] = (False, False, None, False, True)
            identified[placeholder] = person
        else:  # fulfilled: the announcement is no longer pending
            pending.pop(row[2], None)
        last = row[1]
    return {
        "people": people,
        "offices": offices,
        "board": board,
        "chair": chair,
        "votes": votes,
        "stakeholders": stakeholders,
        "headcount": (headcount, hq),
        "signatures": (signatures, sq, signatories),
        "structure": structure,
        "last_event": last,
        "pending": pending,
        "offers": offers,
    }
