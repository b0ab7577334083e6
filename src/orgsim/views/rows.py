"""Rows for spreadsheets and pipelines: the CSV and JSON Lines that commands print with ``--format csv|jsonl``.

Each command that prints rows names its columns here, once, in a tuple
(:data:`EVENT_COLUMNS`, :data:`DIFF_COLUMNS`, ...); the README lists them as
the contract, and a test pins them. Both formats carry the same rows:

* CSV (the standard library's :mod:`csv`, a header line first): ``true`` /
  ``false`` for booleans, an empty cell for nothing (null), several ids in
  one cell joined by ``;``, a structured value (an office holder, a vote) as
  compact JSON; control characters made visible, as every text output does;
* JSON Lines: one JSON object per row, the same keys with typed values.

Every instant is ISO-8601 with its offset, in the zone the command names
(``--tz``, else the timeline's home zone).

>>> print(csv_text(("event", "interim"), [("2023-11-17-murati", True)]), end="")
event,interim
2023-11-17-murati,true
>>> print(jsonl_text([{"event": "2023-11-17-murati", "interim": True}]), end="")
{"event": "2023-11-17-murati", "interim": true}
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from orgsim.errors import json_printable, printable
from orgsim.model.events import EventBase, people_named
from orgsim.model.knowledge import Unknown
from orgsim.query.diff import Difference
from orgsim.times import isoformat

EVENT_COLUMNS = (
    "id",
    "type",
    "at",
    "precision",
    "zone",
    "reported_at",
    "status",
    "summary",
    "person",
    "office",
    "interim",
    "count",
    "qualifier",
    "people",
    "caused_by",
    "generated_by",
    "file",
    "sources",
    "document",
    "quote",
    "translation",
    "url",
)
"""``orgsim events --format csv``: one row per event; ``sources`` is how many it has, ``document`` to ``url`` the
first one's (``--format jsonl`` gives every field of every event, as ``--format json`` does)."""

DIFF_COLUMNS = ("scope", "event", "at", "summary", "path", "before", "after")
"""``orgsim diff --format csv``: one row per change; ``scope`` is ``step`` (one event's change, ``event``, ``at`` and
``summary`` naming it) or ``net`` (from ``--from`` to ``--to`` as a whole, the event columns empty)."""

DIVERGENCE_COLUMNS = ("path", "start", "end", "history", "what_if", "because")
"""``orgsim scenario diff FILE --format csv``: one row per stretch of time in which a field differs; ``end`` empty
when the worlds never agree again; ``because`` the responsible events' ids."""

SIDE_BY_SIDE_COLUMNS = ("at", "path", "history", "what_if")
"""``orgsim scenario diff FILE --at T --format csv``: one row per field that differs at that instant."""


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The rows as CSV text under ``header`` (see the module's documentation for how values are written)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(cells(row))
    return out.getvalue()


def jsonl_text(objects: Iterable[Mapping[str, Any]]) -> str:
    """One compact JSON object per line (control characters as ``\\u`` escapes, as in every JSON output); an
    unknown value is null, as in the state contract."""
    return "".join(json_printable(json.dumps(obj, ensure_ascii=False, default=_null)) + "\n" for obj in objects)


def _null(value: Any) -> None:
    if isinstance(value, Unknown):
        return None
    raise TypeError(f"{type(value).__name__} is not JSON data")


def cells(values: Iterable[Any]) -> list[str]:
    """CSV cells: booleans as true/false, nothing for None, ``unknown`` for an unknown value, lists of ids joined
    by ``;``, structures as JSON."""
    found = []
    for value in values:
        if value is None:
            found.append("")
        elif isinstance(value, Unknown):
            found.append("unknown")
        elif isinstance(value, bool):
            found.append("true" if value else "false")
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            found.append(printable(";".join(value)))
        elif isinstance(value, dict | list | tuple):
            found.append(printable(json.dumps(value, ensure_ascii=False, separators=(",", ":"))))
        else:
            found.append(printable(str(value)))
    return found


def event_rows(events: Sequence[EventBase], origins: Mapping[str, str], tz: str) -> list[dict[str, Any]]:
    """The rows of ``orgsim events --format csv`` (keys: :data:`EVENT_COLUMNS`)."""
    rows = []
    for event in events:
        first = event.sources[0] if event.sources else None
        rows.append(
            {
                "id": event.id,
                "type": getattr(event, "type", None),  # each kind declares its own literal type
                "at": isoformat(event.at, tz),
                "precision": event.precision,
                "zone": event.zone,
                "reported_at": isoformat(event.reported_at, tz) if event.reported_at else None,
                "status": event.status,
                "summary": event.summary,
                "person": _field(event, "person"),
                "office": _field(event, "office"),
                "interim": _field(event, "interim"),
                "count": _field(event, "count"),
                "qualifier": _field(event, "qualifier"),
                "people": list(dict.fromkeys(people_named(event))),
                "caused_by": list(event.caused_by),
                "generated_by": event.generated_by,
                "file": origins.get(event.id),
                "sources": len(event.sources),
                "document": first.document if first else None,
                "quote": first.quote if first else None,
                "translation": first.translation if first else None,
                "url": first.url if first else None,
            }
        )
    return rows


def _field(event: EventBase, name: str) -> Any:
    """The event kind's own field ``name``, None when its kind has none."""
    return getattr(event, name, None) if name in type(event).model_fields else None


def diff_rows(
    steps: Sequence[tuple[EventBase, Sequence[Difference]]], net: Sequence[Difference], tz: str
) -> list[dict[str, Any]]:
    """The rows of ``orgsim diff --format csv`` (keys: :data:`DIFF_COLUMNS`): each step's changes, then the net."""
    rows = [
        {
            "scope": "step",
            "event": event.id,
            "at": isoformat(event.at, tz),
            "summary": event.summary,
            "path": change.path,
            "before": change.before,
            "after": change.after,
        }
        for event, changes in steps
        for change in changes
    ]
    unnamed = {"scope": "net", "event": None, "at": None, "summary": None}
    rows += [{**unnamed, "path": c.path, "before": c.before, "after": c.after} for c in net]
    return rows


def divergence_rows(story: Any, tz: str) -> list[dict[str, Any]]:
    """The rows of ``orgsim scenario diff --format csv`` (keys: :data:`DIVERGENCE_COLUMNS`), field by field."""
    return [
        {
            "path": field.path,
            "start": isoformat(interval.start, tz),
            "end": isoformat(interval.end, tz) if interval.end is not None else None,
            "history": interval.history,
            "what_if": interval.what_if,
            "because": list(interval.because),
        }
        for field in story.fields
        for interval in field.intervals
    ]


def side_by_side_rows(at: Any, changes: Sequence[Difference], tz: str) -> list[dict[str, Any]]:
    """The rows of ``orgsim scenario diff --at T --format csv`` (keys: :data:`SIDE_BY_SIDE_COLUMNS`)."""
    shown = isoformat(at, tz)
    return [{"at": shown, "path": c.path, "history": c.before, "what_if": c.after} for c in changes]


def rows_text(fmt: str, header: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    """``rows`` (dicts keyed by ``header``) as ``csv`` or ``jsonl`` text."""
    if fmt == "csv":
        return csv_text(header, ([row[key] for key in header] for row in rows))
    return jsonl_text(rows)
