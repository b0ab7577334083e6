"""The HTML report: one self-contained page to explore a timeline (and a what-if world beside it).

The page holds everything it needs: CSS and a small vanilla script read from
``orgsim/views/assets``, and the data as JSON. Every fact on it comes from the
library, computed here in Python:

* the tenures of each office and board seat (:mod:`orgsim.views.gantt`);
* the state (``OrgState.to_dict()``, the JSON state contract) after every
  instant that has events, plus the initial state: the page's time scrubber
  only picks the last of these at or before the chosen instant, so it answers
  exactly as ``orgsim state`` does;
* every event's time as stated and as resolved in each offered zone, and a
  table of UTC offsets per zone (from pendulum) that the script applies to
  draw the time axis and read typed instants; it does no zone arithmetic of
  its own.

>>> import orgsim
>>> html = build_report(orgsim.load_timeline("tests/fixtures/acme"))
>>> html.startswith("<!DOCTYPE html>") and "<script src=" not in html
True
"""

from __future__ import annotations

import html as html_text
import json
import re
from collections.abc import Sequence
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgsim.errors import OrgsimError
from orgsim.io.output import write_text
from orgsim.model.events import EventBase
from orgsim.timeline import Timeline
from orgsim.times import display, in_zone, isoformat, offset_table, zone
from orgsim.views.gantt import (
    CATEGORIES,
    CATEGORY_STYLE,
    Gantt,
    Row,
    build_gantt,
    divergent_spans,
    focus_period,
    office_label,
    office_order,
    person_colours,
)

if TYPE_CHECKING:
    from orgsim.whatif.scenarios import WhatIf

EXTRA_ZONES = ("UTC", "America/New_York", "Europe/London", "Europe/Paris", "Asia/Shanghai")
"""Zones the page offers besides the home zone and the one asked for."""

POOLED = ("offices", "board", "employees", "stakeholders", "people", "votes", "structure")
"""State sections stored once per distinct value in the page (states share most of them)."""

ENTRY_POOLED = ("stakeholders", "people", "votes")
"""Pooled sections whose entries are pooled one by one too (they change an entry at a time)."""

ENTRIES, KEYS = ".entries", ".keys"
"""Suffixes of the pools that hold a section's distinct entries and its distinct key lists."""


def build_report(
    timeline: Timeline,
    *,
    world: WhatIf | None = None,
    tz: str | None = None,
    title: str | None = None,
    focus: tuple[datetime, datetime] | None = None,
) -> str:
    """One self-contained HTML page showing ``timeline`` (and ``world``, a what-if, beneath it).

    ``tz`` is the zone the page first shows times in (default: the home zone;
    the reader can switch); ``title`` replaces the timeline's title; ``focus``
    sets the first zoom preset (default: the timeline's focus, see :func:`~orgsim.views.gantt.focus_period`).
    Raises :class:`~orgsim.errors.TimeInputError` for an unknown zone.
    """
    data = report_data(timeline, world=world, tz=tz, title=title, focus=focus)
    return render_page(data)


def write_report(path: str | Path, html: str) -> None:
    """Write the page to ``path`` atomically; :class:`~orgsim.errors.OutputError` if it cannot be written."""
    write_text(path, html)


# ---------------------------------------------------------------------------------------------- data


def report_data(
    timeline: Timeline,
    *,
    world: WhatIf | None = None,
    tz: str | None = None,
    title: str | None = None,
    focus: tuple[datetime, datetime] | None = None,
) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data (what :func:`build_report` embeds)."""
    home = timeline.home_zone
    shown = tz or home
    zone(shown)
    zones = list(dict.fromkeys([home, shown, *EXTRA_ZONES]))
    base_gantt = build_gantt(timeline)
    worlds: list[tuple[str, str, Timeline, Gantt]] = [("history", "History", timeline, base_gantt)]
    if world is not None:
        worlds.append(("whatif", f"What if: {world.scenario.title}", world, build_gantt(world)))

    moments = [e.at for _, _, t, _ in worlds for e in t.events]
    if world is not None:
        moments += [d.event.at for d in world.dropped]
    first = min(moments, key=_ms) if moments else None
    last = max(moments, key=_ms) if moments else None

    pools = _Pools()
    worlds_data = [
        _world_data(key, label, t, g, zones, home, pools, base=timeline if key == "whatif" else None)
        for key, label, t, g in worlds
    ]
    steps = sorted({b for w in worlds_data for b in w["boundaries"] if b is not None})
    offices = office_order([office for section in pools.values["offices"] for office in section])

    presets: list[dict[str, Any]] = []
    window = focus if focus is not None else focus_period(timeline)
    if window is not None:
        presets.append(
            {"label": _days_label(window[0], window[1], home), "start": _ms(window[0]), "end": _ms(window[1])}
        )
    if first is not None and last is not None:
        held = [t.start for _, _, _, g in worlds for row in g.rows for t in row.tenures]
        since = min(held, key=_ms) if held else None
        # when the offices fill only the end of a long timeline, a preset for the span they cover
        if since is not None and (_ms(last) - _ms(since)) < 0.6 * (_ms(last) - _ms(first)):
            presets.append({"label": _months_label(since, last, home), "start": _ms(since), "end": _ms(last)})
        presets.append({"label": "All", "start": _ms(first), "end": _ms(last)})

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
        "presets": presets,
        "steps": steps,
        "offices": [[office, office_label(office)] for office in offices],
        "colours": person_colours([g for _, _, _, g in worlds]),
        "categories": {"types": CATEGORIES, "style": CATEGORY_STYLE},
        "worlds": worlds_data,
        "pools": pools.values,
        "pooled": list(POOLED),
        "entry_pooled": list(ENTRY_POOLED),
        "divergent": [[_ms(s.start), _ms(s.end) if s.end else None] for s in divergent_spans(timeline, world)]
        if world is not None
        else [],
        "scenario": _scenario_data(world) if world is not None else None,
        "generator": _generator(),
    }


def _ms(instant: datetime) -> float:
    """Milliseconds since the Unix epoch (what the page's script counts in)."""
    return instant.timestamp() * 1000


def _world_data(
    key: str,
    label: str,
    timeline: Timeline,
    gantt: Gantt,
    zones: Sequence[str],
    home: str,
    pools: _Pools,
    *,
    base: Timeline | None,
) -> dict[str, Any]:
    states = [timeline.initial_state(), *(state for _, state in gantt.instants)]
    boundaries: list[float | None] = [None, *(_ms(at) for at, _ in gantt.instants)]
    return {
        "key": key,
        "label": label,
        "names": {pid: person.name for pid, person in timeline.manifest.people.items()},
        "boundaries": boundaries,
        "states": [pools.pack(state.to_dict()) for state in states],
        "rows": [_row_data(row) for row in gantt.rows],
        "headcount": [{"t": _ms(r.at), "v": r.value, "q": r.qualifier} for r in gantt.headcount],
        "signatures": [{"t": _ms(r.at), "v": r.value, "q": r.qualifier} for r in gantt.signatures],
        "events": _events_data(timeline, zones, home, base),
    }


class _Pools:
    """Distinct values of the state sections, each stored once; packed states refer to them by index.

    States after consecutive events differ in a section or two, so a page
    holds each distinct section (and each distinct person, stakeholder or
    vote entry) once, however many states share it.
    """

    def __init__(self) -> None:
        names = [*POOLED, *(section + suffix for section in ENTRY_POOLED for suffix in (ENTRIES, KEYS))]
        self.values: dict[str, list[Any]] = {name: [] for name in names}
        self._index: dict[str, dict[str, int]] = {name: {} for name in names}
        self._last: dict[str, dict[str, tuple[Any, int]]] = {name: {} for name in names}

    def intern(self, pool: str, value: Any, slot: str = "") -> int:
        """The index of ``value`` in ``pool``, added if new (``slot`` remembers the last value seen there)."""
        last = self._last[pool].get(slot)
        if last is not None and last[0] == value:
            return last[1]
        text = json.dumps(value, sort_keys=True)
        index = self._index[pool].get(text)
        if index is None:
            index = self._index[pool][text] = len(self.values[pool])
            self.values[pool].append(value)
        self._last[pool][slot] = (value, index)
        return index

    def pack(self, state: dict[str, Any]) -> dict[str, Any]:
        """The state with each pooled section replaced by its index (``at`` left out: the page labels states)."""
        packed = {key: value for key, value in state.items() if key != "at"}
        for key in POOLED:
            value = state[key]
            if key in ENTRY_POOLED:
                # [index of the key list, [index of each entry]]: the keys (people ids...) are written once
                value = [
                    self.intern(key + KEYS, list(value)),
                    [self.intern(key + ENTRIES, entry, name) for name, entry in value.items()],
                ]
            packed[key] = self.intern(key, value)
        return packed


def expand_state(packed: dict[str, Any], pools: dict[str, list[Any]]) -> dict[str, Any]:
    """A state as embedded in the page, with its pooled sections put back (the inverse of packing)."""
    state: dict[str, Any] = {}
    for key, value in packed.items():
        if key not in POOLED:
            state[key] = value
            continue
        section = pools[key][value]
        if key in ENTRY_POOLED:
            names, indexes = pools[key + KEYS][section[0]], section[1]
            section = {name: pools[key + ENTRIES][index] for name, index in zip(names, indexes, strict=True)}
        state[key] = section
    return state


def _row_data(row: Row) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "key": row.key,
        "label": row.label,
        "bars": [
            {
                "p": t.person,
                "n": t.name,
                "s": _ms(t.start),
                "e": _ms(t.end) if t.end else None,
                "i": t.interim,
                "r": t.role,
                "sb": t.started_by,
                "eb": t.ended_by,
            }
            for t in row.tenures
        ],
        "chair": [{"s": _ms(s.start), "e": _ms(s.end) if s.end else None} for s in row.chair],
    }


def _events_data(timeline: Timeline, zones: Sequence[str], home: str, base: Timeline | None) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    files = _Files(timeline.folder)
    base_ids = {e.id: e for e in base.recorded} if base is not None else {}
    for event in timeline.events:
        status = "applied"
        changed: list[str] = []
        if event.generated_by:
            status = "generated"
        elif base is not None and event.id not in base_ids:
            status = "inserted"
        elif base is not None and base_ids[event.id] != event:
            status = "changed"
            was = base_ids[event.id]
            changed = [f for f in type(event).model_fields if getattr(was, f, None) != getattr(event, f, None)]
        record = _event_record(event, timeline, zones, home, status, files)
        if changed:
            record["changed"] = changed
            record["was_local"] = {z: display(base_ids[event.id].at, z, event.precision) for z in zones}
        records.append(record)
    for dropped in timeline.dropped:
        record = _event_record(dropped.event, timeline, zones, home, "dropped", files)
        record["reason"] = dropped.reason
        record["chain"] = list(dropped.chain)
        records.append(record)
    records.sort(key=lambda r: r["t"])
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


def _scenario_data(world: WhatIf) -> dict[str, Any]:
    scenario = world.scenario
    return {
        "title": scenario.title,
        "description": scenario.description,
        "policy": scenario.policy,
        "source": _Files(world.folder).shown(world.source),
        "dropped": len(world.dropped),
        "generated": len(world.generated()),
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
        "{{JS}}": _asset("report.js"),
    }
    parts = re.split(r"(\{\{[A-Z]+\}\})", _asset("report.html"))
    markers = [part for part in parts if part in replacements]
    if sorted(markers) != sorted(replacements):
        raise OrgsimError(
            "report template: each placeholder must appear exactly once", file="orgsim/views/assets/report.html"
        )
    return "".join(replacements.get(part, part) for part in parts)
