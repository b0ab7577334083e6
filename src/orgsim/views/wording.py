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
from typing import Any

from orgsim.model.events import WELL_KNOWN_OFFICES
from orgsim.model.manifest import Manifest
from orgsim.model.state import OrgState

_ACRONYMS = frozenset({"ceo", "cto", "coo", "cfo", "cpo", "cro", "ciso", "cio", "cmo", "svp", "evp", "vp", "gc"})

QUALIFIER_WORDS = {"about": "about ", "nearly": "nearly ", "more_than": "more than ", "at_least": "at least "}
"""How a count's qualifier reads before the number (``exact`` reads as nothing)."""


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


def qualified(count: int | None, qualifier: str | None) -> str:
    """A count with its qualifier: ``about 770``, ``more than 700``; ``unknown`` when there is none."""
    if count is None:
        return "unknown"
    return f"{QUALIFIER_WORDS.get(qualifier or '', '')}{count:,}"


NAMES_SHOWN = 12
"""People a line names at most; the rest are counted (a large timeline has hundreds who have left)."""


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


def state_lines(state: OrgState, *, last_summary: str | None = None) -> list[Line]:
    """The state as labelled lines, from the CEO down (``last_summary``: the latest event's, to name it by)."""
    name, manifest = state.name_of, state.manifest
    lines: list[Line] = []
    ceo = state.ceo
    lines.append(
        Line(
            "ceo",
            "CEO",
            (name(ceo.person) if ceo else "vacant",),
            "offices",
            "interim" if ceo and ceo.interim else None,
        )
    )
    offices = dict(state.offices)
    ordered = [o for o in WELL_KNOWN_OFFICES if o in offices and o != "ceo"]
    ordered += sorted(o for o in offices if o not in WELL_KNOWN_OFFICES)
    for office in ordered:
        holder = offices[office]
        shown = "vacant" if holder is None else name(holder.person)
        tag = "interim" if holder is not None and holder.interim else None
        lines.append(Line(f"office-{office}", office_label(office), (shown,), "offices", tag, sub=True))
    board = state.board
    lines.append(Line("chair", "Chair of the board", (name(board.chair) if board.chair else "vacant",), "board"))
    count = len(board.members)
    lines.append(Line("board", "Board", (f"{count} voting director{'' if count == 1 else 's'}",), "board"))
    for person in board.members:
        seat = state.seats[person]
        detail = "independent" if seat.independent else "insider"
        if seat.representing:
            detail += f", for {organisation_name(manifest, seat.representing)}"
        if person == board.chair:
            detail += ", chair"
        lines.append(Line(f"director-{person}", name(person), (detail,), "board", sub=True))
    if board.observers:
        observers = []
        for person in board.observers:
            representing = state.seats[person].representing
            observers.append(
                name(person) + (f", for {organisation_name(manifest, representing)}" if representing else "")
            )
        lines.append(Line("observers", "Board observers", tuple(observers), "board", sub=True))
    lines.append(Line("headcount", "Headcount", (qualified(state.headcount, state.headcount_qualifier),), "employees"))
    letter = "none"
    if state.open_letter_signatories is not None:
        letter = qualified(state.open_letter_signatories, state.signatures_qualifier)
    lines.append(Line("signatures", "Open-letter signatures", (letter,), "employees"))
    if state.open_letter_signatories is not None and state.signatories:
        named = names_list([name(p) for p in state.signatories])
        lines.append(Line("signatories", "Named signatories", (named,), "employees", sub=True))
    seated = {seat.representing for seat in state.seats.values() if seat.representing}
    for sid, role in state.stakeholders.items():
        if role.investment_usd is None and not role.employs and not role.staff_hired and sid not in seated:
            continue
        parts = []
        if role.investment_usd is not None:
            parts.append(
                f"invested {usd(role.investment_usd)}" + (f" ({role.investment_form})" if role.investment_form else "")
            )
        parts.append(f"board seat: {state.stakeholder_board_seat(sid)}")
        if role.employs:
            parts.append("employs " + names_list([name(p) for p in sorted(role.employs)]))
        if role.staff_hired:
            parts.append(f"took on {role.staff_hired:,} staff")
        lines.append(Line(f"stakeholder-{sid}", organisation_name(manifest, sid), tuple(parts), "stakeholders"))
    if state.structure:
        lines.append(Line("structure", "Structure", (state.structure,), "structure"))
    away = [name(p) for p, s in state.people.items() if s.on_leave]
    gone = [
        name(p) + (f" (now {organisation_name(manifest, s.affiliation)})" if s.affiliation else "")
        for p, s in state.people.items()
        if s.former and not s.at_org
    ]
    if away:
        lines.append(Line("leave", "On leave", (names_list(away),), "people"))
    lines.append(Line("left", "Has left", (names_list(gone) if gone else "nobody",), "people"))
    last = state.last_event
    applied = f"{state.applied}" + (f" — last: {last_summary or last}" if last else "")
    lines.append(Line("applied", "Events applied", (applied,), "applied"))
    return lines
