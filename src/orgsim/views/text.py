"""Text views for people: the state, the event listing and changes as readable tables.

Every renderer builds its page through :class:`Page`, which escapes each line
with :func:`~orgsim.errors.printable` (no text from a timeline or scenario can
reach the terminal as a control sequence or split a line) and wraps it to the
page width: ``COLUMNS`` or the terminal's width (see :func:`terminal_width`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from orgsim.errors import printable
from orgsim.model.events import EventBase, Source
from orgsim.model.knowledge import Unknown
from orgsim.model.manifest import Manifest
from orgsim.model.state import OrgState
from orgsim.times import display, in_zone, zone_name
from orgsim.views.wording import organisation_name, qualified, state_lines, usd

if TYPE_CHECKING:
    from orgsim.query.diff import Difference  # for annotations: orgsim state needs no diff

DEFAULT_WIDTH = 100
"""The page width when the output is not a terminal and ``COLUMNS`` is not set."""
MIN_WIDTH = 40
_LABEL = 29  # the value column of the state table


def terminal_width() -> int:
    """The width to wrap text to: ``COLUMNS``, else the terminal's, else :data:`DEFAULT_WIDTH` (at least 40)."""
    import shutil  # only a text page needs it

    return max(MIN_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def cells(text: str) -> int:
    """How many terminal columns ``text`` takes: a wide (CJK) character takes two, a combining mark none."""
    if text.isascii():
        return len(text)
    return sum(map(_cell, text))


@lru_cache(maxsize=4096)
def _cell(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


_TOKEN = re.compile(r" +|[^ ]")


def _tokens(text: str) -> list[str]:
    """Runs of spaces, runs of narrow characters, and each wide character alone (a line may break beside it)."""
    found: list[str] = []
    for piece in _TOKEN.findall(text):
        if piece[0] != " " and _cell(piece) < 2 and found and found[-1][0] != " " and _cell(found[-1][-1]) < 2:
            found[-1] += piece
        else:
            found.append(piece)
    return found


def wrap(text: str, width: int, hang: int = 0) -> list[str]:
    """``text`` cut into lines of at most ``width`` terminal columns, continuation lines indented by ``hang``.

    Lines break at spaces, or beside a wide character (CJK text has no
    spaces); a word longer than a line is cut. The text's own leading
    spaces are kept.

    >>> wrap("Sam Altman is fired as CEO", 12, hang=2)
    ['Sam Altman', '  is fired', '  as CEO']
    """
    if cells(text) <= width:
        return [text]
    hang = min(hang, width // 2)
    lines: list[str] = []
    line, used, fresh = "", 0, True  # fresh: nothing but indentation on the line yet
    for token in _tokens(text):
        size = cells(token)
        if token[0] == " ":
            if fresh and lines:
                continue  # a break swallows the spaces at it
            if used + size <= width:
                line, used = line + token, used + size
            else:
                lines.append(line.rstrip())
                line, used, fresh = " " * hang, hang, True
            continue
        if used + size > width and not fresh:
            lines.append(line.rstrip())
            line, used = " " * hang, hang
        for char in token if used + size > width else (token,):
            step = cells(char)
            if used + step > width and line.strip():
                lines.append(line.rstrip())
                line, used = " " * hang, hang
            line, used = line + char, used + step
        fresh = False
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns."""
    return text + " " * max(0, width - cells(text))


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, ``…`` marking a cut."""
    if cells(text) <= width:
        return text
    kept, used = "", 0
    for char in text:
        if used + _cell(char) > width - 1:
            break
        kept, used = kept + char, used + _cell(char)
    return kept + "…"


class Page:
    """Lines of text, each escaped and wrapped to ``width`` as it is added."""

    def __init__(self, width: int | None = None) -> None:
        self.width = max(MIN_WIDTH, width) if width is not None else terminal_width()
        self.lines: list[str] = []

    def add(self, text: str = "", hang: int | None = None) -> None:
        """Add one logical line; continuation lines are indented by ``hang`` (default: the line's own indent)."""
        text = printable(text)
        indent = len(text) - len(text.lstrip(" ")) if hang is None else hang
        self.lines.extend(wrap(text, self.width, indent) or [""])

    def row(self, label: str, value: str, column: int = _LABEL) -> None:
        """A ``label   value`` row of a table, the value wrapped in its column."""
        self.add(f"{_pad(label, column - 1)} {value}", hang=column)

    def clipped(self, text: str) -> None:
        """Add ``text`` cut to one line of the page width (``…`` marks a cut)."""
        self.lines.append(_clip(printable(text), self.width))

    def extend(self, lines: Iterable[str]) -> None:
        """Add several logical lines."""
        for line in lines:
            self.add(line)

    def text(self) -> str:
        """The page as one string."""
        return "\n".join(self.lines)


def event_time(event: EventBase, tz: str, home_zone: str) -> str:
    """When ``event`` happened as text in ``tz``, as precise as its source allows.

    A day-, month- or year-precision event is dated in the zone its source
    uses (its ``zone``, else ``home_zone``), named when it is not ``tz``.
    """
    return display(event.at, tz, event.precision, event.zone or home_zone)


def instant_line(state: OrgState, home_zone: str, tz: str | None = None) -> str:
    """The resolved instant, in the home zone and (when different) the asked zone."""
    if state.at is None:
        return "at: (no instant)"
    home = in_zone(state.at, home_zone)
    text = f"at {home.format('ddd YYYY-MM-DD HH:mm zz')} ({home.isoformat()})"
    if tz and zone_name(tz) != zone_name(home_zone):
        text += f" = {heading_instant(state.at, home_zone, tz)}"
    return text


def heading_instant(instant: datetime, home_zone: str, tz: str | None = None) -> str:
    """An instant as a heading words it: in the asked zone named as ``--tz`` accepts it (``Asia/Shanghai``, not the
    ``CST`` that zones at three offsets use), else in the home zone with its abbreviation.

    >>> from datetime import datetime, timezone
    >>> heading_instant(datetime(2023, 11, 17, 20, 0, tzinfo=timezone.utc), "America/Los_Angeles", "Asia/Shanghai")
    'Sat 2023-11-18 04:00 Asia/Shanghai'
    """
    if tz and zone_name(tz) != zone_name(home_zone):
        return f"{in_zone(instant, tz).format('ddd YYYY-MM-DD HH:mm')} {zone_name(tz)}"
    return in_zone(instant, home_zone).format("ddd YYYY-MM-DD HH:mm zz")


def render_state(
    state: OrgState, home_zone: str, tz: str | None = None, title: str | None = None, width: int | None = None
) -> str:
    """The state as a person would want to read it."""
    page = Page(width)
    org = state.manifest.organisation_name or state.manifest.organisation
    page.add(f"{title or org} — timeline {state.timeline!r}")
    page.add(instant_line(state, home_zone, tz), hang=3)
    page.add()
    _state_page(page, _state_rows(state))
    return page.text()


def render_known_notes(known: Any, timeline: Any, tz: str, width: int | None = None) -> str:
    """What a known-at answer could not see: the events not yet public then, and those that could not apply."""
    page = Page(width)
    records = {record.id: record for record in timeline.records}
    if not known.hidden:
        page.add("Everything that had happened by then was public: this is the state as it happened.")
        return page.text()
    page.add(f"Not yet public then ({len(known.hidden)} event(s) that had happened):")
    for event_id in known.hidden:
        record = records.get(event_id)
        if record is None:
            continue
        public = display(record.reported_at or record.at, tz, "minute")
        page.add(printable(f"  [{event_id}] public {public}: {record.summary}"), hang=4)
    if known.not_applied:
        page.add("Could not apply without what was hidden:")
        for event_id, why in known.not_applied:
            page.add(printable(f"  [{event_id}] {why}"), hang=4)
    return page.text()


Row = tuple[str, str | None]
"""A row of the state table: ``(label, value)``, or ``(text, None)`` for a line of its own (blank, a heading)."""


def _state_page(page: Page, rows: Iterable[Row]) -> None:
    for label, value in rows:
        if value is None:
            page.add(label)
        else:
            page.row(label, value)


def _state_rows(state: OrgState) -> list[Row]:
    """The state table's rows, from the CEO down: :func:`orgsim.views.wording.state_lines`, as a table."""
    rows: list[Row] = []
    group: str | None = None
    for line in state_lines(state):
        if group is not None and line.group != group:
            rows.append(("", None))
        if line.group == "stakeholders" and group != "stakeholders":
            rows.append(("Stakeholders", None))
        group = line.group
        indent = "  " if line.sub or line.group == "stakeholders" else ""
        rows.append((indent + line.label, line.text()))
    return rows


_PROVENANCE_LABELS = {
    "ceo": "CEO",
    "board.chair": "Chair",
    "board.members": "Board",
    "employees.headcount": "Headcount",
    "employees.open_letter_signatories": "Open letter",
    "stakeholders.": "",
    "structure": "Structure",
}


def source_name(source: Source) -> str:
    """A source as a reader cites it: the document, or for an external report its publisher and date too."""
    if not source.external:
        return source.document
    named = ", ".join(part for part in (source.publisher, str(source.published or "")) if part)
    return f"{source.document} (external: {named})" if named and named not in source.document else source.document


def render_provenance(
    provenance: Mapping[str, EventBase],
    tz: str,
    state: OrgState,
    home_zone: str | None = None,
    width: int | None = None,
) -> str:
    """The latest event behind each headline answer, with its time (in ``tz``) and first source quote."""
    page = Page(width)
    page.add("Sources (the latest event behind each answer)")
    order = list(_PROVENANCE_LABELS)
    keys = sorted(provenance, key=lambda k: (order.index(k) if k in order else order.index("stakeholders."), k))
    if not keys:
        page.add("  (no answer here is known, so no event is behind one)")
    pad = " " * _LABEL
    for key in keys:
        event = provenance[key]
        if key.startswith("stakeholders."):
            label = organisation_name(state.manifest, key.split(".", 1)[1])
        else:
            label = _PROVENANCE_LABELS.get(key, key)
        page.row(f"  {label}", f"{event_time(event, tz, home_zone or tz)} — {event.summary}")
        page.add(f"{pad}[{event.id}]")
        if event.sources:
            source = event.sources[0]
            quote = " ".join(source.quote.split())
            page.add(f"{pad}{source_name(source)}: «{quote}»")
    return page.text()


def render_events(
    events: Sequence[EventBase],
    home_zone: str,
    tz: str | None = None,
    sources: bool = True,
    *,
    oneline: bool = False,
    overlapping: Sequence[EventBase] = (),
    width: int | None = None,
) -> str:
    """A chronology: one block per event with its time, kind, summary and sources (or one line each).

    ``overlapping`` are the events dated only to a day, month or year that
    overlaps the range without lying inside it: listed after the others, one
    line each, as what may also have happened then.
    """
    shown = tz or home_zone
    page = Page(width)
    if oneline:
        _oneline(page, events, shown, home_zone)
    else:
        _chronology(page, events, shown, home_zone, sources)
    if overlapping:
        if page.lines:
            page.add()
        page.add(f"Dated only to an overlapping day, month or year ({len(overlapping)}):")
        _oneline(page, overlapping, shown, home_zone)
    return page.text() if page.lines else "(no events in that range)"


def _oneline(page: Page, events: Sequence[EventBase], tz: str, home_zone: str) -> None:
    times = [event_time(event, tz, home_zone) for event in events]
    column = max(map(cells, times), default=0)
    for event, when in zip(events, times, strict=True):
        page.clipped(f"{_pad(when, column)}  {event.id}  {event.summary}")


def _chronology(page: Page, events: Sequence[EventBase], shown: str, home_zone: str, sources: bool) -> None:
    heading = None
    wide = page.width >= 90  # the time in a column of its own; on a narrower page, above the rest
    body = 35 if wide else 2
    for event in events:
        when = event_time(event, shown, home_zone)
        day = _heading(event, shown, home_zone)
        if day != heading:
            if page.lines:
                page.add()
            page.add(f"== {day} ==")
            heading = day
        if wide:
            page.add(f"{when:<34} {event.summary}", hang=body)
        else:
            page.add(when)
            page.add(" " * body + event.summary)
        detail = f"[{event.type}] {event.id}"  # type: ignore[attr-defined]
        if event.stated_at:
            detail += f" — stated: {event.stated_at}"
        if event.status == "announced":
            detail += " — announced, not done"
        if event.fulfils:
            detail += f" — carries out {event.fulfils}"
        if event.generated_by:
            detail += f" — generated by rule {event.generated_by}"
        page.add(" " * body + detail)
        if sources:
            for source in event.sources:
                page.add(" " * body + f"source: {source_name(source)}")
                if source.url:
                    page.add(" " * (body + 2) + source.url)
                page.add(" " * (body + 2) + "«" + " ".join(source.quote.split()) + "»", hang=body + 3)
                page.add(" " * (body + 2) + "“" + " ".join(source.translation.split()) + "”", hang=body + 3)
            if event.rationale:
                page.add(" " * body + f"rationale: {event.rationale}")


def _heading(event: EventBase, tz: str, home_zone: str) -> str:
    """The day (month, year) an event is listed under, in the zone it is dated in."""
    own = event.zone or home_zone
    if event.precision in ("day", "month", "year") and zone_name(own) != zone_name(tz):
        local, where = in_zone(event.at, own), zone_name(own)
    else:
        local, where = in_zone(event.at, tz), zone_name(tz)
    pattern = {"month": "MMMM YYYY", "year": "YYYY"}.get(event.precision, "dddd D MMMM YYYY")
    return f"{local.format(pattern)} ({where})"


def render_diff(
    low: datetime,
    high: datetime,
    steps: Sequence[tuple[EventBase, OrgState, OrgState, Sequence[Difference]]],
    net: Sequence[Difference],
    before: OrgState,
    after: OrgState,
    tz: str,
    home_zone: str,
    width: int | None = None,
) -> str:
    """What changed between two instants: each event with its changes, then the net change."""
    page = Page(width)
    page.add(f"from {in_zone(low, tz).isoformat()} to {in_zone(high, tz).isoformat()}: {len(steps)} event(s)")
    for event, a, b, changes in steps:
        page.add()
        page.add(f"{event_time(event, tz, home_zone)}  {event.summary}  [{event.id}]", hang=2)
        page.extend(render_changes(changes, a, b) or ["  (no change to the state)"])
    page.add()
    page.add("Net change:")
    page.extend(render_changes(net, before, after) or ["  (none)"])
    return page.text()


_COUNTS = {
    "employees.headcount": ("employees.headcount_qualifier", "headcount", "headcount_qualifier"),
    "employees.open_letter_signatories": (
        "employees.open_letter_qualifier",
        "open_letter_signatories",
        "signatures_qualifier",
    ),
}


def render_changes(
    changes: Iterable[Difference], before: OrgState | None = None, after: OrgState | None = None, indent: str = "  "
) -> list[str]:
    """Changes as indented lines, their values shown as the state table shows them (names, "vacant"...).

    A count and its qualifier are one line (``about 700 -> more than 700``) when both states are given.
    """
    changes = list(changes)
    paths = {change.path for change in changes}
    either = after if after is not None else before
    manifest = either.manifest if either is not None else None
    lines = []
    for change in changes:
        path = change.path
        counted = next((c for c, (q, _, _) in _COUNTS.items() if path in (c, q)), None)
        if counted is not None and before is not None and after is not None:
            if path != counted and counted in paths:
                continue  # told with its count
            _, count, qualifier = _COUNTS[counted]
            old, new = (_count(state, count, qualifier) for state in (before, after))
            lines.append(f"{indent}{counted}: {old} -> {new}")
            continue
        unknown_before = before is not None and not before.is_known(path)
        unknown_after = after is not None and not after.is_known(path)
        if unknown_before or unknown_after:
            old = "unknown" if unknown_before else _value(path, change.before, manifest)
            new = "unknown" if unknown_after else _value(path, change.after, manifest)
            lines.append(f"{indent}{path}: {old} -> {new}")
            continue
        if isinstance(change.before, list) and isinstance(change.after, list):
            added = [_value(path, x, manifest) for x in change.after if x not in change.before]
            removed = [_value(path, x, manifest) for x in change.before if x not in change.after]
            parts = ["+" + ", +".join(added)] if added else []
            parts += ["-" + ", -".join(removed)] if removed else []
            lines.append(f"{indent}{path}: {' '.join(parts)}")
            continue
        lines.append(
            f"{indent}{path}: {_value(path, change.before, manifest)} -> {_value(path, change.after, manifest)}"
        )
    return lines


def _count(state: OrgState, count: str, qualifier: str) -> str:
    """A count as the state table shows it: ``about 770``; an open letter nobody has signed is ``none``."""
    value = getattr(state, count)
    if isinstance(value, Unknown):
        return "unknown"
    if value is None and count == "open_letter_signatories":
        return "none"
    detail = state.headcount_range if count == "headcount" else state.signatures_range
    return qualified(value, getattr(state, qualifier), detail)


def _value(path: str, value: Any, manifest: Manifest | None) -> str:
    """A value of the state contract at ``path`` as the state table shows it."""

    def person(pid: Any) -> str:
        known = manifest.people.get(pid) if manifest is not None and isinstance(pid, str) else None
        return known.name if known else str(pid)

    if isinstance(value, list):
        return "[" + ", ".join(_value(path, item, manifest) for item in value) + "]"
    if path.startswith("offices.") or path == "board.chair":
        if value is None:
            return "vacant"
        if isinstance(value, dict):
            return person(value.get("person")) + (" (interim)" if value.get("interim") else "")
        return person(value)
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if path.startswith("votes.") and isinstance(value, dict):
        return str(value.get("tally"))
    if path.endswith(".investment_usd") and isinstance(value, int | float):
        return usd(value)
    if path.endswith(".affiliation"):
        return organisation_name(manifest, value) if manifest is not None else str(value)
    if path.startswith(("board.", "employees.named_signatories")) or path.endswith(".employs"):
        return person(value)
    if isinstance(value, int | float):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    if isinstance(value, str) and path.endswith("_qualifier"):
        return value.replace("_", " ")
    return str(value)


def render_side_by_side(
    history: OrgState,
    what_if: OrgState,
    changes: Sequence[Difference],
    home_zone: str,
    title: str,
    tz: str | None = None,
    width: int | None = None,
) -> str:
    """History and a what-if at one instant: one table with a column for each when they fit, then the differences.

    Rows are matched by their label (an office, a director, a stakeholder), so
    a row that one world lacks is blank on that side; on a page too narrow for
    two columns the two states come one after the other.
    """
    page = Page(width)
    column = (page.width - _LABEL - 3) // 2
    if column >= 20:
        page.add(instant_line(history, home_zone, tz), hang=3)
        page.add()
        page.lines.extend(_compared("", "History", f"What if: {title}", column))
        a, b = _state_rows(history), _state_rows(what_if)
        import difflib  # only this view aligns two tables

        matcher = difflib.SequenceMatcher(None, [_key(r) for r in a], [_key(r) for r in b], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                pairs: list[tuple[Row | None, Row | None]] = list(zip(a[i1:i2], b[j1:j2], strict=True))
            else:
                pairs = [(row, None) for row in a[i1:i2]] + [(None, row) for row in b[j1:j2]]
            for left, right in pairs:
                label = (left or right or ("", None))[0]
                lv = left[1] if left is not None else None
                rv = right[1] if right is not None else None
                if lv is None and rv is None:
                    page.add(label)
                else:
                    page.lines.extend(_compared(label, lv or "", rv or "", column))
    else:  # too narrow for two columns: one after the other
        page.lines.extend(render_state(history, home_zone, tz, "History", page.width).split("\n"))
        page.add()
        page.lines.extend(render_state(what_if, home_zone, tz, f"What if: {title}", page.width).split("\n"))
    page.add()
    page.add(f"Differences ({len(changes)}):")
    page.extend(render_changes(changes, history, what_if) or ["  (none: the two worlds agree)"])
    return page.text()


def _key(row: Row) -> str:
    return row[0] if row[1] is not None else "\0" + row[0]


def _compared(label: str, left: str, right: str, column: int) -> list[str]:
    """One row of the comparison: the label, then each world's value wrapped in its own column."""
    label = _clip(printable(label), _LABEL - 1)
    a = wrap(printable(left), column) or [""]
    b = wrap(printable(right), column) or [""]
    a += [""] * (len(b) - len(a))
    b += [""] * (len(a) - len(b))
    return [
        f"{_pad(label if i == 0 else '', _LABEL - 1)} {_pad(x, column)} | {y}".rstrip()
        for i, (x, y) in enumerate(zip(a, b, strict=True))
    ]


def render_scenario_notes(world: Any, at: datetime, tz: str, limit: int = 20, width: int | None = None) -> str:
    """What did not happen in a what-if world up to ``at``, and what its rules made (empty when neither)."""
    page = Page(width)
    gone = [d for d in world.dropped if d.event.at <= at]
    if gone:
        page.add()
        page.add(f"Did not happen in this world ({len(gone)}):")
        for dropped in gone[:limit]:
            page.add(f"  {dropped.describe()}", hang=4)
        if len(gone) > limit:
            page.add(f"  ... and {len(gone) - limit} more (all of them with --format json, or 'orgsim scenario diff')")
    made = [e for e in world.generated() if e.at <= at]
    if made:
        page.add()
        page.add("Generated by rules:")
        for event in made:
            page.add(
                f"  {event.id} [{event.generated_by}] {event_time(event, tz, world.home_zone)}: {event.summary}", 4
            )
    return page.text()


def render_divergence(story: Any, world: Any, zone: str, width: int | None = None) -> str:
    """The divergence story: first instant, then each field's intervals and the events responsible."""
    page = Page(width)
    manifest = world.manifest
    page.add(f"What if: {world.scenario.title}")
    if world.scenario.description:
        page.add(" ".join(world.scenario.description.split()))
    page.add()
    if story.first is None:
        page.add("The two worlds never differ.")
    else:
        page.add(f"First divergence: {display(story.first, zone)}")
    for item in story.fields:
        page.add()
        page.add(item.path)
        for interval in item.intervals:
            end = display(interval.end, zone) if interval.end else "the end of the timeline"
            page.add(f"  {display(interval.start, zone)} -> {end}")
            page.add(
                f"    history: {_value(item.path, interval.history, manifest)}   "
                f"what-if: {_value(item.path, interval.what_if, manifest)}",
                hang=6,
            )
            if interval.because:
                page.add(f"    because: {', '.join(interval.because)}", hang=6)
    if world.dropped:
        page.add()
        page.add(f"Events that did not happen ({len(world.dropped)}):")
        for dropped in world.dropped:
            page.add(f"  {dropped.describe()}", hang=4)
    made = world.generated()
    if made:
        page.add()
        page.add("Events generated by rules:")
        for event in made:
            page.add(
                f"  {event.id} [{event.generated_by}] {event_time(event, zone, world.home_zone)}: {event.summary}", 4
            )
    return page.text()


def render_lines(lines: Iterable[str], width: int | None = None) -> str:
    """Plain lines of text (a command's own messages), escaped and wrapped like every page."""
    page = Page(width)
    page.extend(lines)
    return page.text()
