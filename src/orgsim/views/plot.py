"""The Gantt chart as a static picture (PNG or SVG), drawn with matplotlib.

The same view model as the HTML report (:mod:`orgsim.views.gantt`): one row per
office and per board seat, interim tenures hatched, the chair in gold,
a lane of event markers, the staff figures below; with a what-if world, its
chart under the history with the spans where they differ shaded, dropped
events crossed out and generated ones as diamonds.

By default the chart spans the timeline's focus (its declared ``focus``, else
its busiest days); ``span="all"`` draws all of it. What is drawn is capped
whatever the timeline's size: at most :data:`~orgsim.views.gantt.MAX_ROWS`
rows per world, and event markers less than a pixel apart merged; the chart
says what it left out.

matplotlib is an optional dependency (``pip install 'orgsim[plot]'``),
imported only when a plot is drawn; nothing here touches pyplot's global
state, the figure is rendered with the Agg canvas.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from orgsim.errors import OutputError
from orgsim.io.output import write_atomic
from orgsim.timeline import Timeline
from orgsim.times import InstantLike, zone
from orgsim.views.gantt import (
    CATEGORY_STYLE,
    MAX_ROWS,
    Gantt,
    Row,
    build_gantt,
    category,
    divergent_spans,
    focus_period,
    person_colours,
    rows_in_view,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from orgsim.whatif.scenarios import WhatIf

FORMATS = {".png": "png", ".svg": "svg"}
"""File suffixes plot_gantt writes, and the matplotlib format of each."""

Span = Literal["focus", "all"]
"""What a chart spans when no window is given: the timeline's focus, or all of it."""

MARKER_COLUMNS = 2000
"""Event markers of one kind closer than 1/MARKER_COLUMNS of the chart's width are drawn as one
(the chart says so when it has more events than that)."""

_CHAIR = "#c9971c"
_DIFFER = "#fff1c2"
_INK = "#1d2330"
_HEADCOUNT, _SIGNATURES = "#1f5fbf", "#d9622b"
_PLOT_POINTS = 15 * 72 * 0.86  # the width of the plotting area in points, for fitting bar labels


def plot_gantt(
    timeline: Timeline,
    out: str | Path,
    *,
    world: WhatIf | None = None,
    tz: str | None = None,
    start: InstantLike | None = None,
    end: InstantLike | None = None,
    title: str | None = None,
    span: Span = "focus",
) -> None:
    """Draw who held which office and board seat when, and write it to ``out`` (``.png`` or ``.svg``).

    ``tz`` is the zone of the time axis (default: the home zone); ``start``
    and ``end`` narrow the chart, read as ``--from`` and ``--to`` are (naive
    input in ``tz``; a bare date is the start of that day for ``start``, the
    end of it for ``end``). With neither, the chart spans the timeline's focus,
    or all of it with ``span="all"``. The file is written atomically. Raises
    :class:`~orgsim.errors.OutputError` for another suffix, a missing
    matplotlib or a file that cannot be written.
    """
    target = Path(out)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        known = ", ".join(FORMATS)
        raise OutputError(
            f"cannot plot to a {target.suffix or 'suffix-less'!s} file: use one of {known}", file=str(target)
        )
    try:
        figure = gantt_figure(timeline, world=world, tz=tz, start=start, end=end, title=title, span=span)
    except OutputError as error:
        raise OutputError(error.message, file=str(target)) from None
    buffer = io.BytesIO()
    from matplotlib import rc_context

    # SVG text stays text (searchable, selectable, small) rather than outlines
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "orgsim"}):
        figure.savefig(buffer, format=fmt, dpi=150, bbox_inches="tight", metadata=_metadata(fmt))
    data = buffer.getvalue()
    write_atomic(target, lambda stream: _write(stream, data))


def gantt_figure(
    timeline: Timeline,
    *,
    world: WhatIf | None = None,
    tz: str | None = None,
    start: InstantLike | None = None,
    end: InstantLike | None = None,
    title: str | None = None,
    span: Span = "focus",
) -> Figure:
    """The chart :func:`plot_gantt` writes, as a matplotlib ``Figure`` on an Agg canvas (same arguments)."""
    shown = str(zone(tz or timeline.home_zone).name)
    low: datetime | None = timeline.resolve(start, shown, bound="start") if start is not None else None
    high: datetime | None = timeline.resolve(end, shown) if end is not None else None
    if low is None and high is None and span == "focus":
        low, high = focus_period(timeline) or (None, None)
    if low is not None and high is not None and high <= low:
        raise OutputError(f"the chart would end ({high.isoformat()}) before it starts ({low.isoformat()})")
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
    except ImportError as exc:
        raise OutputError("plotting needs matplotlib: pip install 'orgsim[plot]'") from exc

    worlds: list[tuple[str, Timeline, Gantt]] = [("History", timeline, build_gantt(timeline))]
    if world is not None:
        worlds.append((f"What if: {world.scenario.title}", world, build_gantt(world)))
    figure = _draw(worlds, shown, low, high, title or timeline.manifest.title or timeline.name, world, timeline)
    FigureCanvasAgg(figure)
    return figure


def _write(stream: Any, data: bytes) -> None:
    stream.write(data)


def _metadata(fmt: str) -> dict[str, Any]:
    # no creation date, so the same timeline gives the same file
    return {"Date": None} if fmt == "svg" else {"Software": "orgsim"}


def _draw(
    worlds: Sequence[tuple[str, Timeline, Gantt]],
    tz: str,
    low: datetime | None,
    high: datetime | None,
    title: str,
    world: WhatIf | None,
    base: Timeline,
) -> Figure:
    from matplotlib import dates as mdates
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    zone_info = zone(tz)
    ends = [(t.replay.applied[0].at, t.replay.applied[-1].at) for _, t, _ in worlds if t.replay.applied]
    if world is not None and world.dropped:
        ends += [(d.event.at, d.event.at) for d in world.dropped]
    if not ends and (low is None or high is None):
        raise OutputError("nothing to plot: the timeline has no events")
    first = _num(low if low is not None else min((a for a, _ in ends), key=lambda m: m.timestamp()))
    last = _num(high if high is not None else max((b for _, b in ends), key=lambda m: m.timestamp()))
    margin = (last - first) * 0.02 or 1.0
    left, right = (first if low is not None else first - margin), (last if high is not None else last + margin)
    window = (_from_num(left), _from_num(right))
    colours = person_colours([g for _, _, g in worlds])
    spans = divergent_spans(base, world) if world is not None else ()

    chosen = [rows_in_view(g, *window) for _, _, g in worlds]
    heights = [len(rows) + 2.2 + (0.6 if left_out else 0) for rows, left_out in chosen] + [3.0]
    figure = Figure(figsize=(15, 0.32 * sum(heights) + 1.2), layout="constrained")
    axes = figure.subplots(len(heights), 1, sharex=True, gridspec_kw={"height_ratios": heights})
    figure.suptitle(title, fontsize=14, fontweight="bold", x=0.01, ha="left")

    for (label, timeline, gantt), (rows, left_out), ax in zip(worlds, chosen, axes[:-1], strict=True):
        merged = _draw_world(ax, label, timeline, gantt, rows, colours, (left, right), len(worlds) > 1)
        notes: list[str] = []
        if left_out:
            notes.append(
                f"{left_out:,} more row(s) with a bar in this span not drawn (at most {MAX_ROWS}: offices, then "
                "the board seats held longest); narrow the span with --from/--to"
            )
        if merged is not None:
            notes.append(f"{merged[0]:,} events drawn as {merged[1]:,} markers (events of a kind within a pixel)")
        if notes:
            # above the rows, in the layout, so it can cover nothing
            ax.text(
                1.0, 1.01, "Not drawn: " + "; ".join(notes), transform=ax.transAxes, ha="right", va="bottom",
                fontsize=8, color="#7a4b00",
            )  # fmt: skip
        for span_ in spans:
            ax.axvspan(_num(span_.start), _num(span_.end) if span_.end else right, color=_DIFFER, zorder=0)

    staff = axes[-1]
    styles = ("-", "--")
    for index, (_, _, gantt) in enumerate(worlds):
        suffix = "" if len(worlds) == 1 else (" (history)", " (what if)")[index]
        for readings, colour, name in (
            (gantt.headcount, _HEADCOUNT, "Headcount"),
            (gantt.signatures, _SIGNATURES, "Open-letter signatures"),
        ):
            points = [(r.at, r.value) for r in readings if r.value is not None]
            if points:
                xs = [*_nums([at for at, _ in points]), right]
                ys = [y for _, y in points] + [points[-1][1]]
                staff.step(
                    xs, ys, where="post", color=colour, linestyle=styles[index % 2], linewidth=1.8, label=name + suffix
                )
    staff.set_ylabel("Staff")
    peak = max((max(line.get_ydata()) for line in staff.lines), default=1)
    staff.set_ylim(0, peak * 1.15 or 1)
    staff.grid(axis="x", color="#e6e8ee")
    if staff.lines:
        # beside the axes, never over the lines
        staff.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), borderaxespad=0, fontsize=8, frameon=False)
    staff.set_xlim(left, right)
    locator = mdates.AutoDateLocator(tz=zone_info, minticks=5, maxticks=12)  # type: ignore[no-untyped-call]
    staff.xaxis.set_major_locator(locator)
    staff.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=zone_info))  # type: ignore[no-untyped-call]
    staff.set_xlabel(f"Times in {tz}")

    handles: list[Artist] = [
        Patch(facecolor="#2f62b0", label="held"),
        Patch(facecolor="#c5d3ea", hatch="////", edgecolor="#2f62b0", label="interim"),
        Patch(facecolor="#2f62b0", alpha=0.3, linestyle="--", edgecolor="#2f62b0", label="board observer"),
        Patch(facecolor=_CHAIR, label="chair"),
    ]
    used = {category(e) for _, t, _ in worlds for e in t.replay.applied}
    handles += [
        Line2D([], [], marker="o", linestyle="", color=colour, label=text)
        for key, (colour, text) in CATEGORY_STYLE.items()
        if key in used
    ]
    if world is not None:
        handles += [
            Line2D([], [], marker="x", linestyle="", color="#b42318", label="did not happen"),
            Line2D([], [], marker="D", linestyle="", color="#6941c6", label="generated by a rule"),
            Patch(facecolor=_DIFFER, label="worlds differ"),
        ]
    figure.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 8), fontsize=8, frameon=False)
    return figure


def _draw_world(
    ax: Any,
    label: str,
    timeline: Timeline,
    gantt: Gantt,
    rows: Sequence[Row],
    colours: dict[str, str],
    window: tuple[float, float],
    titled: bool,
) -> tuple[int, int] | None:
    """Draw one world's rows and event lane; (events, markers) when markers were merged, else None."""
    left, right = window

    def label_at(x0: float, x1: float, y: float, text: str, colour: str) -> None:
        # only where the words fit inside the visible part of the bar
        shown = min(x1, right) - max(x0, left)
        if shown > 0 and shown / (right - left) * _PLOT_POINTS > len(text) * 4.4 + 6:
            ax.text(
                max(x0, left),
                y,
                " " + text,
                va="center",
                ha="left",
                fontsize=7,
                color=colour,
                fontweight="bold",
                clip_on=True,
            )

    count = len(rows)
    ax.set_ylim(count + 0.6, -1.8)
    ax.set_yticks([-1.0, *range(count)], ["Events", *[_row_label(r.kind, r.label) for r in rows]], fontsize=8)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#e6e8ee")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if titled:
        ax.set_title(label, loc="left", fontsize=11, fontweight="bold")
    offices = sum(1 for r in rows if r.kind == "office")
    if 0 < offices < count:
        ax.axhline(offices - 0.5, color="#c9ced8", linewidth=0.8)
    for y, row in enumerate(rows):
        # one collection per row and style: a large timeline has thousands of tenures
        groups: dict[tuple[bool, bool], tuple[list[tuple[float, float]], list[str]]] = {}
        for tenure in row.tenures:
            x0 = _num(tenure.start)
            x1 = _num(tenure.end) if tenure.end else right
            if x1 < left or x0 > right:
                continue
            colour = colours.get(tenure.person, "#56607a")
            observer = tenure.role == "observer"
            ranges, faces = groups.setdefault((tenure.interim, observer), ([], []))
            ranges.append((x0, x1 - x0))
            faces.append(colour)
            if row.kind == "office":
                # interim bars are pale, so their label is dark: readable on the hatching too
                ink = _INK if tenure.interim else "white"
                label_at(x0, x1, y, tenure.name + (" (interim)" if tenure.interim else ""), ink)
        for (interim, observer), (ranges, faces) in groups.items():
            if interim:
                ax.broken_barh(
                    ranges,
                    (y - 0.34, 0.68),
                    facecolors=[_tint(face, 0.28) for face in faces],
                    edgecolors=faces,
                    hatch="////",
                    linewidth=0.6,
                )
            else:
                ax.broken_barh(
                    ranges,
                    (y - 0.34, 0.68),
                    facecolors=faces,
                    edgecolors=faces if observer else "white",
                    alpha=0.3 if observer else 0.92,
                    linestyle="--" if observer else "-",
                    linewidth=0.6,
                )
        chairs = [
            (_num(s.start), (_num(s.end) if s.end else right) - _num(s.start))
            for s in row.chair
            if _num(s.start) <= right and (s.end is None or _num(s.end) >= left)
        ]
        if chairs:
            ax.broken_barh(chairs, (y - 0.43, 0.14), facecolors=_CHAIR)
            for x0, width in chairs:
                label_at(x0, x0 + width, y, "chair", "white")
    return _draw_markers(ax, timeline, window)


def _draw_markers(ax: Any, timeline: Timeline, window: tuple[float, float]) -> tuple[int, int] | None:
    """The event lane: one scatter per kind of marker, markers less than a pixel apart merged."""
    left, right = window
    records = timeline.replay.applied
    dropped = [d.event for d in timeline.dropped]
    positions = _nums([r.at for r in records]) + _nums([e.at for e in dropped])
    kinds: list[tuple[str, str]] = [
        (CATEGORY_STYLE[category(r)][0], "D" if r.generated_by else "o") for r in records
    ] + [("#b42318", "x")] * len(dropped)
    column = (right - left) / MARKER_COLUMNS
    seen: dict[tuple[str, str], dict[int, float]] = {}
    inside = 0
    for x, kind in zip(positions, kinds, strict=True):
        if left <= x <= right:
            inside += 1
            seen.setdefault(kind, {}).setdefault(int((x - left) / column), x)
    drawn = 0
    for (colour, marker), columns in seen.items():
        xs = list(columns.values())
        drawn += len(xs)
        ax.plot(
            xs,
            [-1.0] * len(xs),
            marker=marker,
            markersize=5 if marker == "x" else 4,
            color=colour,
            linestyle="",
            alpha=1.0 if marker == "x" else 0.85,
        )
    return (inside, drawn) if inside > MARKER_COLUMNS and drawn < inside else None


def _tint(colour: str, strength: float) -> str:
    """``colour`` mixed with white: ``strength`` of the colour (a pale background for dark text)."""
    from matplotlib.colors import to_hex, to_rgb

    red, green, blue = (strength * c + (1 - strength) for c in to_rgb(colour))
    return str(to_hex((red, green, blue)))


def _num(instant: datetime) -> float:
    """An instant as matplotlib's date number (days since its epoch)."""
    from matplotlib import dates as mdates

    return float(mdates.date2num(instant))  # type: ignore[no-untyped-call]


def _nums(instants: Sequence[datetime]) -> list[float]:
    """Many instants as matplotlib date numbers, in one call."""
    from matplotlib import dates as mdates

    if not instants:
        return []
    return [float(x) for x in mdates.date2num(list(instants))]  # type: ignore[no-untyped-call]


def _from_num(number: float) -> datetime:
    """A matplotlib date number back as an aware instant (UTC)."""
    from matplotlib import dates as mdates

    return mdates.num2date(number)  # type: ignore[no-untyped-call,no-any-return]


def _row_label(kind: str, label: str) -> str:
    return label if kind == "office" else f"board: {label}"
