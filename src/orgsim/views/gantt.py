"""Who held what, when: a timeline's tenures of offices and board seats, as data for charts.

The HTML report and the static plot both draw from this view model, so they
show the same bars. Tenures come from the change index
(:mod:`orgsim.query.tenures`): changes at one instant count as one, so a
change and its reversal at one instant leave no zero-length bar, and each bar
names the event that began it.

>>> import orgsim
>>> from orgsim.views.gantt import build_gantt
>>> gantt = build_gantt(orgsim.load_timeline("tests/fixtures/acme"))
>>> [(t.name, t.interim) for t in gantt.row("office", "ceo").tenures]
[('Ada Lovelace', False), ('Charles Babbage', True), ('Ada Lovelace', False)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from orgsim.engine import changes
from orgsim.engine.replay import Replay
from orgsim.model.events import WELL_KNOWN_OFFICES, EventBase
from orgsim.model.records import EventRecord
from orgsim.query.divergence import divergence
from orgsim.query.tenures import Held, tenures
from orgsim.timeline import Timeline
from orgsim.times import in_zone
from orgsim.views.wording import office_label

RowKind = Literal["office", "board"]


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

    def row(self, kind: RowKind, key: str) -> Row:
        """The row for an office or a board member; KeyError if the world has none."""
        for row in self.rows:
            if row.kind == kind and row.key == key:
                return row
        raise KeyError(f"{kind} {key!r}")


def office_order(offices: Sequence[str]) -> list[str]:
    """Offices in display order: the well-known ones in their order (CEO first), then the rest by name."""
    known = [o for o in WELL_KNOWN_OFFICES if o in offices]
    return known + sorted(o for o in set(offices) if o not in WELL_KNOWN_OFFICES)


def build_gantt(timeline: Timeline) -> Gantt:
    """The tenures and staff figures of ``timeline``, read off its change index (see :mod:`orgsim.query.tenures`)."""
    replay = timeline.replay
    applied = replay.applied
    name = timeline.initial_state().name_of

    def moment(position: int) -> datetime:
        return applied[position].at

    def tenure(held: Held) -> Tenure:
        end = None if held.end is None else moment(held.end)
        ended_by = None if held.end is None else applied[held.end].id
        role = held.role if held.kind != "office" else "office"
        return Tenure(
            held.person,
            name(held.person),
            moment(held.start),
            end,
            applied[held.start].id,
            ended_by,
            held.interim,
            role,
        )

    office_rows: dict[str, list[Tenure]] = {}
    seat_rows: dict[str, list[Tenure]] = {}
    chair_spans: dict[str, list[Span]] = {}
    for held in tenures(replay):
        if held.kind == "office":
            office_rows.setdefault(held.key, []).append(tenure(held))
        elif held.kind == "board":
            seat_rows.setdefault(held.key, []).append(tenure(held))
        else:
            chair_spans.setdefault(held.person, []).append(
                Span(moment(held.start), None if held.end is None else moment(held.end))
            )
    rows = [
        Row("office", office, office_label(office), tuple(office_rows[office]))
        for office in office_order(list(office_rows))
    ]
    rows += [
        Row("board", person, name(person), tuple(seats), tuple(chair_spans.get(person, ())))
        for person, seats in seat_rows.items()
    ]
    return Gantt(
        tuple(rows),
        _readings(replay, changes.HEADCOUNT),
        _readings(replay, changes.SIGNATURES),
        applied[0].at if applied else None,
        applied[-1].at if applied else None,
    )


def _readings(replay: Replay, table: int) -> tuple[Reading, ...]:
    """A reported figure's values over time: the last written at each instant, each change once."""
    applied, times = replay.applied, replay.times
    found: list[Reading] = []
    for position, _, (value, qualifier, _detail) in replay.changes.entries(table):
        at = applied[position].at
        if found and times[position] == found[-1].at.timestamp():
            found.pop()
        if not found or (found[-1].value, found[-1].qualifier) != (value, qualifier):
            found.append(Reading(at, value, qualifier))
    return tuple(found)


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

    The union of every field's intervals of difference (:func:`orgsim.query.divergence.divergence`).
    """
    intervals = sorted(
        ((interval.start, interval.end) for item in divergence(base, world).fields for interval in item.intervals),
        key=lambda pair: pair[0],
    )
    spans: list[Span] = []
    for start, end in intervals:
        if spans and (spans[-1].end is None or start <= spans[-1].end):
            last = spans[-1]
            if last.end is not None and (end is None or end > last.end):
                spans[-1] = Span(last.start, end)
            continue
        spans.append(Span(start, end))
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
