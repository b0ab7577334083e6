"""Text views for people: the state, the event listing and changes as readable tables."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from orgsim.model.events import WELL_KNOWN_OFFICES, EventBase
from orgsim.model.state import OrgState
from orgsim.query.diff import Difference
from orgsim.times import display, in_zone

_WIDTH = 110


def _usd(amount: float | None) -> str:
    if amount is None:
        return "unknown"
    if amount >= 1e9:
        return f"USD {amount / 1e9:,.1f} bn"
    if amount >= 1e6:
        return f"USD {amount / 1e6:,.1f} m"
    return f"USD {amount:,.0f}"


def _qualified(count: int | None, qualifier: str | None) -> str:
    if count is None:
        return "unknown"
    words = {"about": "about ", "nearly": "nearly ", "more_than": "more than ", "at_least": "at least "}
    return f"{words.get(qualifier or '', '')}{count:,}"


def instant_line(state: OrgState, home_zone: str, tz: str | None = None) -> str:
    """The resolved instant, in the home zone and (when different) the asked zone."""
    if state.at is None:
        return "at: (no instant)"
    home = in_zone(state.at, home_zone)
    text = f"at {home.format('ddd YYYY-MM-DD HH:mm zz')} ({home.isoformat()})"
    if tz and tz != home_zone:
        asked = in_zone(state.at, tz)
        text += f" = {asked.format('ddd YYYY-MM-DD HH:mm')} {tz}"
    return text


def render_state(state: OrgState, home_zone: str, tz: str | None = None, title: str | None = None) -> str:
    """The state as a person would want to read it."""
    name = state.name_of
    org = state.manifest.organisation_name or state.manifest.organisation
    lines = [f"{title or org} — timeline {state.timeline!r}", instant_line(state, home_zone, tz), ""]
    ceo = state.ceo
    lines.append(f"{'CEO':<29}{name(ceo.person) + (' (interim)' if ceo.interim else '') if ceo else 'vacant'}")
    offices = dict(state.offices)
    ordered = [o for o in WELL_KNOWN_OFFICES if o in offices and o != "ceo"]
    ordered += sorted(o for o in offices if o not in WELL_KNOWN_OFFICES)
    for office in ordered:
        holder = offices[office]
        shown = "vacant" if holder is None else name(holder.person) + (" (interim)" if holder.interim else "")
        lines.append(f"  {office.replace('_', ' '):<27}{shown}")
    board = state.board
    lines.append("")
    chair = name(board.chair) if board.chair else "vacant"
    lines.append(f"{'Board':<29}{len(board.members)} voting director(s); chair: {chair}")
    for person in board.members:
        seat = state.seats[person]
        kind = "independent" if seat.independent else "insider"
        extra = f", for {seat.representing}" if seat.representing else ""
        lines.append(f"  {name(person):<27}{kind}{extra}{' — chair' if person == board.chair else ''}")
    for person in board.observers:
        representing = state.seats[person].representing
        lines.append(f"  {name(person):<27}observer{', for ' + representing if representing else ''}")
    lines.append("")
    lines.append(f"{'Headcount':<29}{_qualified(state.headcount, state.headcount_qualifier)}")
    letter = _qualified(state.open_letter_signatories, state.signatures_qualifier)
    if state.open_letter_signatories is not None and state.signatories:
        letter += " (named: " + ", ".join(name(p) for p in state.signatories) + ")"
    lines.append(f"{'Open-letter signatures':<29}{letter if state.open_letter_signatories is not None else 'none'}")
    involved = [
        (sid, s) for sid, s in state.stakeholders.items() if s.investment_usd is not None or s.employs or s.staff_hired
    ]
    seats = {seat.representing for seat in state.seats.values() if seat.representing}
    involved += [(sid, state.stakeholders[sid]) for sid in sorted(seats) if sid not in dict(involved)]
    if involved:
        lines.append("")
        lines.append("Stakeholders")
        for sid, s in involved:
            label = state.manifest.organisations[sid].name if sid in state.manifest.organisations else sid
            parts = []
            if s.investment_usd is not None:
                parts.append(
                    f"invested {_usd(s.investment_usd)}" + (f" ({s.investment_form})" if s.investment_form else "")
                )
            parts.append(f"board seat: {state.stakeholder_board_seat(sid)}")
            if s.employs:
                parts.append("employs " + ", ".join(name(p) for p in sorted(s.employs)))
            if s.staff_hired:
                parts.append(f"took on {s.staff_hired:,} staff")
            lines.append(f"  {label:<27}{'; '.join(parts)}")
    if state.structure:
        lines.append("")
        lines.append(f"{'Structure':<29}{state.structure}")
    away = [p for p, s in state.people.items() if s.on_leave]
    gone = [p for p, s in state.people.items() if s.former and not s.at_org]
    if away or gone:
        lines.append("")
    if away:
        lines.append(f"{'On leave':<29}" + ", ".join(name(p) for p in away))
    if gone:
        text = ", ".join(
            name(p) + (f" (now {state.people[p].affiliation})" if state.people[p].affiliation else "") for p in gone
        )
        lines.extend(_wrapped("Has left", text))
    lines.append("")
    lines.append(f"{'Events applied':<29}{state.applied} (last: {state.last_event or 'none'})")
    return "\n".join(lines)


_PROVENANCE_LABELS = {
    "ceo": "CEO",
    "board.chair": "Chair",
    "board.members": "Board",
    "employees.headcount": "Headcount",
    "employees.open_letter_signatories": "Open letter",
    "stakeholders.": "",
    "structure": "Structure",
}


def render_provenance(provenance: dict[str, EventBase], home_zone: str, state: OrgState) -> str:
    """The latest event behind each headline answer, with its time and first source quote."""
    lines = ["Sources (the latest event behind each answer)"]
    order = list(_PROVENANCE_LABELS)
    keys = sorted(provenance, key=lambda k: (order.index(k) if k in order else order.index("stakeholders."), k))
    for key in keys:
        event = provenance[key]
        if key.startswith("stakeholders."):
            sid = key.split(".", 1)[1]
            label = state.manifest.organisations[sid].name if sid in state.manifest.organisations else sid
        else:
            label = _PROVENANCE_LABELS.get(key, key)
        when = display(event.at, home_zone, event.precision)
        pad = " " * 29
        lines.extend(
            textwrap.wrap(f"{when} — {event.summary}", _WIDTH, initial_indent=f"  {label:<27}", subsequent_indent=pad)
        )
        lines.append(f"{pad}[{event.id}]")
        if event.sources:
            source = event.sources[0]
            quote = " ".join(source.quote.split())
            tag = " (external)" if source.external else ""
            lines.extend(
                textwrap.wrap(f"{source.document}{tag}: «{quote}»", _WIDTH, initial_indent=pad, subsequent_indent=pad)
            )
    return "\n".join(lines)


def _wrapped(label: str, text: str) -> list[str]:
    body = textwrap.wrap(text, _WIDTH - 29) or [""]
    return [f"{label:<29}{body[0]}"] + [" " * 29 + line for line in body[1:]]


def render_events(events: Sequence[EventBase], home_zone: str, tz: str | None = None, sources: bool = True) -> str:
    """A chronology: one block per event with its time, kind, summary and sources."""
    zone = tz or home_zone
    lines: list[str] = []
    day = None
    for event in events:
        local = in_zone(event.at, zone)
        heading = local.format("dddd D MMMM YYYY")
        if heading != day:
            if lines:
                lines.append("")
            lines.append(f"== {heading} ({zone}) ==")
            day = heading
        when = display(event.at, zone, event.precision)
        lines.extend(_hanging(f"{when:<34} {event.summary}", 35))
        detail = f"[{event.type}] {event.id}"  # type: ignore[attr-defined]
        if event.stated_at:
            detail += f" — stated: {event.stated_at}"
        if event.generated_by:
            detail += f" — generated by rule {event.generated_by}"
        lines.extend(_hanging(" " * 35 + detail, 35))
        if sources:
            for source in event.sources:
                tag = " (external)" if source.external else ""
                lines.append(f"{'':<35}source{tag}: {source.document}")
                lines.extend(_hanging(" " * 37 + "«" + " ".join(source.quote.split()) + "»", 38))
                lines.extend(_hanging(" " * 37 + "“" + " ".join(source.translation.split()) + "”", 38))
            if event.rationale:
                lines.extend(_hanging(" " * 35 + f"rationale: {event.rationale}", 35))
    return "\n".join(lines) if lines else "(no events in that range)"


def _hanging(text: str, indent: int) -> list[str]:
    """``text`` wrapped to the page width, continuation lines indented by ``indent``."""
    return textwrap.wrap(text, _WIDTH, subsequent_indent=" " * indent, break_on_hyphens=False) or [text]


def render_changes(changes: Iterable[Difference], indent: str = "  ") -> list[str]:
    """Changes as indented lines."""
    return [indent + change.describe() for change in changes]


def render_side_by_side(
    history: OrgState, what_if: OrgState, changes: Sequence[Difference], home_zone: str, title: str
) -> str:
    """History and a what-if at one instant, in two columns, then the differences."""
    left = render_state(history, home_zone, title="History").splitlines()
    right = render_state(what_if, home_zone, title=f"What if: {title}").splitlines()
    width = max(len(line) for line in left) + 2
    rows = [
        f"{a:<{width}}| {b}"
        for a, b in zip(left + [""] * (len(right) - len(left)), right + [""] * (len(left) - len(right)), strict=True)
    ]
    rows.append("")
    rows.append(f"Differences ({len(changes)}):")
    rows.extend(render_changes(changes) or ["  (none: the two worlds agree)"])
    return "\n".join(rows)


def render_divergence(story: Any, world: Any, zone: str) -> str:
    """The divergence story: first instant, then each field's intervals and the events responsible."""
    lines = [f"What if: {world.scenario.title}"]
    if world.scenario.description:
        lines.extend(textwrap.wrap(" ".join(world.scenario.description.split()), _WIDTH))
    lines.append("")
    if story.first is None:
        lines.append("The two worlds never differ.")
    else:
        lines.append(f"First divergence: {display(story.first, zone)}")
    for item in story.fields:
        lines.append("")
        lines.append(item.path)
        for interval in item.intervals:
            end = display(interval.end, zone) if interval.end else "the end of the timeline"
            lines.append(f"  {display(interval.start, zone)} -> {end}")
            lines.append(f"    history: {_short(interval.history)}   what-if: {_short(interval.what_if)}")
            if interval.because:
                lines.append(f"    because: {', '.join(interval.because)}")
    if world.dropped:
        lines.append("")
        lines.append(f"Events that did not happen ({len(world.dropped)}):")
        lines.extend(f"  {d.describe()}" for d in world.dropped)
    made = world.generated()
    if made:
        lines.append("")
        lines.append("Events generated by rules:")
        lines.extend(f"  {e.id} [{e.generated_by}] {display(e.at, zone)}: {e.summary}" for e in made)
    return "\n".join(lines)


def _short(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, dict) and set(value) == {"person", "interim"}:
        return str(value["person"]) + (" (interim)" if value["interim"] else "")
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)
