"""The HTML report: one self-contained page to explore a timeline (and a what-if world beside it).

The page holds everything it needs: CSS and a small vanilla script read from
``orgsim/views/assets``, and the data as JSON. Every fact on it comes from the
library, computed here in Python:

* the tenures of each office and board seat (:mod:`orgsim.views.gantt`);
* the state (``OrgState.to_dict()``, the JSON state contract) at every
  instant the page offers, each with the instant until which it holds: the
  page's time scrubber only picks the last of these at or before the chosen
  instant, so it answers exactly as ``orgsim state`` does, and says so when
  the page does not hold the state of an instant;
* every event's time as stated and as resolved in each offered zone, and a
  table of UTC offsets per zone (from pendulum) that the script applies to
  draw the time axis and read typed instants; it does no zone arithmetic of
  its own.

A page covers the timeline, or the range from ``start`` to ``end``. Its size
is bounded whatever the timeline's: beyond ``max_events`` events in the range,
an evenly spread sample of them is on the page, with the states at their
instants, and the page (and :func:`page_warnings`) says what was left out.

>>> import orgsim
>>> html = build_report(orgsim.load_timeline("tests/fixtures/acme"))
>>> html.startswith("<!DOCTYPE html>") and "<script src=" not in html
True
"""

from __future__ import annotations

import html as html_text
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgsim.engine import changes as log
from orgsim.engine.replay import Dropped
from orgsim.errors import OrgsimError, TimeInputError
from orgsim.io.output import write_text
from orgsim.model.events import EventBase
from orgsim.model.knowledge import UNKNOWN
from orgsim.model.records import EventRecord
from orgsim.timeline import Timeline
from orgsim.times import InstantLike, display, in_zone, isoformat, offset_table, zone
from orgsim.views.gantt import (
    CATEGORIES,
    CATEGORY_STYLE,
    MAX_ROWS,
    Gantt,
    Reading,
    Row,
    Span,
    build_gantt,
    divergent_spans,
    focus_period,
    office_order,
    person_colours,
)
from orgsim.views.packing import ENTRY_POOLED, LINES, POOLED, Pools
from orgsim.views.wording import office_label, qualified, state_lines

if TYPE_CHECKING:
    from orgsim.sweeps.results import SweepResults
    from orgsim.whatif.scenarios import WhatIf

EXTRA_ZONES = ("UTC", "America/New_York", "Europe/London", "Europe/Paris", "Asia/Shanghai")
"""Zones the page offers besides the home zone and the one asked for."""

MAX_EVENTS = 3000
"""Events a page carries in full per world; beyond that, an evenly spread sample (and the states at their instants)."""

LARGE_PAGE = 10_000_000
"""Bytes above which ``orgsim report`` warns that the page is large."""

SWEEP_VALUES = 4
"""Values of a measured path drawn above the history (the likeliest at some instant); the rest are summed up."""


def build_report(
    timeline: Timeline,
    *,
    world: WhatIf | None = None,
    tz: str | None = None,
    title: str | None = None,
    focus: tuple[datetime, datetime] | None = None,
    start: InstantLike | None = None,
    end: InstantLike | None = None,
    max_events: int = MAX_EVENTS,
    sweep: SweepResults | None = None,
) -> str:
    """One self-contained HTML page showing ``timeline`` (and ``world``, a what-if, beneath it).

    ``tz`` is the zone the page first shows times in (default: the home zone;
    the reader can switch); ``title`` replaces the timeline's title; ``focus``
    sets the first zoom preset (default: the timeline's focus, see
    :func:`~orgsim.views.gantt.focus_period`). ``start`` and ``end`` limit the
    page to a range, read as ``--from`` and ``--to`` are (naive input in ``tz``;
    a bare date is the start of that day for ``start``, its end for ``end``).
    ``sweep``, the results of a sweep (:func:`orgsim.sweep`) on this timeline,
    draws each measured outcome's probability over time above the history.
    Raises :class:`~orgsim.errors.TimeInputError` for an unknown zone or a
    range that ends before it starts.
    """
    data = report_data(
        timeline,
        world=world,
        tz=tz,
        title=title,
        focus=focus,
        start=start,
        end=end,
        max_events=max_events,
        sweep=sweep,
    )
    return render_page(data)


def write_report(path: str | Path, html: str) -> None:
    """Write the page to ``path`` atomically; :class:`~orgsim.errors.OutputError` if it cannot be written."""
    write_text(path, html)


def page_warnings(data: dict[str, Any], size: int, large: int = LARGE_PAGE) -> list[str]:
    """What to tell the user about a page of ``size`` bytes: what it leaves out, and whether it is large."""
    warnings = list(data["notes"])
    if size > large:
        warnings.append(
            f"the page is {size / 1e6:,.1f} MB: browsers may be slow to open it; "
            "narrow its range with --from/--to for a smaller one"
        )
    return warnings


# ---------------------------------------------------------------------------------------------- data


@dataclass(slots=True)
class _World:
    """One world of the page and the part of it in the page's range."""

    key: str
    label: str
    timeline: Timeline
    gantt: Gantt
    low: int
    """Position of the first applied event in the range."""
    high: int
    """Position after the last applied event in the range."""
    dropped: list[Dropped]
    """Events in the range that did not happen in this world."""
    shown: list[EventRecord | EventBase]
    """The events the page carries, in order (all of those in the range, or a sample)."""

    @property
    def total(self) -> int:
        """How many events (applied or dropped) the range holds in this world."""
        return self.high - self.low + len(self.dropped)


def report_data(
    timeline: Timeline,
    *,
    world: WhatIf | None = None,
    tz: str | None = None,
    title: str | None = None,
    focus: tuple[datetime, datetime] | None = None,
    start: InstantLike | None = None,
    end: InstantLike | None = None,
    max_events: int = MAX_EVENTS,
    sweep: SweepResults | None = None,
) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data (what :func:`build_report` embeds)."""
    home = timeline.home_zone
    shown = str(zone(tz or home).name)  # as the zone calls itself: one entry per zone in the page's list
    low = timeline.resolve(start, shown, bound="start") if start is not None else None
    high = timeline.resolve(end, shown) if end is not None else None
    if low is not None and high is not None and high < low:
        raise TimeInputError(f"the page would end ({high.isoformat()}) before it starts ({low.isoformat()})")
    zones = list(dict.fromkeys([home, shown, *EXTRA_ZONES]))
    worlds = [_World("history", "History", timeline, build_gantt(timeline), 0, 0, [], [])]
    if world is not None:
        worlds.append(_World("whatif", f"What if: {world.scenario.title}", world, build_gantt(world), 0, 0, [], []))
    for w in worlds:
        _select(w, low, high, max_events)

    moments = [m for w in worlds for m in _range_ends(w)]
    first = low if low is not None else min(moments, key=_ms, default=None)
    last = high if high is not None else max(moments, key=_ms, default=None)

    # the instants whose state the page holds: those of the events it carries, in every world, and those at which
    # what the timeline knows changes with no event (a coverage starts or ends, a count's report goes stale)
    knowing = set(knowledge_changes(timeline, first, last))
    instants = sorted({epoch for w in worlds for epoch in _applied_epochs(w)} | knowing)
    pools = Pools()
    files = _Files(timeline.folder)
    worlds_data = [
        _world_data(w, instants, (low, high), zones, home, pools, files, base=timeline if w.key == "whatif" else None)
        for w in worlds
    ]
    offices = office_order(sorted({office for data in worlds_data for office in data.pop("offices")}))

    presets: list[dict[str, Any]] = []
    window = focus if focus is not None else focus_period(timeline)
    if window is not None and first is not None and last is not None:
        window = (max(window[0], first, key=_ms), min(window[1], last, key=_ms))
    if window is not None and _ms(window[0]) < _ms(window[1]):
        presets.append(
            {"label": _days_label(window[0], window[1], home), "start": _ms(window[0]), "end": _ms(window[1])}
        )
    if first is not None and last is not None:
        held = [t.start for w in worlds for row in _rows_in(w.gantt, low, high) for t in row.tenures]
        since = max(min(held, key=_ms), first, key=_ms) if held else None
        # when the offices fill only the end of a long timeline, a preset for the span they cover
        if since is not None and (_ms(last) - _ms(since)) < 0.6 * (_ms(last) - _ms(first)):
            presets.append({"label": _months_label(since, last, home), "start": _ms(since), "end": _ms(last)})
        presets.append({"label": "All", "start": _ms(first), "end": _ms(last)})

    notes = [note for w in worlds for note in _sample_notes(w, len(worlds) > 1)]
    manifest = timeline.manifest
    organisation = manifest.organisation_name or manifest.organisation
    return {
        "title": title or manifest.title or f"{organisation}: who held what, when",
        "organisation": organisation,
        "timeline": manifest.name,
        "description": manifest.description,
        "home_zone": home,
        "zone": shown,
        "zones": [{"name": z, "table": offset_table(z, first, last)} for z in zones],
        "range": [_ms(first), _ms(last)] if first is not None and last is not None else None,
        "limits": [_ms(low) if low is not None else None, _ms(high) if high is not None else None],
        "presets": presets,
        "steps": [epoch * 1000 for epoch in instants],
        "offices": [[office, office_label(office)] for office in offices],
        "colours": person_colours([w.gantt for w in worlds]),
        "categories": {"types": CATEGORIES, "style": CATEGORY_STYLE},
        "worlds": worlds_data,
        "known": _known_data(timeline, worlds[0], first, last, pools, max_events) if world is None else None,
        "pools": pools.values,
        "pooled": list(POOLED),
        "entry_pooled": list(ENTRY_POOLED),
        "divergent": [_span(s) for s in divergent_spans(timeline, world) if _in_range(s, low, high)]
        if world is not None
        else [],
        "scenario": _scenario_data(world, files) if world is not None else None,
        "sweep": sweep_data(sweep) if sweep is not None else None,
        "notes": notes,
        "max_rows": MAX_ROWS,
        "generator": _generator(),
    }


def _ms(instant: datetime) -> float:
    """Milliseconds since the Unix epoch (what the page's script counts in)."""
    return instant.timestamp() * 1000


def _span(span: Span) -> list[float | None]:
    return [_ms(span.start), _ms(span.end) if span.end else None]


def _in_range(span: Span, low: datetime | None, high: datetime | None) -> bool:
    return (high is None or span.start <= high) and (low is None or span.end is None or span.end >= low)


def _select(w: _World, low: datetime | None, high: datetime | None, max_events: int) -> None:
    """Find the world's events in the range, and the ones the page carries (all, or an even sample)."""
    replay = w.timeline.replay
    w.low = 0 if low is None else bisect_left(replay.times, low.timestamp())
    w.high = len(replay.times) if high is None else bisect_right(replay.times, high.timestamp())
    w.dropped = [
        d for d in w.timeline.dropped if (low is None or d.event.at >= low) and (high is None or d.event.at <= high)
    ]
    events: list[EventRecord | EventBase] = [*replay.applied[w.low : w.high], *(d.event for d in w.dropped)]
    if w.dropped:
        events.sort(key=lambda e: e.at.timestamp())  # stable: an applied event stays before a dropped one
    if len(events) > max_events:
        step = len(events) / max_events
        events = [events[int(i * step)] for i in range(max_events)]
    w.shown = events


def _range_ends(w: _World) -> list[datetime]:
    """The first and last instants of the world's events in the range."""
    applied = w.timeline.replay.applied
    ends = [applied[w.low].at, applied[w.high - 1].at] if w.high > w.low else []
    return ends + [d.event.at for d in w.dropped]


def _applied_epochs(w: _World) -> list[float]:
    dropped = {id(d.event) for d in w.dropped}
    return [e.at.timestamp() for e in w.shown if id(e) not in dropped]


def _sample_notes(w: _World, named: bool) -> list[str]:
    """What the page leaves out of this world's range (nothing, unless the range holds more than it carries)."""
    if len(w.shown) == w.total:
        return []
    prefix = f"{w.label}: " if named else ""
    return [
        f"{prefix}the page carries {len(w.shown):,} of the {w.total:,} events in its range (evenly spread), "
        "with the state at each of their instants; narrow the range with --from/--to to see every event"
    ]


def _world_data(
    w: _World,
    instants: Sequence[float],
    window: tuple[datetime | None, datetime | None],
    zones: Sequence[str],
    home: str,
    pools: Pools,
    files: _Files,
    *,
    base: Timeline | None,
) -> dict[str, Any]:
    replay = w.timeline.replay
    times = replay.times
    # the state before the range holds since the last event before it (since the beginning when there is none);
    # each state holds until the world's next event, which the page may not carry
    since: list[float | None] = [times[w.low - 1] if w.low else None, *instants]
    counts = [w.low, *(bisect_right(times, epoch) for epoch in instants)]
    until = [_next_change(times, instants, epoch) for epoch in since]
    offices: set[str] = set()
    packed = []
    for count, epoch in zip(counts, since, strict=True):  # one state at a time: at 10^5 events, a megabyte each
        # labelled with its instant: what the timeline knows (coverage, stale counts) depends on it
        state = replay.state_after(count, datetime.fromtimestamp(epoch, UTC) if epoch is not None else None)
        data = pools.state_dict(state, w.key)
        offices.update(data["offices"])
        entry = pools.pack(data, w.key)
        last = replay.applied[count - 1].summary if count else None
        # the state as orgsim words it (orgsim.views.wording): the panel shows these lines, it words nothing
        lines = [
            pools.intern(LINES, line.to_dict(), f"{w.key}:{line.key}") for line in state_lines(state, last_summary=last)
        ]
        entry["lines"] = pools.list_ref(f"{w.key}:lines", lines)
        packed.append(entry)
    low, high = window
    names = {pid: person.name for pid, person in w.timeline.manifest.people.items()}
    carried = {event.id for event in w.shown}
    return {
        "key": w.key,
        "label": w.label,
        "names": names,
        "boundaries": [None if epoch is None else epoch * 1000 for epoch in since],
        "until": [None if epoch is None else epoch * 1000 for epoch in until],
        "states": packed,
        "offices": offices,
        "rows": [_row_data(row, names, carried) for row in _rows_in(w.gantt, low, high)],
        "headcount": _readings(w.gantt.headcount, low, high),
        "signatures": _readings(w.gantt.signatures, low, high),
        "events": _events_data(w, zones, home, base, files),
        "total_events": w.total,
    }


def _known_data(
    timeline: Timeline, w: _World, first: datetime | None, last: datetime | None, pools: Pools, max_events: int
) -> dict[str, Any] | None:
    """The public's picture of the present at each instant of the range: the state as known then, and what was
    still hidden (None when every event of the range was public as it happened: the view would be the same)."""
    records = timeline.replay.applied[w.low : w.high]
    reported = [e.reported_at for e in records if e.reported_at is not None and e.reported_at != e.at]
    if not reported or first is None or last is None:
        return None
    low, high = first.timestamp(), last.timestamp()
    changes = sorted(
        set(timeline.replay.times[w.low : w.high])  # every event of the range, carried or not: each may change it
        | {r.timestamp() for r in reported if low <= r.timestamp() <= high}
        | set(knowledge_changes(timeline, first, last))
    )
    # At most max_events pictures, evenly spread, like the events: each holds until the public's picture next
    # changes, and the page says it does not hold the picture between that and the next one it carries.
    kept = _even_indices(len(changes), max_events)
    steps = [changes[i] for i in kept]
    since: list[float | None] = [None, *steps]
    until: list[float | None] = [changes[0] if changes else None, *(_next(changes, i) for i in kept)]
    packed = []
    for epoch in since:
        moment = datetime.fromtimestamp(epoch if epoch is not None else steps[0] - 1e-3, UTC)
        known = timeline.known_state(moment, moment)
        state = known.state
        entry = pools.pack(pools.state_dict(state, "known"), "known")
        last_event = state.last_event
        summary = timeline.event(last_event).summary if last_event else None
        lines = [
            pools.intern(LINES, line.to_dict(), f"known:{line.key}")
            for line in state_lines(state, last_summary=summary)
        ]
        entry["lines"] = pools.list_ref("known:lines", lines)
        entry["hidden"] = [[event_id, timeline.event(event_id).summary] for event_id in known.hidden]
        packed.append(entry)
    return {
        "key": "known",
        "label": "What the public knew then",
        "boundaries": [None if epoch is None else epoch * 1000 for epoch in since],
        "until": [None if epoch is None else epoch * 1000 for epoch in until],
        "states": packed,
        "events": [],
        "total_events": w.total,
        "carried_changes": len(steps),
        "total_changes": len(changes),  # the instants in the range at which the public's picture can change
    }


def _even_indices(count: int, most: int) -> list[int]:
    """``range(count)``, or ``most`` of it evenly spread (the first and the last included)."""
    if count <= most:
        return list(range(count))
    if most < 2:
        return [0][:most]
    return sorted({round(i * (count - 1) / (most - 1)) for i in range(most)})


def _next(values: Sequence[float], index: int) -> float | None:
    return values[index + 1] if index + 1 < len(values) else None


def _next_change(times: Sequence[float], instants: Sequence[float], epoch: float | None) -> float | None:
    """The first instant after ``epoch`` at which the state may change: the next event, or the next instant the page
    holds a state for (what the timeline knows changes there); None: there is none."""
    index = 0 if epoch is None else bisect_right(times, epoch)
    event = times[index] if index < len(times) else None
    later = 0 if epoch is None else bisect_right(instants, epoch)
    held = instants[later] if later < len(instants) else None
    found = [e for e in (event, held) if e is not None]
    return min(found) if found else None


def knowledge_changes(timeline: Timeline, low: datetime | None, high: datetime | None) -> list[float]:
    """The instants (Unix timestamps) in ``low``..``high`` at which what the timeline knows changes with no event:
    a coverage interval starts, or ends (the instant after its last), or a count's report stops being current."""
    found: set[float] = set()
    for spans in timeline.manifest.coverage_spans.values():
        for first, last in spans:
            found.add(first.timestamp())
            if last is not None:
                found.add(last.timestamp() + 1e-6)
    changes = timeline.replay.changes
    for table in (log.HEADCOUNT, log.SIGNATURES):
        for _, _, (_, _, detail) in changes.entries(table):
            if detail is not None and detail.expires is not None:
                found.add(detail.expires + 1e-6)
    first_epoch = float("-inf") if low is None else low.timestamp()
    last_epoch = float("inf") if high is None else high.timestamp()
    return sorted(epoch for epoch in found if first_epoch <= epoch <= last_epoch)


def _rows_in(gantt: Gantt, low: datetime | None, high: datetime | None) -> list[Row]:
    """The chart's rows cut to the range: only tenures (and chair spans) that overlap it, only rows with one."""
    if low is None and high is None:
        return list(gantt.rows)

    def overlaps(start: datetime, end: datetime | None) -> bool:
        return (high is None or start <= high) and (low is None or end is None or end >= low)

    rows = []
    for row in gantt.rows:
        tenures = tuple(t for t in row.tenures if overlaps(t.start, t.end))
        if tenures:
            chair = tuple(s for s in row.chair if overlaps(s.start, s.end))
            rows.append(Row(row.kind, row.key, row.label, tenures, chair))
    return rows


def _readings(readings: Sequence[Reading], low: datetime | None, high: datetime | None) -> list[dict[str, Any]]:
    """The figures reported in the range, and the one in force when it starts."""
    start = 0
    if low is not None:
        start = max(bisect_right([r.at.timestamp() for r in readings], low.timestamp()) - 1, 0)
    return [
        {"t": _ms(r.at), "v": r.value, "q": r.qualifier, "x": qualified(r.value, r.qualifier)}
        for r in readings[start:]
        if high is None or r.at <= high
    ]


def _row_data(row: Row, names: dict[str, str], carried: set[str]) -> dict[str, Any]:
    """A row for the page: each bar without what the page has elsewhere (names it knows, events it lacks)."""
    bars = []
    for t in row.tenures:
        bar: dict[str, Any] = {"p": t.person, "s": _ms(t.start), "e": _ms(t.end) if t.end else None}
        if names.get(t.person) != t.name:
            bar["n"] = t.name
        if t.interim:
            bar["i"] = True
        if t.role != "office":
            bar["r"] = t.role
        if t.started_by in carried:
            bar["sb"] = t.started_by
        if t.ended_by in carried:
            bar["eb"] = t.ended_by
        bars.append(bar)
    return {
        "kind": row.kind,
        "key": row.key,
        "label": row.label,
        "bars": bars,
        "chair": [{"s": _ms(s.start), "e": _ms(s.end) if s.end else None} for s in row.chair],
    }


def _events_data(
    w: _World, zones: Sequence[str], home: str, base: Timeline | None, files: _Files
) -> list[dict[str, Any]]:
    timeline = w.timeline
    dropped = {id(d.event): d for d in w.dropped}
    known = base.basis().positions if base is not None else {}
    records: list[dict[str, Any]] = []
    for item in w.shown:
        why = dropped.get(id(item))
        event = item if isinstance(item, EventBase) else item.to_event()
        if why is not None:
            record = _event_record(event, timeline, zones, home, "dropped", files)
            record["reason"] = why.reason
            record["chain"] = list(why.chain)
            records.append(record)
            continue
        status = "applied"
        changed: list[str] = []
        if event.generated_by:
            status = "generated"
        elif base is not None and event.id not in known:
            status = "inserted"
        elif base is not None:
            was = base.event(event.id)
            if was != event:
                status = "changed"
                changed = [f for f in type(event).model_fields if getattr(was, f, None) != getattr(event, f, None)]
        record = _event_record(event, timeline, zones, home, status, files)
        if changed and base is not None:
            record["changed"] = changed
            record["was_local"] = {z: display(base.event(event.id).at, z, event.precision) for z in zones}
        records.append(record)
    return records


def _event_record(
    event: EventBase, timeline: Timeline, zones: Sequence[str], home: str, status: str, files: _Files
) -> dict[str, Any]:
    return {
        "id": event.id,
        "t": _ms(event.at),
        "type": getattr(event, "type", "event"),
        "summary": event.summary,
        "precision": event.precision,
        "stated_at": event.stated_at,
        "reported_at": display(event.reported_at, home) if event.reported_at else None,
        "iso": isoformat(event.at, home),
        "local": {z: display(event.at, z, event.precision) for z in zones},
        "sources": [
            {"document": s.document, "quote": s.quote, "translation": s.translation, "external": s.external}
            for s in event.sources
        ],
        "caused_by": list(event.caused_by),
        "rationale": event.rationale,
        "generated_by": event.generated_by,
        "file": files.shown(timeline.origins.get(event.id)),
        "status": status,
        "details": _details(event, timeline),
    }


class _Files:
    """File names as the page shows them: relative to the timeline folder, never a path of this machine.

    Origins may be absolute, relative to the working directory or relative to
    the timeline folder; a file outside the folder (a scenario file) is shown
    by its name alone, so a shared page says nothing about where it was made.
    """

    def __init__(self, folder: Path | None) -> None:
        self._root = folder.resolve() if folder is not None else None
        self._shown: dict[str, str] = {}

    def shown(self, origin: str | None) -> str | None:
        """The name of ``origin`` for the page (None stays None)."""
        if origin is None:
            return None
        known = self._shown.get(origin)
        if known is None:
            known = self._shown[origin] = self._relative(Path(origin))
        return known

    def _relative(self, path: Path) -> str:
        if self._root is not None:
            candidates = (path,) if path.is_absolute() else (Path.cwd() / path, self._root / path)
            for candidate in candidates:
                try:
                    return candidate.resolve().relative_to(self._root).as_posix()
                except (ValueError, OSError):
                    continue
        return path.name


_PERSON_FIELDS = frozenset({"person", "replaces", "signatories", "hires", "releases", "people", "interested", "votes"})


def _details(event: EventBase, timeline: Timeline) -> list[list[str]]:
    """The kind-specific fields of an event (office, person, votes...) as label/value pairs, people by name."""
    common = set(EventBase.model_fields) | {"type"}
    people = timeline.manifest.people
    organisations = timeline.manifest.organisations

    def shown(field: str, value: object) -> str:
        if field == "office" and isinstance(value, str):
            return office_label(value)
        if field in _PERSON_FIELDS and isinstance(value, str) and value in people:
            return people[value].name
        if isinstance(value, str) and value in organisations:
            return organisations[value].name
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float) and value.is_integer():
            return f"{value:,.0f}"
        return str(value)

    pairs: list[list[str]] = []
    for name in type(event).model_fields:
        if name in common:
            continue
        value = getattr(event, name)
        if value is None or value == () or value == {} or value == "":
            continue
        if isinstance(value, dict):
            text = ", ".join(f"{shown(name, k)}: {shown('', v)}" for k, v in value.items())
        elif isinstance(value, tuple):
            text = ", ".join(shown(name, v) for v in value)
        else:
            text = shown(name, value)
        pairs.append([name.replace("_", " ").capitalize(), text])
    return pairs


def _scenario_data(world: WhatIf, files: _Files) -> dict[str, Any]:
    scenario = world.scenario
    return {
        "title": scenario.title,
        "description": scenario.description,
        "policy": scenario.policy,
        "source": files.shown(world.source),
        "dropped": len(world.dropped),
        "generated": len(world.generated()),
    }


def sweep_data(results: SweepResults) -> dict[str, Any]:
    """A sweep's results as the page draws them: per measured path, the probability of its likeliest values (and
    of the value history has) at each instant measured, with 95% intervals when sampled.

    >>> import orgsim
    >>> from orgsim.io.loading import bundled_scenarios_path
    >>> results = orgsim.sweep(bundled_scenarios_path() / "removal-vote-uncertain.yaml", enumerate=True)
    >>> data = sweep_data(results)
    >>> ceo = data["measures"][0]
    >>> [(series["label"], series["p"]) for series in ceo["series"]]
    [('as in history', [0.73828125]), ('mira-murati', [0.73828125]), ('sam-altman', [0.26171875])]
    """
    from orgsim.sweeps.measures import plain
    from orgsim.views.sweep import value_text

    instants = sorted({moment for moment, _ in results.keys}, key=_ms)
    paths = list(dict.fromkeys(path for _, path in results.keys))
    history = {key: plain(value) for key, value in zip(results.keys, results.history, strict=True)}
    measures = []
    for path in paths:
        dists = [results.distribution(moment, path) for moment in instants]
        peak: dict[str, tuple[float, Any]] = {}
        for shares in dists:
            for share in shares:
                key = "unknown" if share.value is UNKNOWN else json.dumps(share.value, sort_keys=True)
                if key not in peak or share.probability > peak[key][0]:
                    peak[key] = (share.probability, share.value)
        chosen = sorted(peak.items(), key=lambda item: -item[1][0])[:SWEEP_VALUES]
        agrees = [results.share(path, history[(moment, path)], moment) for moment in instants]
        exact = results.exact
        series = [_series("as in history", agrees, exact, history=True)]
        series += [
            _series(value_text(value), [results.share(path, value, moment) for moment in instants], exact)
            for _, (_, value) in chosen
        ]
        if len(peak) > len(chosen):
            rest = [1.0 - sum(p for p in point) for point in zip(*(s["p"] for s in series[1:]), strict=True)]
            series.append(
                {
                    "label": f"{len(peak) - len(chosen):,} other values",
                    "history": False,
                    "other": True,
                    "p": [max(0.0, p) for p in rest],
                    "low": None,
                    "high": None,
                }
            )
        measures.append(
            {"path": path, "history": [value_text(history[(moment, path)]) for moment in instants], "series": series}
        )
    return {
        "title": results.title,
        "exact": results.exact,
        "seed": results.seed,
        "worlds": results.worlds,
        "failed": results.failed,
        "inputs": [info.id for info in results.inputs],
        "instants": [_ms(moment) for moment in instants],
        "measures": measures,
    }


def _series(label: str, shares: Sequence[Any], exact: bool, *, history: bool = False) -> dict[str, Any]:
    return {
        "label": label,
        "history": history,
        "other": False,
        "p": [share.probability for share in shares],
        "low": None if exact else [share.low for share in shares],
        "high": None if exact else [share.high for share in shares],
    }


def _generator() -> str:
    try:
        from importlib.metadata import version

        return f"orgsim {version('orgsim')}"
    except Exception:  # a missing distribution only loses the version number
        return "orgsim"


# ---------------------------------------------------------------------------------------------- time


def _months_label(start: datetime, end: datetime, home: str) -> str:
    """``Nov 2023 – Sep 2024`` (home zone)."""
    a, b = in_zone(start, home).format("MMM YYYY"), in_zone(end, home).format("MMM YYYY")
    return a if a == b else f"{a} – {b}"


def _days_label(start: datetime, end: datetime, home: str) -> str:
    """``17–22 Nov 2023``, ``28 Feb – 5 Mar 2021`` or ``30 Dec 2020 – 2 Jan 2021`` (home zone)."""
    a, b = in_zone(start, home), in_zone(end, home)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.format('D MMM YYYY')}" if a.day != b.day else b.format("D MMM YYYY")
    if a.year == b.year:
        return f"{a.format('D MMM')} – {b.format('D MMM YYYY')}"
    return f"{a.format('D MMM YYYY')} – {b.format('D MMM YYYY')}"


# ---------------------------------------------------------------------------------------------- page


def _asset(name: str) -> str:
    return (resources.files("orgsim.views") / "assets" / name).read_text(encoding="utf-8")


def _json_for_script(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<`` can end it early or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_page(data: dict[str, Any]) -> str:
    """The HTML page for report data (as :func:`report_data` makes it)."""
    replacements = {
        "{{TITLE}}": html_text.escape(data["title"]),
        "{{CSS}}": _asset("report.css"),
        "{{DATA}}": _json_for_script(data),
        "{{JS}}": _asset("report-time.js") + "\n" + _asset("report.js"),
    }
    parts = re.split(r"(\{\{[A-Z]+\}\})", _asset("report.html"))
    markers = [part for part in parts if part in replacements]
    if sorted(markers) != sorted(replacements):
        raise OrgsimError(
            "report template: each placeholder must appear exactly once", file="orgsim/views/assets/report.html"
        )
    return "".join(replacements.get(part, part) for part in parts)
