"""How orgsim's objects look in a Jupyter notebook: HTML tables in the one wording of the command line.

Importing this module registers a renderer for each displayable class with
:func:`orgsim.model.rendering.register_html` (it is imported by name the first time
such an object is displayed, so nothing needs to import it). Every table is
worded by the same functions as ``orgsim state`` and ``orgsim tenures``
(:func:`orgsim.views.wording.state_lines`, :mod:`orgsim.views.history`): a
notebook never words a state its own way, and an unknown value reads
``unknown`` with its reason, never vacant or zero.

A result type of another package (a sweep's results, say) shows itself the
same way: give it ``def _repr_html_(self): return html_of(self)`` and
register a renderer, which may build its table with :func:`html_table`.

>>> import orgsim
>>> html = orgsim.load_timeline().state_at("2023-11-18T12:00-08:00")._repr_html_()
>>> "<th>CEO</th><td>Mira Murati <em>(interim)</em></td>" in html
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape
from typing import Any

from orgsim.model.rendering import register_html
from orgsim.model.state import OrgState
from orgsim.query.divergence import Divergence
from orgsim.query.explain import Cited, Explanation
from orgsim.query.history import Tenures, sorted_by_kind
from orgsim.timeline import SourcedState, Timeline
from orgsim.times import display, in_zone
from orgsim.views.gantt import build_gantt, focus_period, rows_in_view
from orgsim.views.history import bound_text, holding_label
from orgsim.views.text import event_time, instant_line, source_name
from orgsim.views.wording import state_lines

SHOWN_ROWS = 200
"""Rows a notebook table shows at most (the rest are counted below it)."""

GANTT_ROWS = 16
"""Rows of a timeline's compact Gantt chart."""

GANTT_MAX_EVENTS = 200_000
"""Above this many events a timeline's summary leaves out the chart (building it walks every change)."""

_STYLE = (
    "<style>.orgsim table{border-collapse:collapse;font-size:90%}"
    ".orgsim th,.orgsim td{text-align:left;vertical-align:top;padding:2px 8px}"
    ".orgsim .sub th{padding-left:22px;font-weight:normal}.orgsim .unknown{color:#a33}"
    ".orgsim .bar{position:relative;height:14px;min-width:420px;background:#f4f4f4}"
    ".orgsim .bar span{position:absolute;top:1px;height:12px;background:#4a78b5;overflow:hidden;"
    "font-size:9px;color:#fff;white-space:nowrap}.orgsim .bar span.interim{background:#d08a2b}"
    ".orgsim .quote{color:#555;font-size:90%}</style>"
)


def html_table(header: Sequence[str] | None, rows: Iterable[Sequence[str]], *, escaped: bool = False) -> str:
    """A table of text cells (escaped, unless ``escaped`` says they are HTML already), at most :data:`SHOWN_ROWS`."""
    out = ["<table>"]
    if header:
        out.append("<tr>" + "".join(f"<th>{escape(cell)}</th>" for cell in header) + "</tr>")
    count = 0
    for row in rows:
        count += 1
        if count <= SHOWN_ROWS:
            cells = row if escaped else [escape(cell) for cell in row]
            out.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    out.append("</table>")
    if count > SHOWN_ROWS:
        out.append(f"<p>… and {count - SHOWN_ROWS:,} more rows</p>")
    return "".join(out)


def _frame(title: str, body: str) -> str:
    return f'<div class="orgsim">{_STYLE}<p><strong>{escape(title)}</strong></p>{body}</div>'


def state_html(state: OrgState, sources: dict[str, Any] | None = None) -> str:
    """The state table of ``orgsim state``: each line's label and values, sub-lines indented, unknowns marked."""
    home = state.manifest.home_zone
    org = state.manifest.organisation_name or state.manifest.organisation
    rows = []
    for line in state_lines(state):
        values = escape(line.text() if not line.tag else "; ".join(line.values))
        if line.tag:
            values += f" <em>({escape(line.tag)})</em>"
        unknown = any(value.startswith("unknown") for value in line.values)
        attrs = ' class="sub"' if line.sub else ""
        cell = f'<td class="unknown">{values}</td>' if unknown else f"<td>{values}</td>"
        rows.append(f"<tr{attrs}><th>{escape(line.label)}</th>{cell}</tr>")
    body = f"<p>{escape(instant_line(state, home))}</p><table>{''.join(rows)}</table>"
    if sources:
        cited = []
        for key, event in sources.items():
            quote = ""
            if event.sources:
                source = event.sources[0]
                words = escape(" ".join(source.quote.split()))
                quote = f'<div class="quote">{escape(source_name(source))}: «{words}»</div>'
            cited.append([escape(key), escape(event_time(event, home, home)), f"{escape(event.summary)}{quote}"])
        body += "<p>Sources (the latest event behind each answer)</p>" + html_table(None, cited, escaped=True)
    return _frame(f"{org} — timeline {state.timeline!r}", body)


def sourced_state_html(answer: SourcedState) -> str:
    """A state with the event and quote behind each headline answer."""
    return state_html(answer.state, dict(answer.sources))


def tenures_html(tenures: Tenures) -> str:
    """Tenures as ``orgsim tenures`` words them: what was held, by whom, from, to, for how long."""
    manifest = tenures.manifest
    tz = manifest.home_zone if manifest is not None else "UTC"
    rows = []
    for tenure in sorted_by_kind(tenures):
        held = holding_label(tenure, manifest) if manifest is not None else f"{tenure.kind} {tenure.key}"
        rows.append(
            [
                held,
                tenure.names.get(tenure.person, tenure.person),
                bound_text(tenure.start, tz, tz),
                bound_text(tenure.end, tz, tz),
                tenure.duration_text(),
            ]
        )
    count = len(tenures)
    body = html_table(("held", "by", "from", "to", "for"), rows)
    return _frame(f"{count} tenure{'' if count == 1 else 's'} (times in {tz})", body)


def _cited(cited: Cited, tz: str) -> str:
    quote = ""
    if cited.quote:
        quote = f'<div class="quote">{escape(cited.document or "")}: «{escape(" ".join(cited.quote.split()))}»'
        if cited.translation and cited.translation != cited.quote:
            quote += f"<br>“{escape(' '.join(cited.translation.split()))}”"
        quote += "</div>"
    when = display(cited.at, tz, cited.precision)
    return f"{escape(when)} — {escape(cited.summary)} <code>[{escape(cited.id)}]</code>{quote}"


def _value(value: Any) -> str:
    if value is None:
        return "none (vacant)"
    if isinstance(value, dict) and "person" in value:
        return str(value["person"]) + (" (interim)" if value.get("interim") else "")
    if isinstance(value, list):
        return ", ".join(map(str, value)) if value else "nobody"
    return str(value)


def explanation_html(explanation: Explanation) -> str:
    """An explanation as ``orgsim explain`` gives it: the value, what set it, its causes, the counted vote, and the
    events but for which it would differ."""
    zone = _zone_of(explanation.at)
    title = f"{explanation.path} at {in_zone(explanation.at, zone).format('ddd YYYY-MM-DD HH:mm zz')}"
    if not explanation.known:
        return _frame(title, f'<p class="unknown">unknown: {escape(explanation.why_unknown or "")}</p>')
    rows = [["value", escape(_value(explanation.value))]]
    set_by = explanation.set_by
    rows.append(["set by", _cited(set_by, zone) if set_by else "no event (the state the timeline starts from)"])
    for cause in explanation.causes:
        rows.append(["&nbsp;" * 4 * cause.depth + "because of", _cited(cause, zone)])
    computed = explanation.computed
    if computed is not None:
        rows.append(["counted", escape(f"{computed.vote}: {computed.tally}")])
        rows.append(["directors", escape(", ".join(computed.directors))])
    if explanation.but_for is not None:
        found = explanation.but_for
        rows.append(["but for", escape(f"{len(found)} of the {explanation.considered} earlier events change it")])
        for but_for in found:
            without = _value(but_for.value) if but_for.known else "unknown"
            rows.append([f"without it: {escape(without)}", _cited(but_for.event, zone)])
    for note in explanation.notes:
        rows.append(["note", escape(note)])
    return _frame(title, html_table(None, rows, escaped=True))


def _zone_of(moment: datetime) -> str:
    """The zone an aware instant carries, by name where it has one (pendulum's), else its offset."""
    name = getattr(moment.tzinfo, "name", None)
    if isinstance(name, str):
        return name
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def divergence_html(story: Divergence) -> str:
    """A divergence story: each field, and each stretch of time in which the two worlds disagree on it."""
    if story.first is None:
        return _frame("The two worlds never differ", "")
    rows = []
    for item in story.fields:
        for interval in item.intervals:
            rows.append(
                [
                    item.path,
                    interval.start.isoformat(),
                    interval.end.isoformat() if interval.end else "never again",
                    _value(interval.history),
                    _value(interval.what_if),
                    ", ".join(interval.because),
                ]
            )
    header = ("field", "from", "until", "history", "what if", "because of")
    return _frame(f"First divergence at {story.first.isoformat()}", html_table(header, rows))


def timeline_html(timeline: Timeline) -> str:
    """A timeline's summary (name, events, span, zone, people, votes) and a compact Gantt chart of its focus."""
    records = timeline.records
    home = timeline.home_zone
    manifest = timeline.manifest
    summary = [["events", f"{len(records):,}"]]
    if records:
        summary.append(["from", display(records[0].at, home, records[0].precision)])
        summary.append(["to", display(records[-1].at, home, records[-1].precision)])
    summary.append(["home zone", home])
    summary.append(["people", f"{len(manifest.people):,}"])
    summary.append(["board votes", f"{sum(1 for r in records if r.type == 'board_vote'):,}"])
    if timeline.dropped:
        summary.append(["dropped (what-if)", f"{len(timeline.dropped):,}"])
    body = html_table(None, summary)
    if records and len(records) <= GANTT_MAX_EVENTS:
        body += _gantt(timeline)
    title = f"{manifest.title or manifest.name} — timeline {manifest.name!r}"
    return _frame(title, body)


def _gantt(timeline: Timeline) -> str:
    """Who held each office and board seat over the focus period, one bar per tenure (interim ones in orange)."""
    period = focus_period(timeline)
    if period is None:
        return ""
    start, end = period
    low, high = start.timestamp(), end.timestamp()
    span = max(high - low, 1.0)
    rows, left_out = rows_in_view(build_gantt(timeline), start, end, GANTT_ROWS)
    home = timeline.home_zone
    lines = []
    for row in rows:
        bars = []
        for tenure in row.tenures:
            begin = max(tenure.start.timestamp(), low)
            until = min(tenure.end.timestamp() if tenure.end is not None else high, high)
            if until < begin:
                continue
            left, width = 100 * (begin - low) / span, max(100 * (until - begin) / span, 0.4)
            kind = ' class="interim"' if tenure.interim else ""
            label = escape(tenure.name)
            bars.append(f'<span{kind} style="left:{left:.2f}%;width:{width:.2f}%" title="{label}">{label}</span>')
        lines.append([escape(row.label), f'<div class="bar">{"".join(bars)}</div>'])
    caption = f"<p>Who held what, {escape(display(start, home, 'day'))} to {escape(display(end, home, 'day'))}"
    caption += f" ({left_out:,} more rows not shown)</p>" if left_out else "</p>"
    return caption + html_table(None, lines, escaped=True)


register_html(OrgState, state_html)
register_html(SourcedState, sourced_state_html)
register_html(Tenures, tenures_html)
register_html(Explanation, explanation_html)
register_html(Divergence, divergence_html)
register_html(Timeline, timeline_html)
