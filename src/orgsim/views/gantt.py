"""Who held what, when: a timeline's tenures of offices and board seats, as data for charts.

The HTML report and the static plot both draw from this view model, so they
show the same bars. Tenures are read off the replayed states at each instant
that has events (the state after the last event at that instant), so a change
and its reversal at one instant leave no zero-length bar.

>>> import orgsim
>>> from orgsim.views.gantt import build_gantt
>>> gantt = build_gantt(orgsim.load_timeline("tests/fixtures/acme"))
>>> [(t.name, t.interim) for t in gantt.row("office", "ceo").tenures]
[('Ada Lovelace', False), ('Charles Babbage', True), ('Ada Lovelace', False)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from orgsim.model.events import WELL_KNOWN_OFFICES, EventBase
from orgsim.model.records import EventRecord
from orgsim.model.state import OrgState
from orgsim.timeline import Timeline
from orgsim.times import in_zone

RowKind = Literal["office", "board"]

_ACRONYMS = frozenset({"ceo", "cto", "coo", "cfo", "cpo", "cro", "ciso", "cio", "cmo", "svp", "evp", "vp", "gc"})


@dataclass(frozen=True, slots=True)
class Tenure:
    """One person holding an office or a board seat from ``start`` until ``end`` (None: still held).

    ``role`` is ``office`` for an office, ``voting`` or ``observer`` for a board seat.
    """

    person: str
    name: str
    start: datetime
    end: datetime | None
    started_by: str
    ended_by: str | None
    interim: bool = False
    role: str = "office"


@dataclass(frozen=True, slots=True)
class Span:
    """An interval of time, open-ended when ``end`` is None."""

    start: datetime
    end: datetime | None


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the chart: an office, or one person's board seat (with when they chaired)."""

    kind: RowKind
    key: str
    label: str
    tenures: tuple[Tenure, ...]
    chair: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Reading:
    """A reported figure (headcount, signatures) from ``at`` on, with its qualifier (``about``...)."""

    at: datetime
    value: int | None
    qualifier: str | None


@dataclass(frozen=True, slots=True)
class Gantt:
    """The chart of one world: office rows then board rows, and the staff figures over time.

    ``start`` and ``end`` are the first and last instants with events (None when there are none).
    """

    rows: tuple[Row, ...]
    headcount: tuple[Reading, ...]
    signatures: tuple[Reading, ...]
    start: datetime | None
    end: datetime | None
    instants: tuple[tuple[datetime, OrgState], ...] = field(default=(), repr=False)
    """Each instant with events and the state after the last of them, in order."""

    def row(self, kind: RowKind, key: str) -> Row:
        """The row for an office or a board member; KeyError if the world has none."""
        for row in self.rows:
            if row.kind == kind and row.key == key:
                return row
        raise KeyError(f"{kind} {key!r}")


def office_label(office: str) -> str:
    """An office as a heading: ``ceo`` -> ``CEO``, ``chief_scientist`` -> ``Chief scientist``."""
    words = [w.upper() if w in _ACRONYMS else w for w in office.split("_")]
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


def office_order(offices: Sequence[str]) -> list[str]:
    """Offices in display order: the well-known ones in their order (CEO first), then the rest by name."""
    known = [o for o in WELL_KNOWN_OFFICES if o in offices]
    return known + sorted(o for o in set(offices) if o not in WELL_KNOWN_OFFICES)


def instant_states(timeline: Timeline) -> Iterator[tuple[datetime, OrgState]]:
    """Each instant that has events, with the state after the last event at that instant."""
    pending: tuple[EventRecord, OrgState] | None = None
    for event, state in timeline.replay.walk():  # records: only their instants are read
        if pending is not None and pending[0].at != event.at:
            yield pending[0].at, pending[1]
        pending = (event, state)
    if pending is not None:
        yield pending[0].at, pending[1]


class _Open:
    """A tenure being tracked: who, since when, started by which event."""

    __slots__ = ("interim", "person", "role", "start", "started_by")

    def __init__(self, person: str, interim: bool, role: str, start: datetime, started_by: str) -> None:
        self.person, self.interim, self.role, self.start, self.started_by = person, interim, role, start, started_by


def build_gantt(timeline: Timeline) -> Gantt:
    """The tenures and staff figures of ``timeline``, read off its replayed states."""
    instants = tuple(instant_states(timeline))
    name = timeline.initial_state().name_of
    offices_open: dict[str, _Open] = {}
    seats_open: dict[str, _Open] = {}
    chair_open: tuple[str, datetime] | None = None
    office_done: dict[str, list[Tenure]] = {}
    seat_done: dict[str, list[Tenure]] = {}
    chair_done: dict[str, list[Span]] = {}
    board_order: list[str] = []
    headcount: list[Reading] = []
    signatures: list[Reading] = []

    def close(kind_done: dict[str, list[Tenure]], key: str, held: _Open, end: datetime | None, by: str | None) -> None:
        kind_done.setdefault(key, []).append(
            Tenure(held.person, name(held.person), held.start, end, held.started_by, by, held.interim, held.role)
        )

    for at, state in instants:
        by = state.last_event or ""
        for office, holder in state.offices.items():
            office_done.setdefault(office, [])
            current = offices_open.get(office)
            now = None if holder is None else (holder.person, holder.interim)
            if current is not None and (current.person, current.interim) != now:
                close(office_done, office, offices_open.pop(office), at, by)
                current = None
            if current is None and holder is not None:
                offices_open[office] = _Open(holder.person, holder.interim, "office", at, by)
        seats = state.seats
        for person in list(seats_open):
            held = seats_open[person]
            seat = seats.get(person)
            if seat is None or seat.role != held.role:
                close(seat_done, person, seats_open.pop(person), at, by)
        for person, seat in seats.items():
            if person not in board_order:
                board_order.append(person)
            if person not in seats_open:
                seats_open[person] = _Open(person, False, seat.role, at, by)
        if chair_open is not None and chair_open[0] != state.chair:
            chair_done.setdefault(chair_open[0], []).append(Span(chair_open[1], at))
            chair_open = None
        if chair_open is None and state.chair is not None:
            chair_open = (state.chair, at)
        if (state.headcount, state.headcount_qualifier) != (
            (headcount[-1].value, headcount[-1].qualifier) if headcount else (None, None)
        ):
            headcount.append(Reading(at, state.headcount, state.headcount_qualifier))
        if (state.open_letter_signatories, state.signatures_qualifier) != (
            (signatures[-1].value, signatures[-1].qualifier) if signatures else (None, None)
        ):
            signatures.append(Reading(at, state.open_letter_signatories, state.signatures_qualifier))

    for office, held in offices_open.items():
        close(office_done, office, held, None, None)
    for person, held in seats_open.items():
        close(seat_done, person, held, None, None)
    if chair_open is not None:
        chair_done.setdefault(chair_open[0], []).append(Span(chair_open[1], None))

    rows = [
        Row("office", office, office_label(office), tuple(sorted(office_done[office], key=lambda t: t.start)))
        for office in office_order(list(office_done))
        if office_done[office]
    ]
    rows += [
        Row(
            "board",
            person,
            name(person),
            tuple(sorted(seat_done.get(person, []), key=lambda t: t.start)),
            tuple(chair_done.get(person, ())),
        )
        for person in board_order
    ]
    return Gantt(
        tuple(rows),
        tuple(headcount),
        tuple(signatures),
        instants[0][0] if instants else None,
        instants[-1][0] if instants else None,
        instants,
    )


MAX_ROWS = 40
"""Rows a chart of one world draws at most (a large timeline has a board row for hundreds of people)."""


def rows_in_view(
    gantt: Gantt, start: datetime | None, end: datetime | None, limit: int = MAX_ROWS
) -> tuple[list[Row], int]:
    """The rows to draw between ``start`` and ``end`` (None: open), and how many with a bar there are left out.

    Rows with no bar in the window are not drawn. Of the others, offices come
    first (in display order), then board seats by how long they are held in
    the window, longest first, up to ``limit`` rows in all; the chosen rows
    keep their display order.
    """
    low = float("-inf") if start is None else start.timestamp()
    high = float("inf") if end is None else end.timestamp()

    def held(row: Row) -> float:
        total = 0.0
        for tenure in row.tenures:
            begin = max(tenure.start.timestamp(), low)
            until = min(tenure.end.timestamp() if tenure.end is not None else float("inf"), high)
            if until >= begin:
                total += min(until - begin, 1e15) or 1e-9  # a tenure starting at the window's end still shows
        return total

    shown = [(index, row, held(row)) for index, row in enumerate(gantt.rows)]
    shown = [item for item in shown if item[2] > 0]
    if len(shown) <= limit:
        return [row for _, row, _ in shown], 0
    ranked = sorted(shown, key=lambda item: (item[1].kind != "office", -item[2], item[0]))[:limit]
    return [row for _, row, _ in sorted(ranked, key=lambda item: item[0])], len(shown) - limit


FOCUS_DAYS = 6
"""Length in days of the busiest period, the focus of a timeline that declares none."""


def focus_period(timeline: Timeline) -> tuple[datetime, datetime] | None:
    """The period charts open on: the manifest's declared ``focus``, else the busiest ``FOCUS_DAYS`` days.

    None when the timeline declares no focus and fits in that many days (all of it is the focus).

    >>> import orgsim
    >>> start, end = focus_period(orgsim.load_timeline())
    >>> start.isoformat(), end.isoformat()
    ('2023-11-16T00:00:00-08:00', '2023-11-23T23:59:59.999999-08:00')
    """
    declared = timeline.manifest.focus_window()
    return declared if declared is not None else busiest_days(timeline)


def busiest_days(timeline: Timeline) -> tuple[datetime, datetime] | None:
    """The ``FOCUS_DAYS`` consecutive days (home zone) with the most events, trimmed to days with events.

    None when the whole timeline fits in that many days.
    """
    home = timeline.home_zone
    instants = [record.at for record in timeline.replay.applied]
    if not instants:
        return None
    local = [in_zone(at, home) for at in instants]
    days: Counter[int] = Counter(moment.date().toordinal() for moment in local)
    ordered = sorted(days)
    if ordered[-1] - ordered[0] < FOCUS_DAYS:
        return None
    best: tuple[int, int, int] | None = None
    total, high = 0, 0
    for day in ordered:
        while high < len(ordered) and ordered[high] < day + FOCUS_DAYS:
            total += days[ordered[high]]
            high += 1
        if best is None or total > best[0]:
            best = (total, day, ordered[high - 1])
        total -= days[day]
    assert best is not None
    _, start_day, end_day = best
    first = next(moment for moment in local if moment.date().toordinal() == start_day)
    last = next(moment for moment in reversed(local) if moment.date().toordinal() == end_day)
    return first.start_of("day"), last.end_of("day")


def divergent_spans(base: Timeline, world: Timeline) -> tuple[Span, ...]:
    """The intervals in which the organisation differs between two worlds (the instant aside).

    Checked at every instant at which either world has an event; a span runs
    from an instant where the states differ to the next instant where they agree.
    """
    instants: dict[float, datetime] = {}
    for event in (*base.replay.applied, *world.replay.applied):
        instants.setdefault(event.at.timestamp(), event.at)
    spans: list[Span] = []
    opened: datetime | None = None
    for epoch in sorted(instants):
        differ = base.state_at_epoch(epoch) != world.state_at_epoch(epoch)
        if differ and opened is None:
            opened = instants[epoch]
        elif not differ and opened is not None:
            spans.append(Span(opened, instants[epoch]))
            opened = None
    if opened is not None:
        spans.append(Span(opened, None))
    return tuple(spans)


PALETTE = (
    "#2f62b0", "#b5472f", "#2e7a40", "#7a55a8", "#a0620c", "#167474", "#a8457a", "#5c6f2b",
    "#3d68b8", "#8d4a2a", "#226aa0", "#6b5fb0", "#a35b1f", "#326e5d", "#9b3f3f", "#56607a",
)  # fmt: skip
"""Bar colours, handed to people in order of first appearance (the same person has one colour everywhere).

Each is dark enough for white labels (WCAG AA, 4.5:1); interim tenures are drawn pale, with dark labels.
"""

CATEGORIES: dict[str, str] = {
    "office_assigned": "office",
    "office_vacated": "office",
    "board_seat_added": "board",
    "board_seat_removed": "board",
    "chair_set": "board",
    "chair_cleared": "board",
    "board_vote": "board",
    "person_joined": "people",
    "person_left": "people",
    "leave_started": "people",
    "leave_ended": "people",
    "headcount_reported": "staff",
    "signatures_reported": "staff",
    "staff_departed": "staff",
    "stakeholder_changed": "stakeholder",
    "structure_changed": "structure",
    "statement": "statement",
}
"""Each event type's category, which gives its marker colour."""

CATEGORY_STYLE: dict[str, tuple[str, str]] = {
    "office": ("#1f5fbf", "offices"),
    "board": ("#7a3fc4", "board"),
    "people": ("#0f8a80", "people joining, leaving, on leave"),
    "staff": ("#d9622b", "staff figures"),
    "stakeholder": ("#2f8f3a", "stakeholders"),
    "structure": ("#9a6a12", "structure"),
    "statement": ("#7b8494", "statements and reports"),
}
"""Each category's marker colour and legend label."""


def category(event: EventBase | EventRecord) -> str:
    """The category of an event's type (``statement`` for a type this module does not know)."""
    return CATEGORIES.get(getattr(event, "type", ""), "statement")


def person_colours(gantts: Sequence[Gantt]) -> dict[str, str]:
    """A colour for everyone with a bar, in order of first appearance across the charts."""
    colours: dict[str, str] = {}
    for gantt in gantts:
        for row in gantt.rows:
            for tenure in row.tenures:
                if tenure.person not in colours:
                    colours[tenure.person] = PALETTE[len(colours) % len(PALETTE)]
    return colours
