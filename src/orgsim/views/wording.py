"""How a state is worded for people: the one place its labels and lines are written.

The command line's state table, the HTML report's state panel (and a
notebook's view) all show :func:`state_lines`: each line a stable key, a
label and its values as text, in the order ``orgsim state`` prints them. The
page does not word a state itself; orgsim embeds these lines.

>>> import orgsim
>>> lines = state_lines(orgsim.load_timeline().state_at("2023-11-18T12:00-08:00"))
>>> lines[0].label, lines[0].values, lines[0].tag
('CEO', ('Mira Murati',), 'interim')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from orgsim.model.events import WELL_KNOWN_OFFICES
from orgsim.model.knowledge import Unknown
from orgsim.model.manifest import Manifest
from orgsim.model.state import Holder, Offer, OrgState
from orgsim.times import display

_ACRONYMS = frozenset({"ceo", "cto", "coo", "cfo", "cpo", "cro", "ciso", "cio", "cmo", "svp", "evp", "vp", "gc"})

QUALIFIER_WORDS = {"about": "about ", "nearly": "nearly ", "more_than": "more than ", "at_least": "at least "}
"""How a count's qualifier reads before the number (``exact`` reads as nothing)."""

VAGUE_WORDS = {"dozens": "dozens", "hundreds": "hundreds", "several": "several"}
"""Qualifiers that are the count itself, as vague as the sources that say them."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a state as shown: ``key`` (stable: ``ceo``, ``office-cto``, ``board``...), ``label``, ``values``.

    ``tag`` marks the last value (``interim``); ``sub`` lines belong to the
    line above them (an office under the CEO); ``group`` tells lines apart
    that a table separates with a blank line.
    """

    key: str
    label: str
    values: tuple[str, ...]
    group: str
    tag: str | None = None
    sub: bool = False

    def text(self) -> str:
        """The values as one line of text, the tag in brackets: ``Mira Murati (interim)``."""
        shown = "; ".join(self.values)
        return f"{shown} ({self.tag})" if self.tag else shown

    def to_dict(self) -> dict[str, Any]:
        """The line as JSON-ready data (what the report embeds)."""
        data: dict[str, Any] = {"key": self.key, "label": self.label, "values": list(self.values)}
        if self.tag:
            data["tag"] = self.tag
        if self.sub:
            data["sub"] = True
        return data


def office_label(office: str) -> str:
    """An office as a heading: ``ceo`` -> ``CEO``, ``chief_scientist`` -> ``Chief scientist``."""
    words = [w.upper() if w in _ACRONYMS else w for w in office.split("_")]
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


def usd(amount: float | None) -> str:
    """An amount of money as people read it: ``USD 13.0 bn``, ``USD 1.5 m``, ``USD 250,000``."""
    if amount is None:
        return "unknown"
    if amount >= 1e9:
        return f"USD {amount / 1e9:,.1f} bn"
    if amount >= 1e6:
        return f"USD {amount / 1e6:,.1f} m"
    return f"USD {amount:,.0f}"


def qualified(count: int | None, qualifier: str | None, bounds: tuple[int | None, int | None] | None = None) -> str:
    """A count as its source gives it: ``about 770``, ``more than 700``, ``dozens (at least 20)``, ``between
    about 650 and about 700``; ``unknown`` when there is neither a count nor a range."""
    vague = VAGUE_WORDS.get(qualifier or "")
    word = QUALIFIER_WORDS.get(qualifier or "", "")
    low, high = bounds if bounds is not None else (None, None)
    if count is None:
        if low is not None and high is not None:
            span = f"{word}{low:,}" if low == high else f"between {word}{low:,} and {word}{high:,}"
        elif low is not None:
            span = f"at least {word}{low:,}"
        elif high is not None:
            span = f"at most {word}{high:,}"
        else:
            return vague or "unknown"
        return f"{vague} ({span})" if vague else span
    shown = f"{vague} ({count:,})" if vague else f"{word}{count:,}"
    if bounds is not None and (low, high) != (count, count):
        limits = [f"at least {low:,}" if low is not None else "", f"at most {high:,}" if high is not None else ""]
        shown += f" ({', '.join(part for part in limits if part)})"
    return shown


NAMES_SHOWN = 12
"""People a line names at most; the rest are counted (a large timeline has hundreds who have left)."""
ANSWERED_OFFERS_SHOWN = 6
"""Answered (accepted, declined, withdrawn) offers a state's offers line names: the latest; every open one is named."""


def names_list(names: list[str], limit: int = NAMES_SHOWN) -> str:
    """Names as one list, the ones past ``limit`` counted: ``Ada, Bob and 3 more``."""
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit:,} more"


def organisation_name(manifest: Manifest, org: str | None) -> str:
    """An organisation's display name: the timeline's own, a stakeholder's, or the id."""
    if org is None:
        return "none"
    if org == manifest.organisation:
        return manifest.organisation_name or org
    known = manifest.organisations.get(org)
    return known.name if known else org


def unknown_text(state: OrgState, path: str) -> str:
    """How an unknown value reads: ``unknown (not covered before 2015-12-11)``."""
    why = state.why_unknown(path)
    return f"unknown ({why})" if why is not None else "unknown"


def state_lines(state: OrgState, *, last_summary: str | None = None) -> list[Line]:
    """The state as labelled lines, from the CEO down (``last_summary``: the latest event's, to name it by).

    An unknown value reads ``unknown`` and says why; it is never shown as vacant, none or zero.
    """
    name, manifest = state.name_of, state.manifest
    lines: list[Line] = []

    def holder_line(key: str, label: str, path: str, holder: Holder | Unknown | None, sub: bool) -> Line:
        if isinstance(holder, Unknown):
            return Line(key, label, (unknown_text(state, path),), "offices", sub=sub)
        shown = "vacant" if holder is None else name(holder.person)
        return Line(key, label, (shown,), "offices", "interim" if holder is not None and holder.interim else None, sub)

    lines.append(holder_line("ceo", "CEO", "offices.ceo", state.ceo, False))
    offices = dict(state.offices)
    ordered = [o for o in WELL_KNOWN_OFFICES if o in offices and o != "ceo"]
    ordered += sorted(o for o in offices if o not in WELL_KNOWN_OFFICES)
    for office in ordered:
        lines.append(holder_line(f"office-{office}", office_label(office), f"offices.{office}", offices[office], True))
    board = state.board
    if isinstance(board, Unknown):
        lines.append(Line("board", "Board", (unknown_text(state, "board"),), "board"))
    else:
        chair = board.chair
        shown_chair = (
            unknown_text(state, "board.chair") if isinstance(chair, Unknown) else name(chair) if chair else "vacant"
        )
        lines.append(Line("chair", "Chair of the board", (shown_chair,), "board"))
        count = len(board.members)
        lines.append(Line("board", "Board", (f"{count} voting director{'' if count == 1 else 's'}",), "board"))
        for person in board.members:
            seat = state.seats[person]
            known = manifest.people.get(person)
            details = ["independent" if seat.independent else "insider" if known and known.insider else ""]
            if seat.representing:
                details.append(f"for {organisation_name(manifest, seat.representing)}")
            if person == chair:
                details.append("chair")
            detail = ", ".join(part for part in details if part) or "director"
            lines.append(Line(f"director-{person}", name(person), (detail,), "board", sub=True))
        if board.observers:
            observers = []
            for person in board.observers:
                representing = state.seats[person].representing
                seat_for = f", for {organisation_name(manifest, representing)}" if representing else ""
                observers.append(name(person) + seat_for)
            lines.append(Line("observers", "Board observers", tuple(observers), "board", sub=True))
    headcount = state.headcount
    if isinstance(headcount, Unknown):
        shown = _unknown_count(state, "employees.headcount")
    else:
        shown = qualified(headcount, _text(state.headcount_qualifier), state.headcount_range)
    lines.append(Line("headcount", "Headcount", (shown,), "employees"))
    letter = state.open_letter_signatories
    if isinstance(letter, Unknown):
        shown = _unknown_count(state, "employees.open_letter_signatories")
    elif letter is None and state.signatures_range is None:
        shown = "none"
    else:
        shown = qualified(letter, _text(state.signatures_qualifier), state.signatures_range)
    lines.append(Line("signatures", "Open-letter signatures", (shown,), "employees"))
    if not isinstance(letter, Unknown) and letter is not None and state.signatories:
        named = names_list([name(p) for p in state.signatories])
        lines.append(Line("signatories", "Named signatories", (named,), "employees", sub=True))
    seated = {seat.representing for seat in state.seats.values() if seat.representing}
    for sid, role in state.stakeholders.items():
        label = organisation_name(manifest, sid)
        if isinstance(role, Unknown):
            if sid in seated:
                lines.append(
                    Line(f"stakeholder-{sid}", label, (unknown_text(state, f"stakeholders.{sid}"),), "stakeholders")
                )
            continue
        if role.investment_usd is None and not role.employs and not role.staff_hired and sid not in seated:
            continue
        parts = []
        if isinstance(role.investment_usd, Unknown):
            parts.append(f"investment {unknown_text(state, f'stakeholders.{sid}.investment_usd')}")
        elif role.investment_usd is not None:
            form = f" ({role.investment_form})" if role.investment_form else ""
            parts.append(f"invested {usd(role.investment_usd)}{form}")
        if not isinstance(board, Unknown):
            parts.append(f"board seat: {state.stakeholder_board_seat(sid)}")
        if role.employs:
            parts.append("employs " + names_list([name(p) for p in sorted(role.employs)]))
        if role.staff_hired:
            parts.append(f"took on {role.staff_hired:,} staff")
        lines.append(Line(f"stakeholder-{sid}", label, tuple(parts), "stakeholders"))
    structure = state.structure
    if isinstance(structure, str):
        lines.append(Line("structure", "Structure", (structure,), "structure"))
    people = state.people
    away = [name(p) for p, s in people.items() if s.on_leave]
    gone = [
        name(p) + (f" (now {organisation_name(manifest, s.affiliation)})" if s.affiliation else "")
        for p, s in people.items()
        if s.former and not s.at_org
    ]
    if away:
        ends = state.leave_ends
        away = [name(p) + (f" (until {ends[p]})" if p in ends else "") for p, s in people.items() if s.on_leave]
        lines.append(Line("leave", "On leave", (names_list(away),), "people"))
    lines.append(Line("left", "Has left", (names_list(gone) if gone else "nobody",), "people"))
    unplaced = sum(1 for s in people.values() if not s.known)
    if unplaced:
        lines.append(
            Line("unplaced", "Not known", (f"where {unplaced:,} of the people the timeline knows stand",), "people")
        )
    if state.announced:
        lines.append(Line("announced", "Announced, not done", tuple(state.announced.values()), "announced"))
    # Every open offer, and the latest answered ones: a long-lived organisation's answered offers would otherwise
    # make the line (and a page holding thousands of states) grow without bound. The contract lists them all.
    made = list(state.offers.values())
    answered = [offer for offer in made if offer.status != "open"]
    latest = {id(offer) for offer in answered[-ANSWERED_OFFERS_SHOWN:]}
    offers = [
        f"{name(offer.to)}: {_offer_role(offer, manifest)}, {offer.status}"
        for offer in made
        if offer.status == "open" or id(offer) in latest
    ]
    if len(answered) > ANSWERED_OFFERS_SHOWN:
        earlier = len(answered) - ANSWERED_OFFERS_SHOWN
        offers.append(f"and {earlier:,} earlier answered offer{'s' if earlier > 1 else ''} (the JSON state lists all)")
    if offers:
        lines.append(Line("offers", "Offers", tuple(offers), "announced"))
    last = state.last_event
    applied = f"{state.applied}" + (f" — last: {last_summary or last}" if last else "")
    lines.append(Line("applied", "Events applied", (applied,), "applied"))
    return lines


def _unknown_count(state: OrgState, path: str) -> str:
    """An unknown count: why, and what it last was where its report has gone stale."""
    last = state.last_known(path)
    shown = unknown_text(state, path)
    if last is not None:
        zone = state.manifest.home_zone
        reported = display(datetime.fromtimestamp(last.reported, UTC), zone, "day")
        shown += f"; last known: {qualified(last.value, last.qualifier, last.bounds)} as of {reported}"
    return shown


def _offer_role(offer: Offer, manifest: Manifest) -> str:
    if offer.role == "office":
        what = office_label(offer.office or "office") + (" (interim)" if offer.interim else "")
    elif offer.role == "board_seat":
        what = "a board seat"
    else:
        what = "a job"
    by = organisation_name(manifest, offer.by) if offer.by else None
    return f"{what} at {by}" if by else what


def _text(value: str | Unknown | None) -> str | None:
    return value if isinstance(value, str) else None
