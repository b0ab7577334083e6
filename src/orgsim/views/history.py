"""Tenures, a person's history, explanations and reporting lags as people read them: tables and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from orgsim.errors import printable
from orgsim.model.manifest import Manifest
from orgsim.query.explain import Explanation
from orgsim.query.history import Bound, Tenure, sorted_by_kind
from orgsim.query.known import LAG_COLUMNS, Lag
from orgsim.times import display, in_zone
from orgsim.views.text import Page
from orgsim.views.wording import office_label, organisation_name, qualified

_KIND_LABELS = {
    "office": "Office",
    "board": "Board seat",
    "chair": "Chair of the board",
    "stakeholder_seat": "Seat for a stakeholder",
    "leave": "Leave",
    "affiliation": "Affiliation",
}


def holding_label(tenure: Tenure, manifest: Manifest) -> str:
    """What was held, as a heading: ``CEO (interim)``, ``Board seat (observer, for Microsoft)``, ``Leave``."""
    if tenure.kind == "office":
        return office_label(tenure.key) + (" (interim)" if tenure.interim else "")
    if tenure.kind == "board":
        detail = [tenure.role] + (
            [f"for {organisation_name(manifest, tenure.representing)}"] if tenure.representing else []
        )
        return f"Board seat ({', '.join(detail)})"
    if tenure.kind == "stakeholder_seat":
        return f"{organisation_name(manifest, tenure.key)}'s board seat ({tenure.role})"
    if tenure.kind == "leave":
        return f"Leave ({tenure.key})"
    if tenure.kind == "affiliation":
        return f"With {organisation_name(manifest, tenure.key)}"
    return _KIND_LABELS[tenure.kind]


def bound_text(bound: Bound, tz: str, home_zone: str) -> str:
    """One end of a tenure: its time as precise as its event, ``ongoing`` or ``unknown (why)``."""
    if bound.ongoing:
        return "ongoing"
    if bound.at is None:
        return f"unknown ({bound.why})" if bound.why else "unknown"
    return display(bound.at, tz, bound.precision or "minute", home_zone)


def render_tenures(
    tenures: Sequence[Tenure], manifest: Manifest, tz: str, *, sources: bool = True, width: int | None = None
) -> str:
    """Tenures grouped by what was held, each with its start, end, duration and the events that mark its ends."""
    page = Page(width)
    if not tenures:
        page.add("No tenure matches.")
        return page.text()
    home = manifest.home_zone
    heading = None
    for tenure in sorted_by_kind(tenures):
        group = _group(tenure, manifest)
        if group != heading:
            if heading is not None:
                page.add("")
            page.add(printable(group))
            heading = group
        who = tenure.names.get(tenure.person, tenure.person)
        detail = _detail(tenure, manifest)
        page.add(printable(f"  {who}" + (f" — {detail}" if detail else "")))
        page.add(printable(f"    from  {bound_text(tenure.start, tz, home)}"))
        page.add(printable(f"    to    {bound_text(tenure.end, tz, home)}"))
        page.add(printable(f"    for   {tenure.duration_text()}"), hang=10)
        if sources:
            for word, bound in (("began", tenure.start), ("ended", tenure.end)):
                if bound.event:
                    page.add(printable(f"    {word}: [{bound.event}] {bound.summary}"), hang=6)
                    if bound.quote:
                        quote = " ".join(bound.quote.split())
                        page.add(printable(f"      {bound.document}: «{quote}»"), hang=7)
    return page.text()


def _group(tenure: Tenure, manifest: Manifest) -> str:
    """The heading a tenure is listed under: the office, the chair, a stakeholder's seat, or its kind."""
    if tenure.kind == "office":
        return office_label(tenure.key)
    if tenure.kind == "stakeholder_seat":
        return f"{organisation_name(manifest, tenure.key)}'s board seat"
    return {"board": "Board seats", "chair": "Chair of the board", "leave": "Leaves", "affiliation": "Affiliations"}[
        tenure.kind
    ]


def _detail(tenure: Tenure, manifest: Manifest) -> str:
    """What sets this holding apart within its heading: interim, the seat's role, the leave's kind, the employer."""
    if tenure.kind == "office":
        return "interim" if tenure.interim else ""
    if tenure.kind in ("board", "stakeholder_seat"):
        detail = [tenure.role]
        if tenure.kind == "board" and tenure.representing:
            detail.append(f"for {organisation_name(manifest, tenure.representing)}")
        return ", ".join(detail)
    if tenure.kind == "leave":
        return tenure.key
    if tenure.kind == "affiliation":
        return organisation_name(manifest, tenure.key)
    return ""


_CSV_FIELDS = (
    "kind",
    "key",
    "person",
    "name",
    "interim",
    "role",
    "representing",
    "start",
    "start_precision",
    "start_event",
    "start_why_unknown",
    "end",
    "end_precision",
    "end_event",
    "end_ongoing",
    "end_why_unknown",
    "duration_seconds",
    "shortest_seconds",
    "longest_seconds",
    "duration",
)


def tenures_csv(tenures: Sequence[Tenure], tz: str) -> str:
    """Tenures as CSV, one row each, instants in ``tz`` (ISO-8601), durations in seconds and in words."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_FIELDS)
    for tenure in tenures:
        data = tenure.to_dict(tz)
        start, end, duration = data["start"], data["end"], data["duration"]
        writer.writerow(
            _cells(
                [
                    data["kind"],
                    data["key"],
                    data["person"],
                    data["name"],
                    data["interim"],
                    data["role"],
                    data["representing"],
                    start["at"],
                    start["precision"],
                    start["event"],
                    start["why"],
                    end["at"],
                    end["precision"],
                    end["event"],
                    end["ongoing"],
                    end["why"],
                    duration["seconds"],
                    duration["shortest_seconds"],
                    duration["longest_seconds"],
                    duration["text"],
                ]
            )
        )
    return out.getvalue()


def _cells(values: list[Any]) -> list[str]:
    """CSV cells, written as every command's rows are (:func:`orgsim.views.rows.cells`)."""
    from orgsim.views.rows import cells

    return cells(values)


def render_explanation(explanation: Explanation, manifest: Manifest, tz: str, width: int | None = None) -> str:
    """An explanation as a reader follows it: the value, what set it, why that happened, and the but-for causes."""
    page = Page(width)
    home = manifest.home_zone
    at = in_zone(explanation.at, tz)
    page.add(printable(f"{explanation.path} at {at.format('ddd YYYY-MM-DD HH:mm zz')} ({at.isoformat()})"))
    if not explanation.known:
        page.add(printable(f"  unknown: {explanation.why_unknown}"))
        return page.text()
    page.add(printable(f"  value: {_value_text(explanation.value, manifest)}"))
    cited = explanation.set_by
    if cited is None:
        page.add("  set by: no event (the state the timeline starts from)")
    else:
        page.add("")
        page.add("Set by")
        _cite(page, cited, tz, home)
    if explanation.causes:
        page.add("")
        page.add("Because of (caused_by, back to the roots)")
        for cause in explanation.causes:
            _cite(page, cause, tz, home, indent=2 * cause.depth)
    computed = explanation.computed
    if computed is not None:
        page.add("")
        page.add(printable(f"Counted: {computed.vote}"))
        page.add(printable(f"  motion: {computed.motion}"), hang=4)
        page.add(printable(f"  tally: {computed.tally}"), hang=4)
        page.add(printable(f"  directors: {', '.join(computed.directors)}"), hang=4)
        rule = ", ".join(f"{key} {value}" for key, value in computed.rule.items() if value is not None)
        page.add(printable(f"  rule: {rule}"), hang=4)
    if explanation.but_for is not None:
        page.add("")
        found = explanation.but_for
        considered = explanation.considered
        page.add(f"But-for causes: {len(found)} of the {considered} earlier events change it when removed alone")
        for but_for in found:
            without = _value_text(but_for.value, manifest) if but_for.known else "unknown"
            event = but_for.event
            page.add(printable(f"  without [{event.id}]: {without}"), hang=4)
            page.add(printable(f"    {display(event.at, tz, event.precision, home)} — {event.summary}"), hang=6)
    for note in explanation.notes:
        page.add(printable(f"note: {note}"))
    return page.text()


def _cite(page: Page, cited: Any, tz: str, home: str, indent: int = 0) -> None:
    pad = " " * (2 + indent)
    page.add(printable(f"{pad}{display(cited.at, tz, cited.precision, home)} — {cited.summary}"), hang=len(pad) + 2)
    page.add(printable(f"{pad}  [{cited.id}]"))
    if cited.quote:
        page.add(printable(f"{pad}  {cited.document}: «{' '.join(cited.quote.split())}»"), hang=len(pad) + 3)
        if cited.translation and cited.translation != cited.quote:
            page.add(printable(f"{pad}  “{' '.join(cited.translation.split())}”"), hang=len(pad) + 3)


def _value_text(value: Any, manifest: Manifest) -> str:
    if value is None:
        return "none (vacant)"
    if isinstance(value, dict) and set(value) == {"count", "qualifier", "range"}:
        return qualified(value["count"], value["qualifier"], tuple(value["range"]) if value["range"] else None)
    if isinstance(value, dict) and "person" in value:
        person = manifest.people.get(value["person"])
        name = person.name if person else value["person"]
        return name + (" (interim)" if value.get("interim") else "")
    if isinstance(value, list):
        names = [manifest.people[v].name if isinstance(v, str) and v in manifest.people else str(v) for v in value]
        return "[" + ", ".join(names) + "]" if names else "nobody"
    if isinstance(value, str) and value in manifest.people:
        return manifest.people[value].name
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def render_lags(lags: Sequence[Lag], tz: str, home_zone: str, width: int | None = None) -> str:
    """Each event's delay between happening and becoming public, longest first."""
    page = Page(width)
    if not lags:
        page.add("Every event became public as it happened (no event has a reported_at of its own).")
        return page.text()
    for lag in lags:
        page.add(printable(f"{lag.text}: [{lag.event}]"), hang=4)
        happened = display(lag.at, tz, lag.precision, home_zone)
        public = display(lag.reported_at, tz, "minute", home_zone)
        page.add(printable(f"    happened {happened}, public {public}"), hang=4)
        page.add(printable(f"    {lag.summary}"), hang=4)
    return page.text()


def lags_csv(lags: Sequence[Lag], tz: str) -> str:
    """Lags as CSV: event, at, precision, reported_at, lag_seconds, lag_shortest_seconds, lag_longest_seconds, lag,
    summary."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LAG_COLUMNS)
    for lag in lags:
        data = lag.to_dict(tz)
        writer.writerow(_cells([data[key] for key in LAG_COLUMNS]))
    return out.getvalue()
